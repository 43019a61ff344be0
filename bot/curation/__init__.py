"""The curators' loop: what users asked (recording, into an SQLite or PostgreSQL store), what they
could not get (gaps, stats), the
live knowledge and its reloads (reload, watch), and scoring a question file (evaluate).

Depends on the engine and the knowledge, never on Telegram: the Telegram front end and the CLI
both use it. `Curation` runs it all beside a running bot.
"""

from bot.curation.loop import Curation
from bot.curation.recording import Recorder, database_path
from bot.curation.reload import LiveEngine, ReloadResult, summary
from bot.curation.store import RecordsError, Store, StoreDown
from bot.curation.stores import open_store

__all__ = [
    "Curation",
    "LiveEngine",
    "Recorder",
    "RecordsError",
    "ReloadResult",
    "Store",
    "StoreDown",
    "database_path",
    "open_store",
    "summary",
]
