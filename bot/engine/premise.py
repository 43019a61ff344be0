"""What a yes-or-no question claims (a date, a figure) checked against a fact. Pure.

'The stream was on May 5, right?' claims a day; 'did it sell 200bn?' claims a figure. A fact that
writes the same day or figure says yes to the claim, one that writes only others says no, and one
that writes neither says nothing about it. The magnitude words ('billion', 'bn', 亿, 万) and the
percent words are the vocabulary's.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from bot.engine.reading import Reading, mention_span
from bot.engine.text import blanked
from bot.engine.vocabulary import Found, Vocabulary
from bot.knowledge import Fact

_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4, "may": 5,
    "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9,
    "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}  # fmt: skip
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DAY_AFTER = re.compile(rf"\b({_MONTH})\b\.?(?:\s+(\d{{1,2}})(?:st|nd|rd|th)?\b)?")  # 'may 5', 'april'
_DAY_BEFORE = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH})\b")  # '5th of may'
_ZH_DAY = re.compile(r"(\d{1,2})月(?:(\d{1,2})[日号])?")
_MAY_AS_MONTH = re.compile(r"(?:\b(?:in|on|of|early|late|mid|since|until|by)\s+|^)$")  # 'in may', not 'may i'
# A fact writes a day as 'May 4, 2020', 'May 4 global ...' or 'March 2020'; 'May 5th' is a festival's name.
_FACT_DAY = re.compile(rf"\b({_MONTH})\s+(?:(\d{{1,2}})(?![\d]|st|nd|rd|th)|(?=(?:19|20)\d\d\b))")
_FACT_ZH_DAY = re.compile(r"(?:19|20)\d\d年(\d{1,2})月(?:(\d{1,2})日)?")
_AMOUNT = re.compile(
    r"(?<![\d.a-z])(?P<number>\d+(?:,\d{3})*(?:\.\d+)?|an?|one|[一二两三四五六七八九十百千]+)"
    r"\s*(?P<word>%|[a-z]+\b|千万|百万|万亿|[千万亿])?"
)
_ZH_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_ZH_UNITS = {"十": 10, "百": 100, "千": 1000}
_SIGNS = {"above": ">", "below": "<"}
_COUNTED = frozenset("名人个元家辆件位场")  # 五千名: a count written in Chinese numerals
BOUND_GAP = 2  # a bound word stands this close to its figure ('over 600 million', '5000人以上')
_YEAR = re.compile(r"(?:19|20)\d\d")
LEAST_BARE = 100  # a bare number ('5000 people?') claims a figure from this size on; '10 anchors' may be a rank
CLOSE = 0.05  # a figure within this share of the fact's is the same ('about 180bn' of 182.51 billion)
TINY = 1e-9  # a floor for figures set against each other by scale
BOUND_SLACK = 0.01  # 'more than 4,000' is over 4,000 as the article writes it


@dataclass(frozen=True, slots=True)
class Claims:
    """The days (month, day or 0) and figures a question writes, and the words that write them. A
    figure is the value claimed and how: '=' (about that), '>' ('over a billion'), '<' ('不到一万')."""

    days: tuple[tuple[int, int], ...] = ()
    figures: tuple[tuple[str, float], ...] = ()
    spans: tuple[tuple[int, int], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.days or self.figures)


def claims(reading: Reading, vocabulary: Vocabulary) -> Claims:
    """The days and figures a question claims, outside the names it uses ('the May 5th festival')."""
    magnitudes = vocabulary.magnitudes
    spans = [span for m in reading.query.mentions if (span := mention_span(reading.norm, m.text))]
    norm = blanked(reading.norm, spans)
    days: list[tuple[int, int]] = []
    taken: list[tuple[int, int]] = []
    for match in _DAY_BEFORE.finditer(norm):
        days.append((_MONTHS[match.group(2)], int(match.group(1))))
        taken.append(match.span())
    for match in _DAY_AFTER.finditer(norm):
        if any(s <= match.start() < e for s, e in taken):
            continue
        word, day = match.group(1), match.group(2)
        if word == "may" and not day and not _MAY_AS_MONTH.search(norm[: match.start()]):
            continue  # 'may i ask'
        days.append((_MONTHS[word], int(day) if day else 0))
        taken.append(match.span())
    for match in _ZH_DAY.finditer(norm):
        days.append((int(match.group(1)), int(match.group(2)) if match.group(2) else 0))
        taken.append(match.span())
    figures: list[tuple[str, float]] = []
    percents = vocabulary.percent | {"%"}
    bounds = [f for f in reading.found if f.means in ("above", "below")]
    for match in _AMOUNT.finditer(norm):
        if any(s <= match.start() < e for s, e in taken):
            continue
        number, word = match.group("number"), match.group("word") or ""
        value = _value(number)
        if word in magnitudes:  # 'a billion', 一万, '200bn'
            value *= 10 ** magnitudes[word]
        elif number[0].isdigit():  # '70%', '5000 people'; '10 anchors' may be a rank, '2020' a year
            counting = word and _counts_a_measure(reading, match.start("word"), norm[: match.start()])
            if not (word in percents or counting or (value >= LEAST_BARE and not _YEAR.fullmatch(number))):
                continue
        elif value < LEAST_BARE or norm[match.end() : match.end() + 1] not in _COUNTED:
            continue  # 一些, 三年: a count in Chinese numerals is written before its classifier (五千名)
        sign = next((_SIGNS[f.means] for f in bounds if _bounds(norm, f, match.start(), match.end())), "=")
        figures.append((sign, value))
        taken.append(match.span())
    return Claims(tuple(days), tuple(figures), tuple(taken))


_RANKING = re.compile(r"(?:\btop|\bno\.?|\bnumber|#)\s*$")


def _counts_a_measure(reading: Reading, word_at: int, before: str) -> bool:
    """True if a small number counts what the word after it measures ('20 students' of the
    certificates awarded), not a place in a ranking ('top 10 anchors')."""
    if _RANKING.search(before):
        return False
    return any(f.start == word_at and f.table in ("measure", "kind") for f in reading.found)


def fact_days(fact: Fact) -> set[tuple[int, int]]:
    """The days a fact gives: its date, and the days its text writes."""
    days: set[tuple[int, int]] = set()
    if fact.date:
        parts = [int(p) for p in fact.date.split("-")]
        if len(parts) > 1:
            days.add((parts[1], parts[2] if len(parts) > 2 else 0))
    for match in _FACT_DAY.finditer(fact.text.casefold()):
        days.add((_MONTHS[match.group(1)], int(match.group(2)) if match.group(2) else 0))
    for match in _FACT_ZH_DAY.finditer(fact.text_zh or ""):
        days.add((int(match.group(1)), int(match.group(2)) if match.group(2) else 0))
    return days


def verdict(claimed: Claims, fact: Fact) -> str:
    """'yes' when the fact gives every day and figure claimed, 'no' when it gives days or figures
    and one claimed is none of them, '' when it gives none of the kind claimed, or only the month
    of a day claimed ('in May 2020' neither confirms nor denies May 5)."""
    answers: list[str] = []
    given = fact_days(fact)
    if given:
        answers += [_day_said(day, given) for day in claimed.days]
    values = [n.value for n in fact.numbers if n.unit != "rank"]
    if values:
        answers += ["yes" if _holds(f, nearest(f[1], values)) else "no" for f in claimed.figures]
    if "no" in answers:
        return "no"
    return "yes" if answers and all(a == "yes" for a in answers) else ""


def _day_said(claimed: tuple[int, int], given: set[tuple[int, int]]) -> str:
    month, day = claimed
    same_month = [g for g in given if g[0] == month]
    if any(not day or g[1] == day for g in same_month):
        return "yes"
    return "" if any(not g[1] for g in same_month) else "no"


def _holds(claimed: tuple[str, float], given: float) -> bool:
    """True if the fact's figure is what the question claims: about it, over it or under it."""
    sign, value = claimed
    if sign == ">":
        return given >= value * (1 - BOUND_SLACK)
    if sign == "<":
        return given <= value * (1 + BOUND_SLACK)
    return abs(value - given) <= CLOSE * max(abs(given), 1e-9)


def nearest(claimed: float, values: list[float]) -> float:
    """The fact's figure a claimed one is about: the nearest in scale ('over a billion' is about the
    600 million yuan, not the 4,000 cars)."""
    return min(values, key=lambda v: abs(math.log(max(v, TINY) / max(claimed, TINY))))


def _value(number: str) -> float:
    """'1,825.1' -> 1825.1; 'a', 'one' -> 1; 五千 -> 5000, 十 -> 10, 一 -> 1."""
    if number[0].isdigit():
        return float(number.replace(",", ""))
    if number in ("a", "an", "one"):
        return 1.0
    total, digit = 0, 0
    for ch in number:
        if ch in _ZH_UNITS:
            total += (digit or 1) * _ZH_UNITS[ch]
            digit = 0
        else:
            digit = _ZH_DIGITS[ch]
    return float(total + digit)


def _bounds(norm: str, word: Found, start: int, end: int) -> bool:
    """True if a bound word stands just before a figure ('over 600 million') or just after it (以上)."""
    before = 0 <= start - word.end <= BOUND_GAP and not norm[word.end : start].strip()
    after = 0 <= word.start - end <= BOUND_GAP and not norm[end : word.start].strip("元人名个家辆件 ")
    return before or after
