"""Copying: how much of the prose repeats last year's report, and another agency named as this one."""

from __future__ import annotations

import re

from ... import document
from ...agencies import agency_names, departments
from ...findings import Finding
from ...similarity import NGRAM, similarity
from .context import Page, ReviewContext, check

MIN_SECTION_CHARS = 80     # shorter sections are mostly format wording: judged only within the whole report


def _quote(text: str, limit: int = 40) -> str:
    text = re.sub(r"\s+", "", text)
    return f"“{text if len(text) <= limit else text[:limit] + '…'}”（{len(text)} 字）"


def copying_share(text: str, ctx: ReviewContext) -> dict | None:
    """How much of the prose repeats last year's report, as figures (None without last year's report):
    the whole prose's share and each section's, whatever the threshold (evaluators use 30 % as well as 50 %)."""
    if not ctx.prior_grams:
        return None
    return _measured(Page(text), ctx)["figures"]


def _measured(page: Page, ctx: ReviewContext) -> dict:
    sections, total, copied = [], 0, 0
    for key, body, offset in page.prose(preamble=False):
        found = similarity(body, ctx.prior_grams)
        total, copied = total + found.chars, copied + found.copied
        sections.append((key, body, offset, found))
    share = copied / total if total else 0.0
    figures = {"share": round(share, 4), "threshold": ctx.settings.similarity_threshold, "prior": ctx.prior_label,
               "chars": total, "copied_chars": copied,
               "sections": {key: round(found.ratio, 4) for key, _, _, found in sections}}
    return {"figures": figures, "sections": sections, "share": share}


@check("copying.similarity")
def copied_from_last_year(page: Page, ctx: ReviewContext) -> list[Finding]:
    """Share of each prose section, and of all the prose, that repeats last year's report."""
    if not ctx.prior_grams:
        return []
    limit = ctx.settings.similarity_threshold
    measured = _measured(page, ctx)
    out, ratios = [], []
    for key, body, offset, found in measured["sections"]:
        ratios.append(f"{document.HEADINGS[key]} {found.ratio:.0%}")
        if found.chars >= MIN_SECTION_CHARS and found.ratio > limit:
            start = found.passages[0][0]
            quotes = "；".join(_quote(body[s:e]) for s, e in found.passages[:3])
            out.append(page.finding("copying.similarity", "warning", key, offset + start, f"{found.ratio:.0%}",
                                    f"本部分有 {found.ratio:.0%} 的文字与{ctx.prior_label}相同（连续 {NGRAM} 个字相同即计入，不计标点和小标题），"
                                    f"超过 {limit:.0%}。最长的相同段落：{quotes}。评议时与上年度报告雷同会扣分，有的地方相似度超过 50% 即扣分。"
                                    "请按本年度的实际工作重写这些段落，写明本年度新的做法、数据和变化。",
                                    f"≤{limit:.0%}", ctx.prior_label))
    share = measured["share"]
    if measured["figures"]["chars"] and share > limit:
        out.append(page.finding("copying.similarity", "warning", "document", page.heading_offset("overview"),
                                f"{share:.0%}",
                                f"正文（一、五、六部分，不含表格）有 {share:.0%} 的文字与{ctx.prior_label}相同，超过 {limit:.0%}"
                                f"（{'，'.join(ratios)}）。评议时按全文相似度判断是否雷同。请重写相同比例高的部分。",
                                f"≤{limit:.0%}", ctx.prior_label))
    return out


_SELF_AFTER = re.compile(r"(?:高度重视|认真|坚持|严格|扎实|积极|进一步|切实|始终|不断|全面|持续|紧密|紧紧|结合|围绕|按照|"
                         r"(?:\d{4}年度?)?(?:政务公开|政府信息公开|依申请公开))")


@check("copying.agency")
def other_agency(page: Page, ctx: ReviewContext) -> list[Finding]:
    """Another department named where the report speaks of itself (text taken from another agency's report)."""
    if not ctx.own_departments:
        return []  # a government's report names its departments as a matter of course
    named: dict[str, list[tuple[str, int]]] = {}
    for key, body, offset in page.prose():
        for start, end in agency_names(body):
            name = body[start:end]
            if not departments(name) & ctx.own_departments and _speaks_of_itself(body, start, end):
                named.setdefault(name, []).append((key, offset + start))
    return [page.finding("copying.agency", "error", places[0][0], places[0][1], name,
                         f"正文把“{name}”写成了本机关（{f'共 {len(places)} 处，' if len(places) > 1 else ''}第一处见本句），"
                         f"但本报告是{ctx.agency}的报告。这通常是照搬其他机关报告留下的痕迹，属于严重的雷同问题。"
                         "请改为本机关的名称，并核对相关段落是否是本机关的工作。", ctx.agency)
            for name, places in named.items()]


def _speaks_of_itself(body: str, start: int, end: int) -> bool:
    """Whether an agency name is the subject of the report's own work, or in the title of its own document."""
    own_document = body[start - 1:start] == "《" and re.match(r"[^》]{0,30}(?:政务公开|信息公开|依申请)", body[end:])
    return bool(_SELF_AFTER.match(body, end) or own_document)
