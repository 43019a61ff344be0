"""From a question to an Answer: intent (greeting, help, out of scope, entity, match, compare) and
wording. Pure: no I/O, no Telegram. A declined question is a normal Answer, not an exception.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace

from bot.engine import reading, wording
from bot.engine.search import Hit, Query, SearchIndex
from bot.engine.text import EN_STOP, has_cjk, normalise, words
from bot.knowledge import Entity, Fact

MAX_QUESTION = 500  # characters; longer messages get a polite limit
ANSWER_COVERAGE = 0.45  # share of the question's weighted terms the best fact must hold
ANSWER_SCORE = 0.30
MARGIN = 0.65  # further facts are shown while they score this close to the best one
COMPARE_COVERAGE = 0.35  # each side of a comparison must match at least this much
SIDE_SLACK = 0.05  # a comparison may pick, among facts matching this nearly as well, one sharing figures
JOINT_COVERAGE = 0.95  # a fact about every compared entity leads a comparison if it matches this well
RUNNER_UP_COVERAGE = 0.8  # further facts must match nearly as much of the question as the best
DOMINANT_COVERAGE = 0.35
DOMINANT_MARGIN = 1.8  # a best fact scoring this many times the next is answered at lower coverage
CLAUSE_COVERAGE = 0.6  # each part of a many-part question must match its fact this well
MAX_WITH_CLAUSES = 5
CLEAR_COVERAGE = 0.9  # a best fact matching this much of a question needs no part-by-part search
CLAUSE_RE = re.compile(r"\s*[;；，、]\s*|,\s+|\s+(?:and|or|than|plus|as well as|vs\.?|versus)\s+|还是|以及|或者")
PAIR_EACH = 0.3  # each fact of a two-part answer must match this much on its own
PAIR_COVERAGE = 0.7  # and the two together this much
MAX_FACTS = 3
ENTITY_FACTS = 4
SPECIFIC_KINDS = frozenset("city province village district company platform brand person media".split())

EXAMPLES_EN = (
    "Which city has the most live-streaming anchors?",
    "What are the targets of Hangzhou's plan?",
    "Double Product festival sales",
    "What is a Live Salesman?",
)
EXAMPLES_ZH = ("广州直播电商行动方案的目标是什么？", "双品网购节总销售额是多少？", "义乌")


@dataclass(frozen=True, slots=True)
class ShownFact:
    """A fact as an answer shows it: its id, its statement in the answer's language, its source."""

    id: str
    text: str
    source: str


@dataclass(frozen=True, slots=True)
class Suggestion:
    """Something the user may have meant: a label to show and the id (fact or entity) to open."""

    label: str
    ref: str


@dataclass(frozen=True, slots=True)
class Answer:
    """What a user sees for one question.

    `kind` is one of: match, entity, compare, source, greeting, help, empty, too-long, no-match.
    `text` is the plain-text rendering; front ends may format `lead`, `facts` and `note` richer.
    `candidates` are the best-ranked fact ids with their scores and `confidence` the share of the
    question the best fact matched, for curators studying what the bot could not answer.
    """

    question: str
    answered: bool
    kind: str
    language: str
    lead: str
    facts: tuple[ShownFact, ...]
    suggestions: tuple[Suggestion, ...]
    entities: tuple[str, ...]
    note: str
    text: str
    candidates: tuple[tuple[str, float], ...] = ()
    confidence: float = 0.0


