"""The admin commands /reload, /gaps and /stats: for the user ids in settings.admin_ids only;
anyone else gets a polite refusal and the attempt is logged with their user id.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import Message, Update
from telegram.ext import ContextTypes

from bot.config import Settings
from bot.curation.loop import Curation
from bot.curation.reload import LiveEngine, summary
from bot.curation.store import RecordsError
from bot.telegram import formatting as fmt
from bot.telegram import reports
from bot.telegram.sending import send, user_language
from bot.telegram.texts import ui

# Logged under the name these commands had inside bot.telegram.handlers, so log filters keep working.
log = logging.getLogger("bot.telegram.handlers")

Context = ContextTypes.DEFAULT_TYPE


class Admin:
    """The admin command callbacks, bound to the settings (admin_ids, mode), the live engine they
    reload and the curation whose records they report on. bot.telegram.handlers registers them."""

    def __init__(self, settings: Settings, live: LiveEngine, curation: Curation) -> None:
        self.settings = settings
        self.live = live
        self.curation = curation

    async def reload(self, update: Update, context: Context) -> None:
        """Admins reload the knowledge; anyone else is refused and the attempt logged."""
        message = await self._admin(update, "reload")
        if message is None:
            return
        language = user_language(update)
        result = await asyncio.to_thread(self.live.reload)
        user_id = update.effective_user.id if update.effective_user else None
        log.log(logging.INFO if result.ok else logging.WARNING, "/reload by user id %s: %s", user_id, summary(result))
        blocks = fmt.reload_blocks(result, self.live.loaded_at, language)
        if self.settings.mode == "webhook":
            blocks += fmt.paragraphs(ui(language, "replica-watch" if self.settings.watch else "replica"))
        await send(message, blocks)

    async def gaps(self, update: Update, context: Context) -> None:
        """/gaps [DAYS], admins only: the ten most asked questions the bot could not answer well."""
        await self._report(update, context, "gaps")

    async def stats(self, update: Update, context: Context) -> None:
        """/stats [DAYS], admins only: questions answered and declined, by channel and day."""
        await self._report(update, context, "stats")

    async def _report(self, update: Update, context: Context, command: str) -> None:
        message = await self._admin(update, command)
        if message is None:
            return
        language = user_language(update)
        try:
            days = since_days(context.args)
        except ValueError:
            await send(message, fmt.paragraphs(ui(language, "days-usage").format(command=command)))
            return
        try:
            if command == "gaps":
                found = await self.curation.gaps(days)
                blocks = None if found is None else reports.gaps_blocks(found, language, days)
            else:
                counted = await self.curation.stats(days)
                blocks = None if counted is None else reports.stats_blocks(counted, language, days)
        except RecordsError as exc:
            await send(message, fmt.paragraphs(ui(language, "records-unreadable").format(error=exc)))
            return
        if blocks is None:
            blocks = fmt.paragraphs(ui(language, "no-data-dir"))
        elif not self.curation.recording:
            blocks = fmt.paragraphs(ui(language, "recording-off")) + blocks
        await send(message, blocks)

    async def _admin(self, update: Update, command: str) -> Message | None:
        """The command's message if an admin sent it; anyone else is refused politely and logged."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None:
            return None
        if user.id in self.settings.admin_ids:
            return message
        log.warning("refused /%s from user id %s", command, user.id)
        await send(message, fmt.paragraphs(ui(user_language(update), "admin-only").format(command=command)))
        return None


def since_days(args: list[str] | None) -> int | None:
    """The optional DAYS of /gaps and /stats: None for none; ValueError unless one whole number >= 1."""
    if not args:
        return None
    if len(args) != 1 or not args[0].isascii() or not args[0].isdigit() or not 1 <= int(args[0]) <= 36_500:
        raise ValueError(args)
    return int(args[0])
