"""Drafting against servers as offices run them: one request at a time, streams broken off, limits the
server reads, context sizes, loops that are not exact copies, repairs that would make things worse."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from openai_stub import Behaviour, overlapped, start_server  # noqa: E402

from report_drafter.backends.server import estimate_tokens  # noqa: E402
from report_drafter.cli import app  # noqa: E402
from report_drafter.document import parse_document  # noqa: E402

from conftest import copy_example, use_model_server  # noqa: E402

GOOD = "（一）主动公开方面。全年共收到政府信息公开申请3119件，办结3050件。"
WRONG = "（一）主动公开方面。全年共收到政府信息公开申请3120件，办结3050件。"
KEYS = ("overview", "problems", "other")


@pytest.fixture
def server(monkeypatch):
    """llama-cpp-python's server as it starts by default: one slot, and a waiting request interrupts the stream."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    stub = start_server(Behaviour(text=GOOD, chunk_chars=2, chunk_delay=0.01), serial=True, interrupt=True)
    yield stub
    stub.stop()


def workspace(tmp_path, server, **settings) -> Path:
    return use_model_server(copy_example("huaian", tmp_path), server.url, **settings)


def sections(ws: Path) -> dict[str, str]:
    doc = parse_document((ws / "2024" / "draft.md").read_text(encoding="utf-8"))
    return {k: doc.body(k) for k in KEYS}


def generate(runner, ws: Path, *args: str):
    return runner.invoke(app, ["generate", "--year", "2024", "--dir", str(ws), *args])


def test_local_server_gets_sections_one_after_another(runner, tmp_path, server):
    ws = workspace(tmp_path, server)
    result = generate(runner, ws)
    assert result.exit_code == 0, result.output
    assert sections(ws) == dict.fromkeys(KEYS, GOOD)
    assert len(server.requests) == 3
    assert not any(overlapped(a, b) for a, b in zip(server.requests, server.requests[1:]))
    assert "空白内容" not in result.output
    assert result.output.count("等待前面的部分完成") == 2 and "排队等待模型服务" not in result.output


def test_interrupted_streams_are_sent_again_one_at_a_time(runner, tmp_path, server):
    ws = workspace(tmp_path, server, concurrency=3)   # the clerk asked for three at once
    result = generate(runner, ws)
    assert result.exit_code == 0, result.output
    assert sections(ws) == dict.fromkeys(KEYS, GOOD)
    assert "模型服务一次只处理一个请求，改为逐个起草" in result.output
    assert len(server.requests) > 3   # the broken-off ones were asked again


def test_an_interrupted_stream_is_not_called_an_empty_answer(runner, tmp_path, server):
    server.default = Behaviour(text="", interrupted=True)
    ws = workspace(tmp_path, server)
    result = generate(runner, ws)
    assert result.exit_code == 1
    assert "中断了输出（流结束时没有 finish_reason）" in result.output
    assert "--interrupt_requests False" in result.output and "空白内容" not in result.output


def test_output_limits_reach_the_server_as_max_tokens(runner, tmp_path, server):
    ws = workspace(tmp_path, server)
    assert generate(runner, ws).exit_code == 0
    assert sorted(r.body["max_tokens"] for r in server.requests) == [3648, 4048, 4048]
    assert not any("max_completion_tokens" in r.body for r in server.requests)
    ws2 = workspace(tmp_path / "b", server, max_tokens=32)
    generate(runner, ws2)
    assert {r.body["max_tokens"] for r in server.requests[3:]} == {32}


def test_no_usage_from_the_server_is_estimated_and_shown_in_history(runner, tmp_path, server):
    server.default = Behaviour(text=GOOD, usage=False)
    ws = workspace(tmp_path, server)
    assert generate(runner, ws).exit_code == 0
    assert all(r.body["stream_options"] == {"include_usage": True} for r in server.requests)
    meta = json.loads((ws / "2024" / "draft.provenance.json").read_text(encoding="utf-8"))
    for key in KEYS:
        section = meta["sections"][key]
        assert section["usage_estimated"] is True and section["output_tokens"] == estimate_tokens(GOOD) == 32
        assert section["input_tokens"] > 100 and section["first_token_s"] is not None
    history = runner.invoke(app, ["history", "--year", "2024", "--dir", str(ws)], terminal_width=200)
    assert "当前草稿各部分的起草用量" in history.output and "按字数估算" in history.output and "约32" in history.output


