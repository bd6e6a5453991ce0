"""The number checker on drafts: correct drafts pass; every single wrong number is caught on its line."""

import json
import re

import cn2an
import pytest

from report_drafter.checks import Sources, check_document
from report_drafter.checks.numbers import note_numbers
from report_drafter.cli import app
from report_drafter.document import PROSE_SECTIONS, parse_document
from report_drafter.services.inputs import load_inputs
from report_drafter.mentions import find_mentions
from report_drafter.workspace import Workspace

from conftest import copy_example, sign


@pytest.fixture(scope="module")
def drafts(tmp_path_factory):
    """Offline drafts of both examples, with their check sources."""
    from typer.testing import CliRunner

    out = {}
    for name, year in (("zhongmou", 2023), ("huaian", 2024)):
        ws = copy_example(name, tmp_path_factory.mktemp(name))
        CliRunner().invoke(app, ["generate", "--year", str(year), "--dir", str(ws)])
        sign(ws, year)
        inputs = load_inputs(Workspace.open(ws), year)
        text = (ws / str(year) / "draft.md").read_text(encoding="utf-8")
        out[name] = (ws, year, text, inputs)
    return out


def _check(text, inputs):
    return check_document(text, Sources(inputs.facts, note_numbers(inputs.notes)), inputs.stats)


@pytest.mark.parametrize("name", ["zhongmou", "huaian"])
def test_offline_drafts_have_no_findings(drafts, name):
    _, _, text, inputs = drafts[name]
    report = _check(text, inputs)
    assert report.findings == []
    assert report.table_cells == 200


def _prose_mentions(text):
    """(start, end, raw) of every statistic in the prose sections."""
    doc = parse_document(text)
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    found = []
    for key in PROSE_SECTIONS:
        section = doc.sections[key]
        base = offsets[section.body_line - 1]
        for m in find_mentions(section.body).mentions:
            found.append((base + m.start, base + m.end, m.raw, m.value))
    return found


def _perturbations(value, table_values):
    value = int(value)
    out = {str(value + 1), str(value * 10 if value else 7)}
    if value > 1:
        out.add(str(value - 1))
    other = next((v for v in table_values if v not in (value, value + 1) and v > 1), None)
    if other is not None:
        out.add(str(other))
    out.add(cn2an.an2cn(value + 2))
    return sorted(out)


@pytest.mark.parametrize("name", ["zhongmou", "huaian"])
def test_every_single_changed_number_is_an_error_on_its_line(drafts, name):
    _, _, text, inputs = drafts[name]
    table_values = sorted({int(f.value) for f in inputs.facts.values() if f.unit == "件" and f.value})
    cases = 0
    for start, end, raw, value in _prose_mentions(text):
        number = re.match(r"[\d.]+", raw)
        if not number or "." in number.group(0):
            continue
        line = text.count("\n", 0, start) + 1
        for new in _perturbations(value, table_values):
            changed = text[:start] + raw.replace(number.group(0), new, 1) + text[end:]
            report = _check(changed, inputs)
            assert any(f.line == line and f.severity == "error" for f in report.findings), (raw, new, line)
            cases += 1
    assert cases >= (4 if name == "zhongmou" else 150)


def test_number_that_occurs_elsewhere_in_the_tables_is_caught(drafts):
    _, _, text, inputs = drafts["huaian"]
    # 1362 is the 予以公开 cell, but 予以公开 and 部分公开 together are 1816
    sentence = "本年度予以公开及部分公开1362件。"
    doc = parse_document(text)
    body = doc.body("overview")
    changed = text.replace(body, body + sentence)
    report = _check(changed, inputs)
    errors = [f for f in report.errors if f.found == "1362件"]
    assert errors and errors[0].expected == "1816件"
    assert "（一）予以公开 + （二）部分公开" in errors[0].source
    # 769 is one 无法提供 row, but the three rows total 781
    changed = text.replace(body, body + "无法提供769件。")
    assert [f.expected for f in _check(changed, inputs).errors] == ["781件"]


