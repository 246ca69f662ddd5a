"""Public claim and source pages: thin views over selectors; merged claims redirect to the surviving claim."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.clickjacking import xframe_options_exempt

from accountability import jsonld
from accountability.embeds import oembed_discovery_url
from accountability.public_access import public_redirect_or_404
from claims.models import Stance
from claims.selectors import (
    claim_public_get,
    claim_public_links,
    claim_public_related,
    claim_public_status_history,
    source_public_events,
    source_public_get,
    source_public_links,
    source_public_quotes,
)


def claim_detail(request: HttpRequest, slug: str) -> HttpResponse:
    claim = claim_public_get(slug=slug)
    if redirect := public_redirect_or_404(claim, url_name="claims:claim"):
        return redirect
    links = list(claim_public_links(claim=claim))
    stance_groups = [
        (stance, [link for link in links if link.stance == stance])
        for stance in (Stance.SUPPORTS, Stance.CONTRADICTS, Stance.MENTIONS)
    ]
    context = {
        "claim": claim,
        "page_title": claim.text,
        "description": claim.text,
        "og_type": "article",
        "claimant": claim.claimant_person or claim.claimant_organisation,
        "history": list(claim_public_status_history(claim=claim)),
        "stance_groups": [(stance, group) for stance, group in stance_groups if group],
        "related": list(claim_public_related(claim=claim)),
        "json_ld": jsonld.claim_review(claim=claim, links=links, request=request),
        "oembed_url": oembed_discovery_url(request),
    }
    return render(request, "claims/claim.html", context)


def source_detail(request: HttpRequest, pk: int) -> HttpResponse:
    source = source_public_get(pk=pk)
    if source is None:
        raise Http404
    context = {
        "source": source,
        "page_title": str(source),
        "links": list(source_public_links(source=source)),
        "quotes": list(source_public_quotes(source=source)),
        "events": list(source_public_events(source=source)),
    }
    return render(request, "claims/source.html", context)


@xframe_options_exempt
def claim_embed(request: HttpRequest, slug: str) -> HttpResponse:
    """A card with the claim, its claimant, status and sources, for newsrooms to paste in an iframe."""
    claim = claim_public_get(slug=slug)
    if redirect := public_redirect_or_404(claim, url_name="claims:claim-embed"):
        return redirect
    links = list(claim_public_links(claim=claim))
    return render(request, "claims/embed/claim.html", {"claim": claim, "links": links[:5], "link_count": len(links)})
