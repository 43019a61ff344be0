"""How many questions were asked and answered: stats(store) counts them, render_stats() prints them.

main_stats() is the `livebot stats` command.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from bot.curation.records import cutoff, run_report
from bot.curation.rows import OUTCOMES
from bot.curation.store import Store

TOP_FACTS = 10


@dataclass(frozen=True, slots=True)
class Tally:
    """Questions by outcome under one label (a day, a channel or 'all')."""

    label: str
    answered: int = 0
    low: int = 0
    declined: int = 0
    chitchat: int = 0

    @property
    def total(self) -> int:
        return self.answered + self.low + self.declined + self.chitchat


@dataclass(frozen=True, slots=True)
class Stats:
    """Questions recorded since `since` (None: ever): per day, by channel, most shown facts, votes."""

    since: str | None
    overall: Tally
    days: tuple[Tally, ...]
    channels: tuple[Tally, ...]
    top_facts: tuple[tuple[str, int], ...]
    votes_up: int
    votes_down: int


def _tally(label: str, counts: Iterable[tuple[str, int]]) -> Tally:
    by_outcome = {o: n for o, n in counts if o in OUTCOMES}
    return Tally(label, **by_outcome)


def _tallies(rows: list[tuple[Any, ...]]) -> tuple[Tally, ...]:
    grouped: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for label, outcome, n in rows:
        grouped[label].append((outcome, int(n)))
    return tuple(_tally(label, counts) for label, counts in grouped.items())


def stats(store: Store, since_days: int | None = None) -> Stats:
    """Counts recorded questions; a database with nothing recorded gives all zeros.

    Raises RecordsError if the database cannot be read."""
    since = cutoff(since_days)
    q = "FROM questions WHERE asked_at >= ?"
    days = _tallies(
        store.read(f"SELECT substr(asked_at, 1, 10) d, outcome, count(*) {q} GROUP BY d, outcome ORDER BY d", (since,))
    )
    channels = _tallies(store.read(f"SELECT channel, outcome, count(*) {q} GROUP BY channel, outcome", (since,)))
    overall = _tally("all", ((o, sum(getattr(t, o) for t in days)) for o in OUTCOMES))
    shown: Counter[str] = Counter()
    for (text,) in store.read(f"SELECT shown {q} AND shown != '[]'", (since,)):
        shown.update(json.loads(text))
    votes = dict(
        store.read(
            "SELECT v.vote, count(*) FROM votes v JOIN questions q ON q.id = v.question_id"
            " WHERE q.asked_at >= ? GROUP BY v.vote",
            (since,),
        )
    )
    return Stats(
        since=since or None,
        overall=overall,
        days=days,
        channels=tuple(sorted(channels, key=lambda t: (-t.total, t.label))),
        top_facts=tuple(shown.most_common(TOP_FACTS)),
        votes_up=int(votes.get(1, 0)),
        votes_down=int(votes.get(-1, 0)),
    )


def tally_json(tally: Tally) -> dict[str, Any]:
    """A tally's fields and its total, as JSON reports and message templates take them."""
    return {**asdict(tally), "total": tally.total}


def _tally_line(tally: Tally, width: int) -> str:
    t = tally
    return f"  {t.label:<{width}} {t.total:>6} {t.answered:>8} {t.low:>5} {t.declined:>8} {t.chitchat:>8}"


def render_stats(found: Stats, as_json: bool = False) -> str:
    """A summary line, then tables per day and per channel and the most shown facts; or JSON."""
    if as_json:
        data = asdict(found)
        data.update(
            overall=tally_json(found.overall),
            days=[tally_json(t) for t in found.days],
            channels=[tally_json(t) for t in found.channels],
        )
        return json.dumps(data, ensure_ascii=False, indent=2)
    o = found.overall
    lines = [
        f"{o.total} questions {'since ' + found.since if found.since else 'in all'}: {o.answered} answered, "
        f"{o.low} low confidence, {o.declined} declined, {o.chitchat} chitchat; "
        f"👍 {found.votes_up} 👎 {found.votes_down}"
    ]
    for title, rows in (("per day", found.days), ("by channel", found.channels)):
        if rows:
            header = f"  {title:<10} {'total':>6} {'answered':>8} {'low':>5} {'declined':>8} {'chitchat':>8}"
            lines += ["", header, *(_tally_line(t, 10) for t in rows)]
    if found.top_facts:
        lines += ["", "  most shown facts", *(f"  {n:>6}  {fact_id}" for fact_id, n in found.top_facts)]
    return "\n".join(lines)


def main_stats(args: argparse.Namespace) -> int:
    """`livebot stats [--since DAYS] [--json]`: prints the question counts."""
    return run_report(args, lambda store, since, as_json: render_stats(stats(store, since), as_json))
