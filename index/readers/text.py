"""Plain text (.txt, .md): UTF-8 with or without BOM, UTF-16 with BOM, or a detected legacy encoding."""

from __future__ import annotations

import re

import charset_normalizer

from index.readers.base import Extracted, UnreadableDocument

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _looks_binary(data: bytes) -> bool:
    sample = data[:65536]
    if not sample:
        return False
    nuls = sample.count(0)
    controls = sum(1 for b in sample if b < 32 and b not in (0, 9, 10, 13))
    return controls / len(sample) > 0.02 or nuls / len(sample) > 0.3


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else the detected encoding (typically cp1251)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _CONTROL.sub("", data.decode("utf-16"))
        except UnicodeDecodeError:
            raise UnreadableDocument("damaged UTF-16 text", "damaged_text") from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if _looks_binary(data):
        raise UnreadableDocument("binary data, not text", "binary")
    # Stray NUL bytes (from a bad export) are dropped rather than failing the whole file.
    data = data.replace(b"\x00", b"")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        best = charset_normalizer.from_bytes(data, cp_isolation=["cp1251", "koi8_r", "cp866", "latin_1"]).best()
        if best is None:
            raise UnreadableDocument("unknown text encoding", "unknown_encoding") from None
        text = str(best)
    return _CONTROL.sub("", text)


def read_plain(data: bytes) -> Extracted:
    return Extracted(decode_text(data))
