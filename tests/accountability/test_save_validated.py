"""How services save a record: fields validated in Python, the table's constraints checked by PostgreSQL on the write
itself, and a refused constraint reported as the same clear ``ValidationError``."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from accountability.models import Organisation, Person
from accountability.recording import save_validated
from claims.models import Source
from claims.services import source_record
from tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_a_save_asks_postgresql_nothing_beforehand_about_the_tables_constraints():
    with CaptureQueriesContext(connection) as queries:
        _, created = source_record(actor=None, url="https://news.example/jambon-offers", text="Jambon offered.")

    assert created
    constraint_checks = [query["sql"] for query in queries.captured_queries if '"_check"' in query["sql"]]
    assert constraint_checks == []
    assert len(Source._meta.constraints) >= 4  # each used to cost a query and a savepoint


def test_a_constraint_postgresql_refuses_is_reported_as_full_clean_reports_it():
    person = PersonFactory()
    person.merged_into = person

    with pytest.raises(ValidationError) as refused:
        save_validated(person)

    with pytest.raises(ValidationError) as validated:
        person.validate_constraints()
    assert refused.value.message_dict == validated.value.message_dict
    person.refresh_from_db()
    assert person.merged_into_id is None


def test_a_refused_save_leaves_the_surrounding_transaction_usable():
    organisation = OrganisationFactory()
    with transaction.atomic():
        organisation.parent = organisation
        with pytest.raises(ValidationError):
            save_validated(organisation)
        renamed = OrganisationFactory.build(name="Federal Public Service Justice", slug="fps-justice")
        save_validated(renamed)

    assert Organisation.objects.filter(slug="fps-justice").exists()
    organisation.refresh_from_db()
    assert organisation.parent_id is None


def test_a_refused_new_record_is_not_stored():
    with pytest.raises(ValidationError):
        save_validated(Source(url="", text="", title="Nothing to read"))
    assert not Source.objects.filter(title="Nothing to read").exists()


def test_field_errors_are_still_found_before_anything_is_written():
    with CaptureQueriesContext(connection) as queries, pytest.raises(ValidationError) as refused:
        save_validated(Person(name="", slug="nobody"))

    assert "name" in refused.value.message_dict
    assert not any(query["sql"].lstrip().upper().startswith("INSERT") for query in queries.captured_queries)
