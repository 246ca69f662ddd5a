"""People, organisations, posts and terms of office, incidents, and accountability events."""

from __future__ import annotations

import pgtrigger
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from accountability.records import DatePrecision, EditorialRecord, track_history, track_relation_history
from accountability.text_search import incident_search_document, text_document, unaccented


class OrganisationKind(models.TextChoices):
    COUNTRY = "country", "Country"
    GOVERNMENT = "government", "Government"
    MINISTRY = "ministry", "Ministry"
    PARTY = "party", "Political party"
    AGENCY = "agency", "Agency"
    PARLIAMENT = "parliament", "Parliament"
    NEWSPAPER = "newspaper", "Newspaper or broadcaster"
    OTHER = "other", "Other"


@track_history()
class Organisation(EditorialRecord):
    """A country, government, ministry, party, agency or newspaper; organisations nest (parent/child)."""

    name = models.CharField(max_length=300)
    slug = models.SlugField(max_length=120, unique=True)
    kind = models.CharField(max_length=20, choices=OrganisationKind.choices)
    country_code = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2, upper case.")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    wikidata_qid = models.CharField(max_length=20, null=True, blank=True, unique=True)
    aliases = ArrayField(
        models.CharField(max_length=300), default=list, blank=True, help_text="Other names, e.g. Ankara."
    )
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta(EditorialRecord.Meta):
        ordering = ["name"]
        constraints = [
            *EditorialRecord.Meta.constraints,
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="organisation_not_own_parent"),
            models.CheckConstraint(
                condition=Q(country_code__regex=r"^([A-Z]{2})?$"), name="organisation_country_code_iso"
            ),
            models.CheckConstraint(
                condition=Q(wikidata_qid__regex=r"^Q[0-9]+$"), name="organisation_wikidata_qid_format"
            ),
        ]

    def __str__(self) -> str:
        return self.name


@track_history()
class Person(EditorialRecord):
    """An official or any other actor. Spelling and transliteration variants live in ``PersonName``."""

    name = models.CharField(max_length=300, help_text="The name shown to readers.")
    slug = models.SlugField(max_length=120, unique=True)
    description = models.CharField(max_length=500, blank=True)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta(EditorialRecord.Meta):
        ordering = ["name"]
        verbose_name_plural = "people"
        permissions = [("merge_person", "Can merge a duplicate person into another")]
        constraints = [
            *EditorialRecord.Meta.constraints,
            models.CheckConstraint(condition=~Q(merged_into=F("pk")), name="person_not_merged_into_self"),
        ]
        indexes = [GinIndex(text_document("name"), name="person_name_search")]

    def __str__(self) -> str:
        return self.name


class PersonNameKind(models.TextChoices):
    PRIMARY = "primary", "Primary name"
    ALIAS = "alias", "Alias"
    VARIANT = "variant", "Spelling or transliteration variant"
    SURNAME = "surname", "Surname used alone"


@track_history()
class PersonName(models.Model):
    """One way of writing a person's name; ``normalized`` makes matching case- and accent-insensitive."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="names")
    name = models.CharField(max_length=300)
    normalized = models.CharField(max_length=300, db_index=True)
    kind = models.CharField(max_length=20, choices=PersonNameKind.choices, default=PersonNameKind.ALIAS)
    language = models.CharField(max_length=8, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "normalized"], name="person_name_unique_per_person"),
            models.UniqueConstraint(fields=["person"], condition=Q(kind="primary"), name="person_has_one_primary_name"),
            models.CheckConstraint(condition=~Q(normalized=""), name="person_name_normalized_not_empty"),
        ]
        # What ``selectors.names_matching`` filters on: whole words, and trigram strict word similarity.
        indexes = [
            GinIndex(SearchVector("normalized", config="simple"), name="person_name_document"),
            GinIndex(OpClass("normalized", name="gin_trgm_ops"), name="person_name_trigram"),
        ]

    def __str__(self) -> str:
        return self.name


@track_history()
class PersonIdentifier(models.Model):
    """An identifier in an outside register, e.g. Wikidata ``Q12345``."""

    class Scheme(models.TextChoices):
        WIKIDATA = "wikidata", "Wikidata"
        OTHER = "other", "Other"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="identifiers")
    scheme = models.CharField(max_length=20, choices=Scheme.choices)
    value = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scheme", "value"], name="person_identifier_unique"),
            models.CheckConstraint(
                condition=~Q(scheme="wikidata") | Q(value__regex=r"^Q[0-9]+$"), name="person_identifier_wikidata_format"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme}:{self.value}"


@track_history()
class Post(EditorialRecord):
    """A position in an organisation, e.g. Minister of the Interior in the government of Belgium."""

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=160, unique=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="posts")
    aliases = ArrayField(
        models.CharField(max_length=300),
        default=list,
        blank=True,
        help_text='How reporting names it, e.g. "interior minister".',
    )

    class Meta(EditorialRecord.Meta):
        ordering = ["organisation__name", "title"]
        constraints = [
            *EditorialRecord.Meta.constraints,
            models.UniqueConstraint(fields=["organisation", "title"], name="post_title_unique_in_organisation"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.organisation})"


class TermEndReason(models.TextChoices):
    RESIGNED = "resigned", "Resigned"
    DISMISSED = "dismissed", "Dismissed"
    RESHUFFLED = "reshuffled", "Reshuffled"
    TERM_ENDED = "term_ended", "Term ended"
    GOVERNMENT_FELL = "government_fell", "Government fell"
    DIED = "died", "Died"
    OTHER = "other", "Other"


@track_history()
class Term(EditorialRecord):
    """Who held which post from when to when, and how it ended. Dates carry their precision."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="terms")
    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="terms")
    started_on = models.DateField()
    started_on_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    ended_on = models.DateField(null=True, blank=True)
    ended_on_precision = models.CharField(max_length=5, choices=DatePrecision.choices, blank=True)
    end_reason = models.CharField(max_length=20, choices=TermEndReason.choices, blank=True)
    sources = models.ManyToManyField("claims.Source", related_name="terms", blank=True)

    class Meta(EditorialRecord.Meta):
        ordering = ["-started_on"]
        constraints = [
            *EditorialRecord.Meta.constraints,
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")), name="term_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=False) | (Q(end_reason="") & Q(ended_on_precision="")),
                name="term_end_reason_needs_end_date",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | ~Q(ended_on_precision=""), name="term_end_date_has_precision"
            ),
            models.UniqueConstraint(fields=["person", "post", "started_on"], name="term_unique_start"),
        ]

    def __str__(self) -> str:
        return f"{self.person} as {self.post.title} from {self.started_on}"

    def clean(self) -> None:
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": "A term cannot end before it starts."})
        if self.end_reason and not self.ended_on:
            raise ValidationError({"end_reason": "Give the end date together with how the term ended."})


