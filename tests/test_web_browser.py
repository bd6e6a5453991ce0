"""drafter serve in a real browser: Debian's chromium driven by Playwright, the server started here on a free port.

One browser per test session (per xdist worker), a fresh context per test. Skipped when Playwright
or chromium is missing (.ci/run installs both). With DRAFTER_SCREENSHOTS=docs the screenshots in
the README are taken again.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import socket
import sys
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
sync_api = pytest.importorskip("playwright.sync_api")

sys.path.insert(0, str(Path(__file__).parent))
from conftest import copy_example, sign, use_model_server  # noqa: E402
from openai_stub import Behaviour  # noqa: E402

from report_drafter import document  # noqa: E402

WAIT_MS = 15000
sync_api.expect.set_options(timeout=WAIT_MS)


@pytest.fixture
def open_page(browser):
    contexts = []

    def open_page(width: int = 1280, height: int = 900):
        context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
        context.set_default_timeout(WAIT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.dismiss())
        return page

    yield open_page
    for context in contexts:
        context.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def serve():
    """Start the workbench on a workspace; its base URL."""
    import uvicorn

    from report_drafter.web.app import create_app

    servers = []

    def serve(root: Path) -> str:
        port = free_port()
        server = uvicorn.Server(uvicorn.Config(create_app(root, port=port), host="127.0.0.1", port=port,
                                               log_level="warning", timeout_graceful_shutdown=1))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        servers.append((server, thread))
        deadline = time.monotonic() + 10
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.02)
        return f"http://127.0.0.1:{port}"

    yield serve
    for server, thread in servers:
        server.should_exit = True
        thread.join(timeout=5)


@pytest.fixture
def huaian(tmp_path) -> Path:
    return copy_example("huaian", tmp_path)


def offline_draft(root: Path) -> None:
    from report_drafter import Prompts, generate, get_backend, open_workspace

    ws = open_workspace(root)
    prompts = Prompts(root)
    generate(ws, 2024, get_backend("offline", ws.config, prompts), prompts)


def draft_text(root: Path) -> str:
    return (root / "2024" / "draft.md").read_text(encoding="utf-8")


def tab(page, name: str) -> None:
    page.click(f'nav.tabs a[data-tab="{name}"]')
    page.wait_for_selector(f'#pane > [data-pane="{name}"]')


def test_cell_edit_shows_the_rule_message_on_that_cell(open_page, serve, huaian):
    page = open_page()
    page.goto(serve(huaian) + "/2024")
    page.check("#as-printed")                        # totals as typed: the edit leaves the total wrong
    page.fill("#c-requests-new-0", "3002")
    page.press("#c-requests-new-0", "Tab")
    total = page.locator('td[data-path="requests.new.6"]')
    sync_api.expect(total).to_have_class(re.compile(r"\berror\b"))
    assert total.get_attribute("title") == "自然人至其他各列之和为 3120，总计填写为 3119"
    page.focus("#c-requests-new-6")
    sync_api.expect(page.locator("#cell-status")).to_contain_text("自然人至其他各列之和为 3120，总计填写为 3119")
    sync_api.expect(page.locator("#stats-problems")).to_contain_text("2 处错误")
    assert "new:            [3002," in (huaian / "2024" / "stats.yaml").read_text(encoding="utf-8")
    page.click("text=自动计算合计")
    sync_api.expect(page.locator("#stats-editor .message.ok")).to_contain_text("已按各项之和填写")
    assert "error" not in page.locator('td[data-path="requests.new.6"]').get_attribute("class")


def paste(page, selector: str, text: str) -> None:
    """Paste `text` into a cell as a spreadsheet's copied block arrives (a paste event with text/plain)."""
    page.focus(selector)
    page.evaluate("""([selector, text]) => {
        const data = new DataTransfer();
        data.setData("text/plain", text);
        document.querySelector(selector).dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
    }""", [selector, text])


def cell(page, path: str):
    return page.locator(f'td[data-path="{path}"] input')


