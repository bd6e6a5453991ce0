"""Cells whose digits ran together (web pages that lost the table's borders): the format's sums decide.

One case per pattern seen in the real reports of tests/fixtures/reports/, plus ambiguous ones that
must say so.
"""

from decimal import Decimal

import pytest

from report_drafter.importing.sources import read_text
from report_drafter.importing.splitting import Candidate, candidates, plausibility
from report_drafter.importing.tables import read_table2, read_table3, read_table4
from report_drafter.importing.tokens import Run, cell_tokens, without_prose

O = ("requests", "outcomes")


def snippet(text: str):
    source = read_text(text, "snippet.txt")
    return source, (0, len(source.lines))


def warnings(result) -> list[str]:
    return [p.message for p in result.problems]


@pytest.mark.parametrize("text, path, values", [
    # 103: glued row, the only split whose 自然人…其他 add up to 总计
    ("一、本年新收政府信息公开申请数量640020470", ("requests", "new"), [64, 0, 0, 2, 0, 4, 70]),
    # 106: a three-digit 自然人 next to a one-digit 商业企业
    ("一、本年新收政府信息公开申请数量21710000218", ("requests", "new"), [217, 1, 0, 0, 0, 0, 218]),
    # 101: stray blanks inside the run
    ("（七）总计23 0 00 0 023", (*O, "total"), [23, 0, 0, 0, 0, 0, 23]),
    ("四、结转下年度继续办理 0 0 00 00 0 ", ("requests", "carried_forward"), [0] * 7),
    # 107: the next row's item number glued to this row's digits (“…502.没有…” = 50 and “2.”)
    ("1.本机关不掌握相关政府信息4910000502.没有现成信息需要另行制作30000003",
     (*O, "unavailable", "not_held"), [49, 1, 0, 0, 0, 0, 50]),
    # 104: label spaced, data glued
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形） 8100009", (*O, "partly_disclosed"), [8, 1, 0, 0, 0, 0, 9]),
])
def test_table3_row_split_by_its_row_sum(text, path, values):
    result = read_table3(*snippet(text))
    assert result.data[path] == values
    assert not any("连在一起" in w for w in warnings(result))


def test_table3_columns_decide_what_the_row_sum_leaves_open():
    """“（一）予以公开010000100110” adds up two ways; the 总计 row's columns pick one."""
    text = "（一）予以公开010000100110（七）总计0 100 0 0 10 0 110\n"
    result = read_table3(*snippet(text))
    assert result.data[(*O, "disclosed")] == [0, 100, 0, 0, 10, 0, 110]
    assert not any("连在一起" in w for w in warnings(result))


def test_table3_ambiguous_row_says_so():
    result = read_table3(*snippet("（一）予以公开010000100110"))
    [message] = [w for w in warnings(result) if "连在一起" in w]
    assert "按行、列合计关系仍有多种拆分" in message
    assert "0/10/0/0/0/100/110" in message and "0/100/0/0/10/0/110" in message


@pytest.mark.parametrize("digits, groups", [
    # 106: two-digit cells make per-digit splitting fail; only one split satisfies the three group sums
    ("21317000001324019", [(2, 1, 3, 1, 7), (0, 0, 0, 0, 0), (13, 2, 4, 0, 19)]),
    # 107
    ("25380363300630003", [(25, 3, 8, 0, 36), (3, 3, 0, 0, 6), (3, 0, 0, 0, 3)]),
    # 105: one digit per cell
    ("110024001510102", [(1, 1, 0, 0, 2), (4, 0, 0, 1, 5), (1, 0, 1, 0, 2)]),
    # 104: spaced
    ("0 1 1 0 2 1 0 0 0 1 0 0 0 0 0", [(0, 1, 1, 0, 2), (1, 0, 0, 0, 1), (0, 0, 0, 0, 0)]),
])
def test_table4_split_by_group_sums(digits, groups):
    header = ("行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉"
              "结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计")
    result = read_table4(*snippet(header + digits))
    keys = ("review", "litigation_direct", "litigation_after_review")
    got = [tuple(result.data[("appeals", key)].values()) for key in keys]
    assert got == groups
    assert result.complete and not any("连在一起" in w for w in warnings(result))


def test_table4_without_total_columns_records_blank_totals():
    header = "行政复议行政诉讼结果维持结果纠正其他结果尚未审结未经复议直接起诉复议后起诉结果维持结果纠正其他结果尚未审结"
    text = header + "\n" + " | ".join(["1", "0", "0", "1", "2", "0", "0", "0", "0", "0", "0", "0"]) + " |\n"
    result = read_table4(*snippet(text))
    assert result.data[("appeals", "review")] == {"upheld": 1, "corrected": 0, "other": 0, "pending": 1, "total": None}
    assert not result.appeal_totals and result.layout == "表四未印总计列（每类 4 项）"
    assert any("总计记为空白" in w for w in warnings(result))


@pytest.mark.parametrize("text, format, path, values, alternatives", [
    # 101 (2019 layout): 本年新制作 / 本年新公开 / 对外公开总数量, no sum to check
    ("规范性文件898989", "2019", ("active", "normative_documents"), {"made": 89, "published": 89, "total": 89},
     ["8/989/89"]),
    # 103 (2021 layout)
    ("行政规范性文件693665", "2021", ("active", "normative_documents"), {"issued": 69, "repealed": 36, "in_force": 65},
     ["69/366/5"]),
    # 101: a change of 0 standing alone (本年增/减)
    ("行政许可3960181", "2019", ("active", "licensing"), {"previous": 396, "change": 0, "decisions": 181},
     ["39/60/181"]),
])
def test_table2_rows_have_no_sum_so_an_ambiguous_split_is_a_warning(text, format, path, values, alternatives):
    header = "第二十条第（一）项信息内容本年新制作数量本年新公开数量对外公开总数量" if format == "2019" else (
        "第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数")
    result = read_table2(*snippet(header + text))
    assert result.format == format and result.data[path] == values
    [message] = [w for w in warnings(result) if "连在一起" in w]
    assert "表二没有合计关系可供核对" in message and all(a in message for a in alternatives)


