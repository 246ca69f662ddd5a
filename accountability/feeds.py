"""Atom feeds: new claims; per official (their accountability events and claims about them); per incident."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from accountability.models import Incident, Person
from accountability.selectors import incident_public_events, incident_public_get, person_public_timeline
from accountability.templatetags.public import event_label, status_label
from claims.selectors import claims_public_about_person, claims_public_for_incident, claims_public_recent

FEED_LENGTH = 50


@dataclass
class FeedEntry:
    """One feed item, whatever record it comes from."""

    title: str
    description: str
    link: str
    updated: datetime.datetime
    guid: str


def _as_datetime(day: datetime.date | datetime.datetime | None) -> datetime.datetime:
    if day is None:
        return timezone.now()
    if isinstance(day, datetime.datetime):
        return day
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)


def _claim_entry(claim) -> FeedEntry:  # type: ignore[no-untyped-def]
    claimant = claim.claimant_person or claim.claimant_organisation
    return FeedEntry(
        title=claim.text,
        description=_("Claimed by %(claimant)s. Status: %(status)s.")
        % {"claimant": claimant, "status": status_label(claim.status)},
        link=reverse("claims:claim", args=[claim.slug]),
        updated=_as_datetime(claim.published_at or claim.first_made_on),
        guid=f"claim-{claim.pk}",
    )


def _event_entry(event) -> FeedEntry:  # type: ignore[no-untyped-def]
    title = f"{event.person.name}: {event_label(event.kind)}"
    return FeedEntry(
        title=title,
        description=event.summary,
        link=reverse("accountability:person", args=[event.person.slug]) + f"#event-{event.pk}",
        updated=_as_datetime(event.occurred_on),
        guid=f"event-{event.pk}",
    )


class _EntryFeed(Feed):
    feed_type = Atom1Feed

    def item_title(self, item: FeedEntry) -> str:
        return item.title

    def item_description(self, item: FeedEntry) -> str:
        # Atom's summary is typed "html": readers render it, so the plain text is escaped into HTML first.
        return escape(item.description)

    def item_link(self, item: FeedEntry) -> str:
        return item.link

    def item_updateddate(self, item: FeedEntry) -> datetime.datetime:
        return item.updated

    def item_pubdate(self, item: FeedEntry) -> datetime.datetime:
        return item.updated

    def item_guid(self, item: FeedEntry) -> str:
        return item.guid

    item_guid_is_permalink = False


class LatestClaimsFeed(_EntryFeed):
    def title(self) -> str:
        return _("New claims")

    def subtitle(self) -> str:
        return _("Claims recently added to the accountability record.")

    def link(self) -> str:
        return reverse("accountability:home")

    def items(self) -> list[FeedEntry]:
        return [_claim_entry(claim) for claim in claims_public_recent(limit=FEED_LENGTH)]


class PersonFeed(_EntryFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Person:
        person = Person.objects.filter(slug=slug, is_published=True, merged_into__isnull=True).first()
        if person is None:
            raise Http404
        return person

    def title(self, obj: Person) -> str:
        return _("Accountability record of %(name)s") % {"name": obj.name}

    def subtitle(self, obj: Person) -> str:
        return _("Accountability events of %(name)s and claims concerning them.") % {"name": obj.name}

    def link(self, obj: Person) -> str:
        return reverse("accountability:person", args=[obj.slug])

    def items(self, obj: Person) -> list[FeedEntry]:
        events = person_public_timeline(person=obj).select_related("person")
        entries = [_event_entry(event) for event in events]
        for event in events:
            entries += [_event_entry(outcome) for outcome in event.public_outcomes]
        entries += [_claim_entry(claim) for claim in claims_public_about_person(person=obj)]
        return sorted(entries, key=lambda entry: entry.updated, reverse=True)[:FEED_LENGTH]


class IncidentFeed(_EntryFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Incident:
        incident = incident_public_get(slug=slug)
        if incident is None:
            raise Http404
        return incident

    def title(self, obj: Incident) -> str:
        return _("Accountability record: %(name)s") % {"name": obj.name}

    def subtitle(self, obj: Incident) -> str:
        return _("Claims and accountability events about %(name)s.") % {"name": obj.name}

    def link(self, obj: Incident) -> str:
        return reverse("accountability:incident", args=[obj.slug])

    def items(self, obj: Incident) -> list[FeedEntry]:
        entries = [_event_entry(event) for event in incident_public_events(incident=obj)]
        entries += [_claim_entry(claim) for claim in claims_public_for_incident(incident=obj)]
        return sorted(entries, key=lambda entry: entry.updated, reverse=True)[:FEED_LENGTH]
