"""The audit ledger: the same rows in SQLite and PostgreSQL; a second audit adds nothing; a corrected file is a new
version; reviews survive re-audits; files that are not reports are stored apart and never compared or summed."""

from __future__ import annotations

import shutil
from decimal import Decimal

import pytest
import sqlalchemy as sa
from audit_batch import FIXTURES, REPORTS
from ledger_db import BACKENDS, PG_URL, fresh_url

from report_drafter.services.audit import audit
from report_drafter.services.ledger import LedgerError, open_ledger
from report_drafter.services.ledger import schema as t
from report_drafter.services.ledger.cells import meaning

REAL = ("103_pingtan-zhsyq_2021.txt", "104_pingtan-zhsyq_2022.txt", "105_pingtan-zhsyq_2023.txt",
        "108_shanghai-kw_2024.md", "109_shanghai-szfbgt_2025.md")


def make_folder(root):
    root.mkdir(parents=True)
    for name in REAL:
        shutil.copy(REPORTS / name, root / name)
    shutil.copy(REPORTS / "README.md", root / "README.md")
    shutil.copy(FIXTURES / "import" / "format-template-2021.docx", root / "模板.docx")
    return root


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return make_folder(tmp_path_factory.mktemp("ledger") / "年报")


@pytest.fixture(scope="module")
def audited(folder):
    return audit([folder], jobs=1)


@pytest.fixture(params=BACKENDS)
def ledger(request, tmp_path):
    url, drop = fresh_url(request.param, tmp_path)
    opened = open_ledger(url)
    yield opened
    opened.engine.dispose()
    drop()


def rows(ledger, table, *columns, where=None) -> list[tuple]:
    query = sa.select(*(table.c[c] for c in columns))
    if where is not None:
        query = query.where(where)
    with ledger.engine.connect() as conn:
        return sorted(tuple(row) for row in conn.execute(query))


def test_an_audit_is_stored_and_a_second_run_adds_nothing(ledger, audited):
    first = ledger.store(audited)
    assert (first.added, first.unchanged, first.versions) == (7, 0, 0)
    counts = ledger.counts()
    assert counts["batches"] == 1 and counts["reports"] == 7 and counts["cells"] > 5 * 150
    assert counts["findings"] > 0 and counts["metrics"] == 5 * 10
    again = ledger.store(audited)
    assert (again.batch_id, again.added, again.unchanged) == (None, 0, 7)
    assert ledger.counts() == counts


def test_reports_agencies_and_set_aside_files(ledger, audited):
    ledger.store(audited)
    stored = rows(ledger, t.reports, "file", "status", "year", "version")
    assert [(f, s) for f, s, _, _ in stored] == [
        ("103_pingtan-zhsyq_2021.txt", "report"), ("104_pingtan-zhsyq_2022.txt", "report"),
        ("105_pingtan-zhsyq_2023.txt", "report"), ("108_shanghai-kw_2024.md", "report"),
        ("109_shanghai-szfbgt_2025.md", "report"), ("README.md", "not_a_report"), ("模板.docx", "blank_template")]
    assert rows(ledger, t.agencies, "name", "level", "area") == [
        ("上海市人民政府办公厅", "市级", "上海市"), ("上海市科委", "市级", "上海市"), ("平潭综合实验区", "县级", "平潭综合实验区")]
    aside = sa.select(t.reports.c.id).where(t.reports.c.status != "report")
    assert rows(ledger, t.cells, "id", where=t.cells.c.report_id.in_(aside)) == []
    assert rows(ledger, t.metrics, "id", where=t.metrics.c.report_id.in_(aside)) == []


def test_cells_keep_where_they_are_and_what_they_mean(ledger, audited):
    ledger.store(audited)
    report = sa.select(t.reports.c.id).where(t.reports.c.file == "104_pingtan-zhsyq_2022.txt").scalar_subquery()
    cells = {r[0]: r[1:] for r in rows(ledger, t.cells, "path", "table_name", "row_label", "column_label", "printed",
                                       "value", "meaning", where=t.cells.c.report_id == report)}
    assert cells["requests.outcomes.disclosed.6"] == ("表三", "（一）予以公开", "总计", "21", Decimal(21), "number")
    assert cells["active.rules.issued"] == ("表二", "规章", "本年制发件数", "0", Decimal(0), "zero")
    assert cells["active.fees"][3:5] == ("9116.36", Decimal("9116.36"))


def test_a_blank_total_the_row_sums_fill_in_is_stored_as_derived(ledger, audited):
    """108 prints 结转下年度继续办理 with its 总计 blank and its parts adding up to 1 (cells.derive)."""
    ledger.store(audited)
    report = sa.select(t.reports.c.id).where(t.reports.c.file == "108_shanghai-kw_2024.md").scalar_subquery()
    [cell] = rows(ledger, t.cells, "printed", "value", "meaning",
                  where=(t.cells.c.report_id == report) & (t.cells.c.path == "requests.carried_forward.6"))
    assert cell == ("", Decimal(1), "derived")          # printed blank, the value the checks use


