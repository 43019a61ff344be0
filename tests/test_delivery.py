"""Delivery to Telegram against the fake Bot API: a slow answer waited for, a timed-out send tried
once more and no more, each private chat paced without holding up the others, and expected trouble
logged in one line."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from contextlib import contextmanager

import httpx
import pytest
from conftest import TOKEN, RunningBot
from fakebotapi import USER, ZH_USER, message
from telegram.error import TimedOut
from telegram.ext import ExtBot
from test_handlers import ask

from bot.config import Settings
from bot.curation.reload import LiveEngine
from bot.telegram.handlers import build_application
from bot.telegram.sending import CHAT_BURST, JsonRequest, PatientRateLimiter

SHORT_TIMEOUT = 0.5  # seconds; a read timeout short enough for a test to run into


@contextmanager
def impatient_bot(fake, engine):
    """The real application, waiting only SHORT_TIMEOUT for Telegram's answer to a call."""
    settings = Settings(token=TOKEN, base_url=fake.base_url)
    bot = RunningBot(build_application(settings, LiveEngine(engine), request=JsonRequest(read_timeout=SHORT_TIMEOUT)))
    bot.start()
    try:
        yield bot
    finally:
        bot.stop()


def sends(fake, chat_id):
    """Every sendMessage to chat_id that reached the fake, answered in time or not."""
    return [c for c in fake.calls if c.method == "sendMessage" and c.params.get("chat_id") == chat_id]


def test_an_answer_slower_than_python_telegram_bots_five_seconds_is_waited_for_not_sent_twice(fake, bot):
    """Telegram taking 6 s to confirm a reply (python-telegram-bot gives up after 5 s) gets the
    reply sent once: the bot waits rather than sending it again."""
    answered = threading.Event()
    fake.listeners.append(lambda call: call.method == "sendMessage" and answered.set())
    fake.delay_next("sendMessage", 6.0)
    fake.feed({"message": message("Yiwu")})
    assert answered.wait(10)
    time.sleep(1.0)  # a bot that had timed out at 5 s would have sent again by now
    assert len(sends(fake, USER["id"])) == 1


@pytest.mark.parametrize(("slow", "errors"), [(1, []), (3, [TimedOut])])
def test_a_timed_out_send_is_tried_once_more_after_the_read_timeout_and_no_more(fake, engine, caplog, slow, errors):
    """A send whose answer times out is sent once more, after the read timeout: the user may get
    the reply twice but never loses it; if that one times out too, the bot gives up with one warning."""
    with caplog.at_level(logging.WARNING, logger="bot.telegram"), impatient_bot(fake, engine) as bot:
        fake.delay_next("sendMessage", 3 * SHORT_TIMEOUT, times=slow)
        fake.feed({"message": message("Yiwu")})
        fake.wait_for("sendMessage", 2, where=lambda c: c.params["chat_id"] == USER["id"])
        time.sleep(6 * SHORT_TIMEOUT)
        first, second = sends(fake, USER["id"])
        assert second.at - first.at >= SHORT_TIMEOUT
    assert [type(e) for e in bot.errors] == errors
    assert "sendMessage failed (answer lost" in caplog.text
    if errors:
        [failure] = [r for r in caplog.records if "(TimedOut)" in r.getMessage()]
        assert failure.levelname == "WARNING" and failure.exc_info is None


def test_a_call_that_never_left_is_retried_until_it_goes_through():
    """Timeouts before Telegram had the call (no free connection) are retried like other network
    failures, not counted as a call that may have been carried out."""
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/getMe"):
            return httpx.Response(200, json={"ok": True, "result": {"id": 1, "is_bot": True, "first_name": "B"}})
        seen.append(request.url.path)
        if len(seen) <= 3:
            raise httpx.PoolTimeout("every connection is busy")
        sent = {"message_id": 1, "date": 0, "chat": {"id": 42, "type": "private"}, "text": "hi"}
        return httpx.Response(200, json={"ok": True, "result": sent})

    async def run():
        request = JsonRequest(transport=httpx.MockTransport(handler))
        async with ExtBot(TOKEN, request=request, rate_limiter=PatientRateLimiter(30, 20, backoff=0.01)) as bot:
            return await bot.send_message(42, "hi")

    assert asyncio.run(run()).message_id == 1
    assert len(seen) == 4


def test_a_flood_from_one_chat_is_paced_while_another_chat_is_answered_at_once(fake, bot):
    """Six questions from one user in an instant get a burst of replies, then about one a second,
    all six delivered; another user asking meanwhile is answered at once."""
    ask(fake, "Yiwu", user=ZH_USER)  # the bot is polling and warm
    flood = 6
    for _ in range(flood):
        fake.feed({"message": message("Yiwu")})
    asked = time.monotonic()
    fake.feed({"message": message("What is a Live Salesman?", user=ZH_USER)})
    replies = fake.wait_for("sendMessage", flood, where=lambda c: c.params["chat_id"] == USER["id"], timeout=15)
    other = fake.sent(ZH_USER["id"])[-1]
    times = [c.at - replies[0].at for c in replies]
    assert len(replies) == flood
    assert times[CHAT_BURST - 1] < 0.5 and times[-1] >= (flood - CHAT_BURST) * 0.8
    assert other.at - asked < 1.0 and other.at < replies[-1].at
