"""What a valid knowledge file holds: the tables, their fields and types, and the checks of one value.

`SCHEMA` maps each table to its fields, `field -> (type, required)`; `value_problems()` says what is
wrong with one field's value. The loader applies them record by record and adds the checks that
need the whole directory (references, duplicates).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterator
from typing import Any

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_ID = 48  # ids travel in Telegram callback data, which holds 64 bytes
DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

SOURCE_KINDS = frozenset(
    "article account report press-conference newspaper magazine website announcement interview data".split()
)
ENTITY_KINDS = frozenset(
    "city province village district country government organisation company platform media "
    "brand person plan event report occupation topic".split()
)
NUMBER_KINDS = frozenset("actual target growth rank multiple share".split())
# What a question's words can mean to the engine (see docs/knowledge-format.md, [[cue]]).
CUE_MEANINGS = frozenset(
    "greeting thanks help date deadline figure money source target exact growth rank superlative "
    "compare outcome yesno yesno-opening now later overview who which where how howto filler amount ordinal "
    "quarter name pronoun ellipsis correction other span publish future spend why because opinion stance ownview "
    "sorts title edition share identity injection previous fullyear newtopic order besides rest author began "
    "aspect demonstrative negation personal magnitude percent yesno-tag last above below both frequency "
    "frequent chinese-name sum".split()
)

# field -> (type, required). Types: id, str, strs, date, int (a year), ord (1-100), num, bool,
# kind:<set>, ref:<table>, refs:<table>, numbers.
Spec = dict[str, tuple[str, bool]]
SCHEMA: dict[str, Spec] = {
    "source": {
        "id": ("id", True),
        "kind": ("kind:source", True),
        "title": ("str", True),
        "title_zh": ("str", False),
        "publisher": ("str", True),
        "publisher_zh": ("str", False),
        "author": ("str", False),
        "author_zh": ("str", False),
        "date": ("date", False),
        "date_note": ("str", False),
        "via": ("ref:source", False),
        "entity": ("ref:entity", False),
        "short": ("str", False),
        "short_zh": ("str", False),
    },
    "entity": {
        "id": ("id", True),
        "kind": ("kind:entity", True),
        "name": ("str", True),
        "name_zh": ("str", False),
        "aliases": ("strs", False),
        "part_of": ("ref:entity", False),
        "description": ("str", False),
        "description_zh": ("str", False),
        "titled": ("bool", False),
        "note": ("str", False),
    },
    "fact": {
        "id": ("id", True),
        "text": ("str", True),
        "text_zh": ("str", False),
        "about": ("refs:entity", True),
        "source": ("ref:source", True),
        "date": ("date", False),
        "keywords": ("strs", False),
        "questions": ("strs", False),
        "note": ("str", False),
        "caveat": ("str", False),
        "caveat_zh": ("str", False),
        "numbers": ("numbers", False),
    },
    "outside": {
        "id": ("id", True),
        "kind": ("kind:entity", True),
        "name": ("str", True),
        "name_zh": ("str", False),
        "aliases": ("strs", False),
    },
    "synonyms": {"words": ("strs", True)},
    "measure": {
        "id": ("id", True),
        "name": ("str", True),
        "name_zh": ("str", False),
        "words": ("strs", False),
        "may_be": ("refs:measure", False),
    },
    "cue": {"means": ("kind:cue", True), "words": ("strs", True), "value": ("ord", False)},
    "kind": {"kind": ("kind:entity", True), "words": ("strs", True)},
    "shorthand": {"words": ("strs", True), "full": ("str", True)},
    "number": {
        "value": ("num", True),
        "unit": ("str", True),
        "measure": ("ref:measure", True),
        "display": ("str", True),
        "display_zh": ("str", False),
        "kind": ("kind:number", False),
        "year": ("int", False),
        "entity": ("ref:entity", False),
    },
}
_KINDS = {"source": SOURCE_KINDS, "entity": ENTITY_KINDS, "number": NUMBER_KINDS, "cue": CUE_MEANINGS}


def type_name(value: Any) -> str:
    names = {bool: "boolean", int: "integer", float: "float", str: "string", list: "array", dict: "table"}
    return names.get(type(value), type(value).__name__)


def value_problems(
    kind: str, value: Any, at: tuple[str | int, ...]
) -> Iterator[tuple[str, str, tuple[str | int, ...]]]:
    """Yields (message, problem kind, key path) for one field value."""
    base = kind.partition(":")[0]
    if base in ("id", "str", "ref", "kind"):
        if not isinstance(value, str):
            yield f"expected a string, got {type_name(value)}", "type", at
        elif not value.strip():
            yield "must not be empty", "empty", at
        elif base == "id" and not ID_RE.match(value):
            yield f"'{value}' is not lower-case kebab-case (like 'hangzhou-plan')", "value", at
        elif base == "id" and len(value) > MAX_ID:
            yield f"'{value}' is longer than {MAX_ID} characters", "value", at
        elif base == "kind" and value not in _KINDS[kind[5:]]:
            allowed = ", ".join(sorted(_KINDS[kind[5:]]))
            yield f"unknown kind '{value}' (expected one of: {allowed})", "value", at
    elif base in ("strs", "refs"):
        yield from _list_problems(value, at, required=base == "refs")
    elif base == "date":
        yield from _date_problems(value, at)
    elif base in ("num", "int", "ord"):
        yield from _number_problems(base, value, at)
    elif base == "bool" and not isinstance(value, bool):
        yield f"expected true or false, got {type_name(value)}", "type", at
    elif base == "numbers":
        if not isinstance(value, list):
            yield f"expected an array of tables, got {type_name(value)}", "type", at
        else:
            for i, item in enumerate(value):
                if not isinstance(item, dict):
                    yield f"expected a table, got {type_name(item)}", "type", at + (i,)


def _list_problems(
    value: Any, at: tuple[str | int, ...], required: bool
) -> Iterator[tuple[str, str, tuple[str | int, ...]]]:
    if not isinstance(value, list):
        yield f"expected an array of strings, got {type_name(value)}", "type", at
        return
    if required and not value:
        yield "must list at least one id", "empty", at
    seen: set[str] = set()
    for i, item in enumerate(value):
        if not isinstance(item, str):
            yield f"expected a string, got {type_name(item)}", "type", at + (i,)
        elif not item.strip():
            yield "empty string", "empty", at + (i,)
        elif item.casefold() in seen:
            yield f"'{item}' is listed twice", "duplicate", at + (i,)
        else:
            seen.add(item.casefold())


def _date_problems(value: Any, at: tuple[str | int, ...]) -> Iterator[tuple[str, str, tuple[str | int, ...]]]:
    if isinstance(value, (dt.datetime, dt.time)):
        yield "a date has no time of day; write 'YYYY-MM-DD'", "date", at
        return
    if isinstance(value, dt.date):
        return
    if not isinstance(value, str):
        yield f"expected a date string 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD', got {type_name(value)}", "date", at
        return
    match = DATE_RE.match(value)
    if not match:
        yield f"'{value}' is not a date like 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'", "date", at
        return
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        dt.date(year or 1, month or 1, day or 1)
    except ValueError:
        yield f"'{value}' is not a real calendar date", "date", at


def _number_problems(
    base: str, value: Any, at: tuple[str | int, ...]
) -> Iterator[tuple[str, str, tuple[str | int, ...]]]:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        hint = ' (write 1000, not "1,000")' if isinstance(value, str) else ""
        yield f"expected a number, got {type_name(value)}{hint}", "number", at
    elif base in ("int", "ord") and not isinstance(value, int):
        yield f"expected a whole number, got {value}", "number", at
    elif not math.isfinite(value):
        yield f"{value} is not a finite number", "number", at
    elif base == "int" and not 1900 <= value <= 2100:
        yield f"year {value} is out of range", "number", at
    elif base == "ord" and not 1 <= value <= 100:
        yield f"{value} is not between 1 and 100", "number", at
