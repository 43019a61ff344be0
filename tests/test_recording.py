"""Recording questions for curators: what is stored, votes, and failures that must not reach users."""

from __future__ import annotations

import json
import logging
import sqlite3
import subprocess
import sys
import time
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot.config import data_dir_from, default_data_dir, recording_enabled
from bot.curation import recording
from bot.curation.recording import Recorder, database_path, outcome
from bot.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def db(tmp_path):
    return tmp_path / "data" / "questions.sqlite3"


def rows(path, sql="SELECT channel, question, kind, outcome, confidence, shown, candidates FROM questions"):
    with sqlite3.connect(path) as conn:
        return conn.execute(sql).fetchall()


def test_a_recorded_answer_keeps_question_outcome_facts_and_candidates(engine, db):
    """A recorded answer stores the channel, question, outcome, shown fact ids and top candidates."""
    answer = engine.ask("Freshippo stores")
    with Recorder.open(db) as recorder:
        row_id = recorder.record("private", answer)
    assert isinstance(row_id, int)
    [(channel, question, kind, result, confidence, shown, candidates)] = rows(db)
    assert (channel, question, kind, result) == ("private", "Freshippo stores", "match", "answered")
    assert confidence == answer.confidence
    assert json.loads(shown) == [f.id for f in answer.facts]
    assert [tuple(c) for c in json.loads(candidates)] == list(answer.candidates[:5])


def test_the_database_holds_no_user_names_or_chat_ids(engine, db):
    """The schema has no column for a user, a name or a chat, and the file is in WAL mode."""
    with Recorder.open(db) as recorder:
        recorder.vote(recorder.record("group", engine.ask("Tell me about Yiwu")), -1)
    with sqlite3.connect(db) as conn:
        columns = {t: {c[1] for c in conn.execute(f"PRAGMA table_info({t})")} for t in ("questions", "votes")}
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == recording.SCHEMA_VERSION
    assert tables == {"questions", "votes"}
    assert columns == {
        "questions": {"id", "asked_at", "channel", "question", "kind", "outcome", "confidence", "shown", "candidates"},
        "votes": {"question_id", "vote", "voted_at"},
    }


def test_outcomes_separate_chitchat_declines_and_low_confidence(engine):
    """Greetings are chitchat, refusals declined, weakly matched answers low, the rest answered."""
    assert outcome(engine.ask("hi")) == "chitchat"
    assert outcome(engine.ask("🎉🎉")) == "chitchat"
    assert outcome(engine.ask("Who won the football World Cup?")) == "declined"
    answered = engine.ask("Freshippo stores")
    assert outcome(answered) == "answered"
    assert outcome(replace(answered, confidence=0.4)) == "low"


def test_times_are_stored_in_utc(engine, db):
    """A question asked at 01:30 in UTC+8 is stored as 17:30 UTC the day before."""
    asked = datetime(2020, 5, 5, 1, 30, tzinfo=timezone(timedelta(hours=8)))
    with Recorder.open(db, clock=asked.timestamp) as recorder:
        recorder.record("cli", engine.ask("hi"))
    assert rows(db, "SELECT asked_at FROM questions") == [("2020-05-04T17:30:00Z",)]


def test_the_last_vote_wins(engine, db):
    """Voting twice on one answer keeps one vote, the later one, beside the question and facts shown."""
    with Recorder.open(db) as recorder:
        row_id = recorder.record("private", engine.ask("Freshippo stores"))
        assert recorder.vote(row_id, -1)
        recorder.flush()
        assert recorder.vote(row_id, +1)
    joined = "SELECT q.question, q.shown, v.vote FROM votes v JOIN questions q ON q.id = v.question_id"
    assert rows(db, joined) == [("Freshippo stores", '["freshippo-stores-growth"]', 1)]


def test_a_vote_for_an_unknown_answer_is_dropped_and_a_bad_value_refused(engine, db):
    """An id never recorded stores no vote; a vote other than +1 or -1 is a ValueError."""
    with Recorder.open(db) as recorder:
        recorder.record("private", engine.ask("hi"))
        recorder.vote(12345, -1)
        with pytest.raises(ValueError):
            recorder.vote(12345, 0)
    assert rows(db, "SELECT * FROM votes") == []


def test_disabled_recording_stores_nothing(engine, db):
    """With enabled=False nothing is recorded and no file is created."""
    with Recorder.open(db, enabled=False) as recorder:
        assert recorder.record("cli", engine.ask("Freshippo stores")) is None
        assert recorder.vote(1, -1) is False
    assert not db.parent.exists()


def test_an_unknown_channel_is_not_recorded(engine, db):
    """A channel outside private, group, inline and cli returns None instead of raising."""
    with Recorder.open(db) as recorder:
        assert recorder.record("email", engine.ask("hi")) is None


def test_rows_are_written_in_batches_and_on_close(engine, db, monkeypatch):
    """Rows reach the file once a batch fills, and the rest when the recorder closes."""
    monkeypatch.setattr(recording, "BATCH_SIZE", 3)
    answer = engine.ask("hi")
    recorder = Recorder.open(db)
    for _ in range(4):
        recorder.record("cli", answer)
    assert len(rows(db)) == 3
    recorder.close()
    assert len(rows(db)) == 4