@track_history()
class Incident(EditorialRecord):
    """What happened, where and when, with casualty figures."""

    name = models.CharField(max_length=300)
    slug = models.SlugField(max_length=160, unique=True)
    description = models.TextField(blank=True)
    location = models.CharField(max_length=300, blank=True)
    country_code = models.CharField(max_length=2, blank=True)
    occurred_on = models.DateField()
    occurred_on_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    deaths = models.PositiveIntegerField(null=True, blank=True)
    injuries = models.PositiveIntegerField(null=True, blank=True)
    sources = models.ManyToManyField("claims.Source", related_name="incidents", blank=True)
    search_document = models.GeneratedField(
        expression=incident_search_document(),
        output_field=SearchVectorField(),
        db_persist=True,
        help_text="Full-text document of the name (weight A), location and description (weight B), accents removed.",
    )

    class Meta(EditorialRecord.Meta):
        ordering = ["-occurred_on"]
        constraints = [
            *EditorialRecord.Meta.constraints,
            models.CheckConstraint(condition=Q(country_code__regex=r"^([A-Z]{2})?$"), name="incident_country_code_iso"),
        ]
        # What ``selectors.incidents_matching`` filters on: full text, and typo-tolerant names and places.
        indexes = [
            GinIndex(fields=["search_document"], name="incident_search_document"),
            GinIndex(OpClass(unaccented("name"), name="gin_trgm_ops"), name="incident_name_trigram"),
            GinIndex(OpClass(unaccented("location"), name="gin_trgm_ops"), name="incident_location_trigram"),
        ]

    def __str__(self) -> str:
        return self.name


class EventKind(models.TextChoices):
    RESIGNATION_OFFERED = "resignation_offered", "Resignation offered"
    RESIGNATION_REFUSED = "resignation_refused", "Resignation offer refused"
    RESIGNATION_ACCEPTED = "resignation_accepted", "Resignation offer accepted"
    RESIGNATION_WITHDRAWN = "resignation_withdrawn", "Resignation offer withdrawn"
    RESIGNED = "resigned", "Resigned"
    DISMISSED = "dismissed", "Dismissed"
    RESPONSIBILITY_ACCEPTED = "responsibility_accepted", "Accepted responsibility"
    RESPONSIBILITY_DENIED = "responsibility_denied", "Denied responsibility"
    APOLOGY = "apology", "Apologised"
    RESIGNATION_CALLED_FOR = "resignation_called_for", "Resignation called for"
    INQUIRY_OPENED = "inquiry_opened", "Inquiry opened"
    CENSURE_MOTION = "censure_motion", "Censure or no-confidence motion"


OFFER_OUTCOME_KINDS = (
    EventKind.RESIGNATION_REFUSED,
    EventKind.RESIGNATION_ACCEPTED,
    EventKind.RESIGNATION_WITHDRAWN,
)


class ReviewState(models.TextChoices):
    PROPOSED = "proposed", "Proposed, awaiting review"
    CONFIRMED = "confirmed", "Confirmed"
    REJECTED = "rejected", "Rejected"


