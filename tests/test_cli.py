"""The livebot command as a newcomer and a curator use it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


@pytest.fixture(autouse=True)
def data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every CLI test records into a folder of its own, never the user's data directory."""
    path = tmp_path_factory.mktemp("data")
    monkeypatch.setenv("LIVEBOT_DATA_DIR", str(path))
    return path


def run(*args: str, stdin: str | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}  # carries the test's LIVEBOT_DATA_DIR
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True, timeout=60, cwd=cwd, env=env
    )


def test_ask_prints_answer_with_source(capsys: pytest.CaptureFixture[str]) -> None:
    """`livebot ask` prints the answer and its source."""
    assert main(["ask", "Which city has the most anchors?"]) == 0
    out = capsys.readouterr().out
    assert "Hangzhou" in out and "Source:" in out


def test_ask_accepts_unquoted_words(capsys: pytest.CaptureFixture[str]) -> None:
    """`livebot ask double product sales` works without quotes."""
    assert main(["ask", "double", "product", "sales"]) == 0
    assert "182.51" in capsys.readouterr().out


def test_ask_json(capsys: pytest.CaptureFixture[str]) -> None:
    """`livebot ask --json` gives answered, answer, facts with id/text/source, suggestions."""
    assert main(["ask", "--json", "hangzhou plan targets"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["answered"] is True
    assert payload["facts"] and {"id", "text", "source"} == set(payload["facts"][0])
    assert (
        payload["answer"].startswith(payload["facts"][0]["text"][:10])
        or payload["facts"][0]["text"] in payload["answer"]
    )
    assert isinstance(payload["suggestions"], list)


def test_ask_declines_out_of_scope_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    """An out-of-scope question is declined in JSON too, with suggestions."""
    assert main(["ask", "--json", "How many anchors does Chengdu have?"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["answered"] is False and payload["facts"] == [] and payload["suggestions"]


def test_ask_path_imports_no_telegram_or_httpx() -> None:
    """Answering from the CLI never loads the Telegram stack."""
    code = (
        "import sys; from bot.cli import main; main(['ask', 'yiwu']);"
        "bad = [m for m in ('telegram', 'httpx') if m in sys.modules]; print('LOADED', bad)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert "LOADED []" in result.stdout, result.stdout + result.stderr


def test_ask_with_broken_knowledge_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    """A broken knowledge directory gives file, key and line on stderr and exit 1."""
    (tmp_path / "k.toml").write_text('[[fact]]\nid = "x"\ntext = "t"\n', encoding="utf-8")
    result = run("ask", "--knowledge", str(tmp_path), "hello")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "k.toml:1: fact[x]: missing required field" in result.stderr


def test_chat_answers_each_line() -> None:
    """`livebot chat` answers questions line by line until end of input."""
    result = run("chat", stdin="yiwu certificates\nquit\nnever asked\n")
    assert result.returncode == 0
    assert "19" in result.stdout and "never asked" not in result.stdout


def test_eval_reports_by_tag(capsys: pytest.CaptureFixture[str]) -> None:
    """`livebot eval -v` reports answerable and out-of-scope scores and lists misses."""
    assert main(["eval", str(HERE / "questions.toml"), "-v"]) == 0
    out = capsys.readouterr().out
    assert "answerable:" in out and "out of scope:" in out and "by tag:" in out


def test_eval_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`livebot eval --json` lists every case with the full answer text and a summary."""
    questions = tmp_path / "q.toml"
    questions.write_text(
        '[[case]]\nq = "yiwu certificates"\nexpect = ["19"]\ntags = ["en"]\n\n'
        '[[case]]\nq = "capital of Australia?"\nanswerable = false\ntags = ["en"]\n',
        encoding="utf-8",
    )
    assert main(["eval", str(questions), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert [c["q"] for c in payload["cases"]] == ["yiwu certificates", "capital of Australia?"]
    assert payload["summary"]["answerable"] == {"right": 1, "total": 1}
    assert payload["summary"]["out_of_scope"] == {"right": 1, "total": 1}


def test_eval_missing_file_is_a_message() -> None:
    """A question file that does not exist is reported plainly."""
    result = run("eval", "no-such-file.toml")
    assert result.returncode == 1 and "no-such-file.toml" in result.stderr and "Traceback" not in result.stderr


def test_works_from_any_folder(tmp_path: Path) -> None:
    """The bundled knowledge is found whatever the working directory."""
    result = run("ask", "yiwu", cwd=tmp_path)
    assert result.returncode == 0 and "Yiwu" in result.stdout


def test_cli_misses_show_in_gaps_and_stats(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Questions asked with `livebot ask` are recorded, and the misses come back grouped in `livebot gaps`."""
    monkeypatch.setenv("LIVEBOT_DATA_DIR", str(tmp_path))
    for question in ("How many anchors does Chengdu have?", "chengdu anchors", "yiwu certificates"):
        assert main(["ask", question]) == 0
    capsys.readouterr()
    assert main(["gaps", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    rows = rows["gaps"] if isinstance(rows, dict) else rows
    assert len(rows) == 1 and rows[0]["count"] == 2
    assert main(["stats"]) == 0
    assert "cli" in capsys.readouterr().out


def test_recording_can_be_turned_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """LIVEBOT_RECORD=0 leaves no database behind."""
    monkeypatch.setenv("LIVEBOT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("LIVEBOT_RECORD", "0")
    assert main(["ask", "chengdu anchors"]) == 0
    assert not any(tmp_path.iterdir())
