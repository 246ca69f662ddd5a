from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from accountability import views as accountability_views
from accountability.sitemaps import SITEMAPS
from config import staff_views

urlpatterns = [
    path(settings.ADMIN_URL + "review/", include("claims.review.urls")),
    path(settings.ADMIN_URL + "editorial/", include("accountability.editorial.urls")),
    path(settings.ADMIN_URL + "metrics/", staff_views.operational_metrics, name="operational-metrics"),
    path(settings.ADMIN_URL, admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("config.api_urls")),
    path("oembed/", accountability_views.oembed, name="oembed"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="django.contrib.sitemaps.views.sitemap"),
]
# The public site in every interface language: English unprefixed, /fr/... and /nl/... for the others.
urlpatterns += i18n_patterns(
    path("", include("accountability.urls")),
    path("", include("claims.urls")),
    prefix_default_language=False,
)
