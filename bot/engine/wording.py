"""How facts, sources, dates and figures read, in English and Chinese; the plain-text reply."""

from __future__ import annotations

from collections.abc import Sequence

from bot.engine.messages import message
from bot.engine.text import has_cjk
from bot.knowledge import Entity, Fact, KnowledgeBase, Number

__all__ = ["message"]
ORDINALS_EN = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", 10: "tenth"}
SHORT_LIMIT = 60
SHORT_NAME = 36
SHORT_NAME_ZH = 12

MONTHS = "January February March April May June July August September October November December".split()


def date_text(value: str | None, language: str) -> str:
    """'2020-05-15' -> 'May 15, 2020' or '2020年5月15日'; partial dates stay partial."""
    if not value:
        return ""
    parts = [int(p) for p in value.split("-")]
    if language == "zh":
        units = ("年", "月", "日")
        return "".join(f"{p}{u}" for p, u in zip(parts, units))
    if len(parts) == 3:
        return f"{MONTHS[parts[1] - 1]} {parts[2]}, {parts[0]}"
    if len(parts) == 2:
        return f"{MONTHS[parts[1] - 1]} {parts[0]}"
    return str(parts[0])


def cite(kb: KnowledgeBase, source_id: str, language: str = "en") -> str:
    """One line naming a source, its date and, where known only through another, that one."""
    source = kb.sources[source_id]
    zh = language == "zh"
    publisher = (source.publisher_zh if zh else None) or source.publisher
    title = (source.title_zh if zh else None) or source.title
    parts = [publisher]
    if source.kind != "article" and title and title != publisher:
        parts.append(title if zh and source.title_zh else f"“{title}”")
    author = (source.author_zh if zh else None) or source.author
    if author:
        parts.append(author)
    when = date_text(source.date, language)
    if when:
        parts.append(when)
    line = ("，" if zh else ", ").join(parts)
    if source.via and source.via in kb.sources:
        via = cite(kb, source.via, language)
        line += f"；据{via}" if zh else f"; as reported by {via}"
    return line


def fact_text(fact: Fact, language: str) -> str:
    """The statement in the answer's language, English where no Chinese is curated."""
    return (fact.text_zh if language == "zh" and fact.text_zh else None) or fact.text


def source_details(kb: KnowledgeBase, fact: Fact, language: str) -> str:
    """Everything known about a fact's source, for a reader who wants to look it up."""
    zh = language == "zh"
    lines: list[str] = []
    source_id: str | None = fact.source
    while source_id and source_id in kb.sources:
        source = kb.sources[source_id]
        label = "来源" if zh else "Source"
        if lines:
            label = "转引自" if zh else "Reported by"
        title = source.title + (f" ({source.title_zh})" if source.title_zh else "")
        publisher = source.publisher + (f" ({source.publisher_zh})" if source.publisher_zh else "")
        lines.append(f"{label}: {title}")
        lines.append(f"  {'发布方' if zh else 'Publisher'}: {publisher}")
        if source.author:
            lines.append(f"  {'作者' if zh else 'Author'}: {source.author}")
        if source.date:
            lines.append(f"  {'日期' if zh else 'Date'}: {date_text(source.date, language)}")
        if source.date_note:
            lines.append(f"  {'说明' if zh else 'Note'}: {source.date_note}")
        source_id = source.via
    if fact.note:
        lines.append(f"{'备注' if zh else 'Note on this fact'}: {fact.note}")
    return "\n".join(lines)


def entity_name(entity: object, language: str) -> str:
    """An entity's (or outside name's) name in the language, English where no Chinese is given."""
    name = str(getattr(entity, "name", ""))
    name_zh = getattr(entity, "name_zh", None)
    if language == "zh" and name_zh:
        return str(name_zh)
    return name


def short_name(entity: Entity, language: str) -> str:
    """The name of an entity for tight spaces: its name when short, else its shortest alias that
    starts as the name does ('Guangzhou plan' for the Guangzhou Live E-commerce ... Action Plan)."""
    name = entity_name(entity, language)
    if len(name) <= (SHORT_NAME_ZH if language == "zh" else SHORT_NAME):
        return name
    first = name.split()[0].casefold() if language != "zh" else name[:2]
    names = [a for a in entity.aliases if has_cjk(a) == (language == "zh") and a.casefold().startswith(first)]
    return min(names, key=len) if names else name


