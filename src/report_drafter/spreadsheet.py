"""`<year>/stats.xlsx`: the official tables as an Excel/WPS workbook for data entry, and reading it back.

Labels are locked (the sheets are protected without a password), input cells are unlocked, and the
总计 cells are SUM formulas. Reading validates exactly as stats.yaml does, but problems name the
sheet cell (“stats.xlsx 表三!D12”). openpyxl does not compute formulas, so the reader uses the
values Excel or WPS cached when saving and computes the SUM formulas itself when there are none.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from . import layout
from .errors import InputError
from .findings import Finding
from .export.tables import Grid, table_grids
from .model import FORMATS, Stats, get_path, new_stats

SHAPE_YEAR = 2021            # any valid year: records built only for their shape
INFO_SHEET = "基本信息"
TOP = 3                      # sheet row of grid row 0: row 1 is the title, row 2 how to fill in
NOTE = "黄色单元格填写数字；灰色的总计单元格由公式自动计算；其余单元格已锁定（工作表保护，无密码）。"
INFO_NOTE = "黄色单元格填写（收费件数未统计的留空）；格式版本决定各表的格式，不可修改。填好后运行 drafter validate 读入。"
INFO_PATHS = (("agency",), ("year",), ("format",), ("processing_fees", "cases"), ("processing_fees", "amount_yuan"))
INPUT_FILL, TOTAL_FILL = "FFF2CC", "E7E6E6"
_INT = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?\d*\.\d+$")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
_SUM = re.compile(r"^=\s*SUM\((.+)\)\s*$", re.I)
_RANGE = re.compile(r"^\$?([A-Z]{1,2})\$?(\d+)(?::\$?([A-Z]{1,2})\$?(\d+))?$", re.I)


def column_letter(col: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def as_text(cell):
    """A cell of text stays text in Excel and WPS: typed as a string (never read as a formula), and when it starts
    like a formula (=, +, -, @, tab, line break) marked with the leading apostrophe, so editing it keeps it text.

    Every text cell the program writes goes through here: a file name or a title line may start with `=HYPERLINK(`.
    """
    if isinstance(cell.value, str):
        cell.data_type = "s"
        if cell.value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
    return cell


def text_cells(sheet, values: list) -> list:
    """A row for a write-only sheet: its text values as text cells (see `as_text`), other values as they are."""
    from openpyxl.cell import WriteOnlyCell

    return [as_text(WriteOnlyCell(sheet, value=v)) if isinstance(v, str) else v for v in values]


def _column_number(letters: str) -> int:
    number = 0
    for ch in letters.upper():
        number = number * 26 + ord(ch) - 64
    return number


def _info_label(path: tuple) -> str:
    if path[0] in layout.TOP_LEVEL:
        return layout.TOP_LEVEL[path[0]]
    return f"{layout.SECTION_LABELS['processing_fees']} {layout.describe(path)[2]}"


def _positions(stats: Stats) -> dict[tuple, tuple[str, int, int]]:
    """(sheet, row, column) of every stats path in the workbook of `stats`."""
    cells = {path: (INFO_SHEET, TOP + i, 2) for i, path in enumerate(INFO_PATHS)}
    for grid in table_grids(stats).values():
        cells |= {cell.path: (grid.name, cell.row + TOP, cell.col + 1) for cell in grid.numbers()}
    return cells


def cell_refs(stats: Stats) -> dict[tuple, str]:
    """Sheet cell (“表三!D12”) of every stats path in the workbook of `stats`."""
    return {path: f"{sheet}!{column_letter(col)}{row}" for path, (sheet, row, col) in _positions(stats).items()}


def locate(problems: list[Finding], refs: dict[tuple, str], display: str) -> list[Finding]:
    """Point problems at workbook cells: file becomes “2024/stats.xlsx 表三!D12”, no line."""
    for problem in problems:
        ref = refs.get(problem.path) or next(
            (r for p, r in refs.items() if problem.path and p[: len(problem.path)] == problem.path), None)
        problem.file = f"{display} {ref}" if ref else display
        problem.line = None
    return problems


# ---------- writing ----------

def write_xlsx(stats: Stats) -> bytes:
    """The workbook of `stats`: 基本信息, 表二, 表三, 表四 in the official layout."""
    from openpyxl import Workbook

    book = Workbook()
    _write_info(book.active, stats)
    for grid in table_grids(stats).values():
        _write_grid(book.create_sheet(grid.name), grid)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _styles():
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

    side = Side(style="thin")
    return {
        "border": Border(left=side, right=side, top=side, bottom=side),
        "font": Font(name="宋体", size=11),
        "title": Font(name="黑体", size=14),
        "center": Alignment(horizontal="center", vertical="center", wrap_text=True),
        "left": Alignment(horizontal="left", vertical="center", wrap_text=True),
        "input": PatternFill("solid", fgColor=INPUT_FILL),
        "total": PatternFill("solid", fgColor=TOTAL_FILL),
        "unlocked": Protection(locked=False),
    }


def _protect(sheet) -> None:
    """Protect without a password; column widths and row heights stay adjustable. Prints on one A4 width."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False


