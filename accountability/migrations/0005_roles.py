"""The editorial role groups (contributor, editor, publisher, admin) with their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def roles_create(apps, schema_editor):
    from accountability.roles import roles_sync

    # Permissions are normally created after the last migration; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    roles_sync(apps)


def roles_remove(apps, schema_editor):
    from accountability.roles import ROLES

    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("accountability", "0004_soft_deletion_and_permissions"),
        ("claims", "0004_soft_deletion_and_permissions"),
        ("claims_api", "0002_webhook_webhookdelivery_webhookdeliveryattempt_and_more"),
    ]

    operations = [migrations.RunPython(roles_create, roles_remove)]
