"""Newsroom API keys: the library's key (hashed, prefixed, revocable, expiring) plus what the newsroom may do."""

from __future__ import annotations

from django.db import models
from rest_framework_api_key.models import AbstractAPIKey


class NewsroomKey(AbstractAPIKey):
    """An API key given to one newsroom. Every key reads at the newsroom rate; ``can_submit`` also lets it send
    sources in (``POST /api/v1/sources/``)."""

    can_submit = models.BooleanField(default=False, help_text="May submit sources through the API.")
    contact_email = models.EmailField(blank=True, help_text="Who to write to about this key.")

    class Meta(AbstractAPIKey.Meta):
        verbose_name = "newsroom API key"
        verbose_name_plural = "newsroom API keys"
