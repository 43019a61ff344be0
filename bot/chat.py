"""`livebot chat`: an interactive prompt with line editing and history."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

from bot.curation.recording import Recorder
from bot.engine import Engine

PROMPT = "livebot> "
HISTORY = Path(os.path.expanduser("~")) / ".livebot_history"


def chat(engine: Engine, recorder: Recorder | None = None, history: Path = HISTORY) -> int:
    """Answers questions until an empty line, 'quit' or end of input."""
    readline = _readline(history)
    counts = engine.kb.counts()
    if sys.stdin.isatty():
        print(f"livebot: {counts['facts']} facts from {counts['sources']} sources. Ask away; Ctrl-D or 'quit' ends.")
    while True:
        try:
            line = input(PROMPT if sys.stdin.isatty() else "")
        except EOFError:
            break
        if line.strip().casefold() in ("quit", "exit", ":q"):
            break
        if not line.strip():
            continue
        answer = engine.ask(line)
        if recorder is not None:
            recorder.record("cli", answer)
        print(answer.text, end="\n\n", flush=True)
    if readline is not None:
        with contextlib.suppress(OSError):
            readline.write_history_file(str(history))
    return 0


def _readline(history: Path):  # type: ignore[no-untyped-def]
    try:
        import readline
    except ImportError:
        return None
    with contextlib.suppress(OSError):
        readline.read_history_file(str(history))
    readline.set_history_length(1000)
    return readline
