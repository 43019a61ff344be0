"""From a question to an Answer: read it, rank facts, decide, then word the reply. Pure: no I/O,
no Telegram. A declined question is a normal Answer, not an exception.

A reply opens with the answer itself in a short line (the figure or the name, what it counts),
then the facts that support it, each with a one-line source; the full source record of each fact
is one call away (`source_details`).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace

from bot.engine import leads, order, premise, wording
from bot.engine.deciding import Decision, decide
from bot.engine.followup import Context
from bot.engine.reading import Reading, read
from bot.engine.search import Hit, SearchIndex
from bot.engine.text import has_cjk
from bot.knowledge import Entity, Fact

MAX_QUESTION = 500  # characters; longer messages get a polite limit
ENTITY_FACTS = 4
RANKED = 30  # facts ranked per question
CANDIDATES = 5  # best-ranked facts kept with an answer for curators
FIGURE_LABEL = 90  # characters a held figure's label may take: its figure comes last
SHARED_OPENING = 20  # characters all held facts open with, past which their labels start

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
class Figure:
    """One figure an answer sets beside others of the same measure and unit, as a chart draws it."""

    owner: str  # whose figure, in the answer's language
    measure: str  # what it counts, in the answer's language
    value: float
    display: str  # as the source writes it
    unit: str
    kind: str  # actual, target, growth...
    year: int | None
    fact: str  # the fact it comes from


@dataclass(frozen=True, slots=True)
class Answer:
    """What a user sees for one question.

    `kind` is one of: match, entity, compare, source, greeting, thanks, help, empty, too-long,
    no-match. `lead` is the answer line, `facts` the supporting facts with one-line sources and
    `note` a plain-words caveat; `text` renders them all as plain text. `candidates` are the
    best-ranked fact ids with their scores (and the best about each subject named) and
    `confidence` the share of the question the best fact matched, for curators studying what the
    bot could not answer.
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
    figures: tuple[Figure, ...] = ()  # a comparison's figures of one measure, for a chart
    read_as: str = ""  # how a follow-up was read ('Hangzhou three-year plan:'), when context filled it in
    context: Context | None = None  # what the next message may lean on (see bot.engine.followup)


def respond(index: SearchIndex, text: str, prefer: tuple[str, ...] = ()) -> Answer:
    """Answers one question from the index; any string in, an Answer out. Facts in `prefer` (the
    last answer's, for a follow-up) come first among those that answer it."""
    question = unicodedata.normalize("NFC", text or "").strip()
    language = "zh" if has_cjk(question) else "en"
    if not any(ch.isalpha() for ch in question):  # nothing to read but figures and signs ('-5')
        return _declined(index, question, language, "empty", wording.message(language, "empty"), ())
    if len(question) > MAX_QUESTION:
        message = wording.message(language, "too-long").format(limit=MAX_QUESTION)
        return _declined(index, question, language, "too-long", message, ())
    reading = read(index, question)
    if reading.chitchat:
        return _greeting(index, question, language, reading.chitchat)
    if reading.query.rambling and not reading.query.mentions:
        return _declined(index, question, language, "no-match", wording.message(language, "no-match"), ())
    hits = index.search(reading.query, limit=RANKED)
    if prefer:
        order = {fact: k for k, fact in enumerate(prefer)}  # the last answer's facts as it showed them, first
        hits = sorted(hits, key=lambda h: order.get(h.fact.id, len(order)))  # a stable sort: otherwise as ranked
    answer = compose(index, reading, decide(index, reading, hits))
    return replace(
        answer, candidates=_candidates(index, reading, hits), confidence=round(hits[0].coverage, 3) if hits else 0.0
    )


def _candidates(index: SearchIndex, reading: Reading, hits: list[Hit]) -> tuple[tuple[str, float], ...]:
    """The best-ranked facts, and the best about each subject the question names when none of
    those is: what a curator studying the question wants to see."""
    chosen = hits[:CANDIDATES]
    for entity in reading.subjects:
        concerning = index.concerning(entity)
        if not any(h.fact.id in concerning for h in chosen):
            chosen += [h for h in hits if h.fact.id in concerning][:1]
    return tuple((h.fact.id, round(h.score, 3)) for h in chosen)