def respond(index: SearchIndex, text: str) -> Answer:
    """Answers one question from the index; any string in, an Answer out."""
    question = unicodedata.normalize("NFC", text or "").strip()
    language = "zh" if has_cjk(question) else "en"
    if not any(ch.isalnum() for ch in question):
        return _declined(index, question, language, "empty", wording.message(language, "empty"), ())
    if len(question) > MAX_QUESTION:
        message = wording.message(language, "too-long").format(limit=MAX_QUESTION)
        return _declined(index, question, language, "too-long", message, ())
    if reading.is_thanks(question):
        message = wording.message(language, "thanks")
        return Answer(question, False, "greeting", language, message, (), (), (), "", message)
    if reading.is_greeting(question):
        return _greeting(index, question, language)
    if reading.is_help(question):
        return _greeting(index, question, language, kind="help")
    query = index.analyse(question)
    if query.rambling and not query.mentions:
        return _declined(index, question, language, "no-match", wording.message(language, "no-match"), ())
    hits = index.search(query, limit=30)
    refusal = reading.out_of_scope(index, query, question, language)
    if refusal:
        answer = _declined(index, question, language, "no-match", refusal, hits[:3])
    else:
        answer = _answer(index, query, question, language, hits)
    candidates = tuple((h.fact.id, round(h.score, 3)) for h in hits[:5])
    return replace(answer, candidates=candidates, confidence=round(hits[0].coverage, 3) if hits else 0.0)


def _answer(index: SearchIndex, query: Query, question: str, language: str, hits: list[Hit]) -> Answer:
    overview = reading.overview_entity(query, question)
    if overview is not None:
        return entity_answer(index, overview, language, question)
    all_hits = hits
    specific = _specific(query)
    if specific:
        hits = [h for h in hits if _concerns(index, h.fact, specific)]
    hits = reading.of_the_asked_type(index, query, question, hits)
    good = [h for h in hits if h.coverage >= ANSWER_COVERAGE and h.score >= ANSWER_SCORE]
    if reading.superlative(question):
        good = [h for h in good if any(n.unit == "rank" for n in h.fact.numbers)] or good
    if not good and _dominant(hits):
        good = hits[:1]
    if not good:
        good = _pair(index, query, hits)
    comparing = reading.comparing(question)
    sides = (
        _per_entity(index, hits, [m.entity for m in query.mentions]) if comparing and len(query.mentions) >= 2 else []
    )
    clear = bool(good) and good[0].coverage >= CLEAR_COVERAGE
    many_parts = not clear and not sides and len(CLAUSE_RE.split(question)) > 1
    clauses = _clause_hits(index, query, question) if many_parts else []
    if not good and len(clauses) >= 2:
        good = clauses
    if comparing and not sides:
        sides = _same_unit_pair(hits, good)
    if not good and not sides:
        if specific and not hits:
            names = ", ".join(wording.entity_name(e, language) for e in specific)
            message = wording.message(language, "nothing-on").format(names=names)
            return _declined(index, question, language, "no-match", message, all_hits[:3], specific)
        return _declined(index, question, language, "no-match", wording.message(language, "no-match"), hits[:3])
    shown = sides or _select(good, specific)
    shown += [h for h in clauses if all(h.fact.id != s.fact.id for s in shown)][: max(0, MAX_WITH_CLAUSES - len(shown))]
    lead = _comparison(index, shown, language) if comparing else ""
    kind = "compare" if lead else ("source" if reading.asks_source(question) else "match")
    if kind == "source":
        lead = wording.message(language, "source-lead").format(
            source=wording.cite(index.kb, shown[0].fact.source, language)
        )
    return _build(index, question, language, kind, lead, [h.fact for h in shown])


def _clause_hits(index: SearchIndex, whole: Query, question: str) -> list[Hit]:
    """The best fact for each part of a many-part question ('X, Y and Z', 'A or B', 'A than B').

    A part that only names something ('..., Bilibili and Ximalaya') borrows the other words of
    the question, so it asks the same thing about that name.
    """
    names = " ".join(m.text for m in whole.mentions)
    context = " ".join(w for w in words(normalise(question)) if w not in names and w not in EN_STOP)
    found: list[Hit] = []
    for part in filter(str.strip, CLAUSE_RE.split(question)):
        query = index.narrow(whole, part)
        content = [s for s in query.slots if s.known and not any(s.term in m.text for m in query.mentions)]
        if not content and query.mentions:
            query = index.narrow(whole, f"{part} {context}")
        elif len(content) < 2:
            continue
        hits = reading.of_the_asked_type(index, query, part, index.search(query, limit=5))
        specific = _specific(query)
        if specific:
            hits = [h for h in hits if _concerns(index, h.fact, specific)]
        best = hits[0] if hits else None
        if (
            best
            and best.coverage >= CLAUSE_COVERAGE
            and best.score >= ANSWER_SCORE
            and best.fact not in [h.fact for h in found]
        ):
            found.append(best)
    return found


