"""The exception tree: every error the project raises on purpose is a BotError. Imports nothing of ours."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in a knowledge directory, located for the curator who must fix it."""

    path: str
    key: str
    line: int
    message: str
    kind: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"


class BotError(Exception):
    """Base of every error a user may see as a message rather than a traceback."""


class KnowledgeError(BotError):
    """A knowledge directory failed validation; `problems` lists every problem found, and
    `path`, `key` and `line` locate the first."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        first = self.problems[0]
        self.path = first.path
        self.key = first.key
        self.line = first.line
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"{first}{more}")


class ConfigError(BotError):
    """The environment does not describe a runnable bot; `name` is the offending variable."""

    def __init__(self, name: str, message: str) -> None:
        self.name = name
        super().__init__(f"{name}: {message}")
