"""Files as Chinese offices save them, the user's own situation (permissions, full disk, a second command),
and messages that say what to do: every case answers in Chinese, exits 2 when nothing could be done, changes nothing."""

from __future__ import annotations

import errno
import json
import os

import pytest

from report_drafter.cli import app
from report_drafter.document import parse_document
from report_drafter.ui import QuietUI
from report_drafter.workspace import Workspace

from conftest import copy_example, sign

ENCODINGS = {
    "utf-8-bom": lambda text: "\ufeff".encode() + text.encode("utf-8"),
    "gbk": lambda text: text.encode("gbk"),
    "gb18030": lambda text: text.encode("gb18030"),
    "utf-16": lambda text: text.encode("utf-16"),               # Windows “Unicode”: little-endian with a BOM
    "utf-16-be": lambda text: text.encode("utf-16-be"),          # no BOM
    "crlf": lambda text: text.replace("\n", "\r\n").encode("utf-8"),
}


def resave(path, encoding: str) -> None:
    path.write_bytes(ENCODINGS[encoding](path.read_text(encoding="utf-8")))


@pytest.fixture
def drafted(runner, tmp_path):
    """The 中牟 example with an offline draft."""
    ws = copy_example("zhongmou", tmp_path)
    assert runner.invoke(app, ["generate", "--year", "2023", "--dir", str(ws)]).exit_code == 0
    return sign(ws, 2023)


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("name", ["2023/stats.yaml", "2023/notes.md", "drafter.toml", "2023/draft.md"])
def test_user_files_in_any_office_encoding(runner, drafted, name, encoding):
    before = runner.invoke(app, ["check", "--year", "2023", "--dir", str(drafted), "--format", "json"])
    resave(drafted / name, encoding)
    result = runner.invoke(app, ["check", "--year", "2023", "--dir", str(drafted), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["checked"] == json.loads(before.output)["checked"]
    assert runner.invoke(app, ["validate", "--year", "2023", "--dir", str(drafted)]).exit_code == 0


@pytest.mark.parametrize("encoding", ["gbk", "utf-16", "utf-8-bom"])
def test_generate_reads_notes_and_templates_in_any_encoding(runner, drafted, encoding):
    notes = drafted / "2023" / "notes.md"
    notes.write_text(notes.read_text(encoding="utf-8").replace("## 信息处理费", "## 信息处理费\n\n- 全年未收取信息处理费"),
                     encoding="utf-8")
    resave(notes, encoding)
    (drafted / "prompts").mkdir()
    (drafted / "prompts" / "preamble.j2").write_bytes(ENCODINGS[encoding]("本报告由{{ agency }}编制。\n"))
    result = runner.invoke(app, ["generate", "--year", "2023", "--dir", str(drafted), "--force"])
    assert result.exit_code == 0, result.output
    text = (drafted / "2023" / "draft.md").read_text(encoding="utf-8")
    assert "本报告由中牟县科学技术和工业信息化局编制。" in text


def test_drafter_toml_saved_by_notepad_with_bom(runner, drafted):
    config = drafted / "drafter.toml"
    config.write_bytes(b"\xef\xbb\xbf" + config.read_bytes())
    result = runner.invoke(app, ["config", "show", "--dir", str(drafted)])
    assert result.exit_code == 0, result.output


def test_unreadable_encoding_names_the_file(runner, drafted):
    (drafted / "2023" / "notes.md").write_bytes(b"\x81\x30\xff\xfe\x00\x01" * 20)
    result = runner.invoke(app, ["generate", "--year", "2023", "--dir", str(drafted), "--force"])
    assert result.exit_code == 2
    assert "2023/notes.md" in result.output and "Traceback" not in result.output
    assert "编码" in result.output or "不是文本文件" in result.output


def test_broken_toml_is_explained_in_chinese(runner, drafted):
    (drafted / "drafter.toml").write_text('agency = 某某局\n', encoding="utf-8")
    result = runner.invoke(app, ["check", "--year", "2023", "--dir", str(drafted)])
    assert result.exit_code == 2
    assert "drafter.toml：格式错误（第 1 行第 10 列：值写得不对，文字要加英文双引号" in result.output


def test_damaged_chat_json_is_set_aside(runner, drafted):
    chat = drafted / "2023" / "chat.json"
    chat.write_text('{"messages": [{"role": "user"}], "undo": 3', encoding="utf-8")
    result = runner.invoke(app, ["chat", "--year", "2023", "--dir", str(drafted), "--message", "/tokens"])
    assert result.exit_code == 0, result.output
    assert "已损坏" in result.output and "开始新的对话" in result.output
    saved = list((drafted / "2023" / ".history").glob("*__chat.json"))
    assert len(saved) == 1 and '"undo": 3' in saved[0].read_text(encoding="utf-8")


def test_damaged_provenance_is_not_a_crash(runner, drafted):
    (drafted / "2023" / "draft.provenance.json").write_text("{not json", encoding="utf-8")
    result = runner.invoke(app, ["regenerate", "五", "--year", "2023", "--dir", str(drafted)])
    assert result.exit_code == 0, result.output


# ---------- the user's situation: permissions, disk, a missing folder, a second command ----------

@pytest.mark.parametrize("error, reason", [
    (errno.EACCES, "没有写入权限"),
    (errno.ENOSPC, "磁盘已满"),
    (errno.EROFS, "只读"),
    (errno.EBUSY, "正被其他程序占用"),
])
def test_write_failures_say_which_file_and_why(runner, drafted, monkeypatch, error, reason):
    draft = drafted / "2023" / "draft.md"
    before = draft.read_bytes()
    draft.write_bytes(before + "\n补充一句。\n".encode())     # regenerating changes the draft back
    before = draft.read_bytes()

    def refuse(src, dst):
        raise OSError(error, os.strerror(error))

    monkeypatch.setattr(os, "replace", refuse)
    result = runner.invoke(app, ["generate", "--year", "2023", "--dir", str(drafted), "--force"])
    assert result.exit_code == 2, result.output
    assert "无法写入" in result.output and "draft.md" in result.output and reason in result.output
    assert "内部错误" not in result.output and "Traceback" not in result.output
    assert draft.read_bytes() == before
    assert not [p for p in draft.parent.iterdir() if p.name.endswith(".tmp")]


def test_missing_workspace_folder(runner, tmp_path):
    result = runner.invoke(app, ["check", "--year", "2023", "--dir", str(tmp_path / "没有这个目录")])
    assert result.exit_code == 2 and "不存在" in result.output


def test_a_second_writing_command_waits_then_names_the_holder(runner, drafted, monkeypatch):
    import report_drafter.workspace as workspace

    monkeypatch.setattr(workspace, "LOCK_WAIT_S", 0.3)
    holder = Workspace.open(drafted, actor="drafter generate --year 2023")
    before = (drafted / "2023" / "draft.md").read_bytes()
    with holder.lock():
        result = runner.invoke(app, ["generate", "--year", "2023", "--dir", str(drafted), "--force"])
    assert result.exit_code == 2
    assert "正在被另一个命令使用：drafter generate --year 2023" in result.output
    assert (drafted / "2023" / "draft.md").read_bytes() == before
    again = runner.invoke(app, ["generate", "--year", "2023", "--dir", str(drafted), "--force"])
    assert again.exit_code == 0, again.output


# ---------- messages that tell the whole story ----------

def test_invalid_tables_are_listed_where_generate_stops(runner, drafted):
    stats = drafted / "2023" / "stats.yaml"
    stats.write_text(stats.read_text(encoding="utf-8").replace("total: 0", "total: 5", 1), encoding="utf-8")
    for command in (["generate"], ["check"], ["export"]):
        result = runner.invoke(app, [*command, "--year", "2023", "--dir", str(drafted)])
        assert result.exit_code != 0
        assert "2023/stats.yaml:" in result.output and "总计" in result.output   # the violation itself, with its line
        assert "已停止起草" not in result.output
    assert "无法起草" in runner.invoke(app, ["generate", "--year", "2023", "--dir", str(drafted)]).output
    assert "无法核对草稿" in runner.invoke(app, ["check", "--year", "2023", "--dir", str(drafted)]).output


def test_regenerate_accepts_the_heading_copied_from_the_draft(runner, drafted):
    result = runner.invoke(app, ["regenerate", "五、存在的主要问题及改进情况", "--year", "2023", "--dir", str(drafted)])
    assert result.exit_code == 0, result.output
    assert "“五、存在的主要问题及改进情况”与原稿相同" in result.output


def test_history_and_undo_cover_stats_yaml(runner, drafted, tmp_path):
    stats = drafted / "2023" / "stats.yaml"
    original = stats.read_text(encoding="utf-8")
    published = tmp_path / "published.txt"
    published.write_text((drafted.parent.parent / "published.txt").read_text(encoding="utf-8")
                         if (drafted.parent.parent / "published.txt").exists() else "", encoding="utf-8")
    ws = Workspace.open(drafted, actor="测试")
    ws.write(stats, original.replace("# 中牟", "# 改过的中牟") + "\n# 一行批注\n")
    listing = runner.invoke(app, ["history", "--year", "2023", "--dir", str(drafted), "--file", "stats.yaml"])
    assert listing.exit_code == 0 and "测试" in listing.output
    result = runner.invoke(app, ["undo", "--year", "2023", "--dir", str(drafted), "--file", "stats.yaml"])
    assert result.exit_code == 0, result.output
    assert stats.read_text(encoding="utf-8") == original


def test_unclosed_template_block_is_reported_where_it_opens(runner, drafted):
    (drafted / "prompts").mkdir()
    (drafted / "prompts" / "offline_other.j2").write_text("第一行\n{% if v.new %}\n有申请\n\n结尾\n", encoding="utf-8")
    result = runner.invoke(app, ["generate", "--year", "2023", "--dir", str(drafted), "--force"])
    assert result.exit_code != 0
    assert "offline_other.j2 第 2 行语法错误：这里的 {% if %} 没有对应的 {% endif %}" in result.output


@pytest.mark.parametrize("old, new, exit_code, message", [
    ("licensing: 0", 'licensing: "12"', 1, "“12”加了引号，是文字不是数字：请去掉引号，写成 12"),
    ("licensing: 0", "licensing: 0x10", 1, "写成了非十进制的数（YAML 把它读作 16），请直接写十进制数字"),
    ("  licensing: 0", "\tlicensing: 0", 2, "YAML 只能用空格缩进：请把 Tab 换成空格"),
    ("licensing: 0", "licensing: [1, 2", 2, "方括号中的数之间应以英文逗号“,”分隔，并以“]”结尾"),
    ("licensing: 0", "licensing 0", 2, "缺少英文冒号"),
    ("licensing: 0", "licensing: 1,200", 0, "“1,200”按 1200 读入"),
    ("licensing: 0", "licensing: １２", 0, "“１２”按 12 读入"),
])
def test_stats_yaml_slips_are_explained(runner, tmp_path, old, new, exit_code, message):
    ws = copy_example("zhongmou", tmp_path)
    stats = ws / "2023" / "stats.yaml"
    stats.write_text(stats.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    result = runner.invoke(app, ["validate", "--year", "2023", "--dir", str(ws)])
    assert result.exit_code == exit_code, result.output
    assert message in result.output and "2023/stats.yaml:17" in result.output or "2023/stats.yaml:18" in result.output
    assert "found character" not in result.output and "expected" not in result.output
    assert result.output.count("YAML 格式错误") <= 1


def test_a_draft_is_put_back_when_its_provenance_cannot_be_written(runner, drafted, monkeypatch):
    """draft.md and draft.provenance.json change together: a half-done write would mark sections as hand-edited."""
    draft = drafted / "2023" / "draft.md"
    draft.write_bytes(draft.read_bytes() + "\n补充一句。\n".encode())
    before = draft.read_bytes()
    replace = os.replace

    def refuse_provenance(src, dst):
        if str(dst).endswith("draft.provenance.json"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return replace(src, dst)

    monkeypatch.setattr(os, "replace", refuse_provenance)
    result = runner.invoke(app, ["generate", "--year", "2023", "--dir", str(drafted), "--force"])
    assert result.exit_code == 2 and "磁盘已满" in result.output and "draft.provenance.json" in result.output
    assert draft.read_bytes() == before


def test_a_second_drafting_command_waits_then_names_the_holder(runner, drafted, monkeypatch):
    import report_drafter.workspace as workspace

    monkeypatch.setattr(workspace, "LOCK_WAIT_S", 0.3)
    holder = Workspace.open(drafted, actor="drafter generate --year 2023")
    with holder.lock("drafting"):
        result = runner.invoke(app, ["regenerate", "五", "--year", "2023", "--dir", str(drafted)])
        edit = runner.invoke(app, ["undo", "--year", "2023", "--dir", str(drafted), "--file", "stats.yaml"])
    assert result.exit_code == 2 and "正在被另一个命令使用：drafter generate --year 2023" in result.output
    assert "正在被另一个命令使用" not in edit.output       # other writes go on while a draft is being made


def test_a_section_edited_while_it_is_drafted_is_kept(tmp_path):
    """The workbench or an editor may change draft.md while a model drafts: that edit wins, nothing is lost."""
    from report_drafter.backends.fake import FakeBackend
    from report_drafter.prompts import Prompts
    from report_drafter.services.drafting import generate

    ws_path = copy_example("zhongmou", tmp_path)
    workspace = Workspace.open(ws_path)
    prompts = Prompts(ws_path)
    generate(workspace, 2023, get_offline(prompts), prompts)
    draft = ws_path / "2023" / "draft.md"
    answers = {"overview": ["新的总体情况。"], "problems": ["新的问题和改进。"], "other": ["新的其他事项。"]}

    class EditingUI(QuietUI):
        edited = False

        def stream(self, key, text):
            if not self.edited:
                self.edited = True
                draft.write_text(draft.read_text(encoding="utf-8").replace("（一）", "（一）【手工修改】", 1),
                                 encoding="utf-8")

    result = generate(workspace, 2023, FakeBackend(prompts, answers), prompts, force=True, ui=EditingUI())
    text = draft.read_text(encoding="utf-8")
    assert "【手工修改】" in text and "新的问题和改进。" in text and "新的其他事项。" in text
    assert "新的总体情况。" not in text and "overview" in result.kept


def get_offline(prompts):
    from report_drafter.backends.offline import OfflineBackend

    return OfflineBackend(prompts)


def test_oversized_notes_are_capped_and_said_at_once(runner, drafted):
    notes = drafted / "2023" / "notes.md"
    line = "- 通过政府网站发布各类信息，持续推进重点领域信息公开，做好政策解读和回应关切工作。\n"
    notes.write_text(notes.read_text(encoding="utf-8").replace("## 主动公开\n", "## 主动公开\n" + line * 3000), encoding="utf-8")
    result = runner.invoke(app, ["generate", "--year", "2023", "--dir", str(drafted), "--force"])
    assert result.exit_code == 1, result.output   # written, and the one entry said 20 times over is a repetition error
    out = result.output
    assert "重复 · 一、总体情况" in out and "工作记录中有重复的条目" in out
    assert "工作记录有" in out and "远超一份年报所需" in out
    assert "“主动公开”栏目的记录超过 800 字，起草时只采用了前" in out and "（共 3003 条）" in out
    assert out.index("远超一份年报所需") < out.index("已生成")                     # before drafting, not after
    overview = parse_document((drafted / "2023" / "draft.md").read_text(encoding="utf-8")).body("overview")
    assert overview.count("持续推进重点领域信息公开") <= 20 and len(overview) < 5000
