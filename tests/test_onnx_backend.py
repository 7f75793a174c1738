"""The ONNX Runtime backend: same vectors as sentence-transformers, a safe fallback, no torch at start."""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import index.embedding.onnx_embedder as onnx_embedder
from index.embedding.embedder import EmbedderConfig, SentenceTransformerEmbedder
from index.embedding.factory import create_encoder
from index.embedding.model_builder import default_model_dir
from index.embedding.onnx_export import GRAPH_FILE, ONNX_DIR, OnnxExportError
from tests.conftest import MODEL_CACHE, ROOT, SEED_DOCUMENTS, STAFF_LANGUAGE_TEXTS


@pytest.fixture(scope="module")
def torch_embedder() -> SentenceTransformerEmbedder:
    return SentenceTransformerEmbedder(EmbedderConfig(cache_dir=MODEL_CACHE, backend="torch"))


def test_the_float_onnx_graph_agrees_with_sentence_transformers(float_embedder, torch_embedder) -> None:
    assert float_embedder.backend == "onnx"
    # Same name: an index built by either backend is served by the other without re-embedding.
    assert float_embedder.name == torch_embedder.name
    for ours, reference in (
        (float_embedder.embed_queries(STAFF_LANGUAGE_TEXTS), torch_embedder.embed_queries(STAFF_LANGUAGE_TEXTS)),
        (float_embedder.embed_documents(STAFF_LANGUAGE_TEXTS), torch_embedder.embed_documents(STAFF_LANGUAGE_TEXTS)),
    ):
        assert ours.shape == reference.shape == (len(STAFF_LANGUAGE_TEXTS), float_embedder.dimension)
        assert np.min(np.sum(ours * reference, axis=1)) >= 0.9999


def test_a_model_that_cannot_be_exported_is_served_by_sentence_transformers(float_embedder, monkeypatch, caplog):
    def refuse(*args, **kwargs):
        raise OnnxExportError("unsupported layout")

    monkeypatch.setattr(onnx_embedder, "ensure_onnx_model", refuse)
    with caplog.at_level(logging.WARNING):
        embedder = create_encoder(EmbedderConfig(cache_dir=MODEL_CACHE))
    assert embedder.backend == "torch"
    assert "unsupported layout" in caplog.text
    vector = embedder.embed_queries([STAFF_LANGUAGE_TEXTS[0]])[0]
    assert float(vector @ float_embedder.embed_queries([STAFF_LANGUAGE_TEXTS[0]])[0]) >= 0.9999


def test_a_damaged_export_is_redone(float_embedder, tmp_path: Path, caplog) -> None:
    source = default_model_dir(MODEL_CACHE)
    folder = tmp_path / "model"
    shutil.copytree(source, folder, ignore=shutil.ignore_patterns(ONNX_DIR, "model.safetensors"))
    (folder / "model.safetensors").symlink_to(source / "model.safetensors")
    shutil.copytree(source / ONNX_DIR, folder / ONNX_DIR, ignore=shutil.ignore_patterns(GRAPH_FILE))
    (folder / ONNX_DIR / GRAPH_FILE).write_bytes((source / ONNX_DIR / GRAPH_FILE).read_bytes()[:100_000])

    with caplog.at_level(logging.WARNING):
        embedder = create_encoder(EmbedderConfig(model=str(folder), cache_dir=MODEL_CACHE, quantize=False))
    assert "exporting it again" in caplog.text
    assert embedder.backend == "onnx"
    vector = embedder.embed_queries([STAFF_LANGUAGE_TEXTS[1]])[0]
    assert float(vector @ float_embedder.embed_queries([STAFF_LANGUAGE_TEXTS[1]])[0]) >= 0.9999


def test_a_warm_process_answers_without_loading_torch(real_embedder, tmp_path: Path) -> None:
    """Start-up time: with the export cached, serving never imports torch or transformers."""
    script = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from index.config import EngineSettings\n"
        "from index.engine import Engine\n"
        f"settings = EngineSettings(_env_file=None, documents_dir=Path({str(SEED_DOCUMENTS)!r}),"
        f" index_dir=Path({str(tmp_path / 'index')!r}), model_cache_dir=Path({str(MODEL_CACHE)!r}))\n"
        "engine = Engine.from_settings(settings)\n"
        "engine.ensure_index()\n"
        "reply = engine.ask('Где пройдет 22-е заседание?')\n"
        "print(json.dumps({'answer': reply.answer.text if reply.answer else None,"
        " 'torch': 'torch' in sys.modules, 'transformers': 'transformers' in sys.modules}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300, check=True
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert "Казахстан" in result["answer"]
    assert result["torch"] is False and result["transformers"] is False
