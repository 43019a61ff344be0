"""A strict fake Telegram Bot API server on 127.0.0.1, in the spirit of structlog.testing.

`FakeBotApi` serves `/bot<token>/<method>` over real HTTP on an ephemeral port. It checks every
call against the Bot API spec and Telegram's limits (see botapi_rules), answers like Telegram
(`{"ok": true, "result": ...}`, 400 "Bad Request: ...", 429 with `retry_after`, 5xx), serves
getUpdates from a queue the test feeds (long polling), records every call, and can be told to
fail the next calls of a method or hold back their answers (a slow Telegram). Calls it rejected
for breaking a rule land in `violations`.
"""

from __future__ import annotations

import contextlib
import email.parser
import email.policy
import itertools
import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import botapi_rules as rules
from botapi_rules import Rejected, Spec

BOT_USERNAME = "livebot_test_bot"
STRING_PARAMS = {
    "text",
    "callback_query_id",
    "inline_query_id",
    "secret_token",
    "url",
    "language_code",
    "parse_mode",
    "next_offset",
}
DEFAULT_ALLOWED = {"message_reaction", "message_reaction_count", "chat_member"}  # off unless asked
# python-telegram-bot's Defaults add these to every message method, editMessageReplyMarkup included,
# where the spec has no such parameter; Telegram ignores unknown parameters, so the fake drops them.
DEFAULTS_EXTRAS = {"parse_mode", "link_preview_options"}


@dataclass
class Call:
    """One request the server received, decoded, with what it answered."""

    method: str
    params: dict[str, Any]
    status: int
    result: Any = None
    description: str = ""
    at: float = field(default_factory=time.monotonic)

    @property
    def ok(self) -> bool:
        return self.status == 200

    @property
    def text(self) -> str:
        return str(self.params.get("text", ""))

    @property
    def upload(self) -> bytes:
        """The file uploaded with the call (a sendPhoto's photo), b"" if none."""
        photo = self.params.get("photo")
        return photo if isinstance(photo, bytes) else b""

    @property
    def buttons(self) -> list[dict[str, Any]]:
        markup = self.params.get("reply_markup") or {}
        return [b for row in markup.get("inline_keyboard", []) for b in row]


class _Server(ThreadingHTTPServer):
    """A backlog for as many connections as a busy bot opens at once (the default, 5, resets some)."""

    request_queue_size = 256
    daemon_threads = True


