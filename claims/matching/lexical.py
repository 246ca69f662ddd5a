"""BM25 (Okapi, Lucene-style IDF) over scipy sparse matrices.

Implemented here in ~100 lines instead of depending on a library: the whole index is one precomputed
term x document weight matrix, and scoring a batch of queries is a single sparse product
``query_term_counts @ weights``, so there is no Python loop over documents.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

DEFAULT_K1 = 1.5
DEFAULT_B = 0.75


@dataclass(frozen=True)
class BM25Index:
    vocabulary: dict[str, int]
    #: (n_terms, n_documents) CSR matrix: the BM25 contribution of one occurrence of a term in a query.
    term_document_weights: sparse.csr_matrix
    k1: float
    b: float

    @property
    def document_count(self) -> int:
        return int(self.term_document_weights.shape[1])

    @classmethod
    def build(
        cls, tokenized_documents: Sequence[Sequence[str]], k1: float = DEFAULT_K1, b: float = DEFAULT_B
    ) -> BM25Index:
        vocabulary: dict[str, int] = {}
        term_ids: list[int] = []
        document_ids: list[int] = []
        for document_id, tokens in enumerate(tokenized_documents):
            for token in tokens:
                term_ids.append(vocabulary.setdefault(token, len(vocabulary)))
                document_ids.append(document_id)
        document_count = len(tokenized_documents)
        shape = (len(vocabulary), document_count)
        term_frequencies = sparse.csr_matrix(
            (np.ones(len(term_ids), dtype=np.float32), (term_ids, document_ids)), shape=shape
        )
        term_frequencies.sum_duplicates()
        document_lengths = np.array([len(tokens) for tokens in tokenized_documents], dtype=np.float32)
        average_length = float(document_lengths.mean()) if document_count and document_lengths.sum() else 1.0
        document_frequencies = np.diff(term_frequencies.indptr).astype(np.float32)
        idf = np.log1p((document_count - document_frequencies + 0.5) / (document_frequencies + 0.5))

        weights = term_frequencies.tocoo()
        tf = weights.data
        length_norm = k1 * (1.0 - b + b * document_lengths[weights.col] / average_length)
        weights.data = (idf[weights.row] * tf * (k1 + 1.0) / (tf + length_norm)).astype(np.float32)
        return cls(vocabulary=vocabulary, term_document_weights=weights.tocsr(), k1=k1, b=b)

    def query_matrix(self, tokenized_queries: Sequence[Sequence[str]]) -> sparse.csr_matrix:
        """(n_queries, n_terms) term counts; terms unknown to the index are dropped."""
        rows: list[int] = []
        columns: list[int] = []
        for row, tokens in enumerate(tokenized_queries):
            for token in tokens:
                column = self.vocabulary.get(token)
                if column is not None:
                    rows.append(row)
                    columns.append(column)
        matrix = sparse.csr_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, columns)),
            shape=(len(tokenized_queries), len(self.vocabulary)),
        )
        matrix.sum_duplicates()
        return matrix

    def score(self, tokenized_queries: Sequence[Sequence[str]]) -> sparse.csr_matrix:
        """(n_queries, n_documents) sparse BM25 scores (documents sharing no term with a query are absent)."""
        return (self.query_matrix(tokenized_queries) @ self.term_document_weights).tocsr()

    def top_k(self, tokenized_queries: Sequence[Sequence[str]], k: int) -> list[list[tuple[int, float]]]:
        """Per query, up to ``k`` (document index, score) pairs, best first."""
        scores = self.score(tokenized_queries)
        results: list[list[tuple[int, float]]] = []
        for row in range(scores.shape[0]):
            start, end = scores.indptr[row], scores.indptr[row + 1]
            documents, values = scores.indices[start:end], scores.data[start:end]
            best = np.argsort(-values, kind="stable")[:k]
            results.append([(int(documents[index]), float(values[index])) for index in best])
        return results


def normalise_by_query_maximum(scores: sparse.csr_matrix) -> sparse.csr_matrix:
    """Divide each query's row by its best score, so that BM25 is on a 0..1 scale comparable to a cosine."""
    scores = scores.tocsr(copy=True)
    row_lengths = np.diff(scores.indptr)
    non_empty = row_lengths > 0
    row_maxima = np.ones(scores.shape[0], dtype=scores.data.dtype)
    if non_empty.any():
        # reduceat over the starts of the non-empty rows: much faster than scipy's max(axis=1).
        row_maxima[non_empty] = np.maximum.reduceat(scores.data, scores.indptr[:-1][non_empty])
    row_maxima[row_maxima <= 0] = 1.0
    scores.data /= np.repeat(row_maxima, row_lengths)
    return scores
