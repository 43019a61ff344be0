"""Telegram formatting: escaped HTML, splitting below 4096 characters, buttons and inline articles."""

from __future__ import annotations

from datetime import UTC, datetime

from botapi_rules import parse_html, utf16_len
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.curation.reload import KnowledgeDiff, ReloadResult
from bot.engine import Answer, ShownFact, Suggestion
from bot.knowledge import Problem
from bot.telegram import formatting as fmt

NASTY = "R&D <b>bold</b> &amp; 5 > 3 🚀 “quotes” 杭州"


def answer(**fields) -> Answer:
    base = dict(
        question="q",
        answered=True,
        kind="match",
        language="en",
        lead="",
        facts=(),
        suggestions=(),
        entities=(),
        note="",
        text="",
    )
    return Answer(**{**base, **fields})


def test_everything_is_escaped():
    """Lead, fact, source and note with <, > and & come out as valid HTML showing the literal text."""
    fact = ShownFact("f", NASTY, NASTY)
    [message] = fmt.render(fmt.answer_blocks(answer(lead=NASTY, facts=(fact,), note=NASTY, text=f"Note: {NASTY}")))
    shown = parse_html(message)
    assert shown.count(NASTY) == 4
    assert message.startswith("<b>") and "<i>Source: " in message


def test_facts_sharing_a_source_cite_it_once_after_the_last():
    """Without a shorter answer line the first fact is the answer, in bold with its source; further
    consecutive facts from one source show the source line once, after the last of them."""
    facts = (
        ShownFact("a", "One.", "Paper"),
        ShownFact("b", "Two.", "Report"),
        ShownFact("c", "Three.", "Report"),
    )
    html = fmt.render(fmt.answer_blocks(answer(lead="", facts=facts)))[0]
    assert html.startswith("<b>One.</b>")
    assert parse_html(html) == "One.\nSource: Paper\n\n• Two.\n\n• Three.\nSource: Report"


def test_declined_answer_renders_its_plain_text():
    """An answer without facts is its plain text, paragraph for paragraph, escaped."""
    text = f"Not known: {NASTY}\nPerhaps you meant:\n• Yiwu"
    assert parse_html(fmt.render(fmt.answer_blocks(answer(answered=False, kind="no-match", text=text)))[0]) == text


blocks = st.lists(
    st.lists(st.tuples(st.sampled_from(["", "b", "i"]), st.text(min_size=1, max_size=3000)), min_size=1, max_size=4),
    min_size=1,
    max_size=6,
)


@settings(max_examples=60, deadline=None)
@given(blocks, st.integers(min_value=50, max_value=4096))
def test_every_part_is_valid_html_within_the_limit_and_nothing_is_lost(raw, limit):
    """Any text splits into parts Telegram accepts, each within the limit, keeping every character."""
    parts = fmt.render([tuple(block) for block in raw], limit)
    shown = [parse_html(part) for part in parts]
    assert all(utf16_len(s) <= limit and s.strip() for s in shown)
    original = "".join(text for block in raw for _, text in block)
    assert "".join("".join(shown).split()) == "".join(original.split())  # only whitespace may move


def test_long_lines_are_cut_at_spaces():
    """A line longer than the limit is cut between words, each piece keeping its style tag."""
    parts = fmt.render([(("b", "word " * 2000),)])
    assert len(parts) == 3
    assert all(p.startswith("<b>word") and p.endswith("</b>") for p in parts)


def test_answer_keyboard_sources_more_and_did_you_mean(engine):
    """Answered: a source button and 'more on' buttons; declined: one button per suggestion."""
    answered = answer(
        facts=(ShownFact("hangzhou-birthplace", "x", "Paper"),),
        entities=("hangzhou",),
        suggestions=(Suggestion("Yiwu", "yiwu"),),
    )
    rows = fmt.answer_keyboard(answered, engine.kb)
    assert [[b.label for b in row] for row in rows] == [["Full source"], ["More on Hangzhou"], ["More on Yiwu"]]
    assert rows[0][0].data == "s|en|hangzhou-birthplace"
    declined = answer(answered=False, kind="no-match", suggestions=(Suggestion("Did you mean Yiwu?", "yiwu"),))
    assert fmt.answer_keyboard(declined, engine.kb) == [[fmt.Button("Did you mean Yiwu?", "o|en|yiwu")]]


