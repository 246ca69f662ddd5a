"""Text from sources and editors is shown as text everywhere: every payload of the corpus, put in every field that
the public site, the embeds, the feeds, the JSON-LD, the admin and the API show, creates no element and no attribute.

A page made from hostile text must parse (as a browser parses it) to the very same elements and attributes as the
same page made from plain words; JSON-LD must hold the text verbatim; feeds declared as HTML must decode to text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import quote

import html5lib
import pytest
from django.utils import timezone
from lxml import etree

from accountability.models import AccountabilityEvent, EventKind, PersonName, PersonNameKind
from accountability.records import normalize_name
from claims.models import LinkReviewState
from tests.factories import (
    ClaimFactory,
    ClaimLinkFactory,
    IncidentFactory,
    OrganisationFactory,
    PersonFactory,
    QuoteFactory,
    SourceFactory,
    UserFactory,
)
from tests.security.xss_corpus import XSS_PAYLOADS

pytestmark = pytest.mark.django_db

BENIGN = "Plain words about the minister"
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "data", "srcdoc", "background"}
SAFE_SCHEMES = ("http://", "https://", "/", "#", "?", "mailto:")


@dataclass
class World:
    claim: object
    person: object
    incident: object
    organisation: object
    source: object
    event: object


def build_world(text: str, key: str) -> World:
    """Published records whose every free-text field holds ``text``, each starting with a searchable word."""
    published = {"is_published": True, "published_at": timezone.now()}
    shown = f"Zaventem {text}"
    organisation = OrganisationFactory(name=shown, slug=f"organisation-{key}", **published)
    person = PersonFactory(name=shown, slug=f"person-{key}", description=shown, **published)
    PersonName.objects.create(
        person=person,
        name=f"Alias {text}",
        normalized=normalize_name(f"Alias {text}") or "alias",
        kind=PersonNameKind.ALIAS,
    )
    incident = IncidentFactory(name=shown, slug=f"incident-{key}", description=shown, location=shown, **published)
    source = SourceFactory(title=shown, text=f"{shown}. {text} " * 3, publisher_name=shown, author=shown, **published)
    claim = ClaimFactory(
        text=shown,
        slug=f"claim-{key}",
        claimant_person=person,
        claimant_organisation=organisation,
        incident=incident,
        **published,
    )
    claim.subject_people.add(person)
    quote = QuoteFactory(
        text=shown, speaker=person, speaker_organisation=organisation, source=source, said_to=shown, **published
    )
    ClaimLinkFactory(
        claim=claim,
        source=source,
        quote=quote,
        review_state=LinkReviewState.CONFIRMED,
        reviewed_by=UserFactory(username=f"reviewer-{key}"),
        reviewed_at=timezone.now(),
    )
    event = AccountabilityEvent.objects.create(
        kind=EventKind.RESIGNATION_OFFERED,
        person=person,
        incident=incident,
        occurred_on=incident.occurred_on,
        summary=shown,
        evidence_sentence=shown,
        **published,
    )
    event.sources.add(source)
    return World(claim, person, incident, organisation, source, event)


def html_pages(world: World) -> dict[str, str]:
    return {
        "home": "/",
        "claim": f"/claims/{world.claim.slug}/",
        "person": f"/people/{world.person.slug}/",
        "incident": f"/incidents/{world.incident.slug}/",
        "organisation": f"/organisations/{world.organisation.slug}/",
        "source": f"/sources/{world.source.pk}/",
        "search": "/search/?q=Zaventem",
        "claim card": f"/embed/claims/{world.claim.slug}/",
        "person card": f"/embed/people/{world.person.slug}/",
    }


def admin_pages(world: World) -> dict[str, str]:
    return {
        "admin claims": "/admin/claims/claim/",
        "admin claim": f"/admin/claims/claim/{world.claim.pk}/change/",
        "admin person": f"/admin/accountability/person/{world.person.pk}/change/",
        "admin people": "/admin/accountability/person/",
        "admin source": f"/admin/claims/source/{world.source.pk}/change/",
        "admin sources": "/admin/claims/source/",
        "admin incident": f"/admin/accountability/incident/{world.incident.pk}/change/",
        "admin quote": f"/admin/claims/quote/{world.claim.pk and world.source.quotes.get().pk}/change/",
        "admin event": f"/admin/accountability/accountabilityevent/{world.event.pk}/change/",
        "admin events": "/admin/accountability/accountabilityevent/",
    }


def feed_urls(world: World) -> dict[str, str]:
    return {
        "claims feed": "/feeds/claims/",
        "person feed": f"/feeds/people/{world.person.slug}/",
        "incident feed": f"/feeds/incidents/{world.incident.slug}/",
    }


def element_structure(html: str) -> list[tuple[str, tuple[str, ...]]]:
    document = html5lib.parse(html, namespaceHTMLElements=False)
    return [(str(element.tag), tuple(sorted(element.attrib))) for element in document.iter()]


def live_attributes(html: str) -> list[str]:
    """Event handlers, and URL attributes with a scheme that runs code or carries a document."""
    found = []
    for element in html5lib.parse(html, namespaceHTMLElements=False).iter():
        for name, value in element.attrib.items():
            name = str(name)
            if name.lower().startswith("on"):
                found.append(f"{element.tag} {name}")
            if name.rsplit("}", 1)[-1].lower() in URL_ATTRIBUTES and not value.strip().lower().startswith(SAFE_SCHEMES):
                found.append(f"{element.tag} {name}={value[:40]}")
    return found


def json_ld_blocks(html: str) -> list[object]:
    document = html5lib.parse(html, namespaceHTMLElements=False)
    return [json.loads(s.text) for s in document.iter("script") if s.get("type") == "application/ld+json"]


def fetched(client, url: str) -> str:  # type: ignore[no-untyped-def]
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def json_strings(value: object) -> list[str]:
    if isinstance(value, dict):
        return [text for item in value.values() for text in json_strings(item)]
    if isinstance(value, list):
        return [text for item in value for text in json_strings(item)]
    return [value] if isinstance(value, str) else []


@pytest.fixture
def benign_world() -> World:
    return build_world(BENIGN, "benign")


@pytest.mark.parametrize("payload", XSS_PAYLOADS.values(), ids=XSS_PAYLOADS.keys())
def test_public_pages_and_cards_show_hostile_text_as_text(client, benign_world, payload):
    hostile = build_world(payload, "hostile")
    hostile_pages, benign_pages = html_pages(hostile), html_pages(benign_world)
    for name, url in hostile_pages.items():
        hostile_html = fetched(client, url)
        assert live_attributes(hostile_html) == [], name
        assert element_structure(hostile_html) == element_structure(fetched(client, benign_pages[name])), name


@pytest.mark.parametrize("payload", XSS_PAYLOADS.values(), ids=XSS_PAYLOADS.keys())
def test_a_hostile_search_query_is_shown_as_text(client, payload):
    hostile_html = fetched(client, f"/search/?q={quote(payload)}")
    assert live_attributes(hostile_html) == []
    assert element_structure(hostile_html) == element_structure(fetched(client, f"/search/?q={quote(BENIGN)}"))


@pytest.mark.parametrize("payload", XSS_PAYLOADS.values(), ids=XSS_PAYLOADS.keys())
def test_json_ld_holds_hostile_text_verbatim_and_cannot_be_closed(client, payload):
    hostile = build_world(payload, "hostile")
    for url in (f"/claims/{hostile.claim.slug}/", f"/people/{hostile.person.slug}/"):
        html = fetched(client, url)
        blocks = json_ld_blocks(html)
        assert blocks, url
        texts = [text for block in blocks for text in json_strings(block)]
        assert f"Zaventem {payload}" in texts, url
        script_bodies = html.split('type="application/ld+json"')[1:]
        assert all("</script" not in body.split("</script>", 1)[0].lower() for body in script_bodies)


@pytest.mark.parametrize("payload", XSS_PAYLOADS.values(), ids=XSS_PAYLOADS.keys())
def test_feeds_carry_hostile_text_as_text(client, benign_world, payload):
    hostile = build_world(payload, "hostile")
    for name, url in feed_urls(hostile).items():
        feed = etree.fromstring(client.get(url).content)
        for node in feed.iter("{http://www.w3.org/2005/Atom}title", "{http://www.w3.org/2005/Atom}summary"):
            text = node.text or ""
            if node.get("type") == "html":
                # A reader renders the decoded text as HTML: it must hold no element and no live attribute.
                fragment = html5lib.parseFragment(text, namespaceHTMLElements=False)
                assert list(fragment) == [], (name, text)
            else:
                assert node.get("type") in (None, "text"), name


@pytest.mark.parametrize("payload", XSS_PAYLOADS.values(), ids=XSS_PAYLOADS.keys())
def test_oembed_html_is_one_inert_iframe(client, payload):
    hostile = build_world(payload, "hostile")
    for path in (f"/claims/{hostile.claim.slug}/", f"/people/{hostile.person.slug}/"):
        response = client.get("/oembed/", {"url": f"http://testserver{path}", "format": "json"})
        assert response.status_code == 200
        fragment = html5lib.parseFragment(response.json()["html"], namespaceHTMLElements=False)
        elements = list(fragment.iter())
        assert [element.tag for element in elements] == ["DOCUMENT_FRAGMENT", "iframe"]
        assert sorted(elements[1].attrib) == ["height", "loading", "src", "style", "title", "width"]
        assert response.json()["title"] == f"Zaventem {payload}"


@pytest.mark.parametrize("payload", XSS_PAYLOADS.values(), ids=XSS_PAYLOADS.keys())
def test_admin_lists_and_forms_show_hostile_text_as_text(admin_client, benign_world, payload):
    hostile = build_world(payload, "hostile")
    hostile_pages, benign_pages = admin_pages(hostile), admin_pages(benign_world)
    for name, url in hostile_pages.items():
        hostile_html = fetched(admin_client, url)
        assert live_attributes(hostile_html) == [], name
        assert element_structure(hostile_html) == element_structure(fetched(admin_client, benign_pages[name])), name


@pytest.mark.parametrize("payload", XSS_PAYLOADS.values(), ids=XSS_PAYLOADS.keys())
def test_the_api_returns_hostile_text_verbatim_as_json(client, payload):
    hostile = build_world(payload, "hostile")
    for url in (
        f"/api/v1/claims/{hostile.claim.slug}/",
        f"/api/v1/people/{hostile.person.slug}/",
        f"/api/v1/incidents/{hostile.incident.slug}/",
        f"/api/v1/sources/{hostile.source.pk}/",
        f"/api/v1/events/{hostile.event.pk}/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"] == "application/json"
        assert f"Zaventem {payload}" in json_strings(response.json()), url
