"""OCR of scanned pages: Tesseract (Debian's) through pytesseract, in worker processes, with a cache.

Readers of page formats (PDF, images) hand the pages that have no text to a :class:`PageOcr`
session. A build reads in two passes so that the OCR stage can count pages:

1. planning (``run=None``): pages found in the cache are answered at once; the others are only
   counted (``pending``), and the builder comes back to the document later;
2. recognising (``run`` given): the missing pages are rendered here, one at a time, and recognised
   in ``workers`` processes, each running one Tesseract with ``OMP_THREAD_LIMIT=1`` (Tesseract's
   OpenMP threads only fight each other on two cores; two pages side by side use both).

Why processes: pytesseract keeps the command in a module global and passes this process's
environment to Tesseract; a worker process owns both, so nothing here changes the parent's
environment. The cleaning (numpy/scipy) runs there too, in parallel instead of under one GIL.
Workers are started with "spawn", so a script that builds an index must guard its entry point
(``if __name__ == "__main__":``), as with any such pool; the CLI, the bot and pytest do.

A page read with low confidence is checked for a sideways or upside-down scan (Tesseract's
orientation detection) and read again turned.

Limits: at most ``max_pages`` pages per document and ``page_timeout`` seconds per page (the
Tesseract process is killed); what was cut is returned as :class:`OcrCut` and reported by the build.
A page that timed out is remembered in the cache and not retried until the limit is raised.
"""

from __future__ import annotations

import copy
import logging
import os
import re
import shutil
import subprocess
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

from PIL import Image

from index.readers.base import OcrCut, UnreadableDocument
from index.readers.cleaning import CleaningSteps, clean_page
from index.readers.ocr_cache import CachedPage, OcrCache, cache_key

logger = logging.getLogger(__name__)

# A document's language (its metadata) -> the Tesseract languages that read it. Russian and English
# words turn up in every commission document; more languages at once are slower and, on noisy
# pages, worse (measured: rus+eng+kaz+aze took twice as long as rus+eng).
LANGUAGE_PACKS = {
    "ru": "rus+eng",
    "en": "eng",
    "kk": "kaz+eng",
    "az": "aze+eng",
    "az-cyrl": "aze_cyrl+rus",
    "tr": "tur+eng",
    "de": "deu+eng",
}
TESSERACT_PACKAGE = "tesseract-ocr"
# (done, total) pages recognised in this build
PageProgress = Callable[[int, int], None]


def language_package(language: str) -> str:
    """The Debian package holding a Tesseract language ("aze_cyrl" -> "tesseract-ocr-aze-cyrl")."""
    return f"{TESSERACT_PACKAGE}-{language.replace('_', '-').lower()}"


@dataclass(frozen=True)
class OcrSettings:
    enabled: bool = True
    command: str = "tesseract"
    languages: str = "rus+eng"  # for documents whose language is not given (or has no entry above)
    max_pages: int = 100  # per document
    page_timeout: float = 60.0  # seconds of Tesseract per page
    workers: int = 2
    render_dpi: int = 300  # PDF pages are rendered at this resolution
    cache_dir: Path | None = Path("var/ocr-cache")
    cache_max_mb: float = 500.0
    steps: CleaningSteps = field(default_factory=CleaningSteps)

    @classmethod
    def from_settings(cls, settings) -> OcrSettings:  # an index.config.EngineSettings
        return cls(
            enabled=settings.ocr_enabled,
            command=settings.tesseract_cmd,
            languages=settings.ocr_languages,
            max_pages=settings.ocr_max_pages,
            page_timeout=settings.ocr_page_timeout,
            workers=settings.ocr_workers,
            render_dpi=settings.ocr_dpi,
            cache_dir=settings.ocr_cache_dir,
            cache_max_mb=settings.ocr_cache_mb,
        )

    def languages_for(self, document_language: str) -> str:
        return LANGUAGE_PACKS.get(document_language.strip().lower(), self.languages)

    def signature(self, languages: str) -> str:
        """Everything besides the page itself that changes the recognised text."""
        return f"tesseract|{languages}|psm3|{self.render_dpi}dpi|{self.steps.signature}"


class OcrPending(Exception):
    """Planning pass: this document has pages to recognise; the build comes back to it in its OCR stage."""

    def __init__(self, pages: int) -> None:
        super().__init__(f"{pages} pages to recognise")
        self.pages = pages


