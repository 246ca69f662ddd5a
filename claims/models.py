"""Claims and their status history, sources, quotes, and the links between sources and claims."""

from __future__ import annotations

import datetime

import pgtrigger
from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from accountability.models import Incident, Organisation, Person, RecordOrigin
from accountability.records import DatePrecision, EditorialRecord, track_history, track_relation_history
from accountability.text_search import claim_search_document, source_search_document
from claims.vocabulary import vocabulary_triggers


class FetchState(models.TextChoices):
    PENDING = "pending", "Waiting to be fetched"
    FETCHED = "fetched", "Fetched"
    PASTED = "pasted", "Text pasted by hand"
    FAILED = "failed", "Fetch failed"
    REFUSED = "refused", "Fetch refused"


@track_history()
class Source(EditorialRecord):
    """An article or document. One row per canonical URL; pasted texts are told apart by their content hash."""

    url = models.URLField(max_length=2000, blank=True, help_text="The address as submitted.")
    canonical_url = models.URLField(max_length=2000, null=True, blank=True, unique=True)
    content_hash = models.CharField(max_length=64, blank=True, db_index=True)
    publisher = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="published_sources"
    )
    publisher_name = models.CharField(max_length=300, blank=True)
    title = models.CharField(max_length=1000, blank=True)
    author = models.CharField(max_length=500, blank=True)
    language = models.CharField(max_length=8, blank=True, help_text="BCP 47 code, e.g. en, fr, nl.")
    published_at = models.DateTimeField(null=True, blank=True)
    fetched_at = models.DateTimeField(null=True, blank=True)
    text = models.TextField(blank=True, help_text="The extracted main text, plain.")
    fetch_state = models.CharField(max_length=10, choices=FetchState.choices, default=FetchState.PENDING)
    fetch_error_code = models.CharField(max_length=40, blank=True)
    fetch_error = models.TextField(blank=True)
    simhash = models.BigIntegerField(null=True, blank=True, help_text="64-bit SimHash of the text's word shingles.")
    duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="near_duplicates",
        help_text="The first-seen copy of the same (e.g. syndicated wire) story.",
    )
    linked_at = models.DateTimeField(null=True, blank=True, help_text="When the matcher last linked this source.")
    search_document = models.GeneratedField(
        expression=source_search_document(),
        output_field=SearchVectorField(),
        db_persist=True,
        help_text="Full-text document of title, publisher (weight A) and text (weight D), accents removed.",
    )

    class Meta(EditorialRecord.Meta):
        ordering = ["-published_at", "-id"]
        constraints = [
            *EditorialRecord.Meta.constraints,
            models.CheckConstraint(condition=~Q(url="") | ~Q(text=""), name="source_has_url_or_text"),
            models.UniqueConstraint(
                fields=["content_hash"],
                condition=Q(canonical_url__isnull=True) & ~Q(content_hash=""),
                name="source_unique_pasted_text",
            ),
            models.CheckConstraint(
                condition=Q(content_hash__regex=r"^([0-9a-f]{64})?$"), name="source_content_hash_is_sha256"
            ),
            models.CheckConstraint(condition=~Q(duplicate_of=F("pk")), name="source_not_duplicate_of_itself"),
        ]
        indexes = [
            models.Index(fields=["published_at", "simhash"], name="source_published_simhash"),
            # Full-text search over title, publisher and text (typos: through the title words, ``TitleWord``).
            GinIndex(fields=["search_document"], name="source_search_document"),
            # Published sources by id, read from the index alone (a claim's public links are counted this way).
            models.Index(fields=["id"], condition=Q(is_published=True), name="source_published"),
            # The few sources still waiting for the matcher, found without reading the other million.
            models.Index(
                fields=["id"],
                condition=Q(linked_at__isnull=True, fetch_state__in=["fetched", "pasted"]),
                name="source_awaiting_link",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.canonical_url or f"Source {self.pk}"


class VocabularyWord(models.Model):
    """A word found in some stored text: a vocabulary a misspelt search word is matched against
    (``selectors.word_spellings``). Kept by triggers (``claims.vocabulary``); never shown, never removed."""

    word = models.TextField(primary_key=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.word


class TitleWord(VocabularyWord):
    """A word of some source's title."""

    class Meta:
        indexes = [GinIndex(fields=["word"], opclasses=["gin_trgm_ops"], name="title_word_trigram")]


# Every source's title words go into the vocabulary, whether the source is saved, bulk-created or copied in.
pgtrigger.register(
    *vocabulary_triggers(
        table="claims_titleword",
        word="title_word",
        column="title",
        new_rows="new_sources",
        on_insert="title_words_of_new_sources",
        on_update="title_words_of_retitled_sources",
    )
)(Source)


class ClaimStatus(models.TextChoices):
    UNVERIFIED = "unverified", "Unverified"
    DISPUTED = "disputed", "Disputed"
    CORROBORATED = "corroborated", "Corroborated"
    CONFIRMED = "confirmed", "Confirmed"
    REFUTED = "refuted", "Refuted"
    RETRACTED = "retracted", "Retracted"


@track_history()
class Claim(EditorialRecord):
    """A statement about who was responsible or what happened, made by a person or an organisation."""

    text = models.TextField()
    headline = models.CharField(
        max_length=300,
        blank=True,
        help_text="Optional short headline, e.g. of the fact-check that examined the claim; the matcher reads it too.",
    )
    slug = models.SlugField(max_length=160, unique=True)
    # Indexed with the claim's id (Meta.indexes), not alone.
    claimant_person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="claims_made", db_index=False
    )
    claimant_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="claims_made", db_index=False
    )
    subject_people = models.ManyToManyField(Person, related_name="claims_about", blank=True)
    subject_organisations = models.ManyToManyField(Organisation, related_name="claims_about", blank=True)
    incident = models.ForeignKey(Incident, null=True, blank=True, on_delete=models.PROTECT, related_name="claims")
    first_made_on = models.DateField(null=True, blank=True)
    first_made_on_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    language = models.CharField(max_length=8, default="en")
    status = models.CharField(max_length=15, choices=ClaimStatus.choices, default=ClaimStatus.UNVERIFIED)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    search_document = models.GeneratedField(
        expression=claim_search_document(),
        output_field=SearchVectorField(),
        db_persist=True,
        help_text="Full-text document of the text (weight A), accents removed.",
    )

    class Meta(EditorialRecord.Meta):
        ordering = ["-first_made_on", "-id"]
        permissions = [
            ("merge_claim", "Can merge a duplicate claim into another"),
            ("change_claim_status", "Can change a claim's status (with a reason and evidence)"),
        ]
        constraints = [
            *EditorialRecord.Meta.constraints,
            models.CheckConstraint(
                condition=Q(claimant_person__isnull=False) | Q(claimant_organisation__isnull=False),
                name="claim_has_claimant",
            ),
            models.CheckConstraint(condition=~Q(text=""), name="claim_text_not_empty"),
            models.CheckConstraint(condition=~Q(merged_into=F("pk")), name="claim_not_merged_into_self"),
        ]
        # Full-text search over the text (accountability.text_search; typos: through the claim words, ``ClaimWord``).
        indexes = [
            GinIndex(fields=["search_document"], name="claim_search_document"),
            # A claimant's claims as ids from the index alone: a search matching a common name reads a thousand
            # claimants' claims without visiting the claims (a scan of the whole table otherwise).
            models.Index(fields=["claimant_person", "id"], name="claim_claimant_person"),
            models.Index(fields=["claimant_organisation", "id"], name="claim_claimant_organisation"),
            # The matcher's check of whether the claims changed (count, last id, last edit of the unmerged claims,
            # claims.linking.claim_index.claims_version), from the index alone.
            models.Index(fields=["updated_at", "id"], condition=Q(merged_into__isnull=True), name="claim_unmerged"),
        ]

    def __str__(self) -> str:
        return self.text[:120]


class ClaimWord(VocabularyWord):
    """A word of some claim's text."""

    class Meta:
        indexes = [GinIndex(fields=["word"], opclasses=["gin_trgm_ops"], name="claim_word_trigram")]


# Every claim's words go into the vocabulary, whether the claim is saved, bulk-created or copied in.
pgtrigger.register(
    *vocabulary_triggers(
        table="claims_claimword",
        word="claim_word",
        column="text",
        new_rows="new_claims",
        on_insert="claim_words_of_new_claims",
        on_update="claim_words_of_reworded_claims",
    )
)(Claim)


@track_history()
class ClaimStatusChange(models.Model):
    """One change of a claim's status: who, when, why, on which evidence. Append-only."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=15, choices=ClaimStatus.choices, blank=True)
    to_status = models.CharField(max_length=15, choices=ClaimStatus.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField()
    reason = models.TextField()
    evidence = models.ManyToManyField(Source, related_name="status_changes")

    class Meta:
        ordering = ["changed_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="status_change_has_reason"),
            models.CheckConstraint(condition=~Q(from_status=F("to_status")), name="status_change_changes_status"),
        ]

    def __str__(self) -> str:
        return f"{self.claim_id}: {self.from_status or '-'} -> {self.to_status}"


@track_history()
class Quote(EditorialRecord):
    """Verbatim words, who said them, to whom, and where we read them."""

    text = models.TextField()
    speaker = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="quotes")
    speaker_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="quotes"
    )
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="quotes")
    said_to = models.CharField(max_length=300, blank=True, help_text='To whom it was said, e.g. "Le Soir".')
    said_to_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="quotes_received"
    )
    said_on = models.DateField(null=True, blank=True)
    language = models.CharField(max_length=8, default="en")

    class Meta(EditorialRecord.Meta):
        constraints = [
            *EditorialRecord.Meta.constraints,
            models.CheckConstraint(condition=~Q(text=""), name="quote_text_not_empty"),
            models.CheckConstraint(
                condition=Q(speaker__isnull=False) | Q(speaker_organisation__isnull=False), name="quote_has_speaker"
            ),
            models.UniqueConstraint(fields=["source", "text"], name="quote_unique_in_source"),
        ]

    def __str__(self) -> str:
        return self.text[:120]


class Stance(models.TextChoices):
    SUPPORTS = "supports", "Supports"
    CONTRADICTS = "contradicts", "Contradicts"
    MENTIONS = "mentions", "Mentions"


class LinkReviewState(models.TextChoices):
    SUGGESTED = "suggested", "Suggested, awaiting review"
    AUTO_CONFIRMED = "auto_confirmed", "Confirmed by the matcher"
    CONFIRMED = "confirmed", "Confirmed by an editor"
    REJECTED = "rejected", "Rejected"


@track_history()
class ClaimLink(models.Model):
    """A source (optionally one of its quotes) backing, contradicting or mentioning a claim."""

    # A claim's links are found through the unique (claim, source) index: no index of its own.
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="links", db_index=False)
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="claim_links")
    quote = models.ForeignKey(
        Quote, null=True, blank=True, on_delete=models.SET_NULL, related_name="claim_links", db_index=False
    )
    stance = models.CharField(max_length=12, choices=Stance.choices)
    confidence = models.FloatField()
    origin = models.CharField(max_length=10, choices=RecordOrigin.choices)
    matcher_version = models.CharField(max_length=40, blank=True)
    explanation = models.JSONField(default=dict, blank=True)
    review_state = models.CharField(max_length=15, choices=LinkReviewState.choices)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )

    class Meta:
        ordering = ["-confidence", "id"]
        permissions = [("review_claimlink", "Can confirm or reject a proposed link between a source and a claim")]
        constraints = [
            models.UniqueConstraint(fields=["claim", "source"], name="claim_link_unique_pair"),
            models.CheckConstraint(
                condition=Q(confidence__gte=0) & Q(confidence__lte=1), name="claim_link_confidence_range"
            ),
            models.CheckConstraint(
                condition=~Q(review_state__in=["confirmed", "rejected"])
                | (Q(reviewed_by__isnull=False) & Q(reviewed_at__isnull=False)),
                name="claim_link_reviewed_has_reviewer",
            ),
            models.CheckConstraint(
                condition=~Q(review_state="auto_confirmed") | Q(origin="matcher"),
                name="claim_link_auto_confirmed_by_matcher",
            ),
            models.CheckConstraint(
                condition=~Q(origin="matcher") | ~Q(matcher_version=""), name="claim_link_matcher_has_version"
            ),
        ]
        # Most links are the matcher's, with no quote, no reviewer and no recorder: the indexes that find the links
        # of a quote or a user (for its deletion) hold only the links that have one, and the review queue's only
        # the suggested links, in its order. A new link updates few indexes.
        indexes = [
            models.Index(
                F("confidence").desc(),
                "created_at",
                "id",
                condition=Q(review_state=LinkReviewState.SUGGESTED),
                name="claim_link_suggested_queue",
            ),
            models.Index(fields=["quote"], condition=Q(quote__isnull=False), name="claim_link_quote"),
            models.Index(fields=["reviewed_by"], condition=Q(reviewed_by__isnull=False), name="claim_link_reviewer"),
            models.Index(fields=["recorded_by"], condition=Q(recorded_by__isnull=False), name="claim_link_recorder"),
            # The links the public may see, by claim: counted by stance from the index alone.
            models.Index(
                fields=["claim", "stance"],
                include=["source"],
                condition=Q(review_state__in=[LinkReviewState.CONFIRMED, LinkReviewState.AUTO_CONFIRMED]),
                name="claim_link_public",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} {self.stance} {self.claim_id}"


track_relation_history(Claim.subject_people.through, "claims", "ClaimSubjectPersonEvent")
track_relation_history(Claim.subject_organisations.through, "claims", "ClaimSubjectOrganisationEvent")
track_relation_history(ClaimStatusChange.evidence.through, "claims", "ClaimStatusChangeEvidenceEvent")


class ClaimEmbedding(models.Model):
    """A claim's sentence embedding, stored as little-endian float32 bytes for fast loading into the
    in-process index (one ``numpy.frombuffer`` per row instead of parsing a float array)."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="embeddings")
    model_name = models.CharField(max_length=100, help_text="One vector per claim and model.")
    text_hash = models.CharField(max_length=64, help_text="Hash of the text that was embedded.")
    dimension = models.PositiveSmallIntegerField()
    vector = models.BinaryField()
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(dimension__gt=0), name="claim_embedding_dimension_positive"),
            models.UniqueConstraint(fields=["claim", "model_name"], name="claim_embedding_one_per_model"),
        ]

    def __str__(self) -> str:
        return f"{self.model_name} vector of claim {self.claim_id}"


