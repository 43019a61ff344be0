"""`livebot run`: settings, logging with secrets redacted and long lines cut, the live knowledge,
one look at the Bot API, SIGHUP reloads, then python-telegram-bot's run_polling, or the same steps
around bot.telegram.webhook's server, until SIGTERM or Ctrl-C (exit status 0).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys

import httpx
from telegram.error import InvalidToken, NetworkError, TelegramError

from bot.config import RedactSecrets, Settings, load_settings, protect_logs
from bot.curation.reload import LiveEngine, summary
from bot.errors import ConfigError, KnowledgeError
from bot.telegram.handlers import ALLOWED_UPDATES, App, build_application
from bot.telegram.sending import JsonRequest
from bot.telegram.webhook import WebhookServer

log = logging.getLogger("bot.telegram.runner")

BOOTSTRAP_RETRIES = 3
UNREACHABLE = (httpx.ConnectError, httpx.ConnectTimeout)  # nothing answers at the address
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
LOG_LINE_LIMIT = 8192  # characters of one log message; python-telegram-bot logs whole updates at DEBUG


class CapLength(logging.Filter):
    """Cuts a log message beyond `limit` characters, saying how long it was, so that no update or
    reply, however large, floods the log."""

    def __init__(self, limit: int = LOG_LINE_LIMIT) -> None:
        super().__init__()
        self.limit = limit

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if len(message) > self.limit:
            record.msg, record.args = f"{message[: self.limit]}… ({len(message)} characters)", None
        return True


def configure_logging(settings: Settings) -> None:
    """Logs to stderr at the configured level; every handler redacts the secrets, whatever logs them."""
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
    redact, cap = RedactSecrets(settings.secrets), CapLength()
    for handler in logging.getLogger().handlers:
        handler.addFilter(redact)
        handler.addFilter(cap)  # after redact, so no secret is cut in two
    protect_logs(settings.secrets)


def main(args: argparse.Namespace) -> int:
    """Runs the bot until a stop signal; returns 0 then. Raises BotError if it cannot start."""
    settings = load_settings(
        webhook=args.webhook,
        webhook_url=args.webhook_url,
        listen=args.listen,
        port=args.port,
        secret_token=args.secret_token,
        watch=args.watch,
        data_dir=args.data_dir,
        database_url=args.database_url,
    )
    configure_logging(settings)
    try:
        live = LiveEngine.load(settings.knowledge_dir)
    except KnowledgeError as exc:
        for problem in exc.problems:
            log.error("  %s", problem)
        raise
    app = build_application(settings, live, with_updater=settings.mode == "polling")
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    tasks: set[asyncio.Task[None]] = set()

    def on_hangup() -> None:
        task = loop.create_task(reload_on_signal(live))
        tasks.add(task)
        task.add_done_callback(tasks.discard)

    hangup = getattr(signal, "SIGHUP", None)  # POSIX only
    if hangup is not None:
        loop.add_signal_handler(hangup, on_hangup)
    try:
        loop.run_until_complete(look_at_api(settings))
        _run(app, settings, loop)
    except InvalidToken:
        raise ConfigError("TELEGRAM_BOT_TOKEN", "the Bot API rejected the token; check it with @BotFather") from None
    except TelegramError as exc:
        message = RedactSecrets(settings.secrets).redact(str(exc))
        raise ConfigError("TELEGRAM_API_BASE_URL", f"could not start the bot: {message}") from None
    finally:
        if hangup is not None:
            loop.remove_signal_handler(hangup)
        loop.close()
    log.info("stopped")
    return 0


def _run(app: App, settings: Settings, loop: asyncio.AbstractEventLoop) -> None:
    if settings.mode == "webhook":
        loop.run_until_complete(serve_webhook(app, settings))
    else:
        app.run_polling(
            allowed_updates=list(ALLOWED_UPDATES),
            drop_pending_updates=False,
            bootstrap_retries=BOOTSTRAP_RETRIES,
            close_loop=False,
        )


async def serve_webhook(app: App, settings: Settings) -> None:
    """What run_webhook does, around bot.telegram.webhook's server: start the application, set the
    webhook, serve it until SIGTERM or SIGINT, then stop serving, answer what was queued, shut down."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in STOP_SIGNALS:
        loop.add_signal_handler(sig, stop.set)
    server = WebhookServer(app.bot, app.update_queue, settings.url_path, settings.secret_token)
    assert app.post_init is not None and app.post_shutdown is not None and settings.webhook_url is not None
    try:
        async with app:
            await app.post_init(app)
            await app.bot.set_webhook(
                settings.webhook_url,
                secret_token=settings.secret_token,
                allowed_updates=list(ALLOWED_UPDATES),
                drop_pending_updates=False,
            )
            listen(server, settings)
            await app.start()
            try:
                await stop.wait()
            finally:
                await server.stop()
                await app.stop()
    finally:
        await app.post_shutdown(app)
        for sig in STOP_SIGNALS:
            loop.remove_signal_handler(sig)


def listen(server: WebhookServer, settings: Settings) -> None:
    """Starts the webhook server; raises ConfigError if the address is taken or cannot be bound."""
    try:
        server.start(settings.listen, settings.port)
    except OSError as exc:
        where = f"{settings.listen}:{settings.port}"
        raise ConfigError("LIVEBOT_WEBHOOK_PORT", f"cannot listen on {where}: {exc.strerror}") from None
    log.info("serving the webhook on %s:%d at %s", settings.listen, settings.port, settings.url_path)


async def look_at_api(settings: Settings) -> None:
    """One getMe, without retries, before the bot starts: raises ConfigError at once when nothing
    answers at the Bot API's address, rather than after minutes of retries.

    Whatever else goes wrong (a slow answer, a 5xx, a rejected token) is left to the start-up of
    run_polling or run_webhook: an API that is there but slow or briefly failing gets its retries.
    """
    request = JsonRequest(1)
    try:
        await request.initialize()
        await request.post(f"{settings.base_url}{settings.token}/getMe")
    except NetworkError as exc:
        if isinstance(exc.__cause__, UNREACHABLE):
            where = RedactSecrets(settings.secrets).redact(settings.base_url)
            raise ConfigError("TELEGRAM_API_BASE_URL", f"cannot reach the Bot API at {where} ({exc.message})") from None
    except TelegramError:
        pass
    finally:
        await request.shutdown()


async def reload_on_signal(live: LiveEngine) -> None:
    """SIGHUP: the same reload as /reload, its outcome and every problem logged."""
    result = await asyncio.to_thread(live.reload)
    log.log(logging.INFO if result.ok else logging.WARNING, "SIGHUP: %s", summary(result))
    for problem in result.problems:
        log.warning("  %s", problem)