def _dominant(hits: list[Hit]) -> bool:
    """True when one fact stands far above the rest, though it matches less of the question."""
    if not hits or hits[0].coverage < DOMINANT_COVERAGE or hits[0].score < ANSWER_SCORE:
        return False
    return len(hits) > 1 and hits[0].score >= DOMINANT_MARGIN * hits[1].score


def _pair(index: SearchIndex, query: Query, hits: list[Hit]) -> list[Hit]:
    """Two facts about the same subject that together answer a two-part question."""
    weights = index.slot_weights(query)
    total = sum(weights.values()) or 1.0
    top = [h for h in hits[:6] if h.coverage >= PAIR_EACH]
    for i, first in enumerate(top):
        for second in top[i + 1 :]:
            if (
                first.fact.about[0] != second.fact.about[0]
                or first.matched <= second.matched
                or second.matched <= first.matched
            ):
                continue
            union = sum(weights.get(t, 0.0) for t in first.matched | second.matched) / total
            if union >= PAIR_COVERAGE:
                return [first, second]
    return []


def _same_unit_pair(hits: list[Hit], good: list[Hit]) -> list[Hit]:
    """For a comparison naming no two entities: the best fact and the best other fact whose
    figures are in the same unit, so the two can be set side by side."""
    top = good[0] if good else next((h for h in hits[:1] if h.coverage >= PAIR_EACH), None)
    if top is None:
        return []
    units = {n.unit for n in top.fact.numbers} - {"rank"}
    partner = next(
        (
            h
            for h in hits[1:8]
            if h.coverage >= PAIR_EACH and h.fact.id != top.fact.id and units & {n.unit for n in h.fact.numbers}
        ),
        None,
    )
    if partner is None:
        return []
    shared = units & {n.unit for n in partner.fact.numbers}
    return sorted([top, partner], key=lambda h: -max(n.value for n in h.fact.numbers if n.unit in shared))


def _specific(query: Query) -> list[Entity]:
    """Named places, companies and people: an answer must be about one of them."""
    return [m.entity for m in query.mentions if m.entity.kind in SPECIFIC_KINDS and m.score >= 0.9]


def _per_entity(index: SearchIndex, hits: list[Hit], entities: list[Entity]) -> list[Hit]:
    """For a comparison: a fact about all the named entities if one matches well, then for each
    entity its best fact about it alone, preferring the richest in figures among close ones."""
    joint = [h for h in hits if all(_concerns(index, h.fact, [e]) for e in entities)]
    chosen = [joint[0]] if joint and joint[0].coverage >= JOINT_COVERAGE else []
    for entity in entities:
        others = [e for e in entities if e.id != entity.id]
        mine = [h for h in hits if h not in chosen and _concerns(index, h.fact, [entity])]
        own = [h for h in mine if not _concerns(index, h.fact, others)]
        if not own or own[0].coverage < COMPARE_COVERAGE:
            own = mine
        if not own or own[0].coverage < COMPARE_COVERAGE:
            return []
        best_coverage = max(h.coverage for h in own)
        close = [h for h in own if h.coverage >= best_coverage - SIDE_SLACK and h.score >= MARGIN * own[0].score]
        theirs = {n.measure for h in hits if _concerns(index, h.fact, others) for n in h.fact.numbers}
        chosen.append(max(close, key=lambda h: (sum(n.measure in theirs for n in h.fact.numbers), h.score)))
    return chosen


