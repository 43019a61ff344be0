"""Gaps and stats: what curators read from the recorded questions."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime, timedelta

import pytest

from bot.curation.gaps import cluster_key, gaps, main_gaps, main_stats, render_gaps, render_stats, stats
from bot.curation.recording import Recorder, database_path
from bot.errors import BotError

CHENGDU = ("Chengdu anchors", "anchors in chengdu?", "How many anchors does CHENGDU have")


@pytest.fixture
def db(tmp_path):
    return database_path(tmp_path)


def record(db, engine, pairs, clock=None):
    """Asks each question through the engine and records it under its channel; returns the row ids."""
    kwargs = {"clock": clock} if clock else {}
    with Recorder.open(db, **kwargs) as recorder:
        return [recorder.record(channel, engine.ask(q)) for channel, q in pairs]


def test_a_miss_asked_in_chat_inline_and_cli_is_one_gap(engine, db):
    """Three phrasings of one unanswerable question, from three channels, make one gap of count 3."""
    asked = [engine.ask(q) for q in CHENGDU]
    assert not any(a.answered for a in asked)
    record(db, engine, zip(("private", "inline", "cli"), CHENGDU))
    [gap] = gaps(db)
    assert gap.count == 3
    assert gap.example in CHENGDU
    assert {gap.example, *gap.phrasings} == set(CHENGDU)
    assert dict(gap.channels) == {"private": 1, "inline": 1, "cli": 1}
    assert dict(gap.outcomes) == {"declined": 3}
    best = max((c for a in asked for c in a.candidates), key=lambda c: c[1])
    assert (gap.nearest, gap.score) == best


def test_answered_questions_are_not_gaps_but_are_counted(engine, db):
    """Well-answered questions stay out of gaps and show up in stats and the most shown facts."""
    record(
        db,
        engine,
        [("private", "Freshippo stores"), ("group", "Tell me about Yiwu"), ("cli", "hi"), ("inline", CHENGDU[0])],
    )
    assert [g.example for g in gaps(db)] == [CHENGDU[0]]
    counted = stats(db)
    assert (counted.overall.answered, counted.overall.declined, counted.overall.chitchat) == (2, 1, 1)
    assert counted.overall.total == 4
    assert {t.label: t.total for t in counted.channels} == {"private": 1, "group": 1, "cli": 1, "inline": 1}
    assert ("freshippo-stores-growth", 1) in counted.top_facts
    [day] = counted.days
    assert day.total == 4


def test_more_frequent_gaps_come_first_and_different_places_stay_apart(engine, db):
    """'Beijing anchors' does not join the Chengdu gap, and the larger gap is listed first."""
    record(
        db,
        engine,
        [
            ("cli", "Beijing anchors"),
            *(("private", q) for q in CHENGDU),
            ("cli", "How many anchors does Beijing have?"),
        ],
    )
    found = gaps(db)
    assert [g.count for g in found] == [3, 2]
    assert "beijing" in found[1].example.casefold()


def test_a_downvoted_answer_is_a_gap_with_its_question_and_facts(engine, db):
    """A 👎 on an answered question lists it with the facts shown; a 👍 answer is no gap."""
    with Recorder.open(db) as recorder:
        down = recorder.record("private", engine.ask("Freshippo stores"))
        up = recorder.record("private", engine.ask("Tell me about Yiwu"))
        recorder.vote(down, -1)
        recorder.vote(up, +1)
    [gap] = gaps(db)
    assert gap.example == "Freshippo stores"
    assert [(d.question, d.facts) for d in gap.downvotes] == [("Freshippo stores", ("freshippo-stores-growth",))]
    counted = stats(db)
    assert (counted.votes_up, counted.votes_down) == (1, 1)


def test_since_leaves_out_older_questions(engine, db):
    """--since DAYS counts only the questions asked in that many last days."""
    old = datetime.now(UTC) - timedelta(days=10)
    record(db, engine, [("cli", "Beijing anchors")], clock=old.timestamp)
    record(db, engine, [("cli", CHENGDU[0])])
    assert [g.example for g in gaps(db, since_days=3)] == [CHENGDU[0]]
    assert len(gaps(db)) == 2
    assert stats(db, since_days=3).overall.total == 1


def test_cluster_keys_ignore_case_width_punctuation_and_filler():
    """Questions differing only in case, full-width forms, punctuation and stop words share a key."""
    assert cluster_key("Anchors in ＣＨＥＮＧＤＵ?!") == cluster_key("anchors chengdu") == "anchors chengdu"
    assert cluster_key("成都的主播有多少？") == cluster_key("成都主播") == "成 都 主 播"
    assert cluster_key("what is it?") == "what is it"


def test_chinese_phrasings_cluster_too(engine, db):
    """Two Chinese phrasings of one question are one gap."""
    record(db, engine, [("private", "成都主播"), ("group", "成都的主播有多少？")])
    assert [g.count for g in gaps(db)] == [2]


def test_text_rendering_shows_count_example_and_nearest_fact(engine, db):
    """Each text row starts with the count and example, then the nearest fact and its score."""
    record(db, engine, zip(("private", "inline", "cli"), CHENGDU))
    [gap] = gaps(db)
    lines = render_gaps([gap]).splitlines()
    assert lines[0] == f"   3×  {gap.example}"
    assert f"nearest fact: {gap.nearest} ({gap.score:.2f})" in lines[1]
    assert "private 1" in lines[1] and "declined 3" in lines[1]
    assert render_gaps([]) == "no gaps: every recorded question was answered"


def test_json_renderings_carry_every_field(engine, db):
    """The JSON of gaps and stats holds the same numbers as the objects."""
    record(db, engine, [*zip(("private", "inline", "cli"), CHENGDU), ("cli", "Freshippo stores")])
    [row] = json.loads(render_gaps(gaps(db), as_json=True))
    assert row["count"] == 3 and row["nearest"] and row["downvotes"] == []
    data = json.loads(render_stats(stats(db), as_json=True))
    assert data["overall"]["total"] == 4 and data["overall"]["declined"] == 3
    assert data["days"][0]["total"] == 4


def test_text_stats_lead_with_a_summary_line(engine, db):
    """The stats text begins with totals by outcome and lists days, channels and facts."""
    record(db, engine, [("private", "Freshippo stores"), ("inline", CHENGDU[0])])
    text = render_stats(stats(db))
    assert text.splitlines()[0].startswith("2 questions in all: 1 answered, 0 low confidence, 1 declined")
    assert "by channel" in text and "freshippo-stores-growth" in text


def test_commands_without_a_database_say_nothing_is_recorded(tmp_path, capsys):
    """`livebot gaps` and `livebot stats` before any question print a friendly line and exit 0."""
    args = argparse.Namespace(since=None, json=False, data_dir=tmp_path / "empty")
    assert main_gaps(args) == 0
    assert main_stats(args) == 0
    out = capsys.readouterr().out
    assert out.count("no questions recorded yet") == 2


def test_commands_read_the_data_directory_from_the_environment(engine, tmp_path, monkeypatch, capsys):
    """With no --data-dir, LIVEBOT_DATA_DIR locates the database."""
    record(db=database_path(tmp_path), engine=engine, pairs=[("cli", CHENGDU[0])])
    monkeypatch.setenv("LIVEBOT_DATA_DIR", str(tmp_path))
    assert main_gaps(argparse.Namespace(since=None, json=True, data_dir=None)) == 0
    assert json.loads(capsys.readouterr().out)[0]["example"] == CHENGDU[0]


def test_an_unreadable_database_is_a_bot_error(tmp_path):
    """A corrupt file raises a BotError naming it, which the CLI prints without a traceback."""
    path = tmp_path / "questions.sqlite3"
    path.write_bytes(b"garbage" * 1000)
    with pytest.raises(BotError, match=r"questions\.sqlite3"):
        gaps(path)
