"""How a question reads: what it is about and what it asks of it. Pure.

`read(index, question)` gives a Reading: the entities it names (exactly or through a typo), the
outside names, years, quarters and editions it speaks of, and what it asks for (a date, a figure of
some measure, a target or a result, a source, a rank, which kind of entity), all found through the
knowledge's own vocabulary (bot.engine.vocabulary), not word lists in code.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from bot.engine.names import Mention, name_key
from bot.engine.search import Query, SearchIndex
from bot.engine.text import CJK, EN_STOP, ZH_STOP, blanked, has_cjk, normalise, stem, words
from bot.engine.vocabulary import QUIET, Found, Word, asked_with_how, latin_words
from bot.engine.wording import MONTHS
from bot.knowledge import Entity

CHITCHAT = ("greeting", "thanks", "help")
SPECIFIC_KINDS = frozenset(
    "city province village district company platform brand person media event plan report government".split()
)
ZH_DESCRIBING = 2  # Chinese characters that may describe the kind asked for (哪些国际大牌)
SUBJECT_SCORE = 0.85  # a name found through a typo this close is taken as named
READINGS = 512  # readings kept
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_COPULA = re.compile(r"(?:'s|\s+(?:is|was|are|were))?")  # 'what is the area': the measure is asked
_PLURAL_COPULA = re.compile(r"(?:\s+(?:are|were))?")  # 'what were the new occupations': their names
_FILLER = frozenset("of the a an for exactly".split())
MAX_DESCRIBING = 3  # words between 'which' and the kind it asks for ('which car brands')
_AFTER_NUMBER = re.compile(r"\d\s*-?\s*$")  # '3 hour', '4-hour', '3小时': a figure describing the thing
_MONTH_BEFORE = re.compile(r"\b(?:" + "|".join(m.casefold() for m in MONTHS) + r")\s+$")  # 'may 5th': a day
ATTRIBUTE_ASKS = frozenset(  # cue meanings that ask something of an entity, not for all about it
    "date deadline figure amount money source target growth rank superlative compare outcome where span "
    "publish future spend why opinion title share quarter fullyear exact edition".split()
)
OVERVIEW_WORDS = frozenset({"overview", "which", "who", "filler"})  # a name beside only these asks all about it
IDENTITY_BEFORE, IDENTITY_AFTER, IDENTITY_ALONE = 1, 2, 3  # where an identity cue stands to the person word
_NUMBER_WORDS = {
    **{w: n for n, w in enumerate("two three four five six seven eight nine ten".split(), 2)},
    **{c: n for n, c in enumerate("二三四五六七八九十", 2)},
    "两": 2,
}
_COUNT_EN = re.compile(r"\b(\d+|two|three|four|five|six|seven|eight|nine|ten)\s+(?:[a-z'-]+\s+){0,2}$")
_COUNT_ZH = re.compile(r"(\d+|[两二三四五六七八九十])[个家座位名条项种]?[\u4e00-\u9fff]{0,3}$")
_ONE = re.compile(r"\s*ones?\b")
CLASSIFIERS = "个家些座位名种项条件张辆台次批笔场届"
_QUOTES = " \"'“”《「"
_PARTICLES = set("吗呢啊吧呀哈嘛的了？！。，、?!.,~ ")


@dataclass(frozen=True, slots=True)
class Reading:
    """A question as the engine understands it, before any fact is chosen."""

    question: str
    norm: str
    language: str
    query: Query
    found: tuple[Found, ...]
    cues: frozenset[str]
    measures: tuple[str, ...]  # measure ids the question names, in order
    asked_kind: str | None  # "which city ...", "哪家媒体": the kind of entity asked for
    asked_measure: bool  # "what turnover target ...": a figure of a named measure is asked for
    names_person: bool  # "who is hangzhou's biggest anchor", "阿里负责人叫啥": a person's name is asked for
    asked_count: int | None  # "all ten cities", "另外九个新职业": how many named entities are asked for
    years: frozenset[int]
    quarters: frozenset[int]
    editions: tuple[tuple[Entity, int], ...]  # an ordinal written just before an entity's name
    ordinals: frozenset[int]  # ordinals standing alone ("ranks second")
    yes_no: bool
    chitchat: str  # "greeting", "thanks" or "help" when that is all the message is; else ""
    counted: tuple[str, ...] = ()  # what a how-many question counts: stems, or a Chinese word
    counted_measures: frozenset[str] = frozenset()  # the measures whose Chinese words hold that word
    counts_people: bool = False  # what is counted is people ('how many sellers', 'how many students')
    qualifiers: frozenset[str] = frozenset()  # named measures that only say when or where ('in 3 hours')
    described: frozenset[str] = frozenset()  # of those, the ones a number gives ('the 3 hour stream')
    excluded: tuple[Entity, ...] = ()  # 'besides Shanghai', '除了互联网营销师': named only to be left out
    left_measures: frozenset[str] = frozenset()  # 'besides broadcast numbers': measures left out
    left_out: str = ""  # the words of the 'besides' clause: not what the question asks
    straddling: frozenset[str] = frozenset()  # Chinese pairs across the edge of a known word (划是 in 计划是谁)

    def asks(self, *means: str) -> bool:
        """True if the question carries any of these cue meanings."""
        return any(m in self.cues for m in means)

    @property
    def subjects(self) -> tuple[Entity, ...]:
        """The places, companies, people, plans and events the question names, surely enough to hold
        the answer to them; topics ('live-streaming economy') and China itself are not subjects."""
        found = (m.entity for m in self.query.mentions if m.score >= SUBJECT_SCORE and m.entity.kind in SPECIFIC_KINDS)
        return tuple(dict.fromkeys(found))


CHINESE_ASKING = frozenset({"which", "filler"})


def _unasked(index: SearchIndex, norm: str, found: tuple[Found, ...], query: Query) -> Query:
    """The search for a Chinese question without its question words and filler (哪些, 东西): the
    facts' own questions write them too, and a fact is not the answer for sharing 哪些."""
    spans = [(f.start, f.end) for f in found if f.means in CHINESE_ASKING and has_cjk(norm[f.start : f.end])]
    return index.analyse(blanked(norm, spans)) if spans else query