def compose(index: SearchIndex, reading: Reading, decision: Decision) -> Answer:
    """The Answer a decision comes to, worded in the question's language."""
    language = reading.language
    if decision.kind == "entity" and decision.entity is not None:
        return entity_answer(index, decision.entity, language, reading.question)
    if decision.kind == "declined":
        return _declined(
            index, reading.question, language, "no-match", decision.message, decision.held, decision.subjects
        )
    facts = [h.fact for h in decision.hits]
    if decision.kind == "name" and decision.entity is not None:
        lead = leads.name_line(index.kb, decision.entity, facts[0], language)
        return _build(index, reading.question, language, "match", lead, facts)
    if decision.kind == "order":
        facts.sort(key=lambda f: order.happened(index.kb, f))
        lead = order.order_line(index.kb, [(index.kb.entities[f.about[0]], f) for f in facts], language)
        return _build(index, reading.question, language, "match", lead, facts)
    lead = leads.lead_line(index.kb, reading, decision.kind, facts)
    claim = leads.compared_claim(reading, facts) if decision.kind == "compare" else None
    if claim is not None:  # 'is that more than guangzhou's?': yes or no, then the two side by side
        decision = replace(decision, confirmed=claim, corrected=not claim)
    if decision.confirmed or decision.corrected:  # 'Yes' or 'No', then the day or figure the fact gives
        lead = lead or leads.given_line(index.kb, reading, facts[0], premise.claims(reading, index.vocabulary))
        caveat = facts[0].caveat_zh if language == "zh" else facts[0].caveat
        hedged = decision.confirmed and reading.asks("now") and caveat  # 'is it an official job now?'
        said = wording.message(language, "yes-caveat" if hedged else "yes" if decision.confirmed else "no")
        lead = said + (f"{wording.message(language, 'yes-then')}{lead}" if lead else "")
    notes = [wording.missing_parts(decision.missing, language)] if decision.missing else []
    if reading.asks("now"):  # 'what is the village trying to become now': as the article tells it
        notes.append(wording.message(language, "as-of"))
    built = _build(index, reading.question, language, decision.kind, lead, facts, notes=tuple(notes))
    if decision.kind == "compare":
        return replace(built, figures=figures(index, leads.compared(reading, facts), language))
    return built


def figures(index: SearchIndex, sides: leads.Sides, language: str) -> tuple[Figure, ...]:
    """The compared figures as a chart draws them: each owner's figure of each measure."""
    kb = index.kb
    found = []
    for measure_id, group in sides.items():
        label = wording.measure_label(kb, measure_id, language)
        for owner, number, fact in group:
            name = wording.short_name(kb.entities[owner], language)
            shown = wording.figure(number, language)
            found.append(Figure(name, label, number.value, shown, number.unit, number.kind, number.year, fact.id))
    return tuple(found)


def compare_entities(index: SearchIndex, first: Entity, second: Entity, language: str) -> Answer:
    """Every measure two entities both have figures of, side by side, from the facts that give them
    ('/compare guangzhou hangzhou': the two plans' targets); declined when they share none."""
    chosen: list[Fact] = []
    measures = []
    for entity in (first, second):
        facts = [f for f in index.facts_about_all(entity) if any(n.kind != "rank" for n in f.numbers)]
        measures.append({n.measure for f in facts for n in f.numbers if n.kind != "rank"})
        chosen += facts
    shared = measures[0] & measures[1]
    facts = _covering(chosen, shared)
    names = f"{wording.entity_name(first, language)}, {wording.entity_name(second, language)}"
    if not shared:
        message = wording.message(language, "nothing-shared").format(names=names)
        return _declined(index, names, language, "no-match", message, tuple(chosen[:3]), (first, second))
    reading = read(index, names)
    lead = leads.comparison_line(index.kb, reading, facts)
    built = _build(index, names, language, "compare", lead, facts, entities=(first.id, second.id))
    return replace(built, figures=figures(index, leads.compared(reading, facts), language))


def _covering(facts: list[Fact], measures: set[str]) -> list[Fact]:
    """The fewest facts, in order, that give every owner's figure of every shared measure."""
    needed = {(n.measure, n.entity or f.about[0]) for f in facts for n in f.numbers if n.measure in measures}
    chosen: list[Fact] = []
    for fact in sorted(facts, key=lambda f: -sum(n.measure in measures for n in f.numbers)):
        gives = {(n.measure, n.entity or fact.about[0]) for n in fact.numbers} & needed
        if gives:
            chosen.append(fact)
            needed -= gives
    return chosen


def entity_answer(index: SearchIndex, entity: Entity, language: str, question: str = "") -> Answer:
    """An entity's description and its main facts."""
    facts = index.facts_about(entity.id)[:ENTITY_FACTS]
    zh = language == "zh"
    name = wording.entity_name(entity, language)
    description = (entity.description_zh if zh else None) or entity.description or ""
    both = f"{name} ({entity.name_zh})" if not zh and entity.name_zh else name  # Ximalaya (喜马拉雅)
    lead = f"{name}：{description}" if zh else f"{both}: {description}" if description else both
    if not facts:
        message = wording.message(language, "nothing-on").format(names=name)
        return _declined(index, question, language, "no-match", message, (), (entity,))
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
    """The full source record of one fact, for a reader who wants to look it up."""
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
    notes: tuple[str, ...] = (),
) -> Answer:
    kb = index.kb
    shown = tuple(
        ShownFact(f.id, wording.fact_text(f, language), wording.short_cite(kb, f.source, language)) for f in facts
    )
    about = entities or tuple(dict.fromkeys(e for f in facts for e in f.about[:1]))
    related = [e for f in facts for e in f.about if e not in about]
    suggestions = tuple(Suggestion(wording.entity_name(kb.entities[e], language), e) for e in dict.fromkeys(related))[
        :3
    ]
    caveats = tuple(c for c in (wording.caveat(f, language) for f in facts[:1]) if c)
    note = " ".join(notes + caveats)
    text = render(lead, shown, note, language)
    return Answer(question, True, kind, language, lead, shown, suggestions, about, note, text)


