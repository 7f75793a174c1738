"""Scanned PDFs, mixed PDFs and photographed pages: recognised, answered, marked, cached, limited.

The scans are made here: real Russian text rendered with a real font, then tilted, speckled,
blurred and JPEG-compressed (a bad photocopy), or shadowed and downsized (a phone photo), and wrapped
as a PDF with no text layer. Tesseract is the real one, behind a wrapper that logs every call, so a
test can tell whether a build ran it.
"""

from __future__ import annotations

import io
import os
import shutil
import stat
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter

from bot.archive.store import DocumentStore
from bot.build_messages import summary_text
from bot.formatting import source_line
from bot.terminal import format_reply
from bot.texts import texts_for
from index.config import EngineSettings
from index.engine import Engine
from index.evaluation.scans import FONT_PACKAGE, find_font, image_only_pdf, render_pages, scanned_pages
from index.models import BuildReport, DocumentMeta, OcrCutPages, Passage
from index.readers import OcrSettings, UnreadableDocument
from index.readers.cleaning import ink_mask, skew_angle, to_grey
from index.readers.ocr_cache import CachedPage, OcrCache
from tests.conftest import FIXTURES, MODEL_CACHE, SEED_DOCUMENTS, require_system_file, require_system_tool

PROTOCOL = """ПРОТОКОЛ
заседания рабочей группы по транспорту и логистике

Рабочая группа рассмотрела ход строительства паромного терминала в порту Алят.
Стороны договорились увеличить число паромных рейсов между Актау и Алятом до двенадцати в месяц.
Казахстанская сторона представила план модернизации железнодорожной станции Достык.
Следующее заседание рабочей группы состоится 14 апреля 2027 года в городе Шеки."""

ANNEX = """Приложение к отчету о сотрудничестве в энергетике

Подрядчиком строительства солнечной электростанции выбрана компания «Масдар».
Первая очередь станции будет введена в эксплуатацию в декабре 2026 года."""

NOTICE = """Министерство цифрового развития сообщило, что единое окно для экспортеров заработает в марте 2027 года.
Через него предприниматели смогут оформить сертификат происхождения товара за один день."""

EXTRACT = """Выписка из протокола

Стороны согласовали открытие торгового дома Казахстана в Баку во втором квартале 2027 года."""

SCANNED = ["protocol-scan.pdf", "energy-report-signed.pdf", "notice-photo.png", "extract-upside-down.pdf"]


def counting_tesseract(folder: Path) -> tuple[str, Path]:
    """A `tesseract` that logs its arguments, then runs the real one: (command, log file)."""
    real = require_system_tool("tesseract", "tesseract-ocr")
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / "calls.log"
    wrapper = folder / "tesseract"
    wrapper.write_text(f'#!/bin/sh\necho "$*" >> "{log}"\nexec "{real}" "$@"\n', "utf-8")
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    return str(wrapper), log


def recognitions(log: Path, what: str = "_input.") -> int:
    """Tesseract runs on a page image; ``what="tessedit_create_tsv"`` counts only reads (not orientation checks)."""
    if not log.exists():
        return 0
    return sum(1 for line in log.read_text("utf-8").splitlines() if what in line)


READS = "tessedit_create_tsv"


def write_scans(folder: Path) -> None:
    """A bad photocopy as a PDF without text, a PDF with a text page and a scanned page, a phone photo,
    and a page scanned upside down."""
    font = require_system_file(find_font(), FONT_PACKAGE)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "protocol-scan.pdf").write_bytes(image_only_pdf(scanned_pages(PROTOCOL, "noisy", font), 200))
    writer = PdfWriter()
    writer.append(PdfReader(FIXTURES / "formats" / "energy-report.pdf"))  # page 1: a text layer
    writer.append(PdfReader(io.BytesIO(image_only_pdf(scanned_pages(ANNEX, "clean", font), 300))))
    buffer = io.BytesIO()
    writer.write(buffer)
    (folder / "energy-report-signed.pdf").write_bytes(buffer.getvalue())
    scanned_pages(NOTICE, "photo", font)[0].save(folder / "notice-photo.png")
    upside_down = [page.rotate(180) for page in scanned_pages(EXTRACT, "clean", font)]
    (folder / "extract-upside-down.pdf").write_bytes(image_only_pdf(upside_down, 300))


def ocr_engine(documents: Path, index_dir: Path, cache: Path, command: str, embedder, **settings) -> Engine:
    config = EngineSettings(
        _env_file=None,
        documents_dir=documents,
        index_dir=index_dir,
        model_cache_dir=MODEL_CACHE,
        ocr_cache_dir=cache,
        tesseract_cmd=command,
        **settings,
    )
    return Engine.from_settings(config, embedder_factory=lambda: embedder)