@functools.lru_cache(maxsize=READINGS)
def read(index: SearchIndex, question: str) -> Reading:
    """Reads one question (already NFC and stripped) against the index's knowledge. Kept for the
    most recent questions: deciding and following up read the same question again."""
    query = index.analyse(question)
    norm = normalise(question)
    spelled = index.vocabulary.spelled(norm, _known_or_named(index, query))
    if spelled != norm:  # 'how mcuh did it sell': the question as meant, for the search too
        norm, query = spelled, index.analyse(spelled)
    found = _grown_by(norm, _conjunctions(norm, _outside_names(norm, index.vocabulary.find(norm), query.mentions)))
    left_out = _besides(norm, found)
    excluded: tuple[Entity, ...] = ()
    dropped: list[Found] = []
    if left_out:  # 'besides Shanghai's, which city's plan ...': a thing of the kind asked is left out
        asked = _asked_kind(norm, found)
        names = [m for m in query.mentions if m.entity.kind == asked and _within(norm, m.text, left_out)]
        excluded = tuple(m.entity for m in names)
        if names:
            query = index.analyse(blanked(norm, [span for m in names if (span := mention_span(norm, m.text))]))
        dropped = [f for f in found if any(s <= f.start and f.end <= e for s, e in left_out) and f.means != "besides"]
        found = tuple(f for f in found if f not in dropped)
    elif has_cjk(norm):
        query = _unasked(index, norm, found, query)
    cues = frozenset(f.means for f in found if f.table == "cue")
    editions, ordinals = _ordinals(norm, found, query.mentions)
    return Reading(
        question=question,
        norm=norm,
        language="zh" if has_cjk(question) else "en",
        query=query,
        found=found,
        cues=cues,
        measures=_measures(index, found),
        asked_kind="person" if (person := _names_person(norm, found)) else _asked_kind(norm, found),
        asked_measure=_asked_kind(_blank_names(norm, query.mentions), found, table="measure") is not None
        or any(asked_with_how(norm, f) for f in found),  # 'how long was it'
        names_person=person,
        asked_count=_asked_count(norm, found),
        years=frozenset(
            int(y.group()) for y in _YEAR.finditer(question) if not index.vocabulary.multiplies(question, y.end())
        ),
        quarters=frozenset(f.value for f in found if f.means == "quarter" and f.value),
        editions=editions,
        ordinals=ordinals,
        yes_no=_yes_no(norm, found, query.mentions),
        chitchat=_chitchat(norm, found),
        counted=(counted := _counted(norm, found)),
        counted_measures=_measures_counting(index, counted) or _measures_after_how_many(norm, found),
        counts_people=_counts_people(index, query, counted) or _counts_chinese_people(norm, found, counted),
        qualifiers=frozenset(f.means for f in found if f.table == "measure" and f.means in index.qualifying_measures),
        excluded=excluded,
        left_measures=frozenset(f.means for f in dropped if f.table == "measure"),
        left_out=" ".join(norm[s:e] for s, e in left_out),
        straddling=_straddling(index, norm, found),
        described=frozenset(
            f.means
            for f in found
            if f.table == "measure" and f.means in index.qualifying_measures and _AFTER_NUMBER.search(norm[: f.start])
        ),
    )


