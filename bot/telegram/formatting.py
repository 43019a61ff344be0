"""Answers as Telegram HTML: everything escaped, split below 4096 characters, buttons as plain data.

No Telegram import: sending.py turns Buttons into the Bot API's keyboard JSON (or python-telegram-bot
objects, for an edit) and handlers.py turns Articles into python-telegram-bot objects.
A message is a list of blocks (paragraphs); a block is lines, each with at most one style tag, so
a split between blocks or lines can never cut a tag in two. Callback data is
'<action>|<language>|<ref>' with action 'o' (open a fact or entity) or 's' (a fact's source);
a vote is 'v|+|<row id>' or 'v|-|<row id>', the recorded question's id (bot.curation.recording),
unique across the replicas sharing a database and at most 19 digits, so the data stays under 24 bytes.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.curation.reload import ReloadResult
from bot.engine import Answer, Engine, ShownFact, wording
from bot.engine.text import has_cjk
from bot.knowledge import Entity, KnowledgeBase
from bot.telegram.texts import ui

LIMIT = 4096  # characters after entity parsing, counted in UTF-16 code units as Telegram does
MAX_CALLBACK_BYTES = 64
MAX_ROWS = 6
MAX_LABEL = 60
MAX_ARTICLES = 10
REF_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TOPIC_KINDS = ("city", "village", "plan", "event", "occupation", "report")
VOTES = {1: "👍", -1: "👎"}
VOTE_TICK = " ✓"
ROW_ID_RE = re.compile(r"[0-9]{1,19}")
COMPARE_SPLIT_RE = re.compile(r"\s*(?:[,，、;；|]|\bvs\.?(?=\s)|\bversus\b|\band\b|和|与)\s*", re.IGNORECASE)
Line = tuple[str, str]  # (style, text): style "" for plain, "b" bold, "i" italic
Block = tuple[Line, ...]


@dataclass(frozen=True, slots=True)
class Button:
    label: str
    data: str


@dataclass(frozen=True, slots=True)
class Article:
    """One inline-mode result: the message it sends is `html`."""

    id: str
    title: str
    description: str
    html: str


Keyboard = list[list[Button]]


def escape(text: str) -> str:
    return html.escape(text, quote=False)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def paragraphs(text: str, style: str = "") -> list[Block]:
    """Plain text as blocks, one per paragraph, every line with the same style."""
    return [tuple((style, line) for line in part.split("\n")) for part in text.split("\n\n") if part.strip()]


def render(blocks: Sequence[Block], limit: int = LIMIT) -> list[str]:
    """Packs blocks into as few messages as fit `limit`, splitting oversized blocks by line and
    oversized lines at spaces; every message is balanced HTML."""
    messages: list[str] = []
    current: list[Block] = []
    size = 0
    for block in _fitting(blocks, limit):
        extra = _length(block) + (2 if current else 0)
        if current and size + extra > limit:
            messages.append(_html(current))
            current, size, extra = [], 0, _length(block)
        current.append(block)
        size += extra
    if current:
        messages.append(_html(current))
    return messages


def _fitting(blocks: Iterable[Block], limit: int) -> Iterable[Block]:
    for block in blocks:
        if not any(text.strip() for _, text in block):
            continue  # Telegram refuses a message that is only whitespace
        if _length(block) <= limit:
            yield block
            continue
        for style, text in block:
            yield from (((style, piece),) for piece in _cut(text, limit) if piece.strip())


def _cut(text: str, limit: int) -> list[str]:
    pieces = []
    while utf16_len(text) > limit:
        head = text[:limit]
        while (excess := utf16_len(head) - limit) > 0:
            head = head[: len(head) - (excess + 1) // 2]  # a character counts once or twice
        space = head.rfind(" ")
        head = head[:space] if space > limit // 2 else head
        pieces.append(head)
        text = text[len(head) :].lstrip(" ")
    return pieces + [text] if text.strip() else pieces


def _length(block: Block) -> int:
    return sum(utf16_len(text) for _, text in block) + len(block) - 1


def _html(blocks: Sequence[Block]) -> str:
    return "\n\n".join("\n".join(_line(style, text) for style, text in block) for block in blocks)


def _line(style: str, text: str) -> str:
    return f"<{style}>{escape(text)}</{style}>" if style and text.strip() else escape(text)


# -- answers ---------------------------------------------------------------------------------


def answer_blocks(answer: Answer) -> list[Block]:
    """An answer as blocks: how a follow-up was read, in italics; the answer line in bold (the lead,
    or else the first fact with its source); each further fact with its source in italics; the note."""
    if not answer.facts:
        return paragraphs(answer.text)
    facts = answer.facts
    blocks: list[Block] = [(("i", answer.read_as),)] if answer.read_as else []
    if answer.lead:
        blocks.append((("b", answer.lead),))
    else:  # the first fact is the answer line
        first, facts = facts[0], facts[1:]
        blocks.append((("b", first.text), ("i", ui(answer.language, "source-line").format(source=first.source))))
    bullet = "• " if len(answer.facts) > 1 else ""
    for i, fact in enumerate(facts):
        cited = i + 1 == len(facts) or facts[i + 1].source != fact.source
        blocks.append(_fact_block(fact, answer.language, bullet, cited))
    if answer.note:
        prefix = ui(answer.language, "note")
        blocks.extend(paragraphs(prefix + answer.note if prefix + answer.note in answer.text else answer.note))
    return blocks


def _fact_block(fact: ShownFact, language: str, bullet: str = "", cited: bool = True) -> Block:
    """A fact and, unless the next fact shares it, its source in italics."""
    source = (("i", ui(language, "source-line").format(source=fact.source)),) if cited else ()
    return (("", bullet + fact.text),) + source


def answer_keyboard(answer: Answer, kb: KnowledgeBase, *, sources: bool = True) -> Keyboard:
    """Buttons under an answer: each fact's full source, more on its entities, or 'did you mean'."""
    language = answer.language
    rows: Keyboard = []
    if answer.facts:
        if sources:
            by_source: dict[str, ShownFact] = {}
            for fact in answer.facts:
                by_source.setdefault(fact.source, fact)
            distinct = list(by_source.values())
            labels = (
                [ui(language, "full-source")]
                if len(distinct) == 1
                else [f"{ui(language, 'source')} {i}" for i in range(1, len(distinct) + 1)]
            )
            rows.append([_button(label, "s", language, f.id) for label, f in zip(labels, distinct)])
        more = [] if answer.kind == "entity" else [(_name(kb, e, language), e) for e in answer.entities]
        more += [(s.label, s.ref) for s in answer.suggestions]
        rows.extend([_button(ui(language, "more-on").format(name=name), "o", language, ref)] for name, ref in more)
    elif answer.kind != "too-long":
        rows.extend([_button(s.label, "o", language, s.ref)] for s in answer.suggestions)
    return _tidy(rows)


