"""The facts a report may state: table values, derived totals, shares, zero facts, year-on-year
changes. Prose states only these (and the notes' own numbers); the checker links numbers to them.

A blank table cell is None in the model: a fact computed from a blank cell is absent, never 0 — unless the
table's own sums determine it (`cells.derive`: a blank 总计 of printed parts, a blank part of a row already summed).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from . import cells, layout
from .model import TOTAL_COLUMN, Stats, get_path

Number = int | Decimal

# Applicant columns of table 三 as prose names them: key suffix, column index, label.
APPLICANTS = (
    ("natural", 0, "自然人"),
    ("commercial", 1, "商业企业"),
    ("research", 2, "科研机构"),
    ("public_interest", 3, "社会公益组织"),
    ("legal_services", 4, "法律服务机构"),
    ("other_org", 5, "其他组织"),
)
LEGAL_COLUMNS = range(1, TOTAL_COLUMN)      # 法人或其他组织: the five columns after 自然人

# Quantities real reports compare with last year (同比, 较上年增加 N 件, 增长 N%).
COMPARED = ("new", "received_total", "handled", "disclosed", "disclosed_or_partly", "carried_forward",
            "new_natural", "new_legal", "review_total", "litigation_total", "appeals_total",
            "rules_issued", "normative_documents_issued", "normative_documents_in_force",
            "licensing", "punishment", "coercion", "fees", "fee_amount")
# Rates compared in percentage points (公开率提高 N 个百分点).
COMPARED_RATES = ("disclosure_rate",)
POINTS = "个百分点"


@dataclass(frozen=True)
class Fact:
    key: str
    value: Number
    unit: str
    label: str      # what the quantity is, in Chinese
    source: str     # where it comes from: 表/行/列, a derivation, or the notes
    ratio: tuple[int, int] | None = None    # a percentage's (part, whole), to round as the text does
    derived: bool = False                   # a share or comparison, not a table total

    @property
    def text(self) -> str:
        """The value as prose writes it."""
        return number_text(self.value)


def number_text(value: Number) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value != value.to_integral_value() else str(int(value))
    return str(value)


def percent(part: Number | None, whole: Number | None, places: int = 2) -> Decimal | None:
    """part ÷ whole as a percentage, rounded half-up (away from zero) as reports do."""
    if part is None or not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


def total(*values: Number | None) -> Number | None:
    """The sum of values, or None when any of them is blank."""
    if any(v is None for v in values):
        return None
    return sum(values)


class FactSet(dict):
    """Facts by key; `numbers` gives the bare values by key for templates (`v.new`).

    `blank` holds the keys of quantities the tables define but leave blank (a blank cell, or a
    derivation from one): a number stating them can be neither verified nor contradicted.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.blank: set[str] = set()
        self.cell_notes: dict[str, str] = getattr(args[0], "cell_notes", {}) if args else {}  # location → how derived

    def add(self, key: str, value: Number | None, unit: str, label: str, source: str, *,
            ratio: tuple[int, int] | None = None, derived: bool = False) -> None:
        if value is None:
            self.blank.add(key)
            return
        note = self.cell_notes.get(source)
        self[key] = Fact(key, value, unit, label, f"{source}（{note}）" if note else source, ratio, derived)

    def add_share(self, key: str, part_key: str, whole_key: str, label: str) -> None:
        """`key` = fact `part_key` as a percentage of fact `whole_key`."""
        if part_key in self.blank or whole_key in self.blank:
            self.blank.add(key)
        part, whole = self.get(part_key), self.get(whole_key)
        if part is None or whole is None or not whole.value:
            return
        self.add(key, percent(part.value, whole.value), "%", label, f"{part.source} ÷ {whole.source}",
                 ratio=(part.value, whole.value), derived=True)

    @property
    def numbers(self) -> dict[str, Number]:
        return {k: f.value for k, f in self.items()}


def table2_facts(stats: Stats) -> FactSet:
    """The facts of table 二 alone (and its blanks)."""
    table2 = FactSet()
    _table2(table2, stats)
    return table2