def test_grid_takes_a_pasted_row_moves_like_a_spreadsheet_and_computes_totals(open_page, serve, huaian):
    page = open_page()
    page.goto(serve(huaian) + "/2024")
    sync_api.expect(cell(page, "requests.new.6")).to_have_attribute("readonly", "")
    paste(page, "#c-requests-new-0", "2990\t53\t0\t0\t61\t4\t3108\n")
    sync_api.expect(cell(page, "requests.carried_forward.0")).to_have_value("92")      # 2990 + 34 − 2932
    values = [cell(page, f"requests.new.{col}").input_value() for col in range(7)]
    assert values == ["2990", "53", "0", "0", "61", "4", "3108"]
    sync_api.expect(cell(page, "requests.carried_forward.6")).to_have_value("92")
    assert page.locator('td[data-path="requests.new.6"] .cell-msg').count() == 0 or \
        page.locator('td[data-path="requests.new.6"] .cell-msg').inner_text() == ""
    stats = (huaian / "2024" / "stats.yaml").read_text(encoding="utf-8")
    assert "new:            [2990, 53, 0, 0, 61, 4, 3108]" in stats
    paste(page, "#c-requests-carried_over-0", "35\t0\t0\t0\t0\t0\t99")        # a total the parts do not give
    total = page.locator('td[data-path="requests.carried_over.6"]')
    sync_api.expect(total.locator(".cell-msg")).to_have_text("粘贴的是 99，按各项计算为 35")
    paste(page, "#c-requests-carried_over-0", "34\t0\t0\t0\t0\t0\t34")
    sync_api.expect(cell(page, "requests.carried_forward.0")).to_have_value("92")
    assert "carried_forward:  [92, 0, 0, 0, 0, 0, 92]" in stats

    page.focus("#c-requests-new-1")
    page.keyboard.press("Enter")                                       # down, as in Excel
    sync_api.expect(page.locator("#c-requests-carried_over-1")).to_be_focused()
    page.keyboard.press("ArrowDown")
    sync_api.expect(page.locator("#c-requests-outcomes-disclosed-1")).to_be_focused()
    page.keyboard.press("Tab")
    sync_api.expect(page.locator("#c-requests-outcomes-disclosed-2")).to_be_focused()

    page.check("#as-printed")                                          # a published table kept as printed
    sync_api.expect(cell(page, "requests.new.6")).not_to_have_attribute("readonly", "")
    page.fill("#c-requests-new-1", "60")
    page.keyboard.press("Enter")
    edited = page.locator('td[data-path="requests.new.1"]')
    sync_api.expect(edited).to_have_class(re.compile(r"\bbroke\b"))
    sync_api.expect(edited.locator(".cell-msg")).to_contain_text("影响：总计")
    sync_api.expect(page.locator("#stats-counter")).to_contain_text("个单元格有错误")
    page.click("#stats-counter [data-error-step='1']")
    sync_api.expect(page.locator("td.num.error input").first).to_be_focused()
    assert not page.locator("#stats-problems").inner_text().count("stats.yaml:")


def test_numbers_are_never_clipped_on_a_phone(open_page, serve, huaian):
    stats = huaian / "2024" / "stats.yaml"
    stats.write_text(stats.read_text(encoding="utf-8").replace("issued: 1 ", "issued: 447228 "), encoding="utf-8")
    page = open_page(390, 844)
    page.goto(serve(huaian) + "/2024")
    page.wait_for_selector("#stats-editor")
    clipped = page.evaluate("""() => Array.from(document.querySelectorAll('#stats-editor td.num input'))
        .filter((i) => i.scrollWidth > i.clientWidth + 1).map((i) => i.id + '=' + i.value)""")
    assert clipped == []
    assert page.input_value("#c-active-rules-issued") == "447228"


