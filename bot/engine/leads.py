"""The line that opens a reply: the answer itself, short, with a short citation. Pure.

'Guangzhou plan — online-celebrity brands incubated: 1,000 (target for 2022) — Guangzhou
Municipal Bureau of Commerce, March 24, 2020'. Made from the fact's structure: its figures of the
asked measure, the entities of the asked kind, its date. When no shorter line can be made, the
reply opens with the fact's own statement instead, and this gives ''.
"""

from __future__ import annotations

from bot.engine import grounding, premise, wording
from bot.engine.reading import Reading, mention_span
from bot.knowledge import Entity, Fact, KnowledgeBase, Number

MAX_FIGURES = 3
AGENT_KINDS = frozenset({"person", "government", "organisation", "company", "media", "platform"})
SPEAKER_KINDS = frozenset({"person", "government", "organisation", "company"})  # who says what a fact reports
SEMICOLON = {"en": "; ", "zh": "；"}  # what joins the parts of an answer line
LEAD_NAMES = 8  # names a lead lists at most ('which cities does the article mention': all eight)


def lead_line(kb: KnowledgeBase, reading: Reading, kind: str, facts: list[Fact]) -> str:
    """The answer line for the shown facts, or '' to open with the first fact's statement."""
    language = reading.language
    if kind == "compare":
        return comparison_line(kb, reading, facts)
    fact = facts[0]
    cite = wording.short_cite(kb, fact.source, language, via=False)
    if kind == "source":
        source = kb.sources[fact.source]
        author = (source.author_zh if language == "zh" else None) or source.author
        if reading.asks("author") and author:  # 'who wrote it': the byline
            return f"{author} — {cite}"
        speakers = speakers_of(kb, reading, fact)
        if speakers:  # 'who said that': Wang Zhonglin, as the Yangtze River Daily reported
            names = ", ".join(wording.entity_name(kb.entities[e], language) for e in speakers)
            return f"{names} — {cite}"
        return wording.message(language, "source-lead").format(source=wording.cite(kb, fact.source, language))
    if grounding.figure_shaped(reading) or reading.measures:
        numbers = grounding.answering_numbers(reading, fact)
        if numbers:
            line = f"{figure_line(kb, fact, numbers[:MAX_FIGURES], language)} — {cite}"
            others = _others_figures(kb, reading, numbers[:MAX_FIGURES], fact, facts[1:])
            return SEMICOLON[language].join([line, *others])
    names = _named(kb, reading, fact)
    if names:
        return f"{names} — {cite}"
    return ""


def _others_figures(
    kb: KnowledgeBase, reading: Reading, shown: tuple[Number, ...], first: Fact, rest: list[Fact]
) -> list[str]:
    """For a question naming two or more subjects ('mcns for both'), the same measure's figure of
    each other subject, from the next facts shown, with its own citation."""
    subjects = {e.id for e in reading.subjects}
    if len(subjects) < 2:
        return []
    measures = {n.measure for n in shown}
    owners = {n.entity or first.about[0] for n in shown}
    covered = subjects & ({*first.about} | owners)  # Guangzhou's plan's figure answers for Guangzhou
    lines = []
    for fact in rest:
        for number in grounding.answering_numbers(reading, fact):
            owner = number.entity or fact.about[0]
            whose = subjects & {owner, *fact.about}
            if number.measure in measures and owner not in owners and whose and not whose <= covered:
                owners.add(owner)
                covered |= whose
                cite = wording.short_cite(kb, fact.source, reading.language, via=False)
                lines.append(f"{figure_line(kb, fact, (number,), reading.language)} — {cite}")
    return lines[: MAX_FIGURES - 1]


def given_line(kb: KnowledgeBase, reading: Reading, fact: Fact, claimed: premise.Claims) -> str:
    """What a fact gives instead of the day or figure a yes-or-no question claimed: 'Shanghai May 5th
    Shopping Festival — May 4, 2020 — The Paper, Wang Wei, 2020'; '' when it gives no such thing."""
    language = reading.language
    cite = wording.short_cite(kb, fact.source, language, via=False)
    if claimed.days and fact.date:
        name = wording.short_name(kb.entities[fact.about[0]], language)
        return f"{name} — {wording.date_text(fact.date, language)} — {cite}"
    numbers = grounding.answering_numbers(reading, fact) or fact.numbers
    if claimed.figures and numbers:  # the figure nearest the one claimed: 182.51 billion yuan, not 1.37 times
        value = premise.nearest(claimed.figures[0][1], [n.value for n in numbers])
        given = next(n for n in numbers if n.value == value)
        return f"{figure_line(kb, fact, (given,), language)} — {cite}"
    return ""


def name_line(kb: KnowledgeBase, entity: Entity, fact: Fact, language: str) -> str:
    """The full name of a plan, report or event, in both languages: 'Guangzhou Live E-commerce
    Development Action Plan (2020-2022) (广州市直播电商发展行动方案（2020-2022年）)'."""
    cite = wording.short_cite(kb, fact.source, language, via=False)
    first, second = (entity.name_zh, entity.name) if language == "zh" else (entity.name, entity.name_zh)
    names = f"{first}（{second}）" if language == "zh" and second else f"{first} ({second})" if second else first
    return f"{names} — {cite}"


