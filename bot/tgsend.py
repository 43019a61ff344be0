"""Sending bot.tgformat blocks through python-telegram-bot: HTML parts with the buttons under the
last one, the buttons back from a message, and the language a user reads.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, ReplyParameters, Update

from bot import tgformat as fmt
from bot.uitext import language_of


async def send(
    message: Message, blocks: list[fmt.Block], keyboard: fmt.Keyboard | None = None, *, quote: bool | None = None
) -> None:
    """Sends blocks as one or more HTML messages; the buttons go under the last one.
    In groups the first part replies to the question, so people see what was answered."""
    quote = message.chat.type != "private" if quote is None else quote
    parts = fmt.render(blocks)
    for i, part in enumerate(parts):
        reply_markup = markup(keyboard) if keyboard and i == len(parts) - 1 else None
        if quote and i == 0:
            reply = ReplyParameters(message.message_id, allow_sending_without_reply=True)
            await message.reply_text(part, reply_markup=reply_markup, reply_parameters=reply)
        else:
            await message.reply_text(part, reply_markup=reply_markup, do_quote=False)


def user_language(update: Update) -> str:
    """The reply language for the update's user: 'zh' or 'en' (see uitext.language_of)."""
    user = update.effective_user
    return language_of(user.language_code if user else None)


def markup(keyboard: fmt.Keyboard) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.data) for b in row] for row in keyboard]
    )


def keyboard_of(reply_markup: InlineKeyboardMarkup) -> fmt.Keyboard:
    """The bot's own buttons back from a message's markup."""
    return [
        [fmt.Button(b.text, b.callback_data) for b in row if isinstance(b.callback_data, str)]
        for row in reply_markup.inline_keyboard
    ]
