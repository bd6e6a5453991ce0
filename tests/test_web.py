"""drafter serve through its HTTP interface (httpx TestClient): every pane and action, and the safety rules.

The browser itself is driven in test_web_browser.py; here each request is checked for what it
writes to the workspace and what it sends back.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from conftest import FIXTURES, copy_example, use_model_server, sign  # noqa: E402
from openai_stub import Behaviour  # noqa: E402

from report_drafter import document  # noqa: E402
from report_drafter.statsfile import read_stats  # noqa: E402
from report_drafter.web.app import create_app  # noqa: E402

PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"


class Page:
    """A TestClient with the session cookie and the page's CSRF token, as the browser would send them."""

    def __init__(self, root: Path, **app_options):
        self.root = root
        self.client = TestClient(create_app(root, port=PORT, **app_options), base_url=BASE)
        self.csrf = ""

    def get(self, url: str, **kw):
        response = self.client.get(url, **kw)
        found = re.search(r'name="csrf-token" content="([^"]+)"', response.text)
        if found:
            self.csrf = found.group(1)
        return response

    def post(self, url: str, data: dict | None = None, json_reply: bool = False, **kw):
        if not self.csrf:
            self.get("/")
        headers = {"Origin": BASE, "X-CSRF-Token": self.csrf, "HX-Request": "true", **kw.pop("headers", {})}
        if json_reply:
            headers["Accept"] = "application/json"
        return self.client.post(url, data=data or {}, headers=headers, **kw)

    def events(self, html: str) -> list[tuple[str, str]]:
        """The events of the job a response started, read until it ends."""
        url = re.search(r'data-events="([^"]+)"', html).group(1)
        with self.client.stream("GET", url) as stream:
            body = "".join(stream.iter_text())
        out = []
        for block in body.split("\n\n"):
            kind = re.search(r"^event: (\w+)$", block, re.M)
            if kind:
                out.append((kind.group(1), "\n".join(l[6:] for l in block.splitlines() if l.startswith("data: "))))
        return out

    def version(self, html: str, name: str) -> str:
        return re.search(rf'id="{name}" name="version" value="([^"]+)"', html).group(1)

    def stats(self) -> str:
        return (self.root / "2024" / "stats.yaml").read_text(encoding="utf-8")

    def draft(self) -> str:
        return (self.root / "2024" / "draft.md").read_text(encoding="utf-8")


@pytest.fixture
def page(tmp_path) -> Page:
    """The 淮安 2024 example in the workbench, without a draft yet."""
    return Page(copy_example("huaian", tmp_path))


def generate(page: Page) -> list[tuple[str, str]]:
    html = page.get("/2024?tab=drafting").text
    return page.events(page.post("/2024/generate", {"version": page.version(html, "draft-version")}).text)


def stats_version(page: Page) -> str:
    return page.version(page.get("/2024/pane/stats").text, "stats-version")


# ---------- pages ----------

def test_home_lists_years_and_creates_one(page):
    home = page.get("/")
    assert home.status_code == 200 and "2024 年度" in home.text and "统计表校验通过" in home.text
    assert "新建年度" in home.text and "导入已发布的年报" in home.text
    made = page.post("/years", {"year": "2025", "agency": "淮安市人民政府", "format": "2021"})
    assert made.headers["HX-Redirect"] == "/2025"
    assert (page.root / "2025" / "stats.yaml").exists() and (page.root / "2025" / "notes.md").exists()
    html = page.get("/2025").text                      # last year's 结转下年度 and 现行有效件数 carried, and marked
    carried = re.findall(r'class="num [^"]*\bcarried\b[^"]*" data-path="([^"]+)"', html)
    assert carried == ["active.rules.in_force", "active.normative_documents.in_force",
                       "requests.carried_over.0", "requests.carried_over.6"], carried
    assert 'title="取自2024 年“四、结转下年度继续办理”（自然人）"' in html and "校验通过" in html


@pytest.mark.parametrize("tab", ["stats", "notes", "draft", "drafting", "export"])
def test_every_pane_renders_offline(page, tab):
    response = page.get(f"/2024?tab={tab}")
    assert response.status_code == 200
    assert "起草方式：离线模板" in response.text and 'class="active" aria-current="page"' in response.text
    assert "Traceback" not in response.text


def test_missing_year_is_a_page_not_a_crash(page):
    response = page.get("/2031")
    assert response.status_code == 404 and "没有 2031 年度的文件夹" in response.text