@pytest.fixture(scope="module")
def scanned_build(tmp_path_factory, real_embedder):
    """The scans indexed once with the real model: (engine, report, progress events, tesseract log, folder)."""
    root = tmp_path_factory.mktemp("scans")
    write_scans(root / "documents")
    command, log = counting_tesseract(root / "bin")
    engine = ocr_engine(root / "documents", root / "index", root / "ocr-cache", command, real_embedder)
    events: list[tuple[str, int, int]] = []
    report = engine.build(progress=lambda stage, done, total: events.append((stage, done, total)))
    return engine, report, events, log, root


@pytest.mark.parametrize(
    ("question", "document", "sentence"),
    [
        (
            "Сколько паромных рейсов в месяц будет между Актау и Алятом?",
            "protocol-scan.pdf",
            "Стороны договорились увеличить число паромных рейсов между Актау и Алятом до двенадцати в месяц.",
        ),
        (
            "Где и когда пройдет следующее заседание рабочей группы?",
            "protocol-scan.pdf",
            "Следующее заседание рабочей группы состоится 14 апреля 2027 года в городе Шеки.",
        ),
        (
            "Какая компания выбрана подрядчиком строительства солнечной электростанции?",
            "energy-report-signed.pdf",
            "Подрядчиком строительства солнечной электростанции выбрана компания «Масдар».",
        ),
        (
            "Когда заработает единое окно для экспортеров?",
            "notice-photo.png",
            "Министерство цифрового развития сообщило, что единое окно для экспортеров заработает в марте 2027 года.",
        ),
        (
            "Когда откроется торговый дом Казахстана в Баку?",
            "extract-upside-down.pdf",
            "Стороны согласовали открытие торгового дома Казахстана в Баку во втором квартале 2027 года.",
        ),
    ],
)
def test_a_question_about_a_scan_is_answered_with_its_sentence(scanned_build, question, document, sentence) -> None:
    engine, *_ = scanned_build
    reply = engine.ask(question)
    assert reply.answer is not None, question
    assert reply.answer.passage.document == document
    assert " ".join(reply.answer.text.split()) == sentence


def test_a_mixed_pdf_keeps_its_text_page_and_recognises_its_scanned_one(scanned_build) -> None:
    engine, report, events, log, _ = scanned_build
    reply = engine.ask("Какой мощности будет солнечная электростанция в Мангистауской области?")
    assert reply.answer is not None and "250 мегаватт" in reply.answer.text  # from the text layer of page 1
    assert sorted(report.added) == sorted(SCANNED) and not report.skipped and not report.ocr_cuts
    # Exactly the four scanned pages were recognised (the upside-down one read twice: as it came, then
    # turned), and the build counted them in its OCR stage.
    assert report.ocr_recognised == 4 and recognitions(log, READS) == 4 + 1
    ocr_events = [(done, total) for stage, done, total in events if stage == "ocr"]
    assert ocr_events[0] == (0, 4) and ocr_events[-1] == (4, 4)
    assert [done for done, _ in ocr_events] == sorted(done for done, _ in ocr_events)


def test_text_from_ocr_is_marked_in_the_index_and_in_every_answer_format(scanned_build) -> None:
    engine, *_ = scanned_build
    snapshot = engine.snapshot
    marks = {d.path: (d.meta.ocr_pages, d.meta.pages) for d in snapshot.documents}
    assert marks == {
        "protocol-scan.pdf": ((1,), 1),
        "energy-report-signed.pdf": ((2,), 2),
        "notice-photo.png": ((1,), 1),
        "extract-upside-down.pdf": ((1,), 1),
    }

    reply = engine.ask("Какая компания выбрана подрядчиком строительства солнечной электростанции?")
    assert reply.as_json()["answer"]["ocr_pages"] == "2"
    assert "recognised from a scan (page 2 of 2)" in format_reply(reply)
    assert "Стр. 2 из 2 распознаны со скана" in source_line(reply.answer.passage, texts_for("ru"))
    photo = engine.ask("Когда заработает единое окно для экспортеров?")
    assert "Text recognised from a scan" in source_line(photo.answer.passage, texts_for("en"))
    typed = Passage("a.txt", "A", "Text.", 1.0, DocumentMeta("A"))
    assert "🔎" not in source_line(typed, texts_for("ru"))  # typed text carries no mark


