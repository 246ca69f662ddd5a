"""The admin index's note of how many proposals wait in the review queue."""

from __future__ import annotations

from django import template
from django.http import HttpRequest

from claims.review.selectors import proposed_events, proposed_links

register = template.Library()


@register.simple_tag(takes_context=True)
def review_waiting(context: template.Context) -> int | None:
    """How many proposals the signed-in reviewer may decide on, or None when they may review nothing."""
    request: HttpRequest | None = context.get("request")
    if request is None:
        return None
    may_links = request.user.has_perm("claims.review_claimlink")
    may_events = request.user.has_perm("accountability.review_accountabilityevent")
    if not (may_links or may_events):
        return None
    return (proposed_links().count() if may_links else 0) + (proposed_events().count() if may_events else 0)
