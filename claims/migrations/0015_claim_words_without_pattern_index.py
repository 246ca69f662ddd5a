from django.db import migrations


class Migration(migrations.Migration):
    """Claim words are looked up by similarity (their trigram index), never by prefix: the pattern index Django adds
    to a text key only costs writes. (A migration of its own: Django creates that index at the end of the migration
    that creates the table.)"""

    dependencies = [
        ("claims", "0014_claim_words"),
    ]

    operations = [
        migrations.RunSQL(
            """
            DO $$
            DECLARE pattern_index text;
            BEGIN
                FOR pattern_index IN
                    SELECT indexname FROM pg_indexes WHERE tablename = 'claims_claimword' AND indexname LIKE '%\\_like'
                LOOP
                    EXECUTE format('DROP INDEX %I', pattern_index);
                END LOOP;
            END $$;
            """,
            migrations.RunSQL.noop,
        ),
    ]
