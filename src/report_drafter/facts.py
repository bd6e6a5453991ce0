"""The facts a report may state: table values, derived totals, zero facts, year-on-year changes
and the numbers in the work notes. Prose states only these; the checker links numbers to them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from . import layout
from .model import TOTAL_COLUMN, Stats, get_path

Number = int | Decimal


@dataclass(frozen=True)
class Fact:
    key: str
    value: Number
    unit: str
    label: str      # what the quantity is, in Chinese
    source: str     # where it comes from: 表/行/列, a derivation, or the notes

    @property
    def text(self) -> str:
        """The value as prose writes it."""
        return number_text(self.value)


def number_text(value: Number) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value != value.to_integral_value() else str(int(value))
    return str(value)


def total(*values: Number | None) -> Number | None:
    """The sum, or None when a value is blank (a derived fact needs every input)."""
    if any(v is None for v in values):
        return None
    return sum(values)


def difference(a: Number | None, b: Number | None) -> Number | None:
    return None if a is None or b is None else a - b


def percent(part: int | None, whole: int | None, places: int = 2) -> Decimal | None:
    """part ÷ whole as a percentage, rounded half-up as reports do."""
    if not whole or part is None:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


class FactSet(dict):
    """Facts by key; `numbers` gives the bare values by key for templates (`v.new`)."""

    def add(self, key: str, value: Number | None, unit: str, label: str, source: str) -> None:
        if value is not None:
            self[key] = Fact(key, value, unit, label, source)

    @property
    def numbers(self) -> dict[str, Number]:
        return {k: f.value for k, f in self.items()}


def _t3(path: tuple, col: int = TOTAL_COLUMN) -> str:
    return layout.location((*path, col))


def compute_facts(stats: Stats, prior: Stats | None = None) -> FactSet:
    """Every quantity the prose of one year's report may state."""
    facts = FactSet()
    _table3(facts, stats)
    _table4(facts, stats)
    _table2(facts, stats)
    fees = stats.processing_fees
    facts.add("fee_amount", fees.amount_yuan, "元", "收取信息处理费金额", "信息处理费 · 收费金额（元）")
    facts.add("fee_cases", fees.cases, "件", "收取信息处理费件数", "信息处理费 · 收费件数")
    if prior is not None:
        _year_on_year(facts, stats, prior)
    return facts


def _table3(facts: FactSet, stats: Stats) -> None:
    r, o = stats.requests, stats.requests.outcomes
    T = TOTAL_COLUMN
    facts.add("new", r.new[T], "件", "本年新收政府信息公开申请", _t3(("requests", "new")))
    facts.add("new_natural", r.new[0], "件", "自然人提出的申请", _t3(("requests", "new"), 0))
    facts.add("new_legal", total(*r.new[1:T]), "件", "法人或其他组织提出的申请",
              "表三 一、本年新收政府信息公开申请数量 · 法人或其他组织（五列之和）")
    facts.add("carried_over", r.carried_over[T], "件", "上年结转的申请", _t3(("requests", "carried_over")))
    facts.add("received_total", total(r.new[T], r.carried_over[T]), "件", "申请总量（本年新收与上年结转之和）",
              "表三 一、本年新收 + 二、上年结转 · 总计")
    facts.add("handled", o.total[T], "件", "本年度办理（办结、答复）的申请", _t3((*("requests", "outcomes"), "total")))
    facts.add("carried_forward", r.carried_forward[T], "件", "结转下年度继续办理的申请", _t3(("requests", "carried_forward")))
    facts.add("disclosed", o.disclosed[T], "件", "予以公开", _t3(("requests", "outcomes", "disclosed")))
    facts.add("partly_disclosed", o.partly_disclosed[T], "件", "部分公开", _t3(("requests", "outcomes", "partly_disclosed")))
    facts.add("disclosed_or_partly", total(o.disclosed[T], o.partly_disclosed[T]), "件", "予以公开和部分公开合计",
              "表三 （一）予以公开 + （二）部分公开 · 总计")
    groups = {"withheld": "不予公开", "unavailable": "无法提供", "not_processed": "不予处理", "other": "其他处理"}
    for key, group_label, rows in layout.OUTCOME_GROUPS:
        value = getattr(o, key)
        if isinstance(value, list):
            facts.add(f"{key}", value[T], "件", groups[key], _t3(("requests", "outcomes", key)))
            continue
        facts.add(key, total(*(getattr(value, sub)[T] for sub, _ in rows)), "件", groups[key],
                  f"表三 {group_label} 各项之和 · 总计")
        for sub, label in rows:
            facts.add(f"{key}_{sub}", getattr(value, sub)[T], "件", f"{groups[key]}：{label.split('.', 1)[1]}",
                      _t3(("requests", "outcomes", key, sub)))
    rate = percent(total(o.disclosed[T], o.partly_disclosed[T]), o.total[T])
    facts.add("disclosure_rate", rate, "%", "公开率（予以公开和部分公开占办结总数的比例）",
              "（表三 （一）+（二））÷ （七）总计")


