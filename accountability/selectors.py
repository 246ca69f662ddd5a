"""Reads about people, posts, terms and accountability events, with their relations already loaded."""

from __future__ import annotations

import datetime
from typing import TypeVar

from django.db.models import Count, Exists, F, Func, OuterRef, Prefetch, Q, QuerySet, Subquery, TextField, Value
from django.db.models.functions import Coalesce, Greatest

from accountability.models import (
    OFFER_OUTCOME_KINDS,
    AccountabilityEvent,
    EventKind,
    Incident,
    Organisation,
    Person,
    PersonName,
    ReviewState,
    Term,
)
from accountability.records import EditorialRecord, normalize_name
from accountability.text_search import StrictWordSimilar, unaccented, unaccented_value

Merged = TypeVar("Merged", bound=EditorialRecord)
OFFER_CONSEQUENCE_WINDOW = datetime.timedelta(days=60)


def person_find_by_name(*, name: str) -> QuerySet[Person]:
    """People known by this name or spelling variant, case- and accent-insensitively."""
    normalized = normalize_name(name)
    return Person.objects.filter(
        merged_into__isnull=True, id__in=PersonName.objects.filter(normalized=normalized).values("person_id")
    )


def person_terms(*, person: Person) -> QuerySet[Term]:
    return Term.objects.filter(person=person).select_related("post__organisation").order_by("-started_on")


def person_holds_post_on(*, person: Person, post_title: str, day: datetime.date) -> bool:
    """Did the person hold a post with this title on that day?"""
    return Term.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=day),
        person=person,
        post__title__iexact=post_title,
        started_on__lte=day,
    ).exists()


def resignation_offers(*, published_only: bool = False) -> QuerySet[AccountabilityEvent]:
    """Every resignation offer with its whole lifecycle, in one query.

    Each row carries ``outcome`` (refused / accepted / withdrawn, or None while open), ``outcome_on``,
    ``decided_by_name`` and ``decided_by_slug`` (who decided), ``left_post``: whether the person's term in
    the post ended within ``OFFER_CONSEQUENCE_WINDOW`` of the offer (a minister who stays on and leaves years later
    for other reasons did not leave over the offer), and ``term_ended_on`` / ``term_end_reason`` of that term.
    """
    live_outcomes = AccountabilityEvent.objects.filter(responds_to=OuterRef("pk")).exclude(
        review_state=ReviewState.REJECTED
    )
    if published_only:
        live_outcomes = live_outcomes.filter(is_published=True)
    term_in_post = Term.objects.filter(
        person=OuterRef("person"), post=OuterRef("post"), started_on__lte=OuterRef("occurred_on")
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=OuterRef("occurred_on")))
    left_post = term_in_post.filter(ended_on__lte=OuterRef("occurred_on") + OFFER_CONSEQUENCE_WINDOW)
    offers = AccountabilityEvent.objects.filter(kind=EventKind.RESIGNATION_OFFERED).exclude(
        review_state=ReviewState.REJECTED
    )
    if published_only:
        offers = offers.filter(is_published=True)
    return (
        offers.select_related("person", "post__organisation", "incident")
        .annotate(
            outcome=Subquery(live_outcomes.values("kind")[:1]),
            outcome_on=Subquery(live_outcomes.values("occurred_on")[:1]),
            decided_by_name=Subquery(live_outcomes.values("decided_by__name")[:1]),
            decided_by_slug=Subquery(live_outcomes.values("decided_by__slug")[:1]),
            left_post=Exists(left_post),
            term_ended_on=Subquery(term_in_post.order_by("started_on").values("ended_on")[:1]),
            term_end_reason=Subquery(term_in_post.order_by("started_on").values("end_reason")[:1]),
        )
        .order_by("-occurred_on", "person__name")
    )


def organisation_subtree_ids(*, organisation: Organisation) -> set[int]:
    """The organisation and everything under it (ministries under a government, and so on)."""
    found = {organisation.pk}
    frontier = {organisation.pk}
    while frontier:
        frontier = set(Organisation.objects.filter(parent_id__in=frontier).values_list("id", flat=True)) - found
        found |= frontier
    return found


# --- Public website reads: published records only, relations loaded, bounded query counts. ---


def merged_winner(*, record: Merged) -> Merged:
    """Follow ``merged_into`` to the record that survived the merge (guarding against cycles); any model with a
    ``merged_into`` field (people, organisations, claims)."""
    seen = {record.pk}
    while record.merged_into_id is not None and record.merged_into_id not in seen:
        seen.add(record.merged_into_id)
        record = type(record).objects.get(pk=record.merged_into_id)
    return record


def person_public_get(*, slug: str) -> Person | None:
    """The person with this slug (published or merged into someone), or None."""
    return Person.objects.filter(slug=slug).prefetch_related("names", "identifiers").first()


