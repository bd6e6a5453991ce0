"""Every form a report reaches people in imports with every cell equal to the published table.

Tables from real reports (the 淮安 2024 tables of tests/fixtures/stats-huaian-2024.yaml; the real files of
tests/fixtures/reports and import/), rendered as the forms of `report_forms` — copied browser text, PDF→Markdown
with a small table per row — with the 法人或其他组织 columns left blank, page chrome and page breaks inside the
tables, traditional characters and Kangxi radicals. A printed blank may read as blank or 0.
"""

from __future__ import annotations

import re

import subprocess
import sys
from pathlib import Path

import pytest

from report_forms import (TRANSFORMS, file_name, form_text, kangxi, layout_text_with_blanks, one_per_line, page_chrome,
                          traditional, with_blank_legal_persons, with_zeros_blank)
from report_drafter.importing import import_report, read_report
from report_drafter.importing.characters import is_traditional, unify
from report_drafter.importing.sources import read_text
from report_drafter.importing.tables import read_table3
from report_drafter.statsfile import read_stats

FIXTURES = Path(__file__).parent / "fixtures"
REAL = [FIXTURES / "import" / "zhongmou-kjgxj-2023.txt", FIXTURES / "import" / "huaian-szf-2024.txt",
        *sorted((FIXTURES / "reports").glob("1*"))]
FORMS = ["tab", "tab-missing", "one-per-line", "md-rows", "md-rows-missing", "html"]


@pytest.fixture(scope="module")
def huaian():
    return read_stats((FIXTURES / "stats-huaian-2024.yaml").read_text(encoding="utf-8"), "x").stats


def cells(stats) -> dict[tuple, object]:
    """Every table cell by path."""
    out = {}

    def walk(node, path):
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, (*path, key))
        elif isinstance(node, list):
            for k, value in enumerate(node):
                out[(*path, k)] = value
        else:
            out[path] = node

    data = stats.model_dump()
    for key in ("active", "requests", "appeals"):
        walk(data[key], (key,))
    return out


def differences(got, want) -> list[str]:
    """Cells read differently from the source (a blank may read as blank or 0)."""
    a, b = cells(got), cells(want)
    return [f"{'.'.join(map(str, p))}: {a.get(p)!r} != {b[p]!r}" for p in b
            if a.get(p) != b[p] and not (b[p] is None and a.get(p) in (None, 0))]