def test_notes_typed_survive_a_tab_switch_and_a_reload(open_page, serve, huaian):
    notes = huaian / "2024" / "notes.md"
    page = open_page()
    page.goto(serve(huaian) + "/2024?tab=notes")
    area = page.locator("form.topic textarea").first
    area.click()
    page.keyboard.type("- 新增记录一条")
    sync_api.expect(page.locator("form.topic .save-state").first).to_contain_text("未保存")
    tab(page, "stats")                                                  # at once, before the autosave delay
    deadline = time.monotonic() + 10
    while "新增记录一条" not in notes.read_text(encoding="utf-8") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "新增记录一条" in notes.read_text(encoding="utf-8")
    tab(page, "notes")
    sync_api.expect(page.locator("form.topic textarea").first).to_have_value(re.compile("新增记录一条"))

    area = page.locator("form.topic textarea").nth(1)
    area.click()
    page.keyboard.type("- 刷新前输入")
    page.reload()
    sync_api.expect(page.locator("form.topic textarea").nth(1)).to_have_value(re.compile("刷新前输入"))
    sync_api.expect(page.locator("form.topic .save-state").nth(1)).to_contain_text("已保存")
    assert "刷新前输入" in notes.read_text(encoding="utf-8")


def test_generate_offline_then_an_edit_on_disk_shows_the_mismatch(open_page, serve, huaian):
    page = open_page()
    page.goto(serve(huaian) + "/2024?tab=drafting")
    page.click("form.generate button")
    page.wait_for_selector(".result .message.ok")
    page.click("text=查看草稿和核对结果")
    verified = page.locator('[data-check="verified"]')
    sync_api.expect(verified.first).to_be_visible()
    assert verified.count() >= 30
    assert page.locator('[data-check="verified"]', has_text="3119件").first.get_attribute("title") == \
        "来源：表三 一、本年新收政府信息公开申请数量 · 总计"
    path = huaian / "2024" / "draft.md"
    path.write_text(draft_text(huaian).replace("全年制发规章1件", "全年制发规章2件"), encoding="utf-8")
    page.reload()
    mismatch = page.locator('[data-check="mismatch"]')
    sync_api.expect(mismatch).to_have_count(1)
    assert mismatch.inner_text() == "2件"
    assert mismatch.get_attribute("title") == "应为 1件（来源：表二 规章 · 本年制发件数）"
    page.click(".check a[data-jump]")
    sync_api.expect(mismatch).to_be_focused()


PROBLEMS = "（一）存在的主要问题\n一是政策解读形式较为单一，图解和视频解读偏少。\n（二）改进情况\n一是丰富政策解读形式，增加图解和视频解读。"
SECOND = "（一）存在的主要问题\n一是政务新媒体更新不够及时。\n（二）改进情况\n一是建立政务新媒体定期更新和检查制度。"


def test_fix_on_a_mark_writes_the_draft_and_checks_again(open_page, serve, huaian):
    offline_draft(huaian)
    sign(huaian, 2024)
    path = huaian / "2024" / "draft.md"
    path.write_text(draft_text(huaian).replace("全年制发规章1件", "全年制发规章2件"), encoding="utf-8")
    page = open_page()
    page.goto(serve(huaian) + "/2024?tab=draft")
    sync_api.expect(page.locator('[data-check="mismatch"]')).to_have_count(1)
    item = page.locator(".check li", has=page.locator("button.fix"))
    sync_api.expect(item.locator(".where")).to_contain_text("一、总体情况 第")
    item.locator("button.fix", has_text="改为 1件").click()
    sync_api.expect(page.locator(".check .message.ok")).to_contain_text("已把“2件”改为“1件”")
    sync_api.expect(page.locator('[data-check="mismatch"]')).to_have_count(0)
    sync_api.expect(page.locator(".check")).to_contain_text("没有错误")
    assert "全年制发规章1件" in draft_text(huaian)
    assert list((huaian / "2024" / ".history").iterdir())


