"""Every response carries a Content Security Policy with a fresh nonce; scripts run only from our own files or with
that nonce, and only the embeddable cards may be framed by other sites."""

from __future__ import annotations

import re

import html5lib
import pytest

from tests.factories import ClaimFactory, PersonFactory

pytestmark = pytest.mark.django_db

CLAIM_SLUG = "belgium-ignored-turkeys-warning-about-ibrahim-al-bakrawi"


def policy(response) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    directives = {}
    for directive in response["Content-Security-Policy"].split(";"):
        name, *values = directive.split()
        directives[name] = values
    return directives


def header_nonce(response) -> str:  # type: ignore[no-untyped-def]
    (nonce,) = [value for value in policy(response)["script-src"] if value.startswith("'nonce-")]
    return nonce.removeprefix("'nonce-").removesuffix("'")


def scripts_of(html: str) -> list[dict[str, str]]:
    document = html5lib.parse(html, namespaceHTMLElements=False)
    return [{**element.attrib, "text": element.text or ""} for element in document.iter("script")]


def test_the_policy_allows_only_our_own_origin_and_no_plugins(client):
    directives = policy(client.get("/"))
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]


def test_json_ld_blocks_carry_the_nonce_of_their_response(client, demo_story):
    response = client.get(f"/claims/{CLAIM_SLUG}/")
    json_ld = [
        script for script in scripts_of(response.content.decode()) if script.get("type") == "application/ld+json"
    ]
    assert json_ld, "the claim page has ClaimReview JSON-LD"
    assert {script["nonce"] for script in json_ld} == {header_nonce(response)}


def test_each_response_gets_a_fresh_unguessable_nonce(client, demo_story):
    nonces = {header_nonce(client.get(f"/claims/{CLAIM_SLUG}/")) for _ in range(3)}
    assert len(nonces) == 3
    assert all(len(nonce) >= 22 and re.fullmatch(r"[A-Za-z0-9+/=]+", nonce) for nonce in nonces)


@pytest.mark.parametrize(
    "path",
    [
        "/",
        f"/claims/{CLAIM_SLUG}/",
        "/people/jan-jambon/",
        "/incidents/brussels-bombings-2016/",
        "/organisations/government-of-belgium/",
        "/methodology/",
        "/search/?q=Bakrawi",
        f"/embed/claims/{CLAIM_SLUG}/",
        "/embed/people/jan-jambon/",
        "/fr/",
    ],
)
def test_no_public_page_has_an_inline_script_without_the_nonce(client, demo_story, path):
    response = client.get(path)
    assert response.status_code == 200
    nonce = header_nonce(response) if "'nonce-" in response["Content-Security-Policy"] else None
    for script in scripts_of(response.content.decode()):
        if script.get("src"):
            assert not script["src"].startswith(("http:", "https:", "//")), "scripts come from our own origin"
        else:
            assert script.get("nonce") == nonce, script


@pytest.mark.parametrize("kind", ["claims", "people"])
def test_embeddable_cards_may_be_framed_by_any_site(client, published_records, kind):
    response = client.get(f"/embed/{kind}/{published_records[kind].slug}/")
    assert response.status_code == 200
    assert policy(response)["frame-ancestors"] == ["*"]
    assert "X-Frame-Options" not in response


def test_the_full_pages_behind_the_cards_may_not_be_framed(client, published_records):
    response = client.get(f"/claims/{published_records['claims'].slug}/")
    assert policy(response)["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"


def test_api_responses_carry_the_policy(client):
    response = client.get("/api/v1/claims/")
    assert response.status_code == 200
    assert policy(response)["default-src"] == ["'self'"]


def test_api_docs_load_their_start_up_script_from_a_file_not_inline(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    scripts = scripts_of(response.content.decode())
    assert scripts
    assert all(script.get("src") for script in scripts)
    start_up = [script["src"] for script in scripts if "script" in script["src"].split("?", 1)[-1]]
    assert start_up
    script_response = client.get(start_up[0])
    assert script_response.status_code == 200
    assert script_response["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in script_response.content


def test_admin_pages_carry_the_policy(admin_client):
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    directives = policy(response)
    assert directives["script-src"][0] == "'self'"
    assert "'unsafe-inline'" not in directives["script-src"]
    assert directives["frame-ancestors"] == ["'none'"]
    for script in scripts_of(response.content.decode()):
        assert script.get("src") or script.get("type") == "application/json" or script.get("nonce"), script


@pytest.fixture
def published_records(published):  # type: ignore[no-untyped-def]
    return {"claims": ClaimFactory(**published), "people": PersonFactory(**published)}


@pytest.fixture
def published():  # type: ignore[no-untyped-def]
    from django.utils import timezone

    return {"is_published": True, "published_at": timezone.now()}