def test_an_unchanged_scan_is_never_recognised_twice(scanned_build, real_embedder) -> None:
    engine, _, _, log, root = scanned_build
    before = recognitions(log)
    report = engine.build(full=True)  # every document read again
    assert recognitions(log) == before  # ... and Tesseract not run at all
    assert report.ocr_cached == 4 and report.ocr_recognised == 0
    # A new index in another folder (as after an index format change) shares the same cache.
    command = str(root / "bin" / "tesseract")
    other = ocr_engine(root / "documents", root / "index-2", root / "ocr-cache", command, real_embedder)
    other.build()
    assert recognitions(log) == before
    reply = other.ask("Где и когда пройдет следующее заседание рабочей группы?")
    assert reply.answer is not None and "14 апреля 2027 года" in reply.answer.text


def test_without_tesseract_scans_are_reported_and_everything_else_works(tmp_path: Path, make_engine) -> None:
    documents = tmp_path / "documents"
    write_scans(documents)
    shutil.copytree(SEED_DOCUMENTS, documents, dirs_exist_ok=True)
    engine = make_engine(documents, tesseract_cmd=str(tmp_path / "no-such-tesseract"))
    report = engine.build()
    skipped = {s.path: s for s in report.skipped}
    assert set(skipped) == {"protocol-scan.pdf", "notice-photo.png", "extract-upside-down.pdf"}
    assert skipped["notice-photo.png"].code == "ocr_unavailable"
    assert skipped["notice-photo.png"].details == {"package": "tesseract-ocr"}
    assert "Tesseract is not installed" in skipped["protocol-scan.pdf"].reason
    # The mixed PDF keeps its text page; its scanned page is reported by file and page.
    assert [(c.path, c.pages, c.code) for c in report.ocr_cuts] == [
        ("energy-report-signed.pdf", (2,), "ocr_unavailable")
    ]
    assert "OCR left out energy-report-signed.pdf, page 2" in report.summary()
    assert "250 мегаватт" in engine.ask("Какой мощности будет солнечная электростанция?").answer.text
    assert "Казахстане" in engine.ask("Где пройдет 22-е заседание?").answer.text


def test_a_missing_language_pack_is_named(tmp_path: Path, make_engine) -> None:
    require_system_tool("tesseract", "tesseract-ocr")
    documents = tmp_path / "documents"
    write_scans(documents)
    # Serbian is not in scripts/system-packages-runtime.txt: asking for it is a missing language pack.
    report = make_engine(documents, ocr_languages="rus+srp").build()
    skipped = {s.path: s for s in report.skipped}
    assert set(skipped) == {"protocol-scan.pdf", "notice-photo.png", "extract-upside-down.pdf"}
    assert skipped["protocol-scan.pdf"].code == "ocr_unavailable"
    assert skipped["protocol-scan.pdf"].details == {"package": "tesseract-ocr-srp", "language": "srp"}
    assert "language 'srp'" in skipped["protocol-scan.pdf"].reason
    assert [c.pages for c in report.ocr_cuts] == [(2,)] and report.added == ["energy-report-signed.pdf"]


def test_page_limit_and_timeout_are_reported_and_retried_when_raised(tmp_path: Path, make_engine) -> None:
    font = require_system_file(find_font(), FONT_PACKAGE)
    command, log = counting_tesseract(tmp_path / "bin")
    documents = tmp_path / "documents"
    documents.mkdir()
    pages = render_pages("Первая страница приложения.\n\nПлан работ на 2027 год утвержден.", font)
    pages += render_pages("Вторая страница приложения.\n\nСмета согласована министерством финансов.", font)
    # A two-page fax-style TIFF, as office scanners write it.
    bilevel = [p.convert("1") for p in pages]
    bilevel[0].save(documents / "annex.tiff", save_all=True, append_images=bilevel[1:], compression="group4")

    report = make_engine(documents, tesseract_cmd=command, ocr_max_pages=1).build()
    assert [(c.path, c.pages, c.code, c.details) for c in report.ocr_cuts] == [
        ("annex.tiff", (2,), "page_limit", {"limit": 1})
    ]
    assert "OCR left out annex.tiff, page 2: not recognised: limit of 1 scanned pages" in report.summary()
    assert recognitions(log, READS) == 1

    # The limit raised: only the page left out is recognised, the other comes from the cache.
    engine = make_engine(documents, tesseract_cmd=command, ocr_max_pages=5)
    report = engine.build()
    assert not report.ocr_cuts and report.ocr_recognised == 1 and report.ocr_cached == 1
    assert "Смета согласована" in engine.ask("Кто согласовал смету?").answer.passage.text
    assert recognitions(log, READS) == 2

    # A page that takes longer than allowed is cut, remembered, and not tried again at the same limit.
    slow = {"tesseract_cmd": command, "ocr_page_timeout": 0.01, "ocr_cache_dir": tmp_path / "other-cache"}
    report = make_engine(documents, index_dir=tmp_path / "index-slow", **slow).build()
    skipped = {s.path: s for s in report.skipped}
    assert skipped["annex.tiff"].code == "page_timeout" and skipped["annex.tiff"].details == {"seconds": 0.01}
    assert report.ocr_recognised == 2
    again = make_engine(documents, index_dir=tmp_path / "index-slow", **slow).build()
    assert again.ocr_recognised == 0  # the timeouts were remembered: neither page is worked on again
    assert {s.path: s.code for s in again.skipped} == {"annex.tiff": "page_timeout"}