def _select(good: list[Hit], specific: list[Entity]) -> list[Hit]:
    """The best hit, then close runners-up; with several named entities, the best for each."""
    top = good[0]
    chosen = [top]
    for entity in specific:
        if not any(entity.id in h.fact.about for h in chosen):
            best = next((h for h in good if entity.id in h.fact.about), None)
            if best is not None:
                chosen.append(best)
    for hit in good[1:]:
        if len(chosen) >= MAX_FACTS:
            break
        if hit not in chosen and hit.score >= MARGIN * top.score and hit.coverage >= RUNNER_UP_COVERAGE * top.coverage:
            chosen.append(hit)
    return chosen[: max(MAX_FACTS, len(specific))]


def _concerns(index: SearchIndex, fact: Fact, entities: list[Entity]) -> bool:
    """True if the fact is about one of the entities (or a place inside one), or comes from it."""
    return any(fact.id in index.concerning(e) for e in entities)


def _comparison(index: SearchIndex, hits: list[Hit], language: str) -> str:
    """A line setting side by side the figures of the shown facts that measure the same thing."""
    by_measure: dict[str, dict[str, tuple[str, float, str]]] = {}
    for hit in hits:
        for number in hit.fact.numbers:
            owner = number.entity or hit.fact.about[0]
            by_measure.setdefault(number.measure, {}).setdefault(owner, (owner, number.value, number.display))
    lines = []
    for measure, per_owner in by_measure.items():
        if len(per_owner) < 2:
            continue
        values = sorted(per_owner.values(), key=lambda v: -v[1])
        parts = [
            f"{wording.short_name(index.kb.entities[o], language)} {d}" for o, _, d in values if o in index.kb.entities
        ]
        label = measure.replace("-", " ")
        lines.append(f"{label}: " + " vs ".join(parts))
    if not lines and len(hits) >= 2:
        lines = _unit_lines(hits[0].fact, hits[1].fact)
    if not lines:
        return ""
    return ("比较：" if language == "zh" else "Side by side — ") + "; ".join(lines[:4])


def _unit_lines(first: Fact, second: Fact) -> list[str]:
    """Figures of two facts that share a unit, largest first, labelled by what they count."""
    lines = []
    for a in first.numbers:
        b = next((n for n in second.numbers if n.unit == a.unit and n.unit != "rank"), None)
        if b is not None:
            pair = sorted((a, b), key=lambda n: -n.value)
            same = a.measure == b.measure
            lines.append(" vs ".join(n.display if same else f"{n.measure.replace('-', ' ')} {n.display}" for n in pair))
    return lines


def entity_answer(index: SearchIndex, entity: Entity, language: str, question: str = "") -> Answer:
    """An entity's description and its main facts."""
    facts = index.facts_about(entity.id)[:ENTITY_FACTS]
    zh = language == "zh"
    name = wording.entity_name(entity, language)
    description = (entity.description_zh if zh else None) or entity.description or ""
    lead = f"{name}：{description}" if zh else f"{name}: {description}" if description else name
    if not facts:
        return _declined(
            index,
            question,
            language,
            "no-match",
            wording.message(language, "nothing-on").format(names=name),
            (),
            [entity],
        )
    return _build(index, question or name, language, "entity", lead, facts, entities=(entity.id,))


def open_ref(index: SearchIndex, ref: str, language: str) -> Answer | None:
    """The answer behind a suggestion: a fact by id, or an entity's overview."""
    if ref in index.kb.entities:
        return entity_answer(index, index.kb.entities[ref], language)
    position = index.fact_index.get(ref)
    if position is None:
        return None
    fact = index.docs[position].fact
    return _build(index, fact.text, language, "match", "", [fact])