def person_public_terms(*, person: Person) -> QuerySet[Term]:
    return (
        Term.objects.filter(person=person, is_published=True)
        .select_related("post__organisation")
        .prefetch_related(Prefetch("sources", queryset=_published_sources()))
        .order_by("-started_on")
    )


def person_public_timeline(*, person: Person) -> QuerySet[AccountabilityEvent]:
    """Published events of the person, oldest first, with outcomes of offers and their deciders loaded."""
    outcomes = (
        AccountabilityEvent.objects.filter(is_published=True)
        .exclude(review_state=ReviewState.REJECTED)
        .select_related("decided_by")
        .prefetch_related(Prefetch("sources", queryset=_published_sources()))
    )
    return (
        AccountabilityEvent.objects.filter(person=person, is_published=True)
        .exclude(review_state=ReviewState.REJECTED)
        .exclude(kind__in=[kind.value for kind in OFFER_OUTCOME_KINDS])
        .select_related("post__organisation", "incident", "decided_by")
        .order_by("occurred_on", "id")
        .prefetch_related(
            Prefetch("sources", queryset=_published_sources()),
            Prefetch("outcomes", queryset=outcomes, to_attr="public_outcomes"),
        )
    )


def person_public_decisions(*, person: Person) -> QuerySet[AccountabilityEvent]:
    """Published decisions this person took on someone else's resignation offer."""
    return (
        AccountabilityEvent.objects.filter(decided_by=person, is_published=True)
        .exclude(review_state=ReviewState.REJECTED)
        .select_related("person", "post", "responds_to")
        .order_by("-occurred_on", "id")
    )


def organisation_public_get(*, slug: str) -> Organisation | None:
    return Organisation.objects.filter(slug=slug).select_related("parent").first()


def organisation_public_children(*, organisation: Organisation) -> QuerySet[Organisation]:
    return Organisation.objects.filter(parent=organisation, is_published=True, merged_into__isnull=True).order_by(
        "name"
    )


def organisation_public_terms(*, organisation: Organisation) -> QuerySet[Term]:
    """Who held which post in this organisation, current holders first."""
    return (
        Term.objects.filter(post__organisation=organisation, is_published=True, person__is_published=True)
        .select_related("person", "post")
        .order_by(F("ended_on").desc(nulls_first=True), "post__title", "-started_on")
    )


def incident_public_get(*, slug: str) -> Incident | None:
    return (
        Incident.objects.filter(slug=slug, is_published=True)
        .prefetch_related(Prefetch("sources", queryset=_published_sources()))
        .first()
    )


def incident_public_events(*, incident: Incident) -> QuerySet[AccountabilityEvent]:
    """Published accountability events about the incident, oldest first."""
    return (
        AccountabilityEvent.objects.filter(incident=incident, is_published=True, person__is_published=True)
        .exclude(review_state=ReviewState.REJECTED)
        .select_related("person", "post__organisation", "decided_by", "responds_to")
        .prefetch_related(Prefetch("sources", queryset=_published_sources()))
        .order_by("occurred_on", "id")
    )


def incidents_public() -> QuerySet[Incident]:
    return Incident.objects.filter(is_published=True).defer("search_document").order_by("-occurred_on", "name")


def incident_countries() -> list[str]:
    """The countries of published incidents (ISO codes), in order."""
    codes = Incident.objects.filter(is_published=True).exclude(country_code="").values_list("country_code", flat=True)
    return list(codes.order_by("country_code").distinct())


def incidents_public_busiest(*, limit: int = 50) -> list[Incident]:
    """The published incidents with the most claims recorded about them, busiest first (the search form's
    suggestions). Every claim counts, which lets the incident index alone answer."""
    from claims.models import Claim

    counts = (
        Claim.objects.filter(incident__isnull=False).order_by().values("incident").annotate(claims=Count("incident"))
    )
    busiest = dict(counts.order_by("-claims", "incident").values_list("incident", "claims")[: limit * 2])
    incidents = incidents_public().filter(pk__in=busiest).only("slug", "name")
    return sorted(incidents, key=lambda incident: (-busiest[incident.pk], incident.name))[:limit]


def incident_filter_find(*, text: str, choices: int = 5) -> tuple[Incident | None, list[Incident]]:
    """The published incident a search filter names: by its slug, or by words of its name (accent- and
    case-insensitive) that fit only it, or its whole name. Otherwise no incident, and up to ``choices`` incidents
    to choose from: those whose name has the words, or else the nearest matches (``incidents_search``)."""
    from django.contrib.postgres.search import SearchQuery, SearchVector

    text = text.strip()
    if not text:
        return None, []
    by_slug = incidents_public().filter(slug=text).first()
    if by_slug is not None:
        return by_slug, []
    words = SearchQuery(_unaccent_value(text), config="simple", search_type="websearch")
    named = list(
        incidents_public()
        .alias(document=SearchVector(_unaccent("name"), config="simple"))
        .filter(document=words)[: choices + 1]
    )
    if len(named) == 1:
        return named[0], []
    typed = sorted(normalize_name(text).split())
    whole_name = [incident for incident in named if sorted(normalize_name(incident.name).split()) == typed]
    if len(whole_name) == 1:
        return whole_name[0], []
    return None, named[:choices] or incidents_search(query=text, limit=choices)


