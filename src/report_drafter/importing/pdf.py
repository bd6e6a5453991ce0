"""PDF reports, read with pdfminer.six (imported on first use): lines of cells with their positions."""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import InputError
from .lines import PAGE_NUMBER, Cell, Line, Source


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
    lines = [line for line in lines if not PAGE_NUMBER.match(line.text)]
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


