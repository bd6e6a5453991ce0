"""Read a published report of any supported kind into lines of cells.

Every reader returns a `Source`: the report as a list of `Line`s, each a list of cell texts
(a prose line is one cell; a table row is one line with a cell per table cell, spanned cells
once). Table parsing and prose extraction then work the same for all file kinds.

Heavy libraries (pdfminer, bs4, python-docx) are imported only inside their reader.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError

KIND_NAMES = {
    "text": "网页复制文本",
    "layout": "版式文本（pdftotext -layout）",
    "pdf": "PDF",
    "html": "网页（HTML）",
    "docx": "Word 文档（.docx）",
}
HTML_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml", ".mht", ".mhtml"}
UNSUPPORTED = {
    ".doc": "旧版 Word 文档（.doc）",
    ".wps": "WPS 文档",
    ".xls": "Excel 表格",
    ".xlsx": "Excel 表格",
    ".ofd": "OFD 版式文件",
    ".jpg": "图片",
    ".jpeg": "图片",
    ".png": "图片",
}

# page numbers: "-1-", "- 4 -", "—3—", "第 2 页", "第2页 共6页"
_PAGE_NUMBER = re.compile(r"^\s*(?:[-—–－]\s*\d{1,3}\s*[-—–－]|第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?)\s*$")
_MD_RULE = re.compile(r"^:?-{3,}:?$")
_BLANKS = " \u3000\xa0"
_WIDE_GAP = re.compile(f"[^{_BLANKS}][{_BLANKS}]{{2,}}[^{_BLANKS}]")
_SEGMENT = re.compile(f"[^{_BLANKS}]+(?:[{_BLANKS}][^{_BLANKS}]+)*")


@dataclass
class Cell:
    text: str
    x: float | None = None      # horizontal centre (PDF points or text columns), when known


@dataclass
class Line:
    cells: list[Cell]
    number: int | None = None   # 1-based line number in a text file
    page: int | None = None     # 1-based page of a PDF
    indent: float = 0.0         # leading indentation in character widths (layout text, PDF)
    sheet: int = 0              # page of layout text or PDF (column positions are comparable within one)
    ruled: bool = True          # cell boundaries are printed (tabs, bars, table markup, column gaps)

    @property
    def texts(self) -> list[str]:
        return [c.text for c in self.cells]

    @property
    def text(self) -> str:
        """The line as prose: non-empty cells joined by a space."""
        return " ".join(c.text.strip() for c in self.cells if c.text.strip())


@dataclass
class Source:
    file: str                   # name shown in messages
    kind: str                   # key of KIND_NAMES
    lines: list[Line]
    wrapped: bool = False       # prose is hard-wrapped (layout text, PDF): paragraphs by indentation
    pages: int | None = None
    title_hint: str = ""        # the page's own title element (HTML <h1>), when it names a report

    def where(self, line: Line) -> tuple[str, int | None]:
        """(file, line) for a Problem pointing at `line`."""
        if line.page is not None:
            return f"{self.file}（第 {line.page} 页）", None
        return self.file, line.number


def read_source(path: Path) -> Source:
    """Read any supported report file; unreadable or unsupported input is an InputError."""
    name = path.name
    if not path.exists():
        raise InputError(f"找不到文件 {path}。")
    if path.is_dir():
        raise InputError(f"{path} 是目录，请指定报告文件。")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"无法读取 {path}：{exc.strerror or exc}。") from None
    if not data.strip():
        raise InputError(f"{name} 是空文件。")
    suffix = path.suffix.lower()
    if data.startswith(b"%PDF"):
        return read_pdf(path, name)
    if data.startswith(b"PK"):
        if _is_docx(path):
            return read_docx(path, name)
        raise InputError(f"{name} 是压缩包或 Office 文件，但不是 Word 文档（.docx）。请另存为 .docx 或 PDF 后导入。")
    if suffix in UNSUPPORTED:
        raise InputError(f"不支持导入{UNSUPPORTED[suffix]}（{name}）。请另存为 .docx、PDF、网页（.html）或纯文本（.txt）后导入。")
    if data[:4] == b"\xd0\xcf\x11\xe0":
        raise InputError(f"{name} 是旧版 Office 文件（如 .doc），不支持直接导入。请另存为 .docx 或 PDF 后导入。")
    head = data[:4096].lower()
    if suffix in HTML_SUFFIXES or re.search(rb"<(!doctype html|html|body|table)[\s>]", head):
        return read_html(data, name)
    text = decode_text(data, name)
    return read_text(text, name)


def _is_docx(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            return "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM), UTF-16 (with BOM, or without when it reads as Chinese text),
    else GB18030 (GBK/GB2312 texts)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if len(data) % 2 == 0:
        for encoding in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if _reads_as_text(text):
                return text
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise InputError(f"{name}：无法识别文字编码（不是 UTF-8、GBK 或 UTF-16），请另存为 UTF-8 文本后重试。") from None


def _reads_as_text(text: str) -> bool:
    """Whether decoded text is Chinese prose (CJK characters, ASCII, full-width punctuation), not mojibake."""
    sample = text[:4000]
    if not sample:
        return False
    good = sum(1 for ch in sample if ch.isascii() and (ch.isprintable() or ch in "\t\r\n")
               or "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef"
               or ch in "“”‘’…—·")
    return good >= 0.97 * len(sample)


# ---------- plain text ----------

def read_text(text: str, name: str) -> Source:
    """Text copied from a web page (cells tab- or |-separated, or one per line) or `pdftotext -layout` output."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    raw: list[str] = []
    numbers: list[int] = []
    for number, row in enumerate(text.split("\n"), 1):
        for piece in unflatten(row):
            raw.append(piece)
            numbers.append(number)
    spaced = sum(1 for line in raw if re.search(r"\S {3,}\S", line))
    tabbed = sum(1 for line in raw if "\t" in line)
    layout = "\f" in text or (not tabbed and spaced >= 5 and spaced >= 0.1 * sum(1 for x in raw if x.strip()))
    lines: list[Line] = []
    sheet = 0
    for number, row in zip(numbers, raw):
        sheet += row.count("\f")
        row = row.replace("\f", "")
        if _PAGE_NUMBER.match(row):
            sheet += 1          # a page number ends a page (pdftotext output without form feeds)
            continue
        if not row.strip():
            continue
        cells = split_cells(row, layout)
        if cells is None:
            continue
        indent = len(row) - len(row.lstrip(_BLANKS)) if layout else 0
        ruled = layout or "\t" in row or "|" in row
        lines.append(Line(cells, number=number, indent=indent, sheet=sheet, ruled=ruled))
    return Source(name, "layout" if layout else "text", lines, wrapped=hard_wrapped(lines))


