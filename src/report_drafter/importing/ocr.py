"""Scanned PDF pages (no text layer) read by OCR, offline: rapidocr-onnxruntime, the optional `ocr` extra.

Its wheel ships the Chinese PP-OCR models, so nothing is downloaded at run time. Each page is
rendered with pypdfium2 and its recognised text boxes become the same cells a text page gives
(`pdf.Item`, PDF points with y upwards), so lines, tables and sums are read the same way.
"""

from __future__ import annotations

import os
import re
import unicodedata
from functools import lru_cache

from ..errors import InputError

INSTALL = "pip install 'report-drafter[ocr]'"
SCALE = 2.5                 # 180 dpi: small table digits (7 pt “0”s) are lost at 144 dpi
MIN_SCORE = 0.3             # recognition confidence below which a box is dropped (single “0”s score 0.5–0.8)
REC_WIDTH = 64              # narrowest input of the recognition model: short boxes (one number) are not padded to 320
LINE_HEIGHT = 1.3           # a text box's height over its font size
_NUMBERS = re.compile(r"[\d.,，]+(?:\s+[\d.,，]+)+")     # several cells' numbers in one box: “0 0 0”
# a box that is a number with letters the recogniser confuses with digits (“o” for 0, “I” or “L” for 1)
_LOOKALIKE = re.compile(r"[\doOlIL|]*[oOlIL|][\doOlIL|]*")
_DIGITS = str.maketrans("oOlIL|", "001111")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def available() -> bool:
    """Whether the OCR extra is installed."""
    try:
        import rapidocr_onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


@lru_cache(maxsize=1)
def _engine():
    from rapidocr_onnxruntime import RapidOCR

    threads = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return RapidOCR(intra_op_num_threads=threads, inter_op_num_threads=1, text_score=MIN_SCORE,
                    max_side_len=4000, rec_img_shape=[3, 48, REC_WIDTH])


def recognise(image) -> list[tuple]:
    """(box corners, text, score) of each text box of a page image (BGR array), with RapidOCR's own steps
    (no orientation step: pages are upright), and table cells the text finder missed read again."""
    engine = _engine()
    boxes, _ = engine.text_det(image)
    if boxes is None or len(boxes) == 0:
        return []
    boxes = engine.sorted_boxes(boxes)
    texts, _ = engine.text_rec(engine.get_crop_img_list(image, boxes))
    read = [(box.tolist(), text, score) for box, (text, score) in zip(boxes, texts) if score >= MIN_SCORE]
    return read + _reread_gaps(image, read, engine)


def _is_number(text: str) -> bool:
    text = text.strip()
    return bool(text) and len(text) <= 12 and bool(_NUMBER.fullmatch(text.translate(_DIGITS) if len(text) <= 6 else text))


