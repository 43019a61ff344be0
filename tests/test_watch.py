"""Watch mode: a changed knowledge directory is swapped in once stable and valid, never half-edited."""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import time

import pytest

import bot.curation.watch as watching
from bot.curation.watch import KnowledgeWatcher, watch
from bot.engine import Engine
from bot.knowledge import bundled_dir, load_knowledge

SETTLE = 0.05
FACT_LINE = (
    'text = "In the first quarter of 2020, Freshippo achieved both online and offline growth '
    'in its more than 200 stores across the country."'
)
NEW_LINE = (
    'text = "In the first quarter of 2020, Freshippo grew online and offline in its more than 200 stores, '
    'with zorblax pilots."'
)


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


class Calls:
    """Collects what the watcher hands over."""

    def __init__(self):
        self.changes = []
        self.errors = []


@pytest.fixture
def kb_dir(tmp_path):
    return shutil.copytree(bundled_dir(), tmp_path / "knowledge")


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def calls():
    return Calls()


@pytest.fixture
def watcher(kb_dir, clock, calls):
    return KnowledgeWatcher(kb_dir, calls.changes.append, settle=SETTLE, on_error=calls.errors.append, clock=clock)


def edit(kb_dir, old, new):
    path = kb_dir / "companies.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def fact_text(kb, fact_id="freshippo-stores-growth"):
    return next(f.text for f in kb.facts if f.id == fact_id)


def test_a_valid_edit_is_swapped_in_after_the_settle_time(kb_dir, watcher, clock, calls):
    """An edit is ignored until the files have been still for `settle` seconds, then handed over once."""
    edit(kb_dir, FACT_LINE, NEW_LINE)
    assert watcher.poll() is False
    clock.now += SETTLE / 2
    assert watcher.poll() is False
    clock.now += SETTLE
    assert watcher.poll() is True
    [kb] = calls.changes
    assert "zorblax" in fact_text(kb)
    assert calls.errors == []
    clock.now += SETTLE * 2
    assert watcher.poll() is False and len(calls.changes) == 1


def test_a_broken_edit_keeps_the_old_knowledge_and_logs_every_problem(kb_dir, watcher, clock, calls, caplog):
    """An edit with two problems is rejected: on_error gets both, each is logged as file:line: key: message."""
    edit(kb_dir, 'shanghai"]\nsource = "src-shanghai-public-data"', 'atlantis"]\nsource = "src-nowhere"')
    with caplog.at_level(logging.ERROR, logger="bot.curation.watch"):
        watcher.poll()
        clock.now += SETTLE * 2
        assert watcher.poll() is True
    assert calls.changes == []
    [problems] = calls.errors
    assert len(problems) >= 2
    logged = [r.getMessage() for r in caplog.records]
    assert "keeping the last good knowledge" in logged[0]
    for problem in problems:
        assert f"  {problem}" in logged
        assert str(problem).startswith(f"{problem.path}:{problem.line}: ")
    clock.now += SETTLE * 2
    assert watcher.poll() is False and len(calls.errors) == 1


def test_a_half_written_file_is_only_read_once_complete_and_stable(kb_dir, watcher, clock, calls):
    """A truncated file that is completed within the settle time is swapped in once, never rejected."""
    path = kb_dir / "companies.toml"
    full = path.read_text(encoding="utf-8").replace(FACT_LINE, NEW_LINE)
    path.write_text(full[: len(full) // 2], encoding="utf-8")
    assert watcher.poll() is False
    clock.now += SETTLE * 0.8
    path.write_text(full, encoding="utf-8")
    assert watcher.poll() is False
    clock.now += SETTLE * 0.8
    assert watcher.poll() is False
    clock.now += SETTLE * 0.8
    assert watcher.poll() is True
    assert calls.errors == []
    [kb] = calls.changes
    assert "zorblax" in fact_text(kb)


def test_a_fixed_edit_after_a_broken_one_is_swapped_in(kb_dir, watcher, clock, calls):
    """After a rejected edit, the curator's fix is picked up."""
    path = edit(kb_dir, FACT_LINE, 'text = "unterminated')
    watcher.poll()
    clock.now += SETTLE * 2
    watcher.poll()
    path.write_text(path.read_text(encoding="utf-8").replace('text = "unterminated', NEW_LINE), encoding="utf-8")
    watcher.poll()
    clock.now += SETTLE * 2
    assert watcher.poll() is True
    assert len(calls.errors) == 1 and len(calls.changes) == 1


def test_touching_a_file_without_changing_it_reloads_nothing(kb_dir, watcher, clock, calls):
    """A new modification time with the same content is not a change."""
    path = kb_dir / "companies.toml"
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    watcher.poll()
    clock.now += SETTLE * 2
    assert watcher.poll() is False
    assert calls.changes == [] and calls.errors == []


def test_a_removed_file_is_a_change(kb_dir, watcher, clock, calls):
    """Deleting a knowledge file is noticed like an edit (here it breaks references, so it is rejected)."""
    (kb_dir / "sources.toml").unlink()
    watcher.poll()
    clock.now += SETTLE * 2
    assert watcher.poll() is True
    assert calls.changes == [] and len(calls.errors) == 1


def test_watch_swaps_the_live_engine_while_answering_goes_on(kb_dir, caplog):
    """The async loop picks up a valid edit, ignores a broken one, keeps answering, and stops on request."""
    live = {"engine": Engine(load_knowledge(kb_dir))}
    errors = []
    watcher = KnowledgeWatcher(
        kb_dir, lambda kb: live.update(engine=Engine(kb)), interval=0.02, settle=SETTLE, on_error=errors.append
    )

    async def until(condition, timeout=5.0):
        deadline = time.monotonic() + timeout
        while not condition():
            assert time.monotonic() < deadline, "timed out"
            assert live["engine"].ask("Freshippo stores").answered
            await asyncio.sleep(0.01)

    async def scenario():
        stop = asyncio.Event()
        task = asyncio.create_task(watch(watcher, stop))
        first = live["engine"]
        edit(kb_dir, FACT_LINE, NEW_LINE)
        await until(lambda: live["engine"] is not first)
        assert "zorblax" in live["engine"].ask("zorblax pilots").text
        second = live["engine"]
        edit(kb_dir, "[[fact]]", "[[fact]\n")
        await until(lambda: errors)
        assert live["engine"] is second
        stop.set()
        await asyncio.wait_for(task, timeout=1.0)

    with caplog.at_level(logging.ERROR, logger="bot.curation.watch"):
        asyncio.run(scenario())
    assert len(errors) == 1


def test_an_edit_during_loading_is_not_swapped_in(kb_dir, watcher, clock, calls, monkeypatch):
    """If the files change while they are being read, the load is dropped and the watcher waits again."""
    real = watching.load_knowledge

    def load_while_editing(directory):
        kb = real(directory)
        edit(kb_dir, NEW_LINE, NEW_LINE.replace("zorblax", "quuxbar"))
        return kb

    edit(kb_dir, FACT_LINE, NEW_LINE)
    watcher.poll()
    clock.now += SETTLE * 2
    monkeypatch.setattr(watching, "load_knowledge", load_while_editing)
    assert watcher.poll() is False
    assert calls.changes == [] and watcher.pending
    monkeypatch.setattr(watching, "load_knowledge", real)
    watcher.poll()
    clock.now += SETTLE * 2
    assert watcher.poll() is True
    [kb] = calls.changes
    assert "quuxbar" in fact_text(kb)