def test_tables_editor_shows_the_official_grids_with_fees(page):
    html = page.get("/2024").text
    for name in ("表二", "表三", "表四", "信息处理费", "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"):
        assert name in html
    assert 'data-path="requests.outcomes.total.6"' in html and 'data-path="processing_fees.amount_yuan"' in html
    assert 'rowspan="3" colspan="3"' in html      # the merged header cell of table 三


# ---------- 统计表 ----------

def test_cell_edit_is_saved_with_comments_and_checked(page):
    before = page.stats()
    reply = page.post("/2024/stats/cell", {"path": "requests.new.0", "value": "3002", "version": stats_version(page)},
                      json_reply=True)
    assert reply.status_code == 200
    data = reply.json()
    assert data["marks"]["requests.new.6"]["message"] == "自然人至其他各列之和为 3120，总计填写为 3119"
    assert "requests.carried_forward.0" in data["marks"] and data["errors"] == 2
    after = page.stats()
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines()) if a != b]
    assert len(changed) == 1 and "3002" in changed[0][1] and "#" in changed[0][1]    # one line, its comment kept
    assert read_stats(after, "stats.yaml").stats.requests.new[0] == 3002
    assert list((page.root / "2024" / ".history").glob("*__stats.yaml"))              # the old version kept


def test_a_run_of_cell_edits_is_one_version_in_the_history(page):
    history = page.root / "2024" / ".history"
    original = page.stats()
    for value in ("3002", "3005", "3006"):       # (the example holds 3001)
        reply = page.post("/2024/stats/cell", {"path": "requests.new.0", "value": value, "version": stats_version(page)},
                          json_reply=True)
        assert reply.status_code == 200
    [kept] = history.glob("*__stats.yaml")
    assert kept.read_text(encoding="utf-8") == original          # the file as it was before the first edit
    edited_elsewhere = page.stats().replace("3006", "3007", 1)   # another program writes between two edits
    (page.root / "2024" / "stats.yaml").write_text(edited_elsewhere, encoding="utf-8")
    page.post("/2024/stats/cell", {"path": "requests.new.0", "value": "3008", "version": stats_version(page)},
              json_reply=True)
    assert len(list(history.glob("*__stats.yaml"))) == 2


def test_temporary_files_a_killed_workbench_left_are_removed_on_start(tmp_path):
    import os
    import time

    root = copy_example("huaian", tmp_path)
    stale = [root / ".drafter.toml.a1b2c3d4.tmp", root / "2024" / ".stats.yaml.x_y9z8w7.tmp"]
    fresh = root / "2024" / ".draft.md.q1w2e3r4.tmp"          # a write in progress in another process
    mine = root / "2024" / ".my.tmp"                           # not named as the program names its files
    for path in (*stale, fresh, mine):
        path.write_text("半", encoding="utf-8")
    for path in (*stale, mine):
        os.utime(path, (time.time() - 3600, time.time() - 3600))
    Page(root)
    assert [p.exists() for p in (*stale, fresh, mine)] == [False, False, True, True]


def test_cell_value_that_is_not_a_number_is_refused_and_nothing_written(page):
    before = page.stats()
    reply = page.post("/2024/stats/cell", {"path": "requests.new.0", "value": "三千", "version": stats_version(page)},
                      json_reply=True)
    assert reply.status_code == 422 and reply.json()["message"] == "应为整数，如 12"
    negative = page.post("/2024/stats/cell", {"path": "appeals.review.upheld", "value": "-1",
                                              "version": stats_version(page)}, json_reply=True)
    assert negative.json()["message"] == "不能为负数"
    assert page.stats() == before


def test_full_width_digits_and_money_are_accepted(page):
    version = stats_version(page)
    reply = page.post("/2024/stats/cell", {"path": "active.fees", "value": "１２.５", "version": version}, json_reply=True)
    assert reply.status_code == 200 and reply.json()["value"] == "12.5"
    assert "fees: 12.5" in page.stats()


def test_stale_version_is_a_conflict_and_the_other_edit_survives(page):
    version = stats_version(page)
    path = page.root / "2024" / "stats.yaml"
    elsewhere = path.read_text(encoding="utf-8").replace("  licensing: 447228", "  licensing: 447229")
    path.write_text(elsewhere, encoding="utf-8")                      # the CLI or an editor meanwhile
    reply = page.post("/2024/stats/cell", {"path": "requests.new.0", "value": "3002", "version": version},
                      json_reply=True)
    assert reply.status_code == 409 and "已在别处被修改" in reply.json()["message"]
    assert page.stats() == elsewhere


