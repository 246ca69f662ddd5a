from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims and sources"
    default_auto_field = "django.db.models.BigAutoField"
