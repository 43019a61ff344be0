"""Whether a fact holds what a question asks: a date, a figure of the named measure and kind, an
entity of the asked kind, and enough of the question's own words beyond naming its subject. Pure.

Each check reads the fact's structure (its dates, its numbers with measure, kind and year, the
entities it is about), so a question is answered only from a fact that has the asked thing, and a
neighbouring fact is never passed off as the answer.
"""

from __future__ import annotations

import re

from bot.engine.reading import Reading, count_word
from bot.engine.search import Hit, SearchIndex
from bot.engine.text import ZH_STOP, blanked, has_cjk, stem, terms
from bot.engine.vocabulary import AMOUNT_UNITS
from bot.engine.wording import MONTHS
from bot.knowledge import Entity, Fact, Number

TARGET_KINDS = frozenset({"target"})
BODY_KINDS = frozenset({"government", "organisation"})  # public bodies: asked for by one word or the other
_MEANT = {"company": frozenset({"company", "platform"})}  # 'which companies grew': Bilibili, a platform, too


def kinds_meant(kind: str) -> frozenset[str]:
    """The entity kinds a question for this kind takes as answers: a public body for either word,
    a platform for a company, else the kind alone."""
    return BODY_KINDS if kind in BODY_KINDS else _MEANT.get(kind, frozenset({kind}))


GROWTH_KINDS = frozenset({"growth", "multiple"})
_DATED = re.compile(r"\b(?:" + "|".join(MONTHS) + r"|spring|summer|autumn|winter)\b|\d+月|[春夏秋冬]季|春夏之交")
_DAY = re.compile(r"\b(?:" + "|".join(MONTHS) + r") \d{1,2}\b|\d+月\d+日")
_RANGE = re.compile(r"(?:" + "|".join(MONTHS) + r") \d{1,2}(?:, \d{4})? to (?:" + "|".join(MONTHS) + r")|\d+月\d+日至")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
YEAR, DAY, TIME_OF_DAY = 1, 3, 4  # the precision a date cue's value asks for
_FIGURE_TERM = re.compile(r"\d+(?:[.,]\d+)*")
_QUOTED = re.compile(r'"[^"]+"|“[^”]+”')
_BY_YEAR = re.compile(r"\b(?:by|through) 20\d\d\b|20\d\d年(?:前|底)?")
ASKING = frozenset(  # 'going to' and 'published' say when, not what: no fact need write them
    "date figure which who where how why opinion source overview yesno name title filler newtopic span author".split()
    + [
        "future",
        "publish",
        "aspect",
        "identity",
        "money",
        "sorts",
        "yesno-tag",
        "magnitude",
        "percent",
        "above",
        "below",
    ]
)
QUESTION_WORDS = ("which", "who", "where", "how", "date", "deadline", "source", "overview", "name", "yesno", "figure")
OTHER_ASKS = tuple("which who where how why opinion date deadline source name yesno overview".split())
KEYWORDS = 8  # a keyword query holds at most this many terms (Chinese characters and pairs count)
UNKNOWN_WEIGHT = 1.0  # a word the knowledge never uses counts this much (a known word, its rarity)


def keyword_only(reading: Reading) -> bool:
    """True for a question written as a few keywords ('guangzhou sales 2020'): no question word,
    no question mark, and short."""
    if reading.asks(*QUESTION_WORDS) or reading.question.rstrip().endswith(("?", "？")):
        return False
    return len(reading.query.slots) <= KEYWORDS


def figure_shaped(reading: Reading) -> bool:
    """True when the question wants a figure: it asks how many or how much, or for a rank, or is
    keywords naming a measure or growth ('guangzhou sales 2020', 'ximalaya growth')."""
    if reading.asks("date", "deadline", "source", "who") or reading.asked_kind:
        return reading.asks("figure", "money")
    if reading.asks("figure", "amount", "money", "rank") or reading.asked_measure:
        return True
    if reading.asks("compare", "superlative") and reading.measures:
        return True  # 'which grew more, parcels or online shopping': figures of those measures
    if reading.measures and not reading.asks(*OTHER_ASKS) and len(reading.query.slots) <= KEYWORDS + 4:
        return True  # 'tell me guangzhou's live sales for 2020': the measure is what is asked
    return keyword_only(reading) and (bool(reading.measures) or reading.asks("growth"))


