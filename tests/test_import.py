"""drafter import: published reports (web text, pdftotext text, PDF, HTML, .docx) → stats.yaml + published.md.

The reference reports are in tests/fixtures/import/ (public data); the HTML, .docx and |-separated
inputs are built here from the 淮安 2024 tables, with literal labels in the official merged-cell layout.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from report_drafter.cli import app
from report_drafter.document import parse_document
from report_drafter.errors import InputError
from report_drafter.importing import check_report, import_report
from report_drafter.importing.identity import processing_fees
from report_drafter.model import Stats2019, Stats2021, new_stats, set_path
from report_drafter.statsfile import read_stats
from report_drafter.statswriter import stats_data

FIXTURES = Path(__file__).parent / "fixtures"
IMPORT = FIXTURES / "import"
HUAIAN_TXT = IMPORT / "huaian-szf-2024.txt"
HUAIAN_PDF = IMPORT / "huaian-szf-2024.pdf"
ZHONGMOU = IMPORT / "zhongmou-kjgxj-2023.txt"
FORMAT_2019 = IMPORT / "zhongmou-2019-format.txt"
TEMPLATE = IMPORT / "format-template-2021.docx"
OPENINGS = sorted((IMPORT / "openings").glob("*.txt"))


@pytest.fixture(scope="module")
def expected():
    """The published 淮安 2024 tables (= spec/stats.example.yaml)."""
    text = (FIXTURES / "stats-huaian-2024.yaml").read_text(encoding="utf-8")
    return read_stats(text, "stats-huaian-2024.yaml").stats


@pytest.fixture(scope="module")
def huaian_pdf_source():
    """The PDF read once for the module (a tenth of a second or less)."""
    from report_drafter.importing.sources import read_source

    return read_source(HUAIAN_PDF)


@pytest.fixture(scope="module")
def huaian_pdf(huaian_pdf_source):
    from report_drafter.importing import import_source

    return import_source(huaian_pdf_source)


def blank_stats(year: int, agency: str = ""):
    """A 2021-format record whose every table cell is blank (None)."""
    stats = new_stats(year, agency)
    data = stats.model_dump()

    def blank(node):
        if isinstance(node, dict):
            return {k: blank(v) for k, v in node.items()}
        return [None] * len(node) if isinstance(node, list) else None

    for key in ("active", "requests", "appeals"):
        data[key] = blank(data[key])
    return Stats2021.model_validate(data)


def with_blanks(stats, *paths):
    """A copy of `stats` with the cells at `paths` blank."""
    copy = stats.model_copy(deep=True)
    for path in paths:
        set_path(copy, path, None)
    return copy


def differences(got, want) -> list[str]:
    """Every stats path whose value differs (readable assertion messages)."""
    out = []

    def walk(a, b, path):
        if isinstance(a, dict) and isinstance(b, dict):
            for key in a.keys() | b.keys():
                walk(a.get(key), b.get(key), (*path, key))
        elif a != b:
            out.append(f"{'.'.join(map(str, path))}: {a!r} != {b!r}")

    walk(got.model_dump(), want.model_dump(), ())
    return out


# ---------- the two reference reports ----------

def test_huaian_pdftotext_text_reproduces_every_table_value(expected):
    report = import_report(HUAIAN_TXT)
    assert differences(report.stats, expected) == []
    assert report.stats == expected
    assert (report.agency, report.year, report.format) == ("淮安市人民政府", 2024, "2021")
    assert report.kind == "layout" and report.warnings == []


def test_huaian_pdf_reproduces_every_table_value(huaian_pdf, expected):
    assert differences(huaian_pdf.stats, expected) == []
    assert huaian_pdf.stats == expected
    assert (huaian_pdf.agency, huaian_pdf.year, huaian_pdf.format) == ("淮安市人民政府", 2024, "2021")
    assert huaian_pdf.kind == "pdf" and huaian_pdf.pages == 6 and huaian_pdf.warnings == []


def test_huaian_prose_by_section(huaian_pdf):
    assert huaian_pdf.markdown == import_report(HUAIAN_TXT).markdown   # PDF and its text agree
    doc = parse_document(huaian_pdf.markdown)
    assert doc.title == "淮安市人民政府2024年政府信息公开工作年度报告"
    assert doc.preamble.startswith("本报告由淮安市人民政府办公室根据") and "\n" not in doc.preamble
    assert set(doc.sections) == {"overview", "problems", "other"}
    overview = doc.body("overview")
    # hard-wrapped lines are re-joined, page numbers and page breaks are gone
    assert "组织召开了“春节前后服务企业用工" in overview and "-1-" not in overview
    assert "“建设‘四最’一流营商环境高质量推进产业发展”" in overview
    assert overview.count("\n\n") == 5          # the opening paragraph and （一）…（五）
    assert doc.body("problems").startswith("对照上级新要求和公众新期待")
    assert doc.body("other").endswith("全年收取政府信息公开信息处理费 3940 元。")
    assert huaian_pdf.stats.processing_fees.amount_yuan == Decimal(3940)


def test_zhongmou_tables_all_zero_agency_and_year_detected():
    report = import_report(ZHONGMOU)
    assert (report.year, report.format, report.kind) == (2023, "2021", "text")
    # the title's short name is expanded from the text
    assert report.agency == "中牟县科学技术和工业信息化局"
    assert report.agency_as_written == "中牟县科技工信局"
    assert report.stats == new_stats(2023, report.agency)
    assert report.warnings == []
    doc = parse_document(report.markdown)
    assert doc.title == "中牟县科技工信局2023年政府信息公开工作年度报告"
    assert set(doc.sections) == {"overview", "problems", "other"}
    assert doc.body("overview").startswith("2023 年在县委、县政府的领导下")
    assert doc.body("other") == "依据《政府信息公开信息处理费管理办法》的规定，我单位本年度未收取相关费用。"


# ---------- other input kinds, built from the 淮安 tables ----------

WITHHELD = ["1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4.保护第三方合法权益",
            "5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项"]
UNAVAILABLE = ["1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确"]
NOT_PROCESSED = ["1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请",
                 "5.要求行政机关确认或重新出具已获取信息"]
OTHER_ROWS = ["1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
              "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他"]
APPLICANTS = ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
RESULTS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
TITLE = "淮安市人民政府2024年政府信息公开工作年度报告"
PREAMBLE = "本报告由淮安市人民政府办公室根据《中华人民共和国政府信息公开条例》规定编制。统计期限自2024年1月1日至2024年12月31日。"
OVERVIEW = ["2024年，我市严格落实《中华人民共和国政府信息公开条例》各项规定，圆满完成了各项任务。",
            "（一）主动公开情况。2024年，市政府网站主动公开各类政府信息5500余条。"]
PROBLEMS = ["对照上级新要求和公众新期待，还有一些需要加强和改进的地方。"]
OTHER = ["2024年，市政府严格落实《政府信息公开信息处理费管理办法》，全年收取政府信息公开信息处理费3940元。"]


def num(value) -> str:
    return format(value.normalize(), "f") if isinstance(value, Decimal) else str(value)


def table2_rows(stats) -> list[list[str]]:
    a = stats.active
    return [
        ["第二十条第（一）项"], ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        ["规章", num(a.rules.issued), num(a.rules.repealed), num(a.rules.in_force)],
        ["行政规范性文件", *(num(getattr(a.normative_documents, k)) for k in ("issued", "repealed", "in_force"))],
        ["第二十条第（五）项"], ["信息内容", "本年处理决定数量"], ["行政许可", num(a.licensing)],
        ["第二十条第（六）项"], ["信息内容", "本年处理决定数量"], ["行政处罚", num(a.punishment)],
        ["行政强制", num(a.coercion)],
        ["第二十条第（八）项"], ["信息内容", "本年收费金额（单位：万元）"], ["行政事业性收费", num(a.fees)],
    ]


def table3_rows(stats) -> list[tuple[str, str, str, list]]:
    """(first-level label, group label, row label, values) for the 25 rows of table 三."""
    r, o = stats.requests, stats.requests.outcomes
    rows = [("一、本年新收政府信息公开申请数量", "", "", r.new), ("二、上年结转政府信息公开申请数量", "", "", r.carried_over),
            ("三、本年度办理结果", "（一）予以公开", "", o.disclosed),
            ("", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "", o.partly_disclosed)]
    for group, labels, values in (("（三）不予公开", WITHHELD, o.withheld), ("（四）无法提供", UNAVAILABLE, o.unavailable),
                                  ("（五）不予处理", NOT_PROCESSED, o.not_processed), ("（六）其他处理", OTHER_ROWS, o.other)):
        for k, (label, key) in enumerate(zip(labels, type(values).model_fields)):
            rows.append(("", group if k == 0 else "", label, getattr(values, key)))
    return rows + [("", "（七）总计", "", o.total), ("四、结转下年度继续办理", "", "", r.carried_forward)]


def appeal_values(stats) -> list[str]:
    groups = (stats.appeals.review, stats.appeals.litigation_direct, stats.appeals.litigation_after_review)
    return [num(getattr(g, k)) for g in groups for k in ("upheld", "corrected", "other", "pending", "total")]


def flat_rows(stats) -> list[list[str]]:
    """Table rows as a copied web page gives them: spanned cells once."""
    rows = [["二、主动公开政府信息情况"], *table2_rows(stats), ["三、收到和处理政府信息公开申请情况"],
            ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"],
            ["自然人", "法人或其他组织", "总计"], APPLICANTS]
    rows += [[c for c in (first, group, label) if c] + [num(v) for v in values]
             for first, group, label, values in table3_rows(stats)]
    return rows + [["四、政府信息公开行政复议、行政诉讼情况"], ["行政复议", "行政诉讼"],
                   RESULTS + ["未经复议直接起诉", "复议后起诉"], RESULTS * 2, appeal_values(stats)]


def pipe_text(stats, one_cell_per_line: bool = False, edit=None) -> str:
    """`a | b | c |` rows, or one `cell |` per line with a `|` line starting each row."""
    out = [TITLE, PREAMBLE, "一、总体情况", *OVERVIEW]
    for row in flat_rows(stats):
        if len(row) == 1 and re.match(r"^[二三四]、.*情况$", row[0]):
            out.append(row[0])
            continue
        row = edit(row) if edit else row
        if one_cell_per_line:
            out += ["|"] + [f"{cell} |" if cell else "|" for cell in row]
        else:
            out.append(" | ".join(row) + " |")
    return "\n".join(out + ["五、存在的主要问题及改进情况", *PROBLEMS, "六、其他需要报告的事项", *OTHER]) + "\n"


def _td(text: str, rowspan: int = 1, colspan: int = 1) -> str:
    attrs = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (f' colspan="{colspan}"' if colspan > 1 else "")
    inner = "<br/>".join(f"<span>{html.escape(part)}</span>" for part in text.split("\n")) if text else "&nbsp;"
    return f'<td{attrs} style="border:1px solid #000"><p align="center">{inner}</p></td>'


def html_page(stats) -> str:
    """A government web page: navigation, the article with rowspan/colspan tables, a footer."""
    t2 = [[_td(row[0], colspan=4)] if len(row) == 1 else
          [_td(row[0]), _td(row[1], colspan=3)] if len(row) == 2 else [_td(c) for c in row]
          for row in table2_rows(stats)]
    t3 = [[_td("（本列数据的勾稽关系为：第一项加第二项之和，\n等于第三项加第四项之和）", 3, 3), _td("申请人情况", colspan=7)],
          [_td("自然人", 2), _td("法人或其他组织", colspan=5), _td("总计", 2)], [_td(c) for c in APPLICANTS]]
    spans = {"三、本年度办理结果": 22, "（三）不予公开": 8, "（四）无法提供": 3, "（五）不予处理": 5, "（六）其他处理": 3}
    for first, group, label, values in table3_rows(stats):
        cells = [_td(first, colspan=3) if not group else _td(first, spans[first])] if first else []
        if group:
            cells.append(_td(group, colspan=2) if not label else _td(group, spans[group]))
        if label:
            cells.append(_td(label))
        t3.append(cells + [_td(num(v)) for v in values])
    results = [r[:2] + "\n" + r[2:] for r in RESULTS]
    t4 = [[_td("行政复议", colspan=5), _td("行政诉讼", colspan=10)],
          [_td(r, 2) for r in results] + [_td("未经复议直接起诉", colspan=5), _td("复议后起诉", colspan=5)],
          [_td(r) for r in results * 2], [_td(v) for v in appeal_values(stats)]]

    def table(rows):
        body = "\n".join("<tr>" + "".join(cells) + "</tr>" for cells in rows)
        return f'<table border="1" cellspacing="0"><tbody>\n{body}\n</tbody></table>'

    def paras(texts):
        return "\n".join(f'<p style="text-indent:2em">&nbsp;&nbsp;{html.escape(t)}</p>' for t in texts)

    return f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk">
<title>{TITLE}_淮安市人民政府</title><script>var x = "2023年政府信息公开工作年度报告";</script></head>
<body>
<div class="nav"><a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; <a href="/ndbg">年度报告</a></div>
<ul class="related"><li><a href="/2023">淮安市人民政府2023年政府信息公开工作年度报告</a></li></ul>
<div class="article">
<h1 class="title">淮安市人民政府<br>2024年政府信息公开工作年度报告</h1>
<div class="info">发布日期：2025-03-28 <span>来源：市政府办公室</span></div>
<div class="content">
{paras([PREAMBLE])}
<p><strong>一、总体情况</strong></p>
{paras(OVERVIEW)}
<p><strong>二、主动公开政府信息情况</strong></p>
{table(t2)}
<p><strong>三、收到和处理政府信息公开申请情况</strong></p>
{table(t3)}
<p><strong>四、政府信息公开行政复议、行政诉讼情况</strong></p>
{table(t4)}
<p><strong>五、存在的主要问题及改进情况</strong></p>
{paras(PROBLEMS)}
<p><strong>六、其他需要报告的事项</strong></p>
{paras(OTHER)}
</div></div>
<div class="footer">主办：淮安市人民政府办公室　联系电话：0517-83605210</div>
</body></html>
"""


