from django.apps import AppConfig


class ClaimsApiConfig(AppConfig):
    """The public REST API's own records: newsroom API keys."""

    name = "claims.api"
    label = "claims_api"
    verbose_name = "Newsroom API"
    default_auto_field = "django.db.models.BigAutoField"