def _straddling(index: SearchIndex, norm: str, found: tuple[Found, ...]) -> frozenset[str]:
    """The Chinese pairs that cross the edge of a word the vocabulary or the synonyms know (划是 in
    计划是谁发的, 商基 in 电商基地): the words a question is made of are what it asks, not the pairs
    that straddle them."""
    spans = [(f.start, f.end) for f in found]
    longest = max(map(len, index.cjk_words), default=0)
    spans += [
        (i, i + size)
        for i in range(len(norm))
        for size in range(2, longest + 1)
        if norm[i : i + size] in index.cjk_words
    ]
    pairs = {norm[edge - 1 : edge + 1] for span in spans for edge in span if edge > 0}
    inside = {norm[i : i + 2] for start, end in spans for i in range(start, end - 1)}
    return frozenset(p for p in pairs - inside if len(p) == 2 and has_cjk(p[0]) and has_cjk(p[1]))


def _measures(index: SearchIndex, found: tuple[Found, ...]) -> tuple[str, ...]:
    """The measures a question names, in order, then those whose figures may be of them: the
    article may leave open what a figure counts ('Ximalaya grew 32%', after Bilibili's revenue)."""
    named = [f.means for f in found if f.table == "measure"]
    return tuple(dict.fromkeys(named + [m for n in named for m in index.may_be.get(n, ())]))


CLAUSE_ASKS = frozenset({"which", "who", "how", "figure", "where", "why"})
BESIDES_END = frozenset({"which", "who", "how", "where", "why", "other"})  # question words end a 'besides'
_CLAUSE_END = re.compile(r"[,，;；:：?？—]| - ")


def _besides(norm: str, found: tuple[Found, ...]) -> list[tuple[int, int]]:
    """The spans a 'besides X' (除了X) leaves out: from the word to the end of its clause, at a
    comma or dash, or at the question word after it ('besides a talent shortage what other gaps')."""
    spans = []
    for cue in (f for f in found if f.table == "cue" and f.means == "besides"):
        asks = [f.start for f in found if f.table == "cue" and f.means in BESIDES_END and f.start >= cue.end]
        stop = _CLAUSE_END.search(norm, cue.end)
        spans.append((cue.start, min([len(norm), *asks, *([stop.start()] if stop else [])])))
    return spans


def _within(norm: str, text: str, spans: list[tuple[int, int]]) -> bool:
    span = mention_span(norm, text)
    return span is not None and any(s <= span[0] and span[1] <= e for s, e in spans)