def answering_numbers(reading: Reading, fact: Fact) -> tuple[Number, ...]:
    """The figures of a fact that can answer the question's figure: of the measure it names, in
    yuan when it asks for money, not a plan's target when it asks what happened, not a ranking when
    it asks for an exact count, and of growth when it asks how much something grew."""
    amount = reading.asks("amount") and not reading.asks("compare")  # 'more than hangzhou? by how much': any figure
    asked = set(reading.measures) - reading.qualifiers if amount else set(reading.measures)
    if asked - reading.described:
        asked -= reading.described  # 'viewers of the 3 hour stream': the viewers are asked, not the hours
    numbers = fact.numbers
    if asked:
        numbers = tuple(n for n in numbers if n.measure in asked)
    if reading.counted:
        counting = tuple(n for n in numbers if (n.kind == "rank" and n.measure in asked) or _counts(reading, fact, n))
        numbers = counting or (numbers if asked else ())  # 'how many influencer brokerage / mcn firms': the MCNs
    elif reading.counted_measures:  # 'how many people watched the sales stream': viewers, not sales
        numbers = tuple(n for n in numbers if n.measure in reading.counted_measures)
    if amount:
        numbers = tuple(n for n in numbers if n.unit in AMOUNT_UNITS)
        if reading.asks("spend"):
            numbers = tuple(n for n in numbers if n.unit == "yuan")
    if reading.asks("money"):
        numbers = tuple(n for n in numbers if n.unit == "yuan")
    exact = reading.asks("exact") and not reading.asks("superlative")  # 'what exactly did it rank 1st in': a rank
    if exact or (reading.asks("figure") and not reading.measures):
        numbers = tuple(n for n in numbers if n.kind != "rank")
    if exact and reading.measures and not reading.asks("growth", "compare"):  # 'bilibili's actual revenue number'
        numbers = tuple(n for n in numbers if n.kind not in GROWTH_KINDS)
    if not allows_targets(reading):
        numbers = tuple(n for n in numbers if n.kind not in TARGET_KINDS)
    growth = (
        reading.asks("growth")
        and not (reading.counted or reading.counted_measures)  # "how many stores grew": a count of stores
        and (reading.asks("figure", "amount") or any(n.kind in GROWTH_KINDS for n in numbers))
    )
    if growth:  # 'by how much did it grow' is answered by growth alone
        numbers = tuple(n for n in numbers if n.kind in GROWTH_KINDS)
    return numbers


def _counts(reading: Reading, fact: Fact, number: Number) -> bool:
    """True if a figure counts what a how-many question counts: its unit is the counted word or a
    synonym of it ('firms' for enterprises), or it counts people and the fact names them ('how many
    sellers': 10,000 people who sell goods); a Chinese one, when the figure's measure is named with it."""
    counted = reading.counted
    if has_cjk(counted[0]):  # 多少学员: a count of people, when the figure counts people
        return number.measure in reading.counted_measures or (number.unit == "people" and reading.counts_people)
    options = {t for s in reading.query.slots if s.term in counted for t, _ in s.options} | set(counted)
    if stem(number.unit) in options:
        return True
    return number.unit == "people" and reading.counts_people and bool(options & set(terms(fact.text)))


def allows_targets(reading: Reading) -> bool:
    """A plan's target answers a question about plans, aims or what will be; not 'how much did X sell'."""
    if reading.asks("target", "deadline", "compare", "superlative"):
        return True
    return not reading.asks("yesno", "exact") or any(e.kind == "plan" for e in reading.subjects)


def dated(index: SearchIndex, reading: Reading, fact: Fact) -> bool:
    """True if a fact gives a date as precise as the question asks: a day for 'what day', 哪天; a
    month (or a season) for 'when'; a year for 'what year'; a range for when something began or
    ended. Its source's date counts when the question asks when something was published."""
    asked = max((f.value or 0 for f in reading.found if f.means == "date"), default=0)
    if asked >= TIME_OF_DAY:
        return False  # no fact gives a time of day
    if reading.asks("span"):  # when it began or ended: a range, or the day a fact says it began
        ranged = _RANGE.search(fact.text) is not None or _RANGE.search(fact.text_zh or "") is not None
        began = reading.asks("began") and index.marked(fact.id, "began")  # 'was launched on May 10'
        precise = _DAY if asked >= DAY else _DATED  # 'since February 2020' says from which month
        return ranged or (began and any(precise.search(t) for t in (fact.text, fact.text_zh or "")))
    dates = [fact.date or ""]
    if reading.asks("publish"):
        dates.append(index.kb.sources[fact.source].date or "")
    texts = (fact.text, fact.text_zh or "")
    if asked >= DAY:
        return any(len(d) >= 10 for d in dates) or any(_DAY.search(t) for t in texts)
    if asked == YEAR:
        return any(dates) or any(_YEAR.search(t) for t in texts)
    return any(len(d) >= 7 for d in dates) or any(_DATED.search(t) for t in texts)