class Feed(models.Model):
    """An RSS or Atom feed polled by Celery beat, with its conditional-request and back-off state."""

    url = models.URLField(max_length=2000, unique=True)
    title = models.CharField(max_length=500, blank=True)
    language = models.CharField(max_length=8, blank=True)
    is_active = models.BooleanField(default=True)
    poll_interval = models.DurationField(default=datetime.timedelta(minutes=30))
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    next_poll_at = models.DateTimeField(default=timezone.now, db_index=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["url"]
        constraints = [
            models.CheckConstraint(
                condition=Q(poll_interval__gte=datetime.timedelta(minutes=1)),
                name="feed_poll_interval_at_least_a_minute",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.url


class FeedPoll(models.Model):
    """One poll of a feed: what came back and what it produced."""

    class Outcome(models.TextChoices):
        NEW_ENTRIES = "new_entries", "New entries"
        NO_NEW_ENTRIES = "no_new_entries", "No new entries"
        NOT_MODIFIED = "not_modified", "Not modified (304)"
        FAILED = "failed", "Failed"
        REFUSED = "refused", "Refused"

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="polls")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    entries_seen = models.PositiveIntegerField(default=0)
    sources_added = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["feed", "-started_at"], name="feed_poll_recent")]

    def __str__(self) -> str:
        return f"{self.feed} at {self.started_at:%Y-%m-%d %H:%M}: {self.outcome}"


class ParkedTaskResolution(models.TextChoices):
    REQUEUED = "requeued", "Sent back to the queue"
    DISMISSED = "dismissed", "Dismissed"


class ParkedTask(models.Model):
    """A background task that kept failing after its bounded retries, set aside for a person to look at."""

    task_name = models.CharField(max_length=200)
    task_id = models.CharField(max_length=64, unique=True, help_text="The Celery id of the last attempt.")
    args = models.JSONField(default=list, blank=True)
    kwargs = models.JSONField(default=dict, blank=True)
    exception = models.TextField(help_text="The error of the last attempt.")
    traceback = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField()
    parked_at = models.DateTimeField(default=timezone.now, db_index=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolution = models.CharField(max_length=10, choices=ParkedTaskResolution.choices, blank=True)

    class Meta:
        ordering = ["-parked_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(attempts__gte=1), name="parked_task_attempted"),
            models.CheckConstraint(
                condition=(Q(resolved_at__isnull=True) & Q(resolution=""))
                | (Q(resolved_at__isnull=False) & ~Q(resolution="")),
                name="parked_task_resolution_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task_name} {self.task_id}"
