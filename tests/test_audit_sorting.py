"""Files of a supervisor's folder that are not reports (README, 通知, 名单, the blank template): set aside, not
ranked, not summed, and said so in every output."""

from __future__ import annotations

import json
import shutil

import pytest
from audit_batch import FIXTURES, REPORTS

from report_drafter.cli import app

REAL = ("104_pingtan-zhsyq_2022.txt", "105_pingtan-zhsyq_2023.txt", "108_shanghai-kw_2024.md")
NOTICE = """关于报送2024年度政府信息公开工作年度报告的通知

各区县人民政府、市政府各部门：
请于2025年1月31日前报送本单位2024年度政府信息公开工作年度报告，格式见附件。

市政务公开办
2025年1月5日
"""
ROSTER = "2024年度应报送年度报告的单位名单\n\n平潭综合实验区\n上海市科学技术委员会\n"


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("sorting") / "收到的年报"
    root.mkdir()
    for name in REAL:
        shutil.copy(REPORTS / name, root / name)
    shutil.copy(REPORTS / "README.md", root / "README.md")
    (root / "通知.txt").write_text(NOTICE, encoding="utf-8")
    (root / "名单.txt").write_text(ROSTER, encoding="utf-8")
    shutil.copy(FIXTURES / "import" / "format-template-2021.docx", root / "模板.docx")
    return root


@pytest.fixture(scope="module")
def outcome(folder, tmp_path_factory):
    from typer.testing import CliRunner

    out = tmp_path_factory.mktemp("sorted")
    run = CliRunner().invoke(app, ["audit", str(folder), "--out", str(out), "--format", "json", "--jobs", "1"])
    return run, json.loads(run.stdout), out


def test_each_file_has_a_status_and_only_reports_are_ranked(outcome):
    run, data, _ = outcome
    assert run.exit_code in (0, 1), run.output
    status = {r["file"]: (r["status"], r.get("rank")) for r in data["reports"]}
    assert status == {**{name: ("report", status[name][1]) for name in REAL},
                      "README.md": ("not_a_report", None), "通知.txt": ("not_a_report", None),
                      "名单.txt": ("not_a_report", None), "模板.docx": ("blank_template", None)}
    assert sorted(status[name][1] for name in REAL) == [1, 2, 3]
    assert [r["status"] for r in data["reports"]][:3] == ["report"] * 3     # ranked ones first
    summary = data["summary"]
    assert (summary["files"], summary["reports"], summary["not_reports"], summary["blank_templates"]) == (7, 3, 3, 1)


def test_files_set_aside_are_not_summed(outcome):
    _, data, out = outcome
    summed = {name for a in data["summary"]["aggregates"] for files in a["included"].values() for name in files}
    excluded = {name for a in data["summary"]["aggregates"] for files in a["excluded"].values() for name in files}
    assert summed == set(REAL)
    assert not excluded & {"README.md", "通知.txt", "名单.txt", "模板.docx"}
    assert "模板.docx" not in (out / "aggregate.stats.yaml").read_text(encoding="utf-8")


def test_the_page_and_workbook_list_them_apart(outcome):
    from openpyxl import load_workbook

    _, _, out = outcome
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "不是年报的文件（4，不参加排名，不计入汇总）" in page
    assert "<b>模板.docx</b>（空白模板）" in page and "<b>通知.txt</b>（不是年报）" in page
    sheet = load_workbook(out / "summary.xlsx")["不是年报"]
    assert sorted((row[0], row[1]) for row in sheet.iter_rows(min_row=2, values_only=True)) == [
        ("README.md", "不是年报"), ("名单.txt", "不是年报"), ("模板.docx", "空白模板"), ("通知.txt", "不是年报")]


def test_the_text_output_names_them(folder, tmp_path):
    from typer.testing import CliRunner

    run = CliRunner().invoke(app, ["audit", str(folder), "--out", str(tmp_path), "--jobs", "1"])
    assert "3 份报告，4 个不是年报（不参加排名，不计入汇总）" in run.stdout
    assert "空白模板 模板.docx：统计表一个数字也没有填" in run.stdout


@pytest.mark.parametrize("text, status", [
    (NOTICE, "not_a_report"),
    (ROSTER, "not_a_report"),
    ("# 说明\n\n本文件夹存放各单位报送的年度报告，请勿改动。\n", "not_a_report"),
])
def test_sorting_of_one_file(tmp_path, text, status):
    from report_drafter.services.audit.sorting import sort_report
    from report_drafter.services.checking import read_published

    path = tmp_path / "文件.txt"
    path.write_text(text, encoding="utf-8")
    assert sort_report(read_published(path).report).status == status


@pytest.mark.parametrize("name", ["104_pingtan-zhsyq_2022.txt", "101_pingtan-zhsyq_2019.txt", "109_shanghai-szfbgt_2025.md"])
def test_real_reports_are_reports(name):
    from report_drafter.services.audit.sorting import sort_report
    from report_drafter.services.checking import read_published

    assert sort_report(read_published(REPORTS / name).report).status == "report"
