"""The printed report: its 落款 (agency and date, checked and judged), number columns wide enough, font fallbacks."""

import json

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from typer.testing import CliRunner

from conftest import copy_example, sign
from report_drafter.cli import app
from report_drafter.export.docx import TABLE_SIZE, _number_width, render_docx
from report_drafter.statsfile import load_stats

TITLE = "中牟县科学技术和工业信息化局2023年政府信息公开工作年度报告"


def run(*args):
    return CliRunner().invoke(app, [*args, "--year", "2023"])


@pytest.fixture
def drafted(tmp_path):
    ws = copy_example("zhongmou", tmp_path)
    assert run("generate", "--backend", "offline", "--dir", str(ws)).exit_code == 0
    return ws


def test_draft_has_a_signature_whose_date_is_checked_before_export(drafted):
    text = (drafted / "2023" / "draft.md").read_text("utf-8")
    assert text.rstrip().endswith("中牟县科学技术和工业信息化局\n【待填：成文日期，如“2024年1月20日”】")
    refused = run("export", "--dir", str(drafted))
    assert refused.exit_code == 1 and "落款的成文日期还没有填写" in refused.output

    sign(drafted, 2023)
    done = run("export", "--dir", str(drafted))
    assert done.exit_code == 0, done.output
    doc = docx.Document(str(drafted / "2023" / f"{TITLE}.docx"))
    last = [p for p in doc.paragraphs if p.text.strip()][-2:]
    assert [p.text for p in last] == ["中牟县科学技术和工业信息化局", "2024年1月20日"]
    assert all(p.style.name == "落款" and p.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT for p in last)


@pytest.mark.parametrize("date, deducted, warned", [
    ("2024年1月20日", False, False),
    ("2024年3月5日", True, True),
])
def test_rule_pack_judges_the_signature_date(drafted, date, deducted, warned):
    sign(drafted, 2023, date)
    result = run("check", "--dir", str(drafted), "--format", "json")
    data = json.loads(result.stdout)
    assert all("落款日期" not in u["reason"] for u in data["score"]["unjudged"]), data["score"]
    late = [d for d in data["score"]["deductions"] if "1 月 31 日" in d["text"]]
    assert bool(late) is deducted
    signature = [f for f in data["findings"] if f["kind"] == "signature"]
    assert bool(signature) is warned and all(f["severity"] == "warning" for f in signature)


def test_regenerating_a_section_keeps_the_filled_in_signature(drafted):
    sign(drafted, 2023, "2024年1月18日")
    assert run("generate", "--backend", "offline", "--dir", str(drafted), "--force").exit_code == 0
    assert (drafted / "2023" / "draft.md").read_text("utf-8").rstrip().endswith("2024年1月18日")


def test_number_columns_hold_their_largest_value_and_fonts_fall_back(tmp_path):
    from conftest import FIXTURES

    stats = load_stats(FIXTURES / "stats-huaian-2024.yaml").stats
    stats.requests.new = [12345, 0, 0, 0, 0, 0, 12345]
    data = render_docx("# 标题\n\n## 三、收到和处理政府信息公开申请情况\n\n| a |\n", stats)
    path = tmp_path / "t.docx"
    path.write_bytes(data)
    doc = docx.Document(str(path))
    table = doc.tables[0]
    widths = [int(g.get(qn("w:w"))) for g in table._tbl.tblGrid.iterchildren(qn("w:gridCol"))]
    assert widths[3] >= _number_width(5) and widths[9] >= _number_width(5)
    assert sum(widths) == 8844
    assert _number_width(5) > 5 * TABLE_SIZE * 20 / 2          # five digits of half an em each, plus margins
    table_xml = next(r.target_part for r in doc.part.rels.values() if r.reltype.endswith("/fontTable")).blob.decode()
    assert '<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>' in table_xml
    assert '<w:font w:name="楷体_GB2312"><w:altName w:val="楷体"/>' in table_xml


def test_an_unfilled_date_is_a_warning_in_check_and_stops_the_export(runner, tmp_path):
    """The README's first command (generate, then check) passes; the export waits for the 成文日期."""
    from conftest import copy_example, sign

    from report_drafter.cli import app

    ws = copy_example("zhongmou", tmp_path)
    assert runner.invoke(app, ["generate", "--year", "2023", "--dir", str(ws)]).exit_code == 0
    assert runner.invoke(app, ["check", "--year", "2023", "--dir", str(ws)]).exit_code == 0
    refused = runner.invoke(app, ["export", "--year", "2023", "--dir", str(ws)])
    assert refused.exit_code != 0 and "落款的成文日期还没有填写，未导出" in refused.output
    sign(ws, 2023)
    assert runner.invoke(app, ["export", "--year", "2023", "--dir", str(ws)]).exit_code == 0
