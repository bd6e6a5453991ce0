"""The sentence → quantity linker on the wording of real published reports.

Each case: (report whose tables are used, sentence, number as written) → the fact key the number
states, "ambiguous" when its wording fits more than one quantity the tables define, or None when
it states no table quantity. The reports' tables are entered by hand in tests/fixtures/prose/.
"""

from pathlib import Path

import pytest

from report_drafter.checks.judging import Trail, judge
from report_drafter.checks.numbers import Sources, check_numbers
from report_drafter.facts import compute_facts
from report_drafter.mentions import find_mentions
from report_drafter.statsfile import read_stats

PROSE = Path(__file__).parent / "fixtures" / "prose"
REPORTS = ("103_pingtan-zhsyq_2021", "105_pingtan-zhsyq_2023", "107_pingtan-zhsyq_2025", "108_shanghai-kw_2024",
           "109_shanghai-szfbgt_2025")


def stats_of(name: str):
    doc = read_stats((PROSE / f"{name}.yaml").read_text(encoding="utf-8"), f"{name}.yaml")
    assert doc.stats is not None, doc.problems
    return doc.stats


def facts_of(name: str, prior_new: int | None = None, prior_handled: int | None = None):
    """The report's facts; with last year's 新收/办结 changed to the given values when asked."""
    stats = stats_of(name)
    if prior_new is None:
        return compute_facts(stats)
    prior = stats.model_copy(deep=True)
    prior.year -= 1
    prior.requests.new[6] = prior_new
    prior.requests.outcomes.total[6] = prior_handled
    return compute_facts(stats, prior)


def linked(facts, sentence: str, number: str):
    """What the number (the first mention written as `number`) states: a key, "ambiguous" or None."""
    trail = Trail()
    for m in find_mentions(sentence).mentions:
        verdict = judge(m, sentence, m.start, m.end, facts, trail)
        if m.raw == number:
            present = [k for k in verdict.link.keys if k in facts]
            return present[0] if len(present) == 1 else ("ambiguous" if present else None)
    raise AssertionError(f"{number} is not a mention of {sentence}")


