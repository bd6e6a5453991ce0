"""End to end: every full real report of tests/fixtures/reports/ imports and validates, with the values
its own prose (and reports/README.md) states; openings are read by read_report without raising.
"""

import json
from decimal import Decimal
from pathlib import Path

import pytest

from report_drafter.cli import app
from report_drafter.importing import read_report
from report_drafter.rules import check_stats

FIXTURES = Path(__file__).parent / "fixtures"
REPORTS = FIXTURES / "reports"
ALL = sorted(REPORTS.glob("1*")) + [FIXTURES / "import" / name for name in
                                    ("huaian-szf-2024.txt", "huaian-szf-2024.pdf", "zhongmou-kjgxj-2023.txt")]
OPENINGS = sorted((FIXTURES / "import" / "openings").glob("*.txt"))
# 102's printed table 三 breaks rule 2: its 办理结果 rows add up to 27 (自然人 26), its （七）总计 says 21
# (自然人 20); the prose says 21 applications. Imported as published, with the violations listed.
BREAKS_RULES = {"102_pingtan-zhsyq_2020.txt"}

O = ("requests", "outcomes")
Z = [0] * 7


def get(stats, *path):
    node = stats
    for part in path:
        node = node[part] if isinstance(part, int) else getattr(node, part)
    return node


def appeals(stats) -> list[tuple]:
    return [tuple(getattr(stats.appeals, key).model_dump().values())
            for key in ("review", "litigation_direct", "litigation_after_review")]


@pytest.fixture(scope="module")
def reports():
    return {path.name: read_report(path) for path in ALL}


@pytest.mark.parametrize("path", ALL, ids=[p.name for p in ALL])
def test_import_then_validate(runner, tmp_path, path):
    result = runner.invoke(app, ["import", str(path), "--dir", str(tmp_path)])
    expected = 1 if path.name in BREAKS_RULES else 0
    assert result.exit_code == expected, result.output
    assert "Traceback" not in result.output
    [year] = [p.name for p in tmp_path.iterdir() if p.name.isdigit()]
    check = runner.invoke(app, ["validate", "--year", year, "--dir", str(tmp_path)])
    assert check.exit_code == expected, check.output


@pytest.mark.parametrize("path", ALL, ids=[p.name for p in ALL])
def test_every_cell_is_read(reports, path):
    report = reports[path.name]
    read, expected = report.cells_read
    assert read == expected and report.complete
    errors = [p for p in check_stats(report.stats) if p.severity == "error"]
    assert bool(errors) == (path.name in BREAKS_RULES)


def test_2019_trial_format(reports):
    report = reports["101_pingtan-zhsyq_2019.txt"]
    assert (report.format, report.single_other, report.year) == ("2019", True, 2019)
    stats = report.stats
    assert stats.requests.new == [23, 0, 0, 0, 0, 0, 23] and stats.requests.outcomes.other == Z
    assert stats.requests.outcomes.total == [23, 0, 0, 0, 0, 0, 23]
    assert stats.active.normative_documents.model_dump() == {"made": 89, "published": 89, "total": 89}
    assert stats.active.licensing.model_dump() == {"previous": 396, "change": 0, "decisions": 181}
    assert sum("连在一起" in p.message for p in report.warnings) == 7      # every 表二 row but 规章 is a guess
    assert appeals(stats) == [(0,) * 5] * 3


def test_2020_report_breaks_rule_2_as_published(reports):
    report = reports["102_pingtan-zhsyq_2020.txt"]
    stats = report.stats
    assert stats.requests.new == [20, 0, 0, 0, 0, 1, 21] and stats.requests.outcomes.total == [20, 0, 0, 0, 0, 1, 21]
    assert stats.requests.outcomes.other == [4, 0, 0, 0, 0, 0, 4]
    assert stats.active.fees.model_dump() == {"previous": 35, "change": -15}
    found = [str(p) for p in check_stats(stats) if p.severity == "error"]
    assert found == ["表三 （七）总计 · 自然人：各项办理结果之和为 26，填写为 20",
                     "表三 （七）总计 · 总计：各项办理结果之和为 27，填写为 21"]


