"""Numeric mentions: what counts as a statistic in report prose, and what is left out."""

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from report_drafter.mentions import REASONS, find_mentions, line_of, scaled, sentence_of

FIXTURES = Path(__file__).parent / "fixtures" / "mentions"
HUAIAN = (FIXTURES / "huaian-szf-2024.txt").read_text(encoding="utf-8")
ZHONGMOU = (FIXTURES / "zhongmou-kjgxj-2023.txt").read_text(encoding="utf-8")


def section(text: str, heading: str, next_heading: str) -> str:
    """The text from one section heading up to the next."""
    return text[text.index(heading):text.index(next_heading)]


def only_mention(text: str):
    scan = find_mentions(text)
    assert len(scan.mentions) == 1, scan.mentions
    return scan.mentions[0]


# (text, raw, value, unit, is_percent, approximate) — phrasing from the reference reports.
MENTIONS = [
    ("全市共受理政府信息公开申请 3119 件", "3119 件", 3119, "件", False, False),
    ("共受理申请3,119件", "3,119件", 3119, "件", False, False),
    ("共受理申请3，119件", "3，119件", 3119, "件", False, False),
    ("政府信息公开行政复议 351\n件，其中", "351\n件", 351, "件", False, False),
    ("截至 2023 年底，共发布各类信息 32 条。", "32 条", 32, "条", False, False),
    ("制作政策解读\n21 个", "21 个", 21, "个", False, False),
    ("制作《淮安市人民政府公报》6 期", "6 期", 6, "期", False, False),
    ("等新闻发布会 12 场", "12 场", 12, "场", False, False),
    ("全年组织 4 次政府信息公开栏目全覆盖检查", "4 次", 4, "次", False, False),
    ("区和部门文件及政策解读519篇", "519篇", 519, "篇", False, False),
    ("共收到8份政府信息公开申请", "8份", 8, "份", False, False),
    ("市政府领导出席新闻发布会共计25人次", "25人次", 25, "人次", False, False),
    ("总阅读人数:89323人", "89323人", 89323, "人", False, False),
    ("关于5所学校调整收费标准的批复", "5所", 5, "所", False, False),
    ("今年共发布10项重大决策", "10项", 10, "项", False, False),
    ("本年度我局接到3起政府信息公开申请", "3起", 3, "起", False, False),
    ("网上来信及时处理230封", "230封", 230, "封", False, False),
    ("全年收取政府信息公开信息处理费 3940 元", "3940 元", 3940, "元", False, False),
    ("行政事业性收费96171.6万元", "96171.6万元", Decimal("96171.6"), "万元", False, False),
    ("收费1.5亿元", "1.5亿元", Decimal("1.5"), "亿元", False, False),
    ("合格率均\n为 100%。", "100%", 100, "%", True, False),
    ("同比增长1.08%", "1.08%", Decimal("1.08"), "%", True, False),
    ("占比８％", "８％", 8, "%", True, False),
    ("上升3.2个百分点", "3.2个百分点", Decimal("3.2"), "个百分点", False, False),
    ("满意率达百分之九十五", "百分之九十五", 95, "%", True, False),
    ("百分之五十点五", "百分之五十点五", Decimal("50.5"), "%", True, False),
    ("共发布三十二条信息", "三十二条", 32, "条", False, False),
    ("受理两千件申请", "两千件", 2000, "件", False, False),
    ("共一百零五件", "一百零五件", 105, "件", False, False),
    ("收到政府信息公开申请一件，已办理完毕", "一件", 1, "件", False, False),
    ("明确一名分管领导", "一名", 1, "名", False, False),
    ("组成本报告的六个部分", "六个", 6, "个", False, False),
    ("行政复议和行政诉讼均为零。", "零", 0, None, False, False),
    ("主动公开各类政府信息 5500 余条", "5500 余条", 5500, "条", False, True),
    ("近1900家次境内外媒体", "近1900家次", 1900, "家次", False, True),
    ("2500余人次记者参加", "2500余人次", 2500, "人次", False, True),
    ("约30件", "约30件", 30, "件", False, True),
    ("超过3000人次", "超过3000人次", 3000, "人次", False, True),
    ("1000多件", "1000多件", 1000, "件", False, True),
    ("100件以上", "100件以上", 100, "件", False, True),
    ("十余家单位", "十余家", 10, "家", False, True),
    ("近百家企业", "近百家", 100, "家", False, True),
    ("上千条留言", "上千条", 1000, "条", False, True),
    ("30余万元", "30余万元", 30, "万元", False, True),
    ("行政许可          447228", "447228", 447228, None, False, False),
]


@pytest.mark.parametrize("text, raw, value, unit, is_percent, approximate", MENTIONS)
def test_mention(text, raw, value, unit, is_percent, approximate):
    m = only_mention(text)
    assert (m.raw, m.value, m.unit, m.is_percent, m.approximate) == (
        raw, value, unit, is_percent, approximate)
    assert type(m.value) is type(value)
    assert text[m.start:m.end] == raw


