"""Cards newsrooms can paste: an iframe page per claim and per official, and oEmbed discovery for them."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.html import format_html

EMBED_WIDTH = 560
CLAIM_EMBED_HEIGHT = 320
PERSON_EMBED_HEIGHT = 420
EMBEDDABLE = {
    "claims:claim": ("claims:claim-embed", CLAIM_EMBED_HEIGHT),
    "accountability:person": ("accountability:person-embed", PERSON_EMBED_HEIGHT),
}


@dataclass(frozen=True)
class EmbedTarget:
    embed_path: str
    slug: str
    height: int
    kind: str


def embed_target_for(url: str) -> EmbedTarget | None:
    """The embeddable page a public claim or person URL points at (any interface language), or None."""
    path = urlsplit(url).path or "/"
    for code, _name in settings.LANGUAGES:
        if path.startswith(f"/{code}/"):
            path = path[len(code) + 1 :]
            break
    with translation.override(settings.LANGUAGE_CODE):  # the unprefixed paths are the default language's
        try:
            match = resolve(path)
        except Resolver404:
            return None
        if match.view_name not in EMBEDDABLE or "slug" not in match.kwargs:
            return None
        embed_name, height = EMBEDDABLE[match.view_name]
        slug = match.kwargs["slug"]
        return EmbedTarget(reverse(embed_name, args=[slug]), slug, height, match.view_name.split(":")[1])


def oembed_response(*, target: EmbedTarget, title: str, base_url: str, max_width: int | None) -> dict:
    width = min(EMBED_WIDTH, max_width) if max_width else EMBED_WIDTH
    source = f"{base_url}{target.embed_path}"
    return {
        "version": "1.0",
        "type": "rich",
        "provider_name": "Accountability record",
        "provider_url": f"{base_url}/",
        "title": title,
        "width": width,
        "height": target.height,
        "html": format_html(
            '<iframe src="{}" width="{}" height="{}" title="{}" style="border:1px solid #d9dee3;border-radius:6px" '
            'loading="lazy"></iframe>',
            source,
            width,
            target.height,
            title,
        ),
    }


def oembed_discovery_url(request: HttpRequest) -> str:
    """The oEmbed endpoint for the page being served, for its ``<link rel="alternate">``."""
    return f"{reverse('oembed')}?{urlencode({'url': request.build_absolute_uri(request.path), 'format': 'json'})}"
