"""People and their names, organisations, posts and terms of office."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accountability import services
from accountability.models import OrganisationKind, Person, PersonName, PersonNameKind, Term, TermEndReason
from accountability.records import normalize_name
from accountability.selectors import organisation_subtree_ids, person_find_by_name, person_holds_post_on
from tests.factories import OrganisationFactory, PersonFactory, PostFactory, TermFactory

pytestmark = pytest.mark.django_db


def test_normalized_names_ignore_case_accents_and_punctuation():
    assert normalize_name("  Ibrahim EL-Bakraoui ") == normalize_name("ibrahim el bakraoui")
    assert normalize_name("Sophie Wilmès") == "sophie wilmes"
    assert normalize_name("Çavuşoğlu") == "cavusoglu"


def test_person_is_created_with_primary_name_variants_and_wikidata_id(editor):
    person = services.person_create(
        name="Ibrahim El Bakraoui", variants=["Ibrahim al-Bakrawi", "Bakrawi"], wikidata_qid="Q23614380", actor=editor
    )
    assert person.names.get(kind=PersonNameKind.PRIMARY).name == "Ibrahim El Bakraoui"
    assert set(person.names.values_list("normalized", flat=True)) == {
        "ibrahim el bakraoui",
        "ibrahim al bakrawi",
        "bakrawi",
    }
    assert person.identifiers.get().value == "Q23614380"
    assert person.recorded_by == editor


def test_adding_a_known_spelling_again_is_a_no_op(editor):
    person = services.person_create(name="Koen Geens", actor=editor)
    services.person_name_add(person=person, name="KOEN  GEENS", actor=editor)
    assert person.names.count() == 1


def test_a_name_without_letters_is_refused_with_the_field_named(editor):
    person = PersonFactory()
    with pytest.raises(ValidationError) as error:
        services.person_name_add(person=person, name=" -- ", actor=editor)
    assert "name" in error.value.message_dict


def test_malformed_wikidata_identifier_is_refused(editor):
    with pytest.raises(ValidationError) as error:
        services.person_create(name="Someone", wikidata_qid="12345", actor=editor)
    assert "__all__" in error.value.message_dict or "value" in error.value.message_dict
    assert not Person.objects.filter(name="Someone").exists()


def test_a_person_has_one_primary_name_in_the_database():
    person = PersonFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonName.objects.create(person=person, name="Other", normalized="other", kind=PersonNameKind.PRIMARY)


def test_merged_people_are_not_found_by_name(editor):
    winner = services.person_create(name="Ibrahim El Bakraoui", actor=editor)
    loser = services.person_create(name="Ibrahim al-Bakrawi", actor=editor)
    loser.merged_into = winner
    loser.save()
    assert list(person_find_by_name(name="Ibrahim al-Bakrawi")) == []


def test_term_cannot_end_before_it_starts(editor, source):
    with pytest.raises(ValidationError) as error:
        services.term_record(
            person=PersonFactory(),
            post=PostFactory(),
            started_on=datetime.date(2016, 1, 1),
            ended_on=datetime.date(2015, 1, 1),
            sources=[source],
            actor=editor,
        )
    assert "ended_on" in error.value.message_dict


def test_database_refuses_a_term_ending_before_it_starts():
    with pytest.raises(IntegrityError, match="term_ends_after_start"), transaction.atomic():
        Term.objects.create(
            person=PersonFactory(),
            post=PostFactory(),
            started_on=datetime.date(2016, 1, 1),
            ended_on=datetime.date(2015, 1, 1),
            ended_on_precision="day",
        )


def test_database_refuses_an_end_reason_without_end_date():
    with pytest.raises(IntegrityError, match="term_end_reason_needs_end_date"), transaction.atomic():
        Term.objects.create(
            person=PersonFactory(), post=PostFactory(), started_on=datetime.date(2016, 1, 1), end_reason="resigned"
        )


def test_term_dates_keep_their_precision(editor, source):
    term = services.term_record(
        person=PersonFactory(),
        post=PostFactory(),
        started_on=datetime.date(1999, 7, 1),
        started_on_precision="month",
        ended_on=datetime.date(2003, 1, 1),
        ended_on_precision="year",
        end_reason=TermEndReason.TERM_ENDED,
        sources=[source],
        actor=editor,
    )
    term.refresh_from_db()
    assert (term.started_on_precision, term.ended_on_precision) == ("month", "year")


def test_ending_a_term_needs_a_source(editor):
    term = TermFactory()
    with pytest.raises(ValidationError) as error:
        services.term_end(
            term=term, ended_on=datetime.date(2018, 12, 9), end_reason=TermEndReason.RESIGNED, sources=[], actor=editor
        )
    assert "sources" in error.value.message_dict


def test_who_holds_a_post_on_a_given_day(editor, source):
    term = TermFactory(started_on=datetime.date(2014, 10, 11))
    services.term_end(
        term=term,
        ended_on=datetime.date(2018, 12, 9),
        end_reason=TermEndReason.RESIGNED,
        sources=[source],
        actor=editor,
    )
    holds = [
        person_holds_post_on(person=term.person, post_title=term.post.title, day=datetime.date(year, 6, 1))
        for year in (2014, 2016, 2019)
    ]
    assert holds == [False, True, False]


def test_organisation_subtree_includes_nested_ministries(editor):
    country = services.organisation_create(
        name="Belgium", kind=OrganisationKind.COUNTRY, country_code="be", actor=editor
    )
    government = services.organisation_create(
        name="Government", kind=OrganisationKind.GOVERNMENT, parent=country, actor=editor
    )
    ministry = OrganisationFactory(parent=government)
    unrelated = OrganisationFactory()
    assert organisation_subtree_ids(organisation=government) == {government.pk, ministry.pk}
    assert unrelated.pk not in organisation_subtree_ids(organisation=country)
    assert country.country_code == "BE"


def test_invalid_country_code_is_refused(editor):
    with pytest.raises(ValidationError):
        services.organisation_create(name="Nowhere", kind=OrganisationKind.COUNTRY, country_code="B1", actor=editor)


def test_incident_needs_a_source_and_non_negative_casualties(editor, source):
    with pytest.raises(ValidationError) as error:
        services.incident_record(name="Attack", occurred_on=datetime.date(2016, 3, 22), sources=[], actor=editor)
    assert "sources" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.incident_record(
            name="Attack", occurred_on=datetime.date(2016, 3, 22), deaths=-1, sources=[source], actor=editor
        )
    assert "deaths" in error.value.message_dict
