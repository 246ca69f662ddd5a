"""The title words: every word of every source's title, kept by the database, for correcting misspelt searches."""

from __future__ import annotations

import pytest

from claims.models import Source, TitleWord
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db


def words(*candidates: str) -> set[str]:
    return set(TitleWord.objects.filter(word__in=candidates).values_list("word", flat=True))


def test_a_new_sources_title_words_are_recorded_lower_case_without_accents():
    SourceFactory(title="Jambon et Geens offrent leur démission")

    assert words("jambon", "geens", "offrent", "demission") == {"jambon", "geens", "offrent", "demission"}


def test_a_retitled_sources_new_words_are_recorded():
    source = SourceFactory(title="Untitled")
    source.title = "Michel refuse les démissions"
    source.save()

    assert words("michel", "refuse", "demissions") == {"michel", "refuse", "demissions"}


def test_sources_created_together_record_every_title_word_once():
    Source.objects.bulk_create(
        [SourceFactory.build(title="Zaventem warnings ignored"), SourceFactory.build(title="Warnings from Ankara")]
    )

    assert words("zaventem", "warnings", "ignored", "from", "ankara") == {
        "zaventem", "warnings", "ignored", "from", "ankara",
    }  # fmt: skip
    assert TitleWord.objects.filter(word="warnings").count() == 1


def test_an_untitled_source_records_nothing():
    before = TitleWord.objects.count()

    SourceFactory(title="", text="Pasted without a title.")

    assert TitleWord.objects.count() == before
