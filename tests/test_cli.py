"""The livebot command as a newcomer and a curator use it."""

from __future__ import annotations

import io
import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.curation.evaluate import SAMPLE_QUESTIONS, load_cases

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def run(*args: str, stdin: str | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m bot ARGS` in the test's environment (its own HOME and LIVEBOT_DATA_DIR)."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
        env=env(),
    )


def env(**extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), **extra}


def recorded(data_dir: Path) -> list[str]:
    """The questions recorded in a data directory, in the order asked."""
    with sqlite3.connect(data_dir / "questions.sqlite3") as db:
        return [q for (q,) in db.execute("SELECT question FROM questions ORDER BY id")]


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


def test_eval_without_a_file_scores_the_shipped_sample(capsys: pytest.CaptureFixture[str]) -> None:
    """`livebot eval -v` with no FILE scores the sample question file shipped in the package."""
    assert main(["eval", "-v"]) == 0
    out = capsys.readouterr().out
    assert "answerable:" in out and "out of scope:" in out and "by tag:" in out
    totals = [int(n) for n in re.findall(r"^(?:answerable|out of scope): \d+/(\d+)", out, re.M)]
    assert sum(totals) == len(load_cases(SAMPLE_QUESTIONS)) > 40


def test_eval_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`livebot eval --json` lists every case with the full answer text, its kind and confidence, and a summary."""
    questions = tmp_path / "q.toml"
    questions.write_text(
        '[[case]]\nq = "yiwu certificates"\nexpect = ["19"]\ntags = ["en"]\n\n'
        '[[case]]\nq = "capital of Australia?"\nanswerable = false\ntags = ["en"]\n',
        encoding="utf-8",
    )
    assert main(["eval", str(questions), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert [c["q"] for c in payload["cases"]] == ["yiwu certificates", "capital of Australia?"]
    answered, declined = payload["cases"]
    assert answered["kind"] == "match" and 0 < answered["confidence"] <= 1
    assert declined["kind"] == "no-match" and "19" in answered["answer"]
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


def test_ask_with_bytes_that_are_not_utf8_answers_and_records(data_dir: Path) -> None:
    """A question whose argv bytes are not UTF-8 is answered, with U+FFFD for the bad bytes, and recorded."""
    command = [sys.executable.encode(), b"-m", b"bot", b"ask", b"\xff\xfe\x80abc hangzhou"]
    result = subprocess.run(command, capture_output=True, timeout=60, env=env())
    assert result.returncode == 0 and result.stderr == b"", result.stderr.decode(errors="replace")
    assert "Hangzhou" in result.stdout.decode()
    assert recorded(data_dir) == ["\ufffd\ufffd\ufffdabc hangzhou"]


def closed_pipe_run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Runs livebot with stdout a pipe nobody reads any more, as in `livebot ... | head -1`."""
    read, write = os.pipe()
    os.close(read)
    try:
        return subprocess.run(
            [sys.executable, "-m", "bot", *args],
            input=stdin,
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            env=env(),
        )
    finally:
        os.close(write)


@pytest.mark.parametrize(("args", "stdin"), [(("ask", "hangzhou"), ""), (("chat",), "yiwu certificates\nhangzhou\n")])
def test_a_closed_pipe_ends_quietly_with_141_and_keeps_the_recording(args, stdin, data_dir: Path) -> None:
    """When the reader of stdout has gone, livebot exits 141 (as a tool ended by SIGPIPE) with
    nothing on stderr, and the question it answered is still recorded."""
    result = closed_pipe_run(*args, stdin=stdin)
    assert (result.returncode, result.stderr) == (141, "")
    assert recorded(data_dir)[:1] == [args[1] if len(args) > 1 else "yiwu certificates"]


@pytest.mark.parametrize("command", ["gaps", "stats"])
@pytest.mark.parametrize("since", ["-3", "0", "week"])
def test_a_window_of_no_days_is_refused(command: str, since: str, capsys: pytest.CaptureFixture[str]) -> None:
    """`--since` takes 1 or more days; zero, negative or non-numeric values are a usage error."""
    with pytest.raises(SystemExit) as exit_:
        main([command, "--since", since])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "--since" in err and ("1 or more days" in err or "whole number of days" in err)


def broken_knowledge(tmp_path: Path) -> Path:
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "k.toml").write_text('[[fact]]\nid = "x"\ntext = "t"\n', encoding="utf-8")
    return folder


@pytest.mark.parametrize("args", [["ask", "yiwu"], ["check"], ["eval"], ["chat"]], ids=["ask", "check", "eval", "chat"])
def test_every_knowledge_command_honours_the_variable_and_the_option(
    args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """ask, check, eval and chat read LIVEBOT_KNOWLEDGE_DIR, and --knowledge DIR wins over it."""
    monkeypatch.setenv("LIVEBOT_KNOWLEDGE_DIR", str(broken_knowledge(tmp_path)))
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert main(args) == 1
    captured = capsys.readouterr()
    assert "k.toml:1: fact[x]: missing required field" in captured.out + captured.err
    assert main([*args, "--knowledge", str(ROOT / "knowledge")]) == 0


def test_check_still_takes_the_folder_as_dir_but_not_two_different_ones(tmp_path: Path) -> None:
    """`livebot check DIR` works as before; DIR and a different --knowledge DIR are a usage error."""
    assert main(["check", str(ROOT / "knowledge")]) == 0
    assert main(["check", str(broken_knowledge(tmp_path))]) == 1
    with pytest.raises(SystemExit) as exit_:
        main(["check", str(tmp_path), "--knowledge", str(ROOT / "knowledge")])
    assert exit_.value.code == 2


def test_ask_and_chat_record_into_data_dir(tmp_path: Path, data_dir: Path, monkeypatch) -> None:
    """--data-dir sends the recorded questions there rather than to LIVEBOT_DATA_DIR."""
    assert main(["ask", "yiwu certificates", "--data-dir", str(tmp_path / "a")]) == 0
    monkeypatch.setattr(sys, "stdin", io.StringIO("hangzhou plan\n"))
    assert main(["chat", "--data-dir", str(tmp_path / "b")]) == 0
    assert recorded(tmp_path / "a") == ["yiwu certificates"] and recorded(tmp_path / "b") == ["hangzhou plan"]
    assert not (data_dir / "questions.sqlite3").exists()


def test_options_may_come_among_the_question_words(capsys: pytest.CaptureFixture[str]) -> None:
    """`livebot ask yiwu --json certificates` asks "yiwu certificates" and prints JSON."""
    assert main(["ask", "--json", "yiwu certificates"]) == 0
    expected = capsys.readouterr().out
    assert main(["ask", "yiwu", "--json", "certificates"]) == 0
    assert capsys.readouterr().out == expected and json.loads(expected)["answered"]
    with pytest.raises(SystemExit):
        main(["ask", "yiwu", "--jsno", "certificates"])


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    """`livebot --version` prints the version."""
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0 and re.fullmatch(r"livebot \d+\.\d+\.\d+\S*\n", capsys.readouterr().out)


@pytest.mark.parametrize("command", ["ask", "chat", "check", "eval", "gaps", "stats", "run"])
def test_every_command_help_describes_it_with_an_example(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Each subcommand's --help has a description and at least one example of its use."""
    with pytest.raises(SystemExit):
        main([command, "--help"])
    out = capsys.readouterr().out
    usage, _, rest = out.partition("\n\n")
    description = rest.partition("\n\n")[0]
    assert usage.startswith(f"usage: livebot {command}") and len(description) > 60
    assert re.search(rf"^examples:\n  (\S+=\S+ )?livebot {command}", out, re.M)


def test_eval_help_says_what_expect_and_any_mean(capsys: pytest.CaptureFixture[str]) -> None:
    """`livebot eval --help` explains the question file's fields and --min."""
    with pytest.raises(SystemExit):
        main(["eval", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "`expect`, strings that must all appear" in out and "`any`, strings of which at least one" in out
    assert "--min SHARE makes the exit status 1" in out


def test_eval_min_fails_below_either_share(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--min SHARE exits 1 when the answerable or the declined share is below it, and says which."""
    questions = tmp_path / "q.toml"
    questions.write_text(
        '[[case]]\nq = "yiwu certificates"\nexpect = ["19"]\n\n'
        '[[case]]\nq = "yiwu certificates"\nexpect = ["zebra-not-there"]\n\n'
        '[[case]]\nq = "capital of Australia?"\nanswerable = false\n',
        encoding="utf-8",
    )
    assert main(["eval", str(questions), "--min", "0.5"]) == 0
    capsys.readouterr()
    assert main(["eval", str(questions), "--min", "0.9"]) == 1
    err = capsys.readouterr().err
    assert "answerable right 50.0% is below --min 90%" in err and "declined" not in err
    assert main(["eval", str(questions), "--json", "--min", "0.9"]) == 1


def test_sample_questions_ship_inside_the_package() -> None:
    """The sample question file lives in the package and is listed as package data, so
    `livebot eval` works after a plain `pip install .`."""
    import tomli

    package = ROOT / "bot"
    assert SAMPLE_QUESTIONS.is_file() and SAMPLE_QUESTIONS.parent.parent == package
    data = tomli.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert SAMPLE_QUESTIONS.name in data["tool"]["setuptools"]["package-data"]["bot.curation"]
