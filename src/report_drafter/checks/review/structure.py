"""Structure: the six sections in order, 一's five aspects, 六's items, title, years, length, placeholders."""

from __future__ import annotations

import re

from ... import document, vocab
from ...findings import Finding
from .context import Page, ReviewContext, check
from .matching import led_by


@check("structure.sections")
def missing_sections(page: Page, ctx: ReviewContext) -> list[Finding]:
    """The six sections in order; a prose section missing, or a heading out of place."""
    out = []
    for index, (key, heading, pattern) in enumerate(document.SECTIONS):
        if key in page.doc.sections:
            continue
        stray = next((m for m in document.HEADING_LINE.finditer(page.text) if re.search(pattern, m.group(2))), None)
        if stray:
            out.append(page.finding("structure.sections", "error", key, stray.start(), stray.group(0).strip(),
                                    f"“{stray.group(0).strip()}”的序号或位置不对，应为第{document.NUMERALS[index]}部分“{heading}”。"
                                    "格式规定六个部分按一至六的顺序排列，顺序错乱时读者和评议人员找不到对应内容。请调整标题序号和位置。"))
        elif key in document.PROSE_SECTIONS:
            later = [page.heading_offset(k) for k, _, _ in document.SECTIONS[index + 1:] if k in page.doc.sections]
            out.append(page.finding("structure.sections", "error", key, later[0] if later else len(page.text), "",
                                    f"缺少“{heading}”。格式规定年度报告由六个部分组成，缺少部分属于内容不完整，评议时会扣分"
                                    "（不少已发布的报告漏了“六”）。请补上这一部分；没有需要报告的事项也要如实写明。"))
    return out


@check("structure.title")
def report_title(page: Page, ctx: ReviewContext) -> list[Finding]:
    """A title naming the agency and the report's year."""
    compact = re.sub(r"\s+", "", page.doc.title)
    years = re.findall(r"(\d{4})年", compact)
    problems = []
    if str(ctx.year) not in years:
        problems.append(f"年度写成了“{years[0]}年”" if years else "没有写明年度")
    if ctx.agency and not any(n and re.sub(r"\s+", "", n) in compact for n in (ctx.agency, *ctx.names)):
        problems.append("没有写明机关名称")
    if not problems:
        return []
    want = f"{ctx.agency}{ctx.year}年政府信息公开工作年度报告"
    offset = page.text.find(page.doc.title) if page.doc.title else 0
    return [page.finding("structure.title", "error", "title", max(offset, 0), page.doc.title,
                         f"标题{'，'.join(problems)}。标题是识别报告的依据，机关和年度不清会被视为格式不规范。"
                         f"请改为“{want}”。", want)]




def _signature_at(page: Page) -> int:
    """Offset of the 落款 marker of a draft (-1 when the text has none, as published reports)."""
    return page.text.rfind(document.SIGNATURE_MARK)


@check("structure.placeholder")
def placeholders(page: Page, ctx: ReviewContext) -> list[Finding]:
    """Placeholders the offline draft leaves where the notes say nothing."""
    end = _signature_at(page)
    return [page.finding("structure.placeholder", "error", page.section_at(m.start()), m.start(), m.group(0),
                         "这里还是待补充的占位文字，发布后属于内容缺失。请按提示在 notes.md 中补充记录后重新起草，或直接改写这一处。")
            for m in document.PLACEHOLDER.finditer(page.text, 0, end if end >= 0 else len(page.text))]