# (text, raw, value, multiplier, scaled value, unit)
MULTIPLIED = [
    ("达1.5万件", "1.5万件", Decimal("1.5"), 10_000, 15000, "件"),
    ("一点五万件", "一点五万件", Decimal("1.5"), 10_000, 15000, "件"),
    ("阅读量3万余", "3万余", 3, 10_000, 30000, None),
    ("阅读量达万余人次", "万余人次", 1, 10_000, 10000, "人次"),
    ("十二万人次", "十二万人次", 12, 10_000, 120000, "人次"),
    ("1.25万", "1.25万", Decimal("1.25"), 10_000, 12500, None),
    ("收费96171.6万元", "96171.6万元", Decimal("96171.6"), 1, Decimal("96171.6"), "万元"),
    ("三万元", "三万元", 3, 1, 3, "万元"),
]


@pytest.mark.parametrize("text, raw, value, multiplier, base, unit", MULTIPLIED)
def test_multiplier_and_scaled(text, raw, value, multiplier, base, unit):
    m = only_mention(text)
    assert (m.raw, m.value, m.multiplier, m.unit) == (raw, value, multiplier, unit)
    assert scaled(m) == (base, unit)
    assert type(scaled(m)[0]) is type(base)


# (text, raw, reason code) — each a non-statistic; the text holds no statistic at all.
SKIPPED = [
    ("2023年，我局", "2023年", "date"),
    ("截至 2023 年底", "2023 年底", "date"),
    ("2023 年度未发现", "2023 年度", "date"),
    ("统计期限自 2024 年 1 月 1 日至", "2024 年 1 月 1 日", "date"),
    ("至12月31日止", "12月31日", "date"),
    ("截至6月底", "6月底", "date"),
    ("在省办四个季度政务新媒体检查", "四个季度", "date"),
    ("《衢州市政务公开五年行动计划》", "《衢州市政务公开五年行动计划》", "title"),
    ("行动计划(2021—2025年)", "2021—2025年", "date"),
    ("浦东开发开放30周年", "30周年", "date"),
    ("发布日期:2023/01/18 11:34:01", "2023/01/18 11:34:01", "date"),
    ("上午09:00-12:00", "09:00-12:00", "date"),
    ("本年(2023)制发件数", "2023", "date"),
    ("二〇二三年", "二〇二三年", "date"),
    ("第二十条第（一）项", "第二十条第（一）项", "citation"),
    ("第二十条 第（五）项", "第二十条 第（五）项", "citation"),
    ("不适用于《条例》第二十七条的情况", "第二十七条", "citation"),
    ("第七次全国人口普查", "第七次", "ordinal"),
    ("第一季度", "第一季度", "ordinal"),
    ("保护第三方合法权益", "第三", "ordinal"),
    ("一是政策解读质量仍需提升", "一是", "enumeration"),
    ("（一）主动公开情况。", "（一）", "enumeration"),
    ("(三) 不予公开", "(三)", "enumeration"),
    ("（1）主动公开。", "（1）", "enumeration"),
    ("\n1.主动公开", "1.", "enumeration"),
    ("\t1、申请人无正当理由逾期不补正", "1、", "enumeration"),
    ("\n一、总体情况", "一、", "enumeration"),
    ("第一，加强组织领导", "第一", "enumeration"),
    ("《中华人民共和国政府信息公开条例》（国令第 711 号）", "国令第 711 号", "doc_number"),
    ("（国务院令第711号）", "国务院令第711号", "doc_number"),
    ("（国办公开办函〔2021〕30号）", "〔2021〕30号", "doc_number"),
    ("按照国办公开办函〔2019〕60、61号文件要求", "〔2019〕60、61号", "doc_number"),
    ("电话：0517-83605210", "电话：0517-83605210", "phone"),
    ("联系方式:023-81090002)", "023-81090002", "phone"),
    ("联系电话:0873—7236877", "电话:0873—7236877", "phone"),
    ("拨打12345热线", "12345", "phone"),
    ("邮编：223001", "邮编：223001", "postcode"),
    ("邮政编码:016000", "邮政编码:016000", "postcode"),
    ("地址:清江浦区淮海南路268号;", "地址:清江浦区淮海南路268号", "address"),
    ("位于翔宇南道1号", "道1号", "address"),
    ("政务服务中心501室", "501室", "address"),
    ("电子邮箱：hazwgkc@163.com", "hazwgkc@163.com", "url"),
    ("网址为:http://wcsxxgk.harbin.gov.cn/col/col12596/index.html",
     "http://wcsxxgk.harbin.gov.cn/col/col12596/index.html", "url"),
    ("索引号: 11330800002618306N/2025-00326", "11330800002618306N/2025-00326", "code"),
    ("《2025年开远市10件惠企实事》", "《2025年开远市10件惠企实事》", "title"),
    ("“五个中心”建设情况", "五个", "quoted"),
    ("推进“一网通办”", "一网通办", "idiom"),
    ("坚决做到“两个维护”", "两个维护", "idiom"),
    ("“一事一审”工作原则", "一事一审", "idiom"),
    ("危及“三安全一稳定”", "三安全一稳定", "idiom"),
    ("属于四类过程性信息", "四类过程性", "idiom"),
    ("属于三类内部事务信息", "三类内部事务", "idiom"),
    ("贯彻党的二十大精神", "二十大", "idiom"),
    ("二十届二中、三中全会精神", "二十届二中、三中全会", "idiom"),
    ("十九届二中、三中、四中全会", "十九届二中、三中、四中全会", "idiom"),
    ("一体化互联网政务服务平台", "一体化", "idiom"),
    ("实行“一把手”负总责", "一把手", "idiom"),
    ("第一时间公布", "第一时间", "idiom"),
    ("进一步优化政务公开专栏", "进一步", "idiom"),
    ("按照市政府统一部署", "统一", "idiom"),
    ("通过“万人助万企小程序”", "万人助万企", "idiom"),
    ("最多跑一次", "一次", "idiom"),
    ("还有一些需要加强和改进的地方", "一些", "idiom"),
    ("回应一个诉求，解决一类问题", "一个诉求", "idiom"),
    ("形式单一", "单一", "idiom"),
    ("零报告", "零", "word"),
    ("零件", "零", "word"),
    ("服务基层百姓", "百", "word"),
    ("加快建设长三角", "三", "word"),
    ("若干政策", "若干", "vague"),
    ("数百家企业", "数百", "vague"),
    ("                                          -1-\n", "-1-", "page_number"),
]


