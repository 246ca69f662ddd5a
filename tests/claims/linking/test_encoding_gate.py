"""Which sentences the matcher encodes: encoding is the costly step, so only sentences that may repeat a claim."""

from __future__ import annotations

import datetime

import pytest

from claims.linking.claim_index import current_ranker
from claims.linking.entities import current_name_index
from claims.linking.sentences import sentence_entities
from claims.linking.service import entities_with_claims, rank_sentences
from claims.models import Claim
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2016, 3, 24)


def encoded_sentences(sentences: list[str]) -> list[str]:
    """The sentences ``rank_sentences`` hands to the embedding model."""
    ranker = current_ranker()
    assert ranker.embedder is not None
    names = current_name_index()
    entities = [sentence_entities(sentence, names, DAY)[0] for sentence in sentences]
    encoded: list[str] = []
    original_encode = ranker.embedder.encode

    def recording_encode(texts, *args, **kwargs):  # type: ignore[no-untyped-def]
        encoded.extend(texts)
        return original_encode(texts, *args, **kwargs)

    ranker.embedder.encode = recording_encode  # type: ignore[method-assign]
    try:
        rank_sentences(ranker=ranker, sentences=sentences, entities=entities, top_k=5)
    finally:
        del ranker.embedder.encode
    return encoded


def test_a_sentence_naming_someone_a_claim_is_about_is_encoded_even_in_other_words(known_world):
    sentence = "Koen Geens spoke to reporters on Thursday evening."
    assert encoded_sentences([sentence]) == [sentence]


def test_a_sentence_naming_only_people_no_claim_concerns_is_left_to_the_lexical_pass(known_world):
    nobody = PersonFactory(name="Veerle Onbekend")
    sentence = "Veerle Onbekend spoke to reporters on Thursday evening."
    assert sentence_entities(sentence, current_name_index(), DAY)[0].people == {nobody.pk}  # recognised
    assert encoded_sentences([sentence]) == []


def test_a_sentence_sharing_enough_words_with_a_claim_is_encoded_without_naming_anyone(known_world):
    assert Claim.objects.filter(text__startswith="The three bombers").exists()
    sentence = "Critics repeated that the three bombers who carried out the attacks were known to police."
    assert encoded_sentences([sentence, "Residents described scenes of confusion."]) == [sentence]


def test_people_and_organisations_with_claims_are_told_apart_from_the_others(known_world):
    nobody = PersonFactory(name="Veerle Onbekend")
    geens = known_world.geens
    assert entities_with_claims(people={geens.pk, nobody.pk}, organisations=set()) == ({geens.pk}, set())
    assert entities_with_claims(people=set(), organisations=set()) == (set(), set())