def open_resignation_offers() -> QuerySet[AccountabilityEvent]:
    """Published resignation offers nobody has answered yet (no published, live outcome)."""
    return resignation_offers(published_only=True).filter(outcome__isnull=True, person__is_published=True)


def accountability_events_recent(*, limit: int = 10) -> list[AccountabilityEvent]:
    return list(
        AccountabilityEvent.objects.filter(is_published=True, person__is_published=True)
        .exclude(review_state=ReviewState.REJECTED)
        .select_related("person", "post", "decided_by", "incident")
        .prefetch_related(Prefetch("sources", queryset=_published_sources()))
        .order_by("-occurred_on", "-id")[:limit]
    )


def people_search(*, query: str, country: str = "", incident: Incident | None = None, limit: int = 20) -> list[Person]:
    """Published people whose name or any spelling variant matches, accent-, case- and typo-tolerantly.

    Names are compared in their normalized form (``PersonName.normalized``, see ``names_matching``), best match first.
    """
    normalized = normalize_name(query)
    if not normalized:
        return []
    names = (
        names_matching(normalized)
        .filter(person__is_published=True, person__merged_into__isnull=True)
        .order_by("-similarity")
    )
    if country:
        names = names.filter(person__terms__post__organisation__country_code=country.upper())
    if incident is not None:
        names = names.filter(
            Q(person__accountability_events__incident=incident) | Q(person__claims_about__incident=incident)
        )
    best: dict[int, float] = {}
    for person_id, similarity in names.values_list("person_id", "similarity")[: limit * 5]:
        best.setdefault(person_id, similarity)
    people = Person.objects.filter(pk__in=best).prefetch_related("names")
    return sorted(people, key=lambda person: (-best[person.pk], person.name))[:limit]


def incidents_search(
    *,
    query: str,
    country: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    limit: int = 20,
) -> list[Incident]:
    """Published incidents matching (``incidents_matching``), best first: full-text rank plus name or location
    similarity."""
    incidents = incidents_matching(incidents=incidents_public(), query=query).order_by(
        (F("rank") + F("similarity")).desc(), "-occurred_on"
    )
    if country:
        incidents = incidents.filter(country_code=country.upper())
    if since:
        incidents = incidents.filter(occurred_on__gte=since)
    if until:
        incidents = incidents.filter(occurred_on__lte=until)
    return list(incidents[:limit])


def _unaccent(field: str):  # type: ignore[no-untyped-def]
    return Func(Coalesce(F(field), Value("")), function="unaccent", output_field=TextField())


def _unaccent_value(text: str):  # type: ignore[no-untyped-def]
    return Func(Value(text, output_field=TextField()), function="unaccent", output_field=TextField())


def _published_sources():  # type: ignore[no-untyped-def]
    from claims.models import Source

    return (
        Source.objects.filter(is_published=True)
        .select_related("publisher")
        .defer("search_document")
        .order_by("-published_at", "id")
    )


# --- Public API reads (/api/v1/): published, not merged, every relation loaded in a fixed number of queries. ---

SOURCE_REF_FIELDS = ("id", "title", "url", "publisher_name", "published_at")


def source_refs() -> QuerySet:
    """Published sources with only the fields an API reference shows (never the text), newest first."""
    from claims.models import Source

    return Source.objects.filter(is_published=True).only(*SOURCE_REF_FIELDS).order_by("-published_at", "id")


def people_api_records() -> QuerySet[Person]:
    """Published, unmerged people with only the fields an API list orders and pages by; their documents
    (``accountability.api.documents``) carry everything else."""
    return Person.objects.filter(is_published=True, merged_into__isnull=True).only(
        "id", "name", "updated_at", "published_at"
    )


def names_matching(normalized: str) -> QuerySet[PersonName]:
    """Name variants matching a normalized query (``normalize_name``), each with its ``similarity``: every word of the
    query as a whole word (full text), or trigram strict word similarity of at least 0.4, the connection's
    ``pg_trgm.strict_word_similarity_threshold`` (a letter or two wrong in a name's words; unlike plain word
    similarity, "Goossens" is not taken for "Janssens"). Both are read through their own index
    (``person_name_document``, ``person_name_trigram``)."""
    from django.contrib.postgres.search import SearchQuery, SearchVector, TrigramStrictWordSimilarity

    return PersonName.objects.annotate(
        similarity=TrigramStrictWordSimilarity(normalized, "normalized"),
        document=SearchVector("normalized", config="simple"),
    ).filter(
        Q(normalized__trigram_strict_word_similar=normalized)
        | Q(document=SearchQuery(normalized, config="simple", search_type="plain"))
    )


