"""Settings for running the bot, read from the environment in one place: load_settings().

No Telegram import here. Error messages name the variable at fault and never echo a secret.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

from bot.errors import ConfigError

TELEGRAM_BASE_URL = "https://api.telegram.org/bot"
TOKEN_RE = re.compile(r"^(\d{1,20}):[A-Za-z0-9_-]{30,80}$")
SECRET_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
_FALSE = frozenset({"0", "false", "no", "off"})
_TRUE = frozenset({"1", "true", "yes", "on"})
# python-telegram-bot logs the API URL, token included, at DEBUG; httpx logs request URLs at INFO.
TOKEN_LOGGERS = ("telegram.Bot", "telegram.ext.ExtBot")
URL_LOGGERS = ("httpx", "httpcore")
DATABASE_SCHEMES = ("postgresql", "postgres")


@dataclass(frozen=True, slots=True)
class Recording:
    """Where questions are recorded for curators, and whether they are (LIVEBOT_DATA_DIR, LIVEBOT_RECORD,
    LIVEBOT_DATABASE_URL: a PostgreSQL database instead of the SQLite file in the data directory)."""

    data_dir: Path
    enabled: bool = True
    database_url: str | None = field(default=None, repr=False)


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything `livebot run` needs; tests and the benchmark build one directly.

    Questions are recorded only with a data_dir: load_settings() always gives one, so a Settings
    built by hand (a test, the benchmark) records nothing unless asked to.
    """

    token: str = field(repr=False)
    admin_ids: frozenset[int] = frozenset()
    knowledge_dir: Path | None = None
    base_url: str = TELEGRAM_BASE_URL
    webhook_url: str | None = None
    listen: str = "127.0.0.1"
    port: int = 8443
    secret_token: str | None = field(default=None, repr=False)
    log_level: str = "INFO"
    max_rate: float = 30.0  # messages per second, all chats together (Telegram's flood limit)
    group_max_rate: float = 20.0  # messages per minute in one group
    data_dir: Path | None = None  # where questions are recorded; None: nowhere
    record: bool = True
    database_url: str | None = field(default=None, repr=False)  # PostgreSQL, shared by replicas; wins over data_dir
    watch: bool = False  # swap in valid edits of the knowledge directory by itself
    context_seconds: float = 600.0  # a conversation silent this long starts afresh
    watch_interval: float = 1.0  # seconds between looks at the directory
    watch_settle: float = 1.0  # seconds the files must stay unchanged before they are read

    @property
    def recording(self) -> bool:
        return self.record and (self.data_dir is not None or self.database_url is not None)

    @property
    def mode(self) -> str:
        return "webhook" if self.webhook_url else "polling"

    @property
    def bot_id(self) -> int:
        """The bot's own user id, the token's numeric prefix."""
        return int(self.token.partition(":")[0])

    @property
    def url_path(self) -> str:
        """The path the webhook server listens on: the public URL's path, as a reverse proxy keeps it."""
        return urlsplit(self.webhook_url or "").path or "/"

    @property
    def secrets(self) -> tuple[str, ...]:
        """Strings that must never reach a log line or an error message."""
        return tuple(s for s in (self.token, self.secret_token, *database_secrets(self.database_url)) if s)


