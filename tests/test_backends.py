"""Model settings, the OpenAI-compatible backend (against a local stub server) and `drafter config show`."""

from __future__ import annotations

import asyncio
import itertools
import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent))
from openai_stub import Behaviour, overlapped, start_server  # noqa: E402

from report_drafter.backends import (  # noqa: E402
    AuthenticationFailed, BackendError, ChatMessage, Completion, ConfigError, EmptyAnswer,
    EndpointUnreachable, FirstTokenTimedOut, ModelNotFound, OpenAIBackend, RepeatingAnswer, RequestTimedOut,
    ServerFailed, StreamStalled, TruncatedAnswer, backend_name, load_settings, total_usage,
)
from report_drafter.backends import waiting  # noqa: E402
from report_drafter.backends.model import OutputLimit, section_limit  # noqa: E402
from report_drafter.backends.repetition import RepeatDetector, find_loop  # noqa: E402
from report_drafter.backends.thinking import ThinkFilter, strip_reasoning  # noqa: E402
from report_drafter.errors import InputError  # noqa: E402
from report_drafter.settings import mask_key  # noqa: E402

KEY = "sk-abcdefghijklmnopqrstf9"
HEAVY = ("langchain_core", "langchain_openai", "openai")


@pytest.fixture(autouse=True)
def no_outside_settings(monkeypatch):
    """Nothing from the machine's environment reaches the client (and 127.0.0.1 is never proxied)."""
    for name in ("OPENAI_API_BASE", "OPENAI_ORG_ID", "OPENAI_PROXY", "DEEPSEEK_API_KEY",
                 "LANGSMITH_TRACING", "LANGCHAIN_TRACING_V2"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


@pytest.fixture
def stub():
    server = start_server()
    yield server
    server.stop()


def stub_settings(server, **model):
    """Settings pointing at the stub: short timeout, no retries unless asked."""
    section = {"base_url": server.url, "name": "stub-model", "timeout": 2, "max_retries": 0, **model}
    return load_settings({"model": section}, environ={})


def ask(text: str) -> list[ChatMessage]:
    return [ChatMessage("system", "你是公文写作助手。"), ChatMessage("user", text)]


def chunks_by_key(calls: list[tuple[str, str]]) -> dict[str, str]:
    joined: dict[str, str] = {}
    for key, text in calls:
        joined[key] = joined.get(key, "") + text
    return joined


# --- settings ---------------------------------------------------------------------------------

def test_defaults_mean_offline():
    settings = load_settings({}, environ={})
    assert backend_name(settings) == "offline"
    assert settings.api_key is None and settings.base_url is None
    assert (settings.timeout, settings.max_retries, settings.stream) == (120.0, 2, True)
    assert settings.first_token_timeout == 600.0
    assert set(settings.sources.values()) == {"默认值"}
    assert settings.warnings == []


def test_environment_overrides_file():
    config = {"model": {"base_url": "https://file.example/v1", "name": "file-model", "timeout": 30}}
    env = {"OPENAI_BASE_URL": "http://env.example:8000/v1/", "DRAFTER_MODEL": "env-model", "OPENAI_API_KEY": KEY}
    settings = load_settings(config, environ=env)
    assert settings.base_url == "http://env.example:8000/v1"
    assert settings.model == "env-model"
    assert settings.api_key.get_secret_value() == KEY
    assert settings.timeout == 30.0
    assert settings.sources["base_url"] == "环境变量 OPENAI_BASE_URL"
    assert settings.sources["model"] == "环境变量 DRAFTER_MODEL"
    assert settings.sources["api_key"] == "环境变量 OPENAI_API_KEY"
    assert settings.sources["timeout"] == "drafter.toml"
    assert settings.sources["max_retries"] == "默认值"
    assert backend_name(settings) == "openai"


def test_file_settings_are_read_and_typed():
    config = {"model": {"base_url": "http://localhost:11434/v1", "name": "qwen3", "timeout": 5,
                        "max_retries": 0, "temperature": 0.3, "max_tokens": 2000, "concurrency": 2,
                        "stream": False, "first_token_timeout": 1800}}
    settings = load_settings(config, environ={})
    assert (settings.timeout, settings.max_retries, settings.temperature) == (5.0, 0, 0.3)
    assert settings.first_token_timeout == 1800.0 and settings.sources["first_token_timeout"] == "drafter.toml"
    assert (settings.max_tokens, settings.concurrency, settings.stream) == (2000, 2, False)
    assert backend_name(settings) == "openai"  # an endpoint is enough: local servers need no key
    assert settings.api_key is None


def test_key_in_file_is_accepted_with_a_warning_and_env_wins():
    config = {"model": {"api_key": "sk-fromfile-123456"}}
    from_file = load_settings(config, environ={})
    assert from_file.api_key.get_secret_value() == "sk-fromfile-123456"
    assert from_file.sources["api_key"] == "drafter.toml"
    assert any("明文" in w for w in from_file.warnings)
    from_env = load_settings(config, environ={"OPENAI_API_KEY": KEY})
    assert from_env.api_key.get_secret_value() == KEY
    assert any("明文" in w for w in from_env.warnings)


def test_api_key_env_names_the_variable():
    config = {"model": {"api_key_env": "DEEPSEEK_API_KEY", "base_url": "https://api.deepseek.com"}}
    settings = load_settings(config, environ={"DEEPSEEK_API_KEY": "sk-deepseek-0001", "OPENAI_API_KEY": KEY})
    assert settings.api_key.get_secret_value() == "sk-deepseek-0001"
    assert settings.sources["api_key"] == "环境变量 DEEPSEEK_API_KEY"


@pytest.mark.parametrize("section, word", [
    ({"timeout": -1}, "timeout"),
    ({"first_token_timeout": 0}, "first_token_timeout"),
    ({"max_retries": "x"}, "max_retries"),
    ({"temperature": 3}, "temperature"),
    ({"base_url": "localhost:8000"}, "http://"),
    ({"stream": "yes"}, "stream"),
    ({"api_key_env": "sk-abc-123"}, "环境变量名"),
])
def test_bad_values_are_input_errors(section, word):
    with pytest.raises(InputError, match=word):
        load_settings({"model": section}, environ={})


def test_unknown_keys_and_missing_model_name_are_warned():
    settings = load_settings({"model": {"base_url": "http://127.0.0.1:1/v1", "modle": "x"}}, environ={})
    assert settings.model is None
    assert any("modle" in w for w in settings.warnings)
    assert any("DRAFTER_MODEL" in w for w in settings.warnings)
    with pytest.raises(ConfigError, match="未设置模型名称"):
        OpenAIBackend(settings)


def test_key_is_masked_and_never_shown():
    assert mask_key(KEY) == "sk-a…f9"
    assert mask_key(None) == "未设置"
    assert mask_key("short") == "*****"
    settings = load_settings({}, environ={"OPENAI_API_KEY": KEY})
    assert settings.masked_key == "sk-a…f9"
    assert KEY not in repr(settings) and KEY not in str(settings.api_key)


def test_backend_needs_a_key_or_an_endpoint():
    with pytest.raises(ConfigError, match="未设置模型服务"):
        OpenAIBackend(load_settings({}, environ={}))


# --- reasoning filter -------------------------------------------------------------------------

ANSWER_WITH_THINKING = "<think>先算一下 1+1。</think>\n\n本年度共收到申请 12 件。"


@pytest.mark.parametrize("cut", range(len(ANSWER_WITH_THINKING) + 1))
def test_think_block_removed_wherever_the_stream_splits(cut):
    think = ThinkFilter()
    text = think.feed(ANSWER_WITH_THINKING[:cut]) + think.feed(ANSWER_WITH_THINKING[cut:]) + think.finish()
    assert text == "本年度共收到申请 12 件。"


def test_reasoning_edge_cases():
    assert strip_reasoning("分析…</think>正文") == "正文"  # server dropped the opening tag
    assert strip_reasoning("<think>没有想完") == ""
    assert strip_reasoning("a < b，<thin 不是标签") == "a < b，<thin 不是标签"
    think = ThinkFilter()
    assert "".join(think.feed(c) for c in "<think>x</think>甲<think>y</think>乙") + think.finish() == "甲乙"


# --- OpenAI-compatible backend against the stub -------------------------------------------------

def test_streaming_answer_chunks_and_usage(stub):
    stub.script(Behaviour(text="本机关全年主动公开政府信息 120 条。", chunk_chars=3))
    calls: list[tuple[str, str]] = []
    backend = OpenAIBackend(stub_settings(stub, max_tokens=500, temperature=0.2))
    result = backend.complete_many({"overview": ask("写总体情况")}, on_chunk=lambda k, t: calls.append((k, t)))
    done = result["overview"]
    assert done.text == "本机关全年主动公开政府信息 120 条。"
    assert len(calls) > 3 and chunks_by_key(calls) == {"overview": done.text}
    assert (done.key, done.model, done.finish_reason) == ("overview", "stub-model", "stop")
    assert done.input_tokens == len("你是公文写作助手。") + len("写总体情况")
    assert done.output_tokens == len(done.text)
    assert done.duration_s > 0
    body = stub.requests[0].body
    assert body["stream"] is True and body["stream_options"] == {"include_usage": True}
    assert body["model"] == "stub-model" and body["temperature"] == 0.2
    assert body["max_tokens"] == 500 and "max_completion_tokens" not in body   # a local server reads max_tokens
    assert stub.requests[0].headers["authorization"] == "Bearer not-needed"


def test_non_streaming_answer(stub):
    stub.script(Behaviour(text="依申请公开情况如下。"))
    settings = load_settings({"model": {"base_url": stub.url, "name": "stub-model", "stream": False,
                                        "max_retries": 0}}, environ={"OPENAI_API_KEY": KEY})
    calls = []
    done = OpenAIBackend(settings).complete_many({"apply": ask("写依申请公开")}, lambda k, t: calls.append((k, t)))
    assert done["apply"].text == "依申请公开情况如下。"
    assert calls == [("apply", "依申请公开情况如下。")]
    assert done["apply"].output_tokens == len("依申请公开情况如下。")
    assert stub.requests[0].body["stream"] is False
    assert stub.requests[0].headers["authorization"] == f"Bearer {KEY}"


def test_requests_run_concurrently(stub):
    stub.default = Behaviour(delay=0.5)  # echoes the question
    backend = OpenAIBackend(stub_settings(stub, concurrency=3))   # a local server gets one at a time unless told
    results = backend.complete_many({key: ask(f"问题{key}") for key in ("a", "b", "c")})
    assert {k: c.text for k, c in results.items()} == {k: f"答复：问题{k}" for k in "abc"}
    assert len(stub.requests) == 3
    assert all(overlapped(x, y) for x, y in itertools.combinations(stub.requests, 2))
    assert total_usage(results.values()) == (sum(c.input_tokens for c in results.values()),
                                             sum(c.output_tokens for c in results.values()))


def test_concurrency_setting_limits_requests_in_flight(stub):
    stub.default = Behaviour(delay=0.1)
    OpenAIBackend(stub_settings(stub, concurrency=1)).complete_many({k: ask(k) for k in "ab"})
    first, second = stub.requests
    assert not overlapped(first, second)


def test_server_error_is_retried(stub):
    stub.script(Behaviour(status=500, error_message="overloaded", headers={"retry-after-ms": "10"}),
                Behaviour(text="重试后成功。"))
    done = OpenAIBackend(stub_settings(stub, max_retries=2)).complete(ask("写"))
    assert done.text == "重试后成功。"
    assert len(stub.requests) == 2


def test_server_error_after_retries(stub):
    stub.default = Behaviour(status=503, error_message="upstream down")
    with pytest.raises(ServerFailed, match="HTTP 503") as caught:
        OpenAIBackend(stub_settings(stub)).complete_many({"overview": ask("写")})
    assert "部分“overview”" in str(caught.value) and "upstream down" in str(caught.value)


def test_no_output_within_first_token_timeout_is_a_chinese_error(stub):
    stub.default = Behaviour(delay=3)
    with pytest.raises(FirstTokenTimedOut) as caught:
        OpenAIBackend(stub_settings(stub, first_token_timeout=0.2, max_retries=1)).complete_many({"overview": ask("写")})
    message = str(caught.value)
    assert "部分“overview”" in message and "开始输出超过 0.2 秒" in message and "first_token_timeout" in message
    assert isinstance(caught.value, RequestTimedOut)
    assert len(stub.requests) == 1  # a queued request is not sent again: it would go to the back of the queue


def test_connection_refused_names_the_url_and_the_fix():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = load_settings({"model": {"base_url": f"http://127.0.0.1:{port}/v1", "name": "m",
                                        "max_retries": 0, "timeout": 1}}, environ={})
    with pytest.raises(EndpointUnreachable) as caught:
        OpenAIBackend(settings).complete(ask("你好"))
    message = str(caught.value)
    assert f"http://127.0.0.1:{port}/v1" in message and "无法连接" in message
    assert "OPENAI_BASE_URL" in message and "base_url" in message


def test_wrong_key(stub):
    stub.default = Behaviour(status=401, error_message="Incorrect API key provided")
    settings = load_settings({"model": {"base_url": stub.url, "name": "m", "max_retries": 0}},
                             environ={"OPENAI_API_KEY": KEY})
    with pytest.raises(AuthenticationFailed, match="401") as caught:
        OpenAIBackend(settings).complete(ask("你好"))
    assert "OPENAI_API_KEY" in str(caught.value) and KEY not in str(caught.value)


def test_model_not_found(stub):
    stub.default = Behaviour(status=404, error_message="model 'nope' not found", error_code="model_not_found")
    with pytest.raises(ModelNotFound, match="找不到模型“stub-model”") as caught:
        OpenAIBackend(stub_settings(stub)).complete(ask("你好"))
    assert "DRAFTER_MODEL" in str(caught.value)


@pytest.mark.parametrize("stream", [True, False])
def test_empty_answer_is_an_error_naming_the_section(stub, stream):
    stub.default = Behaviour(text="")
    with pytest.raises(EmptyAnswer, match="部分“results”：模型返回了空白内容"):
        OpenAIBackend(stub_settings(stub, stream=stream)).complete_many({"results": ask("写")})


def test_only_thinking_is_an_empty_answer(stub):
    stub.default = Behaviour(text="<think>想了很久</think>\n")
    with pytest.raises(EmptyAnswer):
        OpenAIBackend(stub_settings(stub)).complete_many({"results": ask("写")})


@pytest.mark.parametrize("stream, chunk_chars", [(True, 1), (True, 5), (False, 4)])
def test_think_block_never_reaches_text_or_callback(stub, stream, chunk_chars):
    stub.default = Behaviour(text=ANSWER_WITH_THINKING, chunk_chars=chunk_chars)
    calls = []
    done = OpenAIBackend(stub_settings(stub, stream=stream)).complete_many(
        {"a": ask("写")}, on_chunk=lambda k, t: calls.append((k, t)))
    assert done["a"].text == "本年度共收到申请 12 件。"
    streamed = chunks_by_key(calls)["a"]
    assert "think" not in streamed and "1+1" not in streamed and streamed.strip() == done["a"].text


@pytest.mark.parametrize("stream", [True, False])
def test_reasoning_content_is_ignored(stub, stream):
    stub.default = Behaviour(text="正文内容。", reasoning="这是推理过程，不应出现。", chunk_chars=2)
    calls = []
    done = OpenAIBackend(stub_settings(stub, stream=stream)).complete(ask("写"), on_chunk=calls.append)
    assert done.text == "正文内容。" and "".join(calls) == "正文内容。"
    assert done.output_tokens == len("正文内容。") + len("这是推理过程，不应出现。")  # as the server reports


@pytest.mark.parametrize("stream", [True, False])
def test_length_cut_is_an_error(stub, stream):
    stub.default = Behaviour(text="本年度共收到", finish_reason="length")
    with pytest.raises(TruncatedAnswer, match="部分“apply”.*长度上限.*max_tokens"):
        OpenAIBackend(stub_settings(stub, stream=stream)).complete_many({"apply": ask("写")})


def test_failed_sections_keep_the_others(stub):
    stub.script(Behaviour(text="第一部分。"), Behaviour(text=""), Behaviour(text="第三部分。"))
    backend = OpenAIBackend(stub_settings(stub, concurrency=1))  # one at a time: arrival order is known
    with pytest.raises(EmptyAnswer) as caught:
        backend.complete_many({"one": ask("1"), "two": ask("2"), "three": ask("3")})
    assert set(caught.value.failures) == {"two"}
    assert {k: c.text for k, c in caught.value.completions.items()} == {"one": "第一部分。", "three": "第三部分。"}


def test_same_failure_of_many_sections_is_told_once():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = load_settings({"model": {"base_url": f"http://127.0.0.1:{port}/v1", "name": "m",
                                        "max_retries": 0}}, environ={})
    with pytest.raises(EndpointUnreachable) as caught:
        OpenAIBackend(settings).complete_many({k: ask(k) for k in ("a", "b", "c")})
    message = str(caught.value)
    assert message.count("无法连接") == 1 and "a、b、c 共 3 个部分" in message
    assert set(caught.value.failures) == {"a", "b", "c"}


def test_backend_works_inside_a_running_event_loop(stub):
    backend = OpenAIBackend(stub_settings(stub))

    async def caller():
        return backend.complete(ask("你好"))

    assert asyncio.run(caller()).text == "答复：你好"
    assert backend.complete(ask("再问")).text == "答复：再问"  # a second event loop: fresh HTTP client


# --- waiting: a queue before the first output, a stall after it ---------------------------------

def notices_of(calls: list[tuple[str, str]]) -> dict[str, list[str]]:
    by_key: dict[str, list[str]] = {}
    for key, message in calls:
        by_key.setdefault(key, []).append(message)
    return by_key


@pytest.fixture
def serial_stub():
    """A server that answers one request at a time, like llama.cpp's server or Ollama by default."""
    server = start_server(serial=True)
    yield server
    server.stop()


@pytest.mark.parametrize("early_headers", [False, True], ids=["queued-before-headers", "queued-after-headers"])
def test_queued_requests_wait_their_turn_and_say_so(serial_stub, early_headers):
    # Each request waits 1 s for its turn and its first token; the last one waits for all three.
    # The stall timeout (0.5 s) is shorter than any of those waits: it must not apply before the first output.
    serial_stub.default = Behaviour(delay=1, chunk_chars=2, early_headers=early_headers)
    notices: list[tuple[str, str]] = []
    backend = OpenAIBackend(stub_settings(serial_stub, timeout=0.5, first_token_timeout=10, concurrency=3))
    results = backend.complete_many({k: ask(f"问题{k}") for k in "abc"}, on_notice=lambda k, m: notices.append((k, m)))
    assert {k: c.text for k, c in results.items()} == {k: f"答复：问题{k}" for k in "abc"}
    queued = [k for k, messages in notices_of(notices).items() if waiting.QUEUED in messages]
    assert len(queued) >= 2, notices  # every section but the one served first was told it waits in the queue
    assert all(notices_of(notices)[k][-2:] == [waiting.RECEIVING, waiting.DONE] for k in queued)


def test_queue_wait_longer_than_first_token_timeout_is_fine_while_others_progress(serial_stub):
    # Four requests served one after another take at least 4 × 0.5 s; the last one waits longer than
    # first_token_timeout (1.5 s) in all, but never more than about 0.5 s without any section receiving output.
    backend = OpenAIBackend(stub_settings(serial_stub, timeout=1, first_token_timeout=1.5, concurrency=4))
    backend.complete(ask("预热"))  # the first request of a process loads more of the client
    serial_stub.default = Behaviour(delay=0.5)
    results = backend.complete_many({k: ask(k) for k in "abcd"})
    assert set(results) == {"a", "b", "c", "d"}
    last = max(serial_stub.requests[1:], key=lambda r: r.finished)
    assert last.finished - last.started > 1.5  # it did wait longer than first_token_timeout


def test_lone_request_waiting_long_is_said_to_be_read_not_queued(stub, monkeypatch):
    monkeypatch.setattr(waiting, "QUEUE_NOTICE_AFTER", 0.1)
    stub.default = Behaviour(delay=0.6, text="正文。")
    notices: list[str] = []
    done = OpenAIBackend(stub_settings(stub)).complete(ask("写"), on_notice=notices.append)
    assert done.text == "正文。" and notices == [waiting.READING, waiting.RECEIVING, waiting.DONE]


def test_stream_that_stops_midway_is_a_stall_not_a_queue(stub):
    stub.default = Behaviour(text="本机关全年主动公开政府信息一百二十条，办结申请三十件。", chunk_chars=2, stall_after=10)
    calls: list[tuple[str, str]] = []
    backend = OpenAIBackend(stub_settings(stub, timeout=0.3, first_token_timeout=30))
    with pytest.raises(StreamStalled) as caught:
        backend.complete_many({"overview": ask("写")}, on_chunk=lambda k, t: calls.append((k, t)))
    message = str(caught.value)
    assert "输出中途停顿超过 0.3 秒" in message and "已收到约 10 字" in message and "timeout" in message
    assert chunks_by_key(calls)["overview"] == "本机关全年主动公开政"


@pytest.mark.parametrize("stream", [True, False])
def test_nothing_at_all_is_a_first_token_timeout_not_a_stall(stub, stream):
    stub.default = Behaviour(delay=3, early_headers=True)
    with pytest.raises(FirstTokenTimedOut, match="开始输出超过 0.3 秒"):
        OpenAIBackend(stub_settings(stub, stream=stream, timeout=10, first_token_timeout=0.3)).complete(ask("写"))


# --- output limits and loops ----------------------------------------------------------------------

def test_section_limits_fit_their_length_targets():
    assert section_limit("overview", {"max_chars": 1000}) == OutputLimit(4048, 1000)
    assert section_limit("overview", {"max_chars": 800}) == OutputLimit(3648, 800)  # [check] overview_max_chars
    assert section_limit("problems", {}) == OutputLimit(4048, 1000)
    assert section_limit("other", {}) == OutputLimit(3648, 800)
    assert section_limit("chat", {}) is None


LOOP = "一是加强政策解读，提升解读的针对性和通俗化。"


def varied_text(size: int) -> str:
    """Prose that never repeats itself (no two sentences alike, numbers aside: a numbered copy is a loop)."""
    who, what, how = "市区县乡镇街村组", "政策解读栏目平台渠道制度台账档案", "按计划推进及时更新逐步完善稳步落实全面规范"
    return "".join(f"{who[i % 7]}级{what[i % 11:i % 11 + 2]}工作{how[i % 13:i % 13 + 4]}，情况良好。"
                   for i in range(size // 10 + 1))[:size]


def test_sections_get_their_default_limit_unless_max_tokens_is_set(stub):
    limits = {"problems": section_limit("problems", {}), "other": section_limit("other", {})}
    OpenAIBackend(stub_settings(stub)).complete_many({k: ask(k) for k in limits}, limits=limits)
    assert sorted(r.body["max_tokens"] for r in stub.requests) == [3648, 4048]
    OpenAIBackend(stub_settings(stub, max_tokens=500)).complete_many({"problems": ask("写")}, limits=limits)
    assert stub.requests[-1].body["max_tokens"] == 500
    OpenAIBackend(stub_settings(stub)).complete(ask("对话"))
    assert stub.requests[-1].body["max_tokens"] == 4048   # chat answers are limited too
    OpenAIBackend(stub_settings(stub, max_tokens=32)).complete(ask("对话"))
    assert stub.requests[-1].body["max_tokens"] == 32 and "max_completion_tokens" not in stub.requests[-1].body


@pytest.mark.parametrize("field, sent, absent", [("max_tokens", "max_tokens", "max_completion_tokens"),
                                                  ("max_completion_tokens", "max_completion_tokens", "max_tokens")])
def test_limit_field_setting_names_the_field_sent(stub, field, sent, absent):
    OpenAIBackend(stub_settings(stub, max_tokens=64, limit_field=field)).complete(ask("对话"))
    body = stub.requests[-1].body
    assert body[sent] == 64 and absent not in body


def test_limit_field_defaults_by_endpoint():
    assert load_settings({"model": {"base_url": "http://127.0.0.1:8080/v1", "name": "m"}}, {}).effective_limit_field \
        == "max_tokens"
    assert load_settings({}, {"OPENAI_API_KEY": KEY}).effective_limit_field == "max_completion_tokens"


@pytest.mark.parametrize("stream", [True, False])
def test_section_cut_at_its_limit_says_which_limit(stub, stream):
    stub.default = Behaviour(text=varied_text(5000))
    limits = {"problems": section_limit("problems", {})}
    with pytest.raises(TruncatedAnswer) as caught:
        OpenAIBackend(stub_settings(stub, stream=stream)).complete_many({"problems": ask("写")}, limits=limits)
    message = str(caught.value)
    assert "本部分的输出上限（4048 个词元，按约 1000 字" in message and "max_tokens" in message
    assert "重复" not in message


@pytest.mark.parametrize("stream", [True, False])
def test_looping_model_is_stopped_and_reported_as_a_loop(stub, stream):
    stub.default = Behaviour(text="（一）存在的主要问题。", repeat=LOOP, chunk_chars=3)
    calls: list[tuple[str, str]] = []
    limits = {"problems": section_limit("problems", {})}
    with pytest.raises(RepeatingAnswer) as caught:
        OpenAIBackend(stub_settings(stub, stream=stream)).complete_many(
            {"problems": ask("写")}, on_chunk=lambda k, t: calls.append((k, t)), limits=limits)
    message = str(caught.value)
    assert "模型输出陷入重复" in message and LOOP[:20] in message and "长度上限" not in message
    if stream:  # stopped early: a few copies in, not at the 4048-token limit
        assert len(chunks_by_key(calls)["problems"]) < 10 * len(LOOP)


@pytest.mark.parametrize("text", [
    "的" * 100,
    "前言。" + LOOP * 5 + LOOP[:5],
    "正文" + "\n\n".join(["（一）存在的主要问题。一是网站栏目更新不及时，个别栏目长期未更新，信息时效性不强。"] * 3),
])
def test_loops_are_found(text):
    assert find_loop("".join(text.split())) is not None or find_loop(text) is not None


@pytest.mark.parametrize("text", [
    "的" * 99,
    LOOP * 2,                 # said twice is not a loop
    LOOP * 4,                 # nor four times a short sentence (92 characters, under the 100-character span)
    varied_text(3000),
    "哈哈哈，" * 5,            # short repeats fall under the 100-character span
])
def test_ordinary_text_is_no_loop(text):
    assert find_loop(text) is None


def test_real_reports_never_look_like_loops():
    reports = sorted((Path(__file__).parent.parent / "examples").glob("*/*/*.md"))
    reports += sorted((Path(__file__).parent / "fixtures").rglob("*.txt"))
    assert reports
    for path in reports:
        detector, text = RepeatDetector(), path.read_text(encoding="utf-8")
        found = [loop for i in range(0, len(text), 7) if (loop := detector.feed(text[i:i + 7]))]
        assert found == [] and detector.check() is None, path


# --- injected chat model --------------------------------------------------------------------

def fake_model(*responses: str):
    from langchain_core.language_models import FakeListChatModel

    return FakeListChatModel(responses=list(responses))


def test_injected_model_streams_character_by_character():
    backend = OpenAIBackend(load_settings({}, environ={}), chat_model=fake_model("一、总体情况。"))
    calls = []
    done = backend.complete_many({"overview": ask("写")}, on_chunk=lambda k, t: calls.append((k, t)))
    assert done["overview"].text == "一、总体情况。"
    assert calls == [("overview", c) for c in "一、总体情况。"]
    # no usage from the model: counted from the text and marked as estimated
    assert done["overview"].usage_estimated and done["overview"].output_tokens == len("一、总体情况。")
    assert done["overview"].input_tokens == len("你是公文写作助手。") + 1 + 2 * 8
    assert done["overview"].model == "fake-list-chat-model"  # not the OpenAI default name


def test_injected_model_thinking_split_per_character():
    backend = OpenAIBackend(load_settings({}, environ={}), chat_model=fake_model(ANSWER_WITH_THINKING))
    calls = []
    assert backend.complete(ask("写"), on_chunk=calls.append).text == "本年度共收到申请 12 件。"
    assert "".join(calls) == "本年度共收到申请 12 件。"


def test_injected_model_empty_answer():
    backend = OpenAIBackend(load_settings({}, environ={}), chat_model=fake_model(""))
    with pytest.raises(EmptyAnswer, match="部分“x”"):
        backend.complete_many({"x": ask("写")})


def test_callback_errors_are_not_disguised():
    backend = OpenAIBackend(load_settings({}, environ={}), chat_model=fake_model("正文"))

    def broken(key, text):
        raise KeyError("callback bug")

    with pytest.raises(KeyError):
        backend.complete_many({"x": ask("写")}, on_chunk=broken)


def test_completion_is_a_plain_dataclass():
    done = Completion("k", "正文", "m", 1, 2, 0.1, "stop")
    assert total_usage([done, done]) == (2, 4)
    assert issubclass(EmptyAnswer, BackendError)


# --- CLI --------------------------------------------------------------------------------------

def test_config_show_sources_and_masked_key(tmp_path, monkeypatch):
    from report_drafter.cli import app

    (tmp_path / "drafter.toml").write_text('[model]\nname = "deepseek-chat"\ntimeout = 60\n', encoding="utf-8")
    monkeypatch.setenv("OPENAI_BASE_URL", "https://api.deepseek.com/v1")
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    result = CliRunner().invoke(app, ["config", "show", "--dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "https://api.deepseek.com/v1" in out and "环境变量 OPENAI_BASE_URL" in out
    assert "deepseek-chat" in out and "drafter.toml" in out
    assert "sk-a…f9" in out and KEY not in out
    assert "60 秒" in out and "默认值" in out
    assert "first_token_timeout" in out and "600 秒" in out and "等待开始输出超时" in out
    assert "起草后端：openai" in out


def test_config_show_offline_and_json(tmp_path):
    from report_drafter.cli import app

    result = CliRunner().invoke(app, ["config", "show", "--dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "未设置" in result.output and "起草后端：offline" in result.output
    result = CliRunner().invoke(app, ["config", "show", "--dir", str(tmp_path), "--format", "json"])
    data = json.loads(result.output)
    assert data["backend"] == "offline"
    assert data["settings"]["api_key"] == {"value": None, "source": "默认值"}
    assert data["settings"]["first_token_timeout"] == {"value": 600.0, "source": "默认值"}


def test_config_show_bad_file_is_a_chinese_error(tmp_path):
    from report_drafter.cli import app

    (tmp_path / "drafter.toml").write_text('[model]\ntimeout = "fast"\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["config", "show", "--dir", str(tmp_path)])
    assert result.exit_code == 2
    assert "timeout" in result.output and "Traceback" not in result.output


# --- startup speed: no heavy imports ----------------------------------------------------------

CHECK_IMPORTS = """
import sys
{body}
heavy = sorted(m for m in sys.modules if m.split(".")[0] in {heavy!r})
print("HEAVY:", heavy)
"""

RUN_CLI = """
from report_drafter.cli import app
for args in (["--help"], ["config", "show", "--dir", FOLDER]):
    try:
        app(args)
    except SystemExit as done:
        assert done.code in (0, None), done.code
"""


@pytest.mark.parametrize("body", [
    "import report_drafter.cli, report_drafter.backends, report_drafter.settings\n"
    "from report_drafter.backends import OpenAIBackend, load_settings\n"
    "OpenAIBackend(load_settings({}, {'OPENAI_API_KEY': 'x'}))",
    RUN_CLI,
], ids=["import", "cli"])
def test_startup_never_loads_langchain_or_openai(body, tmp_path):
    code = CHECK_IMPORTS.format(body=body.replace("FOLDER", repr(str(tmp_path))), heavy=HEAVY)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "HEAVY: []" in done.stdout, done.stdout