def write_docx(stats, path: Path) -> Path:
    """The official 2021 Word template (its merged cells as published), filled with `stats` and prose."""
    import docx

    document = docx.Document(str(TEMPLATE))

    def new_paragraph(text):
        return document.add_paragraph(text)._p

    placeholders = [p for p in document.paragraphs if p.text.strip() == "（文字描述）"]
    for p in document.paragraphs:
        if p.text == "政府信息公开工作年度报告格式模板":
            p.text = TITLE
            p._p.addnext(new_paragraph(PREAMBLE))
        elif p.text.startswith("（文字描述，收取信息处理费"):
            p.text = OTHER[0]
    for p, texts in zip(placeholders, (OVERVIEW, PROBLEMS)):
        p.text = texts[0]
        anchor = p._p
        for text in texts[1:]:
            anchor.addnext(new_paragraph(text))
            anchor = anchor.getnext()

    def unique(cells):
        out = []
        for cell in cells:
            if not any(cell._tc is seen._tc for seen in out):
                out.append(cell)
        return out

    t2, t3, t4 = document.tables
    values2 = {row[0]: row[1:] for row in table2_rows(stats) if len(row) > 1 and row[0] != "信息内容"}
    for row in t2.rows:
        for cell, value in zip(unique(row.cells)[1:], values2.get(row.cells[0].text, [])):
            cell.text = value
    for row, (*_, values) in zip(t3.rows[3:], table3_rows(stats)):
        for cell, value in zip(unique(row.cells)[-7:], values):
            cell.text = num(value)
    for cell, value in zip(unique(t4.rows[3].cells), appeal_values(stats)):
        cell.text = value
    document.save(str(path))
    return path


