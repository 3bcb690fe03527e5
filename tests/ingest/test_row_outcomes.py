"""A row is either rejected and leaves nothing behind — no node, no edge, no review item, no
record of an automatic merge — or loaded, and then every merge and review item it made is in
the report, with its reason in Chinese. A dry run reports exactly what a real run would."""

from __future__ import annotations

import pytest

from leadgraph.graph import GraphStore
from leadgraph.ingest.loader import ingest_file
from leadgraph.ingest.report import IngestReport
from leadgraph.ingest.report_xlsx import report_rows

ORGS = [["名称", "简称"], ["宁波激智科技股份有限公司", "激智科技"], ["激智科技（苏州）有限公司", ""]]


def _snapshot(store: GraphStore) -> tuple:
    return (
        sorted((n.id, n.name) for n in store.iter_nodes()),
        sorted(e.id for e in store.iter_edges()),
        sorted((i.id, i.status) for i in store.review_items(None)),
    )


def _made_by(store: GraphStore, report: IngestReport) -> dict[str, list[str]]:
    """The review items (pending) and merge records a list's rows left in the store."""
    items = [i for i in store.review_items(None) if i.source == report.source]
    return {
        "pending": sorted(i.id for i in items if i.status == "pending"),
        "merged": sorted(i.id for i in items if i.status == "merged"),
    }


@pytest.fixture
def firms(store, write_csv):
    ingest_file(store, write_csv("机构.csv", ORGS), kind="organizations")
    return store


def test_a_row_that_queued_review_items_and_then_named_itself_its_parent_is_loaded_and_reported(firms, write_csv):
    """激智科技 fits both known firms (a review item each); its 母公司 is itself: the row is
    loaded, without the link, and flagged with both review items."""
    rows = [["名称", "母公司"], ["激智科技", "激智科技"]]
    report = ingest_file(firms, write_csv("机构2.csv", rows), kind="organizations")
    assert report.rejected == [] and report.total("rows_loaded") == 1
    made = _made_by(firms, report)
    assert len(made["pending"]) == 2 and sorted(report.review_items) == made["pending"]
    (flag, review) = report.flagged
    assert flag.reason == "关系的两端是同一个人或同一个单位；本行已导入，但未建立此关联"
    for item_id in made["pending"]:
        assert f"待审核：leadgraph review accept {item_id}（合并）或 reject {item_id}（不同）" in review.reason
    assert review.reason.startswith("「激智科技」疑似与已有机构「")
    assert list(firms.iter_edges("SUBSIDIARY_OF")) == []


def test_the_dry_run_of_that_row_reports_the_same_and_writes_nothing(firms, write_csv):
    rows = [["名称", "母公司"], ["激智科技", "激智科技"]]
    before = _snapshot(firms)
    dry = ingest_file(firms, write_csv("机构2.csv", rows), kind="organizations", dry_run=True)
    assert _snapshot(firms) == before
    real = ingest_file(firms, write_csv("机构2.csv", rows), kind="organizations")
    assert dry.to_dict() == {**real.to_dict(), "dry_run": True}
    assert sorted(dry.review_items) == _made_by(firms, real)["pending"]


def test_a_row_rejected_after_its_first_node_would_be_written_leaves_nothing(store, write_csv):
    """The association would be created first, but the member has nothing that tells who he is."""
    before = _snapshot(store)
    report = ingest_file(store, write_csv("会员.csv", [["商协会", "姓名"], ["示例商会", "张三"]]), kind="members")
    (rejected,) = report.rejected
    assert rejected.reason.startswith("无法识别这个人员：请至少再填写手机、工作单位、籍贯乡镇之一")
    assert _snapshot(store) == before


def test_a_rejected_rows_reference_leaves_no_record_of_a_merge(firms, write_csv):
    """宁波激智科技有限公司 is identified as the listed firm, but the segment is unknown: the row
    is rejected, and no 'merged' record says it was merged. Once the segment is known, the same
    row loads and reports the merge."""
    rows = [["单位", "环节"], ["宁波激智科技有限公司", "光学膜"]]
    before = _snapshot(firms)
    report = ingest_file(firms, write_csv("定位.csv", rows), kind="positions")
    assert [i.reason for i in report.rejected] == ["产业链环节「光学膜」不在任何已导入名录中，请先导入"]
    assert report.merged == [] and _snapshot(firms) == before
    ingest_file(firms, write_csv("环节.csv", [["环节"], ["光学膜"]]), kind="segments")
    again = ingest_file(firms, write_csv("定位.csv", rows), kind="positions")
    assert again.rejected == [] and [i.line for i in again.merged] == [2]
    assert again.merged[0].reason.startswith("「宁波激智科技有限公司」已与已有机构「宁波激智科技股份有限公司」合并")
    assert len(_made_by(firms, again)["merged"]) == 1


