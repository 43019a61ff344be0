"""The answer engine: a question in, an Answer out, from one validated knowledge base.

Pure and synchronous: no event loop, no network, no Telegram, no database. `Engine` is the face;
the stages behind it are text (normalising and terms), search (ranking), reading (what a question
asks), answer (deciding) and wording (how facts and sources read).
"""

from bot.engine.answer import Answer, Figure, ShownFact, Suggestion
from bot.engine.engine import Engine
from bot.engine.followup import Context

__all__ = ["Answer", "Context", "Engine", "Figure", "ShownFact", "Suggestion"]
