"""The archive without Telegram: names, captions, versions and history, refused uploads, queued builds."""

from __future__ import annotations

import ast
import asyncio
import errno
import shutil
import tempfile
import threading
from pathlib import Path

import pytest

from bot.archive import (
    ArchiveService,
    BuildQueue,
    DocumentStore,
    DuplicateDocument,
    FolderMissing,
    FolderNotWritable,
    parse_caption,
    safe_file_name,
)
from bot.build_messages import skip_reason, summary_text
from bot.texts import LANGUAGES, texts_for
from index.metadata import read_sidecar
from index.models import BuildReport, SkippedFile
from index.readers import UnreadableDocument
from tests.conftest import FIXTURES, ROOT, FakeEmbedder

OLD = "План мероприятий. Дни культуры пройдут в Астане в мае 2026 года."
NEW = "План мероприятий. Дни культуры пройдут в Баку в июне 2026 года."


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("Протокол 12/2025.docx", "Протокол 12_2025.docx"),  # "/" is part of the name, not a folder
        ("../../etc/passwd.txt", "etc_passwd.txt"),
        ("..\\..\\windows\\system.ini.txt", "windows_system.ini.txt"),
        ("отчёт 2025.PDF", "отчёт 2025.pdf"),
        ("..", "document"),
        (".hidden.txt", "hidden.txt"),
        ("a\x00b<c>|d.docx", "a_b_c_d.docx"),
    ],
)
def test_safe_file_names_keep_the_whole_name(given: str, expected: str) -> None:
    assert safe_file_name(given) == expected


@pytest.mark.parametrize(
    ("caption", "fields", "bad_date"),
    [
        ("Название; Trend; 2025-07-15", {"title": "Название", "source": "Trend", "date": "2025-07-15"}, ""),
        ("Протокол; 15.07.2025", {"title": "Протокол", "date": "2025-07-15"}, ""),
        ("; Kazinform", {"source": "Kazinform"}, ""),
        ("Название: Протокол заседания\nИсточник: Trend\nДата: 15/07/2025",
         {"title": "Протокол заседания", "source": "Trend", "date": "2025-07-15"}, ""),
        ("title: Port Kuryk\nsource = Kazinform", {"title": "Port Kuryk", "source": "Kazinform"}, ""),
        ("Протокол; Trend; вчера", {"title": "Протокол", "source": "Trend"}, "вчера"),
        ("Протокол; Trend; 2025-02-30", {"title": "Протокол", "source": "Trend"}, "2025-02-30"),
        (None, {}, ""),
    ],
)  # fmt: skip
def test_caption_gives_title_source_and_date(caption: str | None, fields: dict, bad_date: str) -> None:
    meta = parse_caption(caption)
    assert meta.fields == fields and meta.bad_date == bad_date


@pytest.fixture
def store(tmp_path: Path) -> DocumentStore:
    (tmp_path / "documents").mkdir()
    return DocumentStore(tmp_path / "documents", tmp_path / "index" / "history", max_bytes=1_000_000)


def test_a_new_version_replaces_the_document_and_undo_swaps_it_back(store: DocumentStore) -> None:
    path = store.documents_dir / "plan.txt"
    assert store.save("plan.txt", OLD.encode(), {"title": "План", "source": "Trend"}, by=1).action == "added"
    assert store.save("plan.txt", NEW.encode(), {"date": "2025-07-15"}, by=1).action == "replaced"
    assert sorted(p.name for p in store.documents_dir.iterdir()) == ["plan.txt", "plan.txt.meta.yaml"]
    assert path.read_text("utf-8") == NEW
    assert read_sidecar(path)[0] == {"title": "План", "source": "Trend", "date": "2025-07-15"}  # kept, then added to
    assert (store.history_dir / "files" / "plan.txt").read_text("utf-8") == OLD  # one version back, under the index

    change, exists = store.undo()
    assert (change.action, exists) == ("replaced", True)
    assert path.read_text("utf-8") == OLD and read_sidecar(path)[0] == {"title": "План", "source": "Trend"}
    change, exists = store.undo()  # undoing the undo brings the new version back
    assert path.read_text("utf-8") == NEW and read_sidecar(path)[0]["date"] == "2025-07-15"

    store.delete("plan.txt", by=2)
    assert not path.exists() and not (store.documents_dir / "plan.txt.meta.yaml").exists()
    assert store.changes()[0].action == "deleted"
    change, exists = store.undo("plan.txt")
    assert exists and path.read_text("utf-8") == NEW and read_sidecar(path)[0]["title"] == "План"


