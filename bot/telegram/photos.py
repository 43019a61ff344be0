"""A comparison's chart as a photo: drawn off the event loop (bot.charts), sent with sendPhoto under
the text answer, captioned with the answer line and its sources (formatting.caption).

A chart that cannot be drawn (no figures to set side by side, a missing font, matplotlib not
installed) sends nothing: the text answer already went out.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import Message, ReplyParameters

from bot import charts
from bot.engine import Answer
from bot.telegram import formatting as fmt
from bot.telegram.sending import reply_to

log = logging.getLogger(__name__)

FILENAME = "chart.png"


async def send_chart(message: Message, answer: Answer, *, quote: bool | None = None) -> bool:
    """Sends the answer's chart replying to `message` (quoting it in groups); False when the
    answer has no figures or its chart cannot be drawn, and nothing was sent."""
    if answer.kind != "compare" or not answer.figures:
        return False
    try:
        chart = await asyncio.to_thread(charts.draw, answer)
    except charts.ChartError as exc:
        log.warning("answer sent without its chart: %s", exc.reason)
        return False
    quote = message.chat.type != "private" if quote is None else quote
    replying = ReplyParameters(message.message_id, allow_sending_without_reply=True) if quote else None
    await message.get_bot().send_photo(
        photo=chart.png,
        filename=FILENAME,
        caption=fmt.caption(answer),
        parse_mode="HTML",
        reply_parameters=replying,
        **reply_to(message),
    )
    return True
