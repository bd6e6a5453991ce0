"""The tables of the audit ledger, with names a SQL user understands (SQLAlchemy Core; created by the migrations).

    batches       one row per audit run that stored something
    agencies      one row per body: canonical name, the name as first printed, level, area
    reports       one row per version of a file: the same bytes again is the same row; a corrected file a new version
    cells         every table cell of a report version: as printed, its value, and what it means
    findings      the check's findings, with a supervisor's review status (待核实 / 属实 / 误报 / 已整改)
    metrics       the metric dictionary's values per report version, with the percentile among peers
    benchmarks    P5 … P95 of each metric per year × level (what the percentiles are taken against)
    similarities  pairs of reports of different agencies sharing prose, with the share and a passage
    clusters, cluster_members   reports whose prose is the same
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()
NUMBER = sa.Numeric(20, 6, asdecimal=True)
REVIEW_STATUSES = ("待核实", "属实", "误报", "已整改")

batches = sa.Table(
    "batches", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("started_at", sa.DateTime, nullable=False),
    sa.Column("finished_at", sa.DateTime),
    sa.Column("source", sa.Text, nullable=False),          # the folders audited
    sa.Column("tool_version", sa.String(40), nullable=False),
    sa.Column("files", sa.Integer, nullable=False),
    sa.Column("added", sa.Integer, nullable=False),        # report versions stored by this batch
)

agencies = sa.Table(
    "agencies", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False, unique=True),   # canonical
    sa.Column("printed_name", sa.String(200), nullable=False),        # as first printed in a report title
    sa.Column("level", sa.String(20), nullable=False),
    sa.Column("area", sa.String(100), nullable=False),
)

reports = sa.Table(
    "reports", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("batch_id", sa.ForeignKey("batches.id"), nullable=False),
    sa.Column("agency_id", sa.ForeignKey("agencies.id")),              # none for a file that is not a report
    sa.Column("status", sa.String(20), nullable=False),               # report | not_a_report | blank_template
    sa.Column("file", sa.Text, nullable=False),
    sa.Column("file_hash", sa.String(64), nullable=False, unique=True),   # sha256 of the bytes
    sa.Column("year", sa.Integer),
    sa.Column("version", sa.Integer, nullable=False),                 # 1, 2 … per agency and year
    sa.Column("agency_as_printed", sa.String(200), nullable=False),
    sa.Column("format", sa.String(10)),
    sa.Column("form", sa.String(10)),
    sa.Column("tables", sa.String(10)),                               # complete | partial | missing
    sa.Column("errors", sa.Integer, nullable=False),
    sa.Column("warnings", sa.Integer, nullable=False),
    sa.Column("last_year_share", NUMBER),
    sa.Column("other_share", NUMBER),
    sa.Column("reason", sa.Text),                                     # why a file was set aside
    sa.Column("markdown", sa.Text),
    sa.Column("prose_html", sa.Text),
    sa.Index("ix_reports_agency_year", "agency_id", "year", "version"),
    sa.Index("ix_reports_year_status", "year", "status"),
)

cells = sa.Table(
    "cells", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("report_id", sa.ForeignKey("reports.id"), nullable=False),
    sa.Column("table_name", sa.String(10), nullable=False),           # 表二 | 表三 | 表四
    sa.Column("row_label", sa.String(200), nullable=False),
    sa.Column("column_label", sa.String(100), nullable=False),
    sa.Column("path", sa.String(120), nullable=False),                 # the stats.yaml key of the cell
    sa.Column("printed", sa.String(60)),
    sa.Column("value", NUMBER),
    sa.Column("meaning", sa.String(20), nullable=False),              # number | zero | blank | not_applicable | derived
    sa.Index("ix_cells_report", "report_id"),
)

findings = sa.Table(
    "findings", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("report_id", sa.ForeignKey("reports.id"), nullable=False),
    sa.Column("severity", sa.String(10), nullable=False),
    sa.Column("category", sa.String(20), nullable=False),
    sa.Column("kind", sa.String(60), nullable=False),
    sa.Column("line", sa.Integer),
    sa.Column("section", sa.String(40)),
    sa.Column("quote", sa.Text),
    sa.Column("message", sa.Text, nullable=False),
    sa.Column("expected", sa.Text),
    sa.Column("found", sa.Text),
    sa.Column("fingerprint", sa.String(64), nullable=False),          # the same finding in another version
    sa.Column("review_status", sa.String(10), nullable=False, server_default="待核实"),
    sa.Column("review_note", sa.Text),
    sa.Column("reviewer", sa.String(100)),
    sa.Column("reviewed_at", sa.DateTime),
    sa.Index("ix_findings_report", "report_id"),
)

metrics = sa.Table(
    "metrics", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("report_id", sa.ForeignKey("reports.id"), nullable=False),
    sa.Column("key", sa.String(60), nullable=False),
    sa.Column("value", NUMBER),                                       # none when undefined
    sa.Column("undefined", sa.String(60)),                            # why (e.g. 不适用：没有办结的申请)
    sa.Column("percentile", NUMBER),                                  # among the year × level's latest versions
    sa.Column("rank", sa.Integer),
    sa.Column("peers", sa.Integer),
    sa.Column("change", NUMBER),                                      # against the agency's year before
    sa.Index("ix_metrics_report", "report_id", "key"),
)

benchmarks = sa.Table(
    "benchmarks", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("level", sa.String(20), nullable=False),
    sa.Column("key", sa.String(60), nullable=False),
    sa.Column("peers", sa.Integer, nullable=False),
    *(sa.Column(p, NUMBER) for p in ("p5", "p25", "p50", "p75", "p95")),
    sa.UniqueConstraint("year", "level", "key"),
)

similarities = sa.Table(
    "similarities", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("batch_id", sa.ForeignKey("batches.id"), nullable=False),
    sa.Column("report_id", sa.ForeignKey("reports.id"), nullable=False),
    sa.Column("other_report_id", sa.ForeignKey("reports.id"), nullable=False),
    sa.Column("share", NUMBER, nullable=False),                       # of the report's prose found in the other's
    sa.Column("passage", sa.Text),
    sa.UniqueConstraint("report_id", "other_report_id"),
)

clusters = sa.Table(
    "clusters", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("batch_id", sa.ForeignKey("batches.id"), nullable=False),
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("share_min", NUMBER, nullable=False),
    sa.Column("share_max", NUMBER, nullable=False),
    sa.Column("passage", sa.Text),
    sa.Column("members_key", sa.String(64), nullable=False, unique=True),   # the same cluster found again
)

cluster_members = sa.Table(
    "cluster_members", metadata,
    sa.Column("cluster_id", sa.ForeignKey("clusters.id"), primary_key=True),
    sa.Column("report_id", sa.ForeignKey("reports.id"), primary_key=True),
)