def _button(label: str, action: str, language: str, ref: str) -> Button:
    short = label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1].rstrip() + "…"
    return Button(short, f"{action}|{language}|{ref}")


def _tidy(rows: Keyboard) -> Keyboard:
    """Drops empty rows, repeated targets and data over 64 bytes; keeps at most MAX_ROWS rows."""
    seen: set[str] = set()
    tidy: Keyboard = []
    for row in rows:
        kept = [b for b in row if len(b.data.encode()) <= MAX_CALLBACK_BYTES and b.data not in seen]
        seen.update(b.data for b in kept)
        if kept:
            tidy.append(kept)
    return tidy[:MAX_ROWS]


def parse_callback(data: str) -> tuple[str, str, str] | None:
    """(action, language, ref) from callback data this module made; None for anything else."""
    parts = data.split("|")
    if len(parts) != 3 or parts[0] not in ("o", "s") or parts[1] not in ("en", "zh"):
        return None
    if not REF_RE.match(parts[2]):
        return None
    return parts[0], parts[1], parts[2]


def vote_row(row_id: int, current: int = 0) -> list[Button]:
    """The 👍/👎 pair under a recorded answer, the current vote ticked; data 'v|+|<row id>' or 'v|-|…'."""
    return [
        Button(VOTES[value] + (VOTE_TICK if value == current else ""), f"v|{'+' if value > 0 else '-'}|{row_id}")
        for value in (1, -1)
    ]


