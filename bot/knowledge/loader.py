"""Knowledge files (TOML) to a validated, immutable KnowledgeBase.

`check(dir)` reports every problem at once, each with file, key path and line;
`load_knowledge(dir)` runs the same checks and raises KnowledgeError unless there are none, so
there is one definition of a valid knowledge base. The format is described in
docs/knowledge-format.md.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomli

from bot.errors import KnowledgeError, Problem
from bot.knowledge.model import (
    Cue,
    Entity,
    Fact,
    KindWords,
    KnowledgeBase,
    Measure,
    Number,
    Outside,
    Shorthand,
    Source,
)
from bot.knowledge.schema import ID_RE, SCHEMA, Spec, value_problems
from bot.knowledge.tomlpos import Locator

_NOT_WORD = re.compile(r"[\W_]+")
NESTED = "not read: knowledge files must be at the top level of the knowledge directory"


def bundled_dir() -> Path:
    """The knowledge shipped with livebot: the checkout's knowledge/ or the installed copy."""
    package = Path(__file__).resolve().parent.parent
    checkout = package.parent / "knowledge"
    return checkout if checkout.is_dir() else package / "_knowledge"


def check(directory: Path | str | None = None) -> list[Problem]:
    """Returns every problem in a knowledge directory; an empty list means it is valid."""
    return _read(Path(directory) if directory is not None else bundled_dir())[1]


def load_knowledge(directory: Path | str | None = None) -> KnowledgeBase:
    """Loads and validates a directory; raises KnowledgeError listing every problem."""
    kb, problems = _read(Path(directory) if directory is not None else bundled_dir())
    if problems or kb is None:
        raise KnowledgeError(problems)
    return kb


# -- reading -------------------------------------------------------------------------------


