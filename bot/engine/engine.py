"""The one entry point every front end uses: Engine.load(path) then engine.ask(text) -> Answer.

Pure and synchronous: no event loop, no network, no Telegram. The CLI and the Telegram bot call
exactly these methods and differ only in how they print the Answer.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import replace
from pathlib import Path

from bot.engine import answer, followup, wording
from bot.engine.answer import Answer, ShownFact, Suggestion
from bot.engine.followup import Context
from bot.engine.search import SearchIndex
from bot.knowledge import Entity, Fact, KnowledgeBase, load_knowledge

__all__ = ["Answer", "Engine", "ShownFact", "Suggestion"]

CACHE_SIZE = 1024  # answers kept per Engine


class Engine:
    """Answers questions from one validated knowledge base."""

    def __init__(self, kb: KnowledgeBase, cache_size: int = CACHE_SIZE) -> None:
        self.kb = kb
        self.index = SearchIndex.build(kb)
        self._cache: OrderedDict[tuple[str, tuple[str, ...]], Answer] = OrderedDict()
        self._cache_size = cache_size

    @classmethod
    def load(cls, path: Path | str | None = None) -> Engine:
        """Loads and indexes a knowledge directory (None: the bundled knowledge)."""
        return cls(load_knowledge(path))

    @property
    def facts(self) -> tuple[Fact, ...]:
        return self.kb.facts

    def ask(self, text: str, context: Context | None = None) -> Answer:
        """Answers one message; never raises for any input string.

        With the `context` of the previous answer (its `.context`), a follow-up ('and hangzhou?',
        'when was it released?', 'which one is bigger?') is read against the last turns, and the
        reply says how (`read_as`). The answer's `.context` is what the next message may lean on.
        """
        asked = text
        text = followup.without_preamble(self.index, text)  # 'hi, i work for a city govt. what ...'
        if context is None:
            about = self._described(text)
            if about is not None:
                return replace(about, question=asked)
        resolved = followup.resolve(self.index, text, context)
        result = self._answer(resolved.question, resolved.prefer)
        if resolved.broader and not result.answered:
            broader = self._answer(resolved.broader, resolved.prefer)
            if broader.answered and broader.kind != "entity":  # all about Shenzhen answers no figure of it
                filled = resolved.broader_filled or resolved.filled
                resolved, result = replace(resolved, question=resolved.broader, filled=filled), broader
        if resolved.standalone and not result.answered and followup.stands_alone(self.index, resolved.standalone):
            alone = self._answer(resolved.standalone)
            if alone.answered:
                resolved, result = followup.Resolved(resolved.standalone), alone
        note = (
            followup.read_as(self.index, resolved.filled, result.language, described=resolved.described)
            if result.answered
            else ""
        )
        if note:
            result = replace(result, read_as=note, text=f"{note}\n{result.text}")
        shown = tuple(f.id for f in result.facts) if result.answered else ()
        following = followup.after(self.index, context, resolved, shown, result.entities)
        return replace(result, question=asked, context=following)

    def _described(self, text: str) -> Answer | None:
        """'the city that gave birth to e-commerce, how many anchors does it have': the description
        is answered first, and the question is asked of what it describes, the reply naming it."""
        parts = followup.described(self.index, text)
        if parts is None:
            return None
        first = self._answer(parts[0])
        if not first.answered:
            return None
        shown = tuple(f.id for f in first.facts)
        context = followup.after(self.index, None, followup.Resolved(parts[0]), shown, first.entities)
        resolved = followup.resolve(self.index, parts[1], context)
        result = self._answer(resolved.question, resolved.prefer)
        if not resolved.filled or not result.answered:
            return None
        note = followup.read_as(self.index, resolved.filled, result.language, described=True)
        shown = tuple(f.id for f in result.facts)
        following = followup.after(self.index, context, resolved, shown, result.entities)
        return replace(result, read_as=note, text=f"{note}\n{result.text}", question=text, context=following)

    def _answer(self, text: str, prefer: tuple[str, ...] = ()) -> Answer:
        """The answer to a question read on its own. The knowledge never changes under an Engine,
        so answers to recent questions (popular ones, and inline queries that arrive once per
        keystroke) are kept and reused; a follow-up, which leans on one user's last answer
        (`prefer`), seldom comes again and is not kept."""
        key = (text, prefer)
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return cached
        result = answer.respond(self.index, text, prefer)
        if self._cache_size and not prefer:
            self._cache[key] = result
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return result

    def entity(self, name: str) -> Entity | None:
        """The entity a name, alias or id stands for ('guangzhou', '广州', 'hangzhou-plan'), typos allowed."""
        if name in self.kb.entities:
            return self.kb.entities[name]
        mentions = self.index.analyse(name).mentions
        return max(mentions, key=lambda m: m.score).entity if mentions else None

    def compare(self, first: str, second: str, language: str = "en") -> Answer:
        """Every measure two named entities both have figures of, side by side ('/compare guangzhou
        hangzhou'); declined, saying which name is unknown, when one is not known."""
        found = [self.entity(first), self.entity(second)]
        for name, entity in zip((first, second), found):
            if entity is None:
                message = wording.message(language, "unknown-entity").format(name=name)
                return answer.declined(self.index, f"{first} {second}", language, message)
        a, b = found
        assert a is not None and b is not None
        return answer.compare_entities(self.index, a, b, language)

    def greet(self, language: str = "en") -> Answer:
        """The greeting with example questions, in English or Chinese."""
        return answer.greeting(self.index, language)

    def help(self, language: str = "en") -> Answer:
        """How to ask, with example questions, in English or Chinese."""
        return answer.greeting(self.index, language, kind="help")

    def popular(self, count: int = 8) -> tuple[Entity, ...]:
        """The entities with the most facts about them: what a newcomer most likely wants."""
        return tuple(answer.popular(self.index)[:count])

    def open(self, ref: str, language: str = "en") -> Answer | None:
        """The answer for a fact or entity id (a suggestion's ref); None if the id is unknown."""
        return answer.open_ref(self.index, ref, language)

    def source_of(self, fact_id: str, language: str = "en") -> Answer | None:
        """The full source record of one fact, for a 'source' button; None if unknown."""
        return answer.source_details(self.index, fact_id, language)

    def topics(
        self, kinds: tuple[str, ...] = ("city", "village", "plan", "event", "occupation", "report")
    ) -> tuple[Entity, ...]:
        """Entities worth browsing, in knowledge order, that have at least one fact."""
        about = {e for f in self.kb.facts for e in f.about}
        return tuple(e for e in self.kb.entities.values() if e.kind in kinds and e.id in about)
