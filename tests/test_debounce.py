"""Inline queries arrive per keystroke; only the question a user settled on is released for recording."""

from __future__ import annotations

import pytest

from bot.curation.debounce import InlineDebouncer

ANN, BOB = 1, 2


class Answer:
    """Enough of bot.engine.Answer for the debouncer, which looks only at the question."""

    def __init__(self, question):
        self.question = question


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def debouncer(clock):
    return InlineDebouncer(quiet=3.0, clock=clock, max_held=3)


def typed(debouncer, clock, user, *queries, gap=0.2):
    """Offers each query as the user types it; returns the questions released on the way."""
    released = []
    for query in queries:
        clock.now += gap
        released += [a.question for a in debouncer.offer(user, Answer(query))]
    return released


def test_typing_a_question_letter_by_letter_keeps_only_the_last(debouncer, clock):
    """Each keystroke continues the one before: nothing is released while typing, the last after a pause."""
    assert typed(debouncer, clock, ANN, "h", "ha", "hang", "hangzhou", "Hangzhou plan") == []
    assert debouncer.due() == []
    clock.now += 3.0
    assert [a.question for a in debouncer.due()] == ["Hangzhou plan"]
    assert len(debouncer) == 0


def test_deleting_back_and_retyping_is_still_one_question(debouncer, clock):
    """Backspacing (a prefix of the held query) and typing on replace the held question."""
    typed(debouncer, clock, ANN, "yiwu live", "yiwu li", "yiwu")
    assert typed(debouncer, clock, ANN, "yiwu anchors") == []
    assert [a.question for a in debouncer.drain()] == ["yiwu anchors"]


def test_a_different_question_releases_the_held_one_at_once(debouncer, clock):
    """A query that does not continue the held one releases it; so does a pause longer than quiet."""
    assert typed(debouncer, clock, ANN, "chengdu anchors", "yiwu") == ["chengdu anchors"]
    assert typed(debouncer, clock, ANN, "yiwu plan", gap=5.0) == ["yiwu"]


def test_users_are_held_apart(debouncer, clock):
    """Two users typing at once do not release each other's questions."""
    assert typed(debouncer, clock, ANN, "hangzhou") == []
    assert typed(debouncer, clock, BOB, "yiwu") == []
    assert sorted(a.question for a in debouncer.drain()) == ["hangzhou", "yiwu"]


def test_an_emptied_query_is_dropped_and_an_empty_one_never_held(debouncer, clock):
    """Deleting the whole query abandons it; an empty query is not a question."""
    typed(debouncer, clock, ANN, "hangz", "")
    assert len(debouncer) == 0 and debouncer.drain() == []


def test_too_many_typists_release_the_longest_idle_first(debouncer, clock):
    """Beyond max_held users, the least recently active user's question is released early."""
    for user, query in enumerate(("one", "two", "three"), 1):
        typed(debouncer, clock, user, query)
    typed(debouncer, clock, 1, "one more")
    assert typed(debouncer, clock, 4, "four") == ["two"]
    assert len(debouncer) == 3
