"""The report as a Word document laid out as a 公文 (GB/T 9704—2012), tables from the statistics."""

from __future__ import annotations

import io
import re
from datetime import datetime

from ..model import Stats
from .blocks import Block, part_digests, report_blocks
from .tables import BALANCE_NOTE, Grid, table_grids

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
KAI_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
# what Word/WPS should use where the 公文 fonts are not installed (stock Windows has no *_GB2312 fonts)
FONT_FALLBACKS = {BODY_FONT: "仿宋", KAI_FONT: "楷体", TITLE_FONT: "宋体", HEADING_FONT: "SimHei"}
TITLE_SIZE, BODY_SIZE, TABLE_SIZE, PAGE_NUMBER_SIZE = 22, 16, 10.5, 14   # 二号, 三号, 五号, 四号 (pt)
LINE = 579                   # fixed line pitch in twips (28.95 pt): 22 lines in the 225 mm type area
TITLE_LINE = 700
TEXT_WIDTH_TWIPS = 8844      # 156 mm type area
TABLE_STYLE = "表格文字"
DIGESTS_PREFIX = "report_drafter:"
NUMBER_STYLE = "页码"
SIGNATURE_STYLE = "落款"          # agency and date, right-aligned four characters in (GB/T 9704 成文日期右空四字)


def render_docx(text: str, stats: Stats) -> bytes:
    """A .docx of the draft `text`; tables 二–四 are drawn from `stats`, not from the Markdown."""
    from docx import Document

    doc = Document()
    _page_setup(doc)
    _styles(doc)
    _font_fallbacks(doc)
    _page_numbers(doc)
    title, blocks = report_blocks(text)
    _title(doc, title)
    grids = table_grids(stats)
    for n, block in enumerate(blocks):
        if block.kind == "signature" and (n == 0 or blocks[n - 1].kind != "signature"):
            doc.add_paragraph(style="Normal")     # a blank line between the text and its 落款
        _block(doc, block, grids)
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = title, stats.agency, stats.agency
    props.identifier = DIGESTS_PREFIX + part_digests(text)    # what each part was, for reading edits back
    props.created = props.modified = datetime.now()
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# ---------- page and styles ----------

def _page_setup(doc) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Mm

    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(21)     # the page number sits about 7 mm below the type area
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is not None:                 # lines follow the fixed spacing, not a character grid
        section._sectPr.remove(grid)


def _font_fallbacks(doc) -> None:
    """Declare each 公文 font in the font table with its stock substitute (w:altName) and Chinese charset."""
    from lxml import etree
    from docx.oxml.ns import qn

    part = next(r.target_part for r in doc.part.rels.values() if r.reltype.endswith("/fontTable"))
    root = etree.fromstring(part.blob)
    for font, fallback in FONT_FALLBACKS.items():
        for old in root.findall(qn("w:font")):
            if old.get(qn("w:name")) == font:
                root.remove(old)
        entry = etree.SubElement(root, qn("w:font"))
        entry.set(qn("w:name"), font)
        for tag, value in (("w:altName", fallback), ("w:charset", "86"), ("w:family", "modern"), ("w:pitch", "fixed")):
            etree.SubElement(entry, qn(tag)).set(qn("w:val"), value)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _fonts(rpr, font: str, size: float | None = None) -> None:
    """Name `font` for Latin and East Asian text on a w:rPr (theme fonts removed), and its size."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    fonts = rpr.get_or_add_rFonts()
    for name in list(fonts.attrib):
        del fonts.attrib[name]
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), font)
    if size is not None:
        sz = rpr.get_or_add_sz()
        sz.val = Pt(size)
        complex_size = rpr.find(qn("w:szCs"))
        if complex_size is None:
            complex_size = sz.makeelement(qn("w:szCs"), {})
            sz.addnext(complex_size)
        complex_size.set(qn("w:val"), str(round(size * 2)))


def _reset(style) -> None:
    """Drop a built-in style's paragraph and run properties (theme fonts, colours, borders)."""
    for child in list(style.element):
        if child.tag.endswith("}pPr") or child.tag.endswith("}rPr"):
            style.element.remove(child)