def nested_headings(page: str) -> str:
    """Tables inside their own block, headings split over inline tags."""
    page = page.replace("<p><strong>二、主动公开政府信息情况</strong></p>",
                        '<div class="tables"><p><strong>二、</strong>主动公开政府信息情况</p>')
    return page.replace("<p><strong>五、存在的主要问题及改进情况</strong></p>",
                        "</div><p><b>五、</b><span>存在的主要问题及改进情况</span></p>")


@pytest.mark.parametrize("variant", [lambda page: page, nested_headings], ids=["plain", "nested"])
def test_html_page_with_rowspan_colspan(tmp_path, expected, variant):
    page = tmp_path / "report.html"
    page.write_bytes(variant(html_page(expected)).encode("gbk"))          # a GBK page, declared in <meta>
    report = import_report(page)
    assert differences(report.stats, expected) == []
    assert (report.kind, report.agency, report.year, report.format) == ("html", "淮安市人民政府", 2024, "2021")
    doc = parse_document(report.markdown)
    assert doc.title == TITLE and doc.preamble == PREAMBLE
    assert doc.body("overview") == "\n\n".join(OVERVIEW)
    assert doc.body("other") == OTHER[0]                          # the page footer is not part of 六
    assert report.warnings == []


def test_docx_filled_official_template(tmp_path, expected):
    report = import_report(write_docx(expected, tmp_path / "report.docx"))
    assert differences(report.stats, expected) == []
    assert (report.kind, report.agency, report.year) == ("docx", "淮安市人民政府", 2024)
    doc = parse_document(report.markdown)
    assert doc.title == TITLE and doc.preamble == PREAMBLE
    assert doc.body("overview") == "\n\n".join(OVERVIEW) and doc.body("problems") == PROBLEMS[0]
    assert report.stats.processing_fees.amount_yuan == 3940


