"""Reads about claims, sources, quotes and links, with their relations already loaded."""

from __future__ import annotations

import datetime
import operator
from functools import reduce

from django.contrib.postgres.search import (
    CombinedSearchVector,
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorCombinable,
    TrigramWordSimilarity,
)
from django.db import connection
from django.db.models import (
    Count,
    F,
    Func,
    JSONField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
)
from django.db.models.functions import Coalesce, JSONObject

from accountability.models import AccountabilityEvent, Incident, Organisation, Person, Term
from accountability.selectors import SOURCE_REF_FIELDS, organisation_subtree_ids, source_refs
from accountability.text_search import text_document, unaccented_value
from claims.models import (
    Claim,
    ClaimLink,
    ClaimStatusChange,
    ClaimWord,
    LinkReviewState,
    Quote,
    Source,
    Stance,
    TitleWord,
)


def claim_list(*, published_only: bool = False) -> QuerySet[Claim]:
    claims = Claim.objects.filter(merged_into__isnull=True)
    if published_only:
        claims = claims.filter(is_published=True)
    return claims.select_related("claimant_person", "claimant_organisation", "incident").prefetch_related(
        "subject_people", "subject_organisations"
    )


def claims_concerning_organisation(*, organisation: Organisation, published_only: bool = False) -> QuerySet[Claim]:
    """Claims about the organisation or anything under it, or about someone who holds or held a post there."""
    subtree = organisation_subtree_ids(organisation=organisation)
    office_holders = Term.objects.filter(post__organisation_id__in=subtree).values("person_id")
    return (
        claim_list(published_only=published_only)
        .filter(Q(subject_organisations__in=subtree) | Q(subject_people__in=office_holders))
        .distinct()
        .order_by("-first_made_on", "id")
    )


# --- Public website reads: published records only, relations loaded, bounded query counts. ---

PUBLIC_LINK_STATES = (LinkReviewState.CONFIRMED, LinkReviewState.AUTO_CONFIRMED)


def _published_sources() -> QuerySet[Source]:
    return (
        Source.objects.filter(is_published=True)
        .select_related("publisher")
        .defer("search_document")
        .order_by("-published_at", "id")
    )


def claim_public_get(*, slug: str) -> Claim | None:
    """The claim with this slug, published or merged (the view redirects merged claims), relations loaded."""
    return (
        Claim.objects.filter(slug=slug)
        .select_related("claimant_person", "claimant_organisation", "incident")
        .prefetch_related(
            Prefetch("subject_people", queryset=Person.objects.filter(is_published=True, merged_into__isnull=True)),
            Prefetch(
                "subject_organisations",
                queryset=Organisation.objects.filter(is_published=True, merged_into__isnull=True),
            ),
        )
        .first()
    )


def claim_public_status_history(*, claim: Claim) -> QuerySet[ClaimStatusChange]:
    """Every status change, oldest first, with only published evidence attached."""
    return (
        claim.status_changes.select_related("changed_by")
        .prefetch_related(Prefetch("evidence", queryset=_published_sources()))
        .order_by("changed_at", "id")
    )


def claim_public_links(*, claim: Claim) -> QuerySet[ClaimLink]:
    """Links the public may see: confirmed by an editor or by the matcher, to published sources."""
    return (
        ClaimLink.objects.filter(claim=claim, review_state__in=PUBLIC_LINK_STATES, source__is_published=True)
        .select_related("source__publisher", "quote__speaker", "quote__speaker_organisation")
        .defer("explanation", "source__text", "source__search_document")
        .order_by("stance", "-confidence", "id")
    )


def claim_public_related(*, claim: Claim, limit: int = 10) -> QuerySet[Claim]:
    """Other published claims about the same incident."""
    if claim.incident_id is None:
        return Claim.objects.none()
    return (
        claim_list(published_only=True)
        .filter(incident_id=claim.incident_id)
        .exclude(pk=claim.pk)
        .order_by("-first_made_on", "id")[:limit]
    )


def claims_public_list() -> QuerySet[Claim]:
    """Published claims with what a list of them shows: claimant and incident (no subjects)."""
    return Claim.objects.filter(is_published=True, merged_into__isnull=True).select_related(
        "claimant_person", "claimant_organisation", "incident"
    )


def claims_public_recent(*, limit: int = 20) -> QuerySet[Claim]:
    """The latest published claims with their claimant and incident (no subject prefetch: lists don't show them)."""
    return claims_public_list().order_by("-published_at", "-first_made_on", "-id")[:limit]


