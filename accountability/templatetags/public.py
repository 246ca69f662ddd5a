"""Template helpers for the public site: translated labels, dates with their precision, JSON-LD, languages."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import translate_url
from django.utils import formats
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

register = template.Library()

STATUS_LABELS = {
    "unverified": _("Unverified"),
    "disputed": _("Disputed"),
    "corroborated": _("Corroborated"),
    "confirmed": pgettext_lazy("claim status", "Confirmed"),
    "refuted": _("Refuted"),
    "retracted": _("Retracted"),
}
STATUS_EXPLANATIONS = {
    "unverified": _("Recorded as it was made; no editor has yet found evidence for or against it."),
    "disputed": _("Credible sources contradict each other and the evidence does not settle it."),
    "corroborated": _("Independent sources support it, but it is not yet established beyond doubt."),
    "confirmed": _(
        "Established by primary evidence (official records, court findings) or by several independent sources."
    ),
    "refuted": _("Shown to be false by the evidence cited."),
    "retracted": _("Withdrawn by whoever made it."),
}
EVENT_LABELS = {
    "resignation_offered": _("Offered to resign"),
    "resignation_refused": _("Resignation offer refused"),
    "resignation_accepted": _("Resignation offer accepted"),
    "resignation_withdrawn": _("Resignation offer withdrawn"),
    "resigned": _("Resigned"),
    "dismissed": _("Dismissed"),
    "responsibility_accepted": _("Accepted responsibility"),
    "responsibility_denied": _("Denied responsibility"),
    "apology": _("Apologised"),
    "resignation_called_for": _("Resignation called for"),
    "inquiry_opened": _("Inquiry opened"),
    "censure_motion": _("Censure or no-confidence motion"),
}
STANCE_LABELS = {
    "supports": _("Supports the claim"),
    "contradicts": _("Contradicts the claim"),
    "mentions": _("Mentions the claim"),
}
ORGANISATION_KIND_LABELS = {
    "country": _("Country"),
    "government": _("Government"),
    "ministry": _("Ministry"),
    "party": _("Political party"),
    "agency": _("Agency"),
    "parliament": _("Parliament"),
    "newspaper": _("Newspaper or broadcaster"),
    "other": _("Other"),
}
END_REASON_LABELS = {
    "resigned": _("resigned"),
    "dismissed": _("dismissed"),
    "reshuffled": _("reshuffled"),
    "term_ended": _("term ended"),
    "government_fell": _("government fell"),
    "died": _("died"),
    "other": _("other"),
}
LINK_STATE_LABELS = {
    "confirmed": _("confirmed by an editor"),
    "auto_confirmed": _("confirmed by the matcher"),
}


def _label(labels: dict[str, Any], value: str) -> str:
    return str(labels.get(value, value.replace("_", " ")))


@register.filter
def status_label(value: str) -> str:
    return _label(STATUS_LABELS, value)


@register.filter
def status_explanation(value: str) -> str:
    return _label(STATUS_EXPLANATIONS, value)


@register.filter
def event_label(value: str) -> str:
    return _label(EVENT_LABELS, value)


@register.filter
def stance_label(value: str) -> str:
    return _label(STANCE_LABELS, value)


@register.filter
def organisation_kind_label(value: str) -> str:
    return _label(ORGANISATION_KIND_LABELS, value)


@register.filter
def end_reason_label(value: str) -> str:
    return _label(END_REASON_LABELS, value)


@register.filter
def link_state_label(value: str) -> str:
    return _label(LINK_STATE_LABELS, value)


@register.simple_tag
def precise_date(day: datetime.date | None, precision: str = "day") -> SafeString | str:
    """A ``<time>`` element showing only what is known: the year, the month, or the day."""
    if day is None:
        return ""
    if isinstance(day, datetime.datetime):
        day = day.date()
    if precision == "year":
        shown, machine = formats.date_format(day, "Y"), day.strftime("%Y")
    elif precision == "month":
        shown, machine = formats.date_format(day, "YEAR_MONTH_FORMAT"), day.strftime("%Y-%m")
    else:
        shown, machine = formats.date_format(day, "DATE_FORMAT"), day.isoformat()
    return format_html('<time datetime="{}">{}</time>', machine, shown)


def json_for_script(data: Any) -> str:
    """JSON safe inside a ``<script>`` element: ``<``, ``>`` and ``&`` are escaped, so no text can close it."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=False)
    return text.translate({ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"})


@register.simple_tag(takes_context=True)
def json_ld(context: template.Context, data: Any) -> SafeString | str:
    """A JSON-LD block carrying the page's Content Security Policy nonce."""
    if not data:
        return ""
    nonce = escape(getattr(context.get("request"), "csp_nonce", ""))
    script = f'<script type="application/ld+json" nonce="{nonce}">{json_for_script(data)}</script>'
    return mark_safe(script)  # noqa: S308


@register.simple_tag(takes_context=True)
def language_alternates(context: template.Context) -> list[dict[str, str]]:
    """The current page in every interface language: code, name, absolute URL, and whether it is the current one."""
    request = context.get("request")
    if request is None:
        return []
    current = get_language()
    alternates = []
    for code, name in settings.LANGUAGES:
        path = translate_url(request.path, code)
        alternates.append(
            {"code": code, "name": name, "url": request.build_absolute_uri(path), "is_current": code == current}
        )
    return alternates


@register.filter
def other_names(person: Any) -> list[str]:
    """The person's other spellings (from prefetched ``names``), without the displayed name."""
    return sorted({name.name for name in person.names.all()} - {person.name})


@register.simple_tag(takes_context=True)
def default_language_path(context: template.Context) -> str:
    """The current page's path in the default language, for the language switcher's ``next``.

    ``set_language`` runs under the default language and can only translate a path it can resolve there.
    """
    request = context.get("request")
    if request is None:
        return "/"
    return translate_url(request.get_full_path(), settings.LANGUAGE_CODE)
