"""How facts, sources and dates read, in English and Chinese."""

from __future__ import annotations

from bot.knowledge import Fact, KnowledgeBase

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
