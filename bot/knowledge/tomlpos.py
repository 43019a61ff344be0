"""Line numbers for keys in a TOML document, so a problem can point at the line to edit.

The TOML parser gives values without positions; this module scans the text once and remembers
where each array-of-tables block, key and array element starts. It understands the subset the
knowledge files use (array tables, sub-array tables, keys, multi-line arrays of scalars and
inline tables) and answers 0 rather than guess when something is outside that subset.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_HEADER = re.compile(r"^\s*\[\[\s*([A-Za-z0-9_.-]+)\s*\]\]")
_TABLE = re.compile(r"^\s*\[\s*([A-Za-z0-9_.-]+)\s*\]")
_KEY = re.compile(r"^\s*([A-Za-z0-9_-]+)\s*=\s*")

Path = tuple[str | int, ...]


@dataclass
class _Span:
    """An array element: where it starts and ends, and the keys of an inline table."""

    line: int
    end: int
    keys: dict[str, int] = field(default_factory=dict)


@dataclass
class _Block:
    line: int
    keys: dict[str, int] = field(default_factory=dict)
    arrays: dict[str, list[_Span]] = field(default_factory=dict)
    subtables: dict[str, list[_Block]] = field(default_factory=dict)


class Locator:
    """Finds the line of `table[index].key[i].subkey` in one TOML text (1-based, 0 if unknown)."""

    def __init__(self, text: str) -> None:
        self._lines = text.splitlines()
        self._blocks: dict[tuple[str, int], _Block] = {}
        self.tables: dict[str, int] = {}
        self._scan()

    def line(self, table: str, index: int, path: Path = ()) -> int:
        block = self._blocks.get((table, index))
        if block is None:
            return 0
        if not path:
            return block.line
        key = str(path[0])
        if len(path) > 1 and isinstance(path[1], int):
            return self._element_line(block, key, path[1], path[2:])
        return block.keys.get(key, block.line)

    def _element_line(self, block: _Block, key: str, i: int, rest: Path) -> int:
        spans = block.arrays.get(key)
        if spans is not None and i < len(spans):
            span = spans[i]
            return span.keys.get(str(rest[0]), span.line) if rest else span.line
        subs = block.subtables.get(key)
        if subs is not None and i < len(subs):
            sub = subs[i]
            return sub.keys.get(str(rest[0]), sub.line) if rest else sub.line
        return block.keys.get(key, block.line)

    def _scan(self) -> None:
        counts: dict[str, int] = {}
        block: _Block | None = None
        n = 0
        while n < len(self._lines):
            text = self._lines[n]
            header = _HEADER.match(text)
            if header:
                block = self._open(header.group(1), n + 1, counts, block)
                n += 1
                continue
            table = _TABLE.match(text)
            if table:
                self.tables.setdefault(table.group(1), n + 1)
                block = None
                n += 1
                continue
            key = _KEY.match(text)
            if key and block is not None:
                block.keys.setdefault(key.group(1), n + 1)
                spans, n = self._value(n, key.end())
                if spans is not None:
                    block.arrays.setdefault(key.group(1), spans)
                continue
            n += 1

    def _open(self, name: str, line: int, counts: dict[str, int], current: _Block | None) -> _Block:
        top, _, sub = name.partition(".")
        if sub:
            child = _Block(line)
            if current is not None:
                current.subtables.setdefault(sub, []).append(child)
            return child
        self.tables.setdefault(top, line)
        index = counts.get(top, 0)
        counts[top] = index + 1
        block = _Block(line)
        self._blocks[(top, index)] = block
        return block

    def _value(self, n: int, col: int) -> tuple[list[_Span] | None, int]:
        """Scans a value from line n, column col; returns array element spans and the next line."""
        scanner = _ValueScanner()
        while n < len(self._lines):
            scanner.feed(self._lines[n], n + 1, col)
            col = 0
            n += 1
            if scanner.done:
                break
        for span in scanner.spans:
            self._inline_keys(span)
        return (scanner.spans if scanner.is_array else None), n

    def _inline_keys(self, span: _Span) -> None:
        for number in range(span.line, span.end + 1):
            for match in re.finditer(r"(?:^|[{,\s])([A-Za-z0-9_-]+)\s*=", self._lines[number - 1]):
                span.keys.setdefault(match.group(1), number)


class _ValueScanner:
    """Follows brackets and strings across lines until a value ends."""

    def __init__(self) -> None:
        self.depth = 0
        self.quote = ""
        self.started = False
        self.is_array = False
        self.done = False
        self.expect = False
        self.spans: list[_Span] = []

    def feed(self, text: str, line: int, col: int) -> None:
        i = col
        while i < len(text):
            if self.quote:
                i = self._in_string(text, i)
                continue
            char = text[i]
            if char == "#":
                break
            if not self.started and not char.isspace():
                self.started = True
                self.is_array = char == "["
            i = self._step(text, i, line)
            if self.done:
                return
        if self.started and self.depth == 0 and not self.quote:
            self.done = True

    def _step(self, text: str, i: int, line: int) -> int:
        char = text[i]
        if char in "\"'":
            self.quote = text[i : i + 3] if text[i : i + 3] in ('"""', "'''") else char
            self._element(line)
            return i + len(self.quote)
        if char in "[{":
            if self.depth >= 1:
                self._element(line)
            self.depth += 1
            self.expect = self.depth == 1
        elif char in "]}":
            self.depth -= 1
            if self.depth == 0:
                self.done = True
        elif char == "," and self.depth == 1:
            self.expect = True
        elif not char.isspace():
            self._element(line)
        if self.spans and self.depth >= 1:
            self.spans[-1].end = line
        return i + 1

    def _element(self, line: int) -> None:
        if self.expect and self.depth == 1:
            self.spans.append(_Span(line, line))
            self.expect = False

    def _in_string(self, text: str, i: int) -> int:
        if text[i] == "\\" and self.quote.startswith('"'):
            return i + 2
        if text.startswith(self.quote, i):
            end = i + len(self.quote)
            self.quote = ""
            return end
        return i + 1
