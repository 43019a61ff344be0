"""load_settings: the environment read in one place, with errors that name the variable and hide secrets."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import TELEGRAM_BASE_URL, Recording, Settings, data_dir_from, load_recording, load_settings
from bot.errors import ConfigError

TOKEN = "123456789:AAFakeTokenForTestsOnly_abcdefghijklmnop"


def test_minimal_environment_gives_polling_defaults():
    """Only a token: bundled knowledge, Telegram's URL, polling, no admins."""
    settings = load_settings({"TELEGRAM_BOT_TOKEN": TOKEN})
    assert settings == Settings(token=TOKEN, data_dir=data_dir_from({}))
    assert settings.base_url == TELEGRAM_BASE_URL and settings.mode == "polling"
    assert settings.bot_id == 123456789 and settings.knowledge_dir is None


def test_every_variable_is_read():
    """Admins, knowledge directory, API base URL and log level come from their variables."""
    settings = load_settings(
        {
            "TELEGRAM_BOT_TOKEN": f"  {TOKEN}\n",
            "LIVEBOT_ADMIN_IDS": " 12, 34,,",
            "LIVEBOT_KNOWLEDGE_DIR": "/srv/kb",
            "TELEGRAM_API_BASE_URL": "http://127.0.0.1:8081/bot",
            "LIVEBOT_LOG_LEVEL": "debug",
        }
    )
    assert settings.token == TOKEN and settings.admin_ids == {12, 34}
    assert settings.knowledge_dir == Path("/srv/kb") and settings.base_url == "http://127.0.0.1:8081/bot"
    assert settings.log_level == "DEBUG"


@pytest.mark.parametrize("value", [None, "", "   "])
def test_missing_token_names_the_variable(value):
    """No token is a ConfigError on TELEGRAM_BOT_TOKEN pointing to @BotFather."""
    env = {} if value is None else {"TELEGRAM_BOT_TOKEN": value}
    with pytest.raises(ConfigError, match=r"TELEGRAM_BOT_TOKEN: not set.*BotFather") as info:
        load_settings(env)
    assert info.value.name == "TELEGRAM_BOT_TOKEN"


@pytest.mark.parametrize(
    "token",
    [
        "abc:defghijklmnopqrstuvwxyz0123456789",
        "123456:short",
        "123456 AAFakeTokenForTestsOnly_abcdefghijkl",
        "123:AAFakeTokenForTestsOnly_abcdefghijklmnop/../x",
    ],
)
def test_malformed_token_is_refused_without_echoing_it(token):
    """A malformed token is refused, and the message never contains it."""
    with pytest.raises(ConfigError) as info:
        load_settings({"TELEGRAM_BOT_TOKEN": token})
    assert token not in str(info.value) and "does not look like a bot token" in str(info.value)


def test_token_is_not_in_the_settings_repr():
    """repr(Settings) leaves out the token and the webhook secret."""
    settings = load_settings(
        {"TELEGRAM_BOT_TOKEN": TOKEN, "LIVEBOT_WEBHOOK_SECRET": "hush-hush"},
        webhook=True,
        webhook_url="https://bot.example.org/hook",
    )
    assert TOKEN not in repr(settings) and "hush-hush" not in repr(settings)
    assert settings.secrets == (TOKEN, "hush-hush")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("LIVEBOT_ADMIN_IDS", "12,abc"),
        ("LIVEBOT_ADMIN_IDS", "-5"),
        ("TELEGRAM_API_BASE_URL", "127.0.0.1:8081/bot"),
        ("LIVEBOT_LOG_LEVEL", "LOUD"),
        ("LIVEBOT_WEBHOOK_PORT", "99999"),
        ("LIVEBOT_WEBHOOK_SECRET", "has space"),
    ],
)
def test_malformed_variables_name_themselves(name, value):
    """Each malformed variable gives a ConfigError that names it."""
    with pytest.raises(ConfigError) as info:
        load_settings({"TELEGRAM_BOT_TOKEN": TOKEN, name: value})
    assert info.value.name == name


def test_webhook_options_win_over_the_environment():
    """--webhook with options: URL, listen address, port and secret; the local path is the URL's path."""
    env = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "LIVEBOT_WEBHOOK_URL": "https://env.example.org/a",
        "LIVEBOT_WEBHOOK_PORT": "8000",
        "LIVEBOT_WEBHOOK_LISTEN": "0.0.0.0",
    }
    settings = load_settings(
        env, webhook=True, webhook_url="https://bot.example.org/tg/hook", port=9000, secret_token="abc_DEF-1"
    )
    assert settings.mode == "webhook" and settings.url_path == "/tg/hook"
    assert (settings.port, settings.listen, settings.secret_token) == (9000, "0.0.0.0", "abc_DEF-1")


def test_webhook_needs_a_public_https_url():
    """--webhook without a URL, or with plain http, is a ConfigError on LIVEBOT_WEBHOOK_URL."""
    with pytest.raises(ConfigError, match="LIVEBOT_WEBHOOK_URL: required"):
        load_settings({"TELEGRAM_BOT_TOKEN": TOKEN}, webhook=True)
    with pytest.raises(ConfigError, match="https"):
        load_settings({"TELEGRAM_BOT_TOKEN": TOKEN}, webhook=True, webhook_url="http://bot.example.org/hook")


def test_webhook_url_without_the_flag_stays_polling():
    """LIVEBOT_WEBHOOK_URL alone does not switch modes; --webhook does."""
    settings = load_settings({"TELEGRAM_BOT_TOKEN": TOKEN, "LIVEBOT_WEBHOOK_URL": "https://bot.example.org/h"})
    assert settings.mode == "polling" and settings.webhook_url is None


def test_recording_and_watch_settings_come_from_the_environment(tmp_path):
    """LIVEBOT_DATA_DIR, LIVEBOT_RECORD and LIVEBOT_WATCH are read; without them recording is on, watching off."""
    settings = load_settings(
        {"TELEGRAM_BOT_TOKEN": TOKEN, "LIVEBOT_DATA_DIR": str(tmp_path), "LIVEBOT_RECORD": "off", "LIVEBOT_WATCH": "1"}
    )
    assert (settings.data_dir, settings.record, settings.recording, settings.watch) == (tmp_path, False, False, True)
    default = load_settings({"TELEGRAM_BOT_TOKEN": TOKEN, "XDG_DATA_HOME": str(tmp_path)})
    assert (default.data_dir, default.recording, default.watch) == (tmp_path / "livebot", True, False)


def test_the_watch_option_wins_and_a_settings_built_by_hand_records_nothing():
    """--watch (watch=True) turns watching on whatever LIVEBOT_WATCH says; Settings(...) alone has no data directory."""
    assert load_settings({"TELEGRAM_BOT_TOKEN": TOKEN, "LIVEBOT_WATCH": "no"}, watch=True).watch
    assert not Settings(token=TOKEN).recording


@pytest.mark.parametrize(("name", "value"), [("LIVEBOT_WATCH", "sometimes"), ("LIVEBOT_RECORD", "maybe")])
def test_malformed_switches_name_themselves(name, value):
    """A switch that is neither a yes nor a no is a ConfigError naming it."""
    with pytest.raises(ConfigError) as info:
        load_settings({"TELEGRAM_BOT_TOKEN": TOKEN, name: value})
    assert info.value.name == name


def test_load_recording_needs_no_token(tmp_path):
    """The CLI's recording settings come from the same place without a bot token."""
    assert load_recording({"LIVEBOT_DATA_DIR": str(tmp_path), "LIVEBOT_RECORD": "0"}) == Recording(tmp_path, False)