def people_matching(*, people: QuerySet[Person], query: str) -> QuerySet[Person]:
    """People any of whose names matches, as ``people_search`` does (``names_matching``)."""
    normalized = normalize_name(query)
    if not normalized:
        return people.none()
    return people.filter(pk__in=names_matching(normalized).values("person_id"))


def organisations_api() -> QuerySet[Organisation]:
    return Organisation.objects.filter(is_published=True, merged_into__isnull=True).select_related("parent")


def organisations_matching(*, organisations: QuerySet[Organisation], query: str) -> QuerySet[Organisation]:
    """Organisations whose name or an alias matches, accent-insensitively, or whose name is similar."""
    from django.contrib.postgres.search import TrigramWordSimilarity

    text = query.strip()
    if not text:
        return organisations.none()
    return organisations.annotate(
        name_similarity=TrigramWordSimilarity(_unaccent_value(text), _unaccent("name")),
        alias_text=Func(F("aliases"), Value(" "), function="array_to_string", output_field=TextField()),
    ).filter(Q(name__unaccent__icontains=text) | Q(alias_text__unaccent__icontains=text) | Q(name_similarity__gte=0.5))


def posts_api() -> QuerySet:
    from accountability.models import Post

    return Post.objects.filter(is_published=True).select_related("organisation")


def terms_api() -> QuerySet[Term]:
    """Published terms of published people, with the post, its organisation and the published sources."""
    return (
        Term.objects.filter(is_published=True, person__is_published=True)
        .select_related("person", "post__organisation")
        .prefetch_related(Prefetch("sources", queryset=source_refs()))
    )


def incidents_api() -> QuerySet[Incident]:
    return incidents_public().prefetch_related(Prefetch("sources", queryset=source_refs()))


def incidents_matching(*, incidents: QuerySet[Incident], query: str) -> QuerySet[Incident]:
    """Incidents whose name, location or description has the query's words (full text, accent-insensitive), or whose
    name or location has a run of whole words trigram-similar to it (strict word similarity of at least 0.4, a letter
    or two wrong); each with its full-text ``rank`` and name or location ``similarity``. Every condition is read
    through its own index (``incident_search_document``, ``incident_name_trigram``, ``incident_location_trigram``)."""
    from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramStrictWordSimilarity

    if not query.strip():
        return incidents.none()
    words = SearchQuery(unaccented_value(query), config="simple", search_type="websearch")
    return incidents.annotate(
        rank=SearchRank(F("search_document"), words),
        similarity=Greatest(
            TrigramStrictWordSimilarity(unaccented_value(query), unaccented("name")),
            TrigramStrictWordSimilarity(unaccented_value(query), unaccented("location")),
        ),
    ).filter(Q(search_document=words) | StrictWordSimilar(query, "name") | StrictWordSimilar(query, "location"))


def _public_outcomes() -> QuerySet[AccountabilityEvent]:
    return (
        AccountabilityEvent.objects.filter(is_published=True, kind__in=[kind.value for kind in OFFER_OUTCOME_KINDS])
        .exclude(review_state=ReviewState.REJECTED)
        .select_related("decided_by")
        .order_by("occurred_on", "id")
    )


def accountability_events_api_records() -> QuerySet[AccountabilityEvent]:
    """The events ``accountability_events_api`` reads, with only the fields an API list orders and pages by; their
    documents (``accountability.api.documents``) carry everything else."""
    return AccountabilityEvent.objects.filter(
        is_published=True, review_state=ReviewState.CONFIRMED, person__is_published=True
    ).only("id", "occurred_on", "updated_at", "published_at")


def accountability_events_with_outcome(
    *, events: QuerySet[AccountabilityEvent], outcome: str
) -> QuerySet[AccountabilityEvent]:
    """Resignation offers answered by a published outcome of this kind, or (``open``) not answered yet."""
    answered = _public_outcomes().filter(responds_to=OuterRef("pk"))
    offers = events.filter(kind=EventKind.RESIGNATION_OFFERED)
    if outcome == "open":
        return offers.exclude(Exists(answered))
    return offers.filter(Exists(answered.filter(kind=outcome)))


def resignation_offers_api() -> QuerySet[AccountabilityEvent]:
    """``resignation_offers(published_only=True)`` of published people, with the offers' published sources."""
    return (
        resignation_offers(published_only=True)
        .filter(person__is_published=True)
        .prefetch_related(Prefetch("sources", queryset=source_refs()))
    )