def _conjunctions(norm: str, found: tuple[Found, ...]) -> tuple[Found, ...]:
    """The words found, less an 'and' that joins two asks ('who published it and when' asks both,
    leaning on nothing), and less a 'when' that joins a clause to a question already asked ('what
    slogans were used when officials started streaming' asks for slogans, not a date) and the start
    or end words of that clause."""
    joining = [cue for cue in found if cue.means == "ellipsis" and norm[cue.start : cue.end] == "and"]
    joining = [cue for cue in joining if any(_asks_in_clause(norm, f, cue) for f in found)]
    found = tuple(f for f in found if f not in joining)
    for cue in found:
        if cue.means != "date" or norm[cue.start : cue.end] != "when":
            continue
        if norm[: cue.start].rstrip().endswith(" and"):
            continue  # 'who published it and when': a second ask
        if any(f.table == "cue" and f.means in CLAUSE_ASKS and f.end <= cue.start for f in found):
            return tuple(f for f in found if f is not cue and not (f.means == "span" and f.start > cue.start))
    return found


def _grown_by(norm: str, found: tuple[Found, ...]) -> tuple[Found, ...]:
    """The words found, less a comparing 'by how much' right after a growth word: 'bilibili grew by
    how much' asks the growth, setting nothing against it."""
    growth = [f for f in found if f.means == "growth"]
    return tuple(
        f
        for f in found
        if not (
            f.means == "compare"
            and norm.startswith("by ", f.start)
            and any(g.end <= f.start and not norm[g.end : f.start].strip() for g in growth)
        )
    )


def _asks_in_clause(norm: str, ask: Found, cue: Found) -> bool:
    """True if a question word stands before a cue in the same clause ('who published the plan and')."""
    return (
        ask.table == "cue"
        and ask.means in CLAUSE_ASKS
        and ask.end <= cue.start
        and not _CLAUSE_END.search(norm, ask.end, cue.start)
    )


def _known_or_named(index: SearchIndex, query: Query) -> Callable[[str], bool]:
    """Words a spelling slip is not looked for in: those the knowledge knows and those inside a
    name the question was found to mention, typos of names included."""
    named = {w for m in query.mentions for w in m.text.split()}
    return lambda word: word in named or index.known_word(word)


def _outside_names(norm: str, found: tuple[Found, ...], mentions: tuple[Mention, ...]) -> tuple[Found, ...]:
    """The vocabulary found outside the entities' names: 网购 inside 双品网购节, 'online shopping'
    inside 'double product online shopping festival', name no measure."""
    named = [m for m in mentions if m.entity.kind in SPECIFIC_KINDS or _is_name(m)]
    spans = [span for m in named if (span := mention_span(norm, m.text))]
    inside = [f for f in found if f.table != "cue" and any(s <= f.start and f.end <= e for s, e in spans)]
    return tuple(f for f in found if f not in inside)


def mention_span(norm: str, text: str) -> tuple[int, int] | None:
    """Where a mention stands in the normalised question, punctuation between its words allowed
    ('second "double product" online shopping festival' for the name's words)."""
    at = norm.find(text)
    if at >= 0:
        return at, at + len(text)
    if has_cjk(text):
        return None
    match = re.search(r"(?:'s)?\W+".join(re.escape(w) for w in text.split()), norm)
    return (match.start(), match.end()) if match else None


def _is_name(mention: Mention) -> bool:
    """True if a mention is the entity's own name, not one of its looser aliases."""
    entity = mention.entity
    return name_key(mention.text) in (name_key(entity.name), name_key(entity.name_zh or ""))


