"""The in-process claim index follows what the matcher reads (claims, texts, headlines), not every edit."""

import pytest

from claims.linking import claim_index
from claims.linking.claim_index import current_ranker
from claims.models import ClaimStatus
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_index(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(claim_index, "_cache", None)


def test_a_status_change_keeps_the_index_it_does_not_affect() -> None:
    claim = ClaimFactory(text="Turkey warned Belgium about the bomber.")
    ranker = current_ranker()
    claim.status = ClaimStatus.CONFIRMED
    claim.save()
    assert current_ranker() is ranker


def test_an_edited_text_or_headline_rebuilds_the_index() -> None:
    claim = ClaimFactory(text="Turkey warned Belgium about the bomber.")
    ranker = current_ranker()
    claim.headline = "Did Turkey warn Belgium?"
    claim.save()
    with_headline = current_ranker()
    assert with_headline is not ranker
    claim.text = "Turkey warned Belgium twice about the bomber."
    claim.save()
    rebuilt = current_ranker()
    assert rebuilt is not with_headline
    assert rebuilt.index.row_of(str(claim.pk)) is not None


def test_a_new_claim_is_in_the_next_index() -> None:
    ClaimFactory()
    current_ranker()
    new_claim = ClaimFactory()
    assert current_ranker().index.row_of(str(new_claim.pk)) is not None


def test_between_checks_a_worker_keeps_its_index_without_asking_the_database(
    settings, django_assert_num_queries
) -> None:
    settings.MATCHER_INDEX_CHECK_SECONDS = 60
    ClaimFactory()
    ranker = current_ranker()
    ClaimFactory()
    with django_assert_num_queries(0):
        assert current_ranker() is ranker
    settings.MATCHER_INDEX_CHECK_SECONDS = 0
    assert current_ranker() is not ranker


def test_the_re_ranking_encoder_can_be_switched_off_and_near_identical_claims_still_come_oldest_first(
    settings,
) -> None:
    first = ClaimFactory(text="Turkey warned Belgium about the bomber in 2015.")
    copy = ClaimFactory(text="Turkey warned Belgium about the bomber in 2015!")
    settings.MATCHER_SECOND_ENCODER = False
    ranker = current_ranker()
    assert ranker.second_stage is not None
    assert not ranker.second_stage.uses_encoder
    best = ranker.rank(["Turkey had warned Belgium about the bomber in 2015."], top_k=2)[0]
    assert [match.claim_id for match in best] == [str(first.pk), str(copy.pk)]
    assert all("second_encoder" not in match.contributions for match in best)
