"""The fast pinyin gives pypinyin's answer on every kind of text names and firms carry."""

from __future__ import annotations

import random

import pytest
from faker import Faker
from pypinyin import Style, lazy_pinyin

from leadgraph.graph.pinyin import lazy_pinyin_normal

# Characters a name or a firm may carry: common and rare ideographs, extension B, 〇,
# Latin, digits, full-width forms, brackets and separators.
_ALPHABET = (
    [chr(c) for c in range(0x4E00, 0x9FFF, 7)]
    + [chr(c) for c in range(0x3400, 0x4DBF, 31)]
    + ["\U00020000", "\U0002A6D6", "䶮", "〇", "曾", "单", "重", "行", "长", "乐"]
    + list("Tom Lee·-（）()12３ＡO0.,，、")
)


def _corpus() -> list[str]:
    rnd = random.Random(11)
    fake = Faker("zh_CN")
    fake.seed_instance(11)
    text = [fake.name() for _ in range(1500)] + [fake.company() for _ in range(500)]
    text += ["".join(rnd.choice(_ALPHABET) for _ in range(rnd.randint(1, 9))) for _ in range(2500)]
    text += ["重庆啤酒", "中国银行", "长江实业", "单于", "曾国藩", "Tom Lee", "", " ", "３３", "王〇", "银行行长"]
    return text


@pytest.mark.parametrize("text", _corpus()[-11:])
def test_known_words(text: str) -> None:
    assert lazy_pinyin_normal(text) == lazy_pinyin(text, style=Style.NORMAL)


def test_same_as_pypinyin_on_generated_text() -> None:
    corpus = _corpus()
    differing = [t for t in corpus if lazy_pinyin_normal(t) != lazy_pinyin(t, style=Style.NORMAL)]
    assert differing == []
    # the cache answers the second time from what the first stored: still the same
    assert [lazy_pinyin_normal(t) for t in corpus[:200]] == [lazy_pinyin(t, style=Style.NORMAL) for t in corpus[:200]]


def test_phrases_are_cut_as_pypinyin_cuts_them() -> None:
    # 重庆 is a dictionary phrase (chong, not zhong); 银行 reads hang, 行长 xing zhang
    assert lazy_pinyin_normal("重庆") == ["chong", "qing"]
    assert lazy_pinyin_normal("中国银行")[-1] == "hang"