@pytest.mark.parametrize("claim", [
    "全年未收到政府信息公开申请。",
    "全年未发生因政府信息公开引发的行政复议和行政诉讼。",
    "本年度未收取信息处理费。",
    "行政复议和行政诉讼均获维持。",
])
def test_zero_claims_against_nonzero_tables_are_errors(drafts, claim):
    _, _, text, inputs = drafts["huaian"]
    body = parse_document(text).body("overview")
    line = text[: text.index(body) + len(body)].count("\n") + 1
    report = _check(text.replace(body, body + claim), inputs)
    assert any(f.kind == "claim" and f.line == line for f in report.errors), claim


def test_zero_claims_that_hold_pass(drafts):
    _, _, text, inputs = drafts["zhongmou"]
    assert "未收到政府信息公开申请" in text and _check(text, inputs).claims >= 3


def test_year_on_year_percentages_use_the_texts_rounding(drafts, tmp_path):
    ws = copy_example("huaian", tmp_path)
    prior = (ws / "2024" / "stats.yaml").read_text(encoding="utf-8").replace("year: 2024", "year: 2023")
    prior = prior.replace("[3001, 53, 0, 0, 61, 4, 3119]", "[3001, 53, 0, 0, 61, 4, 3086]")
    (ws / "2023").mkdir()
    (ws / "2023" / "stats.yaml").write_text(prior.replace("[103, 0, 0, 0, 0, 0, 103]", "[34, 0, 0, 0, 0, 0, 34]"),
                                            encoding="utf-8")
    inputs = load_inputs(Workspace.open(ws), 2024)
    # (3119 − 3086) ÷ 3086 = 1.0693…%
    ok = "全年新收政府信息公开申请3119件，同比增长1.07%。"
    wrong = "全年新收政府信息公开申请3119件，同比增长1.05%。"
    base = "# 标题\n\n## 一、总体情况\n\n{}\n\n## 五、存在的主要问题及改进情况\n\n无。\n\n## 六、其他需要报告的事项\n\n无。\n"
    sources = Sources(inputs.facts, [])
    assert _only_prose(check_document(base.format(ok), sources)) == []
    errs = _only_prose(check_document(base.format(wrong), sources))
    assert [(f.found, f.expected) for f in errs] == [("1.05%", "1.07%")]


def _only_prose(report):
    return [f for f in report.findings if f.kind != "table"]


def test_hand_edited_table_cell_is_an_error(drafts):
    _, _, text, inputs = drafts["huaian"]
    changed = text.replace("| 行政复议 | 72 | 64 | 178 | 37 | 351 |", "| 行政复议 | 72 | 64 | 178 | 37 | 352 |")
    line = changed.split("\n").index("| 行政复议 | 72 | 64 | 178 | 37 | 352 |") + 1
    errors = _check(changed, inputs).errors
    assert [(f.kind, f.line, f.found, f.expected) for f in errors] == [("table", line, "352", "351")]


def test_unsupported_number_in_draft_is_error(drafts):
    _, _, text, inputs = drafts["zhongmou"]
    body = parse_document(text).body("overview")
    report = _check(text.replace(body, body + "全年开展培训7场。"), inputs)
    assert [(f.kind, f.found) for f in report.errors] == [("unsupported", "7场")]


def test_check_cli_text_and_json(runner, drafts):
    ws, year, text, _ = drafts["huaian"]
    ok = runner.invoke(app, ["check", "--year", str(year), "--dir", str(ws)])
    assert ok.exit_code == 0, ok.output
    assert "核对数字" in ok.output and "未发现错误" in ok.output
    bad = ws / "bad.md"
    bad.write_text(text.replace("共收到政府信息公开申请3119件", "共收到政府信息公开申请3120件"), encoding="utf-8")
    result = runner.invoke(app, ["check", "--year", str(year), "--dir", str(ws), "--draft", str(bad), "--format", "json"])
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["checked"]["errors"] == 1
    finding = data["findings"][0]
    line = text.split("\n").index(next(l for l in text.split("\n") if "3119件" in l)) + 1
    assert finding["line"] == line and finding["found"] == "3120件" and finding["expected"] == "3119件"
    assert finding["severity"] == "error" and "一、本年新收政府信息公开申请数量" in finding["source"]
    assert "3120件" in finding["text"]


def test_check_missing_draft_exits_2(runner, tmp_path):
    ws = copy_example("zhongmou", tmp_path)
    result = runner.invoke(app, ["check", "--year", "2023", "--dir", str(ws)])
    assert result.exit_code == 2 and "找不到草稿" in result.output
