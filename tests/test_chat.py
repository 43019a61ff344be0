"""`livebot chat` as a person at a terminal uses it (a real pseudo-terminal) and as a pipe feeds it."""

from __future__ import annotations

import io
import os
import pty
import select
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import history_path

ROOT = Path(__file__).resolve().parents[1]
PROMPT = "livebot> "
TIMEOUT = 20.0


class Terminal:
    """`python -m bot chat` with stdin, stdout and stderr on a pseudo-terminal."""

    def __init__(self, env: dict[str, str]) -> None:
        self.fd, child = pty.openpty()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "chat"], stdin=child, stdout=child, stderr=child, env=env, cwd=ROOT
        )
        os.close(child)
        self.seen = ""

    def expect(self, text: str, count: int = 1) -> str:
        """Reads until `text` has appeared `count` times in all the output so far; returns that output."""
        deadline = time.monotonic() + TIMEOUT
        while self.seen.count(text) < count:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self.fd], [], [], max(left, 0))
            if not ready:
                raise AssertionError(f"no {text!r} (x{count}) within {TIMEOUT} s; got:\n{self.seen[-2000:]}")
            try:
                self.seen += os.read(self.fd, 65536).decode(errors="replace")
            except OSError as exc:  # the child has gone
                raise AssertionError(f"the chat ended before {text!r}; got:\n{self.seen[-2000:]}") from exc
        return self.seen

    def type(self, text: str) -> None:
        os.write(self.fd, text.encode())

    def interrupt(self) -> None:
        """Ctrl-C as a person presses it: once the chat waits for the next key, and again if nothing
        happens. A SIGINT that lands while readline is still echoing a key, before it waits again,
        is only acted on at the next signal or at Enter."""
        prompts = self.seen.count(PROMPT)
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            self._until_waiting(deadline)
            self.proc.send_signal(signal.SIGINT)
            if self._more(PROMPT, prompts, seconds=1.0):
                return

    def _until_waiting(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            try:
                waiting = Path(f"/proc/{self.proc.pid}/wchan").read_text()
            except OSError:
                waiting = "0"
            if waiting == "0":  # the kernel does not say: give readline a moment
                time.sleep(0.5)
                return
            if "poll" in waiting or "select" in waiting:
                return
            time.sleep(0.01)

    def _more(self, text: str, count: int, seconds: float) -> bool:
        """True once `text` appears more than `count` times, reading for at most `seconds`."""
        deadline = time.monotonic() + seconds
        while self.seen.count(text) <= count:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.fd], [], [], left)[0]:
                return False
            self.seen += os.read(self.fd, 65536).decode(errors="replace")
        return True

    def finish(self) -> int:
        """Waits for the chat to end, draining what it still prints; returns its exit status."""
        deadline = time.monotonic() + TIMEOUT
        while self.proc.poll() is None and time.monotonic() < deadline:
            if select.select([self.fd], [], [], 0.05)[0]:
                try:
                    self.seen += os.read(self.fd, 65536).decode(errors="replace")
                except OSError:
                    break
        return self.proc.wait(TIMEOUT)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TERM": "dumb", "HOME": str(tmp_path)}
    term = Terminal(env)
    yield term
    if term.proc.poll() is None:
        term.proc.kill()
        term.proc.wait(TIMEOUT)
    os.close(term.fd)


def test_ctrl_c_cancels_the_line_and_ctrl_d_ends_the_chat_saving_history(terminal: Terminal, tmp_path: Path) -> None:
    """At a terminal Ctrl-C drops the line being typed and gives a fresh prompt, as Python's own
    prompt does; Ctrl-D ends the chat with exit 0 and a newline, and the history is saved in $HOME."""
    terminal.expect(PROMPT)
    terminal.type("yiwu certificates\r")
    terminal.expect("Source:")
    terminal.expect(PROMPT, 2)
    terminal.type("half a quest")
    terminal.expect("half a quest")
    terminal.interrupt()
    assert ("half a quest\r\n" + PROMPT) in terminal.expect(PROMPT, 3)
    assert terminal.proc.poll() is None, "Ctrl-C ended the chat"
    terminal.type("hangzhou plan targets\r")
    terminal.expect(PROMPT, 4)
    terminal.type("\x04")
    assert terminal.finish() == 0
    assert terminal.seen.endswith("\n") and "Traceback" not in terminal.seen
    history = (tmp_path / ".livebot_history").read_text(encoding="utf-8").splitlines()
    assert history[-2:] == ["yiwu certificates", "hangzhou plan targets"] and "half a quest" not in history


def test_quit_ends_the_chat_and_help_says_how(terminal: Terminal) -> None:
    """The greeting and `help` both say how to quit; `quit` ends the chat with exit 0."""
    assert "Ctrl-D or 'quit' ends the chat" in terminal.expect(PROMPT)
    terminal.type("help\r")
    assert terminal.expect(PROMPT, 2).count("Ctrl-D or 'quit' ends the chat") == 2
    terminal.type("quit\r")
    assert terminal.finish() == 0


def chat(stdin: bytes, data_dir: Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "LIVEBOT_DATA_DIR": str(data_dir)}
    return subprocess.run([sys.executable, "-m", "bot", "chat"], input=stdin, capture_output=True, timeout=60, env=env)


def test_thanks_get_a_you_are_welcome_not_a_hello(data_dir: Path) -> None:
    """ "thanks", "thank you" and "谢谢" are answered with a short you're-welcome, never the greeting."""
    result = chat("thanks\nthank you!\n谢谢\n".encode(), data_dir)
    replies = result.stdout.decode().strip().split("\n\n")
    assert len(replies) == 3 and "Hello" not in result.stdout.decode()
    assert replies[0] == replies[1] and replies[0].startswith("You're welcome") and replies[2].startswith("不客气")


def test_lines_that_are_not_utf8_are_answered_and_the_session_recorded(data_dir: Path) -> None:
    """A piped line with bytes that are not UTF-8 is answered, and every line of the session is recorded."""
    result = chat(b"yiwu certificates\n\xff\xfe hangzhou\nhangzhou plan\n", data_dir)
    assert result.returncode == 0 and result.stderr == b"", result.stderr.decode(errors="replace")
    assert result.stdout.decode().count("Source:") >= 3
    with sqlite3.connect(data_dir / "questions.sqlite3") as db:
        asked = [q for (q,) in db.execute("SELECT question FROM questions ORDER BY id")]
    assert asked == ["yiwu certificates", "\ufffd\ufffd hangzhou", "hangzhou plan"]


def test_history_path_follows_the_environment(tmp_path: Path) -> None:
    """The history file is $LIVEBOT_HISTORY, else .livebot_history in $HOME, read when chat starts."""
    assert history_path({"HOME": str(tmp_path)}) == tmp_path / ".livebot_history"
    assert history_path({"HOME": "/x", "LIVEBOT_HISTORY": str(tmp_path / "h")}) == tmp_path / "h"


def test_a_piped_chat_leaves_no_history(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Lines piped to `livebot chat` are answered without writing a history file into $HOME."""
    monkeypatch.setattr(sys, "stdin", io.StringIO("yiwu certificates\n"))
    assert main(["chat"]) == 0
    assert "Source:" in capsys.readouterr().out
    assert not history_path().exists() and history_path().parent == Path(os.environ["HOME"])
