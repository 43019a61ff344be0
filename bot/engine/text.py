"""Text normalisation and tokens shared by the index and the questions.

English words are folded to a light stem; Chinese runs become single characters and bigrams,
since Chinese has no spaces to split on. Full-width forms fold to ASCII (NFKC) and traditional
characters to simplified, so 義烏 and ｙｉｗｕ find what 义乌 and yiwu find.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable
from itertools import chain, filterfalse

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK = CJK
_TOKEN = re.compile(rf"[{_CJK}]+|[a-z0-9]+(?:[.,][0-9]+)*")
_TERM = re.compile(rf"[{_CJK}]+|[0-9][a-z0-9]*(?:[.,][0-9]+)*|[a-z][a-z0-9]*")
_COMPOUND = re.compile(r"(?<![a-z0-9-])[a-z]+(?:-[a-z]+)+(?![a-z0-9-])")
_THOUSANDS = re.compile(r"\d{1,3}(,\d{3})+(\.\d+)?")
_HAS_CJK = re.compile(rf"[{_CJK}]")
_SPECIAL = re.compile("[\u2018\u2019\u201c\u201d·]")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "·": " "})

EN_STOP = frozenset(
    """a an the and or but of to in on at by for from with about as into over after before
    than then this that these those it its it's is are was were be been being am do does did
    done doing have has had having will would shall should can could may might must i me my we
    our you your he him his she her they them their what which who whom whose when where why
    how there here any some all each every no not only also just very so such more most much
    many few one s if up out tell me please know let show give gave given gives find want like get got say
    said says ever yet still both either whether via per re etc vs versus compare comparison
    mention mentioned mentions named called known source sources cite come comes
    according regarding related happen happened thing things kind sort type list listed mean
    means meant between among date dates day exact exactly precise precisely itself themselves himself
    herself myself ourselves yourself use uses used using actually instead rather too theres""".split()
)
ZH_STOP = frozenset("的了是吗呢吧啊么在和与及或为把被从对向于就都也还而且有没个这那哪谁什怎多少几更最较比")

Normaliser = Callable[[str], str]


def has_cjk(text: str) -> bool:
    return not text.isascii() and _HAS_CJK.search(text) is not None


@functools.cache
def _t2s() -> Normaliser:
    try:
        import opencc

        converter = opencc.OpenCC("t2s")
    except (ImportError, OSError, ValueError):
        return lambda text: text
    convert: Normaliser = converter.convert
    return convert


@functools.lru_cache(maxsize=32)  # one answer reads its question several ways, each normalising it
def normalise(text: str) -> str:
    """NFKC, simplified Chinese, case-folded, plain quotes."""
    text = _fold(text)
    return _t2s()(text) if has_cjk(text) else text


def normalise_all(texts: list[str]) -> list[str]:
    """normalise() of many texts, their Chinese converted in one pass (one call per text
    costs the converter more than the converting)."""
    folded = [_fold(text) for text in texts]
    chinese = [k for k, text in enumerate(folded) if has_cjk(text)]
    converted = _t2s()("\n".join(folded[k] for k in chinese)).split("\n")
    if len(converted) != len(chinese):  # none, or a text of several lines: one at a time
        converted = [_t2s()(folded[k]) for k in chinese]
    for k, text in zip(chinese, converted):
        folded[k] = text
    return folded


def _fold(text: str) -> str:
    """NFKC, case-folded, plain quotes: normalise() short of the Chinese conversion."""
    if text.isascii():
        return text.lower()  # NFKC leaves ASCII alone, and case-folds it as lower() does
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    text = text.casefold()
    return text.translate(_QUOTES) if _SPECIAL.search(text) else text


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light English stem: plurals, -ing, -ed and possessives fold together."""
    if not word.isalpha() or len(word) <= 3:
        return word
    for suffix, repl in (
        ("ations", "ate"),
        ("ation", "ate"),
        ("ated", "ate"),
        ("ates", "ate"),
        ("ating", "ate"),
        ("men", "man"),
        ("ies", "y"),
        ("sses", "ss"),
        ("ing", ""),
        ("ed", ""),
    ):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: len(word) - len(suffix)] + repl
            break
    else:
        if word.endswith("s") and not word.endswith(("ss", "us", "is")):
            word = word[:-1]
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
        word = word[:-1]
    return word.removesuffix("e") if len(word) > 4 else word


def number_token(token: str) -> str:
    """'4,000' -> '4000', '19.10' stays; digits only keep their value as written."""
    return token.replace(",", "") if "," in token and _THOUSANDS.fullmatch(token) else token


def blanked(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """The text with each span turned to spaces, so the other positions, and spans found in the
    text before, still point at the same characters."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = [" "] * (end - start)
    return "".join(chars)


def squeezed(text: str) -> str:
    """The text with runs of spaces made one, trimmed."""
    return re.sub(r"\s+", " ", text).strip()


@functools.lru_cache(maxsize=32)  # one answer asks several things of the same question
def words(text: str) -> tuple[str, ...]:
    """Raw tokens of normalised text: Latin words and numbers, and whole CJK runs."""
    return tuple(_TOKEN.findall(text))


def cjk_grams(run: str) -> tuple[str, ...]:
    """Characters and overlapping bigrams of one CJK run, stop characters dropped as unigrams."""
    return (*filterfalse(ZH_STOP.__contains__, run), *map(str.__add__, run[:-1], run[1:]))


@functools.lru_cache(maxsize=65536)  # words and Chinese phrasing repeat across facts and questions
def _token_terms(token: str) -> tuple[str, ...]:
    """The terms one raw token stands for: a stem, a number, or a Chinese run's grams."""
    if "a" <= token[0] <= "z":
        return () if len(token) == 1 or token in EN_STOP else (stem(token),)
    if token[0].isdigit():
        return (number_token(token),)
    return cjk_grams(token)


def terms(text: str) -> list[str]:
    """Search terms of a text: stems of Latin words, numbers, CJK characters and bigrams."""
    return normalised_terms(normalise(text))


def normalised_terms(norm: str) -> list[str]:
    """terms() of a text already normalised; a hyphenated word also counts whole, so
    'e-commerce' is found by 'ecommerce' and 'live-streaming' by 'livestreaming'."""
    # no term spans a space: each run of text between spaces is read once, then recalled
    return list(chain.from_iterable(map(_chunk_terms, norm.split())))


@functools.lru_cache(maxsize=65536)
def _chunk_terms(chunk: str) -> tuple[str, ...]:
    found = tuple(chain.from_iterable(map(_token_terms, _TERM.findall(chunk))))
    if "-" in chunk:
        found += tuple(stem(word.replace("-", "")) for word in _COMPOUND.findall(chunk))
    return found
