"""Hybrid retrieval: dense (chunk and sentence vectors) fused with BM25 where BM25 means something.

Three signals score a chunk:
- the cosine of the question to the whole chunk,
- the cosine of the question to the chunk's best sentence (a precise fact in a long chunk),
- BM25 over stemmed words, normalised by the best score this question could reach (not by
  the best score observed, which turns noise into a full vote).
BM25 votes only in proportion to how much of the question's vocabulary the corpus knows: an
English question over Russian documents shares almost no stems with them, so its BM25 ranking
is noise and is ignored, while a Russian question gets the full lexical signal. In a mixed archive
words rank a chunk only against chunks of its own language (see ``words_within_language``), and
numbers count in every language.

Retrieval also reads, per candidate sentence, what the answer choice needs: its cosine to its
document's title and the share of the question's terms it holds beyond that title.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, replace

import numpy as np

from index.lexical import LexicalMatch
from index.snapshot import Snapshot


@dataclass(frozen=True)
class RetrievalConfig:
    candidates: int = 50  # taken from each signal before fusion
    # chunk score = (1 - w) * chunk cosine + w * best sentence cosine. 0.7 is best on XQuAD for
    # chunk vectors composed from sentences (en R@1 0.846 at 0.5, 0.859 at 0.7, 0.860 at 0.8).
    sentence_weight: float = 0.7
    lexical_weight: float = 0.2
    lexical_gate: float = 0.3  # vocabulary coverage below which BM25 gets no vote
    # Numbers shared with the question, in any language: a tie-breaker between reports of one commission's
    # sessions, not a match of its own (0.05 let a "6th session" of another pair outrank the right pair).
    number_weight: float = 0.025
    mode: str = "hybrid"  # "hybrid", or "dense" / "lexical" alone (for evaluation)
    # Question words rank a chunk only against chunks of its own language: in a mixed archive every
    # report in the question's language shares its common words, which must not lift them all above
    # the report in another language that answers. Numbers count in any language.
    words_within_language: bool = True


@dataclass(frozen=True)
class ScoredChunk:
    chunk: int
    score: float  # the fused score that ranks chunks
    sentence_scores: np.ndarray  # cosine of each of the chunk's sentences, in order
    sentence_context: np.ndarray  # cosine of each sentence to its document's title: how much it restates context
    sentence_asked: np.ndarray  # share of the question's terms each sentence holds beyond its document's title


@dataclass(frozen=True)
class QuestionSignals:
    lexical_weight: float  # the BM25 weight this question earned (0 when the corpus does not speak its language)
    number_weight: float


def lexical_gate(coverage: float, config: RetrievalConfig) -> float:
    if coverage <= config.lexical_gate:
        return 0.0
    return (coverage - config.lexical_gate) / (1.0 - config.lexical_gate)


def _best_of_same_language(values: np.ndarray, languages: np.ndarray) -> np.ndarray:
    """For each item, the largest value among items of its language."""
    best = np.full(int(languages.max()) + 1 if len(languages) else 0, -np.inf, dtype=np.float32)
    np.maximum.at(best, languages, values)
    return best[languages]


def _reconstruct(index, ids: np.ndarray) -> np.ndarray:
    if len(ids) == 0:
        return np.zeros((0, index.d), dtype=np.float32)
    return index.reconstruct_batch(ids.astype(np.int64))


@dataclass(frozen=True)
class Candidates:
    """What one question found: the chunks any signal proposed, and the signals to score them with."""

    query: np.ndarray  # the question's vector, shape (1, d)
    lexical: LexicalMatch
    signals: QuestionSignals
    chunks: frozenset[int]

    def with_chunks(self, chunks: Iterable[int]) -> Candidates:
        return replace(self, chunks=self.chunks | frozenset(int(i) for i in chunks))


def find_candidates(
    snapshot: Snapshot,
    query_vector: np.ndarray,
    question: str,
    config: RetrievalConfig,
    extra_chunks: Iterable[int] = (),
) -> Candidates:
    """The chunks the dense, lexical and number signals propose (and ``extra_chunks``)."""
    n = snapshot.n_chunks
    lexical = snapshot.bm25.search(question)
    weight = {"hybrid": config.lexical_weight * lexical_gate(lexical.coverage, config), "dense": 0.0}
    signals = QuestionSignals(weight.get(config.mode, 1.0), 0.0 if config.mode == "dense" else config.number_weight)
    query = np.ascontiguousarray(query_vector.reshape(1, -1), dtype=np.float32)
    candidates: set[int] = set(int(i) for i in extra_chunks)
    if n == 0:
        return Candidates(query, lexical, signals, frozenset())
    c = min(n, config.candidates)
    if config.mode != "lexical":
        _, chunk_ids = snapshot.chunk_vectors.search(query, c)
        n_sent = snapshot.sentence_vectors.ntotal
        _, sentence_ids = snapshot.sentence_vectors.search(query, min(n_sent, 2 * config.candidates))
        candidates.update(chunk_ids[0][chunk_ids[0] >= 0].tolist())
        candidates.update(snapshot.sentence_chunk[sentence_ids[0][sentence_ids[0] >= 0]].tolist())
    for weight, scores in ((signals.lexical_weight, lexical.scores), (signals.number_weight, lexical.number_scores)):
        if weight > 0:
            top = np.argpartition(-scores, c - 1)[:c] if n > c else np.arange(n)
            candidates.update(int(i) for i in top if scores[i] > 0)
    return Candidates(query, lexical, signals, frozenset(candidates))


def score_candidates(snapshot: Snapshot, found: Candidates, config: RetrievalConfig) -> list[ScoredChunk]:
    """Every candidate chunk scored by the fused signals, best first."""
    if not found.chunks:
        return []
    query, lexical, signals = found.query, found.lexical, found.signals
    chunk_rows = np.fromiter(sorted(found.chunks), dtype=np.int64)
    chunk_cos = _reconstruct(snapshot.chunk_vectors, chunk_rows) @ query[0]
    ranges = [snapshot.sentences_of(int(i)) for i in chunk_rows]
    sentence_rows = np.fromiter((s for r in ranges for s in r), dtype=np.int64)
    sentence_matrix = _reconstruct(snapshot.sentence_vectors, sentence_rows)
    sentence_cos = sentence_matrix @ query[0]
    sentence_documents = snapshot.chunk_document[snapshot.sentence_chunk[sentence_rows]]
    sentence_context = np.einsum("ij,ij->i", sentence_matrix, snapshot.title_vectors[sentence_documents])
    sentence_asked = lexical.share_beyond_titles(snapshot.bm25, sentence_rows, sentence_documents)
    # A sentence holding the question's rare words is evidence even inside a long chunk, where
    # BM25's length normalisation would discount it.
    sentence_words = signals.lexical_weight * lexical.sentence_words[sentence_rows]
    sentence_numbers = signals.number_weight * lexical.sentence_numbers[sentence_rows]
    bounds = np.cumsum([0] + [len(r) for r in ranges])
    words = np.zeros(len(chunk_rows), dtype=np.float32)
    numbers = np.zeros(len(chunk_rows), dtype=np.float32)
    for i, (a, b) in enumerate(itertools.pairwise(bounds)):
        if b > a:
            words[i] = sentence_words[a:b].max()
            numbers[i] = sentence_numbers[a:b].max()
    words += signals.lexical_weight * lexical.scores[chunk_rows] / max(lexical.ceiling, 1e-9)
    numbers += signals.number_weight * lexical.number_scores[chunk_rows] / max(lexical.number_ceiling, 1e-9)
    if config.words_within_language and config.mode != "lexical":
        words -= _best_of_same_language(words, snapshot.chunk_language[chunk_rows])
    lexical_score = (words + numbers) / 2
    scored: list[ScoredChunk] = []
    for i, (row, cos) in enumerate(zip(chunk_rows, chunk_cos, strict=True)):
        a, b = bounds[i], bounds[i + 1]
        sentences = sentence_cos[a:b]
        best_sentence = float(sentences.max()) if b > a else float(cos)
        dense = (1 - config.sentence_weight) * float(cos) + config.sentence_weight * best_sentence
        score = float(lexical_score[i]) + (0.0 if config.mode == "lexical" else dense)
        scored.append(ScoredChunk(int(row), score, sentences, sentence_context[a:b], sentence_asked[a:b]))
    scored.sort(key=lambda s: -s.score)
    return scored


def retrieve(
    snapshot: Snapshot,
    query_vector: np.ndarray,
    question: str,
    k: int | None,
    config: RetrievalConfig,
    extra_chunks: Iterable[int] = (),
) -> tuple[list[ScoredChunk], QuestionSignals]:
    """Chunks found by any signal (and ``extra_chunks``, always scored), best first."""
    found = find_candidates(snapshot, query_vector, question, config, extra_chunks)
    scored = score_candidates(snapshot, found, config)
    return (scored if k is None else scored[:k]), found.signals


def unscored_chunks(snapshot: Snapshot, found: Candidates, document: int, limit: int) -> list[int]:
    """The document's chunks no signal proposed, the closest to the question first, at most ``limit``."""
    rows = np.flatnonzero(snapshot.chunk_document == document)
    rows = rows[~np.isin(rows, np.fromiter(found.chunks, dtype=np.int64, count=len(found.chunks)))]
    if len(rows) > limit:
        closeness = _reconstruct(snapshot.chunk_vectors, rows) @ found.query[0]
        rows = rows[np.argsort(-closeness, kind="stable")[:limit]]
    return rows.tolist()


def document_scores(snapshot: Snapshot, hits: Iterable[ScoredChunk]) -> dict[int, float]:
    """Each document's best chunk score."""
    best: dict[int, float] = {}
    for hit in hits:
        document = int(snapshot.chunk_document[hit.chunk])
        best[document] = max(best.get(document, -np.inf), hit.score)
    return best


def first_from(snapshot: Snapshot, hits: list[ScoredChunk], document: int) -> list[ScoredChunk]:
    """The hits with the given document's chunks first (each part keeps its order)."""
    mine = [h for h in hits if int(snapshot.chunk_document[h.chunk]) == document]
    return mine + [h for h in hits if int(snapshot.chunk_document[h.chunk]) != document]
