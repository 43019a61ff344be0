"""The admin reports /gaps and /stats as blocks for formatting.render(): plain text, escaped there.

The same data as `livebot gaps` and `livebot stats` (bot.curation.gaps), laid out for a phone rather than
a terminal: one block per gap, one line per channel or day. No Telegram import.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.curation.gaps import Gap, Stats, Tally, pairs_text
from bot.curation.stats import tally_json
from bot.telegram.formatting import Block, Line, paragraphs
from bot.telegram.texts import ui

TOP_GAPS = 10
DAYS_SHOWN = 7
FACTS_SHOWN = 5
EXAMPLE_CHARS = 200
PHRASING_CHARS = 80


def gaps_blocks(found: list[Gap], language: str, since_days: int | None = None) -> list[Block]:
    """The TOP_GAPS most asked gaps: example in bold, count, outcomes and channels, nearest fact
    and score, other phrasings and 👎 answers."""
    since = _since(language, since_days)
    if not found:
        return paragraphs(ui(language, "gaps-none").format(since=since))
    shown = found[:TOP_GAPS]
    head = ui(language, "gaps-head").format(shown=len(shown), total=len(found), since=since)
    return paragraphs(head) + [_gap_block(i, gap, language) for i, gap in enumerate(shown, 1)]


def _gap_block(number: int, gap: Gap, language: str) -> Block:
    if gap.outside:  # no fact is near a name the knowledge says it does not cover
        nearest = ui(language, "not-covered").format(names=", ".join(gap.outside))
    elif gap.nearest is not None and gap.score is not None:
        nearest = ui(language, "nearest").format(fact=gap.nearest, score=f"{gap.score:.2f}")
    else:
        nearest = ui(language, "no-nearest")
    lines: list[Line] = [
        ("b", f"{number}. {_short(gap.example, EXAMPLE_CHARS)}"),
        (
            "",
            ui(language, "gap-count").format(
                count=gap.count, outcomes=pairs_text(gap.outcomes), channels=pairs_text(gap.channels)
            ),
        ),
        ("", nearest),
    ]
    if gap.phrasings:
        phrasings = " · ".join(f"“{_short(p, PHRASING_CHARS)}”" for p in gap.phrasings)
        lines.append(("i", ui(language, "also-asked").format(phrasings=phrasings)))
    for down in gap.downvotes:
        facts = ", ".join(down.facts) or ui(language, "no-facts")
        lines.append(("", ui(language, "downvote").format(question=_short(down.question, PHRASING_CHARS), facts=facts)))
    return tuple(lines)


def stats_blocks(found: Stats, language: str, since_days: int | None = None) -> list[Block]:
    """A summary line, then questions by channel, the last DAYS_SHOWN days and the most shown facts."""
    head = ui(language, "stats-head").format(
        **tally_json(found.overall), since=_since(language, since_days), up=found.votes_up, down=found.votes_down
    )
    blocks = paragraphs(head)
    days = found.days[-DAYS_SHOWN:]
    for title, tallies in (
        (ui(language, "by-channel"), found.channels),
        (ui(language, "per-day").format(n=len(days)), days),
    ):
        if tallies:
            blocks.append((("b", title), *_tally_lines(tallies, language)))
    if found.top_facts:
        facts = tuple(("", f"{n}× {fact_id}") for fact_id, n in found.top_facts[:FACTS_SHOWN])
        blocks.append((("b", ui(language, "top-facts")), *facts))
    return blocks


def _tally_lines(tallies: Iterable[Tally], language: str) -> list[Line]:
    return [("", ui(language, "tally").format(**tally_json(t))) for t in tallies]


def _since(language: str, since_days: int | None) -> str:
    return ui(language, "since").format(days=since_days) if since_days is not None else ""


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