@pytest.mark.parametrize("printed, value, expected", [
    ("12", 12, "number"), ("0", 0, "zero"), (None, None, "blank"), ("/", None, "not_applicable"),
    ("—", None, "not_applicable"), ("不适用", None, "not_applicable"), ("", None, "blank"), ("3.5", Decimal("3.5"), "number"),
])
def test_meaning_of_a_cell(printed, value, expected):
    assert meaning(printed, value) == expected


def test_metrics_and_percentiles_among_peers(ledger, audited):
    ledger.store(audited)
    m, r = t.metrics.c, t.reports.c
    found = rows(ledger, t.metrics, "key", "value", "undefined", "peers",
                 where=m.report_id == sa.select(r.id).where(r.file == "104_pingtan-zhsyq_2022.txt").scalar_subquery())
    metrics = {key: (value, undefined, peers) for key, value, undefined, peers in found}
    assert metrics["disclosure_rate"] == (Decimal("40.00"), None, 1)      # (21 + 9) / 75
    assert metrics["applications"][0] == Decimal(74)
    change = rows(ledger, t.metrics, "change", where=sa.and_(m.key == "applications", m.report_id == sa.select(r.id).where(
        r.file == "105_pingtan-zhsyq_2023.txt").scalar_subquery()))
    assert change[0][0] is not None                                       # against 平潭 2022
    assert rows(ledger, t.benchmarks, "year", "level", "key", "peers", where=t.benchmarks.c.key == "applications")[:2] == [
        (2021, "县级", "applications", 1), (2022, "县级", "applications", 1)]


def test_a_corrected_file_is_a_new_version_and_inherits_the_reviews(ledger, tmp_path):
    root = tmp_path / "年报"
    root.mkdir()
    shutil.copy(REPORTS / "104_pingtan-zhsyq_2022.txt", root / "平潭.txt")
    ledger.store(audit([root], jobs=1))
    f = t.findings.c
    first = rows(ledger, t.findings, "id", "fingerprint", "category")
    target = first[0]
    ledger.review(target[0], "属实", note="已电话核实", reviewer="张三")
    ledger.store(audit([root], jobs=1))                     # the same bytes: nothing new, the review stays
    assert rows(ledger, t.findings, "review_status", "review_note", where=f.id == target[0]) == [("属实", "已电话核实")]
    text = (root / "平潭.txt").read_text(encoding="utf-8")
    (root / "平潭.txt").write_text(text + "\n", encoding="utf-8")      # corrected (here: a line added)
    stored = ledger.store(audit([root], jobs=1))
    assert (stored.added, stored.versions) == (1, 1)
    assert rows(ledger, t.reports, "file", "version") == [("平潭.txt", 1), ("平潭.txt", 2)]
    inherited = rows(ledger, t.findings, "review_status", "reviewer", where=sa.and_(
        f.fingerprint == target[1], f.report_id != sa.select(f.report_id).where(f.id == target[0]).scalar_subquery()))
    assert inherited == [("属实", "张三")]


def test_a_review_must_be_one_of_the_four(ledger, audited):
    ledger.store(audited)
    with pytest.raises(LedgerError, match="核实结果只能是待核实、属实、误报、已整改之一"):
        ledger.review(1, "好的")
    with pytest.raises(LedgerError, match="没有编号为 99999 的核对结果"):
        ledger.review(99999, "误报")


def test_clusters_and_pairs_are_stored_once(ledger, tmp_path):
    root = tmp_path / "年报"
    root.mkdir()
    seed = (FIXTURES / "import" / "zhongmou-kjgxj-2023.txt").read_text(encoding="utf-8")
    for town in ("东风镇", "西湖乡", "南岭镇"):
        (root / f"{town}.txt").write_text(seed.replace("中牟县科技工信局", f"某县{town}人民政府"), encoding="utf-8")
    result = audit([root], jobs=1)
    ledger.store(result)
    ledger.store(result)
    assert rows(ledger, t.clusters, "size") == [(3,)]
    assert len(rows(ledger, t.cluster_members, "report_id")) == 3
    assert len(rows(ledger, t.similarities, "id")) == 6


def test_the_migrations_make_the_schema_the_code_expects(ledger):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with ledger.engine.connect() as conn:
        context = MigrationContext.configure(conn)
        assert context.get_current_revision() is not None
        diffs = [d for d in compare_metadata(context, t.metadata) if not _type_only(d)]
    assert diffs == []
    open_ledger(ledger.engine.url.render_as_string(hide_password=False)).engine.dispose()   # opened again: no-op


def _type_only(diff) -> bool:
    return isinstance(diff, list) and all(d[0] == "modify_type" for d in diff)


