"""How a question reads: what it asks for (a date, a count, a comparison, a source) and the
signs that it is out of scope (a name, year or quarter the knowledge does not have). Pure.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from bot.engine import wording
from bot.engine.search import Hit, Query, SearchIndex
from bot.engine.text import CJK, EN_STOP, has_cjk, normalise, stem, words
from bot.knowledge import Entity, Fact

GREETINGS = frozenset(
    "hi hello hey hiya howdy yo greetings morning evening afternoon good day start thanks thank "
    "you who are what can do bot ok okay cheers 你好 您好 嗨 哈喽 早上好 晚上好 谢谢 你是谁 你能做什么 在吗".split()
)
THANKS = frozenset("thanks thank thx ty cheers 谢谢 多谢 感谢 谢了 谢啦 谢谢你 谢谢您 非常感谢 太感谢了".split())
THANKS_FILLER = frozenset("you so much very a lot again ok okay great".split())
HELP_WORDS = frozenset("help usage how use commands 帮助 怎么用 使用说明".split())
TIME_WORDS = frozenset("today tomorrow yesterday nowadays latest tonight 今天 明天 昨天 最新 明年".split())
NOT_TIME = ("出现在", "体现在", "表现在", "实现在")  # 现在 inside other words
WHEN_WORDS = frozenset("哪天 何时 什么时候 哪一天 几号 日期 几月".split())
WHEN_RE = re.compile(
    r"(?:^|[,;:?]\s*|\band\s+)when\b|\bwhen (?:did|was|were|is|are|will|does|do|had|has)\b"
    r"|\b(?:what|which) (?:date|day|month)"
)
QUANTITY_WORDS = frozenset("多少 几个 几家 几名 几倍 数量 金额".split())
QUANTITY_FILLER = frozenset("did does do was were is are has have had will would new more".split())
SUPERLATIVE_RE = re.compile(
    r"\b(?:most|largest|biggest|highest|top|leading|leads?|no\.? ?1|number one|ranks? first)\b"
    r"|最多|第一|最大|最高|领先|居首|排名第一"
)
QUARTER_WORDS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "1st": 1,
    "2nd": 2,
    "3rd": 3,
    "4th": 4,
    "q1": 1,
    "q2": 2,
    "q3": 3,
    "q4": 4,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
}
QUARTER_RE = re.compile(r"\b(first|second|third|fourth|1st|2nd|3rd|4th)[ -]quarter|\b(q[1-4])\b|第?([一二三四])季度")
OUTCOME_RE = re.compile(
    r"\b(?:did|has|have|had|was|were|will)\b.{0,60}\b(?:actually )?"
    r"(?:hit|meet|met|reach|reached|achieve|achieved|fulfil|fulfill|fulfilled|accomplish|accomplished)\b"
    r".{0,60}\b(?:target|targets|goal|goals|plan)\b"
    r"|(?:实现|完成|达到|达成)了(?:吗|没有)|是否(?:实现|完成|达到|达成)|有没有(?:实现|完成|达到|达成)"
)
DATED_RE = re.compile(r"\b(?:" + "|".join(wording.MONTHS) + r"|spring|summer|autumn|winter|quarter)\b", re.IGNORECASE)
EXACT_WORDS = frozenset("exact exactly precise precisely actual 具体 确切 准确".split())
PLAN_WORDS = frozenset(
    "will plan plans planned aim aims target targets goal goals want wants promise promises intend "
    "计划 目标 将 规划 方案 打算 要 会".split()
)
MONEY_WORDS = frozenset("yuan rmb money dollars 元 钱 金额".split())
COMPARE_WORDS = frozenset(
    "compare comparison versus vs more most less fewer larger largest bigger biggest higher "
    "highest lower better leads lead difference differ 比较 对比 更多 最多 更大 最大 谁 哪个 哪家 高于".split()
)
RANK_WORDS = frozenset("rank ranks ranked ranking rankings place placed top list 排名 名次 排行".split())
ORDINALS = {
    **{w: n for n, w in enumerate("second third fourth fifth sixth seventh eighth ninth tenth".split(), 2)},
    **{f"{n}{s}": n for n, s in ((2, "nd"), (3, "rd"), *((k, "th") for k in range(4, 11)))},
    **{f"第{c}": n for n, c in enumerate("二三四五六七八九十", 2)},
}
SOURCE_RE = re.compile(
    r"\b(?:source|sources|cite|cited|citation)\b|\b(?:comes?|came) from\b"
    r"|\bwho (?:said|says|reported|published|released|announced)\b"
    r"|\baccording to (?:whom|who|which|what)\b|来源|出处|哪来|谁说|谁发布|根据什么|哪家媒体|消息来自"
)
OVERVIEW_WORDS = frozenset(
    "tell about what who is info information overview summary explain 介绍 一下 关于 是什么 情况".split()
)
SUPERLATIVE_RE = re.compile(
    r"\b(?:most|largest|biggest|highest|top|leading|leads?|no\.? ?1|number one|ranks? first)\b"
    r"|最多|第一|最大|最高|领先|居首|排名第一"
)


def is_greeting(question: str) -> bool:
    """True for a message that only greets ('hi', '你好，你是谁？')."""
    norm = normalise(question)
    plain = set(words(norm))
    return (bool(plain) and plain <= GREETINGS) or norm.strip(" ?？!！.。") in GREETINGS


def is_thanks(question: str) -> bool:
    """True for a message that only thanks ('thanks!', 'thank you so much', '谢谢')."""
    plain = set(words(normalise(question)))
    return bool(plain & THANKS) and plain <= THANKS | THANKS_FILLER


def is_help(question: str) -> bool:
    """True for a message that only asks how to use the bot."""
    plain = set(words(normalise(question)))
    return bool(plain) and plain <= HELP_WORDS | {"me", "please", "请"}


def comparing(question: str) -> bool:
    return wants(question, COMPARE_WORDS)


def asks_source(question: str) -> bool:
    return SOURCE_RE.search(normalise(question)) is not None


def superlative(question: str) -> bool:
    return SUPERLATIVE_RE.search(normalise(question)) is not None


def of_the_asked_type(index: SearchIndex, query: Query, question: str, hits: list[Hit]) -> list[Hit]:
    """Only facts that can answer a when, how-many or how-much question: dated, counted, priced.

    A count question about the present is not answered with a plan's target, and an exact count
    is not answered with a ranking.
    """
    norm = normalise(question)
    if _asks_when(norm):
        hits = [h for h in hits if _dated(index, h.fact)]
    if wants(question, QUANTITY_WORDS) or any(p in norm for p in ("how many", "how much", "number of")):
        exact = wants(question, EXACT_WORDS)
        hits = [h for h in hits if any(n.unit != "rank" or not exact for n in h.fact.numbers)]
        if not wants(question, PLAN_WORDS) and not re.search(r"\bby 20\d\d\b", norm):
            hits = [h for h in hits if any(n.kind != "target" for n in h.fact.numbers)]
        noun = _counted_noun(norm)
        options = {t for slot in query.slots if slot.term in noun for t, _ in slot.options} | set(noun)
        if noun:
            hits = [h for h in hits if any(index.has_term(h.fact.id, t) for t in options)]
    if wants(question, MONEY_WORDS):
        hits = [h for h in hits if any(n.unit == "yuan" for n in h.fact.numbers)]
    return hits


def _asks_when(norm: str) -> bool:
    """True for a question about a date ('when did', 'on what date', '哪天'), not 'used when'."""
    if WHEN_RE.search(norm):
        return True
    return any(w in norm for w in WHEN_WORDS if has_cjk(w))


def _counted_noun(norm: str) -> tuple[str, ...]:
    """The terms of what a how-many question counts ('how many yuan' -> yuan; 多少常住人口 -> 常住…)."""
    match = re.search(r"how (?:many|much) ([a-z0-9 -]+)", norm)
    if match:
        following = [w for w in words(match.group(1)) if len(w) > 1 and w not in QUANTITY_FILLER]
        content = [i for i, w in enumerate(following) if w not in EN_STOP]
        if not content:
            return ()
        first = content[0]
        nouns = [following[first]]
        compound = first + 1 < len(following) and following[first + 1] not in EN_STOP
        if compound and (first + 2 >= len(following) or following[first + 2] in EN_STOP):
            nouns.append(following[first + 1])
        return tuple(stem(w) for w in nouns)
    match = re.search(rf"(?:多少|几)[个家名位条项件种次倍]?([{CJK}]{{2,4}})", norm)
    if match:
        run = match.group(1)
        return tuple(run[i : i + 2] for i in range(len(run) - 1))
    return ()


def _dated(index: SearchIndex, fact: Fact) -> bool:
    """True if a fact, or its source, is dated to the month at least."""
    source = index.kb.sources[fact.source]
    dates = (fact.date or "", source.date or "")
    return any(len(d) >= 7 for d in dates) or DATED_RE.search(fact.text) is not None


def out_of_scope(index: SearchIndex, query: Query, question: str, language: str) -> str:
    """A reason to decline before ranking, or '' when the question may be in scope."""
    if query.outside:
        names = ", ".join(wording.entity_name(o, language) for o in query.outside)
        return wording.message(language, "outside").format(names=names)
    years = {int(t) for t in re.findall(r"(?<!\d)(?:19|20)\d{2}(?!\d)", question)}
    known_years = index.years
    if years - known_years:
        return wording.message(language, "years").format(years=", ".join(str(y) for y in sorted(years - known_years)))
    plain = question
    for phrase in NOT_TIME:
        plain = plain.replace(phrase, "")
    if wants(plain, TIME_WORDS):
        return wording.message(language, "time")
    if _asks_unlisted_rank(index, question):
        return wording.message(language, "rank")
    quarters = _quarters(normalise(question)) - index.quarters
    if quarters:
        return wording.message(language, "quarter")
    if OUTCOME_RE.search(normalise(question)):
        return wording.message(language, "outcome")
    unknown = _unknown_names(query, question)
    if unknown:
        return wording.message(language, "unknown-name").format(names=", ".join(unknown))
    return ""


def _asks_unlisted_rank(index: SearchIndex, question: str) -> bool:
    """True for a question about places in a ranking (second, tenth) that no fact gives."""
    norm = normalise(question)
    tokens = set(words(norm))
    if not tokens & RANK_WORDS and not any(w in norm for w in RANK_WORDS if has_cjk(w)):
        return False
    asked = {n for word, n in ORDINALS.items() if (word in tokens if word.isascii() else word in norm)}
    return bool(asked) and not asked & index.ranks


def _quarters(norm: str) -> set[int]:
    """Quarters of a year a text speaks of: 'second quarter', 'Q2', '二季度' -> {2}."""
    return {QUARTER_WORDS[group] for groups in QUARTER_RE.findall(norm) for group in groups if group}


def _unknown_names(query: Query, question: str) -> list[str]:
    """Capitalised words (not opening a sentence) and acronyms that the knowledge never uses."""
    unknown = set(query.unknown)
    names = []
    text = unicodedata.normalize("NFKC", question)
    for match in re.finditer(r"[A-Za-z][A-Za-z0-9'’-]*", text):
        word = match.group(0).split("'")[0].split("’")[0]
        opening = match.start() == 0 or re.search(r"[.?!:;\"“]\s*$", text[: match.start()]) is not None
        head = word.split("-")[0]
        capital = head[:1].isupper() and not opening
        acronym = len(head) >= 2 and head.isupper()
        if (capital or acronym) and any(stem(part) in unknown for part in re.findall(r"[a-z0-9]+", head.casefold())):
            names.append(word)
    return names


def wants(question: str, vocabulary: frozenset[str]) -> bool:
    """True if the question uses a word of the vocabulary (Chinese words anywhere in it)."""
    norm = normalise(question)
    if not vocabulary.isdisjoint(words(norm)):
        return True
    return any(w in norm for w in _chinese(vocabulary))


@functools.cache
def _chinese(vocabulary: frozenset[str]) -> tuple[str, ...]:
    return tuple(w for w in vocabulary if has_cjk(w))


def overview_entity(query: Query, question: str) -> Entity | None:
    """The entity a question is only about ('Yiwu', 'tell me about Yiwu', '义乌'), if any."""
    if len(query.mentions) != 1 or query.mentions[0].score < 0.85:
        return None
    mention = query.mentions[0]
    rest = normalise(question).replace(mention.text, " ")
    leftover = [
        w for w in words(rest) if w not in EN_STOP and w not in OVERVIEW_WORDS and stem(w) not in OVERVIEW_WORDS
    ]
    leftover = [w for w in leftover if not (has_cjk(w) and all(ch in "是什么介绍一下关于的情况吗呢？" for ch in w))]
    return mention.entity if not leftover else None
