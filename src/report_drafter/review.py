"""Review beyond numbers: what evaluators mark down besides a wrong figure.

Four categories of checks over a report's Markdown text: structure (sections, the five topics
of 一, 六's items, title, year, length), copying (similarity with last year's report, another
agency's name), substance (vague problems, problems without an answer) and style (punctuation,
Markdown, English, enumeration, spacing, first person, promotion). Each check is a pure function
of a `Page` and a `ReviewContext` returning Findings whose message says, in Chinese, what is
wrong, why it matters and how to fix it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable

from . import document
from .checking import Finding
from .errors import InputError

CATEGORIES = {"numbers": "数字核对", "structure": "结构完整", "copying": "雷同", "substance": "内容实质",
              "style": "文风格式"}
CHECKS: dict[str, Callable] = {}

PROMOTIONAL = ("取得了显著成效", "取得显著成效", "成效显著", "圆满完成", "成绩斐然", "硕果累累", "亮点纷呈",
               "再创新高", "走在前列", "满意答卷", "迈上新台阶", "开创新局面", "谱写", "新篇章", "蹄疾步稳",
               "出新出彩", "金字招牌", "一致好评", "广泛好评", "高度评价", "有口皆碑", "交口称赞")
ALLOWED_ENGLISH = ("APP", "PC", "PDF", "OFD", "WPS", "OA", "H5", "ID", "IP", "IPv6", "AI", "VR", "QQ", "CA")
NGRAM = 8                  # characters in a row that count as copied
MIN_SECTION_CHARS = 80     # shorter sections are mostly format wording: judged only within the whole report
CN_DIGITS = "一二三四五六七八九十"


def check(name: str):
    """Register a check under its id “category.kind”."""
    def register(func):
        CHECKS[name] = func
        return func
    return register


# ---------- settings and context ----------

@dataclass(frozen=True)
class ReviewSettings:
    """The `[check]` table of drafter.toml."""

    overview_max_chars: int = 1000
    similarity_threshold: float = 0.5
    disabled: frozenset = frozenset()
    promotional_phrases: tuple = PROMOTIONAL
    allowed_english: tuple = ALLOWED_ENGLISH

    def enabled(self, name: str) -> bool:
        return name not in self.disabled and name.split(".")[0] not in self.disabled


def settings_from(config: dict) -> ReviewSettings:
    """Settings from a drafter.toml dict; a misspelt key or check name is an InputError naming it."""
    table = config.get("check", {})
    if not isinstance(table, dict):
        raise InputError("drafter.toml：check 应为一个表，写作 [check]。")
    keys = ReviewSettings.__dataclass_fields__
    for key in table:
        if key not in keys:
            raise InputError(f"drafter.toml [check]：未知的设置项“{key}”。可用的设置项：{'、'.join(keys)}。")
    max_chars = table.get("overview_max_chars", config.get("overview_max_chars", 1000))
    threshold = table.get("similarity_threshold", 0.5)
    if not isinstance(max_chars, int) or isinstance(max_chars, bool) or max_chars <= 0:
        raise InputError(f"drafter.toml [check]：overview_max_chars 应为正整数（字数），收到“{max_chars}”。")
    if not isinstance(threshold, (int, float)) or isinstance(threshold, bool) or not 0 < threshold <= 1:
        raise InputError(f"drafter.toml [check]：similarity_threshold 应为 0 到 1 之间的小数（如 0.5 表示 50%），收到“{threshold}”。")
    lists = {k: _string_list(table, k) for k in ("disabled", "promotional_phrases", "allowed_english") if k in table}
    names = set(CHECKS) | set(CATEGORIES)
    for name in lists.get("disabled", ()):
        if name not in names:
            raise InputError(f"drafter.toml [check]：disabled 中的“{name}”不是核对项。可用：{'、'.join(sorted(names))}。")
    return ReviewSettings(max_chars, float(threshold), frozenset(lists.pop("disabled", ())), **lists)


def _string_list(table: dict, key: str) -> tuple:
    value = table[key]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(f"drafter.toml [check]：{key} 应为字符串列表，如 {key} = [\"…\", \"…\"]。")
    return tuple(value)


@dataclass
class ReviewContext:
    """What a report is reviewed against: whose and which year it is, and last year's report."""

    agency: str
    year: int
    names: tuple = ()                       # other names of the agency (short name, name as in the title)
    prior: document.ReportDocument | None = None
    prior_label: str = "上年度报告"
    settings: ReviewSettings = field(default_factory=ReviewSettings)
    spacing_reliable: bool = True           # False for text extracted from a page layout (PDF)

    @cached_property
    def prior_grams(self) -> set:
        if self.prior is None:
            return set()
        return _grams(BREAK.join(_letters(self.prior.body(k)) for k in document.PROSE_SECTIONS))

    @cached_property
    def own_departments(self) -> set:
        return {d for name in (self.agency, *self.names) for d in _departments(name)}