@pytest.mark.skipif(not PG_URL, reason="DRAFTER_TEST_PG_URL 未设置")
def test_sqlite_and_postgresql_hold_the_same_rows(audited, tmp_path):
    dumps = []
    for backend in ("sqlite", "postgresql"):
        url, drop = fresh_url(backend, tmp_path)
        ledger = open_ledger(url)
        ledger.store(audited)
        dumps.append({name: rows(ledger, table, *[c.name for c in table.c if c.name not in ("started_at", "finished_at")])
                      for name, table in t.metadata.tables.items()})
        ledger.engine.dispose()
        drop()
    for name in dumps[0]:
        assert dumps[0][name] == dumps[1][name], name


def test_a_database_that_cannot_be_opened_is_told_in_chinese(tmp_path):
    with pytest.raises(LedgerError, match="所在的文件夹不存在"):
        open_ledger(tmp_path / "没有" / "a.sqlite")
    with pytest.raises(LedgerError, match="无法打开数据库 postgresql\\+psycopg://nobody:\\*\\*\\*@127.0.0.1:1/x") as caught:
        open_ledger("postgresql://nobody:secret@127.0.0.1:1/x")
    assert "secret" not in str(caught.value)


def test_a_jump_from_the_year_before_is_a_finding_with_its_figures(ledger, tmp_path):
    root = tmp_path / "年报"
    root.mkdir()
    for name in ("102_pingtan-zhsyq_2020.txt", "103_pingtan-zhsyq_2021.txt"):
        shutil.copy(REPORTS / name, root / name)
    ledger.store(audit([root], jobs=1))
    f, r = t.findings.c, t.reports.c
    found = rows(ledger, t.findings, "kind", "expected", "found", "message", where=sa.and_(
        f.category == "metrics", f.report_id == sa.select(r.id).where(r.year == 2021).scalar_subquery()))
    assert ("jump.applications", "21件", "70件",
            "本年新收申请由上年度的 21件 变为 70件（变化 +233%，超过 ±100%）：请核实统计口径和填报是否有误。") in found
    assert all(kind.startswith("jump.") for kind, *_ in found)      # (one agency: no peers to be an outlier among)


@pytest.mark.parametrize("values, q, expected", [
    ([1, 2, 3, 4, 5], 50, "3"), ([1, 2, 3, 4, 5], 25, "2"), ([10, 20], 50, "15"), ([7], 95, "7"), ([0, 10], 5, "0.5"),
])
def test_percentiles_interpolate_between_ranks(values, q, expected):
    from report_drafter.services.ledger.metrics import figure, quantile

    assert figure(quantile([Decimal(v) for v in values], q)) == expected


def test_a_rate_of_nothing_is_not_applicable():
    from report_drafter.services.ledger.metrics import by_key

    rate = by_key()["disclosure_rate"]
    cells = {p: Decimal(0) for p in (*rate.sum, *rate.over)}
    assert rate.value(cells) == (None, "不适用：本年没有办结的申请")
    assert rate.value({**cells, rate.over[0]: None}) == (None, "表格未填")
    assert rate.value({}) == (None, "不适用：表格格式不同")
    assert rate.value({**cells, rate.sum[0]: Decimal(3), rate.over[0]: Decimal(4)}) == (Decimal("75.00"), None)


def test_the_command_line_stores_into_the_output_folder_or_the_database_given(ledger, folder, tmp_path):
    from typer.testing import CliRunner

    from report_drafter.cli import app

    out = tmp_path / "结果"
    run = CliRunner().invoke(app, ["audit", str(folder), "--out", str(out), "--jobs", "1"])
    assert f"已存入数据库 {out / 'audit.sqlite'}：新增 7 个文件。" in run.stdout
    assert open_ledger(out / "audit.sqlite").counts()["reports"] == 7
    url = ledger.engine.url.render_as_string(hide_password=False)
    first = CliRunner().invoke(app, ["audit", str(folder), "--out", str(tmp_path / "二"), "--db", url, "--jobs", "1"])
    again = CliRunner().invoke(app, ["audit", str(folder), "--out", str(tmp_path / "二"), "--db", url, "--jobs", "1"])
    assert "新增 7 个文件。" in first.stdout and "新增 0 个文件，7 个此前已存入，未改动。" in again.stdout
    assert ledger.counts()["reports"] == 7


def test_a_database_that_cannot_be_opened_stops_the_audit_before_it_starts(folder, tmp_path):
    from typer.testing import CliRunner

    from report_drafter.cli import app

    run = CliRunner().invoke(app, ["audit", str(folder), "--out", str(tmp_path / "结果"), "--db",
                                   str(tmp_path / "没有" / "a.sqlite")])
    assert run.exit_code == 2 and "所在的文件夹不存在" in run.stderr
    assert not (tmp_path / "结果" / "index.html").exists()