def test_fill_totals_on_request(page):
    version = stats_version(page)
    edited = page.post("/2024/stats/cell", {"path": "appeals.review.upheld", "value": "80", "version": version},
                       json_reply=True).json()
    assert edited["marks"]["appeals.review.total"]["severity"] == "error"
    filled = page.post("/2024/stats/totals", {"version": edited["version"]})
    assert "已按各项之和填写 1 个合计单元格：表四 行政复议 · 总计" in filled.text
    assert read_stats(page.stats(), "s").stats.appeals.review.total == 359
    assert "校验通过" in filled.text


def test_unreadable_stats_offers_the_text(page):
    path = page.root / "2024" / "stats.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("  licensing: 447228", "  licensing: 多"), encoding="utf-8")
    html = page.get("/2024").text
    assert "应为非负整数" in html and '<textarea name="text"' in html
    fixed = path.read_text(encoding="utf-8").replace("licensing: 多", "licensing: 447228")
    saved = page.post("/2024/stats/text", {"text": fixed, "version": page.version(html, "version") if False else
                                           re.search(r'name="version" value="([^"]+)"', html).group(1)})
    assert saved.status_code == 200 and "stats-editor" in saved.text


# ---------- 工作记录 ----------

def test_note_topic_saved_alone(page):
    notes = page.root / "2024" / "notes.md"
    before = notes.read_text(encoding="utf-8")
    html = page.get("/2024?tab=notes").text
    assert "主动公开了哪些信息、多少条" in html          # each topic's hint
    reply = page.post("/2024/notes/innovation", {"text": "- 开通政策问答专栏 1 个", "version": page.version(html, "notes-version")})
    assert reply.status_code == 200 and "已保存" in reply.text and 'hx-swap-oob="true"' in reply.text
    after = notes.read_text(encoding="utf-8")
    assert after.startswith(before.split("## 年度政务公开工作创新情况")[0])
    assert "- 开通政策问答专栏 1 个" in after


