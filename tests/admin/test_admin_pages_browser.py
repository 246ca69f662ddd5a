"""The pages this admin adds (history, merge, status change, deleted records) in a real headless Chromium: they
render with the stock admin look and pass an axe-core scan without serious or critical violations."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from accountability.models import Person
from accountability.roles import PUBLISHER
from tests.factories import UserFactory
from tests.support.browser import BROWSER_TEST_MARKS

AXE = Path(__file__).parent.parent / "public" / "vendor" / "axe.min.js"
SCREENSHOTS = Path(os.environ.get("ADMIN_SCREENSHOTS_DIR", "")) if os.environ.get("ADMIN_SCREENSHOTS_DIR") else None

pytestmark = [
    *BROWSER_TEST_MARKS,
]


@pytest.fixture
def story_on_live_server(django_db_setup, transactional_db, live_server, demo_story):  # type: ignore[no-untyped-def]
    from django.db import connections

    database = connections.settings["default"]
    conn_max_age = database["CONN_MAX_AGE"]
    database["CONN_MAX_AGE"] = 0
    yield demo_story
    database["CONN_MAX_AGE"] = conn_max_age


def _serious_violations(page) -> list[dict]:  # type: ignore[no-untyped-def]
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": violation["id"], "nodes": [[node["target"], node["html"][:300]] for node in violation["nodes"]]}
        for violation in result["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]


def test_the_admins_own_pages_render_and_are_accessible(browser, live_server, story_on_live_server, user_with_role):
    publisher = user_with_role(PUBLISHER, username="browser-publisher")
    jambon = Person.objects.get(slug="jan-jambon")
    claim = story_on_live_server.claims[0] if hasattr(story_on_live_server, "claims") else None
    # The admin's Content Security Policy forbids injected scripts; the scan is the test's own, not the page's.
    page = browser.new_page(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", publisher.username)
    page.fill("#id_password", "correct horse battery staple")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")

    from claims.models import Claim

    claim = claim or Claim.objects.order_by("pk").first()
    pages = {
        "history": f"/admin/accountability/person/{jambon.pk}/history/",
        "status": f"/admin/claims/claim/{claim.pk}/status/",
        "claim-change": f"/admin/claims/claim/{claim.pk}/change/",
        "deleted-filter": "/admin/accountability/person/?deleted=yes",
    }
    problems = {}
    for name, url in pages.items():
        response = page.goto(live_server.url + url)
        assert response.status == 200, name
        if SCREENSHOTS:
            page.screenshot(path=str(SCREENSHOTS / f"admin-{name}.png"), full_page=True)
        if violations := _serious_violations(page):
            problems[name] = violations

    page.goto(f"{live_server.url}/admin/accountability/person/")
    page.check(f"input[name=_selected_action][value='{jambon.pk}']")
    page.select_option("select[name=action]", "merge_selected")
    page.click("button[name=index]")
    page.wait_for_selector("text=Merge into")
    if SCREENSHOTS:
        page.screenshot(path=str(SCREENSHOTS / "admin-merge.png"), full_page=True)
    if violations := _serious_violations(page):
        problems["merge"] = violations
    if SCREENSHOTS:
        (SCREENSHOTS / "admin-axe.json").write_text(json.dumps(problems, indent=1))
    assert not problems, json.dumps(problems, indent=1)
    assert UserFactory._meta.model.objects.filter(username=publisher.username).exists()
