"""The live knowledge: one Engine that every question reads, swapped whole when a reload succeeds.

Pure apart from reading the knowledge files: no Telegram, no event loop. A reload that finds any
problem changes nothing, so the bot keeps answering from the last good knowledge.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bot.engine import Engine
from bot.errors import KnowledgeError
from bot.knowledge import KnowledgeBase, Problem, counts_text, load_knowledge


@dataclass(frozen=True, slots=True)
class KnowledgeDiff:
    """Fact ids added, removed and edited between two knowledge bases, each sorted."""

    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    edited: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed or self.edited)


@dataclass(frozen=True, slots=True)
class ReloadResult:
    """What a reload did: on success the new counts and diff; on failure every problem found."""

    counts: dict[str, int]
    diff: KnowledgeDiff
    problems: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True, slots=True)
class _Loaded:
    engine: Engine
    at: datetime


def diff(old: KnowledgeBase, new: KnowledgeBase) -> KnowledgeDiff:
    """Compares facts by id; a fact is edited when any of its fields differs."""
    before = {f.id: f for f in old.facts}
    after = {f.id: f for f in new.facts}
    return KnowledgeDiff(
        added=tuple(sorted(after.keys() - before.keys())),
        removed=tuple(sorted(before.keys() - after.keys())),
        edited=tuple(sorted(i for i in before.keys() & after.keys() if before[i] != after[i])),
    )


class LiveEngine:
    """Holds the Engine in use. Readers take `.engine` once per question and keep that reference,
    so a question in flight finishes on the knowledge it started with."""

    def __init__(self, engine: Engine, directory: Path | None = None, loaded_at: datetime | None = None) -> None:
        self.directory = directory
        self._current = _Loaded(engine, loaded_at or _now())
        self._lock = threading.Lock()

    @classmethod
    def load(cls, directory: Path | None = None) -> LiveEngine:
        """Loads a knowledge directory (None: bundled); raises KnowledgeError like Engine.load."""
        return cls(Engine.load(directory), directory)

    @property
    def engine(self) -> Engine:
        return self._current.engine

    @property
    def loaded_at(self) -> datetime:
        return self._current.at

    def reload(self) -> ReloadResult:
        """Loads and checks the directory again; swaps the Engine in only if it is valid.

        Blocking (it reads and indexes files): call it from a worker thread in async code.
        Concurrent reloads run one after the other.
        """
        with self._lock:
            try:
                kb = load_knowledge(self.directory)
            except KnowledgeError as exc:
                return ReloadResult(self.engine.kb.counts(), KnowledgeDiff(), exc.problems)
            return self._swap(kb)

    def swap(self, kb: KnowledgeBase) -> ReloadResult:
        """Puts an already validated knowledge base live (for a directory watcher's on_change)."""
        with self._lock:
            return self._swap(kb)

    def _swap(self, kb: KnowledgeBase) -> ReloadResult:
        old = self._current.engine.kb
        self._current = _Loaded(Engine(kb), _now())
        return ReloadResult(kb.counts(), diff(old, kb))


def _now() -> datetime:
    return datetime.now(UTC)


def summary(result: ReloadResult) -> str:
    """One log line for a reload's outcome."""
    if not result.ok:
        return f"failed with {len(result.problems)} problem(s); kept the last good knowledge"
    d = result.diff
    facts = f"facts {len(d.added)} added, {len(d.removed)} removed, {len(d.edited)} edited"
    return f"reloaded: {counts_text(result.counts)}; {facts}"
