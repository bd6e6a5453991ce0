"""drafter check --report … --prior …: year-on-year statements checked against last year's tables."""

import json
from pathlib import Path

import pytest

from report_drafter.cli import app

REPORT = Path(__file__).parent / "fixtures" / "import" / "huaian-szf-2024.txt"
SENTENCE = "受理政府信息公开申请 3119 件，答"


@pytest.mark.parametrize("claim, expected", [
    ("同比持平", None),                      # no number: nothing to check
    ("同比增长 1.05%", "0%"),                # last year (here: the same tables) had as many
    ("较上年增加 33 件", "0件"),
])
def test_year_on_year_statements_use_the_prior_report(runner, tmp_path, claim, expected):
    text = REPORT.read_text(encoding="utf-8")
    assert SENTENCE in text
    path = tmp_path / "report.txt"
    path.write_text(text.replace(SENTENCE, SENTENCE.replace("，答", f"，{claim}，答")), encoding="utf-8")
    result = runner.invoke(app, ["check", "--report", str(path), "--prior", str(REPORT), "--format", "json"])
    data = json.loads(result.output)
    found = [f for f in data["findings"] if f["category"] == "numbers" and f["kind"] != "unsupported"]
    if expected is None:
        assert found == []
        return
    [finding] = found
    assert (finding["severity"], finding["kind"], finding["expected"]) == ("error", "contradiction", expected)
    assert "2024 年" in finding["source"] and "一、本年新收" in finding["source"]


def test_without_prior_a_year_on_year_number_is_only_a_warning(runner, tmp_path):
    text = REPORT.read_text(encoding="utf-8").replace(SENTENCE, SENTENCE.replace("，答", "，同比增长 1.05%，答"))
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    data = json.loads(runner.invoke(app, ["check", "--report", str(path), "--format", "json"]).output)
    [finding] = [f for f in data["findings"] if f["found"] == "1.05%"]
    assert (finding["severity"], finding["kind"]) == ("warning", "unsupported")
