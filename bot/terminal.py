"""The terminal side of the CLI: progress bars, plain-text replies and the console chat."""

from __future__ import annotations

import sys
from typing import TextIO

from tqdm import tqdm

from index.engine import Engine
from index.models import Reply

STAGE_LABELS = {
    "reading": "Reading documents",
    "ocr": "Recognising scanned pages",
    "embedding": "Embedding texts",
    "writing": "Writing index",
    "publishing": "Publishing",
}


class ProgressBar:
    """A ProgressCallback that draws one tqdm bar per build stage on stderr."""

    def __init__(self, stream: TextIO = sys.stderr) -> None:
        self.stream = stream
        self.stage: str | None = None
        self.bar: tqdm | None = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self.stage:
            self.close()
            self.stage = stage
            self.bar = tqdm(total=total, desc=STAGE_LABELS.get(stage, stage), file=self.stream, unit="", leave=True)
        assert self.bar is not None
        if total != self.bar.total:
            self.bar.total = total
        self.bar.n = done
        self.bar.refresh()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def format_reply(reply: Reply) -> str:
    if reply.answer is None:
        return "No answer in the documents. Try rephrasing the question or naming the session, country or date."
    answer = reply.answer
    meta = answer.passage.meta
    source = ", ".join(x for x in (meta.title or answer.passage.title, meta.source, meta.date) if x)
    lines = [f"Answer: {answer.text}", f"Source: {source} ({answer.passage.document}), score {answer.score:.3f}"]
    if meta.ocr_pages:
        lines[-1] += f"; text recognised from a scan ({meta.ocr_note})"
    for i, passage in enumerate(reply.passages, 1):
        lines.append(f"  [{i}] {passage.title} ({passage.document}, {passage.score:.3f}): {passage.text[:300]}")
    return "\n".join(lines)


def console_chat(engine: Engine, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> None:
    """Answer questions typed on stdin until EOF or an empty line after 'exit'."""
    interactive = stdin.isatty()
    if interactive:
        stdout.write("Ask a question about the documents (Ctrl-D to quit).\n")
    while True:
        if interactive:
            stdout.write("> ")
            stdout.flush()
        line = stdin.readline()
        if not line:
            break
        question = line.strip()
        if not question:
            continue
        if question.lower() in ("exit", "quit", "выход"):
            break
        stdout.write(format_reply(engine.ask(question)) + "\n\n")
        stdout.flush()
