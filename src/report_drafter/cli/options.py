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


class BackendChoice(str, Enum):
    auto = "auto"
    offline = "offline"
    openai = "openai"


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
BackendOption = Annotated[
    BackendChoice, typer.Option("--backend", "-b", help="起草方式：auto（有模型设置时用模型，否则离线）、offline、openai")]
YesOption = Annotated[bool, typer.Option("--yes", help="不再询问，直接替换（原内容保存在历史中）")]
HistoryFileOption = Annotated[HistoryFile, typer.Option("--file", help="哪个文件：draft.md（草稿）或 stats.yaml（统计表）")]
