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

__all__ = ["CJK", "nfkc_text", "place_stem", "prose_text", "squeeze_cjk_spaces"]

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


_PLACE_SUFFIX = re.compile(r"(?:街道办事处|街道办|街道|办事处|镇|乡|市|县|区|省)$")


def place_stem(name: str) -> str:
    """A place name without its administrative suffix, for telling whether two spellings
    name one place: 城关 / 城关镇, 宁波 / 宁波市. A stem keeps at least two characters
    (新市镇 → 新市, never 新).

    >>> place_stem("城关镇"), place_stem("宁波市"), place_stem("庄桥街道"), place_stem("城关"), place_stem("沙县")
    ('城关', '宁波', '庄桥', '城关', '沙县')
    """
    found = _PLACE_SUFFIX.search(name)
    if found is None or found.start() < 2:
        return name
    return name[: found.start()]
