"""Re-ranking vectors of claims: computed when a claim is saved (its scan of recent sources) or else the first time
it is a candidate; stored, reused, redone on edit."""

from collections.abc import Sequence

import numpy as np
import pytest

from claims.canonical import content_hash
from claims.linking.claim_index import EMBEDDING_MODEL_NAME, second_encoder_vectors
from claims.linking.rescan import claim_scan_recent_sources
from claims.matching.second_encoder import MODEL_ID, SecondEncoder
from claims.models import ClaimEmbedding
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db


class CountingEncoder(SecondEncoder):
    def __init__(self) -> None:
        super().__init__()
        self.passages_encoded: list[str] = []

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        self.passages_encoded.extend(texts)
        vectors = np.array([[len(text), 1.0] + [0.0] * 382 for text in texts], dtype=np.float32)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_vectors_are_computed_once_stored_and_reused_by_a_new_process() -> None:
    first, second = ClaimFactory(text="Turkey warned Belgium."), ClaimFactory(text="The minister knew.")
    encoder = CountingEncoder()
    vectors = second_encoder_vectors(encoder)([str(second.pk), str(first.pk)])
    assert vectors.shape == (2, 384)
    assert encoder.passages_encoded == ["Turkey warned Belgium.", "The minister knew."]
    assert ClaimEmbedding.objects.filter(model_name=MODEL_ID).count() == 2

    later_process = CountingEncoder()
    again = second_encoder_vectors(later_process)([str(first.pk), str(second.pk)])
    assert later_process.passages_encoded == []
    assert np.allclose(again, vectors[::-1])


def test_an_edited_claim_gets_a_new_vector_and_keeps_its_first_stage_vector() -> None:
    claim = ClaimFactory(text="Turkey warned Belgium.")
    ClaimEmbedding.objects.create(claim=claim, model_name=EMBEDDING_MODEL_NAME, text_hash="x", dimension=1, vector=b"1")
    second_encoder_vectors(CountingEncoder())([str(claim.pk)])
    claim.text = "Turkey warned Belgium twice about the bomber."
    claim.save()
    encoder = CountingEncoder()
    second_encoder_vectors(encoder)([str(claim.pk)])
    assert encoder.passages_encoded == [claim.text]
    assert set(ClaimEmbedding.objects.filter(claim=claim).values_list("model_name", flat=True)) == {
        EMBEDDING_MODEL_NAME,
        MODEL_ID,
    }


def test_a_claim_deleted_since_the_index_was_built_scores_a_zero_vector() -> None:
    claim = ClaimFactory()
    vectors = second_encoder_vectors(CountingEncoder())([str(claim.pk), "999999999"])
    assert not vectors[1].any()


def test_a_new_claims_scan_of_recent_sources_stores_both_its_vectors_for_the_sources_that_come_later(settings) -> None:
    settings.MATCHER_SECOND_ENCODER = True
    claim = ClaimFactory(text="Turkey warned Belgium about one of the bombers.")
    claim_scan_recent_sources(claim_id=claim.pk)
    stored = {row.model_name: row for row in ClaimEmbedding.objects.filter(claim=claim)}
    assert set(stored) == {EMBEDDING_MODEL_NAME, MODEL_ID}
    assert stored[MODEL_ID].text_hash == content_hash(claim.text)
    vector = np.frombuffer(bytes(stored[MODEL_ID].vector), dtype="<f4")
    assert vector.shape == (384,)
    assert np.isclose(np.linalg.norm(vector), 1.0, atol=1e-4)


def test_with_the_re_ranking_encoder_off_a_claims_scan_computes_no_re_ranking_vector(settings) -> None:
    settings.MATCHER_SECOND_ENCODER = False
    claim = ClaimFactory(text="Turkey warned Belgium about one of the bombers.")
    claim_scan_recent_sources(claim_id=claim.pk)
    assert not ClaimEmbedding.objects.filter(claim=claim, model_name=MODEL_ID).exists()