def _reread_gaps(image, boxes: list[tuple], engine) -> list[tuple]:
    """Table cells the text finder missed (a lone small “1” or “0”), read again where a column crosses a row.

    Columns are where numbers and short headings line up in several rows; a row of numbers that skips
    a column within its span (and one column either side) has that spot cropped and recognised alone.
    A cell really left blank has nothing printed and is left alone.
    """
    def centre_x(box) -> float:
        return (min(p[0] for p in box[0]) + max(p[0] for p in box[0])) / 2

    numbers = [(b, centre_x(b), min(p[1] for p in b[0]), max(p[1] for p in b[0])) for b in boxes if _is_number(b[1])]
    if len(numbers) < 3:
        return []
    heights = sorted(y1 - y0 for _, _, y0, y1 in numbers)
    unit = heights[len(heights) // 2]
    columns: list[list[float]] = []
    for x in sorted(centre_x(b) for b in boxes if len(b[1].strip()) <= 4 or _is_number(b[1])):
        if columns and x - columns[-1][-1] <= unit:
            columns[-1].append(x)
        else:
            columns.append([x])
    centres = [sum(c) / len(c) for c in columns if len(c) >= 2]
    if len(centres) < 3:
        return []
    rows: list[list] = []
    for number in sorted(numbers, key=lambda n: (n[2] + n[3]) / 2):
        middle = (number[2] + number[3]) / 2
        if rows and abs(middle - rows[-1][-1][4]) <= unit / 2:
            rows[-1].append((*number, middle))
        else:
            rows.append([(*number, middle)])
    added = []
    for row in rows:
        xs = sorted(n[1] for n in row)
        if len(row) < 3 or not all(any(abs(x - c) <= unit for c in centres) for x in xs):
            continue            # not a row of a table's number columns (a stray number, prose)
        step = min(b - a for a, b in zip(xs, xs[1:]))
        near = [c for c in centres if xs[0] - 1.5 * step < c < xs[-1] + 1.5 * step]
        half = max(0.75 * unit, 0.4 * min([b - a for a, b in zip(near, near[1:])] or [step]))
        y0, y1 = min(n[2] for n in row), max(n[3] for n in row)
        for centre in near:
            if any(_overlaps(b[0], centre - half, centre + half, y0, y1) for b in boxes + added):
                continue
            top, bottom = max(0, int(y0 - unit / 3)), int(y1 + unit / 3)
            left, right = max(0, int(centre - half)), int(centre + half)
            crop = _without_rules(image[top:bottom, left:right], int(unit / 4))
            if crop is None:                # nothing printed there: a blank cell
                continue
            (text, score), = engine.text_rec([crop])[0]
            text = unicodedata.normalize("NFKC", text)
            if score >= MIN_SCORE and _is_number(text):
                added.append(([[left, top], [right, top], [right, bottom], [left, bottom]], text, score))
    return added


def _overlaps(points, x0: float, x1: float, y0: float, y1: float) -> bool:
    return (min(p[0] for p in points) < x1 and max(p[0] for p in points) > x0
            and min(p[1] for p in points) < y1 and max(p[1] for p in points) > y0)


def _without_rules(crop, margin: int):
    """What is printed in the crop, table rules (lines across most of it) left out, with a white margin;
    None when nothing is."""
    import numpy

    if crop.size == 0:
        return None
    crop = crop.copy()
    dark = crop.min(axis=2) < 128
    crop[:, dark.mean(axis=0) > 0.7] = 255
    crop[dark.mean(axis=1) > 0.7, :] = 255
    ink = numpy.argwhere(crop.min(axis=2) < 128)
    if len(ink) == 0:
        return None
    (top, left), (bottom, right) = ink.min(axis=0), ink.max(axis=0)
    inked = crop[top:bottom + 1, left:right + 1]
    return numpy.pad(inked, ((margin, margin), (margin, margin), (0, 0)), constant_values=255)


def read_scanned_pages(document, pages: list[int], name: str, progress=None) -> dict[int, list]:
    """The cells of each scanned page (1-based numbers), by OCR; an InputError saying how to install it when missing."""
    if not available():
        shown = "、".join(str(p) for p in pages[:10]) + ("等" if len(pages) > 10 else "")
        raise InputError(f"{name} 的第 {shown} 页是扫描件（图片），没有可提取的文字，需要文字识别（OCR）组件才能读取。"
                         f"请运行 {INSTALL} 安装（识别在本机离线进行，不联网）后重新导入；"
                         "也可以改用网页版、Word 版或可复制文字的 PDF。")
    out: dict[int, list] = {}
    for n, page_no in enumerate(pages, 1):
        if progress is not None:
            progress(f"文字识别（OCR）：第 {page_no} 页（{n}/{len(pages)}）")
        page = document[page_no - 1]
        try:
            height = page.get_height()
            image = page.render(scale=SCALE).to_numpy()
        finally:
            page.close()
        out[page_no] = [item for box in recognise(image) for item in _items(box, height)]
    return out


def _items(box, page_height: float) -> list[tuple]:
    """A recognised box as cells in PDF points; a box holding several numbers split into one cell each."""
    points, text, _score = box
    xs = [p[0] / SCALE for p in points]
    ys = [page_height - p[1] / SCALE for p in points]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    text = text.strip()
    if _is_number(unicodedata.normalize("NFKC", text)):
        text = unicodedata.normalize("NFKC", text)         # “７” (the recogniser knows full-width digits)
    size = (y1 - y0) / LINE_HEIGHT
    if not text:
        return []
    if len(text) <= 6 and _LOOKALIKE.fullmatch(text):
        text = text.translate(_DIGITS)
    if not _NUMBERS.fullmatch(text):
        return [(y0, y1, x0, x1, size, text)]
    step = (x1 - x0) / len(text)          # digits are about equally wide
    return [(y0, y1, x0 + m.start() * step, x0 + m.end() * step, size, m.group()) for m in re.finditer(r"\S+", text)]
