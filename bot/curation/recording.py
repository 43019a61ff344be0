"""What users asked, kept for curators: Recorder.open(location) then recorder.record(channel, answer).

The location is an SQLite file (default: questions.sqlite3 in the data directory) or a PostgreSQL
URL shared by webhook replicas (bot.curation.store). A row holds the time (UTC), the channel, the
question, its outcome, the facts shown and the top candidates with their scores; never a user id,
a name or a chat id.

record() only puts a row in memory (microseconds) and returns its id; a writer thread of the
Recorder's own writes the rows in batches. It never raises and never waits on the database: a
database that is locked, down or slow keeps the rows in memory (at most MAX_PENDING, the oldest
dropped beyond, said once) and is retried with backoff, the outage logged once and the recovery
once; a corrupt, newer or read-only database is logged once and turns recording off. close() (or,
failing that, interpreter exit) writes what is left, and says so if it cannot.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Literal

from bot.config import default_data_dir
from bot.curation.rows import CHANNELS, Ids, fields, id_age
from bot.curation.store import RecordsError, Row, Store, StoreDown, Vote
from bot.curation.stores import open_store
from bot.engine import Answer

logger = logging.getLogger(__name__)

DB_NAME = "questions.sqlite3"
BATCH_SIZE = 64  # records that wake the writer at once
MAX_BATCH = 1_000  # records written per transaction
FLUSH_SECONDS = 1.0  # a record waits at most this long before the writer takes it
RETRY_SECONDS = 0.5  # the first wait after a failed write; it doubles up to RETRY_MAX
RETRY_MAX = 30.0
MAX_PENDING = 10_000  # records kept in memory while the database cannot be written; the oldest go first
STOP_SECONDS = 5.0  # the longest close() waits for a write in progress
VOTE_GRACE_SECONDS = 600.0  # a vote for an answer this recent may come before its question is written
CLOCK_SKEW_SECONDS = 60.0  # an id from further in the future than this was not given out by a replica

Clock = Callable[[], float]  # seconds since 1970, like time.time
VoteResult = Literal["kept", "gone", "off"]


def database_path(data_dir: Path | None = None) -> Path:
    """The question database inside a data directory (None: default_data_dir())."""
    return (data_dir if data_dir is not None else default_data_dir()) / DB_NAME


class Recorder:
    """Buffers recorded questions and votes; its writer thread writes them to the store in batches.

    Thread-safe. When disabled (by the caller, or after a failure) every method is a cheap no-op.
    """

    def __init__(self, location: Path | str | None, enabled: bool = True, *, clock: Clock = time.time) -> None:
        self.location = location
        self._clock = clock
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._write_lock = threading.Lock()
        self._rows: deque[Row] = deque()
        self._votes: deque[Vote] = deque()
        self._taken: list[Row] = []
        self._oldest = 0.0
        self._retry_at = 0.0
        self._backoff = 0.0
        self._down = False
        self._dropped = 0
        self._warned: set[str] = set()
        self._ids = Ids()
        self._second = -1
        self._stamp = ""
        self._open = False
        self._closing = False
        self._thread: threading.Thread | None = None
        self._active = enabled and location is not None
        self.store: Store | None = None
        if self._active:
            assert location is not None
            try:
                self.store = open_store(location)
            except RecordsError as exc:
                self._off(exc)

    @classmethod
    def open(cls, location: Path | str | None = None, enabled: bool = True, *, clock: Clock = time.time) -> Recorder:
        """A recorder writing to `location` (a path or a postgresql:// URL; None: database_path()),
        connected at once and retrying later if the database is down; never raises. With enabled=False
        it records nothing."""
        recorder = cls(location if location is not None else database_path(), enabled, clock=clock)
        if recorder._active:
            with recorder._write_lock:
                recorder._connect()
        if recorder._active:
            recorder._thread = threading.Thread(target=recorder._run, name="livebot-recorder", daemon=True)
            recorder._thread.start()
            _open_recorders.add(recorder)
        return recorder

    @property
    def active(self) -> bool:
        """False once recording is turned off or has failed for good; True while the database is down."""
        return self._active

    @property
    def where(self) -> str:
        """The database in messages: its path, or its URL with the password hidden."""
        return self.store.where if self.store is not None else "nowhere"

    def record(self, channel: str, answer: Answer) -> int | None:
        """Keeps one answered question; returns its id (the feedback key) or None if not kept."""
        if not self._active:
            return None
        if channel not in CHANNELS:
            self._warn("channel", "not recording a question from unknown channel %r", channel)
            return None
        values = fields(self._now(), channel, answer)
        with self._lock:
            if not self._active:
                return None
            row_id = self._ids.next()
            self._push(self._rows, (row_id, *values))
            return row_id

    def vote(self, row_id: int, value: int) -> VoteResult:
        """Keeps a 👍 (+1) or 👎 (-1) for a recorded answer (a later vote replaces an earlier one):
        'kept'; 'gone' if no such answer was recorded; 'off' if votes cannot be kept now.

        A recent answer may still be in another replica's memory, so its vote is kept and written
        once its question is; an older one is looked up in the database (a call for a worker thread).
        """
        if value not in (1, -1):
            raise ValueError(f"a vote is +1 or -1, not {value!r}")
        if not self._active or self.store is None:
            return "off"
        age = id_age(row_id)
        if age < -CLOCK_SKEW_SECONDS:
            return "gone"
        vote = Vote(row_id, value, self._now())
        with self._lock:
            if age <= VOTE_GRACE_SECONDS or any(r[0] == row_id for r in (*self._taken, *self._rows)):
                self._push(self._votes, vote)
                return "kept"
            if time.monotonic() < self._retry_at:
                return "off"
        try:
            known = self.store.has(row_id)
        except RecordsError:
            return "off"
        if not known:
            return "gone"
        with self._lock:
            self._push(self._votes, vote)
        return "kept"

    def flush(self) -> bool:
        """Writes every buffered record now; False if some must wait (the database is down or locked)."""
        return self._drain() if self._active else True

    def close(self) -> None:
        """Writes what is buffered and closes the database; recording stops. Says what could not be written."""
        with self._lock:
            if self._closing:
                return
            self._closing = True
            self._wake.notify_all()
        if self._thread is not None:
            self._thread.join(STOP_SECONDS)
        if self._active:
            self._retry_at = 0.0
            self._drain()
            if self._rows or self._votes:
                logger.warning(
                    "%d recorded question(s) and %d vote(s) could not be written to %s and are lost",
                    len(self._rows),
                    len(self._votes),
                    self.where,
                )
        self._active = False
        if self.store is not None:
            self.store.close()
        _open_recorders.discard(self)

    def __enter__(self) -> Recorder:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    # -- the writer ----------------------------------------------------------------------------

    def _run(self) -> None:
        while True:
            with self._wake:
                while not self._closing and not self._due():
                    self._wake.wait(self._pause())
                if self._closing:
                    return
            self._write()

    def _due(self) -> bool:
        pending = len(self._rows) + len(self._votes)
        if not pending or time.monotonic() < self._retry_at:
            return False
        return pending >= BATCH_SIZE or time.monotonic() - self._oldest >= FLUSH_SECONDS

    def _pause(self) -> float:
        """Seconds until the buffer may be due: the retry time, or its oldest record's flush time."""
        if not self._rows and not self._votes:
            return FLUSH_SECONDS
        due = max(self._retry_at, self._oldest + FLUSH_SECONDS)
        return max(0.005, due - time.monotonic())

    def _drain(self) -> bool:
        """Writes batches until no row is left; False at the first that cannot be written."""
        while self._write():
            with self._lock:
                if not self._rows:
                    return True
        return False

    def _write(self) -> bool:
        """Writes one batch; True if it was written (or there was none)."""
        with self._write_lock:
            if not self._active or time.monotonic() < self._retry_at:
                return not self._active
            if not self._open and not self._connect():
                return False
            with self._lock:
                rows = [self._rows.popleft() for _ in range(min(MAX_BATCH, len(self._rows)))]
                votes = list(self._votes)
                self._votes.clear()
                self._taken = rows
            if not rows and not votes:
                return True
            return self._store(rows, votes)

    def _store(self, rows: list[Row], votes: list[Vote]) -> bool:
        assert self.store is not None
        try:
            waiting = self.store.write(rows, votes)
        except StoreDown as exc:
            self._put_back(rows, votes)
            self._outage(exc)
            return False
        except RecordsError as exc:
            self._off(exc)
            return False
        finally:
            self._taken = []
        self._recovered()
        recent = [v for v in waiting if id_age(v.row_id) <= VOTE_GRACE_SECONDS]
        if recent:
            with self._lock:
                self._votes.extend(recent)
                self._oldest = time.monotonic()
        return True

    def _connect(self) -> bool:
        """Opens the store (creating or migrating the schema) and takes a writer number from it."""
        assert self.store is not None
        try:
            self.store.open()
            self._ids.take(self.store.new_writer(self._now()))
        except StoreDown as exc:
            self._outage(exc)
            return False
        except RecordsError as exc:
            self._off(exc)
            return False
        self._open = True
        self._recovered()
        return True

    # -- inside the lock -------------------------------------------------------------------------

    def _push(self, queue: deque[Row] | deque[Vote], item: Row | Vote) -> None:
        queue.append(item)  # type: ignore[arg-type]
        pending = len(self._rows) + len(self._votes)
        if pending == 1:
            self._oldest = time.monotonic()
        elif pending > MAX_PENDING:
            (self._rows or self._votes).popleft()
            self._dropped += 1
            self._warn(
                "full",
                "question database %s: more than %d records waiting; dropping the oldest until it is back",
                self.where,
                MAX_PENDING,
            )
        if pending == BATCH_SIZE:
            self._wake.notify()

    def _put_back(self, rows: list[Row], votes: list[Vote]) -> None:
        with self._lock:
            self._rows.extendleft(reversed(rows))
            self._votes.extendleft(reversed(votes))
            excess = len(self._rows) + len(self._votes) - MAX_PENDING
            for _ in range(max(0, excess)):
                (self._rows or self._votes).popleft()
                self._dropped += 1

    def _now(self) -> str:
        """timestamp() of the clock's time, formatted once per second."""
        second = int(self._clock())
        if second != self._second:
            self._second, self._stamp = second, time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(second))
        return self._stamp

    # -- what the log says -----------------------------------------------------------------------

    def _outage(self, exc: StoreDown) -> None:
        """Retries later, waiting twice as long each time; the first failure of an outage is logged."""
        self._backoff = min(RETRY_MAX, self._backoff * 2) if self._down else RETRY_SECONDS
        self._retry_at = time.monotonic() + self._backoff
        if not self._down:
            self._down = True
            logger.warning(
                "question database unreachable: %s; keeping up to %d record(s) in memory and retrying", exc, MAX_PENDING
            )

    def _recovered(self) -> None:
        if self._down:
            self._down = False
            lost = f"; {self._dropped} record(s) were dropped while it was down" if self._dropped else ""
            logger.warning("question database %s is back: recording resumed%s", self.where, lost)
            self._warned.discard("full")
        self._backoff = self._retry_at = 0.0
        self._dropped = 0

    def _off(self, exc: RecordsError) -> None:
        self._active = False
        with self._lock:
            self._rows.clear()
            self._votes.clear()
            self._wake.notify_all()
        self._warn("off", "recording questions is off: %s", exc)

    def _warn(self, key: str, message: str, *args: object) -> None:
        if key not in self._warned:
            self._warned.add(key)
            logger.warning(message, *args)


_open_recorders: set[Recorder] = set()  # closed at exit, so no buffered row is lost


@atexit.register
def _close_all() -> None:
    """Writes every open recorder's buffer at normal interpreter exit."""
    for recorder in list(_open_recorders):
        recorder.close()
