from django.apps import AppConfig


class AccountabilityConfig(AppConfig):
    name = "accountability"
    verbose_name = "Accountability"
    default_auto_field = "django.db.models.BigAutoField"