def _validations(sheet) -> dict[str, object]:
    """Entry checks Excel and WPS enforce while typing: counts, signed changes, amounts."""
    from openpyxl.worksheet.datavalidation import DataValidation

    rules = {
        "count": DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", error="请填写非负整数"),
        "signed": DataValidation(type="whole", operator="between", formula1="-999999999", formula2="999999999",
                                 error="请填写整数（减少填负数）"),
        "money": DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", error="请填写非负数（可带小数）"),
    }
    for rule in rules.values():
        rule.allow_blank, rule.showErrorMessage, rule.errorTitle = True, True, "填写有误"
        sheet.add_data_validation(rule)
    return rules


def _value_kind(path: tuple) -> str:
    from .statsfile import MONEY_PATHS

    return "money" if path in MONEY_PATHS else "signed" if path[-1] == "change" else "count"


def _heading(sheet, styles: dict, text: str, row: int, width: int, font) -> None:
    cell = as_text(sheet.cell(row, 1, text))
    cell.font, cell.alignment = font, styles["left"]
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)


def _write_info(sheet, stats: Stats) -> None:
    styles = _styles()
    sheet.title = INFO_SHEET
    _heading(sheet, styles, "政府信息公开工作年度报告 统计数据", 1, 2, styles["title"])
    _heading(sheet, styles, INFO_NOTE, 2, 2, styles["font"])
    rules = _validations(sheet)
    for i, path in enumerate(INFO_PATHS):
        label = as_text(sheet.cell(TOP + i, 1, _info_label(path)))
        value = as_text(sheet.cell(TOP + i, 2, get_path(stats, path)))
        for cell in (label, value):
            cell.font, cell.border, cell.alignment = styles["font"], styles["border"], styles["left"]
        if path != ("format",):
            value.fill, value.protection = styles["input"], styles["unlocked"]
        if path[0] == "processing_fees":
            rules[_value_kind(path)].add(value.coordinate)
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 40
    _protect(sheet)


def _write_grid(sheet, grid: Grid) -> None:
    """One table: merged labels (locked), input cells (unlocked), 总计 as SUM formulas (locked)."""
    styles = _styles()
    _heading(sheet, styles, layout.SECTION_LABELS[grid.key], 1, grid.n_cols, styles["title"])
    _heading(sheet, styles, NOTE, 2, grid.n_cols, styles["font"])
    rules = _validations(sheet)
    for spec in grid.cells:
        row, col = spec.row + TOP, spec.col + 1
        cell = sheet.cell(row, col)
        cell.font, cell.border = styles["font"], styles["border"]
        cell.alignment = styles["left"] if spec.kind == "label" else styles["center"]
        if spec.kind == "total":
            (r0, c0), (r1, c1) = spec.sums
            cell.value = f"=SUM({column_letter(c0 + 1)}{r0 + TOP}:{column_letter(c1 + 1)}{r1 + TOP})"
            cell.fill = styles["total"]
        elif spec.kind == "value":
            cell.value = spec.value
            cell.fill, cell.protection = styles["input"], styles["unlocked"]
            rules[_value_kind(spec.path)].add(cell.coordinate)
        else:
            cell.value = spec.text
            as_text(cell)
        if spec.rows > 1 or spec.cols > 1:
            sheet.merge_cells(start_row=row, start_column=col, end_row=row + spec.rows - 1, end_column=col + spec.cols - 1)
    for i, width in enumerate(grid.widths):
        sheet.column_dimensions[column_letter(i + 1)].width = max(8, round(width / 90))
    _fit_rows(sheet, grid)
    sheet.freeze_panes = sheet.cell(TOP + grid.header_rows, 1)
    _protect(sheet)


