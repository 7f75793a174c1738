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

from index.retrieval import ScoredChunk
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


def choose_sentence(snapshot: Snapshot, hit: ScoredChunk) -> SentenceChoice | None:
    """The sentence of the chunk with the best cosine plus lexical evidence."""
    rows = snapshot.sentences_of(hit.chunk)
    if len(rows) == 0:
        return None
    scores = hit.sentence_scores + hit.sentence_bonus
    best = int(np.argmax(scores))
    start, end = (int(x) for x in snapshot.sentence_span[rows[best]])
    return SentenceChoice(rows[best], start, end, float(scores[best]))