# an inline section heading in a page saved as one long line: “一、总体情况2019年，…”
_INLINE_HEADING = re.compile(r"(?<![（(])([一二三四五六])[、.．]\s*([^\d。，,；;：:“”（）()]{2,30}?(?:情况|事项))")
_INLINE_SUBHEADING = re.compile(r"(?<=[。；])\s*(?=（[一二三四五六七八九十]）)")
LONG_LINE = 300


def unflatten(row: str) -> list[str]:
    """A web page's body saved as one long line, split at its section headings (and sub-headings in prose).

    Shorter lines are returned as they are.
    """
    if len(row) < LONG_LINE or "\t" in row or row.count("|") > 3:
        return [row]
    from ..document import section_key

    pieces: list[str] = []
    pos = 0
    for match in _INLINE_HEADING.finditer(row):
        if not section_key(match.group(1), match.group(2)):
            continue
        pieces += [row[pos:match.start()], match.group()]
        pos = match.end()
    pieces.append(row[pos:])
    out = []
    for piece in pieces:
        out += [p for p in _INLINE_SUBHEADING.split(piece)] if len(piece) >= LONG_LINE else [piece]
    return [p.strip() for p in out if p.strip()]


def hard_wrapped(lines: list[Line]) -> bool:
    """Prose broken into lines of fixed width (pdftotext, text copied from a PDF viewer): most long
    prose lines end in mid-sentence, where a web page's paragraphs end with 。"""
    prose = [line.text for line in lines if len(line.cells) == 1 and len(line.text) >= 15]
    if len(prose) < 3:
        return False
    open_ended = sum(1 for text in prose if text[-1] not in "。；：！？…”’）)!?;:")
    return open_ended >= 0.4 * len(prose)