@dataclass(frozen=True)
class PageRequest:
    """A page without text: its 1-based number, a hash of its content, and how to get its image."""

    number: int
    fingerprint: str
    image: Callable[[], Image.Image]


@dataclass
class PagesRead:
    texts: dict[int, str] = field(default_factory=dict)  # page number -> recognised text
    cuts: list[OcrCut] = field(default_factory=list)


class Tesseract:
    """Which Tesseract and which languages are installed: asked once, then remembered."""

    def __init__(self, command: str) -> None:
        self.command = command
        self._languages: set[str] | None = None
        self._error: UnreadableDocument | None = None

    def _probe(self) -> None:
        if self._languages is not None or self._error is not None:
            return
        path = shutil.which(self.command)
        if path is None:
            self._error = UnreadableDocument(
                f"scanned pages need OCR, but Tesseract is not installed (Debian package {TESSERACT_PACKAGE})",
                "ocr_unavailable",
                package=TESSERACT_PACKAGE,
            )
            return
        try:
            listed = subprocess.run(
                [path, "--list-langs"], capture_output=True, text=True, timeout=30, check=True
            ).stdout
        except (OSError, subprocess.SubprocessError) as exc:
            self._error = UnreadableDocument(
                f"scanned pages need OCR, but Tesseract does not run ({type(exc).__name__})",
                "ocr_unavailable",
                package=TESSERACT_PACKAGE,
            )
            return
        # The first line is "List of available languages in ...".
        self._languages = {line.strip() for line in listed.splitlines()[1:] if line.strip()}

    def problem(self, languages: str) -> UnreadableDocument | None:
        """Why these languages cannot be recognised, or None when they can."""
        self._probe()
        if self._error is not None:
            return self._error
        assert self._languages is not None
        missing = [code for code in languages.split("+") if code not in self._languages]
        if not missing:
            return None
        package = language_package(missing[0])
        return UnreadableDocument(
            f"scanned pages need the OCR language '{missing[0]}', which is not installed (Debian package {package})",
            "ocr_unavailable",
            package=package,
            language=missing[0],
        )


# ---- the worker process ------------------------------------------------------------------------
def start_worker(command: str) -> None:
    """Initialise an OCR worker process: its Tesseract command, one OpenMP thread per Tesseract."""
    import pytesseract

    pytesseract.pytesseract.tesseract_cmd = command
    os.environ["OMP_THREAD_LIMIT"] = "1"


@dataclass(frozen=True)
class PageResult:
    text: str
    status: str  # "ok", "timeout", "failed"
    seconds: float
    error: str = ""


# Below this mean word confidence (0-100) a page is probably sideways or upside down: measured 95 on a
# clean page, 90 on a cleaned phone photo, 25-35 on the same page turned 90° or 180°.
LOW_CONFIDENCE = 50.0
_ROTATE = re.compile(r"Rotate:\s*(\d+)")
_ORIENTATION_CONFIDENCE = re.compile(r"Orientation confidence:\s*([\d.]+)")


def recognise_page(image: Image.Image, languages: str, timeout: float, steps: CleaningSteps) -> PageResult:
    """Clean the page and run Tesseract on it (in a worker process); a page that reads badly is
    checked for a sideways or upside-down scan (Tesseract's orientation detection) and read again turned."""
    import pytesseract

    started = time.perf_counter()

    def remaining() -> float:
        left = timeout - (time.perf_counter() - started)
        if left <= 0:
            raise RuntimeError("Tesseract process timeout")
        return left

    try:
        cleaned = clean_page(image, steps)
        text, confidence = _read(cleaned, languages, remaining())
        if text.strip() and confidence < LOW_CONFIDENCE:
            rotation = _orientation(cleaned, remaining())
            if rotation:
                turned = cleaned.rotate(-rotation, expand=True, fillcolor=255)
                turned_text, turned_confidence = _read(turned, languages, remaining())
                if turned_confidence > confidence:
                    text = turned_text
    except RuntimeError as exc:
        if "timeout" in str(exc).lower():
            return PageResult("", "timeout", time.perf_counter() - started)
        return PageResult("", "failed", time.perf_counter() - started, str(exc)[:200])
    except (pytesseract.TesseractError, OSError, ValueError) as exc:
        return PageResult("", "failed", time.perf_counter() - started, str(exc)[:200])
    return PageResult(text, "ok", time.perf_counter() - started)