@check("structure.signature")
def signature(page: Page, ctx: ReviewContext) -> list[Finding]:
    """A draft's 落款: the agency and a 成文日期 filled in, no later than 31 January of the next year."""
    from ...dates import signature_date

    mark = _signature_at(page)
    if mark < 0:
        return []
    lines = [line for line in page.doc.signature.split("\n") if line.strip()]
    at = page.text.find(lines[-1], mark) if lines else mark
    due = f"{ctx.year + 1}年1月31日"
    placeholder = document.PLACEHOLDER.search(page.doc.signature)
    if placeholder:
        # a warning while drafting (the date is set when the report is signed off); export waits for it
        return [page.finding("structure.signature", "warning", "signature", page.text.find(placeholder.group(0), mark),
                             placeholder.group(0),
                             f"落款的成文日期还没有填写（填写后才能导出）。报告末尾要有机关名称和成文日期，据此判断是否在 {due} 前公布（《条例》第四十九条）。"
                             f"请在 draft.md 末尾把这一行改为实际日期，如“{ctx.year + 1}年1月20日”。")]
    dated = signature_date(page.doc.signature)
    if dated is None:
        return [page.finding("structure.signature", "error", "signature", at, lines[-1] if lines else "",
                             f"落款没有成文日期。请在机关名称下面写明日期，如“{ctx.year + 1}年1月20日”。")]
    out = []
    written = f"{dated.when.year}年{dated.when.month}月{dated.when.day}日"
    if dated.when.year <= ctx.year:
        out.append(page.finding("structure.signature", "error", "signature", at, lines[-1],
                                f"落款日期“{written}”在 {ctx.year} 年度结束之前，年度报告应在次年 1 月成文。请核对日期。"))
    elif (dated.when.year, dated.when.month) > (ctx.year + 1, 1):
        out.append(page.finding("structure.signature", "warning", "signature", at, lines[-1],
                                f"落款日期“{written}”晚于 {due}。《条例》第四十九条规定年度报告在每年 1 月 31 日前公布，"
                                "逾期会被评议扣分。请核对日期。"))
    names = [n for n in (ctx.agency, *ctx.names) if n]
    if names and not any(re.sub(r"\s+", "", n) in re.sub(r"\s+", "", page.doc.signature) for n in names):
        out.append(page.finding("structure.signature", "warning", "signature", mark, "",
                                f"落款没有机关名称。请在日期上面写明“{ctx.agency}”。", ctx.agency))
    return out




OVERVIEW_TOPICS = vocab.OVERVIEW_ASPECTS
_LEAD = re.compile(r"^[ \t]*(?:（[一二三四五六七八九十]+）|\([一二三四五六七八九十]+\)|[一二三四五六七八九十]+、|\d+[.．、])[ \t]*([^。：:\n]{2,30})", re.M)


def _lead_topics(body: str) -> list[int]:
    """Indexes (into OVERVIEW_TOPICS) of the sub-headings of 一, in order."""
    out = []
    for m in _LEAD.finditer(body):
        index = next((i for i, t in enumerate(OVERVIEW_TOPICS) if re.search(t[2], m.group(1))), None)
        if index is not None and index not in out:
            out.append(index)
    return out


@check("structure.topics")
def overview_topics(page: Page, ctx: ReviewContext) -> list[Finding]:
    """一 covers 主动公开, 依申请公开, 政府信息管理, 平台建设, 监督保障, in this order."""
    body, _ = page.body("overview")
    if not body:
        return []
    leads = _lead_topics(body)
    missing = [t[1] for i, t in enumerate(OVERVIEW_TOPICS) if i not in leads and not re.search(t[3], body)]
    at = page.heading_offset("overview")
    heading = page.doc.sections["overview"].heading
    out = []
    if missing:
        out.append(page.finding("structure.topics", "warning", "overview", at, heading,
                                f"“一、总体情况”没有写到：{'、'.join(missing)}。格式要求总体情况依次写明主动公开、依申请公开、"
                                "政府信息管理、政府信息公开平台建设、监督保障五个方面，缺项属于内容不完整。"
                                "请补写这些方面（可用“（一）主动公开方面。”这样的小标题），在 notes.md 对应栏目中记录本年度的做法。",
                                "、".join(t[1] for t in OVERVIEW_TOPICS)))
    if leads != sorted(leads):
        order = "、".join(OVERVIEW_TOPICS[i][1] for i in leads)
        out.append(page.finding("structure.topics", "warning", "overview", at, heading,
                                f"“一、总体情况”各方面的顺序为：{order}。格式规定的顺序是主动公开、依申请公开、政府信息管理、"
                                "政府信息公开平台建设、监督保障，按顺序写便于对照评议。请调整小标题的顺序。"))
    return out


_FEE = re.compile(r"信息处理费|收取[^。；\n]{0,12}费")
_FEE_STATED = re.compile(r"(?:未|没有|不|无|免)[^。；\n]{0,10}(?:收取|收费)|\d[\d,.]*\s*(?:元|万元)|零元|[。：:]\s*无[。；]")


@check("structure.fee")
def information_fee(page: Page, ctx: ReviewContext) -> list[Finding]:
    """六 reports the information-processing fee with its amount (also when nothing was charged)."""
    body, offset = page.body("other")
    if offset < 0:
        return []
    mention = _FEE.search(body)
    if mention and _FEE_STATED.search(body):
        return []
    problem = "写到了信息处理费，但没有写明金额" if mention else "没有报告信息处理费的收取情况"
    at = offset + mention.start() if mention else page.heading_offset("other")
    return [page.finding("structure.fee", "warning", "other", at, mention.group(0) if mention else "",
                         f"“六、其他需要报告的事项”{problem}。格式规定收取信息处理费的情况在此报告（《政府信息公开信息处理费管理办法》），"
                         "金额以元为单位，未收取也要写明。请补写，如“本年度未收取信息处理费。”或“共收取信息处理费 120 元。”。")]