@pytest.mark.parametrize("text, kinds, expected", [
    # 102: negative 本年增/减 glued to its neighbours; the sign starts a cell
    ("2648-18538", ("count", "signed", "count"), [(2648, -1, 8538), (2648, -18, 538), (2648, -185, 38),
                                                  (2648, -1853, 8)]),
    ("35-15", ("count", "signed"), [(35, -15)]),
    # 103: a fee of 6 decimals is one money cell; a decimal never goes to a count cell
    ("24252.311082", ("money",), [(Decimal("24252.311082"),)]),
    ("1.5", ("count",), []),
    # no leading zeros except “0” itself
    ("0023", ("count", "count", "count"), [(0, 0, 23)]),
])
def test_candidate_splits(text, kinds, expected):
    run = Run([t for t in cell_tokens(text, 0) if t.is_value])
    assert sorted(c.values for c in candidates(run.tokens, kinds)) == sorted(expected)


def test_plausibility_prefers_small_numbers_of_similar_size():
    def cost(*values, kinds=None):
        return plausibility(values, kinds)
    assert cost(89, 89, 89) < cost(8, 989, 89) < cost(8, 9, 8989)
    change = ("count", "signed", "count")             # 上一年项目数量 / 本年增/减 / 处理决定数量
    assert cost(396, 0, 181, kinds=change) < cost(39, 60, 181, kinds=change)
    assert Candidate((1, 2), False).text == "1/2"


def test_table4_values_wrapped_over_two_lines():
    """pdftotext of a narrow page: the 15 values continue on the next line."""
    text = ("行政复议 行政诉讼 结果维持 结果纠正 其他结果 尚未审结 总计 未经复议直接起诉 复议后起诉\n"
            "72   64    178    37    351   13    4        8        1        26\n"
            "12   1     1    6       20\n")
    result = read_table4(*snippet(text))
    assert result.data[("appeals", "litigation_after_review")] == {
        "upheld": 12, "corrected": 1, "other": 1, "pending": 6, "total": 20}
    assert result.complete


def test_long_glued_run_is_split_group_by_group():
    """26 digits for 15 cells (more than a million divisions): the group sums prune them as they are made."""
    header = "行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉"
    result = read_table4(*snippet(header + "72641783735113481261211620"))
    assert result.data[("appeals", "review")] == {"upheld": 72, "corrected": 64, "other": 178, "pending": 37,
                                                  "total": 351}
    [message] = [w for w in warnings(result) if "连在一起" in w]       # 复议后起诉 12/1/1/6/20 or 1/2/1/16/20 …
    assert "12/1/1/6/20" in message


@pytest.mark.parametrize("text, kept", [
    ("2022年,共收到8份申请,均为自然人申请。其中,予以公开2件,部分公开2件,其他1件。", ""),
    ("注：行政复议、行政诉讼数量含上年度结转数量。", ""),
    # a flattened table followed by a note: the table stays
    ("一、本年新收政府信息公开申请数量640020470二、上年结转0000000。注：含上年结转。",
     "一、本年新收政府信息公开申请数量640020470二、上年结转0000000。"),
    ("（文字描述，收取信息处理费情况在此处报告）", "（文字描述，收取信息处理费情况在此处报告）"),
])
def test_sentences_between_tables_are_not_cells(text, kept):
    assert without_prose(text) == kept


@pytest.mark.parametrize("sentence, settled, readings_made", [
    ("现行有效规范性文件698件。", "88/55/698", True),              # a number stating a cell of the row decides
    ("全年共收到政府信息公开申请698件。", "88/556/98", False),      # 698 states table 三: not even tried
])
def test_an_ambiguous_row_is_settled_only_by_numbers_that_may_state_table_2(monkeypatch, sentence, settled,
                                                                             readings_made):
    from pathlib import Path

    import report_drafter.facts as facts
    from report_drafter.importing import _read_tables, read_report_source
    from report_drafter.importing.settling import settle_by_prose
    from report_drafter.importing.sources import read_source

    source = read_source(Path(__file__).parent / "fixtures" / "reports" / "104_pingtan-zhsyq_2022.txt")
    _, results, _ = _read_tables(source, None)
    ambiguity = next(a for r in results for a in r.ambiguities if a.path == ("active", "normative_documents"))
    stats = read_report_source(source).stats.model_copy(deep=True)
    stats.active.normative_documents = type(stats.active.normative_documents)(**ambiguity.options[0])
    calls = []
    real = facts.table2_facts
    monkeypatch.setattr(facts, "table2_facts", lambda s: calls.append(s) or real(s))
    markdown = f"# 平潭2022年政府信息公开工作年度报告\n\n## 一、总体情况\n\n{sentence}\n"
    out = settle_by_prose(stats, markdown, [ambiguity])
    row = out.active.normative_documents
    assert f"{row.issued}/{row.repealed}/{row.in_force}" == settled
    assert (len(calls) > 1) == readings_made
