"""The knowledge as the rest of livebot sees it: frozen dataclasses, built only by the loader."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Number:
    value: float
    unit: str
    measure: str
    display: str
    kind: str = "actual"
    year: int | None = None
    entity: str | None = None


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    kind: str
    title: str
    publisher: str
    title_zh: str | None = None
    publisher_zh: str | None = None
    author: str | None = None
    author_zh: str | None = None
    date: str | None = None
    date_note: str | None = None
    via: str | None = None
    entity: str | None = None


@dataclass(frozen=True, slots=True)
class Entity:
    id: str
    kind: str
    name: str
    name_zh: str | None = None
    aliases: tuple[str, ...] = ()
    part_of: str | None = None
    description: str | None = None
    description_zh: str | None = None


@dataclass(frozen=True, slots=True)
class Outside:
    """A name users ask about that the knowledge does not cover (another city, platform, person)."""

    id: str
    kind: str
    name: str
    name_zh: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Fact:
    id: str
    text: str
    about: tuple[str, ...]
    source: str
    text_zh: str | None = None
    date: str | None = None
    keywords: tuple[str, ...] = ()
    note: str | None = None
    numbers: tuple[Number, ...] = ()


@dataclass(frozen=True, slots=True)
class KnowledgeBase:
    """Every source, entity and fact of one knowledge directory, cross-references checked."""

    path: Path
    sources: Mapping[str, Source]
    entities: Mapping[str, Entity]
    facts: tuple[Fact, ...]
    files: int
    outside: tuple[Outside, ...] = ()
    synonyms: tuple[tuple[str, ...], ...] = ()

    def counts(self) -> dict[str, int]:
        return {
            "files": self.files,
            "sources": len(self.sources),
            "entities": len(self.entities),
            "facts": len(self.facts),
            "numbers": sum(len(f.numbers) for f in self.facts),
        }