class RecordOrigin(models.TextChoices):
    EDITOR = "editor", "Recorded by an editor"
    MATCHER = "matcher", "Proposed by the matcher"
    IMPORT = "import", "Imported"


@track_history()
@pgtrigger.register(
    pgtrigger.Trigger(
        name="outcome_not_before_offer",
        operation=pgtrigger.Insert | pgtrigger.Update,
        when=pgtrigger.Before,
        func="""
        IF NEW.responds_to_id IS NOT NULL THEN
            IF NOT EXISTS (
                SELECT 1 FROM accountability_accountabilityevent offer
                WHERE offer.id = NEW.responds_to_id AND offer.kind = 'resignation_offered'
                  AND offer.person_id = NEW.person_id
            ) THEN
                RAISE EXCEPTION USING ERRCODE = 'check_violation',
                    CONSTRAINT = 'event_outcome_answers_an_offer_of_same_person',
                    MESSAGE = 'an outcome must answer a resignation offer by the same person';
            END IF;
            IF EXISTS (
                SELECT 1 FROM accountability_accountabilityevent offer
                WHERE offer.id = NEW.responds_to_id AND offer.occurred_on > NEW.occurred_on
            ) THEN
                RAISE EXCEPTION USING ERRCODE = 'check_violation',
                    CONSTRAINT = 'event_outcome_not_before_offer',
                    MESSAGE = 'an outcome cannot precede the resignation offer it answers';
            END IF;
        END IF;
        IF NEW.kind = 'resignation_offered' AND EXISTS (
            SELECT 1 FROM accountability_accountabilityevent outcome
            WHERE outcome.responds_to_id = NEW.id AND outcome.occurred_on < NEW.occurred_on
        ) THEN
            RAISE EXCEPTION USING ERRCODE = 'check_violation',
                CONSTRAINT = 'event_outcome_not_before_offer',
                MESSAGE = 'a resignation offer cannot be moved after its outcome';
        END IF;
        RETURN NEW;
        """,
    )
)
class AccountabilityEvent(EditorialRecord):
    """One accountability action: an offer to resign and its outcome, a resignation, a dismissal, an apology...

    An outcome (refused, accepted, withdrawn) points at the offer it answers through ``responds_to``; the
    database keeps an outcome from preceding its offer and allows one live outcome per offer.
    """

    kind = models.CharField(max_length=30, choices=EventKind.choices)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="accountability_events")
    post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.PROTECT, related_name="events")
    incident = models.ForeignKey(Incident, null=True, blank=True, on_delete=models.PROTECT, related_name="events")
    occurred_on = models.DateField()
    occurred_on_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    decided_by = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
        help_text="Who decided, e.g. the prime minister who refused the offer.",
    )
    responds_to = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="outcomes")
    summary = models.TextField(blank=True)
    origin = models.CharField(max_length=10, choices=RecordOrigin.choices, default=RecordOrigin.EDITOR)
    review_state = models.CharField(max_length=10, choices=ReviewState.choices, default=ReviewState.CONFIRMED)
    evidence_sentence = models.TextField(blank=True, help_text="The sentence the event was read from.")
    sources = models.ManyToManyField("claims.Source", related_name="accountability_events")

    class Meta(EditorialRecord.Meta):
        ordering = ["-occurred_on", "-id"]
        permissions = [("review_accountabilityevent", "Can confirm or reject a proposed accountability event")]
        constraints = [
            *EditorialRecord.Meta.constraints,
            models.CheckConstraint(
                condition=(
                    Q(kind__in=[kind.value for kind in OFFER_OUTCOME_KINDS], responds_to__isnull=False)
                    | (~Q(kind__in=[kind.value for kind in OFFER_OUTCOME_KINDS]) & Q(responds_to__isnull=True))
                ),
                name="event_outcome_answers_offer",
            ),
            models.UniqueConstraint(
                fields=["responds_to"],
                condition=~Q(review_state="rejected"),
                name="event_one_outcome_per_offer",
            ),
            models.CheckConstraint(
                condition=Q(is_published=False) | Q(review_state="confirmed"),
                name="event_published_only_when_confirmed",
            ),
            models.CheckConstraint(
                condition=~Q(decided_by=F("person")) | Q(kind="resignation_withdrawn") | Q(decided_by__isnull=True),
                name="event_decider_is_someone_else",
            ),
        ]
        indexes = [
            models.Index(fields=["person", "kind", "occurred_on"], name="event_person_kind_date"),
            models.Index(fields=["kind", "occurred_on"], name="event_kind_date"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.person} ({self.occurred_on})"


track_relation_history(Term.sources.through, "accountability", "TermSourceEvent")
track_relation_history(Incident.sources.through, "accountability", "IncidentSourceEvent")
track_relation_history(AccountabilityEvent.sources.through, "accountability", "AccountabilityEventSourceEvent")
