"""The knowledge's words for questions, found in a question: cues, measures and kinds of entity.

Built once per index from the knowledge's `[[cue]]`, `[[measure]]` and `[[kind]]` tables (see
docs/knowledge-format.md). An English word matches as written (list its other forms beside it); a
phrase matches whole words compared by their stems ('live sessions' finds 'live session'); a
Chinese word matches anywhere. A short form of the knowledge's `[[shorthand]]` is read as the
word it stands for ('fest' as 'festival'), and a word the knowledge does not know that looks like
a slip in typing exactly one vocabulary word is read as that word ('mcuh' as 'much'). Each match
keeps where it stands in the normalised question, so the reading can tell 'the first festival'
from 'ranks first'.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from bot.engine.text import has_cjk, normalise, stem
from bot.knowledge import KnowledgeBase

_WORD = re.compile(r"[a-z0-9]+(?:\.[0-9]+)?")
MIN_SLIP_LEN = 4  # shorter words are too easily one slip from another ('wat': what, want, was)
MIN_CHANGED_LEN = 6  # a word with one letter changed is read as a slip from this length on
AMOUNT_UNITS = frozenset({"yuan", "percent", "times"})  # what 'how much' can be: money, shares, multiples
QUIET = frozenset({"filler", "newtopic"})  # words that carry nothing, and the words inside them
WHOLE = frozenset({"frequency"})  # phrases whose inner words mean nothing alone: 多久 of 多久办一次


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


def asked_with_how(norm: str, found: Found) -> bool:
    """True for a measure whose words start with 'how' ('how long', 'how far'): the figure is asked."""
    return found.table == "measure" and norm.startswith("how ", found.start)


@dataclass(frozen=True, slots=True)
class _Entry:
    table: str
    means: str
    value: int | None
    stems: tuple[str, ...]
    exact: str = ""  # a one-word entry matches this form only: 'stats' is not 'state', 'broadcasts' not 'broadcast'
    text: str = ""  # the phrase as written


@dataclass(frozen=True, slots=True)
class Word:
    """A Latin word of a normalised question: its stem and span."""

    stem: str
    start: int
    end: int


def _segmented(cues: list[Found]) -> list[Found]:
    """Chinese cue words as a reader splits the text: a word inside a longer word of another
    meaning is part of it (称 in 称为, 为什么 in 称为什么), so '被称为什么城市' asks an epithet,
    not why. Words that only overlap both stand (多少亿 and 亿元), and so does a question word,
    which goes with the kind word after it (哪家 in 哪家媒体)."""
    kept = ("which", "edition")  # 哪家 in 哪家媒体, 届 in 第一届
    return [c for c in cues if c.means in kept or not any(_inside(c, o) and o.means != c.means for o in cues)]


def _names_kind(small: Found, large: Found) -> bool:
    """True if a measure's word is part of a kind's ('online shopping' in 'online shopping event'):
    the words name the thing, not a figure of it."""
    return small.table == "measure" and large.table == "kind"


def _inside(small: Found, large: Found) -> bool:
    """True if one match lies within a longer one ('第二' inside '第二届')."""
    longer = large.end - large.start > small.end - small.start
    return longer and large.start <= small.start and small.end <= large.end


def _one_slip(word: str, meant: str) -> bool:
    """True if a word looks like a slip in typing another: two neighbouring letters swapped
    ('mcuh'), a letter dropped ('isued'), a letter doubled ('sallary') or, in a longer word, one
    changed for a letter easily typed for it ('anchers'). Another form of the same word
    ('finished', 'finishes') is no slip, and neither is a short word one letter from another
    ('came', 'come'), which is more often a word of its own."""
    if word == meant or stem(word) == stem(meant):
        return False
    if len(word) == len(meant):
        diff = [i for i, (a, b) in enumerate(zip(word, meant)) if a != b]
        if len(diff) == 1:
            typed, meant_letter = word[diff[0]], meant[diff[0]]
            return len(word) >= MIN_CHANGED_LEN and _confusable(typed, meant_letter)
        i = diff[0]
        return len(diff) == 2 and diff[1] == i + 1 and word[i] == meant[i + 1] and word[i + 1] == meant[i]
    if len(word) == len(meant) - 1:  # a letter dropped inside the word ('write' is not 'writer')
        i = next((k for k, (a, b) in enumerate(zip(word, meant)) if a != b), len(word))
        return i < len(word) and word[i:] == meant[i + 1 :]
    if len(word) == len(meant) + 1:  # a letter typed twice
        i = next((k for k, (a, b) in enumerate(zip(word, meant)) if a != b), len(meant))
        return word[i + 1 :] == meant[i:] and i > 0 and word[i] == word[i - 1]
    return False


_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_KEYS = {ch: (row, col) for row, keys in enumerate(_ROWS) for col, ch in enumerate(keys)}
_VOWELS = frozenset("aeiouy")


def _confusable(typed: str, meant: str) -> bool:
    """True if one letter is easily typed for another: two vowels ('anchers'), or keys side by side
    or one row apart on a keyboard ('trainess'). 'Leaning' is not a slip for 'leading'."""
    if typed in _VOWELS and meant in _VOWELS:
        return True
    if typed not in _KEYS or meant not in _KEYS:
        return False
    (r1, c1), (r2, c2) = _KEYS[typed], _KEYS[meant]
    return abs(r1 - r2) <= 1 and abs(c1 - c2) <= 1


def latin_words(norm: str) -> list[Word]:
    """The Latin words and numbers of a normalised text, each with its stem and span."""
    return [Word(stem(m.group(0)), m.start(), m.end()) for m in _WORD.finditer(norm)]


class Vocabulary:
    """Every cue, measure and kind word of a knowledge base, ready to be found in questions."""

    def __init__(
        self, entries: Iterable[tuple[str, str, int | None, str]], shorthands: Mapping[str, str] | None = None
    ) -> None:
        self.shorthands = dict(shorthands or {})  # 'fest' -> 'festival'
        self.latin: dict[str, list[_Entry]] = defaultdict(list)  # first stem -> entries
        self.chinese: dict[str, list[tuple[str, _Entry]]] = defaultdict(list)  # first character -> words
        self.magnitudes: dict[str, int] = {}  # 'billion', 'bn', 亿 -> the power of ten they multiply by
        self.percent: set[str] = set()  # 'percent', 'pct'
        for table, means, value, word in entries:
            norm = normalise(word)
            if table == "cue" and means == "magnitude" and value:
                self.magnitudes[norm] = value
            elif table == "cue" and means == "percent":
                self.percent.add(norm)
            if has_cjk(norm):
                self.chinese[norm[0]].append((norm, _Entry(table, means, value, ())))
                continue
            stems = tuple(w.stem for w in latin_words(norm))
            exact = norm if len(stems) == 1 else ""
            if stems:
                self.latin[stems[0]].append(_Entry(table, means, value, stems, exact, norm))
        for entries_of in self.latin.values():
            entries_of.sort(key=lambda e: -len(e.stems))  # the longest phrase first
        spellings = {m.group(0) for es in self.latin.values() for e in es for m in _WORD.finditer(e.text)}
        self.spellings: dict[str, set[str]] = defaultdict(set)  # first letter -> vocabulary words
        for word in spellings:
            if word.isalpha() and len(word) >= MIN_SLIP_LEN:
                self.spellings[word[0]].add(word)
        self.person_stems = frozenset(
            e.stems[0]
            for es in self.latin.values()
            for e in es
            if e.table == "kind" and e.means == "person" and len(e.stems) == 1
        )

    def multiplies(self, text: str, at: int) -> bool:
        """True if a magnitude or percent word follows a number ending at `at` ('2000亿', '2020 bn'):
        the number is a figure, not a year."""
        after = text[at:].lstrip().casefold()
        word = _WORD.match(after)
        if word is not None:
            return word.group(0) in self.magnitudes or word.group(0) in self.percent
        return after.startswith("%") or any(after.startswith(w) for w in self.magnitudes if has_cjk(w))

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
        shorthands = {normalise(w): normalise(s.full) for s in kb.shorthands for w in s.words}
        return cls(entries, shorthands)

    def spelled(self, norm: str, known: Callable[[str], bool]) -> str:
        """The question with each short form written out ('fest') and each unknown word that is
        one slip from exactly one vocabulary word written as that word; a word `known` accepts is
        not taken for a slip."""
        out = []
        last = 0
        for m in _WORD.finditer(norm):
            word = m.group(0)
            if word in self.shorthands:  # 'fest', 'govt': the word meant, even inside a name
                out += [norm[last : m.start()], self.shorthands[word]]
                last = m.end()
                continue
            if len(word) < MIN_SLIP_LEN or not word.isalpha() or known(word):
                continue
            spellings = self.spellings.get(word[0], set())
            if word in spellings:
                continue
            near = [w for w in spellings if _one_slip(word, w)]
            if len(near) == 1:
                out += [norm[last : m.start()], near[0]]
                last = m.end()
        return "".join(out) + norm[last:] if out else norm

    def find(self, norm: str) -> tuple[Found, ...]:
        """Every vocabulary word in a normalised question, in the order they stand; words inside a
        filler phrase ('first place' in 'in the first place') do not count."""
        found: list[Found] = []
        as_written: set[tuple[int, int]] = set()  # spans a measure's phrase matches exactly as written
        stemmed: list[Found] = []
        words = latin_words(norm)
        for i, word in enumerate(words):
            for entry in self.latin.get(word.stem, ()):
                n = len(entry.stems)
                if entry.exact and norm[word.start : word.end] != entry.exact:
                    continue
                if tuple(w.stem for w in words[i : i + n]) == entry.stems:
                    match = Found(entry.table, entry.means, entry.value, word.start, words[i + n - 1].end)
                    if entry.table != "measure":
                        found.append(match)
                    elif norm[match.start : match.end] == entry.text:
                        found.append(match)
                        as_written.add((match.start, match.end))
                    else:
                        stemmed.append(match)
        # a measure's phrase as written wins over another's that only shares its stems
        # ('online shopping' is online sales, not 'online shops')
        found += [f for f in stemmed if (f.start, f.end) not in as_written]
        if has_cjk(norm):
            chinese = [
                Found(entry.table, entry.means, entry.value, at, at + len(text))
                for at, char in enumerate(norm)
                for text, entry in self.chinese.get(char, ())
                if norm.startswith(text, at)
            ]
            found += _segmented([f for f in chinese if f.table == "cue"]) + [f for f in chinese if f.table != "cue"]
        fillers = [f for f in found if f.means in QUIET | WHOLE]
        fillers += [f for f in found if asked_with_how(norm, f)]  # the 'how' of 'how long' asks no how-to
        found = [f for f in found if not any(g.start <= f.start and f.end <= g.end and g != f for g in fillers)]
        found = [
            f for f in found if not any(_inside(f, g) and (g.means == f.means or _names_kind(f, g)) for g in found)
        ]
        return tuple(sorted(found, key=lambda f: (f.start, -f.end)))
