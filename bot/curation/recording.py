"""What users asked, kept for curators: Recorder.open(path) then recorder.record(channel, answer).

One SQLite file (WAL mode) per data directory. A row holds the time (UTC), the channel, the
question, its outcome, the facts shown and the top candidates with their scores; never a user id,
a name or a chat id. Rows are buffered in memory and written in small batches, so recording costs
an answer a few microseconds; close() (or, failing that, interpreter exit) writes what is left.

Recording never raises and never stalls an answer for long: a locked database waits at most
BUSY_TIMEOUT_MS and is retried later; a full disk, a read-only or corrupt file is logged once and
recording turns itself off while answering goes on.
"""

from __future__ import annotations

import atexit
import json
import logging
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from bot.config import default_data_dir
from bot.engine import Answer
from bot.errors import BotError

logger = logging.getLogger(__name__)

DB_NAME = "questions.sqlite3"
SCHEMA_VERSION = 1
CHANNELS = frozenset({"private", "group", "inline", "cli"})
OUTCOMES = ("answered", "low", "declined", "chitchat")
CHITCHAT_KINDS = frozenset({"greeting", "help", "empty", "too-long"})  # not questions about the knowledge
LOW_CONFIDENCE = 0.6  # an answer matching less of the question than this is a near miss
MAX_QUESTION_CHARS = 500
MAX_CANDIDATES = 5
BUSY_TIMEOUT_MS = 50  # the longest one write may wait for another process's lock
BATCH_SIZE = 64  # rows written per transaction
FLUSH_SECONDS = 2.0  # a row waits at most this long (while questions keep coming) before it is written
RETRY_SECONDS = 10.0  # after a locked database, wait this long before trying again
ID_RANDOM_BITS = 21  # ids stay below 2**63 until the year 2109
MAX_PENDING = 5_000  # rows kept in memory while the database is locked; the oldest go first
_TRANSIENT = frozenset({"SQLITE_BUSY", "SQLITE_LOCKED"})

_MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE questions (
        id INTEGER PRIMARY KEY,
        asked_at TEXT NOT NULL,
        channel TEXT NOT NULL,
        question TEXT NOT NULL,
        kind TEXT NOT NULL,
        outcome TEXT NOT NULL,
        confidence REAL NOT NULL,
        shown TEXT NOT NULL,
        candidates TEXT NOT NULL
    );
    CREATE INDEX questions_asked_at ON questions (asked_at);
    CREATE TABLE votes (
        question_id INTEGER PRIMARY KEY REFERENCES questions (id) ON DELETE CASCADE,
        vote INTEGER NOT NULL CHECK (vote IN (-1, 1)),
        voted_at TEXT NOT NULL
    );
    """,
)
_INSERT = (
    "INSERT INTO questions (id, asked_at, channel, question, kind, outcome, confidence, shown, candidates)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_VOTE = (
    "INSERT INTO votes (question_id, vote, voted_at) SELECT ?, ?, ?"
    " WHERE EXISTS (SELECT 1 FROM questions WHERE id = ?)"
    " ON CONFLICT (question_id) DO UPDATE SET vote = excluded.vote, voted_at = excluded.voted_at"
)

Clock = Callable[[], float]  # seconds since 1970, like time.time
_Row = tuple[int, str, str, str, str, str, float, str, str]


class RecordsError(BotError):
    """The question database at `path` cannot be read (corrupt, or from a newer livebot)."""

    def __init__(self, path: Path, message: str) -> None:
        self.path = path
        super().__init__(f"{path}: {message}")


@dataclass(frozen=True, slots=True)
class _Vote:
    row_id: int
    value: int
    at: str


def database_path(data_dir: Path | None = None) -> Path:
    """The question database inside a data directory (None: default_data_dir())."""
    return (data_dir if data_dir is not None else default_data_dir()) / DB_NAME


def outcome(answer: Answer) -> str:
    """'chitchat' for greetings, help and empty or over-long messages; else declined, low or answered."""
    if answer.kind in CHITCHAT_KINDS:
        return "chitchat"
    if not answer.answered:
        return "declined"
    return "low" if answer.confidence < LOW_CONFIDENCE else "answered"


def utc_now() -> datetime:
    return datetime.now(UTC)


def timestamp(moment: datetime) -> str:
    """The stored form of a time: ISO 8601 in UTC to the second, so text order is time order."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Recorder:
    """Buffers recorded questions and votes and writes them to one SQLite file in batches.

    Thread-safe. When disabled (by the caller, or after a failure) every method is a cheap no-op.
    """

    def __init__(self, path: Path | None, enabled: bool = True, *, clock: Clock = time.time) -> None:
        self.path = path
        self._clock = clock
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._rows: list[_Row] = []
        self._votes: list[_Vote] = []
        self._oldest = 0.0
        self._retry_at = 0.0
        self._warned: set[str] = set()
        self._last_id = 0
        self._second = -1
        self._stamp = ""
        self._active = enabled and path is not None

    @classmethod
    def open(cls, path: Path | None, enabled: bool = True, *, clock: Clock = time.time) -> Recorder:
        """A recorder writing to the database file `path` (None: database_path()), created on
        first use; never raises. With enabled=False it records nothing."""
        recorder = cls(path if path is not None else database_path(), enabled, clock=clock)
        if recorder._active:
            with recorder._lock:
                recorder._connect()
            _open_recorders.add(recorder)
        return recorder

    @property
    def active(self) -> bool:
        """False once recording is turned off or has failed for good."""
        return self._active

    def record(self, channel: str, answer: Answer) -> int | None:
        """Keeps one answered question; returns its id (the feedback key) or None if not kept."""
        if not self._active:
            return None
        if channel not in CHANNELS:
            self._warn("channel", "not recording a question from unknown channel %r", channel)
            return None
        with self._lock:
            if self._conn is None and not self._connect():
                return None
            row_id = self._next_id()
            self._rows.append(self._row(row_id, channel, answer))
            if len(self._rows) == 1:
                self._oldest = time.monotonic()
            self._maybe_flush()
            return row_id if self._active else None

    def vote(self, row_id: int, value: int) -> bool:
        """Keeps a 👍 (+1) or 👎 (-1) for a recorded answer; a later vote replaces an earlier one.

        Returns False if recording is off. A vote for an id never recorded is dropped when written.
        """
        if value not in (1, -1):
            raise ValueError(f"a vote is +1 or -1, not {value!r}")
        if not self._active:
            return False
        with self._lock:
            self._votes.append(_Vote(row_id, value, self._now()))
            if len(self._rows) + len(self._votes) == 1:
                self._oldest = time.monotonic()
            self._maybe_flush()
            return self._active

    def flush(self) -> bool:
        """Writes every buffered row and vote now; True if nothing is left waiting."""
        with self._lock:
            return self._flush()

    def close(self) -> None:
        """Writes what is buffered and closes the database; recording stops."""
        with self._lock:
            if self._active:
                self._flush()
            self._active = False
            if self._conn is not None:
                self._conn.close()
                self._conn = None
        _open_recorders.discard(self)

    def __enter__(self) -> Recorder:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    # -- inside the lock ---------------------------------------------------------------------

    def _next_id(self) -> int:
        """Milliseconds since 1970 above 21 random bits: unique across processes sharing the file,
        and rising, so rows are appended to the end of the table rather than scattered through it."""
        candidate = (time.time_ns() // 1_000_000) << ID_RANDOM_BITS | secrets.randbits(ID_RANDOM_BITS)
        self._last_id = max(candidate, self._last_id + 1)
        return self._last_id

    def _now(self) -> str:
        """timestamp() of the clock's time, formatted once per second."""
        second = int(self._clock())
        if second != self._second:
            self._second, self._stamp = second, time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(second))
        return self._stamp

    def _row(self, row_id: int, channel: str, answer: Answer) -> _Row:
        shown = json.dumps([f.id for f in answer.facts])
        candidates = json.dumps(answer.candidates[:MAX_CANDIDATES])
        return (
            row_id,
            self._now(),
            channel,
            answer.question[:MAX_QUESTION_CHARS],
            answer.kind,
            outcome(answer),
            answer.confidence,
            shown,
            candidates,
        )

    def _maybe_flush(self) -> None:
        full = len(self._rows) + len(self._votes) >= BATCH_SIZE
        if full or time.monotonic() - self._oldest >= FLUSH_SECONDS:
            self._flush()

    def _connect(self) -> bool:
        if time.monotonic() < self._retry_at:
            return False
        assert self.path is not None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(
                self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
            )
        except (OSError, sqlite3.Error) as exc:
            self._fail(exc)
            return False
        try:
            _prepare(conn, self.path)
        except (OSError, sqlite3.Error, RecordsError) as exc:
            conn.close()
            self._fail(exc)
            return False
        self._conn = conn
        return True

    def _flush(self) -> bool:
        if not self._rows and not self._votes:
            return True
        if not self._active or time.monotonic() < self._retry_at:
            return False
        if self._conn is None and not self._connect():
            return False
        assert self._conn is not None
        try:
            with self._conn:
                self._conn.execute("BEGIN IMMEDIATE")
                self._conn.executemany(_INSERT, self._rows)
                self._conn.executemany(_VOTE, [(v.row_id, v.value, v.at, v.row_id) for v in self._votes])
        except (OSError, sqlite3.Error) as exc:
            self._fail(exc)
            return False
        self._rows.clear()
        self._votes.clear()
        self._warned.discard("busy")
        return True

    def _fail(self, exc: BaseException) -> None:
        if getattr(exc, "sqlite_errorname", "") in _TRANSIENT:
            self._retry_at = time.monotonic() + RETRY_SECONDS
            del self._rows[:-MAX_PENDING]
            del self._votes[:-MAX_PENDING]
            self._warn(
                "busy", "question database %s is locked; keeping %d record(s) to retry", self.path, len(self._rows)
            )
            return
        self._active = False
        self._rows.clear()
        self._votes.clear()
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        self._warn("off", "recording questions is off: %s", _reason(exc, self.path))

    def _warn(self, key: str, message: str, *args: object) -> None:
        if key not in self._warned:
            self._warned.add(key)
            logger.warning(message, *args)


def _prepare(conn: sqlite3.Connection, path: Path) -> None:
    """WAL mode and the current schema, migrating an older file; raises on a corrupt or newer one."""
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    version: int = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise RecordsError(path, f"written by a newer livebot (schema {version}, this one knows {SCHEMA_VERSION})")
    if version == SCHEMA_VERSION:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        for script in _MIGRATIONS[version:]:
            for statement in filter(str.strip, script.split(";")):
                conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _reason(exc: BaseException, path: Path | None) -> str:
    if isinstance(exc, RecordsError):
        return str(exc)
    if isinstance(exc, OSError):
        return f"{exc.filename or path}: {exc.strerror or type(exc).__name__}"
    return f"{path}: {exc or type(exc).__name__}"


_open_recorders: set[Recorder] = set()  # closed at exit, so no buffered row is lost


@atexit.register
def _close_all() -> None:
    """Writes every open recorder's buffer at normal interpreter exit."""
    for recorder in list(_open_recorders):
        recorder.close()
