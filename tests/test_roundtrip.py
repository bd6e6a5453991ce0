"""The Word round trip: an exported report edited in Word (numbers, sentences, tracked changes) comes back."""

import json

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from typer.testing import CliRunner

from conftest import copy_example, sign
from report_drafter.cli import app

YEAR = "2023"
TITLE = "中牟县科学技术和工业信息化局2023年政府信息公开工作年度报告"


def run(*args):
    return CliRunner().invoke(app, [*args, "--year", YEAR])


@pytest.fixture
def exported(tmp_path):
    ws = copy_example("zhongmou", tmp_path)
    assert run("generate", "--backend", "offline", "--dir", str(ws)).exit_code == 0
    sign(ws, int(YEAR))
    result = run("export", "--format", "docx", "--dir", str(ws))
    assert result.exit_code == 0, result.output
    return ws, ws / YEAR / f"{TITLE}.docx"


def tracked_insertion(paragraph, text: str, author: str = "张科长") -> None:
    ins = OxmlElement("w:ins")
    ins.set(qn("w:id"), "1")
    ins.set(qn("w:author"), author)
    run_ = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = text
    run_.append(t)
    ins.append(run_)
    paragraph._p.append(ins)


def tracked_deletion(paragraph, text: str) -> None:
    dele = OxmlElement("w:del")
    dele.set(qn("w:id"), "2")
    dele.set(qn("w:author"), "李主任")
    run_ = OxmlElement("w:r")
    t = OxmlElement("w:delText")
    t.text = text
    run_.append(t)
    dele.append(run_)
    paragraph._p.append(dele)


def edit(path, out, table_cell: str | None = None):
    """As a leader would in Word: a number changed in 一, a sentence added to 五, tracked changes."""
    doc = docx.Document(str(path))
    for p in doc.paragraphs:
        if "共发布各类信息32条" in p.text:
            for r in p.runs:
                r.text = r.text.replace("32条", "35条")
        elif p.text.startswith("针对上述问题"):
            p.add_run("下一步将组织全员培训。")
        elif p.text.startswith("（四）政府信息公开平台建设方面"):
            tracked_insertion(p, "新开通政务微信公众号。")
            tracked_deletion(p, "这句被删掉了。")
    date = [p for p in doc.paragraphs if p.style.name == "落款"][-1]
    date.runs[0].text = "2024年1月25日"
    if table_cell is not None:
        doc.tables[1].cell(3, 3).paragraphs[0].runs[0].text = table_cell   # 表三 一、本年新收 · 自然人
    doc.save(str(out))


def test_edited_word_file_comes_back_section_by_section_and_undo_restores(exported, tmp_path):
    ws, path = exported
    before = (ws / YEAR / "draft.md").read_text("utf-8")
    edited = tmp_path / "领导改过的报告.docx"
    edit(path, edited)

    result = run("import", "--draft", str(edited), "--dir", str(ws))
    assert result.exit_code == 1, result.output          # the changed number has no source
    assert "Word 文件中有 2 处修订，已按“接受修订”读入" in result.output
    assert "插入“新开通政务微信公众号。”（张科长）" in result.output
    assert "删除“这句被删掉了。”" in result.output
    assert "已更新 一、总体情况" in result.output and "已更新 五、存在的主要问题及改进情况" in result.output
    assert "六、其他需要报告的事项" not in result.output.split("已写入")[0].split("已更新")[-1]
    after = (ws / YEAR / "draft.md").read_text("utf-8")
    assert "共发布各类信息35条" in after and "32条" not in after
    assert "下一步将组织全员培训。" in after
    assert "新开通政务微信公众号。" in after and "这句被删掉了" not in after
    assert after.rstrip().endswith("中牟县科学技术和工业信息化局\n2024年1月25日") and "已更新 落款" in result.output
    assert after.split("## 二、")[1].split("## 五、")[0] == before.split("## 二、")[1].split("## 五、")[0]
    assert "35条" in result.output                      # checked after the write

    check = run("check", "--dir", str(ws), "--format", "json")
    found = [f["found"] for f in json.loads(check.stdout)["findings"] if f["category"] == "numbers"]
    assert "35条" in found

    undo = run("undo", "--dir", str(ws))
    assert undo.exit_code == 0, undo.output
    assert (ws / YEAR / "draft.md").read_text("utf-8") == before


def test_word_tables_are_compared_never_taken(exported, tmp_path):
    ws, path = exported
    edited = tmp_path / "改了表格.docx"
    edit(path, edited, table_cell="7")
    stats = (ws / YEAR / "stats.yaml").read_text("utf-8")

    check = run("check", "--draft", str(edited), "--dir", str(ws), "--format", "json")
    findings = json.loads(check.stdout)["findings"]
    table = [f for f in findings if f["category"] == "tables"]
    assert [(f["table"], f["found"], f["expected"]) for f in table] == [("表三", "7", "0")], table
    assert any(f["found"] == "35条" for f in findings)

    result = run("import", "--draft", str(edited), "--dir", str(ws))
    assert "Word文件中为7，stats.yaml中为0" in result.output.replace("\n", "").replace("│", "").replace(" ", "")
    assert (ws / YEAR / "stats.yaml").read_text("utf-8") == stats


def test_unchanged_word_file_writes_nothing(exported):
    ws, path = exported
    before = (ws / YEAR / "draft.md").read_bytes()
    result = run("import", "--draft", str(path), "--dir", str(ws))
    assert result.exit_code == 0, result.output
    assert "未改动" in result.output
    assert (ws / YEAR / "draft.md").read_bytes() == before


def test_title_and_preamble_edited_in_word_come_back(exported, tmp_path):
    ws, path = exported
    doc = docx.Document(str(path))
    preamble = next(p for p in doc.paragraphs if p.text.startswith("本报告根据"))
    preamble.add_run("（经局长办公会审议）")
    edited = tmp_path / "改了开头.docx"
    doc.save(str(edited))
    result = run("import", "--draft", str(edited), "--dir", str(ws))
    assert "已更新 开头说明" in result.output and "已更新 标题" not in result.output
    text = (ws / YEAR / "draft.md").read_text("utf-8")
    assert text.startswith(f"# {TITLE}\n\n本报告根据") and "（经局长办公会审议）\n\n## 一、总体情况" in text


def test_draft_edited_since_the_export_is_kept_where_word_did_not_change(exported, tmp_path):
    ws, path = exported
    draft = ws / YEAR / "draft.md"
    text = draft.read_text("utf-8")
    draft.write_text(text.replace("本年度未承办人大代表建议和政协提案。", "本年度未承办人大代表建议和政协提案（已核实）。"), "utf-8")
    edited = tmp_path / "只改了一.docx"
    edit(path, edited)                       # 一, 五 and the date edited in Word; 六 not touched there
    result = run("import", "--draft", str(edited), "--dir", str(ws))
    after = draft.read_text("utf-8")
    assert "（已核实）" in after and "共发布各类信息35条" in after
    assert "“六、其他需要报告的事项”在导出后只在 draft.md 中改过" in result.output


def test_year_taken_from_the_word_title_when_not_given(exported, tmp_path):
    ws, path = exported
    edited = tmp_path / "报告.docx"
    edit(path, edited)
    check = CliRunner().invoke(app, ["check", "--draft", str(edited), "--dir", str(ws), "--format", "json"])
    assert any(f["found"] == "35条" for f in json.loads(check.stdout)["findings"])
    result = CliRunner().invoke(app, ["import", "--draft", str(edited), "--dir", str(ws)])
    assert "年度 2023（取自 Word 文件的标题）" in result.output and "已更新 一、总体情况" in result.output
