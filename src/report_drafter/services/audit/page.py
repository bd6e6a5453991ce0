"""index.html: one self-contained page (no external resources) with the ranked table and each report's detail.

Rendered with jinja2 (autoescaping: the reports' text is data) from a template shipped in this package.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import datetime
from importlib import resources

from markupsafe import Markup, escape

from ...document import HEADINGS
from ...findings import CATEGORIES
from .result import Audit, AuditedReport, Mark

TEMPLATE = "page.html.j2"
STATUS_NAMES = {"complete": "完整", "partial": "不完整", "missing": "缺失"}
FORM_NAMES = {"text": "文本", "layout": "版式文本", "pdf": "PDF", "html": "网页", "docx": "Word"}
MARK_NAMES = {"verified": "一致", "contradiction": "不一致", "ambiguous": "对不上", "unsupported": "无依据",
              "blank": "单元格为空", "claim": "判断不符"}
CARRIED = {"continues": "衔接", "differs": "不衔接", "unknown": "无法比较"}


def percent(share: float | None) -> str:
    return "" if share is None else f"{share:.0%}"


def points(value) -> str:
    return format(value.normalize(), "f") if value != value.to_integral_value() else str(int(value))


def render_page(result: Audit) -> str:
    """The page's HTML."""
    return "".join(page_chunks(result))


def page_chunks(result: Audit, each: Callable[[AuditedReport, dict], None] | None = None) -> Iterator[str]:
    """The page's HTML in pieces, as rendered: each report's detail is built only when its turn comes, and
    handed to `each` too (what else is written of the report takes it from there: read back once)."""
    from jinja2 import Environment

    def shown(r: AuditedReport) -> dict:
        more = detail(r)
        if each is not None:
            each(r, more)
        return more

    env = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(percent=percent, points=points, heading=heading, finding_items=finding_items)
    template = env.from_string(resources.files(__package__).joinpath(TEMPLATE).read_text(encoding="utf-8"))
    rows = [row(i, r) for i, r in enumerate(result.reports, 1)]
    return template.generate(result=result, rows=rows, detail=shown, summary=result.summary(),
                             scored=result.rules is not None, pack=result.rules, categories=CATEGORIES,
                             status_names=STATUS_NAMES, mark_names=MARK_NAMES, carried=CARRIED,
                             threshold=result.threshold, when=datetime.now().strftime("%Y-%m-%d %H:%M"))


def row(rank: int, r: AuditedReport) -> dict:
    """What the table shows of one report."""
    top = r.similar_to[0] if r.similar_to else None
    return {"id": f"r{rank}", "rank": rank, "report": r, "agency": r.agency or "（未识别机关）",
            "form": FORM_NAMES.get(r.form, r.form), "format": "2021" if r.format == "2021" else "2019 试行",
            "last_share": r.last_year.share if r.last_year else None, "top": top,
            "score": r.score.score if r.score is not None else None}


def detail(r: AuditedReport) -> dict:
    """What the detail of one report shows beyond its row: the marked prose, the findings by category
    (each part read back from the spool once)."""
    every = r.findings
    groups: dict[str, list] = {}
    for f in sorted(every, key=lambda f: (f.severity != "error", f.line or 0)):
        groups.setdefault(f.category, []).append(f)
    order = list(CATEGORIES)
    findings = sorted(groups.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order))
    return {"findings": findings, "every": every, "count": len(every), "counts": r.counts, "prose_html": r.prose_html,
            "line_map": r.line_map, "tables": [(k, STATUS_NAMES[v]) for k, v in r.tables.items()]}


_NUMBERED = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")


def prose_html(markdown: str, marks: list[Mark], line_map: list[int] | None = None) -> str:
    """The prose as the detail shows it: headings and paragraphs with each checked number marked, and
    the file line of each (`line_map`: file line of each markdown line). Made where the report is checked."""
    out, pos, k = [], 0, 0
    for number, line in enumerate(markdown.split("\n"), 1):
        start, end = pos, pos + len(line)
        pos = end + 1
        if not line.strip():
            continue
        pieces, at = [], start
        while k < len(marks) and marks[k].start < end:
            mark = marks[k]
            k += 1
            if mark.start < at:
                continue
            pieces.append((markdown[at:mark.start], None))
            pieces.append((markdown[mark.start:min(mark.end, end)], mark))
            at = min(mark.end, end)
        pieces.append((markdown[at:end], None))
        kind = "h1" if line.startswith("# ") else "h2" if line.startswith("## ") else "p"
        if kind != "p":
            pieces[0] = (pieces[0][0].lstrip("# "), None)
        tag = "p" if kind == "p" else "div"
        shown = line_map[number - 1] if line_map and number <= len(line_map) else number
        body = "".join(_marked(text, mark) if mark else escape(text) for text, mark in pieces if text)
        out.append(f'<{tag} class="{kind}" data-line="{shown}">{body}</{tag}>')
    return "\n".join(out)


def _marked(text: str, mark: Mark) -> str:
    title = MARK_NAMES[mark.kind] + (f"：应为 {mark.expected}" if mark.expected else "") + (
        f"（{mark.source}）" if mark.source else "")
    shown = (f'<span class="exp">应为 {escape(mark.expected)}</span>'
             if mark.expected and mark.kind in ("contradiction", "claim", "ambiguous") else "")
    return f'<mark class="m-{mark.kind}" title="{escape(title)}">{escape(text)}{shown}</mark>'


def finding_items(findings) -> Markup:
    """The `<li>` of each finding in a report's detail: where it is, what it says, and the sentence it is about.
    (Made here rather than in the template: a batch has tens of thousands, and this is several times faster.)"""
    out = []
    for f in findings:
        where = ("错误" if f.severity == "error" else "提示") + (f" · 第 {f.page} 页第 {f.line} 行" if f.page and f.line else f" · 第 {f.line} 行" if f.line else "") + (
            f" · {heading(f.section)}" if f.section else "")
        quoted = f"<q>{escape(f.text)}</q>" if f.text and f.text not in f.message else ""
        out.append(f'<li class="{escape(f.severity)}"><div class="where">{escape(where)}</div>{escape(f.message)}{quoted}</li>\n')
    return Markup("".join(out))


def heading(section: str) -> str:
    return HEADINGS.get(section, {"title": "标题", "preamble": "开头", "document": "全文", "tables": "统计表"}.get(section, section))
