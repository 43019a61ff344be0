"""python-telegram-bot callbacks and build_application(): the Telegram edge of livebot.

Every answer comes from the live Engine (bot.reload.LiveEngine), every word of formatting from
bot.telegram.formatting, and the sending from bot.telegram.sending; the callbacks here only decide whether a message is
for the bot, hand typed questions and votes to bot.curation.loop for the curators, then send. The admin
commands (/reload, /gaps, /stats) live in bot.telegram.admin and are registered here.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from telegram import (
    BotCommand,
    CallbackQuery,
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    LinkPreviewOptions,
    Message,
    Update,
)
from telegram.constants import ChatType, ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest

from bot.config import Settings, protect_logs
from bot.curation.loop import Curation
from bot.curation.reload import LiveEngine
from bot.knowledge import counts_text
from bot.telegram import formatting as fmt
from bot.telegram.admin import Admin
from bot.telegram.conversations import Conversations
from bot.telegram.photos import send_chart
from bot.telegram.sending import (
    SEND_READ_TIMEOUT,
    JsonRequest,
    PatientRateLimiter,
    keyboard_of,
    markup,
    quiet_raw_sends,
    send,
    transient,
    user_language,
)
from bot.telegram.texts import COMMANDS, language_of, ui

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ("message", "edited_message", "callback_query", "inline_query")
INLINE_CACHE_SECONDS = 5  # short, so a reload shows in inline results within seconds
START_PARAMETER = "inline"  # deep link from the inline 'ask me in a private chat' button

Context = ContextTypes.DEFAULT_TYPE
App = Application[Any, Any, Any, Any, Any, Any]


class FromBot(filters.MessageFilter):
    """Messages whose sender is a bot (anonymous group admins, who post as the group, are people)."""

    def filter(self, message: Message) -> bool:
        user = message.from_user
        anonymous_admin = message.sender_chat is not None and message.sender_chat.id == message.chat.id
        return user is not None and user.is_bot and not anonymous_admin


class LiveBot:
    """The callbacks, bound to the settings, the live engine they answer from and the curation
    (recording, watching) running beside them."""

    def __init__(self, settings: Settings, live: LiveEngine, curation: Curation) -> None:
        self.settings = settings
        self.live = live
        self.curation = curation
        self.admin = Admin(settings, live, curation)
        self.conversations = Conversations(settings.context_seconds)

    def register(self, app: App) -> None:
        message = filters.UpdateType.MESSAGE
        private = message & filters.ChatType.PRIVATE
        app.add_handler(MessageHandler(filters.UpdateType.MESSAGES & (FromBot() | filters.VIA_BOT), self.drop), -1)
        for name, callback in (
            ("start", self.start),
            ("help", self.help),
            ("about", self.about),
            ("topics", self.topics),
            ("ask", self.ask),
            ("compare", self.compare),
            ("reload", self.admin.reload),
            ("gaps", self.admin.gaps),
            ("stats", self.admin.stats),
        ):
            app.add_handler(CommandHandler(name, callback, filters=message))
        app.add_handler(MessageHandler(private & filters.COMMAND, self.unknown_command))
        app.add_handler(MessageHandler(private & filters.TEXT, self.question))
        app.add_handler(MessageHandler(message & filters.ChatType.GROUPS & filters.TEXT, self.group_text))
        app.add_handler(MessageHandler(private & ~filters.StatusUpdate.ALL, self.not_text))
        app.add_handler(MessageHandler(filters.UpdateType.EDITED_MESSAGE, self.drop))
        app.add_handler(CallbackQueryHandler(self.button))
        app.add_handler(InlineQueryHandler(self.inline))
        app.add_error_handler(self.on_error)

    async def on_startup(self, app: App) -> None:
        """Registers the command menu (English default and Chinese), starts recording and watching,
        and logs one ready line. The admin commands stay out of the menu everyone sees."""
        for language, commands in COMMANDS.items():
            try:
                await app.bot.set_my_commands(
                    [BotCommand(c, d) for c, d in commands], language_code=None if language == "en" else language
                )
            except TelegramError as exc:
                log.warning("could not set the %s command menu: %s", language, exc)
        await self.curation.start()
        counts = counts_text(self.live.engine.kb.counts())
        log.info("livebot @%s ready: %s; mode %s", app.bot.username, counts, self.settings.mode)

    async def on_shutdown(self, app: App) -> None:
        """Stops watching, writes the recorded questions still buffered and closes the database."""
        await self.curation.stop()

    async def drop(self, update: Update, context: Context) -> None:
        """Ignores other bots' messages, our own inline results and edits, on purpose."""
        log.debug("ignored update %s", update.update_id)
        raise ApplicationHandlerStop

    async def start(self, update: Update, context: Context) -> None:
        await self._greet(update, "你好" if user_language(update) == "zh" else "hello")

    async def help(self, update: Update, context: Context) -> None:
        await self._greet(update, "帮助" if user_language(update) == "zh" else "help")

    async def _greet(self, update: Update, words: str) -> None:
        message = update.effective_message
        if message is None:
            return
        engine = self.live.engine
        answer = engine.ask(words)
        blocks = fmt.help_blocks(answer, message.get_bot().username)
        await send(message, blocks, fmt.answer_keyboard(answer, engine.kb))

    async def about(self, update: Update, context: Context) -> None:
        if update.effective_message:
            blocks = fmt.about_blocks(self.live.engine.kb, self.live.loaded_at, user_language(update))
            await send(update.effective_message, blocks)

    async def topics(self, update: Update, context: Context) -> None:
        if update.effective_message:
            blocks, keyboard = fmt.topics_message(self.live.engine, user_language(update))
            await send(update.effective_message, blocks, keyboard)

    async def ask(self, update: Update, context: Context) -> None:
        """/ask QUESTION, in any chat; /ask alone explains itself."""
        message = update.effective_message
        if message is None or message.text is None:
            return
        parts = message.text.split(maxsplit=1)
        if len(parts) < 2:
            await send(message, fmt.paragraphs(ui(user_language(update), "ask-usage")))
            return
        await self._answer(message, parts[1])

    async def compare(self, update: Update, context: Context) -> None:
        """/compare A B, in any chat: every measure both have figures of, side by side, then the chart."""
        message = update.effective_message
        if message is None or message.text is None:
            return
        names = fmt.compare_names((message.text.split(maxsplit=1) + [""])[1])
        if names is None:
            await send(message, fmt.paragraphs(ui(user_language(update), "compare-usage")))
            return
        engine = self.live.engine
        answer = engine.compare(*names, fmt.names_language(names, user_language(update)))
        self.curation.record("private" if message.chat.type == ChatType.PRIVATE else "group", answer)
        await send(message, fmt.answer_blocks(answer), fmt.answer_keyboard(answer, engine.kb))
        await send_chart(message, answer)

    async def question(self, update: Update, context: Context) -> None:
        """Any text in a private chat is a question."""
        message = update.effective_message
        if message is not None and message.text is not None:
            await self._answer(message, message.text)

    async def group_text(self, update: Update, context: Context) -> None:
        """In groups, answers only replies to the bot and mentions of it."""
        message = update.effective_message
        if message is None or message.text is None:
            return
        bot = message.get_bot()
        replied = message.reply_to_message
        to_bot = replied is not None and replied.from_user is not None and replied.from_user.id == bot.id
        mention = re.compile(rf"@{re.escape(bot.username)}\b", re.IGNORECASE)
        mentioned = any(mention.fullmatch(text) for text in message.parse_entities(["mention"]).values()) or any(
            e.user is not None and e.user.id == bot.id for e in message.entities if e.type == "text_mention"
        )
        if to_bot or mentioned:
            await self._answer(message, mention.sub(" ", message.text))

    async def not_text(self, update: Update, context: Context) -> None:
        """A sticker, photo or other non-text message in a private chat gets one short hint."""
        if update.effective_message:
            await send(update.effective_message, fmt.paragraphs(ui(user_language(update), "text-only")))

    async def unknown_command(self, update: Update, context: Context) -> None:
        message = update.effective_message
        if message is None or message.text is None:
            return
        command = message.text.split(maxsplit=1)[0]
        if "@" not in command or command.lower().endswith("@" + message.get_bot().username.lower()):
            await send(message, fmt.paragraphs(ui(user_language(update), "unknown-command")))

    async def button(self, update: Update, context: Context) -> None:
        """Opens a suggestion, an entity or a fact's full source, as a new message."""
        query = update.callback_query
        if query is None:
            return
        vote = fmt.parse_vote(query.data or "")
        if vote is not None:
            await self._vote(query, *vote)
            return
        parsed = fmt.parse_callback(query.data or "")
        if parsed is None or not isinstance(query.message, Message):
            await query.answer(ui(language_of(query.from_user.language_code), "expired"))
            return
        action, language, ref = parsed
        engine = self.live.engine
        answer = engine.open(ref, language) if action == "o" else engine.source_of(ref, language)
        if answer is None:
            await query.answer(ui(language, "gone"))
            return
        await query.answer()
        keyboard = fmt.answer_keyboard(answer, engine.kb, sources=action == "o")
        await send(query.message, fmt.answer_blocks(answer), keyboard, quote=False)

    async def _vote(self, query: CallbackQuery, row_id: int, value: int) -> None:
        """👍 or 👎 under an answer: kept (a later press replaces it) and shown as the current vote;
        a button for an answer never recorded says it no longer works, like other stale buttons."""
        language = language_of(query.from_user.language_code)
        result = await self.curation.vote(row_id, value)
        if result != "kept":
            await query.answer(ui(language, "vote-off" if result == "off" else "expired"))
            return
        await query.answer(ui(language, "vote-thanks"))
        message = query.message
        if isinstance(message, Message) and message.reply_markup is not None:
            old = keyboard_of(message.reply_markup)
            new = fmt.voted(old, row_id, value)
            if new != old:  # Telegram refuses an edit that changes nothing
                await query.edit_message_reply_markup(markup(new))

    async def inline(self, update: Update, context: Context) -> None:
        """Inline mode: up to ten articles; a miss also offers a private chat. The question a user
        settles on is recorded, not every keystroke (see bot.curation.debounce)."""
        query = update.inline_query
        if query is None:
            return
        language = language_of(query.from_user.language_code)
        engine = self.live.engine
        answer = engine.ask(query.query) if query.query.strip() else None
        articles, known = fmt.inline_articles(engine, query.query, language, answer)
        if answer is not None:  # before the first await, so a user's keystrokes are offered in order
            self.curation.record_inline(query.from_user.id, answer)
        results = [
            InlineQueryResultArticle(
                id=a.id,
                title=a.title,
                description=a.description or None,
                input_message_content=InputTextMessageContent(a.html, parse_mode=ParseMode.HTML),
            )
            for a in articles
        ]
        button = None if known else InlineQueryResultsButton(ui(language, "open-chat"), start_parameter=START_PARAMETER)
        personal = not query.query.strip()  # the empty query's topics follow the user's language
        await query.answer(results, cache_time=INLINE_CACHE_SECONDS, is_personal=personal, button=button)

    async def on_error(self, update: object, context: Context) -> None:
        """Logs what failed, an update or fetching them: expected trouble with Telegram (the network,
        a user who blocked the bot, another poller) in one warning line, anything else with its traceback."""
        what = f"update {update.update_id}" if isinstance(update, Update) else "fetching updates"
        error = context.error
        if transient(error):
            log.warning("%s failed: %s (%s)", what, error, type(error).__name__)
        else:
            log.error("%s failed: %s", what, type(error).__name__, exc_info=error)

    async def _answer(self, message: Message, question: str) -> None:
        """Answers a typed question, as a follow-up of the conversation's last turn (or of the answer
        it replies to), and records it; in a private chat an answer gets 👍/👎."""
        engine = self.live.engine
        private = message.chat.type == ChatType.PRIVATE
        key = Conversations.key(message.chat.id, message.from_user.id if message.from_user else None, private)
        replied = message.reply_to_message
        answer = engine.ask(question, self.conversations.context(key, replied.message_id if replied else None))
        row_id = self.curation.record("private" if private else "group", answer)
        keyboard = fmt.answer_keyboard(answer, engine.kb)
        if private and answer.answered:
            keyboard = fmt.with_votes(keyboard, row_id)
        sent = await send(message, fmt.answer_blocks(answer), keyboard)
        self.conversations.keep(key, answer.context, sent)
        await send_chart(message, answer)


