"""drafter check --report: published reports checked against their own tables."""

import json
from pathlib import Path

import pytest

from report_drafter.services.checking import check_published
from report_drafter.cli import app

REPORTS = Path(__file__).parent / "fixtures" / "import"


@pytest.mark.parametrize("name", ["huaian-szf-2024.txt", "huaian-szf-2024.pdf", "zhongmou-kjgxj-2023.txt"])
def test_reference_reports_have_no_errors(name):
    result = check_published(REPORTS / name).report
    assert result.errors == []
    assert all(f.kind == "unsupported" for f in result.findings)


def test_huaian_litigation_is_verified_against_both_groups():
    result = check_published(REPORTS / "huaian-szf-2024.txt").report
    sources = {v.found.replace(" ", ""): v.source for v in result.verified}
    assert sources["46件"] == "表四 行政诉讼 未经复议直接起诉 + 复议后起诉 · 总计"
    assert sources["25件"] == "表四 行政诉讼 未经复议直接起诉 + 复议后起诉 · 结果维持"
    assert sources["351件"] == "表四 行政复议 · 总计"
    assert sources["3119件"].startswith("表三 一、本年新收政府信息公开申请数量")
    assert sources["3940元"].startswith("信息处理费")


def test_lines_refer_to_the_checked_file(tmp_path):
    text = (REPORTS / "huaian-szf-2024.txt").read_text(encoding="utf-8")
    broken = text.replace("答\n复 3050 件", "答\n复 3051 件")
    assert broken != text
    path = tmp_path / "report.txt"
    path.write_text(broken, encoding="utf-8")
    result = check_published(path).report
    [error] = result.errors
    line = next(n for n, l in enumerate(broken.split("\n"), 1) if "复 3051 件" in l)
    assert (error.line, error.found.replace(" ", ""), error.expected) == (line, "3051件", "3050件")


@pytest.mark.parametrize("old, new, expected", [
    # a number that is a single cell (1362 予以公开) stated as 予以公开及部分公开 (1816)
    ("答\n复 3050 件（", "答\n复 3050 件，予以公开及部分公开 1362 件（", "1816件"),
    # 769 is one 无法提供 row; the three rows total 781
    ("答\n复 3050 件（", "答\n复 3050 件，无法提供 769 件（", "781件"),
    ("结果纠正 64 件", "结果纠正 46 件", "64件"),
])
def test_published_contradictions(tmp_path, old, new, expected):
    text = (REPORTS / "huaian-szf-2024.txt").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "report.txt"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = check_published(path).report
    assert [f.expected for f in result.errors] == [expected]


def test_claim_that_all_were_upheld_while_cases_are_pending(tmp_path):
    text = (REPORTS / "huaian-szf-2024.txt").read_text(encoding="utf-8")
    path = tmp_path / "report.txt"
    path.write_text(text.replace("均在法定期限内予以答复。", "均在法定期限内予以答复，复议、诉讼均获维持。"),
                    encoding="utf-8")
    result = check_published(path).report
    assert {f.kind for f in result.errors} == {"claim"}
    assert any("尚未审结" in f.expected for f in result.errors)


def test_check_report_cli_json(runner):
    result = runner.invoke(app, ["check", "--report", str(REPORTS / "huaian-szf-2024.txt"), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["checked"]["errors"] == 0 and data["checked"]["verified"] >= 16
    assert {f["severity"] for f in data["findings"]} == {"warning"}
    assert set(data["findings"][0]) >= {"severity", "line", "text", "found", "expected", "source", "message"}


def test_check_report_answers_a_cut_off_report(runner, tmp_path):
    """A readable file always gets an answer: its missing tables are findings, its prose is still checked."""
    path = tmp_path / "cut.txt"
    path.write_text("某局2023年政府信息公开工作年度报告\n一、总体情况\n本年度无。\n", encoding="utf-8")
    result = runner.invoke(app, ["check", "--report", str(path), "--format", "json"])
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    missing = [f for f in data["findings"] if f["category"] == "tables" and f["kind"] == "missing"]
    assert {f["table"] for f in missing} == {"表二", "表三", "表四"}
    assert all(f["severity"] == "error" and "未找到" in f["message"] for f in missing)


@pytest.mark.parametrize("content", [None, b"", b"\x00\x01\x02binary" * 50])
def test_check_report_unreadable_file_exits_2(runner, tmp_path, content):
    path = tmp_path / "report.txt"
    if content is not None:
        path.write_bytes(content)
    result = runner.invoke(app, ["check", "--report", str(path)])
    assert result.exit_code == 2 and "错误" in result.output and "Traceback" not in result.output