def _declined(
    index: SearchIndex,
    question: str,
    language: str,
    kind: str,
    message: str,
    held: tuple[Fact, ...] | tuple[()],
    entities: tuple[Entity, ...] | tuple[()] = (),
) -> Answer:
    suggestions = [Suggestion(label, f.id) for f, label in zip(held[:3], _labels(index, held[:3], language))]
    if not suggestions and kind not in ("too-long",):
        suggestions = [Suggestion(wording.entity_name(e, language), e.id) for e in popular(index)[:3]]
    lines = [message]
    if suggestions and kind not in ("too-long",):
        lines.append(wording.message(language, "suggest" if held else "suggest-topics"))
        lines.extend(f"• {s.label}" for s in suggestions)
    text = "\n".join(lines)
    ids = tuple(e.id for e in entities)
    return Answer(question, False, kind, language, message, (), tuple(suggestions), ids, "", text)


def _labels(index: SearchIndex, facts: tuple[Fact, ...], language: str) -> list[str]:
    """A short label per fact that tells it from the others: its figure and what it counts when it
    gives one ('Guangzhou plan — MCN agencies cultivated: 100'), else the start of its text past
    the words all of them open with ('By 2022, the Guangzhou ... Action Plan aims to')."""
    texts = [wording.fact_text(f, language) for f in facts]
    shared = _shared_opening(texts) if len(texts) > 1 else ""
    return [
        wording.short(leads.figure_line(index.kb, f, f.numbers[:1], language), FIGURE_LABEL)
        if f.numbers
        else wording.short(f"…{text[len(shared) :]}" if len(shared) >= SHARED_OPENING else text)
        for f, text in zip(facts, texts)
    ]


def _shared_opening(texts: list[str]) -> str:
    """The words every text opens with (characters, for Chinese)."""
    length = next((i for i, chars in enumerate(zip(*texts)) if len(set(chars)) > 1), min(map(len, texts)))
    shared = texts[0][:length]
    if not has_cjk(shared) and any(len(t) > length and t[length] != " " for t in texts):
        shared = shared[: shared.rfind(" ") + 1]  # whole words only
    return shared


def render(lead: str, shown: tuple[ShownFact, ...], note: str, language: str) -> str:
    """The plain-text reply: the answer line first (the first fact itself when no shorter line was
    made), then the supporting facts, each with its one-line source, then any caveat."""
    label = "来源：" if language == "zh" else "Source: "
    blocks = [lead] if lead else []
    rest = list(shown) if lead else list(shown[1:])
    if not lead and shown:
        blocks.append(f"{shown[0].text}\n  {label}{shown[0].source}")
    bullet = "• " if len(shown) > 1 else ""
    blocks += [f"{bullet}{fact.text}\n  {label}{fact.source}" for fact in rest]
    if note:
        blocks.append(note)
    return "\n\n".join(blocks)


def declined(index: SearchIndex, question: str, language: str, message: str) -> Answer:
    """A declined answer with a message of the caller's, suggesting popular topics."""
    return _declined(index, question, language, "no-match", message, ())


def greeting(index: SearchIndex, language: str, kind: str = "greeting") -> Answer:
    """The greeting (or help) in a language, as a first-time user sees it."""
    return _greeting(index, "", language, kind)


def _greeting(index: SearchIndex, question: str, language: str, kind: str = "greeting") -> Answer:
    counts = index.kb.counts()
    intro = wording.message(language, kind).format(facts=counts["facts"], sources=counts["sources"])
    if kind == "thanks":
        return Answer(question, False, kind, language, intro, (), (), (), "", intro)
    examples = EXAMPLES_ZH if language == "zh" else EXAMPLES_EN
    text = intro + "\n" + "\n".join(f"• {e}" for e in examples)
    suggestions = tuple(Suggestion(wording.entity_name(e, language), e.id) for e in popular(index)[:4])
    return Answer(question, False, kind, language, intro, (), suggestions, (), "", text)


def popular(index: SearchIndex) -> list[Entity]:
    """Entities with the most facts about them, the ones a newcomer most likely wants."""
    counts = {e: len(ids) for e, ids in index.by_entity.items()}
    ranked = sorted(index.kb.entities.values(), key=lambda e: -counts.get(e.id, 0))
    return [e for e in ranked if counts.get(e.id)]
