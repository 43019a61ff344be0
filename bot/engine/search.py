"""Ranking: a field-weighted BM25 over facts, typo-tolerant terms and entity mentions.

The only module that imports rapidfuzz. SearchIndex.build(kb) indexes once; index.analyse(text)
turns a question into weighted terms, mentioned entities and words the knowledge does not know;
index.search(query) ranks facts. Scores are normalised to [0, 1]: 1 means every query term is
in the fact, weighted by how rare the term is.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import heapq
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import chain
from typing import NamedTuple

from rapidfuzz import fuzz, process

from bot.engine.names import Mention, NameTable, name_key
from bot.engine.text import EN_STOP, has_cjk, normalise, normalise_all, normalised_terms, stem, terms
from bot.engine.vocabulary import AMOUNT_UNITS, Vocabulary
from bot.knowledge import Entity, Fact, KnowledgeBase, Outside

K1 = 1.2
B = 0.4
# A fact's own text, Chinese text and keywords count 1; its entities' names and its source less.
# The ways people ask for a fact and the words for its figures' measures count less again.
FIELD_WEIGHTS = {"entity": 0.6, "other_entity": 0.3, "source": 0.4, "questions": 0.5, "measure": 0.4}
TERM_SCORER = fuzz.ratio
TERM_CUTOFF = 80.0  # a misspelt word must be this close to a known one to stand in for it
MIN_FUZZY_LEN = 4
ENTITY_BOOST = 0.35
RARE_CAP = 300  # terms in more facts than this (or 2% of them) only score facts found otherwise
MAX_TYPOS = 6  # a question with more unknown words than this (and than known ones) is not spell-checked
MAX_CANDIDATES = 300  # facts scored in full per question
UNKNOWN_WEIGHT = 0.5  # an unknown word counts this much against a fact's coverage
SYNONYM_WEIGHT = 0.8


@dataclass(frozen=True, slots=True)
class Slot:
    """One term of a question and the indexed terms, with weights, that may stand for it."""

    term: str
    options: tuple[tuple[str, float], ...]
    known: bool


@dataclass(frozen=True, slots=True)
class Query:
    """A question as the index understands it."""

    text: str
    slots: tuple[Slot, ...]
    mentions: tuple[Mention, ...]
    unknown: tuple[str, ...]
    outside: tuple[Outside, ...]
    rambling: bool = False  # mostly words the knowledge never uses


class Hit(NamedTuple):
    """A ranked fact: its score, the share of the question's weight it covers, and which of
    the question's slots it matches (bit k for slot k of `terms`).

    A named tuple rather than a frozen dataclass: every search makes up to its limit of
    them, and a tuple is built in a third of the time."""

    fact: Fact
    score: float
    coverage: float
    bits: int = 0
    terms: tuple[str, ...] = ()

    @property
    def matched(self) -> frozenset[str]:
        """The question's terms this fact matches."""
        return frozenset(term for k, term in enumerate(self.terms) if self.bits >> k & 1)


_Options = tuple[str, tuple[tuple[str, float, float], ...]]  # a slot: its term, then (option, weight, coverage cap)
SLOT_CACHE = 4096  # slots of several options whose merged postings are kept


@dataclass
class _Doc:
    fact: Fact
    tf: dict[str, float] = field(default_factory=dict)
    length: float = 0.0
    scale: float = 1.0  # BM25's length-normalised K1: a term weighs tf / (tf + scale)

    def weight(self, term: str) -> float:
        tf = self.tf.get(term)
        return 0.0 if tf is None else tf / (tf + self.scale)

    def add(self, counts: Mapping[str, int], size: int, weight: float) -> None:
        """Adds a field of `size` terms, each counting `weight`."""
        tf = self.tf
        get = tf.get
        for term, count in counts.items():
            tf[term] = get(term, 0.0) + weight * count
        self.length += weight * size


