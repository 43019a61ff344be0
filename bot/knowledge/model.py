"""The knowledge as the rest of livebot sees it: frozen dataclasses, built only by the loader."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
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
    display_zh: str | None = None


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
    short: str | None = None  # the source in a few words, for one-line citations
    short_zh: str | None = None


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
    titled: bool = True  # False: the source gives no formal title, and `name` describes it
    note: str | None = None  # for curators only: how a name was rendered, what the source leaves open


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
    questions: tuple[str, ...] = ()  # ways people ask for this fact
    note: str | None = None  # for curators
    caveat: str | None = None  # for users: an ambiguity, in plain words
    caveat_zh: str | None = None
    numbers: tuple[Number, ...] = ()


@dataclass(frozen=True, slots=True)
class Measure:
    """What a figure counts (`sellers-trained`), with the words people use when they ask for it."""

    id: str
    name: str
    name_zh: str | None = None
    words: tuple[str, ...] = ()
    may_be: tuple[str, ...] = ()  # measures a figure of this one may be: the article leaves it open


@dataclass(frozen=True, slots=True)
class Cue:
    """Words that tell the engine what a question asks: a date, a figure, a source, a comparison...
    `value` is the number an ordinal or a quarter names ("second" -> 2)."""

    means: str
    words: tuple[str, ...]
    value: int | None = None


@dataclass(frozen=True, slots=True)
class KindWords:
    """What people call one kind of entity ("outlet", "newspaper" for media), for "which ..." questions."""

    kind: str
    words: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Shorthand:
    """Short forms people type for a word ("fest", "govt"), read as the word itself."""

    words: tuple[str, ...]
    full: str


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
    measures: Mapping[str, Measure] = field(default_factory=dict)
    cues: tuple[Cue, ...] = ()
    kinds: tuple[KindWords, ...] = ()
    shorthands: tuple[Shorthand, ...] = ()

    def counts(self) -> dict[str, int]:
        return {
            "files": self.files,
            "sources": len(self.sources),
            "entities": len(self.entities),
            "facts": len(self.facts),
            "numbers": sum(len(f.numbers) for f in self.facts),
        }


def counts_text(counts: Mapping[str, int]) -> str:
    """KnowledgeBase.counts() in words, as logs and `livebot check` say it: '13 files, 14 sources, ...'."""
    return ", ".join(f"{n} {name}" for name, n in counts.items())
