"""Load benchmark: N private questions through the fake Bot API, livebot beside a bare PTB echo bot.

Run by hand from the checkout:  .venv/bin/python bench/bot_load.py [-n 2000] [--window 1] [--rounds 3]

Each bot runs in its own subprocess, polling the same strict fake server (tests/fakebotapi.py) in
this process. After a warm-up, N updates are fed, at most `window` unanswered at a time, each from
its own private chat; a slot frees once the server has sent its answer to the reply, so a bot
is never kept waiting for that answer while the next update is being fed. Printed per bot: CPU
seconds per 1,000 updates (the child's getrusage delta over the measured run; the median of the
rounds, which alternate the bots), p50/p99 latency from feeding an update to its reply reaching
the server, peak RSS, and how often per update the bot went idle waiting for the server
(voluntary context switches). Idling is not free: on the 2-CPU
virtual machine this was written on, a core idle for 2 ms or more ran the next work about a fifth
slower, so a bot whose replies the strict server takes longer to check pays CPU for the wait that
a bot answered while still busy does not. livebot runs with its rate limiter in place but its flood
limit raised, so the numbers measure work rather than Telegram's 30 messages a second.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

TOKEN = "123456789:AAFakeTokenForTestsOnly_abcdefghijklmnop"
QUESTIONS = (
    "What are the targets of Hangzhou's plan?",
    "Which city has the most live-streaming anchors?",
    "义乌",
    "What is a Live Salesman?",
    "Double Product festival sales",
    "What is the weather in Chengdu tomorrow?",
    "广州直播电商行动方案的目标是什么？",
    "Tell me about Shanghai",
)
WARM_UP = 50
CPU: list[int | None] = [None]  # the CPU the bots run on, when the driver could set one aside
ALLOWED = ["message", "edited_message", "callback_query", "inline_query"]


# -- the child: one bot, polling until SIGTERM -------------------------------------------------


def usage() -> dict[str, float]:
    """CPU seconds and peak RSS (KiB) of this process.

    On Linux ru_maxrss also counts the parent's RSS at fork (the high-water mark survives exec),
    so the driver's own growth would show up in every bot; VmHWM is this program's alone.
    """
    ru = resource.getrusage(resource.RUSAGE_SELF)
    peak = float(ru.ru_maxrss)
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            peak = float(next(line.split()[1] for line in status if line.startswith("VmHWM:")))
    except (OSError, StopIteration):
        pass
    return {"cpu": ru.ru_utime + ru.ru_stime, "maxrss_kb": peak, "waits": float(ru.ru_nvcsw)}


def split_cpus() -> int | None:
    """On Linux with 2+ CPUs, keeps this driver (the fake server) off the last CPU and returns it
    for the bot, so the two do not compete for one core."""
    cpus = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_setaffinity") else []
    if len(cpus) < 2:
        return None
    os.sched_setaffinity(0, set(cpus[:-1]))
    return cpus[-1]


def serve(kind: str, base_url: str, cpu: int | None) -> None:
    import logging

    if cpu is not None:
        os.sched_setaffinity(0, {cpu})
    logging.basicConfig(level=logging.WARNING)
    signal.signal(signal.SIGUSR1, lambda *_: print(json.dumps(usage()), flush=True))
    app = livebot_app(base_url) if kind == "livebot" else echo_app(base_url)
    app.run_polling(allowed_updates=ALLOWED, poll_interval=0)
    print(json.dumps(usage()), flush=True)


def livebot_app(base_url: str) -> Any:
    from bot.config import Settings
    from bot.handlers import build_application
    from bot.reload import LiveEngine

    settings = Settings(token=TOKEN, base_url=base_url, max_rate=1_000_000, group_max_rate=1_000_000)
    return build_application(settings, LiveEngine.load())


def echo_app(base_url: str) -> Any:
    from telegram import Update
    from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.message and update.message.text:
            await update.message.reply_text(update.message.text)

    app = ApplicationBuilder().token(TOKEN).base_url(base_url).build()
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    return app


# -- the driver --------------------------------------------------------------------------------


class Child:
    def __init__(self, kind: str, base_url: str) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        cpu = [] if CPU[0] is None else ["--cpu", str(CPU[0])]
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "--serve", kind, "--base-url", base_url, *cpu],
            stdout=subprocess.PIPE, text=True, env=env,
        )

    def usage(self) -> dict[str, float]:
        self.proc.send_signal(signal.SIGUSR1)
        assert self.proc.stdout is not None
        return dict(json.loads(self.proc.stdout.readline()))

    def stop(self) -> dict[str, float]:
        self.proc.send_signal(signal.SIGTERM)
        assert self.proc.stdout is not None
        final = dict(json.loads(self.proc.stdout.readline()))
        self.proc.wait(30)
        return final


def drive(fake: Any, count: int, window: int, first_user: int) -> list[float]:
    """Feeds `count` questions, at most `window` unanswered; returns each one's latency in seconds."""
    from fakebotapi import message

    fed: dict[int, float] = {}
    latencies: list[float] = []
    slots = threading.Semaphore(window)
    done = threading.Event()
    lock = threading.Lock()

    def on_call(call: Any) -> None:
        if call.method == "sendMessage" and call.ok:
            with lock:
                started = fed.pop(call.params["chat_id"], None)
                if started is None:
                    return
                latencies.append(call.at - started)
                if len(latencies) == count:
                    done.set()
            slots.release()

    fake.listeners.append(on_call)
    for i in range(count):
        if not slots.acquire(timeout=30):
            raise SystemExit(f"no reply within 30 s after {len(latencies)} updates")
        user = {"id": first_user + i, "is_bot": False, "first_name": "U", "language_code": "en"}
        with lock:
            fed[user["id"]] = time.monotonic()
        fake.feed({"message": message(QUESTIONS[i % len(QUESTIONS)], user=user)})
    if not done.wait(60):
        raise SystemExit("replies missing at the end of the run")
    fake.listeners.remove(on_call)
    return latencies


