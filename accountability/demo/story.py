"""The demo story: the 2016 Brussels bombings and the resignation offers that followed, recorded through the
services exactly as an editor would. Loading it twice changes nothing: each step looks for its record first."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from accountability import services as accountability_services
from accountability.models import (
    AccountabilityEvent,
    EventKind,
    Incident,
    Organisation,
    OrganisationKind,
    Person,
    Post,
    Term,
    TermEndReason,
)
from accountability.recording import publication_set
from claims import services as claim_services
from claims.models import Claim, Quote, Source, Stance

ARTICLE_PATH = Path(__file__).with_name("brussels-2016-resignation-offers.txt")
ARTICLE_TITLE = "Belgian interior and justice ministers offered to resign over Brussels attacks"
ARTICLE_PUBLISHED = datetime.datetime(2016, 3, 24, 18, 0, tzinfo=datetime.UTC)
OFFER_DAY = datetime.date(2016, 3, 24)
GOVERNMENT_RECORD_TEXT = (
    "Composition of the Belgian federal government (Michel I and Michel II), as published in the Belgian "
    "Official Journal (Moniteur belge / Belgisch Staatsblad). Royal decree of 11 October 2014: Charles Michel "
    "appointed Prime Minister; Jan Jambon appointed Deputy Prime Minister and Minister of Security and the "
    "Interior; Koen Geens appointed Minister of Justice. Royal decree of 9 December 2018: the resignation of Jan "
    "Jambon as Minister of Security and the Interior is accepted. Royal decree of 27 October 2019: the "
    "resignation of Charles Michel as Prime Minister is accepted; Sophie Wilmes is appointed Prime Minister. "
    "Royal decree of 1 October 2020: the De Croo government is appointed; Koen Geens is no longer Minister of "
    "Justice."
)


@dataclass
class DemoStory:
    article: Source
    jambon: Person
    geens: Person
    michel: Person
    bakraoui: Person
    incident: Incident
    jambon_offer: AccountabilityEvent
    geens_offer: AccountabilityEvent


def _organisation(slug: str, **fields: object) -> Organisation:
    found = Organisation.objects.filter(slug=slug).first()
    return found or accountability_services.organisation_create(slug=slug, **fields)  # type: ignore[arg-type]


def _person(slug: str, **fields: object) -> Person:
    found = Person.objects.filter(slug=slug).first()
    return found or accountability_services.person_create(slug=slug, **fields)  # type: ignore[arg-type]


def _post(slug: str, **fields: object) -> Post:
    found = Post.objects.filter(slug=slug).first()
    return found or accountability_services.post_create(slug=slug, **fields)  # type: ignore[arg-type]


def _term(*, person: Person, post: Post, started_on: datetime.date, **fields: object) -> Term:
    found = Term.objects.filter(person=person, post=post, started_on=started_on).first()
    return found or accountability_services.term_record(
        person=person,
        post=post,
        started_on=started_on,
        **fields,  # type: ignore[arg-type]
    )


def _event(*, kind: str, person: Person, occurred_on: datetime.date, **fields: object) -> AccountabilityEvent:
    found = AccountabilityEvent.objects.filter(kind=kind, person=person, occurred_on=occurred_on).first()
    return found or accountability_services.accountability_event_record(
        kind=kind,
        person=person,
        occurred_on=occurred_on,
        **fields,  # type: ignore[arg-type]
    )


def _claim(slug: str, **fields: object) -> Claim:
    found = Claim.objects.filter(slug=slug).first()
    return found or claim_services.claim_create(slug=slug, **fields)  # type: ignore[arg-type]


def _quote(*, text: str, source: Source, **fields: object) -> Quote:
    found = Quote.objects.filter(source=source, text=text).first()
    return found or claim_services.quote_record(text=text, source=source, **fields)  # type: ignore[arg-type]


def load_demo_story() -> DemoStory:
    actor = accountability_services.system_user_get(username="demo-loader")
    with transaction.atomic():
        story = _record_story(actor)
        _publish_story(actor)
    return story


def _record_story(actor) -> DemoStory:  # type: ignore[no-untyped-def]
    article_text = ARTICLE_PATH.read_text(encoding="utf-8").strip()
    article, _ = claim_services.source_record(
        actor=actor, text=article_text, title=ARTICLE_TITLE, language="en", published_at=ARTICLE_PUBLISHED
    )
    government_record, _ = claim_services.source_record(
        actor=actor,
        text=GOVERNMENT_RECORD_TEXT,
        title="Belgian federal government appointments and resignations, 2014-2020",
        publisher_name="Moniteur belge / Belgisch Staatsblad",
        language="en",
    )

    belgium = _organisation(
        "belgium", name="Belgium", kind=OrganisationKind.COUNTRY, country_code="BE", wikidata_qid="Q31", actor=actor
    )
    government = _organisation(
        "government-of-belgium",
        name="Federal Government of Belgium",
        kind=OrganisationKind.GOVERNMENT,
        country_code="BE",
        parent=belgium,
        aliases=["Belgian government", "Belgian authorities"],
        actor=actor,
    )
    police = _organisation(
        "belgian-federal-police",
        name="Belgian Federal Police",
        kind=OrganisationKind.AGENCY,
        country_code="BE",
        parent=government,
        actor=actor,
    )
    justice_service = _organisation(
        "belgian-justice-ministry",
        name="Federal Public Service Justice",
        kind=OrganisationKind.MINISTRY,
        country_code="BE",
        parent=government,
        actor=actor,
    )
    turkey = _organisation(
        "turkey", name="Turkey", kind=OrganisationKind.COUNTRY, country_code="TR", wikidata_qid="Q43", actor=actor
    )
    turkish_government = _organisation(
        "government-of-turkey",
        name="Government of Turkey",
        kind=OrganisationKind.GOVERNMENT,
        country_code="TR",
        parent=turkey,
        aliases=["Ankara", "Turkish government"],
        actor=actor,
    )
    le_soir = _organisation("le-soir", name="Le Soir", kind=OrganisationKind.NEWSPAPER, country_code="BE", actor=actor)

    jambon = _person(
        "jan-jambon", name="Jan Jambon", description="Belgian politician (N-VA)", wikidata_qid="Q1977542", actor=actor
    )
    geens = _person(
        "koen-geens", name="Koen Geens", description="Belgian politician (CD&V)", wikidata_qid="Q2253626", actor=actor
    )
    michel = _person(
        "charles-michel",
        name="Charles Michel",
        description="Belgian politician (MR)",
        wikidata_qid="Q1052717",
        actor=actor,
    )
    bakraoui = _person(
        "ibrahim-el-bakraoui",
        name="Ibrahim El Bakraoui",
        variants=["Ibrahim al-Bakrawi", "Bakrawi", "Bakraoui", "al-Bakrawi", "El Bakraoui"],
        description="One of the suicide bombers at Brussels Airport on 22 March 2016",
        actor=actor,
    )

    interior = _post(
        "minister-of-security-and-the-interior-belgium",
        organisation=government,
        title="Minister of Security and the Interior",
        aliases=["Interior Minister", "Minister of the Interior"],
        actor=actor,
    )
    justice = _post(
        "minister-of-justice-belgium",
        organisation=government,
        title="Minister of Justice",
        actor=actor,
        aliases=["Justice Minister"],
    )
    prime_minister = _post(
        "prime-minister-of-belgium",
        organisation=government,
        title="Prime Minister",
        actor=actor,
        aliases=["Premier", "Belgian prime minister"],
    )
    appointed = datetime.date(2014, 10, 11)
    sources = [government_record, article]
    _term(
        person=jambon,
        post=interior,
        started_on=appointed,
        ended_on=datetime.date(2018, 12, 9),
        end_reason=TermEndReason.RESIGNED,
        sources=sources,
        actor=actor,
    )
    _term(
        person=geens,
        post=justice,
        started_on=appointed,
        ended_on=datetime.date(2020, 10, 1),
        end_reason=TermEndReason.TERM_ENDED,
        sources=sources,
        actor=actor,
    )
    _term(
        person=michel,
        post=prime_minister,
        started_on=appointed,
        ended_on=datetime.date(2019, 10, 27),
        end_reason=TermEndReason.RESIGNED,
        sources=sources,
        actor=actor,
    )

    incident = Incident.objects.filter(
        slug="brussels-bombings-2016"
    ).first() or accountability_services.incident_record(
        slug="brussels-bombings-2016",
        name="2016 Brussels bombings",
        occurred_on=datetime.date(2016, 3, 22),
        location="Brussels Airport, Zaventem, and Maelbeek metro station, Brussels",
        country_code="BE",
        deaths=31,
        injuries=300,
        description=(
            "Suicide bombings in the departure hall of Brussels Airport in Zaventem and, an hour later, at "
            "Maelbeek metro station in central Brussels. The three bombers were known to police."
        ),
        sources=[article],
        actor=actor,
    )

    jambon_offer = _event(
        kind=EventKind.RESIGNATION_OFFERED,
        person=jambon,
        occurred_on=OFFER_DAY,
        post=interior,
        incident=incident,
        summary="Jambon offered his resignation over the failure to track one of the bombers.",
        sources=[article],
        actor=actor,
    )
    geens_offer = _event(
        kind=EventKind.RESIGNATION_OFFERED,
        person=geens,
        occurred_on=OFFER_DAY,
        post=justice,
        incident=incident,
        summary="Geens offered his resignation over the failure to track one of the bombers.",
        sources=[article],
        actor=actor,
    )
    for offer in (jambon_offer, geens_offer):
        if not offer.outcomes.exists():
            accountability_services.resignation_offer_decide(
                offer=offer,
                outcome=EventKind.RESIGNATION_REFUSED,
                decided_by=michel,
                occurred_on=OFFER_DAY,
                summary="Prime Minister Charles Michel turned the offer down.",
                sources=[article],
                actor=actor,
            )
    _event(
        kind=EventKind.RESPONSIBILITY_ACCEPTED,
        person=jambon,
        occurred_on=OFFER_DAY,
        post=interior,
        incident=incident,
        summary="Jambon said it was right to take political responsibility for the mishandling of the case.",
        evidence_sentence='"In the circumstances, it was right to take political responsibility."',
        sources=[article],
        actor=actor,
    )

    _quote(
        text="I confirm I tendered my resignation",
        source=article,
        speaker=jambon,
        said_to_organisation=le_soir,
        said_on=OFFER_DAY,
        actor=actor,
    )
    _quote(
        text="(Justice Minister Koen) Geens too. They were refused.",
        source=article,
        speaker=jambon,
        said_to_organisation=le_soir,
        said_on=OFFER_DAY,
        actor=actor,
    )
    _quote(
        text="In the circumstances, it was right to take political responsibility.",
        source=article,
        speaker=jambon,
        said_on=OFFER_DAY,
        actor=actor,
    )
    warning_quote = _quote(
        text="Belgium ignored Turkey's warning that Bakrawi was a militant",
        source=article,
        speaker_organisation=turkish_government,
        said_on=OFFER_DAY,
        actor=actor,
    )

    ignored_warning = _claim(
        "belgium-ignored-turkeys-warning-about-ibrahim-al-bakrawi",
        text="Belgium ignored Turkey's warning that Ibrahim al-Bakrawi, one of the Brussels bombers, was a militant.",
        claimant_organisation=turkish_government,
        subject_organisations=[government],
        subject_people=[bakraoui],
        incident=incident,
        first_made_on=OFFER_DAY,
        sources=[article],
        actor=actor,
    )
    _claim(
        "the-three-brussels-bombers-were-known-to-police",
        text="The three bombers who carried out the Brussels attacks were known to police.",
        claimant_organisation=belgium,
        subject_organisations=[police],
        incident=incident,
        first_made_on=OFFER_DAY,
        sources=[article],
        actor=actor,
    )
    _claim(
        "bakraoui-was-on-parole-half-way-through-a-nine-year-sentence",
        text="Ibrahim El Bakraoui was on parole, barely half-way through a nine-year sentence for armed robbery, "
        "when he carried out the attack.",
        claimant_organisation=belgium,
        subject_people=[bakraoui, geens],
        subject_organisations=[justice_service],
        incident=incident,
        first_made_on=OFFER_DAY,
        sources=[article],
        actor=actor,
    )
    _claim(
        "turkey-twice-deported-ibrahim-al-bakrawi",
        text="Turkey deported Ibrahim al-Bakrawi twice in 2015.",
        claimant_organisation=turkish_government,
        subject_people=[bakraoui],
        subject_organisations=[turkey],
        incident=incident,
        first_made_on=OFFER_DAY,
        sources=[article],
        actor=actor,
    )
    claim_services.claim_link_source(
        claim=ignored_warning,
        source=article,
        quote=warning_quote,
        stance=Stance.MENTIONS,
        origin="editor",
        actor=actor,
    )
    return DemoStory(
        article=article,
        jambon=jambon,
        geens=geens,
        michel=michel,
        bakraoui=bakraoui,
        incident=incident,
        jambon_offer=jambon_offer,
        geens_offer=geens_offer,
    )


def _publish_story(actor) -> None:  # type: ignore[no-untyped-def]
    """Publish what the demo recorded, and only that: drafts by editors stay drafts."""
    for model in (Source, Organisation, Person, Post, Term, Incident, AccountabilityEvent, Quote, Claim):
        for record in model.objects.filter(is_published=False, recorded_by=actor):
            publication_set(record=record, is_published=True, actor=actor)
