"""Reads about claims, sources, quotes and links, with their relations already loaded."""

from __future__ import annotations

import datetime

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector, TrigramWordSimilarity
from django.db.models import F, Func, Prefetch, Q, QuerySet, TextField, Value
from django.db.models.functions import Coalesce

from accountability.models import AccountabilityEvent, Incident, Organisation, Person, Term
from accountability.selectors import organisation_subtree_ids
from accountability.text_search import source_document, text_document, unaccented_value, word_similar
from claims.models import Claim, ClaimLink, ClaimStatusChange, LinkReviewState, Quote, Source


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
    return Source.objects.filter(is_published=True).select_related("publisher").order_by("-published_at", "id")


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


def claims_public_recent(*, limit: int = 20) -> QuerySet[Claim]:
    """The latest published claims with their claimant and incident (no subject prefetch: lists don't show them)."""
    return (
        Claim.objects.filter(is_published=True, merged_into__isnull=True)
        .select_related("claimant_person", "claimant_organisation", "incident")
        .order_by("-published_at", "-first_made_on", "-id")[:limit]
    )


def claims_public_about_person(*, person: Person) -> QuerySet[Claim]:
    """Published claims about the person or made by them."""
    return (
        claim_list(published_only=True)
        .filter(Q(subject_people=person) | Q(claimant_person=person))
        .distinct()
        .order_by("-first_made_on", "id")
    )


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
    """Published claims matching the query: full-text search (accent-insensitive) or trigram word similarity,
    which tolerates a typo in a word. Best first."""
    claims = claim_list(published_only=True)
    if query.strip():
        document = SearchVector(_unaccent(F("text")), config="simple", weight="A") + SearchVector(
            _unaccent(Coalesce(F("claimant_organisation__name"), F("claimant_person__name"), Value(""))),
            config="simple",
            weight="B",
        )
        search_query = SearchQuery(_unaccent(Value(query)), config="simple", search_type="websearch")
        claims = (
            claims_matching(claims=claims, query=query)
            .annotate(
                rank=SearchRank(document, search_query),
                similarity=TrigramWordSimilarity(_unaccent(Value(query)), _unaccent(F("text"))),
            )
            .order_by((F("rank") + F("similarity")).desc(), "-first_made_on", "id")
        )
    else:
        claims = claims.order_by("-first_made_on", "id")
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
    return list(claims[:limit])


def sources_search(
    *, query: str, since: datetime.date | None = None, until: datetime.date | None = None, limit: int = 20
) -> list[Source]:
    """Published sources by title, publisher or text (full text, accent-insensitive) or title similarity."""
    if not query.strip():
        return []
    sources = _published_sources()
    if since:
        sources = sources.filter(published_at__date__gte=since)
    if until:
        sources = sources.filter(published_at__date__lte=until)
    document = SearchVector(_unaccent(F("title")), _unaccent(F("publisher_name")), config="simple", weight="A")
    document += SearchVector(_unaccent(F("text")), config="simple", weight="D")
    search_query = SearchQuery(_unaccent(Value(query)), config="simple", search_type="websearch")
    return list(
        sources_matching(sources=sources, query=query)
        .annotate(
            rank=SearchRank(document, search_query),
            similarity=TrigramWordSimilarity(_unaccent(Value(query)), _unaccent(F("title"))),
        )
        .order_by((F("rank") + F("similarity")).desc(), "-published_at", "id")[:limit]
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


def claims_api() -> QuerySet[Claim]:
    """Published claims with published subjects, their whole status history (with published evidence) and the
    links the public may see (confirmed by an editor or the matcher, to published sources, published quotes)."""
    history = (
        ClaimStatusChange.objects.select_related("changed_by")
        .prefetch_related(Prefetch("evidence", queryset=_published_sources()))
        .order_by("changed_at", "id")
    )
    links = (
        ClaimLink.objects.filter(review_state__in=PUBLIC_LINK_STATES, source__is_published=True)
        .select_related("source", "reviewed_by")
        .prefetch_related(
            Prefetch(
                "quote",
                queryset=Quote.objects.filter(is_published=True).select_related("speaker", "speaker_organisation"),
            )
        )
        .order_by("stance", "-confidence", "id")
    )
    return (
        Claim.objects.filter(is_published=True, merged_into__isnull=True)
        .select_related("claimant_person", "claimant_organisation", "incident")
        .prefetch_related(
            Prefetch("subject_people", queryset=Person.objects.filter(is_published=True, merged_into__isnull=True)),
            Prefetch(
                "subject_organisations",
                queryset=Organisation.objects.filter(is_published=True, merged_into__isnull=True),
            ),
            Prefetch("status_changes", queryset=history, to_attr="public_status_history"),
            Prefetch("links", queryset=links, to_attr="public_links"),
        )
    )


def claims_matching(*, claims: QuerySet[Claim], query: str) -> QuerySet[Claim]:
    """Claims whose text or claimant's name matches the query in full text (accent-insensitive), or whose text has a
    run of words trigram-similar to it (at least 0.5). Each part is served by an index (``accountability.text_search``);
    the words of a query are all looked for in the text, or all in the claimant's name."""
    if not query.strip():
        return claims.none()
    search_query = SearchQuery(unaccented_value(query), config="simple", search_type="websearch")
    by_text = Claim.objects.alias(document=text_document("text")).filter(document=search_query)
    people = Person.objects.alias(document=text_document("name")).filter(document=search_query)
    organisations = Organisation.objects.alias(document=text_document("name")).filter(document=search_query)
    return claims.filter(
        Q(pk__in=by_text.values("pk"))
        | Q(pk__in=Claim.objects.filter(word_similar(query, "text")).values("pk"))
        | Q(claimant_person__in=people.values("pk"))
        | Q(claimant_organisation__in=organisations.values("pk"))
    )


def sources_api() -> QuerySet[Source]:
    return _published_sources()


def sources_matching(*, sources: QuerySet[Source], query: str) -> QuerySet[Source]:
    """Sources by title, publisher or text (full text, accent-insensitive) or title similarity; both served by
    indexes (``accountability.text_search``)."""
    if not query.strip():
        return sources.none()
    search_query = SearchQuery(unaccented_value(query), config="simple", search_type="websearch")
    return sources.alias(document=source_document()).filter(Q(document=search_query) | word_similar(query, "title"))


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
