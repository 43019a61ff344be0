"""The curators' loop beside the running bot: recording questions and votes, and watching the knowledge.

Curation(settings, live).start() opens the question database (settings.database_url, else the
SQLite file in settings.data_dir) and starts the background work: the recorder's own thread writes
what handlers record, settled inline queries are released to it every INLINE_EVERY seconds (see
bot.curation.debounce), and with settings.watch the knowledge directory is watched and valid edits
are swapped in. stop() ends it all and writes what is left. Handlers call record(), record_inline()
and vote(): cheap, never raising, never waiting on the database. No Telegram here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from pathlib import Path

from bot.config import Settings
from bot.curation.debounce import InlineDebouncer
from bot.curation.gaps import Gap, gaps
from bot.curation.recording import Recorder, VoteResult, database_path
from bot.curation.reload import LiveEngine, summary
from bot.curation.stats import Stats, stats
from bot.curation.store import Store
from bot.curation.stores import open_store
from bot.curation.watch import KnowledgeWatcher, watch
from bot.engine import Answer
from bot.knowledge import KnowledgeBase, Problem, bundled_dir

log = logging.getLogger(__name__)

INLINE_EVERY = 1.0  # seconds between looks for inline queries a user has settled on
STOP_TIMEOUT = 5.0  # the longest stop() waits for the background work before cancelling it


class Curation:
    """Records questions and votes for curators and keeps the live knowledge fresh, beside the handlers."""

    def __init__(self, settings: Settings, live: LiveEngine, *, inline_every: float = INLINE_EVERY) -> None:
        self.settings = settings
        self.live = live
        self.inline_every = inline_every
        self.recorder = Recorder(None, enabled=False)  # a no-op until start()
        self._reader: Store | None = None
        self.inline = InlineDebouncer()
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    @property
    def database(self) -> Path | str | None:
        """The question database: the PostgreSQL URL, else the data directory's file; None without either."""
        if self.settings.database_url is not None:
            return self.settings.database_url
        return database_path(self.settings.data_dir) if self.settings.data_dir is not None else None

    @property
    def recording(self) -> bool:
        return self.recorder.active

    async def start(self) -> None:
        """Opens the question database (a failure is logged; answering goes on) and starts the
        background work."""
        self._stop = asyncio.Event()
        if self.settings.recording and self.database is not None:
            self.recorder = await asyncio.to_thread(Recorder.open, self.database)
            self._tasks.append(asyncio.create_task(self._inline_loop()))
            log.info("recording questions in %s", self.recorder.where)
        if self.settings.watch:
            watcher = await asyncio.to_thread(self._watcher)
            self._tasks.append(asyncio.create_task(watch(watcher, self._stop)))
            log.info("watching %s for knowledge edits", watcher.directory)

    async def stop(self) -> None:
        """Stops watching and flushing, records the inline queries still held, closes the database."""
        self._stop.set()
        if self._tasks:
            _, late = await asyncio.wait(self._tasks, timeout=STOP_TIMEOUT)
            for task in late:
                task.cancel()
            self._tasks.clear()
        for answer in self.inline.drain():
            self.recorder.record("inline", answer)
        await asyncio.to_thread(self.recorder.close)
        if self._reader is not None:
            await asyncio.to_thread(self._reader.close)
            self._reader = None

    # -- for the handlers ----------------------------------------------------------------------

    def record(self, channel: str, answer: Answer) -> int | None:
        """Keeps a typed question; its row id (for 👍/👎) or None when not recorded."""
        return self.recorder.record(channel, answer)

    def record_inline(self, user_id: int, answer: Answer) -> None:
        """Holds an inline query until the user has settled on it; records those it settles."""
        if self.recorder.active:
            for settled in self.inline.offer(user_id, answer):
                self.recorder.record("inline", settled)

    async def vote(self, row_id: int, value: int) -> VoteResult:
        """Keeps a 👍 (+1) or 👎 (-1), replacing an earlier one: 'kept', 'gone' (no such answer) or
        'off' (votes cannot be kept now). May look the answer up in the database, in a worker thread."""
        return await asyncio.to_thread(self.recorder.vote, row_id, value)

    async def gaps(self, since_days: int | None = None) -> list[Gap] | None:
        """What users asked and could not get, most frequent first; None without a database.

        Writes what is buffered first. Raises RecordsError if the database cannot be read.
        """
        store = await self._store()
        if store is None:
            return None
        return await asyncio.to_thread(gaps, store, since_days, self.live.engine)

    async def stats(self, since_days: int | None = None) -> Stats | None:
        """Question counts, like gaps(): None without a database, RecordsError if it cannot be read."""
        store = await self._store()
        return None if store is None else await asyncio.to_thread(stats, store, since_days)

    async def _store(self) -> Store | None:
        """The store to read, after writing what is buffered: the recorder's, else one for reading."""
        if self.database is None:
            return None
        await asyncio.to_thread(self.recorder.flush)
        if self.recorder.store is not None:
            return self.recorder.store
        if self._reader is None:
            self._reader = open_store(self.database)
        return self._reader

    # -- in the background ---------------------------------------------------------------------

    async def _inline_loop(self) -> None:
        while not self._stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), timeout=self.inline_every)
            for answer in self.inline.due():
                self.recorder.record("inline", answer)

    def _watcher(self) -> KnowledgeWatcher:
        return KnowledgeWatcher(
            self.live.directory or bundled_dir(),
            self._swap,
            interval=self.settings.watch_interval,
            settle=self.settings.watch_settle,
            on_error=self._refused,
        )

    def _swap(self, kb: KnowledgeBase) -> None:
        """In the watcher's thread: puts the checked knowledge live; questions in flight finish on the old."""
        log.info("--watch %s", summary(self.live.swap(kb)))

    def _refused(self, problems: Sequence[Problem]) -> None:
        at = self.live.loaded_at.strftime("%Y-%m-%d %H:%M:%S UTC")
        log.warning(
            "--watch refused an edit with %d problem(s) (each logged above); "
            "still answering from the knowledge loaded %s",
            len(problems),
            at,
        )
