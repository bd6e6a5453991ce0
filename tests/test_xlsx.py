"""stats.xlsx: the tables as a protected workbook with SUM totals, read back with cell references."""

import os
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from conftest import EXAMPLES
from report_drafter import layout
from report_drafter.cli import app
from report_drafter.export.tables import table_grids
from report_drafter.model import TOTAL_COLUMN, Stats2019, Stats2021, get_path
from report_drafter.rules import outcome_rows
from report_drafter.spreadsheet import read_xlsx, write_xlsx
from report_drafter.statsfile import load_stats

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
EXAMPLE_STATS = {"zhongmou": EXAMPLES / "zhongmou" / "2023" / "stats.yaml",
                 "huaian": EXAMPLES / "huaian" / "2024" / "stats.yaml"}


def write(tmp_path: Path, stats, name: str = "stats.xlsx") -> Path:
    path = tmp_path / name
    path.write_bytes(write_xlsx(stats))
    return path


def distinct(stats):
    """`stats` with a different value in every input cell and consistent totals (the workbook computes them)."""
    counter = iter(range(1, 10_000))
    for grid in table_grids(stats).values():
        for cell in grid.numbers():
            if cell.kind == "value":
                parent, key = get_path(stats, cell.path[:-1]), cell.path[-1]
                value = -next(counter) if key == "change" else next(counter)
                value = Decimal(value) / 10 if key in ("fees", "amount") else value
                if isinstance(key, int):
                    parent[key] = value
                else:
                    setattr(parent, key, value)
    r = stats.requests
    rows = [r.new, r.carried_over, r.carried_forward] + [row for _, row in outcome_rows(stats)]
    for row in rows:
        row[TOTAL_COLUMN] = sum(row[:TOTAL_COLUMN])
    parts = [row for _, row in outcome_rows(stats)]
    r.outcomes.total = [sum(row[c] for row in parts) for c in range(len(layout.APPLICANT_COLUMNS))]
    for key, _ in layout.APPEAL_GROUPS:
        group = getattr(stats.appeals, key)
        group.total = group.upheld + group.corrected + group.other + group.pending
    stats.processing_fees.cases, stats.processing_fees.amount_yuan = 3, Decimal("12.50")
    return stats


# ---------- round trip ----------

@pytest.mark.parametrize("name", EXAMPLE_STATS)
def test_examples_round_trip(tmp_path, name):
    stats = load_stats(EXAMPLE_STATS[name]).stats
    read, problems = read_xlsx(write(tmp_path, stats))
    assert problems == [] and read == stats


@pytest.mark.parametrize("stats", [
    Stats2021(year=2024, agency="某局"),
    Stats2021(year=2024, agency="某局", requests={"outcomes": {"other": [0] * 7}}),  # one-row （六）其他处理
    Stats2019(year=2020, agency="某县政府"),
], ids=["2021", "2021-single-other", "2019"])
def test_every_cell_round_trips(tmp_path, stats):
    stats = distinct(stats)
    read, problems = read_xlsx(write(tmp_path, stats))
    assert problems == [] and read == stats


# ---------- the workbook ----------

def test_layout_formulas_and_protection(tmp_path):
    stats = load_stats(EXAMPLE_STATS["huaian"]).stats
    book = openpyxl.load_workbook(write(tmp_path, stats))
    assert book.sheetnames == ["基本信息", "表二", "表三", "表四"]
    t3 = book["表三"]
    assert t3["A3"].value.startswith("（本列数据的勾稽关系为") and t3["D3"].value == "申请人情况"
    merged = {str(r) for r in t3.merged_cells.ranges}
    assert {"A3:C5", "D3:J3", "D4:D5", "E4:I4", "J4:J5", "A8:A29", "B10:B17", "B29:C29", "A30:C30"} <= merged
    assert t3["A6"].value == "一、本年新收政府信息公开申请数量" and t3["D6"].value == 3001
    for row in range(6, 31):
        assert t3[f"J{row}"].value == f"=SUM(D{row}:I{row})"
    assert [t3[f"{c}29"].value for c in "DEFGHI"] == [f"=SUM({c}8:{c}28)" for c in "DEFGHI"]
    t4 = book["表四"]
    assert {"A3:E3", "F3:O3", "F4:J4", "K4:O4", "A4:A5"} <= {str(r) for r in t4.merged_cells.ranges}
    assert [t4[f"{c}6"].value for c in "EJO"] == ["=SUM(A6:D6)", "=SUM(F6:I6)", "=SUM(K6:N6)"]
    assert t4["A6"].value == 72 and str(book["表二"]["B16"].value) == "96171.6"
    for sheet in book:
        assert sheet.protection.sheet and not sheet.protection.password
    assert not t3["D6"].protection.locked and t3["A6"].protection.locked and t3["J6"].protection.locked
    info = book["基本信息"]
    assert [(info[f"A{r}"].value, info[f"B{r}"].value) for r in range(3, 8)] == [
        ("机关名称", "淮安市人民政府"), ("年度", 2024), ("格式版本", "2021"),
        ("六、信息处理费 收费件数", None), ("六、信息处理费 收费金额（元）", 3940)]
    assert info["B5"].protection.locked and not info["B3"].protection.locked


