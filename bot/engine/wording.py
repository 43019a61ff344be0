"""How facts, sources and dates read, in English and Chinese."""

from __future__ import annotations

from bot.engine.text import has_cjk
from bot.knowledge import Entity, Fact, KnowledgeBase

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
    """The shortest name of an entity in the language, for tight spaces like comparisons."""
    names = [n for n in (entity.name, entity.name_zh, *entity.aliases) if n and has_cjk(n) == (language == "zh")]
    return min(names, key=len) if names else entity_name(entity, language)


MESSAGES = {
    "en": {
        "empty": "Ask me a question about China's 2020 live-streaming e-commerce economy.",
        "too-long": "That message is too long for me: please ask one question in under {limit} characters.",
        "no-match": "That is not in my knowledge, so I won't guess.",
        "nothing-on": "My knowledge has nothing on that about {names}.",
        "outside": "My knowledge has nothing on {names}: it covers one 2020 report on China's live-streaming economy.",
        "years": "My knowledge covers spring 2020 only; it has nothing for {years}.",
        "time": "My knowledge is a spring 2020 report, so it cannot say what is true now or later.",
        "unknown-name": "My knowledge does not mention {names}, so I won't guess.",
        "rank": "My knowledge gives only the first places in these rankings, not the others.",
        "quarter": "My knowledge has figures for the first quarter of 2020 only.",
        "outcome": "My knowledge has the plans and targets set in spring 2020, not whether they were met later.",
        "suggest": "Perhaps you meant:",
        "source-lead": "This comes from {source}.",
        "greeting": (
            "Hello! I answer questions about China's 2020 live-streaming e-commerce economy "
            "from {facts} sourced facts. Try:"
        ),
        "thanks": "You're welcome! Ask me anything else about China's 2020 live-streaming economy.",
        "help": (
            "Ask a question in English or Chinese; every answer quotes its source "
            "({facts} facts from {sources} sources). For example:"
        ),
    },
    "zh": {
        "empty": "请提一个关于2020年中国直播电商经济的问题。",
        "too-long": "消息太长了：请用{limit}字以内提一个问题。",
        "no-match": "我的知识库里没有这个内容，我不做猜测。",
        "nothing-on": "关于{names}，我的知识库里没有这方面的内容。",
        "outside": "我的知识库里没有关于{names}的内容：它只涵盖一篇关于2020年中国直播经济的报道。",
        "years": "我的知识只涵盖2020年春季，没有{years}年的内容。",
        "time": "我的知识来自2020年春季的一篇报道，无法回答现在或将来的情况。",
        "unknown-name": "我的知识库没有提到{names}，我不做猜测。",
        "rank": "我的知识库只有这些排名的第一名，没有其他名次。",
        "quarter": "我的知识库只有2020年第一季度的数据。",
        "outcome": "我的知识库只有2020年春季提出的计划和目标，不知道后来是否实现。",
        "suggest": "你可能想问：",
        "source-lead": "出处：{source}。",
        "greeting": "你好！我根据{facts}条有出处的事实，回答关于2020年中国直播电商经济的问题。试试：",
        "thanks": "不客气！还有关于2020年中国直播经济的问题，尽管问。",
        "help": "用中文或英文提问，每个回答都注明出处（{facts}条事实，{sources}个来源）。例如：",
    },
}


def message(language: str, key: str) -> str:
    """A fixed message of the bot in English or Chinese."""
    return MESSAGES["zh" if language == "zh" else "en"][key]
