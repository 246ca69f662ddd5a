"""The same accountability events are read out of English, French and Dutch reporting."""

from __future__ import annotations

import pytest

from accountability.models import AccountabilityEvent, EventKind, ReviewState
from claims.linking.events import event_statements
from claims.linking.service import source_link
from tests.factories import SourceFactory

OFFERED, REFUSED, ACCEPTED = (
    EventKind.RESIGNATION_OFFERED,
    EventKind.RESIGNATION_REFUSED,
    EventKind.RESIGNATION_ACCEPTED,
)

SENTENCES = [
    # French (as Le Soir or La Libre would put it)
    (
        "fr",
        "Jan Jambon et Koen Geens ont présenté leur démission, refusée par le Premier ministre Charles Michel.",
        [OFFERED, REFUSED],
    ),
    ("fr", "Le ministre de l'Intérieur a remis sa démission au Premier ministre.", [OFFERED]),
    ("fr", "Le Premier ministre a accepté la démission du ministre.", [ACCEPTED]),
    ("fr", "Jambon a dit qu'il assumait la responsabilité politique.", [EventKind.RESPONSIBILITY_ACCEPTED]),
    ("fr", "Le ministre nie toute responsabilité dans la libération.", [EventKind.RESPONSIBILITY_DENIED]),
    ("fr", "La ministre de la Mobilité a démissionné vendredi.", [EventKind.RESIGNED]),
    ("fr", "L'opposition réclame la démission des deux ministres.", [EventKind.RESIGNATION_CALLED_FOR]),
    ("fr", "Une commission d'enquête parlementaire a été mise en place.", [EventKind.INQUIRY_OPENED]),
    ("fr", "Le directeur de la police a été limogé.", [EventKind.DISMISSED]),
    ("fr", "Le ministre a présenté ses excuses aux familles.", [EventKind.APOLOGY]),
    # Dutch (as De Standaard or Het Nieuwsblad would put it)
    ("nl", "Jan Jambon en Koen Geens boden hun ontslag aan, maar premier Charles Michel weigerde.", [OFFERED, REFUSED]),
    ("nl", "De premier aanvaardde het ontslag van de minister.", [ACCEPTED]),
    ("nl", "Jambon zei dat hij de politieke verantwoordelijkheid nam.", [EventKind.RESPONSIBILITY_ACCEPTED]),
    ("nl", "De minister ontkende elke verantwoordelijkheid.", [EventKind.RESPONSIBILITY_DENIED]),
    ("nl", "De minister van Mobiliteit is afgetreden.", [EventKind.RESIGNED]),
    ("nl", "De oppositie eist het ontslag van beide ministers.", [EventKind.RESIGNATION_CALLED_FOR]),
    ("nl", "Het parlement heeft een onderzoekscommissie ingesteld.", [EventKind.INQUIRY_OPENED]),
    ("nl", "De politiecommissaris werd uit zijn functie ontheven.", [EventKind.DISMISSED]),
    ("nl", "De minister bood de families zijn excuses aan.", [EventKind.APOLOGY]),
    # English still reads as before
    (
        "en",
        "They offered their resignations which were turned down by Prime Minister Charles Michel.",
        [OFFERED, REFUSED],
    ),
]


@pytest.mark.parametrize(("language", "sentence", "kinds"), SENTENCES)
def test_each_language_states_the_same_kinds_of_event(language, sentence, kinds):
    assert [statement.kind for statement in event_statements(sentence, language)] == kinds


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("fr", "Le gouvernement se réunit jeudi pour parler du budget."),
        ("nl", "De regering vergadert donderdag over de begroting."),
        ("fr", "Les attentats ont fait 32 morts à Bruxelles."),
        ("nl", "Hij werd ontslagen uit het ziekenhuis na de aanslagen."),  # "ontslagen uit het ziekenhuis": discharged
    ],
)
def test_ordinary_reporting_states_no_event(language, sentence):
    assert event_statements(sentence, language) == []


def test_a_language_without_patterns_states_nothing():
    assert event_statements("Jambon bot seine Rücktritt an.", "de") == []


def test_regional_language_tags_use_their_language():
    assert [s.kind for s in event_statements("Le ministre a remis sa démission.", "fr-BE")] == [OFFERED]


@pytest.mark.django_db
def test_a_french_article_proposes_the_offers_and_michels_refusal(known_world):
    article = SourceFactory(
        language="fr",
        title="Jambon et Geens ont offert leur démission",
        text=(
            "Le ministre de l'Intérieur Jan Jambon et le ministre de la Justice Koen Geens ont présenté leur "
            "démission, refusée par le Premier ministre Charles Michel. "
            "Jambon a déclaré qu'il assumait la responsabilité politique."
        ),
    )

    result = source_link(source=article)

    proposed = AccountabilityEvent.objects.filter(review_state=ReviewState.PROPOSED, sources=article)
    summary = {(event.kind, event.person.name, getattr(event.decided_by, "name", None)) for event in proposed}
    assert summary == {
        (OFFERED, "Jan Jambon", None),
        (OFFERED, "Koen Geens", None),
        (REFUSED, "Jan Jambon", "Charles Michel"),
        (REFUSED, "Koen Geens", "Charles Michel"),
        (EventKind.RESPONSIBILITY_ACCEPTED, "Jan Jambon", None),
    }
    assert result.events_proposed == 5


@pytest.mark.django_db
def test_a_dutch_article_proposes_the_offers(known_world):
    article = SourceFactory(
        language="nl",
        title="Jambon en Geens boden ontslag aan",
        text="Minister van Binnenlandse Zaken Jan Jambon en minister van Justitie Koen Geens boden hun ontslag aan.",
    )

    source_link(source=article)

    proposed = AccountabilityEvent.objects.filter(review_state=ReviewState.PROPOSED, sources=article)
    assert {(event.kind, event.person.name) for event in proposed} == {
        (OFFERED, "Jan Jambon"),
        (OFFERED, "Koen Geens"),
    }