def split_cells(row: str, layout: bool) -> list[Cell] | None:
    """Cells of one text line; None for lines to drop (Markdown table rules)."""
    if "\t" in row:
        return [Cell(c.strip()) for c in row.split("\t")]
    stripped = row.strip()
    if stripped == "|":
        return [Cell("")]        # a blank cell written one per line
    if "|" in stripped and (stripped.endswith("|") or stripped.startswith("|") or stripped.count("|") >= 2):
        parts = stripped.split("|")
        if stripped.endswith("|"):
            parts = parts[:-1]   # "cell |": the bar closes the cell
        if stripped.startswith("|") and len(parts) > 1:
            parts = parts[1:]    # "| a | b |": the bar opens the first cell
        cells = [c.strip() for c in parts]
        if any(cells) and all(_MD_RULE.match(c) for c in cells if c):
            return None
        return [Cell(c) for c in cells]
    if layout or _WIDE_GAP.search(stripped):
        # space-aligned columns: cells are separated by two or more blanks; keep each cell's centre column
        return [Cell(m.group(), (m.start() + m.end()) / 2) for m in _SEGMENT.finditer(row)]
    return [Cell(stripped)]


# ---------- PDF ----------

def read_pdf(path: Path, name: str) -> Source:
    """Rebuild the PDF's visual lines from pdfminer's text lines, with cells split at wide gaps."""
    import logging

    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTChar, LTTextLine
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    def text_lines(node):
        for child in node:
            if isinstance(child, LTTextLine):
                yield child
            elif hasattr(child, "__iter__") and not isinstance(child, LTChar):
                yield from text_lines(child)

    lines: list[Line] = []
    pages = 0
    cid_garbage = 0
    logger = logging.getLogger("pdfminer")
    level = logger.level
    logger.setLevel(logging.ERROR)     # pdfminer's warnings about odd but readable files are noise here
    try:
        for page_no, page in enumerate(extract_pages(str(path), laparams=LAParams(all_texts=True)), 1):
            pages = page_no
            items = []
            for text_line in text_lines(page):
                for cell in _pdf_cells(text_line, LTChar):
                    items.append(cell)
            cid_garbage += sum(t.count("(cid:") for *_, t, _ in items)
            lines += _pdf_rows(items, page_no)
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise InputError(f"{name} 已加密，无法读取文字。请提供未加密的 PDF。") from None
    except Exception as exc:   # pdfminer raises many kinds of errors on damaged files
        raise InputError(f"{name} 不是有效的 PDF 文件或已损坏（{type(exc).__name__}）。") from None
    finally:
        logger.setLevel(level)
    if not lines:
        raise InputError(f"{name} 中没有可提取的文字（可能是扫描件或图片）。请改用网页版、Word 版或可复制文字的 PDF。")
    if cid_garbage > 50:
        raise InputError(f"{name} 的字体缺少文字编码信息，提取出的是乱码。请改用网页版或 Word 版导入。")
    lines = [line for line in lines if not _PAGE_NUMBER.match(line.text)]
    return Source(name, "pdf", lines, wrapped=True, pages=pages)


