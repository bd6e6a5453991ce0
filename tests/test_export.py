"""drafter export: the Word 公文 (layout, fonts, the official merged tables), the web page, Markdown, refusal."""

import io
import os
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt
from typer.testing import CliRunner

from conftest import FIXTURES, copy_example, sign
from report_drafter import document, layout, rendering
from report_drafter.cli import app
from report_drafter.export.docx import render_docx
from report_drafter.facts import number_text
from report_drafter.model import Stats2019, get_path
from report_drafter.statsfile import load_stats

EXAMPLES = {"zhongmou": 2023, "huaian": 2024}
TITLES = {"zhongmou": "中牟县科学技术和工业信息化局2023年政府信息公开工作年度报告",
          "huaian": "淮安市人民政府2024年政府信息公开工作年度报告"}
EXPORT = FIXTURES / "export"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
NEEDS_SOFFICE = pytest.mark.skipif(
    SOFFICE is None or not Path(SOFFICE).resolve().with_name("libswlo.so").exists(), reason="未安装 LibreOffice（soffice）：.ci/run 会用 apt-get 安装 libreoffice-writer-nogui 等软件包")


@pytest.fixture(scope="module")
def drafted(tmp_path_factory):
    """The two examples drafted offline, once per module: name -> (workspace, year)."""
    root = tmp_path_factory.mktemp("examples")
    out = {}
    for name, year in EXAMPLES.items():
        ws = copy_example(name, root)
        result = CliRunner().invoke(app, ["generate", "--year", str(year), "--dir", str(ws), "--backend", "offline"])
        assert result.exit_code == 0, result.output
        sign(ws, year)
        out[name] = (ws, year)
    return out


@pytest.fixture(scope="module")
def exported(drafted):
    """Each example exported as docx and html: name -> {format: path}."""
    out = {}
    for name, (ws, year) in drafted.items():
        out[name] = {}
        for fmt in ("docx", "html", "md"):
            result = CliRunner().invoke(app, ["export", "--year", str(year), "--format", fmt, "--dir", str(ws)])
            assert result.exit_code == 0, result.output
            path = ws / str(year) / f"{TITLES[name]}.{fmt}"
            assert f"已导出 {year}/{TITLES[name]}.{fmt}" in result.output
            out[name][fmt] = path
    return out


def stats_of(drafted, name):
    ws, year = drafted[name]
    return load_stats(ws / str(year) / "stats.yaml").stats


def spans(table) -> dict[tuple[int, int], tuple[str, int, int]]:
    """(row, col) of each merged cell's top-left -> (text, rowspan, colspan), read from the Word XML."""
    out: dict = {}
    open_cells: dict[int, tuple[int, int]] = {}
    for r, tr in enumerate(table._tbl.tr_lst):
        col = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            if tc.vMerge == "continue":
                top = open_cells[col]
                text, rows, cols = out[top]
                out[top] = (text, rows + 1, cols)
            else:
                out[(r, col)] = (tc.xpath("string(.)").strip(), 1, span)
                open_cells[col] = (r, col)
            col += span
    return out


# ---------- docx: page, styles, fonts ----------

@pytest.mark.parametrize("name", EXAMPLES)
def test_docx_page_styles_and_fonts(exported, name):
    doc = docx.Document(exported[name]["docx"])
    section = doc.sections[0]
    mm = [round(getattr(section, side).mm) for side in
          ("page_width", "page_height", "top_margin", "bottom_margin", "left_margin", "right_margin")]
    assert mm == [210, 297, 37, 35, 28, 26]     # A4; GB/T 9704 margins (stored in whole twips)

    def style_font(style_name):
        rpr = doc.styles[style_name].element.rPr
        fonts = rpr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:asciiTheme")) is None and fonts.get(qn("w:eastAsiaTheme")) is None
        return fonts.get(qn("w:eastAsia")), doc.styles[style_name].font.size

    assert style_font("Normal") == ("仿宋_GB2312", Pt(16))
    assert style_font("Title") == ("方正小标宋简体", Pt(22))
    assert style_font("Heading 1") == ("黑体", Pt(16))
    assert style_font("Heading 2") == ("楷体_GB2312", Pt(16))
    normal = doc.styles["Normal"].paragraph_format
    assert normal.first_line_indent == Pt(32) and normal.line_spacing == Pt(28.95)
    assert doc.styles["Normal"].element.pPr.ind.get(qn("w:firstLineChars")) == "200"
    for name_, level in (("Heading 1", "0"), ("Heading 2", "1")):
        style = doc.styles[name_]
        assert style.element.pPr.find(qn("w:outlineLvl")).get(qn("w:val")) == level
        assert not style.font.bold and style.font.color.rgb is None

    runs = [run for p in doc.paragraphs for run in p.runs]
    runs += [run for t in doc.tables for row in t.rows for cell in row.cells for p in cell.paragraphs for run in p.runs]
    assert runs and all(run._r.rPr.rFonts.get(qn("w:eastAsia")) for run in runs)

    title = doc.paragraphs[0]
    assert title.style.name == "Title" and title.text.replace("\n", "") == TITLES[name]
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == [heading for _, heading, _ in document.SECTIONS]


