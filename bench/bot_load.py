"""Load benchmark: N private questions through the fake Bot API, livebot beside a bare PTB echo bot.

Run by hand from the checkout:  .venv/bin/python bench/bot_load.py [-n 2000] [--block 100] [--window 1]

Both bots run at once, each in its own subprocess polling its own instance of the strict fake
server (tests/fakebotapi.py) in this process, both on one CPU and this driver on the others. After a
warm-up, the N updates per bot are fed in blocks, the bots taking turns block by block (who goes
first swapping each pair), at most `window` unanswered at a time, each from its own private chat; a
slot frees once the server has sent its answer to the reply, so a bot is never kept waiting for
that answer while the next update is being fed.

Printed per bot: CPU seconds per 1,000 updates (the child's getrusage over its blocks), p50/p99
latency from feeding an update to its reply reaching the server, peak RSS, and how often per
update the bot went idle waiting for the server (voluntary context switches). The ratio is the
median, over the pairs of neighbouring blocks, of livebot's CPU per update over the echo bot's. On
the 2-CPU virtual machine this was written on, one bot's CPU per update moved by up to a third
between runs minutes apart, and between the blocks of one run too; bots measured one after the
other took that drift for a difference between them, while blocks a fraction of a second apart
share most of it. livebot runs with its rate limiter in place but its flood limit raised, so the
numbers measure work rather than Telegram's 30 messages a second.
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
    from bot.curation.reload import LiveEngine
    from bot.telegram.handlers import build_application

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
            stdout=subprocess.PIPE,
            text=True,
            env=env,
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


class Bot:
    """One bot under load: its subprocess, its fake server, and what its blocks measured."""

    def __init__(self, kind: str, fake: Any) -> None:
        self.kind = kind
        self.fake = fake
        self.child = Child(kind, fake.base_url)
        self.blocks: list[tuple[float, float]] = []  # (CPU seconds, idle waits) per update, a block each
        self.latencies: list[float] = []

    def warm_up(self, window: int, first_user: int) -> None:
        self.fake.arrived("getUpdates", timeout=30)
        drive(self.fake, WARM_UP, window, first_user)

    def run_block(self, count: int, window: int, first_user: int) -> None:
        before = self.child.usage()
        self.latencies += drive(self.fake, count, window, first_user)
        after = self.child.usage()
        self.blocks.append(((after["cpu"] - before["cpu"]) / count, (after["waits"] - before["waits"]) / count))


def measure(count: int, window: int, block: int, spec: Any) -> dict[str, Any]:
    """Runs both bots at once, taking turns block by block; returns each bot's figures and the
    livebot/echo CPU ratio of each pair of neighbouring blocks."""
    from fakebotapi import FakeBotApi

    users = iter(range(10_000_000, 1 << 40, 1_000_000))  # a fresh range of private chats per block
    with FakeBotApi(TOKEN, spec=spec) as echo_api, FakeBotApi(TOKEN, spec=spec) as livebot_api:
        bots = {"echo": Bot("echo", echo_api), "livebot": Bot("livebot", livebot_api)}
        for bot in bots.values():
            bot.warm_up(window, next(users))
        started = time.monotonic()
        for i, first in enumerate(range(0, count, block)):
            for kind in ("echo", "livebot") if i % 2 == 0 else ("livebot", "echo"):
                bots[kind].run_block(min(block, count - first), window, next(users))
        wall = time.monotonic() - started
        rss = {kind: bot.child.stop()["maxrss_kb"] / 1024 for kind, bot in bots.items()}
        for bot in bots.values():
            if bot.fake.violations:
                raise SystemExit(f"{bot.kind} made calls Telegram would refuse: {bot.fake.violations[:3]}")
    results: dict[str, Any] = {}
    for kind, bot in bots.items():
        latencies = sorted(bot.latencies)
        results[kind] = {
            "cpu": sum(cpu for cpu, _ in bot.blocks) / len(bot.blocks) * 1000,
            "p50": statistics.median(latencies) * 1000,
            "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
            "rss": rss[kind],
            "waits": statistics.median(waits for _, waits in bot.blocks),
        }
    pairs = zip(bots["livebot"].blocks, bots["echo"].blocks)
    results["ratios"] = sorted(live[0] / echo[0] for live, echo in pairs)
    results["wall"] = wall
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("-n", "--updates", type=int, default=2000, help="updates per bot (default 2000)")
    parser.add_argument("--block", type=int, default=100, help="updates per turn (default 100)")
    parser.add_argument("--window", type=int, default=1, help="updates in flight at once (default 1)")
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
    results = measure(args.updates, args.window, args.block, spec)
    ratios = results["ratios"]
    print(
        f"{args.updates} updates per bot in blocks of {args.block}, window {args.window}, "
        f"spec checks {'on' if spec else 'off'}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}, "
        f"{results['wall']:.0f} s"
    )
    print(f"{'':8} {'CPU s/1000':>11} {'p50 ms':>7} {'p99 ms':>7} {'RSS MB':>7} {'idle/upd':>8}")
    for kind in ("echo", "livebot"):
        r = results[kind]
        print(f"{kind:8} {r['cpu']:11.3f} {r['p50']:7.2f} {r['p99']:7.2f} {r['rss']:7.1f} {r['waits']:8.2f}")
    quartiles = statistics.quantiles(ratios, n=4) if len(ratios) > 1 else ratios * 3
    print(
        f"livebot CPU per update = {statistics.median(ratios):.2f}x the echo bot's, the median of "
        f"{len(ratios)} pairs of blocks (middle half {quartiles[0]:.2f}-{quartiles[2]:.2f}; "
        f"all blocks {results['livebot']['cpu'] / results['echo']['cpu']:.2f}x; target <= 1.25x); "
        f"peak RSS {results['livebot']['rss']:.0f} MB (target <= 100 MB)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
