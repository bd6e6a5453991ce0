"""drafter audit: check a whole folder of published reports at once (for a supervising office)."""

from __future__ import annotations

import time
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich import box
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from .options import FormatOption, OutputFormat
from .output import console, errors, handles_errors

OUT_NAME = "审查结果"


def register(app: typer.Typer) -> None:
    app.command("audit", help="批量审查一批已发布的年度报告（文件或文件夹，txt/md/pdf/html/docx 混合均可）：逐份核对数字、"
                "表格、结构、雷同和文风，与同一机关上一年度的报告配对比较，找出不同机关之间相同的文字，"
                "结果按问题多少排序，并写出网页、Excel、JSON 和汇总统计表。退出码：0 没有报告有错误，1 有报告有错误或有文件无法读取，2 一个文件也读不了。",
                short_help="批量审查一个文件夹中的已发布年报，写出审查结果网页和汇总表。")(audit_command)


@handles_errors
def audit_command(
    paths: Annotated[list[Path], typer.Argument(help="报告文件或文件夹（可以有多个；文件夹中的报告逐层查找）", show_default=False)],
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help=f"结果写入的文件夹（默认为第一个路径旁的“{OUT_NAME}/”）")] = None,
    format: FormatOption = OutputFormat.text,
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", min=1, help="同时处理的进程数（默认为 CPU 核数）")] = None,
    prior_dir: Annotated[Optional[Path], typer.Option("--prior-dir", help="上一年度报告所在的文件夹：按机关与本批报告配对")] = None,
    rules: Annotated[Optional[str], typer.Option("--rules", help="按规则包评分并按得分排序：名称（national、example-regional）或规则包文件")] = None,
    expect: Annotated[Optional[Path], typer.Option("--expect", help="应当报送报告的机关名单（文本文件，每行一个名称），用于判断“未公开”")] = None,
    db: Annotated[Optional[str], typer.Option("--db", help="存入的数据库：postgresql://用户@主机/库名、sqlite:///文件 或文件路径"
                                              "（默认为结果文件夹中的 audit.sqlite）；同一文件再次审查不重复存入，改正后的文件存为新版本")] = None,
) -> None:
    from ..services.audit import audit, write_outputs
    from ..errors import FileNotWritable
    from ..services.ledger import DEFAULT_NAME, open_ledger

    target = out or paths[0].resolve().parent / OUT_NAME
    if db is None:
        try:
            target.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise FileNotWritable(target, exc) from None
    ledger = open_ledger(db or target / DEFAULT_NAME)       # (a database that cannot be opened stops the run first)
    with progress_bar(enabled=errors.is_terminal) as on_progress:
        result = audit(paths, prior_dir=prior_dir, jobs=jobs, rules=rules, expect=expect, on_progress=on_progress,
                       workspace_root=Path.cwd(), exclude=[target])
    started = time.time()
    try:
        written = write_outputs(result, target)
        stored = ledger.store(result)
    except KeyboardInterrupt:
        _cancelled(target, started)
    try:
        _report(result, written, stored, db, target, format)
    except KeyboardInterrupt:
        _cancelled(target, started)


def _cancelled(target: Path, started: float) -> None:
    """Ctrl-C once the outputs are being written: say which were replaced (each is whole: old or new)."""
    from ..services.audit.writing import NAMES

    new = [n for n in NAMES.values() if (target / n).exists() and (target / n).stat().st_mtime >= started - 1]
    old = [n for n in NAMES.values() if n not in new]
    text = "已取消。" + (f"{target} 中已写入本次的结果：{'、'.join(new)}" if new else f"{target} 中的文件未改动")
    if new and old:
        text += f"；未写入（仍是原来的或没有）：{'、'.join(old)}"
    errors.print(Text(text + "。", style="yellow"))
    raise typer.Exit(130)


def _report(result, written: dict, stored, db: str | None, target: Path, format: OutputFormat) -> None:
    from ..services.ledger import DEFAULT_NAME

    for item in result.unreadable:
        errors.print(Text.assemble(("无法读取 ", "red"), item.file, "：", item.message))
    if format == OutputFormat.json:
        with written["json"].open(encoding="utf-8") as handle:      # findings.json, alone on stdout
            for chunk in iter(lambda: handle.read(1 << 16), ""):
                typer.echo(chunk, nl=False)
    else:
        print_ranking(result)
    where = console if format == OutputFormat.text else errors
    where.print(f"结果已写入 {escape(str(target))}：" + "、".join(p.name for p in written.values())
                + f"（用浏览器打开 {escape(str(written['html']))} 查看每份报告的详情）。")
    where.print(f"已存入数据库 {escape(db or str(target / DEFAULT_NAME))}：新增 {stored.added} 个文件"
                + (f"（其中 {stored.versions} 份是已存报告改正后的新版本）" if stored.versions else "")
                + (f"，{stored.unchanged} 个此前已存入，未改动" if stored.unchanged else "") + "。")
    if not result.reports:
        errors.print(Text.assemble(("错误：", "red"), "没有一个文件能作为年度报告读取。"))
        raise typer.Exit(2)
    raise typer.Exit(1 if result.has_errors else 0)


