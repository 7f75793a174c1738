"""A documents or index folder the process cannot write: one line saying which and how to fix it, never a traceback.

Running as root (as CI does), permission bits stop nothing, so the unwritable folder here is a path a
folder cannot be made at (a regular file stands there). Uploads into an unwritable documents folder are
the archive's (bot/archive, tests/test_archive.py).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from bot.cli import main
from index.folders import FolderNotWritable, is_writable, warn_unwritable
from tests.bot_harness import ADMIN, running_bot
from tests.conftest import SEED_DOCUMENTS, FakeEmbedder
from tests.fake_telegram import private_message


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


async def test_a_reindex_into_an_unwritable_index_folder_tells_the_admin_which(tmp_path, documents, monkeypatch,
                                                                                 caplog) -> None:  # fmt: skip
    async with running_bot(documents, tmp_path / "index", FakeEmbedder()) as run:
        fake = run.fake

        def no_index_folder(full: bool = False, progress=None):
            raise FolderNotWritable(tmp_path / "index", "index")

        monkeypatch.setattr(run.engine, "build", no_index_folder)
        with caplog.at_level(logging.WARNING):
            fake.push(private_message(ADMIN, "/reindex"))
            await fake.wait_for(lambda calls: any("закрыта для записи" in t for t in fake.sent_texts(ADMIN)))
    assert str(tmp_path / "index") in fake.sent_texts(ADMIN)[-1]
    assert any("chown" in m and str(tmp_path / "index") in m for m in caplog.messages)  # the full fix, in the log
