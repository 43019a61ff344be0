"""Entities and outside names in a question: found exactly, or through a typo (Hangzou, 北下珠).

The NameTable holds every name, alias and Chinese name of the knowledge's entities and of the
outside names it knows it does not cover; find() returns the Mentions of entities and the outside
names in a normalised question.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rapidfuzz.distance import JaroWinkler

from bot.engine.text import CJK, EN_STOP, has_cjk, normalise
from bot.knowledge import Entity, Outside

_HYPHEN = re.compile(r"(?<=[A-Za-z])-(?=[A-Za-z])")  # inside a compound word: e-commerce, Sci-Tech
_LATIN = re.compile(r"[a-z0-9]+(?:'s\b)?")
NAME_CUTOFF = 0.88  # Jaro-Winkler similarity for misspelt names (Yiwoo, Hangzou)
CJK_TYPO_SCORE = 0.9  # a Chinese name with one wrong character
MAX_FUZZY_WORDS = 3  # misspelt names are looked for among names of at most this many words


@dataclass(frozen=True, slots=True)
class Mention:
    """An entity named in a question, exactly (score 1.0) or through a typo (below 1.0)."""

    entity: Entity
    score: float
    text: str


class NameTable:
    """Every name of every entity and outside name, found exactly or through a typo."""

    def __init__(self, entities: Iterable[Entity], outside: Iterable[Outside]) -> None:
        self.exact: dict[str, list[Entity | Outside]] = defaultdict(list)
        items: list[Entity | Outside] = [*entities, *outside]
        for item in items:
            for name in (item.name, item.name_zh, *item.aliases):
                for key in {name_key(name), name_key(_HYPHEN.sub("", name))} if name else ():
                    if key and item not in self.exact[key]:  # 'e-commerce' is found as 'ecommerce' too
                        self.exact[key].append(item)
        self.cjk = sorted((k for k in self.exact if has_cjk(k)), key=len, reverse=True)
        self.cjk_typos: dict[str, str] = {}  # a name with one character wildcarded -> the name
        for key in self.cjk:
            if len(key) >= 3 and all(has_cjk(ch) for ch in key):
                for i in range(len(key)):
                    self.cjk_typos.setdefault(key[:i] + "?" + key[i + 1 :], key)
        self.cjk_lengths = sorted({len(k) for k in self.cjk_typos.values()}, reverse=True)
        self.cjk_rank = {key: rank for rank, key in enumerate(self.cjk)}
        self.cjk_by_first: dict[str, list[str]] = defaultdict(list)
        for key in self.cjk:
            self.cjk_by_first[key[0]].append(key)
        # a window can only be a one-character typo of a name if its first or second character is right
        self.typo_firsts = {k[0] for k in self.cjk_typos.values()}
        self.typo_seconds = {k[1] for k in self.cjk_typos.values()}
        self.latin: dict[int, list[str]] = defaultdict(list)
        for key in self.exact:
            if not has_cjk(key):
                self.latin[key.count(" ") + 1].append(key)
        self.max_words = max(self.latin, default=1)
        self.first_words = {key.split(" ", 1)[0] for keys in self.latin.values() for key in keys}

    def find(
        self, norm: str, known: Callable[[str], bool] = lambda word: False
    ) -> tuple[list[Mention], list[Outside], list[str]]:
        """Entities and outside names in a normalised question; typos only where a word is unknown."""
        found: dict[str, tuple[Entity | Outside, float, str]] = {}
        spans: list[str] = []
        rest = norm
        for key in self._cjk_keys(norm):
            if key in rest:
                rest = rest.replace(key, " ")
                self._add(found, key, 1.0, key)
                spans.append(key)
        for window, key in self._cjk_typos(rest, known):
            rest = rest.replace(window, " ")
            self._add(found, key, CJK_TYPO_SCORE, window)
            spans.append(window)
        tokens = _latin_tokens(rest)
        used = [False] * len(tokens)
        firsts = [start for start, token in enumerate(tokens) if token in self.first_words]
        misses = [at for at, token in enumerate(tokens) if not known(token)]
        for fuzzy in (False, True):
            for size in range(min(MAX_FUZZY_WORDS if fuzzy else self.max_words, len(tokens)), 0, -1):
                # exact names start with a name's first word; misspelt ones hold an unknown word
                starts = sorted({at - d for at in misses for d in range(size)}) if fuzzy else firsts
                for start in starts:
                    if start < 0 or start + size > len(tokens) or any(used[start : start + size]):
                        continue
                    gram = " ".join(tokens[start : start + size])
                    found_key, score = self._fuzzy(gram, size) if fuzzy else (self._exact(gram), 1.0)
                    if found_key:
                        used[start : start + size] = [True] * size
                        self._add(found, found_key, score, gram)
                        spans.append(gram)
                        if (
                            not fuzzy
                            and found_key != gram
                            and self._shared_noun(found, spans, tokens, start, found_key)
                        ):
                            used[start - 2] = True
        mentions = [Mention(item, score, text) for item, score, text in found.values() if isinstance(item, Entity)]
        outside = [item for item, _, _ in found.values() if isinstance(item, Outside)]
        return mentions, outside, spans

    def _cjk_keys(self, text: str) -> list[str]:
        """The Chinese names that may be in a text, longest first."""
        if not has_cjk(text):
            return []
        keys = [key for ch in set(text) for key in self.cjk_by_first.get(ch, ())]
        return sorted(keys, key=self.cjk_rank.__getitem__)

    def _cjk_typos(self, text: str, known: Callable[[str], bool]) -> list[tuple[str, str]]:
        """Chinese names written with one character the knowledge never uses (北下珠 for 北下朱)."""
        found = []
        for run in re.findall(rf"[{CJK}]{{3,}}", text):
            for length in self.cjk_lengths:
                for start in range(len(run) - length + 1):
                    window = run[start : start + length]
                    if window[0] not in self.typo_firsts and window[1] not in self.typo_seconds:
                        continue
                    key = next(
                        (
                            self.cjk_typos[w]
                            for i, w in enumerate(_wildcards(window))
                            if w in self.cjk_typos and not known(window[i])
                        ),
                        None,
                    )
                    if key is not None and window not in self.exact:
                        found.append((window, key))
        return found

    def _fuzzy(self, gram: str, size: int) -> tuple[str | None, float]:
        """The name a misspelt word or phrase stands for: Jaro-Winkler for one word, else InDel."""
        if len(gram) < 4 or (size == 1 and gram in EN_STOP):
            return None, 0.0
        choices = self.latin.get(size, ())
        if size > 1:
            best = process.extractOne(gram, choices, scorer=fuzz.ratio, processor=None, score_cutoff=88)
            return (best[0], best[1] / 100) if best else (None, 0.0)
        found = process.extractOne(
            gram, choices, scorer=JaroWinkler.normalized_similarity, processor=None, score_cutoff=NAME_CUTOFF
        )
        if found is None or abs(len(found[0]) - len(gram)) > 2 or found[0][:2] != gram[:2]:
            return None, 0.0
        if fuzz.ratio(gram, found[0]) < 60:
            return None, 0.0
        return found[0], float(found[1])

    def _shared_noun(
        self,
        found: dict[str, tuple[Entity | Outside, float, str]],
        spans: list[str],
        tokens: list[str],
        at: int,
        key: str,
    ) -> bool:
        """'Hangzhou and Guangzhou plans': a plural name lends its noun to the name joined to it, so
        the Hangzhou plan is meant too, not the city. True if it did."""
        _, _, noun = key.partition(" ")
        if at < 2 or tokens[at - 1] not in ("and", "or", "vs", "versus") or not noun:
            return False
        other = f"{tokens[at - 2]} {noun}"
        if other not in self.exact:
            return False
        for item in self.exact.get(tokens[at - 2], ()):
            found.pop(item.id, None)
        self._add(found, other, 1.0, other)
        spans.append(other)
        return True

    def _exact(self, gram: str) -> str | None:
        """The name a phrase is, exactly or in the plural ('guangzhou plans' is 'guangzhou plan')."""
        if gram in self.exact:
            return gram
        single = gram[:-1] if gram.endswith("s") and len(gram) > 4 else ""
        return single if single in self.exact else None

    def _add(self, found: dict[str, tuple[Entity | Outside, float, str]], key: str, score: float, text: str) -> None:
        for item in self.exact[key]:
            if item.id not in found or found[item.id][1] < score:
                found[item.id] = (item, score, text)


def _wildcards(window: str) -> Iterator[str]:
    for i in range(len(window)):
        yield window[:i] + "?" + window[i + 1 :]


def name_key(name: str) -> str:
    norm = normalise(name)
    if has_cjk(norm):
        return "".join(ch for ch in norm if not ch.isspace() and ch not in "《》“”\"'·・")
    return " ".join(_latin_tokens(norm))


def _latin_tokens(norm: str) -> list[str]:
    """Latin words and numbers, a possessive 's dropped ("hangzhou's plan" -> hangzhou, plan)."""
    return [t.removesuffix("'s") for t in _LATIN.findall(norm)]