@pytest.mark.parametrize("name, cells", [
    ("103_pingtan-zhsyq_2021.txt", {
        ("requests", "new"): [64, 0, 0, 2, 0, 4, 70], (*O, "total"): [63, 0, 0, 2, 0, 4, 69],
        ("requests", "carried_forward"): [1, 0, 0, 0, 0, 0, 1], (*O, "unavailable", "not_held"): [22, 0, 0, 0, 0, 3, 25],
        ("active", "fees"): Decimal("24252.311082"), ("active", "licensing"): 2293}),
    ("104_pingtan-zhsyq_2022.txt", {
        ("requests", "carried_over"): [1, 0, 0, 0, 0, 0, 1],          # = 2021's 结转下年度
        ("requests", "new"): [71, 3, 0, 0, 0, 0, 74], (*O, "other", "other"): [0, 2, 0, 0, 0, 0, 2]}),
    ("105_pingtan-zhsyq_2023.txt", {
        (*O, "total"): [80, 1, 0, 0, 0, 0, 81], (*O, "partly_disclosed"): [19, 1, 0, 0, 0, 0, 20],
        ("active", "fees"): Decimal("5949.088667")}),
    ("106_pingtan-zhsyq_2024.txt", {
        ("requests", "new"): [217, 1, 0, 0, 0, 0, 218], (*O, "withheld", "internal_affairs"): [32, 0, 0, 0, 0, 0, 32]}),
    ("107_pingtan-zhsyq_2025.txt", {
        ("requests", "new"): [151, 3, 0, 0, 0, 0, 154], (*O, "total"): [147, 1, 0, 0, 0, 0, 148],
        ("requests", "carried_forward"): [4, 2, 0, 0, 0, 0, 6], ("active", "fees"): Decimal("4166.241619")}),
    ("108_shanghai-kw_2024.md", {
        ("requests", "new"): [32, 2, 0, 0, 0, 0, 34], ("requests", "carried_over"): [2, 0, 0, 0, 0, 0, 2],
        (*O, "other", "no_correction"): [8, 2, 0, 0, 0, 0, 10], (*O, "other", "other"): [4, 0, 0, 0, 0, 0, 4],
        (*O, "total"): [33, 2, 0, 0, 0, 0, 35],
        ("requests", "carried_forward"): [1, 0, 0, 0, 0, 0, None],     # the 总计 cell is printed blank
        ("active", "licensing"): 97}),
    ("109_shanghai-szfbgt_2025.md", {
        ("requests", "new"): [1259, 36, 0, 0, 0, 0, 1295], ("requests", "carried_over"): [170, 15, 0, 0, 4, 0, 189],
        (*O, "total"): [1139, 48, 0, 0, 4, 0, 1191], ("requests", "carried_forward"): [290, 3, 0, 0, 0, 0, 293],
        (*O, "other", "no_correction"): [40, 1, 0, 0, 2, 0, 43], (*O, "not_processed", "confirmations"): Z}),
])
def test_values_agree_with_the_report(reports, name, cells):
    stats = reports[name].stats
    for path, value in cells.items():
        assert get(stats, *path) == value, path


@pytest.mark.parametrize("name, groups", [
    ("103_pingtan-zhsyq_2021.txt", [(1, 0, 2, 0, 3), (12, 0, 0, 0, 12), (0,) * 5]),
    ("104_pingtan-zhsyq_2022.txt", [(0, 1, 1, 0, 2), (1, 0, 0, 0, 1), (0,) * 5]),    # prose: 复议 2, 诉讼 1
    ("105_pingtan-zhsyq_2023.txt", [(1, 1, 0, 0, 2), (4, 0, 0, 1, 5), (1, 0, 1, 0, 2)]),   # prose: 复议 2, 诉讼 7
    ("106_pingtan-zhsyq_2024.txt", [(2, 1, 3, 1, 7), (0,) * 5, (13, 2, 4, 0, 19)]),
    ("107_pingtan-zhsyq_2025.txt", [(25, 3, 8, 0, 36), (3, 3, 0, 0, 6), (3, 0, 0, 0, 3)]),  # prose: 复议 36, 诉讼 9
    ("108_shanghai-kw_2024.md", [(1, 0, 0, 0, 1), (0,) * 5, (0,) * 5]),              # 15 numbers under 12 cells
    ("109_shanghai-szfbgt_2025.md", [(40, 0, 10, 5, 55), (2, 0, 4, 6, 12), (6, 0, 9, 7, 22)]),
])
def test_table4(reports, name, groups):
    assert appeals(reports[name].stats) == groups