class _File:
    """One file's text; its Locator is built only when a problem needs a line number."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._locator: Locator | None = None

    @property
    def locator(self) -> Locator:
        if self._locator is None:
            self._locator = Locator(self.text)
        return self._locator


@dataclass
class _Record:
    table: str
    data: dict[str, Any]
    path: str
    index: int
    file: _File

    @property
    def label(self) -> str:
        ident = self.data.get("id")
        if isinstance(ident, str) and ident:
            return f"{self.table}[{ident}]"
        return f"{self.table}#{self.index + 1}"

    def line(self, *path: str | int) -> int:
        return self.file.locator.line(self.table, self.index, path)

    def key(self, *path: str | int) -> str:
        parts = [self.label]
        for part in path:
            parts.append(f"[{part}]" if isinstance(part, int) else f".{part}")
        return "".join(parts)


def _read(directory: Path) -> tuple[KnowledgeBase | None, list[Problem]]:
    if not directory.is_dir():
        return None, [Problem(str(directory), "", 0, "no such knowledge directory", "missing")]
    try:
        files, nested = _listing(directory)
    except OSError as exc:
        return None, [Problem(str(directory), "", 0, f"cannot read the directory: {exc.strerror}", "unreadable")]
    layout = [Problem(_shown(f), "", 0, NESTED, "layout") for f in nested]
    if not files:
        return None, layout + [Problem(str(directory), "", 0, "no *.toml knowledge files", "missing")]
    checker = _Checker()
    for file in files:
        checker.read_file(file)
    checker.cross_check()
    if checker.problems or layout:
        return None, layout + checker.problems
    return checker.build(directory, len(files)), []


def _listing(directory: Path) -> tuple[list[Path], list[Path]]:
    """The directory's *.toml files, and those in its subfolders (hidden ones aside), which are not read.

    Raises OSError when the directory itself cannot be listed."""
    with os.scandir(directory) as entries:
        files = sorted(directory / e.name for e in entries if e.name.endswith(".toml"))
    nested: list[Path] = []
    for root, folders, names in os.walk(directory):
        folders[:] = sorted(f for f in folders if not f.startswith("."))
        if Path(root) != directory:
            nested.extend(Path(root) / n for n in sorted(names) if n.endswith(".toml"))
    return files, nested


class _Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.records: list[_Record] = []
        self.ids: dict[str, _Record] = {}
        self.broken: list[str | None] = []

    def report(self, record: _Record, path: tuple[str | int, ...], message: str, kind: str) -> None:
        self.problems.append(Problem(record.path, record.key(*path), record.line(*path), message, kind))

    def read_file(self, file: Path) -> None:
        shown = _shown(file)
        try:
            text = file.read_bytes().decode("utf-8")
            doc = tomli.loads(text)
        except OSError as exc:
            self._unparsed(Problem(shown, "", 0, f"cannot read: {exc.strerror}", "unreadable"), None)
            return
        except UnicodeDecodeError as exc:
            self._unparsed(Problem(shown, "", 0, f"not UTF-8 text: {exc.reason}", "syntax"), None)
            return
        except tomli.TOMLDecodeError as exc:
            message = f"TOML syntax error: {exc.msg} (column {exc.colno})"
            self._unparsed(Problem(shown, "", exc.lineno, message, "syntax"), text)
            return
        source = _File(text)
        for table, items in doc.items():
            self._read_table(shown, source, table, items)

    def _unparsed(self, problem: Problem, text: str | None) -> None:
        """A file that could not be read: its problem, and its text (None: unknown) for may_define()."""
        self.problems.append(problem)
        self.broken.append(text)

    def may_define(self, ident: str) -> bool:
        """Whether a file that could not be read might define `ident`: a reference to it is then
        not reported, since the file's own problem is the cause."""
        return any(text is None or ident in text for text in self.broken)

    def _read_table(self, shown: str, source: _File, table: str, items: Any) -> None:
        if table not in SCHEMA or table == "number":
            known = ", ".join(f"[[{name}]]" for name in SCHEMA if name != "number")
            line = source.locator.tables.get(table, 0)
            self.problems.append(Problem(shown, table, line, f"unknown table; use {known}", "unknown-field"))
            return
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            message = f"must be an array of tables, written [[{table}]]"
            self.problems.append(Problem(shown, table, source.locator.tables.get(table, 0), message, "type"))
            return
        for index, data in enumerate(items):
            record = _Record(table, data, shown, index, source)
            self.records.append(record)
            self._check_fields(record, SCHEMA[table], data, ())
            self._check_id(record)

    def _check_fields(self, record: _Record, spec: Spec, data: dict[str, Any], at: tuple[str | int, ...]) -> None:
        for name, (kind, required) in spec.items():
            if name not in data:
                if required:
                    self.report(record, at, f"missing required field '{name}'", "missing")
                continue
            self._check_value(record, at + (name,), kind, data[name])
        for name in data.keys() - spec.keys():
            allowed = ", ".join(spec)
            self.report(record, at + (name,), f"unknown field (expected one of: {allowed})", "unknown-field")

    def _check_value(self, record: _Record, at: tuple[str | int, ...], kind: str, value: Any) -> None:
        for message, problem_kind, where in value_problems(kind, value, at):
            self.report(record, where, message, problem_kind)
        if kind == "numbers" and isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, dict):
                    self._check_fields(record, SCHEMA["number"], item, at + (i,))

    def _check_id(self, record: _Record) -> None:
        ident = record.data.get("id")
        if not isinstance(ident, str) or not ID_RE.match(ident):
            return
        first = self.ids.get(ident)
        if first is None:
            self.ids[ident] = record
            return
        where = f"{first.path} line {first.line('id')}"
        self.report(record, ("id",), f"duplicate id '{ident}' (first used by {first.table} in {where})", "duplicate-id")

    def cross_check(self) -> None:
        seen_text: dict[str, _Record] = {}
        for record in self.records:
            for path, table, ref in _references(record):
                target = self.ids.get(ref)
                if target is None and self.may_define(ref):
                    continue
                if target is None or target.table != table:
                    self.report(record, path, f"refers to unknown {table} '{ref}'", "reference")
            if record.table == "fact":
                self._check_fact(record, seen_text)

    def _check_fact(self, record: _Record, seen: dict[str, _Record]) -> None:
        text = record.data.get("text")
        if not isinstance(text, str):
            return
        numbers = record.data.get("numbers")
        text_zh = record.data.get("text_zh")
        for i, number in enumerate(numbers if isinstance(numbers, list) else []):
            for key, written in (("display", text), ("display_zh", text_zh)):
                display = number.get(key) if isinstance(number, dict) else None
                if isinstance(display, str) and display.strip() and display not in (written or ""):
                    field_name = "text" if key == "display" else "text_zh"
                    message = f"{key} '{display}' does not occur in the fact's {field_name}"
                    self.report(record, ("numbers", i, key), message, "number")
        for field_name in ("text", "text_zh"):
            value = record.data.get(field_name)
            if not isinstance(value, str) or not value.strip():
                continue
            norm = field_name + ":" + _fingerprint(value)
            first = seen.setdefault(norm, record)
            if first is not record:
                where = f"{first.path} line {first.line(field_name)}"
                message = f"the same fact is already written as {first.label} ({where})"
                self.report(record, (field_name,), message, "duplicate-fact")

    def build(self, directory: Path, files: int) -> KnowledgeBase:
        sources: dict[str, Source] = {}
        entities: dict[str, Entity] = {}
        facts: list[Fact] = []
        outside: list[Outside] = []
        synonyms: list[tuple[str, ...]] = []
        measures: dict[str, Measure] = {}
        cues: list[Cue] = []
        kinds: list[KindWords] = []
        shorthands: list[Shorthand] = []
        for record in self.records:
            data = record.data
            if record.table == "synonyms":
                synonyms.append(tuple(data["words"]))
            elif record.table == "measure":
                measures[data["id"]] = Measure(**_plain(data))
            elif record.table == "cue":
                cues.append(Cue(**_plain(data)))
            elif record.table == "kind":
                kinds.append(KindWords(**_plain(data)))
            elif record.table == "shorthand":
                shorthands.append(Shorthand(**_plain(data)))
            elif record.table == "outside":
                outside.append(Outside(**_plain(data)))
            elif record.table == "source":
                sources[data["id"]] = Source(**_plain(data))
            elif record.table == "entity":
                entities[data["id"]] = Entity(**_plain(data))
            else:
                numbers = tuple(Number(**_plain(n, figure=True)) for n in data.get("numbers", ()))
                facts.append(Fact(**{**_plain(data), "numbers": numbers}))
        return KnowledgeBase(
            directory,
            sources,
            entities,
            tuple(facts),
            files,
            tuple(outside),
            tuple(synonyms),
            measures,
            tuple(cues),
            tuple(kinds),
            tuple(shorthands),
        )