# ---------- the page being reviewed ----------

class Page:
    """A report's text with its parsed sections and line positions."""

    def __init__(self, text: str):
        self.text = text
        self.doc = document.parse_document(text)
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line(self, offset: int) -> int:
        return bisect_right(self.starts, offset)

    def body(self, key: str) -> tuple[str, int]:
        """A section's body and the offset where it starts ("" and -1 when the section is missing)."""
        section = self.doc.sections.get(key)
        if section is None:
            return "", -1
        return section.body, self.starts[min(section.body_line - 1, len(self.starts) - 1)]

    def heading_offset(self, key: str) -> int:
        section = self.doc.sections.get(key)
        return self.starts[section.line - 1] if section else 0

    def prose(self, preamble: bool = True) -> list[tuple[str, str, int]]:
        """(section key, body, offset) of the preamble and the prose sections 一、五、六."""
        parts = [(key, *self.body(key)) for key in document.PROSE_SECTIONS if key in self.doc.sections]
        if preamble and self.doc.preamble:
            parts.insert(0, ("preamble", self.doc.preamble, self.text.find(self.doc.preamble)))
        return parts

    def finding(self, name: str, severity: str, section: str, offset: int, found: str, message: str,
                expected: str | None = None, source: str | None = None) -> Finding:
        """A Finding at char `offset`; its text is the sentence there, with `found` marked."""
        start, end = _sentence_bounds(self.text, offset)
        raw = self.text[start:end]
        text = raw.strip()
        at = offset - start - (len(raw) - len(raw.lstrip()))
        span = (at, at + len(found)) if found and text[at:at + len(found)] == found else (0, 0)
        category, kind = name.split(".")
        return Finding(severity, kind, section, self.line(offset), text, found, expected, source, message,
                       span, offset, category)


_SENTENCE_END = re.compile(r"[。！？!?\n]")


def _sentence_bounds(text: str, offset: int) -> tuple[int, int]:
    before = [m.end() for m in _SENTENCE_END.finditer(text, max(0, offset - 300), offset)]
    start = before[-1] if before else max(0, offset - 300)
    after = _SENTENCE_END.search(text, offset)
    return start, after.end() if after else len(text)


def review_document(text: str, ctx: ReviewContext) -> list[Finding]:
    """Every enabled review check on a report's Markdown text."""
    page = Page(text)
    findings = []
    for name, run in CHECKS.items():
        if ctx.settings.enabled(name):
            findings += run(page, ctx)
    return findings


# ---------- structure ----------

_HEADING_LINE = re.compile(r"^[ \t]*(?:#{1,3}[ \t]*)?[一二三四五六七八九十]+[ \t]*[、.．][ \t]*(.{2,40}?)[ \t]*$", re.M)


@check("structure.sections")
def missing_sections(page: Page, ctx: ReviewContext) -> list[Finding]:
    """The six sections in order; a prose section missing, or a heading out of place."""
    out = []
    for index, (key, heading, pattern) in enumerate(document.SECTIONS):
        if key in page.doc.sections:
            continue
        stray = next((m for m in _HEADING_LINE.finditer(page.text) if re.search(pattern, m.group(1))), None)
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


_PLACEHOLDER = re.compile(r"【[^】\n]*(?:待补充|待填|请填写|请补充)[^】\n]*】")


@check("structure.placeholder")
def placeholders(page: Page, ctx: ReviewContext) -> list[Finding]:
    """Placeholders the offline draft leaves where the notes say nothing."""
    return [page.finding("structure.placeholder", "error", _section_at(page, m.start()), m.start(), m.group(0),
                         "这里还是待补充的占位文字，发布后属于内容缺失。请按提示在 notes.md 中补充记录后重新起草，或直接改写这一处。")
            for m in _PLACEHOLDER.finditer(page.text)]


def _section_at(page: Page, offset: int) -> str:
    key = "title"
    for name, section in page.doc.sections.items():
        if page.starts[section.line - 1] <= offset:
            key = name
    return key


