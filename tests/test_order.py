"""Which of two things came first, from the days the facts give, with our own questions."""

from __future__ import annotations

import pytest

from bot.engine import Engine


@pytest.mark.parametrize(
    ("question", "first", "then"),
    [
        ("which came first, guangzhou's action plan or hangzhou's base launch", "March 24, 2020", "April 28, 2020"),
        ("did the wuhan charity stream happen before or after the double product festival began", "April 28", "May 10"),
        ("义乌首批直播证书颁发和新职业公示哪个更早", "2020年5月8日", "2020年5月11日"),
    ],
)
def test_which_came_first_sets_the_two_days_in_order(engine: Engine, question: str, first: str, then: str) -> None:
    """The answer line names the earlier thing first, with both days."""
    answer = engine.ask(question)
    assert answer.answered
    assert first in answer.lead and then in answer.lead
    assert answer.lead.index(first) < answer.lead.index(then)
    assert len(answer.facts) == 2


def test_a_festival_is_dated_by_when_it_ran_not_when_it_was_reported(engine: Engine) -> None:
    """The Double Product festival, reported on May 15, ran from April 28: the day the Hangzhou
    base was launched."""
    answer = engine.ask("was the hangzhou base launched before the double product festival started")
    assert answer.answered and "same day" in answer.lead.casefold() and "April 28, 2020" in answer.lead
    assert "May 15" not in answer.lead


def test_a_month_and_a_day_in_it_are_not_put_in_order(engine: Engine) -> None:
    """Shanghai's plan, written at the end of March 2020, and Guangzhou's, issued on March 24,
    cannot be ordered: both are given, and the line says the dates do not tell."""
    answer = engine.ask("which came first, shanghai's online economy plan or guangzhou's action plan")
    assert answer.answered and "do not say which came first" in answer.lead
    assert "March 2020" in answer.lead and "March 24, 2020" in answer.lead


def test_came_first_in_something_asks_for_a_first_place_not_an_order(engine: Engine) -> None:
    """'which came first in anchors, hangzhou or guangzhou' asks who ranks first, not which is older."""
    answer = engine.ask("which came first in taobao live anchors, hangzhou or guangzhou")
    assert answer.answered and "came first:" not in answer.text and "Hangzhou" in answer.text
