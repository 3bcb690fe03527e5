"""One organisation core name with two declared purposes: the search index's and entity
resolution's (:func:`leadgraph.graph.orgnames.org_core_name`)."""

from __future__ import annotations

import pytest

from leadgraph.graph import terms
from leadgraph.graph.identity import canonical
from leadgraph.graph.orgnames import org_core_name
from leadgraph.ingest import normalize

CORES = [
    # name, search core (stored in every search index), match core (entity resolution)
    ("宁波激智科技股份有限公司", "激智科技", "激智科技"),
    ("江苏省苏州市示例新材料有限公司", "示例新材料", "示例新材料"),
    ("示例（苏州）有限公司", "示例", "示例"),
    ("浙江示例集团", "示例", "示例"),
    ("重庆啤酒", "啤酒", "啤酒"),
    ("上海", "上海", "上海"),  # never stripped to nothing
    # where the purposes differ: the search core drops every bracket, one legal form and
    # one province + city; the match core reads branches, partnerships, Latin legal forms
    # and every leading region
    ("宁波激智科技股份有限公司苏州分公司", "激智科技股份有限公司苏州", "激智科技"),
    ("苏州示例新材料创业投资合伙企业（有限合伙）", "示例新材料创业投资合伙企业", "示例新材料创业投资"),
    ("示例县在外乡贤新春座谈会（2023）", "示例县在外乡贤新春座谈会", "示例县在外乡贤新春座谈会2023"),
    ("常州市浙江商会", "浙江商会", "商会"),
    ("示例集团公司", "示例集团", "示例"),
    ("唐山示例钢铁有限公司", "唐山示例钢铁", "示例钢铁"),
    ("江苏苏州A有限公司", "江苏苏州a", "苏州a"),
    ("Example Film Co., Ltd.", "examplefilmco.,ltd.", "example film"),
]


@pytest.mark.parametrize(("name", "search", "match"), CORES)
def test_org_core_name_gives_the_search_core_and_the_match_core(name: str, search: str, match: str) -> None:
    assert org_core_name(name, purpose="search") == search
    assert org_core_name(name, purpose="match") == org_core_name(name) == match


@pytest.mark.parametrize(("name", "search", "match"), CORES)
def test_search_terms_and_entity_resolution_read_the_one_function(name: str, search: str, match: str) -> None:
    assert terms.node_terms("Organization", {"name": name}).get(canonical(search)) in (2, 3)  # 3: the name itself
    assert normalize.org_core_name(name) == match
    parts = normalize.org_parts(name)  # what entity resolution compares: the match core, less a district
    assert parts.institution or match.endswith(parts.core)


def test_an_unknown_purpose_is_refused() -> None:
    with pytest.raises(ValueError, match="purpose"):
        org_core_name("宁波激智科技股份有限公司", purpose="index")  # type: ignore[arg-type]
