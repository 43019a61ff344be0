"""The store a location names: a postgresql:// URL, or the path of an SQLite file (the default).

psycopg is imported only for a URL; without it, opening one says how to install it.
"""

from __future__ import annotations

from pathlib import Path

from bot.config import redacted_url
from bot.curation.sqlite_store import SqliteStore
from bot.curation.store import RecordsError, Store


def is_database_url(location: object) -> bool:
    """Whether a location names a PostgreSQL database rather than an SQLite file."""
    return isinstance(location, str) and location.split("://", 1)[0] in ("postgresql", "postgres")


def open_store(location: Path | str) -> Store:
    """The store for a location, not yet opened: a postgresql:// URL, or the path of an SQLite file.

    Raises RecordsError for a URL when psycopg is not installed."""
    if is_database_url(location):
        try:
            from bot.curation.postgres_store import PostgresStore
        except ImportError:
            raise RecordsError(redacted_url(str(location)), "needs psycopg: pip install 'livebot[postgres]'") from None
        return PostgresStore(str(location))
    return SqliteStore(Path(location))
