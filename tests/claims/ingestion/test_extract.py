"""Articles come out of pages with their metadata; languages are told apart."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from claims.ingestion.extract import extract_article

ARTICLE_PAGE = """<!DOCTYPE html>
<html><head>
<meta charset="utf-8">
<title>Minister promises rail upgrade by 2027 | The Daily Ledger</title>
<meta property="og:title" content="Minister promises rail upgrade by 2027">
<meta property="og:site_name" content="The Daily Ledger">
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2024-03-05T09:30:00+01:00">
</head><body>
<header><nav><a href="/">Home</a> <a href="/politics">Politics</a> <a href="/sport">Sport</a>
<a href="/subscribe">Subscribe now for unlimited access</a></nav></header>
<main><article>
<h1>Minister promises rail upgrade by 2027</h1>
<p class="byline">By Jane Doe</p>
<p>The transport minister told parliament on Tuesday that the northern rail line would be fully electrified by the
end of 2027, a promise the opposition immediately called unrealistic given the current budget.</p>
<p>Speaking during question time, the minister said funding had been secured for the first two phases of the project
and that tenders would be published before the summer recess.</p>
<p>Critics pointed out that a similar pledge was made in 2019 and later abandoned, and asked for a detailed timetable
to be published so that progress could be tracked independently.</p>
</article></main>
<footer><p>Copyright 2024 The Daily Ledger. All rights reserved.</p><a href="/privacy">Privacy policy</a></footer>
</body></html>"""

FRENCH = (
    "Le gouvernement fédéral a annoncé mardi une réforme des retraites qui sera présentée au parlement avant l'été. "
    "Le ministre a promis que les pensions les plus basses seraient relevées dès l'année prochaine."
)
DUTCH = (
    "De federale regering heeft dinsdag een hervorming van de pensioenen aangekondigd die voor de zomer aan het "
    "parlement wordt voorgelegd. De minister beloofde dat de laagste pensioenen volgend jaar omhoog gaan."
)


def test_article_fields_are_extracted_without_boilerplate():
    article = extract_article(ARTICLE_PAGE, url="https://ledger.example/politics/rail")
    assert article.title == "Minister promises rail upgrade by 2027"
    assert article.author == "Jane Doe"
    assert article.site_name == "The Daily Ledger"
    assert article.published_at == datetime(2024, 3, 5, 8, 30, tzinfo=UTC)
    assert article.published_at.tzinfo is not None
    assert article.language == "en"
    assert article.url == "https://ledger.example/politics/rail"
    assert "fully electrified by the end of 2027" in article.text
    assert "tracked independently" in article.text
    assert "Subscribe now" not in article.text
    assert "All rights reserved" not in article.text


def test_page_without_a_date_has_no_publication_date():
    article = extract_article(f"<html><body><article><p>{FRENCH}</p><p>{FRENCH}</p></article></body></html>")
    assert article.published_at is None


def test_date_only_publication_is_made_timezone_aware():
    page = ARTICLE_PAGE.replace("2024-03-05T09:30:00+01:00", "2024-03-05")
    article = extract_article(page)
    assert article.published_at is not None
    assert article.published_at.tzinfo is not None
    assert article.published_at.date().isoformat() == "2024-03-05"


@pytest.mark.parametrize(("text", "language"), [(FRENCH, "fr"), (DUTCH, "nl")])
def test_undeclared_language_is_detected(text, language):
    article = extract_article(
        f"<html><head><title>Nieuws</title></head><body><article><p>{text}</p></article></body></html>"
    )
    assert article.language == language


def test_declared_language_is_reduced_to_two_letters():
    article = extract_article(f'<html lang="nl-BE"><body><article><p>{DUTCH}</p></article></body></html>')
    assert article.language == "nl"


@pytest.mark.parametrize(("text", "language"), [(FRENCH, "fr"), (DUTCH, "nl")])
def test_plain_text_is_extracted_as_is_and_tagged(text, language):
    article = extract_article(f"Pensioenen / Retraites\n\n{text}\n")
    assert article.title == "Pensioenen / Retraites"
    assert text in article.text
    assert article.language == language


def test_too_little_text_has_no_language():
    assert extract_article("Oui.").language is None
