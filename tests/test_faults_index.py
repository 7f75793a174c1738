"""Index faults: builds killed at every stage, questions during a reindex, hostile documents."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import threading
import time
import tracemalloc
from pathlib import Path

import pytest

from index.store import VersionStore
from tests.conftest import FIXTURES, ROOT, FakeEmbedder

SEED = "azerbaijan-kazakhstan-21st-session.ru.txt"


def kill_build_at(point: str, documents: Path, index_dir: Path) -> None:
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.build_child", str(documents), str(index_dir), point, "fake"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = child.stdout.readline().strip()
        assert line == f"PAUSED {point}", line
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)


@pytest.mark.parametrize("point", ["embedding", "writing-database", "writing-faiss", "before-switch"])
def test_build_killed_at_any_point_leaves_the_previous_version(point, documents, make_engine, tmp_path) -> None:
    index_dir = tmp_path / "index"
    make_engine(documents, index_dir=index_dir).build()
    for i in range(5):
        (documents / f"new-{i}.txt").write_text(f"Новый документ {i} о строительстве дорог.", "utf-8")

    kill_build_at(point, documents, index_dir)

    survivor = make_engine(documents, index_dir=index_dir)
    snapshot = survivor.load()
    assert snapshot is not None and snapshot.version == "v000001"
    assert [d.path for d in snapshot.documents] == [SEED]
    assert survivor.ask("Где пройдет 22-е заседание?").passages[0].document == SEED

    report = survivor.build()  # the lock died with the killed process; the next build completes
    assert report.version == "v000002" and len(report.added) == 5
    names = sorted(p.name for p in (index_dir / "versions").iterdir())
    assert names == ["v000001", "v000002"]  # leftovers of the killed build are gone
    assert survivor.ask("строительство дорог").passages[0].document.startswith("new-")


class SlowFakeEmbedder(FakeEmbedder):
    """Slow enough that questions overlap a build."""

    def embed_documents(self, texts):
        time.sleep(0.02)
        return super().embed_documents(texts)


def test_questions_during_a_reindex_all_get_answers_from_one_version(documents, make_engine) -> None:
    for i in range(30):
        (documents / f"doc-{i:02d}.txt").write_text(
            " ".join(f"Версия первая, пункт {j} протокола о сотрудничестве номер {i}." for j in range(8)), "utf-8"
        )
    embedder = SlowFakeEmbedder()
    engine = make_engine(documents, embedder)
    engine.build()
    for path in documents.glob("doc-*.txt"):
        path.write_text(path.read_text("utf-8").replace("Версия первая", "Версия вторая"), "utf-8")

    replies, failures = [], []
    building = threading.Thread(target=lambda: engine.build(full=True))
    building.start()
    while building.is_alive() or len(replies) < 20:
        try:
            replies.append(engine.ask("пункт протокола о сотрудничестве", k=5))
        except Exception as exc:  # any failure is a finding
            failures.append(exc)
        if len(replies) > 2000:
            break
    building.join()
    replies.append(engine.ask("пункт протокола о сотрудничестве", k=5))

    assert failures == []
    assert all(r.passages for r in replies)
    versions_seen = []
    for reply in replies:
        markers = {("первая" in p.text, "вторая" in p.text) for p in reply.passages if p.document.startswith("doc-")}
        assert len(markers) == 1, "an answer mixed chunks of two versions"
        versions_seen.append(markers.pop())
    assert versions_seen[0] == (True, False) and versions_seen[-1] == (False, True)


def test_hostile_documents_are_reported_and_good_ones_indexed(tmp_path, make_engine) -> None:
    folder = tmp_path / "docs"
    shutil.copytree(FIXTURES / "hostile", folder)
    shutil.copy(FIXTURES / "formats" / "agriculture-cp1251.txt", folder)
    (folder / "repeated.txt").write_text("Заседание перенесено на следующую неделю.\n" * 10_000, "utf-8")
    (folder / "oversized.txt").write_text("Очень длинный отчёт. " * 200_000, "utf-8")
    outside = tmp_path / "secret.txt"
    outside.write_text("Пароль администратора: hunter2.", "utf-8")
    (folder / "escape.txt").symlink_to(outside)

    engine = make_engine(folder, max_file_mb=2)
    tracemalloc.start()
    report = engine.build()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    reasons = {s.path: s.reason for s in report.skipped}
    assert reasons == {
        "empty.txt": "empty file",
        "zero-byte.pdf": "empty file",
        "corrupt.pdf": reasons["corrupt.pdf"],
        "encrypted.pdf": "encrypted PDF (password protected)",
        "scanned.pdf": "no text layer and no scanned image (blank PDF?)",
        "not-a-zip.docx": "not a DOCX file (not a zip archive)",
        "zip-bomb.docx": reasons["zip-bomb.docx"],
        "junk.txt": "binary data, not text",
        "table.xlsx": "unsupported format '.xlsx'",
        "oversized.txt": reasons["oversized.txt"],
        "escape.txt": "symlink points outside the documents folder",
    }
    assert reasons["corrupt.pdf"].startswith("corrupt PDF")
    assert "zip bomb" in reasons["zip-bomb.docx"] and "too large" in reasons["oversized.txt"]
    # Each reason also has a code (and the figures it names), which interfaces translate.
    codes = {s.path: (s.code, s.details) for s in report.skipped}
    assert codes["encrypted.pdf"] == ("encrypted_pdf", {})
    assert codes["table.xlsx"] == ("unsupported_format", {"format": ".xlsx"})
    assert codes["oversized.txt"][0] == "too_large" and codes["oversized.txt"][1]["limit"] == "2.1"
    assert codes["zip-bomb.docx"][0] == "zip_bomb" and codes["zip-bomb.docx"][1]["mb"] >= 200
    assert {code for code, _ in codes.values()} >= {"empty", "binary", "not_docx", "no_text_layer", "symlink_outside"}
    assert engine.snapshot.manifest["skipped"][0].keys() == {"path", "reason", "code", "details"}
    assert sorted(report.added) == ["agriculture-cp1251.txt", "nul-bytes.txt", "repeated.txt", "scripts.html"]
    assert peak < 150 * 1024 * 1024  # the 300 MB zip bomb was never inflated

    snapshot = engine.snapshot
    repeated = [c for c, d in enumerate(snapshot.chunk_document) if snapshot.documents[d].path == "repeated.txt"]
    assert len(repeated) <= 2  # 10,000 identical lines are not 10,000 chunks
    assert not any("hunter2" in t or "fetch(" in t or "взлом" in t for t in snapshot.chunk_text)
    assert "Курык" in engine.ask("порт Курык").passages[0].text


def test_corrupt_index_is_detected_by_the_cli_and_the_previous_version_answers(real_embedder, tmp_path) -> None:
    from index.config import EngineSettings
    from index.engine import Engine
    from tests.conftest import SEED_DOCUMENTS

    folder = tmp_path / "docs"
    shutil.copytree(SEED_DOCUMENTS, folder)
    settings = EngineSettings(_env_file=None, documents_dir=folder, index_dir=tmp_path / "index")
    engine = Engine.from_settings(settings, embedder_factory=lambda: real_embedder)
    engine.build()
    (folder / "extra.txt").write_text("Дополнительный документ о туризме.", "utf-8")
    engine.build()
    store = VersionStore(tmp_path / "index")
    current = store.path_of(store.current_name())
    data = (current / "sentences.faiss").read_bytes()
    (current / "sentences.faiss").write_bytes(data[: len(data) // 3])

    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "ask", "--json", "Где пройдет 22-е заседание?",
         "--documents", str(folder), "--index-dir", str(tmp_path / "index")],
        capture_output=True, text=True, cwd=ROOT, timeout=600, check=True,
    )  # fmt: skip
    assert "v000002 cannot be used" in result.stderr and "truncated" in result.stderr
    assert "Казахстане" in result.stdout