def _ordinals(
    norm: str, found: tuple[Found, ...], mentions: tuple[Mention, ...]
) -> tuple[tuple[tuple[Entity, int], ...], frozenset[int]]:
    """Ordinals written just before an entity's name ('the first double product festival', 第一届…),
    as (entity, ordinal), and the ordinals standing alone ('ranks second'); one inside a name
    ('second double product festival') is the name's own, one before 'edition' is the named event's,
    one after a month is a day ('may 5th'), and 'the 2nd one' after an event's name is its edition."""
    spans = [(m.entity, *span) for m in mentions if (span := mention_span(norm, m.text))]
    editions: list[tuple[Entity, int]] = []
    alone: set[int] = set()
    for o in found:
        if o.table != "cue" or o.means != "ordinal" or not o.value:
            continue
        if any(start <= o.start < end for _, start, end in spans) or _MONTH_BEFORE.search(norm[: o.start]):
            continue
        attached = [e for e, start, _ in spans if o.end <= start and not norm[o.end : start].strip(_QUOTES)]
        if not attached and of_edition(norm, found, o):
            attached = [e for e, _, _ in spans if e.kind == "event"][:1]  # 'the festival's 2nd edition', 第一届
        if not attached and _ONE.match(norm, o.end):  # 'the ministry's festival, the 2nd one'
            attached = [e for e, _, end in spans if e.kind == "event" and end <= o.start][-1:]
        editions += [(e, o.value) for e in attached]
        if not attached:
            alone.add(o.value)
    return tuple(editions), frozenset(alone)


def of_edition(norm: str, found: tuple[Found, ...], ordinal: Found) -> bool:
    """True if an ordinal counts editions: an edition word right after it ('2nd edition') or
    inside it (第一届)."""
    return any(
        f.means == "edition"
        and (not norm[ordinal.end : f.start].strip() or (ordinal.start <= f.start and f.end <= ordinal.end))
        for f in found
    )


def _blank_names(norm: str, mentions: tuple[Mention, ...]) -> str:
    """The question with the names it mentions (and their 's) blanked out, spans kept: 'what were
    guangzhou's actual sales' asks for sales, the name describing nothing."""
    spans = [span for m in mentions if (span := mention_span(norm, m.text))]
    return blanked(norm, [(start, end + 2 if norm.startswith("'s", end) else end) for start, end in spans])


def _asked_kind(norm: str, found: tuple[Found, ...], table: str = "kind") -> str | None:
    """The kind of entity a 'which/what X' or 'the name of X' question asks for: X is the last kind
    word of the phrase after the question word, past 'the' and up to three describing words ('which
    car brands', 'which ministry official', 'the name of the alibaba exec'), or after a classifier in
    Chinese (哪家媒体). 'What kinds of people' asks for types, not names; 'what's the ...' for a thing."""
    head = _asked_kind_word(norm, found, table)
    return head.means if head else None


def _asked_kind_word(norm: str, found: tuple[Found, ...], table: str = "kind") -> Found | None:
    titles = [f for f in found if f.means == "title"]  # 被称为什么城市: the city is the epithet's
    kinds = [f for f in found if f.table == table and not any(t.end <= f.start for t in titles)]
    sorts = [f for f in found if f.means in ("sorts", "share")]  # types of a thing, a share of one: no names
    for cue in (f for f in found if f.table == "cue" and f.means in ("which", "name")):
        if any(_next_to(cue, s, norm) for s in sorts):
            continue
        if norm[cue.end :].startswith("'s") and table == "kind":
            continue  # 'what's the plan' asks about a thing; 'what's the turnover' for a figure
        copula = (_COPULA if table == "measure" else _PLURAL_COPULA).match(norm, cue.end)
        start = copula.end() if copula else cue.end
        holding = [kind for kind in kinds if kind.start <= cue.start and cue.end <= kind.end]
        if holding:  # 哪个城市, 'the new job title': the kind word holds the question word
            return holding[-1]
        if cue.means == "name" and table == "kind":  # "what's the new job called": the job's name
            named = [kind for kind in kinds if kind.end <= cue.start and not norm[kind.end : cue.start].strip()]
            if named:
                return named[-1]
        phrase = [
            kind
            for kind in kinds
            if kind.start >= start and _describes(norm[start : kind.start]) and not _acts_between(found, start, kind)
        ]
        if phrase:
            return phrase[-1]
        if has_cjk(norm[cue.start : cue.end]):  # 另外九个新职业叫什么, 车企有哪些: the kind word stands first
            before = [kind for kind in kinds if 0 <= cue.start - kind.end <= 2 and has_cjk(norm[kind.start : kind.end])]
            if before:
                return before[-1]
    return None