def _pdf_cells(text_line, char_type) -> list[tuple[float, float, float, float, float, str, float]]:
    """Split one pdfminer text line into cells where the gap between glyphs exceeds one character width.

    Returns (y0, y1, x0, x1, size, text, x_centre) per cell.
    """
    cells: list[list] = []
    current: list = []
    prev = None
    for obj in text_line:
        text = obj.get_text()
        if not isinstance(obj, char_type) or text.isspace():
            if current and text.isspace():
                current.append(" ")     # a word space (a space glyph or one pdfminer inferred)
            continue
        if prev is not None and obj.x0 - prev.x1 > 1.0 * max(prev.size, obj.size, 1.0):
            cells.append(current)
            current = []
        current.append(obj)
        prev = obj
    if current:
        cells.append(current)
    out = []
    for chars in cells:
        glyphs = [c for c in chars if not isinstance(c, str)]
        if not glyphs:
            continue
        text = re.sub(r" +", " ", "".join(c if isinstance(c, str) else c.get_text() for c in chars)).strip()
        x0 = min(c.x0 for c in glyphs)
        x1 = max(c.x1 for c in glyphs)
        y0 = min(c.y0 for c in glyphs)
        y1 = max(c.y1 for c in glyphs)
        size = sorted(c.size for c in glyphs)[len(glyphs) // 2]
        out.append((y0, y1, x0, x1, size, text, (x0 + x1) / 2))
    return out


def _pdf_rows(items: list, page_no: int) -> list[Line]:
    """Group cells into visual rows (a cell joins a row when its vertical centre lies within the row)."""
    items.sort(key=lambda c: (-(c[0] + c[1]) / 2, c[2]))
    rows: list[dict] = []
    for item in items:
        centre = (item[0] + item[1]) / 2
        for row in rows[-4:]:
            if row["y0"] - 0.5 <= centre <= row["y1"] + 0.5:
                row["cells"].append(item)
                break
        else:
            rows.append({"y0": item[0], "y1": item[1], "cells": [item]})
    if not rows:
        return []
    # the body's left margin: the most common start of longer lines
    starts = [round(min(c[2] for c in r["cells"])) for r in rows if sum(len(c[5]) for c in r["cells"]) >= 10]
    margin = max(set(starts), key=lambda s: (starts.count(s), -s)) if starts else min(
        round(min(c[2] for c in r["cells"])) for r in rows)
    out = []
    for row in rows:
        cells = sorted(row["cells"], key=lambda c: c[2])
        first = cells[0]
        indent = max(0.0, (first[2] - margin) / max(first[4], 1.0))
        out.append(Line([Cell(c[5], c[6]) for c in cells], page=page_no, indent=round(indent, 1), sheet=page_no))
    return out


# ---------- HTML ----------

_BLOCK_TAGS = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section", "article", "header",
    "footer", "blockquote", "pre", "dd", "dt", "dl", "center", "form", "main", "nav", "aside", "figure",
    "figcaption", "address", "hr", "body", "html", "tr", "td", "th", "tbody", "thead", "tfoot", "caption",
}
_SKIP_TAGS = {"script", "style", "noscript", "template", "head", "iframe", "svg", "button", "select", "option",
              "textarea", "input", "object", "map"}


def read_html(data: bytes, name: str) -> Source:
    """An HTML page: paragraphs as lines; each data table row as a line of its cells (spanned cells once)."""
    from bs4 import BeautifulSoup
    from bs4.element import Comment, NavigableString, Tag

    soup = BeautifulSoup(data, "html.parser")
    lines: list[Line] = []
    buffer: list[str] = []

    def flush() -> None:
        text = re.sub(r"\s+", " ", "".join(buffer)).strip()
        buffer.clear()
        if text and not _PAGE_NUMBER.match(text):
            lines.append(Line([Cell(text)]))

    def cell_text(cell: Tag) -> str:
        return re.sub(r"\s+", " ", " ".join(cell.stripped_strings)).strip()

    content = _content_element(soup)
    content_end: list[int] = []

    def walk(node: Tag) -> None:
        for child in node.children:
            if child is content:
                flush()
                walk(child)
                flush()
                content_end.append(len(lines))
                continue
            if isinstance(child, Comment):
                continue
            if isinstance(child, NavigableString):
                if type(child) is NavigableString:
                    buffer.append(str(child))
                continue
            if not isinstance(child, Tag):
                continue
            tag = child.name
            if tag in _SKIP_TAGS:
                continue
            if tag == "br":
                flush()
            elif tag == "table" and child.find("table") is None:
                flush()
                for row in child.find_all("tr"):
                    cells = [Cell(cell_text(c)) for c in row.find_all(["td", "th"], recursive=False)]
                    if cells:
                        lines.append(Line(cells))
            elif tag in _BLOCK_TAGS or tag == "table":
                flush()
                walk(child)
                flush()
            else:
                walk(child)

    walk(soup)
    flush()
    if content_end:
        del lines[content_end[0]:]   # page footer after the article
    if not lines:
        raise InputError(f"{name} 中没有文字内容。")
    hint = ""
    for element in soup.find_all(["h1", "h2", "h3"]) + soup.find_all(class_=re.compile("title", re.I)):
        text = re.sub(r"\s+", "", element.get_text(""))
        if re.search(r"(19|20)\d{2}", text) and "报告" in text and len(text) <= 70:
            hint = text
            break
    return Source(name, "html", lines, title_hint=hint)


