"""The metric dictionary (metrics.yaml, as data) worked out over each report's cells, and compared among peers.

Peers are the latest versions of the reports of the same year and level. For each metric: the percentile and
rank of each report among them, the group's P5 / P25 / P50 / P75 / P95 (`benchmarks`), the change from the
agency's year before, and anomalies as findings with their figures: a jump beyond the metric's `jump`, or a
value outside the P5–P95 band.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from importlib import resources

import sqlalchemy as sa

from . import schema as t

PERCENT = "%"
BAND = ("p5", "p95")
QUANTILES = {"p5": 5, "p25": 25, "p50": 50, "p75": 75, "p95": 95}
MIN_PEERS = 5           # fewer peers: no band, no outliers
JUMP_FLOOR = 5          # a count changing from fewer than this is not a jump (1 → 3 is not news)
CATEGORY = "metrics"


@dataclass(frozen=True)
class Metric:
    """One entry of the dictionary."""

    key: str
    name: str
    unit: str
    sum: tuple[str, ...]
    over: tuple[str, ...] = ()
    undefined: str = "不适用"
    jump: Decimal | None = None

    def value(self, cells: dict[str, Decimal | None]) -> tuple[Decimal | None, str | None]:
        """(value, None) or (None, why it is undefined) from a report's cells by path."""
        parts = [cells.get(p) for p in (*self.sum, *self.over)]
        if any(p not in cells for p in (*self.sum, *self.over)):
            return None, "不适用：表格格式不同"
        if any(v is None for v in parts):
            return None, "表格未填"
        top = sum(cells[p] for p in self.sum)
        if not self.over:
            return top, None
        bottom = sum(cells[p] for p in self.over)
        if bottom == 0:
            return None, self.undefined
        return (top * 100 / bottom).quantize(Decimal("0.01"), ROUND_HALF_UP), None


@cache
def dictionary() -> tuple[Metric, ...]:
    """The metrics of metrics.yaml, in order."""
    from ruamel.yaml import YAML

    data = YAML(typ="safe").load(resources.files(__package__).joinpath("metrics.yaml").read_text(encoding="utf-8"))
    return tuple(Metric(key=m["key"], name=m["name"], unit=m["unit"], sum=tuple(m["sum"]), over=tuple(m.get("over", ())),
                        undefined=m.get("undefined", "不适用"),
                        jump=Decimal(str(m["jump"])) if m.get("jump") is not None else None) for m in data)


def by_key() -> dict[str, Metric]:
    return {m.key: m for m in dictionary()}


def metric_rows(report_id: int, cells: dict[str, Decimal | None]) -> list[dict]:
    """The metrics of one report version from its cells by path (rows of `metrics`, not yet compared)."""
    rows = []
    for metric in dictionary():
        value, why = metric.value(cells)
        rows.append({"report_id": report_id, "key": metric.key, "value": value, "undefined": why})
    return rows


def refresh_metrics(conn, new_ids: list[int]) -> None:
    """The percentiles, benchmarks, changes and anomalies of every year × level the new report versions joined
    (their metrics are stored with them: `metric_rows`)."""
    if not new_ids:
        return
    r, a = t.reports.c, t.agencies.c
    groups = set()
    for start in range(0, len(new_ids), 500):
        rows = conn.execute(sa.select(r.year, a.level).join(t.agencies, a.id == r.agency_id)
                            .where(r.id.in_(new_ids[start:start + 500])).distinct())
        groups |= set(rows.all())
    for year, level in sorted(groups):
        _compare(conn, year, level)


def latest(year, level):
    """The latest version of each agency's report of the year at the level (a select of report ids)."""
    r, a = t.reports.c, t.agencies.c
    newest = (sa.select(r.agency_id, sa.func.max(r.version).label("version"))
              .where(r.year == year, r.status == "report").group_by(r.agency_id).subquery())
    return (sa.select(r.id).join(newest, sa.and_(newest.c.agency_id == r.agency_id, newest.c.version == r.version))
            .join(t.agencies, a.id == r.agency_id).where(r.year == year, a.level == level))


def _compare(conn, year: int, level: str) -> None:
    """Percentiles, ranks, benchmarks, changes and anomalies of one year × level."""
    m = t.metrics.c
    ids = [row[0] for row in conn.execute(latest(year, level))]
    if not ids:
        return
    before = _year_before(conn, ids, year)
    anomalies = []
    for metric in dictionary():         # (one metric at a time: the rows of one metric of the group in memory)
        mine, updates = [], []
        for start in range(0, len(ids), 500):
            mine += conn.execute(sa.select(m.id, m.report_id, m.key, m.value).where(
                m.report_id.in_(ids[start:start + 500]), m.key == metric.key)).all()
        values = sorted(row.value for row in mine if row.value is not None)
        band = _benchmark(conn, year, level, metric.key, values)
        for row in mine:
            change = None
            prior = before.get((row.report_id, metric.key))
            if row.value is not None and prior is not None:
                change = row.value - prior
            if row.value is None:
                updates.append({"mid": row.id, "pct": None, "rnk": None, "n": len(values), "chg": None})
                continue
            at_or_below = _count_le(values, row.value)
            updates.append({"mid": row.id, "pct": Decimal(100 * at_or_below / len(values)).quantize(Decimal("0.1")),
                            "rnk": len(values) - at_or_below + 1, "n": len(values), "chg": change})
            anomalies += _anomalies(metric, row, prior, band, len(values))
        if updates:
            conn.execute(sa.update(t.metrics).where(m.id == sa.bindparam("mid")).values(
                percentile=sa.bindparam("pct"), rank=sa.bindparam("rnk"), peers=sa.bindparam("n"),
                change=sa.bindparam("chg")), updates)
    _replace_anomalies(conn, ids, anomalies)