CASES = [
    # 上海市政府办公厅 2025: 新收 1295, 上年结转 189, 办结 1191
    ("109", "市政府共受理政府信息公开申请 1295 件，办结 1191 件（含上年结转 189 件），均在法定期限内答复。", "1295 件", "new"),
    ("109", "市政府共受理政府信息公开申请 1295 件，办结 1191 件（含上年结转 189 件），均在法定期限内答复。", "1191 件", "handled"),
    ("109", "市政府共受理政府信息公开申请 1295 件，办结 1191 件（含上年结转 189 件），均在法定期限内答复。", "189 件", "carried_over"),
    ("109", "全年共受理申请 1484 件，其中自然人申请 1429 件。", "1484 件", "ambiguous"),
    ("109", "全年共受理申请 1484 件，其中自然人申请 1429 件。", "1429 件", "ambiguous"),
    ("109", "全年共受理申请 1484 件（含上年结转 189 件）。", "1484 件", "received_total"),
    ("109", "全年收到政府信息公开申请 1295 件，上年结转政府信息公开申请 189 件。", "1295 件", "new"),
    ("109", "全年新收政府信息公开申请 1295 件。", "1295 件", "new"),
    ("109", "其中，予以公开及部分公开 208 件（17.46%），不予公开 20 件（1.68%）。", "208 件", "disclosed_or_partly"),
    ("109", "其中，予以公开及部分公开 208 件（17.46%），不予公开 20 件（1.68%）。", "17.46%", "share_disclosed_or_partly"),
    ("109", "其中，予以公开及部分公开 208 件（17.46%），不予公开 20 件（1.68%）。", "1.68%", "share_withheld"),
    ("109", "因本机关不掌握等原因无法提供 564 件（47.36%）。", "564 件", "unavailable"),   # 等原因: the whole group
    ("109", "因本机关不掌握无法提供 564 件。", "564 件", "ambiguous"),   # the row or its group
    ("109", "属信访、重复申请等不予处理 80 件（6.72%）。", "80 件", "not_processed"),   # 等: the group
    ("109", "其他处理 319 件（26.78%，含申请人主动撤回 157 件）。", "26.78%", "share_other"),
    ("109", "其他处理 319 件（26.78%，含申请人主动撤回 157 件）。", "157 件", None),
    ("109", "依申请公开的公开率为 17.46%。", "17.46%", "disclosure_rate"),
    ("109", "公开 2025 年部门预算，公开率 100%。", "100%", None),
    ("109", "刊登市政府规章、市政府和市政府办公厅文件、市政府部门行政规范性文件等 243 件。", "243 件", None),
    ("109", "全年主动公开市政府规章 22 件、市政府及市政府办公厅行政规范性文件 34 件、人事任免文件 196 件。", "22 件", "rules_issued"),
    ("109", "全年主动公开市政府规章 22 件、市政府及市政府办公厅行政规范性文件 34 件、人事任免文件 196 件。", "34 件",
     "normative_documents_issued"),
    ("109", "全年主动公开市政府规章 22 件、市政府及市政府办公厅行政规范性文件 34 件、人事任免文件 196 件。", "196 件", None),
    ("109", "行政复议 55 件，其中结果维持 40 件，尚未审结 5 件。", "40 件", "review_upheld"),
    ("109", "行政复议 55 件，其中结果维持 40 件，尚未审结 5 件。", "5 件", "review_pending"),
    ("109", "行政复议和行政诉讼共 89 件。", "89 件", "appeals_total"),
    ("109", "行政诉讼（复议后起诉）22 件。", "22 件", "litigation_after_review_total"),
    ("109", "行政诉讼 34 件，其中未经复议直接起诉 12 件。", "12 件", "litigation_direct_total"),
    ("109", "申请户外广告设置许可证 783 条。", "783 条", None),
    # a part listed after 含/其中 is not its whole
    ("109", "主动公开市政府规章 22 件（含新制定 5 件，修改 4 件，废止 55 件）。", "5 件", None),
    ("109", "主动公开市政府规章 22 件（含新制定 5 件，修改 4 件，废止 55 件）。", "55 件", "rules_repealed"),
    ("109", "共收到政府信息公开申请 1295 件，其中网络申请 1000 件，书面申请 295 件。", "1000 件", None),
    ("109", "共收到政府信息公开申请 1295 件，其中网络申请 1000 件，书面申请 295 件。", "295 件", None),
    ("109", "共办理政府信息公开申请 1191 件。", "1191 件", "handled"),          # 共办理 is 办结
    ("109", "全年办理完毕 1191 件。", "1191 件", "handled"),
    ("109", "行政复议和行政诉讼共 89 件。", "89 件", "appeals_total"),
    ("109", "作其他处理（含逾期不补正、不再处理）319 件。", "319 件", "other"),   # an aside between label and number
    ("109", "坚持一件事一次办，办好每一件民生实事 3 件。", "3 件", None),
    ("109", "共主动发布政府信息 473 条，其中发布规章 22 件、行政规范性文件 34 件，发布政策解读信息 15 条。", "15 条", None),
    ("109", "对全部规范性文件先后进行 4 次专项清理。", "4 次", None),
    ("109", "全年共受理申请 1484 件，其中本年新收 1295 件。", "1295 件", "new"),
    # 平潭 2021, 2023, 2025
    ("103", "本年度全区共收到70件申请，及时依法依规办结69件，1件结转下年度继续办理。", "70件", "ambiguous"),
    ("103", "本年度全区共收到70件申请，及时依法依规办结69件，1件结转下年度继续办理。", "69件", "handled"),
    ("103", "本年度全区共收到70件申请，及时依法依规办结69件，1件结转下年度继续办理。", "1件", "carried_forward"),
    ("103", "政策、规范性文件类信息68条，行政许可类信息69条。", "69条", None),
    ("105", "2023年全区接收通过邮寄、网络提交的各类政府信息公开申请共计81件，涉及自然人80件、商业企业1件。", "80件", "ambiguous"),
    ("105", "2023年全区接收通过邮寄、网络提交的各类政府信息公开申请共计81件，涉及自然人80件、商业企业1件。", "1件", "ambiguous"),
    ("105", "办结依申请公开81件，其中：予以公开及部分公开42件，占51.85%；不予公开5件，占6.17%。", "51.85%",
     "share_disclosed_or_partly"),
    ("105", "办结依申请公开81件，其中：予以公开及部分公开42件，占51.85%；不予公开5件，占6.17%。", "6.17%", "share_withheld"),
    ("105", "因政府信息公开引起的行政复议案件2件、行政诉讼案件7件。", "2件", "review_total"),
    ("105", "因政府信息公开引起的行政复议案件2件、行政诉讼案件7件。", "7件", "litigation_total"),
    ("105", "动态更新本年度制发的规范性文件77件。", "77件", "normative_documents_issued"),
    ("107", "2025年，全区共收到政府信息公开申请154件，共办结148件，结转至2026年6件。", "6件", "carried_forward"),
    ("107", "全年办理因政府信息公开申请引发的行政复议36起，行政诉讼9起。", "36起", "review_total"),
    ("107", "全年办理因政府信息公开申请引发的行政复议36起，行政诉讼9起。", "9起", "litigation_total"),
    # 上海市科委 2024
    ("108", "2024 年市科委有 1 件涉及政府信息公开工作的行政复议，该行政复议件未被复议审查机关纠错。", "1 件", "review_total"),
    ("108", "所有办结的信息公开申请中同意公开答复 9 件，部分公开答复 0 件，转下一年度办理答复的有 1 件。", "9 件", "disclosed"),
    ("108", "所有办结的信息公开申请中同意公开答复 9 件，部分公开答复 0 件，转下一年度办理答复的有 1 件。", "0 件",
     "partly_disclosed"),
    ("108", "所有办结的信息公开申请中同意公开答复 9 件，部分公开答复 0 件，转下一年度办理答复的有 1 件。", "1 件",
     "carried_forward"),
    ("108", "涉及的行政诉讼数为0 件。", "0 件", "litigation_total"),
]


