"""What the curators should add next: gaps(store, engine) groups the recorded misses.

Declined, low-confidence and 👎 questions are clustered with rapidfuzz, so "Chengdu anchors" and
"anchors in chengdu?" are one row, and questions naming the same outside name (an `[[outside]]`
record: 成都 or Chengdu) are one row whatever their language. A gap's nearest fact is one about
the subject its questions name, so a score never suggests an alias for a fact on something else.
render_gaps() prints gaps as text or JSON; main_gaps() is the `livebot gaps` command.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field

from rapidfuzz import fuzz, process

from bot.config import knowledge_dir_from
from bot.curation.records import cutoff, run_report
from bot.curation.stats import Stats, Tally, main_stats
from bot.curation.store import Store
from bot.curation.subjects import Subject, Subjects
from bot.engine import Engine
from bot.engine.text import CJK, EN_STOP, ZH_STOP, normalise

__all__ = ["Downvote", "Gap", "Stats", "Tally", "cluster_key", "gaps", "main_gaps", "main_stats", "render_gaps"]

CLUSTER_SCORER = fuzz.token_set_ratio  # word order and extra words do not split a cluster...
CLUSTER_CUTOFF = 85.0
ORDER_SCORER = fuzz.token_sort_ratio  # ...but one shared word alone does not join two
ORDER_FLOOR = 70.0
CLUSTER_CHOICES = 5  # near clusters checked against ORDER_FLOOR per question
MAX_ROWS = 20_000  # the most recent recorded misses read per run
MAX_PHRASINGS = 5_000  # distinct phrasings clustered per run, most frequent first
SHOWN_PHRASINGS = 3
SHOWN_DOWNVOTES = 3
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
    """Similar questions the knowledge could not answer well, for one alias or fact to fix.

    `nearest` is the best-scoring fact about the subject the questions name (None if none is);
    `outside` the outside names they ask about, which the knowledge says it does not cover.
    """

    example: str
    count: int
    channels: tuple[tuple[str, int], ...]
    outcomes: tuple[tuple[str, int], ...]
    nearest: str | None
    score: float | None
    phrasings: tuple[str, ...]
    downvotes: tuple[Downvote, ...]
    last_asked: str
    outside: tuple[str, ...] = ()


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
    subject: Subject
    rows: list[_Row] = field(default_factory=list)


def _misses(store: Store, since_days: int | None) -> list[_Row]:
    sql = (
        "SELECT q.asked_at, q.channel, q.question, q.outcome, q.shown, q.candidates, v.vote"
        " FROM questions q LEFT JOIN votes v ON v.question_id = q.id"
        " WHERE q.asked_at >= ? AND (q.outcome IN (?, ?) OR v.vote = -1)"
        " ORDER BY q.asked_at DESC LIMIT ?"
    )
    return [
        _Row(at, channel, question, outcome, tuple(json.loads(shown)), _candidates(cands), vote)
        for at, channel, question, outcome, shown, cands, vote in store.read(
            sql, (cutoff(since_days), *_MISS, MAX_ROWS)
        )
    ]


def _candidates(text: str) -> tuple[tuple[str, float], ...]:
    return tuple((str(i), float(s)) for i, s in json.loads(text))


def cluster_key(question: str) -> str:
    """The form questions are compared in: NFKC, case-folded, simplified Chinese, no punctuation,
    no stop words, each Chinese character a token."""
    tokens = _TOKEN.findall(normalise(question))
    kept = [t for t in tokens if t not in EN_STOP and t not in _ZH_FILLER]
    return " ".join(kept or tokens)


def _clusters(rows: Iterable[_Row], subject_of: Callable[[str], Subject]) -> list[_Cluster]:
    """Greedy: phrasings most frequent first, each joining the cluster of the outside names it asks
    about, else the first near cluster, else starting one.

    A phrasing is compared only with clusters sharing a word with it, so the work stays near
    linear in the number of phrasings.
    """
    by_key: dict[str, list[_Row]] = defaultdict(list)
    for row in rows:
        by_key[cluster_key(row.question)].append(row)
    keys = sorted(by_key, key=lambda k: (-len(by_key[k]), k))[:MAX_PHRASINGS]
    clusters: list[_Cluster] = []
    by_outside: dict[frozenset[str], _Cluster] = {}
    by_word: dict[str, list[int]] = defaultdict(list)
    for key in keys:
        subject = subject_of(by_key[key][0].question)
        if subject.outside:
            home = by_outside.get(subject.outside_ids)
            if home is None:
                home = by_outside[subject.outside_ids] = _Cluster(key, subject)
                clusters.append(home)
        else:
            near = sorted({i for word in set(key.split()) for i in by_word[word]})
            home = _nearest_cluster(key, [clusters[i] for i in near])
            if home is None:
                home = _Cluster(key, subject)
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


def _gap(cluster: _Cluster, subjects: Subjects | None) -> Gap:
    rows = cluster.rows
    phrasings = [q for q, _ in Counter(r.question for r in rows).most_common()]
    nearest: dict[str, float] = {}
    for row in rows:
        for fact_id, score in row.candidates:
            if subjects is None or subjects.concerns(fact_id, cluster.subject):
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
        outside=cluster.subject.outside,
    )


def gaps(store: Store, since_days: int | None = None, engine: Engine | None = None) -> list[Gap]:
    """Recorded declined, low-confidence and 👎 questions grouped by similarity, largest group first.

    With the engine, questions are grouped by the outside names they ask about, and a gap's nearest
    fact is one about the subject they name. A database with nothing recorded gives []; one that
    cannot be read raises RecordsError.
    """
    subjects = Subjects(engine) if engine is not None else None
    subject_of = subjects.of if subjects is not None else (lambda question: Subject())
    found = [_gap(c, subjects) for c in _clusters(_misses(store, since_days), subject_of)]
    found.sort(key=lambda g: g.last_asked, reverse=True)
    return sorted(found, key=lambda g: g.count, reverse=True)


def pairs_text(pairs: Iterable[tuple[str, int]]) -> str:
    """(name, count) pairs in words: 'declined 3, low 1'."""
    return ", ".join(f"{name} {n}" for name, n in pairs)


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _gap_lines(gap: Gap) -> Iterator[str]:
    if gap.outside:
        nearest = f"none: the knowledge does not cover {', '.join(gap.outside)}"
    elif gap.nearest is not None and gap.score is not None:
        nearest = f"{gap.nearest} ({gap.score:.2f})"
    else:
        nearest = "none on this subject"
    yield f"{gap.count:>4}×  {_short(gap.example)}"
    yield f"       nearest fact: {nearest} · {pairs_text(gap.outcomes)} · {pairs_text(gap.channels)}"
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


def main_gaps(args: argparse.Namespace) -> int:
    """`livebot gaps [--since DAYS] [--json] [--knowledge DIR]`: prints the gaps, each beside the
    nearest fact of the knowledge; 0 even with nothing recorded."""
    engine = Engine.load(getattr(args, "knowledge", None) or knowledge_dir_from())
    return run_report(args, lambda store, since, as_json: render_gaps(gaps(store, since, engine), as_json))
