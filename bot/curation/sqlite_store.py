"""The embedded question database: one SQLite file in WAL mode, shared safely by processes on one host.

Writes wait at most BUSY_TIMEOUT_MS for another process's lock (then StoreDown). Before each
write the file at the path is compared with the one open: a database removed or replaced while
the bot runs is said once in the log and a fresh one is opened, so nothing is written into an
unlinked file. Reads use a read-only connection of their own and never create the file.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bot.curation.store import (
    INSERT_QUESTION,
    INSERT_VOTE,
    NEW_WRITER,
    QUESTION_EXISTS,
    SCHEMA_VERSION,
    RecordsError,
    Row,
    StoreDown,
    Vote,
    newer,
    statements,
)

logger = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 50  # the longest one write may wait for another process's lock
_TRANSIENT = frozenset({"SQLITE_BUSY", "SQLITE_LOCKED"})

_FileId = tuple[int, int]


class SqliteStore:
    """Questions and votes in one SQLite file; the connection is opened by open() and shared by threads."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn: sqlite3.Connection | None = None
        self._file: _FileId | None = None
        self._lock = threading.Lock()

    @property
    def where(self) -> str:
        return str(self.path)

    def open(self) -> None:
        with self._lock, self._errors():
            if self._conn is None:
                self._connect()

    def new_writer(self, now: str) -> int:
        with self._lock, self._errors():
            writer: int = self._ready().execute(NEW_WRITER, (now,)).fetchone()[0]
            return writer

    def write(self, rows: Sequence[Row], votes: Sequence[Vote]) -> list[Vote]:
        with self._lock, self._errors():
            conn = self._ready()
            with conn:
                conn.execute("BEGIN IMMEDIATE")
                conn.executemany(INSERT_QUESTION, rows)
                return [v for v in votes if not conn.execute(INSERT_VOTE, (*_vote(v), v.row_id)).rowcount]

    def has(self, row_id: int) -> bool:
        with self._lock, self._errors():
            return self._ready().execute(QUESTION_EXISTS, (row_id,)).fetchone() is not None

    def read(self, sql: str, params: Sequence[object]) -> list[tuple[Any, ...]]:
        with self._errors():
            conn = self._reader()
            if conn is None:
                return []
            try:
                return conn.execute(sql, tuple(params)).fetchall()
            finally:
                conn.close()

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    # -- inside the lock ---------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False)
        try:
            _prepare(conn, self.path)
        except BaseException:
            conn.close()
            raise
        self._conn, self._file = conn, _file_id(self.path)
        return conn

    def _ready(self) -> sqlite3.Connection:
        """The open connection, or a fresh one if the file at the path is no longer the one it has open."""
        if self._conn is not None and _file_id(self.path) != self._file:
            logger.warning("question database %s was removed or replaced while open; recording into a fresh one", self)
            with contextlib.suppress(sqlite3.Error):  # empties the WAL left at the path, so no other file reads it
                self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._conn.close()
            self._conn = None
        return self._conn if self._conn is not None else self._connect()

    def _reader(self) -> sqlite3.Connection | None:
        """A read-only connection; None while there is no database file or it holds no schema yet."""
        try:
            self.path.stat()
        except FileNotFoundError:
            return None
        conn = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            version: int = conn.execute("PRAGMA user_version").fetchone()[0]
        except BaseException:
            conn.close()
            raise
        if version > SCHEMA_VERSION:
            conn.close()
            raise newer(self.path, version)
        if version == 0:
            conn.close()
            return None
        return conn

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """SQLite's and the file system's errors as StoreDown (a lock) or RecordsError (the rest)."""
        try:
            yield
        except sqlite3.Error as exc:
            if getattr(exc, "sqlite_errorname", "") in _TRANSIENT:
                raise StoreDown(self.path, "locked by another process") from None
            raise RecordsError(self.path, str(exc) or type(exc).__name__) from None
        except OSError as exc:
            raise RecordsError(exc.filename or self.path, exc.strerror or type(exc).__name__) from None

    def __str__(self) -> str:
        return str(self.path)


def _vote(vote: Vote) -> tuple[int, int, str]:
    return vote.row_id, vote.value, vote.at


def _file_id(path: Path) -> _FileId | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _prepare(conn: sqlite3.Connection, path: Path) -> None:
    """WAL mode and the current schema, migrating an older file; raises on a corrupt or newer one.

    The version is read again under the write lock, so processes starting together migrate once."""
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    if _version(conn, path) == SCHEMA_VERSION:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = _version(conn, path)
        for statement in statements(version, "sqlite"):
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _version(conn: sqlite3.Connection, path: Path) -> int:
    version: int = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise newer(path, version)
    return version
