"""The claim words: every word of every claim's text, kept by the database, for correcting misspelt searches."""

from __future__ import annotations

import pytest

from claims.models import Claim, ClaimWord
from tests.factories import ClaimFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def words(*candidates: str) -> set[str]:
    return set(ClaimWord.objects.filter(word__in=candidates).values_list("word", flat=True))


def test_a_new_claims_words_are_recorded_lower_case_without_accents():
    ClaimFactory(text="La Turquie avait prévenu la Belgique")

    assert words("turquie", "prevenu", "belgique") == {"turquie", "prevenu", "belgique"}


def test_a_reworded_claims_new_words_are_recorded():
    claim = ClaimFactory(text="Draft wording")
    claim.text = "Geens knew about the parole breach"
    claim.save()

    assert words("geens", "parole", "breach") == {"geens", "parole", "breach"}


def test_claims_created_together_record_every_word_once():
    claimant = OrganisationFactory()
    Claim.objects.bulk_create(
        [
            ClaimFactory.build(text="Zaventem warnings ignored", claimant_organisation=claimant),
            ClaimFactory.build(text="Warnings from Ankara", claimant_organisation=claimant),
        ]
    )

    assert words("zaventem", "warnings", "ignored", "ankara") == {"zaventem", "warnings", "ignored", "ankara"}
    assert ClaimWord.objects.filter(word="warnings").count() == 1