def publisher(kb: KnowledgeBase, source_id: str, language: str = "en", *, short: bool = True) -> str:
    """Who published a source: in a few words ('China Employment Training Technical Guidance
    Center'), or in full, with whom it acted for."""
    source = kb.sources[source_id]
    if not short:
        return (source.publisher_zh if language == "zh" else None) or source.publisher
    return ((source.short_zh or source.publisher_zh) if language == "zh" else None) or source.short or source.publisher


def short_cite(kb: KnowledgeBase, source_id: str, language: str = "en", *, via: bool = True) -> str:
    """A source in one short line: who, when, and the article it is known through
    ('Business Micro News (Ministry of Commerce), May 15, 2020, via The Paper')."""
    source = kb.sources[source_id]
    zh = language == "zh"
    parts = [publisher(kb, source_id, language)]
    if source.via is None:
        author = (source.author_zh if zh else None) or source.author
        parts += [author] if author else []
    when = date_text(source.date, language)
    parts += [when] if when else []
    line = ("，" if zh else ", ").join(parts)
    if via and source.via and source.via in kb.sources:
        through = kb.sources[source.via]
        name = (through.short_zh if zh else None) or through.short or through.publisher
        line += f"，据{name}" if zh else f", via {name}"
    return line


def figure(number: Number, language: str) -> str:
    """A figure as the answer's language writes it: 182.51 billion yuan, or 1825.1亿元."""
    return (number.display_zh if language == "zh" else None) or number.display


def amount(value: float, unit: str, language: str) -> str:
    """A computed figure written out: 15,000; 1,500; 191.41 billion yuan, or 1914.1亿元."""
    yuan = unit == "yuan"
    if language == "zh":
        if value >= 1e8:
            return f"{value / 1e8:g}亿" + ("元" if yuan else "")
        return f"{value:g}" + ("元" if yuan else "")
    if yuan and value >= 1e9:
        return f"{value / 1e9:,.2f}".rstrip("0").rstrip(".") + " billion yuan"
    if yuan and value >= 1e6:
        return f"{value / 1e6:,.2f}".rstrip("0").rstrip(".") + " million yuan"
    shown = f"{value:,.0f}" if value == round(value) else f"{value:,.2f}"
    return shown + (" yuan" if yuan else "")


KIND_WORDS = {
    "en": {"plan": "plan", "event": "festival or event", "report": "report", "media": "outlet", "person": "person"},
    "zh": {"plan": "规划或方案", "event": "购物节或活动", "report": "报告", "media": "媒体", "person": "人名"},
}


def measure_label(kb: KnowledgeBase, measure_id: str, language: str) -> str:
    """What a measure is called in answers ('live-stream sellers trained', '培训带货人才')."""
    measure = kb.measures.get(measure_id)
    if measure is None:
        return measure_id.replace("-", " ")
    return (measure.name_zh if language == "zh" else None) or measure.name


def kind_word(kind: str, language: str) -> str:
    """A kind of entity in a few words: 'plan', 'festival or event'."""
    words = KIND_WORDS["zh" if language == "zh" else "en"]
    return words.get(kind, kind)


def ordinal_word(value: int, language: str) -> str:
    """'first', 'second'... or 第一届, 第二届..."""
    if language == "zh":
        digits = "一二三四五六七八九十"
        return f"第{digits[value - 1]}届" if 1 <= value <= 10 else f"第{value}届"
    return ORDINALS_EN.get(value, f"#{value}")


def caveat(fact: Fact, language: str) -> str:
    """The plain-words caveat a fact carries for users (its `note` is for curators)."""
    return (fact.caveat_zh if language == "zh" else None) or fact.caveat or ""


def missing_parts(parts: Sequence[str], language: str) -> str:
    joined = ("；" if language == "zh" else "; ").join(parts)
    return message(language, "missing").format(parts=joined)


def short(text: str, limit: int = SHORT_LIMIT) -> str:
    """A text cut at a word boundary to fit a button or a list, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if not has_cjk(cut) and " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:，；：") + "…"