ACTIONS = frozenset({"publish", "began", "outcome", "future"})  # cue meanings that are verbs, not descriptions


def _acts_between(found: tuple[Found, ...], start: int, kind: Found) -> bool:
    """True if a verb stands between the question word and a kind word: 'which department published
    the new occupations' asks for the department, not for occupations."""
    return any(f.means in ACTIONS and start <= f.start and f.end <= kind.start for f in found)


def _next_to(cue: Found, other: Found, norm: str) -> bool:
    """True if a word stands right after a cue, or overlaps it ('什么' in '什么样')."""
    return cue.start <= other.start and not norm[cue.end : other.start].strip()


def _describes(between: str) -> bool:
    """True if the text between a question word and a kind word only describes the kind."""
    if not between.strip() or has_cjk(between):  # 哪几家车企, 哪两个城市, 哪些国际大牌
        left = between.strip(CLASSIFIERS + "几一二两三四五六七八九十 ")
        return len(left) <= ZH_DESCRIBING and not any(ch in ZH_STOP or not has_cjk(ch) for ch in left)
    if re.search(r"[^a-z0-9' -]", between):
        return False
    describing = [w for w in re.findall(r"[a-z0-9']+", between) if w not in _FILLER]
    return len(describing) <= MAX_DESCRIBING and not any(w in EN_STOP for w in describing)


_RANKED_IN = re.compile(r"\b(?:for|in)\s+(?:the\s+)?(?:number\s+of\s+|most\s+)?$")


def _names_person(norm: str, found: tuple[Found, ...]) -> bool:
    """True for a question after a person's identity (the vocabulary's `identity` words): 'who
    is/were the ... anchor(s)', a person word just before 是谁, 都有谁, 叫什么 (阿里负责人叫啥), or
    'who heads X' on its own."""
    if any(f.means == "compare" for f in found):
        return False  # "who's aiming for more brands, gz or hz?" asks which of the two
    people = [f for f in found if f.table == "kind" and f.means == "person"]
    if any(f.means in ("superlative", "rank") for f in found):  # 'who was no.1 for anchors': what ranks in them
        people = [p for p in people if not _RANKED_IN.search(norm, 0, p.start)]
    for cue in (f for f in found if f.means == "identity"):
        if cue.value == IDENTITY_ALONE:
            return True
        if cue.value == IDENTITY_BEFORE and any(cue.end <= p.start <= cue.end + 40 for p in people):
            return True
        if cue.value == IDENTITY_AFTER and any(0 <= cue.start - p.end <= 3 for p in people):
            return True
    return False


def count_word(term: str, count: int | None) -> bool:
    """True if a term writes the number of entities a question asks for ('2' or 'two' of 'which
    two cities'): a word that only asks."""
    return count is not None and (term == str(count) or _NUMBER_WORDS.get(term) == count)


def _asked_count(norm: str, found: tuple[Found, ...]) -> int | None:
    """How many entities a question asks to be named: a number just before the kind word it asks
    for ('all ten cities', 'the other nine new occupations', '另外九个新职业')."""
    head = _asked_kind_word(norm, found)
    if head is None:
        return None
    before = norm[max(0, head.start - 24) : head.start]
    match = _COUNT_EN.search(before) or _COUNT_ZH.search(before)
    if not match:
        return None
    word = match.group(1)
    return int(word) if word.isdigit() else _NUMBER_WORDS.get(word)


def _counted(norm: str, found: tuple[Found, ...]) -> tuple[str, ...]:
    """What a how-many question counts: the words after 'how many' ('how many online wholesalers'
    -> online, wholesal), or the Chinese word after 多少 and its classifier (多少家网批商户 -> 网批),
    else just before it (学费多少 -> 学费)."""
    for cue in (f for f in found if f.table == "cue" and f.means == "figure"):
        text = norm[cue.start : cue.end]
        if has_cjk(text):
            if any(f.table == "measure" for f in found):
                return ()  # the measure named says what is counted
            after = re.match(rf"[{CLASSIFIERS}]?([{CJK}]{{1,2}})", norm[cue.end :])
            before = re.search(rf"([{CJK}]{{2}})$", norm[: cue.start])
            words_found = [m.group(1) for m in (after, before) if m and not any(ch in ZH_STOP for ch in m.group(1))]
            return tuple(words_found[:1])
        if text.startswith("how many"):
            return _head_noun(norm, cue.end, found)
    return ()


