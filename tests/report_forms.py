"""The text forms a published report reaches people in, made from a report's tables (and from real report files).

Forms (from a Stats record, with the 淮安 2024 prose of test_import):
    tab          text copied from a browser (innerText): cells tab-separated, a blank cell empty between tabs
    tab-missing  the same with blank cells simply missing (what some browsers and editors give)
    one-per-line text copied one cell per line, blank cells missing
    md-rows      PDF→Markdown that prints each table row as its own small table under a heading repeating
                 the row label, with generic column headers (“数据1 … 数据6 | 总计”)
    md-rows-missing  the same with blank cells missing from the small tables
    html         the web page itself (rowspan/colspan, an empty <td> for a blank cell)
Transforms of any report text:
    page-chrome  page numbers, a browser's print header and footer, site navigation inside the tables
    browser-print  the header (time, page title) and footer (address, 2/5) a browser prints on every page
    split-pages  table 三 split across two pages, its header repeated on the second (or not)
    traditional  the page in traditional characters (OpenCC s2t: a site's 繁體 switch)
    kangxi       PDF text carrying Kangxi radicals and radical forms (“⺠” for 民, “⾰” for 革 …)
"""

from __future__ import annotations

import re

from test_import import APPLICANTS, OTHER, OVERVIEW, PREAMBLE, PROBLEMS, TITLE, appeal_values, flat_rows, num, table2_rows, \
    table3_rows

from report_drafter import layout
from report_drafter.model import get_path, set_path

_SECTION = re.compile(r"^[二三四]、.*情况$")
TABLE3_START = "一、本年新收政府信息公开申请数量"


def with_blank_legal_persons(stats, consistent: bool = True):
    """The report leaves the five 法人或其他组织 columns of table 三 blank (总计 = 自然人 when `consistent`)."""
    copy = stats.model_copy(deep=True)
    for spec in layout.table3_rows():
        values = get_path(copy, spec.path)
        set_path(copy, spec.path, [values[0], *([None] * 5), values[0] if consistent else values[-1]])
    return copy


def with_zeros_blank(stats):
    """Every 0 of table 三 printed blank."""
    copy = stats.model_copy(deep=True)
    for spec in layout.table3_rows():
        set_path(copy, spec.path, [None if v == 0 else v for v in get_path(copy, spec.path)])
    return copy


def _cells(row: list[str]) -> list[str]:
    return ["" if c == "None" else c for c in row]


def _page(lines: list[str]) -> str:
    out = [TITLE, PREAMBLE, "一、总体情况", *OVERVIEW, *lines, "五、存在的主要问题及改进情况", *PROBLEMS,
           "六、其他需要报告的事项", *OTHER]
    return "\n".join(out) + "\n"


def copied(stats, form: str) -> str:
    """Text copied from the web page of a report with these tables (forms tab, tab-missing, one-per-line)."""
    lines = []
    for row in flat_rows(stats):
        if len(row) == 1 and _SECTION.match(row[0]):
            lines.append(row[0])
            continue
        cells = _cells(row)
        if form == "tab":
            lines.append("\t".join(cells))
        elif form == "tab-missing":
            lines.append("\t".join(c for c in cells if c))
        else:
            lines += [c for c in cells if c]
    return _page(lines)


def _small_table(heading: str, headers: list[str], values: list[str], missing: bool) -> list[str]:
    if missing:
        values = [v for v in values if v]
        headers = headers[len(headers) - len(values):] if values else headers
    return ["", f"### {heading}", "", "| " + " | ".join(headers) + " |", "|" + "---|" * len(headers),
            "| " + " | ".join(values) + " |"]


def markdown_rows(stats, missing: bool = False) -> str:
    """PDF→Markdown with one small table per row (forms md-rows, md-rows-missing)."""
    lines = ["## 二、主动公开政府信息情况"]
    for row in table2_rows(stats):
        if len(row) >= 2 and row[0] != "信息内容":
            lines += _small_table(row[0], [f"数据{k + 1}" for k in range(len(row) - 1)], _cells(row[1:]), missing)
    lines += ["", "## 三、收到和处理政府信息公开申请情况"]
    for first, group, label, values in table3_rows(stats):
        heading = " ".join(x for x in (first, group, label) if x)
        shown = ["" if v is None else num(v) for v in values]
        lines += _small_table(heading, [f"数据{k + 1}" for k in range(6)] + ["总计"], shown, missing)
    lines += ["", "## 四、政府信息公开行政复议、行政诉讼情况"]
    lines += _small_table("行政复议、行政诉讼", [f"数据{k + 1}" for k in range(15)], appeal_values(stats), missing)
    return _page(lines)


