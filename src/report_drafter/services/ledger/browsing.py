"""What a supervisor browses in the ledger: the list of reports (searched, filtered, sorted), one report in full,
the clusters of copies, and the area's summed tables. Plain rows and dicts: the web view and the exports render them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import sqlalchemy as sa

from . import schema as t
from .metrics import by_key, dictionary

PAGE = 100
SORTS = ("errors", "warnings", "agency", "year", "copied", "last_year")      # what the list may be sorted by


def _order(sort: str) -> list:
    """The list's order for a sort name: the worse first where larger is worse, then by agency and year."""
    r, a = t.reports.c, t.agencies.c
    first = {"errors": [r.errors.desc(), r.warnings.desc()], "warnings": [r.warnings.desc()], "agency": [],
             "year": [r.year.desc()], "copied": [r.other_share.desc().nulls_last()],
             "last_year": [r.last_year_share.desc().nulls_last()]}
    return [*first.get(sort, first["errors"]), a.name, r.year.desc(), r.id]


COLUMNS = ("id", "agency", "level", "area", "year", "version", "file", "format", "form", "tables", "errors",
           "warnings", "last_year_share", "other_share", "unreviewed", "confirmed")


@dataclass
class Filters:
    """What the list shows: a search (agency or file), facets, the sort, the page."""

    q: str = ""
    year: int | None = None
    area: str = ""
    level: str = ""
    has_errors: bool = False
    copied: bool = False
    review: str = ""                # a review status some finding of the report has
    sort: str = "errors"
    page: int = 1
    all_versions: bool = False


@dataclass
class Listing:
    rows: list[dict]
    total: int
    facets: dict[str, list] = field(default_factory=dict)
    set_aside: int = 0


def _latest():
    r = t.reports.c
    return (sa.select(r.agency_id, r.year, sa.func.max(r.version).label("version"))
            .where(r.status == "report").group_by(r.agency_id, r.year).subquery("latest"))


def _list_query(filters: Filters):
    r, a, f = t.reports.c, t.agencies.c, t.findings.c
    unreviewed = (sa.select(sa.func.count()).where(f.report_id == r.id, f.review_status == "待核实")
                  .correlate(t.reports).scalar_subquery())
    confirmed = (sa.select(sa.func.count()).where(f.report_id == r.id, f.review_status == "属实")
                 .correlate(t.reports).scalar_subquery())
    query = (sa.select(r.id, a.name.label("agency"), a.level, a.area, r.year, r.version, r.file, r.format, r.form,
                       r.tables, r.errors, r.warnings, r.last_year_share, r.other_share,
                       unreviewed.label("unreviewed"), confirmed.label("confirmed"))
             .join(t.agencies, a.id == r.agency_id).where(r.status == "report"))
    if not filters.all_versions:
        latest = _latest()
        query = query.join(latest, sa.and_(latest.c.agency_id == r.agency_id, latest.c.year == r.year,
                                           latest.c.version == r.version))
    if filters.q:
        like = f"%{filters.q}%"
        query = query.where(sa.or_(a.name.like(like), r.file.like(like), r.agency_as_printed.like(like)))
    if filters.year:
        query = query.where(r.year == filters.year)
    if filters.area:
        query = query.where(a.area == filters.area)
    if filters.level:
        query = query.where(a.level == filters.level)
    if filters.has_errors:
        query = query.where(r.errors > 0)
    if filters.copied:
        query = query.where(r.id.in_(sa.select(t.cluster_members.c.report_id)))
    if filters.review:
        query = query.where(r.id.in_(sa.select(f.report_id).where(f.review_status == filters.review)))
    return query