class FakeBotApi:
    """The server. Use as a context manager; `base_url` is what TELEGRAM_API_BASE_URL takes."""

    def __init__(self, token: str, *, spec: Spec | None = None, username: str = BOT_USERNAME) -> None:
        self.token = token
        self.spec = spec
        self.bot = {
            "id": int(token.partition(":")[0]),
            "is_bot": True,
            "first_name": "Livebot",
            "username": username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
        }
        self.calls: list[Call] = []
        self.arrivals: list[str] = []  # method names as requests arrive, before they are answered
        self.listeners: list[Callable[[Call], None]] = []  # called with each call once its answer is sent
        self.violations: list[str] = []
        self.chats: dict[int, dict[str, Any]] = {}
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}  # what the bot sent, as last edited
        self.commands: dict[str, list[dict[str, Any]]] = {}
        self.files: dict[str, list[dict[str, Any]]] = {}  # file_id -> the photo sizes it stands for
        self.webhook: dict[str, Any] = {}
        self._updates: list[dict[str, Any]] = []
        self._allowed: set[str] | None = None
        self._failures: dict[str, list[tuple[int, int, str | None]]] = {}
        self._delays: dict[str, list[float]] = {}
        self._ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._update_ids = itertools.count(1)
        self._poller = 0
        self._closing = False
        self._cond = threading.Condition()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.api = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), name="fakebotapi", daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/bot"

    def __enter__(self) -> FakeBotApi:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        with self._cond:
            self._closing = True
            self._cond.notify_all()
        self._server.shutdown()
        self._server.server_close()

    # -- what tests call ---------------------------------------------------------------------

    def feed(self, update: dict[str, Any]) -> int:
        """Queues an update for getUpdates (checked against the spec); returns its update_id."""
        update = {"update_id": next(self._update_ids), **update}
        if self.spec is not None:
            self.spec.check_object("Update", update, "update")
        for value in update.values():
            if isinstance(value, dict):
                chat = value.get("chat") or (value.get("message") or {}).get("chat")
                if chat:
                    self.chats[chat["id"]] = chat
        with self._cond:
            self._updates.append(update)
            self._cond.notify_all()
        return update["update_id"]

    def fail_next(
        self, method: str, times: int = 1, *, status: int = 429, retry_after: int = 1, description: str | None = None
    ) -> None:
        """The next `times` calls of `method` fail: 429 with retry_after, any 5xx status, or another
        status with Telegram's `description` (403 "Forbidden: bot was blocked by the user", 409 ...)."""
        with self._cond:
            self._failures.setdefault(method.lower(), []).extend([(status, retry_after, description)] * times)

    def delay_next(self, method: str, seconds: float, times: int = 1) -> None:
        """The next `times` calls of `method` are carried out at once, but their answers are held
        back `seconds` (a bot that stops waiting sees a timeout for a call that was done)."""
        with self._cond:
            self._delays.setdefault(method.lower(), []).extend([seconds] * times)

    def hold_answer(self, call: Call) -> None:
        """Waits the delay queued for `call`'s method, if any (or until the server closes)."""
        with self._cond:
            queued = self._delays.get(call.method.lower())
            delay = queued.pop(0) if queued else 0.0
            self._cond.wait_for(lambda: self._closing, timeout=delay)

    def wait_for(
        self, method: str, count: int = 1, where: Callable[[Call], bool] | None = None, timeout: float = 5.0
    ) -> list[Call]:
        """Blocks until `count` successful calls of `method` matching `where` were answered."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = [c for c in self.calls if c.method == method and c.ok and (where is None or where(c))]
                if len(found) >= count:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [(c.method, c.status, c.description) for c in self.calls[-8:]]
                    raise AssertionError(f"timed out waiting for {count} {method} call(s); last calls: {seen}")
                self._cond.wait(left)

    def arrived(self, method: str, timeout: float = 5.0) -> None:
        """Blocks until a request for `method` has arrived (a long poll may still be open)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while method not in self.arrivals:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no {method} request arrived; got {self.arrivals[-8:]}")
                self._cond.wait(left)

    def sent(self, chat_id: int | None = None) -> list[Call]:
        """Successful sendMessage calls, to one chat or all."""
        return self._successful("sendMessage", chat_id)

    def photos(self, chat_id: int | None = None) -> list[Call]:
        """Successful sendPhoto calls, to one chat or all."""
        return self._successful("sendPhoto", chat_id)

    def _successful(self, method: str, chat_id: int | None) -> list[Call]:
        with self._cond:
            return [
                c
                for c in self.calls
                if c.method == method and c.ok and (chat_id is None or c.params["chat_id"] == chat_id)
            ]

    def confirmed(self, update_id: int, timeout: float = 5.0) -> None:
        """Blocks until the bot has fetched and confirmed an update (a later getUpdates offset)."""
        self.wait_for("getUpdates", where=lambda c: int(c.params.get("offset", 0)) > update_id, timeout=timeout)

    # -- the HTTP side -----------------------------------------------------------------------

    def handle(self, path: str, body: bytes, content_type: str) -> tuple[int, dict[str, Any], Call | None]:
        """Answers one request: (status, payload, and the call recorded, None for a bad path or token)."""
        match = re.fullmatch(r"/bot([^/]+)/([A-Za-z]+)", urlsplit(path).path)
        if not match:
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}, None
        if match.group(1) != self.token:
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}, None
        method = match.group(2)
        with self._cond:
            self.arrivals.append(method)
            self._cond.notify_all()
        params, form = _decode_body(body, content_type, urlsplit(path).query)
        call = Call(method, dict(params), 0)
        status, payload = self._answer(call, params, form)
        call.status = status
        call.result = payload.get("result")
        call.description = payload.get("description", "")
        with self._cond:
            self.calls.append(call)
            self._cond.notify_all()
        return status, payload, call

    def sent_answer(self, call: Call) -> None:
        """Tells the listeners, once the answer to `call` is on its way back to the bot."""
        for listener in self.listeners:
            listener(call)

    def _answer(self, call: Call, params: dict[str, Any], form: bool) -> tuple[int, dict[str, Any]]:
        spec_method = self.spec.method(call.method) if self.spec else None
        if self.spec is not None and spec_method is None:
            self.violations.append(f"unknown method {call.method}")
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        failure = self._failure(call.method)
        if failure:
            return failure
        try:
            if spec_method is not None:
                known = self.spec.method_fields[call.method.lower()]  # type: ignore[union-attr]
                params = {k: v for k, v in params.items() if k in known or k not in DEFAULTS_EXTRAS}
                params = self.spec.check_params(spec_method, params, form)  # type: ignore[union-attr]
            else:
                params = _loose(params)
            call.params = params
            return 200, {"ok": True, "result": self._result(call.method, params)}
        except Rejected as exc:
            if exc.status == 400:
                self.violations.append(f"{call.method}: {exc.description}")
            return exc.status, {"ok": False, "error_code": exc.status, "description": exc.description}

    def _failure(self, method: str) -> tuple[int, dict[str, Any]] | None:
        with self._cond:
            queued = self._failures.get(method.lower())
            if not queued:
                return None
            status, retry_after, description = queued.pop(0)
        if description is not None:
            return status, {"ok": False, "error_code": status, "description": description}
        if status == 429:
            return 429, {
                "ok": False,
                "error_code": 429,
                "description": f"Too Many Requests: retry after {retry_after}",
                "parameters": {"retry_after": retry_after},
            }
        return status, {
            "ok": False,
            "error_code": status,
            "description": "Bad Gateway" if status == 502 else "Internal Server Error",
        }

    def _result(self, method: str, p: dict[str, Any]) -> Any:
        name = method[0].lower() + method[1:]
        if name == "getUpdates":
            return self._get_updates(p)
        if name == "getMe":
            return self.bot
        if name in ("sendMessage", "editMessageText"):
            return self._message(name, p)
        if name == "sendPhoto":
            return self._photo(p)
        if name == "editMessageReplyMarkup":
            return self._edit_markup(p)
        if name == "answerInlineQuery":
            rules.check_inline_results(p["results"], p.get("button"))
        elif name == "answerCallbackQuery" and len(p.get("text", "")) > rules.MAX_CALLBACK_ANSWER:
            raise Rejected("Bad Request: MESSAGE_TOO_LONG")
        elif name == "setMyCommands":
            rules.check_commands(p["commands"], p.get("language_code"))
            self.commands[p.get("language_code", "")] = p["commands"]
        elif name == "getMyCommands":
            return self.commands.get(p.get("language_code", ""), [])
        elif name in ("setWebhook", "deleteWebhook"):
            self.webhook = {k: v for k, v in p.items() if k != "drop_pending_updates"} if name == "setWebhook" else {}
            if p.get("drop_pending_updates"):
                with self._cond:
                    self._updates.clear()
        elif name == "getWebhookInfo":
            return {
                "url": self.webhook.get("url", ""),
                "has_custom_certificate": False,
                "pending_update_count": len(self._updates),
            }
        return True

    def _message(self, method: str, p: dict[str, Any]) -> Any:
        shown = rules.message_text(p["text"], p.get("parse_mode"))
        rules.check_markup(p.get("reply_markup"))
        if "inline_message_id" in p:
            return True
        chat = self.chats.get(int(p.get("chat_id", 0)))
        if chat is None:
            raise Rejected("Bad Request: chat not found")
        message = {
            "message_id": int(p["message_id"]) if method == "editMessageText" else next(self._ids),
            "date": int(time.time()),
            "chat": chat,
            "from": self.bot,
            "text": shown,
        }
        if p.get("reply_markup"):
            message["reply_markup"] = p["reply_markup"]
        with self._cond:
            self.messages[(chat["id"], message["message_id"])] = message
        return message

    def _photo(self, p: dict[str, Any]) -> Any:
        """Like Telegram: an uploaded PNG (or a file_id this server gave), a caption of at most 1024
        characters; the message holds the photo in Telegram's sizes, a 90-pixel thumbnail first."""
        shown = rules.caption_text(p.get("caption", ""), p.get("parse_mode"))
        rules.check_markup(p.get("reply_markup"))
        chat = self.chats.get(int(p.get("chat_id", 0)))
        if chat is None:
            raise Rejected("Bad Request: chat not found")
        photo = p["photo"]
        if isinstance(photo, bytes):
            width, height = rules.photo_size(photo)
            sizes = [self._photo_size(width, height, side) for side in (90, max(width, height))]
        elif photo in self.files:
            sizes = self.files[photo]
        else:
            raise Rejected("Bad Request: wrong file identifier/HTTP URL specified")
        message = {"message_id": next(self._ids), "date": int(time.time()), "chat": chat, "from": self.bot}
        message["photo"] = sizes
        if shown:
            message["caption"] = shown
        with self._cond:
            self.messages[(chat["id"], message["message_id"])] = message
        return message

    def _photo_size(self, width: int, height: int, side: int) -> dict[str, Any]:
        scale = min(1.0, side / max(width, height))
        size = {
            "file_id": f"photo-{next(self._file_ids)}",
            "file_unique_id": f"u{next(self._file_ids)}",
            "width": max(1, round(width * scale)),
            "height": max(1, round(height * scale)),
        }
        self.files[size["file_id"]] = [size]
        return size

    def _edit_markup(self, p: dict[str, Any]) -> Any:
        """Like Telegram: only the bot's own messages, and only an edit that changes something."""
        rules.check_markup(p.get("reply_markup"))
        if "inline_message_id" in p:
            return True
        with self._cond:
            message = self.messages.get((int(p.get("chat_id", 0)), int(p.get("message_id", 0))))
            if message is None:
                raise Rejected("Bad Request: message to edit not found")
            if message.get("reply_markup") == p.get("reply_markup"):
                raise Rejected(
                    "Bad Request: message is not modified: specified new message content and reply "
                    "markup are exactly the same as a current content and reply markup of the message"
                )
            message = {**message, "edit_date": int(time.time())}
            message.pop("reply_markup", None)
            if p.get("reply_markup"):
                message["reply_markup"] = p["reply_markup"]
            self.messages[(message["chat"]["id"], message["message_id"])] = message
        return message

    def _get_updates(self, p: dict[str, Any]) -> list[dict[str, Any]]:
        if self.webhook.get("url"):
            raise Rejected(
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
                409,
            )
        offset, limit = int(p.get("offset", 0)), int(p.get("limit", 100))
        deadline = time.monotonic() + float(p.get("timeout", 0))
        with self._cond:
            self._poller += 1
            me = self._poller
            if "allowed_updates" in p:
                self._allowed = set(p["allowed_updates"]) or None
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            while not self._closing:
                if me != self._poller:
                    raise Rejected(
                        "Conflict: terminated by other getUpdates request; "
                        "make sure that only one bot instance is running",
                        409,
                    )
                ready = [u for u in self._updates if self._wanted(u)]
                left = deadline - time.monotonic()
                if ready or left <= 0:
                    return ready[:limit]
                self._cond.wait(left)
            return []

    def _wanted(self, update: dict[str, Any]) -> bool:
        kind = next(k for k in update if k != "update_id")
        return kind in self._allowed if self._allowed else kind not in DEFAULT_ALLOWED


