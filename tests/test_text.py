"""Normalising and splitting text: the fast paths must read text exactly as the general ones do."""

from __future__ import annotations

import string

from hypothesis import given
from hypothesis import strategies as st

from bot.engine.text import normalise, normalise_all, terms

MIXED = st.text(
    st.sampled_from([*"Hangzhou 2020 4,000 19.10 ;.-\n\t", *"義烏杭州直播主播季度，。“”", *"ｙｉｗｕ", "Ⅻ", "ß", "’"]),
    max_size=30,
)
ASCII = st.text(st.sampled_from(string.printable), max_size=60)


@given(st.lists(MIXED, max_size=8))
def test_normalising_many_texts_at_once_matches_one_at_a_time(texts: list[str]) -> None:
    assert normalise_all(texts) == [normalise(text) for text in texts]


def test_traditional_chinese_in_the_knowledge_reads_as_simplified() -> None:
    assert normalise_all(["義烏直播", "Yiwu", "ＹＩＷＵ 義烏"]) == ["义乌直播", "yiwu", "yiwu 义乌"]


@given(ASCII)
def test_plain_ascii_text_gives_the_terms_it_gives_beside_chinese(text: str) -> None:
    # "杭" makes the whole text non-ASCII, so it is read the general way
    assert terms(text) == terms(f"{text} 杭")[:-1]
