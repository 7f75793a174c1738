"""Follow-up questions: a new question read in the light of the one it follows.

"А когда?" after "Где пройдет 22-е заседание?" names nothing the archive could be searched by; "Who
co-chairs it?" after a question about the 14th German-Kazakh session names no commission. The earlier
question carries the context (commission, session, country, figures) and its answer the document:

- The document: the earlier answer's, unless the new question alone finds another one better by more
  than ``keep_document`` (retrieval's fused score), or names a number or a commission's countries the
  earlier document never writes ("А 23-е?", "А у Казахстана с Узбекистаном?"). Then the new question
  points elsewhere and is answered exactly as a question of its own (``Engine.answer_with_vector``).
  A new question that merely looks short ("Кто возглавлял узбекскую делегацию на 5-м заседании
  водохозяйственной комиссии?") is not bent towards an unrelated earlier answer this way.
  When the earlier question got no answer, documents are ranked by the new question's score plus
  ``earlier_weight`` times the earlier one's.
- The sentence: inside that document, chosen for the new and the earlier question together (their
  vectors summed, the earlier one weighted ``earlier_weight``, in the engine's language-neutral space):
  "А когда?" alone matches every date of the report, "when will the 22nd session be held" the one asked.
  The lexical evidence is the new question's words alone: the earlier one's lead back to its own answer.
- Whether to answer: the earlier answer already showed that the document is on the question's subject,
  so a kept document is refused only when the new question is off the archive's subject — its best
  sentence there falls more than ``topic_floor`` below generic everyday text ("А какая погода будет
  там завтра?") — or names a number (or a commission's countries) the document lacks. The numbers and
  countries the new question leaves out are the earlier one's ("А когда?" keeps the 22nd session).

Measured on the follow-up sets in eval/ (README: Quality); the constants are round values from there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from index.answering import AnswerConfig, answer_margin, choose_sentence
from index.constraints import asked_in, unmet
from index.models import Reply
from index.retrieval import document_scores, first_from, retrieve
from index.snapshot import Snapshot

if TYPE_CHECKING:
    from index.engine import Engine


@dataclass(frozen=True)
class FollowUp:
    """The question a new one follows, and the document its answer came from (None: it had no answer)."""

    question: str
    document: str | None = None


@dataclass(frozen=True)
class FollowUpConfig:
    keep_document: float = 0.03  # how much better another document must be for the new question alone
    earlier_weight: float = 0.75  # the earlier question's weight beside the new one's
    topic_floor: float = 0.05  # how far below generic text the new question may match the kept document


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return (vector / norm).astype(np.float32) if norm > 0 else vector.astype(np.float32)


def document_row(snapshot: Snapshot, path: str | None) -> int | None:
    if path is None:
        return None
    for row, document in enumerate(snapshot.documents):
        if document.path == path:
            return row
    return None  # deleted or renamed since: the earlier question's words still count


def chunks_of(snapshot: Snapshot, document: int | None) -> list[int]:
    if document is None:
        return []
    return np.flatnonzero(snapshot.chunk_document == document).tolist()


def topic_margin(snapshot: Snapshot, document: int, query_vector: np.ndarray, config: AnswerConfig) -> float:
    """How far the document's best sentence beats generic everyday text for this question.

    The generic text here is the background's best in any language, not the document's own
    (:func:`index.answering.generic_match`): what is asked is whether the new question itself is
    everyday talk ("А какая погода будет там завтра?"), and its own language's weather sentence says so.
    """
    rows = np.fromiter((i for c in chunks_of(snapshot, document) for i in snapshot.sentences_of(c)), dtype=np.int64)
    if len(rows) == 0:
        return -1.0
    best = float((snapshot.sentence_vectors.reconstruct_batch(rows) @ query_vector).max())
    background = np.sort(snapshot.background @ query_vector)[::-1][: config.background_top]
    return best - float(background.mean()) if len(background) else best


def choose_document(
    engine: Engine,
    snapshot: Snapshot,
    question: str,
    new_scores: dict[int, float],
    earlier_scores: dict[int, float],
    earlier_document: int | None,
    config: FollowUpConfig,
) -> int:
    floor = min(new_scores.values())
    if earlier_document is None:
        earlier_floor = min(earlier_scores.values(), default=0.0)
        together = {d: s + config.earlier_weight * earlier_scores.get(d, earlier_floor) for d, s in new_scores.items()}
        return max(together, key=lambda d: together[d])
    best = max(new_scores, key=lambda d: new_scores[d])
    lead = new_scores[best] - new_scores.get(earlier_document, floor)
    if lead > config.keep_document or unmet(question, engine.names_of(snapshot, earlier_document)):
        return best  # the new question points elsewhere
    return earlier_document


def answer_follow_up(
    engine: Engine,
    snapshot: Snapshot,
    question: str,
    query_vector: np.ndarray,
    follow_up: FollowUp,
    earlier_vector: np.ndarray,
    k: int,
) -> Reply:
    config, retrieval, answering = engine.config.follow_up, engine.config.retrieval, engine.config.answer
    earlier_document = document_row(snapshot, follow_up.document)
    kept = chunks_of(snapshot, earlier_document)
    new_hits, _ = retrieve(snapshot, query_vector, question, None, retrieval, kept)
    if not new_hits:
        return Reply(question, None, [])
    earlier_hits, _ = retrieve(snapshot, earlier_vector, follow_up.question, None, retrieval, kept)
    document = choose_document(
        engine,
        snapshot,
        question,
        document_scores(snapshot, new_hits),
        document_scores(snapshot, earlier_hits),
        earlier_document,
        config,
    )
    if earlier_document is not None and document != earlier_document:
        # A question of its own after all: answered exactly as if it had been asked alone.
        return engine.answer_with_vector(snapshot, question, query_vector, k)
    # Read together with the earlier question. Its words stay out: they would lead the choice back
    # to the sentence that answered it.
    vector = _unit(query_vector + config.earlier_weight * earlier_vector)
    hits, _ = retrieve(snapshot, vector, question, None, retrieval, chunks_of(snapshot, document))
    hits = first_from(snapshot, hits, document)
    choice = choose_sentence(snapshot, hits, answering, question)
    if choice is None:
        return Reply(question, None, [])
    if earlier_document is not None:
        margin = topic_margin(snapshot, document, query_vector, answering) + config.topic_floor
    else:
        margin = answer_margin(snapshot, hits, vector, answering)
    # The session and the countries the new question leaves out are the earlier one's.
    asked = asked_in(question)
    constraints = question if asked.numbers or asked.countries else f"{follow_up.question} {question}"
    if margin >= 0 and unmet(constraints, engine.names_of(snapshot, document)):
        margin = -1.0
    return engine.compose_reply(snapshot, question, hits, choice, margin, k)