# key, name, pattern of a sub-heading, pattern anywhere in the text
OVERVIEW_TOPICS = (
    ("active", "主动公开", r"主动公开", r"主动公开"),
    ("requests", "依申请公开", r"依申请|申请公开", r"依申请|公开申请"),
    ("management", "政府信息管理", r"信息管理", r"信息管理|保密审查|公开属性|发布审核"),
    ("platforms", "政府信息公开平台建设", r"平台", r"平台|网站|新媒体|专栏"),
    ("oversight", "监督保障", r"监督|保障|考核", r"监督|考核|评议|责任追究"),
)
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
OTHER_ITEMS = (("落实上级年度政务公开工作要点情况", r"要点"),
               ("人大代表建议和政协提案办理结果公开情况", r"人大代表建议|政协提案|建议提案|建议和提案"),
               ("年度政务公开工作创新情况", r"创新"))


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
    missing = [name for name, pattern in OTHER_ITEMS if not re.search(pattern, body)]
    if not missing:
        return []
    return [page.finding("structure.items", "warning", "other", page.heading_offset("other"),
                         page.doc.sections["other"].heading,
                         f"“六、其他需要报告的事项”没有写到：{'、'.join(missing)}。2021 年格式实施以来，评议通常要求在此逐项报告这些事项，"
                         "漏报会被视为内容不完整。请逐项补写；确实没有的，写明“本年度无此项工作”或“不适用”。", "、".join(missing))]


_YEAR = re.compile(r"(?:^|(?<=[。；，、：\n])|(?<=截至)|(?<=截止)|(?<=[在于]))\s*((?:19|20)\d{2})\s*年度?"
                   r"(?=\s*(?:[，,]|底|末|全年|共|累计|内|我|本|全|[^\W\d_]{0,4}(?:局|单位|机关|市|县|区)))")


@check("structure.year")
def stale_years(page: Page, ctx: ReviewContext) -> list[Finding]:
    """Earlier years written as the time of this year's work (“2022年，我局…” in a 2023 report)."""
    out = []
    for key, body, offset in page.prose():
        for m in _YEAR.finditer(body):
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
    return len(re.sub(r"[A-Za-z0-9.%]+", "0", re.sub(r"\s+", "", text)))


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


# ---------- copying ----------

_LEAD_PHRASE = re.compile(r"^[ \t]*(?:（[一二三四五六七八九十]+）|[一二三四五六七八九十]+、|\d+[.．、])[^。\n]{0,24}(?:。|$)", re.M)
_NOT_LETTER = re.compile(r"[^\w\n]|_")
_LETTER = re.compile(r"[^\W_]|\n")
BREAK = "\n"


def _letters(text: str) -> str:
    """The text as compared for copying: letters and digits only, sub-headings left out, paragraphs kept apart."""
    blanked = _LEAD_PHRASE.sub(BREAK, text)
    return _NOT_LETTER.sub("", blanked).lower()


def _letter_spans(text: str) -> list[tuple[int, int]]:
    """Offsets in `text` of each char of `_letters(text)`."""
    blanked = _LEAD_PHRASE.sub(lambda m: BREAK + " " * (len(m.group(0)) - 1), text)
    return [m.span() for m in _LETTER.finditer(blanked)]


def _grams(chars: str) -> set:
    return {chars[i:i + NGRAM] for i in range(len(chars) - NGRAM + 1)}


def copied_runs(chars: str, prior: set) -> list[tuple[int, int]]:
    """(start, end) ranges of `chars` that also occur, NGRAM or more in a row, in the prior text."""
    covered = bytearray(len(chars))
    for i in range(len(chars) - NGRAM + 1):
        if chars[i:i + NGRAM] in prior:
            covered[i:i + NGRAM] = b"\x01" * NGRAM
    for m in re.finditer(BREAK, chars):
        covered[m.start()] = 0
    return [m.span() for m in re.finditer(b"\x01+", bytes(covered))]


@dataclass
class Similarity:
    """How much of a text repeats last year's report, and its longest repeated passages."""

    chars: int
    copied: int
    passages: list[tuple[int, int]]   # (start, end) offsets in the text, longest first

    @property
    def ratio(self) -> float:
        return self.copied / self.chars if self.chars else 0.0


def similarity(text: str, prior: set) -> Similarity:
    chars = _letters(text)
    runs = sorted(copied_runs(chars, prior), key=lambda r: r[0] - r[1])
    spans = _letter_spans(text) if runs else []
    return Similarity(len(chars) - chars.count(BREAK), sum(e - s for s, e in runs),
                      [(spans[s][0], spans[e - 1][1]) for s, e in runs])


def _quote(text: str, limit: int = 40) -> str:
    text = re.sub(r"\s+", "", text)
    return f"“{text if len(text) <= limit else text[:limit] + '…'}”（{len(text)} 字）"