def test_docx_built_from_scratch_with_list_numbered_headings(tmp_path, expected):
    """Headings numbered by Word's list numbering (no “一、” in the text), tables as plain grids."""
    import docx

    document = docx.Document()
    document.add_paragraph(TITLE)
    document.add_paragraph(PREAMBLE)
    headings = iter(["总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况",
                     "政府信息公开行政复议、行政诉讼情况", "存在的主要问题及改进情况", "其他需要报告的事项"])
    document.add_paragraph(next(headings), style="List Number")
    for text in OVERVIEW:
        document.add_paragraph(text)
    rows = flat_rows(expected)
    tables = [[]]
    for row in rows:
        if len(row) == 1 and row[0].endswith("情况") and row[0][1] == "、":
            tables.append([])
        else:
            tables[-1].append(row)
    for block in tables[1:]:
        document.add_paragraph(next(headings), style="List Number")
        grid = document.add_table(rows=len(block), cols=max(len(r) for r in block))
        for row, cells in zip(grid.rows, block):
            for cell, text in zip(row.cells, cells):
                cell.text = text
    document.add_paragraph(next(headings), style="List Number")
    document.add_paragraph(PROBLEMS[0])
    document.add_paragraph(next(headings), style="List Number")
    document.add_paragraph(OTHER[0])
    document.save(str(tmp_path / "plain.docx"))
    report = import_report(tmp_path / "plain.docx")
    assert differences(report.stats, expected) == []
    assert report.sections == ["overview", "active", "requests", "appeals", "problems", "other"]
    assert parse_document(report.markdown).body("other") == OTHER[0]


def test_empty_word_template_is_missing_its_title_year(tmp_path):
    """The bare template has empty tables and no year: a clear error, not a crash."""
    shutil.copy(TEMPLATE, tmp_path / "template.docx")
    with pytest.raises(InputError, match="无法从 template.docx 中识别报告年度"):
        import_report(tmp_path / "template.docx")
    report = import_report(tmp_path / "template.docx", year=2024)   # blank cells: blank (None), with warnings
    assert report.stats == blank_stats(2024)
    assert sum(p.rule == "8" for p in report.warnings) == 10 + 25 * 7 + 15   # every cell of 二, 三, 四


@pytest.mark.parametrize("one_cell_per_line", [False, True], ids=["pipe-rows", "one-cell-per-line"])
def test_pipe_separated_tables(tmp_path, expected, one_cell_per_line):
    path = tmp_path / "report.txt"
    path.write_text(pipe_text(expected, one_cell_per_line), encoding="utf-8")
    report = import_report(path)
    assert differences(report.stats, expected) == []
    assert report.warnings == []


def test_gbk_text_with_crlf(tmp_path, expected):
    path = tmp_path / "report.txt"
    path.write_bytes(pipe_text(expected).replace("\n", "\r\n").encode("gb18030"))
    assert import_report(path).stats == expected


# ---------- format versions and label variants ----------

def test_2019_format_tables_with_single_other_row():
    report = import_report(FORMAT_2019)
    assert (report.format, report.year, report.single_other) == ("2019", 2020, True)
    stats = report.stats
    assert isinstance(stats, Stats2019)
    assert stats.requests.outcomes.other == [0, 0, 0, 0, 1, 0, 1]        # （六）其他处理, one row
    assert stats.requests.outcomes.total == [6, 2, 0, 0, 1, 0, 9]
    assert stats.active.normative_documents.model_dump() == {"made": 3, "published": 3, "total": 12}
    assert stats.active.licensing.model_dump() == {"previous": 10, "change": -2, "decisions": 156}
    assert stats.active.other_services.model_dump() == {"previous": 4, "change": 1, "decisions": 20}
    assert stats.active.fees.model_dump() == {"previous": 1, "change": -1}
    assert stats.active.procurement.projects == 6 and stats.active.procurement.amount == Decimal("85.3")
    assert stats.appeals.review.total == 2 and stats.appeals.litigation_direct.other == 1
    assert "2019 年试行格式" in report.format_name
    assert report.warnings == []          # a 2020 report citing 60号 is right