class SearchIndex:
    """An inverted index over one knowledge base's facts and entity names."""

    def __init__(self, kb: KnowledgeBase, docs: list[_Doc]) -> None:
        self.kb = kb
        self.docs = docs
        # term -> (facts holding it, their BM25-saturated term frequencies), in fact order
        self.postings: dict[str, tuple[list[int], list[float]]] = {}
        n = max(len(docs), 1)
        self.avg_len = sum(d.length for d in docs) / n or 1.0
        postings = self.postings
        for i, doc in enumerate(docs):
            scale = K1 * (1 - B + B * doc.length / self.avg_len)
            doc.scale = scale
            for term, tf in doc.tf.items():
                value = tf / (tf + scale)
                entry = postings.get(term)
                if entry is None:
                    postings[term] = ([i], [value])
                else:
                    entry[0].append(i)
                    entry[1].append(value)
        self.rare_cap = max(RARE_CAP, n // 50)
        self.idf = {t: math.log(1 + (n - len(p) + 0.5) / (len(p) + 0.5)) for t, (p, _) in self.postings.items()}
        self.max_idf = math.log(1 + (n + 0.5) / 0.5)
        self.latin_vocab: dict[str, list[str]] = defaultdict(list)  # by first letter: a typo keeps it
        for t in sorted(self.postings):
            if t.isalpha() and len(t) >= MIN_FUZZY_LEN:
                self.latin_vocab[t[0]].append(t)
        self.by_entity: dict[str, list[int]] = defaultdict(list)
        for i, doc in enumerate(docs):
            for entity in doc.fact.about:
                self.by_entity[entity].append(i)
        self.names = NameTable(kb.entities.values(), kb.outside)
        self.vocabulary = Vocabulary.build(kb)
        self._marks: dict[str, frozenset[str]] = {}
        self._negative: dict[str, bool] = {}  # fact id -> its English statement denies something
        # measures whose figures are never amounts (hours, people): named beside 'how much', they qualify
        amounts = {n.measure for f in kb.facts for n in f.numbers if n.unit in AMOUNT_UNITS}
        figured = {n.measure for f in kb.facts for n in f.numbers}
        self.qualifying_measures = frozenset(m for m in figured if m not in amounts)
        self.ranking_measures = frozenset(n.measure for f in kb.facts for n in f.numbers if n.kind == "rank")
        # a named measure -> the measures whose figures may be of it ('Ximalaya grew 32%': perhaps its revenue)
        self.may_be: dict[str, tuple[str, ...]] = {}
        for measure in kb.measures.values():
            for named in measure.may_be:
                self.may_be[named] = (*self.may_be.get(named, ()), measure.id)
        self.fact_index = {doc.fact.id: i for i, doc in enumerate(docs)}
        self.years = _years(kb)
        written = [int(s.date[:4]) for s in kb.sources.values() if s.date and s.date[:4].isdigit()]
        self.written = max(written, default=None)  # the year the sources were written: what came later they cannot know
        self.synonyms = _synonyms(kb, self.postings)
        self.cjk_words = frozenset(  # Chinese words of the synonym groups: where a question's words begin and end
            normalise(w) for group in kb.synonyms for w in group if has_cjk(w) and len(normalise(w)) >= 2
        )
        self._entity_names = {
            e.id: tuple(k for k in (name_key(n) for n in (e.name, e.name_zh, *e.aliases) if n) if len(k) >= 3)
            for e in kb.entities.values()
        }
        self._source_names = {
            s.id: {name_key(n) for n in (s.publisher, s.publisher_zh, s.title, s.title_zh) if n}
            for s in kb.sources.values()
        }
        self._concerning: dict[str, frozenset[str]] = {}
        self._entity_docs_cache: dict[str, list[tuple[float, int]]] = {}
        self._heaviest_cache: dict[str, list[int]] = {}
        self._merged_cache: dict[tuple[tuple[str, float, float], ...], list[tuple[int, float, float]]] = {}
        self.scope = {doc.fact.id: _scope(kb, doc.fact) for doc in docs}
        self.quarters = _quarters_known(kb)
        self.ranks = frozenset(int(n.value) for f in kb.facts for n in f.numbers if n.unit == "rank")
        self.unheld = frozenset(kb.measures) - {n.measure for f in kb.facts for n in f.numbers}  # asked, never given

    @classmethod
    def build(cls, kb: KnowledgeBase) -> SearchIndex:
        with _collector_paused():
            return cls(kb, _documents(kb))

    # -- questions ---------------------------------------------------------------------------

    def analyse(self, text: str) -> Query:
        """Slots of weighted terms (typos and synonyms mapped to known words), entity mentions
        and the words the knowledge does not know."""
        norm = normalise(text)
        found = terms(text)
        counted = [t for t in found if not (len(t) == 2 and has_cjk(t))]  # Chinese bigrams straddle words
        unknown_count = sum(1 for t in counted if t not in self.postings)
        rambling = unknown_count > max(MAX_TYPOS, len(counted) - unknown_count)
        known = (lambda word: True) if rambling else self.known_word
        mentions, outside, spans = self.names.find(norm, known)
        slots: list[Slot] = []
        seen: set[str] = set()
        fixed = [m for m in mentions if m.score < 1.0 and has_cjk(m.text)]
        for mention in fixed:
            name = mention.entity.name_zh or mention.entity.name
            slots += [Slot(t, ((t, mention.score),), True) for t in dict.fromkeys(terms(name)) if t in self.postings]
            seen.update(s.term for s in slots)
        for term in found:
            if term in seen:
                continue
            seen.add(term)
            if has_cjk(term):
                if any(term in m.text for m in fixed):
                    continue
                if term in self.postings:
                    slots.append(Slot(term, ((term, 1.0), *self.synonyms.get(term, ())), True))
                elif len(term) == 1:
                    slots.append(Slot(term, (), False))
                continue
            options = self._options(term, mentions, correct=not rambling)
            if options or not any(term in span for span in spans):
                slots.append(Slot(term, options, bool(options)))
        extra = self.synonyms.for_phrases({s.term for s in slots} | set(found))  # 提升技能 though 升技 is unknown
        if extra:
            slots = [Slot(s.term, s.options + tuple(extra[s.term]), True) if s.term in extra else s for s in slots]
        unknown = tuple(s.term for s in slots if not s.known)
        return Query(text, tuple(slots), tuple(mentions), unknown, tuple(outside), rambling)

    def known_word(self, word: str) -> bool:
        return word in EN_STOP or word in self.postings or stem(word) in self.postings

    def _options(self, term: str, mentions: list[Mention], correct: bool = True) -> tuple[tuple[str, float], ...]:
        options: list[tuple[str, float]] = []
        if term in self.postings:
            options.append((term, 1.0))
        else:
            for mention in mentions:
                if mention.score < 1.0 and term in mention.text:
                    options += [(t, mention.score) for t in terms(mention.entity.name) if t in self.postings]
            if not options and correct:
                options += self._correct(term)
        for known, weight in [(term, 1.0), *options]:
            options += [(t, weight * w) for t, w in self.synonyms.get(known, ()) if t != known]
        return tuple(dict.fromkeys(options))

    def _correct(self, term: str) -> list[tuple[str, float]]:
        if not term.isalpha() or len(term) < MIN_FUZZY_LEN:
            return []
        choices = self.latin_vocab.get(term[0], ())
        found = process.extract(term, choices, scorer=TERM_SCORER, processor=None, score_cutoff=TERM_CUTOFF, limit=2)
        return [(known, (score / 100) ** 2) for known, score, _ in found]

    def search(self, query: Query, limit: int = 10) -> list[Hit]:
        """Facts ranked by normalised BM25 plus a boost for the entities the question names.

        Rare terms of the question (and the named entities) pick the candidates; only the
        best of those are scored on every term, so common words cost little at any size.
        """
        total = sum(self.slot_weights(query).values()) or 1.0
        boosts: dict[int, float] = defaultdict(float)
        for mention in query.mentions:
            boost = ENTITY_BOOST * mention.score
            for rank_weight, i in self._entity_docs(mention.entity.id):
                boosts[i] += boost * rank_weight
        slots = [self._weighted(slot) for slot in query.slots]
        candidates = self._candidates(slots, boosts, total)
        score, covered, matched = self._scores(slots, candidates)
        if candidates is None:
            candidates = {i for i, bits in enumerate(matched) if bits} | boosts.keys()
        final = {i: score[i] / total + boosts.get(i, 0.0) for i in sorted(candidates)}
        top = sorted(final, key=final.__getitem__, reverse=True)[:limit]  # a stable sort: on a tie, the earlier fact
        terms_of = tuple(term for term, _ in slots)
        return [Hit(self.docs[i].fact, final[i], covered[i] / total, matched[i], terms_of) for i in top]

    def _weighted(self, slot: Slot) -> _Options:
        """A slot's indexed options, each once at its best weight, scaled by its rarity and
        capped in what it may add to coverage by the rarity of the term as written."""
        if len(slot.options) == 1:
            term, weight = slot.options[0]
            value = self.idf[term] * weight if term in self.idf else None
            return slot.term, () if value is None else ((term, value, min(value, self.idf[term])),)
        weights: dict[str, float] = {}
        for term, weight in slot.options:
            if term in self.idf and weight > weights.get(term, 0.0):
                weights[term] = weight
        cap = self._idf(slot.options[0][0]) if slot.options else 0.0
        return slot.term, tuple((t, self.idf[t] * w, min(self.idf[t] * w, cap)) for t, w in weights.items())

    def _scores(self, slots: list[_Options], candidates: set[int] | None) -> tuple[list[float], list[float], list[int]]:
        """Per fact: its BM25 sum, the coverage it earns and the slots it matches (bit k for
        slot k); a slot counts its best option. None for candidates scores every fact."""
        n = len(self.docs)
        score, covered, matched = [0.0] * n, [0.0] * n, [0] * n
        for k, (_, options) in enumerate(slots):
            bit = 1 << k
            if len(options) == 1:
                option, weight, cap = options[0]
                for i, tf in self._postings_among(option, candidates):
                    score[i] += weight * tf
                    covered[i] += cap
                    matched[i] |= bit
                continue
            for i, gain, credit in self._merged(options, candidates):
                score[i] += gain
                covered[i] += credit
                matched[i] |= bit
        return score, covered, matched

    def _merged(
        self, options: tuple[tuple[str, float, float], ...], candidates: set[int] | None
    ) -> list[tuple[int, float, float]]:
        """A slot of several options as one posting list: each fact with its best option's
        gain and coverage credit. Over all facts, kept per slot: a question's parts and its
        common words (city, plan, anchor) bring the same slots again and again."""
        found = self._merged_cache.get(options) if candidates is None else None
        if found is not None:
            return found
        best: dict[int, tuple[float, float]] = {}
        for option, weight, cap in options:
            for i, tf in self._postings_among(option, candidates):
                if weight * tf > best.get(i, (0.0, 0.0))[0]:
                    best[i] = (weight * tf, cap)
        found = [(i, gain, credit) for i, (gain, credit) in best.items()]
        if candidates is None:
            if len(self._merged_cache) >= SLOT_CACHE:
                self._merged_cache.clear()
            self._merged_cache[options] = found
        return found

    def _postings_among(self, term: str, candidates: set[int] | None) -> Iterable[tuple[int, float]]:
        facts, values = self.postings[term]
        if candidates is None:
            return zip(facts, values)
        if len(facts) <= len(candidates):
            return [(i, tf) for i, tf in zip(facts, values) if i in candidates]
        docs = self.docs
        return [(i, docs[i].weight(term)) for i in candidates if term in docs[i].tf]

    def _candidates(self, slots: list[_Options], boosts: Mapping[int, float], total: float) -> set[int] | None:
        """Facts worth scoring: the best by their rare terms and entity boosts; None for all.
        A question of common words only is served by the facts where its rarest word weighs most."""
        if len(self.docs) <= MAX_CANDIDATES:
            return None
        options = [(t, w) for _, opts in slots for t, w, _ in opts]
        rare = [(t, w) for t, w in options if len(self.postings[t][0]) <= self.rare_cap]
        partial: dict[int, float] = defaultdict(float)
        for term, weight in rare:
            for i, tf in zip(*self.postings[term]):
                partial[i] += weight * tf
        if options and not rare:
            term, weight = min(options, key=lambda o: len(self.postings[o[0]][0]))
            for i in chain(self._heaviest(term), boosts):
                partial[i] = weight * self.docs[i].weight(term)
        for i, boost in boosts.items():
            partial[i] += boost * total
        if len(partial) <= MAX_CANDIDATES:
            return set(partial)
        return set(heapq.nlargest(MAX_CANDIDATES, partial, key=partial.__getitem__))

    def _heaviest(self, term: str) -> list[int]:
        """The MAX_CANDIDATES facts where a common term weighs most, worked out once per term."""
        found = self._heaviest_cache.get(term)
        if found is None:
            facts, values = self.postings[term]
            order = sorted(range(len(facts)), key=values.__getitem__, reverse=True)[:MAX_CANDIDATES]
            found = self._heaviest_cache[term] = [facts[k] for k in order]
        return found

    def concerning(self, entity: Entity) -> frozenset[str]:
        """Ids of the facts about an entity or a place inside it, or from a source that is it."""
        found = self._concerning.get(entity.id)
        if found is None:
            cited = [ids for source_id, ids in self._facts_by_source.items() if self._source_is(source_id, entity)]
            found = self._concerning[entity.id] = frozenset(self._facts_within.get(entity.id, ())).union(*cited)
        return found

    @functools.cached_property
    def _facts_within(self) -> dict[str, set[str]]:
        """Entity -> the facts whose scope holds it; worked out on first use, not at build."""
        within: dict[str, set[str]] = defaultdict(set)
        for fact_id, scope in self.scope.items():
            for entity_id in scope:
                within[entity_id].add(fact_id)
        return within

    @functools.cached_property
    def _facts_by_source(self) -> dict[str, set[str]]:
        by_source: dict[str, set[str]] = defaultdict(set)
        for fact in self.kb.facts:
            by_source[fact.source].add(fact.id)
        return by_source

    def _source_is(self, source_id: str | None, entity: Entity) -> bool:
        """True if the source (or the source it is known through) is the entity."""
        names = self._entity_names.get(entity.id, ())
        while source_id and source_id in self.kb.sources:
            source = self.kb.sources[source_id]
            if source.entity == entity.id or any(n in text for n in names for text in self._source_names[source_id]):
                return True
            source_id = source.via
        return False

    def fact(self, fact_id: str) -> Fact:
        """The indexed fact of this id."""
        return self.docs[self.fact_index[fact_id]].fact

    def marked(self, fact_id: str, means: str) -> bool:
        """True if a fact's own text carries a vocabulary word of this meaning (a reason, a view)."""
        found = self._marks.get(fact_id)
        if found is None:
            fact = self.fact(fact_id)
            texts = (normalise(fact.text), normalise(fact.text_zh or ""))
            found = self._marks[fact_id] = frozenset(f.means for t in texts for f in self.vocabulary.find(t))
        return means in found

    def negative(self, fact_id: str) -> bool:
        """True if a fact's English statement carries a negation ('no longer', 'set no degree'): the
        Chinese one writes 未, 不 and 无 inside words that deny nothing (未来, 不断, 无声)."""
        negative = self._negative.get(fact_id)
        if negative is None:
            found = self.vocabulary.find(normalise(self.fact(fact_id).text))
            negative = self._negative[fact_id] = any(f.means == "negation" for f in found)
        return negative

    def slot_weights(self, query: Query) -> dict[str, float]:
        """How much each slot of a question counts towards a fact's coverage."""
        return {
            slot.term: (
                self._idf(slot.options[0][0])
                if slot.options
                else self.max_idf * (1.0 if has_cjk(slot.term) else UNKNOWN_WEIGHT)
            )
            for slot in query.slots
        }

    def _entity_docs(self, entity_id: str) -> list[tuple[float, int]]:
        """The facts about an entity, each weighted 1 if mainly about it, else 0.5."""
        found = self._entity_docs_cache.get(entity_id)
        if found is None:
            docs = self.docs
            found = [(1.0 if docs[i].fact.about[0] == entity_id else 0.5, i) for i in self.by_entity.get(entity_id, ())]
            self._entity_docs_cache[entity_id] = found
        return found

    def _idf(self, term: str) -> float:
        return self.idf.get(term, self.max_idf)

    def facts_about_all(self, entity: Entity) -> list[Fact]:
        """Every fact concerning an entity (about it, a place inside it, or from it), in knowledge order."""
        found = self.concerning(entity)
        return [doc.fact for doc in self.docs if doc.fact.id in found]

    def facts_about(self, entity_id: str) -> list[Fact]:
        """Facts about an entity, those mainly about it first, in knowledge order."""
        ranked = sorted(self._entity_docs(entity_id), key=lambda x: (-x[0], x[1]))
        return [self.docs[i].fact for _, i in ranked]


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Builds without the cycle collector: an index is hundreds of thousands of small objects
    that all live on, and the collector would walk them again and again for nothing."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _documents(kb: KnowledgeBase) -> list[_Doc]:
    """Each fact's weighted terms: its own text and keywords, its entities' names, its source."""
    entity_terms = {e.id: _field(e.name, e.name_zh, *e.aliases) for e in kb.entities.values()}
    source_terms = {
        s.id: _field(s.title, s.title_zh, s.publisher, s.publisher_zh, s.author) for s in kb.sources.values()
    }
    main, other = FIELD_WEIGHTS["entity"], FIELD_WEIGHTS["other_entity"]
    docs = []
    # the statement apart from the rest: kept apart, a plain-ASCII statement normalises fast
    statements = normalise_all([fact.text for fact in kb.facts])
    rests = normalise_all([" ; ".join((fact.text_zh or "", *fact.keywords)) for fact in kb.facts])
    for fact, statement, rest in zip(kb.facts, statements, rests):
        own = Counter(normalised_terms(statement))
        own.update(normalised_terms(rest))
        doc = _Doc(fact, dict(own), float(own.total()))
        for rank, entity_id in enumerate(fact.about):
            doc.add(*entity_terms[entity_id], main if rank == 0 else other)
        doc.add(*source_terms[fact.source], FIELD_WEIGHTS["source"])
        if fact.questions:
            doc.add(*_field(*fact.questions), FIELD_WEIGHTS["questions"])
        measures = [kb.measures[n.measure] for n in fact.numbers if n.measure in kb.measures]
        if measures:
            doc.add(*_field(*(w for m in measures for w in (m.name, m.name_zh, *m.words))), FIELD_WEIGHTS["measure"])
        docs.append(doc)
    return docs


def _field(*texts: str | None) -> tuple[Counter[str], int]:
    """A field's term counts and its length in terms."""
    counts = Counter(terms(" ; ".join(filter(None, texts))))
    return counts, counts.total()


def _years(kb: KnowledgeBase) -> frozenset[int]:
    """Every year the knowledge mentions, in text, dates or figures."""
    texts = [f.text + " " + (f.date or "") + " " + " ".join(f.keywords) for f in kb.facts]
    texts += [f"{s.title} {s.date or ''}" for s in kb.sources.values()]
    text = "\n".join(texts)
    # a literal-led pattern is found fast; each year it finds must also stand alone somewhere
    found = {int(y) for y in set(re.findall(r"(?:19|20)\d\d", text)) if re.search(rf"(?<!\d){y}(?!\d)", text)}
    found |= {n.year for f in kb.facts for n in f.numbers if n.year}
    return frozenset(found)


def _synonyms(kb: KnowledgeBase, postings: Mapping[str, object]) -> _Synonyms:
    """Each synonym group as indexed term tuples: one-term words map directly, phrases when whole."""
    single: dict[str, list[tuple[str, float]]] = defaultdict(list)
    phrases: list[tuple[tuple[str, ...], list[tuple[str, float]]]] = []
    for group in kb.synonyms:
        entries = [_word_terms(word) for word in group]
        for i, own in enumerate(entries):
            others = sorted({t for j, ts in enumerate(entries) if j != i for t in ts if t in postings} - set(own))
            options = [(t, SYNONYM_WEIGHT) for t in others]
            if len(own) == 1:
                single[own[0]] += options
            elif own:
                phrases.append((own, options))
    return _Synonyms(dict(single), phrases)


def _word_terms(word: str) -> tuple[str, ...]:
    """A synonym's terms: a Chinese word counts as itself (or its bigrams), not its characters."""
    if has_cjk(word):
        norm = normalise(word)
        return (norm,) if len(norm) <= 2 else tuple(norm[i : i + 2] for i in range(len(norm) - 1))
    return tuple(terms(word))


@dataclass(frozen=True, slots=True)
class _Synonyms:
    single: dict[str, list[tuple[str, float]]]
    phrases: list[tuple[tuple[str, ...], list[tuple[str, float]]]]
    by_first: dict[str, list[int]] = field(default_factory=dict)  # first term -> phrases starting with it

    def __post_init__(self) -> None:
        for k, (phrase, _) in enumerate(self.phrases):
            self.by_first.setdefault(phrase[0], []).append(k)

    def get(self, term: str, default: tuple[()] = ()) -> list[tuple[str, float]] | tuple[()]:
        return self.single.get(term, default)

    def for_phrases(self, present: set[str]) -> dict[str, list[tuple[str, float]]]:
        """Options for the terms of every multi-word synonym written whole in a question."""
        out: dict[str, list[tuple[str, float]]] = defaultdict(list)
        for k in sorted(k for term in present for k in self.by_first.get(term, ())):
            phrase, options = self.phrases[k]
            if all(t in present for t in phrase):
                for term in phrase:
                    out[term] += options
        return out


def _scope(kb: KnowledgeBase, fact: Fact) -> frozenset[str]:
    """The entities a fact is about and every place they lie within (Beixiazhu -> Yiwu -> Zhejiang)."""
    found: set[str] = set()
    for entity_id in fact.about:
        current: str | None = entity_id
        while current and current not in found:
            found.add(current)
            current = kb.entities[current].part_of if current in kb.entities else None
    return frozenset(found)


def _quarters_known(kb: KnowledgeBase) -> frozenset[int]:
    """Quarters of a year the knowledge has figures for ('first quarter' -> 1)."""
    words = {"first": 1, "second": 2, "third": 3, "fourth": 4}
    characters = {"一": 1, "二": 2, "三": 3, "四": 4}
    english = "\n".join(fact.text for fact in kb.facts).casefold()
    chinese = "\n".join(fact.text_zh or "" for fact in kb.facts)
    found: set[int] = set()
    for match in re.finditer("quarter", english):  # a literal: found fast, then look back
        before = english[max(0, match.start() - 7) : match.start()]
        found |= {n for word, n in words.items() if before.endswith(f"{word} ")}
    for match in re.finditer("季度", chinese):
        found |= {n for ch, n in characters.items() if chinese[match.start() - 1 : match.start()] == ch}
    return frozenset(found)
