"""In a real Chromium, the public site, the admin and the API docs run under the Content Security Policy without a
single violation: nothing the pages need is blocked."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.factories import UserFactory
from tests.support.browser import BROWSER_TEST_MARKS

SCREENSHOTS = Path(os.environ.get("CSP_SCREENSHOT_DIR", "/tmp/csp-screenshots"))
CLAIM_SLUG = "belgium-ignored-turkeys-warning-about-ibrahim-al-bakrawi"
# Reported by the page itself, for every violation, before the browser logs it.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || 'inline'}`);
});
"""

pytestmark = [
    *BROWSER_TEST_MARKS,
]


@pytest.fixture
def site(django_db_setup, transactional_db, live_server, demo_story):  # type: ignore[no-untyped-def]
    """The demo story and an editor, committed so the live server's threads see them."""
    from django.db import connections

    UserFactory(username="csp-editor", is_superuser=True)
    database = connections.settings["default"]
    conn_max_age = database["CONN_MAX_AGE"]
    database["CONN_MAX_AGE"] = 0
    yield live_server
    database["CONN_MAX_AGE"] = conn_max_age


class ViolationWatcher:
    def __init__(self, page) -> None:  # type: ignore[no-untyped-def]
        self.page = page
        self.console: list[str] = []
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("console", self._on_console)

    def _on_console(self, message) -> None:  # type: ignore[no-untyped-def]
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.console.append(message.text)

    def visit(self, url: str, *, name: str, ready: str) -> list[str]:
        response = self.page.goto(url, wait_until="networkidle")
        assert response is not None
        assert response.status == 200, url
        self.page.wait_for_selector(ready)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)
        return self.violations()

    def violations(self) -> list[str]:
        return self.console + self.page.evaluate("window.__cspViolations || []")


def test_public_pages_report_no_policy_violation(browser, site):
    page = browser.new_page()
    watcher = ViolationWatcher(page)
    for name, path, ready in [
        ("home", "/", "main"),
        ("claim", f"/claims/{CLAIM_SLUG}/", "main"),
        ("person", "/people/jan-jambon/", "main svg"),
        ("embed", f"/embed/claims/{CLAIM_SLUG}/", "body"),
    ]:
        assert watcher.visit(f"{site.url}{path}", name=f"public-{name}", ready=ready) == [], path
    # The watcher does see a violation: an inline script without the nonce is refused and reported.
    page.evaluate("() => { const s = document.createElement('script'); s.textContent = '1'; document.body.append(s); }")
    page.wait_for_function("window.__cspViolations.length > 0")
    assert any("script-src" in violation for violation in watcher.violations())
    page.close()


def test_admin_login_and_pages_report_no_policy_violation(browser, site):
    page = browser.new_page()
    watcher = ViolationWatcher(page)
    assert watcher.visit(f"{site.url}/admin/login/", name="admin-login", ready="#id_username") == []
    page.fill("#id_username", "csp-editor")
    page.fill("#id_password", "correct horse battery staple")
    page.click("input[type=submit]")
    page.wait_for_selector("#site-name")
    for name, path, ready in [
        ("admin-index", "/admin/", "#content"),
        ("admin-claims", "/admin/claims/claim/", "#result_list"),
        ("admin-claim-add", "/admin/claims/claim/add/", "form"),
        ("admin-metrics", "/admin/metrics/", "#queue-lengths"),
        ("admin-review-queue", "/admin/review/", "#content"),
        ("admin-source-add", "/admin/editorial/sources/add/", "form"),
    ]:
        assert watcher.visit(f"{site.url}{path}", name=name, ready=ready) == [], path
    page.close()


def test_api_docs_render_the_operations_with_no_policy_violation(browser, site):
    page = browser.new_page()
    watcher = ViolationWatcher(page)
    violations = watcher.visit(f"{site.url}/api/docs/", name="api-docs", ready=".opblock")
    assert violations == []
    assert page.locator(".opblock").count() > 10
