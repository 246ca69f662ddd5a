"""Pages for staff beside the admin: the operational metrics."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from config import metrics


@staff_member_required
def operational_metrics(request: HttpRequest) -> HttpResponse:
    context = {
        **admin.site.each_context(request),
        "title": "Operational metrics",
        "queue_lengths": metrics.queue_lengths(),
        "task_failures": metrics.task_failure_counts(),
        "feeds": metrics.feed_health(),
    }
    return TemplateResponse(request, "observability/metrics.html", context)
