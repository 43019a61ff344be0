"""What a chart costs: python bench/chart_bench.py [--cold 5] [--warm 20].

Cold: a fresh interpreter answers the Guangzhou/Hangzhou comparison, then draws its chart (importing
matplotlib, choosing the font, drawing); timed from the first chart call to the PNG, median of
--cold runs, once more with an empty matplotlib cache folder (the first chart a new install draws,
which lists the system's fonts). Warm: --warm charts each of the English and the Chinese comparison
in one process, median and slowest. RSS: what the process holds after its charts over what it held
before the first (VmRSS). Last, `livebot ask` without --chart, the same comparison from a fresh
interpreter, against the 0.6 s cold-start bar, and whether it loaded matplotlib.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

COLD_BAR = 0.6  # seconds for `livebot ask` from a fresh interpreter
TRIAL = """
import json, sys, time
from bot.engine import Engine
def rss():
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:")) / 1024
engine = Engine.load()
answers = [engine.compare("guangzhou", "hangzhou"), engine.compare("广州", "杭州", "zh")]
before = rss()
t0 = time.perf_counter()
from bot import charts
charts.draw(answers[0])
cold = time.perf_counter() - t0
first = rss()
warm = {"en": [], "zh": []}
for _ in range(int(sys.argv[1])):
    for language, answer in zip(("en", "zh"), answers):
        t0 = time.perf_counter()
        charts.draw(answer)
        warm[language].append(time.perf_counter() - t0)
print(json.dumps({"cold": cold, "warm": warm, "rss_first": first - before, "rss_after": rss() - before}))
"""


def trial(warm: int, env: dict[str, str]) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-c", TRIAL, str(warm)], capture_output=True, text=True, check=True, cwd=ROOT, env=env
    )
    found: dict[str, object] = json.loads(result.stdout)
    return found


def ask_cold(runs: int) -> tuple[float, bool]:
    """Median seconds of `livebot ask` (no --chart) in a fresh interpreter, and whether any loaded matplotlib."""
    code = (
        "import sys, time; t0 = time.perf_counter(); from bot.cli import main;"
        "main(['ask', 'which plan trains more people, guangzhou or hangzhou']);"
        "print('\\nBENCH', time.perf_counter() - t0, 'matplotlib' in sys.modules)"
    )
    times, loaded = [], False
    env = {**os.environ, "LIVEBOT_RECORD": "0"}
    for _ in range(runs):
        t0 = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT, env=env
        )
        times.append(time.perf_counter() - t0)
        loaded = loaded or out.stdout.rsplit("BENCH", 1)[1].split()[1] == "True"
    return statistics.median(times), loaded


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cold", type=int, default=5, help="fresh interpreters to time")
    parser.add_argument("--warm", type=int, default=20, help="warm charts per language")
    args = parser.parse_args()
    env = {**os.environ, "LIVEBOT_RECORD": "0"}
    runs = [trial(args.warm if i == 0 else 1, env) for i in range(args.cold)]
    with tempfile.TemporaryDirectory() as empty:
        new_install = trial(1, {**env, "MPLCONFIGDIR": empty})
    cold = statistics.median(float(r["cold"]) for r in runs)  # type: ignore[arg-type]
    warm: dict[str, list[float]] = runs[0]["warm"]  # type: ignore[assignment]
    print(f"chart cold (fresh process: import matplotlib, pick the font, draw): {cold:.2f} s median of {args.cold}")
    print(f"chart cold, new install (matplotlib lists the system's fonts first): {new_install['cold']:.2f} s")
    for language, times in warm.items():
        print(
            f"chart warm, {language}: {statistics.median(times) * 1000:.0f} ms median, "
            f"{max(times) * 1000:.0f} ms slowest of {len(times)}"
        )
    print(
        f"RSS added: {runs[0]['rss_first']:.0f} MiB after the first chart, "
        f"{runs[0]['rss_after']:.0f} MiB after {1 + 2 * args.warm}"
    )
    seconds, loaded = ask_cold(args.cold)
    verdict = "within" if seconds < COLD_BAR else "OVER"
    print(
        f"livebot ask without --chart, fresh process: {seconds:.2f} s median ({verdict} the {COLD_BAR} s bar); "
        f"matplotlib loaded: {'yes' if loaded else 'no'}"
    )


if __name__ == "__main__":
    main()
