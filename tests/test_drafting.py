"""drafter generate / regenerate / history / undo / prompts with the offline backend."""

import json

import pytest

from report_drafter.cli import app
from report_drafter.document import parse_document
from report_drafter.notes import parse_notes

from conftest import copy_example

EXAMPLES = [("zhongmou", 2023), ("huaian", 2024)]


@pytest.mark.parametrize("name, year", EXAMPLES)
def test_offline_generate_writes_complete_draft(runner, tmp_path, name, year):
    ws = copy_example(name, tmp_path)
    result = runner.invoke(app, ["generate", "--year", str(year), "--dir", str(ws), "--backend", "offline"])
    assert result.exit_code == 0, result.output
    assert f"已生成 {year}/draft.md" in result.output
    text = (ws / str(year) / "draft.md").read_text(encoding="utf-8")
    doc = parse_document(text)
    assert list(doc.sections) == ["overview", "active", "requests", "appeals", "problems", "other"]
    assert doc.title.endswith(f"{year}年政府信息公开工作年度报告")
    overview = doc.body("overview")
    for lead in ("（一）主动公开方面。", "（二）依申请公开方面。", "（三）政府信息管理方面。",
                 "（四）政府信息公开平台建设方面。", "（五）监督保障方面。"):
        assert lead in overview
    assert "【待补充" not in text and "{" not in text
    meta = json.loads((ws / str(year) / "draft.provenance.json").read_text(encoding="utf-8"))
    assert meta["backend"] == "offline" and set(meta["sections"]) == {"overview", "problems", "other"}
    assert "offline_overview.j2" in meta["templates"]


def test_zhongmou_draft_reads_like_the_published_report(runner, tmp_path):
    ws = copy_example("zhongmou", tmp_path)
    runner.invoke(app, ["generate", "--year", "2023", "--dir", str(ws)])
    doc = parse_document((ws / "2023" / "draft.md").read_text(encoding="utf-8"))
    assert "截至2023年底，共发布各类信息32条。" in doc.body("overview")
    assert "未收到政府信息公开申请" in doc.body("overview")
    assert "全年未发生因政府信息公开引发的行政复议和行政诉讼。" in doc.body("overview")
    assert "2023年我局未收取信息处理费。" in doc.body("other")
    assert "一是" in doc.body("problems") and "二是" in doc.body("problems")


def test_huaian_draft_states_table_values(runner, tmp_path):
    ws = copy_example("huaian", tmp_path)
    runner.invoke(app, ["generate", "--year", "2024", "--dir", str(ws)])
    overview = parse_document((ws / "2024" / "draft.md").read_text(encoding="utf-8")).body("overview")
    assert "共收到政府信息公开申请3119件" in overview
    assert "上年结转34件" in overview and "办结3050件" in overview and "结转下年度继续办理103件" in overview
    assert "被申请行政复议351件" in overview and "被提起行政诉讼46件，其中结果维持25件" in overview
    assert "共收取信息处理费3940元" in (ws / "2024" / "draft.md").read_text(encoding="utf-8")


def _generated(runner, tmp_path):
    ws = copy_example("zhongmou", tmp_path)
    runner.invoke(app, ["generate", "--year", "2023", "--dir", str(ws)])
    return ws, ws / "2023" / "draft.md"


def test_regenerate_keeps_every_other_byte(runner, tmp_path):
    ws, draft = _generated(runner, tmp_path)
    text = draft.read_text(encoding="utf-8")
    edited = text.replace("（四）年度政务公开工作创新情况。", "（四）年度政务公开工作创新情况。（手工补充）")
    edited = edited.replace("未收到政府信息公开申请。", "未收到政府信息公开申请。我局手工加的话。")
    draft.write_text(edited, encoding="utf-8")
    (ws / "2023" / "notes.md").write_text(
        (ws / "2023" / "notes.md").read_text(encoding="utf-8").replace("- 本年度未收取信息处理费\n", "")
        .replace("## 存在的主要问题\n", "## 存在的主要问题\n\n- 政务新媒体“云上中牟”更新频率不足\n"), encoding="utf-8")
    result = runner.invoke(app, ["regenerate", "五", "--year", "2023", "--dir", str(ws)])
    assert result.exit_code == 0, result.output
    new = draft.read_text(encoding="utf-8")
    old_doc, new_doc = parse_document(edited), parse_document(new)
    assert "云上中牟”更新频率不足" in new_doc.body("problems")
    before = edited[: old_doc.sections["problems"].line]
    assert new.startswith(before)
    after_old = edited[edited.index("## 六、"):]
    assert new.endswith(after_old)


