"""``pypinyin.lazy_pinyin(text, style=Style.NORMAL)``, the same answer several times faster.

Every node's search terms carry the pinyin of its name, so a first load of a million
names spends most of its Python time in pypinyin, which segments and converts each
string afresh. :func:`lazy_pinyin_normal` makes the same two steps — pypinyin's split
into runs of characters with and without pinyin, its maximum-matching word cut (the
phrase dictionary: 重庆 chong qing) — and converts each word once per process: names
repeat their characters and words endlessly, so the conversions come from a cache
(call ``_word.cache_clear()`` after loading custom pypinyin dictionaries; leadgraph loads none).
``tests/graph/test_pinyin.py`` compares it with pypinyin on generated text.

Examples
--------
>>> lazy_pinyin_normal("重庆啤酒 Tom")
['chong', 'qing', 'pi', 'jiu', ' Tom']
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import chain

from pypinyin import Style
from pypinyin.constants import RE_HANS
from pypinyin.core import _default_convert
from pypinyin.seg import mmseg

__all__ = ["lazy_pinyin_normal"]

# pypinyin's class of characters that have pinyin (RE_HANS is "^(?:[...])+$"); this leans
# on pypinyin's internals (pinned in pyproject.toml), so a changed pattern fails loudly.
if not (RE_HANS.pattern.startswith("^(?:[") and RE_HANS.pattern.endswith("])+$")):
    raise ImportError("pypinyin's RE_HANS changed shape: leadgraph.graph.pinyin must be checked against it")
_HANS_CLASS = RE_HANS.pattern[len("^(?:[") : -len("])+$")]
_RUNS = re.compile(f"[{_HANS_CLASS}]+|[^{_HANS_CLASS}]+")  # pypinyin.seg.simpleseg.simple_seg
_HANS = re.compile(f"[{_HANS_CLASS}]")


@lru_cache(maxsize=1 << 16)
def _word(word: str) -> tuple[str, ...]:
    """pypinyin's conversion of one word of its cut."""
    return tuple(chain.from_iterable(_default_convert.convert(word, Style.NORMAL, False, "default", True)))


def lazy_pinyin_normal(text: str) -> list[str]:
    """What ``pypinyin.lazy_pinyin(text, style=Style.NORMAL)`` returns."""
    out: list[str] = []
    for run in _RUNS.findall(text):
        if _HANS.match(run):
            for word in mmseg.seg.cut(run):
                out.extend(_word(word))
        else:
            out.append(run)  # no pinyin: pypinyin keeps the run as it is (errors="default")
    return out
