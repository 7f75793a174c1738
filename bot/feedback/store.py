"""The answer log in SQLite: every question the bot answered (or could not), votes on answers, and which
message holds which answer (so that a reply to it is a follow-up).

It lives beside the index (FEEDBACK_DB, default var/feedback.sqlite), never inside an index version, which
each build replaces. Nobody's Telegram id or name is stored: askers, voters and chats are keyed hashes
(HMAC-SHA-256 with a salt generated once and kept in a file beside the database), so the same person is
recognised (one vote per answer) without being identifiable from the file. Rows older than FEEDBACK_DAYS
are deleted with ``secure_delete`` on, so their text does not linger in the file's free pages.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from index.models import Reply

logger = logging.getLogger(__name__)
DAY = 86400.0
REASONS = ("document", "sentence", "outdated")  # why an answer got 👎
CHAT_KINDS = ("private", "group", "inline")
SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    id INTEGER PRIMARY KEY,
    token TEXT UNIQUE NOT NULL,      -- names the answer in its vote buttons
    asked_at REAL NOT NULL,          -- unix time
    asker TEXT NOT NULL,             -- keyed hash of the asker's Telegram id
    chat_kind TEXT NOT NULL,         -- private, group or inline
    language TEXT NOT NULL,          -- the asker's interface language (the buttons speak it)
    question TEXT NOT NULL,
    earlier TEXT,                    -- the question this one followed up, if it did
    document TEXT,                   -- NULL: the bot found no answer
    title TEXT,
    sentence TEXT,
    index_version TEXT
);
CREATE INDEX IF NOT EXISTS answers_by_time ON answers(asked_at);
CREATE TABLE IF NOT EXISTS votes (
    answer_id INTEGER NOT NULL REFERENCES answers(id) ON DELETE CASCADE,
    voter TEXT NOT NULL,             -- keyed hash of the voter's Telegram id
    vote INTEGER NOT NULL,           -- 1 for 👍, -1 for 👎
    reason TEXT,                     -- 👎 only: document, sentence or outdated
    voted_at REAL NOT NULL,
    PRIMARY KEY (answer_id, voter)
);
CREATE TABLE IF NOT EXISTS messages (
    chat TEXT NOT NULL,              -- keyed hash of the chat id
    message_id INTEGER NOT NULL,
    answer_id INTEGER NOT NULL REFERENCES answers(id) ON DELETE CASCADE,
    sent_at REAL NOT NULL,
    PRIMARY KEY (chat, message_id)
);
CREATE INDEX IF NOT EXISTS messages_by_chat ON messages(chat, sent_at);
CREATE INDEX IF NOT EXISTS messages_by_answer ON messages(answer_id);
"""


@dataclass(frozen=True)
class AnswerRecord:
    id: int
    token: str
    asked_at: float
    question: str
    earlier: str | None
    document: str | None
    sentence: str | None
    language: str

    @property
    def answered(self) -> bool:
        return self.document is not None


@dataclass(frozen=True)
class Tally:
    """The votes on one answer, and (when asked for) one voter's own."""

    up: int = 0
    down: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    mine: int = 0  # this voter's vote: 1, -1 or 0
    my_reason: str | None = None


@dataclass(frozen=True)
class LoggedQuestion:
    """A question the archive failed: no answer, or an answer with 👎."""

    question: str
    asked_at: float
    document: str | None
    title: str | None
    sentence: str | None
    down: int  # 👎 votes on its answer
    reasons: tuple[str, ...]  # their reasons, if given

    @property
    def unanswered(self) -> bool:
        return self.document is None


@dataclass
class LogSummary:
    """What /report counts, over everything kept (FEEDBACK_DAYS)."""

    since: float | None  # the oldest question kept
    questions: int = 0
    askers: int = 0
    answered: int = 0
    votes_up: int = 0
    votes_down: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    failed: list[LoggedQuestion] = field(default_factory=list)
    documents_down: Counter[str] = field(default_factory=Counter)  # title or path -> 👎 votes


def load_salt(path: Path) -> bytes:
    """The salt beside the database, made once (readable by this user only)."""
    try:
        return bytes.fromhex(path.read_text("ascii").strip())
    except FileNotFoundError:
        pass
    salt = secrets.token_bytes(32)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it meanwhile: use theirs
        return bytes.fromhex(path.read_text("ascii").strip())
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(salt.hex())
    return salt