def test_docx_lead_phrases_subheadings_and_page_numbers(exported):
    doc = docx.Document(exported["huaian"]["docx"])
    lead = next(p for p in doc.paragraphs if p.text.startswith("（一）主动公开方面。"))
    assert lead.style.name == "Normal"
    assert [(r.text[:10], r._r.rPr.rFonts.get(qn("w:eastAsia"))) for r in lead.runs] == [
        ("（一）主动公开方面。", "楷体_GB2312"), ("市政府网站主动公开各", "仿宋_GB2312")]
    sub = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert sub == ["（一）存在的主要问题", "（二）改进情况"]
    assert all(r._r.rPr.rFonts.get(qn("w:eastAsia")) == "楷体_GB2312"
               for p in doc.paragraphs if p.style.name == "Heading 2" for r in p.runs)
    section = doc.sections[0]
    for footer in (section.footer, section.even_page_footer):
        xml = footer._element.xml
        assert "PAGE" in xml and 'w:fldCharType="begin"' in xml
        assert footer.paragraphs[0].text == "— 1 —"
        assert {r._r.rPr.rFonts.get(qn("w:eastAsia")) for r in footer.paragraphs[0].runs} == {"宋体"}
        assert {r.font.size for r in footer.paragraphs[0].runs} == {Pt(14)}


# ---------- docx: the official tables ----------

