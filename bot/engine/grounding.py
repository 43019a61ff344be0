"""Whether a fact holds what a question asks: a date, a figure of the named measure and kind, an
entity of the asked kind, and enough of the question's own words beyond naming its subject. Pure.

Each check reads the fact's structure (its dates, its numbers with measure, kind and year, the
entities it is about), so a question is answered only from a fact that has the asked thing, and a
neighbouring fact is never passed off as the answer.
"""

from __future__ import annotations

import re

from bot.engine.reading import Reading
from bot.engine.search import Hit, SearchIndex
from bot.engine.text import terms
from bot.engine.wording import MONTHS
from bot.knowledge import Entity, Fact, Number

TARGET_KINDS = frozenset({"target"})
GROWTH_KINDS = frozenset({"growth", "multiple"})
_DATED = re.compile(r"\b(?:" + "|".join(MONTHS) + r")\b|\d+月")
_BY_YEAR = re.compile(r"\bby 20\d\d\b|20\d\d年(?:前|底)?")
QUESTION_WORDS = ("which", "who", "date", "deadline", "source", "overview", "name", "yesno", "figure")


def keyword_only(reading: Reading) -> bool:
    """True for a question written as keywords ('guangzhou sales 2020'): no question word at all."""
    return not reading.asks(*QUESTION_WORDS) and not reading.question.rstrip().endswith(("?", "？"))


def figure_shaped(reading: Reading) -> bool:
    """True when the question wants a figure: it asks how many or how much, compares, ranks, asks
    for growth, or is keywords naming a measure."""
    if reading.asks("date", "deadline", "source", "who") or reading.asked_kind:
        return reading.asks("figure", "money")
    asks = reading.asks("figure", "money", "growth", "compare", "superlative", "rank")
    return asks or (keyword_only(reading) and bool(reading.measures))


def answering_numbers(reading: Reading, fact: Fact) -> tuple[Number, ...]:
    """The figures of a fact that can answer the question's figure: of the measure it names, in
    yuan when it asks for money, not a plan's target when it asks what happened, not a ranking when
    it asks for an exact count, and of growth when it asks how much something grew."""
    numbers = fact.numbers
    if reading.measures:
        numbers = tuple(n for n in numbers if n.measure in reading.measures)
    if reading.asks("money"):
        numbers = tuple(n for n in numbers if n.unit == "yuan")
    if reading.asks("exact") or (reading.asks("figure") and not reading.measures):
        numbers = tuple(n for n in numbers if n.kind != "rank")
    if not allows_targets(reading, fact):
        numbers = tuple(n for n in numbers if n.kind not in TARGET_KINDS)
    if reading.asks("growth") and any(n.kind in GROWTH_KINDS for n in numbers):
        numbers = tuple(n for n in numbers if n.kind in GROWTH_KINDS)
    return numbers


def allows_targets(reading: Reading, fact: Fact) -> bool:
    """A plan's target answers a question about plans, aims or what will be; not 'how much did X sell'."""
    if reading.asks("target", "deadline", "compare", "superlative"):
        return True
    return not reading.asks("yesno", "exact") or any(e.kind == "plan" for e in reading.subjects)


def dated(index: SearchIndex, fact: Fact) -> bool:
    """True if a fact, or its source, is dated to the month at least, or its text names a month."""
    source = index.kb.sources[fact.source]
    if any(len(d or "") >= 7 for d in (fact.date, source.date)):
        return True
    return _DATED.search(fact.text) is not None or _DATED.search(fact.text_zh or "") is not None


def has_deadline(fact: Fact) -> bool:
    """True if a fact says by when something is to be done: a target's year, a plan's length."""
    if any(n.kind == "target" and n.year for n in fact.numbers) or any(
        n.measure == "plan-duration" for n in fact.numbers
    ):
        return True
    return _BY_YEAR.search(fact.text) is not None


def names_kind(index: SearchIndex, fact: Fact, kind: str, subjects: tuple[Entity, ...]) -> bool:
    """True if a fact is about an entity of the kind asked for, other than the question's subjects
    (or about one at all, when the question names none of that kind)."""
    others = [e for e in fact.about if e not in {s.id for s in subjects}]
    return any(index.kb.entities[e].kind == kind for e in others)


def holds(index: SearchIndex, reading: Reading, fact: Fact) -> bool:
    """True if the fact has the attribute the question asks for (see the module's docstring)."""
    if reading.asks("deadline"):
        return has_deadline(fact)
    if reading.asks("date") and not reading.asks("figure", "money"):
        return dated(index, fact)
    if reading.asked_kind:
        return names_kind(index, fact, reading.asked_kind, reading.subjects)
    if figure_shaped(reading):
        return bool(answering_numbers(reading, fact))
    if reading.measures and fact.numbers:
        return bool(answering_numbers(reading, fact))  # held to the named measure, not another figure
    return True


def subject_terms(reading: Reading) -> frozenset[str]:
    """The question's terms that only name its subjects ('hangzhou' in 'hangzhou's plan targets')."""
    found: set[str] = set()
    for mention in reading.query.mentions:
        found.update(terms(mention.text))
        found.update(terms(mention.entity.name))
    return frozenset(found)


def asked_coverage(index: SearchIndex, reading: Reading, hit: Hit) -> float:
    """The share (by weight) of what the question asks beyond naming its subjects that the fact
    matches; 1.0 when it asks nothing more."""
    weights = index.slot_weights(reading.query)
    named = subject_terms(reading)
    asked = [(k, term) for k, term in enumerate(hit.terms) if term not in named]
    total = sum(weights.get(term, 0.0) for _, term in asked)
    if not total:
        return 1.0
    got = sum(weights.get(term, 0.0) for k, term in asked if hit.bits >> k & 1)
    return got / total