def _decode_body(body: bytes, content_type: str, query: str) -> tuple[dict[str, Any], bool]:
    """Request parameters the ways Telegram takes them: query string, form, JSON or multipart."""
    params: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
    kind = content_type.split(";")[0].strip().lower()
    if kind == "application/json" and body:
        params.update(json.loads(body))
        return params, False
    if kind == "application/x-www-form-urlencoded":
        params.update(parse_qsl(body.decode(), keep_blank_values=True))
    elif kind == "multipart/form-data":
        head = f"Content-Type: {content_type}\r\n\r\n".encode()
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True)
            if part.get_content_maintype() == "text" and part.get_filename() is None:  # a field, in UTF-8
                payload = payload.decode(part.get_content_charset() or "utf-8")
            params[str(name)] = payload
    return params, True


def _loose(params: dict[str, Any]) -> dict[str, Any]:
    """Without the spec: JSON objects, arrays, booleans and numbers decoded, as the spec would."""
    out: dict[str, Any] = {}
    for name, value in params.items():
        out[name] = value
        if not isinstance(value, str) or name in STRING_PARAMS:
            continue
        if value[:1] in "[{" or value in ("true", "false") or re.fullmatch(r"-?\d{1,19}", value):
            with contextlib.suppress(ValueError):
                out[name] = json.loads(value)
    return out


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    wbufsize = 1 << 16  # an answer's headers and body leave in one write, at flush()

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        api: FakeBotApi = self.server.api  # type: ignore[attr-defined]
        status, payload, call = api.handle(self.path, body, self.headers.get("Content-Type", ""))
        if call is not None:
            api.hold_answer(call)
        data = json.dumps(payload).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            self.wfile.flush()
        except OSError:
            self.close_connection = True  # the client gave up (a cancelled long poll)
        if call is not None:
            api.sent_answer(call)

    do_GET = do_POST

    def log_message(self, format: str, *args: Any) -> None:
        pass


