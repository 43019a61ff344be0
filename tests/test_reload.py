"""LiveEngine and diff: reloads swap the whole Engine only when the knowledge is valid."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from bot.curation.reload import KnowledgeDiff, LiveEngine, diff, summary
from bot.errors import KnowledgeError

HEAD = """
[[source]]
id = "src"
kind = "article"
title = "An article"
publisher = "A paper"

[[entity]]
id = "yiwu"
kind = "city"
name = "Yiwu"
"""


def fact(ident: str, text: str) -> str:
    return f'\n[[fact]]\nid = "{ident}"\ntext = "{text}"\nabout = ["yiwu"]\nsource = "src"\n'


def write(directory: Path, *facts: str) -> Path:
    directory.mkdir(exist_ok=True)
    (directory / "kb.toml").write_text(HEAD + "".join(facts), encoding="utf-8")
    return directory


def test_diff_reports_added_removed_and_edited_ids(tmp_path):
    """Facts are compared by id: new ids added, missing ids removed, changed fields edited."""
    old = LiveEngine.load(write(tmp_path / "a", fact("one", "Yiwu sells."), fact("two", "Yiwu streams."))).engine.kb
    new = LiveEngine.load(
        write(tmp_path / "b", fact("two", "Yiwu streams a lot."), fact("three", "Yiwu trains."))
    ).engine.kb
    assert diff(old, new) == KnowledgeDiff(added=("three",), removed=("one",), edited=("two",))
    assert not diff(old, old).changed


def test_valid_reload_swaps_the_engine_and_reports_counts(tmp_path):
    """A valid directory replaces the engine; the result carries the new counts and the diff."""
    directory = write(tmp_path / "kb", fact("one", "Yiwu sells."))
    live = LiveEngine.load(directory)
    before, loaded = live.engine, live.loaded_at
    write(directory, fact("one", "Yiwu sells."), fact("two", "Yiwu streams."))
    result = live.reload()
    assert result.ok and result.counts["facts"] == 2 and result.diff.added == ("two",)
    assert live.engine is not before and live.loaded_at >= loaded
    assert summary(result).startswith("reloaded:") and "1 added" in summary(result)


def test_broken_reload_keeps_the_last_good_engine_and_lists_every_problem(tmp_path):
    """An invalid directory changes nothing; the result lists every problem with file and line."""
    directory = write(tmp_path / "kb", fact("one", "Yiwu sells."))
    live = LiveEngine.load(directory)
    before, loaded = live.engine, live.loaded_at
    (directory / "kb.toml").write_text(HEAD + fact("one", "x").replace('"src"', '"nope"') + "\n[[fact]]\nid = 'Bad'\n")
    result = live.reload()
    assert not result.ok and len(result.problems) >= 3
    assert all(p.path.endswith("kb.toml") and p.line > 0 for p in result.problems)
    assert live.engine is before and live.loaded_at == loaded
    assert result.counts == before.kb.counts()
    assert "kept the last good knowledge" in summary(result)


def test_a_question_in_flight_finishes_on_the_engine_it_started_with(tmp_path):
    """A reader holding .engine keeps answering from it while a reload swaps in another."""
    directory = write(tmp_path / "kb", fact("one", "Yiwu sells small commodities."))
    live = LiveEngine.load(directory)
    held = live.engine
    write(directory, fact("two", "Yiwu trains live streamers."))
    assert live.reload().ok
    assert [f.id for f in held.kb.facts] == ["one"] and [f.id for f in live.engine.kb.facts] == ["two"]


def test_swap_puts_a_loaded_knowledge_base_live(tmp_path):
    """swap(kb), for a directory watcher, installs knowledge already loaded and reports the diff."""
    live = LiveEngine.load(write(tmp_path / "a", fact("one", "Yiwu sells.")))
    kb = LiveEngine.load(write(tmp_path / "b", fact("two", "Yiwu streams."))).engine.kb
    result = live.swap(kb)
    assert result.ok and result.diff == KnowledgeDiff(added=("two",), removed=("one",))
    assert live.engine.kb is kb


def test_concurrent_reloads_run_one_after_the_other(tmp_path):
    """Reloads from several threads (SIGHUP and /reload together) all succeed, one at a time."""
    live = LiveEngine.load(write(tmp_path / "kb", fact("one", "Yiwu sells.")))
    results = []
    threads = [threading.Thread(target=lambda: results.append(live.reload())) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert len(results) == 4 and all(r.ok for r in results)


def test_loading_a_broken_directory_raises_knowledge_error(tmp_path):
    """LiveEngine.load on invalid knowledge raises KnowledgeError, so `livebot run` never starts on it."""
    with pytest.raises(KnowledgeError):
        LiveEngine.load(tmp_path / "missing")
