"""Public pages: thin views over selectors; only published records are shown, merged records redirect."""

from __future__ import annotations

import datetime

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt

from accountability import jsonld
from accountability.charts import person_timeline_chart
from accountability.embeds import embed_target_for, oembed_discovery_url, oembed_response
from accountability.public_access import public_redirect_or_404
from accountability.selectors import (
    accountability_events_recent,
    incident_countries,
    incident_filter_find,
    incident_public_events,
    incident_public_get,
    incidents_public,
    incidents_public_busiest,
    incidents_search,
    open_resignation_offers,
    organisation_public_children,
    organisation_public_get,
    organisation_public_terms,
    people_search,
    person_public_decisions,
    person_public_get,
    person_public_terms,
    person_public_timeline,
    resignation_offers,
)
from claims.models import ClaimStatus
from claims.selectors import (
    claim_public_get,
    claims_concerning_organisation,
    claims_public_about_person,
    claims_public_for_incident,
    claims_public_made_by_organisation,
    claims_public_recent,
    claims_search,
    quotes_public_by_organisation,
    quotes_public_by_person,
    sources_search,
    status_changes_recent,
)

SEARCH_MAX_LENGTH = 200
# Incidents suggested by the search form's incident field (the busiest); any other is typed by name or slug.
INCIDENT_SUGGESTIONS = 50
# Claims shown per page on a person's page (``?page=``); the busiest officials are the subject of thousands.
CLAIMS_PER_PAGE = 50


def home(request: HttpRequest) -> HttpResponse:
    context = {
        "open_offers": list(open_resignation_offers()[:20]),
        "offers": list(resignation_offers(published_only=True).filter(person__is_published=True)[:20]),
        "events": accountability_events_recent(limit=10),
        "status_changes": status_changes_recent(limit=10),
        "incidents": list(incidents_public()[:10]),
        "claims": list(claims_public_recent(limit=20)),
    }
    return render(request, "accountability/home.html", context)


def person_detail(request: HttpRequest, slug: str) -> HttpResponse:
    person = person_public_get(slug=slug)
    if redirect := public_redirect_or_404(person, url_name="accountability:person"):
        return redirect
    terms = list(person_public_terms(person=person))
    timeline = list(person_public_timeline(person=person))
    context = {
        "person": person,
        "page_title": person.name,
        "description": person.description,
        "og_type": "profile",
        "variants": sorted({name.name for name in person.names.all()} - {person.name}),
        "terms": terms,
        "timeline": timeline,
        "decisions": list(person_public_decisions(person=person)),
        "chart": person_timeline_chart(terms=terms, events=timeline),
        "oembed_url": oembed_discovery_url(request),
        "claims": Paginator(claims_public_about_person(person=person), CLAIMS_PER_PAGE).get_page(
            request.GET.get("page")
        ),
        "quotes": list(quotes_public_by_person(person=person)),
        "json_ld": jsonld.person(person=person, terms=terms, request=request),
    }
    return render(request, "accountability/person.html", context)


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = organisation_public_get(slug=slug)
    if redirect := public_redirect_or_404(organisation, url_name="accountability:organisation"):
        return redirect
    parent = organisation.parent if organisation.parent and organisation.parent.is_published else None
    context = {
        "organisation": organisation,
        "page_title": organisation.name,
        "parent": parent,
        "children": list(organisation_public_children(organisation=organisation)),
        "terms": list(organisation_public_terms(organisation=organisation)),
        "claims_made": list(claims_public_made_by_organisation(organisation=organisation)),
        "claims_about": list(claims_concerning_organisation(organisation=organisation, published_only=True)[:50]),
        "quotes": list(quotes_public_by_organisation(organisation=organisation)[:50]),
    }
    return render(request, "accountability/organisation.html", context)


def incident_detail(request: HttpRequest, slug: str) -> HttpResponse:
    incident = incident_public_get(slug=slug)
    if incident is None:
        raise Http404
    context = {
        "incident": incident,
        "page_title": incident.name,
        "description": incident.description,
        "events": list(incident_public_events(incident=incident)),
        "claims": Paginator(claims_public_for_incident(incident=incident), CLAIMS_PER_PAGE).get_page(
            request.GET.get("page")
        ),
    }
    return render(request, "accountability/incident.html", context)