def _head_noun(norm: str, at: int, found: tuple[Found, ...]) -> tuple[str, ...]:
    """The noun a 'how many' counts: the last plural of the noun phrase after it ('how many car
    makers' -> maker) up to a verb, else the first ('how many people watched' -> people); nothing when a
    measure's own name says what is counted ('how many new cars') or a verb follows ('how many
    passed')."""
    measured = [(f.start, f.end) for f in found if f.table == "measure"]
    phrase: list[tuple[Word, str]] = []
    for w in latin_words(norm[at:])[:6]:
        written = norm[at + w.start : at + w.end]
        if (written in EN_STOP or written.endswith("ed")) and phrase:
            break  # the noun phrase ends at 'that', 'does', 'will', or a verb ('people passed')
        if written not in EN_STOP and not written.isdigit():
            phrase.append((w, written))
    if not phrase or phrase[0][1].endswith("ed"):
        return ()  # 'how many passed': a verb, what is counted goes unsaid
    if any(start <= at + phrase[0][0].start < end for start, end in measured):
        return ()  # 'how many new cars sold thru livestreams': the measure it opens with is counted
    plurals = [i for i, (_, written) in enumerate(phrase) if written.endswith("s") and not written.endswith("ss")]
    head = phrase[plurals[-1] if plurals else 0][0]
    if any(start <= at + head.start < end for start, end in measured):
        return ()
    return (head.stem,)


def _counts_people(index: SearchIndex, query: Query, counted: tuple[str, ...]) -> bool:
    """True if a 'how many' counts people: the vocabulary calls the counted word, or what a typo in
    it stands for, a person ('how many sellres' -> sellers)."""
    if not counted or has_cjk(counted[0]):
        return False
    options = {t for s in query.slots if s.term == counted[0] for t, _ in s.options} | {counted[0]}
    return bool(options & index.vocabulary.person_stems)


def _counts_chinese_people(norm: str, found: tuple[Found, ...], counted: tuple[str, ...]) -> bool:
    """True if a Chinese 'how many' counts people: the counted word is a person word (多少学员)."""
    if not counted or not has_cjk(counted[0]):
        return False
    return any(f.table == "kind" and f.means == "person" and norm[f.start : f.end] == counted[0] for f in found)


def _measures_counting(index: SearchIndex, counted: tuple[str, ...]) -> frozenset[str]:
    """The measures a Chinese counted word belongs to (培训多少名带货达人: 带货 -> sellers-trained)."""
    if not counted or not has_cjk(counted[0]):
        return frozenset()
    word = counted[0]
    found = set()
    for measure in index.kb.measures.values():
        names = [w for w in (measure.name_zh, *measure.words) if w and has_cjk(w)]
        if any(word in name or word[0] in name for name in names):
            found.add(measure.id)
    return frozenset(found)


def _measures_after_how_many(norm: str, found: tuple[Found, ...]) -> frozenset[str]:
    """The measures a 'how many' or 'how much' names right after it ('how many people watched the
    sales stream' -> viewers): what is counted, not the measures that only describe the thing."""
    for cue in (f for f in found if f.table == "cue" and f.means == "figure"):
        if not norm[cue.start : cue.end].startswith(("how many", "how much")):
            continue
        after = [f for f in found if f.table == "measure" and f.start >= cue.end]
        if not after:
            return frozenset()
        first = min(f.start for f in after)
        between = re.findall(r"[a-z0-9']+", norm[cue.end : first])
        if len(between) <= 1 and not any(w in EN_STOP for w in between):
            return frozenset(f.means for f in after if f.start == first)
    return frozenset()