def web_page(stats) -> str:
    """test_import's government web page (UTF-8) with an empty <td> for each blank cell."""
    import test_import

    real = test_import.num
    test_import.num = lambda value: "" if value is None else real(value)
    try:
        return test_import.html_page(stats).replace("charset=gbk", "charset=utf-8")
    finally:
        test_import.num = real


def form_text(stats, form: str) -> str:
    if form == "html":
        return web_page(stats)
    if form.startswith("md-rows"):
        return markdown_rows(stats, missing=form.endswith("missing"))
    return copied(stats, form)


def layout_text_with_blanks(text: str, zeros_only: bool) -> str:
    """`pdftotext -layout` text of a report whose table 三 prints its 法人 columns blank (or only their zeros):
    the numbers of those columns replaced by spaces, every other character where it was."""
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if "本年新收政府信息公开申请数量" in line)
    end = next(i for i, line in enumerate(lines) if "结转下年度继续办理" in line and i > start)
    for i in range(start, end + 1):
        numbers = list(re.finditer(r"(?<=\s)\d+(?=\s|$)", lines[i]))
        if len(numbers) != 7:
            continue
        chars = list(lines[i])
        for match in numbers[1:6]:
            if not zeros_only or match.group() == "0":
                chars[match.start():match.end()] = " " * (match.end() - match.start())
        lines[i] = "".join(chars)
    return "\n".join(lines)


# ---------- transforms of a report's text ----------

CHROME = ["— 3 —", "2025/3/28 10:15", f"{TITLE}_淮安市人民政府",
          "https://www.huaian.gov.cn/col/col7/art/2025/art_3a9c1f.html", "2/5", "第 2 页 共 5 页",
          "首页 > 政务公开 > 政府信息公开年报", "【字体：大 中 小】 打印本页 关闭窗口"]


def _before(text: str, anchor: str, insert: list[str]) -> str:
    """`insert` as lines before the first line holding `anchor`."""
    lines = text.split("\n")
    k = next(i for i, line in enumerate(lines) if anchor in line)
    return "\n".join(lines[:k] + insert + lines[k:])


def page_chrome(text: str, anchors: tuple[str, ...] = ("行政处罚", "1.本机关不掌握相关政府信息", "（七）总计")) -> str:
    """Page numbers, a browser's print header/footer and site navigation inside the tables."""
    for anchor in anchors:
        if anchor in text:
            text = _before(text, anchor, CHROME)
    return text


def browser_print(text: str, anchors: tuple[str, ...] = ("行政处罚", "（四）无法提供", "行政复议")) -> str:
    """A browser's print header (time, page title) and footer (address, page counter) on every page."""
    header = f"12/5/26, 7:30 PM\t{TITLE}_淮安市人民政府"
    pages = len([a for a in anchors if a in text]) + 1
    footer = "https://www.huaian.gov.cn/col/col7/art/2025/art_3a9c1f.html\t{}/" + str(pages)
    page = 1
    for anchor in anchors:
        if anchor in text:
            text = _before(text, anchor, [footer.format(page), header])
            page += 1
    return header + "\n" + text.rstrip("\n") + "\n" + footer.format(page) + "\n"


def split_pages(text: str, header: bool, anchor: str = "1.本机关不掌握相关政府信息") -> str:
    """Table 三 continued on the next page, its header repeated there or not."""
    tabbed = "\t" in text
    repeat = ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t申请人情况",
              "自然人\t法人或其他组织\t总计", "\t".join(APPLICANTS)] if header else []
    if not tabbed:
        repeat = [cell for line in repeat for cell in line.split("\t")]
    return _before(text, anchor, ["- 4 -", *repeat])


def traditional(text: str) -> str:
    import opencc

    return opencc.OpenCC("s2t").convert(text)


KANGXI = {"民": "⺠", "革": "⾰", "行": "⾏", "人": "⼈", "工": "⼯", "文": "⽂", "长": "⻓", "门": "⻔", "见": "⻅",
          "车": "⻋", "言": "⾔", "金": "⾦"}


def kangxi(text: str) -> str:
    """Radical forms (CJK Radicals Supplement) and Kangxi radicals where a PDF's font mapped glyphs to them."""
    return text.translate(str.maketrans(KANGXI))


def one_per_line(text: str) -> str:
    """A tab-separated copy as one cell per line, blank cells missing."""
    return "\n".join(cell for line in text.split("\n") for cell in (line.split("\t") if "\t" in line else [line])
                     if cell.strip() or "\t" not in line) + "\n"


TRANSFORMS = {
    "page-chrome": page_chrome,
    "browser-print": browser_print,
    "split-pages": lambda text: split_pages(text, header=True),
    "split-pages-no-header": lambda text: split_pages(text, header=False),
    "traditional": traditional,
    "kangxi": kangxi,
}


def file_name(form: str) -> str:
    return {"html": "report.html"}.get(form, "report.md" if form.startswith("md") else "report.txt")