def test_bad_cells_are_named_by_sheet_cell(tmp_path):
    path = write(tmp_path, Stats2021(year=2024, agency="某局"))
    book = openpyxl.load_workbook(path)
    t3 = book["表三"]
    t3["D6"], t3["E6"], t3["F9"], t3["G9"] = "十二", -3, None, 2.5
    book["表四"]["B6"] = "/"
    book.save(path)
    stats, problems = read_xlsx(path, "2024/stats.xlsx")
    assert stats is None
    assert [str(p) for p in problems] == [
        "2024/stats.xlsx 表三!D6 表三 一、本年新收政府信息公开申请数量 · 自然人：应为非负整数，填写为“十二”",
        "2024/stats.xlsx 表三!E6 表三 一、本年新收政府信息公开申请数量 · 商业企业：不能为负数，填写为“-3”",
        "2024/stats.xlsx 表三!F9 表三 （二）部分公开（区分处理的，只计这一情形，不计其他情形） · 科研机构："
        "单元格为空，记为空白（不按 0 计，校验时跳过）；正式报告中应填写 0",
        "2024/stats.xlsx 表三!G9 表三 （二）部分公开（区分处理的，只计这一情形，不计其他情形） · 社会公益组织："
        "应为非负整数，填写为“2.5”",
        "2024/stats.xlsx 表四!B6 表四 行政复议 · 结果纠正：单元格为“/”，记为空白（不按 0 计，校验时跳过）；正式报告中应填写 0",
    ]
    assert problems[0].file == "2024/stats.xlsx 表三!D6" and problems[0].line is None


def test_formula_without_cached_value_must_be_sum(tmp_path):
    path = write(tmp_path, Stats2021(year=2024))
    book = openpyxl.load_workbook(path)
    book["表四"]["E6"] = "=AVERAGE(A6:D6)"
    book.save(path)
    stats, problems = read_xlsx(path, "stats.xlsx")
    assert stats is None and [str(p) for p in problems] == [
        "stats.xlsx 表四!E6 表四 行政复议 · 总计：公式“=AVERAGE(A6:D6)”无法计算（只支持 SUM）。请用 Excel 或 WPS 打开、保存后再读入"]


def test_not_our_workbook(tmp_path):
    from report_drafter.errors import InputError
    path = tmp_path / "other.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "基本信息"
    book.active["B5"] = "2021"
    book.save(path)
    with pytest.raises(InputError, match="工作表与 2021 年格式的官方表格不一致"):
        read_xlsx(path)
    (tmp_path / "broken.xlsx").write_text("not a workbook", encoding="utf-8")
    with pytest.raises(InputError, match="不是可读取的 Excel 文件"):
        read_xlsx(tmp_path / "broken.xlsx")


