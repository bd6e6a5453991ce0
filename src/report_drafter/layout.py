"""Chinese labels of the official tables, keyed by stats.yaml paths.

One registry serves messages, the stats.yaml writer, table rendering and import.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

# Header texts printed on the official form.
BALANCE_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
APPLICANTS = "申请人情况"
LEGAL_PERSONS = "法人或其他组织"
CONTENT = "信息内容"
DOCUMENTS_CLAUSE = "第二十条第（一）项"
FEES_CLAUSE = "第二十条第（八）项"
PROCUREMENT_CLAUSE = "第二十条第（九）项"

APPLICANT_COLUMNS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")


@dataclass(frozen=True)
class RowSpec:
    path: tuple[str, ...]
    label: str              # label as printed in the table, e.g. "1.属于国家秘密"
    group: str = ""         # enclosing row group, e.g. "（三）不予公开"

    @property
    def name(self) -> str:
        """Label with its group, as used in messages."""
        return f"{self.group} {self.label}" if self.group and self.label[:1].isdigit() else self.label


_O = ("requests", "outcomes")
WITHHELD = "（三）不予公开"
UNAVAILABLE = "（四）无法提供"
NOT_PROCESSED = "（五）不予处理"
OTHER = "（六）其他处理"

WITHHELD_ROWS = (
    ("state_secret", "1.属于国家秘密"),
    ("prohibited_by_law", "2.其他法律行政法规禁止公开"),
    ("security_stability", "3.危及“三安全一稳定”"),
    ("third_party_rights", "4.保护第三方合法权益"),
    ("internal_affairs", "5.属于三类内部事务信息"),
    ("process_information", "6.属于四类过程性信息"),
    ("enforcement_files", "7.属于行政执法案卷"),
    ("query_matters", "8.属于行政查询事项"),
)
UNAVAILABLE_ROWS = (
    ("not_held", "1.本机关不掌握相关政府信息"),
    ("needs_creation", "2.没有现成信息需要另行制作"),
    ("still_unclear", "3.补正后申请内容仍不明确"),
)
NOT_PROCESSED_ROWS = (
    ("petitions", "1.信访举报投诉类申请"),
    ("repeated", "2.重复申请"),
    ("publications", "3.要求提供公开出版物"),
    ("excessive", "4.无正当理由大量反复申请"),
    ("confirmations", "5.要求行政机关确认或重新出具已获取信息"),
)
OTHER_ROWS = (
    ("no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("fee_unpaid", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("other", "3.其他"),
)
# (key in outcomes, group label, sub-rows)
OUTCOME_GROUPS = (
    ("withheld", WITHHELD, WITHHELD_ROWS),
    ("unavailable", UNAVAILABLE, UNAVAILABLE_ROWS),
    ("not_processed", NOT_PROCESSED, NOT_PROCESSED_ROWS),
    ("other", OTHER, OTHER_ROWS),
)


@lru_cache(maxsize=None)        # asked for every cell of every check: built once
def table3_rows(single_other: bool = False) -> tuple[RowSpec, ...]:
    """Rows of table 三 in printed order; `single_other` for the 2019 one-row （六）其他处理."""
    rows = [
        RowSpec(("requests", "new"), "一、本年新收政府信息公开申请数量"),
        RowSpec(("requests", "carried_over"), "二、上年结转政府信息公开申请数量"),
        RowSpec((*_O, "disclosed"), "（一）予以公开", "三、本年度办理结果"),
        RowSpec((*_O, "partly_disclosed"), "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "三、本年度办理结果"),
    ]
    for key, group, subrows in OUTCOME_GROUPS:
        if key == "other" and single_other:
            rows.append(RowSpec((*_O, "other"), OTHER, "三、本年度办理结果"))
            continue
        rows += [RowSpec((*_O, key, sub), label, group) for sub, label in subrows]
    rows += [
        RowSpec((*_O, "total"), "（七）总计", "三、本年度办理结果"),
        RowSpec(("requests", "carried_forward"), "四、结转下年度继续办理"),
    ]
    return tuple(rows)


APPEAL_GROUPS = (
    ("review", "行政复议"),
    ("litigation_direct", "行政诉讼（未经复议直接起诉）"),
    ("litigation_after_review", "行政诉讼（复议后起诉）"),
)
APPEAL_COLUMNS = (
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
    ("total", "总计"),
)

# Table 二, 2021 format: (key, label, clause)
DOCUMENT_ROWS = (("rules", "规章"), ("normative_documents", "行政规范性文件"))
DOCUMENT_COLUMNS = (("issued", "本年制发件数"), ("repealed", "本年废止件数"), ("in_force", "现行有效件数"))
DECISION_ROWS = (
    ("licensing", "行政许可", "第二十条第（五）项"),
    ("punishment", "行政处罚", "第二十条第（六）项"),
    ("coercion", "行政强制", "第二十条第（六）项"),
)
FEES_LABEL = "行政事业性收费"
FEES_COLUMN = "本年收费金额（单位：万元）"
DECISIONS_COLUMN = "本年处理决定数量"

# Table 二, 2019 trial format
DOCUMENT_COLUMNS_2019 = (("made", "本年新制作数量"), ("published", "本年新公开数量"), ("total", "对外公开总数量"))
DOCUMENT_ROWS_2019 = (("rules", "规章"), ("normative_documents", "规范性文件"))
ITEM_ROWS_2019 = (
    ("licensing", "行政许可", "第二十条第（五）项"),
    ("other_services", "其他对外管理服务事项", "第二十条第（五）项"),
    ("punishment", "行政处罚", "第二十条第（六）项"),
    ("coercion", "行政强制", "第二十条第（六）项"),
)
ITEM_COLUMNS_2019 = (("previous", "上一年项目数量"), ("change", "本年增/减"), ("decisions", "处理决定数量"))
PROCUREMENT_COLUMNS_2019 = (("projects", "采购项目数量"), ("amount", "采购总金额"))

SECTION_LABELS = {
    "active": "二、主动公开政府信息情况",
    "requests": "三、收到和处理政府信息公开申请情况",
    "appeals": "四、政府信息公开行政复议、行政诉讼情况",
    "processing_fees": "六、信息处理费",
}
TABLE_NAMES = {"active": "表二", "requests": "表三", "appeals": "表四", "processing_fees": "信息处理费"}
TOP_LEVEL = {"format": "格式版本", "agency": "机关名称", "year": "年度"}


def _active_names(path: tuple) -> tuple[str, str]:
    if len(path) < 2:
        return "", ""
    key = path[1]
    labels = dict(DOCUMENT_ROWS_2019) | dict(DOCUMENT_ROWS) | {k: v for k, v, _ in DECISION_ROWS}
    labels |= {k: v for k, v, _ in ITEM_ROWS_2019} | {"fees": FEES_LABEL, "procurement": "政府集中采购"}
    columns = dict(DOCUMENT_COLUMNS) | dict(DOCUMENT_COLUMNS_2019) | dict(ITEM_COLUMNS_2019)
    columns |= dict(PROCUREMENT_COLUMNS_2019)
    row = labels.get(key, str(key))
    if len(path) > 2:
        return row, columns.get(path[2], str(path[2]))
    if key == "fees":
        return row, FEES_COLUMN
    return row, DECISIONS_COLUMN if key in ("licensing", "punishment", "coercion") else ""


def _requests_names(path: tuple) -> tuple[str, str]:
    keys = tuple(p for p in path if isinstance(p, str))
    column = APPLICANT_COLUMNS[path[-1]] if path and isinstance(path[-1], int) and path[-1] < 7 else ""
    for spec in table3_rows() + table3_rows(single_other=True):
        if spec.path == keys:
            return spec.name, column
    groups = {k: g for k, g, _ in OUTCOME_GROUPS}
    if len(keys) >= 3 and keys[2] in groups:
        return groups[keys[2]], column
    return ("三、本年度办理结果" if "outcomes" in keys else ""), column


def _appeals_names(path: tuple) -> tuple[str, str]:
    row = dict(APPEAL_GROUPS).get(path[1], str(path[1])) if len(path) > 1 else ""
    column = dict(APPEAL_COLUMNS).get(path[2], str(path[2])) if len(path) > 2 else ""
    return row, column


def describe(path: tuple) -> tuple[str, str, str]:
    """(table, row, column) in Chinese for a stats.yaml key path; empty strings where not applicable."""
    return _describe(tuple(path))


@lru_cache(maxsize=4096)        # the same few hundred cells, described for every fact and finding
def _describe(path: tuple) -> tuple[str, str, str]:
    if not path:
        return "", "", ""
    top = path[0]
    if top in TOP_LEVEL:
        return "", TOP_LEVEL[top], ""
    if top == "active":
        return (TABLE_NAMES[top], *_active_names(path))
    if top == "requests":
        return (TABLE_NAMES[top], *_requests_names(path))
    if top == "appeals":
        return (TABLE_NAMES[top], *_appeals_names(path))
    if top == "processing_fees":
        column = {"cases": "收费件数", "amount_yuan": "收费金额（元）"}.get(path[1], "") if len(path) > 1 else ""
        return TABLE_NAMES[top], "", column
    return "", str(top), ""


def location(path: tuple) -> str:
    """"表三 （七）总计 · 自然人" style location text."""
    return _location(tuple(path))


@lru_cache(maxsize=4096)
def _location(path: tuple) -> str:
    table, row, column = _describe(path)
    text = " ".join(p for p in (table, row) if p)
    return f"{text} · {column}" if column else text
