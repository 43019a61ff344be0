"""What one recorded question holds, and its id: the fields of a row, built from an Answer, and ids
unique across every process recording into one database.

No I/O here; bot.curation.recording buffers the rows and writes them.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from datetime import UTC, datetime

from bot.engine import Answer

CHANNELS = frozenset({"private", "group", "inline", "cli"})
OUTCOMES = ("answered", "low", "declined", "chitchat")
CHITCHAT_KINDS = frozenset({"greeting", "help", "empty", "too-long"})  # not questions about the knowledge
LOW_CONFIDENCE = 0.6  # an answer matching less of the question than this is a near miss
MAX_QUESTION_CHARS = 500
MAX_CANDIDATES = 8  # the best-ranked facts and the best about each subject named (see Answer.candidates)
ID_LOW_BITS = 21  # an id is milliseconds since 1970 above these bits: below 2**63 until the year 2109
WRITER_BITS = 10  # ...of which the writer's number (one per Recorder, given by the database)...
SEQUENCE_BITS = ID_LOW_BITS - WRITER_BITS  # ...and a count within the millisecond
_UNWRITABLE = re.compile("[\x00\ud800-\udfff]")  # NUL (PostgreSQL refuses it) and lone surrogates (no UTF-8)

Fields = tuple[str, str, str, str, str, float, str, str]  # a row after its id


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


def fields(stamp: str, channel: str, answer: Answer) -> Fields:
    """The columns after the id: time, channel, question, kind, outcome, confidence, facts shown, candidates."""
    return (
        stamp,
        channel,
        writable(answer.question[:MAX_QUESTION_CHARS]),
        answer.kind,
        outcome(answer),
        answer.confidence,
        json.dumps([f.id for f in answer.facts]),
        json.dumps(answer.candidates[:MAX_CANDIDATES]),
    )


def id_age(row_id: int) -> float:
    """Seconds since the id was given out (negative for an id from the future)."""
    return time.time() - (row_id >> ID_LOW_BITS) / 1000


class Ids:
    """Milliseconds since 1970, the writer's number and a count: unique across the processes sharing a
    database (each has its own writer number) and rising, so rows are appended to the end of the table.
    Not thread-safe: the Recorder calls next() under its lock."""

    def __init__(self) -> None:
        self.writer = secrets.randbits(WRITER_BITS)  # until the database gives one
        self._last_ms = 0
        self._sequence = 0

    def take(self, number: int) -> None:
        """Uses the writer number the database handed out (wrapped to WRITER_BITS)."""
        self.writer = number % (1 << WRITER_BITS)

    def next(self) -> int:
        ms = time.time_ns() // 1_000_000
        if ms > self._last_ms:
            self._last_ms, self._sequence = ms, 0
        else:
            self._sequence += 1
            if self._sequence >> SEQUENCE_BITS:
                self._last_ms, self._sequence = self._last_ms + 1, 0
        return self._last_ms << ID_LOW_BITS | self.writer << SEQUENCE_BITS | self._sequence
