"""What the curators should add next: gaps(db) groups recorded misses, stats(db) counts questions.

Reads the database bot.curation.recording writes, read-only. gaps() clusters similar declined,
low-confidence and 👎 questions with rapidfuzz, so "Chengdu anchors" and "anchors in chengdu?"
are one row; render_gaps() and render_stats() print either as text or JSON.
main_gaps() and main_stats() are the `livebot gaps` and `livebot stats` commands.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from bot.config import data_dir_from
from bot.curation.recording import OUTCOMES, SCHEMA_VERSION, RecordsError, database_path, timestamp, utc_now
from bot.engine.text import CJK, EN_STOP, ZH_STOP, normalise

CLUSTER_SCORER = fuzz.token_set_ratio  # word order and extra words do not split a cluster...
CLUSTER_CUTOFF = 85.0
ORDER_SCORER = fuzz.token_sort_ratio  # ...but one shared word alone does not join two
ORDER_FLOOR = 70.0
CLUSTER_CHOICES = 5  # near clusters checked against ORDER_FLOOR per question
MAX_ROWS = 20_000  # the most recent recorded misses read per run
MAX_PHRASINGS = 5_000  # distinct phrasings clustered per run, most frequent first
SHOWN_PHRASINGS = 3
SHOWN_DOWNVOTES = 3
TOP_FACTS = 10
_TOKEN = re.compile(rf"[{CJK}]|[^\W_{CJK}]+")
_MISS = ("declined", "low")
_ZH_FILLER = ZH_STOP - {"都"}  # 成都, 首都: a place, not "all"


@dataclass(frozen=True, slots=True)
class Downvote:
    """An answer a user marked 👎: what they asked and the fact ids they were shown."""

    question: str
    facts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Gap:
    """Similar questions the knowledge could not answer well, for one alias or fact to fix."""

    example: str
    count: int
    channels: tuple[tuple[str, int], ...]
    outcomes: tuple[tuple[str, int], ...]
    nearest: str | None
    score: float | None
    phrasings: tuple[str, ...]
    downvotes: tuple[Downvote, ...]
    last_asked: str


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


@dataclass(slots=True)
class _Row:
    asked_at: str
    channel: str
    question: str
    outcome: str
    shown: tuple[str, ...]
    candidates: tuple[tuple[str, float], ...]
    vote: int | None


@dataclass(slots=True)
class _Cluster:
    key: str
    rows: list[_Row] = field(default_factory=list)


# -- reading -------------------------------------------------------------------------------


def _connect(path: Path) -> sqlite3.Connection | None:
    """A read-only connection, None if the file holds no questions yet; RecordsError if unreadable."""
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        version: int = conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.Error as exc:
        raise RecordsError(path, f"not a readable question database ({exc})") from None
    if version > SCHEMA_VERSION:
        conn.close()
        raise RecordsError(path, f"written by a newer livebot (schema {version})")
    if version == 0:
        conn.close()
        return None
    return conn


def _cutoff(since_days: int | None) -> str:
    return timestamp(utc_now() - timedelta(days=since_days)) if since_days is not None else ""


def _query(path: Path, sql: str, params: tuple[object, ...]) -> list[tuple[Any, ...]]:
    conn = _connect(path)
    if conn is None:
        return []
    try:
        return conn.execute(sql, params).fetchall()
    except sqlite3.Error as exc:
        raise RecordsError(path, f"cannot read questions ({exc})") from None
    finally:
        conn.close()


def _misses(path: Path, since_days: int | None) -> list[_Row]:
    sql = (
        "SELECT q.asked_at, q.channel, q.question, q.outcome, q.shown, q.candidates, v.vote"
        " FROM questions q LEFT JOIN votes v ON v.question_id = q.id"
        " WHERE q.asked_at >= ? AND (q.outcome IN (?, ?) OR v.vote = -1)"
        " ORDER BY q.asked_at DESC LIMIT ?"
    )
    rows = _query(path, sql, (_cutoff(since_days), *_MISS, MAX_ROWS))
    return [
        _Row(
            at,
            channel,
            question,
            outcome,
            tuple(json.loads(shown)),
            tuple((str(i), float(s)) for i, s in json.loads(cands)),
            vote,
        )
        for at, channel, question, outcome, shown, cands, vote in rows
    ]


# -- clustering ----------------------------------------------------------------------------


def cluster_key(question: str) -> str:
    """The form questions are compared in: NFKC, case-folded, simplified Chinese, no punctuation,
    no stop words, each Chinese character a token."""
    tokens = _TOKEN.findall(normalise(question))
    kept = [t for t in tokens if t not in EN_STOP and t not in _ZH_FILLER]
    return " ".join(kept or tokens)


def _clusters(rows: Iterable[_Row]) -> list[_Cluster]:
    """Greedy: phrasings most frequent first, each joining the first near cluster or starting one.

    A phrasing is compared only with clusters sharing a word with it, so the work stays near
    linear in the number of phrasings.
    """
    by_key: dict[str, list[_Row]] = defaultdict(list)
    for row in rows:
        by_key[cluster_key(row.question)].append(row)
    keys = sorted(by_key, key=lambda k: (-len(by_key[k]), k))[:MAX_PHRASINGS]
    clusters: list[_Cluster] = []
    by_word: dict[str, list[int]] = defaultdict(list)
    for key in keys:
        near = sorted({i for word in set(key.split()) for i in by_word[word]})
        home = _nearest_cluster(key, [clusters[i] for i in near])
        if home is None:
            home = _Cluster(key)
            for word in set(key.split()):
                by_word[word].append(len(clusters))
            clusters.append(home)
        home.rows.extend(by_key[key])
    return clusters


def _nearest_cluster(key: str, clusters: list[_Cluster]) -> _Cluster | None:
    found = process.extract(
        key,
        [c.key for c in clusters],
        scorer=CLUSTER_SCORER,
        processor=None,
        score_cutoff=CLUSTER_CUTOFF,
        limit=CLUSTER_CHOICES,
    )
    for choice, _score, index in found:
        if ORDER_SCORER(key, choice, processor=None, score_cutoff=ORDER_FLOOR):
            return clusters[index]
    return None


def _gap(cluster: _Cluster) -> Gap:
    rows = cluster.rows
    phrasings = [q for q, _ in Counter(r.question for r in rows).most_common()]
    nearest: dict[str, float] = {}
    for row in rows:
        for fact_id, score in row.candidates:
            nearest[fact_id] = max(score, nearest.get(fact_id, score))
    best = max(nearest, key=lambda i: (nearest[i], i), default=None)
    downvotes = dict.fromkeys(Downvote(r.question, r.shown) for r in rows if r.vote == -1)
    return Gap(
        example=phrasings[0],
        count=len(rows),
        channels=tuple(Counter(r.channel for r in rows).most_common()),
        outcomes=tuple(Counter("👎" if r.outcome == "answered" else r.outcome for r in rows).most_common()),
        nearest=best,
        score=nearest[best] if best is not None else None,
        phrasings=tuple(phrasings[1 : 1 + SHOWN_PHRASINGS]),
        downvotes=tuple(downvotes)[:SHOWN_DOWNVOTES],
        last_asked=max(r.asked_at for r in rows),
    )


def gaps(db_path: Path, since_days: int | None = None) -> list[Gap]:
    """Recorded declined, low-confidence and 👎 questions grouped by similarity, largest group first.

    An absent or empty database gives []; an unreadable one raises RecordsError.
    """
    found = sorted((_gap(c) for c in _clusters(_misses(db_path, since_days))), key=lambda g: g.last_asked, reverse=True)
    return sorted(found, key=lambda g: g.count, reverse=True)


# -- stats ---------------------------------------------------------------------------------


def _tally(label: str, counts: Iterable[tuple[str, int]]) -> Tally:
    by_outcome = {o: n for o, n in counts if o in OUTCOMES}
    return Tally(label, **by_outcome)


def _tallies(rows: list[tuple[Any, ...]]) -> tuple[Tally, ...]:
    grouped: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for label, outcome, n in rows:
        grouped[label].append((outcome, n))
    return tuple(_tally(label, counts) for label, counts in grouped.items())


def stats(db_path: Path, since_days: int | None = None) -> Stats:
    """Counts recorded questions; an absent database gives all zeros."""
    cutoff = _cutoff(since_days)
    q = "FROM questions WHERE asked_at >= ?"
    days = _tallies(
        _query(
            db_path,
            f"SELECT substr(asked_at, 1, 10) d, outcome, count(*) {q} GROUP BY d, outcome ORDER BY d",
            (cutoff,),
        )
    )
    channels = _tallies(_query(db_path, f"SELECT channel, outcome, count(*) {q} GROUP BY channel, outcome", (cutoff,)))
    overall = _tally("all", ((o, sum(getattr(t, o) for t in days)) for o in OUTCOMES))
    shown: Counter[str] = Counter()
    for (text,) in _query(db_path, f"SELECT shown {q} AND shown != '[]'", (cutoff,)):
        shown.update(json.loads(text))
    votes = dict(
        _query(
            db_path,
            "SELECT v.vote, count(*) FROM votes v JOIN questions q ON q.id = v.question_id"
            " WHERE q.asked_at >= ? GROUP BY v.vote",
            (cutoff,),
        )
    )
    return Stats(
        since=cutoff or None,
        overall=overall,
        days=days,
        channels=tuple(sorted(channels, key=lambda t: (-t.total, t.label))),
        top_facts=tuple(shown.most_common(TOP_FACTS)),
        votes_up=votes.get(1, 0),
        votes_down=votes.get(-1, 0),
    )


# -- rendering -----------------------------------------------------------------------------


def _counts(pairs: Iterable[tuple[str, int]]) -> str:
    return ", ".join(f"{name} {n}" for name, n in pairs)


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _gap_lines(gap: Gap) -> Iterator[str]:
    nearest = f"{gap.nearest} ({gap.score:.2f})" if gap.nearest is not None and gap.score is not None else "none"
    yield f"{gap.count:>4}×  {_short(gap.example)}"
    yield f"       nearest fact: {nearest} · {_counts(gap.outcomes)} · {_counts(gap.channels)}"
    if gap.phrasings:
        yield "       also asked: " + " · ".join(f"“{_short(p, 50)}”" for p in gap.phrasings)
    for down in gap.downvotes:
        yield f"       👎 “{_short(down.question, 60)}” was shown: {', '.join(down.facts) or 'no facts'}"


def render_gaps(found: list[Gap], as_json: bool = False) -> str:
    """Each gap as a few indented lines (count, example, nearest fact and score first), or JSON."""
    if as_json:
        return json.dumps([asdict(g) for g in found], ensure_ascii=False, indent=2)
    if not found:
        return "no gaps: every recorded question was answered"
    return "\n".join(line for gap in found for line in _gap_lines(gap))


def _tally_json(tally: Tally) -> dict[str, Any]:
    return {**asdict(tally), "total": tally.total}


def _tally_line(tally: Tally, width: int) -> str:
    t = tally
    return f"  {t.label:<{width}} {t.total:>6} {t.answered:>8} {t.low:>5} {t.declined:>8} {t.chitchat:>8}"


def render_stats(found: Stats, as_json: bool = False) -> str:
    """A summary line, then tables per day and per channel and the most shown facts; or JSON."""
    if as_json:
        data = asdict(found)
        data.update(
            overall=_tally_json(found.overall),
            days=[_tally_json(t) for t in found.days],
            channels=[_tally_json(t) for t in found.channels],
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


# -- commands ------------------------------------------------------------------------------


def _database(args: argparse.Namespace) -> Path:
    data_dir: Path | None = getattr(args, "data_dir", None)
    return database_path(data_dir if data_dir is not None else data_dir_from(os.environ))


def main_gaps(args: argparse.Namespace) -> int:
    """`livebot gaps [--since DAYS] [--json]`: prints the gaps; 0 even with nothing recorded."""
    return _report(args, lambda path, since, as_json: render_gaps(gaps(path, since), as_json))


def main_stats(args: argparse.Namespace) -> int:
    """`livebot stats [--since DAYS] [--json]`: prints the question counts."""
    return _report(args, lambda path, since, as_json: render_stats(stats(path, since), as_json))


def _report(args: argparse.Namespace, render: Callable[[Path, int | None, bool], str]) -> int:
    path = _database(args)
    as_json = bool(getattr(args, "json", False))
    if not path.is_file() and not as_json:
        print(f"no questions recorded yet ({path} does not exist)")
        return 0
    print(render(path, getattr(args, "since", None), as_json))
    return 0