@pytest.mark.parametrize("report, sentence, number, expected", CASES)
def test_sentence_number_links_to(report, sentence, number, expected):
    name = next(n for n in REPORTS if n.startswith(report))
    assert linked(facts_of(name), sentence, number) == expected


YEAR_ON_YEAR = [
    # last year: 新收 1200, 办结 1200 → this year 1295 (+95, +7.92 %), 1191 (−9, −0.75 %)
    ("全年新收申请 1295 件，同比增长 7.92%。", "7.92%", "change_pct_new"),
    ("全年收到申请 1295 件，同比增长 7.92%。", "7.92%", "ambiguous"),     # 新收 or 新收 + 上年结转
    ("全年新收申请 1295 件，较上年增加 95 件。", "95 件", "change_new"),
    ("申请数量较2024年上升7.9%。", "7.9%", "ambiguous"),
    ("新收申请数量较2024年上升7.9%。", "7.9%", "change_pct_new"),
    ("办结申请 1191 件，比上年减少 9 件。", "9 件", "change_handled"),
    ("新收申请由上年的 1200 件增长到 1295 件。", "1200 件", "prior_new"),
    ("新收申请由上年的 1200 件增长到 1295 件。", "1295 件", "new"),
    ("依申请公开的公开率为 17.46%，较上年提高 0.13 个百分点。", "0.13 个百分点", "change_disclosure_rate"),
]


@pytest.mark.parametrize("sentence, number, expected", YEAR_ON_YEAR)
def test_year_on_year_statements_link_to_comparisons(sentence, number, expected):
    facts = facts_of("109_shanghai-szfbgt_2025", prior_new=1200, prior_handled=1200)
    assert linked(facts, sentence, number) == expected


@pytest.mark.parametrize("sentence, number", [
    ("全年收到申请 1295 件，同比增长 7.92%。", "7.92%"),
    ("申请数量较2024年上升7.9%。", "7.9%"),
    ("全年新收申请 1295 件，较上年增加 95 件。", "95 件"),
    ("办结申请 1191 件，比上年减少 9 件。", "9 件"),
])
def test_year_on_year_statements_that_hold_verify(sentence, number):
    facts = facts_of("109_shanghai-szfbgt_2025", prior_new=1200, prior_handled=1200)
    trail = Trail()
    for m in find_mentions(sentence).mentions:
        verdict = judge(m, sentence, m.start, m.end, facts, trail)
        if m.raw == number:
            assert verdict.matched is not None
            return
    raise AssertionError(number)


def test_a_fall_stated_as_a_rise_is_caught():
    facts = facts_of("109_shanghai-szfbgt_2025", prior_new=1200, prior_handled=1200)
    sentence = "办结申请 1191 件，比上年增加 9 件。"
    m = next(m for m in find_mentions(sentence).mentions if m.raw == "9 件")
    assert judge(m, sentence, m.start, m.end, facts).matched is None


def check_report(name: str):
    text = (PROSE / f"{name}.md").read_text(encoding="utf-8")
    return check_numbers(text, Sources(compute_facts(stats_of(name)), strict=False))


