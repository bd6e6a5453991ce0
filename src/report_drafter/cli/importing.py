"""`drafter import`: a published report becomes `<year>/stats.yaml` and `<year>/published.md`."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.markup import escape

from .options import DirOption, OutputFormat, YesOption
from .output import console, errors, handles_errors, open_workspace, print_json, print_problem

HELP = (
    "导入已发布的年度报告，作为下一年度的基础：统计表写入 <年度>/stats.yaml，正文写入 <年度>/published.md。"
    "支持网页复制的文字（.txt）、pdftotext 文本、PDF、网页（.html）和 Word（.docx）；"
    "扫描件 PDF 用文字识别（OCR）离线读取（需先安装：pip install 'report-drafter[ocr]'）。"
    "导入后按勾稽关系校验（工作目录中有上一年度数据时一并核对）。"
    "退出码：0 成功（可有提示）；1 已写入，但统计表不符合勾稽关系（已发布的报告按原样导入）；"
    "2 文件无法读取或统计表缺失、不完整（不写入任何文件）。"
    "用 --draft 报告.docx 读回导出后在 Word/WPS 中修改过的报告（修订按接受处理，逐部分写入 draft.md，可撤销，随后核对；"
    "退出码 0 核对无错误，1 有错误）。"
)


def register(app: typer.Typer) -> None:
    app.command("import", help=HELP, short_help="导入已发布的年报（txt/pdf/html/docx/xlsx），写入 stats.yaml 和 published.md。")(import_command)


def _plain(value: object) -> object:
    """Decimals as JSON numbers."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


@handles_errors
def import_command(
    file: Annotated[Optional[Path], typer.Argument(help="已发布的年度报告文件（.txt、.md、.pdf、.html、.docx）", show_default=False)] = None,
    dir: DirOption = Path("."),
    draft: Annotated[Optional[Path], typer.Option("--draft", help="导出后在 Word/WPS 中修改过的报告（.docx）：逐部分读回 <年度>/draft.md（修订按接受处理），再核对")] = None,
    year: Annotated[Optional[int], typer.Option("--year", "-y", help="报告年度（默认从报告中识别）")] = None,
    json: Annotated[bool, typer.Option("--json", help="只输出统计数据（JSON，键名同 stats.yaml；cells 列出空白、“/”和按合计推得的单元格），不写入文件")] = False,
    yes: YesOption = False,
) -> None:
    from ..spreadsheet import is_stats_workbook

    if draft is not None:
        return _import_word_draft(draft, dir, year)
    if file is None:
        from ..errors import InputError
        raise InputError("请指定要导入的已发布年报文件，或用 --draft 指定在 Word 中修改过的报告。")

    if file.suffix.lower() == ".xlsx" and is_stats_workbook(file):  # from `drafter init --xlsx`: statistics only
        return _import_workbook(file, dir, year)
    if json:
        return _print_stats(file, dir, year)
    from ..services.importing import import_into
    from .ui import TerminalUI

    dir.mkdir(parents=True, exist_ok=True)
    workspace = open_workspace(dir)
    result = import_into(workspace, file, year, TerminalUI(assume_yes=yes))
    report = result.report
    console.print(_detected(report))
    for notice in result.notices:
        errors.print(f"[yellow]提示[/yellow] {escape(str(notice))}")
    for problem in report.warnings + result.problems:
        print_problem(problem)
    for path, changed, existed in result.written:
        name = workspace.display(path)
        if not changed:
            console.print(f"未改动 {name}（内容相同）")
        elif existed:
            console.print(f"[green]已更新[/green] {escape(str(name))}（原文件已存入历史记录）")
        else:
            console.print(f"[green]已写入[/green] {escape(str(name))}")
    found = [heading for heading in ("一、总体情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项")
             if f"## {heading}" in report.markdown]
    if found:
        console.print("正文已按章节保存：" + "、".join(found))
    shown = workspace.display(workspace.stats_path(report.year))
    n_err = sum(1 for p in result.problems if p.severity == "error")
    n_warn = len(result.problems) - n_err + len(report.warnings)
    against = f"，并与 {report.year - 1} 年数据核对" if result.compared_with_prior else ""
    if n_err:
        errors.print(f"[red]校验未通过[/red]：{escape(str(shown))} 有 {n_err} 处错误、{n_warn} 处提示{against}。"
                     "已发布的报告按原样导入，请核对原文后再修改。")
        raise typer.Exit(1)
    console.print(f"[green]校验通过[/green]：{escape(str(shown))}" + (f"（{n_warn} 处提示）" if n_warn else "") + f"{against}。")