def build_application(
    settings: Settings, live: LiveEngine, *, request: BaseRequest | None = None, with_updater: bool = True
) -> App:
    """The Application with every handler registered, flood limits, pacing and retries, JSON
    requests that wait SEND_READ_TIMEOUT for Telegram's answer (unless given `request`), HTML by
    default; its post_init starts recording (settings.data_dir) and watching (settings.watch),
    post_shutdown stops them. Without an updater, something else feeds app.update_queue (webhooks).

    First keeps the token out of the loggers that would print it (see config.protect_logs).
    """
    protect_logs(settings.secrets)
    quiet_raw_sends()
    callbacks = LiveBot(settings, live, Curation(settings, live))
    builder = (
        ApplicationBuilder()
        .token(settings.token)
        .base_url(settings.base_url)
        .defaults(Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)))
        .rate_limiter(PatientRateLimiter(settings.max_rate, settings.group_max_rate))
        .concurrent_updates(True)
        .post_init(callbacks.on_startup)
        .post_shutdown(callbacks.on_shutdown)
    )
    builder = builder.request(request if request is not None else JsonRequest(read_timeout=SEND_READ_TIMEOUT))
    builder = builder.get_updates_request(JsonRequest(1)) if with_updater else builder.updater(None)
    app: App = builder.build()
    callbacks.register(app)
    return app