def with_votes(keyboard: Keyboard, row_id: int | None) -> Keyboard:
    """An answer's buttons with the vote pair as the last row (none without a recorded row)."""
    return keyboard if row_id is None else [*keyboard, vote_row(row_id)]


def parse_vote(data: str) -> tuple[int, int] | None:
    """(row id, +1 or -1) from a vote button's data; None for any other data."""
    parts = data.split("|")
    if len(parts) != 3 or parts[0] != "v" or parts[1] not in ("+", "-") or not ROW_ID_RE.fullmatch(parts[2]):
        return None
    row_id = int(parts[2])
    return (row_id, 1 if parts[1] == "+" else -1) if row_id < 2**63 else None  # a signed 64-bit integer


def voted(keyboard: Keyboard, row_id: int, value: int) -> Keyboard:
    """The same buttons with this answer's vote pair showing `value` as the current vote."""
    pair = {b.data for b in vote_row(row_id)}
    return [vote_row(row_id, value) if any(b.data in pair for b in row) else row for row in keyboard]


def _name(kb: KnowledgeBase, entity_id: str, language: str) -> str:
    entity = kb.entities.get(entity_id)
    if entity is None:
        return entity_id
    return (entity.name_zh if language == "zh" else None) or entity.name


# -- commands --------------------------------------------------------------------------------


def help_blocks(answer: Answer, username: str) -> list[Block]:
    """The engine's help answer followed by the bot's commands."""
    return answer_blocks(answer) + paragraphs(ui(answer.language, "commands").format(username=username))


def about_blocks(kb: KnowledgeBase, loaded_at: datetime, language: str) -> list[Block]:
    """What the bot knows: counts, when it was loaded, and every source."""
    counts = kb.counts()
    head = ui(language, "about").format(**counts, loaded=loaded_at.strftime("%Y-%m-%d %H:%M UTC"))
    sources = [("", f"• {wording.cite(kb, source_id, language)}") for source_id in kb.sources]
    return paragraphs(head) + [(("b", ui(language, "sources")),) + tuple(sources)]


def topics(engine: Engine) -> list[Entity]:
    """Browsable entities, those with the most facts first."""
    weight: dict[str, int] = {}
    for fact in engine.kb.facts:
        for entity_id in fact.about:
            weight[entity_id] = weight.get(entity_id, 0) + 1
    return sorted(engine.topics(TOPIC_KINDS), key=lambda e: -weight.get(e.id, 0))


def topics_message(engine: Engine, language: str) -> tuple[list[Block], Keyboard]:
    """A browse list: one line per kind naming its topics, and a button for each, two a row."""
    found = topics(engine)
    lines: list[Line] = [("b", ui(language, "topics"))]
    buttons = []
    for kind in TOPIC_KINDS:
        names = [_name(engine.kb, e.id, language) for e in found if e.kind == kind]
        if names:
            lines.append(("", f"{ui(language, 'kind-' + kind)}: {', '.join(names)}"))
    for entity in sorted(found, key=lambda e: TOPIC_KINDS.index(e.kind)):
        buttons.append(_button(_name(engine.kb, entity.id, language), "o", language, entity.id))
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    return [tuple(lines)], rows


def reload_blocks(result: ReloadResult, loaded_at: datetime, language: str) -> list[Block]:
    """The outcome of /reload: new counts and what changed, or every problem with file:line."""
    if not result.ok:
        head = ui(language, "reload-failed").format(
            n=len(result.problems), loaded=loaded_at.strftime("%Y-%m-%d %H:%M UTC")
        )
        problems = sorted(result.problems, key=lambda p: (p.path, p.line))
        return paragraphs(head) + [tuple(("", f"• {p}") for p in problems)]
    blocks = paragraphs(ui(language, "reload-ok").format(**result.counts))
    diff = result.diff
    for key, ids in (("added", diff.added), ("removed", diff.removed), ("edited", diff.edited)):
        if ids:
            blocks.append((("b", ui(language, key).format(n=len(ids))), ("", ", ".join(ids))))
    if not diff.changed:
        blocks.extend(paragraphs(ui(language, "unchanged")))
    return blocks