def _shown(file: Path) -> str:
    """The file as a curator finds it: relative to the working directory when inside it. Symbolic
    links are not followed, so a link that loops is still shown (and then reported as unreadable)."""
    try:
        return str(Path(os.path.abspath(file)).relative_to(Path.cwd()))
    except ValueError:
        return str(file)


def _plain(data: Mapping[str, Any], *, figure: bool = False) -> dict[str, Any]:
    """TOML values as dataclass arguments: lists to tuples, dates to ISO strings, and a figure's
    whole-number value to a float."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, list):
            value = tuple(value)
        elif isinstance(value, dt.date):
            value = value.isoformat()
        elif figure and key == "value" and isinstance(value, int):
            value = float(value)
        out[key] = value
    return out


def _fingerprint(text: str) -> str:
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text).casefold())


def _references(record: _Record) -> Iterator[tuple[tuple[str | int, ...], str, str]]:
    spec = SCHEMA[record.table]
    for name, (kind, _) in spec.items():
        value = record.data.get(name)
        if kind.startswith("ref:") and isinstance(value, str) and value:
            yield (name,), kind[4:], value
        elif kind.startswith("refs:") and isinstance(value, list):
            for i, ref in enumerate(value):
                if isinstance(ref, str) and ref:
                    yield (name, i), kind[5:], ref
    numbers = record.data.get("numbers") if record.table == "fact" else None
    for i, number in enumerate(numbers if isinstance(numbers, list) else []):
        for name, (kind, _) in SCHEMA["number"].items():
            ref = number.get(name) if isinstance(number, dict) else None
            if kind.startswith("ref:") and isinstance(ref, str) and ref:
                yield ("numbers", i, name), kind[4:], ref
