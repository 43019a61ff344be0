"""The real `livebot run` in a subprocess against the fake Bot API: start-up, SIGHUP, SIGTERM, webhooks."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import TOKEN
from fakebotapi import ADMIN, USER, ZH_USER, FakeBotApi, message
from kbedit import set_field
from test_handlers_reload import MARKER, hangzhou_fact

from bot.config import RedactSecrets

ROOT = Path(__file__).resolve().parents[1]
EXIT_TIMEOUT = 15.0


class Livebot:
    """`python -m bot run` with a clean environment; stderr collected line by line as it comes."""

    def __init__(self, env: dict[str, str], *args: str) -> None:
        clean = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "LIVEBOT_"))}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "run", *args],
            cwd=ROOT,
            env={**clean, **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: list[str] = []
        self.stdout = ""
        self._cond = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            with self._cond:
                self.lines.append(line)
                self._cond.notify_all()

    def wait_line(self, text: str, timeout: float = 10.0) -> str:
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = [line for line in self.lines if text in line]
                if found:
                    return found[-1]
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    raise AssertionError(f"no log line with {text!r}; got:\n{''.join(self.lines[-20:])}")
                self._cond.wait(0.1)

    def stop(self, sig: int | None = signal.SIGTERM) -> int:
        """Sends `sig` (None: none, for a bot that exits by itself) and returns the exit status."""
        if sig is not None and self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            self.proc.wait(EXIT_TIMEOUT)
        finally:
            self.proc.kill()
        assert self.proc.stdout is not None
        self.stdout = self.proc.stdout.read()
        self._reader.join(EXIT_TIMEOUT)
        return self.proc.returncode

    @property
    def output(self) -> str:
        return self.stdout + "".join(self.lines)


@contextlib.contextmanager
def livebots(fake):
    """Starts `livebot run` processes on the fake, logging at DEBUG: start(*args, **env); killed at the end."""
    started: list[Livebot] = []

    def start(*args: str, **env: str) -> Livebot:
        base = {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": fake.base_url,
            "LIVEBOT_ADMIN_IDS": str(ADMIN["id"]),
            "LIVEBOT_LOG_LEVEL": "DEBUG",
            "LIVEBOT_DATA_DIR": os.environ["LIVEBOT_DATA_DIR"],
        }
        bot = Livebot({**base, **env}, *args)
        started.append(bot)
        return bot

    try:
        yield start
    finally:
        for bot in started:
            if bot.proc.poll() is None:
                bot.proc.kill()
                bot.proc.wait(EXIT_TIMEOUT)


@pytest.fixture
def run(fake):
    with livebots(fake) as start:
        yield start


def reply_to(fake, text, user=USER):
    before = len(fake.sent(user["id"]))
    fake.feed({"message": message(text, user=user)})
    return fake.wait_for("sendMessage", before + 1, where=lambda c: c.params["chat_id"] == user["id"], timeout=10)[-1]


def test_run_answers_reloads_on_sighup_and_exits_0_on_sigterm(fake, run, knowledge):
    """`livebot run` logs one ready line, answers, reloads on SIGHUP (keeping good knowledge on a
    broken edit), stops with exit 0 on SIGTERM, and never prints the token."""
    bot = run(LIVEBOT_KNOWLEDGE_DIR=str(knowledge))
    ready = bot.wait_line("ready:")
    assert "@livebot_test_bot" in ready and "facts" in ready and "mode polling" in ready
    fake.arrived("getUpdates", timeout=10)
    fact = hangzhou_fact(knowledge)
    assert "Source:" in reply_to(fake, fact.text).text

    set_field(knowledge, fact.id, "source", lambda old: "no-such-source")
    bot.proc.send_signal(signal.SIGHUP)
    assert "problem" in bot.wait_line("SIGHUP: failed")
    bot.wait_line("refers to unknown source 'no-such-source'")
    assert "Source:" in reply_to(fake, fact.text).text

    set_field(knowledge, fact.id, "source", lambda old: fact.source)
    set_field(knowledge, fact.id, "text", lambda old: old + MARKER)
    bot.proc.send_signal(signal.SIGHUP)
    assert "1 edited" in bot.wait_line("SIGHUP: reloaded")
    assert "R&amp;D &lt;zebra&gt;" in reply_to(fake, fact.text).text

    assert bot.stop(signal.SIGTERM) == 0
    assert TOKEN not in bot.output and TOKEN.partition(":")[2] not in bot.output


def test_run_watch_swaps_in_edits_and_records_questions_until_sigterm(fake, run, knowledge, data_dir):
    """`livebot run --watch` answers from a valid edit by itself (a broken edit is tested in
    test_handlers_curation) and on SIGTERM writes every question it answered to LIVEBOT_DATA_DIR."""
    bot = run("--watch", LIVEBOT_KNOWLEDGE_DIR=str(knowledge))
    assert str(knowledge) in bot.wait_line("watching")
    bot.wait_line("ready:")
    fact = hangzhou_fact(knowledge)
    assert "zebra" not in reply_to(fake, fact.text).text

    set_field(knowledge, fact.id, "text", lambda old: old + MARKER)
    assert "1 edited" in bot.wait_line("--watch reloaded")
    assert "R&amp;D &lt;zebra&gt;" in reply_to(fake, fact.text).text

    assert bot.stop(signal.SIGTERM) == 0
    with sqlite3.connect(data_dir / "questions.sqlite3") as db:
        assert db.execute("SELECT channel, count(*) FROM questions GROUP BY channel").fetchall() == [("private", 2)]


def test_expected_trouble_with_telegram_is_one_warning_line_and_the_bot_goes_on(fake, run):
    """A 502 and a 409 on polling and a user who blocked the bot are each logged as one WARNING
    line without a traceback; nothing is logged as an error and the bot goes on answering."""
    fake.fail_next("getUpdates", status=502)
    fake.fail_next("getUpdates", status=409, description="Conflict: terminated by other getUpdates request")
    fake.fail_next("sendMessage", status=403, description="Forbidden: bot was blocked by the user")
    bot = run()
    fake.feed({"message": message("Yiwu", user=ZH_USER)})
    for trouble in ("Bad Gateway (NetworkError)", "getUpdates request (Conflict)", "blocked by the user (Forbidden)"):
        assert " WARNING bot.telegram.handlers: " in bot.wait_line(trouble)
    assert "Source:" in reply_to(fake, "What is a Live Salesman?").text
    assert bot.stop(signal.SIGTERM) == 0
    assert "Traceback" not in bot.output and " ERROR " not in bot.output


def test_ctrl_c_also_exits_0(fake, run):
    """SIGINT (Ctrl-C) stops the bot cleanly with exit status 0."""
    bot = run()
    fake.arrived("getUpdates", timeout=10)
    assert bot.stop(signal.SIGINT) == 0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def post_update(port: int, update: dict, secret: str) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/livebot/hook",
        data=json.dumps(update).encode(),
        method="POST",
        headers={"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret},
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code
    except urllib.error.URLError:
        return 0  # not listening yet


def test_webhook_mode_sets_the_webhook_and_answers_posted_updates(fake, run):
    """--webhook registers the public URL and secret, serves the URL's path locally, answers updates
    with the right secret, refuses others, and stops with exit 0."""
    port = free_port()
    bot = run(
        "--webhook",
        "--port",
        str(port),
        LIVEBOT_WEBHOOK_URL="https://bot.example.org/livebot/hook",
        LIVEBOT_WEBHOOK_SECRET="s3cret-Token_42",
    )
    [hook] = fake.wait_for("setWebhook", timeout=10)
    assert hook.params["url"] == "https://bot.example.org/livebot/hook"
    assert hook.params["secret_token"] == "s3cret-Token_42"
    assert "mode webhook" in bot.wait_line("ready:")
    update = {"update_id": 1, "message": message("What is a Live Salesman?")}
    fake.chats[USER["id"]] = update["message"]["chat"]
    deadline = time.monotonic() + 10
    while (status := post_update(port, update, "s3cret-Token_42")) != 200 and time.monotonic() < deadline:
        time.sleep(0.1)  # the webhook server starts listening just after setWebhook
    assert status == 200
    assert "Source:" in fake.wait_for("sendMessage", timeout=10)[0].text
    assert post_update(port, {**update, "update_id": 2}, "wrong") == 403
    assert bot.stop(signal.SIGTERM) == 0
    assert "s3cret-Token_42" not in bot.output and TOKEN not in bot.output


def test_missing_or_malformed_token_is_a_clear_error_without_the_token(fake, run):
    """Without a usable TELEGRAM_BOT_TOKEN, `livebot run` exits 1 naming the variable, echoing nothing."""
    missing = run(TELEGRAM_BOT_TOKEN="")
    assert missing.stop(None) == 1 and "TELEGRAM_BOT_TOKEN: not set" in missing.output
    malformed = run(TELEGRAM_BOT_TOKEN="12345:tooshort-secretish")
    assert malformed.stop(None) == 1 and "does not look like a bot token" in malformed.output
    assert "tooshort-secretish" not in malformed.output and "Traceback" not in malformed.output


def test_broken_knowledge_at_start_up_lists_every_problem(fake, run, knowledge):
    """`livebot run` on broken knowledge exits 1 and logs every problem, not just the first."""
    fact = hangzhou_fact(knowledge)
    set_field(knowledge, fact.id, "source", lambda old: "no-such-source")
    set_field(knowledge, fact.id, "text", lambda old: "")
    bot = run(LIVEBOT_KNOWLEDGE_DIR=str(knowledge))
    assert bot.stop(None) == 1
    assert "refers to unknown source 'no-such-source'" in bot.output and "must not be empty" in bot.output


def test_rejected_token_is_a_clear_error(spec):
    """A token the Bot API answers 401 to exits 1 with 'rejected', and the token is not printed."""
    with FakeBotApi("987654321:AAOtherTokenOtherTokenOtherToken_xyz", spec=spec) as other:
        clean = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "LIVEBOT_"))}
        bot = Livebot(
            {
                **clean,
                "TELEGRAM_BOT_TOKEN": TOKEN,
                "TELEGRAM_API_BASE_URL": other.base_url,
                "LIVEBOT_DATA_DIR": os.environ["LIVEBOT_DATA_DIR"],
            }
        )
        assert bot.stop(None) == 1
    assert "TELEGRAM_BOT_TOKEN: the Bot API rejected the token" in bot.output
    assert TOKEN not in bot.output
    assert "The token `[redacted]` was rejected" in bot.output, "PTB's own error message is redacted"


def test_redact_secrets_cleans_messages_arguments_and_tracebacks():
    """The logging filter replaces secrets in the message, its arguments and the formatted traceback."""
    import logging

    try:
        raise RuntimeError(f"failed at https://api.telegram.org/bot{TOKEN}/getMe")
    except RuntimeError as exc:
        record = logging.LogRecord(
            "x", logging.ERROR, __file__, 1, "url %s", (f"/bot{TOKEN}/x",), (type(exc), exc, exc.__traceback__)
        )
    RedactSecrets([TOKEN, ""]).filter(record)
    formatted = logging.Formatter().format(record)
    assert TOKEN not in formatted and formatted.count("[redacted]") == 2


def test_an_api_nobody_answers_at_fails_at_once_in_one_line(run):
    """With nothing listening at TELEGRAM_API_BASE_URL, `livebot run` exits 1 straight away with
    one line on stderr naming the address, no retries and no traceback."""
    base_url = f"http://127.0.0.1:{free_port()}/bot"
    bot = run(TELEGRAM_API_BASE_URL=base_url, LIVEBOT_LOG_LEVEL="INFO")
    assert bot.stop(None) == 1
    [line] = bot.lines
    assert line.startswith(f"livebot: TELEGRAM_API_BASE_URL: cannot reach the Bot API at {base_url} (")
    assert bot.stdout == ""


def test_an_api_failing_at_first_still_gets_the_bot_started(fake, run):
    """A Bot API that answers but fails its first getMe calls (502) is retried, and the bot starts."""
    fake.fail_next("getMe", times=2, status=502)
    bot = run()
    assert "@livebot_test_bot" in bot.wait_line("ready:", timeout=20)
    fake.arrived("getUpdates", timeout=10)
    assert bot.stop(signal.SIGTERM) == 0
