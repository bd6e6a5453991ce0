"""Web pages: the report's text and its tables (BeautifulSoup, imported on first use)."""

from __future__ import annotations

import re

from ..errors import InputError
from ..limits import MAX_HTML_DEPTH
from .lines import PAGE_NUMBER, Cell, Line, Source


_BLOCK_TAGS = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section", "article", "header",
    "footer", "blockquote", "pre", "dd", "dt", "dl", "center", "form", "main", "nav", "aside", "figure",
    "figcaption", "address", "hr", "body", "html", "tr", "td", "th", "tbody", "thead", "tfoot", "caption",
}
_SKIP_TAGS = {"script", "style", "noscript", "template", "head", "iframe", "svg", "button", "select", "option",
              "textarea", "input", "object", "map"}


def decode_markup(data: bytes) -> str:
    """The page's text in the encoding it declares (or the one its bytes show)."""
    from bs4 import UnicodeDammit

    markup = UnicodeDammit(data, is_html=True).unicode_markup
    return markup if markup is not None else data.decode("utf-8", "replace")


def read_html(data: bytes | str, name: str) -> Source:
    """An HTML page: paragraphs as lines; each data table row as a line of its cells (spanned cells once)."""
    from bs4 import BeautifulSoup
    from bs4.element import Comment, NavigableString, Tag

    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    depth = tag_depth(raw, MAX_HTML_DEPTH)           # (a page nested past the limit is not even parsed)
    if depth <= MAX_HTML_DEPTH:
        soup = BeautifulSoup(data, "html.parser")
        depth = nesting_depth(soup, Tag, MAX_HTML_DEPTH)
    if depth > MAX_HTML_DEPTH:
        raise InputError(f"{name} 中的网页元素嵌套超过 {MAX_HTML_DEPTH} 层（正常网页只有几十层），未读取："
                         "文件可能已损坏或被恶意构造。请在浏览器中打开后复制正文，另存为文本文件再试。")
    lines: list[Line] = []
    buffer: list[str] = []

    def flush() -> None:
        text = re.sub(r"\s+", " ", "".join(buffer)).strip()
        buffer.clear()
        if text and not PAGE_NUMBER.match(text):
            lines.append(Line([Cell(text)]))

    def cell_text(cell: Tag) -> str:
        return re.sub(r"\s+", " ", " ".join(cell.stripped_strings)).strip()

    content = _content_element(soup)
    content_end: list[int] = []

    # the tree walked with a stack of things to do, not by recursion: how deep a page nests costs no stack
    FLUSH, CONTENT_END = object(), object()
    todo: list = [soup]

    def enter(node: Tag, block: bool = False, after=None) -> None:
        """Queue `node`'s children (first child on top), with a flush around a block and `after` once it ends."""
        todo.extend(x for x in (after, FLUSH if block else None) if x is not None)
        todo.extend(reversed(list(node.children)))
        if block:
            todo.append(FLUSH)

    todo.pop()
    enter(soup)
    while todo:
        child = todo.pop()
        if child is FLUSH:
            flush()
            continue
        if child is CONTENT_END:
            content_end.append(len(lines))
            continue
        if child is content:
            enter(child, block=True, after=CONTENT_END)
            continue
        if isinstance(child, Comment):
            continue
        if isinstance(child, NavigableString):
            if type(child) is NavigableString:
                buffer.append(str(child))
            continue
        if not isinstance(child, Tag):
            continue
        tag = child.name
        if tag in _SKIP_TAGS:
            continue
        if tag == "br":
            flush()
        elif tag == "table" and child.find("table") is None:
            flush()
            for row in child.find_all("tr"):
                cells = [Cell(cell_text(c)) for c in row.find_all(["td", "th"], recursive=False)]
                if cells:
                    lines.append(Line(cells))
        else:
            enter(child, block=tag in _BLOCK_TAGS or tag == "table")
    flush()
    if content_end:
        del lines[content_end[0]:]   # page footer after the article
    if not lines:
        raise InputError(f"{name} 中没有文字内容。")
    hint = ""
    for element in soup.find_all(["h1", "h2", "h3"]) + soup.find_all(class_=re.compile("title", re.I)):
        text = re.sub(r"\s+", "", element.get_text(""))
        if re.search(r"(19|20)\d{2}", text) and "报告" in text and len(text) <= 70:
            hint = text
            break
    return Source(name, "html", lines, title_hint=hint)


_TAG = re.compile(rb"<(/?)([A-Za-z][A-Za-z0-9:-]*)[^<>]*?(/?)>")
_VOID = {b"area", b"base", b"br", b"col", b"embed", b"hr", b"img", b"input", b"link", b"meta", b"param", b"source",
         b"track", b"wbr", b"keygen"}


def tag_depth(data: bytes, stop: int) -> int:
    """How deeply the page's tags nest as html.parser builds the tree (an end tag closes up to its start tag;
    one with no start tag is ignored), read from the bytes in one pass; counting ends once past `stop`."""
    stack: list[bytes] = []
    opened: dict[bytes, int] = {}
    deepest = 0
    for match in _TAG.finditer(data):
        name = match.group(2).lower()
        if match.group(1):
            if opened.get(name):
                while stack:
                    top = stack.pop()
                    opened[top] -= 1
                    if top == name:
                        break
        elif not match.group(3) and name not in _VOID:
            stack.append(name)
            opened[name] = opened.get(name, 0) + 1
            deepest = max(deepest, len(stack))
            if deepest > stop:
                break
    return deepest


def nesting_depth(root, tag_type, stop: int) -> int:
    """How deeply elements nest under `root` (counted without recursion; counting ends once past `stop`)."""
    deepest = 0
    stack = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > deepest:
            deepest = depth
            if deepest > stop:
                break
        stack.extend((child, depth + 1) for child in node.contents if isinstance(child, tag_type))
    return deepest


def _content_element(soup):
    """The innermost element holding the report's tables and its last sections (None: the whole page)."""
    heading = re.compile(r"^[一二三四五六][、.．](总体情况|主动公开|收到和处理|.{0,12}行政复议|.{0,8}存在|其他需要报告)")
    headings, last = [], []
    for element in soup.find_all(["p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "span", "strong", "b"]):
        text = re.sub(r"\s+", "", element.get_text(""))
        if len(text) <= 40 and heading.match(text):
            headings.append(element)
            if text[0] in "五六":
                last.append(element)
    if not last:
        return None          # without the closing sections, keep the whole page rather than cut prose
    nodes = soup.find_all("table") + headings
    chains = [list(reversed(list(node.parents))) + [node] for node in nodes]
    common = None
    for level in zip(*chains):
        if all(n is level[0] for n in level):
            common = level[0]
        else:
            break
    if common is None or common.name in (None, "[document]", "html", "body"):
        return None
    return common


