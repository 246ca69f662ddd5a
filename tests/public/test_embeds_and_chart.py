"""Embeddable cards, oEmbed discovery, the official's timeline chart, and the print stylesheet."""

from __future__ import annotations

import datetime
import re
from urllib.parse import quote

import pytest

from accountability.charts import person_timeline_chart
from accountability.models import Term
from claims.models import Claim

pytestmark = pytest.mark.django_db
CLAIM_SLUG = "belgium-ignored-turkeys-warning-about-ibrahim-al-bakrawi"


def test_claim_card_can_be_framed_by_other_sites(client, demo_story):
    response = client.get(f"/embed/claims/{CLAIM_SLUG}/")
    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    page = response.content.decode()
    assert "Belgium ignored Turkey" in page
    assert f'href="/claims/{CLAIM_SLUG}/"' in page


def test_ordinary_pages_still_refuse_framing(client, demo_story):
    assert client.get(f"/claims/{CLAIM_SLUG}/")["X-Frame-Options"] == "DENY"


def test_person_card_shows_the_offer_and_who_refused_it(client, demo_story):
    page = client.get("/embed/people/jan-jambon/").content.decode()
    assert "Jan Jambon" in page
    assert "Charles Michel" in page


def test_unpublished_claim_has_no_card(client, demo_story):
    Claim.objects.filter(slug=CLAIM_SLUG).update(is_published=False)
    assert client.get(f"/embed/claims/{CLAIM_SLUG}/").status_code == 404


def test_claim_page_advertises_oembed_and_the_endpoint_answers_a_rich_iframe(client, demo_story):
    page = client.get(f"/claims/{CLAIM_SLUG}/").content.decode()
    discovery = re.search(r'<link rel="alternate" type="application/json\+oembed" href="([^"]+)"', page)
    assert discovery is not None
    answer = client.get(discovery.group(1).replace("&amp;", "&")).json()
    assert answer["type"] == "rich"
    assert answer["version"] == "1.0"
    assert f'src="http://testserver/embed/claims/{CLAIM_SLUG}/"' in answer["html"]
    assert answer["title"].startswith("Belgium ignored Turkey")


def test_oembed_escapes_titles_and_honours_maxwidth(client, demo_story):
    Claim.objects.filter(slug=CLAIM_SLUG).update(text='He said "<script>alert(1)</script>"')
    answer = client.get(f"/oembed/?url={quote('http://testserver/claims/' + CLAIM_SLUG + '/')}&maxwidth=300").json()
    assert "<script>" not in answer["html"]
    assert answer["width"] == 300


@pytest.mark.parametrize(
    ("url", "status"),
    [("http://testserver/methodology/", 404), ("http://testserver/people/nobody/", 404), ("", 404)],
)
def test_oembed_refuses_what_it_cannot_embed(client, demo_story, url, status):
    assert client.get("/oembed/", {"url": url}).status_code == status


def test_oembed_works_for_french_person_urls_and_rejects_bad_maxwidth(client, demo_story):
    assert client.get("/oembed/", {"url": "http://testserver/fr/people/koen-geens/"}).json()["title"] == "Koen Geens"
    assert (
        client.get("/oembed/", {"url": "http://testserver/people/koen-geens/", "maxwidth": "wide"}).status_code == 400
    )


def test_person_page_draws_posts_and_events_as_an_accessible_svg(client, demo_story):
    page = client.get("/people/jan-jambon/").content.decode()
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert 'role="img"' in svg
    assert "Minister of Security and the Interior" in svg
    assert svg.count("<circle") == 2  # the offer (its refusal is drawn with it) and taking responsibility


def test_chart_places_terms_and_events_in_time(demo_story):
    terms = list(Term.objects.filter(person=demo_story.jambon).select_related("post"))
    events = list(demo_story.jambon.accountability_events.all())
    chart = person_timeline_chart(terms=terms, events=events, today=datetime.date(2026, 1, 1))
    assert chart is not None
    [bar] = chart.bars
    assert 0 < bar.x < bar.x + bar.width <= chart.width
    assert all(bar.x < mark.x < bar.x + bar.width for mark in chart.marks)
    assert next(tick.label for tick in chart.ticks) == "2014"


def test_nothing_to_draw_gives_no_chart():
    assert person_timeline_chart(terms=[], events=[]) is None


def test_print_stylesheet_hides_navigation(client):
    css = b"".join(client.get("/static/site.css").streaming_content).decode()
    assert "@media print" in css
    assert ".site-header nav" in css
