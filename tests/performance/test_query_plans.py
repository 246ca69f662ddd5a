"""The hot queries, planned by PostgreSQL against a small generated dataset, use the indexes meant for them.

At this size a sequential scan of a small table is often the right plan, so two kinds of checks:
- selective lookups in the big tables (links, sources) must not scan them whole, whatever the planner thinks;
- search and filter expressions must be *able* to use their index (sequential scans disabled for the check), which
  fails as soon as a query's expression drifts from the indexed one.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator

import pytest
from django.db import connection, transaction
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext

from accountability.api.document_sql import document_annotation
from accountability.datasets.generator import DatasetGenerator
from accountability.models import AccountabilityEvent, EventKind, Incident, Person
from accountability.selectors import incidents_matching, names_matching
from claims import selectors
from claims.api.documents import CLAIM_DETAIL_DOCUMENT
from claims.linking.claim_index import claims_version
from claims.models import Claim, ClaimLink, Source
from claims.review.selectors import proposed_links


@pytest.fixture(scope="module")
def dataset(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """Scale 0.05: 500 claims, 250 people, 5,000 sources, about 25,000 links, 1,000 events; analysed; rolled back
    after the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        DatasetGenerator(scale=0.05, seed=7, progress=False).generate()
        yield
        transaction.set_rollback(True)


pytestmark = pytest.mark.usefixtures("dataset")


def plan(queryset: QuerySet) -> str:
    return queryset.explain()


@contextlib.contextmanager
def sequential_scans_off(*, whole_index_scans: bool = True) -> Iterator[None]:
    """No sequential scans. With ``whole_index_scans=False``, no plain index scans either: on a table this small the
    planner would rather walk the primary key and filter every row, so each condition must then be read through an
    index built for it."""
    switches = ["enable_seqscan"] + ([] if whole_index_scans else ["enable_indexscan"])
    with connection.cursor() as cursor:
        for switch in switches:
            cursor.execute(f"SET {switch} = off")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for switch in switches:
                cursor.execute(f"RESET {switch}")


@pytest.mark.django_db
def test_a_claims_public_links_are_read_by_index_not_by_scanning_every_link():
    claim = Claim.objects.filter(is_published=True).order_by("id").first()
    explained = plan(selectors.claim_public_links(claim=claim))
    assert "Seq Scan on claims_claimlink" not in explained
    assert "Index" in explained


@pytest.mark.django_db
def test_a_sources_public_links_are_read_by_index_not_by_scanning_every_link():
    source = Source.objects.filter(is_published=True).order_by("id").first()
    explained = plan(selectors.source_public_links(source=source))
    assert "Seq Scan on claims_claimlink" not in explained


@pytest.mark.django_db
def test_one_source_is_read_by_its_key():
    source = Source.objects.order_by("id").last()
    assert "Seq Scan on claims_source" not in plan(Source.objects.filter(pk=source.pk, is_published=True))


@pytest.mark.django_db
def test_claim_search_uses_the_full_text_index_on_the_text_and_the_name_index_on_people():
    with sequential_scans_off(whole_index_scans=False):
        explained = plan(selectors.claims_matching(claims=selectors.claims_api(), query="Wouters"))
    assert "claim_search_document" in explained
    assert "person_name_search" in explained


@pytest.mark.django_db
def test_claim_search_uses_the_full_text_indexes_also_for_a_misspelt_word():
    with sequential_scans_off(whole_index_scans=False):
        # A misspelt name: no claim has it, so it is read as the claim words spelt like it, found by full text too.
        explained = plan(selectors.claims_matching(claims=selectors.claims_api(), query="Wuoters"))
    assert "claim_search_document" in explained
    assert "person_name_search" in explained
    assert "Seq Scan on claims_claim " not in explained


@pytest.mark.django_db
def test_claims_by_claimants_with_the_searched_name_are_read_through_the_claimant_indexes():
    # The indexes hold the claims' ids too: on vacuumed tables PostgreSQL reads them without visiting the claims
    # (here, inside the test's transaction, the visibility map is not set yet, so it still visits them).
    with sequential_scans_off(whole_index_scans=False):
        explained = plan(selectors.claims_matching(claims=selectors.claims_api(), query="Janssens"))
    assert re.search(r"Scan (on|using) claim_claimant_person\b", explained)
    assert re.search(r"Scan (on|using) claim_claimant_organisation\b", explained)


@pytest.mark.django_db
def test_claims_about_a_person_are_found_through_the_subject_index():
    person = Person.objects.filter(claims_about__isnull=False).order_by("id").first()
    explained = plan(Claim.objects.filter(subject_people=person))
    assert "Seq Scan on claims_claim_subject_people" not in explained


