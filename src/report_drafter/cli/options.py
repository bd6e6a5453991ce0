"""Options shared by the commands, written once, and the choices they take as Enums."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from ..workspace import DRAFT_NAME, STATS_NAME


class OutputFormat(str, Enum):
    text = "text"
    json = "json"


class ExportFormat(str, Enum):
    docx = "docx"
    html = "html"
    md = "md"


class TableFormat(str, Enum):
    f2021 = "2021"
    f2019 = "2019"


class HistoryFile(str, Enum):
    draft = DRAFT_NAME
    stats = STATS_NAME


DirOption = Annotated[Path, typer.Option("--dir", "-d", help="工作目录（默认为当前目录）")]
YearOption = Annotated[int, typer.Option("--year", "-y", help="报告年度，如 2023")]
FormatOption = Annotated[OutputFormat, typer.Option("--format", "-f", help="输出格式：text 或 json")]
AUTO_BACKEND = "auto"
BackendOption = Annotated[
    str, typer.Option("--backend", "-b", metavar="名称",
                      help="起草方式：auto（drafter.toml 中指定的，或有模型设置时用模型，否则离线）、offline、openai，"
                           "或已安装的插件后端的名称（drafter config show 列出全部）")]
YesOption = Annotated[bool, typer.Option("--yes", help="不再询问，直接替换（原内容保存在历史中）")]
HistoryFileOption = Annotated[HistoryFile, typer.Option("--file", help="哪个文件：draft.md（草稿）或 stats.yaml（统计表）")]
