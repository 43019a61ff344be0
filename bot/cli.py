"""The `livebot` command: ask, chat, check, eval and run, a thin layer over the library."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from bot.engine import Answer, Engine
from bot.errors import BotError
from bot.knowledge import bundled_dir, check, load_knowledge

if TYPE_CHECKING:
    from bot.curation.recording import Recorder


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "command"):
        parser.print_help()
        return 2
    try:
        result: int = args.command(args)
        return result
    except BotError as exc:
        print(f"livebot: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="livebot",
        description="Sourced answers about China's 2020 live-streaming e-commerce economy.",
    )
    sub = parser.add_subparsers(metavar="COMMAND")

    p = sub.add_parser("check", help="validate a knowledge directory and report every problem")
    p.add_argument("dir", nargs="?", type=Path, help="knowledge directory (default: bundled)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(command=_check)

    p = sub.add_parser("ask", help="answer one question from the knowledge")
    p.add_argument("question", nargs="+", help="the question (quote it, or not)")
    p.add_argument("--json", action="store_true", help="print the answer as JSON")
    p.add_argument("--knowledge", type=Path, help="knowledge directory (default: bundled)")
    p.set_defaults(command=_ask)

    p = sub.add_parser("chat", help="ask questions at an interactive prompt")
    p.add_argument("--knowledge", type=Path, help="knowledge directory (default: bundled)")
    p.set_defaults(command=_chat)

    p = sub.add_parser("eval", help="score the answers to a question file")
    p.add_argument("file", type=Path, help="question file ([[case]] tables with q, expect, any, answerable, tags)")
    p.add_argument("--json", action="store_true", help="print every case and the summary as JSON")
    p.add_argument("-v", "--verbose", action="store_true", help="list the misses")
    p.add_argument("--knowledge", type=Path, help="knowledge directory (default: bundled)")
    p.set_defaults(command=_eval)

    for name, helptext in (
        ("gaps", "group the questions users asked that the bot could not answer well"),
        ("stats", "questions per day, answered versus declined, most asked facts, by channel"),
    ):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("--since", type=int, metavar="DAYS", help="only the last DAYS days")
        p.add_argument("--json", action="store_true", help="print as JSON")
        p.add_argument("--data-dir", type=Path, help="where questions are recorded (env LIVEBOT_DATA_DIR)")
        p.add_argument("--database-url", help="a postgresql:// database to read instead (env LIVEBOT_DATABASE_URL)")
        p.set_defaults(command=_gaps if name == "gaps" else _stats)

    p = sub.add_parser("run", help="run the Telegram bot (long polling, or webhooks with --webhook)")
    p.add_argument("--webhook", action="store_true", help="serve webhooks instead of long polling")
    p.add_argument("--webhook-url", help="public HTTPS URL Telegram posts to (env LIVEBOT_WEBHOOK_URL)")
    p.add_argument("--listen", help="address to listen on (env LIVEBOT_WEBHOOK_LISTEN, default 127.0.0.1)")
    p.add_argument("--port", type=int, help="port to listen on (env LIVEBOT_WEBHOOK_PORT, default 8443)")
    p.add_argument("--secret-token", help="webhook secret token (env LIVEBOT_WEBHOOK_SECRET)")
    p.add_argument(
        "--watch",
        action="store_true",
        help="swap in valid edits of the knowledge directory by itself (env LIVEBOT_WATCH=1)",
    )
    p.set_defaults(command=_run)
    return parser


def _engine(args: argparse.Namespace) -> Engine:
    return Engine.load(args.knowledge)


def _recorder() -> Recorder:
    """Where the CLI records questions for curators (LIVEBOT_DATA_DIR, LIVEBOT_RECORD=0 turns it off)."""
    from bot.config import load_recording
    from bot.curation.recording import Recorder, database_path

    recording = load_recording()
    return Recorder.open(database_path(recording.data_dir), enabled=recording.enabled)


def _with_data_dir(args: argparse.Namespace) -> argparse.Namespace:
    """--data-dir, else the data directory from the environment (see config.load_recording)."""
    if args.data_dir is None:
        from bot.config import load_recording

        args.data_dir = load_recording().data_dir
    return args


def _ask(args: argparse.Namespace) -> int:
    answer = _engine(args).ask(" ".join(args.question))
    with _recorder() as recorder:
        recorder.record("cli", answer)
    if args.json:
        print(json.dumps(answer_json(answer), ensure_ascii=False, indent=2))
    else:
        print(answer.text)
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

    with _recorder() as recorder:
        return chat(_engine(args), recorder)


def _eval(args: argparse.Namespace) -> int:
    from bot.curation.evaluate import evaluate

    return evaluate(_engine(args), args.file, as_json=args.json, verbose=args.verbose)


def _gaps(args: argparse.Namespace) -> int:
    from bot.curation.gaps import main_gaps

    return main_gaps(_with_data_dir(args))


def _stats(args: argparse.Namespace) -> int:
    from bot.curation.gaps import main_stats

    return main_stats(_with_data_dir(args))


def _run(args: argparse.Namespace) -> int:
    from bot.telegram.runner import main as run_main

    return run_main(args)


def _check(args: argparse.Namespace) -> int:
    directory = args.dir or bundled_dir()
    problems = check(directory)
    counts = load_knowledge(directory).counts() if not problems else {}
    kinds = Counter(p.kind for p in problems)
    if args.json:
        payload = {
            "ok": not problems,
            "problems": [
                {"path": p.path, "key": p.key, "line": p.line, "message": p.message, "kind": p.kind} for p in problems
            ],
            "counts": dict(kinds),
            "knowledge": counts,
        }
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return 0 if not problems else 1
    if not problems:
        summary = ", ".join(f"{n} {name}" for name, n in counts.items())
        print(f"ok: {directory}: {summary}")
        return 0
    for problem in sorted(problems, key=lambda p: (p.path, p.line)):
        print(problem)
    summary = ", ".join(f"{n} {kind}" for kind, n in kinds.most_common())
    print(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} ({summary})")
    return 1
