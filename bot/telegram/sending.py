"""Sending bot.telegram.formatting blocks through python-telegram-bot: HTML parts with the buttons under the
last one, the buttons back from a message, and the language a user reads; and what carries every
call to Telegram: flood limits, pacing per chat and retries (PatientRateLimiter) over JSON bodies
(JsonRequest). The delivery policy (at least once) is in docs/telegram.md.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import warnings
from typing import Any

import httpx
from aiolimiter import AsyncLimiter
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest, Conflict, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import AIORateLimiter
from telegram.request import BaseRequest, RequestData
from telegram.warnings import PTBUserWarning

from bot.telegram import formatting as fmt
from bot.telegram.texts import language_of

log = logging.getLogger(__name__)

NETWORK_RETRIES = 5  # a call that surely did not reach Telegram, or that it answered with a 5xx
TIMEOUT_RETRIES = 1  # a call Telegram got but did not answer in time: it may have been carried out
SEND_READ_TIMEOUT = 30.0  # seconds Telegram may take to answer a call before it counts as timed out
CHAT_BURST = 3  # messages a private chat gets at once before pacing starts
CHAT_RATE = 1.0  # messages a second to one private chat after a burst
SEND_MESSAGE = "sendMessage"
NO_PREVIEW = {"is_disabled": True}
MEDIA_WRITE_TIMEOUT = 20.0  # seconds, for uploads, as python-telegram-bot's HTTPXRequest allows
NOT_SENT = (httpx.ConnectTimeout, httpx.PoolTimeout, httpx.WriteTimeout)  # timeouts before Telegram had the call
TRANSIENT = (NetworkError, Forbidden, Conflict, RetryAfter)
LOST, NOT_DONE = "answer lost", "not carried out"  # how a call failed, as far as the bot can tell
RETRIES = {LOST: TIMEOUT_RETRIES, NOT_DONE: NETWORK_RETRIES}


async def send(
    message: Message, blocks: list[fmt.Block], keyboard: fmt.Keyboard | None = None, *, quote: bool | None = None
) -> list[int]:
    """Sends blocks as one or more HTML messages replying to `message`; the buttons go under the
    last one. In groups the first part quotes the question, so people see what was answered.
    Returns the ids of the messages sent.

    Each part is a sendMessage through Bot.do_api_request rather than Message.reply_text: the same
    call through the same rate limiter, retries and errors, but Telegram's answer is not built into a
    Message object (markup, buttons, chat and user) that the bot never reads. That building, with
    reply_text's conversions of the parameters on the way out, was about 14% of the instructions
    the bot ran per answer; so the parameters go as the Bot API's JSON, and reply_to() fills in
    where reply_text would have sent the reply.
    """
    quote = message.chat.type != "private" if quote is None else quote
    parts = fmt.render(blocks)
    ids: list[int] = []
    for i, part in enumerate(parts):
        params = {**reply_to(message), "text": part, "parse_mode": "HTML", "link_preview_options": NO_PREVIEW}
        if quote and i == 0:
            params["reply_parameters"] = {"message_id": message.message_id, "allow_sending_without_reply": True}
        if keyboard and i == len(parts) - 1:
            params["reply_markup"] = keyboard_json(keyboard)
        sent = await message.get_bot().do_api_request(SEND_MESSAGE, api_kwargs=params)
        if isinstance(sent, dict) and isinstance(sent.get("message_id"), int):
            ids.append(sent["message_id"])
    return ids


def quiet_raw_sends() -> None:
    """Silences the warning python-telegram-bot gives for each of send()'s do_api_request calls
    (that Bot.send_message exists), which send() passes over on purpose."""
    warnings.filterwarnings("ignore", message=r"Please use 'Bot\.sendMessage'", category=PTBUserWarning)


def reply_to(message: Message) -> dict[str, Any]:
    """Where Message.reply_text would send a reply: the chat, and the forum topic, business
    connection or direct-messages topic the message came from."""
    target: dict[str, Any] = {"chat_id": message.chat_id}
    if message.is_topic_message and message.message_thread_id is not None:
        target["message_thread_id"] = message.message_thread_id
    if message.business_connection_id:
        target["business_connection_id"] = message.business_connection_id
    if message.direct_messages_topic:
        target["direct_messages_topic_id"] = message.direct_messages_topic.topic_id
    return target


def user_language(update: Update) -> str:
    """The reply language for the update's user: 'zh' or 'en' (see texts.language_of)."""
    user = update.effective_user
    return language_of(user.language_code if user else None)