def source_details(index: SearchIndex, fact_id: str, language: str) -> Answer | None:
    position = index.fact_index.get(fact_id)
    if position is None:
        return None
    fact = index.docs[position].fact
    details = wording.source_details(index.kb, fact, language)
    shown = (ShownFact(fact.id, wording.fact_text(fact, language), wording.cite(index.kb, fact.source, language)),)
    text = f"{shown[0].text}\n\n{details}"
    return Answer(fact.text, True, "source", language, "", shown, (), fact.about, details, text)


def _build(
    index: SearchIndex,
    question: str,
    language: str,
    kind: str,
    lead: str,
    facts: list[Fact],
    entities: tuple[str, ...] = (),
) -> Answer:
    kb = index.kb
    shown = tuple(ShownFact(f.id, wording.fact_text(f, language), wording.cite(kb, f.source, language)) for f in facts)
    about = entities or tuple(dict.fromkeys(e for f in facts for e in f.about[:1]))
    related = [e for f in facts for e in f.about if e not in about]
    suggestions = tuple(Suggestion(wording.entity_name(kb.entities[e], language), e) for e in dict.fromkeys(related))[
        :3
    ]
    note = facts[0].note or "" if language != "zh" else ""
    return Answer(
        question, True, kind, language, lead, shown, suggestions, about, note, _render(lead, shown, note, language)
    )


def _declined(
    index: SearchIndex,
    question: str,
    language: str,
    kind: str,
    message: str,
    hits: list[Hit] | tuple[()],
    entities: list[Entity] | tuple[()] = (),
) -> Answer:
    suggestions: list[Suggestion] = []
    for entity in entities:
        for fact in index.facts_about(entity.id)[:2]:
            suggestions.append(Suggestion(_short(wording.fact_text(fact, language)), fact.id))
    for hit in hits:
        if len(suggestions) < 3 and all(s.ref != hit.fact.id for s in suggestions):
            suggestions.append(Suggestion(_short(wording.fact_text(hit.fact, language)), hit.fact.id))
    if not suggestions:
        for entity in popular(index)[:3]:
            suggestions.append(Suggestion(wording.entity_name(entity, language), entity.id))
    lines = [message]
    if suggestions and kind not in ("too-long",):
        lines.append(wording.message(language, "suggest"))
        lines.extend(f"• {s.label}" for s in suggestions)
    text = "\n".join(lines)
    return Answer(
        question, False, kind, language, message, (), tuple(suggestions), tuple(e.id for e in entities), "", text
    )


def greeting(index: SearchIndex, language: str, kind: str = "greeting") -> Answer:
    """The greeting (or help) in a language, as a first-time user sees it."""
    return _greeting(index, "", language, kind)


def _greeting(index: SearchIndex, question: str, language: str, kind: str = "greeting") -> Answer:
    counts = index.kb.counts()
    examples = EXAMPLES_ZH if language == "zh" else EXAMPLES_EN
    intro = wording.message(language, kind).format(facts=counts["facts"], sources=counts["sources"])
    text = intro + "\n" + "\n".join(f"• {e}" for e in examples)
    suggestions = tuple(Suggestion(wording.entity_name(e, language), e.id) for e in popular(index)[:4])
    return Answer(question, False, kind, language, intro, (), suggestions, (), "", text)


def popular(index: SearchIndex) -> list[Entity]:
    """Entities with the most facts about them, the ones a newcomer most likely wants."""
    counts = {e: len(ids) for e, ids in index.by_entity.items()}
    ranked = sorted(index.kb.entities.values(), key=lambda e: -counts.get(e.id, 0))
    return [e for e in ranked if counts.get(e.id)]


def _render(lead: str, shown: tuple[ShownFact, ...], note: str, language: str) -> str:
    label = "来源：" if language == "zh" else "Source: "
    blocks = [lead] if lead else []
    bullet = "• " if len(shown) > 1 else ""
    for fact in shown:
        blocks.append(f"{bullet}{fact.text}\n  {label}{fact.source}")
    if note:
        blocks.append(("备注：" if language == "zh" else "Note: ") + note)
    return "\n\n".join(blocks)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
