import numpy as np
import pytest

from claims.matching.ranking import ClaimRanker, SignalWeights, build_claim_index, top_k_indices


class FakeEmbedder:
    """Deterministic bag-of-words vectors: enough to test the combination without the ONNX model."""

    vocabulary = ["vaccine", "autism", "wall", "mexico", "pay", "tax", "immigrants"]
    max_tokens = 256

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        vectors = (
            np.array(
                [[float(word in text.lower()) for word in self.vocabulary] for text in texts],
                dtype=np.float32,
            )
            + 0.01
        )
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


CLAIMS = {
    "c1": ("Vaccines cause autism.", "Do vaccines cause autism?"),
    "c2": ("Mexico will pay for the wall.", "Will Mexico pay for the wall?"),
    "c3": ("Immigrants do not pay tax.", ""),
}


def make_ranker(weights: SignalWeights) -> ClaimRanker:
    embedder = FakeEmbedder()
    index = build_claim_index(
        list(CLAIMS),
        [text for text, _ in CLAIMS.values()],
        [title for _, title in CLAIMS.values()],
        embedder=embedder,
        weights=weights,  # type: ignore[arg-type]
    )
    return ClaimRanker(index, embedder, weights)  # type: ignore[arg-type]


def test_ranker_returns_best_claim_first_for_each_query() -> None:
    matches = make_ranker(SignalWeights(1.0, 0.0, 0.3)).rank(
        ["They say vaccines cause autism", "who pays for the wall"]
    )
    assert [found[0].claim_id for found in matches] == ["c1", "c2"]


def test_contributions_add_up_to_the_score() -> None:
    weights = SignalWeights(text_cosine=0.6, text_title_cosine=0.4, bm25=0.3)
    for match in make_ranker(weights).rank(["Mexico will pay for the wall"], top_k=3)[0]:
        assert sum(match.contributions.values()) == pytest.approx(match.score, abs=1e-5)
    best = make_ranker(weights).rank(["Mexico will pay for the wall"], top_k=1)[0][0]
    assert best.contributions["bm25"] == pytest.approx(0.3, abs=1e-5)  # the best BM25 claim is normalised to 1


def test_lexical_only_ranker_works_without_embeddings() -> None:
    index = build_claim_index(list(CLAIMS), [t for t, _ in CLAIMS.values()], None, embedder=None)
    matches = ClaimRanker(index, None, SignalWeights(0.0, 0.0, 1.0)).rank(["immigrants and tax"], top_k=1)
    assert matches[0][0].claim_id == "c3"
    assert matches[0][0].contributions == {"bm25": pytest.approx(1.0)}


def test_lexical_scores_computed_once_rank_as_those_computed_again() -> None:
    queries = ["They say vaccines cause autism", "who pays for the wall", "immigrants and tax", "no shared word"]
    for weights in (SignalWeights(1.0, 0.0, 0.3), SignalWeights(0.0, 0.0, 1.0)):
        ranker = make_ranker(weights)
        lexical = ranker.lexical_scores(queries)
        assert lexical.shape == (len(queries), len(CLAIMS))
        assert ranker.rank(queries, top_k=3, lexical=lexical) == ranker.rank(queries, top_k=3)
        # A subset of the rows goes with the subset of the queries.
        assert ranker.rank(queries[1:3], top_k=3, lexical=lexical[[1, 2]]) == ranker.rank(queries[1:3], top_k=3)


def test_top_k_is_capped_by_the_number_of_claims() -> None:
    assert len(make_ranker(SignalWeights()).rank(["wall"], top_k=10)[0]) == len(CLAIMS)


def test_top_k_indices_orders_best_first() -> None:
    scores = np.array([[0.1, 0.9, 0.5, 0.7]], dtype=np.float32)
    assert top_k_indices(scores, 3).tolist() == [[1, 3, 2]]


def test_blocked_top_k_matches_a_full_sort_on_wide_matrices() -> None:
    rng = np.random.default_rng(1)
    scores = rng.normal(size=(7, 5003)).astype(np.float32)
    scores[3, 5001] = 99.0  # best claim in the columns after the last whole block
    expected = np.argsort(-scores, axis=1, kind="stable")[:, :5]
    assert top_k_indices(scores, 5).tolist() == expected.tolist()


def test_the_best_lexical_positions_are_those_of_a_full_stable_sort_ties_included():
    import numpy as np

    from claims.matching.ranking import _best_positions

    generator = np.random.default_rng(2016)
    for size in (0, 3, 5, 6, 1_000):
        values = generator.integers(0, 8, size).astype(np.float32)  # many ties
        assert list(_best_positions(values, 5)) == list(np.argsort(-values, kind="stable")[:5])