def _import_word_draft(file: Path, dir: Path, year: int | None) -> None:
    """`drafter import --draft 报告.docx --year Y`: the Word edits into draft.md, section by section, then checked."""
    from rich.markup import escape

    from ..errors import InputError
    from ..services.roundtrip import import_word_draft
    from .checking import print_report

    if not file.is_file():
        raise InputError(f"找不到文件 {file}。")
    if year is None:
        from ..services.wordfile import word_year
        year = word_year(file)
        if year is None:
            raise InputError("标题中没有年度，请用 --year 指定 Word 文件是哪一年度的报告，例如 drafter import --draft 报告.docx --year 2024。")
        console.print(f"年度 {year}（取自 Word 文件的标题）。")
    workspace = open_workspace(dir)
    result = import_word_draft(workspace, year, file)
    changes = result.word.changes
    if changes:
        console.print(f"Word 文件中有 {len(changes)} 处修订，已按“接受修订”读入：")
        for change in changes:
            what = "插入" if change.kind == "insert" else "删除"
            by = f"（{change.author}）" if change.author else ""
            console.print(escape(f"  {what}“{change.text}”{by}，在“{change.paragraph[:30]}…”"))
    for notice in result.notices:
        errors.print(f"[yellow]提示[/yellow] {escape(notice)}")
    shown = workspace.display(workspace.draft_path(year))
    if result.changes:
        for change in result.changes:
            console.print(f"[green]已更新[/green] {change.name}")
            console.print(escape(change.diff))
        console.print(f"已写入 {shown}（原稿已存入历史记录，可用 drafter undo --year {year} 撤销）。")
    else:
        console.print(f"Word 文件的正文与 {shown} 相同，未改动。")
    report = result.checked.report
    print_report(report, result.checked.file, False)
    raise typer.Exit(1 if report.errors else 0)


def _print_stats(file: Path, dir: Path, year: int | None) -> None:
    """--json: the statistics alone on stdout; what was detected and any warnings on stderr."""
    from ..cells import cell_list
    from ..importing import check_report, import_report
    from ..statswriter import stats_data
    from ..workspace import Workspace
    from .ui import TerminalUI

    report = import_report(file, year, progress=lambda message: TerminalUI().notice("", message))
    errors.print(_detected(report))
    prior = Workspace.open(dir).prior_stats(report.year) if dir.is_dir() else None
    problems = report.warnings + check_report(report, prior)
    for problem in problems:
        print_problem(problem)
    data = {**_plain(stats_data(report.stats)), "cells": cell_list(report.stats, report.printed_marks)}
    if report.ocr_cells:     # cells read from scanned pages, as dotted stats paths: "requests.new.0"
        data["ocr"] = {"pages": report.ocr_pages, "cells": [".".join(map(str, path)) for path in report.ocr_cells]}
    print_json(data)
    raise typer.Exit(1 if any(p.severity == "error" for p in problems) else 0)


def _import_workbook(file: Path, dir: Path, year: int | None) -> None:
    """`drafter import stats.xlsx`: the workbook's values into <year>/stats.yaml, then validated."""
    from ..services.tables import read_workbook, validate_read
    from .tables import report_validation

    dir.mkdir(parents=True, exist_ok=True)
    workspace = open_workspace(dir)
    read = read_workbook(workspace, file, year)
    report_validation(validate_read(workspace, year or (read.stats.year if read.stats else 0), read), OutputFormat.text)


def _detected(report) -> str:
    from rich.markup import escape

    agency = report.agency or "（未识别）"
    if report.agency_as_written and report.agency_as_written != report.agency:
        agency += f"（标题中写作“{report.agency_as_written}”）"
    year = f"{report.year} 年度" + ("（按 --year 指定）" if report.detected_year != report.year else "")
    read, expected = report.cells_read
    layouts = "；".join(t.layout for t in report.tables.values() if t.layout)
    return escape(f"识别结果：机关 {agency}；{year}；表格格式 {report.format_name}；文件类型 {report.kind_name}\n"
                  f"表格：{layouts}；读取 {read}/{expected} 个单元格")