def load_settings(
    environ: Mapping[str, str] | None = None,
    *,
    webhook: bool = False,
    webhook_url: str | None = None,
    listen: str | None = None,
    port: int | None = None,
    secret_token: str | None = None,
    watch: bool = False,
    data_dir: Path | None = None,
    database_url: str | None = None,
) -> Settings:
    """Reads Settings from the environment (default os.environ); keyword options win over it.

    Raises ConfigError naming the first variable that is missing or malformed.
    """
    env = os.environ if environ is None else environ
    url = webhook_url or _get(env, "LIVEBOT_WEBHOOK_URL")
    secret = secret_token or _get(env, "LIVEBOT_WEBHOOK_SECRET")
    if webhook:
        _check_webhook_url(url)
    if secret is not None and not SECRET_TOKEN_RE.match(secret):
        raise ConfigError("LIVEBOT_WEBHOOK_SECRET", "use 1-256 characters from A-Z, a-z, 0-9, _ and -")
    recording = load_recording(env, database_url=database_url)
    return Settings(
        token=_token(env),
        admin_ids=_admin_ids(_get(env, "LIVEBOT_ADMIN_IDS") or ""),
        knowledge_dir=knowledge_dir_from(env),
        base_url=_base_url(_get(env, "TELEGRAM_API_BASE_URL") or TELEGRAM_BASE_URL),
        webhook_url=url if webhook else None,
        listen=listen or _get(env, "LIVEBOT_WEBHOOK_LISTEN") or "127.0.0.1",
        port=_port(str(port) if port is not None else _get(env, "LIVEBOT_WEBHOOK_PORT") or "8443"),
        secret_token=secret if webhook else None,
        log_level=_log_level(_get(env, "LIVEBOT_LOG_LEVEL") or "INFO"),
        data_dir=data_dir or recording.data_dir,
        record=recording.enabled,
        database_url=recording.database_url,
        watch=watch or _flag(env, "LIVEBOT_WATCH"),
    )


def load_recording(environ: Mapping[str, str] | None = None, *, database_url: str | None = None) -> Recording:
    """The recording settings alone, for commands that need no token (livebot ask, chat, gaps);
    `database_url` (--database-url) wins over LIVEBOT_DATABASE_URL.

    Raises ConfigError if LIVEBOT_RECORD is not a yes or a no, or the database URL is not PostgreSQL's.
    """
    env = os.environ if environ is None else environ
    url = database_url or _get(env, "LIVEBOT_DATABASE_URL")
    return Recording(data_dir=data_dir_from(env), enabled=recording_enabled(env), database_url=_database_url(url))


def knowledge_dir_from(environ: Mapping[str, str] | None = None) -> Path | None:
    """$LIVEBOT_KNOWLEDGE_DIR if set, else None: the bundled knowledge."""
    value = _get(os.environ if environ is None else environ, "LIVEBOT_KNOWLEDGE_DIR")
    return Path(value).expanduser() if value else None


def history_path(environ: Mapping[str, str] | None = None) -> Path:
    """Where `livebot chat` keeps its line history: $LIVEBOT_HISTORY, else ~/.livebot_history."""
    env = os.environ if environ is None else environ
    value = _get(env, "LIVEBOT_HISTORY")
    if value:
        return Path(value).expanduser()
    home = _get(env, "HOME")
    return (Path(home) if home else Path.home()) / ".livebot_history"


