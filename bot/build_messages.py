"""What admins see of an index build: progress, the summary, and why a file was skipped, in their language."""

from __future__ import annotations

import errno
import logging
from collections.abc import Callable, Mapping
from html import escape
from pathlib import Path

from bot.archive.builds import BuildProgress, BuildTicket
from bot.progress import ProgressMessage
from bot.texts import Texts
from index.builder import MissingDocumentsFolder
from index.folders import FolderNotWritable
from index.models import BuildReport, page_ranges
from index.store import BuildInProgress

logger = logging.getLogger(__name__)

NAMES_SHOWN = 10  # per list in a summary; the rest is counted ("…and 12 more")
BAR_CELLS = 10
# Where each stage lies on the overall bar, in percent. Recognising scans (seconds a page) is the
# slowest work when there is any, encoding new text otherwise; a build without scans jumps over the
# OCR share, so the bar never runs backwards.
STAGE_SPAN = {
    "reading": (0, 10),
    "ocr": (10, 50),
    "embedding": (50, 90),
    "writing": (90, 98),
    "publishing": (98, 100),
}


def skip_reason(code: str, details: Mapping[str, object], t: Texts) -> str:
    """The index's reason for skipping a file, in the reader's language (plain text)."""
    try:
        return t(f"skip_{code}", **details)
    except KeyError:  # a code (or a figure it names) this version of the texts does not know
        logger.warning("no text for skip code %r", code)
        return t("skip_unreadable")


def bar(percent: float) -> str:
    filled = round(BAR_CELLS * percent / 100)
    return "▓" * filled + "░" * (BAR_CELLS - filled) + f" {percent:.0f} %"


def progress_text(progress: BuildProgress, t: Texts, full: bool) -> str | None:
    """One progress state as staff read it; None for a state not worth showing (a stage with nothing to do)."""
    label = t("reindex_full") if full else ""
    if progress.stage == "waiting":
        return t.html("reindex_progress", full=label, stage=t("stage_waiting"), bar="")
    span = STAGE_SPAN.get(progress.stage)
    if span is None or (progress.stage in ("reading", "embedding") and progress.total == 0):
        return None
    share = progress.done / progress.total if progress.total else 0.0
    percent = span[0] + (span[1] - span[0]) * share
    stage = t(f"stage_{progress.stage}", done=progress.done, total=progress.total)
    return t.html("reindex_progress", full=label, stage=stage, bar=bar(percent))


def name_lines(mark: str, names: list[str], t: Texts, limit: int = NAMES_SHOWN) -> list[str]:
    lines = [f"{mark} {escape(name)}" for name in names[:limit]]
    if len(names) > limit:
        lines.append(t.html("more_names", n=len(names) - limit))
    return lines


def summary_text(report: BuildReport, t: Texts, limit: int = NAMES_SHOWN) -> str:
    """The build's summary as Telegram HTML: counts, then at most ``limit`` names per list."""
    counts = {
        "documents": report.documents,
        "chunks": report.chunks,
        "added": len(report.added),
        "changed": len(report.changed),
        "removed": len(report.removed),
        "skipped": len(report.skipped),
    }
    lines = [t.html("reindex_done", **counts)]
    for mark, names in (("+", report.added), ("~", report.changed), ("−", report.removed)):
        lines += name_lines(mark, names, t, limit)
    skipped = [f"{s.path}: {skip_reason(s.code, s.details, t)}" for s in report.skipped]
    lines += name_lines("⚠", skipped, t, limit)
    # Scanned pages left out of documents that were indexed: by file and page.
    cuts = [
        t("ocr_cut", path=c.path, pages=page_ranges(c.pages), reason=skip_reason(c.code, c.details, t))
        for c in report.ocr_cuts
    ]
    lines += name_lines("✂", cuts, t, limit)
    return "\n".join(lines)


def failure_text(error: BaseException, t: Texts) -> str:
    if isinstance(error, MissingDocumentsFolder):
        return t.html("reindex_no_folder", folder=str(error).rpartition(": ")[2])
    if isinstance(error, BuildInProgress):
        return t.html("reindex_busy")
    if isinstance(error, FolderNotWritable):  # the index folder (index/store.py); its fix is logged in full
        logger.warning("%s", error)
        return t.html("folder_not_writable", folder=str(error.folder))
    if isinstance(error, OSError) and error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        folder = Path(error.filename).parent if error.filename else ""
        return t.html("folder_not_writable", folder=str(folder))
    return t.html("reindex_failed")


async def follow_build(
    ticket: BuildTicket,
    status: ProgressMessage,
    t: Texts,
    headline: Callable[[BuildReport], str] | None = None,
) -> BuildReport | None:
    """Show the build's progress in ``status``, then its summary (after ``headline``) or why it failed.

    The summary is always the last state the message shows. None when the build failed.
    """

    def show(progress: BuildProgress) -> None:
        text = progress_text(progress, t, ticket.full)
        if text is not None:
            status.show(text)

    ticket.on_progress(show)
    try:
        report = await ticket.wait()
    except Exception as error:
        await status.finish(failure_text(error, t))
        return None
    summary = summary_text(report, t)
    await status.finish(f"{headline(report)}\n\n{summary}" if headline else summary)
    return report