# -- updates as Telegram sends them ------------------------------------------------------------

USER = {"id": 1001, "is_bot": False, "first_name": "Ann", "language_code": "en"}
ZH_USER = {"id": 1002, "is_bot": False, "first_name": "李", "language_code": "zh-hans"}
ADMIN = {"id": 4242, "is_bot": False, "first_name": "Admin", "language_code": "en"}
OTHER_BOT = {"id": 777, "is_bot": True, "first_name": "Other", "username": "other_bot"}
GROUP = {"id": -1001234567890, "type": "supergroup", "title": "Live commerce fans"}

_message_ids = itertools.count(10_000)


def private_chat(user: dict[str, Any]) -> dict[str, Any]:
    return {"id": user["id"], "type": "private", "first_name": user["first_name"]}


def message(
    text: str | None = None, *, user: dict[str, Any] = USER, chat: dict[str, Any] | None = None, **extra: Any
) -> dict[str, Any]:
    """A Message object with the entities Telegram would add (bot commands, @mentions)."""
    msg: dict[str, Any] = {
        "message_id": next(_message_ids),
        "date": int(time.time()),
        "from": user,
        "chat": chat or private_chat(user),
        **extra,
    }
    if text is not None:
        msg["text"] = text
        entities = list(_entities(text))
        if entities:
            msg["entities"] = entities
    return msg


def _entities(text: str) -> Iterator[dict[str, Any]]:
    for match in re.finditer(r"(?<![\w/])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?|(?<!\w)@[A-Za-z0-9_]{5,32}", text):
        kind = "bot_command" if match.group().startswith("/") else "mention"
        if kind == "bot_command" and match.start() != 0:
            continue
        offset = rules.utf16_len(text[: match.start()])
        yield {"type": kind, "offset": offset, "length": rules.utf16_len(match.group())}


def callback(call: Call, data: str, *, user: dict[str, Any] = USER) -> dict[str, Any]:
    """A callback_query update: `user` pressed the button carrying `data` under a bot message."""
    return {
        "callback_query": {
            "id": str(next(_message_ids)),
            "from": user,
            "chat_instance": "42",
            "message": call.result,
            "data": data,
        }
    }


def inline(query: str, *, user: dict[str, Any] = USER) -> dict[str, Any]:
    return {"inline_query": {"id": str(next(_message_ids)), "from": user, "query": query, "offset": ""}}
