"""PDF reports, read with pypdfium2 (imported on first use): lines of cells with their positions.

Text pages give their characters with boxes; characters in drawing order that sit side by side
make a cell, a gap wider than a character starts the next one, and cells whose vertical centres
fall within one another make a visual line. Pages with no text layer (scans) are read by OCR
(`ocr`, an optional extra) into the same cells.
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Callable
from pathlib import Path

from ..errors import InputError
from .lines import PAGE_NUMBER, Cell, Line, Source

# (y0, y1, x0, x1, size, text): one cell's box in PDF points (y upwards), its font size and text
Item = tuple[float, float, float, float, float, str]
Progress = Callable[[str], None]

_SPACES = " \u3000\xa0\t"
_BREAKS = "\r\n"
_WORD_GAP = 0.1        # of the font size: a gap this wide between glyphs is a word space
_GARBAGE = 50           # characters without a Unicode mapping past which the text is unusable


def read_pdf(path: Path, name: str, progress: Progress | None = None) -> Source:
    """Rebuild the PDF's visual lines, with cells split at wide gaps; scanned pages through OCR."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise InputError(f"{name} 已加密，无法读取文字。请提供未加密的 PDF。") from None
        raise InputError(f"{name} 不是有效的 PDF 文件或已损坏。请重新下载或从原文件另存为 PDF 后再试。") from None
    lines: list[Line] = []
    scanned: list[int] = []
    garbage = 0
    try:
        pages = len(document)
        for page_no in range(1, pages + 1):
            page = document[page_no - 1]
            try:
                items, unmapped = _page_items(page)
            finally:
                page.close()
            garbage += unmapped
            if items:
                lines += _pdf_rows(items, page_no)
            else:
                scanned.append(page_no)
        if scanned and _has_images(document, scanned):
            from .ocr import read_scanned_pages

            by_page = read_scanned_pages(document, scanned, name, progress)
            lines += [line for page_no in scanned for line in _pdf_rows(by_page.get(page_no, []), page_no, ocr=True)]
            lines.sort(key=lambda line: line.page)     # (stable: each page keeps its order)
    except pdfium.PdfiumError:
        raise InputError(f"{name} 不是有效的 PDF 文件或已损坏。请重新下载或从原文件另存为 PDF 后再试。") from None
    finally:
        document.close()
    if not lines:
        raise InputError(f"{name} 中没有可提取的文字（可能是扫描件或图片）。请改用网页版、Word 版或可复制文字的 PDF。")
    if garbage > _GARBAGE:
        raise InputError(f"{name} 的字体缺少文字编码信息，提取出的是乱码。请改用网页版或 Word 版导入。")
    lines = [line for line in lines if not PAGE_NUMBER.match(line.text)]
    return Source(name, "pdf", lines, wrapped=True, pages=pages)


def _has_images(document, pages: list[int]) -> bool:
    """Whether any of the pages draws something (a scan), rather than being blank."""
    for page_no in pages:
        page = document[page_no - 1]
        try:
            if any(True for _ in page.get_objects(max_depth=2)):
                return True
        finally:
            page.close()
    return False


def _page_items(page) -> tuple[list[Item], int]:
    """The page's cells: characters in drawing order, side by side on one baseline; and the count of unmapped ones."""
    import pypdfium2.raw as raw

    textpage = page.get_textpage()
    try:
        count = raw.FPDFText_CountChars(textpage)
        rect = raw.FS_RECTF()
        matrix = raw.FS_MATRIX()
        cells: list[list] = []
        current: list = []         # [x0, x1, y0, y1, size, text] per glyph, or " " for a word space
        prev = None
        unmapped = 0
        for i in range(count):
            code = raw.FPDFText_GetUnicode(textpage, i)
            char = chr(code) if 0 < code < 0x110000 else ""
            if not char or char in _BREAKS:
                continue
            if char in _SPACES or raw.FPDFText_IsGenerated(textpage, i):
                if current and char in _SPACES:
                    current.append(" ")
                continue
            if raw.FPDFText_HasUnicodeMapError(textpage, i):
                unmapped += 1
            raw.FPDFText_GetLooseCharBox(textpage, i, ctypes.byref(rect))
            x0, x1, y0, y1 = rect.left, rect.right, rect.bottom, rect.top
            if y0 > y1:
                y0, y1 = y1, y0
            raw.FPDFText_GetMatrix(textpage, i, ctypes.byref(matrix))
            size = raw.FPDFText_GetFontSize(textpage, i) * abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5
            size = size if size > 0 else (y1 - y0)
            glyph = [x0, x1, y0, y1, size, char]
            if prev is not None and not _adjacent(prev, glyph):
                cells.append(current)
                current = []
            elif prev is not None and glyph[0] - prev[1] > _WORD_GAP * max(prev[4], glyph[4]) and current[-1] != " ":
                current.append(" ")     # a word space the PDF leaves as a gap
            current.append(glyph)
            prev = glyph
        if current:
            cells.append(current)
    finally:
        textpage.close()
    return [_item(chars) for chars in cells if any(not isinstance(c, str) for c in chars)], unmapped


def _adjacent(prev: list, glyph: list) -> bool:
    """The next glyph continues the cell: on the same line, just after the previous one (a gap under one character)."""
    overlap = min(prev[3], glyph[3]) - max(prev[2], glyph[2])
    if overlap < 0.5 * min(prev[3] - prev[2], glyph[3] - glyph[2]):
        return False
    gap = glyph[0] - prev[1]
    return -0.5 * max(prev[4], glyph[4], 1.0) <= gap <= 1.0 * max(prev[4], glyph[4], 1.0)


def _item(chars: list) -> Item:
    glyphs = [c for c in chars if not isinstance(c, str)]
    text = re.sub(r" +", " ", "".join(c if isinstance(c, str) else c[5] for c in chars)).strip()
    sizes = sorted(g[4] for g in glyphs)
    return (min(g[2] for g in glyphs), max(g[3] for g in glyphs), min(g[0] for g in glyphs),
            max(g[1] for g in glyphs), sizes[len(sizes) // 2], text)


def _level(a: Item, b: Item) -> bool:
    """Two OCR boxes side by side: they overlap over most of the lower one's height."""
    return min(a[1], b[1]) - max(a[0], b[0]) >= 0.6 * min(a[1] - a[0], b[1] - b[0])


def _pdf_rows(items: list[Item], page_no: int, ocr: bool = False) -> list[Line]:
    """Group cells into visual rows (a cell joins a row when its vertical centre lies within the row)."""
    items = sorted(items, key=lambda c: (-(c[0] + c[1]) / 2, c[2]))
    rows: list[dict] = []
    for item in items:
        centre = (item[0] + item[1]) / 2
        slack = 0.25 * (item[1] - item[0]) if ocr else 0.5     # OCR boxes fit each text tightly, not its line
        for row in rows[-4:]:
            if row["y0"] - slack <= centre <= row["y1"] + slack or (ocr and any(_level(c, item) for c in row["cells"])):
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
        out.append(Line([Cell(c[5], (c[2] + c[3]) / 2) for c in cells], page=page_no, indent=round(indent, 1),
                        sheet=page_no, ocr=ocr))
    return out