def test_docx_tables_have_the_official_merged_cells(exported):
    """Tables 二, 三, 四 have the spans and labels of the 2021 format's own Word attachment."""
    ours = docx.Document(exported["huaian"]["docx"]).tables
    official = docx.Document(EXPORT / "format-template-2021.docx").tables
    assert len(ours) == len(official) == 3
    for mine, theirs in zip(ours, official):
        theirs_spans = spans(theirs)
        mine_spans = spans(mine)
        assert {k: v[1:] for k, v in mine_spans.items()} == {k: v[1:] for k, v in theirs_spans.items()}
        labels = {k: v[0] for k, v in theirs_spans.items() if v[0]}
        assert {k: mine_spans[k][0].replace("\n", "") for k in labels} == labels
    t3 = spans(ours[1])
    assert t3[(0, 0)] == ("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3)
    assert t3[(0, 3)] == ("申请人情况", 1, 7)
    assert t3[(1, 4)] == ("法人或其他组织", 1, 5)
    assert t3[(5, 0)] == ("三、本年度办理结果", 22, 1)
    assert t3[(7, 1)] == ("（三）不予公开", 8, 1)
    t4 = spans(ours[2])
    assert t4[(0, 5)] == ("行政诉讼", 1, 10)
    assert (t4[(1, 5)], t4[(1, 10)]) == (("未经复议直接起诉", 1, 5), ("复议后起诉", 1, 5))


def _row_values(table, row: int, first_col: int) -> list[str]:
    """Texts of the distinct cells of a row from grid column `first_col` on."""
    out, col = [], 0
    for tc in table._tbl.tr_lst[row].tc_lst:
        if col >= first_col:
            out.append(tc.xpath("string(.)").strip())
        col += tc.grid_span
    return out


@pytest.mark.parametrize("name", EXAMPLES)
def test_docx_table_numbers_equal_stats_yaml(exported, drafted, name):
    stats = stats_of(drafted, name)
    t2, t3, t4 = docx.Document(exported[name]["docx"]).tables
    for i, spec in enumerate(layout.table3_rows()):
        assert _row_values(t3, 3 + i, 3) == [str(v) for v in get_path(stats, spec.path)], spec.label
    appeals = [str(getattr(getattr(stats.appeals, g), c)) for g, _ in layout.APPEAL_GROUPS for c, _ in layout.APPEAL_COLUMNS]
    assert _row_values(t4, 3, 0) == appeals
    a = stats.active
    assert _row_values(t2, 2, 1) == [str(a.rules.issued), str(a.rules.repealed), str(a.rules.in_force)]
    assert _row_values(t2, 3, 1) == [str(a.normative_documents.issued), str(a.normative_documents.repealed),
                                      str(a.normative_documents.in_force)]
    assert [_row_values(t2, r, 1) for r in (6, 9, 10, 13)] == [
        [str(a.licensing)], [str(a.punishment)], [str(a.coercion)], [number_text(a.fees)]]


def test_huaian_table_values_as_published(exported):
    t2, t3, t4 = docx.Document(exported["huaian"]["docx"]).tables
    assert _row_values(t3, 3, 3) == ["3001", "53", "0", "0", "61", "4", "3119"]
    assert _row_values(t3, 26, 2)[-1] == "3050"
    assert _row_values(t2, 13, 1) == ["96171.6"]
    assert _row_values(t4, 3, 0)[4] == "351"


def test_docx_2019_format_tables():
    stats = Stats2019(year=2020, agency="某县统计局")
    stats.active.licensing.change = -3
    stats.active.procurement.amount = Decimal("12.5")
    stats.requests.outcomes.other = [1, 0, 0, 0, 0, 0, 1]
    text = document.compose_document("某县统计局2020年政府信息公开工作年度报告", "",
                                     {**rendering.table_bodies(stats), "overview": "（一）主动公开方面。无。"})
    t2, t3, _ = docx.Document(io.BytesIO(render_docx(text, stats))).tables
    assert spans(t2)[(0, 0)] == ("第二十条第（一）项", 1, 4)
    assert _row_values(t2, 1, 0) == ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"]
    assert _row_values(t2, 6, 0) == ["行政许可", "0", "-3", "0"]
    assert _row_values(t2, 14, 0) == ["行政事业性收费", "0", "0"]
    assert _row_values(t2, 17, 0) == ["政府集中采购", "0", "12.5"]
    t3_spans = spans(t3)
    assert len(t3.rows) == 3 + 23
    assert t3_spans[(5, 0)] == ("三、本年度办理结果", 20, 1)
    assert t3_spans[(23, 1)] == ("（六）其他处理", 1, 2)
    assert _row_values(t3, 23, 3) == ["1", "0", "0", "0", "0", "0", "1"]


# ---------- html and md ----------

class _Tables(HTMLParser):
    """Cells of every <table>: (tag, text, rowspan, colspan)."""

    def __init__(self):
        super().__init__()
        self.tables, self.cell, self.tags = [], None, []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        attrs = dict(attrs)
        if tag == "table":
            self.tables.append([])
        elif tag in ("td", "th"):
            self.cell = [tag, "", int(attrs.get("rowspan", 1)), int(attrs.get("colspan", 1))]

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self.tables[-1].append(tuple(self.cell))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell[1] += data


@pytest.mark.parametrize("name", EXAMPLES)
def test_html_is_one_self_contained_page_with_the_tables(exported, drafted, name):
    page = exported[name]["html"].read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<meta name="viewport"' in page
    assert not re.search(r"<script|<link|src=|href=|@import|url\(", page)
    assert "overflow-x: auto" in page and f"<h1>{TITLES[name]}</h1>" in page
    parser = _Tables()
    parser.feed(page)
    t2, t3, t4 = parser.tables
    assert ("th", "申请人情况", 1, 7) in t3 and ("th", "三、本年度办理结果", 22, 1) in t3
    assert ("th", "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3) in t3
    assert ("th", "行政诉讼", 1, 10) in t4 and ("th", "复议后起诉", 1, 5) in t4
    stats = stats_of(drafted, name)
    numbers = [text for tag, text, _, _ in t3 if tag == "td"]
    assert numbers == [str(v) for spec in layout.table3_rows() for v in get_path(stats, spec.path)]
    assert [text for tag, text, _, _ in t4 if tag == "td"][4] == str(stats.appeals.review.total)
    assert ("td", number_text(stats.active.fees), 1, 3) in t2


def test_html_lead_phrase_and_subheading(exported):
    page = exported["huaian"]["html"].read_text(encoding="utf-8")
    assert '<p><span class="lead">（一）主动公开方面。</span>市政府网站' in page
    assert "<h3>（一）存在的主要问题</h3>" in page and "<h2>五、存在的主要问题及改进情况</h2>" in page


def test_md_export_is_the_draft_without_comments(exported, drafted):
    ws, year = drafted["huaian"]
    draft = (ws / str(year) / "draft.md").read_text(encoding="utf-8")
    md = exported["huaian"]["md"].read_text(encoding="utf-8")
    assert "<!--" in draft and "<!--" not in md and "\n\n\n" not in md
    assert md == re.sub(r"\n{3,}", "\n\n", re.sub(r"<!--.*?-->[ \t]*\n?", "", draft, flags=re.S))


# ---------- the command ----------

def test_export_refused_on_wrong_number_unless_forced(tmp_path, runner):
    ws = copy_example("huaian", tmp_path)
    assert runner.invoke(app, ["generate", "--year", "2024", "--dir", str(ws), "--backend", "offline"]).exit_code == 0
    sign(ws, 2024)
    draft = ws / "2024" / "draft.md"
    text = draft.read_text(encoding="utf-8")
    assert "共收到政府信息公开申请3119件" in text
    draft.write_text(text.replace("共收到政府信息公开申请3119件", "共收到政府信息公开申请3118件"), encoding="utf-8")
    target = ws / "2024" / f"{TITLES['huaian']}.docx"

    refused = runner.invoke(app, ["export", "--year", "2024", "--dir", str(ws)])
    assert refused.exit_code == 1
    assert "3118" in refused.output and "3119" in refused.output
    # the total, and its parts (自然人 3001 + 法人或其他组织 118) that no longer add up to it
    assert "错误：2024/draft.md 核对发现 2 处错误，未导出。请修改后重新运行 drafter check；确需导出时加 --force。" in refused.output
    assert not target.exists()

    forced = runner.invoke(app, ["export", "--year", "2024", "--dir", str(ws), "--force"])
    assert forced.exit_code == 0, forced.output
    assert "3118" in forced.output
    assert "注意：2024/draft.md 核对发现 2 处错误，已按 --force 导出。" in forced.output
    assert f"已导出 2024/{TITLES['huaian']}.docx（Word 文档）" in forced.output
    assert "3118件" in "".join(p.text for p in docx.Document(target).paragraphs)


def test_export_out_option_history_and_bad_format(tmp_path, runner):
    ws = copy_example("huaian", tmp_path)
    assert runner.invoke(app, ["generate", "--year", "2024", "--dir", str(ws), "--backend", "offline"]).exit_code == 0
    sign(ws, 2024)
    out = ws / "发布" / "报告.html"
    first = runner.invoke(app, ["export", "--year", "2024", "--dir", str(ws), "-f", "html", "--out", str(out)])
    assert first.exit_code == 0 and "已导出 发布/报告.html（网页）" in first.output
    again = runner.invoke(app, ["export", "--year", "2024", "--dir", str(ws), "-f", "html", "--out", str(out)])
    assert "未改动 发布/报告.html（内容相同）" in again.output
    draft = ws / "2024" / "draft.md"
    draft.write_text(draft.read_text(encoding="utf-8") + "\n补充一句。\n", encoding="utf-8")
    runner.invoke(app, ["export", "--year", "2024", "--dir", str(ws), "-f", "html", "--out", str(out)])
    saved = list((out.parent / ".history").glob("*__报告.html"))
    assert len(saved) == 1 and "补充一句" not in saved[0].read_text(encoding="utf-8")
    assert "补充一句" in out.read_text(encoding="utf-8")
    bad = runner.invoke(app, ["export", "--year", "2024", "--dir", str(ws), "-f", "pdf"])
    assert bad.exit_code == 2 and "导出格式应为 docx、html、md 之一，收到“pdf”。" in bad.output


def test_cli_without_export_does_not_import_docx_or_openpyxl(drafted):
    ws, year = drafted["huaian"]
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from report_drafter.cli import app\n"
        "CliRunner().invoke(app, ['--help'])\n"
        f"r = CliRunner().invoke(app, ['check', '--year', '{year}', '--dir', {str(ws)!r}])\n"
        f"v = CliRunner().invoke(app, ['validate', '--year', '{year}', '--dir', {str(ws)!r}])\n"
        "assert r.exit_code == 0 and v.exit_code == 0, (r.output, v.output)\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'docx', 'openpyxl'}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# ---------- rendered by LibreOffice ----------

def _to_pdf(source: Path, tmp_path: Path) -> Path:
    """Convert with a private LibreOffice profile (tests run in parallel) and free CJK stand-in fonts."""
    env = {**os.environ, "FONTCONFIG_FILE": str(EXPORT / "fonts.conf")}
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(source)], check=True, capture_output=True, env=env, timeout=180)
    return tmp_path / f"{source.stem}.pdf"


@NEEDS_SOFFICE
def test_docx_renders_in_libreoffice(exported, tmp_path):
    import pypdfium2

    pdf = _to_pdf(exported["huaian"]["docx"], tmp_path)
    document = pypdfium2.PdfDocument(str(pdf))
    pages = [page.get_textpage().get_text_range() for page in document]
    assert 4 <= len(pages) <= 8
    assert "淮安市人民政府" in pages[0] and "2024年政府信息公开工作年度报告" in pages[0].replace(" ", "")
    assert "— 1 —" in pages[0]
    table3 = [i for i, text in enumerate(pages) if "一、本年新收政府信息公开申请数量" in text]
    assert len(table3) == 1 and "四、结转下年度继续办理" in pages[table3[0]]   # table 三 fits on one page
    assert all(n in pages[table3[0]] for n in ("3119", "3050", "1362"))
    assert "96171.6" in "".join(pages) and "351" in "".join(pages)
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
                       check=True, timeout=60)
        assert next(tmp_path.glob("page*.png")).stat().st_size > 1000