# What each report's prose states about its own tables (number as written → source cell or derivation).
VERIFIED = {
    "103_pingtan-zhsyq_2021": {"70件": "一、本年新收", "69件": "（七）总计", "1件": "四、结转下年度继续办理"},
    "105_pingtan-zhsyq_2023": {"81件": "表三", "80件": "自然人", "42件": "（一）予以公开 + （二）部分公开",
                               "51.85%": "÷ 表三 （七）总计", "38.27%": "（四）无法提供", "7件": "行政诉讼 未经复议直接起诉 + 复议后起诉"},
    "107_pingtan-zhsyq_2025": {"154件": "一、本年新收", "148件": "（七）总计", "6件": "四、结转下年度继续办理",
                               "36起": "表四 行政复议 · 总计", "9起": "行政诉讼 未经复议直接起诉 + 复议后起诉 · 总计"},
    "108_shanghai-kw_2024": {"34 件": "一、本年新收", "2 件": "二、上年结转", "9 件": "（一）予以公开",
                             "14 件": "（六）其他处理", "13 件": "行政规范性文件 · 本年制发件数"},
    "109_shanghai-szfbgt_2025": {"1295 件": "一、本年新收", "1191 件": "（七）总计", "189 件": "二、上年结转",
                                 "17.46%": "÷ 表三 （七）总计", "26.78%": "（六）其他处理", "564 件": "（四）无法提供"},
}
# Real inconsistencies in the published texts, found as they should be.
KNOWN_ERRORS = {
    # 现行有效行政规范性文件 393 件: the printed cells "77132470" give 2470 (or 470), never 393
    "105_pingtan-zhsyq_2023": [("contradiction", "393件")],
    # (108: 2139 条, 其中 1744 + 393 + 21 + 2 = 2160 条: 解读类 21 条 are part of 政务信息 393 条 — no error)
    # 108: “所有申请均已按要求办理完成”, but 1 application is carried forward (the next sentence says so)
    "108_shanghai-kw_2024": [("claim", "均已按要求办理完成")],
}


@pytest.mark.parametrize("name", REPORTS)
def test_real_prose_checks_against_its_tables_without_false_errors(name):
    report = check_report(name)
    assert [(f.kind, f.found) for f in report.errors] == KNOWN_ERRORS.get(name, [])
    assert {f.kind for f in report.findings if f.severity == "warning"} <= {"unsupported"}
    verified = {}
    for v in report.verified:
        verified.setdefault(v.found, v.source)
    for found, source in VERIFIED[name].items():
        assert source in verified[found], (found, verified.get(found))


def test_ambiguous_mismatch_lists_every_candidate():
    facts = facts_of("109_shanghai-szfbgt_2025")
    text = "# 标题\n\n## 一、总体情况\n\n全年共受理申请 1300 件。\n"
    [finding] = check_numbers(text, Sources(facts, strict=False)).findings    # every reading wrong: an error
    assert (finding.kind, finding.severity, finding.expected) == ("ambiguous", "error", "1295件或1484件")
    assert "本年新收政府信息公开申请 1295件" in finding.message and "1484件" in finding.message
    [finding] = check_numbers(text, Sources(facts, strict=True)).findings
    assert (finding.kind, finding.severity) == ("ambiguous", "error")


def test_an_unambiguous_mismatch_is_a_contradiction():
    facts = facts_of("109_shanghai-szfbgt_2025")
    text = "# 标题\n\n## 一、总体情况\n\n全年新收政府信息公开申请 1300 件，办结 1190 件。\n"
    findings = check_numbers(text, Sources(facts, strict=False)).findings
    assert [(f.kind, f.severity, f.expected) for f in findings] == [
        ("contradiction", "error", "1295件"), ("contradiction", "error", "1191件")]


@pytest.mark.parametrize("sentence, errors", [
    # 109: 复议 and 诉讼 cases exist, none corrected: the claim is about results only
    ("全年未发生因依申请公开被行政复议纠错或行政诉讼败诉情形。", []),
    ("该行政复议件未被复议审查机关纠错。", []),
    ("全年未发生政府信息公开行政复议和行政诉讼。", ["行政复议总计55件", "行政诉讼总计（两类合计）34件"]),
    ("行政复议均获维持。", ["行政复议其他结果10件", "行政复议尚未审结5件"]),
])
def test_claims_about_appeals(sentence, errors):
    text = f"# 标题\n\n## 一、总体情况\n\n{sentence}\n"
    report = check_numbers(text, Sources(facts_of("109_shanghai-szfbgt_2025"), strict=False))
    assert [f.expected for f in report.errors] == errors


