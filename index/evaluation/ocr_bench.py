"""OCR figures for `commission-bot bench`: character accuracy per page kind, seconds per page, pages per minute.

Pages are made like the tests make them (index/evaluation/scans.py): a dense A4 page of Russian
text (XQuAD passages) as a clean 300 dpi scan, a noisy 200 dpi scan tilted 3°, and a phone photo
with a shadow at Telegram's 1280 px. Each is recognised without cleaning, with every cleaning step,
and with each step left out, so the README can say which step matters for which page. Speed is the
product's own path: a build of scanned documents with an empty OCR cache (two worker processes),
then `index --full` again, answered from the cache.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

from index.config import EngineSettings
from index.engine import Engine
from index.evaluation.scans import PAGE_KINDS, character_accuracy, find_font, image_only_pdf, scanned_pages
from index.readers.cleaning import CleaningSteps
from index.readers.ocr import recognise_page, start_worker

STEP_NAMES = ("upscale", "flatten", "deskew", "binarise")
VARIANTS: dict[str, CleaningSteps] = {
    "no cleaning": CleaningSteps(upscale=False, flatten=False, deskew=False, binarise=False),
    "cleaned": CleaningSteps(),
    **{f"without {name}": CleaningSteps(**{name: False}) for name in STEP_NAMES},
}
PAGE_CHARS = 3000  # a dense A4 page at 11 pt
SPEED_PAGES_PER_KIND = 2


def page_texts(passages: list[dict], count: int) -> list[str]:
    """``count`` page-long texts, each made of whole passages."""
    texts, current = [], ""
    for passage in passages:
        current = f"{current}\n{passage['text']}".strip()
        if len(current) >= PAGE_CHARS:
            texts.append(current[: PAGE_CHARS + 200].rsplit(" ", 1)[0])
            current = ""
            if len(texts) == count:
                break
    return texts


def bench_ocr(settings: EngineSettings, passages: list[dict], workdir: Path, say: Callable[[str], None]) -> dict:
    font = find_font()
    if font is None:
        return {"skipped": "no font to render pages (Debian package fonts-dejavu-core)"}
    if shutil.which(settings.tesseract_cmd) is None:
        return {"skipped": "Tesseract is not installed (Debian package tesseract-ocr)"}
    texts = page_texts(passages, 1 + SPEED_PAGES_PER_KIND)
    languages = settings.ocr_languages

    say("OCR: character accuracy per page kind and cleaning step (one worker)")
    accuracy: dict[str, dict[str, dict[str, float]]] = {}
    pool = ProcessPoolExecutor(1, mp_context=get_context("spawn"), initializer=start_worker,
                               initargs=(settings.tesseract_cmd,))  # fmt: skip
    with pool:
        pool.submit(time.sleep, 0).result()  # the worker's start-up is not a page's time
        for kind in PAGE_KINDS:
            page = scanned_pages(texts[0], kind, font, seed=1)[0]
            accuracy[kind] = {}
            for variant, steps in VARIANTS.items():
                # Best of two runs, as for indexing: other work on this shared machine only adds time.
                runs = [pool.submit(recognise_page, page, languages, 600, steps).result() for _ in range(2)]
                accuracy[kind][variant] = {
                    "accuracy": round(character_accuracy(texts[0], runs[0].text), 4),
                    "seconds": round(min(r.seconds for r in runs), 2),
                }

    say("OCR: pages per minute through a build, cold and from the cache")
    documents = workdir / "ocr-documents"
    shutil.rmtree(documents, ignore_errors=True)
    documents.mkdir(parents=True)
    pages = 0
    for i, text in enumerate(texts[1:]):
        for kind in PAGE_KINDS:
            image = scanned_pages(text, kind, font, seed=10 + i)[0]
            if kind == "photo":
                image.save(documents / f"{kind}-{i}.jpg", quality=85)
            else:
                (documents / f"{kind}-{i}.pdf").write_bytes(image_only_pdf([image], 300 if kind == "clean" else 200))
            pages += 1
    cache = workdir / "ocr-cache"
    shutil.rmtree(cache, ignore_errors=True)
    engine = Engine.from_settings(
        settings.model_copy(
            update={"documents_dir": documents, "index_dir": workdir / "ocr-index", "ocr_cache_dir": cache}
        )
    )
    engine.embedder.embed_documents(["warm-up"])  # the model's load is not OCR
    cold = _stage_seconds(engine, "ocr", full=True)
    report = engine.last_report
    assert report is not None
    cached = _stage_seconds(engine, "reading", full=True)
    return {
        "pages_per_kind": 1,
        "languages": languages,
        "accuracy": accuracy,
        "speed": {
            "pages": pages,
            "workers": settings.ocr_workers,
            "recognised": report.ocr_recognised,
            "cold_seconds": round(cold, 2),
            "cold_pages_per_minute": round(pages / cold * 60, 1),
            "work_seconds_per_page": round(report.ocr_seconds / max(report.ocr_recognised, 1), 2),
            "cached_seconds": round(cached, 3),
            "cached_pages_per_minute": round(pages / cached * 60, 1),
            "cached_from_cache": engine.last_report.ocr_cached if engine.last_report else 0,
        },
    }


def _stage_seconds(engine: Engine, stage: str, full: bool) -> float:
    """Wall time of one build stage: from its first progress event to its last."""
    times: list[float] = []

    def progress(name: str, done: int, total: int) -> None:
        if name == stage:
            times.append(time.perf_counter())

    started = time.perf_counter()
    engine.build(full=full, progress=progress)
    if stage == "reading":  # reading starts before its first event (which comes after the first file)
        return times[-1] - started if times else 0.0
    return times[-1] - times[0] if len(times) > 1 else 0.0
