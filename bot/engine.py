"""The one entry point every front end uses: Engine.load(path) then engine.ask(text) -> Answer.

Pure and synchronous: no event loop, no network, no Telegram. The CLI and the Telegram bot call
exactly these methods and differ only in how they print the Answer.
"""

from __future__ import annotations

from pathlib import Path

from bot import answer
from bot.answer import Answer, ShownFact, Suggestion
from bot.knowledge import Entity, Fact, KnowledgeBase, load_knowledge
from bot.search import SearchIndex

__all__ = ["Answer", "Engine", "ShownFact", "Suggestion"]


class Engine:
    """Answers questions from one validated knowledge base."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.index = SearchIndex.build(kb)

    @classmethod
    def load(cls, path: Path | str | None = None) -> Engine:
        """Loads and indexes a knowledge directory (None: the bundled knowledge)."""
        return cls(load_knowledge(path))

    @property
    def facts(self) -> tuple[Fact, ...]:
        return self.kb.facts

    def ask(self, text: str) -> Answer:
        """Answers one question; never raises for any input string."""
        return answer.respond(self.index, text)

    def open(self, ref: str, language: str = "en") -> Answer | None:
        """The answer for a fact or entity id (a suggestion's ref); None if the id is unknown."""
        return answer.open_ref(self.index, ref, language)

    def source_of(self, fact_id: str, language: str = "en") -> Answer | None:
        """The full source record of one fact, for a 'source' button; None if unknown."""
        return answer.source_details(self.index, fact_id, language)

    def topics(self, kinds: tuple[str, ...] = ("city", "village", "plan", "event", "occupation", "report")) -> tuple[Entity, ...]:
        """Entities worth browsing, in knowledge order, that have at least one fact."""
        about = {e for f in self.kb.facts for e in f.about}
        return tuple(e for e in self.kb.entities.values() if e.kind in kinds and e.id in about)