@check("copying.similarity")
def copied_from_last_year(page: Page, ctx: ReviewContext) -> list[Finding]:
    """Share of each prose section, and of all the prose, that repeats last year's report."""
    if not ctx.prior_grams:
        return []
    limit = ctx.settings.similarity_threshold
    out, total, copied, ratios = [], 0, 0, []
    for key, body, offset in page.prose(preamble=False):
        found = similarity(body, ctx.prior_grams)
        total, copied = total + found.chars, copied + found.copied
        ratios.append(f"{document.HEADINGS[key]} {found.ratio:.0%}")
        if found.chars >= MIN_SECTION_CHARS and found.ratio > limit:
            start = found.passages[0][0]
            quotes = "；".join(_quote(body[s:e]) for s, e in found.passages[:3])
            out.append(page.finding("copying.similarity", "warning", key, offset + start, f"{found.ratio:.0%}",
                                    f"本部分有 {found.ratio:.0%} 的文字与{ctx.prior_label}相同（连续 {NGRAM} 个字相同即计入，不计标点和小标题），"
                                    f"超过 {limit:.0%}。最长的相同段落：{quotes}。评议时与上年度报告雷同会扣分，有的地方相似度超过 50% 即扣分。"
                                    "请按本年度的实际工作重写这些段落，写明本年度新的做法、数据和变化。",
                                    f"≤{limit:.0%}", ctx.prior_label))
    if total and copied / total > limit:
        out.append(page.finding("copying.similarity", "warning", "document", page.heading_offset("overview"),
                                f"{copied / total:.0%}",
                                f"正文（一、五、六部分，不含表格）有 {copied / total:.0%} 的文字与{ctx.prior_label}相同，超过 {limit:.0%}"
                                f"（{'，'.join(ratios)}）。评议时按全文相似度判断是否雷同。请重写相同比例高的部分。",
                                f"≤{limit:.0%}", ctx.prior_label))
    return out


DEPARTMENTS = {
    "发展改革": r"发展(?:和)?改革|发改", "教育": r"教育(?:体育)?", "科技": r"科学技术|科技", "民政": r"(?<!人)民政",
    "工信": r"工业(?:和)?信息化|工信|经济(?:和)?信息化|经信", "公安": r"公安", "司法": r"司法", "财政": r"财政",
    "人社": r"人力资源(?:和)?社会保障|人社", "自然资源": r"自然资源(?:和规划)?|规划(?:和)?自然资源|国土资源",
    "生态环境": r"生态环境|环境保护|环保", "住建": r"住房(?:和)?城乡建设|住建", "交通": r"交通运输|交通",
    "水利": r"水利|水务", "农业": r"农业农村|农业", "商务": r"商务", "文旅": r"文化(?:广电)?(?:和)?旅游|文旅|文化广电",
    "卫健": r"卫生健康|卫健", "退役军人": r"退役军人(?:事务)?", "应急": r"应急管理|应急", "审计": r"审计",
    "市场监管": r"市场监督管理|市场监管", "统计": r"统计", "医保": r"医疗保障|医保", "林业": r"林业(?:和草原)?",
    "体育": r"体育", "信访": r"信访", "城管": r"城市管理(?:综合行政执法)?|城管", "数据": r"政务服务和大数据管理|大数据",
    "人防": r"人民防空|人防", "国资": r"国有资产监督管理|国资", "税务": r"税务", "气象": r"气象",
    "粮食": r"粮食(?:和物资储备)?", "乡村振兴": r"乡村振兴", "行政审批": r"行政审批(?:服务)?", "民宗": r"民族(?:和)?宗教(?:事务)?",
}
_DEPARTMENT = re.compile("|".join(f"(?P<d{i}>{p})" for i, p in enumerate(DEPARTMENTS.values())))
_DEPARTMENT_KEYS = list(DEPARTMENTS)
_PLACE_CHAR = r"(?![在对由向与和及同经配会的是])[\u4e00-\u9fff]"
_SUFFIX = re.compile(r"局|厅|委员会")
_NAMED = re.compile(rf"(?:{_PLACE_CHAR}{{2,3}}(?:省|市|县|区|州|旗)|[省市县区])?(?:{_DEPARTMENT.pattern})$")
_BRANCH = re.compile(rf"{_PLACE_CHAR}{{2,3}}(?:市|县|区)?分局")
_SELF_AFTER = re.compile(r"(?:高度重视|认真|坚持|严格|扎实|积极|进一步|切实|始终|不断|全面|持续|紧密|紧紧|结合|围绕|按照|"
                         r"(?:\d{4}年度?)?(?:政务公开|政府信息公开|依申请公开))")