def has_deadline(fact: Fact) -> bool:
    """True if a fact says by when something is to be done: a target's year, a plan's length."""
    if any(n.kind == "target" and n.year for n in fact.numbers) or any(
        n.measure == "plan-duration" for n in fact.numbers
    ):
        return True
    return _BY_YEAR.search(fact.text) is not None


def names_kind_needed(reading: Reading) -> bool:
    """True when 'which X' asks for a named entity. 'Which officials...' may be answered with a
    description of them; 'who is the biggest anchor', 'the name of the official', 'which official'
    and 'which official ... the most' may not."""
    if reading.asked_kind != "person":
        return bool(reading.asked_kind)
    return reading.names_person or reading.asks("name", "superlative")


def named_of_kind(index: SearchIndex, fact: Fact, kind: str, subjects: tuple[Entity, ...]) -> list[str]:
    """The entities of the kind asked for that a fact is about, other than the question's subjects;
    when the question lists candidates of that kind ('which city: Shanghai, Hangzhou or Guangzhou?'),
    those of them it is about."""
    kinds = kinds_meant(kind)  # 哪个部门: a ministry or a centre under it
    choices = {s.id for s in subjects if s.kind in kinds}
    others = [e for e in fact.about if e not in {s.id for s in subjects} or e in choices]
    return [e for e in others if index.kb.entities[e].kind in kinds]


def holds(index: SearchIndex, reading: Reading, fact: Fact) -> bool:
    """True if the fact has the attribute the question asks for (see the module's docstring)."""
    if reading.asks("deadline") or (reading.asks("date") and reading.asks("future", "outcome")):
        return has_deadline(fact)
    if reading.asks("date"):
        return dated(index, reading, fact)
    if reading.asks("fullyear") and index.marked(fact.id, "quarter"):
        return False  # a quarter's figure is not the whole year's
    if reading.quarters and not index.marked(fact.id, "quarter"):
        return False  # 'hangzhou's q1 number': only a figure of a quarter
    if reading.asks("why") and not index.marked(fact.id, "because"):
        return False  # a 'why' is answered only by a fact that gives a reason
    if reading.asks("frequency") and not index.marked(fact.id, "frequent"):
        return False  # 'how often' only by a fact that says ('an annual summit forum')
    if reading.asks("opinion") and not index.marked(fact.id, "stance"):
        return False  # 'what does X think' only by a fact that reports a view
    if reading.asks("title") and not _QUOTED.search(fact.text):
        return False  # 'what is Shanghai called' only by a fact that quotes what it is called
    if reading.asked_kind and names_kind_needed(reading):
        named = named_of_kind(index, fact, reading.asked_kind, reading.subjects)
        return bool(named) and len(named) >= (reading.asked_count or 1)
    if reading.asks("share") and not reading.asks("growth"):  # 'what share of the sales came from live streams'
        return any(n.kind == "share" for n in answering_numbers(reading, fact))
    if figure_shaped(reading):
        return bool(answering_numbers(reading, fact))
    return _speaks_of_unheld(index, reading, fact)


def _speaks_of_unheld(index: SearchIndex, reading: Reading, fact: Fact) -> bool:
    """False if the question names a measure the knowledge has no figure of and the fact never
    speaks of it ('what did the trainees score': the fact says they passed); a fact that writes it
    ('special funding support') answers what it says of it."""
    unheld = index.unheld.intersection(reading.measures)
    if not unheld or reading.asked_kind or reading.asks("where"):
        return True
    return all(index.marked(fact.id, measure) for measure in unheld)


def subject_terms(reading: Reading) -> frozenset[str]:
    """The question's terms that only name its subjects ('hangzhou' in 'hangzhou's plan targets')."""
    found: set[str] = set()
    subjects = set(reading.subjects)
    for mention in (m for m in reading.query.mentions if m.entity in subjects):
        found.update(terms(mention.text))
        found.update(terms(mention.entity.name))
        at = reading.norm.find(mention.text)
        if at >= 0 and has_cjk(mention.text):  # the pairs a Chinese name makes with its neighbours
            end = at + len(mention.text)
            found.update(reading.norm[i : i + 2] for i in (at - 1, end - 1) if i >= 0 and i + 2 <= len(reading.norm))
    return frozenset(found)