def with_table2(facts: FactSet, stats: Stats, table2: FactSet | None = None) -> FactSet:
    """`facts` with the facts of table 二 taken from `stats` (table 二 feeds no derived fact); `table2`: those
    facts when already made (`table2_facts(stats)`)."""
    table2 = table2 if table2 is not None else table2_facts(stats)
    out = FactSet(facts)
    for key in (*table2, *table2.blank):
        out.pop(key, None)
    out.blank = (facts.blank - set(table2)) | table2.blank
    out.update(table2)
    return out


def _t3(path: tuple, col: int = TOTAL_COLUMN) -> str:
    return layout.location((*path, col))


def compute_facts(stats: Stats, prior: Stats | None = None) -> FactSet:
    """Every quantity the prose of one year's report may state; blank cells the table's own sums determine
    count as derived (`cells.derive`), and their facts' sources say so."""
    stats, derived = cells.derive(stats)
    facts = FactSet()
    facts.cell_notes = {layout.location(path): d.note for path, d in derived.items()}
    _table3(facts, stats)
    _applicants(facts, stats)
    _shares(facts)
    _table4(facts, stats)
    _table2(facts, stats)
    fees = stats.processing_fees
    facts.add("fee_amount", fees.amount_yuan, "元", "收取信息处理费金额", "信息处理费 · 收费金额（元）")
    facts.add("fee_cases", fees.cases, "件", "收取信息处理费件数", "信息处理费 · 收费件数")
    if prior is not None:
        _year_on_year(facts, compute_facts(prior), stats.year, prior.year)
    return facts


def _table3(facts: FactSet, stats: Stats) -> None:
    r, o = stats.requests, stats.requests.outcomes
    T = TOTAL_COLUMN
    facts.add("new", r.new[T], "件", "本年新收政府信息公开申请", _t3(("requests", "new")))
    facts.add("carried_over", r.carried_over[T], "件", "上年结转的申请", _t3(("requests", "carried_over")))
    facts.add("received_total", total(r.new[T], r.carried_over[T]), "件", "申请总量（本年新收与上年结转之和）",
              "表三 一、本年新收 + 二、上年结转 · 总计")
    facts.add("handled", o.total[T], "件", "本年度办理（办结、答复）的申请", _t3(("requests", "outcomes", "total")))
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


def _applicants(facts: FactSet, stats: Stats) -> None:
    """Per applicant type: 本年新收, and 新收 + 上年结转 (what “共受理…其中自然人 N 件” often counts)."""
    r = stats.requests
    new_legal = total(*(r.new[c] for c in LEGAL_COLUMNS))
    carried_legal = total(*(r.carried_over[c] for c in LEGAL_COLUMNS))
    columns = [(key, label, r.new[col], r.carried_over[col], _t3(("requests", "new"), col),
                f"表三 一、本年新收 + 二、上年结转 · {label}") for key, col, label in APPLICANTS]
    columns.append(("legal", "法人或其他组织", new_legal, carried_legal,
                    "表三 一、本年新收政府信息公开申请数量 · 法人或其他组织（五列之和）",
                    "表三 一、本年新收 + 二、上年结转 · 法人或其他组织（五列之和）"))
    for key, label, new, carried, new_source, received_source in columns:
        facts.add(f"new_{key}", new, "件", f"{label}提出的申请", new_source)
        facts.add(f"received_{key}", total(new, carried), "件", f"{label}提出的申请（含上年结转）", received_source,
                  derived=True)


def outcome_keys(facts: FactSet) -> list[str]:
    """Keys of every 办理结果 quantity present: groups, their rows, and 予以公开和部分公开合计."""
    keys = ["disclosed", "partly_disclosed", "disclosed_or_partly"]
    for key, _, rows in layout.OUTCOME_GROUPS:
        keys += [key] + [f"{key}_{sub}" for sub, _ in rows]
    return [k for k in keys if k in facts]


def _shares(facts: FactSet) -> None:
    """Each outcome as a share of 办结 (“208 件（17.46%）”), each applicant type of its total."""
    for key in outcome_keys(facts):
        facts.add_share(f"share_{key}", key, "handled", f"{facts[key].label}占办结总数的比例")
    for key, _, label in (*APPLICANTS, ("legal", 0, "法人或其他组织")):
        facts.add_share(f"share_new_{key}", f"new_{key}", "new", f"{label}申请占本年新收申请的比例")
        facts.add_share(f"share_received_{key}", f"received_{key}", "received_total", f"{label}申请占申请总量的比例")
    facts.add_share("disclosure_rate", "disclosed_or_partly", "handled", "公开率（予以公开和部分公开占办结总数的比例）")