def imported(tmp_path, text: str, name: str = "report.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return import_report(path)


SOURCES = {
    "published": lambda s: s,
    "legal-persons-blank": with_blank_legal_persons,
    "legal-persons-blank-totals-kept": lambda s: with_blank_legal_persons(s, consistent=False),
}


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("source", SOURCES)
def test_each_form_reads_every_cell(tmp_path, huaian, source, form):
    stats = SOURCES[source](huaian)
    report = imported(tmp_path, form_text(stats, form), file_name(form))
    assert differences(report.stats, stats) == []
    assert report.cells_read == (200, 200)


@pytest.mark.parametrize("transform", TRANSFORMS)
@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("source", ["published", "legal-persons-blank"])
def test_each_layout_class_in_each_form(tmp_path, huaian, source, form, transform):
    stats = SOURCES[source](huaian)
    report = imported(tmp_path, TRANSFORMS[transform](form_text(stats, form)), file_name(form))
    assert differences(report.stats, stats) == []
    assert report.agency == "淮安市人民政府" and report.year == 2024


def test_blank_columns_placed_by_the_sums_say_so(tmp_path, huaian):
    report = imported(tmp_path, form_text(with_blank_legal_persons(huaian), "one-per-line"))
    [note] = [w.message for w in report.warnings if w.message.startswith("表三有")]
    assert note.startswith("表三有 25 行印出的数少于 7 个（空白单元格没有印出")
    assert "如只印 2 个数的行放入“自然人”和“总计”" in note and "列在这些行中没有放入任何数" not in note
    blank = [w for w in report.warnings if w.path == ("requests", "new", 1)]
    assert blank and "记为空白（不按 0 计）" in blank[0].message


def test_zeros_printed_blank_are_placed_and_the_doubt_is_named(tmp_path, huaian):
    """Columns 科研机构 and 社会公益组织 hold nothing: the sums cannot tell them from the two right of them."""
    stats = with_zeros_blank(huaian)
    report = imported(tmp_path, form_text(stats, "tab-missing"))
    assert report.stats.requests.new == [3001, 53, 61, 4, None, None, 3119]    # leftmost, as the warning says
    assert report.stats.requests.carried_over == [34, None, None, None, None, None, 34]
    [note] = [w.message for w in report.warnings if w.message.startswith("表三有")]
    assert "“法律服务机构”“其他”列在这些行中没有放入任何数" in note
    # the row sums and column sums still hold for the placement chosen
    from report_drafter.rules import check_stats
    assert not [p for p in check_stats(report.stats) if p.severity == "error"]


@pytest.mark.parametrize("rows, path, expected", [
    # two numbers for seven cells: 自然人 and 总计
    ("一、本年新收政府信息公开申请数量\t5\t5", ("requests", "new"), [5, None, None, None, None, None, 5]),
    # three numbers: the row sum puts the last in 总计; the 总计 row's columns put 2 under 法律服务机构
    ("（一）予以公开\t7\t2\t9\n（七）总计\t7\t0\t0\t0\t2\t0\t9", ("requests", "outcomes", "disclosed"),
     [7, None, None, None, 2, None, 9]),
    # one cell per line: the numbers after a label on a line of their own
    ("（一）予以公开\n7\n2\n9\n（七）总计\n7\n0\n0\n0\n2\n0\n9", ("requests", "outcomes", "disclosed"),
     [7, None, None, None, 2, None, 9]),
    # a row printing no cell at all, followed by the next row's label
    ("3.要求提供公开出版物\n4.无正当理由大量反复申请\n1\n1", ("requests", "outcomes", "not_processed", "publications"),
     [None] * 7),
    ("3.要求提供公开出版物\n4.无正当理由大量反复申请\n1\n1", ("requests", "outcomes", "not_processed", "excessive"),
     [1, None, None, None, None, None, 1]),
])
def test_rows_printing_fewer_cells(rows, path, expected):
    source = read_text(rows + "\n四、结转下年度继续办理\t0\t0\t0\t0\t0\t0\t0\n", "snippet.txt")
    result = read_table3(source, (0, len(source.lines)))
    assert result.data[path] == expected


def test_a_placement_the_sums_cannot_decide_is_named():
    """7 and 2 of a 9 may be 自然人 and any 法人 column when nothing else in the table says which."""
    source = read_text("（一）予以公开\t7\t2\t9\n四、结转下年度继续办理\t0\t0\t0\t0\t0\t0\t0\n", "snippet.txt")
    result = read_table3(source, (0, 2))
    assert result.data[("requests", "outcomes", "disclosed")] == [7, 2, None, None, None, None, 9]
    [message] = [p.message for p in result.problems if "空白单元格没有印出；" in p.message]
    assert "可放为 7/2/□/□/□/□/9，也可为 7/□/2/□/□/□/9" in message


@pytest.mark.parametrize("path", REAL, ids=[p.name for p in REAL])
@pytest.mark.parametrize("transform", ["traditional", "kangxi", "page-chrome"])
def test_real_reports_in_traditional_characters_with_radicals_or_page_chrome(tmp_path, path, transform):
    original = read_report(path)
    text = path.read_text(encoding="utf-8")
    changed = {"traditional": traditional, "kangxi": kangxi, "page-chrome": page_chrome}[transform](text)
    assert changed != text
    report = read_report(_write(tmp_path, path.name, changed))
    assert differences(report.stats, original.stats) == []
    assert report.cells_read == original.cells_read
    assert (report.agency, report.year) == (original.agency, original.year)


def test_real_report_copied_one_cell_per_line(tmp_path):
    path = FIXTURES / "import" / "zhongmou-kjgxj-2023.txt"
    original = read_report(path)
    report = read_report(_write(tmp_path, "zhongmou.txt", one_per_line(path.read_text(encoding="utf-8"))))
    assert differences(report.stats, original.stats) == [] and report.complete


def _write(tmp_path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("text, expected", [
    ("淮安市人⺠政府", "淮安市人民政府"), ("深化改⾰", "深化改革"), ("⾏政复议", "行政复议"),
    ("（一）予以公开", "（一）予以公开"),          # full-width punctuation stays as published
])
def test_compatibility_characters_are_unified(text, expected):
    assert unify(text) == expected


def test_traditional_detection_is_cheap_and_simplified_text_never_loads_opencc(tmp_path):
    simplified = form_text(with_blank_legal_persons(read_stats(
        (FIXTURES / "stats-huaian-2024.yaml").read_text(encoding="utf-8"), "x").stats), "tab")
    assert not is_traditional(simplified) and is_traditional(traditional(simplified))
    path = _write(tmp_path, "report.txt", simplified)
    code = ("import sys\nfrom report_drafter.importing import import_report\n"
            f"import_report({str(path)!r})\nprint('opencc' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "False"


def test_generic_headers_are_not_values(tmp_path, huaian):
    report = imported(tmp_path, form_text(huaian, "md-rows"), "report.md")
    assert report.stats.active.rules.issued == 1 and report.stats.active.licensing == 447228
    assert not any("无法归入任何一行" in w.message for w in report.warnings)


HEADER4 = "行政复议\t行政诉讼\n结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t复议后起诉\n"


@pytest.mark.parametrize("row, groups, ambiguous", [
    # 淮安 2024: every cell printed
    ("72\t64\t178\t37\t351\t13\t4\t8\t1\t26\t12\t1\t1\t6\t20",
     [(72, 64, 178, 37, 351), (13, 4, 8, 1, 26), (12, 1, 1, 6, 20)], False),
    # 平潭 2023 with its zeros printed blank and missing: each group's numbers add up to its 总计, placed leftmost
    ("1\t1\t2\t4\t1\t5\t1\t1\t2", [(1, 1, None, None, 2), (4, 1, None, None, 5), (1, 1, None, None, 2)], True),
])
def test_table4_printing_fewer_cells(row, groups, ambiguous):
    from report_drafter.importing.tables import read_table4

    source = read_text(HEADER4 + row + "\n", "snippet.txt")
    result = read_table4(source, (0, len(source.lines)))
    keys = ("review", "litigation_direct", "litigation_after_review")
    assert [tuple(result.data[("appeals", k)].values()) for k in keys] == groups and result.complete
    assert any("空白单元格没有印出" in p.message for p in result.problems) == ambiguous


def test_check_report_finds_the_same_in_every_form(runner, tmp_path, huaian):
    """drafter check --report: the same report gives the same findings and score whatever form it came in."""
    import json

    from report_drafter.cli import app

    stats = with_blank_legal_persons(huaian)
    seen = {}
    for form in [f for f in FORMS if f != "html"]:        # (the web page also says when it was published)
        path = _write(tmp_path, form + "-" + file_name(form), form_text(stats, form))
        result = runner.invoke(app, ["check", "--report", str(path), "--format", "json"])
        assert result.exit_code == 0, result.output
        data = json.loads(result.stdout)
        # (the same findings, each at the line where that form prints its sentence)
        seen[form] = (sorted(re.sub(rf"^{re.escape(path.name)}(?::\d+)?(?:（[^）]*）)?：", "", f["message"])
                             for f in data["findings"]), data["score"]["score"])
    assert len({repr(v) for v in seen.values()}) == 1, seen


def test_cli_imports_a_copied_page_with_blank_legal_person_columns(runner, tmp_path, huaian):
    import json

    from report_drafter.cli import app

    stats = with_blank_legal_persons(huaian)
    path = _write(tmp_path, "copied.txt", form_text(stats, "one-per-line"))
    result = runner.invoke(app, ["import", str(path), "--json", "--dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["requests"]["new"] == [3001, None, None, None, None, None, 3001]
    assert data["requests"]["outcomes"]["total"] == [2932, None, None, None, None, None, 2932]


@pytest.mark.parametrize("cells, chrome", [
    (["12/5/26, 7:30 PM", "淮安市人民政府2024年政府信息公开工作年度报告_淮安市人民政府"], True),
    (["2025/3/28 下午3:05"], True),
    (["https://www.huaian.gov.cn/art/2025/art_3a9c1f.html", "2/5"], True),
    (["\ufb01le:///tmp/report.html", "4/4"], True),                     # (the ligature ﬁ of a PDF's text)
    (["— 3 —"], False),                                                # a page number alone: read_text drops it
    (["（七）总计", "2932", "53", "0", "0", "61", "4", "3050"], False),
    (["网址：https://www.huaian.gov.cn"], False),
    (["3/5"], True),
])
def test_page_chrome_lines(cells, chrome):
    from report_drafter.importing.chrome import is_chrome

    assert is_chrome(cells) == chrome


@pytest.mark.parametrize("transform", ["traditional", "kangxi"])
def test_web_page_in_traditional_characters_or_radical_forms(tmp_path, huaian, transform):
    """Cells read from page markup are normalised too (the page's own title included)."""
    from report_forms import web_page

    report = imported(tmp_path, TRANSFORMS[transform](web_page(huaian)), "report.html")
    assert differences(report.stats, huaian) == []
    assert (report.agency, report.year) == ("淮安市人民政府", 2024)


def test_word_file_in_traditional_characters(tmp_path, huaian):
    import zipfile

    from test_import import write_docx

    plain = write_docx(huaian, tmp_path / "plain.docx")
    path = tmp_path / "traditional.docx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                data = traditional(data.decode("utf-8")).encode("utf-8")
            target.writestr(item, data)
    report = import_report(path)
    assert differences(report.stats, huaian) == []
    assert (report.agency, report.year) == ("淮安市人民政府", 2024)


@pytest.mark.parametrize("zeros_only", [False, True], ids=["legal-person-columns-blank", "zeros-blank"])
def test_layout_text_with_blank_cells_placed_by_column_labels(tmp_path, huaian, zeros_only):
    """The real pdftotext text of 淮安 2024 with blank cells in table 三: no row prints every cell, so the column
    labels of the header (page 3), moved to where page 4's numbers sit, place them; the sums confirm."""
    text = (FIXTURES / "import" / "huaian-szf-2024.txt").read_text(encoding="utf-8")
    want = with_zeros_blank(huaian) if zeros_only else with_blank_legal_persons(huaian, consistent=False)
    report = imported(tmp_path, layout_text_with_blanks(text, zeros_only))
    assert report.kind == "layout"
    assert differences(report.stats, want) == []


CHROMIUM = Path("/usr/bin/chromium")


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium to print a page to PDF")
@pytest.mark.parametrize("consistent", [True, False], ids=["totals-equal", "totals-kept"])
def test_page_printed_to_pdf_with_blank_legal_person_columns(tmp_path, huaian, consistent):
    """The page (empty <td> for the blank cells) printed to PDF by headless Chromium: the PDF's text has no
    blank cells, header and footer lines on every page, and no row printing all seven cells."""
    from report_forms import web_page

    stats = with_blank_legal_persons(huaian, consistent)
    html = _write(tmp_path, "page.html", web_page(stats))
    pdf = tmp_path / "page.pdf"
    subprocess.run([str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", f"--print-to-pdf={pdf}",
                    html.as_uri()], capture_output=True, timeout=120, check=True)
    report = import_report(pdf)
    assert differences(report.stats, stats) == []
    assert (report.agency, report.year) == ("淮安市人民政府", 2024)
