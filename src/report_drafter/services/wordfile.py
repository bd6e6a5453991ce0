"""An edited Word report seen as a draft: its prose as Markdown, its tables compared with stats.yaml."""

from __future__ import annotations

from pathlib import Path

from .. import document
from ..errors import InputError
from ..export.blocks import prose_paragraphs
from ..facts import number_text
from ..findings import Finding
from ..importing.worddraft import WordDraft, read_word_draft
from ..workspace import Workspace


def paragraphs(body: str) -> list[str]:
    """The prose paragraphs of a Markdown body: comments, tables and blank lines left out, heading marks dropped."""
    return prose_paragraphs(body)


def word_table_findings(word: WordDraft, stats, name: str) -> list[Finding]:
    """Each cell of the Word file's tables 二–四 that differs from stats.yaml (the tables are not read from Word)."""
    from ..export.tables import table_grids

    grids = list(table_grids(stats).values())
    if len(word.tables) != len(grids):
        return [Finding(severity="warning", category="tables", kind="word-table", section="tables", file=name,
                        message=f"Word 文件中有 {len(word.tables)} 张表格，导出时为 {len(grids)} 张，无法逐格与 stats.yaml 比较。"
                                "表格一律由 stats.yaml 生成，Word 中对表格的改动不会读入。")]
    found = []
    for grid, rows in zip(grids, word.tables):
        for cell in grid.numbers():
            expected = "" if cell.value is None else number_text(cell.value)
            actual = rows[cell.row][cell.col] if cell.row < len(rows) and cell.col < len(rows[cell.row]) else None
            if actual is None:
                found.append(Finding(severity="warning", category="tables", kind="word-table", section=grid.key,
                                     file=name, path=cell.path, expected=expected,
                                     message=f"Word 文件中{grid.name}的行列被改动，这一格找不到。表格一律由 stats.yaml 生成。"))
                break
            if actual != expected:
                found.append(Finding(severity="error", category="tables", kind="word-table", section=grid.key,
                                     file=name, path=cell.path, found=actual, expected=expected, source="stats.yaml",
                                     message=f"Word 文件中为 {actual or '空白'}，stats.yaml 中为 {expected or '空白'}。"
                                             "表格以 stats.yaml 为准，Word 中的改动未读入；如果 Word 中的数字是对的，"
                                             "请修改 stats.yaml（或在工作台的表格中修改）。"))
    return found


def read_word(workspace: Workspace, path: Path) -> WordDraft:
    if not path.is_file():
        raise InputError(f"找不到文件 {workspace.display(path)}。")
    return read_word_draft(path, workspace.display(path))


def word_year(path: Path) -> int | None:
    """The report year its title states (“……2024年政府信息公开工作年度报告”), for a command given no --year."""
    import re

    title = document.parse_document(read_word_draft(path).markdown).title
    match = re.search(r"((?:19|20)\d{2})\s*年", title)
    return int(match.group(1)) if match else None


def word_markdown(word: WordDraft, stats) -> str:
    """The Word file as a draft: its prose, with tables 二–四 drawn from stats.yaml (as in draft.md)."""
    from ..rendering import table_bodies

    text = word.markdown
    present = document.parse_document(text).sections
    for key, body in table_bodies(stats).items():
        if key in present:
            text = document.replace_section(text, key, "\n\n".join(paragraphs(present[key].body) + [body]))
    return text