def test_note_conflict_keeps_the_typed_text(page):
    html = page.get("/2024?tab=notes").text
    notes = page.root / "2024" / "notes.md"
    notes.write_text(notes.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    reply = page.post("/2024/notes/fees", {"text": "收费 0 元（我的新记录）", "version": page.version(html, "notes-version")})
    assert reply.status_code == 409 and "收费 0 元（我的新记录）" in reply.text and "重新载入" in reply.text
    assert "我的新记录" not in notes.read_text(encoding="utf-8")


# ---------- 草稿 ----------

def test_generate_offline_then_every_number_is_marked(page):
    events = generate(page)
    assert events[-1][0] == "done" and "已生成 2024/draft.md" in events[-1][1]
    html = page.get("/2024?tab=draft").text
    verified = re.findall(r'data-check="verified" title="([^"]+)"', html)
    assert len(verified) >= 30 and "来源：表三 一、本年新收政府信息公开申请数量 · 总计" in verified
    assert "落款的成文日期还没有填写" in html             # the one thing left to the clerk
    sign(page.root, 2024)
    assert "没有错误" in page.get("/2024?tab=draft").text


def test_draft_edited_on_disk_is_checked_on_reload(page):
    generate(page)
    path = page.root / "2024" / "draft.md"
    text = path.read_text(encoding="utf-8")
    text = text.replace("全年制发规章1件", "全年制发规章2件").replace("召开新闻发布会12场", "召开新闻发布会13场")
    path.write_text(text, encoding="utf-8")
    html = page.get("/2024?tab=draft").text
    mismatch = re.search(r'<span class="num mismatch" data-check="mismatch" title="([^"]+)"[^>]*>([^<]+)</span>', html)
    assert mismatch.groups() == ("应为 1件（来源：表二 规章 · 本年制发件数）", "2件")
    unsupported = re.search(r'data-check="unsupported" title="([^"]+)"[^>]*>([^<]+)<', html)
    assert unsupported.group(1).startswith("请记入工作记录") and unsupported.group(2) == "13场"
    assert 'data-jump="f-' in html and "不一致 1" in html and "无依据 1" in html


def test_review_findings_are_listed_and_marked(page):
    generate(page)
    path = page.root / "2024" / "draft.md"
    path.write_text(path.read_text(encoding="utf-8").replace("扎实推进政府信息公开各项工作。",
                                                            "扎实推进政府信息公开各项工作，圆满完成了任务。"), encoding="utf-8")
    html = page.get("/2024?tab=draft").text
    assert re.search(r'<mark class="finding warning" title="正文中有宣传或修辞性的表述[^"]*"[^>]*id="(f-\d+)"', html)
    assert "文风格式" in html


def test_hand_edit_in_page_and_regenerate_asks_first(page):
    generate(page)
    html = page.get("/2024/draft/section/problems/edit").text
    version = re.search(r'name="version" value="([^"]+)"', html).group(1)
    body = document.parse_document(page.draft()).body("problems")
    mine = body.replace("一是", "一是（手工修改）", 1)
    saved = page.post("/2024/draft/section/problems", {"text": mine, "version": version})
    assert saved.status_code == 200 and "（手工修改）" in page.draft()
    drafting = page.get("/2024?tab=drafting").text
    assert "已手工修改" in drafting
    asked = page.post("/2024/regenerate/problems", {"version": page.version(drafting, "draft-version")})
    assert "被手工修改过" in asked.text and 'name="confirmed" value="1"' in asked.text and "data-events" not in asked.text
    regenerated = page.events(page.post("/2024/regenerate/problems", {"version": page.version(drafting, "draft-version"),
                                                                      "confirmed": "1"}).text)
    assert regenerated[-1][0] == "done" and "修改稿" in regenerated[-1][1]
    assert "（手工修改）" in page.draft()                               # only a proposal so far
    proposal = re.search(r"/2024/proposals/(\w+)/accept", regenerated[-1][1]).group(1)
    page.post(f"/2024/proposals/{proposal}/reject")
    assert "（手工修改）" in page.draft()
    kept = page.events(page.post("/2024/generate", {"version": page.version(page.get("/2024?tab=drafting").text,
                                                                            "draft-version")}).text)
    assert "保留“五、存在的主要问题及改进情况”" in kept[-1][1] and "（手工修改）" in page.draft()


def test_section_conflict_keeps_the_typed_text(page):
    generate(page)
    html = page.get("/2024/draft/section/other/edit").text
    version = re.search(r'name="version" value="([^"]+)"', html).group(1)
    path = page.root / "2024" / "draft.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    reply = page.post("/2024/draft/section/other", {"text": "我的新文字", "version": version})
    assert reply.status_code == 409 and "我的新文字" in reply.text and "我的新文字" not in page.draft()


# ---------- 起草 with a model ----------

PROBLEMS = "（一）存在的主要问题\n一是政策解读形式较为单一。\n（二）改进情况\n一是丰富政策解读形式，增加图解和视频解读。"


@pytest.fixture
def model_page(tmp_path, model_server) -> Page:
    from report_drafter import Prompts, generate as draft, get_backend, open_workspace

    root = copy_example("huaian", tmp_path)
    ws = open_workspace(root)
    prompts = Prompts(root)
    draft(ws, 2024, get_backend("offline", ws.config, prompts), prompts)
    use_model_server(root, model_server.url)
    model_server.default = Behaviour(text=PROBLEMS, chunk_chars=3)
    return Page(root)


def test_regenerate_with_a_model_streams_then_accept(model_page, model_server):
    html = model_page.get("/2024?tab=drafting").text
    assert "起草方式：<strong>模型 stub-model</strong>" in html
    started = model_page.post("/2024/regenerate/problems", {"version": model_page.version(html, "draft-version"),
                                                           "instruction": "写具体些"})
    events = model_page.events(started.text)
    chunks = [json.loads(data) for kind, data in events if kind == "chunk"]
    assert len(chunks) > 5 and "".join(c["text"] for c in chunks) == PROBLEMS
    assert events[-1][0] == "done" and "<ins>" in events[-1][1] and "输入" in events[-1][1]
    assert "写具体些" in model_server.requests[-1].body["messages"][-1]["content"]
    proposal = re.search(r"/2024/proposals/(\w+)/accept", events[-1][1]).group(1)
    accepted = model_page.post(f"/2024/proposals/{proposal}/accept")
    assert "已用修改稿替换“五、存在的主要问题及改进情况”" in accepted.text
    assert document.parse_document(model_page.draft()).body("problems") == PROBLEMS
    again = model_page.post(f"/2024/proposals/{proposal}/accept")
    assert "已失效" in again.text


def test_accept_refuses_a_section_changed_meanwhile(model_page):
    html = model_page.get("/2024?tab=drafting").text
    events = model_page.events(model_page.post("/2024/regenerate/problems", {"version": model_page.version(html, "draft-version")}).text)
    proposal = re.search(r"/2024/proposals/(\w+)/accept", events[-1][1]).group(1)
    path = model_page.root / "2024" / "draft.md"
    path.write_text(path.read_text(encoding="utf-8").replace("一是", "一是（编辑器中改的）", 1), encoding="utf-8")
    refused = model_page.post(f"/2024/proposals/{proposal}/accept", {"text": PROBLEMS + "\n我编辑过。"})
    assert refused.status_code == 409 and "修改稿没有替换它" in refused.text and "（编辑器中改的）" in model_page.draft()
    forced = model_page.post(f"/2024/proposals/{proposal}/accept", {"text": PROBLEMS + "\n我编辑过。", "overwrite": "1"})
    assert "编辑后接受" in forced.text and "我编辑过。" in model_page.draft()


def test_cancel_stops_the_model_and_writes_nothing(model_page, model_server):
    model_server.default = Behaviour(text=PROBLEMS * 5, chunk_chars=1, chunk_delay=0.02)
    html = model_page.get("/2024?tab=drafting").text
    before = model_page.draft()
    started = model_page.post("/2024/regenerate/problems", {"version": model_page.version(html, "draft-version")})
    job = re.search(r"/2024/jobs/(\w+)/cancel", started.text).group(1)
    assert model_page.post(f"/2024/jobs/{job}/cancel").status_code == 200
    events = model_page.events(started.text)
    assert events[-1][0] == "cancelled" and "已取消" in events[-1][1]
    assert model_page.draft() == before


def test_chat_panel_request_becomes_a_proposal(model_page):
    panel = model_page.get("/2024/chat").text
    assert "对话保存在 2024/chat.json" in panel
    asked = model_page.post("/2024/chat", {"message": "写得好一点"})
    assert "这条要求针对哪一部分" in asked.text
    started = model_page.post("/2024/chat", {"message": "问题写得再具体些"})
    events = model_page.events(started.text)
    proposal = re.search(r"/2024/chat/proposals/(\w+)/accept", events[-1][1]).group(1)
    assert "已修改“五、存在的主要问题及改进情况”" in model_page.post(f"/2024/chat/proposals/{proposal}/accept").text
    assert document.parse_document(model_page.draft()).body("problems") == PROBLEMS
    saved = json.loads((model_page.root / "2024" / "chat.json").read_text(encoding="utf-8"))
    assert saved["messages"][0]["content"] == "问题写得再具体些" and saved["usage"]["output_tokens"] > 0
    tokens = model_page.post("/2024/chat", {"message": "/tokens"})
    assert "输入" in tokens.text and "词元" in tokens.text


def test_chat_offline_explains_what_needs_a_model(page):
    generate(page)
    reply = page.post("/2024/chat", {"message": "问题写具体些"})
    assert "需要配置大模型" in reply.text
    helped = page.post("/2024/chat", {"message": "/help"})
    assert "/regen" in helped.text and "/undo" in helped.text


def test_api_key_never_reaches_the_page(model_page, monkeypatch):
    secret = "sk-test-1234567890abcdefSECRET"
    monkeypatch.setenv("OPENAI_API_KEY", secret)
    pages = [model_page.get(f"/2024?tab={tab}").text for tab in ("stats", "notes", "draft", "drafting", "export")]
    pages.append(model_page.get("/2024/chat").text)
    for html in pages:
        assert secret not in html and secret[:4] + "…" not in html


# ---------- 导出, history ----------

def test_export_refused_with_reasons_then_allowed(page):
    generate(page)
    sign(page.root, 2024)
    path = page.root / "2024" / "draft.md"
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("全年制发规章1件", "全年制发规章2件"), encoding="utf-8")
    pane = page.get("/2024?tab=export").text
    assert "草稿核对发现 1 处错误，修改后才能导出" in pane
    refused = page.post("/2024/export/docx")
    assert refused.status_code == 409 and "未导出" in refused.text and "“2件”应为“1件”" in refused.text
    assert not list((page.root / "2024").glob("*.docx"))
    path.write_text(good, encoding="utf-8")
    done = page.post("/2024/export/html")
    assert done.status_code == 200 and "已导出网页" in done.text
    link = re.search(r'href="(/2024/files/[^"]+)"', done.text).group(1)
    download = page.get(link)
    assert download.status_code == 200 and "attachment" in download.headers["content-disposition"]
    assert "淮安市人民政府2024年政府信息公开工作年度报告" in download.text


