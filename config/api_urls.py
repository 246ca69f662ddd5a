"""The REST API: /api/v1/ (versioned in the path: a breaking change becomes /api/v2/ beside it), its OpenAPI
schema and the Swagger UI (assets served locally by drf-spectacular-sidecar)."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from config.api_errors import api_not_found

v1 = [
    path("", include("accountability.api.urls")),
    path("", include("claims.api.urls")),
    path("schema/", SpectacularAPIView.as_view(api_version="1.0.0"), name="schema"),
]

urlpatterns = [
    path("v1/", include((v1, "api-v1"))),
    # The Swagger UI loads its start-up script from ?script (no inline script, so it works under the CSP).
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-v1:schema", template_name="api_docs/swagger_ui.html"),
        name="api-docs",
    ),
    path(
        "docs/redoc/",
        SpectacularRedocView.as_view(url_name="api-v1:schema", template_name="api_docs/redoc.html"),
        name="api-redoc",
    ),
    re_path(r"^.*$", api_not_found),
]