def agency_names(text: str):
    """(start, end) of department names such as “县财政局”“铁岭市生态环境局开原市分局” in a text."""
    for suffix in _SUFFIX.finditer(text):
        head = _NAMED.search(text, max(0, suffix.start() - 16), suffix.start())
        if head:
            branch = _BRANCH.match(text, suffix.end())
            yield head.start(), branch.end() if branch else suffix.end()


def _departments(name: str) -> set[str]:
    """The departments (“财政”“生态环境”…) an agency name contains."""
    return {_DEPARTMENT_KEYS[int(m.lastgroup[1:])] for m in _DEPARTMENT.finditer(name)}


@check("copying.agency")
def other_agency(page: Page, ctx: ReviewContext) -> list[Finding]:
    """Another department named where the report speaks of itself (text taken from another agency's report)."""
    if not ctx.own_departments:
        return []  # a government's report names its departments as a matter of course
    named: dict[str, list[tuple[str, int]]] = {}
    for key, body, offset in page.prose():
        for start, end in agency_names(body):
            name = body[start:end]
            if not _departments(name) & ctx.own_departments and _speaks_of_itself(body, start, end):
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


# ---------- substance ----------

_IMPROVEMENTS = re.compile(r"(?:^|\n)[ \t]*(?:[（(]二[）)]|二、)[^\n。]{0,16}(?:改进|措施|整改|打算|下一步)"
                           r"|(?:^|\n)[ \t]*(?:改进情况|改进措施|整改措施|下一步)|针对(?:上述|存在|以上|这些)")
_PROBLEMS_HEADING = re.compile(r"^\s*(?:[（(]一[）)]|一、)[^\n。]{0,16}(?:问题|不足)[^\n。]{0,8}?(?:[：:]|\n|$)")


def split_problems(body: str) -> tuple[tuple[str, int], tuple[str, int]]:
    """五 as (problems, offset) and (improvements, offset); the improvements are "" when not found."""
    split = _IMPROVEMENTS.search(body)
    end = split.start() if split else len(body)
    heading = _PROBLEMS_HEADING.match(body)
    start = heading.end() if heading and heading.end() <= end else 0
    return (body[start:end], start), ((body[end:], end) if split else ("", len(body)))


def problem_items(body: str) -> list[str]:
    """The problems a 五 lists (一是…；二是… or one per line), without its sub-headings."""
    (problems, _), _ = split_problems(body)
    return document.enumerated_items(problems)


_SPECIFIC = re.compile(
    r"“[^”]{2,}”|《(?!(?:中华人民共和国)?政府信息公开条例》|条例》)[^》]+》|\d|网站|网页|栏目|专栏|专题|新媒体|公众号|微信|微博|"
    r"客户端|APP|小程序|公告栏|公开栏|服务网|热线|平台|目录|指南|解读|发布会|依申请|申请|答复|复议|诉讼|保密|审查|审核|"
    r"属性|年度报告|年报|信息处理费|培训|人员|配备|兼职|岗位|考核|评议|档案|数据|预决算|预算|决算|规范性文件|政策文件|"
    r"办事指南|链接|检索|搜索|无障碍|适老化|意见征集|征求意见|留言|咨询|公示|乡镇|街道|村务|科室|建议|提案|重大行政决策|"
    r"政务服务|统计|财政|会议|台账|清单|考评|基层")


@check("substance.vague")
def vague_problems(page: Page, ctx: ReviewContext) -> list[Finding]:
    """Problems that name no concrete area, channel, column or measure (泛泛而谈)."""
    body, offset = page.body("problems")
    out = []
    for item in problem_items(body):
        if _SPECIFIC.search(item):
            continue
        at = offset + max(body.find(item), 0)
        out.append(page.finding("substance.vague", "warning", "problems", at, item,
                                f"问题“{_short(item)}”没有指明具体的栏目、渠道、环节或事项，属于泛泛而谈。评议时把空泛的问题视为敷衍，"
                                "扣分。请写明问题出在哪里、表现是什么，如“门户网站‘政策文件’栏目部分信息更新滞后”"
                                "“新入职人员对公开属性认定把握不准”。"))
    return out


