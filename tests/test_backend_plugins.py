"""Backends from installed packages: the entry-point group report_drafter.backends, chosen by name."""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path

import pytest

from report_drafter.backends import backend_names, get_backend, register_backend
from report_drafter.cli import app
from report_drafter.document import parse_document

sys.path.insert(0, str(Path(__file__).parent))
from conftest import copy_example  # noqa: E402

PLUGIN = '''
"""A tiny drafting backend shipped as its own package."""
from report_drafter.backends.base import Completion
from report_drafter.backends.offline import OfflineBackend


class TinyBackend(OfflineBackend):
    name = "tiny"
    model = "tiny-model"

    def compose(self, key, context):
        done = super().compose(key, context)
        return Completion(key, done.text + "（由插件起草）", self.model, None, None, 0.0, "stop")


def make_backend(settings, prompts):
    return TinyBackend(prompts)
'''


@pytest.fixture
def tiny_plugin(tmp_path, monkeypatch):
    """A package `tiny_drafter` with its dist-info (entry_points.txt) on sys.path; gone after the test."""
    site = tmp_path / "site"
    (site / "tiny_drafter").mkdir(parents=True)
    (site / "tiny_drafter" / "__init__.py").write_text(PLUGIN, encoding="utf-8")
    info = site / "tiny_drafter-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: tiny-drafter\nVersion: 0.1\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(textwrap.dedent("""
        [report_drafter.backends]
        tiny = tiny_drafter:make_backend
        broken = tiny_drafter:no_such_factory
    """), encoding="utf-8")
    monkeypatch.syspath_prepend(str(site))
    yield "tiny"
    sys.modules.pop("tiny_drafter", None)


def bodies(ws: Path) -> dict[str, str]:
    doc = parse_document((ws / "2024" / "draft.md").read_text(encoding="utf-8"))
    return {k: doc.body(k) for k in ("overview", "problems", "other")}


def test_plugin_is_listed_without_being_imported(tiny_plugin):
    assert "tiny" in backend_names()
    assert "tiny_drafter" not in sys.modules


def test_plugin_chosen_on_the_command_line(runner, tmp_path, tiny_plugin):
    ws = copy_example("huaian", tmp_path)
    result = runner.invoke(app, ["generate", "--year", "2024", "--dir", str(ws), "--backend", "tiny"])
    assert result.exit_code == 0, result.output
    assert all(body.endswith("（由插件起草）") for body in bodies(ws).values())
    meta = json.loads((ws / "2024" / "draft.provenance.json").read_text(encoding="utf-8"))
    assert meta["backend"] == "tiny" and meta["model"] == "tiny-model"


def test_plugin_chosen_in_drafter_toml(runner, tmp_path, tiny_plugin):
    ws = copy_example("huaian", tmp_path)
    config = ws / "drafter.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("[model]", '[model]\nbackend = "tiny"'), encoding="utf-8")
    result = runner.invoke(app, ["generate", "--year", "2024", "--dir", str(ws)])
    assert result.exit_code == 0, result.output
    assert bodies(ws)["other"].endswith("（由插件起草）")
    shown = runner.invoke(app, ["config", "show", "--dir", str(ws)])
    assert "起草后端：tiny（drafter.toml [model] backend 指定）" in shown.output
    assert "tiny  插件 tiny-drafter（tiny_drafter:make_backend）" in shown.output
    as_json = json.loads(runner.invoke(app, ["config", "show", "--dir", str(ws), "--format", "json"]).stdout)
    assert as_json["backend"] == "tiny" and "tiny" in as_json["backends"]


@pytest.mark.parametrize("name, message", [
    ("nosuch", "起草方式应为 auto、offline、openai、fake"),
    ("broken", "无法加载起草后端插件“broken”（tiny_drafter:no_such_factory）"),
])
def test_unknown_or_broken_backend_is_a_chinese_error(runner, tmp_path, tiny_plugin, name, message):
    ws = copy_example("huaian", tmp_path)
    result = runner.invoke(app, ["generate", "--year", "2024", "--dir", str(ws), "--backend", name])
    assert result.exit_code != 0 and message in result.output and "Traceback" not in result.output
    assert not (ws / "2024" / "draft.md").exists()


def test_registered_backend_is_chosen_by_name(runner, tmp_path, monkeypatch):
    from report_drafter import backends
    from report_drafter.backends.fake import FakeBackend

    monkeypatch.setattr(backends, "_FACTORIES", dict(backends._FACTORIES))   # the registration ends with the test
    register_backend("scripted", lambda settings, prompts: FakeBackend(prompts, {
        k: ["（一）本部分由注册的后端起草。"] for k in ("overview", "problems", "other")}))
    assert isinstance(get_backend("scripted"), FakeBackend)
    ws = copy_example("huaian", tmp_path)
    result = runner.invoke(app, ["generate", "--year", "2024", "--dir", str(ws), "--backend", "scripted"])
    assert "起草方式：模型 fake" in result.output
    assert bodies(ws)["other"] == "（一）本部分由注册的后端起草。"


@pytest.mark.parametrize("how", ["serve --backend", "drafter.toml"])
def test_plugin_drafts_in_the_web_workbench(tmp_path, tiny_plugin, how):
    from test_web import Page, generate as web_generate

    ws = copy_example("huaian", tmp_path)
    if how == "drafter.toml":
        config = ws / "drafter.toml"
        config.write_text(config.read_text(encoding="utf-8").replace("[model]", '[model]\nbackend = "tiny"'),
                          encoding="utf-8")
    page = Page(ws, **({"backend": "tiny"} if how == "serve --backend" else {}))
    events = web_generate(page)
    assert events[-1][0] == "done", events
    assert all(body.endswith("（由插件起草）") for body in bodies(ws).values())


def test_serve_refuses_an_unknown_backend_before_starting(runner, tmp_path):
    ws = copy_example("huaian", tmp_path)
    result = runner.invoke(app, ["serve", "--dir", str(ws), "--backend", "nosuch", "--no-browser", "--port", "18410"])
    assert result.exit_code != 0 and "起草方式应为" in result.output and "收到“nosuch”" in result.output