def test_one_source_button_per_distinct_source_in_order(engine):
    """Facts from two sources get 'Source 1' and 'Source 2', each opening the first fact citing it."""
    facts = (ShownFact("a", "1", "Paper"), ShownFact("b", "2", "Report"), ShownFact("c", "3", "Paper"))
    [row] = fmt.answer_keyboard(answer(facts=facts), engine.kb)
    assert [(b.label, b.data) for b in row] == [("Source 1", "s|en|a"), ("Source 2", "s|en|b")]


def test_emoji_lines_are_cut_within_the_limit():
    """Characters outside the BMP count twice; a long emoji line still splits within the limit."""
    parts = fmt.render([(("", "🚀" * 5000),)])
    assert [utf16_len(parse_html(p)) for p in parts] == [4096, 4096, 1808]


def test_chinese_buttons_and_callback_data_within_64_bytes(engine):
    """Chinese answers get Chinese labels; every callback stays within 64 bytes and parses back."""
    ref = "a" * 48
    zh = answer(
        language="zh",
        facts=(ShownFact(ref, "事实", "来源"),),
        entities=("hangzhou",),
        suggestions=(Suggestion("杭州" * 40, ref + "-x"[:0]),),
    )
    rows = fmt.answer_keyboard(zh, engine.kb)
    buttons = [b for row in rows for b in row]
    assert buttons[0].label == "完整出处" and buttons[1].label == "更多：杭州"
    assert all(len(b.data.encode()) <= 64 and len(b.label) <= fmt.MAX_LABEL for b in buttons)
    assert fmt.parse_callback(buttons[0].data) == ("s", "zh", ref)


def test_parse_callback_refuses_what_it_did_not_make():
    """Foreign, malformed or tampered callback data parses to None."""
    for data in ("", "o|en", "x|en|yiwu", "o|fr|yiwu", "o|en|Yiwu", "o|en|yiwu|more", "o|en|../etc"):
        assert fmt.parse_callback(data) is None


def test_inline_articles_have_unique_short_ids_and_sources(engine):
    """Inline results: at most ten, unique ids within 64 bytes, fact articles citing their source."""
    for query in ("hangzhou plan", "", "义乌", "What is the weather in Chengdu tomorrow?"):
        articles, _ = fmt.inline_articles(engine, query, "en")
        assert 1 <= len(articles) <= 10
        assert len({a.id for a in articles}) == len(articles)
        assert all(len(a.id.encode()) <= 64 and a.title and parse_html(a.html) for a in articles)
        assert all(a.description.startswith(("Source: ", "来源：")) for a in articles if a.id.startswith("f:"))


def test_topics_list_kinds_and_buttons(engine):
    """The browse message names cities, plans and occupations and has a button per topic, two a row."""
    blocks, rows = fmt.topics_message(engine, "en")
    shown = parse_html(fmt.render(blocks)[0])
    assert "Cities:" in shown and "Plans:" in shown and "Occupations:" in shown
    assert all(len(row) <= 2 for row in rows)
    assert len([b for row in rows for b in row]) == len(fmt.topics(engine))


def test_reload_reports_list_every_problem_and_the_diff():
    """A failed reload lists each problem as file:line: key: message; a good one lists changed ids."""
    problems = tuple(
        Problem("kb/places.toml", f"fact[f{i}].about", i + 1, "refers to <unknown> & more", "reference")
        for i in range(200)
    )
    at = datetime(2020, 5, 1, tzinfo=UTC)
    parts = fmt.render(fmt.reload_blocks(ReloadResult({}, KnowledgeDiff(), problems), at, "en"))
    shown = "\n".join(parse_html(p) for p in parts)
    assert len(parts) >= 2 and "2020-05-01 00:00 UTC" in shown
    assert all(str(p) in shown for p in problems)
    counts = {"files": 1, "sources": 2, "entities": 3, "facts": 4, "numbers": 5}
    good = fmt.render(fmt.reload_blocks(ReloadResult(counts, KnowledgeDiff(edited=("a", "b"))), at, "en"))[0]
    assert "4 facts" in good and "Edited (2):" in good and "a, b" in good


