"""Rule packs: evaluation rules as data, applied by `drafter check --rules` (and audit)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from report_drafter.cli import app
from report_drafter.dates import publication_date
from report_drafter.errors import InputError
from report_drafter.findings import Finding
from report_drafter.rulepacks import Evidence, load_pack, score

REFERENCE = Path(__file__).parent / "fixtures" / "import"

PACK = """\
name: 测试指标
full_score: 10
rules:
  - id: gone
    text: 未公开
    points: 2
    when: {missing: true}
  - id: late
    text: 未在 3 月 31 日前发布
    points: 1
    when: {published_after: "03-31"}
  - id: same_as_last_year
    text: 与上年度重复率大于 50%
    points: 0.5
    when: {similar_to_last_year: 0.5}
  - id: same_as_others
    text: 与其他机关重复率大于 60%
    points: 1
    when: {similar_to_other_agency: 0.6}
  - id: wrong_numbers
    text: 数据不符
    points: 0.5
    each: true
    max: 1
    when: {errors_in: [tables, numbers]}
  - id: vague
    text: 问题泛泛而谈
    points: 0.5
    when: {finding: substance.vague}
"""


@pytest.fixture
def pack(tmp_path):
    path = tmp_path / "我的指标.yaml"
    path.write_text(PACK, encoding="utf-8")
    return load_pack(str(path))


def finding(category: str, kind: str, severity: str = "error", line: int = 7) -> Finding:
    return Finding(severity=severity, category=category, kind=kind, message="…", line=line)


def deducted(pack, **evidence) -> dict[str, Decimal]:
    result = score(pack, Evidence(year=2024, findings=evidence.pop("findings", []), **evidence))
    return {d.rule: d.points for d in result.deductions}


@pytest.mark.parametrize("evidence, rule, points", [
    ({"missing": True}, "gone", Decimal(2)),
    ({"published": date(2025, 4, 1)}, "late", Decimal(1)),
    ({"last_year_share": 0.62}, "same_as_last_year", Decimal("0.5")),
    ({"other_share": 0.9, "other_agency": "某某局"}, "same_as_others", Decimal(1)),
    ({"findings": [finding("numbers", "contradiction")]}, "wrong_numbers", Decimal("0.5")),
    ({"findings": [finding("tables", "rule")] * 5}, "wrong_numbers", Decimal(1)),           # each, at most `max`
    ({"findings": [finding("substance", "vague", "warning")]}, "vague", Decimal("0.5")),
])
def test_each_condition_deducts(pack, evidence, rule, points):
    assert deducted(pack, **evidence) == {rule: points}


@pytest.mark.parametrize("evidence", [
    {"missing": False},
    {"published": date(2025, 3, 31)},
    {"last_year_share": 0.5},
    {"other_share": 0.6},
    {"findings": [finding("numbers", "unsupported", "warning"), finding("style", "markdown")]},
    {"findings": [finding("substance", "unmatched", "warning")]},
])
def test_each_condition_passes(pack, evidence):
    assert deducted(pack, **evidence) == {}


def test_what_cannot_be_judged_is_said_and_not_scored(pack):
    result = score(pack, Evidence(year=2024, findings=[], missing=None))
    assert result.score == Decimal(10) and result.deductions == []
    reasons = {u.rule: u.reason for u in result.unjudged}
    assert set(reasons) == {"gone", "late", "same_as_last_year", "same_as_others"}
    assert "没有落款日期" in reasons["late"] and "没有上年度的报告" in reasons["same_as_last_year"]


def test_deductions_and_json(pack):
    result = score(pack, Evidence(year=2024, findings=[finding("numbers", "contradiction", line=12)],
                                  last_year_share=0.8, published=date(2025, 1, 20)))
    data = result.as_dict()
    assert data["pack"] == "测试指标" and data["max"] == 10 and data["score"] == 9
    assert data["deductions"] == [
        {"rule": "same_as_last_year", "points": 0.5, "text": "与上年度重复率大于 50%", "lines": [], "why": "与上年度报告相同的文字占 80%"},
        {"rule": "wrong_numbers", "points": 0.5, "text": "数据不符", "lines": [12], "why": "1 处错误"}]


@pytest.mark.parametrize("text, where", [
    (PACK.replace("    points: 2\n", "    points: 2\n    weight: 3\n"), ":7 rules.0.weight：未知的设置项“weight”"),
    (PACK.replace("points: 0.5\n    when: {similar", "points: 半分\n    when: {similar"), ":14 rules.2.points：应为数字"),
    (PACK.replace("{similar_to_last_year: 0.5}", "{similar_to_last_year: 50}"), "应不大于 1"),
    (PACK.replace("[tables, numbers]", "[tables, 数字]"), "取值不在允许范围内"),
    (PACK.replace('{published_after: "03-31"}', '{published_after: "3月底"}'), "应为“月-日”"),
    (PACK.replace("{missing: true}", "{missing: true, finding: substance.vague}"), "when 下应恰好写一个条件"),
    (PACK.replace("finding: substance.vague", "finding: substance.空泛"), "没有这个核对项“substance.空泛”"),
])
def test_pack_errors_name_the_file_and_line(tmp_path, text, where):
    path = tmp_path / "坏的.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as error:
        load_pack(str(path))
    assert where in str(error.value) and str(path) in str(error.value)


def test_packaged_packs_load_and_list(runner, tmp_path):
    assert load_pack().name == "national" and load_pack("example-regional").full_score == 5
    listed = runner.invoke(app, ["rules", "list", "--dir", str(tmp_path)])
    assert listed.exit_code == 0 and "national（内置）" in listed.output and "example-regional（内置）" in listed.output
    shown = runner.invoke(app, ["rules", "show", "example-regional", "--dir", str(tmp_path)])
    assert shown.exit_code == 0 and "未在 3 月 31 日前发布年度报告" in shown.output


def test_workspace_pack_overrides_by_name(runner, tmp_path):
    (tmp_path / "rulepacks").mkdir()
    (tmp_path / "rulepacks" / "national.yaml").write_text(PACK.replace("测试指标", "本市指标"), encoding="utf-8")
    listed = runner.invoke(app, ["rules", "list", "--dir", str(tmp_path)])
    assert "national（工作目录 rulepacks/national.yaml）" in listed.output
    assert load_pack("national", tmp_path).name == "本市指标"


def check_json(runner, *args) -> dict:
    result = runner.invoke(app, ["check", *args, "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def test_national_pack_deducts_for_copying_last_year(runner, tmp_path):
    report = str(REFERENCE / "huaian-szf-2024.txt")
    data = check_json(runner, "--report", report, "--prior", report, "--dir", str(tmp_path))
    copied = next(d for d in data["score"]["deductions"] if d["rule"] == "copied_last_year")
    assert copied["points"] == 10 and "100%" in copied["why"] and copied["lines"]
    assert data["score"]["pack"] == "national" and data["score"]["score"] < 100


def test_national_pack_names_vague_problems(runner, tmp_path):
    data = check_json(runner, "--report", str(REFERENCE / "zhongmou-kjgxj-2023.txt"), "--dir", str(tmp_path))
    vague = next(d for d in data["score"]["deductions"] if d["rule"] == "vague_problems")
    assert vague["lines"] == [78] and vague["why"] == "2 处"
    assert {u["rule"] for u in data["score"]["unjudged"]} >= {"late", "copied_last_year", "copied_other_agency"}


def test_custom_pack_by_path_and_text_output(runner, tmp_path):
    path = tmp_path / "我的指标.yaml"
    path.write_text(PACK, encoding="utf-8")
    result = runner.invoke(app, ["check", "--report", str(REFERENCE / "zhongmou-kjgxj-2023.txt"),
                                 "--dir", str(tmp_path), "--rules", str(path)])
    assert result.exit_code == 0, result.output
    tail = result.output[result.output.index("按“测试指标”评分"):]
    assert "9.5 / 10 分" in tail and "扣 0.5 分 问题泛泛而谈：2 处（第 78 行）" in tail
    assert "无法判断 未在 3 月 31 日前发布：报告末尾没有落款日期" in tail


def test_unknown_pack_name_is_refused(runner, tmp_path):
    result = runner.invoke(app, ["check", "--report", str(REFERENCE / "zhongmou-kjgxj-2023.txt"),
                                 "--dir", str(tmp_path), "--rules", "没有这个"])
    assert result.exit_code == 2 and "没有名为“没有这个”的规则包" in result.output


@pytest.mark.parametrize("text, when, how", [
    ("正文。\n\n某某局\n2025年1月23日\n", date(2025, 1, 23), "落款日期"),
    ("正文。\n某某局\n二〇二五年一月二十三日\n\n- 6 -\n", date(2025, 1, 23), "落款日期"),
    ("标题: 某局年报\n发布时间: 2022-02-08 16:34\n正文……", date(2022, 2, 8), "网页发布时间"),
    ("六、其他需要报告的事项\n2025年1月5日召开了专题会议。\n", None, None),
    ("正文没有日期。\n", None, None),
])
def test_publication_date(text, when, how):
    found = publication_date(text)
    assert (found.when, found.how) == (when, how) if when else found is None
