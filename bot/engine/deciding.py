"""Deciding what to answer: the facts that hold what a question asks, or an honest decline. Pure.

`decide(index, reading, hits)` takes the ranked facts through named steps:
1. scope: names, years, editions, times and outcomes the knowledge cannot speak to (bot.engine.scope);
2. subjects: only facts about the entities the question names;
3. grounding: of those, only facts that hold the asked attribute (bot.engine.grounding); when none
   does, a decline that says what the knowledge holds for the subjects instead;
4. relevance: the best of those must match what the question asks beyond naming its subjects;
5. shape: one fact and close runners-up, a fact per part of a many-part question, or the sides of a
   comparison.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from bot.engine import grounding, leads, order, premise, wording
from bot.engine.reading import SUBJECT_SCORE, Reading, overview_entity, read, says_nothing
from bot.engine.scope import out_of_scope
from bot.engine.search import Hit, SearchIndex
from bot.engine.text import blanked, terms
from bot.knowledge import Entity, Fact

ASKED_COVERAGE = 0.5  # a fact must match this share of what the question asks beyond its subjects
GROUNDED_COVERAGE = 0.25  # or this share, when it holds an attribute its structure shows (a date, a figure)
MIN_SCORE = 0.25  # and rank at least this well
MARGIN = 0.7  # further facts are shown while they score this close to the best one
NEIGHBOUR_SHARE = 0.8  # a grounded fact matching less than this share of the best-matching one is a neighbour
NEIGHBOURHOOD = 5  # the best-ranked facts in which the best match is looked for
RANKED_SHARE = 0.8  # a ranking leads a superlative's answer if it matches this much of what the best does
MAX_FACTS = 3
REFUTING = 3  # a yes-or-no question no fact answers is said no to by one of this many best, if any
CONFIRMING = 0.75  # a yes-or-no question is said yes to when its fact matches this share of what it asks
RUNNER_UP = 0.6  # a runner-up must match this share of what the best one matches of the question
MAX_PARTS = 4
RANKING = frozenset({"superlative", "rank"})
BARE_WORDS = 3  # a part this short that names and asks nothing continues a noun phrase ('flower and plant industry')
ASKING_WORDS = tuple(w for w in grounding.QUESTION_WORDS if w != "name")  # 'names?' only qualifies a question
NAMED_KINDS = frozenset({"plan", "report", "event"})  # whose full names people ask for
INHERITED = frozenset("date deadline figure amount money which who name source growth compare superlative".split())
CLAUSE_RE = re.compile(  # a thousands comma ('4,000 cars') joins no clauses
    r"\s*(?:[;；，、?？]|,(?!\d{3}))\s*|\s+(?:and|or|plus|as well as)\s+|还是|以及|或者|并且|另外|还有"
)


@dataclass(frozen=True, slots=True)
class Decision:
    """What to answer: the kind of reply, the facts to show, or a decline's message and what the
    knowledge holds nearby."""

    kind: str  # match, compare, source, name, entity, declined
    hits: tuple[Hit, ...] = ()
    message: str = ""
    held: tuple[Fact, ...] = ()
    entity: Entity | None = None
    subjects: tuple[Entity, ...] = ()
    missing: tuple[str, ...] = ()  # parts of a many-part question the knowledge cannot answer
    confirmed: bool = False  # a yes-or-no question the first fact says yes to
    corrected: bool = False  # a yes-or-no question whose day or figure the first fact gives otherwise


def decide(index: SearchIndex, reading: Reading, hits: list[Hit]) -> Decision:
    """The decision for one read question and its ranked facts."""
    subjects = _narrowest(index, reading)  # the places, companies, plans... named: an answer must be about one
    refusal = out_of_scope(index, reading)
    if refusal:
        return Decision("declined", message=refusal, held=_near(index, subjects, hits), subjects=subjects)
    entity = overview_entity(reading)
    if entity is None and reading.asks("chinese-name") and len(subjects) == 1:
        entity = subjects[0]  # "what's ximalaya called in chinese": its overview gives both names
    if entity is not None:
        return Decision("entity", entity=entity, subjects=(entity,))
    if reading.asks("author") and subjects:  # 'who wrote the magazine's article'
        written = _author(index, reading, hits, subjects)
        if written is not None:
            return written
    own = _own_source(index, reading)
    if own is not None:
        return Decision("source", hits=(Hit(own, 1.0, 1.0),))
    hits = _left_in(index, reading, hits)
    pool = about(index, hits, subjects)
    if subjects and not pool:
        names = ", ".join(wording.entity_name(e, reading.language) for e in subjects)
        message = wording.message(reading.language, "nothing-on").format(names=names)
        return Decision("declined", message=message, held=_near(index, subjects, hits), subjects=subjects)
    ordered = _ordered(reading, subjects) if _orders(reading) else ()
    if len(ordered) >= 2:  # "which came first, guangzhou's plan or hangzhou's base"
        sides = _in_order(index, reading, hits, ordered)
        if sides:
            return Decision("order", hits=tuple(sides), subjects=ordered)
    named = _name_of(index, reading, pool)
    if named is not None:
        return named
    if _sets_against(reading):
        sides = _sides(index, reading, hits, subjects)
        if sides:
            return Decision("compare", hits=tuple(sides), subjects=subjects)
    found = answer_hits(index, reading, pool)
    parts = _clauses(index, reading.question)
    if len(parts) > 1 and (not found or _asks_apart(index, reading, parts)):
        decision = _parts(index, reading, parts, subjects)
        if len(decision.hits) > 1 or (decision.hits and not found):
            return decision
    if not found and len(subjects) >= 2:
        each = _sides(index, reading, hits, subjects, relax=False)
        if each:
            return Decision("match", hits=tuple(each), subjects=subjects)
    if found and not reading.yes_no:
        found = _of_the_days(index, reading, found)
    if not found and reading.yes_no:  # 'was it in june?': a fact that gives another month says no
        checked = _checked(index, reading, pool[:REFUTING], subjects)
        if checked is not None:
            return checked
    if not found:
        grounded = any(grounding.holds(index, reading, h.fact) for h in pool)
        return _missing(index, reading, pool, subjects, grounded)
    if reading.asks("compare") and not subjects:
        pair = _same_measure_pair(reading, pool)
        if pair:
            return Decision("compare", hits=tuple(pair), subjects=subjects)
    kind = "source" if reading.asks("source") else "match"
    chosen = tuple(select(index, reading, found, subjects, reading.measures))
    checked = _checked(index, reading, list(chosen), subjects)
    return replace(checked, kind=kind) if checked is not None else Decision(kind, hits=chosen, subjects=subjects)


DATED_KINDS = frozenset({"occupation"})  # named things whose day is the day they were announced
OWNED = frozenset({"plan", "event", "report"})  # what a place or company has: 'Shanghai's plan'
OWNERS = frozenset({"city", "province", "district", "village"})


def _narrowest(index: SearchIndex, reading: Reading) -> tuple[Entity, ...]:
    """'When did Shanghai release its online economy plan?' is about the plan, not all of
    Shanghai: when a question names a plan, event or report beside the place whose
    facts hold all of its own, and nothing else, the answer must be about the plan. A festival
    named beside another city ('Hangzhou's goal vs the festival') is a second subject. A platform
    named beside a place whose figure is asked, not set against it, says where the place's figures
    come from: the answer is the place's."""
    subjects = reading.subjects
    places = [e for e in subjects if e.kind in OWNERS]
    setting = not reading.asks("compare", "superlative", "rank")  # 'Ximalaya or Shanghai's online shopping?'
    counting = bool(reading.measures) and setting  # 'taobao live anchors in shanghai': Shanghai's figure
    if places and counting and any(e.kind == "platform" for e in subjects):
        subjects = tuple(e for e in subjects if e.kind != "platform")
    owned = [e for e in subjects if e.kind in OWNED]
    owners = [e for e in subjects if e not in owned]
    if not owned or not owners or any(e.kind not in OWNERS for e in owners):
        return subjects
    within = all(index.concerning(o) <= index.concerning(p) for o in owned for p in owners)
    return tuple(owned) if within else subjects


def _author(index: SearchIndex, reading: Reading, hits: list[Hit], subjects: tuple[Entity, ...]) -> Decision | None:
    """'Who wrote the Internet Communication Magazine article?': the author of the source the
    subject's best fact comes from, or a decline saying the source names none."""
    pool = about(index, hits, subjects)
    if not pool:
        return None
    source = index.kb.sources[pool[0].fact.source]
    if source.author:
        return Decision("source", hits=tuple(pool[:1]), subjects=subjects)
    title = (source.title_zh if reading.language == "zh" else None) or source.title
    message = wording.message(reading.language, "no-author").format(title=f"“{title}”")
    return Decision("declined", message=message, held=tuple(h.fact for h in pool[:3]), subjects=subjects)


def _own_source(index: SearchIndex, reading: Reading) -> Fact | None:
    """'Who reported this?', 'where's this from?', 'which paper ran this?': a question after a
    source that names nothing else asks where the knowledge itself comes from, and is answered
    by the article's own byline: the fact from the article that every other source comes through,
    about its author."""
    sourcing = reading.asks("source", "publish", "author") or reading.asked_kind == "media"
    if reading.subjects or reading.query.outside or not sourcing:
        return None
    asking = grounding.asking_terms(reading)
    if any(s.known and s.term not in asking for s in reading.query.slots):
        return None
    kb = index.kb
    for source in kb.sources.values():
        if source.kind == "article" and not source.via and source.author:
            authors = {e.id for e in kb.entities.values() if source.author in (e.name, e.name_zh)}
            for fact in kb.facts:
                if fact.source == source.id and authors & set(fact.about):
                    return fact
    return None


def _name_of(index: SearchIndex, reading: Reading, pool: list[Hit]) -> Decision | None:
    """'What is X's full name?': the name of a plan, report or event the question names, with the
    fact that best shows it."""
    if not reading.asks("name") or reading.asks("date", "figure") or reading.asked_kind:
        return None
    for entity in reading.subjects:
        if entity.kind in NAMED_KINDS and entity.titled:
            mine = [h for h in pool if h.fact.id in index.concerning(entity)]
            if mine:
                return Decision("name", hits=(mine[0],), entity=entity, subjects=(entity,))
    return None


def _sets_against(reading: Reading) -> bool:
    """True when a question sets its subjects against each other: it compares two or more, or asks
    which of two or more of one kind leads ('which city leads: Shanghai, Hangzhou or Guangzhou?')."""
    subjects = reading.subjects
    if reading.asks("compare") and len(subjects) >= 2:
        return True
    kinds = [e.kind for e in subjects]
    return reading.asks("superlative", "rank") and any(kinds.count(k) >= 2 for k in kinds)


def _asks_apart(index: SearchIndex, reading: Reading, parts: list[str]) -> bool:
    """True when the parts of a question ask different things ('how long was it, and how many people
    tuned in?') or set several things against each other without naming them as subjects."""
    if reading.asks("compare") and len(reading.subjects) < 2:
        return True
    asking = sum(1 for part in parts if _asks_a_question(read(index, part)))
    return asking > 1


def _asks_a_question(part: Reading) -> bool:
    """True if a part asks something: a question word, or a yes-or-no question; 'the village that was
    famous for ...' only describes what the next part asks about."""
    asked = part.asks(*(w for w in grounding.QUESTION_WORDS if w != "yesno"))
    return asked or (part.yes_no and _asks_more_than_names(part))  # not 'do hangzhou' of 'do hangzhou and gz ...'


def about(index: SearchIndex, hits: list[Hit], subjects: tuple[Entity, ...]) -> list[Hit]:
    """The hits about one of the subjects (or a place inside one, or from a source that is one)."""
    if not subjects:
        return hits
    return [h for h in hits if any(h.fact.id in index.concerning(e) for e in subjects)]


def _left_in(index: SearchIndex, reading: Reading, hits: list[Hit]) -> list[Hit]:
    """The hits a 'besides X' does not leave out: not about X when X is of the kind asked ('besides
    Shanghai's, which city's plan'), and not giving only figures of a measure left out ('besides
    broadcast numbers')."""
    if not reading.excluded and not reading.left_measures:
        return hits
    left = {f for e in reading.excluded for f in index.concerning(e)}
    return [
        h
        for h in hits
        if h.fact.id not in left
        and not (h.fact.numbers and all(n.measure in reading.left_measures for n in h.fact.numbers))
    ]


def answer_hits(index: SearchIndex, reading: Reading, pool: list[Hit], *, loose: bool = False) -> list[Hit]:
    """The hits that hold the asked attribute and match enough of what is asked, best first; loose,
    as one side of a comparison, a grounded hit needs to match less."""
    grounded = [h for h in pool if grounding.holds(index, reading, h.fact)]
    if not grounded and reading.asked_count:  # 'which two jiangsu cities': one fact about each
        each = replace(reading, asked_count=None)
        grounded = [h for h in pool if grounding.holds(index, each, h.fact)]
    if grounded and grounding.keyword_only(reading) and reading.measures:
        grounded = [h for h in pool if h in grounded or not h.fact.numbers]  # 'may 11 new occupations'
    relevant = [h for h in grounded if _relevant(index, reading, h, loose=loose)]
    if relevant and not loose:
        relevant = _not_neighbours(index, reading, pool, relevant)
    if reading.asks("date") and reading.asks("figure"):  # "when were the results out": of the facts with figures
        relevant = sorted(relevant, key=lambda h: not h.fact.numbers)
    if reading.asks("where") and not reading.asked_kind:
        relevant = sorted(relevant, key=lambda h: -_place_detail(index, reading, h.fact))
    if reading.asks("who") and not reading.asked_kind and not reading.asks("source"):
        agents = [h for h in relevant if _names_kind(index, reading, h.fact, leads.AGENT_KINDS)]
        relevant = agents + [h for h in relevant if h not in agents]
    if reading.asks("superlative", "rank") and relevant:  # "leads" is asked, not what "leading anchors" match
        best = _matched(index, reading, relevant[0])
        ranked = [
            h
            for h in relevant
            if any(n.kind == "rank" for n in h.fact.numbers) and _matched(index, reading, h) >= RANKED_SHARE * best
        ]
        relevant = ranked or relevant
    return relevant


def _not_neighbours(index: SearchIndex, reading: Reading, pool: list[Hit], relevant: list[Hit]) -> list[Hit]:
    """The grounded hits that are about what the question asks. When the fact that matches the
    question best lacks the asked attribute ('when did the State Council commend Yiwu?': the
    commendation is not dated), a grounded fact that matches clearly less is a neighbour (Yiwu's
    certificates, dated May 8), not the answer."""
    if not reading.asks("date", "deadline", "who") and not reading.asked_kind:
        return relevant  # a figure's measure says what it is about; a date or a name does not
    best = max(pool[:NEIGHBOURHOOD], key=lambda h: _matched(index, reading, h))
    if best in relevant:
        return relevant
    bar = NEIGHBOUR_SHARE * _matched(index, reading, best)
    same = best.fact.source  # facts from one report of one event are not each other's neighbours
    return [h for h in relevant if h.fact.source == same or _matched(index, reading, h) >= bar]


def _matched(index: SearchIndex, reading: Reading, hit: Hit) -> float:
    """How much of what the question asks a fact matches, a superlative's own words apart: 'led'
    asks for the first, whichever fact happens to write 'leading'."""
    return grounding.asked_coverage(index, reading, hit, also=RANKING)


PLACE_DETAIL = {"country": 1, "province": 2, "city": 3, "district": 4, "village": 4}


def _place_detail(index: SearchIndex, reading: Reading, fact: Fact) -> int:
    """How precisely a fact names a place other than the question's subjects: a district or a
    village answers 'where' better than the city all the facts share."""
    subjects = {e.id for e in reading.subjects}
    kinds = [index.kb.entities[e].kind for e in fact.about if e not in subjects]
    return max((PLACE_DETAIL.get(kind, 0) for kind in kinds), default=0)


def _names_kind(index: SearchIndex, reading: Reading, fact: Fact, kinds: frozenset[str]) -> bool:
    """True if a fact is about an entity of one of the kinds, other than the question's subjects."""
    subjects = {e.id for e in reading.subjects}
    return any(index.kb.entities[e].kind in kinds for e in fact.about if e not in subjects)


def _relevant(index: SearchIndex, reading: Reading, hit: Hit, *, loose: bool = False) -> bool:
    """True if a grounded fact matches enough of the question: half of what it asks beyond naming
    its subjects, or, when it holds an attribute its structure shows, a quarter of the words the
    knowledge knows."""
    if hit.score < MIN_SCORE:
        return False
    ranked = reading.asks("superlative", "rank") and any(n.kind == "rank" for n in hit.fact.numbers)
    if loose or ranked or grounding.structural(reading):
        return grounding.asked_coverage(index, reading, hit, known_only=True) >= GROUNDED_COVERAGE
    return grounding.asked_coverage(index, reading, hit) >= ASKED_COVERAGE


def select(
    index: SearchIndex, reading: Reading, found: list[Hit], subjects: tuple[Entity, ...], measures: tuple[str, ...] = ()
) -> list[Hit]:
    """The best hit, the best for each further subject and each further measure the question
    names ('pre-sales and audience figures'), then close runners-up that match as much of the
    question and add something: a runner-up repeating the figures already shown is left out."""
    top = found[0]
    chosen = [top]
    for entity in subjects:
        if not any(entity.id in h.fact.about for h in chosen):
            best = next((h for h in found if entity.id in h.fact.about), None)
            if best is not None:
                chosen.append(best)
    for measure in measures:
        if not any(n.measure == measure for h in chosen for n in h.fact.numbers):
            best = next((h for h in found if any(n.measure == measure for n in h.fact.numbers)), None)
            if best is not None:
                chosen.append(best)
    matched = grounding.asked_coverage(index, reading, top)
    for hit in found[1:]:
        if len(chosen) >= MAX_FACTS:
            break
        close = hit.score >= MARGIN * top.score and grounding.asked_coverage(index, reading, hit) >= RUNNER_UP * matched
        if hit not in chosen and close and not _repeats(reading, hit, chosen):
            chosen.append(hit)
    return chosen[: max(MAX_FACTS, len(subjects))]


def _repeats(reading: Reading, hit: Hit, chosen: list[Hit]) -> bool:
    """True if every figure a hit gives to the question is already among the chosen hits'."""

    def figures(h: Hit) -> set[tuple[str, str | None, float]]:
        return {(n.measure, n.entity, n.value) for n in grounding.answering_numbers(reading, h.fact)}

    mine = figures(hit)
    return bool(mine) and mine <= set().union(*(figures(h) for h in chosen))


def _orders(reading: Reading) -> bool:
    """True for 'which came first, X or Y'; not for 'which came first in anchors', a first place
    in something."""
    if not reading.asks("order") or reading.asks("rank"):
        return False
    cues = [f for f in reading.found if f.means == "order"]
    return not any(_FIRST_IN.match(reading.norm, f.end) for f in cues)


def _ordered(reading: Reading, subjects: tuple[Entity, ...]) -> tuple[Entity, ...]:
    """What a 'which came first' question sets in order: its subjects, and the occupations it names
    (the Live Salesman came the day it was announced)."""
    named = (m.entity for m in reading.query.mentions if m.score >= SUBJECT_SCORE and m.entity.kind in DATED_KINDS)
    return tuple(dict.fromkeys((*subjects, *named)))


def _in_order(index: SearchIndex, reading: Reading, hits: list[Hit], subjects: tuple[Entity, ...]) -> list[Hit]:
    """For 'which came first': each subject's best-ranked fact that writes the day its thing
    happened, a subject inside another standing for it ('Shanghai's plan', not all of Shanghai);
    none unless every subject has one."""
    distinct = [e for e in subjects if not any(index.concerning(o) < index.concerning(e) for o in subjects)]
    dating = replace(reading, cues=(reading.cues - {"span"}) | {"date"})  # 'started before': the day it began
    chosen: list[Hit] = []
    for entity in distinct:
        others = tuple(e for e in distinct if e.id != entity.id)
        pool = [h for h in about(index, hits, (entity,)) if grounding.dated(index, dating, h.fact)]
        own = [h for h in pool if not about(index, [h], others)] or pool
        best = next((h for h in own if order.written_dates(h.fact)), own[0] if own else None)
        if best is None or best in chosen:
            return []
        chosen.append(best)
    return chosen if len(chosen) >= 2 else []


def _sides(
    index: SearchIndex, reading: Reading, hits: list[Hit], subjects: tuple[Entity, ...], *, relax: bool = True
) -> list[Hit]:
    """For a comparison of named subjects: each subject's best fact holding the asked attribute,
    preferring facts whose figures measure what the other sides' do."""
    per_side: list[list[Hit]] = []
    for entity in subjects:
        others = tuple(e for e in subjects if e.id != entity.id)
        pool = about(index, hits, (entity,))
        mine = answer_hits(index, reading, pool, loose=True)
        if relax and not mine:  # the measure named may be one side's only ('online shopping or Ximalaya')
            mine = answer_hits(index, replace(reading, measures=()), pool, loose=True)
        own = [h for h in mine if not about(index, [h], others)] or mine
        figured = [h for h in own if grounding.answering_numbers(reading, h.fact)]
        if not own:
            return []
        per_side.append(figured or own)
    measures = [{n.measure for h in side for n in h.fact.numbers} for side in per_side]
    shared = set.intersection(*measures) if measures else set()
    chosen: list[Hit] = []
    for side in per_side:
        best = max(side, key=lambda h: (len({n.measure for n in h.fact.numbers} & shared), h.score))
        if best not in chosen:
            chosen.append(best)
    return chosen


def _same_measure_pair(reading: Reading, pool: list[Hit]) -> list[Hit]:
    """For a comparison naming no subjects ('which plan trains more people?'): the best fact and the
    best other fact with a figure of the same measure, so the two can be set side by side."""
    top = pool[0]
    figures = {(n.measure, n.entity or top.fact.about[0]) for n in grounding.answering_numbers(reading, top.fact)}
    for hit in pool[1:8]:
        theirs = {(n.measure, n.entity or hit.fact.about[0]) for n in hit.fact.numbers}
        if any(m == mine and o != owner for m, o in theirs for mine, owner in figures):
            return [top, hit]
    return []


def _parts(index: SearchIndex, reading: Reading, parts: list[str], subjects: tuple[Entity, ...]) -> Decision:
    """A many-part question ('when and how many', 'X, Y and Z'): each part answered on its own. A
    part asks what the whole question asks when it has no question word of its own, and a part that
    only names something ('..., and Ximalaya?') borrows the rest of the first part's words, and a
    part naming nothing borrows the subjects no later part names as its own ('in Shanghai, what grew
    more: parcels or online shopping' but not 'talent demand or Shanghai's online shopping')."""
    context = _shared_words(reading, parts)
    owned = {e.id for part in parts[1:] for e in read(index, part).subjects}
    shared = tuple(e for e in subjects if e.id not in owned)
    shown: list[Hit] = []
    missing: list[str] = []
    if reading.asks("compare", "superlative"):
        items = [p for p in parts if read(index, p).measures]
        parts = items if len(items) >= 2 else parts  # 'what went up more, parcels or online shopping'
    for part in parts[:MAX_PARTS]:
        part_reading = read(index, part)
        if not _asks_more_than_names(part_reading):
            if not context.strip():
                continue  # 'Shenzhen, what does it rank first in?': the name is the other parts' subject
            part_reading = read(index, f"{part} {context}")
        if not part_reading.asks(*grounding.QUESTION_WORDS):
            part_reading = replace(part_reading, cues=part_reading.cues | (reading.cues & INHERITED))
        if not (part_reading.subjects or part_reading.measures or part_reading.asks(*grounding.QUESTION_WORDS)):
            continue  # a part that names nothing known ('..., gz or hz') cannot be answered on its own
        part_subjects = part_reading.subjects or shared
        query = part_reading.query
        if not part_reading.subjects and shared and part_reading.asks("pronoun"):
            names = (wording.entity_name(e, reading.language) for e in shared)  # 'and where's it going to be'
            query = read(index, " ".join([part, *names])).query
        pool = about(index, index.search(query, limit=10), part_subjects)
        found = answer_hits(index, part_reading, pool)
        if not found:
            missing.append(part.strip())
        elif all(h.fact.id != found[0].fact.id for h in shown):  # a fact answering two parts is shown once
            shown.append(found[0])
    kind = "compare" if reading.asks("compare", "superlative") and len(shown) > 1 else "match"
    return Decision(kind, hits=tuple(shown), subjects=subjects, missing=tuple(missing) if shown else ())


_UNIT_PHRASE = re.compile(r"\s*(?:in|by|as)\s")
_FIRST_IN = re.compile(r"\s+(?:in|for|on|by|among)\b")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_MONTH = re.compile(r"\b(" + "|".join(wording.MONTHS).lower() + r")\b")


def _of_the_days(index: SearchIndex, reading: Reading, hits: list[Hit]) -> list[Hit]:
    """The hits not of other months than the question names: 'and in april?' after the parcels a
    day since March 15 asks for a figure the article does not give, not that one again."""
    days = tuple(d for d in premise.claims(reading, index.vocabulary).days if not d[1])  # 'may 5th' may be a name
    if not days:
        return hits
    return [h for h in hits if premise.verdict(premise.Claims(days=days), h.fact) != "no"]


def _checked(index: SearchIndex, reading: Reading, hits: list[Hit], subjects: tuple[Entity, ...]) -> Decision | None:
    """A yes-or-no question's answer from the first of the facts that says yes or no to it ('that
    was on may 5, right?': the stream on May 4, past the festival announced 'in May')."""
    if not reading.yes_no:
        return None
    claimed = premise.claims(reading, index.vocabulary)
    if reading.asks("compare") and not claimed.figures:
        return None  # 'are the two the same?' is no question one fact says yes to; 'more than 500 million?' is
    said = ((h, _said_of(index, reading, h, claimed)) for h in hits)
    best, verdict = next(((h, s) for h, s in said if s), (None, ""))
    if best is None:
        return None
    rest = tuple(h for h in hits if h is not best)
    yes = verdict == "yes"
    return Decision("match", hits=(best, *rest), subjects=subjects, confirmed=yes, corrected=not yes)


def _said_of(index: SearchIndex, reading: Reading, hit: Hit, claimed: premise.Claims) -> str:
    """'yes' if a yes-or-no question is one the fact says yes to, 'no' if the fact gives its day or
    figure otherwise ('the stream was on may 5, right?' of the stream on May 4), else ''.

    Either needs the fact to match nearly all the question asks besides that day or figure, with no
    word the knowledge never uses, and of the same polarity. A yes to a question whose day or
    figure the fact does not give needs every number and month it writes to be the fact's own."""
    said = premise.verdict(claimed, hit.fact) if claimed else ""
    written = frozenset(terms(" ".join(reading.norm[s:e] for s, e in claimed.spans))) if said else frozenset()
    if set(reading.query.unknown) - grounding.asking_terms(reading) - written:
        return ""  # a word the knowledge never uses ('just a covid bubble?') is a claim it cannot check
    if index.negative(hit.fact.id) != reading.asks("negation"):
        return ""  # 'do the jobs ask for a degree?': '70% ask for none' is no yes
    if grounding.asked_coverage(index, reading, hit, ignoring=written) < CONFIRMING:
        return ""
    if said or claimed:
        return said  # a day or figure the fact does not give is no yes
    texts = f"{hit.fact.text} {hit.fact.text_zh or ''}".casefold()
    numbers = set(_NUMBER.findall(texts)) | {n.display.casefold() for n in hit.fact.numbers}
    own = all(n in numbers for n in _NUMBER.findall(reading.norm))
    return "yes" if own and all(m in texts for m in _MONTH.findall(reading.norm)) else ""


def _clauses(index: SearchIndex, question: str) -> list[str]:
    """The parts of a many-part question. A part of question words alone ('..., how many yuan?')
    asks its question of the part before it when that one asks none ('hangzhou's investment'), or
    when it only qualifies it ('which district secretaries went live, names?'); a few words that
    name nothing and ask nothing continue the part before ('suqian's flower and plant industry'), as
    does a unit it is asked in (', in square meters'); a 'besides X' belongs to the part after it."""
    parts: list[str] = []
    for part in (p for p in CLAUSE_RE.split(question.strip(" ?？")) if p.strip()):
        before = read(index, parts[-1]) if parts else None
        current = read(index, part)
        if before is None:
            parts.append(part)
            continue
        asks_own = current.asks(*ASKING_WORDS) and before.asks(*grounding.QUESTION_WORDS)
        bare = len(part.split()) <= BARE_WORDS and not (current.subjects or current.asks(*grounding.QUESTION_WORDS))
        bare = bare and (not current.measures or _UNIT_PHRASE.match(part) is not None)  # ', in square meters'
        if (_only_asks(current) and not asks_own) or bare:  # '..., how many yuan?', '..., names?'
            parts[-1] = f"{parts[-1]} {part}"
        elif before.asks("besides") and not before.asks(*grounding.QUESTION_WORDS):
            parts[-1] = f"{parts[-1]}, {part}"
        else:
            parts.append(part)
    return parts


def _only_asks(reading: Reading) -> bool:
    """True for words that only ask ('how many yuan', '多少钱'): no name, no measure, nothing else."""
    if reading.subjects or reading.measures:
        return False
    return says_nothing(blanked(reading.norm, [(f.start, f.end) for f in reading.found if f.table == "cue"]))


def _asks_more_than_names(reading: Reading) -> bool:
    named = grounding.subject_terms(reading)
    return any(s.term not in named for s in reading.query.slots if s.known)


def _shared_words(reading: Reading, parts: list[str]) -> str:
    """The words of the first part that are not names: what a later part that only names
    something ('..., and Ximalaya?') asks of it."""
    first = read_words(parts[0]) if parts else []
    named = grounding.subject_terms(reading)
    return " ".join(w for w in first if w not in named)


def read_words(text: str) -> list[str]:
    return re.findall(r"[\w-]+", text.casefold())


def _missing(
    index: SearchIndex, reading: Reading, pool: list[Hit], subjects: tuple[Entity, ...], grounded: bool
) -> Decision:
    """A decline that says what is missing and what the knowledge holds instead: 'The article gives
    no turnover figure for Guangzhou's plan. Its figures: ...' when no fact about the subjects holds
    the asked attribute; a plainer one when some do but none matches the question."""
    language = reading.language
    held = tuple(h.fact for h in pool[:3])
    if subjects:
        names = ", ".join(wording.entity_name(e, language) for e in subjects)
        what = "" if grounded else leads.asked_thing(index.kb, reading, index.unheld)
        if what:
            message = wording.message(language, "not-held").format(what=what, names=names)
            figures = _figures_of(index, subjects)
            return Decision("declined", message=message, held=figures or held, subjects=subjects)
        message = wording.message(language, "nothing-on").format(names=names)
        return Decision("declined", message=message, held=held, subjects=subjects)
    return Decision("declined", message=wording.message(language, "no-match"), held=held)


def _figures_of(index: SearchIndex, subjects: tuple[Entity, ...]) -> tuple[Fact, ...]:
    """The subjects' facts with figures, those mainly about them first."""
    facts = [f for e in subjects for f in index.facts_about(e.id) if f.numbers]
    return tuple(dict.fromkeys(facts))[:3]


def _near(index: SearchIndex, subjects: tuple[Entity, ...], hits: list[Hit]) -> tuple[Fact, ...]:
    """What to suggest after a decline: the subjects' own facts first, then the best-ranked."""
    facts = [f for e in subjects for f in index.facts_about(e.id)[:2]] + [h.fact for h in hits[:3]]
    return tuple(dict.fromkeys(facts))[:3]
