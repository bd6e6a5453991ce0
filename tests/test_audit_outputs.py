"""What drafter audit writes: index.html (self-contained, sortable, a detail per report), summary.xlsx,
findings.json and aggregate.stats.yaml; the page in a real browser and the workbook in LibreOffice when installed.
"""

from __future__ import annotations

import csv
import re
import shutil
import subprocess

import pytest
from audit_batch import READABLE, make_batch

from report_drafter.services.audit import audit, write_outputs
from report_drafter.statsfile import read_stats

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    root = make_batch(tmp_path_factory.mktemp("outputs") / "年报")
    result = audit([root], jobs=1, rules="national")
    return result, write_outputs(result, root.parent / "审查结果")


def test_the_four_files(written):
    _, paths = written
    assert {p.name for p in paths.values()} == {"index.html", "summary.xlsx", "findings.json", "aggregate.stats.yaml"}
    assert all(p.parent.name == "审查结果" and p.stat().st_size > 0 for p in paths.values())


def test_page_is_self_contained_with_a_row_and_a_detail_per_report(written):
    result, paths = written
    page = paths["html"].read_text(encoding="utf-8")
    assert not re.search(r"<link|<img|<iframe|<object|\bsrc=|url\(|@import", page)     # nothing loaded from elsewhere
    assert page.count('<tr data-href="#r') == len(result.reports) == len(READABLE)
    assert page.count('<section class="detail" id="r') == len(result.reports)
    for header in ("机关", "年度", "形式", "统计表", "错误", "提示", "与上年度相同", "与其他机关相同（最高）", "得分"):
        assert f">{header}</th>" in page
    assert "无法读取的文件（1）" in page and "broken.pdf 不是有效的 PDF 文件或已损坏" in page


def test_detail_marks_numbers_verified_contradicted_and_unsupported(written):
    result, paths = written
    page = paths["html"].read_text(encoding="utf-8")
    rank = next(i for i, r in enumerate(result.reports, 1) if r.file == "平潭/105_pingtan-zhsyq_2023.txt")
    detail = page[page.index(f'<section class="detail" id="r{rank}">'):]
    detail = detail[:detail.index("</section>")]
    assert re.search(r'<mark class="m-contradiction" title="不一致：应为 470件[^"]*">393件<span class="exp">应为 470件</span></mark>',
                     detail)
    assert detail.count('class="m-verified"') >= 10 and 'class="m-unsupported"' in detail
    assert "上年度报告</dt><dd>平潭/104_pingtan-zhsyq_2022.txt（2022 年）" in detail
    assert "“393件”应为“470件”" in detail                          # the findings beside the prose


def test_text_of_reports_is_escaped(tmp_path):
    from audit_batch import seed_text

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "x.txt").write_text(seed_text().replace("积极开拓公开渠道", "<script>alert(1)</script>"),
                                           encoding="utf-8")
    page = write_outputs(audit([tmp_path / "in"], jobs=1), tmp_path / "out")["html"].read_text(encoding="utf-8")
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_workbook_has_the_same_rows(written):
    from openpyxl import load_workbook

    result, paths = written
    book = load_workbook(paths["xlsx"])
    assert book.sheetnames == ["审查结果", "错误和雷同", "无法读取"]
    rows = list(book["审查结果"].values)
    assert rows[0][:7] == ("序号", "机关", "年度", "文件", "形式", "格式", "统计表") and rows[0][-2:] == ("得分", "扣分原因")
    assert [row[3] for row in rows[1:]] == [r.file for r in result.reports]
    copy = next(row for row in rows[1:] if row[3] == "新郑/xinzheng-2023.html")
    assert copy[rows[0].index("与其他机关相同（最高）")] >= 0.9
    shown = [f for r in result.reports for f in r.findings if f.severity == "error" or f.category == "copying"]
    header, *details = book["错误和雷同"].values
    assert len(details) == len(shown) and shown
    # what a clerk reads is Chinese: the part of the report by its heading, not the program's key for it
    parts = {row[header.index("部分")] for row in details} - {None, ""}
    assert parts and all(re.search(r"[\u4e00-\u9fff]", part) for part in parts), parts


@pytest.mark.skipif(SOFFICE is None, reason="未安装 LibreOffice（soffice）：.ci/run 会用 apt-get 安装 libreoffice-calc-nogui")
def test_workbook_opens_in_libreoffice(written, tmp_path):
    result, paths = written
    done = subprocess.run([SOFFICE, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                           "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1", "--outdir", str(tmp_path),
                           str(paths["xlsx"])], capture_output=True, timeout=180)
    converted = tmp_path / "summary.csv"
    if not converted.exists():
        pytest.skip(f"LibreOffice Calc 不可用：{done.stderr.decode(errors='replace')[-200:]}")
    rows = list(csv.reader(converted.read_text(encoding="utf-8").splitlines()))
    assert rows[0][:4] == ["序号", "机关", "年度", "文件"]
    assert [row[3] for row in rows[1:]] == [r.file for r in result.reports]


def test_aggregate_documents_are_stats_files(written):
    result, paths = written
    text = paths["yaml"].read_text(encoding="utf-8")
    documents = text.split("---\n")
    assert len(documents) == len(result.aggregates) == 4
    for document, aggregate in zip(documents, result.aggregates):
        stats = read_stats(document, "aggregate.stats.yaml").stats
        assert (stats.year, stats.format) == (aggregate.year, aggregate.format)
        assert f"# 表三计入 {len(aggregate.included['requests'])} 份：" in document
    this_year = documents[[a.year for a in result.aggregates].index(2023)]
    assert "只计入一个（表格完整的优先），未重复计入：中牟/zhongmou-2023.docx" in this_year


def test_page_in_a_browser_sorts_and_opens_a_detail(written, browser):
    result, paths = written
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(paths["html"].as_uri())
    assert page.locator("#reports tbody tr").count() == len(result.reports)
    errors = page.locator("#reports th", has_text="错误")
    errors.click()
    errors.click()                                   # descending
    column = [int(t) for t in page.locator("#reports tbody tr td:nth-child(6)").all_inner_texts()]
    assert column == sorted(column, reverse=True)
    page.locator("#reports tbody tr", has_text="105_pingtan-zhsyq_2023.txt").locator("td").nth(2).click()
    detail = page.locator("section.detail:target")
    assert detail.is_visible() and not page.locator("#list").is_visible()
    assert detail.locator("mark.m-contradiction", has_text="393件").is_visible()
    assert detail.locator("aside.findings li.error").count() == 2
    page.go_back()
    assert page.locator("#list").is_visible()
    assert requests == [paths["html"].as_uri()]                # one self-contained page
    page.close()