def run_once(kind: str, count: int, window: int, spec: Any) -> dict[str, Any]:
    """One bot in a fresh subprocess on a fresh fake server: CPU of the measured run, latencies, RSS."""
    from fakebotapi import FakeBotApi

    with FakeBotApi(TOKEN, spec=spec) as fake:
        child = Child(kind, fake.base_url)
        fake.arrived("getUpdates", timeout=30)
        drive(fake, WARM_UP, window, 10_000_000)
        before = child.usage()
        started = time.monotonic()
        latencies = drive(fake, count, window, 20_000_000)
        wall = time.monotonic() - started
        after = child.usage()
        final = child.stop()
        if fake.violations:
            raise SystemExit(f"{kind} made calls Telegram would refuse: {fake.violations[:3]}")
    cpu = (after["cpu"] - before["cpu"]) / count * 1000
    waits = (after["waits"] - before["waits"]) / count
    rss_mb = final["maxrss_kb"] / 1024
    return {"cpu": cpu, "latencies": latencies, "rate": count / wall, "rss_mb": rss_mb, "waits": waits}


def measure(count: int, window: int, rounds: int, spec: Any) -> dict[str, dict[str, Any]]:
    """Alternates the two bots for `rounds` rounds (the order swapping each round, against drift on
    a shared machine) and keeps the median CPU, pooled latencies and the highest RSS."""
    runs: dict[str, list[dict[str, Any]]] = {"echo": [], "livebot": []}
    for r in range(rounds):
        for kind in ("echo", "livebot") if r % 2 == 0 else ("livebot", "echo"):
            runs[kind].append(run_once(kind, count, window, spec))
            print(f"  round {r + 1} {kind:8} {runs[kind][-1]['cpu']:7.3f} CPU s/1000", file=sys.stderr)
    results = {}
    for kind, done in runs.items():
        latencies = sorted(x for run in done for x in run["latencies"])
        results[kind] = {
            "cpu": statistics.median(run["cpu"] for run in done),
            "cpus": [run["cpu"] for run in done],
            "p50": statistics.median(latencies) * 1000,
            "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
            "rate": statistics.median(run["rate"] for run in done),
            "rss": max(run["rss_mb"] for run in done),
            "waits": statistics.median(run["waits"] for run in done),
        }
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("-n", "--updates", type=int, default=2000)
    parser.add_argument("--window", type=int, default=1, help="updates in flight at once (default 1)")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each bot, alternating (default 3)")
    parser.add_argument("--serve", choices=["livebot", "echo"], help=argparse.SUPPRESS)
    parser.add_argument("--base-url", help=argparse.SUPPRESS)
    parser.add_argument("--cpu", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.base_url, args.cpu)
        return 0
    from botapi_rules import Spec

    CPU[0] = split_cpus()
    spec = Spec.load()
    results = measure(args.updates, args.window, args.rounds, spec)
    print(f"{args.updates} updates x {args.rounds} rounds, window {args.window}, "
          f"spec checks {'on' if spec else 'off'}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}")
    print(f"{'':8} {'CPU s/1000':>11} {'(each round)':>24} {'p50 ms':>7} {'p99 ms':>7} {'upd/s':>6} {'RSS MB':>7} {'idle/upd':>8}")
    for kind, r in results.items():
        rounds = " ".join(f"{c:.2f}" for c in r["cpus"])
        print(f"{kind:8} {r['cpu']:11.3f} {rounds:>24} {r['p50']:7.2f} {r['p99']:7.2f} {r['rate']:6.0f} {r['rss']:7.1f} {r['waits']:8.2f}")
    ratio = results["livebot"]["cpu"] / results["echo"]["cpu"]
    print(f"livebot CPU per update = {ratio:.2f}x the echo bot's (target <= 1.25x); "
          f"peak RSS {results['livebot']['rss']:.0f} MB (target <= 100 MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
