"""`livebot chat`: an interactive prompt with line editing and history, and the terminal's text edge."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from types import ModuleType

from bot.curation.recording import Recorder
from bot.engine import Answer, Context, Engine

PROMPT = "livebot> "
QUIT_WORDS = frozenset({"quit", "exit", ":q"})
HOW_TO_QUIT = "Ctrl-D or 'quit' ends the chat; Ctrl-C cancels the line you are typing."


def terminal_text(text: str) -> str:
    """Text from argv or stdin as valid Unicode: bytes that were not UTF-8 (which Python keeps as
    lone surrogates) become U+FFFD, so the question is still answered and can be recorded."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def chat(engine: Engine, recorder: Recorder | None, history: Path) -> int:
    """Answers questions line by line until Ctrl-D (end of input) or 'quit'; Ctrl-C cancels the
    line being typed, as in Python's own prompt. The history is saved on the way out."""
    interactive = sys.stdin.isatty()
    readline = _readline(history) if interactive else None
    _tolerate_undecodable_input()
    if interactive:
        counts = engine.kb.counts()
        print(f"livebot: {counts['facts']} facts from {counts['sources']} sources. Ask away; {HOW_TO_QUIT}")
    try:
        _loop(engine, recorder, interactive)
    finally:
        if readline is not None:
            with contextlib.suppress(OSError):
                readline.write_history_file(str(history))
    return 0


def _loop(engine: Engine, recorder: Recorder | None, interactive: bool) -> None:
    """One conversation: each answer's context carries to the next line ('and hangzhou?')."""
    context: Context | None = None
    while True:
        try:
            line = terminal_text(input(PROMPT if interactive else "")).strip()
            if line.casefold() in QUIT_WORDS:
                return
            if line:
                context = _answer(engine, recorder, line, context)
        except KeyboardInterrupt:
            if not interactive:
                raise
            print()
        except EOFError:
            if interactive:
                print()
            return


def _answer(engine: Engine, recorder: Recorder | None, line: str, context: Context | None) -> Context | None:
    answer = engine.ask(line, context)
    if recorder is not None:
        recorder.record("cli", answer)
    print(_shown(answer), end="\n\n", flush=True)
    return answer.context


def _shown(answer: Answer) -> str:
    return f"{answer.text}\n{HOW_TO_QUIT}" if answer.kind == "help" else answer.text


def _tolerate_undecodable_input() -> None:
    """Keeps bytes that are not UTF-8 on stdin (as surrogates, for terminal_text) rather than
    letting input() raise UnicodeDecodeError and end the chat."""
    reconfigure = getattr(sys.stdin, "reconfigure", None)
    if reconfigure is not None:
        with contextlib.suppress(ValueError, OSError):
            reconfigure(errors="surrogateescape")


def _readline(history: Path) -> ModuleType | None:
    try:
        import readline
    except ImportError:
        return None
    with contextlib.suppress(OSError):
        readline.read_history_file(str(history))
    readline.set_history_length(1000)
    return readline