def markup(keyboard: fmt.Keyboard) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.data) for b in row] for row in keyboard]
    )


def keyboard_json(keyboard: fmt.Keyboard) -> dict[str, Any]:
    """The keyboard as the Bot API's InlineKeyboardMarkup JSON: what markup(keyboard).to_dict() gives."""
    return {"inline_keyboard": [[{"text": b.label, "callback_data": b.data} for b in row] for row in keyboard]}


def keyboard_of(reply_markup: InlineKeyboardMarkup) -> fmt.Keyboard:
    """The bot's own buttons back from a message's markup."""
    return [
        [fmt.Button(b.text, b.callback_data) for b in row if isinstance(b.callback_data, str)]
        for row in reply_markup.inline_keyboard
    ]


def transient(error: object) -> bool:
    """Whether `error` is expected trouble on the way to Telegram rather than a bug: the network or
    a 5xx after the retries, a user who blocked the bot, another process polling, a flood wait."""
    return isinstance(error, TRANSIENT) and not isinstance(error, BadRequest)


def answer_lost(error: NetworkError) -> bool:
    """Whether Telegram may have carried out the call that failed: it timed out after the request
    was sent, so only its answer is known to be missing."""
    return isinstance(error, TimedOut) and not isinstance(error.__cause__, NOT_SENT)


class ChatPacer:
    """A leaky bucket per private chat: `burst` messages at once, then `rate` a second; a busy chat
    waits in its own bucket and holds up no other. Groups are left to AIORateLimiter's limit."""

    KEEP = 512  # buckets kept before the empty ones are forgotten, as AIORateLimiter does for groups

    def __init__(self, burst: int = CHAT_BURST, rate: float = CHAT_RATE) -> None:
        self.burst = burst
        self.rate = rate
        self._buckets: dict[int, AsyncLimiter] = {}

    def __call__(self, chat_id: object) -> contextlib.AbstractAsyncContextManager[None]:
        """What a call to `chat_id` waits on: its chat's bucket, or nothing for groups and calls without a chat."""
        try:
            chat = int(chat_id)  # type: ignore[call-overload]
        except (TypeError, ValueError):
            return contextlib.nullcontext()
        if chat <= 0:
            return contextlib.nullcontext()
        if chat not in self._buckets and len(self._buckets) >= self.KEEP:
            self._buckets = {c: b for c, b in self._buckets.items() if not b.has_capacity(b.max_rate)}
        bucket = self._buckets.get(chat)
        if bucket is None:
            bucket = self._buckets[chat] = AsyncLimiter(self.burst, self.burst / self.rate)
        return bucket


