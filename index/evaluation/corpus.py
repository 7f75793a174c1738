"""An archive of documents with staff questions: index it, ask through the bot's path, score.

The corpus is a documents folder and a questions file, one JSON object a line:
``{"id", "lang", "question", "expect", "doc", "also"?}`` — ``doc`` is the document that answers and
``expect`` a phrase of its answering sentence; ``also`` lists other documents stating the same fact,
each ``{"doc", "expect"}``; ``expect: null`` marks a question the archive cannot answer.

Scores, per question language, for questions in the language of their document and across
languages, and for two halves of the archive split by document (a change tuned on one half must
hold on the other): the answer sentence is right, the right document comes first, answerable
questions refused, unanswerable questions refused. A document's language is its sidecar's
``language`` or its file name's prefix (``ru-report.txt``): scoring only, the engine never sees it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from index.engine import Engine
from index.metadata import read_sidecar

HALVES = ("A", "B")


@dataclass(frozen=True)
class CorpusQuestion:
    id: str
    lang: str
    question: str
    expect: dict[str, str]  # document -> phrase its answer sentence holds; empty: no answer in the archive
    doc: str | None

    @property
    def answerable(self) -> bool:
        return bool(self.expect)


def expectations(row: dict, any_document: str | None = None) -> dict[str, str]:
    """Document -> the phrase its answer sentence must hold: ``doc`` and ``also`` (a row without ``doc``:
    ``any_document``, if given, stands for whichever document answers); empty when nothing answers."""
    document = row.get("doc") or any_document
    if not row.get("expect") or document is None:
        return {}
    expect = {document: row["expect"]}
    for other in row.get("also") or []:
        expect[other["doc"]] = other["expect"]
    return expect


def load_corpus_questions(path: Path) -> list[CorpusQuestion]:
    questions = []
    for line in path.read_text("utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        expect = expectations(row)
        questions.append(CorpusQuestion(row["id"], row.get("lang", ""), row["question"], expect, row.get("doc")))
    return questions


def document_language(documents_dir: Path, name: str) -> str:
    fields, _ = read_sidecar(documents_dir / name)
    return fields.get("language") or name.split("-", 1)[0]


def half_of(question: CorpusQuestion) -> str:
    """The half of the archive a question belongs to: by its document (by its id when it has none)."""
    key = question.doc or question.id
    return HALVES[int(hashlib.sha1(key.encode("utf-8")).hexdigest(), 16) % 2]


@dataclass
class Tally:
    answerable: int = 0
    right: int = 0
    document_first: int = 0
    refused: int = 0
    unanswerable: int = 0
    unanswerable_refused: int = 0

    def add(self, outcome: dict) -> None:
        if outcome["answerable"]:
            self.answerable += 1
            self.right += outcome["right"]
            self.document_first += outcome["document_first"]
            self.refused += outcome["refused"]
        else:
            self.unanswerable += 1
            self.unanswerable_refused += outcome["refused"]

    def as_dict(self) -> dict:
        a, u = max(self.answerable, 1), max(self.unanswerable, 1)
        return {
            "answerable": self.answerable,
            "answer_sentence_right": self.right / a,
            "right_document_first": self.document_first / a,
            "answerable_refused": self.refused / a,
            "unanswerable": self.unanswerable,
            "unanswerable_refused": self.unanswerable_refused / u if self.unanswerable else None,
        }


def evaluate_corpus(
    engine: Engine,
    questions: list[CorpusQuestion],
    progress: Callable[[int], None] = lambda n: None,
) -> dict:
    """Ask every question with ``Engine.ask`` (exactly what the bot does) and tally the outcomes."""
    documents_dir = engine.config.build.documents_dir
    languages: dict[str, str] = {}
    groups: dict[str, Tally] = {}
    misses = []

    def tally(name: str) -> Tally:
        return groups.setdefault(name, Tally())

    for question in questions:
        reply = engine.ask(question.question)
        answer = reply.answer
        document = answer.passage.document if answer else None
        outcome = {
            "answerable": question.answerable,
            "refused": answer is None,
            "document_first": document in question.expect,
            "right": answer is not None
            and document in question.expect
            and question.expect[document].lower() in answer.text.lower(),
        }
        names = ["all", f"lang:{question.lang}", f"half:{half_of(question)}"]
        if question.doc:
            if question.doc not in languages:
                languages[question.doc] = document_language(documents_dir, question.doc)
            names.append("same language" if languages[question.doc] == question.lang else "cross-language")
        for name in names:
            tally(name).add(outcome)
        missed = not outcome["right"] if question.answerable else not outcome["refused"]
        if missed:
            misses.append(
                {
                    "id": question.id,
                    "lang": question.lang,
                    "question": question.question,
                    "expected": dict(question.expect) or None,
                    "got_document": document,
                    "got": answer.text if answer else None,
                }
            )
        progress(1)
    return {
        "documents": engine.stats()["documents"],
        "groups": {name: t.as_dict() for name, t in sorted(groups.items(), key=lambda kv: _group_order(kv[0]))},
        "misses": misses,
    }


def _group_order(name: str) -> tuple[int, str]:
    order = ("all", "same language", "cross-language")
    if name in order:
        return order.index(name), ""
    return (3, name) if name.startswith("half:") else (4, name)
