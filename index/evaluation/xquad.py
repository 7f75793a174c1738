"""Retrieval quality on XQuAD-style data: each passage is a document, questions point at one.

Uses the engine's own code path: the passages are written as documents, indexed by the same
builder, and every question goes through the same retrieval, answer choice and abstention.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from index.engine import Engine
from index.retrieval import RetrievalConfig, retrieve
from index.snapshot import Snapshot

logger = logging.getLogger(__name__)

METHODS = ("lexical", "dense", "hybrid")
RANK_DEPTH = 10  # passages ranked per question for Recall@5 and MRR@10


@dataclass(frozen=True)
class EvalQuestion:
    id: str
    question: str
    answer: str
    passage_id: str
    lang: str


@dataclass
class MethodScores:
    n: int = 0
    hits_at: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    reciprocal_ranks: float = 0.0

    def as_dict(self) -> dict:
        n = max(self.n, 1)
        return {
            "questions": self.n,
            "recall@1": self.hits_at[1] / n,
            "recall@3": self.hits_at[3] / n,
            "recall@5": self.hits_at[5] / n,
            "recall@10": self.hits_at[10] / n,
            "mrr@10": self.reciprocal_ranks / n,
        }


@dataclass
class AskScores:
    """Questions asked through the bot's own path, with part of the archive missing."""

    answerable: int = 0
    right: int = 0  # answered, and the answer's passage is the question's
    right_anywhere: int = 0  # the answer's passage is right, refused or not (what abstention costs)
    sentence: int = 0  # answered from the right passage, and the sentence holds the gold answer
    refused: int = 0  # answerable but refused
    absent: int = 0
    absent_refused: int = 0

    def as_dict(self) -> dict:
        a, b = max(self.answerable, 1), max(self.absent, 1)
        return {
            "answerable": self.answerable,
            "right_through_ask": self.right / a,
            "top_passage_right": self.right_anywhere / a,
            "answer_sentence_right": self.sentence / a,
            "answerable_refused": self.refused / a,
            "absent": self.absent,
            "absent_refused": self.absent_refused / b,
        }


def load_passages(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def load_questions(path: Path) -> list[EvalQuestion]:
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    return [EvalQuestion(r["id"], r["question"], r["answer"], r["passage_id"], r.get("lang", "ru")) for r in rows]


def write_passages_as_documents(passages: list[dict], folder: Path) -> None:
    """One .txt per passage, title in front matter; unchanged files keep their bytes (and vectors)."""
    folder.mkdir(parents=True, exist_ok=True)
    wanted = set()
    for p in passages:
        name = f"{p['id']}.txt"
        wanted.add(name)
        title = json.dumps(p.get("title", p["id"]), ensure_ascii=False)
        content = f"---\ntitle: {title}\nsource: XQuAD\n---\n{p['text']}\n"
        path = folder / name
        if not path.exists() or path.read_text("utf-8") != content:
            path.write_text(content, "utf-8")
    for stale in folder.glob("*.txt"):
        if stale.name not in wanted:
            stale.unlink()


def article_number(passage_id: str) -> int | None:
    """xquad-<article>-<paragraph> -> the article's number; None for other ids."""
    parts = passage_id.split("-")
    return int(parts[1]) if len(parts) == 3 and parts[1].isdigit() else None


def _ranked_documents(
    snapshot: Snapshot, question: EvalQuestion, vector: np.ndarray, config: RetrievalConfig
) -> list[str]:
    hits, _ = retrieve(snapshot, vector, question.question, RANK_DEPTH * 2, config)
    ranked: list[str] = []
    for hit in hits:
        stem = Path(snapshot.documents[int(snapshot.chunk_document[hit.chunk])].path).stem
        if stem not in ranked:
            ranked.append(stem)
    return ranked[:RANK_DEPTH]


def evaluate_retrieval(
    engine: Engine,
    questions: list[EvalQuestion],
    vectors: np.ndarray,
    progress: Callable[[int], None] = lambda n: None,
) -> dict[str, dict[str, dict]]:
    """Recall@k and MRR per question language and method (lexical, dense, hybrid), every passage indexed."""
    snapshot = engine.snapshot
    assert snapshot is not None
    scores: dict[str, dict[str, MethodScores]] = defaultdict(lambda: {m: MethodScores() for m in METHODS})
    base = engine.config.retrieval
    for question, vector in zip(questions, vectors, strict=True):
        for method in METHODS:
            config = RetrievalConfig(**{**base.__dict__, "mode": method})
            ranked = _ranked_documents(snapshot, question, vector, config)
            s = scores[question.lang][method]
            s.n += 1
            if question.passage_id in ranked:
                rank = ranked.index(question.passage_id) + 1
                s.reciprocal_ranks += 1.0 / rank
                for k in (1, 3, 5, 10):
                    s.hits_at[k] += rank <= k
        progress(1)
    return {lang: {m: s.as_dict() for m, s in methods.items()} for lang, methods in scores.items()}


def evaluate_ask(
    engine: Engine,
    questions: list[EvalQuestion],
    vectors: np.ndarray,
    progress: Callable[[int], None] = lambda n: None,
) -> dict[str, dict]:
    """Every question through the engine's answer path, against an index that lacks some articles.

    The absent-article protocol of ``xquad-ru/SOURCE.md``: questions whose passage is indexed must be
    answered from it (a refusal is a miss); questions whose article is not indexed must be refused.
    """
    snapshot = engine.snapshot
    assert snapshot is not None
    indexed = {Path(d.path).stem for d in snapshot.documents}
    scores: dict[str, AskScores] = defaultdict(AskScores)
    for question, vector in zip(questions, vectors, strict=True):
        # Engine.answer_with_vector in its parts, to see the passage a refusal withheld.
        hits, signals = engine.retrieve(snapshot, question.question, vector)
        choice, margin = engine.judge(snapshot, vector, hits, signals, question.question)
        reply = engine.compose_reply(snapshot, question.question, hits, choice, margin, 1)
        s = scores[question.lang]
        if question.passage_id not in indexed:
            s.absent += 1
            s.absent_refused += reply.answer is None
        else:
            s.answerable += 1
            if choice is not None:
                chosen = snapshot.documents[int(snapshot.chunk_document[choice.hit.chunk])].path
                s.right_anywhere += Path(chosen).stem == question.passage_id
            if reply.answer is None:
                s.refused += 1
            elif Path(reply.answer.passage.document).stem == question.passage_id:
                s.right += 1
                s.sentence += question.answer in reply.answer.text
        progress(1)
    return {lang: s.as_dict() for lang, s in scores.items()}
