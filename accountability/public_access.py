"""What the public may see of a record: published ones are shown, merged ones redirect to the survivor."""

from __future__ import annotations

from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import reverse

from accountability.records import EditorialRecord
from accountability.selectors import merged_winner


def public_redirect_or_404(record: EditorialRecord | None, *, url_name: str) -> HttpResponsePermanentRedirect | None:
    """None when the record may be shown. A record merged into a published one answers a permanent redirect to
    it; anything else that is not published raises Http404."""
    if record is None:
        raise Http404
    if getattr(record, "merged_into_id", None) is not None:
        winner = merged_winner(record=record)
        if winner.is_published and winner.merged_into_id is None:  # type: ignore[attr-defined]
            return HttpResponsePermanentRedirect(reverse(url_name, args=[winner.slug]))  # type: ignore[attr-defined]
        raise Http404
    if not record.is_published:
        raise Http404
    return None
