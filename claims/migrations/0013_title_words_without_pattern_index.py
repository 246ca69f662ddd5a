from django.db import migrations


class Migration(migrations.Migration):
    """Title words are looked up by similarity (their trigram index), never by prefix: the pattern index Django adds
    to a text key only costs writes. (A migration of its own: Django creates that index at the end of the migration
    that creates the table.)"""

    dependencies = [
        ("claims", "0012_title_words"),
    ]

    operations = [
        migrations.RunSQL("DROP INDEX IF EXISTS claims_titleword_word_e9640937_like", migrations.RunSQL.noop),
    ]
