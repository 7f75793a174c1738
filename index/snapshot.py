"""One index version in memory: documents, chunks, sentences, their vectors and the BM25 matrix.

A snapshot is immutable once loaded. The engine swaps the whole object when a new version is
published, so every search sees exactly one version (no answer mixes chunks of two).
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import faiss
import numpy as np

from index.constraints import Names
from index.lexical import BM25Index, Stemmer
from index.models import DocumentMeta, page_ranges, parse_page_ranges
from index.store import (
    CHUNK_VECTORS,
    DATABASE,
    SENTENCE_VECTORS,
    TITLE_VECTORS,
    CorruptIndex,
    check_database,
    read_manifest,
)

logger = logging.getLogger(__name__)

# Exact search is fastest up to tens of thousands of vectors; past that HNSW keeps p99 low.
HNSW_THRESHOLD = 50_000

SCHEMA = """
CREATE TABLE documents (
    id INTEGER PRIMARY KEY, path TEXT UNIQUE NOT NULL, content_hash TEXT NOT NULL, format TEXT,
    title TEXT, source TEXT, place TEXT, date TEXT, language TEXT, chars INTEGER, text_language TEXT,
    pages INTEGER NOT NULL DEFAULT 0,            -- pages of a PDF or an image file
    ocr_pages TEXT NOT NULL DEFAULT '',          -- pages whose text was recognised by OCR, e.g. "2, 4-6"
    ocr_unread INTEGER NOT NULL DEFAULT 0        -- scanned pages OCR left out (retried by the next build)
);
CREATE TABLE chunks (
    id INTEGER PRIMARY KEY, document_id INTEGER NOT NULL REFERENCES documents(id),
    position INTEGER NOT NULL, text TEXT NOT NULL, text_hash TEXT NOT NULL
);
CREATE TABLE sentences (
    id INTEGER PRIMARY KEY, chunk_id INTEGER NOT NULL REFERENCES chunks(id),
    start INTEGER NOT NULL, "end" INTEGER NOT NULL, text_hash TEXT NOT NULL
);
CREATE INDEX chunks_by_document ON chunks(document_id);
"""


@dataclass
class DocumentRow:
    path: str
    content_hash: str
    format: str
    meta: DocumentMeta
    chars: int
    text_language: str = ""  # detected from the text (index.language_id), not taken from metadata
    ocr_unread: int = 0  # scanned pages left out by a limit or a missing language pack


@dataclass
class Snapshot:
    version: str
    manifest: dict
    documents: list[DocumentRow]
    chunk_document: np.ndarray  # chunk row -> document row
    chunk_position: np.ndarray
    chunk_text: list[str]
    chunk_hash: list[str]
    sentence_chunk: np.ndarray  # sentence row -> chunk row (sentences of a chunk are contiguous)
    sentence_span: np.ndarray  # (n, 2) offsets inside the chunk text
    sentence_hash: list[str]
    chunk_first_sentence: np.ndarray  # chunk row -> first sentence row; one extra entry at the end
    chunk_vectors: faiss.Index
    sentence_vectors: faiss.Index
    bm25: BM25Index
    background: np.ndarray  # vectors of generic sentences, the yardstick for abstaining
    title_vectors: np.ndarray  # document row -> its title's vector (the document's context)
    chunk_language: np.ndarray  # chunk row -> a number naming its document's language (same number, same language)
    # Document row -> the numbers and countries it names, filled on first use (Engine.names_of): a long
    # report is read once per version, not at every question that names a session.
    document_names: dict[int, Names] = field(default_factory=dict)

    @property
    def model(self) -> str:
        return self.manifest.get("model", "")

    @property
    def n_chunks(self) -> int:
        return len(self.chunk_text)

    def sentences_of(self, chunk: int) -> range:
        return range(int(self.chunk_first_sentence[chunk]), int(self.chunk_first_sentence[chunk + 1]))

    def sentence_vectors_by_hash(self) -> dict[str, np.ndarray]:
        """Old sentence vectors keyed by text hash, so an incremental build embeds only new text."""
        sentences = _all_vectors(self.sentence_vectors)
        known = {h: sentences[i] for i, h in enumerate(self.sentence_hash)}
        known.update(zip(self.manifest.get("background_hashes", []), self.background, strict=False))
        known.update(zip(self.manifest.get("title_hashes", []), self.title_vectors, strict=False))
        return known


def _all_vectors(index: faiss.Index) -> np.ndarray:
    if index.ntotal == 0:
        return np.zeros((0, index.d), dtype=np.float32)
    return index.reconstruct_n(0, index.ntotal)


def make_faiss_index(vectors: np.ndarray, dimension: int) -> faiss.Index:
    if len(vectors) >= HNSW_THRESHOLD:
        index = faiss.IndexHNSWFlat(dimension, 32, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = 80
        index.hnsw.efSearch = 128
    else:
        # Exact search over float16 codes: a flat scan is bound by memory bandwidth, so half the
        # bytes is about half the time past ~20k vectors (cosines move by ~1e-4, ranks do not).
        index = faiss.IndexScalarQuantizer(dimension, faiss.ScalarQuantizer.QT_fp16, faiss.METRIC_INNER_PRODUCT)
    if len(vectors):
        with search_threads(os.cpu_count() or 1):  # building an HNSW graph does use every core
            index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


@contextmanager
def search_threads(count: int) -> Iterator[None]:
    previous = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(count)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(previous)


def use_one_search_thread() -> None:
    """One question at a time is searched: FAISS's OpenMP team only fights ONNX Runtime's threads.

    Measured at 10k chunks: sentence search 11.8 ms with two OpenMP threads beside the encoder,
    2.7 ms with one. The setting is per process, hence a function the engine calls, not an import effect.
    """
    faiss.omp_set_num_threads(1)


def faiss_kind(index: faiss.Index) -> str:
    return type(index).__name__


@dataclass
class ChunkRecord:
    document: int
    position: int
    text: str
    text_hash: str
    sentences: list[tuple[int, int, str]]  # start, end, hash


def write_database(path: Path, documents: list[DocumentRow], chunks: list[ChunkRecord]) -> None:
    db = sqlite3.connect(path)
    try:
        db.executescript(SCHEMA)
        db.executemany(
            "INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [
                (
                    i,
                    d.path,
                    d.content_hash,
                    d.format,
                    d.meta.title,
                    d.meta.source,
                    d.meta.place,
                    d.meta.date,
                    d.meta.language,
                    d.chars,
                    d.text_language,
                    d.meta.pages,
                    page_ranges(d.meta.ocr_pages),
                    d.ocr_unread,
                )
                for i, d in enumerate(documents)
            ],
        )
        db.executemany(
            "INSERT INTO chunks VALUES (?,?,?,?,?)",
            [(i, c.document, c.position, c.text, c.text_hash) for i, c in enumerate(chunks)],
        )
        sentence_rows = []
        for i, c in enumerate(chunks):
            for start, end, digest in c.sentences:
                sentence_rows.append((len(sentence_rows), i, start, end, digest))
        db.executemany("INSERT INTO sentences VALUES (?,?,?,?,?)", sentence_rows)
        db.commit()
    finally:
        db.close()


def write_vectors(folder: Path, chunk_vectors: np.ndarray, sentence_vectors: np.ndarray, dimension: int) -> None:
    faiss.write_index(make_faiss_index(chunk_vectors, dimension), str(folder / CHUNK_VECTORS))
    faiss.write_index(make_faiss_index(sentence_vectors, dimension), str(folder / SENTENCE_VECTORS))


def load_snapshot(folder: Path, stemmer: Stemmer) -> Snapshot:
    """Load and verify a version; raise CorruptIndex with a readable reason if it is damaged."""
    manifest = read_manifest(folder)
    check_database(folder / DATABASE)
    try:
        chunk_index = faiss.read_index(str(folder / CHUNK_VECTORS))
        sentence_index = faiss.read_index(str(folder / SENTENCE_VECTORS))
    except RuntimeError as exc:
        raise CorruptIndex(f"{folder.name}: vector file is damaged ({str(exc).splitlines()[0][:120]})") from exc
    try:
        db = sqlite3.connect(f"file:{folder / DATABASE}?mode=ro", uri=True)
        try:
            docs = [
                DocumentRow(
                    r[0],
                    r[1],
                    r[2],
                    DocumentMeta(
                        r[3] or "", r[4] or "", r[5] or "", r[6] or "", r[7] or "", r[10], parse_page_ranges(r[11])
                    ),
                    r[8] or 0,
                    r[9] or "",
                    r[12],
                )
                for r in db.execute(
                    "SELECT path, content_hash, format, title, source, place, date, language, chars, text_language, "
                    "pages, ocr_pages, ocr_unread FROM documents ORDER BY id"
                )
            ]
            chunk_rows = db.execute("SELECT document_id, position, text, text_hash FROM chunks ORDER BY id").fetchall()
            sentence_rows = db.execute('SELECT chunk_id, start, "end", text_hash FROM sentences ORDER BY id').fetchall()
        finally:
            db.close()
        bm25 = BM25Index.load(folder, stemmer)
        background = np.load(folder / "background.npy")
        title_vectors = np.load(folder / TITLE_VECTORS)
    except (sqlite3.DatabaseError, OSError, ValueError) as exc:
        raise CorruptIndex(f"{folder.name}: cannot read index data ({exc})") from exc
    if chunk_index.ntotal != len(chunk_rows) or sentence_index.ntotal != len(sentence_rows):
        raise CorruptIndex(f"{folder.name}: vectors and database disagree")
    if len(title_vectors) != len(docs):
        raise CorruptIndex(f"{folder.name}: title vectors and database disagree")
    if bm25.n_chunks != len(chunk_rows) or bm25.sentence_terms.shape[0] != len(sentence_rows):
        raise CorruptIndex(f"{folder.name}: lexical index and database disagree")
    sentence_chunk = np.array([r[0] for r in sentence_rows], dtype=np.int64)
    chunk_document = np.array([r[0] for r in chunk_rows], dtype=np.int64)
    languages = sorted({d.text_language for d in docs})
    document_language = np.array([languages.index(d.text_language) for d in docs], dtype=np.int64)
    first = np.searchsorted(sentence_chunk, np.arange(len(chunk_rows) + 1), side="left")
    return Snapshot(
        version=folder.name,
        manifest=manifest,
        documents=docs,
        chunk_document=chunk_document,
        chunk_language=document_language[chunk_document] if len(docs) else chunk_document,
        chunk_position=np.array([r[1] for r in chunk_rows], dtype=np.int64),
        chunk_text=[r[2] for r in chunk_rows],
        chunk_hash=[r[3] for r in chunk_rows],
        sentence_chunk=sentence_chunk,
        sentence_span=np.array([(r[1], r[2]) for r in sentence_rows], dtype=np.int64).reshape(-1, 2),
        sentence_hash=[r[3] for r in sentence_rows],
        chunk_first_sentence=first.astype(np.int64),
        chunk_vectors=chunk_index,
        sentence_vectors=sentence_index,
        bm25=bm25,
        background=background,
        title_vectors=title_vectors,
    )
