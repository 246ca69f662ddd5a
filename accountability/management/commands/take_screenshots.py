"""Render every public page type at desktop and phone widths, and the main editorial admin screens at desktop width,
into ``docs/screenshots/``.

Serves the site from this process on 127.0.0.1 (a free port) against the configured database, which should hold
the demo story (``manage.py load_demo``), and drives Debian's Chromium through Playwright. The admin screens are
taken signed in as ``--admin-user`` (the demo editor by default); the review queue shows whatever proposals wait.
"""

from __future__ import annotations

import threading
from pathlib import Path

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.handlers.wsgi import WSGIHandler
from django.core.management.base import BaseCommand, CommandError
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.db.models import Count, F

from accountability.models import AccountabilityEvent, EventKind, Incident, Organisation, Person
from claims.models import Claim, Source

WIDTHS = {"desktop": 1280, "phone": 390}
CHROMIUM = "/usr/bin/chromium"


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return


class Command(BaseCommand):
    help = (
        "Screenshot each public page type at 1280 and 390 pixels wide, and the editorial admin screens at 1280, "
        "into docs/screenshots/."
    )

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("--output", default=str(Path(settings.BASE_DIR) / "docs" / "screenshots"))
        parser.add_argument("--admin-user", default="editor", help="Staff account the admin screens are taken as.")
        parser.add_argument("--skip-public", action="store_true", help="Only the admin screens.")

    def handle(self, *args: object, output: str, admin_user: str, skip_public: bool, **options: object) -> None:
        try:
            from playwright.sync_api import sync_playwright
        except ImportError as error:
            raise CommandError("Install the playwright Python package (pip install playwright==1.65.2).") from error
        if not Path(CHROMIUM).exists():
            raise CommandError(f"Needs Chromium at {CHROMIUM} (apt-get install -y chromium).")
        pages = {} if skip_public else self._pages()
        admin_pages = self._admin_pages()
        admin_session = self._admin_session(admin_user)
        folder = Path(output)
        folder.mkdir(parents=True, exist_ok=True)
        server = ThreadedWSGIServer(("127.0.0.1", 0), _QuietHandler, allow_reuse_address=False)
        server.set_app(StaticFilesHandler(WSGIHandler()))
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        base = f"http://127.0.0.1:{server.server_address[1]}"
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM,
                    args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
                )
                for device, width in WIDTHS.items():
                    page = browser.new_page(viewport={"width": width, "height": 900}, device_scale_factor=1)
                    for name, path in pages.items():
                        response = page.goto(base + path)
                        if response is None or response.status != 200:
                            raise CommandError(f"{path} answered {response.status if response else 'nothing'}")
                        target = folder / f"{name}-{device}.png"
                        page.screenshot(path=str(target), full_page=True)
                        self.stdout.write(f"{target}")
                    page.close()
                self._admin_screenshots(browser, base, folder, admin_session.session_key, admin_pages)
                browser.close()
        finally:
            admin_session.delete()
            server.shutdown()
            server.server_close()

    def _pages(self) -> dict[str, str]:
        claim = Claim.objects.filter(is_published=True, merged_into__isnull=True).order_by("id").first()
        person = (  # the official with the fullest record: posts held and the most accountability events
            Person.objects.filter(is_published=True, merged_into__isnull=True, terms__isnull=False)
            .annotate(event_count=Count("accountability_events"))
            .order_by("-event_count", "id")
            .first()
        )
        incident = Incident.objects.filter(is_published=True).first()
        organisation = Organisation.objects.filter(is_published=True, posts__isnull=False).first()
        source = Source.objects.filter(is_published=True, quotes__isnull=False).first()
        if not all((claim, person, incident, organisation, source)):
            raise CommandError("Load the demo story first: manage.py load_demo")
        return {
            "home": "/",
            "claim": f"/claims/{claim.slug}/",
            "person": f"/people/{person.slug}/",
            "incident": f"/incidents/{incident.slug}/",
            "organisation": f"/organisations/{organisation.slug}/",
            "source": f"/sources/{source.pk}/",
            "methodology": "/methodology/",
            "search": "/search/?q=Bakrawi",
            "claim-fr": f"/fr/claims/{claim.slug}/",
        }

    def _admin_pages(self) -> dict[str, str]:
        admin = "/" + settings.ADMIN_URL
        source = (  # the source the matcher linked last
            Source.objects.order_by(F("linked_at").desc(nulls_last=True), "-id").first()
        )
        offer = (
            AccountabilityEvent.objects.filter(kind=EventKind.RESIGNATION_OFFERED, review_state="confirmed")
            .order_by("-occurred_on", "id")
            .first()
        )
        if source is None or offer is None:
            raise CommandError("Load the demo story first: manage.py load_demo")
        return {
            "index": admin,
            "review-queue": f"{admin}review/",
            "source-add": f"{admin}editorial/sources/add/",
            "source-progress": f"{admin}editorial/sources/{source.pk}/",
            "claim-from-sentence": f"{admin}editorial/sources/{source.pk}/claim/?sentence=1",
            "person-change": f"{admin}accountability/person/{offer.person_id}/change/",
            "resignation-offers": f"{admin}editorial/people/{offer.person_id}/resignation-offers/",
            "offer-outcome": f"{admin}editorial/offers/{offer.pk}/outcome/",
            "person-history": f"{admin}accountability/person/{offer.person_id}/history/",
        }

    def _admin_session(self, username: str) -> SessionStore:
        """A signed-in session for the staff account, so the screens need no password; deleted afterwards."""
        user = get_user_model().objects.filter(username=username, is_staff=True, is_active=True).first()
        if user is None:
            raise CommandError(f"No active staff account {username!r}; pass --admin-user or run make run once.")
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        return session

    def _admin_screenshots(self, browser, base: str, folder: Path, session_key: str, pages: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
        """The sign-in page signed out, then each admin screen signed in."""
        context = browser.new_context(viewport={"width": WIDTHS["desktop"], "height": 900}, device_scale_factor=1)
        page = context.new_page()
        self._shoot(page, base + "/" + settings.ADMIN_URL + "login/", folder / "admin-login.png")
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session_key, "url": base}])
        for name, path in pages.items():
            self._shoot(page, base + path, folder / f"admin-{name}.png")
        context.close()

    def _shoot(self, page, url: str, target: Path) -> None:  # type: ignore[no-untyped-def]
        response = page.goto(url)
        if response is None or response.status != 200:
            raise CommandError(f"{url} answered {response.status if response else 'nothing'}")
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(target), full_page=True)
        self.stdout.write(f"{target}")
