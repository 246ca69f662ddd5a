"""Recording the story by hand: add a source and follow its processing, make a claim from one of its
sentences, record a resignation offer and its outcome. Thin views over services and selectors."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from accountability import services as accountability_services
from accountability.editorial import selectors
from accountability.editorial.forms import (
    ClaimFromSentenceForm,
    OfferOutcomeForm,
    ResignationOfferForm,
    SourceAddForm,
)
from accountability.editorial.services import claim_from_sentence_create
from accountability.models import AccountabilityEvent, EventKind, Person, ReviewState
from claims.intake import source_submit
from claims.models import Source


def _require(request: HttpRequest, *permissions: str) -> None:
    if not all(request.user.has_perm(permission) for permission in permissions):
        raise PermissionDenied


def _context(request: HttpRequest, **values: object) -> dict:
    return {**admin.site.each_context(request), **values}


def _add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's refusal next to the field it names, or above the form."""
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            is_shown = field in form.fields and not form.fields[field].widget.is_hidden
            form.add_error(field if is_shown else None, messages_)
    else:
        form.add_error(None, error.messages)


@require_http_methods(["GET", "POST"])
def source_add(request: HttpRequest) -> HttpResponse:
    _require(request, "claims.add_source")
    form = SourceAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            submission = source_submit(
                actor=request.user,
                url=form.cleaned_data["url"],
                text=form.cleaned_data["text"],
                title=form.cleaned_data["title"],
                language=form.cleaned_data["language"],
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            if submission.is_new:
                messages.success(request, "Source added: it is being fetched and linked.")
            else:
                messages.info(request, "This source was already recorded; here is where it stands.")
            return HttpResponseRedirect(reverse("editorial:source_progress", args=[submission.source.pk]))
    return render(request, "editorial/source_add.html", _context(request, title="Add a source", form=form))


@require_GET
def source_progress(request: HttpRequest, source_id: int) -> HttpResponse:
    _require(request, "claims.view_source")
    source = get_object_or_404(Source, pk=source_id)
    progress = selectors.source_progress(source=source)
    return render(
        request,
        "editorial/source_progress.html",
        _context(request, title=f"Source: {source}", source=source, progress=progress),
    )


@require_GET
def source_status(request: HttpRequest, source_id: int) -> JsonResponse:
    """The same progress as JSON, polled by the progress page's script."""
    _require(request, "claims.view_source")
    source = get_object_or_404(Source, pk=source_id)
    return JsonResponse(selectors.source_progress(source=source).as_json())


@require_http_methods(["GET", "POST"])
def claim_from_sentence(request: HttpRequest, source_id: int) -> HttpResponse:
    _require(request, "claims.add_claim", "claims.add_quote")
    source = get_object_or_404(Source, pk=source_id)
    sentences = selectors.source_sentences(source=source)
    chosen = request.GET.get("sentence", "")
    sentence = sentences[int(chosen)] if chosen.isdigit() and int(chosen) < len(sentences) else ""
    if request.method == "POST":
        form = ClaimFromSentenceForm(request.POST)
        sentence = request.POST.get("sentence", "")
    else:
        form = ClaimFromSentenceForm(initial={"sentence": sentence, "text": sentence}) if sentence else None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            claim = claim_from_sentence_create(
                source=source,
                sentence=data["sentence"],
                text=data["text"],
                actor=request.user,
                claimant_person=data["claimant_person"],
                claimant_organisation=data["claimant_organisation"],
                subject_people=list(data["subject_people"]),
                subject_organisations=list(data["subject_organisations"]),
                incident=data["incident"],
                first_made_on=data["first_made_on"],
                is_quote=data["is_quote"],
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, f"Claim recorded from this source: {claim}")
            return HttpResponseRedirect(reverse("admin:claims_claim_change", args=[claim.pk]))
    return render(
        request,
        "editorial/claim_from_sentence.html",
        _context(
            request,
            title="Make a claim from a sentence",
            source=source,
            sentences=sentences,
            sentence=sentence,
            form=form,
        ),
    )


@require_http_methods(["GET", "POST"])
def person_resignation_offers(request: HttpRequest, person_id: int) -> HttpResponse:
    _require(request, "accountability.view_person")
    person = get_object_or_404(Person, pk=person_id)
    posts = selectors.person_posts(person_id=person.pk)
    form = ResignationOfferForm(request.POST or None, posts=posts)
    if request.method == "POST":
        _require(request, "accountability.add_accountabilityevent")
        if form.is_valid():
            try:
                accountability_services.resignation_offer_record(person=person, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                _add_service_errors(form, error)
            else:
                messages.success(request, f"Resignation offer by {person} recorded.")
                return HttpResponseRedirect(reverse("editorial:person_offers", args=[person.pk]))
    return render(
        request,
        "editorial/person_offers.html",
        _context(
            request,
            title=f"Resignation offers: {person}",
            person=person,
            offers=selectors.person_resignation_offers(person_id=person.pk),
            form=form,
            may_record=request.user.has_perm("accountability.add_accountabilityevent"),
        ),
    )


@require_http_methods(["GET", "POST"])
def offer_decide(request: HttpRequest, offer_id: int) -> HttpResponse:
    _require(request, "accountability.add_accountabilityevent")
    offer = get_object_or_404(
        AccountabilityEvent.objects.select_related("person", "post"),
        pk=offer_id,
        kind=EventKind.RESIGNATION_OFFERED,
    )
    form = OfferOutcomeForm(request.POST or None, initial={"occurred_on": offer.occurred_on})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if offer.review_state != ReviewState.CONFIRMED:
                raise ValidationError("Accept this offer in the review queue before recording its outcome.")
            accountability_services.resignation_offer_decide(
                offer=offer,
                outcome=data["outcome"],
                occurred_on=data["occurred_on"],
                sources=data["sources"],
                actor=request.user,
                decided_by=data["decided_by"],
                summary=data["summary"],
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, f"Outcome of {offer.person}'s offer recorded.")
            return HttpResponseRedirect(reverse("editorial:person_offers", args=[offer.person_id]))
    return render(
        request,
        "editorial/offer_decide.html",
        _context(request, title=f"Outcome of {offer.person}'s resignation offer", offer=offer, form=form),
    )
