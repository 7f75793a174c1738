"""The model cache is readable by other users: a container's non-root user, other people on a shared host."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

import index.embedding.cache_access as cache_access
import index.embedding.model_builder as model_builder
import index.embedding.onnx_export as onnx_export
from index.embedding.cache_access import ModelCacheUnreadable
from index.embedding.model_builder import default_model_dir, ensure_default_model


@pytest.fixture
def private_umask() -> Iterator[None]:
    """A user whose umask keeps everything private (077), as some hosts set it."""
    previous = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(previous)


def others_can_read(root: Path) -> list[str]:
    """Paths under root (root included) that other users could NOT read: empty when all is well."""
    refused = []
    for path in [root, *root.rglob("*")]:
        mode = path.stat().st_mode
        needed = stat.S_IROTH | (stat.S_IXOTH if path.is_dir() else 0)
        if mode & needed != needed:
            refused.append(f"{path.relative_to(root.parent)} {stat.filemode(mode)}")
    return refused


def fake_build(weights, out_dir: Path) -> None:
    """Writes a model folder as the real build's writers may: private files, a subfolder."""
    (out_dir / "1_Pooling").mkdir()
    for name in ("modules.json", "model.safetensors", "1_Pooling/config.json"):
        (out_dir / name).write_text("{}")
        (out_dir / name).chmod(0o600)


def test_a_new_model_is_published_readable_by_everyone_whatever_the_umask(tmp_path, monkeypatch, private_umask):
    monkeypatch.setattr(model_builder, "read_weights", lambda path: None)
    monkeypatch.setattr(model_builder, "build_model", fake_build)
    cache = tmp_path / "models"
    model_dir = ensure_default_model(cache)
    assert (model_dir / "modules.json").is_file()
    assert others_can_read(cache) == []
    assert [p.name for p in cache.iterdir()] == [model_dir.name]  # no staging folder left


def test_an_onnx_export_is_published_readable_by_everyone(tmp_path, monkeypatch, private_umask):
    model_dir = tmp_path / "model"
    model_dir.mkdir()
    model_dir.chmod(0o755)  # the user's model folder; what the export adds inside it is ours

    def fake_export(model: Path, out_dir: Path) -> dict:
        for name in (onnx_export.GRAPH_FILE, "tokenizer.json"):
            (out_dir / name).write_bytes(b"graph")
            (out_dir / name).chmod(0o600)
        return {"export_version": onnx_export.EXPORT_VERSION, "max_length": 8, "pad_id": 0, "dimension": 4}

    monkeypatch.setattr(onnx_export, "export_model", fake_export)
    onnx_export._export_folder(model_dir)
    assert onnx_export.read_info(model_dir) is not None
    assert others_can_read(model_dir) == []
    onnx_export._write_int8_meta(onnx_export.onnx_dir(model_dir), {"int8_version": "test"})
    assert others_can_read(model_dir) == []


def test_a_cache_an_older_version_left_private_is_repaired_by_its_owner(tmp_path):
    cache = tmp_path / "models"
    model_dir = default_model_dir(cache)
    (model_dir / "onnx").mkdir(parents=True)
    (model_dir / "modules.json").write_text(json.dumps([]))
    (model_dir / "onnx" / "encoder-pooled-int8.onnx").write_bytes(b"graph")
    for path, mode in ((model_dir / "modules.json", 0o600), (model_dir / "onnx" / "encoder-pooled-int8.onnx", 0o600),
                       (model_dir / "onnx", 0o700), (model_dir, 0o700)):  # fmt: skip
        path.chmod(mode)
    assert others_can_read(model_dir)  # what version 1 published

    assert ensure_default_model(cache) == model_dir
    assert others_can_read(model_dir) == []


def test_someone_elses_private_cache_is_one_line_with_the_fix(tmp_path, monkeypatch):
    cache = tmp_path / "models"
    model_dir = default_model_dir(cache)
    model_dir.mkdir(parents=True)
    (model_dir / "modules.json").write_text("[]")
    model_dir.chmod(0o700)

    def not_the_owner(path, mode):
        raise PermissionError(1, "Operation not permitted", str(path))

    # As another user: chmod is refused and the folder cannot be entered.
    monkeypatch.setattr(cache_access.os, "chmod", not_the_owner)
    monkeypatch.setattr(cache_access.os, "access", lambda path, mode: False)
    with pytest.raises(ModelCacheUnreadable) as refused:
        ensure_default_model(cache)
    message = str(refused.value)
    assert "\n" not in message
    assert str(model_dir) in message and f"chmod -R a+rX {model_dir}" in message