def test_regenerate_streams_then_reject_then_accept(open_page, serve, huaian, model_server):
    offline_draft(huaian)
    use_model_server(huaian, model_server.url)
    model_server.script(Behaviour(text=PROBLEMS, chunk_chars=2, chunk_delay=0.04),
                        Behaviour(text=SECOND, chunk_chars=2, chunk_delay=0.01))
    before = draft_text(huaian)
    page = open_page()
    page.goto(serve(huaian) + "/2024?tab=drafting")
    sync_api.expect(page.locator("#engine")).to_contain_text("模型 stub-model")
    form = page.locator('form[hx-post="/2024/regenerate/problems"]')
    form.locator('input[name="instruction"]').fill("问题写具体些")
    form.locator("button").click()
    partial = page.wait_for_function(
        "() => { const p = document.querySelector('#regen-problems .stream pre');"
        " return p && p.textContent.length >= 6 && !document.querySelector('#regen-problems .proposal') && p.textContent; }")
    streamed = partial.json_value()
    assert PROBLEMS.startswith(streamed) and len(streamed) < len(PROBLEMS)     # seen while the model was still writing
    proposal = page.locator("#regen-problems .proposal")
    sync_api.expect(proposal.locator("ins").first).to_be_visible()
    proposal.locator(".actions button", has_text="拒绝").click()
    sync_api.expect(page.locator("#regen-problems")).to_contain_text("已拒绝修改稿，草稿未改动")
    assert draft_text(huaian) == before
    form.locator("button").click()
    proposal = page.locator("#regen-problems .proposal")
    sync_api.expect(proposal).to_contain_text("政务新媒体更新不够及时")
    proposal.locator(".actions button", has_text="接受").click()
    sync_api.expect(page.locator("#pane .message.ok")).to_contain_text("已用修改稿替换“五、存在的主要问题及改进情况”")
    assert document.parse_document(draft_text(huaian)).body("problems") == SECOND
    sync_api.expect(page.locator("#pane")).to_contain_text("被“drafter serve（网页工作台）：接受“五、存在的主要问题及改进情况”的修改稿”替换")


def test_a_hand_edited_section_is_not_overwritten(open_page, serve, huaian):
    offline_draft(huaian)
    path = huaian / "2024" / "draft.md"
    path.write_text(draft_text(huaian).replace("一是", "一是（我改的）", 1), encoding="utf-8")
    page = open_page()
    page.goto(serve(huaian) + "/2024?tab=drafting")
    sync_api.expect(page.locator(".regen", has_text="五、存在的主要问题及改进情况")).to_contain_text("已手工修改")
    page.click("form.generate button.primary")
    sync_api.expect(page.locator(".result")).to_contain_text("保留“五、存在的主要问题及改进情况”")
    assert "（我改的）" in draft_text(huaian)
    page.locator('form[hx-post="/2024/regenerate/problems"] button').click()
    ask = page.locator("#regen-problems .ask")
    sync_api.expect(ask).to_contain_text("被手工修改过")
    sync_api.expect(ask.locator(".udiff")).to_contain_text("（我改的）")
    ask.locator("button", has_text="取消").click()
    sync_api.expect(ask).to_have_count(0)
    assert "（我改的）" in draft_text(huaian)


def test_export_refused_with_errors_then_allowed(open_page, serve, huaian):
    offline_draft(huaian)
    sign(huaian, 2024)
    path = huaian / "2024" / "draft.md"
    good = draft_text(huaian)
    path.write_text(good.replace("全年制发规章1件", "全年制发规章2件"), encoding="utf-8")
    page = open_page()
    page.goto(serve(huaian) + "/2024?tab=export")
    page.click("text=导出Word 文档")
    refused = page.locator("#export-result .refused")
    sync_api.expect(refused).to_contain_text("未导出")
    sync_api.expect(refused).to_contain_text("“2件”应为“1件”")
    assert not list((huaian / "2024").glob("*.docx"))
    path.write_text(good, encoding="utf-8")
    page.click("text=导出Word 文档")
    sync_api.expect(page.locator("#export-result .message.ok")).to_contain_text("已导出Word 文档")
    with page.expect_download() as download:
        page.click("#export-result a.download")
    assert download.value.suggested_filename == "淮安市人民政府2024年政府信息公开工作年度报告.docx"


