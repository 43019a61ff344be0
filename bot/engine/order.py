"""Which of two things came first: the day each fact says its thing happened, in order. Pure."""

from __future__ import annotations

import re

from bot.engine import wording
from bot.engine.wording import MONTHS
from bot.knowledge import Entity, Fact, KnowledgeBase

_EN_DATE = re.compile(rf"\b({'|'.join(MONTHS)})(?: (\d{{1,2}})\b)?(?:,? (20\d\d))?")
_ZH_DATE = re.compile(r"(20\d\d)年(\d{1,2})月(?:(\d{1,2})日)?")
_YEAR = re.compile(r"\b20\d\d\b")


def happened(kb: KnowledgeBase, fact: Fact) -> str:
    """When a fact's thing happened, as 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD': the first date its text
    writes (where a range starts), passing over the day its source reported it when the text gives
    another ('Business Micro News on May 15 said the festival ran from April 28'); else its date."""
    reported = kb.sources[fact.source].date or ""
    written = written_dates(fact)
    later = [d for d in written if d != reported]
    return (later or written or [fact.date or ""])[0]


def written_dates(fact: Fact) -> list[str]:
    """The dates a fact's text writes, in order: its English text's, else its Chinese text's."""
    found = []
    for match in _EN_DATE.finditer(fact.text):
        year = match.group(3) or next(iter(_YEAR.findall(fact.text[match.end() :])), None) or (fact.date or "")[:4]
        if year:
            month = MONTHS.index(match.group(1)) + 1
            found.append(f"{year}-{month:02d}" + (f"-{int(match.group(2)):02d}" if match.group(2) else ""))
    if not found:
        for year, month, day in _ZH_DATE.findall(fact.text_zh or ""):
            found.append(f"{year}-{int(month):02d}" + (f"-{int(day):02d}" if day else ""))
    return found


def order_line(kb: KnowledgeBase, sides: list[tuple[Entity, Fact]], language: str) -> str:
    """'Guangzhou plan came first: March 24, 2020, before Hangzhou base: April 28, 2020', the same
    day said as one, or, when a date is too coarse to tell ('May 2020' and 'May 10, 2020'), both
    dates and that they do not say."""
    zh = language == "zh"
    days = [happened(kb, fact) for _, fact in sides]
    named = [(wording.short_name(e, language), wording.date_text(d, language)) for (e, _), d in zip(sides, days)]
    if len(set(days)) == 1:
        names = ("、" if zh else " and ").join(n for n, _ in named)
        return wording.message(language, "order-same").format(names=names, date=named[0][1])
    if any(a != b and (a.startswith(b) or b.startswith(a)) for a in days for b in days):
        listed = "；".join(f"{n}，{d}" for n, d in named) if zh else "; ".join(f"{n}, {d}" for n, d in named)
        return wording.message(language, "order-unknown").format(sides=listed)
    (first, date), *rest = [named[i] for i in sorted(range(len(days)), key=lambda i: days[i])]
    then = "；".join(f"{n}（{d}）" for n, d in rest) if zh else "; ".join(f"{n}: {d}" for n, d in rest)
    line = wording.message(language, "order").format(first=first, date=date, then=then)
    return line[:1].upper() + line[1:]
