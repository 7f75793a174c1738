"""/report and `commission-bot report`: how the answers fare, and what the archive lacks.

The questions nobody could answer and those whose answer got 👎 are grouped when they are near
duplicates (index.grouping: the engine's own vectors, any language), most frequent first: the list of
documents to add. The same list, one question a row, is the CSV file.
"""

from __future__ import annotations

import csv
import io
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np

from bot.feedback.store import REASONS, LoggedQuestion, LogSummary
from bot.texts import Texts
from index.grouping import group_questions, normal_form

GROUPS_SHOWN = 15  # in the message; the CSV file has them all
DOCUMENTS_SHOWN = 5
VARIANTS_SHOWN = 2
QUOTE_CHARS = 120
EMBED_BATCH = 32


@dataclass
class QuestionGroup:
    """Near-duplicate questions the archive failed, with what went wrong."""

    questions: list[LoggedQuestion]

    @property
    def size(self) -> int:
        return len(self.questions)

    @property
    def unanswered(self) -> int:
        return sum(q.unanswered for q in self.questions)

    @property
    def down(self) -> int:
        return sum(1 for q in self.questions if not q.unanswered)

    @property
    def wordings(self) -> list[str]:
        """Its distinct wordings, the most asked first (ties: the latest)."""
        counts = Counter(normal_form(q.question) for q in self.questions)
        latest: dict[str, str] = {}
        for q in sorted(self.questions, key=lambda q: q.asked_at):
            latest[normal_form(q.question)] = q.question
        return [latest[text] for text, _ in sorted(counts.items(), key=lambda kv: -kv[1])]


@dataclass
class Report:
    summary: LogSummary
    groups: list[QuestionGroup] = field(default_factory=list)
    days: float = 0.0
    made_at: float = field(default_factory=time.time)


def batched(embed: Callable[[list[str]], np.ndarray]) -> Callable[[list[str]], np.ndarray]:
    def run(texts: list[str]) -> np.ndarray:
        return np.concatenate([embed(texts[i : i + EMBED_BATCH]) for i in range(0, len(texts), EMBED_BATCH)])

    return run


def build_report(summary: LogSummary, embed: Callable[[list[str]], np.ndarray], days: float) -> Report:
    """Group the failed questions (CPU work: run it off the event loop)."""
    failed = summary.failed
    groups = group_questions([q.question for q in failed], batched(embed)) if failed else []
    return Report(summary, [QuestionGroup([failed[i] for i in group]) for group in groups], days)


def _share(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)} %" if whole else "—"


def _date(moment: float | None) -> str:
    return datetime.fromtimestamp(moment, UTC).strftime("%Y-%m-%d") if moment else "—"


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 1] + "…"


def report_text(report: Report, t: Texts, html: bool = True) -> str:
    """The report as a message (Telegram HTML) or as plain text (the command line)."""
    fmt = t.html if html else t
    bold = (lambda s: f"<b>{s}</b>") if html else (lambda s: s)
    s = report.summary
    days = round(report.days)
    if not s.questions:
        return fmt("report_empty", days=days)
    votes = s.votes_up + s.votes_down
    lines = [
        bold(fmt("report_title", days=days, since=_date(s.since))),
        fmt(
            "report_counts",
            questions=s.questions,
            askers=s.askers,
            answered=s.answered,
            answered_share=_share(s.answered, s.questions),
            unanswered=s.questions - s.answered,
        ),
        fmt(
            "report_votes",
            up=s.votes_up,
            up_share=_share(s.votes_up, votes),
            down=s.votes_down,
            down_share=_share(s.votes_down, votes),
        ),
    ]
    if s.votes_down:
        reasons = ", ".join(f"{t(f'reason_{r}').lower()} — {s.reasons[r]}" for r in (*REASONS, "none") if s.reasons[r])
        lines.append(fmt("report_reasons", reasons=reasons))
    lines += ["", bold(fmt("report_lacking"))]
    if not report.groups:
        lines.append(fmt("report_nothing_lacking"))
    for i, group in enumerate(report.groups[:GROUPS_SHOWN], start=1):
        wordings = group.wordings
        lines.append(
            fmt(
                "report_group",
                i=i,
                question=_quote(wordings[0]),
                times=group.size,
                unanswered=group.unanswered,
                down=group.down,
            )
        )
        if len(wordings) > 1:
            others = "; ".join(fmt("quote", text=_quote(w)) for w in wordings[1 : 1 + VARIANTS_SHOWN])
            more = len(wordings) - 1 - VARIANTS_SHOWN
            lines.append("   " + fmt("report_variants", variants=others + (f" (+{more})" if more > 0 else "")))
    if len(report.groups) > GROUPS_SHOWN:
        lines.append(fmt("report_more_groups", n=len(report.groups) - GROUPS_SHOWN))
    if s.documents_down:
        lines += ["", bold(fmt("report_documents"))]
        for title, down in s.documents_down.most_common(DOCUMENTS_SHOWN):
            lines.append(fmt("report_document", title=_quote(title), down=down))
    return "\n".join(lines)


def report_csv(report: Report, t: Texts) -> bytes:
    """One row per failed question, group by group (most frequent first); UTF-8 with BOM for spreadsheets."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(t("report_csv_columns").split("|"))
    for number, group in enumerate(report.groups, start=1):
        for q in sorted(group.questions, key=lambda q: q.asked_at):
            outcome = t("report_outcome_unanswered") if q.unanswered else t("report_outcome_down")
            reasons = ", ".join(t(f"reason_{r}") for r in q.reasons)
            asked = datetime.fromtimestamp(q.asked_at, UTC).strftime("%Y-%m-%d %H:%M")
            writer.writerow(
                [
                    number,
                    group.size,
                    q.question,
                    asked,
                    outcome,
                    q.down or "",
                    reasons,
                    q.title or q.document or "",
                    q.sentence or "",
                ]
            )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def csv_name(report: Report) -> str:
    return f"report-{datetime.fromtimestamp(report.made_at, UTC).strftime('%Y-%m-%d')}.csv"
