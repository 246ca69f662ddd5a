"""The record as it stands before the seed article arrives: people, posts, terms, incident and claims, but no
accountability events and no link to the article."""

from __future__ import annotations

import html

import pytest

from accountability.demo.story import ARTICLE_PATH
from accountability.models import AccountabilityEvent
from claims.models import ClaimLink, Source
from tests.support.local_http import send

ARTICLE_TEXT = ARTICLE_PATH.read_text(encoding="utf-8").strip()


@pytest.fixture
def known_world(demo_story):  # type: ignore[no-untyped-def]
    AccountabilityEvent.objects.filter(responds_to__isnull=False).delete()
    AccountabilityEvent.objects.all().delete()
    article = demo_story.article
    ClaimLink.objects.filter(source=article).delete()
    article.quotes.all().delete()
    article.incidents.clear()
    Source.objects.filter(pk=article.pk).delete()
    return demo_story


def article_page(text: str = ARTICLE_TEXT) -> bytes:
    paragraphs = "".join(f"<p>{html.escape(paragraph)}</p>" for paragraph in text.split("\n") if paragraph.strip())
    return f"""<!doctype html><html lang="en"><head>
<title>Belgian ministers offered to resign over Brussels attacks | World News</title>
<meta property="og:site_name" content="World News">
<meta property="article:published_time" content="2016-03-24T18:00:00+00:00">
<meta name="author" content="Staff reporter">
</head><body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Belgian ministers offered to resign over Brussels attacks</h1>{paragraphs}</article>
<footer>Copyright World News. All rights reserved.</footer></body></html>""".encode()


@pytest.fixture
def article_server(loopback_fetching):  # type: ignore[no-untyped-def]
    loopback_fetching.routes["/world/belgium-ministers"] = lambda handler: send(handler, 200, article_page())
    return loopback_fetching