@pytest.mark.parametrize("text, raw, code", SKIPPED)
def test_skipped(text, raw, code):
    scan = find_mentions(text)
    assert scan.mentions == []
    assert [(s.raw, s.code) for s in scan.skipped][:1] == [(raw, code)]
    first = scan.skipped[0]
    assert first.reason == REASONS[code]
    assert text[first.start:first.end] == raw


@pytest.mark.parametrize("text", ["个别单位存在人员配备不足", "首先由具体经办人提出", "www.shanghai.gov.cn"])
def test_no_numerals_nothing_found(text):
    scan = find_mentions(text)
    assert scan.mentions == [] and scan.skipped == []


# Sentences mixing statistics and non-statistics, from the openings.
MIXED = [
    ("2023年，全市共收到政府信息公开申请34290件，申请数量较2022年上升29.3%；",
     [(34290, "件"), (Decimal("29.3"), "%")]),
    ("2024年截至6月底局微信公众号共编辑发布192篇信息，总阅读人数:89323人，总阅读次数:116496人次。",
     [(192, "篇"), (89323, "人"), (116496, "人次")]),
    ("主动公开市政府规章13件(含新制定5件,修改4件,废止4件)",
     [(13, "件"), (5, "件"), (4, "件"), (4, "件")]),
    ("2024年，受理政府信息公开申请21件，其中18件依法依规办理答复，2件按序时进度办理。",
     [(21, "件"), (18, "件"), (2, "件")]),
    ("政务信息公开指南1条，占8%；其他公文5条，占41%",
     [(1, "条"), (8, "%"), (5, "条"), (41, "%")]),
    ("本报告由总体情况、…存在的主要问题及改进情况5个部分组成。本报告中所列数据的统计时间为2019年1月1日至2019年12月31日。",
     [(5, "个")]),
    ("全年通过政府门户网站发布信息3091条，访问量达2234399人次，开展在线访谈2次",
     [(3091, "条"), (2234399, "人次"), (2, "次")]),
    ("因信息公开引起的行政复议31件，行政诉讼0件。", [(31, "件"), (0, "件")]),
]


@pytest.mark.parametrize("text, expected", MIXED)
def test_mixed_sentences(text, expected):
    assert [(m.value, m.unit) for m in find_mentions(text).mentions] == expected


HUAIAN_OVERVIEW = [
    (5500, "条"), (1, "件"), (11, "件"), (21, "个"), (6, "期"), (12, "场"),
    (3119, "件"), (3050, "件"), (34, "件"), (103, "件"),
    (351, "件"), (72, "件"), (64, "件"), (178, "件"), (37, "件"),
    (46, "件"), (25, "件"), (5, "件"), (9, "件"), (7, "件"),
    (95, "个"), (100, "%"), (4, "次"),
]


