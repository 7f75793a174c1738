"""Who may read the model cache: everyone.

The cache holds public weights and graphs, nothing private, and other users read it: a container's
non-root user reading a cache built as root, several people sharing one cache on a host. Folders
staged with ``tempfile.mkdtemp`` are 0700 and some writers make 0600 files, and a restrictive umask
does the same to ordinary files, so whatever the cache publishes is given a+rX first, whatever the
umask. Caches published by older versions (0700) are repaired when they are next used by their owner;
anyone else gets a one-line message saying how to fix it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import stat
from pathlib import Path

logger = logging.getLogger(__name__)

READ_DIR = stat.S_IRUSR | stat.S_IXUSR | stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH | stat.S_IXOTH  # 0555
READ_FILE = stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH  # 0444


class ModelCacheUnreadable(RuntimeError):
    """A cached model folder this user cannot read and cannot repair (it belongs to someone else)."""


def share_readable(root: Path) -> list[Path]:
    """Add read access for everyone (and search access on folders) to ``root`` and everything below it.

    Only missing bits are added, nothing is taken away. Returns the paths that needed a change but
    could not be changed (they belong to another user).
    """
    stuck: list[Path] = []

    def add_read(path: Path) -> None:
        try:
            info = os.lstat(path)
        except OSError:
            return
        if stat.S_ISLNK(info.st_mode):
            return
        wanted = info.st_mode | (READ_DIR if stat.S_ISDIR(info.st_mode) else READ_FILE)
        if wanted == info.st_mode:
            return
        try:
            os.chmod(path, stat.S_IMODE(wanted))
        except PermissionError:
            stuck.append(path)

    add_read(root)
    # Top-down: a folder is made readable before os.walk lists it.
    for folder, subfolders, files in os.walk(root):
        for name in subfolders + files:
            add_read(Path(folder) / name)
    return stuck


def make_cache_dir(cache_dir: Path) -> None:
    """Create the cache folder so that others can find what it will hold, whatever the umask."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    share_readable_node(cache_dir)


def share_readable_node(path: Path) -> None:
    """``path`` alone (not what it holds) made readable by everyone, if it is ours to change."""
    with contextlib.suppress(PermissionError):
        mode = path.stat().st_mode
        wanted = mode | (READ_DIR if stat.S_ISDIR(mode) else READ_FILE)
        if wanted != mode:
            os.chmod(path, stat.S_IMODE(wanted))


def ensure_readable(model_dir: Path) -> None:
    """Repair an existing cached folder published without read access for others; fail clearly if we cannot read it."""
    stuck = share_readable(model_dir)
    if stuck:
        logger.warning(
            "the model cache %s is not readable by other users and belongs to someone else; its owner can fix it "
            "with: chmod -R a+rX %s",
            model_dir,
            model_dir,
        )
    unreadable = [p for p in [model_dir, *stuck] if not os.access(p, os.R_OK | (os.X_OK if p.is_dir() else 0))]
    if unreadable:
        raise ModelCacheUnreadable(
            f"The model folder {model_dir} cannot be read by this user (uid {os.getuid()}): "
            f"{unreadable[0]} was published without read access by an older version. "
            f"Its owner can fix it with: chmod -R a+rX {model_dir}"
        )