def test_undoing_an_upload_removes_it_and_same_bytes_change_nothing(store: DocumentStore) -> None:
    store.save("plan.txt", OLD.encode(), {})
    assert store.save("plan.txt", OLD.encode(), {}).action == "unchanged"
    with pytest.raises(DuplicateDocument) as refused:
        store.save("copy.txt", OLD.encode(), {})
    assert refused.value.existing == "plan.txt"
    change, exists = store.undo()
    assert change.action == "added" and not exists and store.documents() == []
    assert store.undo() is not None and [d.name for d in store.documents()] == ["plan.txt"]


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("protocol.pdf", (FIXTURES / "hostile" / "encrypted.pdf").read_bytes(), "encrypted_pdf"),
        ("protocol.pdf", b"this is not a pdf at all", "not_pdf"),
        ("notes.txt", (FIXTURES / "hostile" / "junk.txt").read_bytes(), "binary"),
        ("table.xlsx", b"PK\x03\x04", "unsupported_format"),
        ("big.txt", b"x" * 1_000_001, "too_large"),
    ],
)
def test_an_unreadable_upload_is_refused_with_the_index_reason_and_not_kept(
    tmp_path: Path, make_engine, name: str, data: bytes, code: str
) -> None:
    documents = tmp_path / "documents"
    documents.mkdir()
    archive = ArchiveService(
        DocumentStore(documents, tmp_path / "history", 1_000_000), BuildQueue(make_engine(documents))
    )

    async def upload() -> None:
        await archive.add_document(name, data, {"title": "Протокол"})

    with pytest.raises(UnreadableDocument) as refused:
        asyncio.run(upload())
    assert refused.value.code == code
    assert list(documents.iterdir()) == [] and archive.builds.builds_run == 0
    reason = skip_reason(refused.value.code, refused.value.details, texts_for("ru"))
    assert reason != texts_for("ru")("skip_unreadable")  # a specific reason, in Russian


def test_a_folder_that_refuses_writes_is_named(store: DocumentStore, tmp_path: Path, monkeypatch) -> None:
    mistyped = DocumentStore(tmp_path / "documnets", tmp_path / "history", 1000)
    with pytest.raises(FolderMissing):  # never created: the next build would replace the index with one file
        mistyped.ensure_writable()
    assert not mistyped.documents_dir.exists()

    def refuse(*args, dir=None, **kwargs):
        raise PermissionError(errno.EROFS, "Read-only file system", str(dir))

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(FolderNotWritable) as refused:
        store.ensure_writable()
    assert refused.value.folder == store.documents_dir
    with pytest.raises(FolderNotWritable):
        store.save("plan.txt", OLD.encode(), {})


class GatedEmbedder(FakeEmbedder):
    """Blocks document embedding while the gate is closed: a build that lasts as long as the test wants."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = threading.Event()
        self.gate.set()
        self.waiting = threading.Event()

    def embed_documents(self, texts: list[str]):
        self.waiting.set()
        self.gate.wait(30)
        return super().embed_documents(texts)


async def test_requests_during_a_build_are_coalesced_into_one_follow_up_build(tmp_path: Path, make_engine) -> None:
    documents = tmp_path / "documents"
    shutil.copytree(ROOT / "documents", documents)
    embedder = GatedEmbedder()
    builds = BuildQueue(make_engine(documents, embedder))
    embedder.gate.clear()
    first = builds.request(full=True)
    await asyncio.to_thread(embedder.waiting.wait, 30)
    (documents / "a.txt").write_text("Первый новый документ о туризме.", "utf-8")
    later = [builds.request() for _ in range(3)]
    (documents / "b.txt").write_text("Второй новый документ о транзите.", "utf-8")
    assert not first.queued and all(t.queued for t in later)
    embedder.gate.set()
    reports = [await t.wait() for t in (first, *later)]
    assert builds.builds_run == 2  # the running one, then one follow-up for all three requests
    assert reports[1] is reports[2] is reports[3]
    assert sorted(reports[1].added) == ["a.txt", "b.txt"]


def test_summary_lists_at_most_ten_names_and_says_why_in_the_reader_language() -> None:
    report = BuildReport(
        version="v000002",
        added=[f"report-{i:02d}.txt" for i in range(25)],
        skipped=[SkippedFile("scan.pdf", "no text layer (scanned PDF?)", "no_text_layer")],
        documents=25,
        chunks=40,
    )
    text = summary_text(report, texts_for("ru"))
    assert "report-09.txt" in text and "report-10.txt" not in text
    assert "…и ещё 15" in text
    assert "⚠ scan.pdf: в PDF нет текстового слоя" in text and "scanned" not in text
    assert "…and 15 more" in summary_text(report, texts_for("en"))


def _codes_raised_in(folder: Path) -> set[str]:
    """Every skip code the index (and the archive's upload check) can produce, read from their source."""
    codes = {"unreadable"}
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("UnreadableDocument", "SkippedFile"):
                position = 1 if node.func.id == "UnreadableDocument" else 2
                if len(node.args) > position and isinstance(node.args[position], ast.Constant):
                    codes.add(node.args[position].value)
    return codes


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_every_skip_code_has_a_reason_in_every_language(language: str) -> None:
    codes = _codes_raised_in(ROOT / "index") | _codes_raised_in(ROOT / "bot")
    assert {"encrypted_pdf", "too_large", "unsupported_format", "zip_bomb"} <= codes
    missing = sorted(code for code in codes if f"skip_{code}" not in LANGUAGES[language])
    assert missing == []


async def test_a_build_held_by_another_process_is_waited_for_not_failed(tmp_path: Path, make_engine) -> None:
    documents = tmp_path / "documents"
    shutil.copytree(ROOT / "documents", documents)
    engine = make_engine(documents)
    builds = BuildQueue(engine, busy_retry=0.05)
    stages: list[str] = []
    with engine.config.store.build_lock():  # what `commission-bot index` running meanwhile holds
        ticket = builds.request()
        ticket.on_progress(lambda progress: stages.append(progress.stage))

        async def until_waiting() -> None:
            while "waiting" not in stages:
                await asyncio.sleep(0.02)

        await asyncio.wait_for(until_waiting(), 10)
    report = await ticket.wait()
    assert report.documents == 1 and stages[-1] == "publishing"
