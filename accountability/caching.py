"""Public pages and API reads served from the cache (Redis/Valkey), never stale after a change.

Every cached answer is stored with the *content generation*, one number in the cache that goes up after each
committed write the public can see, and is served only while that number has not moved (both read in one round
trip): a save of a published record or of any other model of the ``accountability`` and ``claims``
apps (links, names, status changes...), any delete, any many-to-many change, and every publish or unpublish through
``publication_set``. A write makes every earlier entry out of date at once. Writes that send no Django signal
(``QuerySet.update()``, raw SQL) should call ``content_changed()``; otherwise entries expire after
``PUBLIC_CACHE_TIMEOUT`` seconds, which bounds how long such a write can leave a page stale.

Only anonymous reads are cached: a request carrying a session cookie (an editor signed in) is neither served from
nor stored in the cache, and a response that sets a cookie or is private is never stored. A page's Content Security
Policy nonce is stored as a placeholder and each answer from the cache gets a fresh one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Model, signals
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import cc_delim_re

from accountability.records import EditorialRecord

GENERATION_KEY = "content-generation"
CACHED_APPS = ("accountability", "claims")
# Models whose writes the public never sees (feed polling state, embeddings).
UNSEEN_MODELS = {"claims.feed", "claims.feedpoll", "claims.claimembedding"}
PAGE_NAMESPACES = {"accountability", "claims"}
PAGE_URL_NAMES = {"django.contrib.sitemaps.views.sitemap", "oembed"}
NONCE_PLACEHOLDER = b"\x00csp-nonce\x00"
STORED_HEADERS = ("Content-Type", "Content-Language", "Vary", "X-Frame-Options", "Link", "Last-Modified")


def caching_enabled() -> bool:
    return getattr(settings, "PUBLIC_CACHE_ENABLED", True)


def cache_timeout() -> int:
    return getattr(settings, "PUBLIC_CACHE_TIMEOUT", 300)


def content_generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        generation = cache.get(GENERATION_KEY, 1)
    return int(generation)


def content_changed() -> None:
    """Make every cached page and API answer out of date, once the current transaction commits (once however many
    records the transaction changes)."""
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(callback is _bump_generation for _, callback, _ in connection.run_on_commit):
        return
    transaction.on_commit(_bump_generation)


def _bump_generation() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no generation yet (a fresh cache): the first read starts one
        cache.add(GENERATION_KEY, 1, timeout=None)


def _is_public_model(model: type[Model]) -> bool:
    return model._meta.app_label in CACHED_APPS and model._meta.label_lower not in UNSEEN_MODELS


def _on_save(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    """A draft (an unpublished editorial record) is invisible: saving it changes nothing the public sees. Leaving
    the public record goes through ``publication_set``, which bumps the generation itself."""
    if kwargs.get("raw", False) or (isinstance(instance, EditorialRecord) and not instance.is_published):
        return
    content_changed()


def _on_change(sender: type[Model], **kwargs: Any) -> None:
    content_changed()


def connect_invalidation() -> None:
    """Bump the generation after every write to a public model (saves, deletes, relation changes)."""
    for model in apps.get_models(include_auto_created=True):
        if _is_public_model(model):
            uid = f"public-cache-{model._meta.label_lower}"
            signals.post_save.connect(_on_save, sender=model, dispatch_uid=f"{uid}-save", weak=False)
            signals.post_delete.connect(_on_change, sender=model, dispatch_uid=f"{uid}-delete", weak=False)
            signals.m2m_changed.connect(_on_change, sender=model, dispatch_uid=f"{uid}-m2m", weak=False)


def _is_anonymous(request: HttpRequest) -> bool:
    return settings.SESSION_COOKIE_NAME not in request.COOKIES


@dataclass(frozen=True)
class CacheSlot:
    """Where an answer is kept (``key``, one per address), the content generation when it was looked up, and what
    the slot held if it was stored at that generation."""

    key: str
    generation: int
    held: Any = None


def look_up(kind: str, request: HttpRequest, *extra: str) -> CacheSlot:
    """The cached answer for this address, read with the current generation in one round trip. An answer stored at
    an earlier generation is out of date and counts as none."""
    address = "|".join([request.scheme, request.get_host(), request.get_full_path(), *extra])
    key = f"public:{kind}:{hashlib.sha256(address.encode()).hexdigest()}"
    found = cache.get_many([GENERATION_KEY, key])
    if GENERATION_KEY not in found:
        return CacheSlot(key, content_generation())
    generation, entry = int(found[GENERATION_KEY]), found.get(key)
    if entry is not None and entry[0] == generation:
        return CacheSlot(key, generation, entry[1])
    return CacheSlot(key, generation)


def store(slot: CacheSlot, value: Any) -> None:
    """Keep ``value`` in the slot, marked with the generation its lookup saw: a write committed since then (a higher
    generation) makes it out of date at once."""
    cache.set(slot.key, (slot.generation, value), cache_timeout())


def is_storable(request: HttpRequest, response: HttpResponseBase) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    directives = {part.strip().lower() for part in cc_delim_re.split(response.get("Cache-Control", ""))}
    return not directives & {"private", "no-store", "no-cache"}


class PublicPageCacheMiddleware:
    """Serves anonymous GETs of public pages (the site's own views, the sitemap, oEmbed) from the cache."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        slot = getattr(request, "_public_page_slot", None)
        if slot and not getattr(response, "_served_from_cache", False) and is_storable(request, response):
            headers = {name: response[name] for name in STORED_HEADERS if name in response}
            content, nonce = response.content, getattr(request, "_csp_nonce", None)
            if nonce:
                content = content.replace(str(nonce).encode(), NONCE_PLACEHOLDER)
            store(slot, (response.status_code, headers, content, bool(nonce)))
        return response

    def process_view(self, request: HttpRequest, view: Callable, args: tuple, kwargs: dict) -> HttpResponse | None:
        match = request.resolver_match
        if not (caching_enabled() and request.method == "GET" and _is_anonymous(request) and match):
            return None
        if not (set(match.namespaces) & PAGE_NAMESPACES or match.url_name in PAGE_URL_NAMES):
            return None
        request._public_page_slot = slot = look_up("page", request)
        if slot.held is None:
            return None
        status, headers, content, has_nonce = slot.held
        if has_nonce and hasattr(request, "csp_nonce"):
            content = content.replace(NONCE_PLACEHOLDER, str(request.csp_nonce).encode())
        response = HttpResponse(content, status=status)
        for name, value in headers.items():
            response[name] = value
        response._served_from_cache = True
        return response


class CachedReadMixin:
    """For DRF read viewsets: the rendered body of ``list`` and ``retrieve`` answers (per format) is kept in the
    cache, so a hit costs no query and no serialization. Authentication, permissions, per-key rates and content
    negotiation still run first (``initial``); the ETag is computed from the body as before."""

    action: str | None
    _public_cache_slot: CacheSlot | None = None

    def initial(self, request: Any, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        self._public_cache_slot = None
        if self.action not in ("list", "retrieve") or not caching_enabled() or not _is_anonymous(request):
            return
        self._public_cache_slot = slot = look_up("api", request, request.accepted_renderer.format)
        if slot.held is not None:
            content, headers = slot.held
            self.get = lambda *args, **kwargs: HttpResponse(content, headers=headers)

    def finalize_response(self, request: Any, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        from rest_framework.response import Response

        if self._public_cache_slot and isinstance(response, Response) and response.status_code == 200:
            response.render()
            headers = {
                name: response[name] for name in ("Content-Type", "Link", "Content-Disposition") if name in response
            }
            store(self._public_cache_slot, (response.content, headers))
        return response