def _read(image: Image.Image, languages: str, timeout: float) -> tuple[str, float]:
    """The page's text (lines, blank lines between paragraphs) and its mean confidence per character."""
    import pytesseract

    data = pytesseract.image_to_data(
        image, lang=languages, config="--psm 3", timeout=timeout, output_type=pytesseract.Output.DICT
    )
    paragraphs: dict[tuple[int, int, int], dict[int, list[str]]] = {}
    weighted, characters = 0.0, 0
    for i, word in enumerate(data["text"]):
        word = word.strip()
        if not word:
            continue
        paragraph = (data["page_num"][i], data["block_num"][i], data["par_num"][i])
        paragraphs.setdefault(paragraph, {}).setdefault(data["line_num"][i], []).append(word)
        confidence = float(data["conf"][i])
        if confidence >= 0:
            weighted += confidence * len(word)
            characters += len(word)
    text = "\n\n".join("\n".join(" ".join(words) for words in lines.values()) for lines in paragraphs.values())
    return text, weighted / characters if characters else 0.0


def _orientation(image: Image.Image, timeout: float) -> int:
    """Degrees (90, 180, 270) to turn the page clockwise so its text stands upright; 0 when upright or unsure."""
    import pytesseract

    try:
        report = pytesseract.image_to_osd(image, config="--psm 0", timeout=timeout)
    except pytesseract.TesseractError:  # too little text to tell, or no orientation data installed
        return 0
    rotate, confidence = _ROTATE.search(report), _ORIENTATION_CONFIDENCE.search(report)
    if not rotate or not confidence or float(confidence.group(1)) < 2.0:
        return 0
    return int(rotate.group(1)) % 360


# ---- a build's OCR ------------------------------------------------------------------------------
@dataclass
class OcrTally:
    """What OCR did in one build."""

    recognised: int = 0  # pages that went through Tesseract
    cached: int = 0  # pages answered from the cache
    seconds: float = 0.0  # Tesseract and cleaning time, summed over pages


class OcrRun:
    """The worker processes of one build's OCR stage and its page counter."""

    def __init__(self, settings: OcrSettings, total: int, progress: PageProgress) -> None:
        self.settings = settings
        self.total = total
        self.done = 0
        self.progress = progress
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> OcrRun:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def _workers(self) -> ProcessPoolExecutor:
        if self._pool is None:
            count = max(1, min(self.settings.workers, self.total or 1))
            # spawn: a forked copy of a process running threads (the bot, ONNX Runtime) may deadlock.
            self._pool = ProcessPoolExecutor(
                count, mp_context=get_context("spawn"), initializer=start_worker, initargs=(self.settings.command,)
            )
        return self._pool

    def recognise(self, requests: list[PageRequest], languages: str) -> Iterator[tuple[PageRequest, PageResult]]:
        """Each page's result, in order. Pages are rendered here one at a time, so at most a few
        page images are in memory however long the document is."""
        pool = self._workers()
        in_flight: deque[tuple[PageRequest, Future[PageResult] | PageResult]] = deque()
        timeout, steps = self.settings.page_timeout, self.settings.steps
        for request in requests:
            try:
                image = request.image()
            except Exception as exc:  # a damaged page must not stop the others
                logger.warning("page %d cannot be rendered: %s", request.number, exc)
                in_flight.append((request, PageResult("", "failed", 0.0, type(exc).__name__)))
            else:
                in_flight.append((request, pool.submit(recognise_page, image, languages, timeout, steps)))
                del image
            while len(in_flight) > self.settings.workers:
                yield self._finish(*in_flight.popleft())
        while in_flight:
            yield self._finish(*in_flight.popleft())

    def _finish(self, request: PageRequest, pending: Future[PageResult] | PageResult) -> tuple[PageRequest, PageResult]:
        if isinstance(pending, PageResult):
            result = pending
        else:
            try:
                result = pending.result()
            except BrokenProcessPool:
                # A worker died (killed for memory, say): this page fails, the next ones get new workers.
                logger.error("an OCR worker process died on page %d", request.number)
                self._pool = None
                result = PageResult("", "failed", 0.0, "OCR worker process died")
        self.done += 1
        self.progress(self.done, self.total)
        return request, result


