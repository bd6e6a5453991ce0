"""drafter generate / regenerate through the real OpenAI client against a local compatible server."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from openai_stub import Behaviour, overlapped, start_server  # noqa: E402

from report_drafter.cli import app  # noqa: E402
from report_drafter.document import parse_document  # noqa: E402

from conftest import copy_example, use_model_server  # noqa: E402

GOOD = "（一）主动公开方面。全年共收到政府信息公开申请3119件，办结3050件。"
WRONG = "（一）主动公开方面。全年共收到政府信息公开申请3120件，办结3050件。"


@pytest.fixture
def stub(model_server):
    model_server.default = Behaviour(text=GOOD)
    return model_server


def model_workspace(tmp_path, stub, **settings) -> Path:
    return use_model_server(copy_example("huaian", tmp_path), stub.url, **settings)


def draft_of(ws: Path) -> str:
    return (ws / "2024" / "draft.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("stream", [True, False])
def test_generate_with_model_streaming_and_not(runner, tmp_path, stub, stream):
    ws = model_workspace(tmp_path, stub, stream=stream)
    result = runner.invoke(app, ["generate", "--year", "2024", "--dir", str(ws)])
    assert result.exit_code == 0, result.output
    assert "起草方式：模型 stub-model" in result.output and "用量：输入" in result.output
    doc = parse_document(draft_of(ws))
    assert doc.body("overview") == GOOD and doc.body("problems") == GOOD and doc.body("other") == GOOD
    assert "| 行政复议 | 72 | 64 | 178 | 37 | 351 |" in draft_of(ws)  # tables never come from the model
    assert len(stub.requests) == 3 and all(r.stream is stream for r in stub.requests)
    system, user = stub.requests[0].body["messages"]
    assert system["role"] == "system" and "数字纪律" in system["content"]
    meta = (ws / "2024" / "draft.provenance.json").read_text(encoding="utf-8")
    assert '"backend": "openai"' in meta and '"input_tokens"' in meta and "sk-" not in meta


def test_sections_are_drafted_concurrently(runner, tmp_path, stub):
    stub.default = Behaviour(text=GOOD, delay=0.4)
    ws = model_workspace(tmp_path, stub, concurrency=3)   # a local server gets one at a time unless told
    result = runner.invoke(app, ["generate", "--year", "2024", "--dir", str(ws)])
    assert result.exit_code == 0, result.output
    a, b, c = stub.requests
    assert overlapped(a, b) and overlapped(b, c) and overlapped(a, c)


def test_server_error_then_success(runner, tmp_path, stub):
    stub.script(Behaviour(status=500, headers={"retry-after-ms": "10"}))
    ws = model_workspace(tmp_path, stub, max_retries=2)
    result = runner.invoke(app, ["generate", "--year", "2024", "--dir", str(ws)])
    assert result.exit_code == 0, result.output
    assert len(stub.requests) == 4


def test_timeout_is_a_chinese_error_and_writes_nothing(runner, tmp_path, stub):
    stub.default = Behaviour(text=GOOD, delay=3)
    ws = model_workspace(tmp_path, stub, first_token_timeout=0.3)
    result = runner.invoke(app, ["generate", "--year", "2024", "--dir", str(ws)])
    assert result.exit_code != 0
    assert "开始输出超过 0.3 秒" in result.output and "Traceback" not in result.output
    assert "共 3 个部分" in result.output  # no section drafted: one error, nothing written
    assert not (ws / "2024" / "draft.md").exists()


def test_empty_answer_is_an_error_naming_the_section(runner, tmp_path, stub):
    stub.default = Behaviour(text="")
    ws = model_workspace(tmp_path, stub)
    result = runner.invoke(app, ["generate", "--year", "2024", "--dir", str(ws)])
    assert result.exit_code != 0 and "一、总体情况" in result.output and "overview" not in result.output
    assert not (ws / "2024" / "draft.md").exists()


def test_think_block_never_reaches_the_draft(runner, tmp_path, stub):
    stub.default = Behaviour(text="<think>先算一下：3120件？不对。</think>" + GOOD, chunk_chars=3)
    ws = model_workspace(tmp_path, stub)
    result = runner.invoke(app, ["generate", "--year", "2024", "--dir", str(ws)])
    assert result.exit_code == 0, result.output
    assert "先算一下" not in draft_of(ws) and "<think>" not in draft_of(ws)


def test_wrong_number_is_repaired_by_the_model(runner, tmp_path, stub):
    stub.script(Behaviour(text=WRONG), Behaviour(text=GOOD), Behaviour(text=GOOD), Behaviour(text=GOOD))
    ws = model_workspace(tmp_path, stub, concurrency=1)
    result = runner.invoke(app, ["generate", "--year", "2024", "--dir", str(ws)])
    assert result.exit_code == 0, result.output
    assert len(stub.requests) == 4
    repair = stub.requests[3].body["messages"]
    assert repair[-2] == {"role": "assistant", "content": WRONG}
    assert "应为 3119件" in repair[-1]["content"]
    assert "3120件" not in draft_of(ws)


def test_unrepaired_number_is_shown_and_recorded(runner, tmp_path, stub):
    stub.default = Behaviour(text=WRONG)
    ws = model_workspace(tmp_path, stub)
    result = runner.invoke(app, ["generate", "--year", "2024", "--dir", str(ws)])
    assert result.exit_code == 1
    assert "草稿中仍有 3 处问题" in result.output
    assert len(stub.requests) == 6  # 3 drafts + 1 repair round of 3: an answer that repeats the last one ends repairs
    assert result.output.count("模型返回的修改稿与原稿相同，没有采用。已保留修改前的文本。") == 3, result.output
    meta = (ws / "2024" / "draft.provenance.json").read_text(encoding="utf-8")
    assert "unresolved_findings" in meta and "3120件" in meta


def test_missing_fact_fails_before_any_request(runner, tmp_path, stub):
    ws = model_workspace(tmp_path, stub)
    (ws / "prompts").mkdir()
    (ws / "prompts" / "problems.j2").write_text("去年：{{ v.prior_new }}件\n", encoding="utf-8")
    result = runner.invoke(app, ["generate", "--year", "2024", "--dir", str(ws)])
    assert result.exit_code == 1
    assert "提示词模板 problems.j2 第 1 行引用了数据中没有的内容（prior_new）" in result.output
    assert stub.requests == []


def test_regenerate_with_instruction_sends_current_text(runner, tmp_path, stub):
    ws = model_workspace(tmp_path, stub)
    runner.invoke(app, ["generate", "--year", "2024", "--dir", str(ws), "--backend", "offline"])
    before = draft_of(ws)
    result = runner.invoke(app, ["regenerate", "六", "--year", "2024", "--dir", str(ws), "-i", "压缩到一百字以内"])
    assert result.exit_code == 0, result.output
    user = stub.requests[-1].body["messages"][-1]["content"]
    assert "本次修改要求：压缩到一百字以内" in user and "当前文稿" in user and "收取信息处理费情况" in user
    after = draft_of(ws)
    assert after[: after.index("## 六、")] == before[: before.index("## 六、")]
    assert parse_document(after).body("other") == GOOD


def test_unreachable_server_message_is_shown_whole(runner, tmp_path, stub):
    ws = model_workspace(tmp_path, stub)
    config = (ws / "drafter.toml").read_text(encoding="utf-8").replace(stub.url, "http://127.0.0.1:9/v1")
    (ws / "drafter.toml").write_text(config, encoding="utf-8")
    result = runner.invoke(app, ["generate", "--year", "2024", "--dir", str(ws)])
    assert result.exit_code == 1
    assert "无法连接模型服务 http://127.0.0.1:9/v1" in result.output
    assert "drafter.toml 的 [model] base_url" in result.output  # not eaten as rich markup


# --- model failures keep what worked -------------------------------------------------------------

def sections(ws: Path) -> dict[str, str]:
    doc = parse_document(draft_of(ws))
    return {k: doc.body(k) for k in ("overview", "problems", "other")}


def test_section_cut_at_the_length_limit_keeps_the_others(runner, tmp_path, stub):
    stub.script(Behaviour(text=GOOD), Behaviour(text=GOOD, finish_reason="length"), Behaviour(text=GOOD))
    ws = model_workspace(tmp_path, stub, concurrency=1)  # one at a time: “五” is the second request
    result = runner.invoke(app, ["generate", "--year", "2024", "--dir", str(ws)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    body = sections(ws)
    assert body["overview"] == GOOD and body["other"] == GOOD
    assert body["problems"] == ("【待补充：本部分起草失败（模型输出达到长度上限），"
                                "请运行 drafter regenerate 五 --year 2024 重新起草】")
    out = result.output
    assert "起草失败 五、存在的主要问题及改进情况：模型输出达到" in out and "finish_reason=length" in out
    assert f"重新起草：drafter regenerate 五 --year 2024 --dir {ws}" in out
    assert "1 个部分起草失败；起草成功的部分（一、总体情况、六、其他需要报告的事项）已写入草稿" in out
    assert "已生成 2024/draft.md（起草 2 个部分" in out and "处【待补充】" not in out
    meta = json.loads((ws / "2024" / "draft.provenance.json").read_text(encoding="utf-8"))
    assert set(meta["sections"]) == {"overview", "other"}
    # the command it names fills the gap, and `generate` would not count the placeholder as a hand edit
    again = runner.invoke(app, ["regenerate", "五", "--year", "2024", "--dir", str(ws)])
    assert again.exit_code == 0, again.output
    assert sections(ws) == {"overview": GOOD, "problems": GOOD, "other": GOOD}


def test_failed_section_keeps_the_previous_draft_of_it(runner, tmp_path, stub):
    ws = model_workspace(tmp_path, stub)
    runner.invoke(app, ["generate", "--year", "2024", "--dir", str(ws), "--backend", "offline"])
    before = sections(ws)
    stub.script(Behaviour(text=GOOD), Behaviour(text="（二）……", repeat="一是加强政策解读，提升解读的针对性。"),
                Behaviour(text=GOOD))
    config = (ws / "drafter.toml").read_text(encoding="utf-8").replace("[model]", "[model]\nconcurrency = 1")
    (ws / "drafter.toml").write_text(config, encoding="utf-8")
    result = runner.invoke(app, ["generate", "--year", "2024", "--dir", str(ws)])
    assert result.exit_code == 1
    assert "起草失败 五、存在的主要问题及改进情况：模型输出陷入重复" in result.output
    assert "保留了上一稿的这一部分；重新起草：drafter regenerate 五 --year 2024" in result.output
    assert sections(ws) == {**before, "overview": GOOD, "other": GOOD}
    history = runner.invoke(app, ["history", "--year", "2024", "--dir", str(ws)])
    assert "drafter generate" in history.output  # the offline draft it replaced is kept


def test_one_at_a_time_server_queues_sections_and_finishes(runner, tmp_path):
    # each section waits 1 s for its turn and first token, longer than the stall timeout (0.5 s)
    server = start_server(Behaviour(text=GOOD, delay=1), serial=True)
    try:
        ws = use_model_server(copy_example("huaian", tmp_path), server.url, timeout=0.5, first_token_timeout=10,
                              concurrency=3)   # sent together: the server queues them
        result = runner.invoke(app, ["generate", "--year", "2024", "--dir", str(ws)])
    finally:
        server.stop()
    assert result.exit_code == 0, result.output
    assert result.output.count("排队等待模型服务") >= 2, result.output
    assert sections(ws) == {"overview": GOOD, "problems": GOOD, "other": GOOD}


def test_repair_that_fails_keeps_the_draft_before_it(runner, tmp_path, stub):
    stub.script(Behaviour(text=WRONG), Behaviour(text=GOOD), Behaviour(text=GOOD), Behaviour(status=500))
    ws = model_workspace(tmp_path, stub, concurrency=1)
    result = runner.invoke(app, ["generate", "--year", "2024", "--dir", str(ws)])
    assert result.exit_code == 1
    assert "按核对结果修改“一、总体情况”时失败：模型服务" in result.output and "已保留修改前的文本" in result.output
    assert sections(ws)["overview"] == WRONG and "草稿中仍有 1 处问题" in result.output
    assert len(stub.requests) == 4  # no second repair round for a section whose repair failed


def test_ctrl_c_in_generate_leaves_the_draft_untouched(runner, tmp_path, monkeypatch):
    from report_drafter import backends
    from report_drafter.backends.fake import FakeBackend

    ws = copy_example("huaian", tmp_path)
    runner.invoke(app, ["generate", "--year", "2024", "--dir", str(ws)])
    before = draft_of(ws)
    fake = FakeBackend(answers={"overview": [GOOD], "problems": [KeyboardInterrupt()], "other": [GOOD]})

    def with_prompts(settings, prompts):
        fake.prompts = prompts
        return fake

    monkeypatch.setitem(backends._FACTORIES, "openai", with_prompts)
    use_model_server(ws, "http://127.0.0.1:9/v1")
    result = runner.invoke(app, ["generate", "--year", "2024", "--dir", str(ws)])
    assert result.exit_code == 130
    assert "已取消，草稿未改动。" in result.output and "Traceback" not in result.output
    assert draft_of(ws) == before


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child process")
def test_ctrl_c_of_a_real_generate_process(tmp_path):
    """End to end: the real command, the real client, interrupted while its requests wait for a server."""
    server = start_server(Behaviour(text=GOOD, delay=30))
    try:
        ws = use_model_server(copy_example("huaian", tmp_path), server.url, concurrency=3)
        env = {**os.environ, "NO_PROXY": "127.0.0.1,localhost",
               "PYTHONPATH": str(Path(__file__).parent.parent / "src")}
        child = subprocess.Popen([sys.executable, "-m", "report_drafter", "generate", "--year", "2024", "--dir", str(ws)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        deadline = time.monotonic() + 60
        while len(server.requests) < 3 and time.monotonic() < deadline and child.poll() is None:
            time.sleep(0.05)
        assert len(server.requests) == 3, child.communicate(timeout=10)
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=30)
    finally:
        server.stop()
    assert child.returncode == 130, err
    assert "已取消，草稿未改动。" in err and "Traceback" not in err
    assert not (ws / "2024" / "draft.md").exists()


@pytest.mark.parametrize("changed, command", [("stats.yaml", ["generate"]), ("notes.md", ["generate"]),
                                              ("stats.yaml", ["regenerate", "五"])])
def test_tables_changed_during_the_model_call_are_never_drafted_from(runner, tmp_path, stub, changed, command):
    import threading

    ws = model_workspace(tmp_path, stub)
    if command[0] == "regenerate":
        assert runner.invoke(app, ["generate", "--year", "2024", "--dir", str(ws)]).exit_code == 0
    before = draft_of(ws) if (ws / "2024" / "draft.md").exists() else None
    stub.default = Behaviour(text=GOOD, delay=0.6)
    target = ws / "2024" / changed
    edited = target.read_text(encoding="utf-8").replace("agency: 淮安市人民政府", "agency: 淮安市人民政府办公室") \
        if changed == "stats.yaml" else \
        target.read_text(encoding="utf-8") + "\n- 新增一条记录\n"
    asked = len(stub.requests)

    def edit_during_the_call() -> None:          # an import --yes, or a cell edited in the workbench
        for _ in range(500):
            if len(stub.requests) > asked:
                break
            time.sleep(0.01)
        target.write_text(edited, encoding="utf-8")

    editor = threading.Thread(target=edit_during_the_call)
    editor.start()
    try:
        result = runner.invoke(app, [*command, "--year", "2024", "--dir", str(ws)])
    finally:
        editor.join()
    assert result.exit_code == 1 and "起草期间" in result.output and "草稿未改动" in result.output, result.output
    assert (draft_of(ws) if before is not None else (ws / "2024" / "draft.md").exists()) == (before or False)