def test_cross_origin_post_and_dotdot_path_are_refused(open_page, serve, huaian, tmp_path):
    base = serve(huaian)
    stats = huaian / "2024" / "stats.yaml"
    before = stats.read_text(encoding="utf-8")
    page = open_page()
    page.goto(base + "/2024")                       # the clerk has the workbench open: its cookie is set
    version = page.locator("#stats-version").get_attribute("value")
    other = tmp_path / "other"
    other.mkdir()
    (other / "index.html").write_text(
        f'<!DOCTYPE html><form method="post" action="{base}/2024/stats/cell">'
        f'<input name="path" value="requests.new.0"><input name="value" value="1"><input name="version" value="{version}">'
        '</form><script>document.forms[0].submit()</script>', encoding="utf-8")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(other))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:                                             # another origin: same host, another port
        page.goto(f"http://127.0.0.1:{httpd.server_address[1]}/index.html")
        page.wait_for_url(f"{base}/2024/stats/cell")
        sync_api.expect(page.locator("body")).to_contain_text("拒绝了来自其他网页的请求")
    finally:
        httpd.shutdown()
    assert stats.read_text(encoding="utf-8") == before
    response = page.goto(base + "/2024/files/..%2F..%2Fdrafter.toml")
    assert response.status == 400
    sync_api.expect(page.locator("body")).to_contain_text("不能含有“..”")


@pytest.mark.skipif(not os.environ.get("DRAFTER_SCREENSHOTS"), reason="set DRAFTER_SCREENSHOTS=docs to retake the README's screenshots")
def test_screenshots(open_page, serve, huaian):
    out = Path(os.environ["DRAFTER_SCREENSHOTS"])
    offline_draft(huaian)
    path = huaian / "2024" / "draft.md"
    path.write_text(draft_text(huaian).replace("全年制发规章1件", "全年制发规章2件")
                    .replace("召开新闻发布会12场", "召开新闻发布会13场"), encoding="utf-8")
    base = serve(huaian)
    for width, height, suffix in ((1280, 1180, ""), (414, 860, "-phone")):
        page = open_page(width, height)
        page.goto(base + "/2024")
        page.check("#as-printed")                    # totals kept as typed, so the edit shows what it broke
        original = page.input_value("#c-requests-outcomes-disclosed-0")
        page.fill("#c-requests-outcomes-disclosed-0", str(int(original) + 7))
        page.press("#c-requests-outcomes-disclosed-0", "Tab")
        page.wait_for_selector('td[data-path="requests.outcomes.disclosed.6"].error')
        cell = "requests.outcomes.disclosed.6" if not suffix else "requests.outcomes.total.0"
        page.evaluate("""cell => {
            const td = document.querySelector(`td[data-path="${cell}"]`);
            td.querySelector("input").focus({preventScroll: true});
            const heading = [...document.querySelectorAll(".table-block h3")].find(h => h.textContent.startsWith("表三"));
            if (innerWidth > 600) { heading.scrollIntoView({block: "start"}); scrollBy(0, -50); }
            else { td.scrollIntoView({block: "center"}); td.closest(".table-scroll").scrollLeft = 0; }
        }""", cell)
        page.screenshot(path=str(out / f"web-tables{suffix}.png"))
        page.fill("#c-requests-outcomes-disclosed-0", original)
        page.press("#c-requests-outcomes-disclosed-0", "Tab")
        page.wait_for_selector('td[data-path="requests.outcomes.disclosed.6"]:not(.error)')
        tab(page, "draft")
        page.set_viewport_size({"width": width, "height": 860})
        if suffix:
            page.locator(".check a[data-jump]").last.click()
            page.wait_for_timeout(800)
        else:
            page.locator('[data-check="mismatch"]').scroll_into_view_if_needed()
            page.locator('[data-check="mismatch"]').focus()
        page.screenshot(path=str(out / f"web-draft{suffix}.png"))
