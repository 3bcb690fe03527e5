"""Pinyin of names: pypinyin's ``lazy_pinyin`` against ``leadgraph.graph.pinyin``, in one run.

Every node's search terms carry the pinyin of its name (``terms.pinyin_terms``), so a
first load pays it once per distinct name. Distinct Faker (zh_CN) person and company
names, each converted once (cold: no name repeats), both ways, answers compared.

    .venv/bin/python -m bench.pinyin_speed --names 50000
"""

from __future__ import annotations

import argparse
import time

from faker import Faker
from pypinyin import Style, lazy_pinyin

from leadgraph.graph.pinyin import lazy_pinyin_normal


def _names(count: int) -> list[str]:
    fake = Faker("zh_CN")
    fake.seed_instance(5)
    names: dict[str, None] = {}
    for i in range(count * 20):
        names[fake.company() if i % 5 == 0 else fake.name() + fake.first_name()[-1:] * (i % 3 == 0)] = None
        if len(names) >= count:
            break
    return list(names)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--names", type=int, default=50_000)
    args = parser.parse_args(argv)
    names = _names(args.names)
    timings = {}
    answers = {}
    for label, convert in (("pypinyin.lazy_pinyin", lambda t: lazy_pinyin(t, style=Style.NORMAL)),
                           ("leadgraph.graph.pinyin", lazy_pinyin_normal)):
        started = time.perf_counter()
        answers[label] = [convert(name) for name in names]
        timings[label] = time.perf_counter() - started
    same = sum(a == b for a, b in zip(*answers.values()))
    for label, seconds in timings.items():
        print(f"{label:24} {len(names)} distinct names in {seconds:.2f} s = {seconds / len(names) * 1e6:.1f} µs each")
    slow, fast = timings.values()
    print(f"ratio {slow / fast:.1f}×; identical answers {same} of {len(names)}")
    return 0 if same == len(names) else 1


if __name__ == "__main__":
    raise SystemExit(main())
