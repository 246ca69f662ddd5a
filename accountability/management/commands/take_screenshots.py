"""Render every public page type at desktop and phone widths into ``docs/screenshots/``.

Serves the site from this process on 127.0.0.1 (a free port) against the configured database, which should hold
the demo story (``manage.py load_demo``), and drives Debian's Chromium through Playwright.
"""

from __future__ import annotations

import threading
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.handlers.wsgi import WSGIHandler
from django.core.management.base import BaseCommand, CommandError
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.db.models import Count

from accountability.models import Incident, Organisation, Person
from claims.models import Claim, Source

WIDTHS = {"desktop": 1280, "phone": 390}
CHROMIUM = "/usr/bin/chromium"


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return


class Command(BaseCommand):
    help = "Screenshot each public page type at 1280 and 390 pixels wide into docs/screenshots/."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("--output", default=str(Path(settings.BASE_DIR) / "docs" / "screenshots"))

    def handle(self, *args: object, output: str, **options: object) -> None:
        try:
            from playwright.sync_api import sync_playwright
        except ImportError as error:
            raise CommandError("Install the playwright Python package (pip install playwright==1.65.2).") from error
        if not Path(CHROMIUM).exists():
            raise CommandError(f"Needs Chromium at {CHROMIUM} (apt-get install -y chromium).")
        pages = self._pages()
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
                browser.close()
        finally:
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
