"""Gaps and stats: what curators read from the recorded questions, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import argparse
import json
import re
from datetime import UTC, datetime, timedelta

import pytest

from bot.curation.gaps import cluster_key, gaps, main_gaps, render_gaps
from bot.curation.recording import Recorder
from bot.curation.stats import main_stats, render_stats, stats
from bot.curation.stores import open_store
from bot.errors import BotError

CHENGDU = ("Chengdu anchors", "anchors in chengdu?", "How many anchors does CHENGDU have")


@pytest.fixture
def db(location):
    """The store the test's questions are recorded in, read as the reports read it."""
    reader = open_store(location)
    yield reader
    reader.close()


@pytest.fixture
def record(location, engine):
    def record(pairs, clock=None):
        """Asks each question through the engine and records it under its channel; returns the row ids."""
        kwargs = {"clock": clock} if clock else {}
        with Recorder.open(location, **kwargs) as recorder:
            return [recorder.record(channel, engine.ask(q)) for channel, q in pairs]

    return record


def test_a_miss_asked_in_chat_inline_and_cli_is_one_gap(engine, db, record):
    """Three phrasings of one unanswerable question, from three channels, make one gap of count 3."""
    asked = [engine.ask(q) for q in CHENGDU]
    assert not any(a.answered for a in asked)
    record(zip(("private", "inline", "cli"), CHENGDU))
    [gap] = gaps(db, engine=engine)
    assert gap.count == 3
    assert gap.example in CHENGDU
    assert {gap.example, *gap.phrasings} == set(CHENGDU)
    assert dict(gap.channels) == {"private": 1, "inline": 1, "cli": 1}
    assert dict(gap.outcomes) == {"declined": 3}
    assert gap.outside == ("Chengdu (成都)",)


def test_an_outside_name_gets_no_nearest_fact_on_another_subject(engine, db, record):
    """Viya's sales score high against a Hangzhou fact, but Viya is an outside name: the gap names
    her as not covered instead of suggesting an alias for that fact."""
    assert engine.ask("Viya's sales").candidates[0][1] > 0.9
    record([("private", "Viya's sales"), ("private", "薇娅的销售额")])
    [gap] = gaps(db, engine=engine)
    assert (gap.nearest, gap.score, gap.outside, gap.count) == (None, None, ("Viya (薇娅)",), 2)
    assert "nearest fact: none: the knowledge does not cover Viya (薇娅)" in render_gaps([gap])


def test_the_nearest_fact_is_one_about_the_subject_asked(engine, db, record):
    """'Taobao turnover target 2021' scores best against a Hangzhou fact; the gap points at the best
    fact about Taobao instead."""
    answer = engine.ask("Taobao turnover target 2021")
    about_taobao = engine.index.concerning(engine.kb.entities["taobao"])
    assert answer.candidates[0][0] not in about_taobao
    record([("private", "Taobao turnover target 2021")])
    [gap] = gaps(db, engine=engine)
    on_taobao = next(c for c in answer.candidates if c[0] in about_taobao)
    assert (gap.nearest, gap.score) == on_taobao and gap.outside == ()


def test_one_outside_name_in_two_languages_is_one_gap(engine, db, record):
    """成都 and Chengdu are one [[outside]] record: questions about it in Chinese and English are one
    gap, and Beijing's stay apart."""
    record([("private", "成都主播"), ("group", "Chengdu anchors"), ("cli", "成都有多少直播间"), ("cli", "北京主播")])
    found = gaps(db, engine=engine)
    assert [(g.count, g.outside) for g in found] == [(3, ("Chengdu (成都)",)), (1, ("Beijing (北京)",))]


def test_answered_questions_are_not_gaps_but_are_counted(engine, db, record):
    """Well-answered questions stay out of gaps and show up in stats and the most shown facts."""
    record([("private", "Freshippo stores"), ("group", "Tell me about Yiwu"), ("cli", "hi"), ("inline", CHENGDU[0])])
    assert [g.example for g in gaps(db, engine=engine)] == [CHENGDU[0]]
    counted = stats(db)
    assert (counted.overall.answered, counted.overall.declined, counted.overall.chitchat) == (2, 1, 1)
    assert counted.overall.total == 4
    assert {t.label: t.total for t in counted.channels} == {"private": 1, "group": 1, "cli": 1, "inline": 1}
    assert ("freshippo-stores-growth", 1) in counted.top_facts
    [day] = counted.days
    assert day.total == 4


def test_more_frequent_gaps_come_first_and_different_places_stay_apart(engine, db, record):
    """'Beijing anchors' does not join the Chengdu gap, and the larger gap is listed first."""
    record(
        [("cli", "Beijing anchors"), *(("private", q) for q in CHENGDU), ("cli", "How many anchors does Beijing have?")]
    )
    found = gaps(db, engine=engine)
    assert [g.count for g in found] == [3, 2]
    assert "beijing" in found[1].example.casefold()


def test_a_downvoted_answer_is_a_gap_with_its_question_and_facts(engine, db, location):
    """A 👎 on an answered question lists it with the facts shown; a 👍 answer is no gap."""
    with Recorder.open(location) as recorder:
        down = recorder.record("private", engine.ask("Freshippo stores"))
        up = recorder.record("private", engine.ask("Tell me about Yiwu"))
        recorder.vote(down, -1)
        recorder.vote(up, +1)
    [gap] = gaps(db, engine=engine)
    assert gap.example == "Freshippo stores"
    assert [(d.question, d.facts) for d in gap.downvotes] == [("Freshippo stores", ("freshippo-stores-growth",))]
    counted = stats(db)
    assert (counted.votes_up, counted.votes_down) == (1, 1)


