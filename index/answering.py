"""Pick the answer sentence in the best document, or abstain.

Retrieval finds the document by its context: the question names the commission, the session and
the city, and so does the report. The answer is not the sentence that restates that context (the
headline, "the 15th session of the commission continues in Baku…") but the one that adds the asked
fact. So a sentence is chosen by how well it matches the question *beyond* the document's own
context: its relevance (cosine plus lexical evidence) minus ``context_weight`` times its cosine to
the document's title. A headline, being the title, gets no credit; a sentence naming the deputy
prime minister who led the delegation keeps its full relevance.

Abstaining compares the chosen sentence's relevance with how well generic background sentences
(in many languages, see :mod:`index.background`) match the same question: cosines of different
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
    context_weight: float = 0.5  # how much restating the document's title costs a sentence
    document_chunks: int = 8  # chunks of the best document whose sentences compete for the answer
    lexical_in_choice: float = 1.0


@dataclass(frozen=True)
class SentenceChoice:
    hit: ScoredChunk  # the chunk that holds the sentence
    sentence: int  # global sentence row
    start: int  # offsets inside the chunk's text
    end: int
    score: float  # what chose it: relevance minus restated context
    relevance: float  # how well it matches the question (cosine plus lexical evidence)


def background_level(snapshot: Snapshot, query_vector: np.ndarray, config: AnswerConfig) -> float:
    if len(snapshot.background) == 0:
        return 0.0
    scores = snapshot.background @ query_vector
    top = np.sort(scores)[-config.background_top :]
    return float(top.mean())


def choose_sentence(snapshot: Snapshot, hits: list[ScoredChunk], config: AnswerConfig) -> SentenceChoice | None:
    """The sentence of the best document that adds most to its context."""
    if not hits:
        return None
    document = int(snapshot.chunk_document[hits[0].chunk])
    candidates = [h for h in hits if int(snapshot.chunk_document[h.chunk]) == document][: config.document_chunks]
    best: SentenceChoice | None = None
    for hit in candidates:
        rows = snapshot.sentences_of(hit.chunk)
        if len(rows) == 0:
            continue
        relevance = hit.sentence_scores + hit.sentence_bonus
        scores = hit.sentence_scores + config.lexical_in_choice * hit.sentence_bonus - config.context_weight * hit.sentence_context
        i = int(np.argmax(scores))
        if best is None or scores[i] > best.score:
            start, end = (int(x) for x in snapshot.sentence_span[rows[i]])
            best = SentenceChoice(hit, rows[i], start, end, float(scores[i]), float(relevance[i]))
    return best