def test_a_list_of_parts_may_open_the_next_sentence():
    facts = facts_of("109_shanghai-szfbgt_2025")
    text = "# 标题\n\n## 一、总体情况\n\n共收到政府信息公开申请 1295 件。其中，网络申请 1000 件，书面申请 295 件。\n"
    report = check_numbers(text, Sources(facts, strict=False))
    assert [(f.kind, f.found) for f in report.findings] == [("unsupported", "1000 件"), ("unsupported", "295 件")]


def test_a_blank_cell_makes_its_quantities_absent_not_zero():
    stats = stats_of("109_shanghai-szfbgt_2025")
    stats.requests.carried_over[1] = None          # blank printed cells (the model keeps them as None) that
    stats.requests.carried_over[6] = None          # the row's sums cannot fill in: a part and the total
    object.__setattr__(stats.appeals.litigation_direct, "total", None)   # (the model will allow blanks)
    object.__setattr__(stats.appeals.litigation_direct, "upheld", None)
    facts = compute_facts(stats)
    assert {"received_total", "share_received_natural", "litigation_total", "appeals_total"} <= facts.blank
    assert "received_total" not in facts and facts["new"].value == 1295 and facts["received_natural"].value == 1429
    text = "# 标题\n\n## 一、总体情况\n\n全年共受理申请 1484 件。本年新收政府信息公开申请 1300 件。行政诉讼 34 件。\n"
    findings = check_numbers(text, Sources(facts, strict=False)).findings
    assert [(f.kind, f.severity, f.found) for f in findings] == [
        ("ambiguous", "warning", "1484 件"), ("contradiction", "error", "1300 件"), ("blank", "warning", "34 件")]
    assert "单元格为空" in findings[0].message and "单元格为空" in findings[2].message


MODEL_WORDING = (
    "2024年，全市共受理政府信息公开申请3119件，其中自然人申请3001件、法人或其他组织申请118件，另有上年结转申请34件。"
    "全年办结3050件，其中予以公开1362件，部分公开454件，不予公开178件，无法提供781件，不予处理88件，其他处理187件；"
    "结转下年度继续办理103件。予以公开和部分公开的比例为59.54%，公开率59.54%。"
    "全年发生政府信息公开行政复议351件，其中结果维持72件、结果纠正64件、其他结果178件、尚未审结37件；"
    "行政诉讼46件，其中结果维持25件、结果纠正5件、其他结果9件、尚未审结7件。行政复议和行政诉讼共计397件。"
    "全年收取信息处理费3940元。全年共收到和处理申请3153件（含上年结转34件）。自然人申请占96.22%。"
    "本年度新制发规章1件、行政规范性文件8件，废止行政规范性文件26件，现行有效规章11件。"
)


def test_a_draft_worded_unlike_the_offline_template_verifies_completely():
    """The wording a model may choose (淮安 2024 tables): every number links to its quantity and holds."""
    from conftest import FIXTURES

    stats = read_stats((FIXTURES / "stats-huaian-2024.yaml").read_text(encoding="utf-8"), "stats.yaml").stats
    report = check_numbers(f"# 标题\n\n## 一、总体情况\n\n{MODEL_WORDING}\n", Sources(compute_facts(stats)))
    assert report.findings == []
    assert len(report.verified) == report.mentions == 33


def _first_chars(items) -> set[str] | None:
    """The characters a match of a parsed pattern can open with (None: any, or a match can be empty)."""
    from re import _constants as c

    if not items:
        return None
    op, av = items[0]
    if op is c.LITERAL:
        return {chr(av)}
    if op is c.IN and all(o is c.LITERAL for o, _ in av):
        return {chr(v) for _, v in av}
    if op is c.BRANCH:
        found = [_first_chars(list(branch)) for branch in av[1]]
        return None if None in found else set().union(*found)
    if op is c.SUBPATTERN:
        return _first_chars(list(av[3]))
    if op in (c.MAX_REPEAT, c.MIN_REPEAT) and av[0] >= 1:
        return _first_chars(list(av[2]))
    return None


def test_every_claim_opens_with_one_of_the_openers_looked_for_first():
    """checks.claims looks for vocab.CLAIM_OPENERS before it tries the claims: a claim opening otherwise would be lost."""
    from re import _parser

    from report_drafter import vocab

    for pattern in (*(p for p, _ in vocab.ZERO_CLAIMS), vocab.NOT_CORRECTED, vocab.ALL_UPHELD):
        opens = _first_chars(list(_parser.parse(pattern)))
        assert opens is not None and opens <= set(vocab.CLAIM_OPENERS), (pattern, opens)