@contextmanager
def progress_bar(enabled: bool):
    """A progress bar on stderr (a terminal only): files read, then checked. Refreshed by each step, not by a thread,
    so the worker processes are not forked while a thread runs."""
    if not enabled:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
               TextColumn("[dim]{task.fields[file]}"))
    with Progress(*columns, console=errors, auto_refresh=False, transient=True) as bar:
        tasks: dict[str, int] = {}

        def step(s) -> None:
            if s.stage not in tasks:
                tasks[s.stage] = bar.add_task(s.stage, total=s.total, file="")
            bar.update(tasks[s.stage], completed=s.done, total=s.total, file=escape(s.file[-40:]))
            bar.refresh()

        yield step


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def print_ranking(result) -> None:
    """The reports ranked worst first, then what the batch as a whole shows."""
    from ..services.audit.page import STATUS_NAMES, points
    from ..services.audit.sorting import STATUS_NAMES as STATUS_NAMES_SET_ASIDE

    scored = result.rules is not None
    title = f"审查结果（按“{result.rules.title or result.rules.name}”得分从低到高）" if scored else "审查结果（问题最多的在前）"
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, expand=True)
    table.add_column("序号", justify="right", no_wrap=True)
    table.add_column("机关 · 文件", overflow="fold", ratio=3, min_width=16)
    for name in ("年度", "统计表", "错误", "提示", "同上年"):
        table.add_column(name, justify="right", no_wrap=True)
    table.add_column("同其他机关", overflow="fold", ratio=1, min_width=10)
    if scored:
        table.add_column("得分", justify="right", no_wrap=True)
    threshold = result.threshold
    for rank, r in enumerate(result.reports, 1):
        last = r.last_year.share if r.last_year else None
        top = r.similar_to[0] if r.similar_to else None
        status = STATUS_NAMES[r.table_status]
        cells = [str(rank), f"{escape(r.agency or '（未识别机关）')}\n[dim]{escape(r.file)}[/dim]", str(r.year),
                 status if r.table_status == "complete" else f"[yellow]{status}[/yellow]",
                 f"[red]{r.errors}[/red]" if r.errors else "0", str(r.warnings),
                 _flag(_share(last), last is not None and last > threshold),
                 _flag(f"{top.share:.0%}", top.share > threshold) + f"\n[dim]{escape(top.agency or top.file)}[/dim]"
                 if top else "—"]
        if scored:
            cells.append(f"[bold]{points(r.score.score)}[/bold]")
        table.add_row(*cells)
    console.print(table)
    s = result.summary()
    aside = s["not_reports"] + s["blank_templates"]
    console.print(f"共 {s['files']} 个文件：读取 {s['reports']} 份报告" + (f"，{s['unreadable']} 个无法读取" if s["unreadable"] else "")
                  + (f"，{aside} 个不是年报（不参加排名，不计入汇总）" if aside else "")
                  + f"；{s['with_errors']} 份有错误（共 {s['errors']} 处），提示 {s['warnings']} 处；"
                  f"与上年度报告配对 {s['paired_with_last_year']} 份；与其他机关相同的文字超过 {threshold:.0%} 的 "
                  f"{s['copied_from_other_agency']} 份。")
    for cluster in result.clusters:
        console.print(f"[red]雷同[/red] {escape(cluster.text)}。")
    for item in result.set_aside:
        console.print(f"[yellow]{STATUS_NAMES_SET_ASIDE[item.status]}[/yellow] {escape(item.file)}：{escape(item.reason)}")
    for m in result.missing:
        console.print(f"[red]未找到报告[/red] {escape(m.agency)}（{m.year} 年度）"
                      + (f"：得分 {points(m.score.score)}" if m.score is not None else ""))


def _flag(text: str, high: bool) -> str:
    return f"[red]{text}[/red]" if high else text