_FUNCTION_CHARS = set("的了和与及对在是为等不还也将把被以之其有中上下各并从向就都而或所于此该个些要一二三四五六七八九十")
_GENERIC = ("政府", "信息", "公开", "工作", "政务", "进一步", "加强", "提高", "提升", "完善", "有待", "还需", "需要", "存在",
            "问题", "个别", "单位", "部门", "情况", "方面", "能力", "水平", "意识", "力度", "落实", "推进", "开展", "做好",
            "持续", "不断", "积极", "认真", "严格", "全面", "深入", "规范", "要求", "相关", "内容", "机制", "制度", "建设",
            "管理", "主动", "仍需", "继续", "确保", "实际", "重点", "更加", "有效", "增强", "强化", "健全", "针对", "措施",
            "改进", "采取", "通过", "进行", "目前", "已经", "现已", "本年", "年度", "我局", "我市", "机关", "上述", "不足")
_GENERIC_WORDS = re.compile("|".join(sorted(_GENERIC, key=len, reverse=True)))
SYNONYMS = (("学习", "培训"), ("时效", "及时", "滞后", "更新"), ("审核", "审查", "把关"), ("队伍", "人员", "人手", "力量"),
            ("栏目", "专栏"), ("渠道", "平台", "载体"))
_SYNONYM = {word: group[0] for group in SYNONYMS for word in group[1:]}
_SYNONYM_WORDS = re.compile("|".join(_SYNONYM))


def content_pairs(text: str) -> set:
    """Two-character words of a text that say what it is about (no stock words, synonyms merged)."""
    text = _GENERIC_WORDS.sub("|", _SYNONYM_WORDS.sub(lambda m: _SYNONYM[m.group(0)], text))
    return {text[i:i + 2] for i in range(len(text) - 1) if _is_content(text[i]) and _is_content(text[i + 1])}


