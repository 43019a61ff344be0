"""The webhook server of `livebot run --webhook`: Telegram's POSTs, each update put on the
Application's update_queue, as python-telegram-bot's custom webhook example does with any asyncio
web server (here tornado, which python-telegram-bot's own webhook server runs on).

Unlike that server, it judges a request by its headers before reading a byte of the body: without
the secret token it gets 403, and a body declared far bigger than any update (Telegram's are
kilobytes) 413, so junk costs neither memory nor time. A body that is empty, not UTF-8, not JSON or
no update gets 400; at DEBUG level an update is logged cut to LOGGED_BYTES.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from http import HTTPStatus
from typing import Any

from telegram import Bot, Update
from tornado.httpserver import HTTPServer
from tornado.web import Application, HTTPError, RequestHandler, stream_request_body

log = logging.getLogger(__name__)

MAX_UPDATE_BYTES = 1 << 20  # far beyond any update Telegram sends: those are kilobytes
LOGGED_BYTES = 500  # of a webhook body, at DEBUG
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class WebhookServer:
    """Serves `path` on listen:port, putting each update Telegram posts on `queue`."""

    def __init__(self, bot: Bot, queue: asyncio.Queue[object], path: str, secret: str | None) -> None:
        options = {"bot": bot, "queue": queue, "path": path.rstrip("/"), "secret": secret}
        app = Application([(r".*", UpdateHandler, options)], log_function=_log_request)
        self._server = HTTPServer(app)

    def start(self, listen: str, port: int) -> None:
        self._server.listen(port, address=listen)

    async def stop(self) -> None:
        """Stops listening and closes the open connections; updates already queued are still answered."""
        self._server.stop()
        await self._server.close_all_connections()


@stream_request_body
class UpdateHandler(RequestHandler):
    """One POST from Telegram, checked on its headers (prepare) before its body arrives."""

    SUPPORTED_METHODS = ("POST",)

    def initialize(self, bot: Bot, queue: asyncio.Queue[object], path: str, secret: str | None) -> None:
        self.bot = bot
        self.queue = queue
        self.path = path
        self.secret = secret
        self.body = bytearray()

    def prepare(self) -> None:
        """Refuses a request on its headers: another path (404), no or a wrong secret (403), a body
        declared too big (413). Otherwise caps what the body may grow to, even without a length."""
        if self.request.path.rstrip("/") != self.path:
            raise HTTPError(HTTPStatus.NOT_FOUND)
        given = self.request.headers.get(SECRET_HEADER, "")
        if self.secret is not None and not hmac.compare_digest(given.encode(), self.secret.encode()):
            log.debug("webhook: refused a request from %s without the secret token", self.request.remote_ip)
            raise HTTPError(HTTPStatus.FORBIDDEN)
        declared = self.request.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > MAX_UPDATE_BYTES:
            log.warning("webhook: refused a body of %s bytes, more than %d", declared, MAX_UPDATE_BYTES)
            raise HTTPError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
        self.request.connection.set_max_body_size(MAX_UPDATE_BYTES)  # type: ignore[union-attr]

    def data_received(self, chunk: bytes) -> None:
        self.body += chunk

    async def post(self) -> None:
        body = bytes(self.body)
        log.debug("webhook body, %d bytes: %r", len(body), body[:LOGGED_BYTES])
        await self.queue.put(parse_update(body, self.bot))

    def log_exception(self, *exc_info: Any) -> None:
        """Refusals are logged where they are made; anything else is a bug, logged with its traceback."""
        if not isinstance(exc_info[1], HTTPError):
            log.error("webhook: %s failed", self.request.method, exc_info=exc_info)


def parse_update(body: bytes, bot: Bot) -> Update:
    """The Update a webhook body holds; HTTPError 400 for a body that is empty, not UTF-8, not JSON
    or not an update.

    Update.de_json raises whatever a field of the wrong shape leads to (TypeError, KeyError,
    AttributeError, ...), all of them the sender's fault here, hence the broad except.
    """
    try:
        data = json.loads(body.decode("utf-8"))
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise _bad_update(f"not UTF-8 JSON ({type(exc).__name__})", body) from None
    if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
        raise _bad_update("JSON but no update", body)
    try:
        return Update.de_json(data, bot)
    except Exception as exc:
        raise _bad_update(f"no update ({type(exc).__name__})", body) from None


def _bad_update(reason: str, body: bytes) -> HTTPError:
    log.warning("webhook: refused a body of %d bytes: %s", len(body), reason)
    return HTTPError(HTTPStatus.BAD_REQUEST)


def _log_request(handler: RequestHandler) -> None:
    log.debug("webhook: %s %s", handler.get_status(), handler.request.method)