def test_2021_report_keeping_the_single_other_row(tmp_path):
    text = ZHONGMOU.read_text(encoding="utf-8")
    lines = text.split("\n")
    i = next(k for k, line in enumerate(lines) if "(六) 其他处理" in line)
    lines[i:i + 3] = ["\t(六) 其他处理\t1\t0\t0\t0\t0\t0\t1\t"]
    path = tmp_path / "single.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    report = import_report(path)
    assert isinstance(report.stats, Stats2021) and report.single_other
    assert report.stats.requests.outcomes.other == [1, 0, 0, 0, 0, 0, 1]
    assert "单行" in report.format_name


def test_item_numbers_with_dunhao_and_wrapped_labels(tmp_path, expected):
    """“1、” for “1.”, labels wrapped over lines with the numbers in between (as in the 淮安 layout)."""
    def edit(row):
        out = []
        for cell in row:
            if re.match(r"^\d\.", cell):
                cell = cell[0] + "、" + cell[2:]
            if len(cell) > 14 and not cell[0].isdigit() and cell.startswith("（二）"):
                out += [cell[:12]]          # first piece only; the rest follows the numbers
                continue
            out.append(cell)
        return out

    path = tmp_path / "report.txt"
    path.write_text(pipe_text(expected, edit=edit), encoding="utf-8")
    assert differences(import_report(path).stats, expected) == []


def test_columns_are_found_by_their_labels(tmp_path):
    """Table 二 printed with its columns in another order: values follow the column labels."""
    text = ZHONGMOU.read_text(encoding="utf-8")
    text = text.replace("信息内容\t本年制发件数\t本年废止件数\t现行有效件数", "信息内容\t现行有效件数\t本年制发件数\t本年废止件数")
    text = text.replace("规章\t0\t0\t0", "规章\t7\t2\t1").replace("行政规范性文件\t0\t0\t0", "行政规范性文件\t30\t4\t3")
    path = tmp_path / "columns.txt"
    path.write_text(text, encoding="utf-8")
    active = import_report(path).stats.active
    assert active.rules.model_dump() == {"issued": 2, "repealed": 1, "in_force": 7}
    assert active.normative_documents.model_dump() == {"issued": 4, "repealed": 3, "in_force": 30}


def test_blank_and_slash_cells_are_blank_with_warnings(tmp_path, expected):
    """A cell printed blank or “/” is recorded blank (None), not 0 (it used to be 0)."""
    def edit(row):
        if row[0] == "规章":
            return ["规章", "1", "/", "11"]                   # 本年废止件数 0 printed as “/”
        if row[0] == "（五）不予处理":
            return [row[0], row[1], "56", "6", "", "", "", "", "62"]   # blank zero cells
        return row

    path = tmp_path / "report.txt"
    path.write_text(pipe_text(expected, edit=edit), encoding="utf-8")
    report = import_report(path)
    petitions = ("requests", "outcomes", "not_processed", "petitions")
    want = with_blanks(expected, ("active", "rules", "repealed"), *((*petitions, k) for k in range(2, 6)))
    assert differences(report.stats, want) == []
    warned = [p for p in report.warnings if p.rule == "8"]
    assert len(warned) == 5
    assert "表二 规章 · 本年废止件数：单元格为“/”，记为空白（不按 0 计）" in str(warned[0])
    assert "表三 （五）不予处理 1.信访举报投诉类申请 · 科研机构：单元格为空，记为空白（不按 0 计）" in str(warned[1])
    assert check_report(report) == []          # comparisons with a blank cell are skipped


def test_blank_cell_in_space_aligned_text_is_placed_by_column(tmp_path, expected):
    text = HUAIAN_TXT.read_text(encoding="utf-8")
    line = next(x for x in text.split("\n") if "3.补正后申请内容仍不明确" in x)
    numbers = list(re.finditer(r"\d+", line))[1:]            # the 7 values (skip the “3” of “3.”)
    cut = numbers[2]                                          # 科研机构
    path = tmp_path / "blank.txt"
    path.write_text(text.replace(line, line[:cut.start()] + " " * len(cut.group()) + line[cut.end():]), encoding="utf-8")
    report = import_report(path)
    assert report.stats == with_blanks(expected, ("requests", "outcomes", "unavailable", "still_unclear", 2))
    assert [str(p) for p in report.warnings] == [
        "blank.txt:164 表三 （四）无法提供 3.补正后申请内容仍不明确 · 科研机构：单元格为空，记为空白（不按 0 计）；正式报告中应填写 0"]


def test_blank_cell_in_table2_of_layout_text_is_placed_under_its_column_label(tmp_path, expected):
    text = HUAIAN_TXT.read_text(encoding="utf-8")
    row = "规章            1          0        11"
    assert row in text
    path = tmp_path / "blank2.txt"
    path.write_text(text.replace(row, row.replace("0 ", "  ")), encoding="utf-8")
    report = import_report(path)
    assert report.stats == with_blanks(expected, ("active", "rules", "repealed"))
    assert [str(p) for p in report.warnings] == [
        "blank2.txt:72 表二 规章 · 本年废止件数：单元格为空，记为空白（不按 0 计）；正式报告中应填写 0"]