def test_vote_buttons_fit_64_bytes_and_parse_back():
    """The 👍/👎 pair carries the row id within 64 bytes even for the largest id; only its own data parses."""
    biggest = 2**63 - 1
    up, down = fmt.vote_row(biggest)
    assert (up.label, down.label) == ("👍", "👎")
    assert len(up.data.encode()) <= 64 and len(down.data.encode()) <= 64
    assert fmt.parse_vote(up.data) == (biggest, 1) and fmt.parse_vote(down.data) == (biggest, -1)
    for data in ("v|+|", "v|*|12", "v|+|12|x", "v|+|１２", "o|en|yiwu", "v|-|" + "9" * 20, "v|-|" + str(2**63)):
        assert fmt.parse_vote(data) is None
    assert fmt.parse_callback(up.data) is None


def test_voting_ticks_the_current_vote_and_keeps_the_other_buttons():
    """voted() replaces only the answer's vote pair; with_votes() appends it, or nothing without a row id."""
    other = [[fmt.Button("Full source", "s|en|yiwu-fact")]]
    keyboard = fmt.with_votes(other, 42)
    assert fmt.with_votes(other, None) == other
    assert [b.label for b in fmt.voted(keyboard, 42, -1)[-1]] == ["👍", "👎 ✓"]
    assert [b.label for b in fmt.voted(fmt.voted(keyboard, 42, -1), 42, 1)[-1]] == ["👍 ✓", "👎"]
    assert fmt.voted(keyboard, 42, 1)[0] == other[0]
    assert fmt.voted(keyboard, 7, 1) == keyboard


@given(st.text(max_size=2000), st.lists(st.text(min_size=1, max_size=300), max_size=6))
@settings(max_examples=60, deadline=None)
def test_chart_caption_is_valid_html_within_1024_characters(lead, sources):
    """A chart's caption parses as Telegram HTML and fits 1024 characters, whatever the answer
    line and sources hold; the sources are kept whole when they fit beside a shortened line."""
    facts = tuple(ShownFact(f"f{i}", "t", s) for i, s in enumerate(sources))
    caption = fmt.caption(answer(kind="compare", lead=lead, facts=facts))
    shown = parse_html(caption)
    assert utf16_len(shown) <= fmt.CAPTION_LIMIT
    cited = "Sources: " + "; ".join(dict.fromkeys(sources))
    if sources and utf16_len(cited) < 900 and cited.strip():
        assert shown.endswith(cited)


def test_chart_caption_bolds_the_answer_line_and_italicises_the_sources(engine):
    """The caption is the answer line in bold, then 'Sources:' with each source once, in italics."""
    caption = fmt.caption(engine.compare("guangzhou", "hangzhou"))
    bold, cited = caption.split("\n")
    assert bold.startswith("<b>Side by side — ") and bold.endswith("</b>")
    assert cited.startswith("<i>Sources: Guangzhou Bureau of Commerce") and cited.count("; ") == 1


def test_compare_names_split_at_commas_and_words_or_take_two_words():
    """'/compare' takes two words, or two names split at a comma, 'vs', 'and', 和 or 、."""
    assert fmt.compare_names("guangzhou hangzhou") == ("guangzhou", "hangzhou")
    assert fmt.compare_names("double product festival, may fifth festival") == (
        "double product festival",
        "may fifth festival",
    )
    assert fmt.compare_names("Guangzhou plan vs Hangzhou plan") == ("Guangzhou plan", "Hangzhou plan")
    assert fmt.compare_names("广州和杭州") == ("广州", "杭州")
    assert fmt.compare_names("广州 杭州") == ("广州", "杭州")
    for nothing in ("", "guangzhou", "guangzhou hangzhou shanghai", ", ,"):
        assert fmt.compare_names(nothing) is None
