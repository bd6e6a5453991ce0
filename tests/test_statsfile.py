"""Reading and writing stats.yaml: round trip with comments, and every bad-input class."""

from decimal import Decimal

import pytest

from report_drafter.errors import InputError
from report_drafter.model import new_stats
from report_drafter.statsfile import read_stats
from report_drafter.statswriter import dump_stats, render_stats


def test_example_reads_with_exact_values(huaian_text):
    doc = read_stats(huaian_text, "2024/stats.yaml")
    assert doc.problems == []
    s = doc.stats
    assert s.agency == "淮安市人民政府" and s.year == 2024 and s.format == "2021"
    assert s.active.fees == Decimal("96171.6")
    assert s.requests.new == [3001, 53, 0, 0, 61, 4, 3119]
    assert s.requests.outcomes.other.other == [108, 2, 0, 0, 0, 0, 110]
    assert s.appeals.review.total == 351
    assert s.processing_fees.cases is None and s.processing_fees.amount_yuan == 3940


def test_unchanged_round_trip_is_byte_identical(huaian_text):
    stats = read_stats(huaian_text, "x").stats
    assert dump_stats(stats, huaian_text) == huaian_text


def test_changed_values_keep_comments_and_layout(huaian_text):
    stats = read_stats(huaian_text, "x").stats
    stats.requests.new[0] = 12345
    stats.processing_fees.cases = 3
    text = dump_stats(stats, huaian_text)
    changed = [(a, b) for a, b in zip(huaian_text.splitlines(), text.splitlines()) if a != b]
    assert changed == [
        ("  new:            [3001, 53, 0, 0, 61, 4, 3119]   # 一、本年新收政府信息公开申请数量",
         "  new:            [12345, 53, 0, 0, 61, 4, 3119]  # 一、本年新收政府信息公开申请数量"),
        ("  cases: null             # 收费件数 (null: not stated)",
         "  cases: 3                # 收费件数 (null: not stated)"),
    ]
    assert read_stats(text, "x").stats == stats


@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_rendered_file_reads_back(fmt):
    stats = new_stats(2020, "某县统计局", fmt)
    text = render_stats(stats)
    assert "# 一、本年新收政府信息公开申请数量" in text
    doc = read_stats(text, "x")
    assert doc.problems == [] and doc.stats == stats


def _problem_texts(text):
    return [str(p) for p in read_stats(text, "2024/stats.yaml").problems]


def test_misspelt_key_names_key_and_suggestion(huaian_text):
    texts = _problem_texts(huaian_text.replace("  licensing:", "  licensng:"))
    assert "2024/stats.yaml:20 表二 licensng：未知的键“licensng”，是否应为“licensing”？" in texts
    assert "2024/stats.yaml:11 表二 行政许可 · 本年处理决定数量：缺少键“licensing”" in texts


def test_missing_key_is_error(huaian_text):
    texts = _problem_texts(huaian_text.replace("      repeated:            [25, 0, 0, 0, 0, 0, 25]     #   2.重复申请\n", ""))
    assert any("缺少键“repeated”" in t and t.startswith("2024/stats.yaml:44") for t in texts)


@pytest.mark.parametrize("bad, message", [
    ("[2, 0, 0, 0, 0, 0, x]", "表三 （三）不予公开 1.属于国家秘密 · 总计：应为非负整数，填写为“x”"),
    ("[2, 0, 0, 0, 0, 0, -2]", "表三 （三）不予公开 1.属于国家秘密 · 总计：不能为负数，填写为“-2”"),
    ("[2, 0, 0, 0, 0, 0, 2.5]", "表三 （三）不予公开 1.属于国家秘密 · 总计：应为非负整数，填写为“2.5”"),
    ("[2, 0, 0, 0, 0, 2]", "表三 （三）不予公开 1.属于国家秘密：应有 7 个数（自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他、总计），实际为 6 个"),
])
def test_wrong_values_name_line_table_row_column(huaian_text, bad, message):
    text = huaian_text.replace("[2, 0, 0, 0, 0, 0, 2]", bad)
    assert f"2024/stats.yaml:32 {message}" in _problem_texts(text)
    assert read_stats(text, "x").stats is None


def test_blank_and_slash_cells_are_blank_with_warning(huaian_text):
    """Blank cells read as None (they used to read as 0), each with a warning."""
    text = huaian_text.replace("[2, 0, 0, 0, 0, 0, 2]", '[2, "/", 0, 0, 0, null, 2]')
    doc = read_stats(text, "2024/stats.yaml")
    assert doc.stats is not None
    assert doc.stats.requests.outcomes.withheld.state_secret == [2, None, 0, 0, 0, None, 2]
    assert [p.severity for p in doc.problems] == ["warning", "warning"]
    assert "记为空白" in str(doc.problems[0]) and "商业企业" in str(doc.problems[0])


def test_negative_fee_and_bad_format(huaian_text):
    texts = _problem_texts(huaian_text.replace("fees: 96171.6", "fees: -1"))
    assert any("行政事业性收费" in t and "不能为负数" in t for t in texts)
    texts = _problem_texts(huaian_text.replace('format: "2021"', 'format: "2020"'))
    assert texts == ['2024/stats.yaml:7 格式版本：格式版本应为 "2021" 或 "2019"，填写为“2020”']


def test_broken_yaml_is_input_error_with_line(huaian_text):
    with pytest.raises(InputError) as err:
        read_stats(huaian_text.replace("[1288, 21, 0, 0, 50, 3, 1362]", "[1288, 21, 0"), "2024/stats.yaml")
    assert str(err.value).startswith("2024/stats.yaml:")
    assert "YAML 格式错误" in str(err.value)
