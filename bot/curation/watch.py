"""Fresh knowledge without a restart: KnowledgeWatcher(dir, on_change).poll(), or await watch(...).

Polls the directory's *.toml names, sizes and modification times; after a change it waits until
they have stayed the same for `settle` seconds, so a file still being written is never read, then
loads and checks the knowledge. A valid edit goes to on_change(kb); a broken one is logged, every
problem on its own line, goes to on_error(problems), and the old knowledge stays live.
No threads and no Telegram here: the caller decides where poll() runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from bot.errors import KnowledgeError
from bot.knowledge import KnowledgeBase, Problem, counts_text, load_knowledge

logger = logging.getLogger(__name__)

Snapshot = tuple[tuple[str, int, int], ...]  # (name, size, mtime_ns) per *.toml file, sorted


def snapshot(directory: Path) -> Snapshot:
    """Names, sizes and modification times of the directory's *.toml files; () if it is missing."""
    found = []
    try:
        files = list(directory.glob("*.toml"))
    except OSError:
        return ()
    for file in files:
        try:
            stat = file.stat()
        except OSError:
            continue
        found.append((file.name, stat.st_size, stat.st_mtime_ns))
    return tuple(sorted(found))


def fingerprint(directory: Path, files: Snapshot) -> str:
    """A hash of the listed files' names and contents, to tell an edit from a mere touch."""
    digest = hashlib.sha256()
    for name, _size, _mtime in files:
        digest.update(name.encode() + b"\0")
        try:
            digest.update((directory / name).read_bytes())
        except OSError:
            digest.update(b"\1missing")
        digest.update(b"\0")
    return digest.hexdigest()


class KnowledgeWatcher:
    """Notices a changed knowledge directory and hands over the new knowledge once it is valid.

    The state at construction counts as the knowledge already loaded.
    """

    def __init__(
        self,
        directory: Path,
        on_change: Callable[[KnowledgeBase], object],
        *,
        interval: float = 1.0,
        settle: float = 1.0,
        on_error: Callable[[Sequence[Problem]], object] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.directory = Path(directory)
        self.on_change = on_change
        self.on_error = on_error
        self.interval = interval
        self.settle = settle
        self._clock = clock
        self._seen = snapshot(self.directory)
        self._handled = fingerprint(self.directory, self._seen)
        self._pending = False
        self._since = clock()

    @property
    def pending(self) -> bool:
        """True while a change is waiting to settle."""
        return self._pending

    def poll(self) -> bool:
        """Looks once; True if a settled change was handled (on_change or on_error was called)."""
        now = snapshot(self.directory)
        if now != self._seen:
            self._seen, self._pending, self._since = now, True, self._clock()
            return False
        if not self._pending or self._clock() - self._since < self.settle:
            return False
        self._pending = False
        content = fingerprint(self.directory, now)
        if content == self._handled:
            return False
        return self._load(now, content)

    def _load(self, files: Snapshot, content: str) -> bool:
        kb: KnowledgeBase | None = None
        problems: Sequence[Problem] = ()
        try:
            kb = load_knowledge(self.directory)
        except KnowledgeError as exc:
            problems = exc.problems
        if snapshot(self.directory) != files:
            self._pending = True  # edited while being read: wait for it to settle again
            return False
        self._handled = content
        if kb is None:
            self._reject(problems)
        else:
            logger.info("knowledge in %s changed: %s", self.directory, counts_text(kb.counts()))
            self.on_change(kb)
        return True

    def _reject(self, problems: Sequence[Problem]) -> None:
        logger.error(
            "knowledge in %s changed but has %d problem(s); keeping the last good knowledge",
            self.directory,
            len(problems),
        )
        for problem in problems:
            logger.error("  %s", problem)
        if self.on_error is not None:
            self.on_error(problems)


async def watch(watcher: KnowledgeWatcher, stop: asyncio.Event) -> None:
    """Polls every `watcher.interval` seconds until `stop` is set, returning within one interval.

    Each poll runs in a worker thread (loading knowledge takes a while), so on_change and on_error
    run there too: let them swap a reference and log, nothing more. An exception from a poll is
    logged and watching goes on.
    """
    while not stop.is_set():
        try:
            await asyncio.to_thread(watcher.poll)
        except Exception:
            logger.exception("watching %s failed; trying again", watcher.directory)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=watcher.interval)