def _is_content(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" and ch not in _FUNCTION_CHARS


def _answered(problem: str, answer: set) -> bool:
    return bool(content_pairs(problem) & answer)


def _short(text: str, limit: int = 30) -> str:
    text = re.sub(r"\s+", "", text)
    return text if len(text) <= limit else text[:limit] + "…"


@check("substance.incomplete")
def incomplete_problems(page: Page, ctx: ReviewContext) -> list[Finding]:
    """五 states both problems and what was done about them."""
    body, offset = page.body("problems")
    if offset < 0:
        return []
    _, (improvements, _) = split_problems(body)
    missing = [part for part, empty in (("存在的问题", not problem_items(body)), ("改进情况", not improvements.strip())) if empty]
    if not missing:
        return []
    return [page.finding("substance.incomplete", "warning", "problems", page.heading_offset("problems"),
                         page.doc.sections["problems"].heading,
                         f"“五、存在的主要问题及改进情况”没有写{'和'.join(missing)}。格式要求既写本年度的具体问题，也写改进情况，"
                         "只写一半属于内容不完整。请分“（一）存在的主要问题”“（二）改进情况”两部分逐条写明。")]


@check("substance.unmatched")
def problems_without_measures(page: Page, ctx: ReviewContext) -> list[Finding]:
    """Each problem of this year has an improvement measure that speaks to it."""
    body, offset = page.body("problems")
    _, (improvements, _) = split_problems(body)
    if not improvements.strip():
        return []
    answer = content_pairs(improvements)
    return [page.finding("substance.unmatched", "warning", "problems", offset + max(body.find(item), 0), item,
                         f"问题“{_short(item)}”在改进情况中找不到对应的措施。评议要求问题和改进措施逐条对应，"
                         "只提问题不写措施会被视为敷衍。请在改进情况中针对这一问题写明已采取或将采取的具体措施。")
            for item in problem_items(body) if not _answered(item, answer)]


@check("substance.unanswered")
def unanswered_prior_problems(page: Page, ctx: ReviewContext) -> list[Finding]:
    """Each of last year's problems is answered by this year's 改进情况."""
    if ctx.prior is None:
        return []
    body, offset = page.body("problems")
    if offset < 0:
        return []
    _, (improvements, at) = split_problems(body)
    answer = content_pairs(improvements)
    missing = [item for item in problem_items(ctx.prior.body("problems")) if not _answered(item, answer)]
    if not missing:
        return []
    listed = "；".join(f"{n}. {_short(item)}" for n, item in enumerate(missing, 1))
    return [page.finding("substance.unanswered", "warning", "problems", offset + at, "",
                         f"{ctx.prior_label}提出的以下问题，本年度的改进情况没有回应：{listed}。评议时要看上年度问题是否整改到位，"
                         "不回应会被认为问题没有解决。请在改进情况中逐条说明这些问题本年度的整改措施和效果。",
                         None, ctx.prior_label)]


# ---------- style ----------

_HALF_WIDTH = re.compile(r"(?<=[\u4e00-\u9fff“”、。）])[,;:!?()\"]|[,;:!?(\"](?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff])\.(?!\d)")
_MARKDOWN = re.compile(r"\*\*[^*\n]+\*\*|__[^_\n]+__|(?<![*\w])\*[^*\s][^*\n]*\*(?!\*)|`[^`\n]+`"
                       r"|^[ \t]*(?:[-*+][ \t]|#{1,6}[ \t]|>)|\[[^\]\n]+\]\([^)\n]+\)", re.M)
_LINK = re.compile(r"https?://\S+|www\.[\w./-]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|[\w-]+(?:\.[\w-]+)*\.(?:cn|com|gov|org|net)\b"
                   r"|[\w-]+\.(?:md|yaml|toml|txt|pdf|docx?|xlsx?|html?)\b")  # addresses and file names are not words
_ENGLISH = re.compile(r"[A-Za-z][A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*")
_FIRST_PERSON = re.compile(r"(?<![自敌])我(?![局市县区省州旗镇乡街们单委办院厅部国党校所队站中心司处会府馆室署社团园])")
_QUOTED = re.compile(r"“[^”\n]*”")
_ORDINAL = re.compile(rf"(?:^|(?<=[。；;：:，,\n（(]))\s*([{CN_DIGITS}]{{1,2}})是")
_OTHER_ORDINALS = re.compile(r"(?:^|(?<=[。；;：:\n]))\s*(?:第[一二三四五六七八九十]+[，,、]|首先[，,]|其次[，,]|其一[，,])")
_SUBHEADING = re.compile(rf"^[ \t]*（([{CN_DIGITS}]{{1,2}})）", re.M)
_UNITS = r"(?:余|多)?(?:件|条|个|次|场|期|项|份|家|篇|批|人次|人|名|户|天|万元|亿元|元|年|月|日|%)"
_SPACED = re.compile(rf"\d[ \t]+{_UNITS}")
_UNSPACED = re.compile(rf"\d{_UNITS}")


def _aggregate(page: Page, name: str, severity: str, key: str, offset: int, matches: list[re.Match],
               what: str, advice: str) -> list[Finding]:
    """One finding per section for a style slip that recurs: the first place, the count, some examples."""
    if not matches:
        return []
    examples = "、".join(dict.fromkeys(f"“{m.group(0).strip()}”" for m in matches[:20]))
    first = matches[0]
    count = f"共 {len(matches)} 处，" if len(matches) > 1 else ""
    return [page.finding(name, severity, key, offset + first.start(), first.group(0).strip(),
                         f"{what}：{examples}（{count}第一处见本句）。{advice}")]


@check("style.punctuation")
def half_width_punctuation(page: Page, ctx: ReviewContext) -> list[Finding]:
    """Full-width Chinese punctuation in the prose."""
    return [f for key, body, offset in page.prose() for f in _aggregate(
        page, "style.punctuation", "error", key, offset, list(_HALF_WIDTH.finditer(body)), "正文中有半角（英文）标点",
        "公文应使用全角中文标点，半角标点多来自复制粘贴，显得不规范。请改为全角的“，；：！？（）”等。")]


@check("style.markdown")
def markdown_marks(page: Page, ctx: ReviewContext) -> list[Finding]:
    """No Markdown emphasis, lists, headings or links inside the prose."""
    return [f for key, body, offset in page.prose() for f in _aggregate(
        page, "style.markdown", "error", key, offset, list(_MARKDOWN.finditer(body)), "正文中有 Markdown 标记",
        "发布的公文中这些符号会原样显示（如“**”）。请删去加粗、列表符号和标题符号，并列事项用“一是……；二是……”。")]


@check("style.english")
def english_words(page: Page, ctx: ReviewContext) -> list[Finding]:
    """No English words in the prose (common abbreviations such as APP allowed)."""
    allowed = {w.lower() for w in ctx.settings.allowed_english}
    out = []
    for key, body, offset in page.prose():
        text = _LINK.sub(lambda m: " " * len(m.group(0)), body)
        words = [m for m in _ENGLISH.finditer(text) if m.group(0).lower() not in allowed]
        out += _aggregate(page, "style.english", "warning", key, offset, words, "正文中有英文",
                          "公文正文一般不用英文，读者未必看得懂。请改用中文说法；确需保留的缩写可加入 drafter.toml [check] allowed_english。")
    return out


@check("style.first_person")
def first_person(page: Page, ctx: ReviewContext) -> list[Finding]:
    """No first person singular (我局、我单位、我市、我们 are fine)."""
    out = []
    for key, body, offset in page.prose():
        text = _QUOTED.sub(lambda m: " " * len(m.group(0)), body)
        out += _aggregate(page, "style.first_person", "error", key, offset, list(_FIRST_PERSON.finditer(text)),
                          "正文中单独用了“我”", "年度报告以机关名义发布，应使用第三人称或“我局”“我单位”“本机关”。请改为机关的自称。")
    return out


@check("style.promotional")
def promotional(page: Page, ctx: ReviewContext) -> list[Finding]:
    """No rhetoric or self-praise (a configurable list of phrases, exclamation and question marks)."""
    phrases = [re.escape(p) for p in ctx.settings.promotional_phrases if p]
    pattern = re.compile("|".join([*phrases, r"[！？!?]"]))
    return [f for key, body, offset in page.prose() for f in _aggregate(
        page, "style.promotional", "warning", key, offset, list(pattern.finditer(body)), "正文中有宣传或修辞性的表述",
        "年度报告应朴实、客观，用事实和数字说明工作，自我评价式的说法会被认为空泛。请删去或改为具体的做法和数据。")]


@check("style.enumeration")
def enumeration(page: Page, ctx: ReviewContext) -> list[Finding]:
    """Enumerations numbered without gaps (一是、二是…; （一）（二）…) and in one style per section."""
    out = []
    for key, body, offset in page.prose(preamble=False):
        out += _sequence_gaps(page, key, offset, list(_ORDINAL.finditer(body)), "“{}是”", single_is_odd=True)
        out += _sequence_gaps(page, key, offset, list(_SUBHEADING.finditer(body)), "“（{}）”", single_is_odd=False)
        mixed = _OTHER_ORDINALS.search(body)
        if mixed and _ORDINAL.search(body):
            out.append(page.finding("style.enumeration", "warning", key, offset + mixed.start(), mixed.group(0).strip(),
                                    f"同一部分中既用“一是……二是……”，又用“{mixed.group(0).strip()}”列举。格式不统一显得粗糙。"
                                    "请统一为“一是……；二是……；三是……”。"))
    return out


def _sequence_gaps(page: Page, key: str, offset: int, marks: list[re.Match], label: str,
                   single_is_odd: bool) -> list[Finding]:
    """Numbered marks that skip a number (a new run may start again at 一); optionally a lone 一."""
    out, previous = [], 0
    numbers = [_numeral_value(m.group(1)) for m in marks]
    for n, (m, number) in enumerate(zip(marks, numbers)):
        if number not in (1, previous + 1):
            out.append(page.finding("style.enumeration", "warning", key, offset + m.start(1), m.group(0).strip(),
                                    f"列举序号不连续：{label.format(m.group(1))}前面缺少{label.format(_numeral(number - 1))}。"
                                    "序号跳号像是删改后没有重排。请按顺序重新编号。"))
        if single_is_odd and number == 1 and (n + 1 == len(numbers) or numbers[n + 1] == 1):
            out.append(page.finding("style.enumeration", "warning", key, offset + m.start(1), m.group(0).strip(),
                                    "只有“一是”没有“二是”。只有一项时不必编号。请删去“一是”，或补全后面各项。"))
        previous = number
    return out


def _numeral_value(text: str) -> int:
    """一 … 十九 as a number."""
    if len(text) == 2:
        return 10 + CN_DIGITS.index(text[1]) + 1 if text[0] == "十" else (CN_DIGITS.index(text[0]) + 1) * 10
    return CN_DIGITS.index(text) + 1


def _numeral(n: int) -> str:
    return CN_DIGITS[n - 1] if n <= 10 else "十" + CN_DIGITS[n - 11]


@check("style.units")
def unit_spacing(page: Page, ctx: ReviewContext) -> list[Finding]:
    """Digits and their units spaced the same way throughout (“32条” or “32 条”, not both)."""
    if not ctx.spacing_reliable:
        return []
    prose = page.prose()
    spaced = [(key, offset, m) for key, body, offset in prose for m in _SPACED.finditer(body)]
    tight = [(key, offset, m) for key, body, offset in prose for m in _UNSPACED.finditer(body)]
    if not spaced or not tight:
        return []
    key, offset, m = min(spaced, tight, key=len)[0]
    return [page.finding("style.units", "warning", key, offset + m.start(), m.group(0),
                         f"数字与单位之间有 {len(spaced)} 处加了空格（如“{spaced[0][2].group(0)}”），{len(tight)} 处没有加"
                         f"（如“{tight[0][2].group(0)}”）。全文写法不一致显得不规范。请统一，一般不加空格，如“32条”。")]