def test_prompt_that_cannot_fit_the_context_is_refused_before_sending(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    small = start_server(Behaviour(text=GOOD), serial=True, context=1500)   # reported at GET /props
    try:
        ws = workspace(tmp_path, small)
        result = generate(runner, ws)
        sent = [r.body for r in small.requests]
    finally:
        small.stop()
    assert result.exit_code == 1
    assert "模型服务的上下文长度为 1500 个词元" in result.output and "没有发送请求" in result.output
    assert len(sent) < 3   # the long prompts of 一 and 五 were never sent
    assert all(body["max_tokens"] < 1500 for body in sent)   # what was sent fits the context


def test_context_cut_is_not_blamed_on_max_tokens(runner, tmp_path, server):
    server.default = Behaviour(text=GOOD, finish_reason="length")   # stopped far below the section's limit
    ws = workspace(tmp_path, server)
    result = generate(runner, ws)
    assert result.exit_code == 1
    assert "上下文长度" in result.output and "--n_ctx" in result.output


# --- repairs that only improve ---------------------------------------------------------------

@pytest.mark.parametrize("repair, why", [
    ("无。", "丢失了内容"),
    (WRONG + "\n\n核对结果：表格中确实没有 3120。", "新的问题"),
    (WRONG, "与原稿相同"),
    ("（一）主动公开方面。全年共收到政府信息公开申请3121件，办结3051件。", "没有减少"),
])
def test_a_repair_that_is_no_better_is_not_written(runner, tmp_path, server, repair, why):
    server.script(Behaviour(text=WRONG), Behaviour(text=GOOD), Behaviour(text=GOOD), Behaviour(text=repair))
    ws = workspace(tmp_path, server)
    result = generate(runner, ws)
    assert result.exit_code == 1
    assert sections(ws)["overview"] == WRONG   # the draft before the repair, with its finding
    assert "修改稿没有采用" in result.output and why in result.output
    assert len(server.requests) == 4   # no second round after a rejected repair
    meta = json.loads((ws / "2024" / "draft.provenance.json").read_text(encoding="utf-8"))
    assert "3120" in json.dumps(meta["sections"]["overview"]["unresolved_findings"], ensure_ascii=False)


def test_a_repair_that_fixes_the_number_is_written(runner, tmp_path, server):
    server.script(Behaviour(text=WRONG), Behaviour(text=GOOD), Behaviour(text=GOOD), Behaviour(text=GOOD))
    ws = workspace(tmp_path, server)
    assert generate(runner, ws).exit_code == 0
    assert sections(ws)["overview"] == GOOD


def test_regenerate_keeps_the_section_when_the_repair_is_worse(runner, tmp_path, server):
    ws = workspace(tmp_path, server)
    assert generate(runner, ws).exit_code == 0
    server.script(Behaviour(text=WRONG), Behaviour(text="无。"))
    result = runner.invoke(app, ["regenerate", "一", "--year", "2024", "--dir", str(ws), "-i", "写具体些"])
    assert result.exit_code == 1 and "修改稿没有采用" in result.output


# --- loops that are not exact copies ---------------------------------------------------------

def test_numbered_list_cycling_is_stopped_while_streaming(runner, tmp_path, server):
    server.default = Behaviour(text="（一）存在的主要问题\n\n", chunk_chars=8,
                               cycle=("政策解读形式较为单一，图表解读占比不高。", "依申请公开答复文书规范性有待提升。",
                                      "基层政务公开标准化建设推进不够平衡。"))
    ws = workspace(tmp_path, server)
    result = generate(runner, ws)
    assert result.exit_code == 1 and "模型输出陷入重复" in result.output
    sent = server.requests[0]
    assert sent.finished - sent.started < 5   # stopped long before the 4048-token limit


@pytest.mark.parametrize("body, repeated", [
    ("".join(f"{n}. 政策解读形式较为单一，图表解读占比不高。\n" for n in range(1, 5)), True),
    ("\n\n".join(f"（{c}）{c}方面。全年围绕重点领域主动公开政府信息，及时发布政策文件和解读材料，"
                 "持续优化政府网站栏目设置，公开质量和时效进一步提升，群众获取信息更加便捷。" for c in "一二三"), True),
    ("一是政策解读形式较为单一；二是依申请公开答复文书规范性有待提升；三是基层政务公开推进不平衡。", False),
])
def test_check_flags_repetition(runner, tmp_path, body, repeated):
    ws = copy_example("huaian", tmp_path)
    assert runner.invoke(app, ["generate", "--year", "2024", "--dir", str(ws), "--backend", "offline"]).exit_code == 0
    replace_section(ws, "problems", body)
    result = runner.invoke(app, ["check", "--year", "2024", "--dir", str(ws), "--format", "json"])
    kinds = {(f["category"], f["section"]) for f in json.loads(result.stdout)["findings"]}
    assert (("repetition", "problems") in kinds) is repeated


# --- prompt text in a draft -------------------------------------------------------------------

def replace_section(ws: Path, key: str, body: str) -> None:
    from report_drafter.document import replace_section as put

    path = ws / "2024" / "draft.md"
    path.write_text(put(path.read_text(encoding="utf-8"), key, body), encoding="utf-8")


@pytest.mark.parametrize("leak", [
    "【工作记录开始】\n- 开展政策解读\n【工作记录结束】",
    "（二）落实上级年度政务公开工作要点情况。（无记录）",
    "全年未收取信息处理费。\n【当前文稿结束】",
    "要修改的部分：六、其他需要报告的事项\n\n当前正文：无。\n\n修改要求：写具体些",
    "核对结果：表格中确实没有 20。",
])
def test_prompt_text_in_a_draft_is_an_error(runner, tmp_path, leak):
    ws = copy_example("huaian", tmp_path)
    assert runner.invoke(app, ["generate", "--year", "2024", "--dir", str(ws), "--backend", "offline"]).exit_code == 0
    clean = runner.invoke(app, ["check", "--year", "2024", "--dir", str(ws), "--format", "json"])
    assert not [f for f in json.loads(clean.stdout)["findings"] if f["category"] in ("leakage", "repetition")]
    replace_section(ws, "other", leak)
    result = runner.invoke(app, ["check", "--year", "2024", "--dir", str(ws), "--format", "json"])
    assert result.exit_code == 1
    leaks = [f for f in json.loads(result.stdout)["findings"] if f["category"] == "leakage"]
    assert leaks and leaks[0]["severity"] == "error" and leaks[0]["section"] == "other"


def test_every_delimiter_of_the_templates_is_known_to_the_checker():
    from report_drafter.leakage import QUOTED, delimiter_names
    from report_drafter.prompts import builtin_dir

    used = set().union(*(delimiter_names(p.read_text(encoding="utf-8")) for p in builtin_dir().glob("*.j2")))
    assert used and used <= set(QUOTED)


def test_a_template_with_an_unknown_delimiter_is_refused(runner, tmp_path):
    ws = copy_example("huaian", tmp_path)
    (ws / "prompts").mkdir(exist_ok=True)
    (ws / "prompts" / "other.j2").write_text("请起草。\n【参考材料开始】\n无\n【参考材料结束】\n", encoding="utf-8")
    result = runner.invoke(app, ["prompts", "show", "other.j2", "--year", "2024", "--dir", str(ws)])
    assert result.exit_code != 0 and "核对程序不认识的材料分隔标记：【参考材料开始】" in result.output


def test_prompt_too_long_drops_last_years_prose_before_it_is_refused(runner, tmp_path, server):
    from report_drafter.backends.base import ChatMessage
    from report_drafter.backends.openai_backend import prompt_size

    ws = workspace(tmp_path, server)
    assert generate(runner, ws, "--backend", "offline").exit_code == 0
    (ws / "2023").mkdir()
    (ws / "2023" / "published.md").write_text((ws / "2024" / "draft.md").read_text(encoding="utf-8"), encoding="utf-8")

    def overview_prompt() -> int:
        body = server.requests[-3].body   # 一 is sent first
        return prompt_size([ChatMessage(m["role"], m["content"]) for m in body["messages"]])

    assert generate(runner, ws, "--force").exit_code == 0
    full = overview_prompt()
    assert "【上年度报告开始】" in server.requests[-3].body["messages"][1]["content"]
    config = ws / "drafter.toml"
    fits_without = full - 100 + 1000   # room for 一's 1000 字 only once last year's prose is left out
    config.write_text(config.read_text(encoding="utf-8").replace("[model]", f"[model]\ncontext_tokens = {fits_without}"),
                      encoding="utf-8")
    result = generate(runner, ws, "--force")
    assert result.exit_code == 0, result.output
    assert "提示词超出模型上下文长度，已略去上年度报告的原文" in result.output
    sent = server.requests[-3].body
    assert "【上年度报告开始】" not in sent["messages"][1]["content"] and overview_prompt() < full - 100
    assert sent["max_tokens"] <= fits_without - overview_prompt()


def test_ollama_is_recognised_and_its_small_default_context_is_said(runner, tmp_path, server):
    server.ollama = True
    ws = workspace(tmp_path, server)
    result = generate(runner, ws)
    assert result.exit_code == 0, result.output
    assert result.output.count("模型服务是 Ollama：它默认的上下文只有 2048–4096 个词元") == 1
    assert "context_tokens" in result.output


def test_text_without_a_finish_reason_is_taken_as_it_is(runner, tmp_path, server):
    server.default = Behaviour(text=GOOD, interrupted=True)   # some servers never send a finish reason
    ws = workspace(tmp_path, server)
    result = generate(runner, ws)
    assert result.exit_code == 0, result.output
    assert sections(ws) == dict.fromkeys(KEYS, GOOD)
