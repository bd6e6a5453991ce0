"""Storing an audit in the ledger: new report versions with their cells, findings and metrics; pairs and clusters.

One transaction per audit. A file whose bytes are stored already is not stored again (its findings keep
their review); an audit that brings nothing new writes nothing, not even a batch.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal
from itertools import islice
from pathlib import Path

import sqlalchemy as sa

from ... import __version__
from ..audit.pairing import Agencies
from ..audit.sorting import REPORT
from . import schema as t
from .cells import cell_rows
from .levels import area_of, level_of
from .metrics import metric_rows
from .opening import LedgerError

CHUNK = 50              # reports read back from the audit's spool and written at a time
UNREVIEWED = t.REVIEW_STATUSES[0]


@dataclass
class Stored:
    """What storing an audit did: the batch written (None when nothing was new), versions added, files already there."""

    batch_id: int | None
    added: int
    unchanged: int
    versions: int = 0           # of the added, corrected files of a report already stored (version 2, 3 …)


@dataclass
class _Item:
    """A file of the audit, about to be stored or found stored already."""

    file: str
    hash: str
    report: object              # AuditedReport or SetAside
    status: str
    id: int | None = None


class Ledger:
    """The ledger on one database (see the package docstring)."""

    def __init__(self, engine):
        self.engine = engine

    def store(self, result, now: datetime | None = None) -> Stored:
        """Store an `audit.Audit` (files read back from under its root, for their hashes)."""
        now = now or datetime.now(timezone.utc).replace(tzinfo=None)
        items = _items(result)
        with self.engine.begin() as conn:
            known = _known_hashes(conn, [i.hash for i in items])
            for item in items:
                item.id = known.get(item.hash)
            new = _first_of_each(i for i in items if i.id is None)
            batch = _Batch(conn, result.root, len(items), len(new), now)
            versions = 0
            if new:
                agencies = _AgencyIds(conn)
                for chunk in _chunks(new, CHUNK):
                    versions += _store_reports(conn, batch.id, chunk, agencies)
                by_hash = {i.hash: i.id for i in new}
                for item in items:
                    item.id = item.id or by_hash.get(item.hash)
            ids = {i.file: i.id for i in items if i.status == REPORT}
            _store_similarities(conn, result.reports, ids, batch)
            _store_clusters(conn, result.clusters, ids, batch)
            if batch.made:
                from .metrics import refresh_metrics

                refresh_metrics(conn, [i.id for i in new if i.status == REPORT])
                conn.execute(sa.update(t.batches).where(t.batches.c.id == batch.made).values(
                    finished_at=datetime.now(timezone.utc).replace(tzinfo=None)))
        return Stored(batch.made, len(new), len(items) - len(new), versions)

    def review(self, finding_id: int, status: str, note: str = "", reviewer: str = "",
               now: datetime | None = None) -> None:
        """Record a supervisor's review of a finding: 待核实, 属实, 误报 or 已整改, with a note."""
        if status not in t.REVIEW_STATUSES:
            raise LedgerError(f"核实结果只能是{'、'.join(t.REVIEW_STATUSES)}之一，不是“{status}”。")
        with self.engine.begin() as conn:
            done = conn.execute(sa.update(t.findings).where(t.findings.c.id == finding_id).values(
                review_status=status, review_note=note or None, reviewer=reviewer or None,
                reviewed_at=now or datetime.now(timezone.utc).replace(tzinfo=None)))
            if not done.rowcount:
                raise LedgerError(f"数据库中没有编号为 {finding_id} 的核对结果。")

    def counts(self) -> dict[str, int]:
        """Rows in each table (what a test or a user checks after an audit)."""
        with self.engine.connect() as conn:
            return {name: conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
                    for name, table in t.metadata.tables.items()}


def _items(result) -> list[_Item]:
    root = Path(result.root)
    out = []
    for report in result.reports:
        out.append(_Item(report.file, _hash(root, report.file), report, REPORT))
    for aside in result.set_aside:
        out.append(_Item(aside.file, _hash(root, aside.file), aside, aside.status))
    return out


def _hash(root: Path, name: str) -> str:
    path = root / name
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        raise LedgerError(f"存入数据库时无法再次读取 {path}（{exc.strerror or exc}）：文件在审查期间被移走或改动了。") from None


def _first_of_each(items) -> list[_Item]:
    """One item per hash (files with the same bytes are one report)."""
    seen: dict[str, _Item] = {}
    for item in items:
        seen.setdefault(item.hash, item)
    return list(seen.values())


