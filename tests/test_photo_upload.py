"""Admins photograph pages and send them to the bot: a photo, or an album, becomes a document read by OCR."""

from __future__ import annotations

import io
import time
from pathlib import Path

from index.evaluation.scans import FONT_PACKAGE, find_font, scanned_pages
from tests.archive_helpers import ask, wait_text
from tests.bot_harness import ADMIN, STAFF, running_bot
from tests.conftest import FakeEmbedder, require_system_file, require_system_tool
from tests.fake_telegram import FakeTelegram, document_message, user

PAGE_ONE = "Стороны договорились открыть прямой авиарейс между Ташкентом и Шушой в апреле 2027 года."
PAGE_TWO = "Следующее заседание рабочей группы по туризму пройдет в Самарканде осенью 2027 года."


def photo(text: str) -> bytes:
    font = require_system_file(find_font(), FONT_PACKAGE)
    buffer = io.BytesIO()
    scanned_pages(text, "photo", font)[0].convert("RGB").save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def send_photo(fake: FakeTelegram, data: bytes, message_id: int, group: str | None = None, caption: str | None = None):
    file_id = f"photo-{message_id}"
    fake.files[file_id] = data
    message = {
        "message_id": message_id,
        "date": int(time.time()),
        "chat": {"id": ADMIN, "type": "private"},
        "from": user(ADMIN),
        "photo": [{"file_id": file_id, "file_unique_id": file_id, "width": 1240, "height": 1754,
                   "file_size": len(data)}],
    }  # fmt: skip
    if group:
        message["media_group_id"] = group
    if caption:
        message["caption"] = caption
    fake.push({"message": message})


async def test_a_photo_and_an_album_of_pages_become_answerable_documents(documents: Path, tmp_path: Path) -> None:
    require_system_tool("tesseract", "tesseract-ocr")
    overrides = {"abstain_margin": -1.0, "ocr_cache_dir": tmp_path / "ocr-cache"}
    async with running_bot(documents, tmp_path / "index", FakeEmbedder(), **overrides) as run:
        fake = run.fake
        send_photo(fake, photo(PAGE_ONE), 20, caption="Протокол о туризме; МИД; 2026-11-20")
        await wait_text(fake, ADMIN, "в индексе: бот уже отвечает по нему")
        assert (documents / "Протокол о туризме.jpg").exists()
        assert "Шушой" in await ask(fake, STAFF, "Когда откроют авиарейс между Ташкентом и Шушой?")

        # An album: its pages arrive as separate messages and become one PDF of two pages.
        send_photo(fake, photo(PAGE_ONE), 30, group="album-1", caption="Записка о туризме")
        send_photo(fake, photo(PAGE_TWO), 31, group="album-1")
        await wait_text(fake, ADMIN, "в индексе: бот уже отвечает по нему", count=2)
        pdf = documents / "Записка о туризме.pdf"
        assert pdf.read_bytes().startswith(b"%PDF")
        snapshot = run.engine.snapshot
        assert snapshot is not None
        [row] = [d for d in snapshot.documents if d.path == pdf.name]
        assert row.meta.ocr_pages == (1, 2)
        assert "Самарканде" in await ask(fake, STAFF, "Где пройдет следующее заседание рабочей группы по туризму?")


async def test_staff_may_ask_a_question_in_a_file_caption(documents: Path, tmp_path: Path) -> None:
    async with running_bot(documents, tmp_path / "index", FakeEmbedder(), abstain_margin=-1.0) as run:
        fake = run.fake
        fake.files["f1"] = b"any file"
        fake.push(document_message(STAFF, "f1", "scan.txt", 8, caption="Где пройдет 22-е заседание комиссии?"))
        answer = await wait_text(fake, STAFF, "Казахстане")
        assert "только администраторам" not in answer
