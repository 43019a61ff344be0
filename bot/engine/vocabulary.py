"""The knowledge's words for questions, found in a question: cues, measures and kinds of entity.

Built once per index from the knowledge's `[[cue]]`, `[[measure]]` and `[[kind]]` tables (see
docs/knowledge-format.md). An English word matches as written (list its other forms beside it); a
phrase matches whole words compared by their stems ('live sessions' finds 'live session'); a
Chinese word matches anywhere. Each match keeps where it stands in the
normalised question, so the reading can tell 'the first festival' from 'ranks first'.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from bot.engine.text import has_cjk, normalise, stem
from bot.knowledge import KnowledgeBase

_WORD = re.compile(r"[a-z0-9]+(?:\.[0-9]+)?")
AMOUNT_UNITS = frozenset({"yuan", "percent", "times"})  # what 'how much' can be: money, shares, multiples


@dataclass(frozen=True, slots=True)
class Found:
    """One vocabulary word in a question: its table ('cue', 'measure', 'kind'), what it means
    (a cue's meaning, a measure id, an entity kind), a cue's value, and its span in the
    normalised question."""

    table: str
    means: str
    value: int | None
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class _Entry:
    table: str
    means: str
    value: int | None
    stems: tuple[str, ...]
    exact: str = ""  # a one-word entry matches this form only: 'stats' is not 'state', 'broadcasts' not 'broadcast'


@dataclass(frozen=True, slots=True)
class Word:
    """A Latin word of a normalised question: its stem and span."""

    stem: str
    start: int
    end: int


def _inside(small: Found, large: Found) -> bool:
    """True if one match lies within a longer one ('第二' inside '第二届')."""
    longer = large.end - large.start > small.end - small.start
    return longer and large.start <= small.start and small.end <= large.end


def latin_words(norm: str) -> list[Word]:
    """The Latin words and numbers of a normalised text, each with its stem and span."""
    return [Word(stem(m.group(0)), m.start(), m.end()) for m in _WORD.finditer(norm)]


class Vocabulary:
    """Every cue, measure and kind word of a knowledge base, ready to be found in questions."""

    def __init__(self, entries: Iterable[tuple[str, str, int | None, str]]) -> None:
        self.latin: dict[str, list[_Entry]] = defaultdict(list)  # first stem -> entries
        self.chinese: dict[str, list[tuple[str, _Entry]]] = defaultdict(list)  # first character -> words
        for table, means, value, word in entries:
            norm = normalise(word)
            if has_cjk(norm):
                self.chinese[norm[0]].append((norm, _Entry(table, means, value, ())))
                continue
            stems = tuple(w.stem for w in latin_words(norm))
            exact = norm if len(stems) == 1 else ""
            if stems:
                self.latin[stems[0]].append(_Entry(table, means, value, stems, exact))
        for entries_of in self.latin.values():
            entries_of.sort(key=lambda e: -len(e.stems))  # the longest phrase first
        self.person_stems = frozenset(
            e.stems[0]
            for es in self.latin.values()
            for e in es
            if e.table == "kind" and e.means == "person" and len(e.stems) == 1
        )

    @classmethod
    def build(cls, kb: KnowledgeBase) -> Vocabulary:
        entries: list[tuple[str, str, int | None, str]] = []
        for cue in kb.cues:
            entries += [("cue", cue.means, cue.value, w) for w in cue.words]
        for measure in kb.measures.values():
            words = (measure.name, measure.name_zh, *measure.words)
            entries += [("measure", measure.id, None, w) for w in words if w]
        for kind in kb.kinds:
            entries += [("kind", kind.kind, None, w) for w in kind.words]
        return cls(entries)

    def find(self, norm: str) -> tuple[Found, ...]:
        """Every vocabulary word in a normalised question, in the order they stand; words inside a
        filler phrase ('first place' in 'in the first place') do not count."""
        found: list[Found] = []
        words = latin_words(norm)
        for i, word in enumerate(words):
            for entry in self.latin.get(word.stem, ()):
                n = len(entry.stems)
                if entry.exact and norm[word.start : word.end] != entry.exact:
                    continue
                if tuple(w.stem for w in words[i : i + n]) == entry.stems:
                    found.append(Found(entry.table, entry.means, entry.value, word.start, words[i + n - 1].end))
        if has_cjk(norm):
            for at, char in enumerate(norm):
                for text, entry in self.chinese.get(char, ()):
                    if norm.startswith(text, at):
                        found.append(Found(entry.table, entry.means, entry.value, at, at + len(text)))
        fillers = [f for f in found if f.means == "filler"]
        found = [f for f in found if not any(g.start <= f.start and f.end <= g.end and g != f for g in fillers)]
        found = [f for f in found if not any(_inside(f, g) and g.means == f.means for g in found)]
        return tuple(sorted(found, key=lambda f: (f.start, -f.end)))