def _content_element(soup):
    """The innermost element holding the report's tables and its last sections (None: the whole page)."""
    heading = re.compile(r"^[一二三四五六][、.．](总体情况|主动公开|收到和处理|.{0,12}行政复议|.{0,8}存在|其他需要报告)")
    headings, last = [], []
    for element in soup.find_all(["p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "span", "strong", "b"]):
        text = re.sub(r"\s+", "", element.get_text(""))
        if len(text) <= 40 and heading.match(text):
            headings.append(element)
            if text[0] in "五六":
                last.append(element)
    if not last:
        return None          # without the closing sections, keep the whole page rather than cut prose
    nodes = soup.find_all("table") + headings
    chains = [list(reversed(list(node.parents))) + [node] for node in nodes]
    common = None
    for level in zip(*chains):
        if all(n is level[0] for n in level):
            common = level[0]
        else:
            break
    if common is None or common.name in (None, "[document]", "html", "body"):
        return None
    return common


# ---------- Word ----------

def read_docx(path: Path, name: str) -> Source:
    """A .docx: paragraphs as lines; each table row as a line of its cells (merged cells once)."""
    import docx
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    from ..document import NUMERALS, SECTIONS

    try:
        document = docx.Document(str(path))
    except Exception as exc:   # python-docx and lxml raise various errors on damaged files
        raise InputError(f"{name} 不是有效的 Word 文档（{type(exc).__name__}）。") from None
    lines: list[Line] = []

    def paragraph_text(element) -> str:
        return Paragraph(element, document).text

    def cell_text(tc) -> str:
        parts = [paragraph_text(p) for p in tc.iter(qn("w:p"))]
        return re.sub(r"\s+", " ", " ".join(p for p in parts if p.strip())).strip()

    def has_numbering(element) -> bool:
        props = element.find(qn("w:pPr"))
        if props is not None and props.find(qn("w:numPr")) is not None:
            return True
        style = Paragraph(element, document).style
        while style is not None:
            props = style.element.find(qn("w:pPr"))
            if props is not None and props.find(qn("w:numPr")) is not None:
                return True
            style = style.base_style
        return False

    def numbered_heading(element, text: str) -> str:
        """A section heading numbered by Word's list numbering carries no “一、” in its text: add it."""
        if len(text) > 40 or not has_numbering(element):
            return text
        for index, (_, _, pattern) in enumerate(SECTIONS):
            if (re.search(pattern, text) and re.search(r"(情况|事项)[:：]?\s*$", text)
                    and not re.match(r"^\s*[一二三四五六][、.．]", text)):
                return f"{NUMERALS[index]}、{text.strip()}"
        return text

    def walk(element) -> None:
        for child in element.iterchildren():
            if child.tag == qn("w:p"):
                for piece in numbered_heading(child, paragraph_text(child)).split("\n"):
                    if piece.strip():
                        lines.append(Line([Cell(piece.strip())]))
            elif child.tag == qn("w:tbl"):
                for tr in child.iterchildren(qn("w:tr")):
                    cells = []
                    for tc in tr.iterchildren(qn("w:tc")):
                        props = tc.find(qn("w:tcPr"))
                        merge = props.find(qn("w:vMerge")) if props is not None else None
                        if merge is not None and merge.get(qn("w:val")) != "restart":
                            continue   # continuation of a vertically merged cell: shown once, above
                        cells.append(Cell(cell_text(tc)))
                    lines.append(Line(cells))
            elif child.tag == qn("w:sdt"):
                content = child.find(qn("w:sdtContent"))
                if content is not None:
                    walk(content)

    walk(document.element.body)
    if not lines:
        raise InputError(f"{name} 中没有文字内容。")
    return Source(name, "docx", lines)