# -- inline mode -----------------------------------------------------------------------------


def inline_articles(
    engine: Engine, query: str, language: str, answer: Answer | None = None
) -> tuple[list[Article], bool]:
    """Up to ten articles for an inline query and whether the knowledge had an answer.

    An empty query offers the most-covered topics; a question its answer (engine.ask(query) unless
    given), then each fact and related entity; a miss a 'not in my knowledge' article and the suggestions.
    """
    if not query.strip():
        refs = [e.id for e in topics(engine)][:MAX_ARTICLES]
        return _dedupe(a for ref in refs if (a := _ref_article(engine, ref, language))), True
    answer = answer or engine.ask(query)
    articles: list[Article] = []
    if answer.answered:
        if answer.lead or len(answer.facts) > 1:
            articles.append(_answer_article(answer, "a:" + _digest(query), answer.lead or answer.facts[0].text))
        articles.extend(_fact_article(fact, answer.language) for fact in answer.facts)
    elif answer.kind not in ("greeting", "help"):
        articles.append(
            Article("none:" + _digest(query), ui(answer.language, "not-known"), answer.lead, escape(answer.lead))
        )
    articles.extend(a for s in answer.suggestions if (a := _ref_article(engine, s.ref, answer.language)))
    return _dedupe(articles), answer.answered


def _answer_article(answer: Answer, article_id: str, title: str) -> Article:
    description = answer.facts[0].text if answer.facts else answer.lead
    return Article(article_id, _short(title, 100), _short(description, 200), render(answer_blocks(answer))[0])


def _fact_article(fact: ShownFact, language: str) -> Article:
    description = ui(language, "source-line").format(source=fact.source)
    return Article(
        "f:" + fact.id, _short(fact.text, 100), _short(description, 200), render([_fact_block(fact, language)])[0]
    )


def _ref_article(engine: Engine, ref: str, language: str) -> Article | None:
    answer = engine.open(ref, language)
    if answer is None:
        return None
    if ref in engine.kb.entities:
        return _answer_article(answer, "e:" + ref, _name(engine.kb, ref, language))
    return _fact_article(answer.facts[0], language) if answer.facts else None


def _dedupe(articles: Iterable[Article]) -> list[Article]:
    seen: dict[str, Article] = {}
    for article in articles:
        if len(article.id.encode()) <= MAX_CALLBACK_BYTES:
            seen.setdefault(article.id, article)
    return list(seen.values())[:MAX_ARTICLES]


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# -- charts ----------------------------------------------------------------------------------

CAPTION_LIMIT = 1024  # characters of a photo's caption after entity parsing, in UTF-16 code units


def caption(answer: Answer, limit: int = CAPTION_LIMIT) -> str:
    """A chart's caption as HTML: the answer line in bold, then its sources in italics; the line is
    cut short (…) when both would not fit `limit`."""
    language = answer.language
    sources = ("；" if language == "zh" else "; ").join(dict.fromkeys(f.source for f in answer.facts))
    cited = _fit(ui(language, "chart-sources").format(sources=sources), limit) if sources else ""
    room = limit - utf16_len(cited) - 1
    lead = _fit(answer.lead, room) if room > 1 else ""
    return "\n".join(_line(style, text) for style, text in (("b", lead), ("i", cited)) if text.strip())


def _fit(text: str, limit: int) -> str:
    """The text, or as much of it as fits `limit` UTF-16 code units with an ellipsis."""
    return text if utf16_len(text) <= limit else _cut(text, limit - 1)[0].rstrip() + "…"


def compare_names(text: str) -> tuple[str, str] | None:
    """The two names of '/compare A B': split at a comma, 'vs', 'and' or 和 ('double product
    festival, may fifth festival'), else the two words given; None for anything else."""
    parts = COMPARE_SPLIT_RE.split(text.strip())
    names = [p for p in (parts if len(parts) > 1 else text.split()) if any(ch.isalnum() for ch in p)]
    return (names[0], names[1]) if len(names) == 2 else None


def names_language(names: tuple[str, str], default: str) -> str:
    """Chinese when a name is written in Chinese, else the user's language."""
    return "zh" if any(has_cjk(name) for name in names) else default