def _paragraph_style(style, font: str, size: float, line: int, indent: bool = True, center: bool = False,
                     outline: int | None = None) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml.ns import qn
    from docx.shared import Pt, Twips

    _reset(style)
    _fonts(style.element.get_or_add_rPr(), font, size)
    fmt = style.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.JUSTIFY
    if line:
        fmt.line_spacing, fmt.line_spacing_rule = Twips(line), WD_LINE_SPACING.EXACTLY
    else:
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.first_line_indent = Pt(2 * size) if indent else Pt(0)
    ppr = style.element.get_or_add_pPr()
    ppr.ind.set(qn("w:firstLineChars"), "200" if indent else "0")
    if outline is not None:
        fmt.keep_with_next = True
        ppr.get_or_add_outlineLvl().set(qn("w:val"), str(outline))


def _styles(doc) -> None:
    """Normal = 仿宋 三号; Title = 小标宋 二号; Heading 1 = 黑体 三号; Heading 2 = 楷体 三号; table text = 仿宋 五号."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    styles = doc.styles
    defaults = styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _fonts(defaults, BODY_FONT, BODY_SIZE)
    defaults.find(qn("w:lang")).set(qn("w:eastAsia"), "zh-CN")
    _paragraph_style(styles["Normal"], BODY_FONT, BODY_SIZE, LINE)
    _paragraph_style(styles["Title"], TITLE_FONT, TITLE_SIZE, TITLE_LINE, indent=False, center=True)
    _paragraph_style(styles["Heading 1"], HEADING_FONT, BODY_SIZE, LINE, outline=0)
    _paragraph_style(styles["Heading 2"], KAI_FONT, BODY_SIZE, LINE, outline=1)
    for name in ("Heading 1", "Heading 2"):
        styles[name].font.bold = False
    table_style = styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    _paragraph_style(table_style, BODY_FONT, TABLE_SIZE, 0, indent=False, center=True)
    signature = styles.add_style(SIGNATURE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    _paragraph_style(signature, BODY_FONT, BODY_SIZE, LINE, indent=False)
    signature.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    signature.paragraph_format.right_indent = Pt(4 * BODY_SIZE)
    number_style = styles.add_style(NUMBER_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    _paragraph_style(number_style, PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE, 0, indent=False)


def _run(paragraph, text: str, font: str, size: float):
    run = paragraph.add_run(text)
    _fonts(run._r.get_or_add_rPr(), font, size)
    return run


def _lines(paragraph, lines: list[str], font: str, size: float) -> None:
    """Runs of `lines` separated by line breaks."""
    for i, line in enumerate(lines):
        run = _run(paragraph, line, font, size)
        if i < len(lines) - 1:
            run.add_break()


# ---------- page numbers ----------

def _page_numbers(doc) -> None:
    """“— N —” in 宋体 四号: odd pages on the right, even pages on the left, one character in."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        paragraph = footer.paragraphs[0]
        paragraph.style = doc.styles[NUMBER_STYLE]
        paragraph.alignment = align
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            paragraph.paragraph_format.right_indent = Pt(PAGE_NUMBER_SIZE)
        else:
            paragraph.paragraph_format.left_indent = Pt(PAGE_NUMBER_SIZE)
        _run(paragraph, "— ", PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
        _page_field(paragraph)
        _run(paragraph, " —", PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)


def _field_char(paragraph, kind: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    _run(paragraph, "", PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)._r.append(char)


def _page_field(paragraph) -> None:
    """A PAGE field (shown as 1 until the viewer updates it)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    _field_char(paragraph, "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    _run(paragraph, "", PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)._r.append(instr)
    _field_char(paragraph, "separate")
    _run(paragraph, "1", PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
    _field_char(paragraph, "end")


# ---------- content ----------

_TITLE_BREAK = re.compile(r"^(.{4,}?)(\d{4}年.+)$")


def _title(doc, title: str) -> None:
    """The title, broken after the agency name when it is too long for one line."""
    from docx.shared import Twips

    paragraph = doc.add_paragraph(style="Title")
    match = _TITLE_BREAK.match(title)
    _lines(paragraph, list(match.groups()) if match and len(title) > 20 else [title], TITLE_FONT, TITLE_SIZE)
    paragraph.paragraph_format.space_after = Twips(LINE)   # one blank line before the text


def _block(doc, block: Block, grids: dict[str, Grid]) -> None:
    if block.kind == "table":
        _table(doc, grids[block.text])
        doc.add_paragraph()
    elif block.kind == "heading":
        _run(doc.add_paragraph(style="Heading 1"), block.text, HEADING_FONT, BODY_SIZE)
    elif block.kind == "subheading":
        _run(doc.add_paragraph(style="Heading 2"), block.text, KAI_FONT, BODY_SIZE)
    elif block.kind == "signature":
        paragraph = doc.add_paragraph(style=SIGNATURE_STYLE)
        _run(paragraph, block.text, BODY_FONT, BODY_SIZE)
    else:
        paragraph = doc.add_paragraph(style="Normal")
        if block.lead:
            _run(paragraph, block.lead, KAI_FONT, BODY_SIZE)
        if block.rest:
            _run(paragraph, block.rest, BODY_FONT, BODY_SIZE)


DIGIT_TWIPS = round(TABLE_SIZE * 0.6 * 20)   # a digit of 仿宋 五号, with room to spare (Word's metrics vary)
CELL_PADDING_TWIPS = 2 * 57 + 40             # the cell margins set in _table_properties, and a little air


def _number_width(chars: int) -> int:
    return chars * DIGIT_TWIPS + CELL_PADDING_TWIPS


def _widths(grid: Grid) -> list[int]:
    """Column widths in twips, scaled to the type area; a number column widened to hold its largest value on one line.

    The width a number column gains is taken from the label columns (or, in a table of numbers only, from the
    columns with room to spare), so the table keeps the width of the type area.
    """
    total = sum(grid.widths)
    widths = [w * TEXT_WIDTH_TWIPS // total for w in grid.widths]
    need: dict[int, int] = {}
    for cell in grid.numbers():
        if cell.cols == 1:
            need[cell.col] = max(need.get(cell.col, 0), _number_width(len(cell.text)))
    extra = 0
    for col, width in need.items():
        if widths[col] < width:
            extra += width - widths[col]
            widths[col] = width
    if extra:
        spare = {i: widths[i] for i in range(len(widths)) if i not in need}
        if not spare:
            spare = {i: widths[i] - need[i] for i in need if widths[i] > need[i]}
        pool = sum(spare.values())
        for i, room in spare.items():
            widths[i] -= min(room, extra * room // pool) if pool else 0
    widest = max(range(len(widths)), key=lambda i: (i not in need, widths[i]))
    widths[widest] += TEXT_WIDTH_TWIPS - sum(widths)     # rounding, given to a column with room
    return widths


def _table_properties(table, width: int) -> None:
    """Fixed width in twips, and narrow left and right cell margins (1 mm) as in the official attachment."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    props = table._tbl.tblPr
    tbl_width = props.find(qn("w:tblW"))
    tbl_width.set(qn("w:type"), "dxa")
    tbl_width.set(qn("w:w"), str(width))
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), "57")
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    props.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")


