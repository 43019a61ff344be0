"""Recording's cost per answer: python bench/record_bench.py [--questions FILE] [--total 2000] [--rounds 4].

Answers the question file's questions, repeated to about --total, with recording off (a disabled
Recorder, as LIVEBOT_RECORD=0 runs) and on (to a temporary database) in the same run: each question
is answered both ways back to back, in alternating order, so both see the same machine load.
Prints per-question p50/p99 and mean for each, the overhead of recording (batch writes included)
and the cost of record() alone. The target is an overhead of at most 10%.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

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
    records: list[float],
) -> None:
    """Each question with recording off and on, back to back, alternating which goes first."""
    unused: list[float] = []
    for i, question in enumerate(questions):
        for mode in ("off", "on") if i % 2 else ("on", "off"):
            answers[mode].append(timed(engine, recorders[mode], question, records if mode == "on" else unused))
    t0 = time.perf_counter()
    recorders["on"].flush()
    answers["on"][-1] += time.perf_counter() - t0


def line(label: str, samples: list[float]) -> str:
    p50, p99, mean = percentiles(samples)
    return f"  {label:<14} p50 {p50 * 1000:7.3f} ms   p99 {p99 * 1000:7.3f} ms   mean {mean * 1000:7.3f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--questions", type=Path, default=SAMPLE_QUESTIONS)
    parser.add_argument("--total", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()
    base = [c.q for c in load_cases(args.questions)]
    questions = (base * (args.total // len(base) + 1))[: args.total]
    engine = Engine(Engine.load().kb, cache_size=0)  # every answer worked out afresh, as for a new question
    for question in base:
        engine.ask(question)
    answers: dict[str, list[float]] = {"off": [], "on": []}
    records: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        recorders = {
            "off": Recorder.open(Path(tmp) / "off.sqlite3", enabled=False),
            "on": Recorder.open(Path(tmp) / "on.sqlite3"),
        }
        for _ in range(args.rounds):
            run(engine, recorders, questions, answers, records)
        for recorder in recorders.values():
            recorder.close()
        size = (Path(tmp) / "on.sqlite3").stat().st_size
    print(f"{len(questions)} questions x {args.rounds} rounds, each answered with recording off and on")
    print(line("recording off", answers["off"]))
    print(line("recording on", answers["on"]))
    print(line("record() alone", records))
    overhead = sum(answers["on"]) / sum(answers["off"]) - 1
    p50 = percentiles(answers["on"])[0] / percentiles(answers["off"])[0] - 1
    verdict = "meets" if overhead <= TARGET else "MISSES"
    print(
        f"overhead: {overhead:+.1%} total time (batch writes included), {p50:+.1%} at p50; "
        f"{verdict} the {TARGET:.0%} target"
    )
    print(f"database after {len(answers['on'])} records: {size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
