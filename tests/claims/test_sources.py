"""Sources are stored once, whatever form their URL or text arrives in."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from claims.canonical import canonical_url, content_hash
from claims.models import FetchState, Source
from claims.services import source_record

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "variant",
    [
        "https://www.lesoir.be/article/123?utm_source=twitter&utm_medium=social",
        "HTTPS://LESOIR.BE/article/123/",
        "https://lesoir.be/article/123#comments",
        "https://lesoir.be:443/article/123?fbclid=abc",
        "https://lesoir.be/article/123/amp",
        "https://amp.lesoir.be/article/123",
    ],
)
def test_url_variants_share_one_canonical_form(variant):
    assert canonical_url(variant) == "https://lesoir.be/article/123"


def test_meaningful_query_parameters_are_kept_in_a_stable_order():
    assert canonical_url("https://example.org/view?b=2&id=7&utm_campaign=x") == "https://example.org/view?b=2&id=7"


def test_text_hash_ignores_case_and_whitespace():
    assert content_hash("Jambon  offered\nto resign.") == content_hash("jambon offered to resign.")


def test_same_article_by_two_urls_is_one_source(editor):
    first, created = source_record(url="https://www.example.org/news/1?utm_source=rss", actor=editor)
    second, created_again = source_record(url="https://example.org/news/1/", actor=editor)
    assert (created, created_again) == (True, False)
    assert first.pk == second.pk
    assert first.fetch_state == FetchState.PENDING


def test_same_pasted_text_is_one_source(editor):
    first, _ = source_record(text="Interior Minister Jan Jambon offered to resign.", actor=editor)
    second, created = source_record(text="interior minister jan jambon  offered to resign.", actor=editor)
    assert first.pk == second.pk
    assert created is False
    assert first.fetch_state == FetchState.PASTED


def test_source_without_url_or_text_is_refused_naming_the_field(editor):
    with pytest.raises(ValidationError) as error:
        source_record(url=" ", text="", actor=editor)
    assert "url" in error.value.message_dict


def test_malformed_url_is_refused_and_nothing_is_stored(editor):
    with pytest.raises(ValidationError):
        source_record(url="not a url at all", actor=editor)
    assert Source.objects.count() == 0


def test_database_holds_one_source_per_canonical_url(source):
    with pytest.raises(IntegrityError), transaction.atomic():
        Source.objects.create(url=source.url, canonical_url=source.canonical_url, title="copy")
