"""The last turn of each conversation, so a follow-up ('and hangzhou?') can lean on it.

One context per private chat, and one per user within a group, so two people asking in one group
never mix; a reply to one of the bot's answers continues that answer's context, whoever replies.
Held in memory only: bounded to the most recent conversations, forgotten after minutes of silence,
never written to disk and never recorded. Inline queries have no context. No Telegram import: the
handlers pass plain ids.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from bot.engine import Context

QUIET_SECONDS = 600.0  # a conversation silent this long starts afresh
MAX_CONVERSATIONS = 10_000  # the most recent conversations kept; older ones are forgotten first
MAX_ANSWERS = 5_000  # the bot's recent answers whose context a reply continues

Key = tuple[int, ...]


@dataclass(frozen=True, slots=True)
class _Turn:
    context: Context
    at: float


class Conversations:
    """Contexts by conversation and by the bot's answer message, bounded and expiring."""

    def __init__(
        self,
        quiet: float = QUIET_SECONDS,
        *,
        size: int = MAX_CONVERSATIONS,
        answers: int = MAX_ANSWERS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.quiet = quiet
        self._size = size
        self._answers_size = answers
        self._clock = clock
        self._turns: OrderedDict[Key, _Turn] = OrderedDict()
        self._answers: OrderedDict[Key, _Turn] = OrderedDict()

    def __len__(self) -> int:
        return len(self._turns)

    @staticmethod
    def key(chat_id: int, user_id: int | None, private: bool) -> Key:
        """A private chat is one conversation; in a group each user has their own."""
        return (chat_id,) if private or user_id is None else (chat_id, user_id)

    def context(self, key: Key, replied_to: int | None = None) -> Context | None:
        """The context a message continues: the answer it replies to, else its conversation's last
        turn, unless that is older than `quiet` seconds."""
        if replied_to is not None:
            found = self._fresh(self._answers, (key[0], replied_to))
            if found is not None:
                return found
        return self._fresh(self._turns, key)

    def keep(self, key: Key, context: Context | None, answer_ids: Iterable[int] = ()) -> None:
        """Remembers what the next message may lean on, for the conversation and for each message
        the answer was sent as; None forgets the conversation."""
        if context is None:
            self._turns.pop(key, None)
            return
        turn = _Turn(context, self._clock())
        _put(self._turns, key, turn, self._size)
        for message_id in answer_ids:
            _put(self._answers, (key[0], message_id), turn, self._answers_size)
        for store in (self._turns, self._answers):  # the stalest first: drop those gone quiet
            while store and turn.at - next(iter(store.values())).at > self.quiet:
                store.popitem(last=False)

    def _fresh(self, store: OrderedDict[Key, _Turn], key: Key) -> Context | None:
        turn = store.get(key)
        if turn is None:
            return None
        if self._clock() - turn.at > self.quiet:
            del store[key]
            return None
        store.move_to_end(key)
        return turn.context


def _put(store: OrderedDict[Key, _Turn], key: Key, turn: _Turn, size: int) -> None:
    store[key] = turn
    store.move_to_end(key)
    while len(store) > size:
        store.popitem(last=False)
