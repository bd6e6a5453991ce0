"""What a model leaves behind that no person writes: prompt text copied into the report, and loops."""

from __future__ import annotations

from ...findings import Finding
from ...leakage import find_leaks
from ...repeats import find_repeat
from .context import Page, ReviewContext, check


@check("leakage.prompt")
def prompt_text(page: Page, ctx: ReviewContext) -> list[Finding]:
    """No delimiter, field name, placeholder or checker message of the prompts in the prose."""
    out = []
    for key, body, offset in page.prose():
        leaks = find_leaks(body)
        if not leaks:
            continue
        first = leaks[0]
        listed = "、".join(dict.fromkeys(f"“{leak.found}”（{leak.what}）" for leak in leaks[:6]))
        out.append(page.finding(
            "leakage.prompt", "error", key, offset + first.offset, first.found,
            f"正文中混入了起草提示词或核对程序的文字：{listed}。这些是给模型的材料标记和说明，不是报告内容。"
            "请删去这些文字，按本部分应有的内容重写；用模型起草时可重新起草本部分。"))
    return out


@check("repetition.loop")
def repeated_passages(page: Page, ctx: ReviewContext) -> list[Finding]:
    """No sentence said three times over, no three near-identical paragraphs (a model's loop)."""
    out = []
    for key, body, offset in page.prose(preamble=False):
        repeat = find_repeat(body)
        if repeat is None:
            continue
        how = "同一句话（除编号和数字外）" if repeat.kind == "sentence" else "几乎相同的段落"
        at = body.find(repeat.passage) if repeat.kind == "sentence" else 0
        out.append(page.finding(
            "repetition.loop", "error", key, offset + max(at, 0), repeat.passage if at >= 0 else "",
            f"正文中{how}出现了 {repeat.copies} 次（“{repeat.excerpt()}”），像是模型陷入了重复，或工作记录中有重复的条目。"
            "请删去重复的内容，每项工作只写一次（工作记录中的重复条目也一并删去）；用模型起草时可重新起草本部分。"))
    return out
