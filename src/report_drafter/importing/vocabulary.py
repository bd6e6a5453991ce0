"""What the row and column labels of tables 二, 三 and 四 look like in real reports — as data.

Each official row (keyed by its stats.yaml path, labels from `layout`) lists the other wordings
seen in published reports (`variants`: full alternative labels, the 2019 wording, typical
rewordings) and `keywords`: short phrases that alone identify the row (what abbreviated labels
such as “1.逾期不补正” keep). The reader (`labels`) compares cell text with these after
normalising both (NFKC, no blanks or quotes, “1、” → “1.”); typos, OCR substitutions and cut
labels are handled there by fuzzy matching, not by listing them here.

Add a variant or keyword here when a real report words a row in a new way.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .. import layout

_O = ("requests", "outcomes")


@dataclass(frozen=True)
class RowWords:
    path: tuple[str, ...]
    label: str                      # official label as printed (numbering included)
    variants: tuple[str, ...] = ()  # other full labels seen in real reports
    keywords: tuple[str, ...] = ()  # short phrases that identify the row on their own


# ---------- table 三 ----------

TABLE3_VARIANTS: dict[tuple, tuple[str, ...]] = {
    ("requests", "new"): ("本年新收政府信息公开申请数量", "本年新收申请数量", "本年度新收政府信息公开申请数量"),
    ("requests", "carried_over"): ("上年结转政府信息公开申请数量", "上年度结转政府信息公开申请数量", "上年结转申请数量"),
    (*_O, "partly_disclosed"): ("部分公开",),
    (*_O, "withheld", "prohibited_by_law"): ("其他法律、行政法规禁止公开",),
    (*_O, "withheld", "security_stability"): ("危及三安全一稳定",),
    (*_O, "other", "no_correction"): ("申请人无正当理由逾期不补正", "逾期不补正"),
    (*_O, "other", "fee_unpaid"): ("申请人逾期未按收费通知要求缴纳费用", "逾期不缴费", "逾期未缴费"),
    (*_O, "total"): ("（七）合计", "总计", "合计"),
    ("requests", "carried_forward"): ("四、结转下年度继续办理数量", "结转下年度继续办理", "转下年度继续办理"),
}

TABLE3_KEYWORDS: dict[tuple, tuple[str, ...]] = {
    ("requests", "new"): ("本年新收", "本年度新收"),
    ("requests", "carried_over"): ("上年结转", "上年度结转"),
    (*_O, "disclosed"): ("予以公开",),
    (*_O, "partly_disclosed"): ("部分公开", "区分处理"),
    (*_O, "withheld", "state_secret"): ("国家秘密",),
    (*_O, "withheld", "prohibited_by_law"): ("法规禁止", "禁止公开"),
    (*_O, "withheld", "security_stability"): ("三安全", "一稳定"),
    (*_O, "withheld", "third_party_rights"): ("第三方",),
    (*_O, "withheld", "internal_affairs"): ("内部事务",),
    (*_O, "withheld", "process_information"): ("过程性",),
    (*_O, "withheld", "enforcement_files"): ("执法案卷",),
    (*_O, "withheld", "query_matters"): ("查询事项",),
    (*_O, "unavailable", "not_held"): ("不掌握",),
    (*_O, "unavailable", "needs_creation"): ("另行制作", "没有现成"),
    (*_O, "unavailable", "still_unclear"): ("补正后", "仍不明确"),
    (*_O, "not_processed", "petitions"): ("信访", "举报投诉"),
    (*_O, "not_processed", "repeated"): ("重复申请",),
    (*_O, "not_processed", "publications"): ("出版物",),
    (*_O, "not_processed", "excessive"): ("大量反复",),
    (*_O, "not_processed", "confirmations"): ("重新出具", "确认或重新"),
    (*_O, "other", "no_correction"): ("不补正",),
    (*_O, "other", "fee_unpaid"): ("缴纳费用", "收费通知", "缴费"),
    (*_O, "other"): ("其他处理",),
    ("requests", "carried_forward"): ("结转下年度", "转下一年度", "转入下年度", "结转下一年度"),
}

# group labels: rows without values of their own (the single-row （六） is a row, see table3_words)
TABLE3_GROUPS: tuple[str, ...] = ("三、本年度办理结果", *(group for _, group, _ in layout.OUTCOME_GROUPS))


@lru_cache(maxsize=None)        # (immutable: built once per layout)
def table3_words(single_other: bool) -> tuple[RowWords, ...]:
    """Vocabulary of table 三's rows in printed order (`single_other`: one （六）其他处理 row)."""
    return tuple(
        RowWords(spec.path, spec.label, TABLE3_VARIANTS.get(spec.path, ()), TABLE3_KEYWORDS.get(spec.path, ()))
        for spec in layout.table3_rows(single_other)
    )