def test_blank_cell_in_pdf_is_placed_by_column(huaian_pdf_source, expected):
    """A PDF prints nothing for a blank cell: the remaining numbers go to their columns by position."""
    import copy

    from report_drafter.importing import import_source

    source = copy.deepcopy(huaian_pdf_source)
    line = next(line for line in source.lines if line.cells[0].text == "3.补正后申请内容仍不明确")
    assert [c.text for c in line.cells[1:]] == ["1", "0", "0", "0", "0", "0", "1"]
    del line.cells[4]                                          # 社会公益组织
    report = import_source(source)
    assert report.stats == with_blanks(expected, ("requests", "outcomes", "unavailable", "still_unclear", 3))
    assert [str(p) for p in report.warnings] == [
        "huaian-szf-2024.pdf（第 5 页） 表三 （四）无法提供 3.补正后申请内容仍不明确 · 社会公益组织：单元格为空，记为空白（不按 0 计）；"
        "正式报告中应填写 0"]


def test_2021_report_citing_superseded_60_warns(tmp_path):
    text = ZHONGMOU.read_text(encoding="utf-8").replace(
        "\n\n一、总体情况\n", "\n\n根据《关于政府信息公开工作年度报告有关事项的通知》（国办公开办函〔2019〕60号）编制本报告。\n\n一、总体情况\n", 1)
    path = tmp_path / "old-basis.txt"
    path.write_text(text, encoding="utf-8")
    report = import_report(path)
    [warning] = report.warnings
    assert warning.rule == "8" and warning.severity == "warning"
    assert "2023 年度报告引用了已被替代的国办公开办函〔2019〕60号" in warning.message
    assert "国办公开办函〔2021〕30号" in warning.message