class PatientRateLimiter(AIORateLimiter):
    """AIORateLimiter (flood limits overall and per group, 429 retry_after) that also paces each
    private chat (ChatPacer) and retries failed calls, so a reply is delayed rather than lost: up to
    NETWORK_RETRIES times with exponential backoff when Telegram surely did not carry the call out
    (no connection, a 5xx), once (TIMEOUT_RETRIES) when its answer timed out, since then the
    message may already be in the chat."""

    def __init__(
        self, max_rate: float, group_max_rate: float, *, backoff: float = 0.5, pacer: ChatPacer | None = None
    ) -> None:
        super().__init__(overall_max_rate=max_rate, group_max_rate=group_max_rate, max_retries=NETWORK_RETRIES)
        self.backoff = backoff
        self.pacer = pacer or ChatPacer()

    async def process_request(
        self,
        callback: Any,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Any:
        failures = {LOST: 0, NOT_DONE: 0}
        while True:
            try:
                async with self.pacer(data.get("chat_id")):
                    return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
            except BadRequest:
                raise
            except NetworkError as exc:
                kind = LOST if answer_lost(exc) else NOT_DONE
                failures[kind] += 1
                if failures[kind] > RETRIES[kind]:
                    raise
                delay = min(self.backoff * 2 ** (sum(failures.values()) - 1), 30.0)
                log.warning("%s failed (%s: %s); trying again in %.1f s", endpoint, kind, exc, delay)
                await asyncio.sleep(delay)


class JsonRequest(BaseRequest):
    """The Bot API over httpx with python-telegram-bot's HTTPXRequest defaults (timeouts, pool,
    HTTP/1.1, errors), except that a call's parameters go as one JSON body, which Telegram takes
    for every method; only uploads still go as multipart/form-data.

    HTTPXRequest form-encodes them instead: each value JSON-encoded, then percent-encoded a byte
    at a time in Python, about a tenth of the bot's CPU for a reply of a long HTML answer with buttons.
    """

    def __init__(
        self,
        pool_size: int = 256,
        *,
        read_timeout: float | None = 5.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._timeout = httpx.Timeout(connect=5.0, read=read_timeout, write=5.0, pool=1.0)
        self._limits = httpx.Limits(max_connections=pool_size)
        self._transport = transport  # tests pass an httpx.MockTransport
        self._client = self._new_client()

    def _new_client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            timeout=self._timeout, limits=self._limits, http1=True, http2=False, transport=self._transport
        )

    @property
    def read_timeout(self) -> float | None:
        return self._timeout.read

    async def initialize(self) -> None:
        if self._client.is_closed:
            self._client = self._new_client()

    async def shutdown(self) -> None:
        if not self._client.is_closed:
            await self._client.aclose()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = BaseRequest.DEFAULT_NONE,
        write_timeout: object = BaseRequest.DEFAULT_NONE,
        connect_timeout: object = BaseRequest.DEFAULT_NONE,
        pool_timeout: object = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """One HTTP request; httpx's timeouts become TimedOut and its other errors NetworkError."""
        upload = request_data is not None and request_data.contains_files
        timeout = httpx.Timeout(
            connect=_seconds(connect_timeout, self._timeout.connect),
            read=_seconds(read_timeout, self._timeout.read),
            write=_seconds(write_timeout, MEDIA_WRITE_TIMEOUT if upload else self._timeout.write),
            pool=_seconds(pool_timeout, self._timeout.pool),
        )
        try:
            response = await self._client.request(method, url, timeout=timeout, **_body(request_data))
        except httpx.PoolTimeout as exc:
            raise TimedOut("Pool timeout: every connection is busy; the request was not sent") from exc
        except httpx.TimeoutException as exc:
            raise TimedOut from exc
        except httpx.HTTPError as exc:
            raise NetworkError(f"httpx.{type(exc).__name__}: {exc}") from exc
        return response.status_code, response.content


def _seconds(given: object, default: float | None) -> float | None:
    """A timeout passed to do_request: BaseRequest.DEFAULT_NONE stands for the request's own."""
    return float(given) if isinstance(given, (int, float)) else None if given is None else default


def _body(request_data: RequestData | None) -> dict[str, Any]:
    headers = {"User-Agent": BaseRequest.USER_AGENT}
    if request_data is None:
        return {"headers": headers}
    if request_data.contains_files:
        return {"headers": headers, "files": request_data.multipart_data, "data": request_data.json_parameters}
    body = json.dumps(request_data.parameters, ensure_ascii=False).encode()
    return {"headers": {**headers, "Content-Type": "application/json"}, "content": body}