def test_regenerate_asks_before_replacing_manual_edit(runner, tmp_path):
    ws, draft = _generated(runner, tmp_path)
    edited = draft.read_text(encoding="utf-8").replace("共发布各类信息32条", "共发布各类信息32条（含转载）")
    draft.write_text(edited, encoding="utf-8")
    result = runner.invoke(app, ["regenerate", "overview", "--year", "2023", "--dir", str(ws)], input="n\n")
    assert result.exit_code == 1
    assert "被手工修改过" in result.output and "+（一）主动公开方面" in result.output
    assert "-（一）主动公开方面" in result.output and "未做任何修改" in result.output
    assert draft.read_text(encoding="utf-8") == edited
    result = runner.invoke(app, ["regenerate", "overview", "--year", "2023", "--dir", str(ws), "--yes"])
    assert result.exit_code == 0, result.output
    assert "（含转载）" not in draft.read_text(encoding="utf-8")
    saved = [e["saved_as"] for e in json.loads("[" + ",".join(
        (ws / "2023" / ".history" / "history.jsonl").read_text(encoding="utf-8").split("\n")[:-1]) + "]")]
    assert any("（含转载）" in (ws / "2023" / ".history" / s).read_text(encoding="utf-8") for s in saved)


def test_generate_keeps_hand_edited_sections(runner, tmp_path):
    ws, draft = _generated(runner, tmp_path)
    draft.write_text(draft.read_text(encoding="utf-8").replace("做到规范办理。", "做到规范办理。手工补充。"), encoding="utf-8")
    result = runner.invoke(app, ["generate", "--year", "2023", "--dir", str(ws)])
    assert "保留 一、总体情况" in result.output
    assert "手工补充。" in draft.read_text(encoding="utf-8")
    runner.invoke(app, ["generate", "--year", "2023", "--dir", str(ws), "--force"])
    assert "手工补充。" not in draft.read_text(encoding="utf-8")


def test_history_and_undo_restore_previous_versions(runner, tmp_path):
    ws, draft = _generated(runner, tmp_path)
    first = draft.read_text(encoding="utf-8")
    draft.write_text(first.replace("32条", "32条（一改）"), encoding="utf-8")
    runner.invoke(app, ["generate", "--year", "2023", "--dir", str(ws), "--force"])
    draft.write_text(first.replace("32条", "32条（二改）"), encoding="utf-8")
    runner.invoke(app, ["generate", "--year", "2023", "--dir", str(ws), "--force"])
    listing = runner.invoke(app, ["history", "--year", "2023", "--dir", str(ws)])
    assert listing.exit_code == 0 and "drafter generate" in listing.output
    assert runner.invoke(app, ["undo", "--year", "2023", "--dir", str(ws)]).exit_code == 0
    assert "32条（二改）" in draft.read_text(encoding="utf-8")
    assert runner.invoke(app, ["undo", "--year", "2023", "--dir", str(ws)]).exit_code == 0
    assert draft.read_text(encoding="utf-8") == first.replace("32条", "32条（一改）")


def test_undo_without_history_says_so(runner, tmp_path):
    ws = copy_example("zhongmou", tmp_path)
    result = runner.invoke(app, ["undo", "--year", "2023", "--dir", str(ws)])
    assert result.exit_code == 2 and "没有可以撤销的修改" in result.output


def test_generate_refuses_invalid_tables(runner, tmp_path):
    ws = copy_example("huaian", tmp_path)
    stats = ws / "2024" / "stats.yaml"
    stats.write_text(stats.read_text(encoding="utf-8").replace("[2932, 53", "[2933, 53"), encoding="utf-8")
    result = runner.invoke(app, ["generate", "--year", "2024", "--dir", str(ws)])
    assert result.exit_code == 1
    assert "2024/stats.yaml" in result.output and "统计表未通过校验" in result.output
    assert not (ws / "2024" / "draft.md").exists()


@pytest.mark.parametrize("command, says", [
    (["generate"], "无法起草"),
    (["check"], "无法核对草稿"),
    (["export", "--format", "md"], "无法核对草稿"),
])
def test_invalid_tables_are_listed_where_the_message_points(runner, tmp_path, command, says):
    ws = copy_example("huaian", tmp_path)
    runner.invoke(app, ["generate", "--year", "2024", "--dir", str(ws)])
    before = (ws / "2024" / "draft.md").read_text(encoding="utf-8")
    stats = ws / "2024" / "stats.yaml"
    stats.write_text(stats.read_text(encoding="utf-8").replace("[2932, 53", "[2933, 53"), encoding="utf-8")
    result = runner.invoke(app, [*command, "--year", "2024", "--dir", str(ws)])
    assert result.exit_code == 1, result.output
    out = result.output
    assert f"统计表未通过校验，{says}。请先按上面列出的问题修改 stats.yaml" in out
    listed = out[: out.index("统计表未通过校验")]   # above the message, as it says
    assert "2024/stats.yaml:" in listed and "表三" in listed and "应" in listed
    assert (ws / "2024" / "draft.md").read_text(encoding="utf-8") == before


