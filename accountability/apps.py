from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _roles_sync_after_migrate(sender: AppConfig, **kwargs: object) -> None:
    """Keep the role groups' permissions complete as models and permissions are added (and after a flush).

    Each app's permissions are created in its own post-migrate step, so the groups are synced after the last one.
    """
    from django.apps import apps

    from accountability.roles import roles_sync

    if sender is [config for config in apps.get_app_configs() if config.models_module is not None][-1]:
        roles_sync()


class AccountabilityConfig(AppConfig):
    name = "accountability"
    verbose_name = "Accountability"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from accountability.caching import connect_invalidation

        connect_invalidation()
        post_migrate.connect(_roles_sync_after_migrate, dispatch_uid="accountability.roles_sync")
