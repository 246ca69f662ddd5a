import numpy as np
import pytest

from claims.matching.lexical import BM25Index, normalise_by_query_maximum

DOCUMENTS = [["vaccine", "autism"], ["vaccine", "flu", "death"], ["wall", "border", "mexico"], ["border"]]


def test_bm25_ranks_document_sharing_rare_terms_first() -> None:
    index = BM25Index.build(DOCUMENTS)
    assert [document for document, _ in index.top_k([["vaccine", "autism"]], k=2)[0]] == [0, 1]


def test_bm25_ignores_terms_unknown_to_the_index() -> None:
    index = BM25Index.build(DOCUMENTS)
    assert index.score([["unknown"]]).nnz == 0
    assert index.top_k([["unknown"]], k=3) == [[]]


def test_bm25_matches_reference_formula() -> None:
    k1, b = 1.2, 0.75
    index = BM25Index.build(DOCUMENTS, k1=k1, b=b)
    average_length = np.mean([len(d) for d in DOCUMENTS])
    document_frequency, n = 2, len(DOCUMENTS)
    idf = np.log(1 + (n - document_frequency + 0.5) / (document_frequency + 0.5))
    expected = idf * (k1 + 1) / (1 + k1 * (1 - b + b * 1 / average_length))
    assert index.score([["border"]])[0, 3] == pytest.approx(expected, rel=1e-5)


def test_shorter_document_wins_for_same_term() -> None:
    scores = BM25Index.build(DOCUMENTS).score([["border"]]).toarray()[0]
    assert scores[3] > scores[2] > 0


def test_normalising_by_query_maximum_puts_best_claim_at_one() -> None:
    index = BM25Index.build(DOCUMENTS)
    normalised = normalise_by_query_maximum(index.score([["border"], ["vaccine", "flu"], ["nothing"]])).toarray()
    assert normalised[0].max() == pytest.approx(1.0)
    assert normalised[1].max() == pytest.approx(1.0)
    assert normalised[2].max() == 0.0
