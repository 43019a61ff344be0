"""What a recorded question is about, as the knowledge names things: its entities and outside names.

Subjects(engine).of(question) finds them as the engine does when answering (names, aliases,
Chinese names, typos); concerns(fact_id, subject) tells whether a fact is about that subject, so
a gap never points a curator at a fact on something else.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.engine import Engine
from bot.knowledge import Entity, Outside


@dataclass(frozen=True, slots=True)
class Subject:
    """The entity ids a question names and the outside names (those the knowledge does not cover)."""

    entities: frozenset[str] = frozenset()
    outside_ids: frozenset[str] = frozenset()
    outside: tuple[str, ...] = ()  # "Chengdu (成都)", for curators


class Subjects:
    """Subjects of questions, and facts' subjects, from one engine's knowledge."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        kb = engine.kb
        self._about = {fact.id: _with_parents(fact.about, kb.entities) for fact in kb.facts}
        self._seen: dict[str, Subject] = {}

    def of(self, question: str) -> Subject:
        """The entities and outside names a question names."""
        found = self._seen.get(question)
        if found is None:
            query = self.engine.index.analyse(question)
            outside = sorted(query.outside, key=lambda o: o.id)
            found = self._seen[question] = Subject(
                entities=frozenset(m.entity.id for m in query.mentions),
                outside_ids=frozenset(o.id for o in outside),
                outside=tuple(_name(o) for o in outside),
            )
        return found

    def concerns(self, fact_id: str, subject: Subject) -> bool:
        """Whether a fact (or what its entities are part of) is about the subject: any fact when the
        question names no entity, none when it asks about an outside name."""
        if subject.outside:
            return False
        if not subject.entities:
            return True
        return bool(self._about.get(fact_id, frozenset()) & subject.entities)


def _with_parents(entity_ids: tuple[str, ...], entities: Mapping[str, Entity]) -> frozenset[str]:
    """The ids and, for each, what it is part of, up the chain."""
    found: set[str] = set()
    for entity_id in entity_ids:
        current: str | None = entity_id
        while current is not None and current not in found:
            found.add(current)
            entity = entities.get(current)
            current = entity.part_of if entity is not None else None
    return frozenset(found)


def _name(outside: Outside) -> str:
    return f"{outside.name} ({outside.name_zh})" if outside.name_zh else outside.name
