"""What the knowledge cannot speak to: names, years, quarters, editions, times, outcomes. Pure.

`out_of_scope(index, reading)` gives the message to decline with before any fact is chosen, or ''
when the question may be in scope. Each rule looks at what the knowledge holds (its years, its
ranks, the editions in its entities' names), not at a list of questions.
"""

from __future__ import annotations

import functools
import re

from bot.engine import grounding, wording
from bot.engine.reading import Reading, unknown_names
from bot.engine.search import SearchIndex
from bot.engine.text import has_cjk, normalise
from bot.knowledge import Entity

_VERB_BEFORE = re.compile(r"\b(?:they|we|to|did|does|do|will|would)\s+$")  # 'when did they report'
_VERB_AFTER = re.compile(
    r"\s+(?:the|a|an|its|their|his|her|on|that|this|these|those|it|them)\b"
)  # "report the results"
TARGETED_KINDS = frozenset({"plan"})  # entities whose figures are targets set for later
OWNED_KINDS = frozenset({"plan", "event", "report"})  # things a place or company has or has not


def out_of_scope(index: SearchIndex, reading: Reading) -> str:
    """A reason to decline before ranking, or '' when the question may be in scope."""
    language = reading.language
    say = functools.partial(wording.message, language)
    if reading.query.outside:
        names = ", ".join(wording.entity_name(o, language) for o in reading.query.outside)
        return say("outside").format(names=names)
    years = reading.years - index.years
    if years:
        return say("years").format(years=", ".join(str(y) for y in sorted(years)))
    if asks_present_state(reading):
        return say("time")
    if reading.asks("later"):
        return say("later")
    if reading.asks("injection"):
        return say("injection")
    if reading.asks("ownview"):
        return say("ownview")
    if reading.asks("previous") and any(e.kind == "event" for e in reading.subjects):
        event = next(e for e in reading.subjects if e.kind == "event")
        return say("previous").format(name=wording.entity_name(event, language))
    if reading.asks("howto"):
        return say("howto")
    if _asks_outcome(reading) or _asks_past_deadline(index, reading):
        return say("outcome")
    ranking = reading.asks("rank", "superlative") or reading.measures or reading.asked_kind
    if ranking and reading.ordinals and not reading.ordinals & index.ranks:
        return say("rank")
    listing = reading.asks("rank", "superlative") or index.ranking_measures.intersection(reading.measures)
    if reading.asks("rest") and listing:  # 'the full top 10 list', 十大城市完整名单
        return say("rank")
    if reading.asks("rest") and (reading.asked_kind or reading.asks("name", "which", "identity")):
        return say("rest")  # 'what are the other new occupations called': the article names some only
    if reading.quarters - index.quarters:
        return say("quarter")
    edition = _other_edition(index, reading)
    if edition:
        return edition
    untitled = _untitled(reading)
    if untitled:
        return untitled
    absent = _absent_kind(index, reading)
    if absent:
        return absent
    unknown = unknown_names(reading)
    if unknown:
        return say("unknown-name").format(names=", ".join(unknown))
    return ""


def asks_present_state(reading: Reading) -> bool:
    """True for 'is Taobao still first today?' or 'how many work there now': a figure or a rank at
    the time of asking. 'What is the village trying to become now?' and 'is live selling an
    official job now?' ask what the article tells and are answered as of its time."""
    if not reading.asks("now") or reading.asks("target"):
        return False
    return grounding.figure_shaped(reading) or reading.asks("rank", "superlative")


def _asks_past_deadline(index: SearchIndex, reading: Reading) -> bool:
    """True for 'did Shanghai gather 100+ companies by 2022?': a yes/no in the past tense about a
    year after its sources were written, which asks whether a target was met. 'Does the plan aim for
    100+ by 2022?' and 'did the plan set a 2022 target?' ask what the plan says."""
    if not reading.yes_no or index.written is None or not any(year > index.written for year in reading.years):
        return False
    past = any(f.means == "yesno" and not has_cjk(reading.norm[f.start : f.end]) for f in reading.found)
    of_plan = any(e.kind in TARGETED_KINDS for e in reading.subjects)  # 'did the plan set a 2022 target'
    return past and not of_plan


