"""Load, index and answer times: python bench/bench.py [--facts 10000] [--questions FILE].

Prints, for the bundled knowledge and for a synthetic knowledge base of --facts facts, the time to
load and index it and the p50/p99 time per question, beside a naive rapidfuzz.process.extractOne
scan over every fact's text measured in the same run; then the cold `livebot ask` time.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import make_kb  # noqa: E402
from rapidfuzz import fuzz, process, utils  # noqa: E402

from bot.curation.evaluate import SAMPLE_QUESTIONS, load_cases  # noqa: E402
from bot.engine import Engine  # noqa: E402
from bot.engine.reading import read  # noqa: E402
from bot.engine.search import SearchIndex  # noqa: E402
from bot.knowledge import load_knowledge  # noqa: E402


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def timed(fn, repeat: int = 1) -> float:  # type: ignore[no-untyped-def]
    """The best of `repeat` runs of fn(), each timed up to its result, not its result's teardown."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
        del result
    return best


def per_question(fn, questions: list[str], rounds: int) -> list[float]:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(rounds):
        for question in questions:
            start = time.perf_counter()
            fn(question)
            samples.append(time.perf_counter() - start)
    return samples


def measure(label: str, directory: Path | None, questions: list[str], rounds: int) -> None:
    load = timed(lambda: load_knowledge(directory), repeat=5)
    kb = load_knowledge(directory)
    index_time = timed(lambda: SearchIndex.build(kb), repeat=5)
    engine = Engine(kb, cache_size=0)  # every question answered afresh, as if never asked before
    texts = [f.text for f in kb.facts]

    def afresh(question: str) -> object:
        read.cache_clear()  # nor read before
        return engine.ask(question)

    ours = per_question(afresh, questions, rounds)
    naive = per_question(
        lambda q: process.extractOne(q, texts, scorer=fuzz.WRatio, processor=utils.default_process), questions, rounds
    )
    (p50, p99), (n50, n99) = percentiles(ours), percentiles(naive)
    print(
        f"{label}: {len(kb.facts)} facts; load {load * 1000:.0f} ms, index {index_time * 1000:.0f} ms, "
        f"load+index {(load + index_time) * 1000:.0f} ms"
    )
    print(f"  livebot  per question: p50 {p50 * 1000:.2f} ms, p99 {p99 * 1000:.2f} ms ({len(ours)} questions)")
    print(f"  naive extractOne scan: p50 {n50 * 1000:.2f} ms, p99 {n99 * 1000:.2f} ms")


def synthetic_questions(directory: Path, count: int) -> list[str]:
    kb = load_knowledge(directory)
    rng = random.Random(7)
    out = []
    for fact in rng.sample(list(kb.facts), count):
        city = kb.entities[fact.about[0]].name
        words = fact.text.split()
        style = rng.randrange(4)
        if style == 0:
            out.append(f"How many {fact.numbers[0].measure.replace('-', ' ')} does {city} have?")
        elif style == 1:
            out.append(" ".join(rng.sample(words, min(4, len(words)))))
        elif style == 2:
            out.append(city[:-1] + "o " + fact.numbers[0].measure.replace("-", " "))
        else:
            out.append(fact.text_zh or fact.text)
    return out


def cold_ask(runs: int = 5) -> float:
    command = [sys.executable, "-m", "bot", "ask", "Which city has the most anchors?"]
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, cwd=ROOT, capture_output=True, check=True)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--facts", type=int, default=10_000)
    parser.add_argument("--questions", type=Path, default=ROOT.parent / "shared" / "eval" / "dev-questions.toml")
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    if not args.questions.is_file():
        args.questions = SAMPLE_QUESTIONS
    questions = [c.q for c in load_cases(args.questions)]
    measure("bundled", None, questions, args.rounds)
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        for name, text in make_kb.build(args.facts, seed=1).items():
            (directory / name).write_text(text, encoding="utf-8")
        mixed = questions + synthetic_questions(directory, 200)
        measure(f"synthetic {args.facts}", directory, mixed, max(1, args.rounds // 10))
    print(f"cold `livebot ask`: {cold_ask() * 1000:.0f} ms (median of 5)")


if __name__ == "__main__":
    main()