def test_undo_from_the_page(page):
    version = stats_version(page)
    page.post("/2024/stats/cell", {"path": "appeals.review.upheld", "value": "80", "version": version}, json_reply=True)
    html = page.get("/2024?tab=drafting").text
    assert "drafter serve（网页工作台）" in html
    undone = page.post("/2024/undo/stats.yaml", {"version": page.version(html, "stats-version")})
    assert "已把 2024/stats.yaml 恢复到" in undone.text
    assert read_stats(page.stats(), "s").stats.appeals.review.upheld == 72


# ---------- 导入 ----------

def test_import_an_uploaded_report(page):
    data = (FIXTURES / "import" / "zhongmou-kjgxj-2023.txt").read_bytes()
    reply = page.post("/import", files={"file": ("年报 2023.txt", data, "text/plain")})
    assert reply.status_code == 200 and "已导入 2023 年度" in reply.text
    assert (page.root / "2023" / "stats.yaml").exists() and (page.root / "2023" / "published.md").exists()


def test_import_refuses_what_it_cannot_trust(page):
    exe = page.post("/import", files={"file": ("report.exe", b"MZ\x90\x00", "application/octet-stream")})
    assert "不支持的文件类型" in exe.text
    fake_pdf = page.post("/import", files={"file": ("report.pdf", b"<html>not a pdf</html>", "application/pdf")})
    assert "文件内容与扩展名 .pdf 不符" in fake_pdf.text
    garbage = page.post("/import", files={"file": ("report.txt", "这不是年报。".encode(), "text/plain")})
    assert garbage.status_code == 200 and "message error" in garbage.text and "Traceback" not in garbage.text
    assert sorted(p.name for p in page.root.iterdir() if p.is_dir()) == ["2024"]


