"""A documents or index folder the process cannot write: one line saying which and how to fix it, never a traceback.

Running as root (as CI does), permission bits stop nothing, so the unwritable folder here is a path a
folder cannot be made at (a regular file stands there); where a permission refusal is needed, the
check itself is replaced, as the handler sees only its answer.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

import index.folders as folders
from bot.cli import main
from index.folders import FolderNotWritable, is_writable, warn_unwritable
from tests.bot_harness import ADMIN, running_bot
from tests.conftest import SEED_DOCUMENTS, FakeEmbedder
from tests.fake_telegram import document_message, private_message


@pytest.fixture
def blocked(tmp_path: Path) -> Path:
    """A path no folder can be created at: a file is there."""
    path = tmp_path / "occupied"
    path.write_text("not a folder")
    return path


def test_writability_is_tried_for_real(tmp_path: Path, blocked: Path) -> None:
    assert is_writable(tmp_path)
    assert is_writable(tmp_path / "not" / "yet" / "made")  # made when first needed
    assert not (tmp_path / "not").exists()
    assert not is_writable(blocked) and not is_writable(blocked / "index")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["occupied"]  # no probe file left behind


def test_the_message_names_the_folder_the_user_and_both_fixes(blocked: Path) -> None:
    message = str(FolderNotWritable(blocked, "index"))
    assert "\n" not in message
    assert str(blocked) in message and f"uid {os.getuid()}" in message
    assert "chown -R" in message and "--user $(id -u):$(id -g)" in message


def test_indexing_into_an_unwritable_folder_is_one_line(blocked: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("DOCUMENTS_DIR", str(SEED_DOCUMENTS))
    monkeypatch.setenv("INDEX_DIR", str(blocked))
    assert main(["index"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    [line] = [line for line in err.splitlines() if line.strip()]
    assert line.startswith("Not started: The index folder") and str(blocked) in line and "chown" in line


def test_the_bot_warns_at_start_up_about_each_folder_it_cannot_write(tmp_path: Path, blocked: Path, caplog) -> None:
    with caplog.at_level(logging.WARNING):
        lines = warn_unwritable(documents_dir=blocked, index_dir=tmp_path / "index")
    assert len(lines) == 1 and "documents folder" in lines[0] and "uploads cannot be saved" in lines[0]
    assert caplog.messages == lines


async def test_an_admin_upload_or_reindex_hitting_an_unwritable_folder_is_told_so(tmp_path, documents, monkeypatch,
                                                                                    caplog) -> None:  # fmt: skip
    before = sorted(p.name for p in documents.iterdir())
    monkeypatch.setattr(folders, "is_writable", lambda folder: Path(folder) != documents)
    async with running_bot(documents, tmp_path / "index", FakeEmbedder()) as run:
        fake = run.fake
        fake.files["f1"] = "Протокол 12-го заседания.".encode()
        with caplog.at_level(logging.WARNING):
            fake.push(document_message(ADMIN, "f1", "protocol.txt", 20))
            await fake.wait_for(lambda calls: fake.sent_texts(ADMIN))
        [reply] = fake.sent_texts(ADMIN)
        assert "папку документов" in reply and "журнале бота" in reply
        assert not fake.calls_to("getFile")  # refused before fetching the file
        assert sorted(p.name for p in documents.iterdir()) == before
        assert any(str(documents) in m and "chown" in m for m in caplog.messages)

        def no_index_folder(full: bool = False, progress=None):
            raise FolderNotWritable(tmp_path / "index", "index")

        monkeypatch.setattr(run.engine, "build", no_index_folder)
        fake.push(private_message(ADMIN, "/reindex"))
        await fake.wait_for(lambda calls: any("папку индекса" in t for t in fake.sent_texts(ADMIN)))
        assert "Ответы по-прежнему даются по текущему индексу" in fake.sent_texts(ADMIN)[-1]
