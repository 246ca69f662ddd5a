"""The review queue screens: thin views over the queue selectors and the decision services."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accountability.models import AccountabilityEvent, RecordOrigin, ReviewState
from claims.models import ClaimLink, LinkReviewState
from claims.review import selectors, services
from claims.review.forms import DecisionForm, EventCorrectionForm, LinkCorrectionForm, QueueFilterForm

LINK_PERMISSION = "claims.review_claimlink"
EVENT_PERMISSION = "accountability.review_accountabilityevent"
PAGE_SIZE = 25


def _permissions(request: HttpRequest) -> tuple[bool, bool]:
    may_links, may_events = request.user.has_perm(LINK_PERMISSION), request.user.has_perm(EVENT_PERMISSION)
    if not (may_links or may_events):
        raise PermissionDenied
    return may_links, may_events


def _context(request: HttpRequest, **values: object) -> dict:
    return {**admin.site.each_context(request), **values}


def _form_errors(error: ValidationError) -> str:
    return " ".join(error.messages)


@require_http_methods(["GET", "POST"])
def review_queue(request: HttpRequest) -> HttpResponse:
    may_links, may_events = _permissions(request)
    if request.method == "POST":
        return _decide(request, may_links=may_links, may_events=may_events)
    filter_form = QueueFilterForm(request.GET or None)
    filters = filter_form.queue_filters() if filter_form.is_valid() else selectors.QueueFilters()
    links_page = Paginator(
        selectors.proposed_links(filters) if may_links else ClaimLink.objects.none(), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    events_page = Paginator(
        selectors.proposed_events(filters) if may_events else AccountabilityEvent.objects.none(), PAGE_SIZE
    ).get_page(request.GET.get("events_page"))
    query = request.GET.copy()
    for name in ("page", "events_page"):
        query.pop(name, None)
    context = _context(
        request,
        title="Review queue",
        filter_form=filter_form,
        may_links=may_links,
        may_events=may_events,
        links_page=links_page,
        events_page=events_page,
        link_proposals=selectors.link_proposals(links_page.object_list),
        event_proposals=selectors.event_proposals(events_page.object_list),
        query=query.urlencode(),
        is_filtered=bool(filter_form.is_bound and any(filter_form.data.get(name) for name in filter_form.fields)),
    )
    return render(request, "review/queue.html", context)


def _decide(request: HttpRequest, *, may_links: bool, may_events: bool) -> HttpResponse:
    form = DecisionForm(request.POST)
    back = reverse("review:queue") + (f"?{request.GET.urlencode()}" if request.GET else "")
    if not form.is_valid():
        for error in form.non_field_errors():
            messages.error(request, error)
        return HttpResponseRedirect(back)
    link_ids, event_ids = form.cleaned_data["link_ids"], form.cleaned_data["event_ids"]
    if (link_ids and not may_links) or (event_ids and not may_events):
        raise PermissionDenied
    decisions = services.proposals_decide(
        link_ids=link_ids, event_ids=event_ids, is_accepted=form.cleaned_data["is_accepted"], actor=request.user
    )
    verb = "Accepted" if form.cleaned_data["is_accepted"] else "Rejected"
    if decisions.links or decisions.events:
        messages.success(request, f"{verb} {decisions.links} link(s) and {decisions.events} event(s).")
    for problem in decisions.problems:
        messages.warning(request, problem)
    return HttpResponseRedirect(back)


@require_http_methods(["GET", "POST"])
def link_correct(request: HttpRequest, link_id: int) -> HttpResponse:
    if not request.user.has_perm(LINK_PERMISSION):
        raise PermissionDenied
    link = get_object_or_404(
        ClaimLink.objects.select_related("claim", "source"),
        pk=link_id,
        origin=RecordOrigin.MATCHER,
        review_state=LinkReviewState.SUGGESTED,
    )
    form = LinkCorrectionForm(request.POST or None, initial={"stance": link.stance, "claim": link.claim})
    if request.method == "POST" and form.is_valid():
        try:
            services.claim_link_correct(
                link=link, actor=request.user, stance=form.cleaned_data["stance"], claim=form.cleaned_data["claim"]
            )
        except ValidationError as error:
            form.add_error(None, _form_errors(error))
        else:
            messages.success(request, f"Corrected and accepted: {link.source} → {form.cleaned_data['claim']}.")
            return HttpResponseRedirect(reverse("review:queue"))
    [proposal] = selectors.link_proposals([link])
    return render(
        request,
        "review/link_correct.html",
        _context(request, title="Correct a proposed link", form=form, proposal=proposal),
    )


@require_http_methods(["GET", "POST"])
def event_correct(request: HttpRequest, event_id: int) -> HttpResponse:
    if not request.user.has_perm(EVENT_PERMISSION):
        raise PermissionDenied
    event = get_object_or_404(
        AccountabilityEvent.objects.select_related("person", "decided_by", "responds_to"),
        pk=event_id,
        origin=RecordOrigin.MATCHER,
        review_state=ReviewState.PROPOSED,
    )
    initial = {
        "person": event.person,
        "decided_by": event.decided_by,
        "occurred_on": event.occurred_on,
        "summary": event.summary,
    }
    form = EventCorrectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.accountability_event_review(event=event, is_accepted=True, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, _form_errors(error))
        else:
            messages.success(request, f"Corrected and accepted: {event.get_kind_display()}.")
            return HttpResponseRedirect(reverse("review:queue"))
    [proposal] = selectors.event_proposals([event])
    return render(
        request,
        "review/event_correct.html",
        _context(request, title="Correct a proposed event", form=form, proposal=proposal),
    )