def figure_line(kb: KnowledgeBase, fact: Fact, numbers: tuple[Number, ...], language: str) -> str:
    """Figures with what they count and whose they are: 'Hangzhou plan — sellers trained: 5,000 (target)'."""
    parts = []
    for number in numbers:
        owner = kb.entities[number.entity or fact.about[0]]
        zh = language == "zh"
        label = wording.measure_label(kb, number.measure, language)
        name = wording.short_name(owner, language)
        shown = wording.figure(number, language)
        qualifier = _qualifier(number, language)
        parts.append(f"{name}{label}：{shown}{qualifier}" if zh else f"{name} — {label}: {shown}{qualifier}")
    return SEMICOLON[language].join(parts)


def _qualifier(number: Number, language: str) -> str:
    """'(target for 2022)', '(target)', or '' for a result."""
    if number.kind != "target":
        return ""
    if language == "zh":
        return f"（{number.year}年目标）" if number.year else "（目标）"
    return f" (target for {number.year})" if number.year else " (target)"


Sides = dict[str, list[tuple[str, Number, Fact]]]  # measure id -> (owner id, figure, fact), largest first


def compared(reading: Reading, facts: list[Fact]) -> Sides:
    """The figures of the shown facts that measure the same thing, in the same unit, for two or more
    owners: what a comparison may set side by side."""
    by_measure: dict[tuple[str, str], dict[str, tuple[Number, Fact]]] = {}
    for fact in facts:
        for number in grounding.answering_numbers(reading, fact) or fact.numbers:
            if number.kind == "rank":
                continue
            owner = number.entity or fact.about[0]
            by_measure.setdefault((number.measure, number.unit), {}).setdefault(owner, (number, fact))
    sides: Sides = {}
    for (measure_id, _), per_owner in by_measure.items():
        if len(per_owner) >= 2:
            ranked = sorted(per_owner.items(), key=lambda item: -item[1][0].value)
            sides[measure_id] = [(owner, number, fact) for owner, (number, fact) in ranked]
    return sides


def compared_claim(reading: Reading, facts: list[Fact]) -> bool | None:
    """For a yes-or-no comparison ('is hangzhou's more than guangzhou's?'): True if the subject
    named first has the larger figure ('more than') or the smaller ('less than'), as claimed; False
    if not; None when no one measure sets the two side by side or the figures are the same."""
    if not reading.yes_no or not reading.asks("above", "below") or len(reading.subjects) < 2:
        return None
    sides = compared(reading, facts)
    if len(sides) != 1:
        return None
    (first, high, fact), (_, low, _) = next(iter(sides.values()))[:2]
    if high.value == low.value:
        return None
    subjects = {e.id for e in reading.subjects}
    at = {m.entity.id: span[0] for m in reading.query.mentions if (span := mention_span(reading.norm, m.text))}
    claimed = min(subjects & at.keys(), key=lambda e: at[e], default="")  # 'is guangzhou's less than ...'
    return (claimed == first or claimed in fact.about) == reading.asks("above")


def comparison_line(kb: KnowledgeBase, reading: Reading, facts: list[Fact]) -> str:
    """Figures of the same measure side by side, largest first, a target marked as one; figures of
    different measures are never set against each other: the line says so, and each fact follows
    in words."""
    language = reading.language
    sides_of = compared(reading, facts)
    if reading.asks("sum"):
        summed = [_sum_line(kb, measure_id, figures, language) for measure_id, figures in sides_of.items()]
        if any(summed):  # 'total for both': each side, then their sum
            return ("合计：" if language == "zh" else "Together — ") + SEMICOLON[language].join(s for s in summed if s)
    lines = []
    for measure_id, figures in sides_of.items():
        label = wording.measure_label(kb, measure_id, language)
        sides = _sides(kb, figures, language)
        joined = f"{label}：" + " 对 ".join(sides) if language == "zh" else f"{label}: " + " vs ".join(sides)
        lines.append(joined + _ratio(kb, figures, language))
    if lines:
        return ("比较：" if language == "zh" else "Side by side — ") + SEMICOLON[language].join(lines[:4])
    return wording.message(language, "unlike")


RATIO_UNITS = frozenset({"percent", "times", "rank"})  # a ratio of these says nothing, nor a sum


def _sum_line(kb: KnowledgeBase, measure_id: str, figures: list[tuple[str, Number, Fact]], language: str) -> str:
    """Figures of one measure added up: 'sellers trained: Guangzhou plan 10,000 (target for 2022) +
    Hangzhou plan 5,000 (target) = 15,000'; '' for shares, multiples and ranks, which do not add."""
    if len(figures) < 2 or any(n.unit in RATIO_UNITS for _, n, _ in figures):
        return ""
    label = wording.measure_label(kb, measure_id, language)
    sides = _sides(kb, figures, language)
    total = wording.amount(sum(n.value for _, n, _ in figures), figures[0][1].unit, language)
    return f"{label}：{' + '.join(sides)} = {total}" if language == "zh" else f"{label}: {' + '.join(sides)} = {total}"


