"""A Layout drawn as a PNG with matplotlib's Agg canvas: the heading, a panel of horizontal bars per
measure (drawn to scale from zero, each labelled with its figure as the source writes it, targets
hatched), then the sources and the date of the knowledge in the footer.

Imported only when a chart is drawn (bot.charts.draw), so nothing else pays for matplotlib. Uses
matplotlib's object API (no pyplot, no global figure state); one chart is drawn at a time.
"""

from __future__ import annotations

import io
import textwrap
import threading
import unicodedata
from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

from bot import __version__
from bot.charts.fonts import bold, font_for
from bot.charts.panels import Chart, Layout, Panel, word

DPI = 150
WIDTH = 8.0  # inches: 1200 pixels
MARGIN = 0.4
HEADING = 0.3  # inches a line of the heading takes; then SPACE below it
SPACE = 0.25
LEGEND = 0.42
TITLE = 0.34
ROW = 0.5
GAP = 0.22
LINE = 0.19
COLUMNS = {"heading": 54, "title": 70, "footer": 100}  # characters a line holds (a CJK character counts twice)
LABEL_COLUMN = 0.075  # inches a column of a bar's label takes
LONGEST_BAR = 0.6  # share of a panel's width the largest figure's bar takes at most; its label follows
COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#555555")
INK = "#222222"
MUTED = "#555555"

_one_at_a_time = threading.Lock()


def render(layout: Layout, description: str = "") -> Chart:
    """The layout as a PNG of WIDTH x DPI pixels across, as tall as its panels and footer need.
    Raises ChartError (from font_for) when no installed font has every character it draws."""
    lines = Lines(
        _wrap(layout.heading, COLUMNS["heading"]),
        tuple(_wrap(p.measure, COLUMNS["title"]) for p in layout.panels),
        _footer_lines(layout),
    )
    height = _height(layout, lines)
    with _one_at_a_time:
        font = font_for(layout.texts())
        figure = Figure(figsize=(WIDTH, height), dpi=DPI, facecolor="white")
        canvas = FigureCanvasAgg(figure)
        _draw(figure, layout, lines, font, height)
        out = io.BytesIO()
        metadata = {
            "Title": layout.heading,
            "Description": description,
            "Source": "; ".join(layout.sources),
            "Software": f"livebot {__version__}",
        }
        figure.savefig(out, format="png", dpi=DPI, metadata=metadata)
    width_px, height_px = canvas.get_width_height()
    return Chart(out.getvalue(), font, width_px, height_px)


@dataclass(frozen=True, slots=True)
class Lines:
    """The chart's wrapped text: the heading's lines, each panel title's, the footer's."""

    heading: list[str]
    titles: tuple[list[str], ...]
    footer: list[str]


def _height(layout: Layout, lines: Lines) -> float:
    """Inches: margins, heading, legend, each panel's title lines and bars, then the footer."""
    panels = sum(TITLE * len(t) + ROW * len(p.bars) + GAP for p, t in zip(layout.panels, lines.titles))
    legend = LEGEND if layout.legend else 0.0
    top = HEADING * len(lines.heading) + SPACE
    return round(2 * MARGIN + top + legend + panels + LINE * len(lines.footer), 2)


def _draw(figure: Figure, layout: Layout, lines: Lines, font: str, height: float) -> None:
    colours = {owner: COLOURS[i % len(COLOURS)] for i, owner in enumerate(layout.owners)}
    strong = bold(font)
    top = height - MARGIN

    def text(y: float, words: list[str], step: float, **style: object) -> float:
        for line in words:
            figure.text(MARGIN / WIDTH, y / height, line, fontfamily=font, va="top", **style)  # type: ignore[arg-type]
            y -= step
        return y

    top = text(top, lines.heading, HEADING, fontsize=15, fontweight=strong, color=INK) - SPACE
    if layout.legend:
        top = text(top, [layout.legend], LEGEND, fontsize=9.5, color=MUTED)
    for panel, title in zip(layout.panels, lines.titles):
        top = text(top, title, TITLE, fontsize=11.5, fontweight=strong, color=INK)
        rows = ROW * len(panel.bars)
        box = (MARGIN / WIDTH, (top - rows) / height, 1 - 2 * MARGIN / WIDTH, rows / height)
        _bars(figure.add_axes(box), panel, colours, font)
        top -= rows + GAP
    text(top, lines.footer, LINE, fontsize=8, color=MUTED)


def _bars(ax: Axes, panel: Panel, colours: dict[str, str], font: str) -> None:
    """Each owner's name over its bar, the bar from zero to scale, its label after the bar's end."""
    longest = max(b.value for b in panel.bars) or 1.0
    label = max(_columns(b.label) for b in panel.bars) * LABEL_COLUMN + 0.1
    share = max(0.25, min(LONGEST_BAR, 1 - label / (WIDTH - 2 * MARGIN)))
    limit = longest / share
    for i, bar in enumerate(panel.bars):
        colour = colours[bar.owner]
        face = to_rgba(colour, 0.28) if bar.target else colour
        ax.barh(i + 0.66, bar.value, height=0.42, color=face, edgecolor=colour, hatch="///" if bar.target else None)
        ax.text(0, i + 0.4, bar.owner, fontfamily=font, fontsize=9.5, color=INK, va="bottom")
        ax.text(bar.value + limit * 0.012, i + 0.66, bar.label, fontfamily=font, fontsize=10, color=INK, va="center")
    ax.set_xlim(0, limit)
    ax.set_ylim(len(panel.bars), 0)
    ax.set_axis_off()
    ax.axvline(0, color=MUTED, linewidth=0.8)


def _footer_lines(layout: Layout) -> list[str]:
    lines = [word(layout.language, "sources")]
    for source in layout.sources:
        lines += _wrap(f"• {source}", COLUMNS["footer"])
    return lines + _wrap(layout.as_of, COLUMNS["footer"])


def _columns(text: str) -> int:
    return sum(_width(ch) for ch in text)


def _width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def _wrap(text: str, width: int) -> list[str]:
    """Lines of at most `width` columns, a wide (CJK) character taking two."""
    if _columns(text) == len(text):
        return textwrap.wrap(text, width) or [""]
    lines, line, used = [], "", 0
    for ch in text:
        size = _width(ch)
        if used + size > width:
            lines.append(line)
            line, used = "", 0
        line += ch
        used += size
    return [*lines, line]
