"""The interface in English, French and Dutch; content keeps its own language."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_french_interface(client, demo_story, claim_url):
    page = client.get(f"/fr{claim_url}").content.decode()
    assert '<html lang="fr">' in page
    assert "Sources" in page
    assert "Historique du statut" in page
    assert "Non vérifiée" in page
    assert '<h1 lang="en">' in page


def test_dutch_interface(client, demo_story):
    page = client.get("/nl/people/jan-jambon/").content.decode()
    assert '<html lang="nl">' in page
    assert "Ingenomen functies" in page


def test_unprefixed_pages_are_english_whatever_the_browser_asks(client, demo_story, claim_url):
    page = client.get(claim_url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<html lang="en">' in page
    assert "Status history" in page


def test_language_switcher_links_to_the_same_page_in_each_language(client, demo_story, claim_url):
    page = client.get(claim_url).content.decode()

    assert f'href="http://testserver/nl{claim_url}" hreflang="nl"' in page
    assert f'href="http://testserver/fr{claim_url}" hreflang="fr"' in page
    assert 'aria-current="true">English</a>' in page
    assert "csrfmiddlewaretoken" not in page  # nothing per-visitor in a page that may be cached
    assert client.get(f"/nl{claim_url}").status_code == 200