def test_contents_list_before_the_sections(tmp_path):
    toc = "\n".join(["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                     "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"])
    text = ZHONGMOU.read_text(encoding="utf-8").replace("\n\n一、总体情况\n", f"\n\n{toc}\n\n一、总体情况\n", 1)
    path = tmp_path / "toc.txt"
    path.write_text(text, encoding="utf-8")
    report = import_report(path)
    assert report.stats == new_stats(2023, report.agency)
    assert parse_document(report.markdown).body("overview").startswith("2023 年在县委、县政府的领导下")


def test_hard_wrapped_text_without_indentation(expected):
    """Text copied from a PDF viewer: lines broken mid-sentence, no indentation; tables still by label."""
    from report_drafter.importing import import_source
    from report_drafter.importing.sources import read_text

    flat = "\n".join(line.lstrip() for line in HUAIAN_TXT.read_text(encoding="utf-8").split("\n"))
    report = import_source(read_text(flat, "flat.txt"))
    assert report.stats == expected
    overview = parse_document(report.markdown).body("overview").split("\n\n")
    assert [p[:4] for p in overview] == ["2024", "（一）主", "（二）依", "（三）政", "（四）政", "（五）政"]


def test_year_override(tmp_path):
    report = import_report(ZHONGMOU, year=2024)
    assert report.year == report.stats.year == 2024 and report.detected_year == 2023
    assert "报告中识别的年度为 2023，按指定的 2024 年导入" in str(report.warnings[0])


@pytest.mark.parametrize("sentence, expected", [
    ("全年收取政府信息公开信息处理费 3940 元。", (None, Decimal(3940))),
    ("依据《政府信息公开信息处理费管理办法》的规定，我单位本年度未收取相关费用。", (None, Decimal(0))),
    ("本年度共对2件申请收取信息处理费，合计120.5元。", (2, Decimal("120.5"))),
    ("（一）依据《政府信息公开信息处理费管理办法》，审计局2023年没有收取信息处理费情况。", (None, Decimal(0))),
    ("本机关积极推进政务公开工作。", (None, None)),
])
def test_processing_fees_from_prose(sentence, expected):
    assert processing_fees(sentence) == expected


# ---------- missing or cut-off tables ----------

@pytest.mark.parametrize("path", OPENINGS, ids=[p.stem for p in OPENINGS])
def test_openings_of_real_reports_fail_clearly(path, runner, tmp_path):
    with pytest.raises(InputError) as caught:
        import_report(path)
    message = str(caught.value)
    assert caught.value.exit_code == 2
    assert message.startswith(f"无法导入 {path.name}：") and "未写入任何文件" in message
    assert re.search(r"表[二三四]（[^）]+）：", message)       # names the table(s) and what is missing
    assert "Traceback" not in message
    result = runner.invoke(app, ["import", str(path), "--dir", str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert "错误：无法导入" in result.stderr and result.stdout == ""     # the message on stderr
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []                   # nothing written


def test_opening_messages_say_what_is_missing():
    def message(name):
        with pytest.raises(InputError) as caught:
            import_report(IMPORT / "openings" / name)
        return str(caught.value)

    text = message("008_shanghai-sz_2022.txt")
    assert "报告中没有找到统计表（表二、表三、表四）" in text
    text = message("046_shenzhen-longgang-qbm_2024.txt")
    assert "表二" not in text.split("\n", 1)[1]                # table 二 is complete
    assert "表三（收到和处理政府信息公开申请情况）：表格在“（三）不予公开 7.属于行政执法案卷”之后中断" in text
    assert "缺少其后的 14 行" in text and "表四（政府信息公开行政复议、行政诉讼情况）：未找到" in text
    text = message("020_wuchang-minyixiang_2021.txt")
    assert "表二（主动公开政府信息情况）：标题下没有表格" in text
    text = message("014_tianjin-heping-fgw_2019.txt")
    assert "表二（主动公开政府信息情况）：未找到 1 行：“第二十条第（九）项 政府集中采购”" in text


def test_truncated_pdftotext_report(tmp_path):
    text = HUAIAN_TXT.read_text(encoding="utf-8")
    cut = text.index("3.补正后申请内容仍不明确")
    path = tmp_path / "cut.txt"
    path.write_text(text[: text.index("\n", cut)], encoding="utf-8")
    with pytest.raises(InputError) as caught:
        import_report(path)
    message = str(caught.value)
    assert "表三（收到和处理政府信息公开申请情况）：表格在“（四）无法提供 3.补正后申请内容仍不明确”之后中断" in message
    assert "缺少其后的 10 行：“（五）不予处理 1.信访举报投诉类申请”至“四、结转下年度继续办理”" in message
    assert "表四（政府信息公开行政复议、行政诉讼情况）：未找到" in message


@pytest.mark.parametrize("name, content, expected", [
    ("missing.txt", None, "找不到文件"),
    ("empty.txt", b"", "是空文件"),
    ("report.doc", b"\xd0\xcf\x11\xe0" + b"\0" * 100, "不支持导入旧版 Word 文档（.doc）"),
    ("report.bin", b"\xd0\xcf\x11\xe0" + b"\0" * 100, "旧版 Office 文件"),
    ("report.xlsx", b"some bytes", "不支持导入Excel 表格"),
    ("broken.pdf", b"%PDF-1.4\nnot really a pdf", "不是有效的 PDF 文件"),
    ("renamed.pdf", bytes(range(256)) * 20, "不是有效的 PDF 文件（文件可能已损坏"),
    ("renamed.docx", "不是 Word 文档".encode(), "不是有效的 Word 文档（.docx）"),
    ("notes.txt", "今天天气很好。".encode(), "报告中没有找到统计表"),
])
def test_unreadable_inputs_exit_2(runner, tmp_path, name, content, expected):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    out = tmp_path / "ws"
    result = runner.invoke(app, ["import", str(path), "--dir", str(out)])
    assert result.exit_code == 2, result.output
    assert expected in result.output
    assert not out.exists() or list(out.iterdir()) == []


# ---------- the command ----------

def test_cli_import_pdf_writes_stats_and_published(runner, tmp_path, expected):
    result = runner.invoke(app, ["import", str(HUAIAN_PDF), "--dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert ("识别结果：机关 淮安市人民政府；2024 年度；表格格式 2021 年格式（国办公开办函〔2021〕30号）；文件类型 PDF，6 页"
            in result.output)
    assert "已写入 2024/stats.yaml" in result.output and "已写入 2024/published.md" in result.output
    assert "校验通过：2024/stats.yaml" in result.output
    written = read_stats((tmp_path / "2024" / "stats.yaml").read_text(encoding="utf-8"), "stats.yaml")
    assert written.problems == [] and written.stats == expected
    doc = parse_document((tmp_path / "2024" / "published.md").read_text(encoding="utf-8"))
    assert doc.title == "淮安市人民政府2024年政府信息公开工作年度报告"
    assert {"overview", "problems", "other"} <= set(doc.sections)


@pytest.mark.parametrize("kind", ["html", "docx", "txt"])
def test_cli_import_each_input_kind(runner, tmp_path, expected, kind):
    path = tmp_path / f"report.{kind}"
    if kind == "html":
        path.write_bytes(html_page(expected).encode("gbk"))
    elif kind == "docx":
        write_docx(expected, path)
    else:
        path.write_text(pipe_text(expected, one_cell_per_line=True), encoding="utf-8")
    result = runner.invoke(app, ["import", str(path), "--dir", str(tmp_path / "ws")])
    assert result.exit_code == 0, result.output
    assert "识别结果：机关 淮安市人民政府；2024 年度" in result.output
    written = (tmp_path / "ws" / "2024" / "stats.yaml").read_text(encoding="utf-8")
    assert read_stats(written, "stats.yaml").stats == expected
    doc = parse_document((tmp_path / "ws" / "2024" / "published.md").read_text(encoding="utf-8"))
    assert doc.title == TITLE and doc.body("other") == OTHER[0]


def test_cli_import_text_then_validate(runner, tmp_path):
    result = runner.invoke(app, ["import", str(ZHONGMOU), "--dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "识别结果：机关 中牟县科学技术和工业信息化局（标题中写作“中牟县科技工信局”）；2023 年度" in result.output
    assert runner.invoke(app, ["validate", "--year", "2023", "--dir", str(tmp_path)]).exit_code == 0


def test_cli_json_prints_stats_and_writes_nothing(runner, tmp_path, expected):
    result = runner.invoke(app, ["import", str(HUAIAN_TXT), "--json", "--dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    want = json.loads(json.dumps(stats_data(expected), default=lambda d: int(d) if d == int(d) else float(d)))
    assert data.pop("cells") == []          # every cell printed: none blank, “/” or derived
    assert data == want
    assert list(data) == ["format", "agency", "year", "active", "requests", "appeals", "processing_fees"]
    assert data["active"]["fees"] == 96171.6
    assert "识别结果：机关 淮安市人民政府" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_cli_reimport_keeps_comments_and_history(runner, tmp_path, expected):
    assert runner.invoke(app, ["import", str(HUAIAN_TXT), "--dir", str(tmp_path)]).exit_code == 0
    stats_path = tmp_path / "2024" / "stats.yaml"
    edited = stats_path.read_text(encoding="utf-8").replace("  licensing: 447228", "  licensing: 1  # 我的批注")
    stats_path.write_text(edited, encoding="utf-8")
    refused = runner.invoke(app, ["import", str(HUAIAN_TXT), "--dir", str(tmp_path)], input="n\n")
    assert refused.exit_code == 2 and "已有不同的数据，未改动" in refused.output
    assert "licensing: 1  # 我的批注" in refused.output                # the difference was shown
    assert stats_path.read_text(encoding="utf-8") == edited
    result = runner.invoke(app, ["import", str(HUAIAN_TXT), "--dir", str(tmp_path), "--yes"])
    assert result.exit_code == 0, result.output
    assert "已更新 2024/stats.yaml（原文件已存入历史记录）" in result.output
    assert "未改动 2024/published.md" in result.output
    text = stats_path.read_text(encoding="utf-8")
    assert re.search(r"\n  licensing: 447228 +# 我的批注", text)     # value restored, comment kept
    assert read_stats(text, "stats.yaml").stats == expected
    saved = list((tmp_path / "2024" / ".history").glob("*__stats.yaml"))
    assert len(saved) == 1 and "licensing: 1  # 我的批注" in saved[0].read_text(encoding="utf-8")


def test_cli_checks_against_prior_year_and_writes_anyway(runner, tmp_path):
    """Last year's 结转下年度 differs from this report's 上年结转: exit 1, files written, errors named."""
    (tmp_path / "2023").mkdir()
    prior = new_stats(2023, "淮安市人民政府")
    from report_drafter.statswriter import render_stats
    (tmp_path / "2023" / "stats.yaml").write_text(render_stats(prior), encoding="utf-8")
    result = runner.invoke(app, ["import", str(HUAIAN_TXT), "--dir", str(tmp_path)])
    assert result.exit_code == 1, result.output
    assert ("错误 2024/stats.yaml:24 表三 二、上年结转政府信息公开申请数量 · 自然人："
            "应等于 2023 年报告的“四、结转下年度继续办理”（自然人）0，填写为 34") in result.output
    assert "校验未通过" in result.output and "并与 2023 年数据核对" in result.output
    assert (tmp_path / "2024" / "stats.yaml").exists() and (tmp_path / "2024" / "published.md").exists()


def test_cli_report_inconsistent_tables_exit_1(runner, tmp_path):
    text = HUAIAN_TXT.read_text(encoding="utf-8").replace("2932        53", "2933        53")
    path = tmp_path / "inconsistent.txt"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["import", str(path), "--dir", str(tmp_path / "ws")])
    assert result.exit_code == 1, result.output
    assert "表三 （七）总计 · 自然人：各项办理结果之和为 2932，填写为 2933" in result.output
    assert (tmp_path / "ws" / "2024" / "stats.yaml").exists()


def test_cli_takes_agency_from_workspace_when_report_does_not_name_it(runner, tmp_path):
    text = ZHONGMOU.read_text(encoding="utf-8").replace("中牟县科技工信局 2023 年政府信息公开工作年度 报告", "")
    text = text.replace("中牟县科学技术和工业信息化局", "我局")
    path = tmp_path / "untitled.txt"
    path.write_text(text, encoding="utf-8")
    work = tmp_path / "ws"
    work.mkdir()
    (work / "drafter.toml").write_text('agency = "中牟县科技工信局"\n', encoding="utf-8")
    result = runner.invoke(app, ["import", str(path), "--dir", str(work)])
    assert result.exit_code == 0, result.output
    assert "识别结果：机关 （未识别）；2023 年度" in result.output
    assert "机关名称取自工作目录设置：中牟县科技工信局" in result.output
    assert "agency: 中牟县科技工信局" in (work / "2023" / "stats.yaml").read_text(encoding="utf-8")


def test_cli_warns_when_report_is_of_another_agency(runner, tmp_path):
    (tmp_path / "drafter.toml").write_text('agency = "中牟县科技工信局"\n', encoding="utf-8")
    result = runner.invoke(app, ["import", str(ZHONGMOU), "--dir", str(tmp_path)])   # the same body, full name
    assert result.exit_code == 0 and "不同" not in result.output
    result = runner.invoke(app, ["import", str(HUAIAN_TXT), "--dir", str(tmp_path)])
    assert "报告中的机关“淮安市人民政府”与工作目录设置的“中牟县科技工信局”不同" in result.output


def test_cli_year_option_and_warnings(runner, tmp_path):
    text = ZHONGMOU.read_text(encoding="utf-8").replace("规章\t0\t0\t0", "规章\t/\t/\t/")
    path = tmp_path / "slash.txt"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["import", str(path), "--dir", str(tmp_path / "ws"), "--year", "2023"])
    assert result.exit_code == 0, result.output
    assert "提示 slash.txt:23 表二 规章 · 本年制发件数：单元格为“/”，记为空白（不按 0 计）；正式报告中应填写 0" in result.output
    assert "校验通过：2023/stats.yaml（3 处提示）" in result.output