@check("structure.items")
def other_items(page: Page, ctx: ReviewContext) -> list[Finding]:
    """六 reports the usual items of the 2021 format, or says that they do not apply."""
    body, offset = page.body("other")
    if offset < 0 or ctx.year < 2021:
        return []
    missing = [name for _, name, pattern in vocab.OTHER_ITEMS if not re.search(pattern, body)]
    if not missing:
        return []
    return [page.finding("structure.items", "warning", "other", page.heading_offset("other"),
                         page.doc.sections["other"].heading,
                         f"“六、其他需要报告的事项”没有写到：{'、'.join(missing)}。2021 年格式实施以来，评议通常要求在此逐项报告这些事项，"
                         "漏报会被视为内容不完整。请逐项补写；确实没有的，写明“本年度无此项工作”或“不适用”。", "、".join(missing))]


_ITEM_LEAD = re.compile(r"（[一二三四五六七八九十]）[^，。；：！？\n]{2,40}?情况[。：:]?")


@check("structure.empty_item")
def empty_items(page: Page, ctx: ReviewContext) -> list[Finding]:
    """An item of 六 with its heading but nothing after it (“（二）落实上级年度政务公开工作要点情况。” and no text)."""
    body, offset = page.body("other")
    if offset < 0:
        return []
    leads = list(_ITEM_LEAD.finditer(body))
    out = []
    for n, m in enumerate(leads):
        end = leads[n + 1].start() if n + 1 < len(leads) else len(body)
        if re.sub(r"[\s。；;，,、:：]", "", body[m.end():end]):
            continue
        out.append(page.finding("structure.empty_item", "error", "other", offset + m.start(), m.group(0),
                                f"“{m.group(0).rstrip('。：:')}”下面没有内容。逐项报告的事项只写标题属于内容缺失。"
                                "请写明本年度的情况；确实没有的，写明“本年度无此项工作”或“不适用”。"))
    return out


_YEAR = re.compile(r"(?:^|(?<=[。；，、：\n])|(?<=截至)|(?<=截止)|(?<=[在于]))\s*((?:19|20)\d{2})\s*年度?"
                   r"(?=\s*(?:[，,]|底|末|全年|共|累计|内|我|本|全|[^\W\d_]{0,4}(?:局|单位|机关|市|县|区)))")


_YEAR_CORE = re.compile(r"(?:19|20)\d{2}")        # (what `led_by` looks for first)


@check("structure.year")
def stale_years(page: Page, ctx: ReviewContext) -> list[Finding]:
    """Earlier years written as the time of this year's work (“2022年，我局…” in a 2023 report)."""
    out = []
    for key, body, offset in page.prose():
        for m in led_by(_YEAR, _YEAR_CORE, body):
            if int(m.group(1)) >= ctx.year or _inside_brackets(body, m.start()):
                continue
            found = m.group(0).strip()
            out.append(page.finding("structure.year", "warning", key, offset + m.start(1), found,
                                    f"“{found}”不是本报告的年度（{ctx.year}年）。这往往是照搬往年报告时没有改过来的年份，"
                                    f"评议时按雷同或内容失实处理。请核实：写本年度情况的改为“{ctx.year}年”；"
                                    f"确属回顾往年的，写成“较{ctx.year - 1}年”“{ctx.year - 1}年以来”等明确的说法。", f"{ctx.year}年"))
    return out


def _inside_brackets(body: str, at: int) -> bool:
    """Whether `at` is inside 《…》 or （…） (a title, an aside)."""
    before = body[max(0, at - 200):at]
    return before.count("《") > before.count("》") or before.count("（") > before.count("）")


def char_count(text: str) -> int:
    """字数 as word processors count it: each Chinese character or mark, each run of Latin letters or digits."""
    return len(re.sub(r"[A-Za-z0-9.%]+", "0", "".join(text.split())))


@check("structure.length")
def overview_length(page: Page, ctx: ReviewContext) -> list[Finding]:
    """一 within the local limit (1000 字 by default)."""
    body, _ = page.body("overview")
    count, limit = char_count(body), ctx.settings.overview_max_chars
    if count <= limit:
        return []
    return [page.finding("structure.length", "warning", "overview", page.heading_offset("overview"),
                         page.doc.sections["overview"].heading,
                         f"“一、总体情况”共 {count} 字，超过 {limit} 字。不少地方要求总体情况简明扼要、不超过 {limit} 字，"
                         "篇幅过长会被认为重点不突出。请删去口号式和重复的表述，保留本年度的具体做法和数字。",
                         f"≤{limit}字", None)]
