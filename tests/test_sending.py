"""JsonRequest: what python-telegram-bot's HTTPXRequest does, with JSON bodies."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import NetworkError, TimedOut

from bot.telegram import formatting as fmt
from bot.telegram.sending import JsonRequest, keyboard_json, markup

TOKEN = "123456789:AAFakeTokenForTestsOnly_abcdefghijklmnop"
ME = {"id": 123456789, "is_bot": True, "first_name": "Livebot", "username": "livebot_test_bot"}
SENT = {"message_id": 1, "date": 0, "chat": {"id": 42, "type": "private"}, "text": "hi"}


def call(handler: Any, method: str, **kwargs: Any) -> Any:
    """Calls a Bot method through a JsonRequest whose transport is `handler`."""

    async def run() -> Any:
        transport = httpx.MockTransport(handler)
        requests = {
            "request": JsonRequest(transport=transport),
            "get_updates_request": JsonRequest(1, transport=transport),
        }
        async with Bot(TOKEN, **requests) as bot:
            return await getattr(bot, method)(**kwargs)

    return asyncio.run(run())


def recording(seen: list[httpx.Request], result: Any = SENT) -> Any:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/getMe"):
            return httpx.Response(200, json={"ok": True, "result": ME})
        seen.append(request)
        return httpx.Response(200, json={"ok": True, "result": result})

    return handler


def test_parameters_go_as_one_json_body_with_native_types():
    """Numbers, text and objects arrive as JSON values, not as form fields of JSON strings."""
    seen: list[httpx.Request] = []
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("来源", callback_data="s|zh|x")]])
    sent = call(recording(seen), "send_message", chat_id=42, text="<b>义乌</b> & more", reply_markup=keyboard)
    assert sent.message_id == 1
    assert seen[0].headers["content-type"] == "application/json"
    assert json.loads(seen[0].content) == {
        "chat_id": 42,
        "text": "<b>义乌</b> & more",
        "reply_markup": keyboard.to_dict(),
    }
    assert seen[0].headers["user-agent"].startswith("python-telegram-bot")


def test_uploads_still_go_as_multipart():
    """A call with a file is sent as multipart/form-data, as Telegram requires for uploads."""
    seen: list[httpx.Request] = []
    call(
        recording(seen, {**SENT, "document": {"file_id": "f", "file_unique_id": "u"}}),
        "send_document",
        chat_id=42,
        document=b"data",
        filename="a.txt",
    )
    assert seen[0].headers["content-type"].startswith("multipart/form-data")


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (httpx.ReadTimeout("slow"), TimedOut),
        (httpx.PoolTimeout("busy"), TimedOut),
        (httpx.ConnectError("down"), NetworkError),
    ],
)
def test_httpx_errors_become_telegram_errors(error, expected):
    """Timeouts raise TimedOut and other transport failures NetworkError, which the rate limiter retries."""

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/getMe"):
            return httpx.Response(200, json={"ok": True, "result": ME})
        raise error

    with pytest.raises(expected):
        call(handler, "send_message", chat_id=42, text="hi")


def test_timeouts_passed_per_call_override_the_defaults():
    """A long poll waits its timeout beyond the read timeout; the others stay python-telegram-bot's."""
    seen: list[httpx.Request] = []
    call(recording(seen, []), "get_updates", timeout=10)
    call(recording(seen, []), "get_updates", timeout=10, read_timeout=15)
    assert seen[0].extensions["timeout"] == {"connect": 5.0, "read": 15.0, "write": 5.0, "pool": 1.0}
    assert seen[1].extensions["timeout"]["read"] == 25.0


def test_keyboard_json_is_what_python_telegram_bot_would_send():
    """The JSON sent for a keyboard equals python-telegram-bot's own serialisation of its markup."""
    keyboard = [[fmt.Button("Full source", "s|en|hangzhou-plan"), fmt.Button("来源 2", "s|zh|x")], fmt.vote_row(7)]
    assert keyboard_json(keyboard) == markup(keyboard).to_dict()
    assert keyboard_json(keyboard)["inline_keyboard"][1][0] == {"text": "👍", "callback_data": "v|+|7"}
