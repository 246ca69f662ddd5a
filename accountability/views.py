"""Public pages: thin views over selectors; only published records are shown."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accountability.models import Incident
from accountability.selectors import resignation_offers
from claims.selectors import claim_list


def home(request: HttpRequest) -> HttpResponse:
    context = {
        "offers": resignation_offers(published_only=True)[:20],
        "incidents": Incident.objects.filter(is_published=True).order_by("-occurred_on")[:10],
        "claims": claim_list(published_only=True).order_by("-first_made_on", "-id")[:20],
    }
    return render(request, "accountability/home.html", context)
