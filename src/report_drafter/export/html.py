"""The report as one self-contained web page: inline CSS, tables with rowspan/colspan, readable on a phone."""

from __future__ import annotations

from html import escape

from ..model import Stats
from .blocks import Block, report_blocks
from .tables import BALANCE_NOTE, Cell, Grid, table_grids

CSS = """
body { margin: 0; background: #f4f4f4; color: #111; }
main { max-width: 46rem; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; background: #fff;
  font: 1.0625rem/1.9 "仿宋_GB2312", "FangSong_GB2312", "FangSong", "STFangsong", "仿宋", serif; }
h1 { font: 700 1.6rem/1.5 "方正小标宋简体", "FZXiaoBiaoSong-B05S", "STSong", "SimSun", serif; text-align: center;
  margin: 1rem 0 1.5rem; }
h2 { font: 400 1.0625rem/1.9 "黑体", "SimHei", "STHeiti", sans-serif; margin: 0; text-indent: 2em; }
h3, .lead { font-family: "楷体_GB2312", "KaiTi_GB2312", "KaiTi", "STKaiti", "楷体", serif; }
h3 { font-size: inherit; font-weight: 400; margin: 0; text-indent: 2em; }
p { margin: 0; text-indent: 2em; text-align: justify; }
p.signature { text-align: right; text-indent: 0; padding-right: 4em; }
p.signature:first-of-type, h2 ~ p:not(.signature) + p.signature { margin-top: 2em; }
.table { overflow-x: auto; -webkit-overflow-scrolling: touch; margin: .5rem 0 1rem; }
table { border-collapse: collapse; width: 100%; font-size: .875rem; line-height: 1.4; }
th, td { border: 1px solid #333; padding: .2rem .35rem; vertical-align: middle; }
th { font-weight: 400; text-align: center; }
td { text-align: center; white-space: nowrap; }
th.label { text-align: left; }
th.note { font-family: "楷体_GB2312", "KaiTi", "STKaiti", serif; min-width: 12em; }
table.requests { min-width: 40rem; }
table.appeals { min-width: 44rem; }
@media (max-width: 30rem) { main { padding: 1rem .75rem 2rem; } h1 { font-size: 1.35rem; } }
@media print { body { background: #fff; } main { max-width: none; } .table { overflow: visible; } }
"""


def render_html(text: str, stats: Stats) -> str:
    """An HTML page of the draft `text`; tables 二–四 are drawn from `stats`, not from the Markdown."""
    title, blocks = report_blocks(text)
    grids = table_grids(stats)
    body = "\n".join(_block(block, grids) for block in blocks)
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n"
        f"<h1>{escape(title)}</h1>\n{body}\n</main>\n</body>\n</html>\n"
    )


def _block(block: Block, grids: dict[str, Grid]) -> str:
    if block.kind == "table":
        return _table(grids[block.text])
    if block.kind == "heading":
        return f"<h2>{escape(block.text)}</h2>"
    if block.kind == "subheading":
        return f"<h3>{escape(block.text)}</h3>"
    if block.kind == "signature":
        return f'<p class="signature">{escape(block.text)}</p>'
    lead = f'<span class="lead">{escape(block.lead)}</span>' if block.lead else ""
    return f"<p>{lead}{escape(block.rest)}</p>"


def _cell(cell: Cell) -> str:
    spans = (f' rowspan="{cell.rows}"' if cell.rows > 1 else "") + (f' colspan="{cell.cols}"' if cell.cols > 1 else "")
    text = "<br>".join(escape(line) for line in cell.lines)
    if cell.is_number:
        return f"<td{spans}>{text}</td>"
    css = "note" if cell.text == BALANCE_NOTE else cell.kind
    scope = ' scope="row"' if cell.kind == "label" else ""
    return f'<th class="{css}"{scope}{spans}>{text}</th>'


def _table(grid: Grid) -> str:
    rows = "\n".join(f"<tr>{''.join(_cell(c) for c in row)}</tr>" for row in grid.rows())
    return (f'<div class="table"><table class="{grid.key}" aria-label="{escape(grid.name)}">\n'
            f"{rows}\n</table></div>")