def _chunks(items: list, size: int):
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def _known_hashes(conn, hashes: list[str]) -> dict[str, int]:
    known = {}
    for chunk in _chunks(sorted(set(hashes)), 500):
        rows = conn.execute(sa.select(t.reports.c.file_hash, t.reports.c.id).where(t.reports.c.file_hash.in_(chunk)))
        known.update(dict(rows.all()))
    return known


class _Batch:
    """The batch row, written when the audit first stores something (an audit that brings nothing writes nothing)."""

    def __init__(self, conn, source: str, files: int, added: int, now: datetime):
        self.conn, self.row, self.made = conn, {"started_at": now, "source": source, "tool_version": __version__,
                                                "files": files, "added": added}, None

    @property
    def id(self) -> int:
        if self.made is None:
            self.made = self.conn.execute(sa.insert(t.batches).returning(t.batches.c.id), self.row).scalar_one()
        return self.made


class _AgencyIds:
    """Agencies by the body they name (as the audit groups names: `audit.pairing.Agencies`), made when new."""

    def __init__(self, conn):
        self.conn = conn
        self.names = Agencies()
        self.ids: dict[str, int] = {}
        for ident, name in conn.execute(sa.select(t.agencies.c.id, t.agencies.c.name)):
            self.ids[self.names.key(name)] = ident

    def id_of(self, name: str, printed: str) -> int | None:
        key = self.names.key(name)
        if not key:
            return None
        if key not in self.ids:
            self.ids[key] = self.conn.execute(sa.insert(t.agencies).returning(t.agencies.c.id), {
                "name": name, "printed_name": printed or name, "level": level_of(name),
                "area": area_of(name)}).scalar_one()
        return self.ids[key]


def _store_reports(conn, batch_id: int, items: list[_Item], agencies: _AgencyIds) -> int:
    """Insert the reports (and set-aside files) of a chunk with their cells and findings; corrected files counted."""
    rows, payloads = [], []
    versions = 0
    for item in items:
        r = item.report
        if item.status == REPORT:
            agency_id = agencies.id_of(r.agency, r.agency_as_written)
            version = _next_version(conn, agency_id, r.year)
            versions += version > 1
            rows.append({"batch_id": batch_id, "agency_id": agency_id, "status": REPORT, "file": r.file,
                         "file_hash": item.hash, "year": r.year, "version": version,
                         "agency_as_printed": r.agency_as_written, "format": r.format, "form": r.form,
                         "tables": r.table_status, "errors": r.errors, "warnings": r.warnings,
                         "last_year_share": _share(r.last_year.share if r.last_year else None),
                         "other_share": _share(r.other_share), "reason": None, "markdown": r.markdown,
                         "prose_html": r.prose_html})
            payloads.append((r, agency_id, version))
        else:
            rows.append({"batch_id": batch_id, "agency_id": None, "status": item.status, "file": r.file,
                         "file_hash": item.hash, "year": r.year, "version": 1, "agency_as_printed": r.agency,
                         "format": None, "form": r.form, "tables": None, "errors": 0, "warnings": 0,
                         "last_year_share": None, "other_share": None, "reason": r.reason, "markdown": None,
                         "prose_html": None})
            payloads.append(None)
    ids = conn.execute(sa.insert(t.reports).returning(t.reports.c.id, sort_by_parameter_order=True), rows).scalars().all()
    cells, findings, metrics = [], [], []
    for item, ident, payload in zip(items, ids, payloads):
        item.id = ident
        if payload is None:
            continue
        report, agency_id, version = payload
        stats = report.stats
        if stats is not None:
            read = cell_rows(stats, report.printed)
            cells += [(ident, *(cell[k] for k in CELL_COLUMNS)) for cell in read]
            metrics += metric_rows(ident, {cell["path"]: cell["value"] for cell in read})
        reviews = _reviews_of_previous(conn, agency_id, report.year, version) if version > 1 else {}
        for f in report.findings:
            mark = _fingerprint(f)
            row = {"report_id": ident, "severity": f.severity, "category": f.category, "kind": f.kind or "",
                   "line": f.line, "section": f.section or None, "quote": f.text or None, "message": f.message,
                   "expected": f.expected, "found": f.found, "fingerprint": mark, "review_status": UNREVIEWED,
                   "review_note": None, "reviewer": None, "reviewed_at": None}
            row.update(reviews.get(mark, {}))
            findings.append(row)
    if cells:
        _insert_plain(conn, t.cells, ("report_id", *CELL_COLUMNS), cells)
    if findings:
        conn.execute(sa.insert(t.findings), findings)
    if metrics:
        conn.execute(sa.insert(t.metrics), metrics)
    return versions