def claims_public_about_person(*, person: Person) -> QuerySet[Claim]:
    """Published claims about the person or made by them, newest first, with claimant and incident."""
    people = Person.objects.filter(pk=person.pk).values("pk")
    return claims_public_list().filter(pk__in=claims_about_or_by(people=people)).order_by("-first_made_on", "-id")


def claims_public_for_incident(*, incident: Incident) -> QuerySet[Claim]:
    return claim_list(published_only=True).filter(incident=incident).order_by("-first_made_on", "id")


def claims_public_made_by_organisation(*, organisation: Organisation) -> QuerySet[Claim]:
    return claim_list(published_only=True).filter(claimant_organisation=organisation).order_by("-first_made_on", "id")


def status_changes_recent(*, limit: int = 10) -> list[ClaimStatusChange]:
    """The latest status changes of published claims (the first 'recorded' entry excluded)."""
    return list(
        ClaimStatusChange.objects.filter(claim__is_published=True, claim__merged_into__isnull=True)
        .exclude(from_status="")
        .select_related("claim")
        .order_by("-changed_at", "-id")[:limit]
    )


def source_public_get(*, pk: int) -> Source | None:
    return Source.objects.filter(pk=pk, is_published=True).select_related("publisher").first()


def source_public_links(*, source: Source) -> QuerySet[ClaimLink]:
    return (
        ClaimLink.objects.filter(
            source=source,
            review_state__in=PUBLIC_LINK_STATES,
            claim__is_published=True,
            claim__merged_into__isnull=True,
        )
        .select_related("claim", "quote")
        .order_by("stance", "-confidence", "id")
    )


def source_public_quotes(*, source: Source) -> QuerySet[Quote]:
    return (
        Quote.objects.filter(source=source, is_published=True)
        .select_related("speaker", "speaker_organisation", "said_to_organisation")
        .order_by("said_on", "id")
    )


def source_public_events(*, source: Source) -> QuerySet[AccountabilityEvent]:
    return (
        source.accountability_events.filter(is_published=True, person__is_published=True)
        .select_related("person", "decided_by")
        .order_by("occurred_on", "id")
    )


def quotes_public_by_organisation(*, organisation: Organisation) -> QuerySet[Quote]:
    return (
        Quote.objects.filter(speaker_organisation=organisation, is_published=True, source__is_published=True)
        .select_related("source")
        .order_by("-said_on", "id")
    )


# A search ranks at most this many matches, the newest: a common word matching tens of thousands of sources costs no
# more than a rare one, and recency breaks the tie among that many.
RANKED_MATCHES = 500
# Below this many records with the query's words, a search tolerates typos: claims and sources with the words as
# some claim's text or source's title spells them count as matches too (``word_spellings``).
TYPO_TOLERANCE_BELOW = 20
# A misspelt word is read as the vocabulary's words at least this trigram-similar to it, the closest few.
SPELLING_SIMILARITY = 0.5
SPELLINGS_PER_WORD = 5
SPELLINGS_SQL = """
    SELECT query_word.lexeme, ARRAY(
        SELECT known.word FROM {vocabulary} known
        WHERE known.word %% query_word.lexeme AND similarity(known.word, query_word.lexeme) >= %s
        ORDER BY similarity(known.word, query_word.lexeme) DESC, known.word
        LIMIT %s
    )
    FROM unnest(to_tsvector('simple', unaccent(%s))) AS query_word
"""


def claims_search(
    *,
    query: str,
    country: str = "",
    incident: Incident | None = None,
    status: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    limit: int = 30,
) -> list[Claim]:
    """Published claims matching the query: full-text search (accent-insensitive) over the text and the claimant's
    name, or trigram word similarity, which tolerates a typo in a word. Best first, among the newest
    ``RANKED_MATCHES`` matches; without a query, newest first."""
    claims = claims_public_list()
    if country:
        code = country.upper()
        claims = claims.filter(
            Q(incident__country_code=code)
            | Q(claimant_organisation__country_code=code)
            | Q(
                pk__in=Claim.subject_organisations.through.objects.filter(organisation__country_code=code).values(
                    "claim_id"
                )
            )
        )
    if incident is not None:
        claims = claims.filter(incident=incident)
    if status:
        claims = claims.filter(status=status)
    if since:
        claims = claims.filter(first_made_on__gte=since)
    if until:
        claims = claims.filter(first_made_on__lte=until)
    newest = ("-first_made_on", "-id")
    if not query.strip():
        return list(claims.order_by(*newest)[:limit])
    candidates = claims_matching(claims=claims, query=query).order_by(*newest).values("pk")[:RANKED_MATCHES]
    claimant = SearchVector(
        _unaccent(Coalesce(F("claimant_organisation__name"), F("claimant_person__name"), Value(""))),
        config="simple",
        weight="B",
    )
    document = CombinedSearchVector(F("search_document"), SearchVectorCombinable.ADD, claimant, config="simple")
    search_query = SearchQuery(unaccented_value(query), config="simple", search_type="websearch")
    return list(
        claims_public_list()
        .filter(pk__in=candidates)
        .annotate(
            rank=SearchRank(document, search_query),
            similarity=TrigramWordSimilarity(unaccented_value(query), _unaccent(F("text"))),
        )
        .order_by((F("rank") + F("similarity")).desc(), *newest)[:limit]
    )


