"""Tables 二–四 rendered from stats.yaml as Markdown (never written by a model), and read back."""

from __future__ import annotations

import re

from . import layout
from .facts import number_text
from .model import Stats, get_path

MARK = "<!-- 表格由 stats.yaml 生成，请修改 stats.yaml 后重新生成，勿直接修改表格 -->"


def cell_text(value: object) -> str:
    """A table cell as printed: blank for None (a cell the published table left blank)."""
    return "" if value is None else number_text(value)


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(["---"] * len(header)) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def table2(stats: Stats) -> str:
    a = stats.active
    if stats.format == "2019":
        rows = [[f"{label}", *(cell_text(get_path(a, (key, c))) for c, _ in layout.DOCUMENT_COLUMNS_2019)]
                for key, label in layout.DOCUMENT_ROWS_2019]
        parts = [_table([f"{layout.DOCUMENTS_CLAUSE} {layout.CONTENT}", *(l for _, l in layout.DOCUMENT_COLUMNS_2019)], rows)]
        rows = [[label, *(cell_text(get_path(a, (key, c))) for c, _ in layout.ITEM_COLUMNS_2019)]
                for key, label, _ in layout.ITEM_ROWS_2019]
        parts.append(_table(["第二十条第（五）（六）项 信息内容", *(l for _, l in layout.ITEM_COLUMNS_2019)], rows))
        parts.append(_table([f"{layout.FEES_CLAUSE} {layout.CONTENT}", "上一年项目数量", "本年增/减"],
                            [[layout.FEES_LABEL, cell_text(a.fees.previous), cell_text(a.fees.change)]]))
        parts.append(_table([f"{layout.PROCUREMENT_CLAUSE} {layout.CONTENT}", "采购项目数量", "采购总金额"],
                            [["政府集中采购", cell_text(a.procurement.projects), cell_text(a.procurement.amount)]]))
        return "\n\n".join(parts)
    rows = [[label, *(cell_text(get_path(a, (key, c))) for c, _ in layout.DOCUMENT_COLUMNS)]
            for key, label in layout.DOCUMENT_ROWS]
    parts = [_table([f"{layout.DOCUMENTS_CLAUSE} {layout.CONTENT}", *(l for _, l in layout.DOCUMENT_COLUMNS)], rows)]
    parts.append(_table(["第二十条第（五）项 信息内容", layout.DECISIONS_COLUMN], [["行政许可", cell_text(a.licensing)]]))
    parts.append(_table(["第二十条第（六）项 信息内容", layout.DECISIONS_COLUMN],
                        [["行政处罚", cell_text(a.punishment)], ["行政强制", cell_text(a.coercion)]]))
    parts.append(_table([f"{layout.FEES_CLAUSE} {layout.CONTENT}", layout.FEES_COLUMN], [[layout.FEES_LABEL, cell_text(a.fees)]]))
    return "\n\n".join(parts)


def table3(stats: Stats) -> str:
    single = isinstance(stats.requests.outcomes.other, list)
    rows = [[spec.name, *map(cell_text, get_path(stats, spec.path))] for spec in layout.table3_rows(single)]
    header = [layout.BALANCE_NOTE, *layout.APPLICANT_COLUMNS]
    return _table(header, rows)


def table4(stats: Stats) -> str:
    header = ["类别", *(label for _, label in layout.APPEAL_COLUMNS)]
    rows = [[label, *(cell_text(getattr(getattr(stats.appeals, key), c)) for c, _ in layout.APPEAL_COLUMNS)]
            for key, label in layout.APPEAL_GROUPS]
    return _table(header, rows)


def table_bodies(stats: Stats) -> dict[str, str]:
    """Bodies of sections 二, 三, 四."""
    return {"active": f"{MARK}\n\n{table2(stats)}", "requests": f"{MARK}\n\n{table3(stats)}",
            "appeals": f"{MARK}\n\n{table4(stats)}"}


_CELL_ROW = re.compile(r"^\|(.+)\|\s*$")


def table_rows(body: str, first_line: int) -> list[tuple[int, list[str]]]:
    """(line, cells) of every Markdown table row in a section body, header and rule lines excluded."""
    out = []
    for offset, line in enumerate(body.split("\n")):
        match = _CELL_ROW.match(line.strip())
        if not match or set(line.strip()) <= set("|-: "):
            continue
        out.append((first_line + offset, [c.strip() for c in match.group(1).split("|")]))
    return out
