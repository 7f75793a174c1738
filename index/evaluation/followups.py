"""Follow-up questions, answered with and without the question they follow.

A follow-up file holds one JSON object a line: ``{"id", "lang", "earlier", "question", "expect",
"doc"?, "also"?}``. ``earlier`` is asked first, as a user would; its answer's document and the earlier
question are the context of ``question``. ``expect`` is a phrase the follow-up's answer sentence must
hold (in ``doc``, or in one of ``also``'s documents; without ``doc``, in any document), ``expect: null``
a follow-up the documents cannot answer ("А 23-е?", "Спасибо!"): refusing it is right.

A second measure keeps the context honest: every answerable question of an archive asked right after
an unrelated one (the file's previous question about another document), as happens when a short new
question in a private chat is taken for a follow-up. It should lose little against asking it alone.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from index.engine import Engine
from index.evaluation.corpus import CorpusQuestion, expectations
from index.followup import FollowUp
from index.models import Reply

ANY_DOCUMENT = ""  # a follow-up without "doc": the phrase may come from any document (the seed folder has one)


@dataclass(frozen=True)
class FollowUpQuestion:
    id: str
    lang: str
    earlier: str
    question: str
    expect: dict[str, str]  # document (or ANY_DOCUMENT) -> phrase its answer sentence holds; empty: no answer

    @property
    def answerable(self) -> bool:
        return bool(self.expect)


def load_follow_ups(path: Path) -> list[FollowUpQuestion]:
    items = []
    for line in path.read_text("utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        expect = expectations(row, any_document=ANY_DOCUMENT)
        items.append(FollowUpQuestion(row["id"], row.get("lang", ""), row["earlier"], row["question"], expect))
    return items


def is_right(reply: Reply, expect: dict[str, str]) -> bool:
    """The answer sentence holds the expected phrase of its document; with nothing expected, a refusal."""
    answer = reply.answer
    if not expect:
        return answer is None
    if answer is None:
        return False
    phrase = expect.get(answer.passage.document, expect.get(ANY_DOCUMENT))
    return phrase is not None and phrase.lower() in answer.text.lower()


def context_of(engine: Engine, earlier: str) -> FollowUp:
    """What the bot keeps of an earlier question: the question and the document its answer came from."""
    reply = engine.ask(earlier)
    return FollowUp(earlier, reply.answer.passage.document if reply.answer else None)


def _tally(rows: list[dict], key: str) -> dict:
    answerable = [r for r in rows if r["answerable"]]
    unanswerable = [r for r in rows if not r["answerable"]]
    return {
        "right": sum(r[key]["right"] for r in rows),
        "answerable_right": sum(r[key]["right"] for r in answerable),
        "unanswerable_refused": sum(r[key]["right"] for r in unanswerable),
    }


def _outcome(reply: Reply, expect: dict[str, str]) -> dict:
    answer = reply.answer
    return {
        "right": is_right(reply, expect),
        "document": answer.passage.document if answer else None,
        "answer": answer.text if answer else None,
    }


def evaluate_follow_ups(
    engine: Engine, items: list[FollowUpQuestion], progress: Callable[[int], None] = lambda n: None
) -> dict:
    rows = []
    for item in items:
        context = context_of(engine, item.earlier)
        rows.append(
            {
                "id": item.id,
                "lang": item.lang,
                "earlier": item.earlier,
                "question": item.question,
                "answerable": item.answerable,
                "expected": dict(item.expect) or None,
                "earlier_document": context.document,
                "without_context": _outcome(engine.ask(item.question), item.expect),
                "with_context": _outcome(engine.ask(item.question, context=context), item.expect),
            }
        )
        progress(1)
    return {
        "total": len(rows),
        "answerable": sum(r["answerable"] for r in rows),
        "without_context": _tally(rows, "without_context"),
        "with_context": _tally(rows, "with_context"),
        "questions": rows,
    }


def evaluate_unrelated_context(
    engine: Engine, questions: list[CorpusQuestion], progress: Callable[[int], None] = lambda n: None
) -> dict:
    """Each answerable question alone, and right after the previous question about another document."""
    alone = after = total = 0
    asked: list[CorpusQuestion] = []
    losses = []
    for question in questions:
        if question.answerable:
            # The latest question answered by none of this one's documents: unrelated.
            earlier = next((q for q in reversed(asked) if not set(q.expect) & set(question.expect)), None)
            if earlier is not None:
                total += 1
                right_alone = is_right(engine.ask(question.question), question.expect)
                right_after = is_right(
                    engine.ask(question.question, context=context_of(engine, earlier.question)), question.expect
                )
                alone += right_alone
                after += right_after
                if right_alone and not right_after:
                    losses.append({"id": question.id, "question": question.question, "after": earlier.question})
            asked.append(question)
        progress(1)
    return {"total": total, "right_alone": alone, "right_after_unrelated": after, "lost": losses}
