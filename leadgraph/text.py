"""Cell-text clean-up every layer shares: NFKC, zero-width characters, whitespace near CJK.

:mod:`leadgraph.ingest.normalize` builds its parsers on these; :mod:`leadgraph.graph.orgnames`
spells organisation names with them, so the graph never imports the ingest layer.

Examples
--------
>>> nfkc_text("  ＡＢＣ\u200b  公司 ")
'ABC 公司'
>>> squeeze_cjk_spaces("示例 薄膜 Co Ltd")
'示例薄膜Co Ltd'
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["CJK", "PLACE_FAMILIES", "nfkc_text", "place_parts", "place_spellings", "place_stem", "prose_text", "squeeze_cjk_spaces"]

CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f\u3007（）·"
"""Characters a regex class treats as CJK: ideographs, 〇, full-width brackets and the middle dot."""

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"))
_WS_RUN = re.compile(r"\s+")
_SPACE_NEAR_CJK = re.compile(rf"\s+(?=[{CJK}])|(?<=[{CJK}])\s+")


def nfkc_text(s: str | None) -> str:
    r"""NFKC-normalise, drop zero-width characters, collapse whitespace, strip.

    Full-width letters, digits and the ideographic space become ASCII; newlines
    inside a cell become one space.

    Examples
    --------
    >>> nfkc_text("　张\u200b三\n\n１２３ ")
    '张三 123'
    """
    if not s:
        return ""
    t = unicodedata.normalize("NFKC", s).translate(_ZERO_WIDTH)
    return _WS_RUN.sub(" ", t).strip()


def prose_text(s: str | None) -> str:
    r"""Free text (备注, 拜访情况) as the clerk typed it: no NFKC, which would turn the Chinese
    punctuation ，（） into ,(); only zero-width characters go, each line is trimmed and
    runs of blank lines become one.

    >>> prose_text("  首次拜访，对方有扩产意向（二期）\r\n\r\n\r\n  下月再访\u200b ")
    '首次拜访，对方有扩产意向（二期）\n\n下月再访'
    """
    if not s:
        return ""
    lines = [line.strip() for line in s.translate(_ZERO_WIDTH).replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def squeeze_cjk_spaces(t: str) -> str:
    """Remove whitespace touching a CJK character; keep single spaces between Latin words."""
    return _SPACE_NEAR_CJK.sub("", t)


# Administrative suffixes, longest first, each with its class: a street office is one place
# however it is written; a 镇 and a 乡 of one stem are two.
_PLACE_CLASSES = {
    "街道办事处": "街道", "街道办": "街道", "街道": "街道", "办事处": "街道", "镇": "镇", "乡": "乡",
    "市": "市", "县": "县", "区": "区", "省": "省",
}  # fmt: skip
PLACE_FAMILIES = {"township": frozenset({"街道", "镇", "乡"}), "city": frozenset({"市"})}
"""The suffix classes a township, or a city, may carry: 长沙 is 长沙市, never 长沙县."""
_PLACE_SUFFIX = re.compile("(?:" + "|".join(_PLACE_CLASSES) + ")$")


def place_parts(name: str) -> tuple[str, str]:
    """``(stem, suffix class)`` of a place name; the class is ``""`` when it has none. A stem
    keeps at least two characters (新市镇 → 新市, never 新).

    >>> place_parts("城关镇"), place_parts("庄桥街道办事处"), place_parts("城关"), place_parts("沙县")
    (('城关', '镇'), ('庄桥', '街道'), ('城关', ''), ('沙县', ''))
    """
    found = _PLACE_SUFFIX.search(name)
    if found is None or found.start() < 2:
        return name, ""
    return name[: found.start()], _PLACE_CLASSES[found.group(0)]


def place_spellings(stem: str, family: str) -> set[str]:
    """Every spelling of a place of ``family`` with this stem: bare, and with each suffix of the
    family's classes (城关 → 城关, 城关镇, 城关乡, 城关街道, 城关街道办事处…)."""
    return {stem, *(stem + suffix for suffix, kind in _PLACE_CLASSES.items() if kind in PLACE_FAMILIES[family])}


def place_stem(name: str) -> str:
    """A place name without its administrative suffix (城关镇 → 城关; see :func:`place_parts`)."""
    return place_parts(name)[0]
