"""A repeatable synthetic record with the shapes of real ones, loaded with COPY.

Scale 10 is the size users reach after decades (100,000 claims, 50,000 people, 1,000,000 sources, about
5,000,000 source-claim links, 200,000 accountability events); scale 1 is a tenth of it and fits a laptop;
fractions (0.05) make small test datasets. Shapes: a few incidents draw most of the sources and claims and a few
people most of the claims (long tails), every source is about one incident and links to several of its claims,
texts are in English, French, Dutch and German, people have spelling and transliteration variants, about nine
records in ten are published. The same seed in an empty database gives the same dataset.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils.text import slugify
from tqdm import tqdm

from accountability.datasets import vocabulary as words
from accountability.datasets.copying import bulk_load, copy_rows, next_id, reset_sequence
from accountability.models import (
    AccountabilityEvent,
    EventKind,
    Incident,
    Organisation,
    OrganisationKind,
    Person,
    PersonIdentifier,
    PersonName,
    PersonNameKind,
    Post,
    RecordOrigin,
    ReviewState,
    Term,
    TermEndReason,
)
from accountability.records import normalize_name
from claims.models import (
    Claim,
    ClaimLink,
    ClaimStatus,
    ClaimStatusChange,
    FetchState,
    LinkReviewState,
    Source,
    Stance,
)

SLUG_PREFIX = "ds"
FIRST_YEAR, LAST_YEAR = 1990, 2026
MATCHER_VERSION = "dataset-1"
UTC = datetime.UTC


@dataclass(frozen=True)
class DatasetSize:
    claims: int
    people: int
    sources: int
    links_per_source: float
    events: int
    incidents: int
    countries: int

    @classmethod
    def at_scale(cls, scale: float) -> DatasetSize:
        if scale <= 0:
            raise ValueError("The scale must be positive.")
        return cls(
            claims=max(20, round(10_000 * scale)),
            people=max(20, round(5_000 * scale)),
            sources=max(50, round(100_000 * scale)),
            links_per_source=5.0,
            events=max(20, round(20_000 * scale)),
            incidents=max(5, round(1_000 * scale)),
            countries=min(len(words.COUNTRIES), max(4, round(6 * scale))),
        )


@dataclass
class GeneratedCounts:
    rows: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, count: int) -> None:
        self.rows[name] = self.rows.get(name, 0) + count


@dataclass
class _Country:
    code: str
    name: str
    domain: str
    organisation_id: int = 0
    government_id: int = 0
    ministry_ids: list[int] = field(default_factory=list)
    other_ids: list[int] = field(default_factory=list)
    newspaper_ids: list[int] = field(default_factory=list)
    head_post_id: int = 0
    post_ids: list[int] = field(default_factory=list)


def dataset_exists() -> bool:
    return Claim.objects.filter(slug__startswith=f"{SLUG_PREFIX}-").exists()


class DatasetGenerator:
    """Builds the dataset table by table in one transaction (all or nothing)."""

    def __init__(self, *, scale: float, seed: int = 2016, progress: bool = True) -> None:
        self.size = DatasetSize.at_scale(scale)
        self.seed = seed
        self.random = random.Random(seed)
        self.numbers = np.random.default_rng(seed)
        self.show_progress = progress
        self.counts = GeneratedCounts()
        self.now = datetime.datetime(2026, 11, 1, tzinfo=UTC)

    # --- helpers ---

    def _bar(self, description: str, total: int) -> tqdm:
        return tqdm(total=total, desc=description, unit=" rows", disable=not self.show_progress, leave=True)

    def _copy(self, model: type, columns: list[str], rows: Iterator[tuple] | list[tuple], total: int) -> None:
        with self._bar(model._meta.verbose_name_plural, total) as bar:
            count = copy_rows(model, columns, rows, progress=bar)
        self.counts.add(model._meta.label, count)

    def _long_tail(self, population: int, draws: int, exponent: float) -> np.ndarray:
        """``draws`` indexes into ``range(population)``: a few are drawn very often, most rarely (Zipf-like)."""
        weights = 1.0 / np.arange(1, population + 1) ** exponent
        order = self.numbers.permutation(population)
        return order[self.numbers.choice(population, size=draws, p=weights / weights.sum())]

    def _day(self, start: datetime.date, end: datetime.date) -> datetime.date:
        span = max((end - start).days, 0)
        return start + datetime.timedelta(days=self.random.randint(0, span))

    def _moment(self, day: datetime.date) -> datetime.datetime:
        return datetime.datetime.combine(
            day, datetime.time(self.random.randint(6, 22), self.random.randint(0, 59)), UTC
        )

    def _is_published(self, share: float = 0.9) -> bool:
        return self.random.random() < share

    # --- the load ---

    def generate(self) -> GeneratedCounts:
        with bulk_load():
            self.editor_id = self._editor_id()
            self._organisations_and_posts()
            self._people()
            self._terms()
            self._incidents()
            self._claims()
            self._sources()
            self._links()
            self._events()
            for model in (
                Organisation, Post, Person, PersonName, PersonIdentifier, Term, Incident, Claim,
                ClaimStatusChange, Source, ClaimLink, AccountabilityEvent,
            ):  # fmt: skip
                reset_sequence(model)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        return self.counts

    def _editor_id(self) -> int:
        editor, _ = get_user_model().objects.get_or_create(
            username="dataset-editor", defaults={"is_staff": True, "first_name": "Dataset"}
        )
        return editor.pk

    def _organisations_and_posts(self) -> None:
        self.countries = [_Country(code, name, domain) for code, name, domain in words.COUNTRIES[: self.size.countries]]
        next_organisation = next_id(Organisation)
        organisations: list[tuple] = []

        def add(name: str, kind: str, country: _Country, parent: int | None, aliases: list[str]) -> int:
            nonlocal next_organisation
            pk = next_organisation
            next_organisation += 1
            slug = f"{SLUG_PREFIX}-{slugify(name)[:90]}-{pk}"
            organisations.append(
                (pk, name, slug, kind, country.code, parent, aliases, True, self.now, self.now, self.now)
            )
            return pk

        for country in self.countries:
            country.organisation_id = add(country.name, OrganisationKind.COUNTRY, country, None, [])
            country.government_id = add(
                f"Government of {country.name}", OrganisationKind.GOVERNMENT, country, country.organisation_id,
                [f"{country.name} government"],
            )  # fmt: skip
            for ministry, _alias in words.MINISTRIES:
                country.ministry_ids.append(
                    add(f"{country.name} Ministry of {ministry}", OrganisationKind.MINISTRY, country,
                        country.government_id, [])
                )  # fmt: skip
            for agency in words.AGENCIES:
                country.other_ids.append(
                    add(f"{agency} of {country.name}", OrganisationKind.AGENCY, country, country.government_id, [])
                )
            for party in words.PARTIES:
                country.other_ids.append(add(f"{party} ({country.name})", OrganisationKind.PARTY, country, None, []))
            for word in words.NEWSPAPER_WORDS:
                country.newspaper_ids.append(
                    add(f"The {country.name} {word}", OrganisationKind.NEWSPAPER, country, None, [])
                )
        self._copy(
            Organisation,
            ["id", "name", "slug", "kind", "country_code", "parent_id", "aliases", "is_published", "published_at",
             "created_at", "updated_at"],
            organisations, len(organisations),
        )  # fmt: skip
        self.organisation_names = {row[0]: row[1] for row in organisations}

        next_post = next_id(Post)
        posts: list[tuple] = []
        for country in self.countries:
            country.head_post_id = next_post
            posts.append((next_post, "Prime Minister", f"{SLUG_PREFIX}-prime-minister-{next_post}",
                          country.government_id, ["prime minister", "premier"]))  # fmt: skip
            next_post += 1
            for ministry_id, (ministry, alias) in zip(country.ministry_ids, words.MINISTRIES, strict=True):
                posts.append((next_post, f"Minister of {ministry}", f"{SLUG_PREFIX}-minister-{next_post}",
                              ministry_id, [alias]))  # fmt: skip
                country.post_ids.append(next_post)
                next_post += 1
            for other_id in country.other_ids:
                posts.append((next_post, "Chair", f"{SLUG_PREFIX}-chair-{next_post}", other_id, []))
                country.post_ids.append(next_post)
                next_post += 1
        self._copy(
            Post,
            ["id", "title", "slug", "organisation_id", "aliases", "is_published", "published_at"],
            [(*row, True, self.now) for row in posts], len(posts),
        )  # fmt: skip

    def _people(self) -> None:
        count = self.size.people
        first_id = next_id(Person)
        self.person_ids = list(range(first_id, first_id + count))
        self.person_names: dict[int, str] = {}
        people, names, identifiers = [], [], []
        first_name_id, first_identifier_id = next_id(PersonName), next_id(PersonIdentifier)
        names_given: list[str] = []
        names_in_use: set[str] = set()
        for pk in self.person_ids:
            name = self._person_name(names_given, names_in_use)
            self.person_names[pk] = name
            published = self._is_published(0.92)
            people.append((pk, name, f"{SLUG_PREFIX}-{slugify(name)}-{pk}", "", published,
                           self.now if published else None))  # fmt: skip
            seen: set[str] = set()
            for variant, kind in self._name_variants(name):
                normalized = normalize_name(variant)
                if normalized and normalized not in seen:
                    seen.add(normalized)
                    names.append((first_name_id + len(names), pk, variant, normalized, kind, ""))
            if self.random.random() < 0.3:
                identifiers.append((first_identifier_id + len(identifiers), pk, "wikidata", f"Q{90_000_000 + pk}"))
        self._copy(Person, ["id", "name", "slug", "description", "is_published", "published_at"], people, count)
        self._copy(PersonName, ["id", "person_id", "name", "normalized", "kind", "language"], names, len(names))
        self._copy(PersonIdentifier, ["id", "person_id", "scheme", "value"], identifiers, len(identifiers))

    def _person_name(self, names_given: list[str], names_in_use: set[str]) -> str:
        """A full name: a first name, sometimes a second one, and a surname, sometimes double-barrelled (about 12
        million combinations), drawn again when someone has it already. About 2% of people are namesakes of someone
        recorded before them, as in a real record."""
        if names_given and self.random.random() < 0.02:
            name = self.random.choice(names_given)
        else:
            for _attempt in range(20):
                given = self.random.choice(words.FIRST_NAMES)
                if self.random.random() < 0.4:
                    given = f"{given} {self.random.choice(words.FIRST_NAMES)}"
                surname = self.random.choice(words.SURNAMES)
                if self.random.random() < 0.3:
                    surname = f"{surname}-{self.random.choice(words.SURNAMES)}"
                name = f"{given} {surname}"
                if name not in names_in_use:
                    break
        names_given.append(name)
        names_in_use.add(name)
        return name

    def _name_variants(self, name: str) -> Iterator[tuple[str, str]]:
        yield name, PersonNameKind.PRIMARY
        for old, new in words.TRANSLITERATIONS:
            if old in name:
                yield name.replace(old, new), PersonNameKind.VARIANT
        surname = name.rsplit(" ", 1)[1]
        if self.random.random() < 0.5:
            yield surname, PersonNameKind.SURNAME

    def _terms(self) -> None:
        """Every post is held by a succession of officials from 1990 on; a minority of people hold office, often
        several posts over the years."""
        officials = self.person_ids[: max(10, len(self.person_ids) // 5)]
        self.terms_by_country: dict[str, list[tuple[int, int, datetime.date, datetime.date]]] = defaultdict(list)
        self.officials_by_country: dict[str, list[int]] = defaultdict(list)
        rows = []
        first_id = next_id(Term)
        for country in self.countries:
            for post_id in [country.head_post_id, *country.post_ids]:
                day = datetime.date(FIRST_YEAR, 1, 1) + datetime.timedelta(days=self.random.randint(0, 400))
                while day.year < LAST_YEAR:
                    person_id = self.random.choice(officials)
                    end = day + datetime.timedelta(days=self.random.randint(300, 1800))
                    is_open = end.year >= LAST_YEAR
                    reason = "" if is_open else self.random.choice(list(TermEndReason.values))
                    rows.append((first_id + len(rows), person_id, post_id, day, "day", None if is_open else end,
                                 "" if is_open else "day", reason, True, self.now))  # fmt: skip
                    self.terms_by_country[country.code].append(
                        (person_id, post_id, day, end if not is_open else datetime.date(LAST_YEAR, 10, 31))
                    )
                    self.officials_by_country[country.code].append(person_id)
                    day = end + datetime.timedelta(days=1)
        self._copy(
            Term,
            ["id", "person_id", "post_id", "started_on", "started_on_precision", "ended_on", "ended_on_precision",
             "end_reason", "is_published", "published_at"],
            rows, len(rows),
        )  # fmt: skip

    def _incidents(self) -> None:
        first_id = next_id(Incident)
        self.incidents: list[tuple[int, str, str, datetime.date, str]] = []
        rows = []
        for offset in range(self.size.incidents):
            pk = first_id + offset
            country = self.random.choice(self.countries)
            language = self.random.choice(["en", "en", "fr", "nl"])
            place = self.random.choice(words.PLACES)
            day = self._day(datetime.date(FIRST_YEAR, 1, 1), datetime.date(LAST_YEAR, 10, 1))
            name = f"{day:%Y} {place} {self.random.choice(words.INCIDENT_KINDS[language])}"
            self.incidents.append((pk, name, country.code, day, language))
            published = self._is_published()
            rows.append((pk, name, f"{SLUG_PREFIX}-{slugify(name)}-{pk}", f"{name} in {country.name}.", place,
                         country.code, day, self.random.randint(0, 60), self.random.randint(0, 400), published,
                         self.now if published else None))  # fmt: skip
        self._copy(
            Incident,
            ["id", "name", "slug", "description", "location", "country_code", "occurred_on", "deaths", "injuries",
             "is_published", "published_at"],
            rows, len(rows),
        )  # fmt: skip
        # Claims and sources crowd around the same few big incidents.
        self.incident_popularity = self.numbers.permutation(len(self.incidents))

    def _incident_draws(self, draws: int) -> np.ndarray:
        weights = 1.0 / np.arange(1, len(self.incidents) + 1) ** 0.9
        ranks = self.numbers.choice(len(self.incidents), size=draws, p=weights / weights.sum())
        return self.incident_popularity[ranks]

    def _fill(self, template: str, language: str, *, person: int, organisation: int, incident: str) -> str:
        return template.format(
            person=self.person_names[person],
            org=self.organisation_names[organisation],
            topic=self.random.choice(words.TOPICS.get(language, words.TOPICS["en"])),
            incident=incident.split(" ", 1)[1],
            number=self.random.randint(2, 40),
            day=words.DAYS.get(language, "Thursday"),
        )

    def _claims(self) -> None:
        count = self.size.claims
        first_id = next_id(Claim)
        self.claim_ids = list(range(first_id, first_id + count))
        self.claims_by_incident: dict[int, list[int]] = defaultdict(list)
        incident_draws = self._incident_draws(count)
        subject_draws = iter(self._long_tail(len(self.person_ids), count * 3, 0.8))
        organisation_ids = list(self.organisation_names)
        statuses = list(ClaimStatus.values)
        claims, subjects, subject_organisations, changes = [], [], [], []
        first_change_id = next_id(ClaimStatusChange)
        self.claim_first_made: dict[int, datetime.date] = {}
        for pk, incident_index in zip(self.claim_ids, incident_draws, strict=True):
            incident_id, incident_name, _code, incident_day, incident_language = self.incidents[incident_index]
            language = incident_language if self.random.random() < 0.6 else self.random.choice(["en", "fr", "nl"])
            about = [self.person_ids[next(subject_draws)] for _ in range(self.random.choice([1, 1, 2, 3]))]
            organisation = self.random.choice(organisation_ids)
            text = self._fill(
                self.random.choice(words.CLAIM_TEMPLATES[language]), language,
                person=about[0], organisation=organisation, incident=incident_name,
            )  # fmt: skip
            made_on = incident_day + datetime.timedelta(days=self.random.randint(0, 400))
            status = self.random.choices(statuses, weights=[40, 15, 15, 15, 10, 5])[0]
            published = self._is_published(0.85)
            by_person = self.random.random() < 0.4
            claims.append((
                pk, text, f"{SLUG_PREFIX}-claim-{pk}", about[-1] if by_person else None,
                None if by_person else organisation, incident_id, made_on, language, status, published,
                self._moment(made_on) if published else None,
            ))  # fmt: skip
            self.claims_by_incident[incident_id].append(pk)
            self.claim_first_made[pk] = made_on
            subjects.extend((pk, person) for person in dict.fromkeys(about))
            if self.random.random() < 0.5:
                subject_organisations.append((pk, organisation))
            changes.append((first_change_id + len(changes), pk, "", ClaimStatus.UNVERIFIED, self._moment(made_on),
                            "Claim recorded.", self.editor_id))  # fmt: skip
            if status != ClaimStatus.UNVERIFIED:
                changes.append((first_change_id + len(changes), pk, ClaimStatus.UNVERIFIED, status,
                                self._moment(made_on + datetime.timedelta(days=self.random.randint(1, 90))),
                                "New evidence reviewed by the desk.", self.editor_id))  # fmt: skip
        self._copy(
            Claim,
            ["id", "text", "slug", "claimant_person_id", "claimant_organisation_id", "incident_id", "first_made_on",
             "language", "status", "is_published", "published_at"],
            claims, count,
        )  # fmt: skip
        self._copy(Claim.subject_people.through, ["claim_id", "person_id"], subjects, len(subjects))
        self._copy(
            Claim.subject_organisations.through, ["claim_id", "organisation_id"], subject_organisations,
            len(subject_organisations),
        )  # fmt: skip
        self._copy(
            ClaimStatusChange,
            ["id", "claim_id", "from_status", "to_status", "changed_at", "reason", "changed_by_id"],
            changes, len(changes),
        )  # fmt: skip

    def _sources(self) -> None:
        count = self.size.sources
        first_id = next_id(Source)
        self.source_ids = range(first_id, first_id + count)
        self.source_incident = self._incident_draws(count)
        self.sources_by_incident: dict[int, list[int]] = defaultdict(list)
        country_of = {country.code: country for country in self.countries}
        simhashes = self.numbers.integers(-(2**63), 2**63 - 1, size=count, dtype=np.int64)

        def rows() -> Iterator[tuple]:
            for offset, pk in enumerate(self.source_ids):
                incident_id, incident_name, code, day, incident_language = self.incidents[self.source_incident[offset]]
                self.sources_by_incident[incident_id].append(pk)
                country = country_of[code]
                language = self.random.choices(
                    [incident_language, "en", "fr", "nl", "de"], weights=[50, 20, 12, 12, 6]
                )[0]
                publisher = self.random.choice(country.newspaper_ids)
                person = self.random.choice(self.officials_by_country[code] or self.person_ids)
                organisation = self.random.choice(country.ministry_ids)
                sentences = [
                    self._fill(self.random.choice(words.SOURCE_SENTENCES[language]), language, person=person,
                               organisation=organisation, incident=incident_name)
                    for _ in range(self.random.randint(3, 6))
                ]  # fmt: skip
                title = self._fill(words.HEADLINES[language], language, person=person, organisation=organisation,
                                   incident=incident_name)  # fmt: skip
                published_on = day + datetime.timedelta(days=int(self.random.expovariate(1 / 60)))
                moment = self._moment(published_on)
                url = f"https://news.{country.domain}.example/{published_on:%Y/%m}/{slugify(title)[:60]}-{pk}"
                yield (
                    pk,
                    url,
                    url,
                    publisher,
                    self.organisation_names[publisher],
                    title,
                    language,
                    moment,
                    moment,
                    " ".join(sentences),
                    FetchState.FETCHED,
                    int(simhashes[offset]),
                    self._is_published(),
                    moment,
                )

        self._copy(
            Source,
            ["id", "url", "canonical_url", "publisher_id", "publisher_name", "title", "language", "published_at",
             "fetched_at", "text", "fetch_state", "simhash", "is_published", "linked_at"],
            rows(), count,
        )  # fmt: skip

    def _links(self) -> None:
        """Each source backs, contradicts or mentions several claims about its incident (about five on average)."""
        stances = [Stance.SUPPORTS, Stance.MENTIONS, Stance.CONTRADICTS]
        states = [LinkReviewState.AUTO_CONFIRMED, LinkReviewState.CONFIRMED, LinkReviewState.SUGGESTED,
                  LinkReviewState.REJECTED]  # fmt: skip
        first_id = next_id(ClaimLink)
        link_counts = self.numbers.poisson(self.size.links_per_source - 1, size=len(self.source_ids)) + 1
        estimated = int(link_counts.sum())

        def rows() -> Iterator[tuple]:
            pk = first_id
            for offset, source_id in enumerate(self.source_ids):
                incident_id = self.incidents[self.source_incident[offset]][0]
                nearby = self.claims_by_incident.get(incident_id, [])
                wanted = int(link_counts[offset])
                chosen = self.random.sample(nearby, min(wanted, len(nearby)))
                while len(chosen) < wanted:
                    chosen.append(self.random.choice(self.claim_ids))
                for claim_id in dict.fromkeys(chosen):
                    state = self.random.choices(states, weights=[55, 25, 15, 5])[0]
                    by_editor = state in (LinkReviewState.CONFIRMED, LinkReviewState.REJECTED)
                    origin = RecordOrigin.EDITOR if by_editor and self.random.random() < 0.5 else RecordOrigin.MATCHER
                    yield (
                        pk, claim_id, source_id, self.random.choices(stances, weights=[50, 35, 15])[0],
                        round(self.random.uniform(0.3, 1.0), 3), origin,
                        MATCHER_VERSION if origin == RecordOrigin.MATCHER else "", state,
                        self.editor_id if by_editor else None, self.now if by_editor else None,
                    )  # fmt: skip
                    pk += 1

        self._copy(
            ClaimLink,
            ["id", "claim_id", "source_id", "stance", "confidence", "origin", "matcher_version", "review_state",
             "reviewed_by_id", "reviewed_at"],
            rows(), estimated,
        )  # fmt: skip

    def _events(self) -> None:
        """Resignation offers (most answered: refused, accepted, withdrawn), statements, apologies, calls to resign,
        inquiries and censure motions by office holders during their terms. Offers are loaded before their
        outcomes, so the database's offer/outcome trigger checks every outcome."""
        total = self.size.events
        offers_wanted = total // 5
        other_kinds = [
            EventKind.RESPONSIBILITY_ACCEPTED, EventKind.RESPONSIBILITY_DENIED, EventKind.APOLOGY,
            EventKind.RESIGNATION_CALLED_FOR, EventKind.INQUIRY_OPENED, EventKind.CENSURE_MOTION,
            EventKind.RESIGNED, EventKind.DISMISSED,
        ]  # fmt: skip
        incidents_by_country: dict[str, list[int]] = defaultdict(list)
        for incident_id, _name, code, _day, _language in self.incidents:
            incidents_by_country[code].append(incident_id)
        first_id = next_id(AccountabilityEvent)
        offers, outcomes, others, event_sources = [], [], [], []
        pk = first_id
        columns = ["id", "kind", "person_id", "post_id", "incident_id", "occurred_on", "decided_by_id",
                   "responds_to_id", "summary", "origin", "review_state", "is_published", "published_at"]  # fmt: skip

        def event(kind: str, term: tuple, day: datetime.date, code: str, **extra: object) -> tuple:
            state = extra.get("state") or self.random.choices(list(ReviewState.values), weights=[7, 90, 3])[0]
            published = state == ReviewState.CONFIRMED and self._is_published()
            origin = RecordOrigin.MATCHER if state != ReviewState.CONFIRMED else RecordOrigin.EDITOR
            incident = self.random.choice(incidents_by_country[code]) if incidents_by_country[code] else None
            return (
                pk, kind, term[0], term[1], incident if self.random.random() < 0.6 else None, day,
                extra.get("decided_by"), extra.get("responds_to"), f"{EventKind(kind).label} ({day:%Y})", origin,
                state, published, self._moment(day) if published else None,
            )  # fmt: skip

        countries = [country.code for country in self.countries if self.terms_by_country[country.code]]
        while pk - first_id < total:
            code = self.random.choice(countries)
            term = self.random.choice(self.terms_by_country[code])
            day = self._day(term[2], term[3])
            if len(offers) < offers_wanted:
                offer = event(EventKind.RESIGNATION_OFFERED, term, day, code)
                offers.append(offer)
                pk += 1
                if self.random.random() < 0.75 and pk - first_id < total:
                    kind = self.random.choices(
                        [
                            EventKind.RESIGNATION_REFUSED,
                            EventKind.RESIGNATION_ACCEPTED,
                            EventKind.RESIGNATION_WITHDRAWN,
                        ],
                        weights=[50, 35, 15],
                    )[0]
                    deciders = [p for p in self.officials_by_country[code][:50] if p != term[0]]
                    decided_by = (
                        self.random.choice(deciders) if kind != EventKind.RESIGNATION_WITHDRAWN and deciders else None
                    )
                    # An outcome is reviewed with its offer: proposed together, confirmed together.
                    outcomes.append(
                        event(kind, term, day + datetime.timedelta(days=self.random.randint(0, 20)), code,
                              decided_by=decided_by, responds_to=offer[0], state=offer[10])
                    )  # fmt: skip
                    pk += 1
            else:
                others.append(event(self.random.choice(other_kinds), term, day, code))
                pk += 1
        for row in offers + outcomes + others:
            nearby = self.sources_by_incident.get(row[4] or -1) or [self.random.choice(self.source_ids)]
            for source_id in dict.fromkeys(self.random.choice(nearby) for _ in range(self.random.choice([1, 1, 2]))):
                event_sources.append((row[0], source_id))
        self._copy(AccountabilityEvent, columns, offers, len(offers))
        self._copy(AccountabilityEvent, columns, outcomes, len(outcomes))
        self._copy(AccountabilityEvent, columns, others, len(others))
        self._copy(
            AccountabilityEvent.sources.through, ["accountabilityevent_id", "source_id"], event_sources,
            len(event_sources),
        )  # fmt: skip