def _count_le(values: list[Decimal], value: Decimal) -> int:
    from bisect import bisect_right

    return bisect_right(values, value)


def quantile(values: list[Decimal], q: int) -> Decimal:
    """The q-th percentile of sorted values, interpolated between ranks."""
    position = Decimal(q) / 100 * (len(values) - 1)
    low = int(position)
    high = min(low + 1, len(values) - 1)
    return (values[low] + (values[high] - values[low]) * (position - low)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _benchmark(conn, year: int, level: str, key: str, values: list[Decimal]) -> dict | None:
    b = t.benchmarks.c
    band = {name: quantile(values, q) for name, q in QUANTILES.items()} if values else {name: None for name in QUANTILES}
    where = sa.and_(b.year == year, b.level == level, b.key == key)
    if conn.execute(sa.select(b.id).where(where)).first():
        conn.execute(sa.update(t.benchmarks).where(where).values(peers=len(values), **band))
    else:
        conn.execute(sa.insert(t.benchmarks), {"year": year, "level": level, "key": key, "peers": len(values), **band})
    return band if len(values) >= MIN_PEERS else None


def _year_before(conn, ids: list[int], year: int) -> dict[tuple[int, str], Decimal]:
    """(report id, metric key) → the value of the same agency's latest report of the year before."""
    r, m = t.reports.c, t.metrics.c
    agency_of = {}
    for start in range(0, len(ids), 500):
        agency_of.update(dict(conn.execute(sa.select(r.agency_id, r.id).where(r.id.in_(ids[start:start + 500]))).all()))
    prior = (sa.select(r.agency_id, sa.func.max(r.version).label("version"))
             .where(r.year == year - 1, r.status == "report").group_by(r.agency_id).subquery())
    rows = conn.execute(sa.select(r.agency_id, m.key, m.value).join(t.metrics, m.report_id == r.id)
                        .join(prior, sa.and_(prior.c.agency_id == r.agency_id, prior.c.version == r.version))
                        .where(r.year == year - 1, m.value.is_not(None)))
    out = {}
    for agency_id, key, value in rows:
        if agency_id in agency_of:
            out[(agency_of[agency_id], key)] = value
    return out


def figure(value: Decimal) -> str:
    """A value as people write it: 21, 40.5 (not 21.000000)."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _anomalies(metric: Metric, row, prior: Decimal | None, band: dict | None, peers: int) -> list[dict]:
    found = []
    value, unit = row.value, metric.unit
    shown = f"{figure(value)}{unit}"
    if metric.jump is not None and prior is not None:
        if unit == PERCENT:
            jumped = abs(value - prior) > metric.jump
            how = f"变化 {'+' if value > prior else ''}{figure(value - prior)} 个百分点，超过 {figure(metric.jump)} 个百分点"
        else:
            jumped = prior >= JUMP_FLOOR and abs(value - prior) > metric.jump * prior
            change = ((value - prior) * 100 / prior).quantize(Decimal("1")) if prior else Decimal(0)
            how = f"变化 {'+' if change > 0 else ''}{change}%，超过 ±{figure(metric.jump * 100)}%"
        if jumped:
            found.append(_finding(row, metric, "jump", f"{figure(prior)}{unit}", shown,
                                  f"{metric.name}由上年度的 {figure(prior)}{unit} 变为 {shown}（{how}）："
                                  "请核实统计口径和填报是否有误。"))
    if band is not None and (value < band["p5"] or value > band["p95"]):
        side = "低于" if value < band["p5"] else "高于"
        low, high, middle = (figure(band[k]) for k in ("p5", "p95", "p50"))
        found.append(_finding(row, metric, "outlier", f"{low}–{high}{unit}", shown,
                              f"{metric.name}为 {shown}，{side}同年度同级别 {peers} 个机关的 P5–P95 区间"
                              f"（{low}–{high}{unit}，中位数 {middle}{unit}）：请核实。"))
    return found


def _finding(row, metric: Metric, kind: str, expected: str, found: str, message: str) -> dict:
    key = f"{CATEGORY}|{kind}|{metric.key}"
    return {"report_id": row.report_id, "severity": "warning", "category": CATEGORY, "kind": f"{kind}.{metric.key}",
            "line": None, "section": None, "quote": metric.name, "message": message, "expected": expected,
            "found": found, "fingerprint": hashlib.sha1(key.encode()).hexdigest(), "review_status": "待核实",
            "review_note": None, "reviewer": None, "reviewed_at": None}


def _replace_anomalies(conn, ids: list[int], anomalies: list[dict]) -> None:
    """The group's metric findings as now computed: unreviewed old ones go, reviewed ones stay (not added twice)."""
    f = t.findings.c
    kept = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        conn.execute(sa.delete(t.findings).where(f.report_id.in_(chunk), f.category == CATEGORY,
                                                 f.review_status == "待核实"))
        kept |= set(conn.execute(sa.select(f.report_id, f.fingerprint).where(
            f.report_id.in_(chunk), f.category == CATEGORY)).all())
    rows = [a for a in anomalies if (a["report_id"], a["fingerprint"]) not in kept]
    if rows:
        conn.execute(sa.insert(t.findings), rows)