def _yes_no(norm: str, found: tuple[Found, ...], mentions: tuple[Mention, ...]) -> bool:
    """True for a yes/no question: an English one opens with 'did', 'is', 'was'... (past any
    filler and the names a follow-up is asked of: 'Hangzhou's plan was it in april?') or ends on a
    tag ('..., right?'); a Chinese one carries 吗, 是否, 有没有 anywhere."""
    skipped = [(f.start, f.end) for f in found if f.means in QUIET]
    skipped += [span for m in mentions if (span := mention_span(norm, m.text))]
    words = [w for w in latin_words(norm) if not any(start <= w.start < end for start, end in skipped)]
    opening, closing = words[:1], words[-1:]
    for f in found:
        if f.table != "cue" or f.means not in ("yesno", "yesno-opening", "yesno-tag"):
            continue
        if has_cjk(norm[f.start : f.end]) or any(f.start == w.start for w in opening):
            return True
        if f.means == "yesno-tag" and any(f.end == w.end for w in closing) and len(words) > 1:
            return True
    return False


_ASKS_SOMETHING = frozenset(
    {"date", "figure", "amount", "which", "who", "where", "how", "why", "source", "span", "began"}
)


def _chitchat(norm: str, found: tuple[Found, ...]) -> str:
    """'greeting', 'thanks' or 'help' for a message made only of such words, else ''."""
    chat = [f for f in found if f.table == "cue" and f.means in CHITCHAT]
    if not chat:
        return ""
    outside = [f for f in found if not any(c.start <= f.start and f.end <= c.end for c in chat)]
    if any(f.table == "cue" and f.means in _ASKS_SOMETHING for f in outside):
        return ""  # 'when did it start' asks a date; 'start' alone greets
    left = blanked(norm, [(f.start, f.end) for f in chat])
    latin = [w for w in words(left) if not has_cjk(w) and w not in EN_STOP and w not in ("bot", "livebot")]
    chinese = [ch for ch in left if has_cjk(ch) and ch not in ZH_STOP and ch not in _PARTICLES]
    if latin or chinese:
        return ""
    means = [f.means for f in chat]
    return "help" if "help" in means else "thanks" if "thanks" in means else "greeting"


def overview_entity(reading: Reading) -> Entity | None:
    """The entity a question is only about ('Yiwu', 'tell me about Yiwu', '义乌是什么'), if any."""
    mentions = reading.query.mentions
    if len(mentions) != 1 or mentions[0].score < SUBJECT_SCORE:
        return None
    cues = [f for f in reading.found if f.table == "cue"]
    if any(f.means in ATTRIBUTE_ASKS for f in cues):
        return None  # 'yiwu how many?', 'hangzhou when?' ask something of it
    span = mention_span(reading.norm, mentions[0].text)
    asking = [(f.start, f.end) for f in cues if f.means in OVERVIEW_WORDS] + ([span] if span else [])
    return mentions[0].entity if says_nothing(blanked(reading.norm, asking)) else None


def says_nothing(text: str) -> bool:
    """True if what is left of a question says nothing: stop words, particles and punctuation only."""
    latin = [w for w in words(text) if not has_cjk(w) and w not in EN_STOP and stem(w) not in EN_STOP]
    return not latin and not any(has_cjk(ch) and ch not in ZH_STOP and ch not in _PARTICLES for ch in text)


def unknown_names(reading: Reading) -> list[str]:
    """Capitalised words (not opening a sentence) and acronyms that the knowledge never uses."""
    unknown = set(reading.query.unknown)
    names = []
    text = unicodedata.normalize("NFKC", reading.question)
    for match in re.finditer(r"[A-Za-z][A-Za-z0-9'’-]*", text):
        word = match.group(0).split("'")[0].split("’")[0]
        opening = match.start() == 0 or re.search(r"[.?!:;\"“]\s*$", text[: match.start()]) is not None
        head = word.split("-")[0]
        capital = head[:1].isupper() and not opening
        acronym = len(head) >= 2 and head.isupper()
        if (capital or acronym) and any(stem(part) in unknown for part in re.findall(r"[a-z0-9]+", head.casefold())):
            names.append(word)
    return names
