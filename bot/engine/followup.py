"""Follow-up questions: what a message leaves to the turn before it. Pure.

A `Context` holds what the previous turns established: the question as it was read, how it named its
subjects, the subjects (and those of the turn before, for 'which one is bigger?'), the facts shown.
`resolve(index, text, context)` reads a message against it and gives the question to answer:

- a message that names its subject and asks something of its own stands on its own;
- 'and hangzhou?', '杭州的呢？', 'no, I meant the May 5th one': the last question, asked of the new subject;
- 'when was it released?', 'source?', 'how many?', '一共几个人拿到了': the message, asked of the last subject;
- 'which one is bigger?': the last two subjects set against each other on the last question's measure;
- 'the other one': the last question, asked of the subject before.

The follow-up words (pronouns, 'and', 'what about', corrections) are the knowledge's vocabulary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from bot.engine import grounding, leads, scope, wording
from bot.engine.names import Mention
from bot.engine.reading import CLASSIFIERS, SUBJECT_SCORE, Reading, mention_span, of_edition, overview_entity, read
from bot.engine.search import SearchIndex
from bot.engine.text import EN_STOP, ZH_STOP, blanked, has_cjk, normalise, squeezed, words
from bot.engine.vocabulary import Found, latin_words
from bot.knowledge import Entity

FOLLOW_WORDS = frozenset({"pronoun", "ellipsis", "correction", "other", "filler", "newtopic", "both"})
ASKING = frozenset(
    {
        "date",
        "figure",
        "which",
        "who",
        "where",
        "how",
        "source",
        "overview",
        "yesno",
        "name",
        "amount",
        "money",
        "deadline",
        "span",
    }
)
_ONES = re.compile(r"\bones\b")
ORDINAL = frozenset({"ordinal", "last"})
PLACES = frozenset({"city", "province", "district", "village"})
SHORT = 5  # a message of at most this many words of its own may lean on the last turn
_PARTICLES = set("吗呢啊吧呀的了？！。，、?!.,~ ")


@dataclass(frozen=True, slots=True)
class Context:
    """What the previous turns established, for reading the next message."""

    question: str  # the last question as it was read, context filled in
    named: tuple[str, ...]  # how that question named its subjects, as they stand in it (normalised)
    subjects: tuple[str, ...]  # the entity ids it was about
    earlier: tuple[str, ...] = ()  # the subjects of the turn before: 'which one is bigger?', 'the other one'
    facts: tuple[str, ...] = ()  # the facts shown
    listed: tuple[str, ...] = ()  # the entities a 'which cities...' answer named, for 'the first one'
    items: tuple[str, ...] = ()  # the facts a 'what kinds of ...' answer listed, for 'the first one', 'the other one'


@dataclass(frozen=True, slots=True)
class Resolved:
    """The question a message asks once its context is filled in, and what was filled in."""

    question: str
    filled: tuple[str, ...] = ()  # the entity ids the context lent; empty when the message stood alone
    standalone: str = ""  # the message read on its own, when the context was a guess worth checking
    prefer: tuple[str, ...] = ()  # the last answer's facts, which a follow-up most likely asks about
    broader: str = ""  # the question without the last one's measure, when the new subject lacks it
    broader_filled: tuple[str, ...] = ()  # the entity ids the broader question leans on, when others
    described: bool = False  # the message described its subject ('the national one') rather than named it


_DESCRIBED = re.compile(r"\s*[,，]\s*")


def described(index: SearchIndex, text: str) -> tuple[str, str] | None:
    """A thing described, then a question about it: 'the city that gave birth to e-commerce, how
    many anchors does it have' is (the description, the question). The description asks nothing;
    the question points back ('it', 'its', 它)."""
    parts = _DESCRIBED.split(text.strip(), maxsplit=1)
    if len(parts) != 2 or not all(p.strip() for p in parts):
        return None
    description, question = read(index, parts[0]), read(index, parts[1])
    asking = ASKING - {"yesno"}
    if description.asks(*asking, "why", "opinion") or description.yes_no or not _names_a_thing(description):
        return None
    if overview_entity(description) is not None:
        return None  # 'the double product festival, the first one': a name, read with the question as usual
    return (parts[0], parts[1]) if question.asks("pronoun") and question.asks(*asking) else None


def _points_to_its_own(index: SearchIndex, text: str) -> bool:
    """True if a message describes a thing at length and then points back to it ('the magazine
    article asking how officials can go further, when was that'): the pointing word is its own."""
    parts = _DESCRIBED.split(text.strip(), maxsplit=1)
    if len(parts) != 2:
        return False
    description = read(index, parts[0])
    return _names_a_thing(description) and len(_own_words(description)) > SHORT


def _names_a_thing(reading: Reading) -> bool:
    """True if a text is a noun phrase: 'the city that ...', '被称为电商发源地的城市'."""
    if reading.language == "zh":
        kinds = [f for f in reading.found if f.table == "kind"]
        return bool(kinds) and kinds[-1].end == len(reading.norm.rstrip()) and "的" in reading.norm
    return reading.norm.startswith("the ")


def resolve(index: SearchIndex, text: str, context: Context | None) -> Resolved:
    """The question to answer for a message, given the previous turns (see the module's docstring)."""
    if context is None or not context.subjects:
        return Resolved(text)
    current = read(index, text)
    if current.chitchat or current.asks("newtopic") or current.query.outside:
        return Resolved(text)  # 'unrelated, who wrote this?', '换个话题，……', '北京呢' stand on their own
    entities = index.kb.entities
    last = [entities[e] for e in context.subjects if e in entities]
    if _names_another_kind(current, last):
        return Resolved(text)  # '这个新工种归在哪个职业下面' after Suqian: the new job type, not Suqian
    before = [entities[e] for e in context.earlier if e in entities and e not in context.subjects]
    people = [e for e in before if e.kind == "person"] or _people_shown(index, context.facts)
    if current.asks("personal") and people and not any(e.kind == "person" for e in last):
        last, before = people, last  # 'did he sell anything' after the outlet that reported him: him
    own = _own_words(current)
    subjects = _named_subjects(current)
    pick = None if subjects else _described_pick(index, current, last) or _described_pick(index, current, before, last)
    if pick is not None:  # 'and the national one?' after Shanghai's festival: the festival called national
        resolved = resolve(index, _naming_pick(current, pick), context)
        return replace(resolved, filled=(pick.id,), described=True)
    bare = not _own_words(current, also=ORDINAL) and not current.asks(*ASKING)  # 'and the 2nd', 'the other one?'
    picked = _picked(index, current, context)
    if picked:  # a bare pick asks the last question of it
        asked = _ask_of(context, picked, current.language) if bare else _lean(picked, current)
        return Resolved(asked, tuple(e.id for e in picked))
    item = _picked_item(current, context)
    if item:  # 'how much did the first one sell', 'and the other one?' after the kinds of streams listed
        asked = context.question if bare else _lean(last, current)
        return Resolved(asked, tuple(e.id for e in last), prefer=(item,))
    if _picks_an_edition(index, current, last):  # 'how many in the first one' after the second festival
        names = " ".join(wording.entity_name(e, current.language) for e in last)
        edition = "届" if current.language == "zh" else "edition"
        asked = _PICKING_ONE.sub(f" {edition}", current.norm, count=1)
        return Resolved(f"{names} {asked}", tuple(e.id for e in last))
    figure = _picked_figure(index, current, context)
    if figure:  # 'the second one?' after the four '100+' targets of Shanghai's plan: its scenarios
        names = " ".join(wording.entity_name(e, current.language) for e in last)
        return Resolved(f"{names} {figure}", tuple(e.id for e in last), prefer=context.facts[:1])
    together = current.asks("both") and not current.asks("compare", "superlative")  # '两边数量一样？': below
    if together and before and not subjects:  # '它俩都是哪个省的': the last two subjects together
        both = before + last
        names = ("和" if current.language == "zh" else " and ").join(
            wording.entity_name(e, current.language) for e in both
        )
        return Resolved(f"{names} {_without_follow_words(current)}", tuple(e.id for e in both))
    if current.asks("other") and before:
        return Resolved(_ask_of(context, before, current.language), tuple(e.id for e in before))
    if _asks_for_another(current, last, subjects):
        return Resolved(text)  # 'which city is top for purchasing power then' after Hangzhou: any city
    setting = _sets_two(current) or current.asks("superlative") or _orders_two(current)
    ranks_other = any(o > 1 for o in current.ordinals)  # 'which city came 5th': a place of its own, not the last two
    short = len(own) <= SHORT or _all_hold(index, current.measures, last + before)  # '..., who wants more brands'
    if setting and not subjects and short and not ranks_other:
        if before:
            both = last + before
            return Resolved(_set_against(context, both, current), tuple(e.id for e in both), prefer=context.facts)
        if own:  # 'which one is the livestreaming one': picked by its own words, among the last subject's
            leaned = _lean(last, current) + _last_measure(index, context.question, current)
            return Resolved(leaned, tuple(e.id for e in last))
        return Resolved(f"{text} {context.question}", prefer=context.facts)
    if current.yes_no and current.asks("compare") and subjects and not any(e in subjects for e in last):
        both = last + [e for e in _counterparts(index, context, last, subjects) if e not in last]
        first = " ".join(wording.entity_name(e, current.language) for e in last)  # the 'that' claimed, named first
        asked = f"{first} {_set_against(context, both, current)}"  # 'is that more than guangzhou's?'
        return Resolved(asked, tuple(e.id for e in both), prefer=context.facts)
    if _sets_two(current) and len(subjects) == 1 and subjects[0] not in last and len(own) <= SHORT:
        both = last + [e for e in _counterparts(index, context, last, subjects) if e not in last]
        if len(both) == 2:  # '跟hz比哪个多', 'which is more, compared to hangzhou?': the last subject against it
            return Resolved(_set_against(context, both, current), tuple(e.id for e in both), prefer=context.facts)
    if subjects and current.asks("order") and current.asks("pronoun") and not any(e in subjects for e in last):
        names = " ".join(wording.entity_name(e, current.language) for e in last)  # 'was that before X?'
        return Resolved(f"{names} {text}", tuple(e.id for e in last))
    pointed = _object_pointing(current, last, subjects)
    if pointed:  # 'guangzhou overtook it in something' after Hangzhou: it is Hangzhou
        return Resolved(pointed, tuple(e.id for e in last))
    if subjects and _points_inside(index, current, last, subjects):  # '它想把上海建成什么' after Shanghai's plan
        names = " ".join(wording.entity_name(e, current.language) for e in last)
        return Resolved(f"{names} {text}", tuple(e.id for e in last))
    if subjects:
        asked_alone = not own and text.rstrip().endswith(("?", "？")) and not current.asks(*ASKING, "ellipsis")
        pointing = not own and current.asks("pronoun")  # 'what was it in shenzhen': the last question of it
        if (own or not (current.asks("ellipsis") or asked_alone or pointing)) and not current.asks("correction"):
            return Resolved(text)  # 'hangzhou plan' alone is a new topic; 'and hangzhou?' is not
        asked = _ask_of(context, _counterparts(index, context, last, subjects), current.language, also=own)
        alone = text if asked_alone else ""  # 'guangzhou?': the last question of it, else all about it
        if current.asks("correction") and current.asks(*(ASKING - {"yesno"})):
            alone = _without_follow_words(current)  # 'no, i meant X. how long was ...': else its own question
        return Resolved(asked, (), standalone=alone, broader=_without_measures(index, asked))
    explicit = current.asks("pronoun", "demonstrative", "ellipsis", "correction") or _edition_only(current)
    if not explicit and len(own) > SHORT:
        return Resolved(text)
    if _points_to_its_own(index, text):  # 'the magazine article asking ..., when was that': that article
        return Resolved(text)
    lent = tuple(e.id for e in last)
    fresh = bool(current.measures or current.asked_kind)  # '那销售额呢': a new figure of the same subject
    swapped = _swap_kind_phrase(index, context.question, current) or _swap_measure(index, context.question, current)
    if swapped:  # 'and the old local brands?' after 'which international brands ...'
        return Resolved(swapped)
    if (
        current.asks("ellipsis")
        and own
        and not fresh
        and not current.asks("pronoun")  # '那它能拿到啥支持': a question of its own about it
        and not current.asks(*ASKING, "aspect", "target")  # "现在目标呢": its goal, not the last question
        and not _edition_only(current)
    ):
        return Resolved(f"{context.question} {' '.join(own)}", lent)  # 'and the old local ones?'
    pointed_source = current.asks("source") and not current.asks("who") and current.asks("pronoun", "demonstrative")
    if pointed_source and not fresh and context.facts:
        names = " ".join(wording.entity_name(e, current.language) for e in last)  # 'where does that number come from'
        return Resolved(f"{names} {'出处' if current.language == 'zh' else 'source'}", lent, prefer=context.facts)
    held = _hold_measures(index, context.facts, current.measures)  # '卖了多少钱' after the cars: those sales
    checks = current.yes_no and current.asks("pronoun") and not fresh  # 'that was on may 5, right?': the last fact
    how_grown = not _own_words(current, also=frozenset({"growth"}))  # 'yoy or mom?': how the last figure grew
    prefer = context.facts if (how_grown and not fresh) or held or checks else ()  # 'for how much?', 'yoy or mom?'
    around = before or _around(index, context.facts, lent)  # '快递包裹呢' after 盒马: Shanghai's parcels
    if fresh and around and not current.asks("pronoun"):
        back = tuple(e.id for e in around)
        return Resolved(_lean(last, current), lent, "" if explicit else text, prefer, _lean(around, current), back)
    leaned = _lean(last, current) + _last_measure(index, context.question, current)
    return Resolved(leaned, lent, "" if explicit else text, prefer=prefer)


_ONE_AFTER = re.compile(r"\s+ones?\b")


def _describing(current: Reading) -> list[str]:
    """The words of a message that no name, cue, measure or kind word covers: what 'the national
    one' describes its thing by."""
    covered = [(f.start, f.end) for f in current.found]
    covered += [span for m in current.query.mentions if (span := mention_span(current.norm, m.text))]
    norm = blanked(current.norm, covered)
    clauses = [c for c in _CLAUSE_BREAK.split(current.norm) if _ONE_AFTER.search(f" {c}")]
    if len(clauses) == 1 and clauses[0].strip() != current.norm.strip():  # 'no the national one. how many ...'
        start = current.norm.index(clauses[0])
        norm = norm[start : start + len(clauses[0])]
    return [w for w in words(norm) if not has_cjk(w) and w not in EN_STOP]


def _described_pick(
    index: SearchIndex, current: Reading, last: list[Entity], besides: list[Entity] | None = None
) -> Entity | None:
    """The one other thing of the last subject's kind whose names hold every describing word of a
    message that names none ('the national one' after Shanghai's festival: the national online
    shopping festival); None when no such thing, or more than one, is described. With `besides`,
    the things of the kind of `last` other than those ('back to the national one' after a turn on
    Shanghai: the festival asked about before it)."""
    words_of = _describing(current)
    describing = {w.stem for w in latin_words(" ".join(words_of))}
    if not describing or not last or not _ONE_AFTER.match(current.norm, _words_end(current.norm, words_of)):
        return None  # 'the national one'; 'and the media streams?' describes facts, not a thing
    kinds = {e.kind for e in last}
    fits = [
        e
        for e in index.kb.entities.values()
        if e.kind in kinds
        and e not in (last if besides is None else besides)
        and any(describing <= {w.stem for w in latin_words(normalise(n))} for n in (e.name, *e.aliases))
    ]
    return fits[0] if len(fits) == 1 else None


def _words_end(norm: str, describing: list[str]) -> int:
    """Where the last of the describing words ends in the message."""
    return max((m.end() for w in describing if (m := re.search(rf"\b{re.escape(w)}\b", norm))), default=0)


def _naming_pick(current: Reading, pick: Entity) -> str:
    """The message with its description of a thing ('the national one') replaced by the thing's name."""
    describing = _describing(current)
    norm = current.norm
    start = min(m.start() for w in describing if (m := re.search(rf"\b{re.escape(w)}\b", norm)))
    one = _ONE_AFTER.match(norm, _words_end(norm, describing))
    end = one.end() if one else _words_end(norm, describing)
    return squeezed(f"{norm[:start]} {wording.entity_name(pick, current.language)} {norm[end:]}")


def _counterparts(index: SearchIndex, context: Context, last: list[Entity], subjects: list[Entity]) -> list[Entity]:
    """For places named after a thing named by its place ('and guangzhou?' after 'hangzhou's plan'),
    each place's own thing of that kind (Guangzhou's plan) when it holds exactly one; else the places."""
    kinds = {e.kind for e in last}
    if not last or kinds & PLACES or len(kinds) > 1 or not all(e.kind in PLACES for e in subjects):
        return subjects
    if not any(_names_its_place(index, named, last) for named in context.named):
        return subjects  # 'shanghai's' after 'the nationwide festival': Shanghai, as asked
    held = [
        [e for e in index.kb.entities.values() if e.kind in kinds and index.concerning(e) < index.concerning(place)]
        for place in subjects
    ]
    return [own[0] for own in held] if all(len(own) == 1 for own in held) else subjects


def _names_its_place(index: SearchIndex, named: str, things: list[Entity]) -> bool:
    """True if how a question named its subject holds the name of a place the subject is of
    ('hangzhou' in "hangzhou's plan")."""
    places = [
        e
        for e in index.kb.entities.values()
        if e.kind in PLACES and all(index.concerning(t) < index.concerning(e) for t in things)
    ]
    if any(mention_span(named, normalise(n)) for e in places for n in (e.name, e.name_zh, *e.aliases) if n):
        return True
    return any(m.entity in places for m in index.analyse(named).mentions)  # 'hangzou 3 year plan': a typo of it


def _sets_two(current: Reading) -> bool:
    """True if a message compares two things; 'vs last yr' sets a figure against its own past, a
    growth, not the last subject against the one before."""
    growth = [f for f in current.found if f.means == "growth"]
    return any(
        f.means == "compare" and not any(g.start <= f.start and f.end <= g.end for g in growth) for f in current.found
    )


def _asks_for_another(current: Reading, last: list[Entity], subjects: list[Entity]) -> bool:
    """True if a message asks which thing of the last subject's own kind holds something ('which city
    is top for ...' after a city), naming none and pointing at none: the last subject is not the answer."""
    if subjects or not current.asked_kind or current.asks("pronoun", "other", "rest", "besides", "compare"):
        return False
    kind_words = {current.norm[f.start : f.end] for f in current.found if f.means == current.asked_kind}
    if all(w in kind_words for w in _own_words(current)):
        return False  # 'which report' alone after a report: which one that was
    return bool(last) and all(e.kind == current.asked_kind for e in last)


def _around(index: SearchIndex, facts: tuple[str, ...], lent: tuple[str, ...]) -> list[Entity]:
    """The places the last fact shown is also about (Shanghai, of Freshippo's online traffic): what
    a new figure the last subject lacks may be asked of."""
    if not facts:
        return []
    entities = index.kb.entities
    about = [entities[e] for e in index.fact(facts[0]).about if e not in lent and e in entities]
    return [e for e in about if e.kind in PLACES][:1]


def _all_hold(index: SearchIndex, measures: tuple[str, ...], entities: list[Entity]) -> bool:
    """True if two or more entities each have a figure of a measure named: a long comparison of
    that measure asks of them."""
    if not measures or len(entities) < 2:
        return False
    return all(
        any(
            n.measure in measures and (n.entity or f.about[0]) == e.id
            for f in index.facts_about(e.id)
            for n in f.numbers
        )
        for e in entities
    )


def _hold_measures(index: SearchIndex, facts: tuple[str, ...], measures: tuple[str, ...]) -> bool:
    """True if the first of the last facts gives a figure of every measure named (the car sales'
    yuan, asked for after their count)."""
    if not facts or not measures or facts[0] not in index.fact_index:
        return False
    held = {n.measure for n in index.fact(facts[0]).numbers}
    return set(measures) <= held


def _last_measure(index: SearchIndex, question: str, current: Reading) -> str:
    """The last question's measure, for 'how much did that go up' after the average salary: the
    growth of that figure, not of another the subject has."""
    if not current.asks("growth") or current.measures:
        return ""
    last = read(index, question)
    measures = _outermost([f for f in last.found if f.table == "measure"])
    return "".join(f" {last.norm[f.start : f.end]}" for f in measures)


def after(
    index: SearchIndex, previous: Context | None, resolved: Resolved, shown: tuple[str, ...], entities: tuple[str, ...]
) -> Context | None:
    """The context for the next message, once the resolved question was answered with the facts
    `shown` (none when declined). A declined turn leaves the thread as it was, but remembers whom it
    asked about ('the other one')."""
    about = focus(index, resolved.question, entities, shown) if shown else ()
    if not about:
        asked = (resolved.filled or tuple(e.id for e in read(index, resolved.question).subjects)) if previous else ()
        if previous is not None and asked and asked != previous.subjects:
            return replace(previous, subjects=asked, earlier=previous.subjects)
        return previous
    question = _without_markers(index, resolved.question)  # '广州呢，哪方面排第一' asks '广州，哪方面排第一'
    reading = read(index, question)
    checked = previous is not None and reading.yes_no and resolved.prefer and shown[:1] == previous.facts[:1]
    if checked:  # 'is that usd or rmb': a check of the last answer; 'and in hangzhou?' asks the last question
        return previous
    named = _naming(reading, about)
    earlier = (
        previous.subjects
        if previous is not None and previous.subjects != about
        else (previous.earlier if previous is not None else ())
    )
    found = listed(index, question, shown) or (previous.listed if previous else ())
    if reading.asks("sorts") and len(shown) > 1:  # 'what kinds of streams ...': each fact is one kind
        items = shown
    else:
        items = previous.items if previous is not None and previous.subjects == about else ()
    return Context(question, named, about, earlier, shown, found, items)


def _naming(reading: Reading, about: tuple[str, ...]) -> tuple[str, ...]:
    """How a question named its subjects; a topic it mentions (带货, 'live streaming') names its
    subject only when it is one."""
    return tuple(
        m.text
        for m in reading.query.mentions
        if m.score >= SUBJECT_SCORE and (m.entity.kind != "topic" or m.entity.id in about)
    )


def listed(index: SearchIndex, question: str, facts: tuple[str, ...]) -> tuple[str, ...]:
    """The entities a 'which X' answer named, in order, for 'the first one', 'the other one'."""
    reading = read(index, question)
    if not reading.asked_kind or not facts:
        return ()
    fact = index.fact(facts[0])
    named = leads.named_entities(index.kb, reading, fact)
    return tuple(e for e in named if index.kb.entities[e].kind in grounding.kinds_meant(reading.asked_kind))


def _picked(index: SearchIndex, current: Reading, context: Context) -> list[Entity]:
    """'The first one', 'the other one', 'the latter': one of the entities the last answer listed;
    when it listed none, of the last two subjects in the order they were asked about ('the 1st
    one' after Hangzhou's then Guangzhou's plan)."""
    entities = index.kb.entities
    if context.listed:
        listed = [entities[e] for e in context.listed if e in entities]
    elif context.earlier and not context.items and _picks_one(current):
        listed = [entities[e] for e in dict.fromkeys(context.earlier + context.subjects) if e in entities]
    else:
        return []
    if current.asks("other"):
        rest = [e for e in listed if e.id not in context.subjects]
        return rest[:1] if len(rest) < len(listed) else []
    place = _place_picked(current) or (len(listed) if current.asks("last") else 0)
    return [listed[place - 1]] if 0 < place <= len(listed) else []


_COUNTING = frozenset({"figure", "amount", "how"})  # 'how many', 'how much'
_PICKING_ONE = re.compile(r"(?<=\w)\s+ones?\b")  # 'the first one' -> 'the first edition'


def _picked_figure(index: SearchIndex, current: Reading, context: Context) -> str:
    """'The second one', 'the last one' when the last answer listed no entities and no facts but
    its fact gives several figures: what the one picked measures ('application scenarios')."""
    if context.listed or context.items or not context.facts or current.asks(*(ASKING - _COUNTING)):
        return ""  # 'how many for the last one' counts what the one picked measures
    if any(f.means == "ordinal" and of_edition(current.norm, current.found, f) for f in current.found):
        return ""  # 第一届呢: another edition of the event
    numbers = index.fact(context.facts[0]).numbers
    place = _place_picked(current) or (len(numbers) if current.asks("last") else 0)
    if len(numbers) < 2 or not 0 < place <= len(numbers) or _own_words(current, also=ORDINAL):
        return ""
    measure = index.kb.measures[numbers[place - 1].measure]
    return (measure.name_zh if current.language == "zh" else None) or measure.name


def _picks_an_edition(index: SearchIndex, current: Reading, last: list[Entity]) -> bool:
    """True for 'the first one' when nothing was listed and the last subject is one edition of an
    event (the second festival): the ordinal asks for another edition of it."""
    if not any(scope.edition_of(index, e) is not None for e in last):
        return False
    norm = current.norm
    ordinals = [f for f in current.found if f.means == "ordinal" and f.value]
    return any(  # 'the first one', not 'the may 5th one'
        _PICKING_ONE.match(norm, f.end) and re.search(r"(?:^|\bthe\s+)$", norm[: f.start]) for f in ordinals
    )


def _people_shown(index: SearchIndex, facts: tuple[str, ...]) -> list[Entity]:
    """The people the last facts shown are about, first fact first."""
    entities = index.kb.entities
    about = [e for f in facts if f in index.fact_index for e in index.fact(f).about]
    return [entities[e] for e in dict.fromkeys(about) if e in entities and entities[e].kind == "person"][:1]


def _names_another_kind(current: Reading, last: list[Entity]) -> bool:
    """True if every pointing word of a message is a demonstrative before a kind word that none of
    the last subjects is ('这个新工种' after a city): it names a thing of its own; 'his job' does not."""
    norm = current.norm
    pointing = [f for f in current.found if f.means == "pronoun"]
    kinds = [f for f in current.found if f.table == "kind"]
    own = {e.kind for e in last}

    def determines(word: Found) -> bool:
        after = [k for k in kinds if 0 <= k.start - word.end <= 2 and not norm[word.end : k.start].strip("新 ")]
        return bool(after) and all(k.means not in own for k in after)

    demonstratives = {(f.start, f.end) for f in current.found if f.means == "demonstrative"}
    return bool(pointing) and all((f.start, f.end) in demonstratives and determines(f) for f in pointing)


def _picks_one(current: Reading) -> bool:
    """True for an ordinal that picks one of several ('the 1st one', 第二个), not a place ('came first')."""
    return any(f.means == "ordinal" and _PICKING.match(current.norm, f.end) for f in current.found)


def _place_picked(current: Reading) -> int:
    """The place in the last list an ordinal picks ('the 2nd one', 第二个, 'and the 2nd'), or 0."""
    if not (_picks_one(current) or current.asks("pronoun", "ellipsis") or not _own_words(current, also=ORDINAL)):
        return 0
    return next((f.value for f in current.found if f.means == "ordinal" and f.value), 0)


def _picked_item(current: Reading, context: Context) -> str:
    """'The first one', 'the other one': one of the facts the last 'what kinds of ...' answer listed."""
    if not context.items:
        return ""
    if current.asks("other"):
        rest = [f for f in context.items if f not in context.facts[:1]]
        return rest[0] if rest and len(rest) < len(context.items) else ""
    place = _place_picked(current) or (len(context.items) if current.asks("last") else 0)
    return context.items[place - 1] if 0 < place <= len(context.items) else ""


def focus(index: SearchIndex, question: str, entities: tuple[str, ...], facts: tuple[str, ...]) -> tuple[str, ...]:
    """What the answered question was about, for the next message's 'it': the entities a 'which
    village...' or 'who...' answer named; else what the first fact shown is mainly about when it is
    a part of what the question named (Hangzhou's plan, asked about Hangzhou); else the subjects
    the question named; else the answer's."""
    reading = read(index, question)
    naming = reading.asked_kind or reading.asks("who")
    if naming and not reading.asks("where"):  # a place answers where: the thing asked about stays
        kinds = set(grounding.kinds_meant(reading.asked_kind)) if reading.asked_kind else None
        named = _answered(index, reading, facts, kinds)
        if named:
            return named
    subjects = tuple(e.id for e in reading.subjects)
    if facts and len(subjects) <= 1:
        main = index.fact(facts[0]).about[0]
        if not subjects or main not in subjects:  # Hangzhou's plan, asked about Hangzhou; the plan a bureau issued
            return (main,)
    return subjects or entities[:1]


def _answered(index: SearchIndex, reading: Reading, facts: tuple[str, ...], kinds: set[str] | None) -> tuple[str, ...]:
    """The entities of the asked kind that the first fact shown names; for 'who', whom it reports
    as saying it, when it reports one."""
    if not facts:
        return ()
    fact = index.fact(facts[0])
    entities = index.kb.entities
    found = [e for e in leads.named_entities(index.kb, reading, fact) if kinds is None or entities[e].kind in kinds]
    if kinds is None:
        found = leads.speakers_of(index.kb, reading, fact) or found
    return tuple(found[:1])


def read_as(index: SearchIndex, filled: tuple[str, ...], language: str, *, described: bool = False) -> str:
    """How the context was read, in a few words: '(Hangzhou three-year plan, as in your last
    question)'; or, for a thing the question described, '(read as: Hangzhou)'."""
    names = [wording.short_name(index.kb.entities[e], language) for e in filled if e in index.kb.entities]
    joined = ("、" if language == "zh" else ", ").join(names)
    key = "described-as" if described else "read-as"
    return wording.message(language, key).format(names=joined) if names else ""


def _named_subjects(reading: Reading) -> list[Entity]:
    """The entities a message names, specific ones first, topics too ('the audio app', 'live salesman');
    not a topic named inside a measure's words (带货 of 带货达人, the sellers to train)."""
    measures = [(f.start, f.end) for f in reading.found if f.table == "measure"]

    def inside(m: Mention) -> bool:
        span = mention_span(reading.norm, m.text)
        return span is not None and any(s <= span[0] and span[1] <= e for s, e in measures)

    found = [
        m.entity
        for m in reading.query.mentions
        if m.score >= SUBJECT_SCORE and not (m.entity.kind == "topic" and inside(m))
    ]
    return list(dict.fromkeys(found))


def _own_words(reading: Reading, also: frozenset[str] = frozenset()) -> list[str]:
    """The words a message asks with, beyond names, question words, follow-up words and the
    words of the cue meanings `also`."""
    quiet = FOLLOW_WORDS | ASKING | also
    asking = [(f.start, f.end) for f in reading.found if f.table == "cue" and f.means in quiet]
    named_kinds = {m.entity.kind for m in reading.query.mentions}  # 'the other platform then.. taobao'
    asking += [(f.start, f.end) for f in reading.found if f.table == "kind" and f.means in named_kinds]
    named = [span for m in reading.query.mentions if (span := mention_span(reading.norm, m.text))]
    left = blanked(reading.norm, asking + named)
    latin = [w for w in words(left) if not has_cjk(w) and w not in EN_STOP]
    chinese = [ch for ch in left if has_cjk(ch) and ch not in ZH_STOP and ch not in _PARTICLES]
    return latin + ([" ".join(chinese)] if len(chinese) > 1 else [])


def _orders_two(current: Reading) -> bool:
    """True for 'which came out first?', 哪个更早: a phrase that sets two things in order; a bare
    'before' only qualifies the question ('what was it known as before')."""
    phrases = (current.norm[f.start : f.end] for f in current.found if f.means == "order")
    return any(len(phrase.split()) > 1 or has_cjk(phrase) for phrase in phrases)


_ASKING_NOTHING = frozenset({"greeting", "thanks", "help", "filler"})
_SENTENCE_END = re.compile(r"(?<=[.!。！])\s+|(?<=[。！])")


def without_preamble(index: SearchIndex, text: str) -> str:
    """A message without the sentences before its question that ask nothing ('hi, i work for a
    small city govt. what targets did guangzhou set?'): a greeting or words about the asker."""
    sentences = [s for s in _SENTENCE_END.split(text.strip()) if s.strip()]
    while len(sentences) > 1:
        first = read(index, sentences[0].strip())
        cues = {f.means for f in first.found if f.table == "cue"}
        if first.subjects or first.measures or first.yes_no or cues - _ASKING_NOTHING:
            break  # 'ok and the 1st one.. where's the base gonna be': the pick is the question's
        sentences.pop(0)
    return " ".join(s.strip() for s in sentences) if sentences else text


def stands_alone(index: SearchIndex, text: str) -> bool:
    """True if a message the last subject cannot answer may be answered on its own: not a bare
    figure question of no one ('how much money exactly' after Yiwu's commendation), which alone
    would find some other subject's figure."""
    reading = read(index, text)
    return bool(reading.subjects) or not grounding.figure_shaped(reading)


def _points_inside(index: SearchIndex, current: Reading, last: list[Entity], subjects: list[Entity]) -> bool:
    """True if a message points back ('it', 它) and names only what holds the last subjects: 'what
    does it want to make Shanghai' after Shanghai's plan asks of the plan."""
    if not current.asks("pronoun") or not last or any(e in subjects for e in last):
        return False
    return all(any(index.concerning(e) < index.concerning(s) for s in subjects) for e in last)


_OBJECT_PRONOUNS = frozenset({"it", "them"})
_CLAUSE_BREAK = re.compile(r"[,，;；?？.]")


def _object_pointing(current: Reading, last: list[Entity], subjects: list[Entity]) -> str:
    """The message with its object pronoun written as the last subject's name, when it names a
    subject of the same kind and then points back at another ('guangzhou overtook it in something'
    after Hangzhou); '' otherwise."""
    if current.language != "en" or len(subjects) != 1 or len(last) != 1 or last[0] in subjects:
        return ""
    if last[0].kind != subjects[0].kind:
        return ""
    span = mention_span(current.norm, next(m.text for m in current.query.mentions if m.entity == subjects[0]))
    if span is None:
        return ""
    for cue in current.found:
        word = current.norm[cue.start : cue.end]
        after = cue.means == "pronoun" and word in _OBJECT_PRONOUNS and cue.start > span[1]
        if after and not _CLAUSE_BREAK.search(current.norm, span[1], cue.start):
            name = wording.entity_name(last[0], current.language)
            return f"{current.norm[: cue.start]}{name}{current.norm[cue.end :]}"
    return ""


def _edition_only(current: Reading) -> bool:
    """True for an edition written without its event ('第一届是什么时候办的'): it is the last one's."""
    return any(f.means == "ordinal" and of_edition(current.norm, current.found, f) for f in current.found)


def _lean(subjects: list[Entity], current: Reading) -> str:
    """The message asked of subjects it leaves to the last turn: their names, then its own words."""
    names = " ".join(wording.entity_name(e, current.language) for e in subjects)
    return f"{names} {_without_follow_words(current)}"


def _swap_kind_phrase(index: SearchIndex, question: str, current: Reading) -> str:
    """The last 'which X' question asked of the message's own kind phrase, of the same subjects:
    'and the old local brands?' after 'which international brands treat Shanghai as a testing
    ground' asks 'which old local brands ... Shanghai'. Empty when the message names no such kind."""
    last = read(index, question)
    pointing = [f for f in current.found if f.means == "pronoun" and current.norm[f.start : f.end] != "ones"]
    if not last.asked_kind or current.asked_kind or current.asks("ordinal", "other") or pointing:
        return ""  # 'and the second city?', 'the other brands?' pick from the last answer
    if current.asks("figure", "amount"):
        return ""  # 'how many new occupations in total' asks a count of its own, not which ones
    mine = next((f for f in current.found if f.table == "kind" and f.means == last.asked_kind), None)
    theirs = next((f for f in last.found if f.table == "kind" and f.means == last.asked_kind), None)
    which = [f for f in last.found if f.means == "which" and theirs is not None and f.end <= theirs.start]
    if theirs is not None and mine is not None and not which and current.language == "zh":
        after = [f for f in last.found if f.means == "which" and f.start >= theirs.end]  # 国际品牌有哪些
        if after:  # '那老字号呢': 上海的老字号有哪些
            names = "".join(wording.entity_name(e, "zh") for e in last.subjects)
            return f"{names}的{current.norm[mine.start : mine.end]}有{last.norm[after[0].start : after[0].end]}"
    ones = _ONES.search(current.norm)  # 'and the old local ones?': the last kind word, described anew
    if theirs is None or not which or (mine is None and ones is None):
        return ""
    end = mine.end if mine is not None else ones.start() if ones is not None else 0
    cues = [(f.start, f.end) for f in current.found if f.table == "cue" and f.end <= end]
    rest = blanked(current.norm[:end], cues)
    kind = "" if mine is not None else last.norm[theirs.start : theirs.end]
    phrase = " ".join([*(w for w in rest.split() if w not in ("the", "a", "an")), kind]).strip()
    if not set(phrase.split()) - set(last.norm.split()):
        return ""  # nothing said of the kind that the last question did not say
    names = " ".join(wording.entity_name(e, current.language) for e in last.subjects)
    return f"{last.norm[which[-1].start : which[-1].end]} {phrase} {names}".strip()


def _swap_measure(index: SearchIndex, question: str, current: Reading) -> str:
    """The last 'which X' question asked of the message's own measure: 'and for number of viewers?'
    after 'which city is first for purchasing power' asks which city is first for viewers, not
    the viewers of the city that answered. Empty unless the last question asked for an entity by
    a measure and the message names another."""
    last = read(index, question)
    if not last.asked_kind or not current.measures or set(current.measures) & set(last.measures):
        return ""
    if current.asks(*(ASKING - {"figure", "amount"})):
        return ""  # 'what title did that earn it' asks a question of its own
    theirs = _outermost([f for f in last.found if f.table == "measure"])
    mine = _outermost([f for f in current.found if f.table == "measure"])
    if not theirs or not mine:
        return ""
    words = " ".join(current.norm[f.start : f.end] for f in mine)
    return squeezed(f"{last.norm[: theirs[0].start]} {words} {last.norm[theirs[-1].end :]}")


def _outermost(found: list[Found]) -> list[Found]:
    """The words found that stand inside no other ('number of viewers', not its 'viewers')."""
    spans = {(f.start, f.end): f for f in found}
    return [
        f
        for (start, end), f in spans.items()
        if not any(s <= start and end <= e and (s, e) != (start, end) for s, e in spans)
    ]


def _without_markers(index: SearchIndex, question: str) -> str:
    """A question with the Chinese ellipsis words beside its names ('广州呢') taken out: what it
    asks, for the next message to ask again of another subject."""
    reading = read(index, question)
    norm = reading.norm
    spans = [span for m in reading.query.mentions if (span := mention_span(norm, m.text))]

    def marker(f: Found) -> bool:
        beside = any(not norm[end : f.start].strip() or not norm[f.end : start].strip() for start, end in spans)
        chinese = has_cjk(norm[f.start : f.end])  # English 'and' may join two questions as well
        return f.table == "cue" and f.means in ("ellipsis", "correction") and beside and chinese

    kept = squeezed(blanked(norm, [(f.start, f.end) for f in reading.found if marker(f)]))
    return kept if kept != norm.strip() else question


def _without_follow_words(reading: Reading) -> str:
    """The message with its pronouns, 'and', 'what about' and corrections taken out, but not from
    inside a phrase that asks something else ('his job')."""
    follow = ("pronoun", "ellipsis", "correction", "other", "ordinal", "both")
    cues = [f for f in reading.found if f.table == "cue"]
    spans = [
        _pointing_word(reading.norm, f) if f.means == "pronoun" else (f.start, f.end)
        for f in cues
        if f.means in follow
        and not (f.means == "ordinal" and _a_place(reading, f))  # 'came 5th', 第一届: not a pick from the list
        and not any(g.means not in follow and g.start <= f.start and f.end <= g.end and g != f for g in cues)
    ]
    return squeezed(blanked(reading.norm, spans))


_PICKING = re.compile(rf"\s*(?:ones?\b|[{CLASSIFIERS}])")  # 'the second one', 第二个: picks from a list


def _a_place(reading: Reading, ordinal: Found) -> bool:
    """True if an ordinal is a place in a ranking ('which city came 5th') or an edition (第一届),
    not a pick from the last list ('the second one', 'the first city')."""
    if of_edition(reading.norm, reading.found, ordinal):
        return True
    kinds = [f for f in reading.found if f.table == "kind" and f.start >= ordinal.end]
    next_kind = bool(kinds) and not reading.norm[ordinal.end : kinds[0].start].strip()
    return not (_PICKING.match(reading.norm, ordinal.end) or next_kind)


def _pointing_word(norm: str, cue: Found) -> tuple[int, int]:
    """The span of a pronoun phrase that points ('that' of 'did that'): the verb before it stays,
    as the question wrote it ('what title did that earn it' asks no salary)."""
    words = latin_words(norm[cue.start : cue.end])
    if len(words) > 1 and all(norm[cue.start + w.start : cue.start + w.end] in EN_STOP for w in words[:-1]):
        return cue.start + words[-1].start, cue.end
    return cue.start, cue.end


def _ask_of(context: Context, subjects: list[Entity], language: str, also: list[str] | None = None) -> str:
    """The last question asked of other subjects: their names put where it named the first of its
    own, and its other names taken out ('how many brands does guangzhou want' -> '... hangzhou ...')."""
    names = " ".join(wording.entity_name(e, language) for e in subjects)
    question = normalise(context.question)
    spans = sorted(span for named in context.named if (span := mention_span(question, named)))
    if not spans:
        return f"{names} {question} {' '.join(also or ())}".strip()
    pieces, at = [], 0
    for i, (start, end) in enumerate(spans):
        if start < at:
            continue
        pieces += [question[at:start], names if i == 0 else " "]
        at = end
    pieces.append(question[at:])
    return squeezed(f"{''.join(pieces)} {' '.join(also or ())}")


def _without_measures(index: SearchIndex, question: str) -> str:
    """A question with the words naming its measures taken out: 'and Freshippo?' after 'how much
    did Shanghai's online shopping grow' asks how much Freshippo grew, if it has no such figure."""
    reading = read(index, question)
    broader = squeezed(blanked(reading.norm, [(f.start, f.end) for f in reading.found if f.table == "measure"]))
    return broader if broader != reading.norm.strip() else ""


def _set_against(context: Context, subjects: list[Entity], current: Reading) -> str:
    """'Which one is bigger?': the last question's words, asked of the last two subjects together."""
    names = " or ".join(wording.entity_name(e, current.language) for e in subjects[:2])
    if current.measures:  # 'who wants more celeb brands': that measure, not the last one asked
        return f"{current.norm} {names}"
    base = context.question
    for named in context.named:
        base = re.sub(re.escape(named), " ", base, flags=re.IGNORECASE)
    return f"{current.norm} {names} {base}"
