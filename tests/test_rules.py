"""Each consistency rule of FORMAT.md: a passing and a failing case, with the exact message."""

import pytest

from report_drafter.model import new_stats, set_path
from report_drafter.rules import check_stats, may_make_rules
from report_drafter.statsfile import read_stats


@pytest.fixture
def stats(huaian_text):
    return read_stats(huaian_text, "x").stats


def messages(stats, prior=None):
    return [(p.severity, p.rule, str(p)) for p in check_stats(stats, prior)]


def test_published_tables_pass(stats):
    assert messages(stats) == []


def test_rule1_received_equals_handled_plus_carried(stats):
    stats.requests.carried_forward = [104, 0, 0, 0, 0, 0, 104]
    assert ("error", "1", "表三 四、结转下年度继续办理 · 自然人：第一项加第二项之和为 3035（3001+34），"
            "第三项（七）总计加第四项之和为 3036（2932+104），两者应相等") in messages(stats)


def test_rule2_total_is_sum_of_outcomes(stats):
    stats.requests.outcomes.disclosed = [1289, 21, 0, 0, 50, 3, 1363]
    found = messages(stats)
    assert ("error", "2", "表三 （七）总计 · 自然人：各项办理结果之和为 2933，填写为 2932") in found
    assert ("error", "2", "表三 （七）总计 · 总计：各项办理结果之和为 3051，填写为 3050") in found


def test_rule2_counts_single_row_other(stats):
    stats.requests.outcomes.other = [181, 5, 0, 0, 1, 0, 187]
    assert messages(stats) == []


def test_rule3_row_adds_up_to_total(stats):
    stats.requests.outcomes.withheld.query_matters = [105, 1, 0, 0, 0, 0, 105]
    assert ("error", "3", "表三 （三）不予公开 8.属于行政查询事项 · 总计：自然人至其他各列之和为 106，总计填写为 105") in messages(stats)


def test_rule4_appeal_groups_add_up(stats):
    stats.appeals.litigation_direct.pending = 2
    assert messages(stats) == [
        ("error", "4", "表四 行政诉讼（未经复议直接起诉） · 总计：结果维持、结果纠正、其他结果、尚未审结之和为 27，总计填写为 26")]


def test_rule6_carried_over_matches_last_year(stats):
    prior = new_stats(2023, "淮安市人民政府")
    prior.requests.carried_forward = [30, 0, 0, 0, 0, 0, 30]
    prior.active.rules.in_force = 10
    prior.active.normative_documents.in_force = 84
    found = messages(stats, prior)
    assert ("error", "6", "表三 二、上年结转政府信息公开申请数量 · 自然人：应等于 2023 年报告的“四、结转下年度继续办理”（自然人）30，填写为 34") in found
    assert ("error", "6", "表三 二、上年结转政府信息公开申请数量 · 总计：应等于 2023 年报告的“四、结转下年度继续办理”（总计）30，填写为 34") in found
    # 10 + 1 − 0 = 11: fine; 84 + 8 − 26 = 66: fine
    assert not [m for m in found if "现行有效" in m[2]]
    prior.active.rules.in_force = 12
    assert ("warning", "6", "表二 规章 · 现行有效件数：按 2023 年现行有效 12 件 + 本年制发 1 件 − 本年废止 0 件应为 13 件，"
            "填写为 11 件（如有文件到期失效，可忽略本提示）") in messages(stats, prior)


def test_rule6_passes_when_consistent(stats):
    prior = new_stats(2023, "淮安市人民政府")
    prior.requests.carried_forward = [34, 0, 0, 0, 0, 0, 34]
    prior.active.rules.in_force = 10
    prior.active.normative_documents.in_force = 84
    assert messages(stats, prior) == []


@pytest.mark.parametrize("agency, allowed", [
    ("淮安市人民政府", True), ("江苏省人民政府办公厅", True), ("教育部", True), ("国家统计局", True),
    ("中牟县科技工信局", False), ("上海市杨浦区人民政府", False), ("淮安市生态环境局", False),
    ("广西壮族自治区人民政府", True),
])
def test_rule8_rule_making_power(agency, allowed):
    assert may_make_rules(agency) is allowed


def test_rule8_rules_from_county_body_warn(stats):
    stats.agency = "中牟县科技工信局"
    assert [m[:2] for m in messages(stats)] == [("warning", "8")]
    assert "一般没有规章制定权" in messages(stats)[0][2]


def test_rule8_format_year_mismatch_warns():
    assert [m[:2] for m in messages(new_stats(2022, "某局", "2019"))] == [("warning", "8")]
    assert [m[:2] for m in messages(new_stats(2019, "某局", "2021"))] == [("warning", "8")]
    assert messages(new_stats(2020, "某局", "2019")) == []


@pytest.mark.parametrize("path, expected", [
    # a blank part: the comparison is skipped, nothing is reported
    (("requests", "outcomes", "withheld", "query_matters", 0), []),
    (("appeals", "review", "upheld"), []),
    (("requests", "new", 0), []),
    # a blank total whose parts are known: a warning naming what it should be, never an error
    (("requests", "outcomes", "withheld", "query_matters", 6),
     [("warning", "3", "表三 （三）不予公开 8.属于行政查询事项 · 总计：总计为空（自然人至其他各列之和为 105）；正式报告中应填写")]),
    (("requests", "outcomes", "total", 1),
     [("warning", "2", "表三 （七）总计 · 商业企业：总计为空（各项办理结果之和为 53）；正式报告中应填写")]),
    (("appeals", "litigation_direct", "total"),
     [("warning", "4", "表四 行政诉讼（未经复议直接起诉） · 总计：总计为空（结果维持、结果纠正、其他结果、尚未审结之和为 26）；"
                       "正式报告中应填写")]),
])
def test_blank_cells_are_skipped_and_blank_totals_warned(stats, path, expected):
    set_path(stats, path, None)
    assert messages(stats) == expected


def test_blank_cells_across_years_are_skipped(stats):
    prior = new_stats(2023, "淮安市人民政府")
    prior.requests.carried_forward = [34, None, 0, 0, 0, 0, None]
    prior.active.rules.in_force = None
    prior.active.normative_documents.in_force = None
    assert messages(stats, prior) == []
