"""Near-duplicate questions grouped by the engine's own vectors (for the list of what the archive lacks).

Questions are compared as the engine compares them: query vectors in its language-neutral space, so
"Где пройдет 23-е заседание?" and "Where will the 23rd session be held?" fall together. Groups are made
by average-linkage clustering: two groups merge while the mean cosine between their questions is at
least ``threshold``. Only questions naming the same numbers may share a group: the model puts "23-е
заседание" and "24-е заседание" as close as two wordings of one question, but they need different
documents. The threshold was measured on eval/near-duplicates.jsonl (README: Quality); ``commission-bot
eval`` reports it again.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage

from index.constraints import numbers_in

GROUP_SIMILARITY = 0.88  # mean cosine at which two groups of questions merge
MAX_DISTINCT = 5000  # distinct questions clustered at once (the clustering is quadratic in memory)
_NOT_WORD = re.compile(r"[^\w]+")

Embed = Callable[[list[str]], np.ndarray]


def normal_form(question: str) -> str:
    """The question with case, punctuation and spacing ignored: exact repeats count as one text."""
    return " ".join(_NOT_WORD.sub(" ", question.casefold()).split())


def cluster(vectors: np.ndarray, threshold: float) -> list[list[int]]:
    """Average-linkage groups of unit vectors whose mean cosine stays at or above ``threshold``."""
    if len(vectors) < 2:
        return [list(range(len(vectors)))] if len(vectors) else []
    tree = linkage(vectors.astype(np.float64), method="average", metric="cosine")
    labels = fcluster(tree, t=1.0 - threshold, criterion="distance")
    groups: dict[int, list[int]] = defaultdict(list)
    for i, label in enumerate(labels):
        groups[int(label)].append(i)
    return list(groups.values())


def group_questions(questions: Sequence[str], embed: Embed, threshold: float = GROUP_SIMILARITY) -> list[list[int]]:
    """Indices of ``questions`` in groups of near duplicates, the largest group first (ties: first asked first)."""
    by_text: dict[str, list[int]] = defaultdict(list)
    for i, question in enumerate(questions):
        by_text[normal_form(question)].append(i)
    texts = sorted(by_text, key=lambda text: -len(by_text[text]))[:MAX_DISTINCT]
    by_numbers: dict[frozenset[int], list[str]] = defaultdict(list)
    for text in texts:
        by_numbers[frozenset(numbers_in(text))].append(text)
    groups: list[list[int]] = []
    for members in by_numbers.values():
        vectors = embed([questions[by_text[text][0]] for text in members]) if len(members) > 1 else np.zeros((1, 1))
        for part in cluster(vectors, threshold) if len(members) > 1 else [[0]]:
            groups.append(sorted(i for j in part for i in by_text[members[j]]))
    groups.sort(key=lambda group: (-len(group), group[0]))
    return groups


def bcubed(groups: Sequence[Sequence[int]], labels: Sequence[str]) -> tuple[float, float]:
    """B-cubed precision and recall of a grouping against true labels (how pure, how complete, per question)."""
    group_of = {i: g for g, members in enumerate(groups) for i in members}
    precision = recall = 0.0
    for i, label in enumerate(labels):
        same_group = [j for j in groups[group_of[i]]]
        same_label = [j for j, other in enumerate(labels) if other == label]
        both = sum(1 for j in same_group if labels[j] == label)
        precision += both / len(same_group)
        recall += both / len(same_label)
    return precision / len(labels), recall / len(labels)
