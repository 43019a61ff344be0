"""Soak benchmark: does livebot's memory stay flat over many users and updates?

Run by hand from the checkout (Linux):  .venv/bin/python bench/soak.py [-n 20000] [--users 2000] [--window 64]

livebot runs as in production (`build_application`, long polling, recording questions into an
SQLite file in a temporary data directory) in a subprocess polling the strict fake Bot API server
(tests/fakebotapi.py) in this process. Each of the users sends n/users updates, the users taking
turns: mostly typed questions, and among them inline queries and 👍 presses on the user's last
answer, so whatever the bot keeps per chat or per user (pacing buckets, held inline queries,
conversation state) is kept for every user at once. At most `window` updates wait for their answer.

The first round (one update from each user) is the warm-up. Printed: the bot's resident memory
(VmRSS) after the warm-up, after every further round and at the end, and its growth since the
warm-up; the target is at most 10 MB. The flood limit is raised, as in bot_load.py, so the run
measures the bot rather than Telegram's 30 messages a second; each private chat is still paced.
"""

from __future__ import annotations

import argparse
import itertools
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from bot_load import ALLOWED, QUESTIONS, TOKEN  # noqa: E402

TARGET_MB = 10.0
INLINE = ("hangzhou pl", "义乌", "live salesman", "anchors in chen")
REPLIES = {"sendMessage": "chat_id", "answerInlineQuery": "inline_query_id", "answerCallbackQuery": "callback_query_id"}


def serve(base_url: str, data_dir: str) -> None:
    """The child: livebot polling the fake until SIGTERM."""
    import logging

    from bot.config import Settings
    from bot.curation.reload import LiveEngine
    from bot.telegram.handlers import build_application

    logging.basicConfig(level=logging.WARNING)
    settings = Settings(
        token=TOKEN, base_url=base_url, data_dir=Path(data_dir), max_rate=1_000_000, group_max_rate=1_000_000
    )
    build_application(settings, LiveEngine.load()).run_polling(allowed_updates=ALLOWED, poll_interval=0)


def rss_mb(pid: int) -> float:
    """A process's resident memory now, in MB (Linux's VmRSS)."""
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:"))) / 1024


class Driver:
    """Feeds updates to the fake, at most `window` unanswered, and keeps each user's last answer."""

    def __init__(self, fake: Any, window: int) -> None:
        self.fake = fake
        self.slots = threading.Semaphore(window)
        self.waiting: set[tuple[str, str]] = set()
        self.last_answer: dict[int, Any] = {}
        self.lock = threading.Lock()
        self.ids = itertools.count(1)
        fake.listeners.append(self.on_call)

    def on_call(self, call: Any) -> None:
        field = REPLIES.get(call.method)
        if field is None or not call.ok:
            return
        key = (call.method, str(call.params[field]))
        with self.lock:
            if key not in self.waiting:
                return  # the second part of a long answer
            self.waiting.discard(key)
            if call.method == "sendMessage":
                self.last_answer[int(call.params["chat_id"])] = call
        self.slots.release()

    def feed(self, user: dict[str, Any], turn: int) -> None:
        from fakebotapi import callback, inline, message

        if not self.slots.acquire(timeout=60):
            raise SystemExit(f"no answer within 60 s; still waiting for {len(self.waiting)}")
        votes = [b["callback_data"] for b in self._last_buttons(user["id"]) if b["callback_data"].startswith("v|")]
        if turn % 5 == 3:
            update, key = inline(INLINE[turn % len(INLINE)], user=user), "answerInlineQuery"
        elif turn % 5 == 4 and votes:
            update, key = callback(self.last_answer[user["id"]], votes[0], user=user), "answerCallbackQuery"
        else:
            update, key = {"message": message(QUESTIONS[turn % len(QUESTIONS)], user=user)}, "sendMessage"
        kind = next(k for k in update if k != "update_id")
        ident = user["id"] if key == "sendMessage" else update[kind]["id"]
        with self.lock:
            self.waiting.add((key, str(ident)))
        self.fake.feed(update)

    def _last_buttons(self, user_id: int) -> list[dict[str, Any]]:
        with self.lock:
            last = self.last_answer.get(user_id)
        return last.buttons if last is not None else []

    def drain(self, window: int) -> None:
        for _ in range(window):
            if not self.slots.acquire(timeout=60):
                raise SystemExit(f"answers missing at the end: {len(self.waiting)}")


def soak(count: int, users: int, window: int) -> list[tuple[int, float]]:
    """Runs the soak; returns (updates so far, the bot's RSS in MB) after each round of users."""
    from botapi_rules import Spec
    from fakebotapi import FakeBotApi

    people = [{"id": 50_000_000 + i, "is_bot": False, "first_name": "U", "language_code": "en"} for i in range(users)]
    samples: list[tuple[int, float]] = []
    with tempfile.TemporaryDirectory() as data_dir, FakeBotApi(TOKEN, spec=Spec.load()) as fake:
        child = subprocess.Popen([sys.executable, __file__, "--serve", fake.base_url, data_dir])
        try:
            fake.arrived("getUpdates", timeout=30)
            driver = Driver(fake, window)
            for turn in range(count // users):
                for user in people:
                    driver.feed(user, turn)
                driver.drain(window)
                samples.append(((turn + 1) * users, rss_mb(child.pid)))
                driver.slots.release(window)
                print(f"  {samples[-1][0]:6} updates: RSS {samples[-1][1]:6.1f} MB", flush=True)
        finally:
            child.send_signal(signal.SIGTERM)
            child.wait(30)
        if fake.violations:
            raise SystemExit(f"the bot made calls Telegram would refuse: {fake.violations[:3]}")
    return samples


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("-n", "--updates", type=int, default=20_000, help="updates in all (default 20000)")
    parser.add_argument("--users", type=int, default=2_000, help="users sending them (default 2000)")
    parser.add_argument("--window", type=int, default=64, help="updates waiting for an answer at once (default 64)")
    parser.add_argument("--serve", nargs=2, metavar=("BASE_URL", "DATA_DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(*args.serve)
        return 0
    started = time.monotonic()
    print(f"{args.updates} updates from {args.users} users, window {args.window}, {os.cpu_count()} CPUs")
    samples = soak(args.updates, args.users, args.window)
    warm, final = samples[0][1], samples[-1][1]
    peak = max(rss for _, rss in samples)
    print(
        f"RSS after the warm-up {warm:.1f} MB, at the end {final:.1f} MB: growth {final - warm:+.1f} MB, "
        f"highest {peak:.1f} MB (target: growth <= {TARGET_MB:.0f} MB); {time.monotonic() - started:.0f} s"
    )
    return 0 if final - warm <= TARGET_MB else 1


if __name__ == "__main__":
    raise SystemExit(main())