def sources_search(
    *, query: str, since: datetime.date | None = None, until: datetime.date | None = None, limit: int = 20
) -> list[Source]:
    """Published sources by title, publisher or text (full text, accent-insensitive) or title similarity. Best first
    (a word in the title or publisher outranks one in the text), among the newest ``RANKED_MATCHES`` matches."""
    if not query.strip():
        return []
    sources = Source.objects.filter(is_published=True)
    if since:
        sources = sources.filter(published_at__date__gte=since)
    if until:
        sources = sources.filter(published_at__date__lte=until)
    newest = (F("published_at").desc(nulls_last=True), "-id")
    candidates = sources_matching(sources=sources, query=query).order_by(*newest).values("pk")[:RANKED_MATCHES]
    search_query = SearchQuery(unaccented_value(query), config="simple", search_type="websearch")
    return list(
        Source.objects.filter(pk__in=candidates)
        .select_related("publisher")
        .defer("text", "search_document")
        .annotate(
            rank=SearchRank(F("search_document"), search_query),
            similarity=TrigramWordSimilarity(unaccented_value(query), _unaccent(F("title"))),
        )
        .order_by((F("rank") + F("similarity")).desc(), *newest)[:limit]
    )


def _unaccent(expression):  # type: ignore[no-untyped-def]
    return Func(expression, function="unaccent", output_field=TextField())


def quotes_public_by_person(*, person: Person) -> QuerySet[Quote]:
    return (
        Quote.objects.filter(speaker=person, is_published=True, source__is_published=True)
        .select_related("source", "said_to_organisation")
        .order_by("said_on", "id")
    )


# --- Public API reads (/api/v1/): published, not merged, every relation loaded in a fixed number of queries. ---

# A claim's API detail embeds the strongest links of each stance, at most this many; all are in its links/ list.
API_DETAIL_LINKS_PER_STANCE = 10


def _public_link_counts() -> Coalesce:
    """A claim's public links counted by stance, with the total, as one JSON object (zeros when it has none)."""
    public = ClaimLink.objects.filter(
        claim=OuterRef("pk"), review_state__in=PUBLIC_LINK_STATES, source__is_published=True
    )
    # Counting a column of the public links' index (not the id) lets the index answer without reading the table.
    counted = {stance.value: Count("stance", filter=Q(stance=stance)) for stance in Stance}
    counts = public.order_by().values("claim").annotate(counts=JSONObject(**counted, total=Count("stance")))
    zeros = JSONObject(**{name: Value(0) for name in [*counted, "total"]})
    return Coalesce(Subquery(counts.values("counts")), zeros, output_field=JSONField())


def claims_api() -> QuerySet[Claim]:
    """Published claims with published subjects, their whole status history (with published evidence) and
    ``link_counts``: how many links the public may see (confirmed by an editor or the matcher, to published
    sources), by stance. The links themselves are read page by page (``claim_links_api``)."""
    history = (
        ClaimStatusChange.objects.select_related("changed_by")
        .only(
            "id", "claim_id", "from_status", "to_status", "changed_at", "reason",
            "changed_by__first_name", "changed_by__last_name",
        )
        .prefetch_related(Prefetch("evidence", queryset=source_refs()))
        .order_by("changed_at", "id")
    )  # fmt: skip
    return (
        Claim.objects.filter(is_published=True, merged_into__isnull=True)
        .select_related("claimant_person", "claimant_organisation", "incident")
        .only(
            "id", "slug", "text", "headline", "language", "status", "first_made_on", "first_made_on_precision",
            "published_at", "updated_at", "claimant_person__slug", "claimant_person__name",
            "claimant_organisation__slug", "claimant_organisation__name", "claimant_organisation__country_code",
            "incident__slug", "incident__name", "incident__occurred_on",
        )
        .annotate(link_counts=_public_link_counts())
        .prefetch_related(
            Prefetch(
                "subject_people",
                queryset=Person.objects.filter(is_published=True, merged_into__isnull=True)
                .only("slug", "name")
                .order_by("name", "id"),
            ),
            Prefetch(
                "subject_organisations",
                queryset=Organisation.objects.filter(is_published=True, merged_into__isnull=True)
                .only("slug", "name", "country_code")
                .order_by("name", "id"),
            ),
            Prefetch("status_changes", queryset=history, to_attr="public_status_history"),
        )
    )  # fmt: skip


