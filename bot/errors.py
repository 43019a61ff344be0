"""The exception tree: every error the project raises on purpose is a BotError."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.knowledge import Problem


class BotError(Exception):
    """Base of every error a user may see as a message rather than a traceback."""


class KnowledgeError(BotError):
    """A knowledge directory failed validation; `problems` lists every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = tuple(problems)
        first = problems[0]
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
