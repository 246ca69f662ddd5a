"""An editor's day in a real headless Chromium against a live server, with a real Celery worker and the seed
article served from a local HTTP server: sign in, add the article by its address, watch it being processed, review
what the matcher proposes (accepting the right proposals, rejecting a wrong one, by mouse and by keyboard), record
the Prime Minister's refusal by hand, publish, and read the result on the public site. Every editorial screen on
the way is scanned with axe-core."""

from __future__ import annotations

from pathlib import Path

import pytest

from accountability.models import AccountabilityEvent, EventKind, ReviewState
from accountability.roles import PUBLISHER, role_assign
from claims.models import ClaimLink, LinkReviewState, Source
from tests.claims.linking.conftest import article_page, known_world  # noqa: F401 - fixture
from tests.editorial.conftest import proposed_link
from tests.factories import ClaimFactory, UserFactory
from tests.support.browser import BROWSER_TEST_MARKS
from tests.support.local_http import send
from tests.support.workers import start_worker, stop_worker

AXE = Path(__file__).parents[1] / "public" / "vendor" / "axe.min.js"
PASSWORD = "correct horse battery staple"
ARTICLE_PATH = "/world/belgium-ministers"

pytestmark = [
    *BROWSER_TEST_MARKS,
    pytest.mark.slow,
]


@pytest.fixture
def world_on_live_server(django_db_setup, transactional_db, live_server, known_world):  # noqa: F811
    """The record before the article arrives, committed so the live server and the worker see it."""
    from django.db import connections

    database = connections.settings["default"]
    conn_max_age = database["CONN_MAX_AGE"]
    database["CONN_MAX_AGE"] = 0
    yield known_world
    database["CONN_MAX_AGE"] = conn_max_age


@pytest.fixture
def article_server(http_server):  # type: ignore[no-untyped-def]
    http_server.routes[ARTICLE_PATH] = lambda handler: send(handler, 200, article_page())
    return http_server


@pytest.fixture
def worker(article_server):  # type: ignore[no-untyped-def]
    process = start_worker(
        extra_environment={"INGESTION_ALLOW_LOOPBACK": "true", "INGESTION_ALLOWED_PORTS": str(article_server.port)}
    )
    yield process
    stop_worker(process)


@pytest.fixture
def publisher(world_on_live_server):  # type: ignore[no-untyped-def]
    return role_assign(UserFactory(username="desk-editor", password=PASSWORD), PUBLISHER)


@pytest.fixture
def wrong_proposal(world_on_live_server):  # type: ignore[no-untyped-def]
    """A link the matcher got wrong: a sentence about a deportation taken as evidence that Belgium ignored it."""
    claim = ClaimFactory(text="Belgium deported Ibrahim El Bakraoui to Turkey in 2015.", slug="belgium-deported")
    return proposed_link(claim=claim, confidence=0.43, sentence="Turkey said it twice deported Ibrahim al-Bakrawi.")


def _serious_violations(page) -> list[str]:  # type: ignore[no-untyped-def]
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{violation['id']} ({violation['impact']}): {[node['target'] for node in violation['nodes']]}"
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def _pick(page, field_id: str, search: str, choice: str) -> None:  # type: ignore[no-untyped-def]
    """Choose in a Django admin autocomplete (select2): open it, type, pick the option."""
    page.click(f"#{field_id} + .select2 .select2-selection")
    page.fill(".select2-container--open .select2-search__field", search)
    page.click(f".select2-results__option:has-text('{choice}')")


