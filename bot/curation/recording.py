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
import json
import logging
import re
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Literal

from bot.config import default_data_dir
from bot.curation.store import RecordsError, Row, Store, StoreDown, Vote, open_store
from bot.engine import Answer

logger = logging.getLogger(__name__)

DB_NAME = "questions.sqlite3"
CHANNELS = frozenset({"private", "group", "inline", "cli"})
OUTCOMES = ("answered", "low", "declined", "chitchat")
CHITCHAT_KINDS = frozenset({"greeting", "help", "empty", "too-long"})  # not questions about the knowledge
LOW_CONFIDENCE = 0.6  # an answer matching less of the question than this is a near miss
MAX_QUESTION_CHARS = 500
MAX_CANDIDATES = 5
BATCH_SIZE = 64  # records that wake the writer at once
MAX_BATCH = 1_000  # records written per transaction
FLUSH_SECONDS = 1.0  # a record waits at most this long before the writer takes it
RETRY_SECONDS = 0.5  # the first wait after a failed write; it doubles up to RETRY_MAX
RETRY_MAX = 30.0
MAX_PENDING = 10_000  # records kept in memory while the database cannot be written; the oldest go first
STOP_SECONDS = 5.0  # the longest close() waits for a write in progress
ID_LOW_BITS = 21  # an id is milliseconds since 1970 above these bits: below 2**63 until the year 2109
WRITER_BITS = 10  # ...of which the writer's number (one per Recorder, given by the database)...
SEQUENCE_BITS = ID_LOW_BITS - WRITER_BITS  # ...and a count within the millisecond
VOTE_GRACE_SECONDS = 600.0  # a vote for an answer this recent may come before its question is written
CLOCK_SKEW_SECONDS = 60.0  # an id from further in the future than this was not given out by a replica
_UNWRITABLE = re.compile("[\x00\ud800-\udfff]")  # NUL (PostgreSQL refuses it) and lone surrogates (no UTF-8)

Clock = Callable[[], float]  # seconds since 1970, like time.time
VoteResult = Literal["kept", "gone", "off"]


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


def writable(text: str) -> str:
    """Text every database takes: NUL and lone surrogates (from argv or a JSON update) become U+FFFD."""
    return _UNWRITABLE.sub("\ufffd", text)


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
        self._writer = secrets.randbits(WRITER_BITS)
        self._last_ms = 0
        self._sequence = 0
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
        fields = self._fields(channel, answer)
        with self._lock:
            if not self._active:
                return None
            row_id = self._next_id()
            self._push(self._rows, (row_id, *fields))
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
        age = time.time() - (row_id >> ID_LOW_BITS) / 1000
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
        recent = [v for v in waiting if time.time() - (v.row_id >> ID_LOW_BITS) / 1000 <= VOTE_GRACE_SECONDS]
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
            self._writer = self.store.new_writer(self._now()) % (1 << WRITER_BITS)
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

    def _next_id(self) -> int:
        """Milliseconds since 1970, the writer's number and a count: unique across the replicas and
        processes sharing a database, and rising, so rows are appended to the end of the table."""
        ms = time.time_ns() // 1_000_000
        if ms > self._last_ms:
            self._last_ms, self._sequence = ms, 0
        else:
            self._sequence += 1
            if self._sequence >> SEQUENCE_BITS:
                self._last_ms, self._sequence = self._last_ms + 1, 0
        return self._last_ms << ID_LOW_BITS | self._writer << SEQUENCE_BITS | self._sequence

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

    def _fields(self, channel: str, answer: Answer) -> tuple[str, str, str, str, str, float, str, str]:
        return (
            self._now(),
            channel,
            writable(answer.question[:MAX_QUESTION_CHARS]),
            answer.kind,
            outcome(answer),
            answer.confidence,
            json.dumps([f.id for f in answer.facts]),
            json.dumps(answer.candidates[:MAX_CANDIDATES]),
        )

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
