"""Run an index build in a child process that pauses at a chosen point, so a test can SIGKILL it there.

    python -m tests.build_child DOCUMENTS INDEX_DIR PAUSE_AT (fake|real)

PAUSE_AT is one of: embedding, writing-database, writing-faiss, before-switch. The child prints
"PAUSED <point>" and sleeps when it gets there.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import faiss

import index.builder
from index.config import EngineSettings
from index.engine import Engine
from tests.conftest import MODEL_CACHE, FakeEmbedder


def pause(point: str) -> None:
    print(f"PAUSED {point}", flush=True)
    time.sleep(600)


def main() -> None:
    documents, index_dir, pause_at, which = sys.argv[1:5]
    if which == "real":
        from index.embedding.embedder import EmbedderConfig
        from index.embedding.factory import create_embedder

        embedder = create_embedder(EmbedderConfig(cache_dir=MODEL_CACHE))
    else:
        embedder = FakeEmbedder()

    if pause_at == "writing-database":
        real_write = index.builder.write_database

        def half_written_database(path: Path, documents, chunks) -> None:
            real_write(path, documents, chunks[: len(chunks) // 2])
            pause(pause_at)

        index.builder.write_database = half_written_database
    if pause_at == "writing-faiss":
        real_write_index = faiss.write_index

        def half_written_faiss(idx, path: str) -> None:
            real_write_index(idx, path)
            data = Path(path).read_bytes()
            Path(path).write_bytes(data[: len(data) // 2])
            pause(pause_at)

        faiss.write_index = half_written_faiss

    def progress(stage: str, done: int, total: int) -> None:
        if pause_at == "embedding" and stage == "embedding" and done > 0:
            pause(pause_at)
        if pause_at == "before-switch" and stage == "publishing" and done == 0:
            pause(pause_at)

    settings = EngineSettings(_env_file=None, documents_dir=Path(documents), index_dir=Path(index_dir))
    engine = Engine.from_settings(settings, embedder_factory=lambda: embedder)
    engine.build(progress=progress)
    print("FINISHED", flush=True)


if __name__ == "__main__":
    main()
