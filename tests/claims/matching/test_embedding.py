import numpy as np
import pytest

from claims.matching.embedding import Embedder, embedding_model_available

pytestmark = pytest.mark.skipif(not embedding_model_available(), reason="embedding model packages not installed")


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return Embedder(num_threads=1)


def test_encode_returns_unit_float32_vectors_in_input_order(embedder: Embedder) -> None:
    texts = ["A much longer sentence about the economy and unemployment figures in 2020.", "Short.", ""]
    vectors = embedder.encode(texts, batch_size=2)
    assert vectors.shape == (3, 384)
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    alone = embedder.encode([texts[1]])
    assert np.allclose(vectors[1], alone[0], atol=1e-4)  # padding within a batch does not change a vector


def test_paraphrases_are_closer_than_unrelated_sentences(embedder: Embedder) -> None:
    claim, paraphrase, unrelated = embedder.encode(
        [
            "Vaccines cause autism in children.",
            "Kids get autism from their shots.",
            "The stock market fell today.",
        ]
    )
    assert claim @ paraphrase > claim @ unrelated + 0.2


def test_texts_longer_than_the_token_limit_are_truncated(embedder: Embedder) -> None:
    vectors = embedder.encode(["word " * 2000])
    assert vectors.shape == (1, 384)


def test_encoding_nothing_returns_an_empty_matrix(embedder: Embedder) -> None:
    assert embedder.encode([]).shape == (0, 384)