def test_offline_regenerate_with_an_instruction_says_it_needs_a_model(runner, tmp_path):
    ws, draft = _generated(runner, tmp_path)
    before = draft.read_text(encoding="utf-8")
    result = runner.invoke(app, ["regenerate", "五", "--year", "2023", "--dir", str(ws), "-i", "问题写得再具体些"])
    assert result.exit_code == 1
    assert "已重写" not in result.output
    assert "按修改要求重写" in result.output and "需要配置大模型" in result.output
    assert "OPENAI_BASE_URL" in result.output and "drafter.toml 的 [model]" in result.output
    assert draft.read_text(encoding="utf-8") == before
    assert not (ws / "2023" / ".history").exists()  # nothing was saved over


def test_offline_regenerate_that_changes_nothing_says_so(runner, tmp_path):
    ws, draft = _generated(runner, tmp_path)
    before = draft.read_text(encoding="utf-8")
    result = runner.invoke(app, ["regenerate", "六", "--year", "2023", "--dir", str(ws)])
    assert result.exit_code == 0, result.output
    assert "已重写" not in result.output
    assert "重新起草的“六、其他需要报告的事项”与原稿相同，草稿未改动。" in result.output
    assert draft.read_text(encoding="utf-8") == before
    assert not (ws / "2023" / ".history").exists()  # no history version of an unchanged file


def test_workspace_template_overrides_and_missing_fact_fails_early(runner, tmp_path):
    ws = copy_example("zhongmou", tmp_path)
    (ws / "prompts").mkdir()
    (ws / "prompts" / "offline_other.j2").write_text("{# 用途：本单位自定义 #}\n信息处理费{{ v.no_such_fact }}元。\n",
                                                    encoding="utf-8")
    listing = runner.invoke(app, ["prompts", "list", "--dir", str(ws)])
    assert "本单位自定义" in listing.output and "prompts/offline_other.j2" in listing.output.replace("\n", "")
    result = runner.invoke(app, ["generate", "--year", "2023", "--dir", str(ws)])
    assert result.exit_code == 1
    assert "提示词模板 offline_other.j2 第 2 行引用了数据中没有的内容（no_such_fact）" in result.output
    assert not (ws / "2023" / "draft.md").exists()


def test_notes_with_unknown_heading_warn(runner, tmp_path):
    ws = copy_example("zhongmou", tmp_path)
    notes = ws / "2023" / "notes.md"
    notes.write_text(notes.read_text(encoding="utf-8") + "\n## 杂项\n\n- 其他\n", encoding="utf-8")
    result = runner.invoke(app, ["generate", "--year", "2023", "--dir", str(ws)])
    assert result.exit_code == 0
    assert "工作记录中的标题“杂项”不属于任何栏目" in result.output


def test_parse_notes_keeps_lines_and_skips_hints():
    notes = parse_notes("# 标题\n\n## 主动公开\n\n<!-- 提示 -->\n- 发布信息 32 条\n\n## 监督保障\n培训 2 次\n")
    assert notes.topics["active"] == [(6, "发布信息 32 条")]
    assert notes.items("oversight") == ["培训 2 次"]


def test_prompts_show_renders_with_year_data(runner, tmp_path):
    ws = copy_example("huaian", tmp_path)
    result = runner.invoke(app, ["prompts", "show", "overview.j2", "--year", "2024", "--dir", str(ws)])
    assert result.exit_code == 0, result.output
    assert "本年新收政府信息公开申请：3119件" in result.output
    assert "市政府网站主动公开各类政府信息 5500 余条" in result.output


def test_unknown_backend_is_refused(runner, tmp_path):
    ws = copy_example("zhongmou", tmp_path)
    result = runner.invoke(app, ["generate", "--year", "2023", "--dir", str(ws), "--backend", "foo"])
    assert result.exit_code == 2 and "起草方式应为 auto、offline、openai、fake 之一，收到“foo”" in result.output
    assert not (ws / "2023" / "draft.md").exists()


def test_a_proposal_written_from_tables_changed_since_is_never_accepted(tmp_path):
    from conftest import copy_example

    from report_drafter import Prompts, generate, get_backend, open_workspace
    from report_drafter.services.inputs import InputsChanged
    from report_drafter.services.proposals import accept_proposal, propose_section

    root = copy_example("huaian", tmp_path)
    ws = open_workspace(root)
    prompts = Prompts(root)
    backend = get_backend("offline", ws.config, prompts)
    generate(ws, 2024, backend, prompts)
    before = (root / "2024" / "draft.md").read_text(encoding="utf-8")
    proposal = propose_section(ws, 2024, "problems", backend, prompts)
    stats = root / "2024" / "stats.yaml"        # a cell edited in the workbench while the proposal waits
    stats.write_text(stats.read_text(encoding="utf-8").replace("agency: 淮安市人民政府", "agency: 淮安市人民政府办公室"),
                     encoding="utf-8")
    with pytest.raises(InputsChanged, match="请重新生成修改稿"):
        accept_proposal(ws, 2024, proposal)
    assert (root / "2024" / "draft.md").read_text(encoding="utf-8") == before
