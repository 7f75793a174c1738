"""Pick the answer sentence from the best chunk, or abstain.

The answer is the sentence of the top chunk that best matches the question: its own vector's
cosine, plus the question's stemmed words it contains when the lexical signal counts for this
question. Abstaining compares the best sentence cosine with how well generic background
sentences match the same question (see :mod:`index.background`): cosines of different
questions, above all in different languages, are not on one scale, but this margin is.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from index.lexical import is_number
from index.retrieval import QuestionSignals, ScoredChunk
from index.snapshot import Snapshot


@dataclass(frozen=True)
class AnswerConfig:
    abstain_margin: float = 0.045  # the answer sentence must beat the background by this much
    lexical_discount: float = 0.35  # share of the lexical bonus that any on-topic sentence gets
    background_top: int = 5  # compare with the mean of the best few background sentences


@dataclass(frozen=True)
class SentenceChoice:
    sentence: int  # global sentence row
    start: int
    end: int
    score: float


def background_level(snapshot: Snapshot, query_vector: np.ndarray, config: AnswerConfig) -> float:
    if len(snapshot.background) == 0:
        return 0.0
    scores = snapshot.background @ query_vector
    top = np.sort(scores)[-config.background_top :]
    return float(top.mean())


def choose_sentence(snapshot: Snapshot, hit: ScoredChunk, signals: QuestionSignals) -> SentenceChoice | None:
    rows = snapshot.sentences_of(hit.chunk)
    if len(rows) == 0:
        return None
    text = snapshot.chunk_text[hit.chunk]
    bm25 = snapshot.bm25
    known = [t for t in signals.terms if t in bm25.vocabulary]
    words = {t: float(bm25.idf[bm25.vocabulary[t]]) for t in known if not is_number(t)}
    numbers = {t: float(bm25.idf[bm25.vocabulary[t]]) for t in known if is_number(t)}
    best: SentenceChoice | None = None
    for i, row in enumerate(rows):
        start, end = (int(x) for x in snapshot.sentence_span[row])
        terms = set(bm25.stemmer.terms(text[start:end]))
        score = float(hit.sentence_scores[i])
        score += signals.lexical_weight * _share(words, terms) + signals.number_weight * _share(numbers, terms)
        if best is None or score > best.score:
            best = SentenceChoice(row, start, end, score)
    return best


def _share(weights: dict[str, float], terms: set[str]) -> float:
    """The idf-weighted share of the question's terms that a sentence contains."""
    total = sum(weights.values())
    return sum(w for t, w in weights.items() if t in terms) / total if total else 0.0
