"""A serving-only installation (the Docker image): no torch, only the int8 graph; what it needs and what it refuses.

The subprocesses here run `commission-bot ask` with torch, transformers, sentence-transformers and onnx
made unimportable, as in the image's venv, from a serving copy of the model cache.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from index.embedding.onnx_export import GRAPH_FILE, INT8_GRAPH_FILE, ONNX_DIR
from index.embedding.serving_cache import NOT_FOR_SERVING, build_serving_cache
from tests.conftest import MODEL_CACHE, ROOT, SEED_DOCUMENTS

# Runs the CLI with the model tools absent: imports of them fail as if they were not installed.
WITHOUT_MODEL_TOOLS = f"""
import importlib.abc, sys
BLOCKED = {NOT_FOR_SERVING!r}
class NotInstalled(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
        return None
sys.meta_path.insert(0, NotInstalled())
from bot.cli import main
sys.exit(main(sys.argv[1:]))
"""


def requirements(*args: str) -> list[str]:
    out = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "project-requirements"), *args],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return [line.split("=")[0].split(">")[0].split("<")[0] for line in out.stdout.split()]


def test_serving_dependencies_leave_the_model_tools_out() -> None:
    serving = requirements()
    assert {"onnxruntime", "tokenizers", "faiss-cpu", "aiogram"} <= set(serving)
    assert not {"torch", "transformers", "sentence-transformers", "onnx"} & set(serving)
    assert {"torch", "sentence-transformers", "onnx"} <= set(requirements("--extra", "model"))
    assert requirements("--extra", "model", "--only", "torch") == ["torch"]


@pytest.fixture(scope="module")
def serving_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What the Docker image carries in /opt/models: the int8 graph, its tokenizer, metadata."""
    target = tmp_path_factory.mktemp("serving") / "models"
    model_dir = build_serving_cache(MODEL_CACHE, target)
    assert (model_dir / ONNX_DIR / INT8_GRAPH_FILE).is_file()
    assert not (model_dir / ONNX_DIR / GRAPH_FILE).exists() and not (model_dir / "model.safetensors").exists()
    return target


def ask_without_model_tools(tmp_path: Path, cache: Path, **settings: str) -> subprocess.CompletedProcess:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k != "ORT_DISABLE_TELEMETRY"}
    env.update(HOME=str(home), XDG_CACHE_HOME="", MODEL_CACHE_DIR=str(cache), DOCUMENTS_DIR=str(SEED_DOCUMENTS),
               INDEX_DIR=str(tmp_path / "index"), **settings)  # fmt: skip
    return subprocess.run(
        [sys.executable, "-c", WITHOUT_MODEL_TOOLS, "ask", "Где пройдет 22-е заседание?"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip


def test_the_int8_graph_serves_without_torch_and_sends_no_telemetry(tmp_path, serving_cache) -> None:
    result = ask_without_model_tools(tmp_path, serving_cache)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Казахстан" in result.stdout
    # ONNX Runtime's telemetry would have written a device id and an events database under ~/.cache.
    assert list((tmp_path / "home").rglob("*")) == []


@pytest.mark.parametrize(
    ("setting", "value"), [("QUANTIZE", "false"), ("EMBEDDING_BACKEND", "torch"), ("EMBEDDING_MODEL", "/srv/other")]
)
def test_what_needs_torch_says_which_image_has_it(tmp_path, serving_cache, setting, value) -> None:
    result = ask_without_model_tools(tmp_path, serving_cache, **{setting: value})
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "Exporting" not in result.stderr
    line = result.stderr.strip().splitlines()[-1]
    assert line.startswith("Cannot start: ")
    assert f"{setting}=" in line and "--target full" in line and "pip install '.[model]'" in line
