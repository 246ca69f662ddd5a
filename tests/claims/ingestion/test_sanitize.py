"""HTML that may be shown keeps basic text markup and nothing executable."""

from __future__ import annotations

import pytest

from claims.ingestion.extract import sanitize_html


@pytest.mark.parametrize(
    "fragment",
    [
        "<p>Hi<script>alert(1)</script></p>",
        '<p onclick="alert(1)">Hi</p>',
        '<img src="x" onerror="alert(1)"><p>Hi</p>',
        '<p>Hi</p><svg onload="alert(1)"><script>alert(1)</script></svg>',
        "<p>Hi</p><math><mtext><script>alert(1)</script></mtext></math>",
        "<p>Hi</p><style>body{background:url(javascript:alert(1))}</style>",
        '<p>Hi</p><iframe src="javascript:alert(1)"></iframe>',
    ],
)
def test_executable_content_is_removed(fragment):
    cleaned = sanitize_html(fragment)
    assert cleaned == "<p>Hi</p>"


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        " JaVaScRiPt:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "/relative",
        "ftp://x.example/",
    ],
)
def test_links_keep_only_http_urls(href):
    assert sanitize_html(f'<a href="{href}">link</a>') == '<a rel="nofollow noopener">link</a>'


def test_http_links_get_nofollow_noopener_and_lose_other_attributes():
    cleaned = sanitize_html('<a href="https://news.example/a" target="_blank" rel="opener" class="x">read</a>')
    assert cleaned == '<a href="https://news.example/a" rel="nofollow noopener">read</a>'


def test_basic_text_tags_survive_and_attributes_do_not():
    cleaned = sanitize_html(
        '<p class="lead" style="color:red"><strong>Bold</strong> and <em>em</em></p><ul><li>one</li></ul>'
    )
    assert cleaned == "<p><strong>Bold</strong> and <em>em</em></p><ul><li>one</li></ul>"
