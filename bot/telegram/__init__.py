"""The Telegram front end: python-telegram-bot handlers, admin commands, sending, formatting and
the bot's own words; `livebot run`. The only package that imports python-telegram-bot.
"""

from bot.telegram.handlers import ALLOWED_UPDATES, App, build_application

__all__ = ["ALLOWED_UPDATES", "App", "build_application"]
