"""Prompt text that must never reach a report: the delimiters and field names the prompts use, the
placeholders they fill in, the checker's own wording, Markdown headings.

The prompts quote material between 【<name>开始】 and 【<name>结束】; QUOTED lists every name, and
rendering a template with a name not listed here fails (prompts.py), so the checker knows each one
a template can use. FIELD_LABELS are the labels of the fields the prompts fill in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

QUOTED = ("工作记录", "当前草稿", "当前文稿", "上年度报告")          # 【X开始】…【X结束】 in the prompts
FIELD_LABELS = ("要修改的部分：", "当前正文：", "修改要求：", "本次修改要求：", "可用事实", "写作要求：",
                "本年度工作记录中的", "上年度报告提出的问题（")
PLACEHOLDERS = ("（无记录", "- （无记录")                           # what a prompt says for an empty topic
CHECKER_WORDS = ("没有通过核对", "核对结果", "正文中有 Markdown 标记", "正文中有半角", "（第一处见本句）",
                 "来源：stats.yaml", "来源：统计表")          # the checker's messages, as the repair prompt quotes them

_DELIMITER = re.compile(r"【([^】\n…]{1,12}?)(开始|结束)】")
_HEADING = re.compile(r"^[ \t]*#{1,6}[ \t]+\S.*$", re.M)


@dataclass(frozen=True)
class Leak:
    found: str
    offset: int
    what: str          # what kind of prompt text, in Chinese


def delimiter_names(template_text: str) -> set[str]:
    """The names of the quoted blocks a (rendered or raw) template opens or closes."""
    return {m.group(1) for m in _DELIMITER.finditer(template_text)}


def unknown_delimiters(template_text: str) -> set[str]:
    return delimiter_names(template_text) - set(QUOTED)


def find_leaks(text: str) -> list[Leak]:
    """Every piece of prompt text in a section (first place of each kind)."""
    leaks = [Leak(m.group(0), m.start(), "提示词的材料分隔标记") for m in _DELIMITER.finditer(text)]
    for words, what in ((FIELD_LABELS, "提示词的字段名"), (PLACEHOLDERS, "提示词中“无记录”的占位说明"),
                        (CHECKER_WORDS, "核对程序的提示文字")):
        for word in words:
            at = text.find(word)
            if at >= 0:
                leaks.append(Leak(word, at, what))
    leaks += [Leak(m.group(0).strip(), m.start(), "Markdown 标题") for m in _HEADING.finditer(text)]
    return sorted(leaks, key=lambda leak: leak.offset)