def test_a_member_firm_that_is_the_association_itself_is_loaded_without_the_link(store, write_csv):
    report = ingest_file(store, write_csv("会员.csv", [["商协会", "工作单位"], ["示例商会", "示例商会"]]), kind="members")
    assert report.rejected == []
    assert [i.reason for i in report.flagged] == ["关系的两端是同一个人或同一个单位；本行已导入，但未建立此关联"]
    assert [n.name for n in store.iter_nodes("Organization")] == ["示例商会"]
    assert list(store.iter_edges()) == []


def test_two_people_in_one_tie_row_who_are_one_person_are_rejected_before_anything_is_written(store, write_csv):
    ingest_file(store, write_csv("乡贤.csv", [["姓名", "手机"], ["张伟", "13800000001"]]), kind="contacts")
    before = _snapshot(store)
    rows = [["姓名A", "手机A", "姓名B", "手机B", "关系"], ["张伟", "13800000001", "张伟", "13800000001", "同学"]]
    report = ingest_file(store, write_csv("人脉.csv", rows), kind="ties")
    assert [i.reason for i in report.rejected] == ["关系的两端是同一个人或同一个单位"]
    assert _snapshot(store) == before


def test_a_row_with_a_merge_and_a_review_item_is_listed_as_merged_and_as_flagged(firms, write_csv):
    """The firm (远方物流) merges into the known one; the person, a namesake born the same year
    at another firm, goes to review. The report's sheet shows the row once, as 合并, with both."""
    ingest_file(firms, write_csv("物流.csv", [["名称"], ["远方物流有限公司"]]), kind="organizations")
    ingest_file(firms, write_csv("乡贤.csv", [["姓名", "出生年份", "工作单位"], ["张伟", "1975", "宁波激智科技股份有限公司"]]),
                kind="contacts")  # fmt: skip
    rows = [["姓名", "出生年份", "工作单位"], ["张伟", "1975", "远方物流"]]
    report = ingest_file(firms, write_csv("新名录.csv", rows), kind="contacts")
    (item_id,) = _made_by(firms, report)["pending"]
    assert report.review_items == [item_id]
    (merged,), (flagged,) = report.merged, report.flagged
    assert merged.reason == "「远方物流」已与已有机构「远方物流有限公司」合并：单位相同：远方物流 ≈ 远方物流有限公司（核心名「远方物流」）（得分 1.00）"
    assert flagged.reason == (
        "「张伟，远方物流」疑似与已有人员「张伟（宁波激智科技股份有限公司）」相同（得分 0.45：姓名相同；"
        "单位不同（远方物流 / 宁波激智科技股份有限公司）；出生年份同为 1975），已单独建档，"
        f"待审核：leadgraph review accept {item_id}（合并）或 reject {item_id}（不同）"
    )
    ((line, action, reason, _),) = report_rows(report.sheets[0])
    assert (line, action, reason) == (2, "合并", f"{merged.reason}；{flagged.reason}")


def test_a_strong_key_that_renames_a_firm_to_another_name_is_flagged(store, write_csv):
    """The same stock code under a different firm's name: one node, as the code says, but the
    clerk is told the firm was renamed and to check the code."""
    rows = [["名称", "简称", "类别", "股票代码"], ["腾讯控股有限公司", "腾讯控股", "上市公司", "000700"],
            ["江苏模塑科技股份有限公司", "模塑科技", "上市公司", "000700"],
            ["宁波模塑科技股份有限公司", "", "上市公司", "000700"]]  # fmt: skip
    report = ingest_file(store, write_csv("上市公司.csv", rows), kind="organizations")
    flagged = {issue.line: issue.reason for issue in report.flagged}
    assert list(flagged) == [3]  # line 4 only adds the region: the same firm
    assert "股票代码与已有机构「腾讯控股有限公司」相同" in flagged[3] and "请核对股票代码" in flagged[3]
    assert [n.name for n in store.iter_nodes("Organization")] == ["宁波模塑科技股份有限公司"]