def test_an_editor_takes_the_seed_article_from_address_to_public_page(
    world_on_live_server, live_server, browser, worker, article_server, publisher, wrong_proposal
):
    story = world_on_live_server
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    policy_violations: list[str] = []
    page.on(
        "console", lambda message: "Content Security Policy" in message.text and policy_violations.append(message.text)
    )
    # axe is injected as an inline script, which the Content Security Policy forbids: it runs in a second page,
    # signed in as the same editor, that bypasses the policy; the flow itself runs under the policy.
    scanner_context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    scanned: dict[str, list[str]] = {}

    def scan(name: str) -> None:
        scanner_context.add_cookies(context.cookies())
        scanner = scanner_context.new_page()
        scanner.goto(page.url)
        scanned[name] = _serious_violations(scanner)
        scanner.close()

    # Sign in and go from the admin index to adding a source.
    page.goto(live_server.url + "/admin/")
    page.fill("#id_username", "desk-editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    assert "proposal" in page.inner_text("#review-queue-link >> xpath=..")
    page.click("text=Add a source")
    scan("add source")
    page.fill("#id_url", article_server.url(ARTICLE_PATH + "?utm_source=rss"))
    page.click("input[value='Add the source']")

    # The progress page follows the worker by itself until the article is fetched, extracted and linked.
    assert "/admin/editorial/sources/" in page.url
    page.wait_for_selector("[data-field=status]:has-text('Finished.')", timeout=180_000)
    source = Source.objects.get(canonical_url=article_server.url(ARTICLE_PATH))
    assert page.inner_text("[data-field=fetch_state_label]") == "Fetched"
    assert page.inner_text("[data-field=events_proposed]") == "5"
    links_found = int(page.inner_text("[data-field=links_proposed]")) + int(
        page.inner_text("[data-field=links_confirmed]")
    )
    assert links_found >= 4  # the article's four claims, and perhaps the wrong claim planted beside them
    scan("source progress")

    # The queue, narrowed to this source: accept the correct proposals with the checkboxes...
    page.click("text=Review this source's proposals")
    scan("review queue")
    geens_refusal = AccountabilityEvent.objects.get(person=story.geens, kind=EventKind.RESIGNATION_REFUSED)
    wrong_here = ClaimLink.objects.filter(source=source, claim=wrong_proposal.claim).first()
    left_out = {f"event-{geens_refusal.pk}", f"link-{getattr(wrong_here, 'pk', None)}"}
    for checkbox in page.locator("tr.review-row input[type=checkbox]").all():
        if checkbox.get_attribute("value") not in left_out:
            checkbox.check()
    page.click("text=Accept ticked")
    assert "event(s)." in page.inner_text(".messagelist")
    # ... then reject what is left by keyboard: j moves to a proposal, r rejects it. That is the link to the wrong
    # claim, if the matcher suggested it, and Geens's refusal, which is recorded by hand below instead.
    remaining = page.locator("tr.review-row").count()
    assert 1 <= remaining <= 2
    for _ in range(remaining):
        page.keyboard.press("j")
        with page.expect_navigation():
            page.keyboard.press("r")
    assert page.locator("tr.review-row").count() == 0

    # The wrong link from another source is rejected from the whole queue with its own button.
    page.click("text=Clear filters")
    page.click(f"#link-{wrong_proposal.pk} .review-reject")
    assert page.locator(f"#link-{wrong_proposal.pk}").count() == 0

    # Michel's refusal of Geens's offer, recorded by hand from Geens's page.
    page.goto(f"{live_server.url}/admin/accountability/person/{story.geens.pk}/change/")
    page.click("text=Resignation offers")
    scan("resignation offers")
    page.click("text=Record the outcome")
    scan("offer outcome")
    page.check("input[value=resignation_refused]")
    _pick(page, "id_decided_by", "Michel", "Charles Michel")
    _pick(page, "id_sources", "Belgian ministers", "Belgian ministers offered to resign")
    page.fill("#id_summary", "Prime Minister Charles Michel turned the offer down.")
    page.click("input[value='Record the outcome']")
    assert "Resignation offer refused by Charles Michel" in page.inner_text("#content-main")

    # A claim from one of the article's sentences, with its quote.
    page.goto(f"{live_server.url}/admin/editorial/sources/{source.pk}/claim/")
    scan("claim from sentence")

    # Publish the confirmed events and the source with the admin's own action.
    for changelist in ("accountability/accountabilityevent/?review_state__exact=confirmed", "claims/source/"):
        page.goto(f"{live_server.url}/admin/{changelist}")
        page.check("#action-toggle")
        page.select_option("select[name=action]", "publish_selected")
        page.click("button[name=index]")

    # The result on the public site.
    page.goto(f"{live_server.url}/people/koen-geens/")
    public = page.inner_text("main")
    assert "Charles Michel" in public
    assert "turned the offer down" in public
    page.goto(f"{live_server.url}/sources/{source.pk}/")
    assert "Belgium ignored Turkey" in page.inner_text("main")
    context.close()
    scanner_context.close()

    assert not policy_violations
    decided = AccountabilityEvent.objects.filter(sources=source)
    assert set(decided.values_list("review_state", flat=True)) <= {ReviewState.CONFIRMED, ReviewState.REJECTED}
    assert decided.get(pk=geens_refusal.pk).review_state == ReviewState.REJECTED
    assert story.geens.accountability_events.get(kind=EventKind.RESIGNATION_REFUSED, review_state="confirmed")
    links = ClaimLink.objects.filter(source=source)
    assert not links.filter(review_state=LinkReviewState.SUGGESTED).exists()
    assert {link.reviewed_by for link in links if link.review_state == LinkReviewState.CONFIRMED} <= {publisher}
    wrong_proposal.refresh_from_db()
    assert (wrong_proposal.review_state, wrong_proposal.reviewed_by) == (LinkReviewState.REJECTED, publisher)
    failures = {name: found for name, found in scanned.items() if found}
    assert not failures, "\n".join(f"{name}: {found}" for name, found in failures.items())
