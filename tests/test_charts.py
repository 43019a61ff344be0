"""Charts of comparison answers: a panel per measure, bars to scale labelled as the source writes
them, targets marked with their year, the sources in the footer, and never a missing glyph."""

from __future__ import annotations

import dataclasses
import io

import pytest
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font
from PIL import Image

from bot import charts
from bot.engine import Engine

FESTIVALS = "compare the double product festival and the may fifth shopping festival"
GROWTH = "which grew more in q1: bilibili or ximalaya or shanghai online shopping"
NO_FONT_HAS = "\U00013000"  # an Egyptian hieroglyph: no font a chart may use draws it


def image(chart: charts.Chart) -> Image.Image:
    picture = Image.open(io.BytesIO(chart.png))
    picture.load()
    return picture


def covers(family: str, texts: tuple[str, ...]) -> bool:
    """Whether the font matplotlib sets `family` in has a glyph for every character of `texts`."""
    path = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
    charmap = FT2Font(path, face_index=getattr(path, "face_index", 0)).get_charmap()
    return all(ord(ch) in charmap for text in texts for ch in text if not ch.isspace())


def test_plans_chart_has_a_panel_per_measure_and_its_sources(engine: Engine) -> None:
    """Guangzhou's and Hangzhou's plans draw one panel per target they share, with both sources
    and the date of the knowledge in the footer, in a PNG 1200 pixels wide."""
    answer = engine.compare("guangzhou", "hangzhou")
    layout = charts.layout(answer)
    assert [p.measure for p in layout.panels] == [
        "influencer (MCN) agencies cultivated",
        "online-celebrity brands incubated",
        "live-stream sellers trained",
    ]
    assert layout.heading == "Guangzhou plan vs Hangzhou plan"
    chart = charts.draw(answer)
    picture = image(chart)
    assert picture.format == "PNG" and picture.size == (chart.width, chart.height) and chart.width == 1200
    assert picture.text["Title"] == "Guangzhou plan vs Hangzhou plan"
    assert "Guangzhou Bureau of Commerce" in picture.text["Source"] and "Hangzhou" in picture.text["Source"]
    assert layout.as_of == "As of 2020, per The Paper."


def test_targets_are_marked_as_targets_with_their_year(engine: Engine) -> None:
    """A plan's figure is labelled as the source writes it and as a target, with its year when
    the article gives one; the legend says hatched bars are targets, not results."""
    layout = charts.layout(engine.compare("guangzhou", "hangzhou"))
    sellers = {b.owner: b.label for b in layout.panels[-1].bars}
    assert sellers == {"Guangzhou plan": "10,000 (target for 2022)", "Hangzhou plan": "5,000 (target)"}
    assert all(b.target for p in layout.panels for b in p.bars)
    assert "targets" in layout.legend and "not results" in layout.legend


def test_results_are_labelled_as_written_without_a_target_legend(engine: Engine) -> None:
    """The festivals' live streams are results: labelled 'nearly 4 hours' and '3 hours', no legend."""
    layout = charts.layout(engine.ask(FESTIVALS))
    assert [(b.label, b.target) for b in layout.panels[0].bars] == [("nearly 4 hours", False), ("3 hours", False)]
    assert layout.legend == ""


def test_bars_are_drawn_to_scale_from_zero(engine: Engine) -> None:
    """Nearly 4 hours and 3 hours are bars of the same height whose areas stand as 4 to 3."""
    picture = image(charts.draw(engine.ask(FESTIVALS))).convert("RGB")
    counts = {colour: n for n, colour in picture.getcolors(maxcolors=1 << 24) or []}
    first, second = counts[(0x00, 0x72, 0xB2)], counts[(0xE6, 0x9F, 0x00)]
    assert first / second == pytest.approx(4 / 3, rel=0.02)


def test_english_chart_is_set_in_the_font_matplotlib_ships(engine: Engine) -> None:
    """An English chart is set in DejaVu Sans, which has every character it draws."""
    answer = engine.compare("guangzhou", "hangzhou")
    chart = charts.draw(answer)
    assert chart.font == "DejaVu Sans"
    assert covers(chart.font, charts.layout(answer).texts())


def test_chinese_chart_uses_a_cjk_font_with_every_character(engine: Engine, cjk_font: str) -> None:
    """A Chinese comparison is labelled in Chinese, in a CJK font that has a glyph for every
    character drawn, so no character shows as a box."""
    answer = engine.compare("广州", "杭州", "zh")
    layout = charts.layout(answer)
    assert layout.heading == "广州行动方案 对 杭州三年计划"
    assert layout.panels[-1].bars[0].label == "1万名（2022年目标）"
    chart = charts.draw(answer)
    assert chart.font == cjk_font and chart.font != "DejaVu Sans" and not chart.font.startswith("Last Resort")
    assert covers(chart.font, layout.texts())
    assert image(chart).text["Title"] == "广州行动方案 对 杭州三年计划"


def test_figures_that_measure_different_things_get_no_chart(engine: Engine) -> None:
    """Growth of revenue, of online sales and of something unsaid are not set side by side, in
    the answer or in a picture."""
    answer = engine.ask(GROWTH)
    assert answer.kind == "compare" and not answer.figures
    with pytest.raises(charts.ChartError, match="no two figures of one measure"):
        charts.draw(answer)


def test_a_character_no_installed_font_has_stops_the_chart(engine: Engine) -> None:
    """A figure written with a character no installed font draws is refused, naming it, rather
    than drawn as a box."""
    answer = engine.compare("guangzhou", "hangzhou")
    first, *rest = answer.figures
    odd = dataclasses.replace(answer, figures=(dataclasses.replace(first, display=f"100 {NO_FONT_HAS}"), *rest))
    with pytest.raises(charts.ChartError, match="no installed font has the characters") as raised:
        charts.draw(odd)
    assert NO_FONT_HAS in raised.value.reason


@pytest.mark.parametrize("value", [float("inf"), float("nan"), -5.0])
def test_a_figure_that_cannot_be_drawn_to_scale_stops_the_chart(engine: Engine, value: float) -> None:
    """An infinite, undefined or negative figure is refused, saying whose it is."""
    answer = engine.compare("guangzhou", "hangzhou")
    first, *rest = answer.figures
    odd = dataclasses.replace(answer, figures=(dataclasses.replace(first, value=value), *rest))
    with pytest.raises(charts.ChartError, match="Guangzhou plan's influencer"):
        charts.draw(odd)