def test_uploads_are_size_limited(page):
    from report_drafter.web.security import MAX_UPLOAD

    reply = page.post("/import", files={"file": ("big.txt", b"0" * (MAX_UPLOAD + 10), "text/plain")})
    assert reply.status_code == 413


# ---------- safety ----------

def test_cross_origin_and_tokenless_posts_are_refused(page):
    version = stats_version(page)
    before = page.stats()
    data = {"path": "requests.new.0", "value": "1", "version": version}
    evil = page.post("/2024/stats/cell", data, headers={"Origin": "http://evil.example"})
    assert evil.status_code == 403 and "来自其他网页的请求" in evil.text
    other_port = page.post("/2024/stats/cell", data, headers={"Origin": "http://127.0.0.1:9999"})
    assert other_port.status_code == 403
    no_token = page.client.post("/2024/stats/cell", data=data, headers={"Origin": BASE})
    assert no_token.status_code == 403 and "校验码" in no_token.text
    wrong_token = page.post("/2024/stats/cell", data, headers={"X-CSRF-Token": "0" * 40})
    assert wrong_token.status_code == 403
    assert page.stats() == before


@pytest.mark.parametrize("url", ["/2024/files/..%2F..%2Fdrafter.toml", "/2024/files/%2e%2e%2fstats.yaml",
                                 "/..%2Fetc%2Fpasswd", "/2024/files/..%5Cdrafter.toml", "/2024/files/%252e%252e%252fx"])
def test_paths_with_dotdot_are_refused(page, url):
    response = page.get(url)
    assert response.status_code == 400 and "不能含有" in response.text


def test_files_outside_the_year_are_not_served(page, tmp_path):
    outside = tmp_path / "secret年度报告.md"
    outside.write_text("secret", encoding="utf-8")
    (page.root / "2024" / "link年度报告.md").symlink_to(outside)
    assert page.get("/2024/files/link年度报告.md").status_code == 400
    assert page.get("/2024/files/stats.yaml").status_code == 400


def test_year_folder_linked_outside_is_refused(page, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "2020").mkdir(parents=True)
    (page.root / "2020").symlink_to(elsewhere / "2020")
    assert "工作目录之外" in page.get("/2020").text


def test_foreign_host_header_is_refused(page):
    response = page.client.get("/2024", headers={"Host": "attacker.example:8765"})
    assert response.status_code == 403


def test_security_headers(page):
    response = page.get("/2024")
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert "HttpOnly" in response.headers["set-cookie"] and "SameSite=Strict" in response.headers["set-cookie"]


def test_beyond_loopback_needs_the_token(tmp_path):
    root = copy_example("huaian", tmp_path)
    with pytest.raises(ValueError):
        create_app(root, host="0.0.0.0", port=PORT)
    client = TestClient(create_app(root, host="0.0.0.0", port=PORT, access_token="t0ken"), base_url="http://192.0.2.7:8765")
    assert client.get("/2024").status_code == 401
    assert client.get("/2024", headers={"X-Drafter-Token": "t0ken"}).status_code == 200
    opened = client.get("/2024?token=t0ken", follow_redirects=False)
    assert opened.status_code == 303 and opened.headers["location"] == "/2024"
    assert client.get("/2024").status_code == 200            # the cookie from then on
    assert client.get("/?token=wrong", headers={"Cookie": ""}).status_code in (200, 401)


# ---------- the command ----------

