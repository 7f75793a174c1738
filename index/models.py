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


@dataclass(frozen=True)
class LoadedDocument:
    path: str  # relative to the documents folder, with forward slashes
    text: str
    meta: DocumentMeta
    content_hash: str  # of the file bytes and its metadata: what decides "changed"
    format: str


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
        return {"document": self.document, "title": self.title, "text": self.text, "score": round(self.score, 4)}


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

    def summary(self) -> str:
        lines = [
            f"Index {self.version}: {self.documents} documents, {self.chunks} chunks "
            f"({self.embedded_texts} texts embedded, {self.seconds:.1f} s).",
            f"Added {len(self.added)}, changed {len(self.changed)}, removed {len(self.removed)}, "
            f"unchanged {len(self.unchanged)}, skipped {len(self.skipped)}.",
        ]
        lines += [f"  skipped {s.path}: {s.reason}" for s in self.skipped]
        return "\n".join(lines)
