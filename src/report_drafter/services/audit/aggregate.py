"""The sum of a batch's complete tables, per year and format, in stats.yaml form (a whole-city report's tables).

Each table is summed over the reports whose copy of that table was read complete; a report with a
partial table 二 still adds its complete 表三 and 表四. Blank cells count as 0; （六）其他处理 takes
the format's shape (see `sums`); totals are computed from their parts. The comments at the top of
each document list the reports included, table by table, and what was approximated.
"""

from __future__ import annotations

from decimal import Decimal

from ...layout import location
from ...statswriter import render_stats
from ...sums import TABLES, sum_stats
from .result import Aggregate, AuditedReport
from .spool import held

TABLE_NAMES = {"active": "表二", "requests": "表三", "appeals": "表四"}


def aggregate(reports: list[AuditedReport]) -> list[Aggregate]:
    """One sum per (year, format) having at least one complete table, newest year first."""
    groups: dict[tuple[int, str], list[AuditedReport]] = {}
    for report in reports:
        groups.setdefault((report.year, report.format), []).append(report)
    out = []
    for (year, fmt), members in sorted(groups.items(), key=lambda kv: (-kv[0][0], kv[0][1])):
        chosen, names, twins = [], [], []
        included: dict[str, list[str]] = {key: [] for key in TABLES}
        excluded: dict[str, list[str]] = {key: [] for key in TABLES}
        summed_for: set[tuple[str, str]] = set()       # (agency, table) already in the sum
        members.sort(key=lambda r: (-list(r.tables.values()).count("complete"), r.file))
        for report in members:
            complete = tuple(key for key in TABLES if report.tables.get(key) == "complete")
            if any((report.group, key) in summed_for for key in complete):
                complete = tuple(key for key in complete if (report.group, key) not in summed_for)
                twins.append(report.file)
            for key in TABLES:
                (included if key in complete else excluded)[key].append(report.file)
            summed_for |= {(report.group, key) for key in complete}
            if complete and held(report, "stats"):
                chosen.append((report, complete))
                names.append(report.file)
        if not chosen:
            continue
        items = ((report.stats, tables) for report, tables in chosen)     # (read back one at a time)
        summed = sum_stats(items, fmt, year, f"{len(names)} 份报告合计")
        fees = [r for r in members if r.fees is not None and r.file in names]
        amount = sum((r.fees.amount_yuan or Decimal(0) for r in fees), Decimal(0))
        cases = None if any(r.fees.cases is None for r in fees) else sum(r.fees.cases for r in fees)
        summed.stats.processing_fees.amount_yuan, summed.stats.processing_fees.cases = amount, cases
        out.append(Aggregate(year, fmt, summed.stats, included, excluded,
                             [(names[i], location(path)) for i, path in summed.blanks],
                             sorted({names[i] for i in summed.reshaped}), [r.file for r in fees], twins))
    return out


def render_aggregates(aggregates: list[Aggregate]) -> str:
    """aggregate.stats.yaml: one YAML document (stats.yaml form) per year and format, separated by ---."""
    if not aggregates:
        return ("# 没有可以汇总的统计表：本次审查的报告中没有一张表格被完整读出。\n"
                "# 表格完整的报告才计入汇总（见 index.html 的“表格”一栏）。\n")
    return "---\n".join(_document(a) for a in aggregates)


def _document(a: Aggregate) -> str:
    lines = [f"# {a.year} 年度汇总（{'2021 年格式' if a.format == '2021' else '2019 年试行格式'}）：由 drafter audit 把"
             "表格完整的报告逐表相加生成，可复制为本地区 <年度>/stats.yaml 后修改 agency。",
             "# 空白单元格按 0 计；表三“总计”列、“（七）总计”行和表四“总计”按各项之和计算。"]
    if a.format == "2021":
        lines.append("# 表三“（六）其他处理”按 2021 年格式分三行；只印一行的报告，其数字计入“3.其他”。")
    else:
        lines.append("# 表三“（六）其他处理”按 2019 年试行格式为一行；分三行印的报告，三行相加后计入。")
    for key in TABLES:
        lines.append(f"# {TABLE_NAMES[key]}计入 {len(a.included[key])} 份：" + ("、".join(a.included[key]) or "无"))
        if a.excluded[key]:
            lines.append(f"#   未计入（表格不完整或缺失，或同一机关同一年度的另一文件已计入）{len(a.excluded[key])} 份："
                         + "、".join(a.excluded[key]))
    if a.duplicates:
        lines.append("# 同一机关同一年度有多个文件的，只计入一个（表格完整的优先），未重复计入：" + "、".join(a.duplicates))
    if a.reshaped:
        lines.append("# 表三“（六）其他处理”行数与格式不同、已按上述办法计入的报告：" + "、".join(a.reshaped))
    if a.blanks:
        shown = "；".join(f"{file} {cell}" for file, cell in a.blanks[:20])
        more = f" 等 {len(a.blanks)} 处" if len(a.blanks) > 20 else ""
        lines.append(f"# 按 0 计入的空白单元格：{shown}{more}")
    lines.append(f"# 信息处理费为 {len(a.fees_from)} 份报告正文所写金额之和（未写的按 0 元）。")
    return "\n".join(lines) + "\n" + render_stats(a.stats)
