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
    answer_sentence_hits: int = 0
    margins: list[float] = field(default_factory=list)  # answerable questions: margin over the background
    masked_margins: list[float] = field(default_factory=list)  # same questions with their article masked

    def abstention_curve(self, thresholds: np.ndarray) -> dict[str, list[float]]:
        answerable, masked = np.asarray(self.margins), np.asarray(self.masked_margins)
        return {
            "thresholds": [round(float(t), 4) for t in thresholds],
            "answer_rate": [float((answerable >= t).mean()) if len(answerable) else 0.0 for t in thresholds],
            "abstain_rate_when_absent": [float((masked < t).mean()) if len(masked) else 0.0 for t in thresholds],
        }

    def as_dict(self, threshold: float) -> dict:
        n = max(self.n, 1)
        out = {
            "questions": self.n,
            "recall@1": self.hits_at[1] / n,
            "recall@3": self.hits_at[3] / n,
            "recall@5": self.hits_at[5] / n,
            "recall@10": self.hits_at[10] / n,
            "mrr@10": self.reciprocal_ranks / n,
            "answer_sentence_accuracy": self.answer_sentence_hits / n,
            "answer_rate": float((np.asarray(self.margins) >= threshold).mean()) if self.margins else 0.0,
        }
        if self.masked_margins:
            out["abstain_rate_when_absent"] = float((np.asarray(self.masked_margins) < threshold).mean())
            out["masked_questions"] = len(self.masked_margins)
        return out


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


def article_of(passage_id: str) -> str:
    """xquad-<article>-<paragraph> -> xquad-<article>; other ids are their own article."""
    parts = passage_id.rsplit("-", 1)
    return parts[0] if len(parts) == 2 and parts[1].isdigit() else passage_id


def _ranked_documents(
    snapshot: Snapshot, question: EvalQuestion, vector: np.ndarray, config: RetrievalConfig, excluded: frozenset[int]
) -> tuple[list[str], list, object]:
    hits, signals = retrieve(snapshot, vector, question.question, RANK_DEPTH * 2, config, excluded)
    ranked: list[str] = []
    for hit in hits:
        stem = Path(snapshot.documents[int(snapshot.chunk_document[hit.chunk])].path).stem
        if stem not in ranked:
            ranked.append(stem)
    return ranked[:RANK_DEPTH], hits, signals


def evaluate_xquad(
    engine: Engine,
    questions: list[EvalQuestion],
    vectors: np.ndarray,
    abstention_sample: int,
    progress: Callable[[int], None] = lambda n: None,
) -> dict[str, dict[str, dict]]:
    """Scores per language and method. Abstention is measured on a sample by masking the article."""
    snapshot = engine.snapshot
    assert snapshot is not None
    doc_index = {Path(d.path).stem: i for i, d in enumerate(snapshot.documents)}
    by_article: dict[str, list[int]] = defaultdict(list)
    for stem, i in doc_index.items():
        by_article[article_of(stem)].append(i)
    scores: dict[str, dict[str, MethodScores]] = defaultdict(lambda: {m: MethodScores() for m in METHODS})
    rng = np.random.default_rng(7)
    masked_ids = set(rng.choice(len(questions), size=min(abstention_sample, len(questions)), replace=False).tolist())
    base = engine.config.retrieval
    for qi, (question, vector) in enumerate(zip(questions, vectors, strict=True)):
        for method in METHODS:
            config = RetrievalConfig(**{**base.__dict__, "mode": method})
            ranked, hits, signals = _ranked_documents(snapshot, question, vector, config, frozenset())
            choice, margin = engine.judge(snapshot, vector, hits, signals)
            s = scores[question.lang][method]
            s.margins.append(margin)
            s.n += 1
            if question.passage_id in ranked:
                rank = ranked.index(question.passage_id) + 1
                s.reciprocal_ranks += 1.0 / rank
                for k in (1, 3, 5, 10):
                    s.hits_at[k] += rank <= k
            if choice is not None and ranked and ranked[0] == question.passage_id:
                text = snapshot.chunk_text[choice.hit.chunk][choice.start : choice.end]
                s.answer_sentence_hits += question.answer in text
            if qi in masked_ids:
                excluded = frozenset(by_article[article_of(question.passage_id)])
                _, hits, signals = _ranked_documents(snapshot, question, vector, config, excluded)
                s.masked_margins.append(engine.judge(snapshot, vector, hits, signals)[1])
        progress(1)
    threshold = engine.config.answer.abstain_margin
    curve_points = np.round(np.arange(-0.02, 0.2001, 0.005), 4)
    return {
        lang: {
            m: {**s.as_dict(threshold), "abstention_curve": s.abstention_curve(curve_points)}
            for m, s in methods.items()
        }
        for lang, methods in scores.items()
    }
