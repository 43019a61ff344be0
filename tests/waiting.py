"""Waiting, bounded, for what a background thread, process or server does."""

from __future__ import annotations

import time
from collections.abc import Callable


def eventually(predicate: Callable[[], object], timeout: float = 10.0, interval: float = 0.02) -> None:
    """Returns once `predicate()` is true; fails the test if it is not within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(interval)