@pytest.mark.django_db
def test_events_of_one_kind_in_a_year_use_the_kind_and_date_index():
    events = AccountabilityEvent.objects.filter(
        kind=EventKind.RESIGNATION_REFUSED, occurred_on__year=2016, is_published=True
    )
    with sequential_scans_off(whole_index_scans=False):
        assert "event_kind_date" in plan(events)


@pytest.mark.django_db
def test_source_search_uses_the_full_text_index_also_for_a_misspelt_word():
    # Without plain index scans too: otherwise walking the publication-date index and filtering every row can cost
    # about the same at this size, and which one the planner picks then varies with the statistics it sampled.
    with sequential_scans_off(whole_index_scans=False):
        # A misspelt word: no source has it, so it is read as the title words spelt like it, found by full text too.
        explained = plan(selectors.sources_matching(sources=selectors.sources_api(), query="ministr"))
    assert "source_search_document" in explained
    assert "Seq Scan on claims_source" not in explained


@pytest.mark.django_db
def test_a_claims_public_links_are_counted_through_the_public_links_index():
    with sequential_scans_off():
        explained = plan(selectors.claims_api().order_by("-id")[:25])
    assert "claim_link_public" in explained


@pytest.mark.django_db
def test_the_review_queue_reads_suggested_links_in_its_order_from_its_own_index():
    explained = plan(proposed_links()[:50])
    assert "claim_link_suggested_queue" in explained
    assert not re.search(r"Sort.*\n.*claims_claimlink", explained)


@pytest.mark.django_db
def test_every_link_of_a_claim_is_found_through_the_unique_claim_and_source_index():
    claim = Claim.objects.order_by("id").first()
    with sequential_scans_off(whole_index_scans=False):
        explained = plan(ClaimLink.objects.filter(claim=claim))
    assert "claim_link_unique_pair" in explained


@pytest.mark.django_db
def test_the_links_of_a_quote_are_found_through_an_index_of_the_links_that_have_one():
    with sequential_scans_off(whole_index_scans=False):
        explained = plan(ClaimLink.objects.filter(quote_id=1))
    assert "claim_link_quote" in explained


@pytest.mark.django_db
def test_the_api_claims_page_reads_its_documents_through_indexes():
    settings = {"zone": "Europe/Brussels", "links_url_before": "http://testserver/", "links_url_after": "/links/"}
    documents = document_annotation(CLAIM_DETAIL_DOCUMENT, row="claims_claim", settings=settings)
    with sequential_scans_off():
        explained = plan(selectors.claims_api_records().annotate(document=documents).order_by("-id")[:25])
    assert "claim_link_public" in explained
    for table in ("claims_claimlink", "claims_claimstatuschange", "claims_claim_subject_people", "claims_source"):
        assert f"Seq Scan on {table}" not in explained


@pytest.mark.django_db
def test_searches_rank_with_the_stored_documents_and_parse_no_text_at_query_time():
    with CaptureQueriesContext(connection) as queries:
        selectors.sources_search(query="minister")
        selectors.claims_search(query="minister")
    sources_ranking, claims_ranking = [query["sql"] for query in queries if "ts_rank" in query["sql"]]
    assert 'ts_rank("claims_source"."search_document"' in sources_ranking
    assert '"claims_source"."text"' not in sources_ranking
    assert 'ts_rank(("claims_claim"."search_document" ||' in claims_ranking


@pytest.mark.django_db
def test_people_search_reads_name_variants_through_the_full_text_and_trigram_indexes():
    with sequential_scans_off(whole_index_scans=False):
        explained = plan(names_matching("janssens"))
    assert "person_name_document" in explained
    assert "person_name_trigram" in explained


@pytest.mark.django_db
def test_incident_search_reads_the_full_text_and_trigram_indexes():
    with sequential_scans_off(whole_index_scans=False):
        explained = plan(incidents_matching(incidents=Incident.objects.all(), query="Brussels"))
    for index in ("incident_search_document", "incident_name_trigram", "incident_location_trigram"):
        assert index in explained


@pytest.mark.django_db
def test_the_matchers_check_for_changed_claims_reads_an_index_alone():
    with CaptureQueriesContext(connection) as queries:
        claims_version()
    # Rolled back after the module, the dataset is never vacuumed: the planner would count a visit to every claim
    # for a scan that, once vacuumed, reads the index alone. Without the other ways, the index must still serve.
    with connection.cursor() as cursor, sequential_scans_off():
        cursor.execute("SET enable_bitmapscan = off")
        try:
            cursor.execute(f"EXPLAIN {queries.captured_queries[0]['sql']}")
            explained = "\n".join(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("RESET enable_bitmapscan")
    assert "Index Only Scan using claim_unmerged" in explained
