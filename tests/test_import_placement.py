"""Number rows without their labels (PDF→Markdown conversions): placed by order between labelled rows.

The tables are built from the 淮安 2024 values (tests/fixtures/stats-huaian-2024.yaml), in the shape
the real conversions have (tests/fixtures/reports/108_shanghai-kw_2024.md): `|` rows with `|---|`
separators inside, some rows bare, cut label pieces on lines of their own, a stray number.
"""

from pathlib import Path

import pytest

from report_drafter import layout
from report_drafter.errors import InputError
from report_drafter.importing import import_report
from report_drafter.model import get_path
from report_drafter.statsfile import read_stats

FIXTURES = Path(__file__).parent / "fixtures"
SPECS = layout.table3_rows()


@pytest.fixture(scope="module")
def stats():
    return read_stats((FIXTURES / "stats-huaian-2024.yaml").read_text(encoding="utf-8"), "x").stats


def report(stats, bare: set[int], jumble: dict[int, list[str]] | None = None, stray: int | None = None,
           drop: set[int] = frozenset()) -> str:
    """A report whose table 三 prints the rows in `bare` without labels and `jumble[i]` as text before row i."""
    jumble = jumble or {}
    lines = ["淮安市人民政府2024年政府信息公开工作年度报告", "一、总体情况", "本年度共收到申请 3119 件。",
             "二、主动公开政府信息情况",
             "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |", "|---|---|---|---|",
             "| 规章 | 1 | 0 | 11 |", "| 行政规范性文件 | 8 | 26 | 66 |",
             "| 行政许可 | 447228 |", "| 行政处罚 | 26339 |", "| 行政强制 | 88283 |", "| 行政事业性收费 | 96171.6 |",
             "三、收到和处理政府信息公开申请情况", "申请人情况", "自然人 商业企业 科研机构 社会公益组织 法律服务机构 其他 总计"]
    for i, spec in enumerate(SPECS):
        if i in drop:
            continue
        lines += jumble.get(i, [])
        if i == stray:
            lines.append("1")
        values = " | ".join(str(v) for v in get_path(stats, spec.path))
        lines.append(f"| {values} |" if i in bare else f"| {spec.label} | {values} |")
        lines.append("|---|---|---|---|---|---|---|")
    lines += ["四、政府信息公开行政复议、行政诉讼情况", "行政复议 行政诉讼 结果维持 结果纠正 其他结果 尚未审结 总计",
              "| 72 | 64 | 178 | 37 | 351 | 13 | 4 | 8 | 1 | 26 | 12 | 1 | 1 | 6 | 20 |",
              "五、存在的主要问题及改进情况", "问题不少。", "六、其他需要报告的事项", "未收取信息处理费。"]
    return "\n".join(lines) + "\n"


def names(indexes) -> list[str]:
    return [SPECS[i].name for i in sorted(indexes)]


@pytest.mark.parametrize("bare", [
    {3},                                    # one bare row between two labelled ones
    {3, 5, 8, 12, 13, 14, 18, 19, 20, 21},  # the bare rows of 108_shanghai-kw_2024.md
    {0, 1},                                 # bare rows before the first label
    {22, 23, 24},                           # … and after the last
])
def test_bare_rows_are_placed_by_order(tmp_path, stats, bare):
    path = tmp_path / "report.md"
    path.write_text(report(stats, bare), encoding="utf-8")
    imported = import_report(path)
    assert imported.stats.requests == stats.requests
    [warning] = [str(p) for p in imported.warnings if "按表中顺序放入" in p.message]
    assert all(f"“{name}”" in warning for name in names(bare))


def test_cut_labels_between_rows_do_not_mislead(tmp_path, stats):
    """Pieces of several labels on lines between two number rows (108): a jumble, so order decides."""
    jumble = {12: ["（四）无2.没有现成信息需要另", "法提供行制作", "3.补正后申请内容仍不", "明确"],
              8: ["（三）不", "予公开", "5.属于三类内部事务信", "息", "1.本机关不掌握相关政", "府信息"]}
    path = tmp_path / "report.md"
    path.write_text(report(stats, {8, 12, 13, 14}, jumble), encoding="utf-8")
    assert import_report(path).stats.requests == stats.requests


def test_one_label_above_a_bare_row_names_it(tmp_path, stats):
    """A label on the line above its numbers (labels split from their numbers) is trusted."""
    jumble = {20: ["1.申请人无正当理由逾期不补正、", "行政机关不再处理其政府信息公开申请"]}
    path = tmp_path / "report.md"
    path.write_text(report(stats, {20}, jumble), encoding="utf-8")
    imported = import_report(path)
    assert imported.stats.requests == stats.requests
    assert not any("按表中顺序放入" in p.message for p in imported.warnings)


def test_stray_number_is_ignored_with_a_warning(tmp_path, stats):
    path = tmp_path / "report.md"
    path.write_text(report(stats, {21}, stray=21), encoding="utf-8")
    imported = import_report(path)
    assert imported.stats.requests == stats.requests
    assert any("表三中的数字“1”无法归入任何一行，已忽略" in p.message for p in imported.warnings)


def test_a_row_that_cannot_be_placed_is_named(tmp_path, stats):
    """Two bare rows where three rows are missing: the rows left over are named and nothing is imported."""
    path = tmp_path / "report.md"
    path.write_text(report(stats, {12, 13, 14}, drop={13}), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        import_report(path)
    message = str(caught.value)
    assert "表三（收到和处理政府信息公开申请情况）：未找到 1 行：" in message
    assert "“（四）无法提供 3.补正后申请内容仍不明确”" in message


@pytest.mark.parametrize("insert", [
    ["— 5 —"],                                                          # a page footer inside the table
    ["## 表三：收到和处理政府信息公开申请情况", "申请人情况", "自然人 法人或其他组织 总计",
     "商业企业 科研机构 社会公益组织 法律服务机构 其他"],                      # the header repeated on the next page
    ["- 6 -", "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"],
    ["2024年，共收到8份政府信息公开申请，均为自然人申请。其中，予以公开2件，部分公开2件，不掌握2件。",
     "注：数据含上年结转 34 件。"],                                    # sentences with numbers inside the table
], ids=["footer", "repeated-header", "page-break", "prose"])
def test_page_breaks_and_sentences_inside_table3(tmp_path, stats, insert):
    text = report(stats, set())
    anchor = "| 1.本机关不掌握相关政府信息 |"
    text = text.replace(anchor, "\n".join(insert) + "\n" + anchor)
    path = tmp_path / "report.md"
    path.write_text(text, encoding="utf-8")
    imported = import_report(path)
    assert imported.stats.requests == stats.requests
    assert not any("按表中顺序放入" in p.message or "无法归入" in p.message for p in imported.warnings)


def test_a_repeated_labelled_row_is_not_placed_elsewhere(tmp_path, stats):
    """A row printed twice (a table repeated over a page break): the copy is left out, not taken for the next row."""
    text = report(stats, {3})
    row = next(line for line in text.split("\n") if line.startswith("| （一）予以公开 |"))
    path = tmp_path / "report.md"
    path.write_text(text.replace(row, row + "\n" + row), encoding="utf-8")
    imported = import_report(path)
    assert imported.stats.requests == stats.requests
    assert any("无法归入任何一行" in p.message for p in imported.warnings)
