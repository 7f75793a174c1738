"""How well /report groups near-duplicate questions: B-cubed precision and recall over a threshold sweep.

The file holds one JSON object a line, ``{"group", "lang", "question"}``: questions of one group ask the
same thing in other words or languages; other groups ask something close (the same session's date
instead of its place, another session, the other country's investments).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from index.embedding.embedder import Embedder
from index.grouping import GROUP_SIMILARITY, bcubed, group_questions

SWEEP = tuple(round(float(t), 2) for t in np.arange(0.80, 0.95, 0.02))


def evaluate_grouping(embedder: Embedder, path: Path) -> dict:
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    questions = [row["question"] for row in rows]
    labels = [row["group"] for row in rows]
    vectors = {q: v for q, v in zip(questions, embedder.embed_queries(questions), strict=True)}

    def embed(texts: list[str]) -> np.ndarray:
        return np.stack([vectors[text] for text in texts])

    sweep = []
    for threshold in sorted({*SWEEP, GROUP_SIMILARITY}):
        precision, recall = bcubed(group_questions(questions, embed, threshold), labels)
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        sweep.append({"threshold": threshold, "precision": precision, "recall": recall, "f1": f1})
    return {
        "questions": len(rows),
        "groups": len(set(labels)),
        "threshold": GROUP_SIMILARITY,
        "sweep": sweep,
    }