def list_reports(engine, filters: Filters, limit: int | None = PAGE) -> Listing:
    """One page of the latest version of each agency's report of each year (all versions when asked), with facets."""
    query = _list_query(filters)
    order = _order(filters.sort)
    with engine.connect() as conn:
        total = conn.execute(sa.select(sa.func.count()).select_from(query.subquery())).scalar_one()
        page = query.order_by(*order)
        if limit:
            page = page.limit(limit).offset(max(0, filters.page - 1) * limit)
        rows = [dict(row._mapping) for row in conn.execute(page)]
        a, r = t.agencies.c, t.reports.c
        facets = {
            "year": [y for (y,) in conn.execute(sa.select(r.year).where(r.status == "report").distinct().order_by(r.year.desc()))],
            "area": [x for (x,) in conn.execute(sa.select(a.area).distinct().order_by(a.area))],
            "level": [x for (x,) in conn.execute(sa.select(a.level).distinct().order_by(a.level))],
        }
        aside = conn.execute(sa.select(sa.func.count()).where(r.status != "report")).scalar_one()
    return Listing(rows, total, facets, aside)


def set_aside_files(engine) -> list[dict]:
    """Files stored that are not reports (not ranked, not summed), and why."""
    r = t.reports.c
    with engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(
            sa.select(r.id, r.file, r.status, r.reason, r.year).where(r.status != "report").order_by(r.file))]


@dataclass
class Detail:
    report: dict
    findings: list[dict]
    tables: dict[str, list[dict]]           # 表二 / 表三 / 表四 → cells in order
    metrics: list[dict]                     # with the peers' band
    trend: dict[str, list[tuple[int, Decimal | None]]]     # metric key → (year, value) of the agency
    versions: list[dict]
    similar: list[dict]


def report_detail(engine, report_id: int) -> Detail | None:
    """One report version in full: its findings with their reviews, its tables, its metrics against the peers,
    the agency's trend over the years, its other versions and the reports it shares prose with."""
    r, a, f, c, m, b = t.reports.c, t.agencies.c, t.findings.c, t.cells.c, t.metrics.c, t.benchmarks.c
    with engine.connect() as conn:
        row = conn.execute(sa.select(t.reports, a.name.label("agency"), a.level, a.area)
                           .join(t.agencies, a.id == r.agency_id, isouter=True).where(r.id == report_id)).first()
        if row is None:
            return None
        report = dict(row._mapping)
        findings = [dict(x._mapping) for x in conn.execute(
            sa.select(t.findings).where(f.report_id == report_id).order_by(
                sa.case((f.severity == "error", 0), else_=1), f.line.is_(None), f.line, f.id))]
        tables: dict[str, list[dict]] = {}
        for x in conn.execute(sa.select(t.cells).where(c.report_id == report_id).order_by(c.id)):
            tables.setdefault(x.table_name, []).append(dict(x._mapping))
        names = by_key()
        metrics = []
        for x in conn.execute(sa.select(t.metrics).where(m.report_id == report_id)):
            band = conn.execute(sa.select(t.benchmarks).where(b.year == report["year"], b.level == report["level"],
                                                              b.key == x.key)).first()
            metric = names.get(x.key)
            metrics.append({**x._mapping, "name": metric.name if metric else x.key, "unit": metric.unit if metric else "",
                            "cells": [*metric.sum, *metric.over] if metric else [],
                            "band": dict(band._mapping) if band else None})
        order = {metric.key: k for k, metric in enumerate(dictionary())}
        metrics.sort(key=lambda x: order.get(x["key"], 99))
        trend: dict[str, list] = {}
        if report["agency_id"] is not None:
            latest = _latest()
            for key, year, value in conn.execute(
                    sa.select(m.key, r.year, m.value).join(t.reports, r.id == m.report_id)
                    .join(latest, sa.and_(latest.c.agency_id == r.agency_id, latest.c.year == r.year,
                                          latest.c.version == r.version))
                    .where(r.agency_id == report["agency_id"]).order_by(r.year)):
                trend.setdefault(key, []).append((year, value))
            versions = [dict(x._mapping) for x in conn.execute(
                sa.select(r.id, r.version, r.file, r.errors, r.warnings, r.batch_id).where(
                    r.agency_id == report["agency_id"], r.year == report["year"]).order_by(r.version))]
        else:
            versions = []
        s = t.similarities.c
        other = t.reports.alias("other")
        similar = [dict(x._mapping) for x in conn.execute(
            sa.select(s.other_report_id, s.share, s.passage, other.c.file, a.name.label("agency"))
            .join(other, other.c.id == s.other_report_id).join(t.agencies, a.id == other.c.agency_id, isouter=True)
            .where(s.report_id == report_id).order_by(s.share.desc()))]
    return Detail(report, findings, tables, metrics, trend, versions, similar)