def _fit_rows(sheet, grid: Grid) -> None:
    """Row heights for wrapped one-row labels (Excel does not grow rows of files it did not write)."""
    for spec in grid.cells:
        if spec.rows == 1 and not spec.is_number:
            width = sum(max(8, round(w / 90)) for w in grid.widths[spec.col:spec.col + spec.cols])
            lines = -(-len(spec.text) * 2 // width)
            dimension = sheet.row_dimensions[spec.row + TOP]
            dimension.height = max(dimension.height or 15, 15 * lines)


# ---------- reading ----------

@dataclass
class _Book:
    """A workbook opened twice: formulas as written, values as Excel/WPS cached them."""

    formulas: object
    cached: object

    def raw(self, sheet: str, row: int, col: int) -> object:
        return self.formulas[sheet].cell(row, col).value

    def is_formula(self, sheet: str, row: int, col: int) -> bool:
        """Whether a cell holds a formula (text that only starts with “=” is text)."""
        return self.formulas[sheet].cell(row, col).data_type == "f"

    def value(self, sheet: str, row: int, col: int, depth: int = 0) -> object:
        """A cell's value: typed value, else the cached result of its formula, else the SUM computed here."""
        raw = self.raw(sheet, row, col)
        if not self.is_formula(sheet, row, col):
            return _convert(raw)
        cached = self.cached[sheet].cell(row, col).value
        if cached is not None:
            return _convert(cached)
        return self._sum(sheet, raw, depth) if depth < 10 else Formula(raw)

    def _sum(self, sheet: str, formula: str, depth: int) -> object:
        """SUM of cells and ranges (text and blanks ignored, as in Excel); the formula itself if unsupported."""
        match = _SUM.match(formula)
        parts = [_RANGE.match(p.strip()) for p in match.group(1).split(",")] if match else [None]
        if not all(parts):
            return Formula(formula)
        total = 0
        for part in parts:
            c0, r0 = _column_number(part.group(1)), int(part.group(2))
            c1, r1 = (_column_number(part.group(3)), int(part.group(4))) if part.group(3) else (c0, r0)
            for row in range(r0, r1 + 1):
                for col in range(c0, c1 + 1):
                    value = self.value(sheet, row, col, depth + 1)
                    if _is_formula(value):
                        return Formula(formula)
                    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
                        total += value
        return total


def _convert(raw: object) -> object:
    """A cell value as stats.yaml would hold it: int or Decimal, text stripped, blank None (never float)."""
    if isinstance(raw, float):
        return int(raw) if raw.is_integer() else Decimal(repr(raw))
    if isinstance(raw, str):
        text = raw.strip()
        if _INT.match(text):
            return int(text)
        if _DECIMAL.match(text):
            return Decimal(text)
        return text or None
    if raw is None or isinstance(raw, (int, Decimal)):
        return raw
    return str(raw)


def _put(data: dict, path: tuple, value: object) -> None:
    """Set `value` at `path` in nested dicts and 7-item lists."""
    node = data
    for part, following in zip(path, path[1:]):
        default = [None] * len(layout.APPLICANT_COLUMNS) if isinstance(following, int) else {}
        node = node.setdefault(part, default) if isinstance(node, dict) else node[part]
    node[path[-1]] = value


def _open(path: Path, display: str) -> _Book:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    from .limits import check_archive

    if path.is_file():
        check_archive(path, display, "Excel 文件")
    try:
        return _Book(load_workbook(path), load_workbook(path, data_only=True))
    except FileNotFoundError:
        raise InputError(f"找不到 {display}。") from None
    except (OSError, zipfile.BadZipFile, InvalidFileException, KeyError, ValueError):
        raise InputError(f"{display}：不是可读取的 Excel 文件（文件可能已损坏，或不是 .xlsx）。请用 Excel 或 WPS 另存为 .xlsx 后重试。") from None


def _matches(book: _Book, grid: Grid) -> bool:
    """Whether a sheet's labels are those of `grid` (the official layout, 2021 or 2019)."""
    sheet = book.formulas[grid.name]
    return all(sheet.cell(c.row + TOP, c.col + 1).value == c.text for c in grid.cells if not c.is_number)


def _layout(book: _Book, fmt: str, display: str) -> Stats:
    """An empty record with the workbook's shape (format, one-row or three-row （六）其他处理)."""
    names = set(book.formulas.sheetnames)
    for single in (False, True):
        shape = new_stats(SHAPE_YEAR, "", fmt)
        if single:
            shape.requests.outcomes.other = [0] * len(layout.APPLICANT_COLUMNS)
        grids = table_grids(shape).values()
        if all(g.name in names for g in grids) and all(_matches(book, g) for g in grids):
            return shape
    raise InputError(f"{display}：工作表与 {fmt} 年格式的官方表格不一致。请用 drafter init --xlsx 生成的文件填写。")


class Formula(str):
    """A formula this reader could not compute (text cells are plain str)."""


def _is_formula(value: object) -> bool:
    return isinstance(value, Formula)


def _collect(book: _Book, shape: Stats) -> tuple[dict, set[tuple], list[Finding]]:
    """stats.yaml-shaped data of the workbook, the paths of formula cells, and formulas that could not be computed."""
    data: dict = {}
    formulas, unsupported = set(), []
    for path, (sheet, row, col) in _positions(shape).items():
        value = book.value(sheet, row, col)
        if book.is_formula(sheet, row, col):
            formulas.add(path)
        if _is_formula(value):
            unsupported.append(Finding(severity="error", message=f"公式“{value}”无法计算（只支持 SUM）。请用 Excel 或 WPS 打开、保存后再读入",
                                       path=path, found=str(value)))
        _put(data, path, "" if path == ("agency",) and value is None else value)
    return data, formulas, unsupported


def read_xlsx(path: Path, display: str | None = None) -> tuple[Stats | None, list[Finding]]:
    """Statistics from a workbook written by `write_xlsx` (and filled in Excel or WPS).

    Validation and messages are those of stats.yaml; problems name the sheet cell. `None` when there are errors.
    """
    from .statsfile import read_data

    display = display or path.name
    book = _open(path, display)
    if INFO_SHEET not in book.formulas.sheetnames:
        raise InputError(f"{display}：缺少工作表“{INFO_SHEET}”。请用 drafter init --xlsx 生成的文件填写。")
    fmt = str(book.raw(INFO_SHEET, TOP + INFO_PATHS.index(("format",)), 2) or "")
    if fmt not in FORMATS:
        problem = Finding(severity="error", message=f"格式版本应为 \"2021\" 或 \"2019\"，填写为“{fmt}”", path=("format",),
                          found=fmt)
        return None, locate([problem], cell_refs(new_stats(SHAPE_YEAR)), display)
    shape = _layout(book, fmt, display)
    data, formulas, unsupported = _collect(book, shape)
    doc = read_data(data, display)
    reported = {p.path for p in unsupported}
    problems = unsupported + [p for p in doc.problems if p.path not in reported]
    if any(p.path not in formulas for p in problems):
        # a total computed from a wrong cell is wrong too: name only the cells the user typed
        problems = [p for p in problems if p.path not in formulas]
    refs = cell_refs(shape)
    order = {path: i for i, path in enumerate(refs)}
    problems.sort(key=lambda p: order.get(p.path, -1))   # sheet by sheet, row by row
    return doc.stats, locate(problems, refs, display)


# ---------- workbooks of drafter init --xlsx ----------

def is_stats_workbook(path: Path) -> bool:
    """Whether `path` is a workbook of `drafter init --xlsx` (it has the 基本信息 sheet), without opening it fully."""
    try:
        with zipfile.ZipFile(path) as archive:
            return f'name="{INFO_SHEET}"' in archive.read("xl/workbook.xml").decode("utf-8", "replace")
    except (OSError, zipfile.BadZipFile, KeyError):
        return False
