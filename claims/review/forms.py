"""Forms of the review queue: the filters, a bulk or single decision, and corrections."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminDateWidget, AutocompleteSelect

from accountability.models import AccountabilityEvent, Incident, Person
from claims.models import Claim, ClaimLink, Source, Stance
from claims.review.selectors import QueueFilters

AGE_CHOICES = [
    ("", "Any age"),
    ("new-1", "Proposed in the last 24 hours"),
    ("new-7", "Proposed in the last 7 days"),
    ("old-7", "Waiting more than 7 days"),
    ("old-30", "Waiting more than 30 days"),
]
ACCEPT, REJECT = "accept", "reject"
LINK, EVENT = "link", "event"


def autocomplete(model: type, field_name: str, **attributes: str) -> AutocompleteSelect:
    """Django admin's select2 autocomplete, searching the related model's admin (aliases included)."""
    return AutocompleteSelect(model._meta.get_field(field_name), admin.site, attrs=attributes)


class QueueFilterForm(forms.Form):
    incident = forms.ModelChoiceField(
        queryset=Incident.objects.all(), required=False, widget=autocomplete(Claim, "incident")
    )
    official = forms.ModelChoiceField(
        queryset=Person.objects.all(),
        required=False,
        widget=autocomplete(AccountabilityEvent, "person"),
        help_text="Who a claim is by or about, or who an event concerns or who decided it.",
    )
    claim = forms.ModelChoiceField(
        queryset=Claim.objects.all(), required=False, widget=autocomplete(ClaimLink, "claim")
    )
    source = forms.ModelChoiceField(
        queryset=Source.objects.all(), required=False, widget=autocomplete(ClaimLink, "source")
    )
    minimum_score = forms.DecimalField(
        required=False,
        min_value=0,
        max_value=1,
        decimal_places=2,
        label="Minimum confidence",
        help_text="From 0 to 1; links only.",
        widget=forms.NumberInput(attrs={"step": "0.05", "min": "0", "max": "1"}),
    )
    age = forms.ChoiceField(choices=AGE_CHOICES, required=False)

    def queue_filters(self) -> QueueFilters:
        """The filters as the selector takes them; call after ``is_valid()`` (invalid fields are ignored)."""
        data = getattr(self, "cleaned_data", {})
        older_than = newer_than = None
        age = data.get("age") or ""
        if age:
            direction, days = age.split("-")
            if direction == "old":
                older_than = int(days)
            else:
                newer_than = int(days)
        minimum = data.get("minimum_score")
        return QueueFilters(
            incident=data.get("incident"),
            official=data.get("official"),
            claim=data.get("claim"),
            source=data.get("source"),
            minimum_score=float(minimum) if minimum is not None else None,
            older_than_days=older_than,
            newer_than_days=newer_than,
        )


def _proposal_key(value: str) -> tuple[str, int]:
    kind, _, number = value.partition("-")
    if kind not in (LINK, EVENT) or not number.isdigit():
        raise forms.ValidationError(f"Not a proposal: {value!r}.")
    return kind, int(number)


class DecisionForm(forms.Form):
    """One form for the whole queue: a row's own Accept/Reject button (``decide=accept:link-12``) decides that
    row; the buttons at the top decide every ticked row (``selected``)."""

    selected = forms.MultipleChoiceField(required=False)
    decide = forms.CharField(required=False)
    bulk = forms.ChoiceField(choices=[("", ""), (ACCEPT, "Accept"), (REJECT, "Reject")], required=False)

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["selected"].choices = [(value, value) for value in self.data.getlist("selected")]

    def clean(self) -> dict:
        cleaned = super().clean()
        single = cleaned.get("decide") or ""
        if single:
            action, _, key = single.partition(":")
            keys = [_proposal_key(key)]
        else:
            action = cleaned.get("bulk") or ""
            keys = [_proposal_key(value) for value in cleaned.get("selected", [])]
            if not keys:
                raise forms.ValidationError("Tick at least one proposal, then choose Accept or Reject.")
        if action not in (ACCEPT, REJECT):
            raise forms.ValidationError("Choose Accept or Reject.")
        cleaned["is_accepted"] = action == ACCEPT
        cleaned["link_ids"] = [number for kind, number in keys if kind == LINK]
        cleaned["event_ids"] = [number for kind, number in keys if kind == EVENT]
        return cleaned


class LinkCorrectionForm(forms.Form):
    stance = forms.ChoiceField(choices=Stance.choices)
    claim = forms.ModelChoiceField(
        queryset=Claim.objects.all(),
        widget=autocomplete(ClaimLink, "claim"),
        help_text="Pick the claim the source really backs, contradicts or mentions.",
    )


class EventCorrectionForm(forms.Form):
    person = forms.ModelChoiceField(
        queryset=Person.objects.all(), widget=autocomplete(AccountabilityEvent, "person"), label="Who"
    )
    decided_by = forms.ModelChoiceField(
        queryset=Person.objects.all(),
        required=False,
        widget=autocomplete(AccountabilityEvent, "decided_by"),
        help_text="For a refusal or acceptance: who decided.",
    )
    occurred_on = forms.DateField(widget=AdminDateWidget, label="On")
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