def test_a_damaged_cache_entry_is_a_miss_not_an_error(tmp_path: Path) -> None:
    cache = OcrCache(tmp_path / "cache", max_bytes=10_000)
    cache.put("ab" * 32, CachedPage("Текст страницы."))
    entry = next((tmp_path / "cache").glob("*/*.json"))
    assert cache.get("ab" * 32) == CachedPage("Текст страницы.")
    entry.write_bytes(b'{"format": 1, "key": "abab')  # cut short by a crash
    assert cache.get("ab" * 32) is None and not entry.exists()
    for n in range(40):  # ~6 KB over the 10 KB limit: the oldest go
        cache.put(f"{n:064x}", CachedPage("страница " * 50))
        os.utime(next((tmp_path / "cache").glob(f"*/{n:064x}.json")), (n, n))
    cache.trim()
    kept = sorted(int(p.stem, 16) for p in (tmp_path / "cache").glob("*/*.json"))
    assert kept == list(range(40 - len(kept), 40))
    assert sum(p.stat().st_size for p in (tmp_path / "cache").glob("*/*")) <= 10_000
    (tmp_path / "a-file").write_text("x")
    unwritable = OcrCache(tmp_path / "a-file" / "cache", max_bytes=10_000)  # a folder that cannot exist
    unwritable.put("cd" * 32, CachedPage("x"))  # logged, not raised
    assert unwritable.get("cd" * 32) is None


def test_cleaning_finds_and_removes_a_tilt(tmp_path: Path) -> None:
    font = require_system_file(find_font(), FONT_PACKAGE)
    page = render_pages(PROTOCOL, font)[0]
    tilted = page.rotate(3, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    assert skew_angle(ink_mask(to_grey(tilted))) == pytest.approx(3, abs=0.15)
    assert skew_angle(ink_mask(to_grey(page))) == 0


def test_admins_see_the_pages_left_out_in_their_language() -> None:
    report = BuildReport(version="v000002", documents=1)
    report.ocr_cuts.append(
        OcrCutPages("archive/protocol-1998.pdf", tuple(range(101, 501)), "not recognised: limit", "page_limit",
                    {"limit": 100})
    )  # fmt: skip
    report.ocr_cuts.append(
        OcrCutPages("kk.png", (1,), "needs kaz", "ocr_unavailable", {"package": "tesseract-ocr-kaz"})
    )
    russian = summary_text(report, texts_for("ru"))
    assert "✂ archive/protocol-1998.pdf, стр. 101-500: скан не распознан: предел 100 стр. на документ" in russian
    assert "✂ kk.png, стр. 1: скан не распознан: не установлен пакет tesseract-ocr-kaz" in russian
    english = summary_text(report, texts_for("en"))
    assert "pages 101-500: scan not recognised: limit of 100 pages per document" in english


def test_an_uploaded_scan_is_accepted_for_the_build_to_recognise(tmp_path: Path) -> None:
    require_system_tool("tesseract", "tesseract-ocr")
    write_scans(tmp_path / "scans")
    photo = (tmp_path / "scans" / "notice-photo.png").read_bytes()
    documents = tmp_path / "documents"
    documents.mkdir()
    store = DocumentStore(documents, tmp_path / "history", 10_000_000, ocr=OcrSettings(cache_dir=tmp_path / "cache"))
    accepted = store.check("notice-photo.png", photo)  # no Tesseract run: the build will recognise it
    assert accepted.format == "png" and accepted.text == ""
    without = DocumentStore(documents, tmp_path / "history", 10_000_000, ocr=OcrSettings(command="no-such-tesseract"))
    with pytest.raises(UnreadableDocument) as refused:
        without.check("notice-photo.png", photo)
    assert refused.value.code == "ocr_unavailable"
