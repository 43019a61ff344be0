"""`livebot run`: settings, logging with secrets redacted, the live knowledge, one look at the Bot
API, SIGHUP reloads, then python-telegram-bot's run_polling or run_webhook until SIGTERM or Ctrl-C
(exit status 0).
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

log = logging.getLogger("bot.telegram.runner")

BOOTSTRAP_RETRIES = 3
UNREACHABLE = (httpx.ConnectError, httpx.ConnectTimeout)  # nothing answers at the address


def configure_logging(settings: Settings) -> None:
    """Logs to stderr at the configured level; every handler redacts the secrets, whatever logs them."""
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
    redact = RedactSecrets(settings.secrets)
    for handler in logging.getLogger().handlers:
        handler.addFilter(redact)
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
    app = build_application(settings, live)
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
        _run(app, settings)
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


def _run(app: App, settings: Settings) -> None:
    if settings.mode == "webhook":
        app.run_webhook(
            listen=settings.listen,
            port=settings.port,
            url_path=settings.url_path,
            webhook_url=settings.webhook_url,
            secret_token=settings.secret_token,
            allowed_updates=list(ALLOWED_UPDATES),
            drop_pending_updates=False,
            bootstrap_retries=BOOTSTRAP_RETRIES,
            close_loop=False,
        )
    else:
        app.run_polling(
            allowed_updates=list(ALLOWED_UPDATES),
            drop_pending_updates=False,
            bootstrap_retries=BOOTSTRAP_RETRIES,
            close_loop=False,
        )


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