def links_api() -> QuerySet[ClaimLink]:
    """Links the public may see, with their source (reference fields only), reviewer and published quote."""
    quotes = Quote.objects.filter(is_published=True).select_related("speaker", "speaker_organisation")
    return (
        ClaimLink.objects.filter(review_state__in=PUBLIC_LINK_STATES, source__is_published=True)
        .select_related("source", "reviewed_by")
        .only(
            "id", "claim_id", "quote_id", "stance", "confidence", "origin", "review_state", "reviewed_at",
            *(f"source__{field}" for field in SOURCE_REF_FIELDS), "reviewed_by__first_name", "reviewed_by__last_name",
        )
        .prefetch_related(Prefetch("quote", queryset=quotes))
    )  # fmt: skip


def claims_api_records() -> QuerySet[Claim]:
    """Published, unmerged claims with only the fields an API list orders and pages by; their documents
    (``claims.api.documents``) carry everything else."""
    return Claim.objects.filter(is_published=True, merged_into__isnull=True).only("id", "updated_at", "published_at")


def claim_links_api(*, claim_id: int) -> QuerySet[ClaimLink]:
    """Every public link of one claim (the claims/<id>/links/ list)."""
    return links_api().filter(claim_id=claim_id)


def claim_api_find(*, key: Q) -> Claim | None:
    """The published, unmerged claim matched by ``key`` (a ``Q`` on Claim: id or slug), id only."""
    return Claim.objects.filter(key, is_published=True, merged_into__isnull=True).only("id").first()


def claims_about_or_by(
    *, people: QuerySet[Person] | None = None, organisations: QuerySet[Organisation] | None = None
) -> QuerySet[Claim]:
    """Ids of the claims about, or made by, any of these people or organisations (querysets of their ids): one
    lookup in each relation's index, not a join of every claim with every subject."""
    through = {"people": Claim.subject_people.through, "organisations": Claim.subject_organisations.through}
    unordered = Claim.objects.order_by()
    parts = []
    if people is not None:
        parts += [
            through["people"].objects.filter(person__in=people).values("claim_id"),
            unordered.filter(claimant_person__in=people).values("pk"),
        ]
    if organisations is not None:
        parts += [
            through["organisations"].objects.filter(organisation__in=organisations).values("claim_id"),
            unordered.filter(claimant_organisation__in=organisations).values("pk"),
        ]
    return parts[0].union(*parts[1:])


def claims_matching(*, claims: QuerySet[Claim], query: str) -> QuerySet[Claim]:
    """Claims whose text or claimant's name has the query's words (full text, accent-insensitive; all of them in the
    text, or all in the claimant's name); when fewer than ``TYPO_TOLERANCE_BELOW`` claims of the record have them
    (a misspelt word, a rare name), also those with the words spelt as some claim's text spells them
    (``word_spellings``), in the text or the claimant's name. Each part is served by an index; see
    ``sources_matching`` for why spellings are only a fallback."""
    if not query.strip():
        return claims.none()
    search_query = SearchQuery(unaccented_value(query), config="simple", search_type="websearch")
    matching, lookups = _claims_with_words(search_query)
    # Counted up to the bound over the lookups one after another (not their set): cheap however common the words.
    if lookups[:TYPO_TOLERANCE_BELOW].count() >= TYPO_TOLERANCE_BELOW:
        return claims.filter(pk__in=matching)
    spellings = word_spellings(query, vocabulary=ClaimWord)
    if spellings is None:
        return claims.filter(pk__in=matching)
    return claims.filter(pk__in=_claims_with_words(search_query | spellings)[0])


