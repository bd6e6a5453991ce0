"""Substance: problems that are vague, incomplete, without measures, or last year's left unanswered."""

from __future__ import annotations

import re

from ... import document
from ...findings import Finding
from .context import Page, ReviewContext, check


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