def _table4(facts: FactSet, stats: Stats) -> None:
    a = stats.appeals
    for key, label in layout.APPEAL_GROUPS:
        group = getattr(a, key)
        for col, col_label in layout.APPEAL_COLUMNS:
            facts.add(f"{key}_{col}", getattr(group, col), "件", f"{label}{col_label}",
                      layout.location(("appeals", key, col)))
    for col, col_label in layout.APPEAL_COLUMNS:
        value = total(getattr(a.litigation_direct, col), getattr(a.litigation_after_review, col))
        facts.add(f"litigation_{col}", value, "件", f"行政诉讼{col_label}（两类合计）",
                  f"表四 行政诉讼 未经复议直接起诉 + 复议后起诉 · {col_label}")
    facts.add("appeals_total", total(a.review.total, a.litigation_direct.total, a.litigation_after_review.total), "件",
              "行政复议和行政诉讼合计", "表四 行政复议 + 行政诉讼 · 总计")


def _table2(facts: FactSet, stats: Stats) -> None:
    act = stats.active
    if stats.format == "2021":
        for key, label in layout.DOCUMENT_ROWS:
            for col, col_label in layout.DOCUMENT_COLUMNS:
                facts.add(f"{key}_{col}", get_path(act, (key, col)), "件", f"{label}{col_label.replace('件数', '')}",
                          layout.location(("active", key, col)))
        for key, label, _ in layout.DECISION_ROWS:
            facts.add(key, getattr(act, key), "件", f"{label}处理决定", layout.location(("active", key)))
        facts.add("fees", act.fees, "万元", "行政事业性收费金额", layout.location(("active", "fees")))
        return
    for key, label in layout.DOCUMENT_ROWS_2019:
        for col, col_label in layout.DOCUMENT_COLUMNS_2019:
            facts.add(f"{key}_{col}", get_path(act, (key, col)), "件", f"{label}{col_label}",
                      layout.location(("active", key, col)))
    for key, label, _ in layout.ITEM_ROWS_2019:
        facts.add(key, get_path(act, (key, "decisions")), "件", f"{label}处理决定",
                  layout.location(("active", key, "decisions")))


def _year_on_year(facts: FactSet, stats: Stats, prior: Stats) -> None:
    """Last year's main values, and the change and 同比 % of this year's."""
    T = TOTAL_COLUMN
    pairs = {
        "new": (stats.requests.new[T], prior.requests.new[T], "新收政府信息公开申请"),
        "handled": (stats.requests.outcomes.total[T], prior.requests.outcomes.total[T], "办结申请"),
        "review_total": (stats.appeals.review.total, prior.appeals.review.total, "行政复议"),
    }
    for key, (now, then, label) in pairs.items():
        if key not in facts:
            continue
        facts.add(f"prior_{key}", then, "件", f"{prior.year} 年{label}", f"{prior.year} 年报告 {facts[key].source}")
        facts.add(f"change_{key}", difference(now, then), "件", f"{label}比上年增减", f"{stats.year} 年与 {prior.year} 年之差")
        facts.add(f"change_pct_{key}", percent(difference(now, then), then), "%", f"{label}同比增减比例",
                  f"（{stats.year} 年 − {prior.year} 年）÷ {prior.year} 年")