CELL_COLUMNS = ("table_name", "row_label", "column_label", "path", "printed", "value", "meaning")


def _insert_plain(conn, table, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert many rows given as tuples straight through the driver (the cells: a few hundred a report, where
    building a statement's parameters row by row would take longer than writing them)."""
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    names = ", ".join(columns)
    if conn.dialect.name == "sqlite":           # (the driver takes no Decimal: as text, which SQLite stores as a number)
        at = columns.index("value") if "value" in columns else -1
        rows = [(*r[:at], None if r[at] is None else str(r[at]), *r[at + 1:]) for r in rows] if at >= 0 else rows
    conn.exec_driver_sql(f"INSERT INTO {table.name} ({names}) VALUES ({', '.join([mark] * len(columns))})", rows)


def _share(value) -> Decimal | None:
    return None if value is None else Decimal(str(round(value, 4)))


def _next_version(conn, agency_id: int | None, year: int) -> int:
    if agency_id is None:
        return 1
    top = conn.execute(sa.select(sa.func.max(t.reports.c.version)).where(
        t.reports.c.agency_id == agency_id, t.reports.c.year == year)).scalar()
    return (top or 0) + 1


def _fingerprint(finding) -> str:
    """The same finding in another version of a report: its kind, cell and sentence."""
    key = "|".join((finding.category, finding.kind or "", ".".join(map(str, finding.path)), finding.text or ""))
    return hashlib.sha1(key.encode("utf-8")).hexdigest()


def _reviews_of_previous(conn, agency_id: int, year: int, version: int) -> dict[str, dict]:
    """The reviews given to the findings of the version before, by fingerprint (a corrected file inherits them)."""
    previous = sa.select(t.reports.c.id).where(t.reports.c.agency_id == agency_id, t.reports.c.year == year,
                                               t.reports.c.version == version - 1).scalar_subquery()
    f = t.findings.c
    rows = conn.execute(sa.select(f.fingerprint, f.review_status, f.review_note, f.reviewer, f.reviewed_at).where(
        f.report_id == previous, f.review_status != UNREVIEWED))
    return {r.fingerprint: {"review_status": r.review_status, "review_note": r.review_note, "reviewer": r.reviewer,
                            "reviewed_at": r.reviewed_at} for r in rows}


def _store_similarities(conn, reports, ids: dict[str, int], batch: _Batch) -> int:
    """Pairs of reports sharing prose, not stored before."""
    wanted = {}
    for report in reports:
        a = ids.get(report.file)
        for similar in report.similar_to:
            b = ids.get(similar.file)
            if a and b and a != b:
                wanted.setdefault((a, b), {"report_id": a, "other_report_id": b, "share": _share(similar.share),
                                           "passage": similar.passage})
    if not wanted:
        return 0
    s = t.similarities.c
    have = set()
    for chunk in _chunks(sorted({a for a, _ in wanted}), 500):
        have |= set(conn.execute(sa.select(s.report_id, s.other_report_id).where(s.report_id.in_(chunk))).all())
    rows = [{**row, "batch_id": batch.id} for pair, row in wanted.items() if pair not in have]
    if rows:
        conn.execute(sa.insert(t.similarities), rows)
    return len(rows)


def _store_clusters(conn, clusters, ids: dict[str, int], batch: _Batch) -> int:
    """Clusters of reports with the same prose, not stored before (a cluster is known by its members)."""
    added = 0
    for cluster in clusters:
        members = sorted({ids[f] for f in cluster.files if f in ids})
        if len(members) < 2:
            continue
        key = hashlib.sha1(",".join(map(str, members)).encode()).hexdigest()
        if conn.execute(sa.select(t.clusters.c.id).where(t.clusters.c.members_key == key)).first():
            continue
        ident = conn.execute(sa.insert(t.clusters).returning(t.clusters.c.id), {
            "batch_id": batch.id, "size": len(members), "share_min": _share(cluster.low),
            "share_max": _share(cluster.high), "passage": cluster.passage, "members_key": key}).scalar_one()
        conn.execute(sa.insert(t.cluster_members), [{"cluster_id": ident, "report_id": m} for m in members])
        added += 1
    return added
