"""What a chart shows, before any drawing: a panel per measure and unit, a bar per owner, and the
words around them (heading, legend, footer) in the answer's language. Pure: no matplotlib.

A panel holds only figures of one measure in one unit, at least two of them; a bar is labelled with
its figure as the source writes it and, for a target, the year it is set for.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from bot.engine import Answer, Figure
from bot.errors import BotError

MAX_PANELS = 6
MAX_BARS = 8

WORDS = {
    "en": {
        "vs": " vs ",
        "target": "target",
        "target-for": "target for {year}",
        "legend": "Hatched bars are targets set for later, not results.",
        "sources": "Sources:",
        "as-of": "As of 2020, per The Paper.",
    },
    "zh": {
        "vs": " 对 ",
        "target": "目标",
        "target-for": "{year}年目标",
        "legend": "斜线柱为计划目标，并非实际结果。",
        "sources": "来源：",
        "as-of": "数据截至2020年，据澎湃新闻。",
    },
}


class ChartError(BotError):
    """A chart that cannot be drawn; `reason` says why, and the answer goes out as text alone."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"no chart: {reason}")
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Chart:
    """A drawn chart: the PNG, the font family it is set in, its size in pixels."""

    png: bytes
    font: str
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class Bar:
    """One owner's figure: its length, its label as the source writes it, and whether it is a target."""

    owner: str
    value: float
    label: str
    target: bool


@dataclass(frozen=True, slots=True)
class Panel:
    """The figures of one measure in one unit, each owner's once, in the answer's order."""

    measure: str
    unit: str
    bars: tuple[Bar, ...]


@dataclass(frozen=True, slots=True)
class Layout:
    """Everything a chart says: its heading, panels, legend (when a bar is a target) and footer."""

    language: str
    heading: str
    panels: tuple[Panel, ...]
    legend: str
    sources: tuple[str, ...]
    as_of: str
    owners: tuple[str, ...]

    def texts(self) -> tuple[str, ...]:
        """Every string the chart draws, for choosing a font that has all their characters."""
        bars = [t for p in self.panels for b in p.bars for t in (b.owner, b.label)]
        return (self.heading, self.legend, self.as_of, word(self.language, "sources"), *self.sources) + tuple(
            [p.measure for p in self.panels] + bars
        )


def word(language: str, key: str) -> str:
    return WORDS["zh" if language == "zh" else "en"][key]


def layout(answer: Answer) -> Layout:
    """The chart of a comparison answer; ChartError when it sets no two figures of one measure side
    by side, or a figure cannot be drawn to scale."""
    language = answer.language
    found = panels(answer.figures, language)
    owners = tuple(dict.fromkeys(b.owner for p in found for b in p.bars))
    targets = any(b.target for p in found for b in p.bars)
    return Layout(
        language=language,
        heading=word(language, "vs").join(owners),
        panels=found,
        legend=word(language, "legend") if targets else "",
        sources=tuple(dict.fromkeys(f.source for f in answer.facts)),
        as_of=word(language, "as-of"),
        owners=owners,
    )


def panels(figures: tuple[Figure, ...], language: str) -> tuple[Panel, ...]:
    """A panel per measure and unit that has figures of two owners or more, at most MAX_PANELS."""
    grouped: dict[tuple[str, str], dict[str, Figure]] = {}
    for figure in figures:
        if not math.isfinite(figure.value) or figure.value < 0:
            raise ChartError(f"{figure.owner}'s {figure.measure} ({figure.display}) cannot be drawn to scale")
        grouped.setdefault((figure.measure, figure.unit), {}).setdefault(figure.owner, figure)
    found = tuple(
        Panel(measure, unit, tuple(_bar(f, language) for f in list(owners.values())[:MAX_BARS]))
        for (measure, unit), owners in grouped.items()
        if len(owners) >= 2
    )
    if not found:
        raise ChartError("the answer sets no two figures of one measure side by side")
    return found[:MAX_PANELS]


def _bar(figure: Figure, language: str) -> Bar:
    target = figure.kind == "target"
    label = figure.display
    if target:
        kind = word(language, "target-for").format(year=figure.year) if figure.year else word(language, "target")
        label = f"{label}（{kind}）" if language == "zh" else f"{label} ({kind})"
    return Bar(figure.owner, figure.value, label, target)
