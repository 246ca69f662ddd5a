"""Public pages and API reads run as prepared statements: PostgreSQL plans each query shape once per connection."""

from __future__ import annotations

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def prepared_statements_of_this_connection() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.parametrize("path", ["/people/jan-jambon/", "/api/v1/claims/", "/api/v1/people/jan-jambon/"])
def test_a_read_repeated_reuses_its_prepared_statements(client, demo_story, path):
    before = prepared_statements_of_this_connection()
    for _ in range(3):
        assert client.get(path).status_code == 200
    prepared = prepared_statements_of_this_connection() - before

    assert prepared, "the repeated read prepared none of its queries"
    for _ in range(3):
        assert client.get(path).status_code == 200
    assert prepared_statements_of_this_connection() - before == prepared  # reused, not prepared again


def test_an_edit_after_prepared_reads_on_the_same_connection_is_saved_with_its_history(client, demo_story):
    """Writes keep Django's cursors: django-pghistory sends its context with each write, two statements in one."""
    import pghistory
    from pghistory.models import Events

    from claims.models import Claim

    for _ in range(3):
        client.get("/api/v1/claims/")
    claim = Claim.objects.filter(is_published=True).order_by("id").first()
    with pghistory.context(editor="after-reads"):
        claim.text += " (edited)"
        claim.save()

    recorded = Events.objects.filter(pgh_obj_model="claims.Claim", pgh_obj_id=str(claim.pk))
    assert recorded.filter(pgh_context__editor="after-reads").exists()
