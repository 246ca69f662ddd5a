from django.db import migrations

from accountability.api.document_sql import CREATE_API_DATETIME, DROP_API_DATETIME


class Migration(migrations.Migration):
    dependencies = [
        ("accountability", "0006_query_indexes"),
    ]

    operations = [
        migrations.RunSQL(CREATE_API_DATETIME, DROP_API_DATETIME),
    ]
