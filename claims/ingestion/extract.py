"""Turn fetched documents into articles and feed entries.

``extract_article`` uses trafilatura (main text without navigation and footers, plus metadata; htmldate finds the
publication date) and falls back to treating the input as plain text. ``extract_feed`` uses feedparser on the
string it is given only (never letting it fetch a URL or open a file). ``sanitize_html`` is re-exported from
``claims.ingestion.sanitize`` for anything that will be shown as HTML.
"""

from __future__ import annotations

import html as html_module
import io
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime

import feedparser
import nh3
import trafilatura
from django.utils import timezone

from claims.ingestion.language import detect_language, normalize_language_tag
from claims.ingestion.sanitize import sanitize_html

__all__ = ["ExtractedArticle", "FeedEntry", "extract_article", "extract_feed", "sanitize_html"]

_LOOKS_LIKE_HTML = re.compile(r"<\s*(html|head|body|article|div|p|title|meta|!doctype)\b", re.IGNORECASE)
_DATE_PARAMS = {"original_date": True, "extensive_search": True, "outputformat": "%Y-%m-%dT%H:%M:%S%z"}
_MAX_TITLE_LINE = 200


@dataclass(frozen=True)
class ExtractedArticle:
    """The readable part of a page. ``language`` is a two-letter BCP-47 subtag; ``published_at`` is aware."""

    text: str
    title: str | None = None
    author: str | None = None
    site_name: str | None = None
    published_at: datetime | None = None
    language: str | None = None
    url: str = ""


@dataclass(frozen=True)
class FeedEntry:
    """One item of an RSS or Atom feed. ``summary`` is plain text; ``link`` is an http(s) URL or empty."""

    link: str
    title: str
    summary: str
    published: datetime | None
    id: str


def _aware(value: datetime) -> datetime:
    return value if timezone.is_aware(value) else timezone.make_aware(value, timezone.get_default_timezone())


def _parse_date(value: str | None) -> datetime | None:
    """trafilatura/htmldate dates: full timestamps keep their offset; a bare date is midnight in TIME_ZONE."""
    if not value:
        return None
    try:
        return _aware(datetime.fromisoformat(value))
    except ValueError:
        return None


def _clean(value: str | None) -> str | None:
    value = " ".join((value or "").split())
    return value or None


def _plain_text_article(text: str, *, url: str) -> ExtractedArticle:
    lines = [line.strip() for line in text.strip().splitlines()]
    body = "\n".join(line for line in lines if line)
    first_line = next((line for line in lines if line), "")
    title = first_line if 0 < len(first_line) <= _MAX_TITLE_LINE and "\n" in body else None
    return ExtractedArticle(text=body, title=title, language=detect_language(body), url=url)


def _without_leading_title(text: str, title: str | None) -> str:
    first, _, rest = text.partition("\n")
    return rest.strip() if title and first.strip() == title.strip() and rest.strip() else text


def extract_article(html: str, *, url: str = "") -> ExtractedArticle:
    """Main text and metadata of an article page (or of plain text, when ``html`` is not HTML)."""
    if not _LOOKS_LIKE_HTML.search(html[:5000]):
        return _plain_text_article(html, url=url)
    document = trafilatura.bare_extraction(
        html, url=url or None, with_metadata=True, include_comments=False, date_extraction_params=_DATE_PARAMS
    )
    if document is None:
        metadata = trafilatura.extract_metadata(html, default_url=url or None)
        text = trafilatura.html2txt(html) or ""
    else:
        metadata = document
        text = document.text or ""
    title = _clean(metadata.title) if metadata is not None else None
    text = _without_leading_title(text.strip(), title)
    declared_language = normalize_language_tag(metadata.language) if metadata is not None else None
    return ExtractedArticle(
        text=text,
        title=title,
        author=_clean(metadata.author) if metadata is not None else None,
        site_name=_clean(metadata.sitename) if metadata is not None else None,
        published_at=_parse_date(metadata.date) if metadata is not None else None,
        language=declared_language or detect_language(text),
        url=url,
    )


def _struct_time_to_datetime(value: time.struct_time | None) -> datetime | None:
    return datetime(*value[:6], tzinfo=UTC) if value else None


def _plain_text(fragment: str) -> str:
    return " ".join(html_module.unescape(nh3.clean(fragment, tags=set())).split())


def _http_link(value: str) -> str:
    value = (value or "").strip()
    return value if value.lower().startswith(("http://", "https://")) else ""


def extract_feed(xml: str) -> list[FeedEntry]:
    """Entries of an RSS 0.9x/1.0/2.0 or Atom document given as text (already decoded by ``fetch_url``)."""
    stream = io.BytesIO(xml.encode("utf-8"))
    parsed = feedparser.parse(stream, response_headers={"content-type": "application/xml; charset=utf-8"})
    entries: list[FeedEntry] = []
    for entry in parsed.entries:
        link = _http_link(entry.get("link", ""))
        published = entry.get("published_parsed") or entry.get("updated_parsed")
        entries.append(
            FeedEntry(
                link=link,
                title=_plain_text(entry.get("title", "")),
                summary=_plain_text(entry.get("summary", "")),
                published=_struct_time_to_datetime(published),
                id=str(entry.get("id") or link),
            )
        )
    return entries
