"""PostgreSQL for webhook replicas, against a real server (`-k postgres`): two bots sharing one
database, the database stopping and coming back, migrations racing, and the password kept out of
every log line. The recording behaviour both stores share is tested in test_recording and test_gaps.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import threading
import time
from types import SimpleNamespace
from typing import Any

import psycopg
import pytest
from botapi_rules import parse_html
from conftest import TOKEN
from fakebotapi import ADMIN, USER, FakeBotApi, callback, message
from waiting import eventually

from bot.config import ConfigError, Settings, load_recording, load_settings
from bot.curation import recording, store
from bot.curation.recording import Recorder
from bot.curation.reload import LiveEngine
from bot.curation.stores import open_store
from bot.telegram.handlers import build_application

HANGZHOU = "What are the targets of Hangzhou's plan?"
CHENGDU = "How many anchors does Chengdu have?"
WAIT = 10.0
_update_ids = itertools.count(1)


class Replica:
    """One webhook replica: the real Application, handed updates as its webhook server would be,
    running in a thread with an event loop of its own."""

    def __init__(self, fake: FakeBotApi, settings: Settings, live: LiveEngine) -> None:
        self.fake = fake
        self.app = build_application(settings, live, with_updater=False)
        self.app.add_error_handler(self._record)
        self.errors: list[BaseException] = []
        self.loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=self.loop.run_until_complete, args=(self._main(),), daemon=True)

    def start(self) -> Replica:
        self._thread.start()
        assert self._ready.wait(WAIT), "the replica did not start"
        return self

    def deliver(self, update: dict[str, Any]) -> None:
        """Handles one update to the end, as a POST to this replica's webhook would."""
        from telegram import Update

        payload = {"update_id": next(_update_ids), **update}
        if self.fake.spec is not None:
            self.fake.spec.check_object("Update", payload, "update")
        for value in update.values():  # the chats the fake knows, as FakeBotApi.feed() learns them
            chat = value.get("chat") or (value.get("message") or {}).get("chat")
            self.fake.chats[chat["id"]] = chat
        coroutine = self.app.process_update(Update.de_json(payload, self.app.bot))
        asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(WAIT)

    def stop(self) -> None:
        if self._stop is not None:
            self.loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(WAIT)
        assert not self._thread.is_alive(), "the replica did not stop"
        self.loop.close()

    async def _main(self) -> None:
        app = self.app
        assert app.post_init is not None and app.post_shutdown is not None
        async with app:
            await app.post_init(app)
            await app.start()
            self._stop = asyncio.Event()
            self._ready.set()
            await self._stop.wait()
            await app.stop()
        await app.post_shutdown(app)

    async def _record(self, update: object, context: Any) -> None:
        self.errors.append(context.error)


@pytest.fixture
def replicas(fake, engine, pg_url):
    """Starts replicas recording into one PostgreSQL database: replicas(n); all stopped afterwards."""
    started: list[Replica] = []

    def start(count: int = 2) -> list[Replica]:
        settings = Settings(
            token=TOKEN, base_url=fake.base_url, admin_ids=frozenset({ADMIN["id"]}), database_url=pg_url
        )
        for _ in range(count):
            started.append(Replica(fake, settings, LiveEngine(engine)).start())
        return started[-count:]

    yield start
    for replica in started:
        replica.stop()
    for replica in started:
        assert replica.errors == [], f"handler errors: {replica.errors!r}"


def ask(fake, replica, text, user=USER):
    """A private message handled by `replica`; the bot's reply."""
    before = len(fake.sent(user["id"]))
    replica.deliver({"message": message(text, user=user)})
    return fake.wait_for("sendMessage", before + 1, where=lambda c: c.params["chat_id"] == user["id"])[-1]


def admin(fake, replica, command):
    """An admin's command handled by `replica`, and the whole reply as the admin reads it."""
    before = len(fake.sent(ADMIN["id"]))
    ask(fake, replica, command, user=ADMIN)
    return "\n".join(parse_html(c.text) for c in fake.sent(ADMIN["id"])[before:])


def press(fake, replica, shown, data):
    """Presses a button under `shown` on `replica`; the callback answer."""
    before = len([c for c in fake.calls if c.method == "answerCallbackQuery"])
    replica.deliver(callback(SimpleNamespace(result=shown), data))
    return fake.wait_for("answerCallbackQuery", before + 1)[-1]