def _claims_with_words(search_query: SearchQuery) -> tuple[QuerySet, QuerySet]:
    """The ids of the claims whose text, or claimant's name, has the words: as a set, and as the index lookups one
    after another (with repeats)."""
    people = Person.objects.alias(document=text_document("name")).filter(document=search_query)
    organisations = Organisation.objects.alias(document=text_document("name")).filter(document=search_query)
    unordered = Claim.objects.order_by()
    with_words = [
        unordered.filter(search_document=search_query).values("pk"),
        unordered.filter(claimant_person__in=people.values("pk")).values("pk"),
        unordered.filter(claimant_organisation__in=organisations.values("pk")).values("pk"),
    ]
    # One set of ids from the index lookups, rather than each condition checked on every claim.
    return with_words[0].union(*with_words[1:]), with_words[0].union(*with_words[1:], all=True)


def sources_api() -> QuerySet[Source]:
    return _published_sources()


def sources_matching(*, sources: QuerySet[Source], query: str) -> QuerySet[Source]:
    """Sources whose title, publisher or text has the query's words (full text, accent-insensitive); when fewer than
    ``TYPO_TOLERANCE_BELOW`` have them (a misspelt word, a rare name), also those with the words spelt as some
    source's title spells them (``title_spellings``). Both are read through indexes.

    A word found in many sources is not diluted by titles that merely look like it ("Goossens" for
    "Goossens-Janssens"), nor slowed down by them: on a million sources, a common surname's similar titles were tens
    of thousands of rows read only to be ranked below the newest 500. A misspelt common name is looked up in the
    few thousand words of the titles, not in the titles themselves."""
    if not query.strip():
        return sources.none()
    search_query = SearchQuery(unaccented_value(query), config="simple", search_type="websearch")
    by_words = sources.filter(search_document=search_query)
    if by_words.order_by()[:TYPO_TOLERANCE_BELOW].count() >= TYPO_TOLERANCE_BELOW:
        return by_words
    spellings = word_spellings(query, vocabulary=TitleWord)
    if spellings is None:
        return by_words
    return sources.filter(search_document=search_query | spellings)


def word_spellings(query: str, *, vocabulary: type[TitleWord | ClaimWord]) -> SearchQuery | None:
    """The query's words, each widened to the vocabulary's words spelt like it (``TitleWord``: sources' titles,
    ``ClaimWord``: claims' texts): its ``SPELLINGS_PER_WORD`` closest words with a trigram similarity of at least
    ``SPELLING_SIMILARITY`` ("jansens" -> "janssens", "jambom" -> "jambon"). All the words must be there, each in one
    of its spellings; None when a word has none."""
    sql = SPELLINGS_SQL.format(vocabulary=connection.ops.quote_name(vocabulary._meta.db_table))
    with connection.cursor() as cursor:
        cursor.execute(sql, [SPELLING_SIMILARITY, SPELLINGS_PER_WORD, query])
        words = cursor.fetchall()
    if not words or not all(spellings for _, spellings in words):
        return None
    per_word = [
        reduce(
            operator.or_, (SearchQuery(_quoted(spelling), config="simple", search_type="raw") for spelling in spellings)
        )
        for _, spellings in words
    ]
    return reduce(operator.and_, per_word)


def _quoted(lexeme: str) -> str:
    """A lexeme as one quoted term of tsquery syntax."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def sources_for_incident(*, sources: QuerySet[Source], incident_key: Q) -> QuerySet[Source]:
    """Sources the incident names, or linked (publicly) to a published claim about it, or naming a published
    accountability event about it. ``incident_key`` is a ``Q`` on Incident (id or slug)."""
    incidents = Incident.objects.filter(incident_key, is_published=True).values("pk")
    cited = Incident.sources.through.objects.filter(incident__in=incidents).values("source_id")
    linked = ClaimLink.objects.filter(
        review_state__in=PUBLIC_LINK_STATES,
        claim__incident__in=incidents,
        claim__is_published=True,
        claim__merged_into__isnull=True,
    ).values("source_id")
    events = AccountabilityEvent.sources.through.objects.filter(
        accountabilityevent__incident__in=incidents, accountabilityevent__is_published=True
    ).values("source_id")
    return sources.filter(Q(pk__in=cited) | Q(pk__in=linked) | Q(pk__in=events))


def sources_for_claim(*, sources: QuerySet[Source], claim_key: Q) -> QuerySet[Source]:
    """Sources publicly linked to the published claim matched by ``claim_key`` (a ``Q`` on Claim)."""
    claims = Claim.objects.filter(claim_key, is_published=True, merged_into__isnull=True).values("pk")
    linked = ClaimLink.objects.filter(review_state__in=PUBLIC_LINK_STATES, claim__in=claims).values("source_id")
    return sources.filter(pk__in=linked)


def source_submission_get(*, pk: int) -> Source | None:
    """Any source, published or not, for a submitter polling the processing of what it sent."""
    return Source.objects.filter(pk=pk).first()