def _sides(kb: KnowledgeBase, figures: list[tuple[str, Number, Fact]], language: str) -> list[str]:
    """Each owner's figure of one measure, a target marked as one: 'Guangzhou plan 10,000 (target for 2022)'."""
    return [
        f"{wording.short_name(kb.entities[o], language)} {wording.figure(n, language)}{_qualifier(n, language)}"
        for o, n, _ in figures
    ]


def _ratio(kb: KnowledgeBase, figures: list[tuple[str, Number, Fact]], language: str) -> str:
    """How two counts or sums compare: ' (the same)', ' (Guangzhou plan's is twice Hangzhou plan's)'."""
    if len(figures) != 2 or figures[1][1].value <= 0 or figures[0][1].unit in RATIO_UNITS:
        return ""
    (big, high, _), (small, low, _) = figures
    ratio = high.value / low.value
    if ratio < 1.05:
        return wording.message(language, "same") if high.value == low.value else ""
    first, second = (wording.short_name(kb.entities[e], language) for e in (big, small))
    if ratio == 2:
        return wording.message(language, "twice").format(first=first, second=second)
    shown = f"{ratio:.0f}" if ratio == round(ratio) else f"{ratio:.1f}"
    return wording.message(language, "ratio").format(first=first, second=second, ratio=shown)


def _named(kb: KnowledgeBase, reading: Reading, fact: Fact) -> str:
    """The entities a 'which X' or 'who' question asks for, as the fact names them."""
    if reading.asked_kind:
        wanted = set(grounding.kinds_meant(reading.asked_kind))
    elif reading.asks("who"):
        wanted = set(AGENT_KINDS)
    else:
        return ""
    found = [kb.entities[e] for e in named_entities(kb, reading, fact) if kb.entities[e].kind in wanted]
    if not found and reading.asked_kind:  # 'which report' of the report just cited: that one
        found = [e for e in reading.subjects if e.kind in wanted and e.id in fact.about]
    if not found and reading.asks("who") and reading.asks("publish"):  # 'who announced it': its publisher
        return wording.publisher(kb, fact.source, reading.language, short=False)
    found.sort(key=lambda e: e.kind != "person")  # 'who asked everyone to help': the man, then his committee
    comma = "、" if reading.language == "zh" else ", "
    return comma.join(wording.entity_name(e, reading.language) for e in found[:LEAD_NAMES])


def speakers_of(kb: KnowledgeBase, reading: Reading, fact: Fact) -> list[str]:
    """For 'who said that': the people and bodies a fact reports as saying it, other than the
    question's subjects and the outlet that reported it; none for 'where is this from'."""
    if not (reading.asks("who") and reading.asks("stance")):
        return []
    outlet = kb.sources[fact.source].entity
    found = [e for e in named_entities(kb, reading, fact) if e != outlet and kb.entities[e].kind in SPEAKER_KINDS]
    return found[:2]


def named_entities(kb: KnowledgeBase, reading: Reading, fact: Fact) -> list[str]:
    """A fact's entities other than the question's subjects; those inside a subject first, and only
    those when there are any ('which jiangsu cities': Lianyungang, Suqian, not Shanghai)."""
    subjects = {e.id for e in reading.subjects}
    others = [e for e in fact.about if e not in subjects]
    inside = [e for e in others if _within(kb, e, subjects)]
    return inside or others


def _within(kb: KnowledgeBase, entity_id: str, places: set[str]) -> bool:
    """True if the entity lies inside one of the places (Suqian -> Jiangsu)."""
    current = kb.entities[entity_id].part_of
    while current is not None and current in kb.entities:
        if current in places:
            return True
        current = kb.entities[current].part_of
    return False


def asked_thing(kb: KnowledgeBase, reading: Reading, unheld: frozenset[str] = frozenset()) -> str:
    """What the question asked for, in a few words, for 'The article gives no {what} for {names}.'
    Of the measures named, one the knowledge never gives a figure of (`unheld`) is named first."""
    zh = reading.language == "zh"
    if reading.measures:
        measure = kb.measures.get(min(reading.measures, key=lambda m: m not in unheld))
        if measure is not None:
            return f"{measure.name_zh or measure.name}数据" if zh else f"{measure.name} figure"
    if reading.asks("deadline"):
        return "完成时间" if zh else "date by which it is to be done"
    if reading.asked_kind:
        found = next((f for f in reading.found if f.table == "kind"), None)
        word = reading.norm[found.start : found.end] if found else reading.asked_kind
        return f"{word}名称" if zh else f"name of the {word}"
    if reading.asks("date"):
        return "日期" if zh else "date"
    if grounding.figure_shaped(reading):
        return "这方面的数据" if zh else "such figure"
    return ""
