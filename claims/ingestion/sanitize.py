"""Make untrusted HTML safe to show: a few text tags, links to http(s) only, nothing executable."""

from __future__ import annotations

import nh3

ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "cite",
        "code",
        "em",
        "i",
        "li",
        "ol",
        "p",
        "pre",
        "q",
        "s",
        "strong",
        "sub",
        "sup",
        "ul",
    }
)
# Dropped together with everything inside them, not just unwrapped.
DROPPED_WITH_CONTENT = frozenset(
    {"script", "style", "svg", "math", "template", "iframe", "object", "embed", "noscript", "textarea", "select"}
)
LINK_REL = "nofollow noopener"


def _only_http_links(tag: str, attribute: str, value: str) -> str | None:
    if tag == "a" and attribute == "href":
        return value if value.strip().lower().startswith(("http://", "https://")) else None
    return value  # only attributes allowed above reach here, and rel="nofollow noopener" is nh3's own


def sanitize_html(fragment: str) -> str:
    """Keep basic text markup; ``<a>`` keeps only an absolute http(s) ``href`` and gets ``rel="nofollow noopener"``."""
    return nh3.clean(
        fragment,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={"a": {"href"}},
        attribute_filter=_only_http_links,
        url_schemes={"http", "https"},
        link_rel=LINK_REL,
        strip_comments=True,
    )
