"""Row labels as real reports print them → the official row (stats.yaml path)."""

import pytest

from report_drafter import layout
from report_drafter.importing import vocabulary as voc
from report_drafter.importing.tables import row_for_label

O = ("requests", "outcomes")


@pytest.mark.parametrize("label, path", [
    # official wording, with and without its group label or the 2019 layout
    ("一、本年新收政府信息公开申请数量", ("requests", "new")),
    ("（一）予以公开", (*O, "disclosed")),
    ("三、本年度办 理结果 （一）予以公开", (*O, "disclosed")),              # labels broken by spaces
    ("(二)部分公开(区分处理的,只计这一情形,不计其他情形)", (*O, "partly_disclosed")),  # half-width punctuation
    ("（三）不予公开1.属于国家秘密", (*O, "withheld", "state_secret")),        # group label glued in front
    ("予公开5.属于三类内部事务信息", (*O, "withheld", "internal_affairs")),   # a piece of the group label
    # abbreviations
    ("1.逾期不补正", (*O, "other", "no_correction")),
    ("2.逾期不缴费", (*O, "other", "fee_unpaid")),
    ("3.其他", (*O, "other", "other")),
    ("信访举报投诉类申请", (*O, "not_processed", "petitions")),             # no item number
    # reworded
    ("（七）合计", (*O, "total")),
    ("二、上年度结转政府信息公开申请数量", ("requests", "carried_over")),
    ("四、结转下年度继续办理数量", ("requests", "carried_forward")),
    ("3.危及三安全一稳定", (*O, "withheld", "security_stability")),         # quotes dropped
    # typos and OCR substitutions
    ("1.属于国家秘蜜", (*O, "withheld", "state_secret")),
    ("2.其他法律行政法规禁止公幵", (*O, "withheld", "prohibited_by_law")),
    ("4.保护笫三方合法权益", (*O, "withheld", "third_party_rights")),
    ("6.属于四类过程性信自", (*O, "withheld", "process_information")),
    ("8.属于行政査询事项", (*O, "withheld", "query_matters")),
    ("2.没有现成信息需要另行制做", (*O, "unavailable", "needs_creation")),
    # split across lines or cells (the pieces joined), or cut
    ("本 机 关 不 掌 握 相 关 政 府 信 息", (*O, "unavailable", "not_held")),
    ("5.要求行政机关确认或重新出 具已获取信息", (*O, "not_processed", "confirmations")),
    ("1、申请人无正当理由逾期不补正、行政机关不再处理其政府信", (*O, "other", "no_correction")),
    ("求缴纳费用、行政机关不再处理", (*O, "other", "fee_unpaid")),
    # fits two rows equally: not decided by the label (order decides)
    ("行政机关不再处理其政府信息公", None),
    ("（六）其他处理", None),                      # a group label in the three-row layout
])
def test_table3_label_names_its_row(label, path):
    assert row_for_label(label) == path


def test_single_other_row_of_the_2019_layout():
    assert row_for_label("（六）其他处理", single_other=True) == (*O, "other")


@pytest.mark.parametrize("label, format, path", [
    ("规范性文件", "2021", ("active", "normative_documents")),
    ("规范性文件", "2019", ("active", "normative_documents")),
    ("行政规范性文件", "2021", ("active", "normative_documents")),
    ("规章", "2021", ("active", "rules")),
    ("信息内容本年处理决定数量行政许可", "2021", ("active", "licensing")),   # header text run into the label
    ("第二十条第（八）项信息内容本年收费金额（单位：万元）行政事业性收费", "2021", ("active", "fees")),
    ("其他对外管理服务事项", "2019", ("active", "other_services")),
    ("政府集中采购", "2019", ("active", "procurement")),
    ("政府集中采购", "2021", None),
])
def test_table2_label_names_its_row(label, format, path):
    assert row_for_label(label, "active", format) == path


@pytest.mark.parametrize("single", [False, True])
def test_vocabulary_covers_every_official_row_with_its_official_label(single):
    words = voc.table3_words(single)
    assert [(w.path, w.label) for w in words] == [(s.path, s.label) for s in layout.table3_rows(single)]
    assert all(row_for_label(w.label, single_other=single) == w.path for w in words)


@pytest.mark.parametrize("format", ["2021", "2019"])
def test_table2_vocabulary_matches_the_layout(format):
    rows = layout.DOCUMENT_ROWS if format == "2021" else layout.DOCUMENT_ROWS_2019
    decisions = layout.DECISION_ROWS if format == "2021" else layout.ITEM_ROWS_2019
    labels = {("active", k): label for k, label in rows} | {("active", k): label for k, label, _ in decisions}
    words = voc.table2_words(format)
    assert {w.path: w.label for w in words if w.path in labels} == labels
    assert all(row_for_label(w.label, "active", format) == w.path for w in words)
