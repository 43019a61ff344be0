"""Recording questions for curators: what is stored, votes, ids, and failures that must not reach users.

Tests taking `location` run on both stores, SQLite and PostgreSQL; the others are about the SQLite file.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from waiting import eventually

from bot.config import data_dir_from, default_data_dir, recording_enabled
from bot.curation import recording, store
from bot.curation.recording import Recorder, database_path
from bot.curation.rows import outcome
from bot.curation.stores import open_store
from bot.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]
COLUMNS = "SELECT channel, question, kind, outcome, confidence, shown, candidates FROM questions"


@pytest.fixture
def db(tmp_path):
    return tmp_path / "data" / "questions.sqlite3"


def rows(location, sql=COLUMNS):
    """What a query reads from the store at `location` now."""
    reader = open_store(location)
    try:
        return reader.read(sql, ())
    finally:
        reader.close()


def test_a_recorded_answer_keeps_question_outcome_facts_and_candidates(engine, location):
    """A recorded answer stores the channel, question, outcome, shown fact ids and top candidates."""
    answer = engine.ask("Freshippo stores")
    with Recorder.open(location) as recorder:
        row_id = recorder.record("private", answer)
    assert isinstance(row_id, int)
    [(channel, question, kind, result, confidence, shown, candidates)] = rows(location)
    assert (channel, question, kind, result) == ("private", "Freshippo stores", "match", "answered")
    assert confidence == answer.confidence
    assert json.loads(shown) == [f.id for f in answer.facts]
    assert [tuple(c) for c in json.loads(candidates)] == list(answer.candidates[:5])


def test_times_are_stored_in_utc(engine, location):
    """A question asked at 01:30 in UTC+8 is stored as 17:30 UTC the day before."""
    asked = datetime(2020, 5, 5, 1, 30, tzinfo=timezone(timedelta(hours=8)))
    with Recorder.open(location, clock=asked.timestamp) as recorder:
        recorder.record("cli", engine.ask("hi"))
    assert rows(location, "SELECT asked_at FROM questions") == [("2020-05-04T17:30:00Z",)]


def test_the_last_vote_wins(engine, location):
    """Voting twice on one answer keeps one vote, the later one, beside the question and facts shown."""
    with Recorder.open(location) as recorder:
        row_id = recorder.record("private", engine.ask("Freshippo stores"))
        assert recorder.vote(row_id, -1) == "kept"
        recorder.flush()
        assert recorder.vote(row_id, +1) == "kept"
    joined = "SELECT q.question, q.shown, v.vote FROM votes v JOIN questions q ON q.id = v.question_id"
    assert rows(location, joined) == [("Freshippo stores", '["freshippo-stores-growth"]', 1)]


def test_a_vote_for_an_answer_never_recorded_is_gone_and_a_bad_value_refused(engine, location):
    """An id never recorded (like forged callback data) is 'gone' and stores nothing; a vote other
    than +1 or -1 is a ValueError."""
    with Recorder.open(location) as recorder:
        recorder.record("private", engine.ask("hi"))
        assert recorder.vote(999999, -1) == "gone"
        assert recorder.vote(2**62, +1) == "gone"  # decades ahead: not an id this bot gave out
        with pytest.raises(ValueError):
            recorder.vote(12345, 0)
    assert rows(location, "SELECT * FROM votes") == []


def test_an_older_answer_is_looked_up_in_the_database(engine, location, monkeypatch):
    """Once an answer is past the grace for votes racing its question, its vote is kept only if the
    question is stored."""
    monkeypatch.setattr(recording, "VOTE_GRACE_SECONDS", -1.0)
    with Recorder.open(location) as recorder:
        row_id = recorder.record("private", engine.ask("Freshippo stores"))
        assert recorder.vote(row_id, -1) == "kept"  # still in memory
        recorder.flush()
        assert recorder.vote(row_id, +1) == "kept"  # in the database
        assert recorder.vote(row_id + 1, +1) == "gone"
    assert rows(location, "SELECT vote FROM votes") == [(1,)]


def test_a_vote_reaching_another_recorder_first_waits_for_its_question(engine, location):
    """A 👍 pressed on one replica's answer and handled by another before the first wrote the question
    is kept, and stored once the question is."""
    with Recorder.open(location) as answering, Recorder.open(location) as voting:
        row_id = answering.record("private", engine.ask("Freshippo stores"))
        assert voting.vote(row_id, +1) == "kept"
        assert voting.flush()
        assert rows(location, "SELECT * FROM votes") == []
        assert answering.flush()
        eventually(lambda: rows(location, "SELECT question_id, vote FROM votes") == [(row_id, 1)])


def test_rows_are_written_soon_without_waiting_for_close(engine, location, monkeypatch):
    """A full batch is written at once and a lone row within about a second, while the recorder is open."""
    monkeypatch.setattr(recording, "BATCH_SIZE", 3)
    answer = engine.ask("hi")
    with Recorder.open(location) as recorder:
        for _ in range(3):
            recorder.record("cli", answer)
        eventually(lambda: len(rows(location)) == 3, timeout=recording.FLUSH_SECONDS / 2)
        recorder.record("cli", answer)
        eventually(lambda: len(rows(location)) == 4, timeout=recording.FLUSH_SECONDS * 3)


def test_text_no_database_takes_is_recorded_with_replacement_characters(engine, location, caplog):
    """A question with a lone surrogate (from argv or a JSON update) or a NUL is stored with U+FFFD,
    without an exception, and recording stays on."""
    with caplog.at_level(logging.WARNING, logger="bot.curation"), Recorder.open(location) as recorder:
        assert recorder.record("cli", engine.ask("Freshippo \udcff stores")) is not None
        assert recorder.record("private", engine.ask("nul\x00byte")) is not None
        assert recorder.flush()
        assert recorder.active
        assert recorder.record("cli", engine.ask("Yiwu")) is not None
    assert rows(location, "SELECT question FROM questions ORDER BY id") == [
        ("Freshippo \ufffd stores",),
        ("nul\ufffdbyte",),
        ("Yiwu",),
    ]
    assert caplog.records == []


def test_ids_are_unique_across_recorders_sharing_a_database(engine, location):
    """Recorders writing one database at once (replicas) hand out distinct ids, and every row is kept."""
    answer = engine.ask("Yiwu")
    recorders = [Recorder.open(location) for _ in range(3)]
    ids: list[int] = []

    def ask(recorder):
        ids.extend(recorder.record("private", answer) for _ in range(500))

    threads = [threading.Thread(target=ask, args=(r,)) for r in recorders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    for recorder in recorders:
        recorder.close()
    assert len(set(ids)) == len(ids) == 1500
    assert rows(location, "SELECT count(*) FROM questions") == [(1500,)]
    assert max(ids) < 2**63 and all(len(f"v|+|{i}".encode()) <= 64 for i in ids)


def test_the_database_holds_no_user_names_or_chat_ids(engine, db):
    """The schema has no column for a user, a name or a chat, and the file is in WAL mode."""
    with Recorder.open(db) as recorder:
        recorder.vote(recorder.record("group", engine.ask("Tell me about Yiwu")), -1)
    with sqlite3.connect(db) as conn:
        columns = {t: {c[1] for c in conn.execute(f"PRAGMA table_info({t})")} for t in ("questions", "votes")}
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION
    assert tables == {"questions", "votes", "writers"}
    assert columns == {
        "questions": {"id", "asked_at", "channel", "question", "kind", "outcome", "confidence", "shown", "candidates"},
        "votes": {"question_id", "vote", "voted_at"},
    }


def test_a_database_of_the_first_schema_is_migrated_with_its_rows(engine, db):
    """A file written before the writers table existed is migrated at open; its questions and votes stay."""
    db.parent.mkdir()
    with sqlite3.connect(db) as conn:
        for statement in store.statements(0, "sqlite")[:3]:  # schema 1: questions, its index, votes
            conn.execute(statement)
        row = (7, "2020-05-04T17:30:00Z", "cli", "Yiwu", "entity", "answered", 1.0, "[]", "[]")
        conn.execute("INSERT INTO questions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", row)
        conn.execute("INSERT INTO votes VALUES (7, -1, '2020-05-04T17:31:00Z')")
        conn.execute("PRAGMA user_version = 1")
    with Recorder.open(db) as recorder:
        recorder.record("cli", engine.ask("Freshippo stores"))
    assert rows(db, "SELECT question FROM questions ORDER BY id") == [("Yiwu",), ("Freshippo stores",)]
    assert rows(db, "SELECT question_id, vote FROM votes") == [(7, -1)]


def test_outcomes_separate_chitchat_declines_and_low_confidence(engine):
    """Greetings are chitchat, refusals declined, weakly matched answers low, the rest answered."""
    assert outcome(engine.ask("hi")) == "chitchat"
    assert outcome(engine.ask("🎉🎉")) == "chitchat"
    assert outcome(engine.ask("Who won the football World Cup?")) == "declined"
    answered = engine.ask("Freshippo stores")
    assert outcome(answered) == "answered"
    assert outcome(replace(answered, confidence=0.4)) == "low"


def test_disabled_recording_stores_nothing(engine, db):
    """With enabled=False nothing is recorded and no file is created."""
    with Recorder.open(db, enabled=False) as recorder:
        assert recorder.record("cli", engine.ask("Freshippo stores")) is None
        assert recorder.vote(1, -1) == "off"
    assert not db.parent.exists()


def test_an_unknown_channel_is_not_recorded(engine, db):
    """A channel outside private, group, inline and cli returns None instead of raising."""
    with Recorder.open(db) as recorder:
        assert recorder.record("email", engine.ask("hi")) is None


def test_buffered_rows_are_written_at_normal_exit(db):
    """A process that records and exits without close() still leaves its row on disk."""
    script = (
        "import sys; from pathlib import Path; from bot.engine import Engine\n"
        "from bot.curation.recording import Recorder\n"
        "r = Recorder.open(Path(sys.argv[1])); r.record('cli', Engine.load().ask('Chengdu anchors'))\n"
    )
    subprocess.run([sys.executable, "-c", script, str(db)], cwd=ROOT, check=True, timeout=30)
    assert rows(db, "SELECT question FROM questions") == [("Chengdu anchors",)]


@pytest.mark.parametrize("deleted", ["the file", "the file and its WAL"])
def test_a_database_file_deleted_mid_run_is_reopened_with_nothing_lost_after_it(engine, db, caplog, deleted):
    """Deleting the file (alone, or with its WAL) while recording: the next write notices, says so
    once, and every later question lands in a fresh file."""
    with caplog.at_level(logging.WARNING, logger="bot.curation"), Recorder.open(db) as recorder:
        recorder.record("cli", engine.ask("Yiwu"))
        assert recorder.flush()
        for path in db.parent.iterdir() if "WAL" in deleted else [db]:
            path.unlink()
        for n in range(1000):
            recorder.record("cli", engine.ask(f"question {n}"))
        assert recorder.flush()
        recorder.record("cli", engine.ask("Freshippo stores"))
    assert rows(db, "SELECT count(*) FROM questions") == [(1001,)]
    assert [r.getMessage() for r in caplog.records] == [
        f"question database {db} was removed or replaced while open; recording into a fresh one"
    ]


def test_a_database_file_replaced_mid_run_is_recorded_into(engine, db, tmp_path):
    """A file moved over the open one (a restored backup) gets the questions asked after the move."""
    backup = tmp_path / "backup.sqlite3"
    with Recorder.open(backup) as recorder:
        recorder.record("cli", engine.ask("Yiwu"))
    with Recorder.open(db) as recorder:
        recorder.record("cli", engine.ask("hi"))
        assert recorder.flush()
        os.replace(backup, db)
        recorder.record("cli", engine.ask("Freshippo stores"))
    assert rows(db, "SELECT question FROM questions ORDER BY id") == [("Yiwu",), ("Freshippo stores",)]


def test_a_corrupt_file_turns_recording_off_with_one_log_line(engine, tmp_path, caplog):
    """Garbage bytes in the database file: answering works, record() gives None, one warning."""
    path = tmp_path / "questions.sqlite3"
    path.write_bytes(b"this is not a database" * 500)
    with caplog.at_level(logging.WARNING, logger="bot.curation"), Recorder.open(path) as recorder:
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
        caplog.at_level(logging.WARNING, logger="bot.curation"),
        Recorder.open(blocker / "questions.sqlite3") as recorder,
    ):
        assert recorder.record("cli", engine.ask("Freshippo stores")) is None
        assert not recorder.active
    assert len(caplog.records) == 1


def test_a_database_locked_at_open_keeps_rows_until_the_lock_ends(engine, db, monkeypatch):
    """Another process's exclusive lock at start-up: record() still answers at once with an id, and
    the rows are written once the lock is released."""
    monkeypatch.setattr(recording, "RETRY_SECONDS", 0.05)
    db.parent.mkdir()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("CREATE TABLE other (x)")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        start = time.perf_counter()
        recorder = Recorder.open(db)
        row_id = recorder.record("inline", engine.ask("Freshippo stores"))
        assert time.perf_counter() - start < 0.5
        assert row_id is not None and recorder.active
        assert recorder.flush() is False
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    eventually(recorder.flush)
    recorder.close()
    assert rows(db, "SELECT id FROM questions") == [(row_id,)]


def test_a_lock_taken_after_open_delays_rows_without_losing_them(engine, db, monkeypatch):
    """While another process holds the write lock rows wait in memory; they are written after it ends."""
    monkeypatch.setattr(recording, "RETRY_SECONDS", 0.05)
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
    eventually(recorder.flush)
    recorder.close()
    assert rows(db, "SELECT id, question FROM questions") == [(row_id, "Chengdu anchors")]


def test_past_the_memory_bound_the_oldest_rows_go_and_the_log_says_so(engine, db, monkeypatch, caplog):
    """While the database stays locked, rows beyond MAX_PENDING drop the oldest, said once; the newest are written."""
    monkeypatch.setattr(recording, "MAX_PENDING", 10)
    monkeypatch.setattr(recording, "RETRY_SECONDS", 0.05)
    recorder = Recorder.open(db)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with caplog.at_level(logging.WARNING, logger="bot.curation"):
            ids = [recorder.record("cli", engine.ask(f"question {n}")) for n in range(25)]
            assert recorder.flush() is False
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with caplog.at_level(logging.WARNING, logger="bot.curation"):
        eventually(recorder.flush)
    recorder.close()
    assert rows(db, "SELECT id FROM questions ORDER BY id") == [(i,) for i in ids[-10:]]
    messages = [r.getMessage() for r in caplog.records]
    assert sum("dropping the oldest" in m for m in messages) == 1
    assert any("recording resumed; 15 record(s) were dropped" in m for m in messages)


def test_a_full_disk_turns_recording_off(engine, db, caplog):
    """When a write fails for lack of space, recording stops and answering goes on."""
    recorder = Recorder.open(db)
    conn = recorder.store._conn
    conn.execute(f"PRAGMA max_page_count = {conn.execute('PRAGMA page_count').fetchone()[0]}")
    long = engine.ask("Chengdu anchors " + "x" * 400)
    with caplog.at_level(logging.WARNING, logger="bot.curation"):
        for _ in range(recording.BATCH_SIZE):
            recorder.record("cli", long)
        recorder.flush()
        assert recorder.record("cli", long) is None
    assert not recorder.active
    assert "database or disk is full" in caplog.records[0].getMessage()
    recorder.close()


def test_a_database_from_a_newer_livebot_is_left_alone(engine, db):
    """A file with a higher schema version is not touched and nothing is recorded."""
    db.parent.mkdir()
    with sqlite3.connect(db) as conn:
        conn.execute(f"PRAGMA user_version = {store.SCHEMA_VERSION + 1}")
    with Recorder.open(db) as recorder:
        assert recorder.record("cli", engine.ask("hi")) is None
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT name FROM sqlite_master").fetchall() == []


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
