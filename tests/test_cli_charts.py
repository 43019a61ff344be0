"""`livebot ask --chart` and `livebot compare`: the comparison printed, its chart written as a PNG,
and matplotlib loaded only when a chart is asked for."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from bot.cli import main

ROOT = Path(__file__).resolve().parents[1]
TRAINS_MORE = "which plan trains more people, guangzhou or hangzhou"


def loaded(code: str) -> str:
    """What a fresh interpreter says after running `code` (which prints what it finds)."""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_ask_with_chart_prints_the_answer_and_writes_its_png(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`livebot ask --chart FILE` prints the comparison and writes its chart, saying where."""
    path = tmp_path / "plans.png"
    assert main(["ask", "--chart", str(path), TRAINS_MORE]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("Side by side — ") and f"chart: {path} (1200×1081 pixels" in err
    with Image.open(path) as picture:
        assert picture.format == "PNG" and picture.size == (1200, 1081)
        assert picture.text["Title"] == "Guangzhou plan vs Hangzhou plan"


def test_compare_prints_every_shared_measure_and_draws_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], cjk_font: str
) -> None:
    """`livebot compare 广州 杭州 --chart FILE` answers in Chinese and draws the three shared targets
    (in a CJK font: without one the chart is refused, which the charts tests cover)."""
    path = tmp_path / "zh.png"
    assert main(["compare", "广州", "杭州", "--chart", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("比较：") and out.count(" 对 ") == 3 and "；孵化网红品牌：" in out
    with Image.open(path) as picture:
        assert picture.text["Title"] == "广州行动方案 对 杭州三年计划"


def test_compare_of_an_unknown_name_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    """`livebot compare gotham hangzhou` names what it does not know, with suggestions."""
    assert main(["compare", "gotham", "hangzhou"]) == 0
    assert "I do not know gotham" in capsys.readouterr().out


def test_an_answer_without_figures_side_by_side_writes_no_chart(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Figures of different measures are printed as text, and no file is written, saying why."""
    path = tmp_path / "growth.png"
    question = "which grew more in q1: bilibili or ximalaya or shanghai online shopping"
    assert main(["ask", "--chart", str(path), question]) == 0
    out, err = capsys.readouterr()
    assert "measure different things" in out and not path.exists()
    assert "no chart written: the answer sets no two figures of one measure side by side" in err


def test_a_chart_path_that_cannot_be_written_is_a_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A --chart path in a folder that does not exist: the answer, then a message and status 1."""
    assert main(["compare", "guangzhou", "hangzhou", "--chart", str(tmp_path / "no" / "c.png")]) == 1
    out, err = capsys.readouterr()
    assert "Side by side" in out and "cannot write the chart to" in err and "Traceback" not in err


def test_ask_without_chart_and_the_bot_start_up_do_not_load_matplotlib() -> None:
    """Answering a comparison without --chart, and building the Telegram bot, never import matplotlib."""
    found = "print('LOADED', 'matplotlib' in sys.modules)"
    assert "LOADED False" in loaded(f"import sys; from bot.cli import main; main(['ask', {TRAINS_MORE!r}]); {found}")
    start = (
        "import sys; from bot.config import Settings; from bot.curation.reload import LiveEngine;"
        "from bot.telegram.handlers import build_application; import bot.telegram.runner;"
        f"build_application(Settings(token='1:x', record=False), LiveEngine.load(), with_updater=False); {found}"
    )
    assert "LOADED False" in loaded(start)
    drawn = f"import sys; from bot.cli import main; main(['ask', '--chart', '/dev/null', {TRAINS_MORE!r}]); {found}"
    assert "LOADED True" in loaded(drawn)
