"""The `livebot` command line: every subcommand's options, description and examples, and parse()."""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Callable, Mapping, Sequence
from importlib import metadata
from pathlib import Path
from typing import TypeVar

from bot import __version__

Command = Callable[[argparse.Namespace], int]
N = TypeVar("N", int, float)

KNOWLEDGE_HELP = "knowledge directory (env LIVEBOT_KNOWLEDGE_DIR; default: the bundled knowledge)"
DATA_DIR_HELP = "where questions are recorded (env LIVEBOT_DATA_DIR; default: ~/.local/share/livebot)"
DATABASE_URL_HELP = "a postgresql:// database to record into and read instead (env LIVEBOT_DATABASE_URL)"
CHART_HELP = "also draw the compared figures as a PNG bar chart in FILE"
RECORDING = "Questions are recorded for `livebot gaps` without user ids; LIVEBOT_RECORD=0 turns that off."

ASK = """\
Answer one question from the knowledge and print the answer with its sources. Options may come
before, after or among the question's words. {recording}

--chart FILE also draws a comparison's figures as a PNG bar chart in FILE (with the charts
extra: pip install 'livebot[charts]'); an answer that sets no figures side by side writes none.

examples:
  livebot ask "Which city has the most live-streaming anchors?"
  livebot ask 双品网购节总销售额是多少？
  livebot ask --json hangzou anchors          # typos are fine; JSON for scripts
  livebot ask --chart plans.png "which plan trains more people, guangzhou or hangzhou"
"""
COMPARE = """\
Set side by side every figure two plans, cities, festivals or companies both have of the same
measure (the targets of two plans, the figures of two festivals), each with its source. Names may
be in English, Chinese or pinyin, typos allowed; quote a name of several words. --chart FILE also
draws them as a PNG bar chart, a panel per measure. {recording}

examples:
  livebot compare guangzhou hangzhou --chart plans.png
  livebot compare 广州 杭州
  livebot compare "double product festival" "may fifth shopping festival"
"""
CHAT = """\
Ask questions at a prompt, with line editing and history (LIVEBOT_HISTORY, default
~/.livebot_history). Ctrl-D or 'quit' ends the chat; Ctrl-C cancels the line being typed. Lines
piped to stdin are answered one by one. {recording}

examples:
  livebot chat
  printf 'yiwu certificates\\nhangzhou plan\\n' | livebot chat
"""
CHECK = """\
Validate a knowledge directory and list every problem at once, each as file:line: key: message
(the first {limit} are printed, then how many more). Exit status 0 when it is valid, 1 otherwise.
The folder may also be given as a positional DIR, as earlier versions took it.

examples:
  livebot check
  livebot check --knowledge ~/my-knowledge --json
"""
EVAL = """\
Score the answers to a question file. The file holds [[case]] tables: `q`, the question; `expect`,
strings that must all appear in the answer (case-insensitively); `any`, strings of which at least
one must appear; `answerable = false` for a question the bot is right to decline; `tags`, to group
the results. Without FILE, the sample question file shipped with livebot is used.

--min SHARE makes the exit status 1 when either the share of answerable questions answered right
or the share of the others declined is below SHARE (a number from 0 to 1).

examples:
  livebot eval -v
  livebot eval my-questions.toml --min 0.9
"""
GAPS = """\
Group the recorded questions the bot declined, answered with low confidence, or that got a 👎,
most frequent first, each with the nearest fact found when it was asked. It reads only the
recorded questions, so it takes no knowledge directory.

examples:
  livebot gaps --since 7
  livebot gaps --json
"""
STATS = """\
Count the recorded questions per day and channel: answered, low confidence, declined, chitchat,
and the most shown facts. It reads only the recorded questions.

examples:
  livebot stats
  livebot stats --since 30 --json
"""
RUN = """\
Run the Telegram bot: long polling, or webhooks with --webhook. The token comes from
TELEGRAM_BOT_TOKEN; the rest of the environment is described in the README. SIGHUP reloads the
knowledge; SIGTERM or Ctrl-C stops the bot with exit status 0.

examples:
  TELEGRAM_BOT_TOKEN=123456:ABC... livebot run --watch
  livebot run --webhook --webhook-url https://bot.example.org/livebot/hook --port 8443
"""


def version() -> str:
    """The installed distribution's version, else the package's own."""
    try:
        return metadata.version("livebot")
    except metadata.PackageNotFoundError:
        return __version__


def days(text: str) -> int:
    """--since: a whole number of days, 1 or more."""
    return _within(int, text, 1, math.inf, "a whole number of days, 1 or more")


