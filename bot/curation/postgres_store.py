"""The shared question database for webhook replicas: PostgreSQL through psycopg 3 and psycopg_pool.

Imported only for a postgresql:// URL (`pip install livebot[postgres]`). The schema and queries
are bot.curation.store's, the same as SQLite's; migration runs under an advisory lock, so replicas
starting together migrate once. Connections come from a small pool that checks each before use
(a restarted server's dead connections are replaced, not failed on). Every message names the
database by its URL with the password hidden, and has the password taken out of it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg import errors
from psycopg_pool import ConnectionPool, PoolTimeout

from bot.config import RedactSecrets, database_secrets, redacted_url
from bot.curation import store
from bot.curation.store import RecordsError, Row, StoreDown, Vote

CONNECT_TIMEOUT = 2  # seconds to connect, or to wait for a pooled connection
POOL_SIZE = 4  # the writer, votes being checked, and /gaps or /stats reading
MIGRATION_LOCK = 0x6C697665626F74  # "livebot": the advisory lock held while the schema changes
_VERSION_TABLE = "CREATE TABLE IF NOT EXISTS livebot_schema (version INTEGER NOT NULL)"
_POOL_LOGGER = "psycopg.pool"  # logs every failed reconnection; the recorder says it once instead


class PostgresStore:
    """Questions and votes in a PostgreSQL database, shared by every replica that records into it."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._where = redacted_url(url)
        self._secrets = RedactSecrets(database_secrets(url))
        self._pool: ConnectionPool[psycopg.Connection[tuple[Any, ...]]] | None = None
        _quiet_pool(self._secrets)

    @property
    def where(self) -> str:
        return self._where

    def open(self) -> None:
        with self._errors():
            with psycopg.connect(self.url, **_options()) as conn:
                _migrate(conn, self._where)
            if self._pool is None:
                pool: ConnectionPool[psycopg.Connection[tuple[Any, ...]]] = ConnectionPool(
                    self.url,
                    kwargs=_options(),
                    min_size=1,
                    max_size=POOL_SIZE,
                    timeout=CONNECT_TIMEOUT,
                    check=ConnectionPool.check_connection,
                    name="livebot",
                    open=False,
                )
                pool.open(wait=False)
                self._pool = pool

    def new_writer(self, now: str) -> int:
        with self._connection() as conn:
            row = conn.execute(_pg(store.NEW_WRITER), (now,)).fetchone()
            assert row is not None
            return int(row[0])

    def write(self, rows: Sequence[Row], votes: Sequence[Vote]) -> list[Vote]:
        with self._connection() as conn, conn.cursor() as cur:
            if rows:
                cur.executemany(_pg(store.INSERT_QUESTION), rows)
            missing = []
            for vote in votes:
                cur.execute(_pg(store.INSERT_VOTE), (vote.row_id, vote.value, vote.at, vote.row_id))
                if not cur.rowcount:
                    missing.append(vote)
            return missing

    def has(self, row_id: int) -> bool:
        with self._connection() as conn:
            return conn.execute(_pg(store.QUESTION_EXISTS), (row_id,)).fetchone() is not None

    def read(self, sql: str, params: Sequence[object]) -> list[tuple[Any, ...]]:
        with self._connection() as conn:
            try:
                with conn.transaction():
                    found = conn.execute("SELECT max(version) FROM livebot_schema").fetchone()
            except errors.UndefinedTable:
                return []
            version = found[0] if found and found[0] is not None else 0
            if version > store.SCHEMA_VERSION:
                raise store.newer(self._where, version)
            return conn.execute(_pg(sql), tuple(params)).fetchall() if version else []

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool = None

    @contextmanager
    def _connection(self) -> Iterator[psycopg.Connection[tuple[Any, ...]]]:
        """A pooled connection (a direct one before open(), as for `livebot gaps`), committed at the end."""
        with self._errors():
            if self._pool is None:
                with psycopg.connect(self.url, **_options()) as conn:
                    yield conn
            else:
                with self._pool.connection() as conn:
                    yield conn

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """psycopg's errors as StoreDown (cannot connect, connection lost, timed out) or RecordsError."""
        try:
            yield
        except PoolTimeout:
            raise StoreDown(self._where, f"no connection within {CONNECT_TIMEOUT} s") from None
        except psycopg.OperationalError as exc:
            raise StoreDown(self._where, self._message(exc)) from None
        except psycopg.Error as exc:
            raise RecordsError(self._where, self._message(exc)) from None

    def _message(self, exc: BaseException) -> str:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        return self._secrets.redact(first)


def _options() -> dict[str, Any]:
    return {"connect_timeout": CONNECT_TIMEOUT, "application_name": "livebot"}


def _pg(sql: str) -> str:
    """A shared query with psycopg's placeholders."""
    return sql.replace("?", "%s")


def _migrate(conn: psycopg.Connection[tuple[Any, ...]], where: str) -> None:
    """Creates or migrates the schema in one transaction, under an advisory lock every replica takes."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        conn.execute(_VERSION_TABLE)
        found = conn.execute("SELECT max(version) FROM livebot_schema").fetchone()
        version = found[0] if found and found[0] is not None else 0
        if version > store.SCHEMA_VERSION:
            raise store.newer(where, version)
        if version == store.SCHEMA_VERSION:
            return
        for statement in store.statements(version, "postgresql"):
            conn.execute(statement.encode())
        conn.execute("DELETE FROM livebot_schema")
        conn.execute("INSERT INTO livebot_schema (version) VALUES (%s)", (store.SCHEMA_VERSION,))


def _quiet_pool(redact: RedactSecrets) -> None:
    """The pool's reconnection chatter off (ERROR and above still pass), and no password in what passes."""
    pool_logger = logging.getLogger(_POOL_LOGGER)
    if pool_logger.level < logging.ERROR:
        pool_logger.setLevel(logging.ERROR)
    for name in ("psycopg", _POOL_LOGGER):
        named = logging.getLogger(name)
        for old in [f for f in named.filters if isinstance(f, RedactSecrets)]:
            named.removeFilter(old)
        named.addFilter(redact)
