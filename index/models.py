"""Plain data passed between the engine's components."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class DocumentMeta:
    """What a user sees as the source of an answer."""

    title: str
    source: str = ""  # the agency that published it, e.g. "Trend"
    place: str = ""
    date: str = ""
    language: str = ""
    pages: int = 0  # pages of a PDF or an image file (0: a format without pages)
    ocr_pages: tuple[int, ...] = ()  # 1-based pages whose text was recognised from a scan or photo

    @property
    def ocr_note(self) -> str:
        """Which pages were recognised, in English ("all pages", "pages 2, 4-6 of 9"), or "" if none."""
        if not self.ocr_pages:
            return ""
        if len(self.ocr_pages) == self.pages:
            return "all pages" if self.pages > 1 else "the page"
        return f"page{'s' if len(self.ocr_pages) > 1 else ''} {page_ranges(self.ocr_pages)} of {self.pages}"


def page_ranges(pages: tuple[int, ...] | list[int]) -> str:
    """1-based page numbers as compact ranges: (1, 2, 3, 5) -> "1-3, 5"."""
    parts: list[str] = []
    ordered = sorted(set(pages))
    start = previous = ordered[0] if ordered else 0
    for page in [*ordered[1:], None]:
        if page is not None and page == previous + 1:
            previous = page
            continue
        parts.append(f"{start}" if start == previous else f"{start}-{previous}")
        if page is not None:
            start = previous = page
    return ", ".join(parts) if ordered else ""


def parse_page_ranges(text: str) -> tuple[int, ...]:
    """The inverse of :func:`page_ranges` ("1-3, 5" -> (1, 2, 3, 5)); "" gives ()."""
    pages: list[int] = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        first, _, last = part.partition("-")
        pages.extend(range(int(first), int(last or first) + 1))
    return tuple(pages)


@dataclass(frozen=True)
class LoadedDocument:
    path: str  # relative to the documents folder, with forward slashes
    text: str
    meta: DocumentMeta
    content_hash: str  # of the file bytes and its metadata: what decides "changed"
    format: str
    ocr_cuts: tuple[OcrCutPages, ...] = ()  # pages OCR left out (limits, missing language pack)


@dataclass(frozen=True)
class OcrCutPages:
    """Pages of one document that OCR did not read, and why: reported by file and page."""

    path: str
    pages: tuple[int, ...]
    reason: str  # in English, for the CLI and logs
    code: str  # "page_limit", "page_timeout", "page_failed", "ocr_unavailable", "ocr_off"
    details: dict[str, str | int | float] = field(default_factory=dict)

    def as_json(self) -> dict:
        return {"path": self.path, "pages": page_ranges(self.pages), "reason": self.reason, "code": self.code,
                "details": self.details}  # fmt: skip


@dataclass(frozen=True)
class SkippedFile:
    path: str
    reason: str  # in English, for the CLI and logs
    code: str = "unreadable"  # what an interface translates: "encrypted_pdf", "too_large", ...
    details: dict[str, str | int | float] = field(default_factory=dict)  # values the translated reason names

    def as_json(self) -> dict:
        return {"path": self.path, "reason": self.reason, "code": self.code, "details": self.details}


@dataclass(frozen=True)
class ChunkDraft:
    """A piece of a document ready to embed: whole sentences, and where each one lies."""

    text: str
    sentences: tuple[tuple[int, int], ...]  # (start, end) character offsets inside ``text``


@dataclass(frozen=True)
class Passage:
    document: str
    title: str
    text: str
    score: float
    meta: DocumentMeta = field(default_factory=lambda: DocumentMeta(title=""))

    def as_json(self) -> dict:
        return {"document": self.document, "title": self.title, "text": self.text, "score": round(self.score, 4),
                "ocr_pages": page_ranges(self.meta.ocr_pages)}  # fmt: skip


@dataclass(frozen=True)
class Answer:
    text: str  # the answer sentence
    passage: Passage  # the passage it was found in
    start: int  # where the sentence lies inside ``passage.text``
    end: int
    score: float

    def as_json(self) -> dict:
        return {
            "text": self.text,
            "document": self.passage.document,
            "title": self.passage.title,
            "score": round(self.score, 4),
            "ocr_pages": page_ranges(self.passage.meta.ocr_pages),  # "" unless recognised from a scan
        }


@dataclass(frozen=True)
class Reply:
    """The engine's whole response to one question."""

    question: str
    answer: Answer | None  # None when the documents hold no answer
    passages: list[Passage]

    def as_json(self) -> dict:
        return {
            "question": self.question,
            "answer": self.answer.as_json() if self.answer else None,
            "passages": [p.as_json() for p in self.passages],
        }


@dataclass
class BuildReport:
    version: str = ""
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[SkippedFile] = field(default_factory=list)
    documents: int = 0
    chunks: int = 0
    embedded_texts: int = 0  # texts actually sent to the encoder (the rest reused old vectors)
    seconds: float = 0.0
    full: bool = False
    ocr_recognised: int = 0  # pages recognised by Tesseract in this build
    ocr_cached: int = 0  # pages whose recognised text came from the OCR cache
    ocr_seconds: float = 0.0  # Tesseract and image cleaning, summed over pages (workers run side by side)
    ocr_cuts: list[OcrCutPages] = field(default_factory=list)

    def summary(self) -> str:
        lines = [
            f"Index {self.version}: {self.documents} documents, {self.chunks} chunks "
            f"({self.embedded_texts} texts embedded, {self.seconds:.1f} s).",
            f"Added {len(self.added)}, changed {len(self.changed)}, removed {len(self.removed)}, "
            f"unchanged {len(self.unchanged)}, skipped {len(self.skipped)}.",
        ]
        if self.ocr_recognised or self.ocr_cached:
            lines.append(
                f"OCR: {self.ocr_recognised} pages recognised ({self.ocr_seconds:.1f} s of work), "
                f"{self.ocr_cached} from the cache."
            )
        lines += [f"  skipped {s.path}: {s.reason}" for s in self.skipped]
        lines += [f"  OCR left out {c.path}, page{'s' if len(c.pages) > 1 else ''} {page_ranges(c.pages)}: {c.reason}"
                  for c in self.ocr_cuts]  # fmt: skip
        return "\n".join(lines)
