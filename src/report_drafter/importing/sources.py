"""Read a published report of any supported kind into lines of cells.

Every reader returns a `Source`: the report as a list of `Line`s, each a list of cell texts
(a prose line is one cell; a table row is one line with a cell per table cell, spanned cells
once). Table parsing and prose extraction then work the same for all file kinds.

Heavy libraries (pypdfium2, OCR, bs4, python-docx) are imported only inside their reader.
"""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from ..errors import InputError, os_reason
from ..limits import MAX_REPORT_TEXT_BYTES, check_archive, check_file_size, size_text
from ..textfile import decode
from .characters import normalise, normalise_text
from .chrome import drop_chrome
from .lines import PAGE_NUMBER, Cell, Line, Source

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

_BINARY_FORMS = {".pdf": " PDF 文件", ".docx": " Word 文档（.docx）"}   # files that must start with their signature
_MD_RULE = re.compile(r"^:?-{3,}:?$")
_BLANKS = " \u3000\xa0"
_WIDE_GAP = re.compile(f"[^{_BLANKS}][{_BLANKS}]{{2,}}[^{_BLANKS}]")
_SEGMENT = re.compile(f"[^{_BLANKS}]+(?:[{_BLANKS}][^{_BLANKS}]+)*")


def read_source(path: Path, progress: Callable[[str], None] | None = None) -> Source:
    """Read any supported report file; unreadable or unsupported input is an InputError.

    `progress` is told of slow steps (OCR of each scanned PDF page), in Chinese. Radical forms and
    compatibility ideographs are unified, traditional characters made simplified (`characters.normalise`);
    lines of page chrome are dropped (`chrome`).
    """
    return drop_chrome(normalise(_read(path, progress)))


def _read(path: Path, progress: Callable[[str], None] | None = None) -> Source:
    name = path.name
    if path.is_symlink() and not path.exists():
        raise InputError(f"{name} 是一个链接，它指向的文件（{os.readlink(path)}）不存在。")
    if not path.exists():
        raise InputError(f"找不到文件 {path}。")
    if path.is_dir():
        raise InputError(f"{path} 是目录，请指定报告文件。")
    if not path.is_file():          # a pipe or a device: reading it could wait forever
        raise InputError(f"{name} 不是普通文件（可能是管道或设备），未读取。")
    try:
        check_file_size(path, name)
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"无法读取 {path}：{os_reason(exc)}。") from None
    if not data.strip():
        raise InputError(f"{name} 是空文件。")
    suffix = path.suffix.lower()
    if b"%PDF-" in data[:1024]:          # (the format allows bytes before its header)
        from .pdf import read_pdf

        return read_pdf(path, name, progress)
    if data.startswith(b"PK"):
        if _is_docx(path):
            from .word import read_docx

            check_archive(path, name)
            return read_docx(path, name)
        raise InputError(f"{name} 是压缩包或 Office 文件，但不是 Word 文档（.docx）。请另存为 .docx 或 PDF 后导入。")
    if suffix in UNSUPPORTED:
        raise InputError(f"不支持导入{UNSUPPORTED[suffix]}（{name}）。请另存为 .docx、PDF、网页（.html）或纯文本（.txt）后导入。")
    if data[:4] == b"\xd0\xcf\x11\xe0":
        raise InputError(f"{name} 是旧版 Office 文件（如 .doc），不支持直接导入。请另存为 .docx 或 PDF 后导入。")
    if suffix in _BINARY_FORMS:
        raise InputError(f"{name} 不是有效的{_BINARY_FORMS[suffix]}（文件可能已损坏、下载不完整，或只是改了扩展名）。"
                         "请重新下载或从原文件另存后再试。")
    if len(data) > MAX_REPORT_TEXT_BYTES:
        raise InputError(f"{name} 有 {size_text(len(data))} 文字，超过一份报告的上限 {size_text(MAX_REPORT_TEXT_BYTES)}，未读取。"
                         "一份年报的文字通常只有几十 KB，请确认是否选错了文件。")
    head = data[:4096].lower()
    if suffix in HTML_SUFFIXES or re.search(rb"<(!doctype html|html|body|table)[\s>]", head):
        from .html import decode_markup, read_html

        # (normalised before it is read: the article and its title are found by their words)
        return read_html(normalise_text(decode_markup(data)), name)
    return read_text(normalise_text(decode(data, name)), name)


def _is_docx(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            return "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


# ---------- plain text ----------

_SPACED = re.compile(r"\S {3,}\S")     # a gap between columns of layout text


def read_text(text: str, name: str) -> Source:
    """Text copied from a web page (cells tab- or |-separated, or one per line) or `pdftotext -layout` output."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    raw: list[str] = []
    numbers: list[int] = []
    for number, row in enumerate(text.split("\n"), 1):
        for piece in unflatten(row):
            raw.append(piece)
            numbers.append(number)
    spaced = sum(1 for line in raw if "   " in line and _SPACED.search(line))
    tabbed = sum(1 for line in raw if "\t" in line)
    layout = "\f" in text or (not tabbed and spaced >= 5 and spaced >= 0.1 * sum(1 for x in raw if x.strip()))
    lines: list[Line] = []
    sheet = 0
    for number, row in zip(numbers, raw):
        sheet += row.count("\f")
        row = row.replace("\f", "")
        if PAGE_NUMBER.match(row):
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
