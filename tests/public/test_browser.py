"""The public pages in a real headless Chromium against a live server, with an axe-core accessibility scan.

axe-core 4.14.1 is vendored as ``tests/public/vendor/axe.min.js`` (MPL-2.0, licence alongside) so the suite
needs no network. Chromium is Debian's (``apt-get install chromium``), driven by Playwright's Python package.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.browser import BROWSER_TEST_MARKS

AXE = Path(__file__).with_name("vendor") / "axe.min.js"

pytestmark = [
    *BROWSER_TEST_MARKS,
]


@pytest.fixture
def story_on_live_server(django_db_setup, transactional_db, live_server, demo_story):  # type: ignore[no-untyped-def]
    """The demo story, committed so the live server's thread sees it.

    The live server answers each request in a new thread; with persistent connections those threads would keep
    sessions open and block dropping the test database, so connections close after each request here.
    """
    from django.db import connections

    database = connections.settings["default"]
    conn_max_age = database["CONN_MAX_AGE"]
    database["CONN_MAX_AGE"] = 0
    yield demo_story
    database["CONN_MAX_AGE"] = conn_max_age


def _page_urls(story) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {
        "home": "/",
        "claim": "/claims/belgium-ignored-turkeys-warning-about-ibrahim-al-bakrawi/",
        "person": "/people/jan-jambon/",
        "incident": "/incidents/brussels-bombings-2016/",
        "organisation": "/organisations/government-of-belgium/",
        "source": f"/sources/{story.article.pk}/",
        "methodology": "/methodology/",
        "search": "/search/?q=Bakrawi",
    }


EXPECTED_TEXT = {
    "home": "Jan Jambon",
    "claim": "Belgium ignored Turkey's warning",
    "person": "Minister of Security and the Interior",
    "incident": "Maelbeek",
    "organisation": "Prime Minister",
    "source": "I confirm I tendered my resignation",
    "methodology": "Claim statuses",
    "search": "Ibrahim El Bakraoui",
}


def _serious_violations(page) -> list[str]:  # type: ignore[no-untyped-def]
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{violation['id']} ({violation['impact']}): {[node['target'] for node in violation['nodes']]}"
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("width", [1280, 390])
def test_every_page_type_renders_and_passes_axe(story_on_live_server, live_server, browser, width):
    # axe is injected as an inline script, which the pages' Content Security Policy rightly refuses.
    page = browser.new_page(viewport={"width": width, "height": 900}, bypass_csp=True)
    failures = {}
    for name, path in _page_urls(story_on_live_server).items():
        response = page.goto(live_server.url + path)
        assert response is not None, name
        assert response.status == 200, (name, response.status)
        assert EXPECTED_TEXT[name] in page.inner_text("main"), name
        assert page.locator("main h1").count() == 1, name
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"{name} scrolls sideways at {width}px ({scroll_width}px wide)"
        violations = _serious_violations(page)
        if violations:
            failures[name] = violations
    page.close()
    assert not failures, failures


def test_language_switcher_changes_the_interface_and_keeps_the_page(story_on_live_server, live_server, browser):
    page = browser.new_page()
    page.goto(live_server.url + "/people/jan-jambon/")
    assert page.inner_text("main h2 >> nth=0") == "Posts held"
    with page.expect_navigation():
        page.click('.language-switcher a[hreflang="fr"]')
    assert page.url == live_server.url + "/fr/people/jan-jambon/"
    assert page.get_attribute("html", "lang") == "fr"
    assert page.inner_text("main h2 >> nth=0") == "Postes occupés"
    with page.expect_navigation():
        page.click('.language-switcher a[hreflang="nl"]')
    assert page.url == live_server.url + "/nl/people/jan-jambon/"
    assert page.inner_text("main h2 >> nth=0") == "Ingenomen functies"
    page.close()


def test_search_form_finds_a_person_by_a_spelling_variant(story_on_live_server, live_server, browser):
    page = browser.new_page()
    page.goto(live_server.url + "/")
    page.fill("#home-search", "Bakrawi")
    with page.expect_navigation():
        page.press("#home-search", "Enter")
    page.click("text=Ibrahim El Bakraoui")
    assert page.url == live_server.url + "/people/ibrahim-el-bakraoui/"
    page.close()


def test_incident_filter_takes_a_typed_name_with_javascript_off(story_on_live_server, live_server, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/search/")
    page.fill("#incident", "brussels bombings")
    with page.expect_navigation():
        page.click(".search-form button[type=submit]")

    assert page.input_value("#incident") == "brussels-bombings-2016"
    assert "Only what concerns the incident “2016 Brussels bombings”" in page.inner_text("main")
    assert page.locator("#claim-results ~ ul.records li").count() == 4
    context.close()