def _table(doc, grid: Grid) -> None:
    """A Word table with the grid's merged cells, compact 仿宋 五号 text, header rows repeated."""
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.shared import Twips

    table = doc.add_table(rows=grid.n_rows, cols=grid.n_cols)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = _widths(grid)
    _table_properties(table, sum(widths))
    for column, width in zip(table.columns, widths):
        column.width = Twips(width)
    for spec in grid.cells:
        cell = table.cell(spec.row, spec.col)
        if spec.rows > 1 or spec.cols > 1:
            cell = cell.merge(table.cell(spec.row + spec.rows - 1, spec.col + spec.cols - 1))
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        paragraph = cell.paragraphs[0]
        paragraph.style = doc.styles[TABLE_STYLE]
        if spec.kind == "label":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
        if spec.kind == "head" and spec.rows == 1:
            paragraph.paragraph_format.keep_with_next = True   # a header row stays with the rows it heads
        _lines(paragraph, spec.lines, KAI_FONT if spec.text == BALANCE_NOTE else BODY_FONT, TABLE_SIZE)
    for i, tr in enumerate(table._tbl.tr_lst):
        col = 0
        for tc in tr.tc_lst:
            tc.width = Twips(sum(widths[col:col + tc.grid_span]))
            col += tc.grid_span
        props = tr.get_or_add_trPr()
        props.append(OxmlElement("w:cantSplit"))
        if i < grid.header_rows:
            props.append(OxmlElement("w:tblHeader"))
