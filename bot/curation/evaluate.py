"""`livebot eval [FILE]`: how many questions a knowledge base answers right, by tag.

A question file holds [[case]] tables: `q`, and either `expect` (every string must appear in the
answer, case-insensitively) with an optional `any` (one of them must), or `answerable = false`
(right when the bot declines). `tags` group the results. A conversation file holds
[[conversation]] tables of [[conversation.turn]] cases, asked in order with each turn's answer as
the next one's context, as a chat would. SAMPLE_QUESTIONS, shipped with the package, is livebot's
own question set for the bundled knowledge.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import tomli

from bot.engine import Answer, Engine
from bot.errors import BotError

SAMPLE_QUESTIONS = Path(__file__).with_name("sample-questions.toml")


@dataclass(frozen=True, slots=True)
class Case:
    q: str
    expect: tuple[str, ...]
    any: tuple[str, ...]
    answerable: bool
    tags: tuple[str, ...]
    conversation: int | None = None  # the conversation a turn belongs to (0-based), None for a lone case
    turn: int | None = None


@dataclass(frozen=True, slots=True)
class Result:
    case: Case
    answer: Answer
    right: bool


class EvalFileError(BotError):
    """A question file that cannot be read; `path` names it."""

    def __init__(self, path: Path, message: str) -> None:
        self.path = path
        super().__init__(f"{path}: {message}")


def load_cases(path: Path) -> list[Case]:
    try:
        data = tomli.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise EvalFileError(path, exc.strerror or "cannot read") from None
    except (tomli.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise EvalFileError(path, f"not a valid question file: {exc}") from None
    if "conversation" in data:
        return _conversation_cases(path, data["conversation"])
    cases = data.get("case")
    if not isinstance(cases, list) or not cases:
        raise EvalFileError(path, "no [[case]] or [[conversation]] tables")
    return [_case(path, raw, f"case {i}") for i, raw in enumerate(cases, 1)]


def _conversation_cases(path: Path, conversations: Any) -> list[Case]:
    """Every turn of every [[conversation]], in order, tagged with its conversation's tags."""
    if not isinstance(conversations, list) or not conversations:
        raise EvalFileError(path, "no [[conversation]] tables")
    out = []
    for c, conversation in enumerate(conversations):
        turns = conversation.get("turn") if isinstance(conversation, dict) else None
        if not isinstance(turns, list) or not turns:
            raise EvalFileError(path, f"conversation {c + 1} has no [[conversation.turn]] tables")
        tags = tuple(conversation.get("tags", ()))
        for t, raw in enumerate(turns):
            case = _case(path, raw, f"conversation {c + 1}, turn {t + 1}")
            out.append(replace(case, tags=tags + case.tags, conversation=c, turn=t))
    return out


def _case(path: Path, raw: Any, where: str) -> Case:
    if not isinstance(raw, dict) or not isinstance(raw.get("q"), str):
        raise EvalFileError(path, f"{where} has no string 'q'")
    return Case(
        raw["q"],
        tuple(raw.get("expect", ())),
        tuple(raw.get("any", ())),
        bool(raw.get("answerable", True)),
        tuple(raw.get("tags", ())),
    )


def judge(case: Case, answer: Answer) -> bool:
    """Right when an answerable case's strings all appear, or an unanswerable one is declined."""
    if not case.answerable:
        return not answer.answered
    if not answer.answered:
        return False
    text = answer.text.casefold()
    if not all(s.casefold() in text for s in case.expect):
        return False
    return not case.any or any(s.casefold() in text for s in case.any)


def run_cases(engine: Engine, cases: list[Case]) -> list[Result]:
    """Asks every case; the turns of one conversation in order, each with the last answer's context."""
    results = []
    context = None
    for i, case in enumerate(cases):
        if case.conversation is None or i == 0 or cases[i - 1].conversation != case.conversation:
            context = None
        answer = engine.ask(case.q, context)
        context = answer.context if case.conversation is not None else None
        results.append(Result(case, answer, judge(case, answer)))
    return results


def summarise(results: list[Result]) -> dict[str, Any]:
    def tally(rs: list[Result]) -> dict[str, int]:
        return {"right": sum(r.right for r in rs), "total": len(rs)}

    answerable = [r for r in results if r.case.answerable]
    declined = [r for r in results if not r.case.answerable]
    tags: dict[str, list[Result]] = defaultdict(list)
    for r in results:
        for tag in r.case.tags:
            tags[tag].append(r)
    return {
        "answerable": tally(answerable),
        "out_of_scope": tally(declined),
        "turns": tally([r for r in results if r.case.conversation is not None]),
        "tags": {tag: tally(rs) for tag, rs in sorted(tags.items())},
    }


def evaluate(
    engine: Engine, path: Path, as_json: bool = False, verbose: bool = False, minimum: float | None = None
) -> int:
    """Prints the scores (or JSON); returns 1 when a share right is below `minimum`, else 0."""
    results = run_cases(engine, load_cases(path))
    summary = summarise(results)
    if as_json:
        print(json.dumps({"cases": [_case_json(r) for r in results], "summary": summary}, ensure_ascii=False, indent=2))
    else:
        _print_summary(results, summary, verbose)
    return _below(summary, minimum)


def _case_json(r: Result) -> dict[str, Any]:
    a = r.answer
    found: dict[str, Any] = {
        "q": r.case.q,
        "answered": a.answered,
        "kind": a.kind,
        "confidence": a.confidence,
        "answer": a.text,
        "right": r.right,
    }
    if r.case.conversation is not None:
        found.update(conversation=r.case.conversation, turn=r.case.turn)
    return found


def _print_summary(results: list[Result], summary: dict[str, Any], verbose: bool) -> None:
    if verbose:
        for r in results:
            if not r.right:
                want = "decline" if not r.case.answerable else f"expect {list(r.case.expect)} any {list(r.case.any)}"
                shown = r.answer.text.replace("\n", " | ")[:300]
                print(f"MISS [{', '.join(r.case.tags)}] {r.case.q}\n  want: {want}\n  got:  {shown}\n")
    by_tag = "  ".join(f"{t} {v['right']}/{v['total']}" for t, v in summary["tags"].items())
    print(f"by tag: {by_tag}")
    a, o, t = summary["answerable"], summary["out_of_scope"], summary["turns"]
    if t["total"]:
        print(f"turns: {t['right']}/{t['total']} right ({_pct(t)})")
    print(f"answerable: {a['right']}/{a['total']} right ({_pct(a)})")
    print(f"out of scope: {o['right']}/{o['total']} declined ({_pct(o)})")


def _below(summary: dict[str, Any], minimum: float | None) -> int:
    """1, with a line on stderr for each share below `minimum`; 0 without one."""
    if minimum is None:
        return 0
    low = [
        f"{label} {_pct(t)} is below --min {minimum:.0%}"
        for label, t in (
            ("answerable right", summary["answerable"]),
            ("out of scope declined", summary["out_of_scope"]),
        )
        if t["total"] and t["right"] < minimum * t["total"]
    ]
    for line in low:
        print(f"livebot eval: {line}", file=sys.stderr)
    return 1 if low else 0


def _pct(t: dict[str, int]) -> str:
    return f"{100 * t['right'] / t['total']:.1f}%" if t["total"] else "n/a"