def methodology(request: HttpRequest) -> HttpResponse:
    from accountability.templatetags.public import STATUS_EXPLANATIONS
    from claims.models import ClaimStatus as Status

    return render(
        request,
        "accountability/methodology.html",
        {
            "page_title": _("How this record is kept"),
            "statuses": [(status.value, STATUS_EXPLANATIONS[status.value]) for status in Status],
            "ratings": jsonld.CLAIM_REVIEW_RATINGS,
        },
    )


def _search_date(request: HttpRequest, name: str) -> datetime.date | None:
    """A YYYY-MM-DD filter; anything else is ignored rather than an error page."""
    try:
        return parse_date(request.GET.get(name, "").strip()[:10])
    except ValueError:
        return None


def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]
    country = request.GET.get("country", "").strip()[:2]
    status = request.GET.get("status", "").strip()
    if status not in ClaimStatus.values:
        status = ""
    incident_text = request.GET.get("incident", "").strip()[:SEARCH_MAX_LENGTH]
    incident, incident_candidates = incident_filter_find(text=incident_text)
    since, until = _search_date(request, "from"), _search_date(request, "to")
    has_filters = bool(country or status or incident or since or until)
    results: dict[str, list] = {"claims": [], "people": [], "incidents": [], "sources": []}
    if query or has_filters:
        results["claims"] = claims_search(
            query=query, country=country, incident=incident, status=status, since=since, until=until
        )
        if query and not status:
            if not (since or until):
                results["people"] = people_search(query=query, country=country, incident=incident)
            if incident is None:
                results["incidents"] = incidents_search(query=query, country=country, since=since, until=until)
            if not (country or incident):
                results["sources"] = sources_search(query=query, since=since, until=until)
    context = {
        "page_title": _("Search"),
        "query": query,
        "country": country.upper(),
        "status": status,
        "incident": incident,
        "incident_text": incident.slug if incident else incident_text,
        "incident_candidates": incident_candidates,
        "since": since.isoformat() if since else "",
        "until": until.isoformat() if until else "",
        "statuses": ClaimStatus.values,
        "incident_suggestions": incidents_public_busiest(limit=INCIDENT_SUGGESTIONS),
        "country_choices": incident_countries(),
        "results": results,
        "searched": bool(query or has_filters),
        "result_count": sum(len(found) for found in results.values()),
    }
    return render(request, "accountability/search.html", context)


@xframe_options_exempt
def person_embed(request: HttpRequest, slug: str) -> HttpResponse:
    """A card with the official's posts and accountability events, for newsrooms to paste in an iframe."""
    person = person_public_get(slug=slug)
    if redirect := public_redirect_or_404(person, url_name="accountability:person-embed"):
        return redirect
    context = {
        "person": person,
        "terms": list(person_public_terms(person=person)),
        "timeline": list(person_public_timeline(person=person)),
    }
    return render(request, "accountability/embed/person.html", context)


def oembed(request: HttpRequest) -> JsonResponse:
    """oEmbed (https://oembed.com) for claim and person pages: a rich iframe card."""
    if request.GET.get("format", "json") != "json":
        return JsonResponse({"error": "Only the json format is offered."}, status=501)
    target = embed_target_for(request.GET.get("url", ""))
    if target is None:
        return JsonResponse({"error": "Give the url of a claim or person page."}, status=404)
    if target.kind == "person":
        record = person_public_get(slug=target.slug)
        title = getattr(record, "name", "")
    else:
        record = claim_public_get(slug=target.slug)
        title = getattr(record, "text", "")
    if record is None or not record.is_published or record.merged_into_id is not None:
        return JsonResponse({"error": "No published record at that url."}, status=404)
    try:
        max_width = int(request.GET["maxwidth"]) if request.GET.get("maxwidth") else None
    except ValueError:
        return JsonResponse({"error": "maxwidth must be a whole number of pixels."}, status=400)
    base_url = request.build_absolute_uri("/").rstrip("/")
    return JsonResponse(oembed_response(target=target, title=title, base_url=base_url, max_width=max_width))
