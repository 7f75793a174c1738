"""Can this process write the documents and index folders? Say so in one line, with the fix.

In a container the process runs as uid 10001; a bind-mounted host folder owned by someone else, or a
read-only one, would otherwise surface as a PermissionError traceback from deep inside a build
(``build.lock``) or as a generic apology to an admin who uploaded a file.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

logger = logging.getLogger(__name__)

ROLES = {
    "documents": "admins' uploads cannot be saved",
    "index": "the index cannot be built or updated",
    "feedback": "votes and unanswered questions are kept only until the bot stops",
}


class FolderNotWritable(RuntimeError):
    """A folder the work needs to write is not writable by this process."""

    def __init__(self, folder: Path, role: str) -> None:
        self.folder = folder
        self.role = role
        super().__init__(not_writable_message(folder, role))


def not_writable_message(folder: Path, role: str) -> str:
    uid, gid = os.getuid(), os.getgid()
    return (
        f"The {role} folder {folder} is not writable by this user (uid {uid}): {ROLES[role]}. "
        f"Fix: make it writable for uid {uid} (chown -R {uid}:{gid} on the folder, on the host if it is mounted), "
        f"or run the container as the folder's owner (docker run --user $(id -u):$(id -g)); see README, Docker."
    )


def is_writable(folder: Path) -> bool:
    """Whether a file can be created in ``folder`` (or, if it does not exist yet, in the folder that would hold it).

    Tried for real rather than with os.access, which answers from permission bits and can be wrong where
    the file server decides (NFS root squashing, id-mapped mounts).
    """
    probe_in = folder
    while not probe_in.exists():
        if probe_in.parent == probe_in:
            return False
        probe_in = probe_in.parent
    if not probe_in.is_dir():
        return False
    try:
        with tempfile.NamedTemporaryFile(prefix=".write-test-", dir=probe_in):
            return True
    except OSError:
        return False


def require_writable(folder: Path, role: str) -> None:
    if not is_writable(folder):
        raise FolderNotWritable(folder, role)


def warn_unwritable(documents_dir: Path, index_dir: Path) -> list[str]:
    """At the bot's start-up: one warning line for each folder it will need to write (uploads, /reindex) but cannot."""
    lines = [
        not_writable_message(folder, role)
        for folder, role in ((documents_dir, "documents"), (index_dir, "index"))
        if not is_writable(folder)
    ]
    for line in lines:
        logger.warning("%s", line)
    return lines
