"""Pick the answer sentence in the best document, or abstain.

Retrieval finds the document by its context: the question names the commission, the session and
the city, and so does the report. The answer is not the sentence that restates that context (the
headline, "the 15th session of the commission continues in Baku…") but the one that adds the asked
fact. So a sentence is chosen by how well it matches the question *beyond* the document's own
context: its relevance (cosine plus lexical evidence) minus ``context_weight`` times its cosine to
the document's title. A headline, being the title, gets no credit; a sentence naming the deputy
prime minister who led the delegation keeps its full relevance. A sentence that holds the kind of
fact the question asks for (a year, a number, a date, a name: :mod:`index.answer_types`) earns
``type_weight`` more. The headline itself (the title's line in the text) is chosen only when the
document has nothing else.

Abstaining compares the chosen sentence's relevance with how well generic background sentences
(in the document's language, see :mod:`index.background`) match the same question: cosines of different
questions, above all in different languages, are not on one scale, but this margin is.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import numpy as np

from index.answer_types import asked_type, holds
from index.background import BACKGROUND_LANGUAGES
from index.retrieval import ScoredChunk
from index.snapshot import Snapshot


@dataclass(frozen=True)
class AnswerConfig:
    abstain_margin: float = 0.031  # answer when the best document stands out from the rest by this much...
    topic_margin: float = 0.075  # ...or when it beats generic text in its own language by this much
    yardstick_documents: int = 30  # "the rest": this many next-best documents (or background sentences)
    background_top: int = 10  # generic text: the mean of this many best background sentences
    context_weight: float = 0.5  # how much restating the document's title costs a sentence
    asked_weight: float = 0.1  # how much holding the question's terms that the title lacks earns it
    document_chunks: int = 8  # chunks of the best document whose sentences compete for the answer...
    document_read: int = 256  # ...chosen among this many of its chunks (all of a report), found by a signal or not
    headline_similarity: float = 0.99  # a sentence this close to the title is the headline, last resort only
    type_weight: float = 0.03  # what holding the asked kind of fact (year, number, date, name) earns
    name_share: float = 0.005  # a word in at most this share of the chunks (or 2 of them) can be a name
    constraint_window: float = 0.1  # a report naming the question's numbers and countries passes better ones
    constraint_documents: int = 10  # ...this close to the best, among this many best documents


@dataclass(frozen=True)
class SentenceChoice:
    hit: ScoredChunk  # the chunk that holds the sentence
    sentence: int  # global sentence row
    start: int  # offsets inside the chunk's text
    end: int
    score: float  # what chose it: cosine to the question minus restated context


def best_per_document(snapshot: Snapshot, hits: list[ScoredChunk]) -> dict[int, float]:
    """Each candidate document's best sentence cosine."""
    best: dict[int, float] = {}
    for hit in hits:
        document = int(snapshot.chunk_document[hit.chunk])
        score = float(hit.sentence_scores.max()) if len(hit.sentence_scores) else -1.0
        best[document] = max(best.get(document, -1.0), score)
    return best


def generic_match(snapshot: Snapshot, document: int, query_vector: np.ndarray, config: AnswerConfig) -> float:
    """How well generic everyday text in the document's language matches the question.

    Like with like: a Kazakh question meets a Russian report with a lower cosine than Kazakh text,
    whatever either says, so the report's best sentence is compared with everyday sentences in the
    report's own language (the background's row languages, :mod:`index.background`). A document in
    a language the background lacks is compared with the best background sentences of any language.
    """
    if len(snapshot.background) == 0:
        return 0.0
    scores = snapshot.background @ query_vector
    language = snapshot.documents[document].text_language
    if len(scores) == len(BACKGROUND_LANGUAGES) and language in BACKGROUND_LANGUAGES:
        scores = scores[np.asarray(BACKGROUND_LANGUAGES) == language]
    return float(np.sort(scores)[::-1][: config.background_top].mean())


def answer_margin(snapshot: Snapshot, hits: list[ScoredChunk], query_vector: np.ndarray, config: AnswerConfig) -> float:
    """How far above the bar the best document is; answer when this is >= 0.

    Two yardsticks, either of which is enough:
    - *Stands out from the archive*: the best document's best sentence against the mean of the next
      ``yardstick_documents`` documents' (topped up with background sentences in a small archive).
      Both sides carry the question's language offset, so one threshold holds in every language,
      and a question the archive does not cover finds nothing that stands out.
    - *On the archive's subject*: the same sentence against generic everyday text in the document's
      language (:func:`generic_match`). In an archive of one subject (every report is about a
      commission session) the answering report stands out little from its neighbours, yet far from
      everyday text.
    A near miss (the right commission, another session) passes both; :mod:`index.constraints` is
    what refuses it.
    """
    best = best_per_document(snapshot, hits)
    document = int(snapshot.chunk_document[hits[0].chunk])
    top = best.pop(document)
    background = np.sort(snapshot.background @ query_vector)[::-1] if len(snapshot.background) else np.zeros(0)
    others = sorted(best.values(), reverse=True)[: config.yardstick_documents]
    others += background[: config.yardstick_documents - len(others)].tolist()
    standout = top - float(np.mean(others)) if others else top
    generic = generic_match(snapshot, document, query_vector, config)
    return max(standout - config.abstain_margin, top - generic - config.topic_margin)


def choose_sentence(
    snapshot: Snapshot, hits: list[ScoredChunk], config: AnswerConfig, question: str = ""
) -> SentenceChoice | None:
    """The sentence of the best document that adds most to its context."""
    if not hits:
        return None
    kind = asked_type(question)
    is_rare = partial(snapshot.bm25.is_rare, share=config.name_share, at_least=2)
    document = int(snapshot.chunk_document[hits[0].chunk])
    candidates = [h for h in hits if int(snapshot.chunk_document[h.chunk]) == document][: config.document_chunks]
    best: SentenceChoice | None = None
    for hit in candidates:
        rows = snapshot.sentences_of(hit.chunk)
        if len(rows) == 0:
            continue
        # The question's words that its answer's title also holds are its context (commission,
        # session, city), which the choice must look past; the ones the title lacks are what is asked.
        scores = (
            hit.sentence_scores
            - config.context_weight * hit.sentence_context
            + config.asked_weight * hit.sentence_asked
        )
        # The title's own line (the headline in the text) is shown as the source anyway; a body
        # sentence that says the same thing is the better answer, and any other sentence comes first.
        scores = scores - (hit.sentence_context >= config.headline_similarity)
        if kind is not None and config.type_weight:
            text = snapshot.chunk_text[hit.chunk]
            spans = (snapshot.sentence_span[row] for row in rows)
            held = [holds(kind, text[a:b], question, is_rare) for a, b in spans]
            scores = scores + config.type_weight * np.array(held)
        i = int(np.argmax(scores))
        if best is None or scores[i] > best.score:
            start, end = (int(x) for x in snapshot.sentence_span[rows[i]])
            best = SentenceChoice(hit, rows[i], start, end, float(scores[i]))
    return best
