"""sitemap.xml: every published public page, in every interface language, with hreflang alternates."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse

from accountability.models import Incident, Organisation, Person
from claims.models import Claim, Source


class _PublicSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True


class ClaimSitemap(_PublicSitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self) -> QuerySet[Claim]:
        return (
            Claim.objects.filter(is_published=True, merged_into__isnull=True).only("slug", "updated_at").order_by("id")
        )

    def location(self, item: Claim) -> str:
        return reverse("claims:claim", args=[item.slug])

    def lastmod(self, item: Claim):  # type: ignore[no-untyped-def]
        return item.updated_at


class PersonSitemap(_PublicSitemap):
    changefreq = "weekly"

    def items(self) -> QuerySet[Person]:
        return (
            Person.objects.filter(is_published=True, merged_into__isnull=True).only("slug", "updated_at").order_by("id")
        )

    def location(self, item: Person) -> str:
        return reverse("accountability:person", args=[item.slug])

    def lastmod(self, item: Person):  # type: ignore[no-untyped-def]
        return item.updated_at


class OrganisationSitemap(_PublicSitemap):
    def items(self) -> QuerySet[Organisation]:
        return (
            Organisation.objects.filter(is_published=True, merged_into__isnull=True)
            .only("slug", "updated_at")
            .order_by("id")
        )

    def location(self, item: Organisation) -> str:
        return reverse("accountability:organisation", args=[item.slug])

    def lastmod(self, item: Organisation):  # type: ignore[no-untyped-def]
        return item.updated_at


class IncidentSitemap(_PublicSitemap):
    def items(self) -> QuerySet[Incident]:
        return Incident.objects.filter(is_published=True).only("slug", "updated_at").order_by("id")

    def location(self, item: Incident) -> str:
        return reverse("accountability:incident", args=[item.slug])

    def lastmod(self, item: Incident):  # type: ignore[no-untyped-def]
        return item.updated_at


class SourceSitemap(_PublicSitemap):
    priority = 0.3

    def items(self) -> QuerySet[Source]:
        return Source.objects.filter(is_published=True).only("id", "updated_at").order_by("id")

    def location(self, item: Source) -> str:
        return reverse("claims:source", args=[item.pk])

    def lastmod(self, item: Source):  # type: ignore[no-untyped-def]
        return item.updated_at


class StaticSitemap(_PublicSitemap):
    priority = 0.6

    def items(self) -> list[str]:
        return ["accountability:home", "accountability:methodology"]

    def location(self, item: str) -> str:
        return reverse(item)


SITEMAPS = {
    "pages": StaticSitemap,
    "claims": ClaimSitemap,
    "people": PersonSitemap,
    "organisations": OrganisationSitemap,
    "incidents": IncidentSitemap,
    "sources": SourceSitemap,
}