def _asks_outcome(reading: Reading) -> bool:
    """True for 'did they hit the target?', '建成了吗': whether a plan came true, which a spring 2020
    report cannot know. A yes/no question about a ranking ('did Hangzhou reach first place') or a
    figure ('did Bilibili's revenue really fall?') is not one: the report gives those."""
    if not (reading.asks("outcome", "exact") and reading.yes_no):
        return False
    planned = reading.asks("target", "deadline") or any(e.kind in TARGETED_KINDS for e in reading.subjects)
    if not reading.asks("outcome"):  # 'is there actually a talent shortage?' asks what the article says
        return planned
    return planned or not (reading.asks("rank", "superlative") or reading.measures)


def edition_of(index: SearchIndex, entity: Entity) -> int | None:
    """The edition an entity's own name gives ('Second "Double Product" ... Festival' -> 2), if any."""
    values = {f.value for f in index.vocabulary.find(normalise(entity.name)) if f.means == "ordinal"}
    return values.pop() if len(values) == 1 else None


def _other_edition(index: SearchIndex, reading: Reading) -> str:
    """A decline for 'the first/third festival' when the knowledge holds another edition only."""
    mentioned = {n for _, n in reading.editions} | set(reading.ordinals)
    for entity, asked in reading.editions:
        own = edition_of(index, entity)
        against = reading.asks("growth", "compare") and _compared_with(index, entity, asked)
        if own is not None and asked != own and own not in mentioned and not against:
            name = wording.entity_name(entity, reading.language)
            words = wording.ordinal_word(asked, reading.language)
            return wording.message(reading.language, "edition").format(name=name, asked=words)
    return ""


def _compared_with(index: SearchIndex, entity: Entity, edition: int) -> bool:
    """True if a fact about an event measures it against another edition ('1.37 times over the
    first festival'): asking how much it grew on that edition is in scope, not its own figures."""
    for fact_id in index.concerning(entity):
        fact = index.fact(fact_id)
        if any(n.kind in ("growth", "multiple") for n in fact.numbers):
            found = index.vocabulary.find(normalise(fact.text))
            if any(f.means == "ordinal" and f.value == edition for f in found):
                return True
    return False


def _absent_kind(index: SearchIndex, reading: Reading) -> str:
    """A decline for 'has Shenzhen published an action plan?': the question asks about a plan (a
    festival, a report) of a subject, and the knowledge has no entity of that kind tied to it. A
    kind word followed by 'the' or 'its', or after 'they' or 'to', is a verb ('did the ministry
    report the results', 'when did they report')."""
    named = {
        f.means
        for f in reading.found
        if f.table == "kind"
        and f.means in OWNED_KINDS
        and not _VERB_AFTER.match(reading.norm, f.end)
        and not _VERB_BEFORE.search(reading.norm[: f.start])
    }
    subjects = reading.subjects
    if not named or not subjects or any(e.kind in named for e in subjects):
        return ""
    for kind in sorted(named):
        if not any(_ties(index, subject, kind) for subject in subjects):
            names = ", ".join(wording.entity_name(e, reading.language) for e in subjects)
            word = wording.kind_word(kind, reading.language)
            return wording.message(reading.language, "no-kind").format(kind=word, names=names)
    return ""


def _ties(index: SearchIndex, subject: Entity, kind: str) -> bool:
    """True if some entity of the kind is part of the subject or shares a fact with it."""
    entities = index.kb.entities
    for fact_id in index.concerning(subject):
        fact = index.fact(fact_id)
        if any(entities[e].kind == kind for e in fact.about):
            return True
    return any(e.kind == kind and e.part_of == subject.id for e in entities.values())


def _untitled(reading: Reading) -> str:
    """A decline for 'what is X officially called?' when the source gives X no formal title."""
    if not reading.asks("name"):
        return ""
    for entity in reading.subjects:
        if not entity.titled:
            zh = reading.language == "zh"
            description = (entity.description_zh if zh else None) or entity.description or ""
            name = wording.entity_name(entity, reading.language)
            return wording.message(reading.language, "untitled").format(name=name, description=description)
    return ""
