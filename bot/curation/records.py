"""Reading the recorded questions for the reports: the time window, and the store a command reads.

`livebot gaps` and `livebot stats` read the PostgreSQL database of --database-url (or
LIVEBOT_DATABASE_URL) if there is one, else the SQLite file in --data-dir (or LIVEBOT_DATA_DIR).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from bot.config import load_recording
from bot.curation.recording import database_path
from bot.curation.rows import timestamp, utc_now
from bot.curation.store import Store
from bot.curation.stores import is_database_url, open_store


def cutoff(since_days: int | None) -> str:
    """The earliest asked_at a report counts: since_days ago, or '' for every question."""
    return timestamp(utc_now() - timedelta(days=since_days)) if since_days is not None else ""


def command_location(args: argparse.Namespace) -> Path | str:
    """The database a report command reads: --database-url or LIVEBOT_DATABASE_URL, else the data directory's file."""
    recording = load_recording(database_url=getattr(args, "database_url", None))
    if recording.database_url is not None:
        return recording.database_url
    data_dir: Path | None = getattr(args, "data_dir", None)
    return database_path(data_dir if data_dir is not None else recording.data_dir)


def run_report(args: argparse.Namespace, render: Callable[[Store, int | None, bool], str]) -> int:
    """Prints one report; 0 even with nothing recorded. Raises RecordsError if the database cannot be read."""
    location = command_location(args)
    as_json = bool(getattr(args, "json", False))
    if not as_json and not is_database_url(location) and _absent(Path(location)):
        print(f"no questions recorded yet ({location} does not exist)")
        return 0
    store = open_store(location)
    try:
        print(render(store, getattr(args, "since", None), as_json))
    finally:
        store.close()
    return 0


def _absent(path: Path) -> bool:
    """Whether the file is simply not there yet (rather than behind a folder that cannot be read)."""
    try:
        path.stat()
    except FileNotFoundError:
        return True
    except OSError:
        return False
    return False
