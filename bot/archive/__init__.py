"""The archive as admins manage it: documents on disk, their history and metadata, and the builds that index them.

Nothing here knows Telegram: the bot's routers (and tests) drive it through :class:`ArchiveService`.
"""

from bot.archive.builds import BuildProgress, BuildQueue, BuildTicket
from bot.archive.captions import parse_caption, parse_date
from bot.archive.names import safe_file_name
from bot.archive.service import Accepted, ArchiveService
from bot.archive.store import (
    ArchiveRefusal,
    Change,
    DocumentStore,
    DuplicateDocument,
    FolderMissing,
    FolderNotWritable,
    StoredDocument,
    UnknownDocument,
)

__all__ = [
    "Accepted",
    "ArchiveRefusal",
    "ArchiveService",
    "BuildProgress",
    "BuildQueue",
    "BuildTicket",
    "Change",
    "DocumentStore",
    "DuplicateDocument",
    "FolderMissing",
    "FolderNotWritable",
    "StoredDocument",
    "UnknownDocument",
    "parse_caption",
    "parse_date",
    "safe_file_name",
]
