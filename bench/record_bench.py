"""Recording's cost per answer: python bench/record_bench.py [--questions FILE] [--total 2000] [--rounds 4]
[--database-url URL | --no-postgres].

Answers the question file's questions, repeated to about --total, with recording off (a disabled
Recorder, as LIVEBOT_RECORD=0 runs) and on, to a temporary SQLite file and to PostgreSQL (the
--database-url given, else a throwaway server started from the installed binaries, fsync on), in
the same run: each question is answered every way back to back, in rotating order, so all see the
same machine load. The writer threads write as they do in the bot, beside the answers. Prints
per-question p50/p99 and mean for each, the overhead of each store (its writes included) and the
cost of record() alone. The target is an overhead of at most 10%.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(ROOT / "tests"))

from bot.curation.evaluate import SAMPLE_QUESTIONS, load_cases  # noqa: E402
from bot.curation.recording import Recorder  # noqa: E402
from bot.engine import Engine  # noqa: E402

TARGET = 0.10


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)
    return (
        statistics.median(ordered),
        ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))],
        statistics.fmean(ordered),
    )


def timed(engine: Engine, recorder: Recorder, question: str, record_times: list[float]) -> float:
    """Answers and records one question; returns the time both took."""
    t0 = time.perf_counter()
    answer = engine.ask(question)
    t1 = time.perf_counter()
    recorder.record("private", answer)
    t2 = time.perf_counter()
    record_times.append(t2 - t1)
    return t2 - t0


def run(
    engine: Engine,
    recorders: dict[str, Recorder],
    questions: list[str],
    answers: dict[str, list[float]],
    records: dict[str, list[float]],
) -> None:
    """Each question every way, back to back, rotating which goes first; then what is left is written."""
    modes = list(recorders)
    for i, question in enumerate(questions):
        for mode in modes[i % len(modes) :] + modes[: i % len(modes)]:
            answers[mode].append(timed(engine, recorders[mode], question, records[mode]))
    for mode, recorder in recorders.items():
        t0 = time.perf_counter()
        recorder.flush()
        answers[mode][-1] += time.perf_counter() - t0


def line(label: str, samples: list[float]) -> str:
    p50, p99, mean = percentiles(samples)
    return f"  {label:<22} p50 {p50 * 1000:7.3f} ms   p99 {p99 * 1000:7.3f} ms   mean {mean * 1000:7.3f} ms"


@contextlib.contextmanager
def postgres(url: str | None, wanted: bool) -> Iterator[str | None]:
    """The database URL to record into: the one given, a throwaway server's, or None (not measured)."""
    if url or not wanted:
        yield url
        return
    from pgserver import PgServer, find_binaries

    bindir = find_binaries()
    if bindir is None:
        print("PostgreSQL is not installed: measuring SQLite only")
        yield None
        return
    server = PgServer(bindir, durable=True)
    server.start()
    try:
        yield server.create_database("bench")
    finally:
        server.stop()
        server.remove()


def report(questions: int, rounds: int, answers: dict[str, list[float]], records: dict[str, list[float]]) -> None:
    print(f"{questions} questions x {rounds} rounds, each answered with recording off and on each store")
    for mode, samples in answers.items():
        print(line(f"recording {mode}", samples))
    for mode in list(answers)[1:]:
        print(line(f"record() {mode}", records[mode]))
        overhead = sum(answers[mode]) / sum(answers["off"]) - 1
        p50 = percentiles(answers[mode])[0] / percentiles(answers["off"])[0] - 1
        verdict = "meets" if overhead <= TARGET else "MISSES"
        print(
            f"overhead on {mode}: {overhead:+.1%} total time (its writes included), {p50:+.1%} at p50; "
            f"{verdict} the {TARGET:.0%} target"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--questions", type=Path, default=SAMPLE_QUESTIONS)
    parser.add_argument("--total", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--database-url", help="a PostgreSQL database to record into (default: a throwaway server)")
    parser.add_argument("--no-postgres", action="store_true", help="measure SQLite only")
    args = parser.parse_args()
    base = [c.q for c in load_cases(args.questions)]
    questions = (base * (args.total // len(base) + 1))[: args.total]
    engine = Engine(Engine.load().kb, cache_size=0)  # every answer worked out afresh, as for a new question
    for question in base:
        engine.ask(question)
    with tempfile.TemporaryDirectory() as tmp, postgres(args.database_url, not args.no_postgres) as url:
        locations: dict[str, Path | str] = {"sqlite": Path(tmp) / "on.sqlite3"}
        if url:
            locations["postgresql"] = url
        recorders = {"off": Recorder.open(Path(tmp) / "off.sqlite3", enabled=False)}
        recorders.update((mode, Recorder.open(where)) for mode, where in locations.items())
        answers: dict[str, list[float]] = {mode: [] for mode in recorders}
        records: dict[str, list[float]] = {mode: [] for mode in recorders}
        for _ in range(args.rounds):
            run(engine, recorders, questions, answers, records)
        for recorder in recorders.values():
            recorder.close()
        size = (Path(tmp) / "on.sqlite3").stat().st_size
    report(len(questions), args.rounds, answers, records)
    print(f"SQLite database after {len(answers['sqlite'])} records: {size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
