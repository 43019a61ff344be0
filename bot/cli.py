"""The `livebot` command: ask, compare, chat, check, eval, gaps, stats and run, a thin layer over the library.

Options and help texts are in bot.cliparser; here each command runs, and errors become exit codes.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from bot.chat import terminal_text
from bot.cliparser import parse
from bot.config import knowledge_dir_from, load_recording
from bot.engine import Answer, Engine
from bot.engine.text import has_cjk
from bot.errors import BotError, KnowledgeError, Problem
from bot.knowledge import bundled_dir, counts_text, load_knowledge

if TYPE_CHECKING:
    from bot.curation.recording import Recorder

CHECK_LIMIT = 200  # problems `livebot check` lists; the rest are counted
READER_GONE = 141  # 128 + SIGPIPE, as a shell reports for a tool killed by a closed pipe


def main(argv: Sequence[str] | None = None) -> int:
    """Runs one command; 0 on success, 1 for a BotError (its message on stderr), 2 for bad usage,
    130 on Ctrl-C and 141 when the reader of stdout went away (see _reader_gone)."""
    commands = {
        "ask": _ask,
        "compare": _compare,
        "chat": _chat,
        "check": _check,
        "eval": _eval,
        "gaps": _gaps,
        "stats": _stats,
        "run": _run,
    }
    args = parse(argv, commands, check_limit=CHECK_LIMIT)
    try:
        result: int = args.command(args)
        sys.stdout.flush()
        return result
    except BotError as exc:
        print(f"livebot: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return _reader_gone()


def _reader_gone() -> int:
    """`livebot ask ... | head -1`: the reader has all it wanted, so no traceback and no message.

    Exits 141, the status a shell gives `cat` or `grep` when SIGPIPE ends them in the same place,
    so a script with `set -o pipefail` sees livebot as it sees any other Unix tool. Stdout is
    pointed at /dev/null first, so the interpreter's final flush cannot fail again (the recipe in
    Python's `signal` documentation). Whatever was recorded has been written by then.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return READER_GONE


def _knowledge(args: argparse.Namespace) -> Path | None:
    """--knowledge, else LIVEBOT_KNOWLEDGE_DIR, else None: the bundled knowledge."""
    given: Path | None = args.knowledge
    return given if given is not None else knowledge_dir_from()


def _engine(args: argparse.Namespace) -> Engine:
    return Engine.load(_knowledge(args))


def _recorder(args: argparse.Namespace) -> Recorder:
    """Where questions are recorded for curators: --database-url or LIVEBOT_DATABASE_URL, else
    --data-dir or LIVEBOT_DATA_DIR (config.load_recording); LIVEBOT_RECORD=0 turns it off."""
    from bot.curation.recording import Recorder
    from bot.curation.records import command_location

    return Recorder.open(command_location(args), enabled=load_recording().enabled)


def _ask(args: argparse.Namespace) -> int:
    return _show(args, _engine(args).ask(terminal_text(" ".join(args.question))))


def _compare(args: argparse.Namespace) -> int:
    first, second = terminal_text(args.first), terminal_text(args.second)
    language = "zh" if has_cjk(first + second) else "en"
    return _show(args, _engine(args).compare(first, second, language))


def _show(args: argparse.Namespace, answer: Answer) -> int:
    """Records the answer, prints it (as JSON with --json), then writes its chart for --chart."""
    with _recorder(args) as recorder:
        recorder.record("cli", answer)
    if args.json:
        print(json.dumps(answer_json(answer), ensure_ascii=False, indent=2))
    else:
        print(answer.text)
    return _write_chart(answer, args.chart) if args.chart is not None else 0


def _write_chart(answer: Answer, path: Path) -> int:
    """The chart in `path`, said on stderr; an answer it cannot be drawn for writes none and says why
    (status 0: the answer stands), a path that cannot be written is status 1."""
    from bot.charts import ChartError, draw

    try:
        chart = draw(answer)
    except ChartError as exc:
        print(f"livebot: no chart written: {exc.reason}", file=sys.stderr)
        return 0
    try:
        path.write_bytes(chart.png)
    except OSError as exc:
        print(f"livebot: cannot write the chart to {path}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"chart: {path} ({chart.width}×{chart.height} pixels, {chart.font})", file=sys.stderr)
    return 0


def answer_json(answer: Answer) -> dict[str, object]:
    return {
        "answered": answer.answered,
        "answer": answer.text,
        "facts": [{"id": f.id, "text": f.text, "source": f.source} for f in answer.facts],
        "suggestions": [s.label for s in answer.suggestions],
    }


def _chat(args: argparse.Namespace) -> int:
    from bot.chat import chat
    from bot.config import history_path

    engine = _engine(args)
    with _recorder(args) as recorder:
        return chat(engine, recorder, history_path())


def _eval(args: argparse.Namespace) -> int:
    from bot.curation.evaluate import SAMPLE_QUESTIONS, evaluate

    path = args.file if args.file is not None else SAMPLE_QUESTIONS
    return evaluate(_engine(args), path, as_json=args.json, verbose=args.verbose, minimum=args.min)


def _gaps(args: argparse.Namespace) -> int:
    from bot.curation.gaps import main_gaps

    return main_gaps(args)


def _stats(args: argparse.Namespace) -> int:
    from bot.curation.gaps import main_stats

    return main_stats(args)


def _run(args: argparse.Namespace) -> int:
    from bot.telegram.runner import main as run_main

    return run_main(args)


def _check(args: argparse.Namespace) -> int:
    directory = _knowledge(args) or bundled_dir()
    try:
        counts, problems = load_knowledge(directory).counts(), []
    except KnowledgeError as exc:
        counts, problems = {}, sorted(exc.problems, key=lambda p: (p.path, p.line))
    if args.json:
        print(json.dumps(_check_json(problems, counts), ensure_ascii=False, indent=2))
    elif not problems:
        print(f"ok: {directory}: {counts_text(counts)}")
    else:
        _print_problems(problems)
    return 0 if not problems else 1


def _check_json(problems: list[Problem], counts: dict[str, int]) -> dict[str, object]:
    """ok, the first CHECK_LIMIT problems, how many more there are (`truncated`), counts per kind."""
    return {
        "ok": not problems,
        "problems": [
            {"path": p.path, "key": p.key, "line": p.line, "message": p.message, "kind": p.kind}
            for p in problems[:CHECK_LIMIT]
        ],
        "truncated": max(0, len(problems) - CHECK_LIMIT),
        "counts": dict(Counter(p.kind for p in problems)),
        "knowledge": counts,
    }


def _print_problems(problems: list[Problem]) -> None:
    for problem in problems[:CHECK_LIMIT]:
        print(problem)
    if len(problems) > CHECK_LIMIT:
        print(f"… and {len(problems) - CHECK_LIMIT} more problems")
    kinds = Counter(p.kind for p in problems)
    summary = ", ".join(f"{n} {kind}" for kind, n in kinds.most_common())
    print(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} ({summary})")
