"""Bar charts of comparison answers, for the front ends: `draw(answer)` -> a Chart (a PNG).

`panels` decides what a chart shows (a panel per measure and unit, a bar per owner, the words
around them) without matplotlib; `drawing` draws it and `fonts` picks a font that has every
character. matplotlib (the `livebot[charts]` extra) is imported by the first `draw` only, so
answering without a chart never loads it. A chart that cannot be drawn raises ChartError, and
the answer goes out as text alone.
"""

from __future__ import annotations

from bot.charts.panels import Chart, ChartError, Layout, layout
from bot.engine import Answer

__all__ = ["Chart", "ChartError", "Layout", "draw", "layout"]


def draw(answer: Answer) -> Chart:
    """The answer's figures as a bar chart; ChartError when there are none to set side by side,
    one cannot be drawn to scale, no installed font has a character, or matplotlib is missing."""
    chosen = layout(answer)
    try:
        from bot.charts.drawing import render
    except ImportError as exc:
        raise ChartError(f"matplotlib is not installed ({exc.name}): pip install 'livebot[charts]'") from exc
    return render(chosen, answer.lead)
