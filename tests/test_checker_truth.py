"""The checker on real reports: blank cells derived from the table's sums, every reading wrong is an error,
group wording, findings at the line of the user's own file (hard-wrapped text, HTML source, PDF pages)."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import FIXTURES
from report_drafter.cells import cell_list, derive
from report_drafter.checks.numbers import Sources, check_numbers
from report_drafter.cli import app
from report_drafter.facts import compute_facts
from report_drafter.services.checking import check_published
from report_drafter.statsfile import read_stats

REPORTS = FIXTURES / "reports"
IMPORT = FIXTURES / "import"


def huaian_stats():
    return read_stats((FIXTURES / "stats-huaian-2024.yaml").read_text(encoding="utf-8"), "stats.yaml").stats


def prose(sentence: str) -> str:
    return f"# 标题\n\n## 一、总体情况\n\n{sentence}\n"


# ---------- blank cells: derived from the row's sums ----------

def test_a_blank_total_of_printed_parts_is_their_sum():
    stats = huaian_stats()           # 予以公开 [1303, 50, 1, 0, 5, 3, 1362]
    stats.requests.outcomes.disclosed[6] = None
    filled, derived = derive(stats)
    assert filled.requests.outcomes.disclosed[6] == 1362 and stats.requests.outcomes.disclosed[6] is None
    [(path, how)] = derived.items()
    assert path == ("requests", "outcomes", "disclosed", 6) and how.note == "总计栏空白，按各列之和 1362 件计"
    [finding] = check_numbers(prose("全年予以公开 1360 件。"), Sources(compute_facts(stats), strict=False)).findings
    assert (finding.kind, finding.severity, finding.expected) == ("contradiction", "error", "1362件")
    assert "总计栏空白，按各列之和 1362 件计" in finding.message


def test_a_blank_part_of_a_row_already_summed_is_zero():
    stats = huaian_stats()
    stats.requests.new[3] = None     # 社会公益组织: printed parts already add up to the printed 总计
    stats.appeals.review.pending = None
    stats.appeals.review.total = 351 - 37
    filled, derived = derive(stats)
    assert filled.requests.new[3] == 0 and filled.appeals.review.pending == 0
    assert {d.note for d in derived.values()} == {"单元格空白，本行总计 3119 件已等于其余各项之和，按 0 计",
                                                  "单元格空白，本行总计 314 件已等于其余各项之和，按 0 计"}


@pytest.mark.parametrize("blank_row, sentence, verdict", [
    # a whole 法人 column blank and the 总计 blank: the row cannot be summed, the number is left unjudged
    ([1303, None, None, None, None, None, None], "予以公开 1362 件。", ("blank", "warning")),
    # 总计 blank, every part printed: the sum decides
    ([1303, 50, 1, 0, 5, 3, None], "予以公开 1362 件。", None),
    ([1303, 50, 1, 0, 5, 3, None], "予以公开 1300 件。", ("contradiction", "error")),
    # 法人 columns blank, 总计 printed and equal to 自然人: the blanks are 0
    ([1362, None, None, None, None, None, 1362], "予以公开 1362 件，均为自然人申请。", None),
])
def test_blank_and_derived_cells_in_a_check(blank_row, sentence, verdict):
    stats = huaian_stats()
    stats.requests.outcomes.disclosed = blank_row
    stats.requests.outcomes.total = [None] * 7      # (so the column sums do not fill the row in)
    findings = check_numbers(prose(sentence), Sources(compute_facts(stats), strict=False)).findings
    assert [(f.kind, f.severity) for f in findings] == ([verdict] if verdict else [])


def test_import_json_keeps_the_meaning_of_each_cell():
    stats = huaian_stats()
    stats.requests.outcomes.disclosed[6] = None
    stats.requests.new[3] = None
    cells = {c["path"]: c for c in cell_list(stats, {("requests", "new", 3): "/"})}
    assert cells["requests.outcomes.disclosed.6"]["meaning"] == "derived"
    assert cells["requests.outcomes.disclosed.6"]["value"] == 1362
    assert cells["requests.new.3"]["meaning"] == "derived" and cells["requests.new.3"]["printed"] == "/"


def test_import_json_lists_cells_that_are_not_printed_numbers(tmp_path):
    result = CliRunner().invoke(app, ["import", str(REPORTS / "108_shanghai-kw_2024.md"), "--json"])
    data = json.loads(result.stdout)
    carried = next(c for c in data["cells"] if c["path"] == "requests.carried_forward.6")
    assert (carried["meaning"], carried["value"]) == ("derived", 1)
    assert data["requests"]["carried_forward"][6] is None          # the table as printed keeps its blank


# ---------- claims about results ----------

@pytest.mark.parametrize("sentence, errors", [
    ("全年行政诉讼零败诉。", ["行政诉讼结果纠正（两类合计）5件"]),
    ("行政复议零纠错。", ["行政复议结果纠正64件"]),
    ("全年依申请公开工作零投诉。", []),
])
def test_zero_claims_about_results(sentence, errors):
    report = check_numbers(prose(sentence), Sources(compute_facts(huaian_stats()), strict=False))
    assert [f.expected for f in report.errors] == errors


# ---------- numbers that are not counts of the tables ----------

@pytest.mark.parametrize("sentence", [
    "深化“一件事一次办”改革，办好每一件民生实事。",
    "转发上级行政规范性文件 12 件。",
    "在《政府公报》刊登行政规范性文件 30 件。",
    "发布规范性文件解读 15 篇。",
    "开展规范性文件清理，共清理行政规范性文件 120 件。",
    "收到政府信息公开申请 3119 件，其中网络申请 3000 件，信函申请 119 件。",
])
def test_not_a_count_of_the_tables_is_never_an_error(sentence):
    report = check_numbers(prose(sentence), Sources(compute_facts(huaian_stats()), strict=False))
    assert report.errors == []


def test_a_list_whose_items_include_a_sub_item_is_not_an_error():
    text = prose("网站全年发布信息 2139 条，其中动态类信息 1744 条，政务信息 393 条，解读类信息 21 条，回应关切 2 条。")
    assert check_numbers(text, Sources(compute_facts(huaian_stats()), strict=False)).errors == []
    text = prose("网站全年发布信息 2139 条，其中动态类信息 1744 条，政务信息 394 条，解读类信息 21 条，回应关切 2 条。")
    [error] = check_numbers(text, Sources(compute_facts(huaian_stats()), strict=False)).errors
    assert error.kind == "parts"


# ---------- lines of the user's own file ----------

def _hard_wrapped_without_title(tmp_path: Path) -> tuple[Path, list[str]]:
    """淮安 2024 as pdftotext prints it (hard-wrapped at the page width), title lines cut, 复议 351 → 352."""
    lines = (IMPORT / "huaian-szf-2024.txt").read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.strip().startswith("本报告由"))
    lines = lines[start:]
    at = next(i for i, line in enumerate(lines) if "行政复议 351" in line)
    lines[at] = lines[at].replace("行政复议 351", "行政复议 352")
    path = tmp_path / "report.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path, lines


def test_a_finding_is_at_the_line_of_the_file_even_without_a_title(tmp_path):
    path, lines = _hard_wrapped_without_title(tmp_path)
    report = check_published(path).report
    [error] = [f for f in report.errors if f.category == "numbers"]
    assert error.found == "352" or error.found.startswith("352")
    assert "352" in lines[error.line - 1]
    for finding in report.findings:
        assert finding.file == "report.txt"
        if finding.category == "numbers" and finding.found and finding.found[0].isdigit() and finding.kind != "parts":
            digits = "".join(c for c in finding.found if c.isdigit())
            assert digits in lines[finding.line - 1].replace(" ", ""), finding


def test_findings_of_an_html_page_are_at_lines_of_its_source(tmp_path):
    from test_import import html_page

    page = html_page(huaian_stats()).replace("5500余条", "5500余条，受理政府信息公开申请 3120 件")
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    report = check_published(path).report
    [error] = report.errors
    assert error.found == "3120 件" and "3120 件" in page.split("\n")[error.line - 1]
    assert error.file == "page.html"


def test_findings_of_a_pdf_name_the_page_and_the_line_on_it():
    report = check_published(IMPORT / "huaian-szf-2024.pdf").report
    numbers = [f for f in report.findings if f.category == "numbers"]
    assert numbers and all(f.page is not None and f.line for f in numbers)
    first = numbers[0]
    assert first.page == 1 and first.found.startswith("5500")
    assert "第 1 页第" in first.where


# ---------- similarity with last year, always as a figure ----------

def test_similarity_with_last_year_is_always_a_figure():
    args = ["check", "--report", str(REPORTS / "105_pingtan-zhsyq_2023.txt"),
            "--prior", str(REPORTS / "104_pingtan-zhsyq_2022.txt")]
    data = json.loads(CliRunner().invoke(app, [*args, "--format", "json"]).stdout)
    assert 0.1 < data["copying"]["share"] < 0.5 and set(data["copying"]["sections"]) == {"overview", "problems", "other"}
    text = CliRunner().invoke(app, args).stdout
    assert "与上年度报告（104_pingtan-zhsyq_2022.txt）相同的文字占正文的 21%" in text
    alone = json.loads(CliRunner().invoke(app, args[:3] + ["--format", "json"]).stdout)
    assert alone["copying"] is None


# ---------- year on year, with last year's report ----------

@pytest.mark.parametrize("sentence, kind, said", [
    ("全年新收申请 81 件，同比增长 7 件。", None, None),
    ("全年新收申请 81 件，同比下降 7 件。", "contradiction", "应为“增长 7件”"),      # the direction is wrong
    ("全年新收申请 81 件，同比增长 9.46%。", None, None),
    ("全年新收申请 81 件，同比下降 9.46%。", "contradiction", "应为“增长 9.46%”"),
    ("全年收到申请 81 件，同比增长 2.3%。", "ambiguous", "都对不上"),               # neither reading gives 2.3 %
])
def test_year_on_year_statements_against_last_years_report(sentence, kind, said):
    from report_drafter.importing import read_report

    now, prior = (read_report(REPORTS / f"{name}.txt").stats for name in ("105_pingtan-zhsyq_2023", "104_pingtan-zhsyq_2022"))
    findings = check_numbers(prose(sentence), Sources(compute_facts(now, prior), strict=False)).findings
    assert [(f.kind, f.severity) for f in findings] == ([(kind, "error")] if kind else [])
    assert not kind or said in findings[0].message


@pytest.mark.parametrize("sentence, verified", [
    ("受理行政复议申请351件，审结314件。", ["表四 行政复议 · 总计", "表四 行政复议 · 总计 − 尚未审结"]),   # 复议申请 are appeals
    ("依申请公开答复3050件，其中同意公开1362件。", ["表三 （七）总计 · 总计", "表三 （一）予以公开 · 总计"]),
    ("共受理申请3153件（含上年结转34件）。", ["表三 一、本年新收 + 二、上年结转 · 总计", "表三 二、上年结转政府信息公开申请数量 · 总计"]),
])
def test_common_wording_links_to_its_quantity(sentence, verified):
    report = check_numbers(prose(sentence), Sources(compute_facts(huaian_stats()), strict=False))
    assert report.findings == [] and [v.source for v in report.verified] == verified


@pytest.mark.parametrize("sentence, verified", [
    ("予以公开和部分公开1816件，占办结总数的59.54%。", 2),       # 占办结总数的: the whole a share is of
    ("申请人以自然人为主，占96.22%。", 1),                       # a share of what the sentence named
    ("其余103件转入下一年度继续办理。", 1),                       # only applications are carried forward
])
def test_shares_and_outcomes_named_around_the_number(sentence, verified):
    report = check_numbers(prose(sentence), Sources(compute_facts(huaian_stats()), strict=False))
    assert report.findings == [] and len(report.verified) == verified
    wrong = sentence.replace("59.54", "58.54").replace("96.22", "95.22").replace("103", "104")
    assert [f.severity for f in check_numbers(prose(wrong), Sources(compute_facts(huaian_stats()), strict=False))
            .findings] == ["error"]