def test_since_leaves_out_older_questions(engine, db, record):
    """--since DAYS counts only the questions asked in that many last days."""
    old = datetime.now(UTC) - timedelta(days=10)
    record([("cli", "Beijing anchors")], clock=old.timestamp)
    record([("cli", CHENGDU[0])])
    assert [g.example for g in gaps(db, since_days=3, engine=engine)] == [CHENGDU[0]]
    assert len(gaps(db, engine=engine)) == 2
    assert stats(db, since_days=3).overall.total == 1


def test_cluster_keys_ignore_case_width_punctuation_and_filler():
    """Questions differing only in case, full-width forms, punctuation and stop words share a key."""
    assert cluster_key("Anchors in ＣＨＥＮＧＤＵ?!") == cluster_key("anchors chengdu") == "anchors chengdu"
    assert cluster_key("成都的主播有多少？") == cluster_key("成都主播") == "成 都 主 播"
    assert cluster_key("what is it?") == "what is it"


def test_chinese_phrasings_cluster_too(engine, db, record):
    """Two Chinese phrasings of one question are one gap, with or without the engine's names."""
    record([("private", "杭州主播的收入"), ("group", "杭州的主播收入有多少？")])
    assert [g.count for g in gaps(db, engine=engine)] == [2]
    assert [g.count for g in gaps(db)] == [2]


def test_text_rendering_shows_count_example_and_nearest_fact(engine, db, record):
    """Each text row starts with the count and example, then the nearest fact and its score."""
    record(zip(("private", "inline", "cli"), ("Taobao sales in 2021", "taobao sales 2021?", "2021 sales of Taobao")))
    [gap] = gaps(db, engine=engine)
    lines = render_gaps([gap]).splitlines()
    assert lines[0] == f"   3×  {gap.example}"
    assert gap.nearest in engine.index.concerning(engine.kb.entities["taobao"])
    assert f"nearest fact: {gap.nearest} ({gap.score:.2f})" in lines[1]
    assert "private 1" in lines[1] and "declined 3" in lines[1]
    assert render_gaps([]) == "no gaps: every recorded question was answered"


def test_json_renderings_carry_every_field(engine, db, record):
    """The JSON of gaps and stats holds the same numbers as the objects."""
    record([*zip(("private", "inline", "cli"), CHENGDU), ("cli", "Freshippo stores")])
    [row] = json.loads(render_gaps(gaps(db, engine=engine), as_json=True))
    assert row["count"] == 3 and row["outside"] == ["Chengdu (成都)"] and row["downvotes"] == []
    data = json.loads(render_stats(stats(db), as_json=True))
    assert data["overall"]["total"] == 4 and data["overall"]["declined"] == 3
    assert data["days"][0]["total"] == 4


def test_text_stats_lead_with_a_summary_line(engine, db, record):
    """The stats text begins with totals by outcome and lists days, channels and facts."""
    record([("private", "Freshippo stores"), ("inline", CHENGDU[0])])
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


def test_commands_read_the_database_from_the_environment(engine, location, monkeypatch, capsys):
    """With no --data-dir or --database-url, LIVEBOT_DATA_DIR or LIVEBOT_DATABASE_URL locates the database."""
    with Recorder.open(location) as recorder:
        recorder.record("cli", engine.ask(CHENGDU[0]))
    if isinstance(location, str):
        monkeypatch.setenv("LIVEBOT_DATABASE_URL", location)
    else:
        monkeypatch.setenv("LIVEBOT_DATA_DIR", str(location.parent))
    assert main_gaps(argparse.Namespace(since=None, json=True, data_dir=None)) == 0
    assert json.loads(capsys.readouterr().out)[0]["example"] == CHENGDU[0]
    assert main_stats(argparse.Namespace(since=None, json=False, data_dir=None)) == 0
    assert capsys.readouterr().out.startswith("1 questions in all: 0 answered")


def test_database_url_on_the_command_line_wins(engine, pg_url, tmp_path, capsys):
    """`livebot stats --database-url URL` reads PostgreSQL even with a data directory at hand (postgres)."""
    with Recorder.open(pg_url) as recorder:
        recorder.record("cli", engine.ask("Freshippo stores"))
    args = argparse.Namespace(since=None, json=True, data_dir=tmp_path, database_url=pg_url)
    assert main_stats(args) == 0
    assert json.loads(capsys.readouterr().out)["overall"]["answered"] == 1


@pytest.mark.parametrize("content", [b"garbage" * 1000, None])
def test_an_unreadable_database_is_a_bot_error(tmp_path, content):
    """A corrupt file, or a file where the data folder should be, raises a BotError naming it,
    which the CLI prints without a traceback."""
    path = tmp_path / "questions.sqlite3"
    if content is None:
        (tmp_path / "data").write_text("not a folder")
        path = tmp_path / "data" / "questions.sqlite3"
    else:
        path.write_bytes(content)
    with pytest.raises(BotError, match=re.escape(str(path))):
        gaps(open_store(path))
    with pytest.raises(BotError, match=re.escape(str(path))):
        main_stats(argparse.Namespace(since=None, json=False, data_dir=path.parent))