def asking_terms(reading: Reading, also: frozenset[str] = frozenset()) -> frozenset[str]:
    """The question's terms that only ask ('哪天', 'what', 'source', the 'outlet' of 'which outlet'),
    found by the vocabulary: they say what kind of answer is wanted, not what it is about. `also`:
    cue meanings that count as asking too."""
    asking = [
        (f.start, f.end)
        for f in reading.found
        if (f.table == "cue" and f.means in ASKING | also)
        or (f.table == "kind" and f.means == reading.asked_kind)
        or (f.means == "pronoun" and has_cjk(reading.norm[f.start : f.end]))  # 这个, 它: no word of the facts
    ]
    kept = {t for t in terms(blanked(reading.norm, asking)) if not count_word(t, reading.asked_count)}
    if reading.yes_no:  # the figure a yes-or-no question claims is checked, not matched ('over 4000?')
        kept = {t for t in kept if not _FIGURE_TERM.fullmatch(t)}
    return frozenset(s.term for s in reading.query.slots if s.term not in kept)


def asked_coverage(
    index: SearchIndex,
    reading: Reading,
    hit: Hit,
    *,
    known_only: bool = False,
    also: frozenset[str] = frozenset(),
    ignoring: frozenset[str] = frozenset(),
) -> float:
    """The share (by weight) of what the question asks beyond naming its subjects that the fact
    matches; 1.0 when it asks nothing more. With known_only, words the knowledge never uses do not
    count (a fact that holds the asked date need not know 'wrap up'); with `also`, neither do the
    words of those cue meanings, and with `ignoring`, neither do those terms. Single Chinese characters and
    pairs the knowledge never writes do not count: the words they make are what a question asks."""
    known = {s.term: bool(s.options) for s in reading.query.slots}
    weights = {t: w if known.get(t) else UNKNOWN_WEIGHT for t, w in index.slot_weights(reading.query).items()}
    named = subject_terms(reading) | asking_terms(reading, also) | set(terms(reading.left_out))
    named |= _stood_in(index, reading, hit.fact) | reading.straddling | ignoring
    asked = [
        (k, term)
        for k, term in enumerate(hit.terms)
        if term not in named and (known.get(term) or not known_only) and not _cjk_noise(index, term, known)
    ]
    total = sum(weights.get(term, 0.0) for _, term in asked)
    if not total:
        return 1.0
    got = sum(weights.get(term, 0.0) for k, term in asked if hit.bits >> k & 1)
    return got / total


def _stood_in(index: SearchIndex, reading: Reading, fact: Fact) -> set[str]:
    """The words of a measure the question names that the fact's figure may be of ('营收' of
    Ximalaya's 32%): its own words cannot write what the article leaves open."""
    held = {n.measure for n in fact.numbers}
    spans = [
        (f.start, f.end)
        for f in reading.found
        if f.table == "measure" and f.means not in held and held.intersection(index.may_be.get(f.means, ()))
    ]
    return {t for start, end in spans for t in terms(reading.norm[start:end])}


_POSSESSIVE = "的"


def _cjk_noise(index: SearchIndex, term: str, known: dict[str, bool]) -> bool:
    """A single Chinese character, or a pair the knowledge never writes: the words a question is
    made of are what it asks, not the pairs that straddle them. A character that is a word of a
    synonym group (缺, lack) is a word; a pair of particles and the like (都是) is none."""
    if not has_cjk(term):
        return False
    if all(ch in ZH_STOP for ch in term):
        return True
    if _POSSESSIVE in term and not index.synonyms.get(term):
        return True  # 里的, 的直 of 新职业里的直播工种: 的 joins words, a pair across it is none
    return not known.get(term) or (len(term) == 1 and not index.synonyms.get(term))


def structural(reading: Reading) -> bool:
    """True when the question asks for something a fact's structure shows: a date, a deadline, a
    figure, a rank, an entity of a named kind, an epithet. A fact that holds it needs to match less of the
    question's wording than a fact answering a question in words alone."""
    if reading.asks("date", "deadline", "rank", "title") or reading.asked_kind:
        return True
    return figure_shaped(reading)