def test_huaian_overview_statistics():
    overview = section(HUAIAN, "一、总体情况", "二、主动公开政府信息情况")
    mentions = find_mentions(overview).mentions
    assert [(m.value, m.unit) for m in mentions] == HUAIAN_OVERVIEW
    assert [m.approximate for m in mentions] == [True] + [False] * (len(HUAIAN_OVERVIEW) - 1)
    assert [m.is_percent for m in mentions].count(True) == 1


def test_huaian_whole_report_skips():
    scan = find_mentions(HUAIAN)
    skipped = {(s.raw.replace("\n", ""), s.code) for s in scan.skipped}
    assert {
        ("国令第 711 号", "doc_number"),
        ("2024 年 1 月 1 日", "date"),
        ("2024 年 12 月 31 日", "date"),
        ("2024 年", "date"),
        ("地址：淮安市翔宇南道 1 号", "address"),
        ("邮编：223001", "postcode"),
        ("电话：0517-83605210", "phone"),
        ("hazwgkc@163.com", "url"),
        ("二十届二中、三中全会", "idiom"),
        ("四个季度", "date"),
        ("第二十条 第（一）项", "citation"),
        ("-1-", "page_number"),
        ("一是", "enumeration"),
    } <= skipped
    values = {m.value for m in scan.mentions}
    assert {711, 223001, 83605210, 2024, 163}.isdisjoint(values)
    assert scan.mentions[-1].raw == "3940 元"


def test_huaian_table_figures_are_bare_mentions():
    tables = section(HUAIAN, "二、主动公开政府信息情况", "五、存在的主要问题及改进情况")
    mentions = find_mentions(tables).mentions
    assert all(m.unit is None and not m.approximate for m in mentions)
    assert [m.value for m in mentions[:9]] == [1, 0, 11, 8, 26, 66, 447228, 3985758, 88283]
    assert Decimal("96171.6") in {m.value for m in mentions}
    assert [m.value for m in mentions[-15:]] == [72, 64, 178, 37, 351, 13, 4, 8, 1, 26, 12, 1, 1, 6, 20]


def test_zhongmou_prose():
    overview = section(ZHONGMOU, "一、总体情况", "二、主动公开政府信息情况")
    scan = find_mentions(overview)
    assert [(m.value, m.unit) for m in scan.mentions] == [(32, "条")]
    codes = {(s.raw, s.code) for s in scan.skipped}
    assert {("2023 年底", "date"), ("2023 年度", "date"), ("一事一审", "idiom"),
            ("（五）", "enumeration"), ("进一步", "idiom")} <= codes
    problems = section(ZHONGMOU, "五、存在的主要问题及改进情况", "六、其他需要报告的事项")
    scan = find_mentions(problems)
    assert scan.mentions == []
    assert ("万人助万企", "idiom") in {(s.raw, s.code) for s in scan.skipped}


@pytest.mark.parametrize("text", [HUAIAN, ZHONGMOU])
def test_spans_index_the_text_in_order(text):
    scan = find_mentions(text)
    spans = sorted([(m.start, m.end, m.raw) for m in scan.mentions]
                   + [(s.start, s.end, s.raw) for s in scan.skipped])
    assert all(text[start:end] == raw for start, end, raw in spans)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))
    assert all(not isinstance(m.value, float) for m in scan.mentions)
    assert find_mentions(text) == scan


def test_sentence_and_line():
    text = "（一）主动公开情况。2024 年，全市共受理政府信息公开申请 3119 件，答复 3050 件；\n另有 103 件顺延"
    first, second, third = find_mentions(text).mentions
    start, end = sentence_of(text, first.start)
    assert text[start:end] == "2024 年，全市共受理政府信息公开申请 3119 件，答复 3050 件；"
    assert sentence_of(text, second.start) == (start, end)
    assert text[slice(*sentence_of(text, third.start))] == "另有 103 件顺延"
    assert (line_of(text, first.start), line_of(text, third.start)) == (1, 2)


def test_sentence_of_wrapped_layout_text():
    m = next(m for m in find_mentions(HUAIAN).mentions if m.value == 351)
    start, end = sentence_of(HUAIAN, m.start)
    assert HUAIAN[start:end].endswith("351")
    assert line_of(HUAIAN, m.start) == HUAIAN[:m.start].count("\n") + 1


def test_cn2an_is_imported_only_for_chinese_numerals():
    code = (
        "import sys\n"
        "from report_drafter.mentions import find_mentions\n"
        "find_mentions('2024 年，全市共受理申请 3119 件，一是，进一步')\n"
        "assert 'cn2an' not in sys.modules\n"
        "assert [m.value for m in find_mentions('三十二条，二十项，十二人，第五次').mentions][:3] == [32, 20, 12]\n"
        "assert 'cn2an' not in sys.modules\n"       # (a digit and tens are read without it)
        "assert find_mentions('三百二十条').mentions[0].value == 320\n"
        "assert 'cn2an' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
