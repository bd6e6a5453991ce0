"""drafter chat: whole sessions against the local OpenAI-compatible server and a fake chat model."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from openai_stub import Behaviour  # noqa: E402

from report_drafter.services.chat import ChatSession, route
from report_drafter.services.conversation import ChatLoop  # noqa: E402
from report_drafter.cli import app  # noqa: E402
from report_drafter.document import parse_document  # noqa: E402
from report_drafter.prompts import Prompts  # noqa: E402
from report_drafter.workspace import Workspace  # noqa: E402

from conftest import copy_example, use_model_server, sign  # noqa: E402

NEW_OTHER = "（一）收取信息处理费情况。2024年共收取信息处理费3940元。\n\n（二）落实上级年度政务公开工作要点情况。无。"


@pytest.fixture
def stub(model_server):
    model_server.default = Behaviour(text=NEW_OTHER)
    return model_server


@pytest.fixture
def ws(tmp_path, stub, runner):
    """The 淮安 example with an offline draft and the stub server as its model."""
    ws = copy_example("huaian", tmp_path)
    runner.invoke(app, ["generate", "--year", "2024", "--dir", str(ws)])
    return use_model_server(sign(ws, 2024), stub.url)


def draft(ws: Path) -> str:
    return (ws / "2024" / "draft.md").read_text(encoding="utf-8")


def chat(runner, ws, *args, input=None):
    return runner.invoke(app, ["chat", "--year", "2024", "--dir", str(ws), *args], input=input)


@pytest.mark.parametrize("request_text, keys", [
    ("第一部分太长，压缩到八百字以内", ["overview"]),
    ("问题写得太空，结合我们网站栏目更新不及时的情况具体写", ["problems"]),
    ("改进措施要对应去年提出的三个问题", ["problems"]),
    ("信息处理费写清楚金额", ["other"]),
    ("第一部分和第五部分都精简一些", ["overview", "problems"]),
    ("全文再正式一点", ["overview", "problems", "other"]),
    ("写得好一点", []),
])
def test_routing(request_text, keys):
    assert route(request_text) == keys


def test_accept_with_yes_changes_only_that_section(runner, ws, stub):
    before = draft(ws)
    result = chat(runner, ws, "--message", "第六部分写得更简洁", "--yes")
    assert result.exit_code == 0, result.output
    assert "已修改“六、其他需要报告的事项”" in result.output
    shown = result.output[result.output.index("修改之处"):]
    assert "{+" in shown and "-]" in shown and "（四）年度政务公开工作创新情况。" in shown
    after = draft(ws)
    assert parse_document(after).body("other") == NEW_OTHER
    assert after[: after.index("## 六、")] == before[: before.index("## 六、")]
    assert any(before == p.read_text(encoding="utf-8") for p in (ws / "2024" / ".history").glob("*__draft.md"))
    user = stub.requests[0].body["messages"][-1]["content"]
    assert "要修改的部分：六、其他需要报告的事项" in user and "修改要求：第六部分写得更简洁" in user
    assert "（一）收取信息处理费情况。依据" in user  # the current text is sent
    system = stub.requests[0].body["messages"][0]["content"]
    assert "当前草稿的正文" in system and "（一）主动公开方面。" in system  # and the whole draft
    assert "本年新收政府信息公开申请：3119件" in system and "市政府网站主动公开各类政府信息" in system


def test_reject_is_remembered_in_the_next_turn(runner, ws, stub):
    result = chat(runner, ws, input="第六部分写得更简洁\nn\n第六部分再改改\nn\n")
    assert result.exit_code == 0, result.output
    assert result.output.count("已拒绝，草稿未改动。") == 2
    second = stub.requests[1].body["messages"]
    assert "工作人员此前拒绝过以下修改" in second[-1]["content"]
    assert any(m["role"] == "assistant" and "拒绝" in m["content"] for m in second)
    assert parse_document(draft(ws)).body("other") != NEW_OTHER


def test_edit_in_editor_then_accept(runner, ws, tmp_path, monkeypatch):
    editor = tmp_path / "editor.py"
    editor.write_text("import sys, pathlib\np = pathlib.Path(sys.argv[1])\n"
                      "p.write_text(p.read_text(encoding='utf-8').replace('无。', '按要点逐项落实。'), encoding='utf-8')\n",
                      encoding="utf-8")
    monkeypatch.setenv("EDITOR", f"{sys.executable} {editor}")
    result = chat(runner, ws, input="第六部分写得更简洁\ne\n")
    assert result.exit_code == 0, result.output
    assert "（二）落实上级年度政务公开工作要点情况。按要点逐项落实。" in parse_document(draft(ws)).body("other")


def test_undo_after_a_declined_proposal_says_the_draft_did_not_change(runner, ws):
    before = draft(ws)
    result = chat(runner, ws, input="第六部分写得更简洁\nn\n/undo\n")
    assert result.exit_code == 0, result.output
    assert "已撤销上一轮的拒绝：草稿本来就没有改动" in result.output and "已撤销上一轮，草稿已恢复" not in result.output
    assert draft(ws) == before


def test_undo_and_redo_restore_text_and_conversation(runner, ws):
    before = draft(ws)
    result = chat(runner, ws, input="第六部分写得更简洁\ny\n/undo\n/history\n/redo\n/diff\n")
    assert result.exit_code == 0, result.output
    assert "已撤销上一轮，草稿已恢复到这一轮之前。" in result.output and "还没有对话记录。" in result.output
    assert "已重做。" in result.output
    assert parse_document(draft(ws)).body("other") == NEW_OTHER
    assert "-（一）收取信息处理费情况。依据" in result.output  # /diff since the session started
    chat(runner, ws, "--message", "/undo")
    assert draft(ws) == before


def test_request_touching_two_sections(runner, ws, stub):
    result = chat(runner, ws, input="第一部分和第六部分都精简一些\ny\nn\n")
    assert result.exit_code == 0, result.output
    assert len(stub.requests) == 2
    assert "修改“一、总体情况”" in result.output and "修改“六、其他需要报告的事项”" in result.output
    doc = parse_document(draft(ws))
    assert doc.body("overview") == NEW_OTHER and doc.body("other") != NEW_OTHER


def test_wrong_number_finding_is_shown_before_the_question(runner, ws, stub):
    stub.default = Behaviour(text="（一）收取信息处理费情况。2024年共收取信息处理费3950元。")
    result = chat(runner, ws, input="第六部分写得更简洁\nn\n")
    out = result.output
    assert "数字核对发现以下问题" in out and "3940元" in out
    assert out.index("数字核对发现以下问题") < out.index("接受这个修改吗")


def test_export_from_chat(runner, ws):
    result = chat(runner, ws, "--message", "/export html")
    assert "已导出 2024/淮安市人民政府2024年政府信息公开工作年度报告.html" in result.output
    assert (ws / "2024" / "淮安市人民政府2024年政府信息公开工作年度报告.html").exists()


def test_resume_after_restart_and_new(runner, ws):
    chat(runner, ws, "--message", "第六部分写得更简洁", "--yes")
    again = chat(runner, ws, "--message", "/history")
    assert "1. 第六部分写得更简洁 → （已接受对“六、其他需要报告的事项”的修改）" in again.output
    fresh = chat(runner, ws, "--new", "--message", "/history")
    assert "还没有对话记录。" in fresh.output


def test_ambiguous_request_asks_back(runner, ws, stub):
    result = chat(runner, ws, input="写得好一点\nx\n")
    assert "这条要求针对哪一部分" in result.output and "已取消" in result.output
    assert stub.requests == []


def test_offline_plain_request_says_it_needs_a_model(runner, tmp_path):
    ws = copy_example("zhongmou", tmp_path)
    runner.invoke(app, ["generate", "--year", "2023", "--dir", str(ws)])
    result = runner.invoke(app, ["chat", "--year", "2023", "--dir", str(ws), "--message", "第一部分压缩"])
    assert result.exit_code == 1  # nothing was applied: a script must not take this for success
    assert "需要配置大模型" in result.output and "OPENAI_BASE_URL" in result.output
    assert "未应用任何修改，草稿未改动。" in result.output
    shown = runner.invoke(app, ["chat", "--year", "2023", "--dir", str(ws), "--message", "/show 六"])
    assert "收取信息处理费情况" in shown.output


@pytest.mark.parametrize("behaviour, says", [
    (Behaviour(status=500, error_message="upstream down"), "HTTP 500"),
    (Behaviour(text=""), "模型返回了空白内容"),
    (Behaviour(text="（一）收取信息处理费情况。", repeat="一是加强政策解读，提升解读的针对性。"), "模型输出陷入重复"),
], ids=["http-500", "empty", "loop"])
def test_message_yes_exits_non_zero_when_the_model_fails(runner, ws, stub, behaviour, says):
    stub.default = behaviour
    before = draft(ws)
    result = chat(runner, ws, "--message", "第六部分写得更简洁", "--yes")
    assert result.exit_code == 1 and says in result.output and "Traceback" not in result.output
    assert "未应用任何修改，草稿未改动。" in result.output
    assert draft(ws) == before


def test_message_exits_non_zero_when_rejected_or_unchanged(runner, ws, stub):
    rejected = chat(runner, ws, "--message", "第六部分写得更简洁", input="n\n")
    assert rejected.exit_code == 1 and "已拒绝" in rejected.output
    stub.default = Behaviour(text=parse_document(draft(ws)).body("other"))
    same = chat(runner, ws, "--message", "第六部分写得更简洁", "--yes")
    assert same.exit_code == 1 and "与当前稿相同" in same.output


def test_message_commands_succeed_without_applying(runner, ws):
    assert chat(runner, ws, "--message", "/show 六").exit_code == 0
    unknown = chat(runner, ws, "--message", "/nosuch")
    assert unknown.exit_code == 2 and "没有命令 /nosuch" in unknown.output


def test_offline_regen_with_an_instruction_needs_a_model(runner, tmp_path):
    ws = copy_example("zhongmou", tmp_path)
    runner.invoke(app, ["generate", "--year", "2023", "--dir", str(ws)])
    result = runner.invoke(app, ["chat", "--year", "2023", "--dir", str(ws), "--message", "/regen 五 写具体些", "--yes"])
    assert result.exit_code == 1 and "按修改要求重写" in result.output and "需要配置大模型" in result.output


def test_queued_chat_request_says_so(runner, ws, stub, monkeypatch):
    from report_drafter.backends import waiting

    monkeypatch.setattr(waiting, "QUEUE_NOTICE_AFTER", 0.1)
    stub.default = Behaviour(text=NEW_OTHER, delay=0.5)
    result = chat(runner, ws, "--message", "第六部分写得更简洁", "--yes")
    assert result.exit_code == 0, result.output
    assert "（模型正在读取提示词）" in result.output and "正在接收" not in result.output


class FakeIO:
    """Scripted answers; `on_ask` may act (e.g. edit draft.md by hand) before answering."""

    def __init__(self, answers, on_ask=None):
        self.answers, self.on_ask, self.out = list(answers), on_ask, []

    def read(self):
        return None

    def ask(self, question):
        self.out.append(question)
        if self.on_ask:
            self.on_ask(question)
        return self.answers.pop(0)

    def say(self, text, style=""):
        self.out.append(text)

    def stream(self, text):
        pass

    def show_diff(self, diff):
        self.out.append(diff)

    def show_changes(self, changes):
        self.out.append(str(changes))

    def show_findings(self, findings):
        self.out.append(f"findings:{len(findings)}")

    def edit(self, text):
        return text


def fake_session(ws, *answers):
    from langchain_core.language_models import FakeListChatModel

    from report_drafter.backends import OpenAIBackend, load_settings

    settings = load_settings({"model": {"base_url": "http://127.0.0.1:9/v1", "name": "fake"}}, environ={})
    backend = OpenAIBackend(settings, chat_model=FakeListChatModel(responses=list(answers)))
    workspace = Workspace.open(ws)
    return ChatSession(workspace, 2024, backend, Prompts(workspace.root))


def test_fake_chat_model_streams_and_applies(ws):
    session = fake_session(ws, NEW_OTHER)
    io = FakeIO(["y"])
    ChatLoop(session, io).handle("第六部分改一下")
    assert parse_document(draft(ws)).body("other") == NEW_OTHER
    assert session.messages[0] == {"role": "user", "content": "第六部分改一下"}


def test_manual_edit_of_the_same_section_is_never_overwritten_silently(ws):
    path = ws / "2024" / "draft.md"

    def edit_by_hand(question):
        if question.startswith("接受"):
            path.write_text(path.read_text(encoding="utf-8").replace("未收取", "手工改").replace(
                "共收取信息处理费3940元", "共收取信息处理费3940元（手工补充）"), encoding="utf-8")

    session = fake_session(ws, NEW_OTHER)
    io = FakeIO(["y", "n"], edit_by_hand)
    ChatLoop(session, io).handle("第六部分改一下")
    assert any("在对话期间被手工修改过" in line for line in io.out)
    assert "（手工补充）" in draft(ws)


def test_manual_edit_elsewhere_is_kept_when_applying(ws):
    path = ws / "2024" / "draft.md"

    def edit_overview(question):
        path.write_text(path.read_text(encoding="utf-8").replace("扎实推进", "扎实稳妥推进"), encoding="utf-8")

    session = fake_session(ws, NEW_OTHER)
    ChatLoop(session, FakeIO(["y"], edit_overview)).handle("第六部分改一下")
    text = draft(ws)
    assert "扎实稳妥推进" in text and parse_document(text).body("other") == NEW_OTHER