def _value(facts: FactSet, key: str) -> Number | None:
    """A fact's value, None when it is absent (blank)."""
    fact = facts.get(key)
    return fact.value if fact is not None else None


def _table4(facts: FactSet, stats: Stats) -> None:
    a = stats.appeals
    for key, label in layout.APPEAL_GROUPS:
        group = getattr(a, key)
        for col, col_label in layout.APPEAL_COLUMNS:
            facts.add(f"{key}_{col}", getattr(group, col), "件", f"{label}{col_label}",
                      layout.location(("appeals", key, col)))
    for key, label in layout.APPEAL_GROUPS:
        group = getattr(a, key)
        facts.add(f"{key}_closed", total(group.total, None if group.pending is None else -group.pending), "件",
                  f"{label}已审结", f"{layout.location(('appeals', key, 'total'))} − 尚未审结", derived=True)
    for col, col_label in (*layout.APPEAL_COLUMNS, ("closed", "已审结")):
        if col == "closed":
            litigation = total(_value(facts, "litigation_direct_closed"), _value(facts, "litigation_after_review_closed"))
            facts.add("litigation_closed", litigation, "件", "行政诉讼已审结（两类合计）", "表四 行政诉讼 两类 总计 − 尚未审结")
            facts.add("appeals_closed", total(_value(facts, "review_closed"), litigation), "件",
                      "行政复议和行政诉讼已审结", "表四 行政复议 + 行政诉讼 · 总计 − 尚未审结")
            continue
        review = getattr(a.review, col)
        litigation = total(getattr(a.litigation_direct, col), getattr(a.litigation_after_review, col))
        facts.add(f"litigation_{col}", litigation, "件", f"行政诉讼{col_label}（两类合计）",
                  f"表四 行政诉讼 未经复议直接起诉 + 复议后起诉 · {col_label}")
        label = "行政复议和行政诉讼合计" if col == "total" else f"行政复议和行政诉讼{col_label}合计"
        facts.add(f"appeals_{col}", total(review, litigation), "件", label,
                  f"表四 行政复议 + 行政诉讼 · {col_label}")


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


def _unyeared(label: str) -> str:
    """“本年新收政府信息公开申请” → “新收政府信息公开申请”, to be prefixed with a year."""
    return label.removeprefix("本年度").removeprefix("本年")


def _year_on_year(facts: FactSet, prior: FactSet, year: int, prior_year: int) -> None:
    """Last year's values of the compared quantities, and this year's change and 同比 %."""
    for key in COMPARED:
        now, then = facts.get(key), prior.get(key)
        if key in facts.blank or key in prior.blank:
            facts.blank.update((f"prior_{key}", f"change_{key}", f"change_pct_{key}"))
        if now is None or then is None:
            continue
        facts.add(f"prior_{key}", then.value, then.unit, f"{prior_year} 年{_unyeared(then.label)}",
                  f"{prior_year} 年报告 {then.source}", derived=True)
        facts.add(f"change_{key}", now.value - then.value, now.unit, f"{_unyeared(now.label)}比上年增减",
                  f"{year} 年与 {prior_year} 年之差（{now.source}）", derived=True)
        facts.add(f"change_pct_{key}", percent(now.value - then.value, then.value), "%", f"{_unyeared(now.label)}同比增减比例",
                  f"（{year} 年 − {prior_year} 年）÷ {prior_year} 年（{now.source}）",
                  ratio=(now.value - then.value, then.value), derived=True)
    for key in COMPARED_RATES:
        now, then = facts.get(key), prior.get(key)
        if now is None or then is None:
            continue
        facts.add(f"prior_{key}", then.value, "%", f"{prior_year} 年{then.label}", f"{prior_year} 年报告 {then.source}",
                  ratio=then.ratio, derived=True)
        facts.add(f"change_{key}", now.value - then.value, POINTS, f"{now.label}比上年增减（百分点）",
                  f"{year} 年与 {prior_year} 年之差（{now.source}）", derived=True)
