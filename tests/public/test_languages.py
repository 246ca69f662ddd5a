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


def test_language_switcher_posts_to_set_language_and_lands_on_the_translated_page(client, demo_story, claim_url):
    page = client.get(claim_url).content.decode()
    assert 'action="/i18n/setlang/"' in page
    response = client.post("/i18n/setlang/", {"language": "nl", "next": claim_url})
    assert response.status_code == 302
    assert response["Location"] == f"/nl{claim_url}"