def test_108_other_handling_matches_its_prose(reports):
    """“同意公开9, 不予公开2, 无法提供10, 其他处理14, 转下一年度1” (34 + 2 = 35 + 1)."""
    other = reports["108_shanghai-kw_2024.md"].stats.requests.outcomes.other
    assert sum(getattr(other, key)[6] for key in ("no_correction", "fee_unpaid", "other")) == 14
    warnings = [p.message for p in reports["108_shanghai-kw_2024.md"].warnings]
    assert any("10 行没有可识别的行标签" in w for w in warnings)
    assert any("表三中的数字“1”无法归入任何一行" in w for w in warnings)


def test_109_rows_printing_two_of_three_numbers_are_placed_first_and_last(reports):
    """规章 and 行政规范性文件 print 2 numbers for 3 columns (本年废止 not printed): placed in the first and last
    columns, the other placements named; the prose (“规章 22 件”“行政规范性文件 34 件”) agrees with the placement."""
    report = reports["109_shanghai-szfbgt_2025.md"]
    assert report.stats.active.rules.model_dump() == {"issued": 22, "repealed": None, "in_force": 235}
    assert report.stats.active.normative_documents.model_dump() == {"issued": 34, "repealed": None, "in_force": 189}
    messages = [p.message for p in report.warnings]
    assert any("“第二十条第（一）项 规章”一行只印出 2 个数（22 235）" in m and "也可为 22/235/□、□/22/235" in m
               for m in messages)


def test_consecutive_years_in_one_workspace(runner, tmp_path):
    """2021–2025 imported in order: each year's 上年结转 equals the year before's 结转下年度."""
    for name in ("103_pingtan-zhsyq_2021.txt", "104_pingtan-zhsyq_2022.txt", "105_pingtan-zhsyq_2023.txt",
                 "106_pingtan-zhsyq_2024.txt", "107_pingtan-zhsyq_2025.txt"):
        result = runner.invoke(app, ["import", str(REPORTS / name), "--dir", str(tmp_path)])
        assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.isdigit()) == ["2021", "2022", "2023", "2024", "2025"]


def test_json_output_is_only_json(runner, tmp_path):
    result = runner.invoke(app, ["import", str(REPORTS / "108_shanghai-kw_2024.md"), "--json", "--dir", str(tmp_path)])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["requests"]["carried_forward"] == [1, 0, 0, 0, 0, 0, None]
    assert "识别结果" in result.stderr and "表四每类 5 项（含总计）" in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("path", OPENINGS, ids=[p.stem for p in OPENINGS])
def test_read_report_never_raises_on_openings(path):
    report = read_report(path)
    assert not report.complete
    missing = [t for t in report.tables.values() if t.status != "complete"]
    assert missing and all(t.message and t.unread for t in missing)
    assert any(p.message == f"表格不完整：{missing[0].message}" and p.path == (missing[0].key,) for p in report.warnings)


def test_a_row_printing_fewer_numbers_is_placed_by_the_prose(tmp_path):
    """The same 109 row printing 22 and 55, the prose saying 废止规章 55 件: 55 is 本年废止, not 现行有效."""
    text = (REPORTS / "109_shanghai-szfbgt_2025.md").read_text(encoding="utf-8")
    text = text.replace("| 规章 | 22 | 235 |", "| 规章 | 22 | 55 |").replace(
        "全年主动公开市政府规章 22 件、", "全年主动公开市政府规章 22 件、废止规章 55 件、")
    path = tmp_path / "report.md"
    path.write_text(text, encoding="utf-8")
    report = read_report(path)
    assert report.stats.active.rules.model_dump() == {"issued": 22, "repealed": 55, "in_force": None}
    assert any("正文中的数字与 22/55/□ 相符，按此取值" in p.message for p in report.warnings)