def clusters(engine) -> list[dict]:
    """Every cluster of reports with the same prose, the largest first, with its members."""
    c, cm, r, a = t.clusters.c, t.cluster_members.c, t.reports.c, t.agencies.c
    with engine.connect() as conn:
        found = [dict(x._mapping) for x in conn.execute(sa.select(t.clusters).order_by(c.size.desc(), c.id))]
        for cluster in found:
            cluster["members"] = [dict(x._mapping) for x in conn.execute(
                sa.select(r.id, r.file, r.year, a.name.label("agency"), a.area)
                .join(t.cluster_members, cm.report_id == r.id).join(t.agencies, a.id == r.agency_id, isouter=True)
                .where(cm.cluster_id == cluster["id"]).order_by(r.file))]
    return found


@dataclass
class AreaSums:
    """The tables of the reports of one year (and area) summed cell by cell, and which reports went in."""

    year: int
    area: str
    reports: list[dict]
    tables: dict[str, list[dict]]           # table → [{row_label, column_label, path, value, blanks}]


def area_sums(engine, year: int, area: str = "") -> AreaSums:
    """Sum the latest version of each report of the year (in the area), blank cells counted as 0 and counted.

    Only reports (never a file set aside) of the year's format (that of most of them) are summed."""
    r, a, c = t.reports.c, t.agencies.c, t.cells.c
    latest = _latest()
    chosen = (sa.select(r.id, r.file, r.format, a.name.label("agency"))
              .join(t.agencies, a.id == r.agency_id)
              .join(latest, sa.and_(latest.c.agency_id == r.agency_id, latest.c.year == r.year,
                                    latest.c.version == r.version))
              .where(r.year == year, r.status == "report", r.id.in_(sa.select(c.report_id))))
    if area:
        chosen = chosen.where(a.area == area)
    with engine.connect() as conn:
        members = [dict(x._mapping) for x in conn.execute(chosen.order_by(a.name))]
        formats = [x["format"] for x in members]
        fmt = max(set(formats), key=formats.count) if formats else "2021"
        members = [x for x in members if x["format"] == fmt]
        ids = [x["id"] for x in members]
        sums: dict[str, dict] = {}
        for start in range(0, len(ids), 500):
            query = (sa.select(c.table_name, c.row_label, c.column_label, c.path, sa.func.min(c.id).label("first"),
                               sa.func.sum(c.value).label("value"),
                               sa.func.sum(sa.case((c.meaning.in_(("blank", "not_applicable")), 1), else_=0)).label("blanks"))
                     .where(c.report_id.in_(ids[start:start + 500]))
                     .group_by(c.table_name, c.row_label, c.column_label, c.path))
            for x in conn.execute(query):
                cell = sums.setdefault(x.path, {"table_name": x.table_name, "row_label": x.row_label,
                                                "column_label": x.column_label, "path": x.path, "first": x.first,
                                                "value": Decimal(0), "blanks": 0})
                cell["value"] += Decimal(x.value or 0)
                cell["blanks"] += x.blanks
                cell["first"] = min(cell["first"], x.first)
    tables: dict[str, list[dict]] = {}
    for cell in sorted(sums.values(), key=lambda x: x["first"]):
        tables.setdefault(cell["table_name"], []).append(cell)
    return AreaSums(year, area, members, tables)


def finding(engine, finding_id: int) -> dict | None:
    """One finding with its review."""
    with engine.connect() as conn:
        row = conn.execute(sa.select(t.findings).where(t.findings.c.id == finding_id)).first()
    return dict(row._mapping) if row else None
