"""Reading documents: every format gives its text; every bad file gives a reason, by name."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from index.loader import DocumentFile, list_document_files, read_document
from index.readers import UnreadableDocument, decode_text
from tests.conftest import FIXTURES, SEED_DOCUMENTS

FORMATS = FIXTURES / "formats"
HOSTILE = FIXTURES / "hostile"


def read(path: Path, max_bytes: int = 10_000_000):
    return read_document(DocumentFile(path, path.name), max_bytes)


@pytest.mark.parametrize(
    ("name", "fact", "title"),
    [
        ("customs-protocol.docx", "Запуск электронной очереди", "Протокол заседания рабочей группы по таможенному"),
        ("energy-report.pdf", "250", "Energy report"),
        ("aviation-news.html", "прямое авиасообщение между Актау и Баку", "Авиасообщение Актау — Баку"),
        ("agriculture-cp1251.txt", "600 тысяч тонн", "Agriculture cp1251"),
        ("culture-days.md", "Дни культуры Азербайджана пройдут в Астане", "Дни культуры"),
    ],
)
def test_each_format_gives_its_text_and_title(name: str, fact: str, title: str) -> None:
    document = read(FORMATS / name)
    assert fact in document.text
    assert document.meta.title.startswith(title)


def test_docx_table_row_keeps_its_header() -> None:
    text = read(FORMATS / "customs-protocol.docx").text
    assert "Мероприятие: Запуск электронной очереди на пограничном переходе; Срок: до 1 марта 2026 года" in text


def test_html_gives_visible_text_only() -> None:
    text = read(FORMATS / "aviation-news.html").text
    assert "секретный-ключ" not in text and "alert" not in text and "color: red" not in text
    assert "Рейсы будут выполняться три раза в неделю." in text


def test_markdown_front_matter_is_metadata_not_text() -> None:
    document = read(FORMATS / "culture-days.md")
    assert document.meta.source == "Министерство культуры"
    assert "source:" not in document.text and not document.text.lstrip().startswith("#")


def test_seed_document_metadata_comes_from_its_sidecar() -> None:
    path = SEED_DOCUMENTS / "azerbaijan-kazakhstan-21st-session.ru.txt"
    document = read(path)
    assert document.meta.source == "Trend"
    assert document.meta.place == "Баку"
    assert "Азербайджан" in document.meta.title
    assert document.text == path.read_text("utf-8")  # the original is untouched


@pytest.mark.parametrize(
    ("encoded", "expected"),
    [
        ("Протокол подписан.".encode(), "Протокол подписан."),
        (b"\xef\xbb\xbf" + "Протокол подписан.".encode(), "Протокол подписан."),
        (
            "Протокол подписан в Баку, стороны договорились.".encode("cp1251"),
            "Протокол подписан в Баку, стороны договорились.",
        ),
        ("Протокол\x00 подписан.".encode(), "Протокол подписан."),
    ],
)
def test_text_encodings(encoded: bytes, expected: str) -> None:
    assert decode_text(encoded) == expected


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("empty.txt", "empty file"),
        ("zero-byte.pdf", "empty file"),
        ("corrupt.pdf", "corrupt PDF"),
        ("encrypted.pdf", "encrypted PDF"),
        ("scanned.pdf", "no text layer"),
        ("not-a-zip.docx", "not a DOCX file"),
        ("zip-bomb.docx", "zip bomb"),
        ("junk.txt", "binary data"),
    ],
)
def test_bad_files_give_a_reason(name: str, reason: str) -> None:
    with pytest.raises(UnreadableDocument, match=reason):
        read(HOSTILE / name)


def test_files_refused_before_reading(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    shutil.copytree(HOSTILE, folder)
    outside = tmp_path / "secret.txt"
    outside.write_text("Пароль администратора.", "utf-8")
    (folder / "link.txt").symlink_to(outside)
    (folder / "dangling.txt").symlink_to(folder / "deleted-meanwhile.txt")
    (folder / "big.txt").write_text("Длинный текст. " * 100_000, "utf-8")
    files, skipped = list_document_files(folder)
    reasons = {s.path: s.reason for s in skipped}
    assert reasons["link.txt"] == "symlink points outside the documents folder"
    assert reasons["table.xlsx"] == "unsupported format '.xlsx'"
    by_name = {f.relative: f for f in files}
    with pytest.raises(UnreadableDocument, match="too large"):
        read_document(by_name["big.txt"], max_bytes=1_000_000)
    with pytest.raises(UnreadableDocument, match="cannot read"):
        read_document(by_name["dangling.txt"], max_bytes=1_000_000)
