"""Checking huge prose: the same findings as on short text, each with an excerpt around its number.

How long it takes is measured by benchmarks/bench_check.py, not asserted here.
"""

import re

import pytest
from conftest import FIXTURES

from report_drafter.checks import Sources, check_document
from report_drafter.checks.judging import EXCERPT
from report_drafter.facts import compute_facts
from report_drafter.statsfile import read_stats

UNIT = "全年共受理政府信息公开申请3119件，答复3050件，开展培训7场，办结3051件。"


@pytest.fixture(scope="module")
def facts():
    stats = read_stats((FIXTURES / "stats-huaian-2024.yaml").read_text(encoding="utf-8"), "stats.yaml").stats
    return compute_facts(stats)


def check(facts, body):
    return check_document(f"# 标题\n\n## 一、总体情况\n\n{body}\n", Sources(facts, strict=True))


def assert_excerpts(findings):
    for finding in findings:
        assert len(finding.text) <= 2 * EXCERPT + len(finding.found) + 2
        assert finding.text[finding.span[0]:finding.span[1]] == finding.found


@pytest.mark.parametrize("end", ["。", "，"])       # 2000 sentences, or one sentence of 60,000 characters
def test_huge_prose_gives_the_findings_of_short_prose(facts, end):
    short = check(facts, UNIT)
    expected = [(f.kind, f.found, f.expected) for f in short.findings]
    assert expected == [("unsupported", "7场", None), ("contradiction", "3051件", "3050件")]
    huge = check(facts, UNIT.replace("。", end) * 2000)
    assert huge.mentions == 8000
    assert [(f.kind, f.found, f.expected) for f in huge.findings] == expected * 2000
    assert_excerpts(huge.findings)


def test_prose_without_any_punctuation_is_checked(facts):
    report = check(facts, re.sub("[，。]", " ", UNIT) * 2000)
    assert report.mentions == 8000 and report.findings
    assert_excerpts(report.findings)


@pytest.mark.parametrize("body", ["1" * 10_000 + "件", "一" * 10_000 + "件", "12 " * 5_000 + "件"],
                         ids=["digits", "numerals", "spaced"])
def test_absurd_numbers_are_checked_without_failing(facts, body):
    report = check(facts, "全年开展培训" + body + "。")
    assert_excerpts(report.findings)
