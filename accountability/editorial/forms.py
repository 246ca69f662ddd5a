"""Forms of the hand-recording screens. Related records are picked with the admin's autocomplete, which searches
the related model's admin (people by every spelling of their name)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminDateWidget, AutocompleteSelect, AutocompleteSelectMultiple

from accountability.models import AccountabilityEvent, EventKind, Incident, Organisation, Person, Post
from claims.models import Claim, Source

OUTCOME_CHOICES = [
    (EventKind.RESIGNATION_REFUSED.value, "Refused"),
    (EventKind.RESIGNATION_ACCEPTED.value, "Accepted"),
    (EventKind.RESIGNATION_WITHDRAWN.value, "Withdrawn by the person"),
]
LANGUAGE_CHOICES = [("", "Detect it"), ("en", "English"), ("fr", "French"), ("nl", "Dutch")]


def _autocomplete(model: type, field_name: str) -> AutocompleteSelect:
    return AutocompleteSelect(model._meta.get_field(field_name), admin.site)


def _autocomplete_many(model: type, field_name: str) -> AutocompleteSelectMultiple:
    return AutocompleteSelectMultiple(model._meta.get_field(field_name), admin.site)


class SourceAddForm(forms.Form):
    url = forms.URLField(
        required=False,
        max_length=2000,
        label="Address (URL)",
        assume_scheme="https",
        widget=forms.URLInput(attrs={"size": 80, "autofocus": True}),
    )
    text = forms.CharField(
        required=False,
        label="Or paste the text",
        widget=forms.Textarea(attrs={"rows": 8, "cols": 80}),
        help_text="For a text with no address (a press release, a transcript).",
    )
    title = forms.CharField(required=False, max_length=1000, widget=forms.TextInput(attrs={"size": 80}))
    language = forms.ChoiceField(choices=LANGUAGE_CHOICES, required=False)

    def clean(self) -> dict:
        cleaned = super().clean()
        if not self.errors and not (cleaned.get("url") or "").strip() and not (cleaned.get("text") or "").strip():
            raise forms.ValidationError("Give the address of the article or paste its text.")
        return cleaned


class ClaimFromSentenceForm(forms.Form):
    sentence = forms.CharField(widget=forms.HiddenInput)
    text = forms.CharField(
        label="Claim", widget=forms.Textarea(attrs={"rows": 5, "cols": 80}), help_text="Edit it into a claim."
    )
    claimant_person = forms.ModelChoiceField(
        queryset=Person.objects.all(), required=False, widget=_autocomplete(Claim, "claimant_person")
    )
    claimant_organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.all(), required=False, widget=_autocomplete(Claim, "claimant_organisation")
    )
    subject_people = forms.ModelMultipleChoiceField(
        queryset=Person.objects.all(), required=False, widget=_autocomplete_many(Claim, "subject_people")
    )
    subject_organisations = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.all(), required=False, widget=_autocomplete_many(Claim, "subject_organisations")
    )
    incident = forms.ModelChoiceField(
        queryset=Incident.objects.all(), required=False, widget=_autocomplete(Claim, "incident")
    )
    first_made_on = forms.DateField(required=False, widget=AdminDateWidget, label="First made on")
    is_quote = forms.BooleanField(
        required=False,
        initial=True,
        label="The sentence is the claimant's own words: record it as their quote",
        label_suffix="",
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        if not self.errors and not cleaned.get("claimant_person") and not cleaned.get("claimant_organisation"):
            self.add_error("claimant_person", "Name who made the claim: a person or an organisation.")
        return cleaned


class ResignationOfferForm(forms.Form):
    occurred_on = forms.DateField(widget=AdminDateWidget, label="Offered on")
    post = forms.ModelChoiceField(queryset=Post.objects.none(), required=False, help_text="The post held then.")
    incident = forms.ModelChoiceField(
        queryset=Incident.objects.all(), required=False, widget=_autocomplete(AccountabilityEvent, "incident")
    )
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3, "cols": 80}), required=False)
    sources = forms.ModelMultipleChoiceField(
        queryset=Source.objects.all(),
        widget=_autocomplete_many(AccountabilityEvent, "sources"),
        help_text="Where this is reported: at least one source.",
    )

    def __init__(self, *args, posts=None, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        if posts is not None:
            self.fields["post"].queryset = posts


class OfferOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(choices=OUTCOME_CHOICES, widget=forms.RadioSelect)
    decided_by = forms.ModelChoiceField(
        queryset=Person.objects.all(),
        required=False,
        widget=_autocomplete(AccountabilityEvent, "decided_by"),
        help_text="Who refused or accepted it, e.g. the prime minister. Not needed for a withdrawal.",
    )
    occurred_on = forms.DateField(widget=AdminDateWidget, label="Decided on")
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3, "cols": 80}), required=False)
    sources = forms.ModelMultipleChoiceField(
        queryset=Source.objects.all(),
        widget=_autocomplete_many(AccountabilityEvent, "sources"),
        help_text="Where this is reported: at least one source.",
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        needs_decider = cleaned.get("outcome") in (EventKind.RESIGNATION_REFUSED, EventKind.RESIGNATION_ACCEPTED)
        if needs_decider and not cleaned.get("decided_by"):
            self.add_error("decided_by", "Name who refused or accepted the offer.")
        return cleaned
