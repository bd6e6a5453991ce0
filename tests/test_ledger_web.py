"""drafter serve --db: the supervisor's view of the ledger, through its HTTP surface, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import re
import shutil

import pytest
from audit_batch import FIXTURES, REPORTS, seed_text
from ledger_db import BACKENDS, fresh_url

from report_drafter.services.audit import audit
from report_drafter.services.ledger import open_ledger

REAL = ("104_pingtan-zhsyq_2022.txt", "105_pingtan-zhsyq_2023.txt", "108_shanghai-kw_2024.md",
        "109_shanghai-szfbgt_2025.md")
TOWNS = ("东风镇", "西湖乡", "南岭镇", "北山乡", "青石镇", "白沙乡")
ORIGIN = "http://127.0.0.1:8765"


@pytest.fixture(scope="module")
def audited(tmp_path_factory):
    root = tmp_path_factory.mktemp("web") / "年报"
    root.mkdir()
    for name in REAL:
        shutil.copy(REPORTS / name, root / name)
    shutil.copy(REPORTS / "README.md", root / "README.md")
    shutil.copy(FIXTURES / "import" / "format-template-2021.docx", root / "模板.docx")
    for town in TOWNS:
        (root / f"{town}.txt").write_text(seed_text().replace("中牟县科技工信局", f"某县{town}人民政府"), encoding="utf-8")
    return audit([root], jobs=1)


@pytest.fixture(params=BACKENDS)
def client(request, tmp_path, audited):
    from fastapi.testclient import TestClient

    from report_drafter.web.ledgerview import create_ledger_app

    url, drop = fresh_url(request.param, tmp_path)
    ledger = open_ledger(url)
    ledger.store(audited)
    ledger.engine.dispose()
    app = create_ledger_app(url, port=8765)
    with TestClient(app, base_url=ORIGIN) as http:
        http.ledger, http.audited = app.state.ledger, audited
        yield http
    app.state.ledger.engine.dispose()
    drop()


def report_id(client, file: str) -> int:
    page = client.get("/", params={"q": file}).text
    return int(re.search(r'href="/reports/(\d+)"', page).group(1))


def test_the_list_ranks_reports_only_and_searches_filters_sorts(client):
    page = client.get("/").text
    assert "共 10 份报告" in page and "2 个不是年报的文件" in page
    assert "README.md" not in page.split("<table")[1] and "模板.docx" not in page.split("<table")[1]
    assert "共 1 份报告" in client.get("/", params={"q": "上海市科委"}).text
    assert "共 6 份报告" in client.get("/", params={"copied": "1"}).text
    assert "共 1 份报告" in client.get("/", params={"year": "2025"}).text
    by_errors = re.findall(r'class="n (?:bad)?">(\d+)</td>', client.get("/", params={"sort": "errors"}).text)
    assert [int(n) for n in by_errors][:2] == sorted((int(n) for n in by_errors[:2]), reverse=True)
    rows = client.get("/", params={"sort": "agency"}, headers={"hx-request": "true"}).text
    assert "<html" not in rows and "<table" in rows          # (htmx gets the rows only)


def test_detail_shows_metrics_against_peers_tables_and_marked_prose(client):
    page = client.get(f"/reports/{report_id(client, '104_pingtan-zhsyq_2022.txt')}").text
    row = re.search(r'<tr id="metric-disclosure_rate">(.*?)</tr>', page, re.S).group(1)
    assert "公开率" in row and "40%" in row.replace("</td>", "").replace('<td class="n">', "")
    assert "1 / 1" in row                                     # rank among the year's 县级 peers
    assert 'href="#cell-requests.outcomes.disclosed.6"' in row   # drill-down: the metric to its cells
    assert 'id="cell-requests.outcomes.disclosed.6"' in page
    assert "核对过的数字已标记" in page and '<mark class="m-verified"' in page
    assert "下载问题清单（Word）" in page


def test_a_review_is_stored_checked_for_origin_and_token_and_survives_a_reaudit(client):
    rid = report_id(client, "105_pingtan-zhsyq_2023.txt")
    page = client.get(f"/reports/{rid}").text
    finding = int(re.search(r'hx-post="/findings/(\d+)/review"', page).group(1))
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    form = {"status": "属实", "note": "已电话核实", "reviewer": "张三"}
    assert client.post(f"/findings/{finding}/review", data=form, headers={"X-CSRF-Token": csrf}).status_code == 403
    assert client.post(f"/findings/{finding}/review", data=form, headers={"Origin": ORIGIN}).status_code == 403
    done = client.post(f"/findings/{finding}/review", data=form, headers={"Origin": ORIGIN, "X-CSRF-Token": csrf})
    assert done.status_code == 200 and "属实（张三" in done.text
    bad = client.post(f"/findings/{finding}/review", data={"status": "好"}, headers={"Origin": ORIGIN, "X-CSRF-Token": csrf})
    assert bad.status_code == 400 and "核实结果只能是" in bad.text
    stored = client.ledger.store(client.audited)             # audited again: nothing new
    assert stored.added == 0
    again = client.get(f"/reports/{rid}").text
    assert re.search(rf'id="finding-{finding}".*?<option selected>属实</option>.*?value="已电话核实"', again, re.S)
    assert "共 1 份报告" in client.get("/", params={"review": "属实"}).text


def test_clusters_exports_and_sums(client):
    assert "这 6 份报告正文相同" in client.get("/clusters").text
    exported = client.get("/export.csv", params={"year": "2023"})
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["机关", "级别", "地区"] and len(rows) == 1 + 7
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(client.get("/export.xlsx").content))
    assert book["审查结果"].max_row == 1 + 10
    sums = client.get("/sums", params={"year": "2023"}).text
    assert "计入 7 份报告" in sums and "README.md" not in sums and "模板.docx" not in sums
    assert client.get("/sums.xlsx", params={"year": "2023"}).status_code == 200
    assert "模板.docx" in client.get("/set-aside").text


def test_the_issue_list_of_an_agency_is_a_word_file(client):
    from docx import Document

    page = client.get(f"/reports/{report_id(client, '108_shanghai-kw_2024.md')}").text
    agency = re.search(r'href="/agencies/(\d+)/issues.docx"', page).group(1)
    answer = client.get(f"/agencies/{agency}/issues.docx")
    assert answer.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(answer.content)).paragraphs)
    assert "上海市科委政府信息公开工作年度报告问题清单" in text and "2024 年度报告" in text
    assert client.get("/agencies/99999/issues.docx").status_code == 404


def test_away_from_loopback_the_token_is_needed(tmp_path, audited):
    from fastapi.testclient import TestClient

    from report_drafter.web.ledgerview import create_ledger_app

    path = tmp_path / "a.sqlite"
    open_ledger(path).store(audited)
    app = create_ledger_app(str(path), host="0.0.0.0", port=8765, access_token="t0ken")
    with TestClient(app, base_url=ORIGIN) as http:
        assert http.get("/").status_code == 401
        assert http.get("/", headers={"X-Drafter-Token": "t0ken"}).status_code == 200