def test_buffered_rows_are_written_at_normal_exit(db):
    """A process that records and exits without close() still leaves its row on disk."""
    script = (
        "import sys; from pathlib import Path; from bot.engine import Engine\n"
        "from bot.curation.recording import Recorder\n"
        "r = Recorder.open(Path(sys.argv[1])); r.record('cli', Engine.load().ask('Chengdu anchors'))\n"
    )
    subprocess.run([sys.executable, "-c", script, str(db)], cwd=ROOT, check=True, timeout=30)
    assert rows(db, "SELECT question FROM questions") == [("Chengdu anchors",)]


def test_a_corrupt_file_turns_recording_off_with_one_log_line(engine, tmp_path, caplog):
    """Garbage bytes in the database file: answering works, record() gives None, one warning."""
    path = tmp_path / "questions.sqlite3"
    path.write_bytes(b"this is not a database" * 500)
    with caplog.at_level(logging.WARNING, logger="bot.curation.recording"), Recorder.open(path) as recorder:
        results = [recorder.record("private", engine.ask("Freshippo stores")) for _ in range(3)]
        assert engine.ask("Freshippo stores").answered
    assert results == [None, None, None]
    assert [r.getMessage() for r in caplog.records] == [f"recording questions is off: {path}: file is not a database"]
    assert all(r.exc_info is None for r in caplog.records)


def test_an_unwritable_location_turns_recording_off(engine, tmp_path, caplog):
    """A database whose parent is a regular file cannot be created; record() gives None."""
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    with (
        caplog.at_level(logging.WARNING, logger="bot.curation.recording"),
        Recorder.open(blocker / "questions.sqlite3") as recorder,
    ):
        assert recorder.record("cli", engine.ask("Freshippo stores")) is None
        assert not recorder.active
    assert len(caplog.records) == 1


def test_a_database_locked_at_open_is_skipped_quickly(engine, db, monkeypatch):
    """Another connection's exclusive lock makes record() return None within the busy timeout,
    and recording resumes after it."""
    db.parent.mkdir()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("CREATE TABLE other (x)")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        start = time.perf_counter()
        recorder = Recorder.open(db)
        result = recorder.record("inline", engine.ask("Freshippo stores"))
        assert time.perf_counter() - start < 0.5
        assert result is None
        assert recorder.record("inline", engine.ask("Freshippo stores")) is None
        assert recorder.active
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    monkeypatch.setattr(recorder, "_retry_at", 0.0)
    assert recorder.record("inline", engine.ask("Freshippo stores")) is not None
    recorder.close()


def test_a_lock_taken_after_open_delays_rows_without_losing_them(engine, db, monkeypatch):
    """While another process holds the write lock rows wait in memory; they are written after it ends."""
    recorder = Recorder.open(db)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        row_id = recorder.record("private", engine.ask("Chengdu anchors"))
        start = time.perf_counter()
        assert recorder.flush() is False
        assert time.perf_counter() - start < 0.5
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    monkeypatch.setattr(recorder, "_retry_at", 0.0)
    assert recorder.flush() is True
    recorder.close()
    assert rows(db, "SELECT id, question FROM questions") == [(row_id, "Chengdu anchors")]


def test_a_full_disk_turns_recording_off(engine, db, caplog):
    """When a write fails for lack of space, recording stops and answering goes on."""
    recorder = Recorder.open(db)
    pages = recorder._conn.execute("PRAGMA page_count").fetchone()[0]
    recorder._conn.execute(f"PRAGMA max_page_count = {pages}")
    long = engine.ask("Chengdu anchors " + "x" * 400)
    with caplog.at_level(logging.WARNING, logger="bot.curation.recording"):
        for _ in range(recording.BATCH_SIZE):
            recorder.record("cli", long)
        assert recorder.record("cli", long) is None
    assert not recorder.active
    assert "database or disk is full" in caplog.records[0].getMessage()
    recorder.close()


def test_a_database_from_a_newer_livebot_is_left_alone(engine, db):
    """A file with a higher schema version is not touched and nothing is recorded."""
    db.parent.mkdir()
    with sqlite3.connect(db) as conn:
        conn.execute(f"PRAGMA user_version = {recording.SCHEMA_VERSION + 1}")
    with Recorder.open(db) as recorder:
        assert recorder.record("cli", engine.ask("hi")) is None
    assert rows(db, "SELECT name FROM sqlite_master") == []


def test_data_directory_and_switch_come_from_the_environment(tmp_path):
    """LIVEBOT_DATA_DIR wins over XDG_DATA_HOME; LIVEBOT_RECORD=0 turns recording off."""
    assert default_data_dir({"XDG_DATA_HOME": str(tmp_path)}) == tmp_path / "livebot"
    assert default_data_dir({}) == Path.home() / ".local" / "share" / "livebot"
    assert data_dir_from({"LIVEBOT_DATA_DIR": str(tmp_path / "d"), "XDG_DATA_HOME": "/x"}) == tmp_path / "d"
    assert database_path(tmp_path) == tmp_path / "questions.sqlite3"
    assert recording_enabled({}) and recording_enabled({"LIVEBOT_RECORD": "yes"})
    assert not recording_enabled({"LIVEBOT_RECORD": "0"}) and not recording_enabled({"LIVEBOT_RECORD": "Off"})
    with pytest.raises(ConfigError, match="LIVEBOT_RECORD"):
        recording_enabled({"LIVEBOT_RECORD": "maybe"})