def share(text: str) -> float:
    """--min: a share from 0 to 1."""
    return _within(float, text, 0, 1, "a share from 0 to 1, like 0.9")


def _within(convert: Callable[[str], N], text: str, low: float, high: float, wanted: str) -> N:
    try:
        value: N | None = convert(text)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        raise argparse.ArgumentTypeError(f"{text!r}: give {wanted}")
    return value


def parse(argv: Sequence[str] | None, commands: Mapping[str, Command], *, check_limit: int) -> argparse.Namespace:
    """The parsed arguments, `command` set to the subcommand's function; exits 2 on bad usage.

    The words of a question may be mixed with options (`livebot ask what is --json the plan`)."""
    parser = build(commands, check_limit=check_limit)
    args, extra = parser.parse_known_args(argv)
    if extra and getattr(args, "question", None) is not None and not any(e.startswith("-") for e in extra):
        args.question += extra
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    if not hasattr(args, "command"):
        parser.print_help(sys.stderr)
        parser.exit(2)
    if getattr(args, "dir", None) is not None:
        if args.knowledge is not None and args.knowledge != args.dir:
            parser.error("check: give the knowledge directory once, as DIR or as --knowledge DIR")
        args.knowledge = args.dir
    return args


def build(commands: Mapping[str, Command], *, check_limit: int) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="livebot", description="Sourced answers about China's 2020 live-streaming e-commerce economy."
    )
    parser.add_argument("--version", action="version", version=f"livebot {version()}")
    sub = parser.add_subparsers(metavar="COMMAND")

    def command(name: str, helptext: str, description: str) -> argparse.ArgumentParser:
        about, _, examples = description.format(recording=RECORDING, limit=check_limit).partition("\nexamples:\n")
        p = sub.add_parser(
            name,
            help=helptext,
            description=about,
            epilog="examples:\n" + examples,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        p.set_defaults(command=commands[name])
        return p

    p = command("ask", "answer one question from the knowledge", ASK)
    p.add_argument("question", nargs="+", help="the question (quote it, or not)")
    p.add_argument("--chart", type=Path, metavar="FILE", help=CHART_HELP)
    _common(p, json="print the answer as JSON", knowledge=True, data_dir=True)

    p = command("compare", "set the figures of two plans, cities or festivals side by side", COMPARE)
    p.add_argument("first", metavar="A", help="a plan, city, festival or company")
    p.add_argument("second", metavar="B", help="another one")
    p.add_argument("--chart", type=Path, metavar="FILE", help=CHART_HELP)
    _common(p, json="print the comparison as JSON", knowledge=True, data_dir=True)

    _common(command("chat", "ask questions at an interactive prompt", CHAT), knowledge=True, data_dir=True)

    p = command("check", "validate a knowledge directory and report every problem", CHECK)
    p.add_argument("dir", nargs="?", type=Path, metavar="DIR", help=argparse.SUPPRESS)
    _common(p, json="print the result as JSON", knowledge=True)

    p = command("eval", "score the answers to a question file", EVAL)
    p.add_argument("file", nargs="?", type=Path, metavar="FILE", help="question file (default: the shipped sample)")
    p.add_argument("-v", "--verbose", action="store_true", help="list the misses")
    p.add_argument("--min", type=share, metavar="SHARE", help="exit 1 if a share right is below SHARE (0 to 1)")
    _common(p, json="print every case and the summary as JSON", knowledge=True)

    for name, helptext, description in (
        ("gaps", "group the questions users asked that the bot could not answer well", GAPS),
        ("stats", "questions per day, answered versus declined, most asked facts, by channel", STATS),
    ):
        p = command(name, helptext, description)
        p.add_argument("--since", type=days, metavar="DAYS", help="only the last DAYS days (1 or more)")
        _common(p, json="print as JSON", knowledge=name == "gaps", data_dir=True)

    p = command("run", "run the Telegram bot (long polling, or webhooks with --webhook)", RUN)
    _run_options(p)
    _common(p, data_dir=True)
    return parser


def _common(p: argparse.ArgumentParser, *, json: str = "", knowledge: bool = False, data_dir: bool = False) -> None:
    if json:
        p.add_argument("--json", action="store_true", help=json)
    if knowledge:
        p.add_argument("--knowledge", type=Path, metavar="DIR", help=KNOWLEDGE_HELP)
    if data_dir:
        p.add_argument("--data-dir", type=Path, metavar="DIR", help=DATA_DIR_HELP)
        p.add_argument("--database-url", metavar="URL", help=DATABASE_URL_HELP)


def _run_options(p: argparse.ArgumentParser) -> None:
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