class PageOcr:
    """One document's OCR session: cache first, then (when ``run`` is given) Tesseract."""

    def __init__(
        self,
        settings: OcrSettings,
        tesseract: Tesseract,
        cache: OcrCache,
        languages: str,
        tally: OcrTally,
        run: OcrRun | None = None,
    ) -> None:
        self.settings = settings
        self.tesseract = tesseract
        self.cache = cache
        self.languages = languages
        self.tally = tally
        self.run = run  # None: planning pass (cache only; OcrPending when pages are missing)

    def read_pages(self, requests: list[PageRequest]) -> PagesRead:
        read = PagesRead()
        if not requests:
            return read
        if not self.settings.enabled:
            reason = "not recognised: OCR is turned off (OCR_ENABLED=false)"
            read.cuts.append(OcrCut(tuple(r.number for r in requests), reason, "ocr_off"))
            return read
        problem = self.tesseract.problem(self.languages)
        if problem is not None:
            read.cuts.append(OcrCut(tuple(r.number for r in requests), str(problem), problem.code, problem.details))
            return read
        limit = self.settings.max_pages
        if len(requests) > limit:
            beyond = tuple(r.number for r in requests[limit:])
            reason = f"not recognised: limit of {limit} scanned pages per document (OCR_MAX_PAGES)"
            read.cuts.append(OcrCut(beyond, reason, "page_limit", {"limit": limit}))
            requests = requests[:limit]
        signature = self.settings.signature(self.languages)
        missing: list[PageRequest] = []
        keys: dict[int, str] = {}
        timed_out: list[int] = []
        for request in requests:
            key = keys[request.number] = cache_key(request.fingerprint, signature)
            cached = self.cache.get(key)
            if cached is None or (cached.status == "timeout" and cached.seconds < self.settings.page_timeout):
                missing.append(request)
            elif cached.status == "timeout":
                timed_out.append(request.number)
            else:
                read.texts[request.number] = cached.text
        if missing and self.run is None:
            raise OcrPending(len(missing))
        self.tally.cached += len(read.texts)
        failed: list[tuple[int, str]] = []
        for request, result in self.run.recognise(missing, self.languages) if self.run and missing else ():
            self.tally.recognised += 1
            self.tally.seconds += result.seconds
            if result.status == "ok":
                read.texts[request.number] = result.text
                self.cache.put(keys[request.number], CachedPage(result.text, "ok", round(result.seconds, 2)))
            elif result.status == "timeout":
                timed_out.append(request.number)
                self.cache.put(keys[request.number], CachedPage("", "timeout", self.settings.page_timeout))
            else:
                failed.append((request.number, result.error))
        if timed_out:
            limit = self.settings.page_timeout
            seconds = int(limit) if limit == int(limit) else limit  # "60", not "60.0", in a message
            reason = f"not recognised: over {seconds:g} s per page (OCR_PAGE_TIMEOUT)"
            read.cuts.append(OcrCut(tuple(sorted(timed_out)), reason, "page_timeout", {"seconds": seconds}))
        if failed:
            error = failed[0][1] or "unknown error"
            read.cuts.append(
                OcrCut(tuple(n for n, _ in failed), f"not recognised: OCR failed ({error})", "page_failed",
                       {"error": error})
            )  # fmt: skip
        return read


class OcrService:
    """What a build (or a single read) uses: one session per document, all sharing a cache and a tally."""

    def __init__(self, settings: OcrSettings, run: OcrRun | None = None) -> None:
        self.settings = settings
        self.tesseract = Tesseract(settings.command)
        max_bytes = int(settings.cache_max_mb * 1024 * 1024)
        self.cache = OcrCache(settings.cache_dir if settings.enabled else None, max_bytes)
        self.tally = OcrTally()
        self.run = run

    def with_run(self, run: OcrRun) -> OcrService:
        """The same service (cache, tally, what is installed) recognising for real."""
        service = copy.copy(self)
        service.run = run
        return service

    def session(self, document_language: str = "") -> PageOcr:
        languages = self.settings.languages_for(document_language)
        return PageOcr(self.settings, self.tesseract, self.cache, languages, self.tally, self.run)
