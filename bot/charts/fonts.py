"""The font a chart is set in: the first installed one that has every character it draws.

Latin text is set in DejaVu Sans, which ships with matplotlib; Chinese in a CJK font from the system
(Noto Sans CJK, Source Han Sans, WenQuanYi: `apt install fonts-noto-cjk` or `fonts-wqy-microhei`).
A font is taken only if its character map holds every character, so no glyph is ever drawn as a
box; matplotlib's own last-resort font, which draws exactly those boxes, is never taken. Fonts
installed after matplotlib listed the system's fonts are looked for too.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from matplotlib import font_manager
from matplotlib.ft2font import FT2Font

from bot.charts.panels import ChartError

PREFERRED = (
    "DejaVu Sans",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Noto Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Droid Sans Fallback",
    "AR PL UMing CN",
)
NEVER = ("Last Resort",)  # placeholder boxes for every character: tofu by design


def font_for(texts: Iterable[str]) -> str:
    """The family name of the first font, preferred ones first, that has every character of `texts`."""
    needed = frozenset(ord(ch) for text in texts for ch in text if not ch.isspace())
    found = _covering(needed)
    if found is None and _add_new_system_fonts():
        found = _covering(needed)
    if found is None:
        held = frozenset().union(*(_charmap(path, index) for _, path, index in _entries()))
        missing = "".join(sorted(chr(c) for c in needed - held))
        raise ChartError(f"no installed font has the characters {missing[:20]!r}")
    return found


def bold(family: str) -> str:
    """'bold' when the family has a bold face, else 'normal' (matplotlib would warn, then use regular)."""
    weights = {e.weight for e in font_manager.fontManager.ttflist if e.name == family}
    return "bold" if any(w in ("bold", 700) or (isinstance(w, int) and w >= 600) for w in weights) else "normal"


def _covering(needed: frozenset[int]) -> str | None:
    by_name: dict[str, list[tuple[str, int]]] = {}
    for name, path, index in _entries():
        by_name.setdefault(name, []).append((path, index))
    order = [n for n in PREFERRED if n in by_name] + sorted(n for n in by_name if n not in PREFERRED)
    for name in order:
        if any(needed <= _charmap(path, index) for path, index in by_name[name]):
            return name
    return None


def _entries() -> list[tuple[str, str, int]]:
    """(family, file, face index) of every regular-style font matplotlib knows, but the last-resort ones."""
    return [
        (e.name, str(e.fname), int(getattr(e, "index", 0)))
        for e in font_manager.fontManager.ttflist
        if e.style == "normal" and not any(e.name.startswith(n) for n in NEVER)
    ]


@functools.lru_cache(maxsize=256)
def _charmap(path: str, index: int) -> frozenset[int]:
    try:
        return frozenset(FT2Font(path, face_index=index).get_charmap())
    except (OSError, RuntimeError, ValueError):
        return frozenset()


@functools.cache
def _add_new_system_fonts() -> bool:
    """Adds the system fonts matplotlib's cached list lacks (installed after it was made), once
    per process; True if any were added."""
    known = {str(e.fname) for e in font_manager.fontManager.ttflist}
    added = False
    for path in font_manager.findSystemFonts():
        if path not in known:
            try:
                font_manager.fontManager.addfont(path)
                added = True
            except (OSError, RuntimeError, ValueError):
                continue
    return added
