"""A new year from last year: 上年结转, 现行有效件数 and the agency carried over from an imported report."""

import json

import yaml
from typer.testing import CliRunner

from conftest import FIXTURES
from report_drafter.cli import app
from report_drafter.model import Stats2021
from report_drafter.services.carryover import carried_cells


def invoke(*args):
    return CliRunner().invoke(app, list(args))


def test_new_year_after_imported_year_is_prefilled_and_validates_clean(tmp_path):
    ws = tmp_path / "淮安"
    imported = invoke("import", str(FIXTURES / "import" / "huaian-szf-2024.txt"), "--dir", str(ws))
    assert imported.exit_code == 0, imported.output
    assert "机关名称取自导入的报告：淮安市人民政府" in imported.output
    assert 'agency = "淮安市人民政府"' in (ws / "drafter.toml").read_text("utf-8")

    started = invoke("init", "--year", "2025", "--dir", str(ws))
    assert started.exit_code == 0, started.output
    assert "已从 2024 年的统计表带入" in started.output
    assert "表三 二、上年结转政府信息公开申请数量 · 自然人：103（2024 年“四、结转下年度继续办理”（自然人））" in started.output
    data = yaml.safe_load((ws / "2025" / "stats.yaml").read_text("utf-8"))
    assert data["agency"] == "淮安市人民政府"
    assert data["requests"]["carried_over"] == [103, 0, 0, 0, 0, 0, 103]
    assert data["requests"]["carried_forward"] == [103, 0, 0, 0, 0, 0, 103]
    assert (data["active"]["rules"]["in_force"], data["active"]["normative_documents"]["in_force"]) == (11, 66)

    valid = invoke("validate", "--year", "2025", "--dir", str(ws), "--format", "json")
    assert valid.exit_code == 0, valid.output
    assert json.loads(valid.stdout)["problems"] == []


def test_carried_marks_follow_the_values():
    prior = Stats2021(year=2024, agency="某局")
    prior.requests.carried_forward = [5, 0, 0, 0, 0, 0, 5]
    prior.active.rules.in_force = 3
    stats = Stats2021(year=2025, agency="某局")
    stats.requests.carried_over = [5, 0, 0, 0, 0, 0, 5]
    stats.active.rules.in_force = 4          # changed by the clerk: no longer marked
    marks = carried_cells(stats, prior)
    assert set(marks) == {("requests", "carried_over", 0), ("requests", "carried_over", 6)}
    assert marks["requests", "carried_over", 0] == "取自2024 年“四、结转下年度继续办理”（自然人）"