class FeedbackStore:
    """One SQLite connection shared by the bot's threads (calls are short and serialised by a lock)."""

    def __init__(
        self,
        path: Path | None,
        retention_days: float,
        clock: Callable[[], float] = time.time,
        salt: bytes | None = None,
    ) -> None:
        self.path = path  # None: kept in memory until the process ends
        self.retention = retention_days * DAY
        self.clock = clock
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        self._salt = salt if salt is not None else (load_salt(salt_path(path)) if path else secrets.token_bytes(32))
        self._db = sqlite3.connect(str(path) if path else ":memory:", check_same_thread=False, isolation_level=None)
        self._lock = threading.Lock()
        with self._lock:
            if path is not None:
                self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.execute("PRAGMA secure_delete=ON")  # deleted questions are overwritten, not left in free pages
            self._db.executescript(SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # ---- identities --------------------------------------------------------------------
    def pseudonym(self, kind: str, value: int | str) -> str:
        """A stable keyed hash of a Telegram id: the same person or chat, never who it is."""
        return hmac.new(self._salt, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()[:32]

    # ---- writing -----------------------------------------------------------------------
    def record(
        self,
        asker: int,
        chat_kind: str,
        language: str,
        reply: Reply,
        earlier: str | None = None,
        index_version: str | None = None,
        token: str | None = None,
    ) -> AnswerRecord:
        """Remember one question and what the bot answered (no answer: document and sentence NULL)."""
        answer = reply.answer
        token = token or secrets.token_urlsafe(9)
        now = self.clock()
        values = (
            token, now, self.pseudonym("user", asker), chat_kind, language, reply.question, earlier,
            answer.passage.document if answer else None, (answer.passage.meta.title or answer.passage.title) if answer
            else None, answer.text if answer else None, index_version,
        )  # fmt: skip
        with self._lock:
            cursor = self._db.execute(
                "INSERT INTO answers (token, asked_at, asker, chat_kind, language, question, earlier, document, title,"
                " sentence, index_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                values,
            )
        document = values[7]
        return AnswerRecord(
            int(cursor.lastrowid or 0), token, now, reply.question, earlier, document, values[9], language
        )

    def link_message(self, chat_id: int, message_id: int, answer_id: int) -> None:
        """This message (in this chat) shows that answer: a reply to it follows up its question."""
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO messages (chat, message_id, answer_id, sent_at) VALUES (?, ?, ?, ?)",
                (self.pseudonym("chat", chat_id), message_id, answer_id, self.clock()),
            )

    def vote(self, token: str, voter: int, choice: str) -> tuple[AnswerRecord, Tally] | None:
        """👍 ("up"), 👎 ("down"), or a reason for 👎 (which is a 👎 too). None if the answer is not kept."""
        record = self.by_token(token)
        if record is None:
            return None
        who = self.pseudonym("user", voter)
        value = 1 if choice == "up" else -1
        reason = choice if choice in REASONS else None
        with self._lock:
            if choice == "down":  # a plain 👎 keeps the reason already given
                self._db.execute(
                    "INSERT INTO votes (answer_id, voter, vote, reason, voted_at) VALUES (?, ?, -1, NULL, ?) "
                    "ON CONFLICT (answer_id, voter) DO UPDATE SET vote = -1, voted_at = excluded.voted_at",
                    (record.id, who, self.clock()),
                )
            else:
                self._db.execute(
                    "INSERT INTO votes (answer_id, voter, vote, reason, voted_at) VALUES (?, ?, ?, ?, ?) "
                    "ON CONFLICT (answer_id, voter) DO UPDATE SET vote = excluded.vote, reason = excluded.reason, "
                    "voted_at = excluded.voted_at",
                    (record.id, who, value, reason, self.clock()),
                )
        return record, self.tally(record.id, voter)

    def purge(self) -> int:
        """Delete what is older than FEEDBACK_DAYS (with its votes and message links). Returns the questions deleted."""
        cutoff = self.clock() - self.retention
        with self._lock:
            deleted = self._db.execute("DELETE FROM answers WHERE asked_at < ?", (cutoff,)).rowcount
            if deleted and self.path is not None:
                self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the old text leaves the write-ahead log too
        if deleted:
            logger.info("deleted %d questions older than %d days from the answer log", deleted, self.retention / DAY)
        return deleted

    # ---- reading -----------------------------------------------------------------------
    def _record(self, where: str, args: tuple) -> AnswerRecord | None:
        with self._lock:
            row = self._db.execute(
                "SELECT a.id, a.token, a.asked_at, a.question, a.earlier, a.document, a.sentence, a.language "
                f"FROM answers a {where}",
                args,
            ).fetchone()
        return AnswerRecord(*row) if row else None

    def by_token(self, token: str) -> AnswerRecord | None:
        return self._record("WHERE a.token = ?", (token,))

    def answer_for_message(self, chat_id: int, message_id: int) -> AnswerRecord | None:
        """The answer a message of the bot shows (None: not an answer, or forgotten)."""
        return self._record(
            "JOIN messages m ON m.answer_id = a.id WHERE m.chat = ? AND m.message_id = ?",
            (self.pseudonym("chat", chat_id), message_id),
        )

    def last_answer_in(self, chat_id: int, since: float, before: int) -> AnswerRecord | None:
        """The latest answer sent to this chat after ``since`` and before its message ``before``.

        Message ids grow in a chat's order: an edited question is not a follow-up of its own answer.
        """
        return self._record(
            "JOIN messages m ON m.answer_id = a.id WHERE m.chat = ? AND m.sent_at >= ? AND m.message_id < ? "
            "ORDER BY m.message_id DESC LIMIT 1",
            (self.pseudonym("chat", chat_id), since, before),
        )

    def tally(self, answer_id: int, voter: int | None = None) -> Tally:
        who = self.pseudonym("user", voter) if voter is not None else None
        with self._lock:
            rows = self._db.execute(
                "SELECT voter, vote, reason FROM votes WHERE answer_id = ?", (answer_id,)
            ).fetchall()
        reasons = Counter(reason for _, vote, reason in rows if vote < 0 and reason)
        mine = next(((vote, reason) for voter_, vote, reason in rows if voter_ == who), (0, None))
        return Tally(
            up=sum(1 for _, vote, _ in rows if vote > 0),
            down=sum(1 for _, vote, _ in rows if vote < 0),
            reasons=dict(reasons),
            mine=mine[0],
            my_reason=mine[1],
        )

    def summary(self) -> LogSummary:
        """Everything /report needs, read in one go."""
        with self._lock:
            since, questions, askers, answered = self._db.execute(
                "SELECT MIN(asked_at), COUNT(*), COUNT(DISTINCT asker), COUNT(document) FROM answers"
            ).fetchone()
            votes = self._db.execute(
                "SELECT a.id, a.question, a.asked_at, a.document, a.title, a.sentence, v.vote, v.reason "
                "FROM votes v JOIN answers a ON a.id = v.answer_id ORDER BY a.id"
            ).fetchall()
            unanswered = self._db.execute(
                "SELECT question, asked_at FROM answers WHERE document IS NULL ORDER BY asked_at"
            ).fetchall()
        summary = LogSummary(since, questions, askers, answered)
        down: dict[int, list] = {}
        for answer_id, question, asked_at, document, title, sentence, vote, reason in votes:
            if vote > 0:
                summary.votes_up += 1
                continue
            summary.votes_down += 1
            summary.reasons[reason or "none"] += 1
            summary.documents_down[title or document] += 1
            entry = down.setdefault(answer_id, [question, asked_at, document, title, sentence, 0, []])
            entry[5] += 1
            if reason:
                entry[6].append(reason)
        summary.failed = [LoggedQuestion(q, at, None, None, None, 0, ()) for q, at in unanswered]
        summary.failed += [LoggedQuestion(q, at, d, ti, s, n, tuple(r)) for q, at, d, ti, s, n, r in down.values()]
        summary.failed.sort(key=lambda item: item.asked_at)
        return summary


def salt_path(database: Path) -> Path:
    """The salt's file: beside the database, same name, ``.salt``."""
    return database.with_suffix(".salt")