def default_data_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The per-user data directory: $XDG_DATA_HOME/livebot, else ~/.local/share/livebot."""
    env = os.environ if environ is None else environ
    base = env.get("XDG_DATA_HOME", "").strip()
    return (Path(base).expanduser() if base else Path.home() / ".local" / "share") / "livebot"


def data_dir_from(environ: Mapping[str, str]) -> Path:
    """$LIVEBOT_DATA_DIR if set, else default_data_dir()."""
    value = environ.get("LIVEBOT_DATA_DIR", "").strip()
    return Path(value).expanduser() if value else default_data_dir(environ)


def recording_enabled(environ: Mapping[str, str]) -> bool:
    """$LIVEBOT_RECORD: on unless 0/false/no/off; raises ConfigError for anything else."""
    value = environ.get("LIVEBOT_RECORD", "").strip().casefold()
    if value in _FALSE:
        return False
    if not value or value in _TRUE:
        return True
    raise ConfigError("LIVEBOT_RECORD", f"{value!r} is not one of 1, 0, true, false, yes, no, on, off")


def _database_url(url: str | None) -> str | None:
    if url is None:
        return None
    parts = urlsplit(url)
    if parts.scheme not in DATABASE_SCHEMES:
        raise ConfigError(
            "LIVEBOT_DATABASE_URL", "expected a postgresql://user:password@host:port/database URL (unset: SQLite)"
        )
    return url


def database_secrets(url: str | None) -> tuple[str, ...]:
    """The password in a database URL, as typed and decoded: () without one."""
    if not url:
        return ()
    parts = urlsplit(url)
    query = dict(p.partition("=")[::2] for p in parts.query.split("&") if p)
    password = parts.password or query.get("password")
    return tuple(dict.fromkeys((password, unquote(password)))) if password else ()


def redacted_url(url: str) -> str:
    """A database URL fit for a log line: its password, and any other secret option, replaced by ***."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if parts.password is not None:
        user, _, host = netloc.rpartition("@")
        netloc = f"{user.partition(':')[0]}:***@{host}"
    query = "&".join(
        f"{key}=***" if key in ("password", "passfile", "sslpassword") else f"{key}={value}"
        for key, _, value in (p.partition("=") for p in parts.query.split("&") if p)
    )
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def _get(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(name, "").strip()
    return value or None


def _flag(env: Mapping[str, str], name: str) -> bool:
    value = (_get(env, name) or "0").casefold()
    if value not in _FALSE | _TRUE:
        raise ConfigError(name, f"{value!r} is not one of 1, 0, true, false, yes, no, on, off")
    return value in _TRUE


def _token(env: Mapping[str, str]) -> str:
    token = _get(env, "TELEGRAM_BOT_TOKEN")
    if token is None:
        raise ConfigError("TELEGRAM_BOT_TOKEN", "not set; create a bot with @BotFather and export its token")
    if not TOKEN_RE.match(token):
        raise ConfigError(
            "TELEGRAM_BOT_TOKEN",
            "does not look like a bot token (expected the '<digits>:<35 characters>' form @BotFather gives)",
        )
    return token


def _admin_ids(value: str) -> frozenset[int]:
    ids = set()
    for item in (part.strip() for part in value.split(",")):
        if not item:
            continue
        if not item.isdigit() or int(item) <= 0:
            raise ConfigError("LIVEBOT_ADMIN_IDS", f"{item!r} is not a Telegram user id (a positive whole number)")
        ids.add(int(item))
    return frozenset(ids)


def _base_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(
            "TELEGRAM_API_BASE_URL", "expected an http(s) URL the token is appended to, like http://127.0.0.1:8081/bot"
        )
    return value


def _check_webhook_url(url: str | None) -> None:
    if url is None:
        raise ConfigError(
            "LIVEBOT_WEBHOOK_URL", "required with --webhook: the public HTTPS URL Telegram posts updates to"
        )
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.netloc:
        raise ConfigError("LIVEBOT_WEBHOOK_URL", "Telegram only posts to https:// URLs")


def _port(value: str) -> int:
    if not value.isdigit() or not 0 < int(value) < 65536:
        raise ConfigError("LIVEBOT_WEBHOOK_PORT", f"{value!r} is not a port number (1-65535)")
    return int(value)


def _log_level(value: str) -> str:
    level = value.upper()
    if level not in LOG_LEVELS:
        raise ConfigError("LIVEBOT_LOG_LEVEL", f"{value!r} is not one of {', '.join(LOG_LEVELS)}")
    return level


class RedactSecrets(logging.Filter):
    """Replaces every secret in a record's message, traceback and stack with '[redacted]'."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self.secrets = tuple(s for s in secrets if s)

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "[redacted]")
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = self.redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def protect_logs(secrets: Iterable[str]) -> None:
    """Keeps secrets out of the loggers known to print them: httpx and httpcore go to WARNING,
    python-telegram-bot's Bot loggers get a RedactSecrets filter (replacing any earlier one)."""
    for name in URL_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    redact = RedactSecrets(secrets)
    for name in TOKEN_LOGGERS:
        logger = logging.getLogger(name)
        for old in [f for f in logger.filters if isinstance(f, RedactSecrets)]:
            logger.removeFilter(old)
        logger.addFilter(redact)