def questions(url):
    reader = open_store(url)
    try:
        return [q for (q,) in reader.read("SELECT question FROM questions ORDER BY id", ())]
    finally:
        reader.close()


def votes(url):
    reader = open_store(url)
    try:
        return reader.read("SELECT q.question, v.vote FROM votes v JOIN questions q ON q.id = v.question_id", ())
    finally:
        reader.close()


def test_postgres_replicas_share_questions_and_votes(fake, replicas, pg_url):
    """A question answered by one replica and voted on through the other keeps its 👎, and /gaps and
    /stats on either replica count what both were asked."""
    first, second = replicas(2)
    reply = ask(fake, first, HANGZHOU)
    down = next(b for b in reply.buttons if b["text"] == "👎")
    assert press(fake, second, reply.result, down["callback_data"]).params["text"] == "Thanks for the feedback!"
    assert ask(fake, second, CHENGDU).text.startswith("My knowledge has nothing on Chengdu")
    eventually(lambda: votes(pg_url) == [(HANGZHOU, -1)] and CHENGDU in questions(pg_url))  # within a second

    shown = admin(fake, first, "/gaps")
    assert "Top 2 of 2 gaps" in shown
    assert CHENGDU in shown and f"👎 “{HANGZHOU}” was shown:" in shown
    counted = admin(fake, second, "/stats")
    assert counted.startswith("2 questions: 1 answered, 0 low confidence, 1 declined") and "👍 0 · 👎 1" in counted


def test_postgres_stopped_mid_run_keeps_the_bot_answering_and_recording_resumes(
    fake, replicas, pg_server, pg_url, monkeypatch, caplog
):
    """With the database stopped, answers keep coming at once and the outage is logged once; when it
    is back every question asked meanwhile is written, and the password is in no log line."""
    monkeypatch.setattr(recording, "RETRY_MAX", 0.5)
    caplog.set_level(logging.DEBUG)
    [bot] = replicas(1)
    ask(fake, bot, "Yiwu")
    eventually(lambda: questions(pg_url) == ["Yiwu"])
    pg_server.stop()
    try:
        for text in (HANGZHOU, "Freshippo stores", CHENGDU):
            start = time.monotonic()
            assert ask(fake, bot, text).text
            assert time.monotonic() - start < 1.0, "answering waited on the database"
        eventually(lambda: "question database unreachable" in caplog.text)
    finally:
        pg_server.start()
    eventually(lambda: questions(pg_url) == ["Yiwu", HANGZHOU, "Freshippo stores", CHENGDU])
    down = [r for r in caplog.records if "question database unreachable" in r.getMessage()]
    back = [r for r in caplog.records if "recording resumed" in r.getMessage()]
    assert len(down) == 1 and len(back) == 1
    assert "postgresql://livebot:***@127.0.0.1" in down[0].getMessage()
    assert pg_server.password not in caplog.text


def test_postgres_down_at_start_up_records_once_it_is_reachable(engine, pg_server, pg_url, monkeypatch, caplog):
    """A recorder opened while the database is down gives ids at once and writes them, schema and
    all, once the database starts."""
    monkeypatch.setattr(recording, "RETRY_MAX", 0.5)
    pg_server.stop()
    try:
        with caplog.at_level(logging.WARNING, logger="bot.curation"):
            recorder = Recorder.open(pg_url)
            row_id = recorder.record("cli", engine.ask("Yiwu"))
            assert row_id is not None and recorder.active
    finally:
        pg_server.start()
    eventually(lambda: questions(pg_url) == ["Yiwu"])
    recorder.close()
    assert len([r for r in caplog.records if "unreachable" in r.getMessage()]) == 1


def test_postgres_wrong_password_is_logged_once_without_any_password(engine, pg_server, caplog):
    """A refused login: answering goes on, one log line names the database with the password hidden,
    and neither the wrong nor the right password appears anywhere in the log."""
    wrong = "Wr0ng-" + pg_server.password[:8]
    caplog.set_level(logging.DEBUG)
    with Recorder.open(pg_server.url(password=wrong)) as recorder:
        for _ in range(3):
            assert recorder.record("cli", engine.ask("Yiwu")) is not None
        assert recorder.flush() is False
        assert recorder.vote(999999, 1) == "off"
    messages = [r.getMessage() for r in caplog.records if r.name.startswith("bot.")]
    assert len([m for m in messages if "unreachable" in m]) == 1
    assert "password authentication failed" in caplog.text
    assert wrong not in caplog.text and pg_server.password not in caplog.text