# ---------- table 二 ----------

TABLE2_VARIANTS: dict[tuple, tuple[str, ...]] = {
    ("active", "normative_documents"): ("规范性文件", "行政规范性文件"),
    ("active", "procurement"): ("政府集中采购",),
}
TABLE2_KEYWORDS: dict[tuple, tuple[str, ...]] = {
    ("active", "normative_documents"): ("规范性文件",),
    ("active", "licensing"): ("行政许可",),
    ("active", "other_services"): ("其他对外管理服务", "对外管理服务事项"),
    ("active", "punishment"): ("行政处罚",),
    ("active", "coercion"): ("行政强制",),
    ("active", "fees"): ("事业性收费",),
    ("active", "procurement"): ("集中采购", "政府采购"),
}


@lru_cache(maxsize=None)
def table2_words(format: str) -> tuple[RowWords, ...]:
    """Vocabulary of table 二's rows in printed order for the 2021 or the 2019 layout."""
    if format == "2021":
        rows = [(("active", key), label) for key, label in layout.DOCUMENT_ROWS]
        rows += [(("active", key), label) for key, label, _ in layout.DECISION_ROWS]
    else:
        rows = [(("active", key), label) for key, label in layout.DOCUMENT_ROWS_2019]
        rows += [(("active", key), label) for key, label, _ in layout.ITEM_ROWS_2019]
    rows.append((("active", "fees"), layout.FEES_LABEL))
    if format == "2019":
        rows.append((("active", "procurement"), "政府集中采购"))
    return tuple(RowWords(path, label, TABLE2_VARIANTS.get(path, ()), TABLE2_KEYWORDS.get(path, ()))
                 for path, label in rows)


# column headers of table 二, per block (used to read the printed column order)
TABLE2_COLUMN_VARIANTS: dict[str, tuple[str, ...]] = {
    "本年制发件数": ("本年制发",),
    "本年废止件数": ("本年废止",),
    "现行有效件数": ("现行有效",),
    "本年新制作数量": ("本年新制作",),
    "本年新公开数量": ("本年新公开",),
    "对外公开总数量": ("对外公开总",),
}

# words that tell the two versions of table 二 apart (normalised)
MARKERS_2019 = ("本年新制作", "本年新公开", "对外公开总数量", "上一年项目数量", "本年增/减", "其他对外管理服务事项",
                "政府集中采购", "第二十条第(九)项", "采购项目数量", "采购总金额")
MARKERS_2021 = ("本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "本年收费金额", "行政规范性文件")


# ---------- table 四 ----------

APPEAL_GROUP_WORDS: dict[str, tuple[str, ...]] = {
    "review": ("行政复议",),
    "litigation_direct": ("未经复议直接起诉", "直接起诉"),
    "litigation_after_review": ("复议后起诉",),
}
APPEAL_COLUMN_WORDS: dict[str, tuple[str, ...]] = {
    "upheld": ("结果维持", "维持"),
    "corrected": ("结果纠正", "纠正"),
    "other": ("其他结果",),
    "pending": ("尚未审结", "未审结"),
    "total": ("总计", "合计"),
}

# units printed after a number in a table cell; money in 元 is converted to 万元
UNITS = ("万元", "元", "件", "个", "条", "项", "次")

# ---------- what is not a table cell ----------

# generic column headers a PDF→Markdown converter writes when it cannot read the real ones
# (“| 数据1 | 数据2 | … | 总计 |”): a line of these is dropped, its digits are not values
GENERIC_HEADER = r"(?:数据|数值|列|栏|字段|项|col(?:umn)?|data)\s*\d{1,2}|第\s*\d{1,2}\s*列|总计|合计|小计"
