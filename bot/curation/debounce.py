"""Inline queries arrive once per keystroke; InlineDebouncer keeps only the question a user settled on.

Each user's latest inline answer is held in memory. A later query from the same user that continues
it (one is a prefix of the other: typing on, or deleting back) replaces it; a query that does not,
or `quiet` seconds without a new one, releases it to be recorded. Typing "hangzhou plan" letter by
letter is one question, not thirteen. User ids live here only while a question is held, never
longer and never on disk. No Telegram and no event loop: the caller records what comes out.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from bot.engine import Answer
from bot.engine.text import normalise

QUIET_SECONDS = 3.0  # a query not continued within this long is what the user meant
MAX_HELD = 10_000  # users typing at once; beyond it the oldest held question is released early


@dataclass(frozen=True, slots=True)
class _Held:
    answer: Answer
    key: str
    at: float


class InlineDebouncer:
    """Holds the latest inline answer per user until it is clearly final."""

    def __init__(
        self, quiet: float = QUIET_SECONDS, *, clock: Callable[[], float] = time.monotonic, max_held: int = MAX_HELD
    ) -> None:
        self.quiet = quiet
        self.max_held = max_held
        self._clock = clock
        self._held: dict[int, _Held] = {}

    def __len__(self) -> int:
        return len(self._held)

    def offer(self, user_id: int, answer: Answer) -> list[Answer]:
        """Holds `answer` as the user's latest; returns answers now final (the one it did not continue,
        the oldest one if too many users are typing)."""
        now = self._clock()
        key = " ".join(normalise(answer.question).split())
        released: list[Answer] = []
        old = self._held.pop(user_id, None)
        if old is not None and not (now - old.at < self.quiet and _continues(old.key, key)):
            released.append(old.answer)
        if key:
            self._held[user_id] = _Held(answer, key, now)
        if len(self._held) > self.max_held:
            oldest = next(iter(self._held))
            released.append(self._held.pop(oldest).answer)
        return released

    def due(self) -> list[Answer]:
        """Releases every answer held for `quiet` seconds without a newer query."""
        now = self._clock()
        done = [user for user, held in self._held.items() if now - held.at >= self.quiet]
        return [self._held.pop(user).answer for user in done]

    def drain(self) -> list[Answer]:
        """Releases everything held (at shutdown)."""
        held = [h.answer for h in self._held.values()]
        self._held.clear()
        return held


def _continues(old: str, new: str) -> bool:
    return new.startswith(old) or old.startswith(new)
