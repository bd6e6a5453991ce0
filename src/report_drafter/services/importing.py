"""Importing a published report into a workspace year: `<year>/stats.yaml` and `<year>/published.md`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..findings import Finding
from ..importing import ImportedReport, check_report, import_report
from ..importing.identity import same_agency
from ..statsfile import read_stats
from ..statswriter import dump_stats
from ..ui import UI, QuietUI
from ..workspace import Workspace
from .drafting import section_diff


@dataclass
class ImportResult:
    report: ImportedReport
    written: list[tuple[Path, bool, bool]]          # (path, changed, existed) of stats.yaml and published.md
    problems: list[Finding]                         # the tables' rule check, lines in the written stats.yaml
    compared_with_prior: bool                       # last year's stats.yaml was used for the cross-year rules
    notices: list[str] = field(default_factory=list)


def import_into(workspace: Workspace, file: Path, year: int | None = None, ui: UI | None = None) -> ImportResult:
    """Read a published report and write it into its year; a hand-edited stats.yaml is replaced only if `ui` agrees."""
    ui = ui or QuietUI()
    report = import_report(file, year, progress=lambda message: ui.notice("", message))
    notices = []
    if not report.agency and workspace.agency:
        report.stats.agency = workspace.agency
        notices.append(f"机关名称取自工作目录设置：{workspace.agency}")
    elif report.agency and workspace.agency and not same_agency(report.agency, workspace.agency):
        notices.append(f"报告中的机关“{report.agency}”与工作目录设置的“{workspace.agency}”不同，请确认导入的是本机关的报告。")
    stats_path = workspace.stats_path(report.year)
    with workspace.lock():
        if report.agency and not workspace.agency:
            notices.append(_adopt_agency(workspace, report.agency))
        previous = workspace.read(stats_path) if stats_path.exists() else None
        new_stats = dump_stats(report.stats, previous)
        if previous is not None and new_stats != previous:
            question = (f"{workspace.display(stats_path)} 已存在，内容与导入的数据不同。用导入的数据替换吗？"
                        "（原文件会保存在历史中，可用 drafter undo --file stats.yaml 恢复）")
            if not ui.confirm(question, section_diff(previous, new_stats, "现有 stats.yaml", "导入的数据")):
                raise InputError(f"未导入：{workspace.display(stats_path)} 已有不同的数据，未改动。"
                                 "确认要替换时加 --yes 重新运行。")
        written = [
            (stats_path, workspace.write(stats_path, new_stats), previous is not None),
            (workspace.published_path(report.year),
             *_write(workspace, workspace.published_path(report.year), report.markdown)),
        ]
    prior = workspace.prior_stats(report.year)
    problems = check_report(report, prior)
    read_stats(new_stats, workspace.display(stats_path)).locate(problems)
    return ImportResult(report, written, problems, prior is not None, notices)


def _adopt_agency(workspace: Workspace, agency: str) -> str:
    """An empty workspace takes the agency of the report imported into it (drafter.toml written or filled in)."""
    import re

    from ..workspace import CONFIG_NAME, config_skeleton

    path = workspace.root / CONFIG_NAME
    if not path.exists():
        workspace.write(path, config_skeleton(agency))
    else:
        text = workspace.read(path)
        line = re.compile(r'^agency\s*=\s*""', re.M)
        quoted = agency.replace("\\", "\\\\").replace('"', '\\"')
        new = line.sub(lambda _: f'agency = "{quoted}"', text, count=1) if line.search(text) else f'agency = "{quoted}"\n' + text
        workspace.write(path, new)
    workspace.config["agency"] = agency
    return f"机关名称取自导入的报告：{agency}（已写入 {CONFIG_NAME}）"


def _write(workspace: Workspace, path: Path, text: str) -> tuple[bool, bool]:
    existed = path.exists()
    return workspace.write(path, text), existed