@pytest.mark.skipif(SOFFICE is None, reason="未安装 LibreOffice（soffice）：.ci/run 会用 apt-get 安装 libreoffice-calc-nogui 等软件包")
def test_values_cached_by_a_spreadsheet_program(tmp_path):
    """A workbook saved by a spreadsheet program (here LibreOffice Calc) is read from its cached values."""
    stats = distinct(Stats2021(year=2024, agency="某局"))
    source = write(tmp_path, stats, "source.xlsx")
    saved = tmp_path / "saved"
    result = subprocess.run([SOFFICE, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                             "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(saved), str(source)],
                            capture_output=True, timeout=180)
    if not (saved / "source.xlsx").exists():
        pytest.skip(f"LibreOffice Calc 不可用（libreoffice-calc-nogui）：{result.stderr.decode(errors='replace')[-200:]}")
    cached = openpyxl.load_workbook(saved / "source.xlsx", data_only=True)["表三"]["J6"].value
    assert cached == stats.requests.new[TOTAL_COLUMN]
    read, problems = read_xlsx(saved / "source.xlsx")
    assert problems == [] and read == stats


# ---------- the commands ----------

def test_init_xlsx_then_validate_reads_a_newer_workbook(runner, tmp_path):
    result = runner.invoke(app, ["init", "--year", "2024", "--agency", "某局", "--dir", str(tmp_path), "--xlsx"])
    assert result.exit_code == 0 and "已创建 2024/stats.xlsx" in result.output
    yaml_path, xlsx = tmp_path / "2024" / "stats.yaml", tmp_path / "2024" / "stats.xlsx"
    book = openpyxl.load_workbook(xlsx)
    book["表三"]["D6"] = 5      # 一、本年新收 · 自然人
    book["表三"]["D8"] = 5      # （一）予以公开 · 自然人
    book.save(xlsx)
    os.utime(xlsx, ns=(yaml_path.stat().st_mtime_ns + 10**9,) * 2)

    result = runner.invoke(app, ["validate", "--year", "2024", "--dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "已从 2024/stats.xlsx 读入统计数据，写入 2024/stats.yaml。" in result.output
    assert "校验通过：2024/stats.yaml" in result.output
    text = yaml_path.read_text(encoding="utf-8")
    assert "new:            [5, 0, 0, 0, 0, 0, 5]             # 一、本年新收政府信息公开申请数量" in text
    assert list((tmp_path / "2024" / ".history").glob("*__stats.yaml"))

    again = runner.invoke(app, ["validate", "--year", "2024", "--dir", str(tmp_path)])
    assert again.exit_code == 0 and "读入" not in again.output
    again = runner.invoke(app, ["init", "--year", "2024", "--dir", str(tmp_path), "--xlsx"])
    assert "已存在，未改动 2024/stats.xlsx" in again.output


def test_validate_points_rule_errors_and_bad_cells_at_the_workbook(runner, tmp_path):
    runner.invoke(app, ["init", "--year", "2024", "--dir", str(tmp_path), "--xlsx"])
    yaml_path, xlsx = tmp_path / "2024" / "stats.yaml", tmp_path / "2024" / "stats.xlsx"
    before = yaml_path.read_text(encoding="utf-8")
    book = openpyxl.load_workbook(xlsx)
    book["表三"]["D6"] = 5      # received, but no outcome: rule 1 breaks
    book.save(xlsx)
    os.utime(xlsx, ns=(yaml_path.stat().st_mtime_ns + 10**9,) * 2)
    result = runner.invoke(app, ["validate", "--year", "2024", "--dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "错误 2024/stats.xlsx 表三!D30 表三 四、结转下年度继续办理 · 自然人：第一项加第二项之和为 5（5+0）" in result.output

    book["表三"]["D6"] = -1
    book.save(xlsx)
    os.utime(xlsx, ns=(yaml_path.stat().st_mtime_ns + 10**9,) * 2)
    written = yaml_path.read_text(encoding="utf-8")
    assert written != before
    result = runner.invoke(app, ["validate", "--year", "2024", "--dir", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "未读入 2024/stats.xlsx：有错误，stats.yaml 未改动。",
        "错误 2024/stats.xlsx 表三!D6 表三 一、本年新收政府信息公开申请数量 · 自然人：不能为负数，填写为“-1”",
        "校验未通过：2024/stats.xlsx 有 1 处错误、0 处提示。",
    ]
    assert yaml_path.read_text(encoding="utf-8") == written


def test_import_xlsx(runner, tmp_path):
    stats = load_stats(EXAMPLE_STATS["huaian"]).stats
    source = write(tmp_path, stats, "淮安统计表.xlsx")
    result = runner.invoke(app, ["import", str(source), "--dir", str(tmp_path / "ws")])
    assert result.exit_code == 0, result.output
    assert "写入 2024/stats.yaml" in result.output and "校验通过：2024/stats.yaml" in result.output
    assert load_stats(tmp_path / "ws" / "2024" / "stats.yaml").stats == stats
