"""Where recorded questions are kept: one schema and one set of queries for SQLite and PostgreSQL.

A Store is an SQLite file (bot.curation.sqlite_store) or a PostgreSQL database
(bot.curation.postgres_store); bot.curation.stores opens the one a location names. Both create
or migrate the schema on open, idempotently, and turn their drivers' errors into two kinds:
StoreDown (unreachable, locked, timed out: worth retrying) and RecordsError (corrupt, newer,
refused: not worth it). Neither message ever holds a password. Queries use `?` placeholders;
the PostgreSQL store adapts them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from bot.errors import BotError

SCHEMA_VERSION = 2
DIALECTS = {
    "sqlite": {"id": "INTEGER", "real": "REAL", "serial": "INTEGER PRIMARY KEY"},
    "postgresql": {"id": "BIGINT", "real": "DOUBLE PRECISION", "serial": "BIGSERIAL PRIMARY KEY"},
}
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE questions (
        id {id} PRIMARY KEY,
        asked_at TEXT NOT NULL,
        channel TEXT NOT NULL,
        question TEXT NOT NULL,
        kind TEXT NOT NULL,
        outcome TEXT NOT NULL,
        confidence {real} NOT NULL,
        shown TEXT NOT NULL,
        candidates TEXT NOT NULL
    );
    CREATE INDEX questions_asked_at ON questions (asked_at);
    CREATE TABLE votes (
        question_id {id} PRIMARY KEY REFERENCES questions (id) ON DELETE CASCADE,
        vote INTEGER NOT NULL CHECK (vote IN (-1, 1)),
        voted_at TEXT NOT NULL
    );
    """,
    """
    CREATE TABLE writers (
        id {serial},
        started_at TEXT NOT NULL
    );
    """,
)
INSERT_QUESTION = (
    "INSERT INTO questions (id, asked_at, channel, question, kind, outcome, confidence, shown, candidates)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING"
)
INSERT_VOTE = (
    "INSERT INTO votes (question_id, vote, voted_at) SELECT ?, ?, ?"
    " WHERE EXISTS (SELECT 1 FROM questions WHERE id = ?)"
    " ON CONFLICT (question_id) DO UPDATE SET vote = excluded.vote, voted_at = excluded.voted_at"
)
QUESTION_EXISTS = "SELECT 1 FROM questions WHERE id = ?"
NEW_WRITER = "INSERT INTO writers (started_at) VALUES (?) RETURNING id"

Row = tuple[int, str, str, str, str, str, float, str, str]  # the columns of INSERT_QUESTION


@dataclass(frozen=True, slots=True)
class Vote:
    """A 👍 (+1) or 👎 (-1) for the recorded question `row_id`, cast at `at` (a timestamp())."""

    row_id: int
    value: int
    at: str


class RecordsError(BotError):
    """The question database at `where` cannot be used: corrupt, from a newer livebot, or refused."""

    def __init__(self, where: object, message: str) -> None:
        self.where = where
        super().__init__(f"{where}: {message}")


class StoreDown(RecordsError):
    """The question database cannot be reached now (down, locked, timed out); trying later may work."""


class Store(Protocol):
    """A question database: SQLite (SqliteStore) or PostgreSQL (PostgresStore). Thread-safe."""

    @property
    def where(self) -> str:
        """The database for messages: a file path, or the URL with its password hidden."""
        ...

    def open(self) -> None:
        """Connects and creates or migrates the schema; StoreDown or RecordsError if it cannot."""
        ...

    def new_writer(self, now: str) -> int:
        """A number no other writer of this database was given (until it wraps around the ids' bits)."""
        ...

    def write(self, rows: Sequence[Row], votes: Sequence[Vote]) -> list[Vote]:
        """Writes rows and votes in one transaction; returns the votes whose question is not there."""
        ...

    def has(self, row_id: int) -> bool:
        """Whether a question with this id is stored."""
        ...

    def read(self, sql: str, params: Sequence[object]) -> list[tuple[Any, ...]]:
        """The rows of a query; [] while no question was ever recorded (no database, no schema)."""
        ...

    def close(self) -> None:
        """Closes every connection; the store may be opened again."""
        ...


def statements(version: int, dialect: str) -> list[str]:
    """The DDL statements taking a database from schema `version` to SCHEMA_VERSION."""
    scripts = (script.format(**DIALECTS[dialect]) for script in MIGRATIONS[version:])
    return [s.strip() for script in scripts for s in script.split(";") if s.strip()]


def newer(where: object, version: int) -> RecordsError:
    return RecordsError(where, f"written by a newer livebot (schema {version}, this one knows {SCHEMA_VERSION})")