def test_serve_help_and_lazy_imports():
    code = ("import sys\nfrom typer.testing import CliRunner\nfrom report_drafter.cli import app\n"
            "r = CliRunner().invoke(app, ['serve', '--help'])\nprint(r.exit_code, '--no-browser' in r.output)\n"
            "CliRunner().invoke(app, ['--help'])\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('fastapi', 'uvicorn', 'starlette')))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.splitlines()
    assert out == ["0 True", "[]"]


def test_serve_prints_the_token_once_beyond_loopback(runner, tmp_path, monkeypatch):
    import uvicorn

    from report_drafter.cli import app

    monkeypatch.setattr(uvicorn.Server, "run", lambda self: None)
    local = runner.invoke(app, ["serve", "--dir", str(tmp_path), "--no-browser", "--port", "0"])
    assert local.exit_code == 0 and "工作台地址：http://127.0.0.1:0/" in local.output and "?token=" not in local.output
    wide = runner.invoke(app, ["serve", "--dir", str(tmp_path), "--no-browser", "--host", "0.0.0.0", "--port", "0"])
    assert wide.exit_code == 0 and re.search(r"\?token=[\w-]{20,}", wide.output) and "访问需要令牌" in wide.output


def test_serve_refuses_a_port_in_use(runner, tmp_path):
    import socket

    from report_drafter.cli import app

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = runner.invoke(app, ["serve", "--dir", str(tmp_path), "--no-browser", "--port", str(port)])
    assert result.exit_code == 2 and "已被占用" in result.output


def test_a_run_of_cell_edits_writes_what_dump_stats_writes(page):
    from report_drafter.statswriter import dump_stats

    original = page.stats()
    version = stats_version(page)
    edits = [("requests.new.0", "3002"), ("requests.new.6", "3120"), ("active.fees", "96171.65"),
             ("processing_fees.cases", ""), ("appeals.review.upheld", "80"), ("requests.new.0", "3001")]
    for path, value in edits:
        reply = page.post("/2024/stats/cell", {"path": path, "value": value, "version": version}, json_reply=True)
        assert reply.status_code == 200, reply.text
        version = reply.json()["version"]
    final = read_stats(page.stats(), "s").stats
    assert page.stats() == dump_stats(final, original)
    assert final.processing_fees.cases is None and str(final.active.fees) == "96171.65"


def test_excel_form_downloads_and_uploads_back(page):
    stats = page.root / "2024" / "stats.yaml"
    before = stats.read_text(encoding="utf-8")
    got = page.get("/2024/stats.xlsx")
    assert got.status_code == 200 and got.content[:2] == b"PK"
    assert "filename*=UTF-8''" in got.headers["content-disposition"]
    version = stats_version(page)
    bad = page.post("/2024/stats/xlsx", {"version": version}, files={"file": ("坏的.xlsx", b"not a workbook")})
    assert bad.status_code == 400 and "坏的.xlsx：不是可读取的 Excel 文件" in bad.text
    assert stats.read_text(encoding="utf-8") == before
    import io

    import openpyxl
    book = openpyxl.load_workbook(io.BytesIO(got.content))
    book["表三"]["D6"] = 3002                                   # 本年新收 · 自然人
    assert str(book["表三"]["J6"].value).startswith("=")         # its total is a formula
    out = io.BytesIO()
    book.save(out)
    done = page.post("/2024/stats/xlsx", {"version": version}, files={"file": ("填好的.xlsx", out.getvalue())})
    assert "已从 填好的.xlsx 读入统计数据" in done.text
    assert "new:            [3002," in stats.read_text(encoding="utf-8")


def test_pasted_block_is_saved_in_one_write_with_totals_and_carry_forward(page):
    fields = [("path", f"requests.new.{c}") for c in range(7)] + [("value", v) for v in "2990 53 0 0 61 4 9999".split()]
    data = {"version": stats_version(page), "live": "1", "path": [f for k, f in fields if k == "path"],
            "value": [v for k, v in fields if k == "value"]}
    reply = page.post("/2024/stats/cells", data, json_reply=True).json()
    assert reply["values"]["requests.new.6"] == "3108" and reply["values"]["requests.carried_forward.0"] == "92"
    assert reply["refused"] == {"requests.new.6": "这一格由各项自动计算，不能直接填写"}
    assert reply["errors"] == 0


def test_record_in_notes_gives_an_unsupported_figure_its_source(page):
    generate(page)
    sign(page.root, 2024)
    path = page.root / "2024" / "draft.md"
    text = path.read_text(encoding="utf-8")
    body = document.parse_document(text).body("overview")
    para = next(line for line in body.split("\n") if line.startswith("（四）"))
    path.write_text(text.replace(para, para + "新开通政务抖音号3个。"), encoding="utf-8")
    html = page.get("/2024?tab=draft").text
    form = re.search(r'<form class="mark-actions".*?</form>', html, re.S).group(0)
    assert "记入工作记录" in form and "改为" not in form
    fields = dict(re.findall(r'name="(start|end|found)" value="([^"]*)"', form))
    assert fields["found"] == "3个"
    version = re.search(r'id="draft-version" name="version" value="([^"]+)"', html).group(1)
    done = page.post("/2024/draft/record", {**fields, "version": version})
    assert "已记入工作记录“政府信息公开平台建设”：新开通政务抖音号3个。" in done.text
    assert "- 新开通政务抖音号3个。" in (page.root / "2024" / "notes.md").read_text(encoding="utf-8")
    assert 'data-check="unsupported"' not in done.text
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")      # changed elsewhere meanwhile
    stale = page.post("/2024/draft/fix", {**fields, "replacement": "4个", "version": version})
    assert stale.status_code == 409 and "3个。" in path.read_text(encoding="utf-8")


def test_word_file_uploaded_comes_back_into_the_draft(page):
    generate(page)
    sign(page.root, 2024)
    assert page.post("/2024/export/docx").status_code == 200
    exported = next((page.root / "2024").glob("*.docx"))
    import docx
    doc = docx.Document(str(exported))
    para = next(p for p in doc.paragraphs if p.text.startswith("针对"))
    para.add_run("下一步将加强督促检查。")
    import io
    out = io.BytesIO()
    doc.save(out)
    reply = page.post("/2024/draft/word", files={"file": ("领导修改稿.docx", out.getvalue())})
    assert reply.status_code == 200 and "已更新：五、存在的主要问题及改进情况" in reply.text
    assert "下一步将加强督促检查。" in (page.root / "2024" / "draft.md").read_text(encoding="utf-8")


def test_ignore_with_a_reason_is_stored_and_shown_in_the_check(page, runner):
    generate(page)
    sign(page.root, 2024)
    path = page.root / "2024" / "draft.md"
    text = path.read_text(encoding="utf-8")
    para = next(line for line in document.parse_document(text).body("overview").split("\n") if line.startswith("（四）"))
    path.write_text(text.replace(para, para + "新开通政务抖音号3个。"), encoding="utf-8")
    html = page.get("/2024?tab=draft").text
    form = re.search(r'<form hx-post="/2024/draft/ignore".*?</form>', html, re.S).group(0)
    fields = dict(re.findall(r'name="(kind|found|text)" value="([^"]*)"', form))
    assert fields["found"] == "3个"
    assert page.post("/2024/draft/ignore", {**fields, "reason": ""}).status_code == 400
    done = page.post("/2024/draft/ignore", {**fields, "reason": "账号数见宣传部通报"})
    assert "已忽略（理由：账号数见宣传部通报）" in done.text and "没有错误" in done.text
    from report_drafter.cli import app
    check = runner.invoke(app, ["check", "--year", "2024", "--dir", str(page.root), "--format", "json"])
    assert check.exit_code == 0, check.output
    [ignored] = [f for f in json.loads(check.stdout)["findings"] if "已忽略" in f["message"]]
    assert ignored["severity"] == "warning" and "账号数见宣传部通报" in ignored["message"]


@pytest.mark.parametrize("live, path, value, broke", [
    ("1", "requests.outcomes.disclosed.0", "9999", ["结转"]),          # more handled than received: 结转 would be negative
    ("", "requests.new.1", "60", ["总计", "结转"]),                    # kept as printed: the row total and 一+二=七+四
    ("1", "requests.new.1", "60", []),                                 # live totals: nothing broken
])
def test_typed_cell_says_what_it_broke(page, live, path, value, broke):
    reply = page.post("/2024/stats/cell", {"version": stats_version(page), "live": live, "path": path, "value": value},
                      json_reply=True).json()
    assert reply["broke"].get(path, []) == broke


def test_draft_page_shows_the_signature_and_where_its_date_is_missing(page):
    generate(page)
    html = page.get("/2024?tab=draft").text
    assert re.search(r'<p id="L\d+" class="signature">淮安市人民政府</p>', html)
    assert '<span class="where">落款</span> 落款的成文日期还没有填写' in html


def test_a_table_whose_totals_disagree_suggests_keeping_it_as_printed(page):
    assert "totals-hint" not in page.get("/2024/pane/stats").text
    stats = page.root / "2024" / "stats.yaml"
    stats.write_text(stats.read_text(encoding="utf-8").replace("[3001, 53, 0, 0, 61, 4, 3119]", "[3001, 53, 0, 0, 61, 4, 3120]"),
                     encoding="utf-8")
    assert "请先勾选“按报表原样填写总计”" in page.get("/2024/pane/stats").text
