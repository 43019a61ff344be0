"""Fixtures: the strict fake Bot API, the bundled Engine, and the real Application polling the fake.

Every test records questions into a data directory of its own (LIVEBOT_DATA_DIR) and has a home
folder of its own (HOME), never the user's. `location` runs a test on both question stores: an
SQLite file, and a database of its own on a throwaway PostgreSQL server (`pg_server`, one per
session; `-k postgres` selects those tests).

The bot runs in a thread with its own event loop, doing real getUpdates long polling over HTTP,
so tests stay plain functions: feed an update, wait for the call it causes (every wait bounded).
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import os
import secrets
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from botapi_rules import Spec
from fakebotapi import ADMIN, FakeBotApi
from pgserver import PgServer, find_binaries

from bot.config import Settings
from bot.curation.reload import LiveEngine
from bot.engine import Engine
from bot.knowledge import bundled_dir
from bot.telegram.handlers import ALLOWED_UPDATES, App, build_application

TOKEN = "123456789:AAFakeTokenForTestsOnly_abcdefghijklmnop"
START_TIMEOUT = 10.0


@pytest.fixture(autouse=True)
def data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh data directory for each test, in LIVEBOT_DATA_DIR for anything reading the environment,
    and a fresh home folder (HOME, XDG_DATA_HOME), so no test writes into the user's own."""
    home = tmp_path_factory.mktemp("home")
    path = tmp_path_factory.mktemp("data")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("LIVEBOT_DATA_DIR", str(path))
    for name in ("LIVEBOT_RECORD", "LIVEBOT_WATCH", "LIVEBOT_KNOWLEDGE_DIR", "LIVEBOT_HISTORY", "LIVEBOT_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    return path


def _postgres_missing() -> str | None:
    if find_binaries() is None:
        return "PostgreSQL is not installed (no initdb under /usr/lib/postgresql/*/bin or on PATH)"
    if importlib.util.find_spec("psycopg") is None or importlib.util.find_spec("psycopg_pool") is None:
        return "psycopg is not installed (pip install -e '.[test]')"
    return None


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """A throwaway PostgreSQL server on 127.0.0.1 for the whole run. Skipped without PostgreSQL,
    except under CI=true, where its absence fails the tests that need it."""
    missing = _postgres_missing()
    if missing is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{missing}; .ci/run installs it")
        pytest.skip(missing)
    bindir = find_binaries()
    assert bindir is not None
    server = PgServer(bindir)
    try:
        server.start()
        yield server
    finally:
        with contextlib.suppress(RuntimeError):
            server.stop()
        server.remove()


@pytest.fixture
def pg_url(pg_server: PgServer) -> str:
    """The URL of a new, empty database of the test's own."""
    return pg_server.create_database("t_" + secrets.token_hex(6))


@pytest.fixture(params=["sqlite", "postgres"])
def location(request: pytest.FixtureRequest, data_dir: Path) -> Path | str:
    """Where a test records: the SQLite file in its data directory, or a PostgreSQL database of its own."""
    if request.param == "sqlite":
        return data_dir / "questions.sqlite3"
    url: str = request.getfixturevalue("pg_url")
    return url


@pytest.fixture(scope="session")
def cjk_font() -> str:
    """The family Chinese charts are set in. Skipped when no installed font has Chinese characters,
    except under CI=true, where .ci/run installs one and its absence fails the tests that need it."""
    from bot.charts import ChartError
    from bot.charts.fonts import font_for

    try:
        return font_for(["广州杭州对比目标来源"])
    except ChartError:
        if os.environ.get("CI") == "true":
            pytest.fail("no CJK font is installed; .ci/run installs fonts-wqy-microhei")
        pytest.skip("no CJK font is installed (apt install fonts-noto-cjk or fonts-wqy-microhei)")


@pytest.fixture(scope="session")
def spec() -> Spec | None:
    return Spec.load()


@pytest.fixture(scope="session")
def engine() -> Engine:
    return Engine.load()


@pytest.fixture
def fake(spec: Spec | None) -> Iterator[FakeBotApi]:
    with FakeBotApi(TOKEN, spec=spec) as api:
        yield api
    assert api.violations == [], "the bot made calls Telegram would reject"


@pytest.fixture
def knowledge(tmp_path: Path) -> Path:
    """A private copy of the bundled knowledge, for tests that edit it."""
    return Path(shutil.copytree(bundled_dir(), tmp_path / "knowledge"))


class RunningBot:
    """The real Application from build_application, polling the fake in a thread of its own."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.errors: list[BaseException] = []
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._run, name="livebot", daemon=True)

    def start(self) -> None:
        self._thread.start()
        if not self._ready.wait(START_TIMEOUT) or self._stop is None:
            raise AssertionError(f"the bot did not start: {self.errors}")

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(START_TIMEOUT)
        assert not self._thread.is_alive(), "the bot did not stop"

    def _run(self) -> None:
        self._loop = asyncio.new_event_loop()
        try:
            self._loop.run_until_complete(self._main())
        except BaseException as exc:  # reported by start() or by the fixture's final check
            self.errors.append(exc)
        finally:
            self._ready.set()
            self._loop.close()

    async def _main(self) -> None:
        app = self.app
        app.add_error_handler(self._record)
        assert app.post_init is not None and app.post_shutdown is not None and app.updater is not None
        async with app:  # the order of Application.run_polling
            await app.post_init(app)
            await app.updater.start_polling(poll_interval=0, timeout=10, allowed_updates=list(ALLOWED_UPDATES))
            await app.start()
            self._stop = asyncio.Event()
            self._ready.set()
            await self._stop.wait()
            await app.updater.stop()
            await app.stop()
        await app.post_shutdown(app)

    async def _record(self, update: object, context: Any) -> None:
        self.errors.append(context.error)


@pytest.fixture
def make_bot(fake: FakeBotApi, engine: Engine, data_dir: Path) -> Iterator[Callable[..., RunningBot]]:
    """Starts bots on the fake: make_bot(live=None, **Settings fields), recording into the test's
    data directory; all stopped afterwards."""
    bots: list[RunningBot] = []

    def make(live: LiveEngine | None = None, **overrides: Any) -> RunningBot:
        options: dict[str, Any] = {"admin_ids": frozenset({ADMIN["id"]}), "data_dir": data_dir, **overrides}
        settings = Settings(token=TOKEN, base_url=fake.base_url, **options)
        bot = RunningBot(build_application(settings, live or LiveEngine(engine)))
        bots.append(bot)
        bot.start()
        return bot

    yield make
    for bot in bots:
        bot.stop()
    for bot in bots:
        assert bot.errors == [], f"handler errors: {bot.errors!r}"


@pytest.fixture
def bot(make_bot: Callable[..., RunningBot]) -> RunningBot:
    return make_bot()
