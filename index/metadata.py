"""Document metadata: a YAML front-matter block at the top of a .txt/.md file, or a sidecar file.

The sidecar sits next to the document and is named after it plus ``.meta.yaml``:

    documents/report.pdf
    documents/report.pdf.meta.yaml     # title: ..., source: ..., place: ..., date: ...

A sidecar leaves the document byte-for-byte unchanged, which is what we want for originals.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
from pathlib import Path

import yaml

from index.models import DocumentMeta

logger = logging.getLogger(__name__)

SIDECAR_SUFFIX = ".meta.yaml"
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*\r?\n", re.DOTALL)
_FIELDS = ("title", "source", "place", "date", "language")


def sidecar_path(document: Path) -> Path:
    return document.with_name(document.name + SIDECAR_SUFFIX)


def is_sidecar(path: Path) -> bool:
    return path.name.endswith(SIDECAR_SUFFIX)


def _parse_yaml(text: str, where: str) -> dict[str, str]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        logger.warning("%s: metadata is not valid YAML, ignored (%s)", where, str(exc).splitlines()[0])
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: str(data[k]).strip() for k in _FIELDS if data.get(k) is not None}


def split_front_matter(text: str, where: str) -> tuple[dict[str, str], str]:
    """Return (metadata, body) for text that may open with a ``---`` YAML block."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    return _parse_yaml(match.group(1), where), text[match.end() :]


def read_sidecar(document: Path) -> tuple[dict[str, str], bytes]:
    path = sidecar_path(document)
    if not path.is_file():
        return {}, b""
    raw = path.read_bytes()
    return _parse_yaml(raw.decode("utf-8", errors="replace"), path.name), raw


def write_sidecar(document: Path, fields: dict[str, str]) -> None:
    """Set these fields in the document's sidecar, keeping every other key it holds.

    An empty value removes its field; a sidecar left with nothing is removed. The file is replaced
    atomically, so a build reading it meanwhile sees the old or the new one, never half of it.
    """
    path = sidecar_path(document)
    data: dict = {}
    if path.is_file():
        try:
            loaded = yaml.safe_load(path.read_text("utf-8", errors="replace"))
        except yaml.YAMLError:
            loaded = None  # a broken sidecar is replaced by the fields given now
        data = loaded if isinstance(loaded, dict) else {}
    for key, value in fields.items():
        if value:
            data[key] = value
        else:
            data.pop(key, None)
    if not data:
        path.unlink(missing_ok=True)
        return
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False)
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def default_title(document: Path, text: str) -> str:
    """The first Markdown heading, else the file name made readable."""
    heading = re.search(r"^#\s+(.+)$", text[:2000], re.MULTILINE)  # a Markdown title
    if heading:
        return heading.group(1).strip()
    name = document.name.split(".")[0]
    return re.sub(r"[-_]+", " ", name).strip().capitalize() or document.name


def make_meta(fields: dict[str, str], document: Path, text: str) -> DocumentMeta:
    return DocumentMeta(
        title=fields.get("title") or default_title(document, text),
        source=fields.get("source", ""),
        place=fields.get("place", ""),
        date=fields.get("date", ""),
        language=fields.get("language", ""),
    )
