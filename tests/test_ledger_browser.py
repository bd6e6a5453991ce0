"""drafter serve --db in a real browser: filter the list, open a report, mark a finding 属实 through htmx (the
page's CSRF token and origin accepted by the Guard), and find the review there after reloading."""

from __future__ import annotations

import shutil
import socket
import threading
import time

import pytest
from audit_batch import REPORTS

sync_api = pytest.importorskip("playwright.sync_api")
WAIT_MS = 15000


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def served(tmp_path):
    import uvicorn

    from report_drafter.services.audit import audit
    from report_drafter.services.ledger import open_ledger
    from report_drafter.web.ledgerview import create_ledger_app

    root = tmp_path / "年报"
    root.mkdir()
    for name in ("104_pingtan-zhsyq_2022.txt", "108_shanghai-kw_2024.md", "README.md"):
        shutil.copy(REPORTS / name, root / name)
    database = tmp_path / "audit.sqlite"
    open_ledger(database).store(audit([root], jobs=1))
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_ledger_app(str(database), port=port), host="127.0.0.1", port=port,
                                           log_level="warning", timeout_graceful_shutdown=1))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(5)


def test_filter_open_and_review_in_the_browser(browser, served):
    expect = sync_api.expect
    context = browser.new_context(locale="zh-CN")
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    page.goto(served + "/")
    expect(page.locator("p.summary")).to_contain_text("共 2 份报告")
    page.fill("input[name=q]", "科委")
    expect(page.locator("p.summary")).to_contain_text("共 1 份报告")          # (htmx: the rows replaced as one types)
    page.click("text=上海市科委")
    expect(page.locator("h1")).to_contain_text("上海市科委 2024 年度报告")
    first = page.locator("li.finding").first
    first.locator("select[name=status]").select_option("属实")
    first.locator("input[name=note]").fill("已电话核实")
    first.locator("button").click()
    expect(page.locator("li.finding").first.locator(".when")).to_contain_text("属实")
    page.reload()
    expect(page.locator("li.finding").first.locator("input[name=note]")).to_have_value("已电话核实")
    context.close()