def test_postgres_schema_holds_no_user_names_or_chat_ids(engine, pg_url):
    """The PostgreSQL tables are the SQLite ones: no column for a user, a name or a chat."""
    with Recorder.open(pg_url) as recorder:
        recorder.record("private", engine.ask("Yiwu"))
    with psycopg.connect(pg_url) as conn:
        found = conn.execute(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'"
        ).fetchall()
        version = conn.execute("SELECT version FROM livebot_schema").fetchall()
    columns: dict[str, set[str]] = {}
    for table, column in found:
        columns.setdefault(table, set()).add(column)
    assert columns == {
        "questions": {"id", "asked_at", "channel", "question", "kind", "outcome", "confidence", "shown", "candidates"},
        "votes": {"question_id", "vote", "voted_at"},
        "writers": {"id", "started_at"},
        "livebot_schema": {"version"},
    }
    assert version == [(store.SCHEMA_VERSION,)]


def test_postgres_replicas_starting_together_migrate_once(pg_url):
    """Eight stores opening a fresh database at the same moment all succeed; the schema is made once."""
    stores = [open_store(pg_url) for _ in range(8)]
    barrier = threading.Barrier(len(stores))
    failures: list[BaseException] = []

    def open_now(each):
        barrier.wait(WAIT)
        try:
            each.open()
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=open_now, args=(s,)) for s in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT * 2)
    writers = {s.new_writer("2020-05-05T00:00:00Z") for s in stores}
    for each in stores:
        each.close()
    assert failures == []
    assert len(writers) == len(stores)
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT version FROM livebot_schema").fetchall() == [(store.SCHEMA_VERSION,)]


def test_postgres_from_a_newer_livebot_is_left_alone(engine, pg_url, caplog):
    """A database migrated by a newer livebot turns recording off with one line and is not touched."""
    with psycopg.connect(pg_url) as conn:
        conn.execute("CREATE TABLE livebot_schema (version INTEGER NOT NULL)")
        conn.execute("INSERT INTO livebot_schema VALUES (%s)", (store.SCHEMA_VERSION + 1,))
    with caplog.at_level(logging.WARNING, logger="bot.curation"), Recorder.open(pg_url) as recorder:
        assert recorder.record("cli", engine.ask("Yiwu")) is None
    assert [r.getMessage() for r in caplog.records] == [
        f"recording questions is off: {recorder.where}: written by a newer livebot "
        f"(schema {store.SCHEMA_VERSION + 1}, this one knows {store.SCHEMA_VERSION})"
    ]
    with psycopg.connect(pg_url) as conn:
        tables = conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()
    assert tables == [("livebot_schema",)]


def test_postgres_url_is_read_from_the_environment_and_kept_secret():
    """LIVEBOT_DATABASE_URL (or --database-url) selects PostgreSQL; its password is one of the secrets
    kept out of logs, never in the settings' repr; any other scheme is refused without echoing it."""
    url = "postgresql://bot:pa%40ss-word@db.internal:5432/livebot"
    settings = load_settings({"TELEGRAM_BOT_TOKEN": TOKEN, "LIVEBOT_DATABASE_URL": url})
    assert settings.database_url == url and settings.recording
    assert {"pa%40ss-word", "pa@ss-word"} <= set(settings.secrets)
    assert "pa%40ss" not in repr(settings) and "pa%40ss" not in repr(load_recording({"LIVEBOT_DATABASE_URL": url}))
    assert load_recording({}, database_url=url).database_url == url
    with pytest.raises(ConfigError, match="LIVEBOT_DATABASE_URL") as info:
        load_recording({"LIVEBOT_DATABASE_URL": "mysql://bot:hunter2@db/livebot"})
    assert "hunter2" not in str(info.value)
    assert open_store(url).where == "postgresql://bot:***@db.internal:5432/livebot"
