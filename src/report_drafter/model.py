"""Pydantic models of the official statistics tables (2021 format and the 2019 trial format).

Keys are the stable English keys of stats.yaml; Chinese labels live in `layout`.
Counts are non-negative ints, money is Decimal, never float. Every table cell may be None:
the published table printed it blank (“”, “/”, “—”) or it could not be read. The rules skip
comparisons that involve a None cell.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field

Count = Annotated[int, Field(ge=0, strict=True)]
SignedCount = Annotated[int, Field(strict=True)]
Money = Annotated[Decimal, Field(ge=0)]
# table cells: None = printed blank or not readable
CountCell = Optional[Count]
SignedCell = Optional[SignedCount]
MoneyCell = Optional[Money]
# Table 三 rows: [自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计]
Row = Annotated[list[CountCell], Field(min_length=7, max_length=7)]

APPLICANT_COLUMNS = 7
TOTAL_COLUMN = 6


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


# ---- table 二 (2021) ----
class Documents(Strict):
    issued: CountCell = 0       # 本年制发件数
    repealed: CountCell = 0     # 本年废止件数
    in_force: CountCell = 0     # 现行有效件数


class Active2021(Strict):
    rules: Documents = Field(default_factory=Documents)
    normative_documents: Documents = Field(default_factory=Documents)
    licensing: CountCell = 0
    punishment: CountCell = 0
    coercion: CountCell = 0
    fees: MoneyCell = Decimal(0)  # 万元


# ---- table 二 (2019 trial format) ----
class Documents2019(Strict):
    made: CountCell = 0         # 本年新制作数量
    published: CountCell = 0    # 本年新公开数量
    total: CountCell = 0        # 对外公开总数量


class Items2019(Strict):
    previous: CountCell = 0     # 上一年项目数量
    change: SignedCell = 0  # 本年增/减
    decisions: CountCell = 0    # 处理决定数量


class Fees2019(Strict):
    previous: CountCell = 0     # 上一年项目数量
    change: SignedCell = 0  # 本年增/减


class Procurement2019(Strict):
    projects: CountCell = 0     # 采购项目数量
    amount: MoneyCell = Decimal(0)  # 采购总金额（万元）


class Active2019(Strict):
    rules: Documents2019 = Field(default_factory=Documents2019)
    normative_documents: Documents2019 = Field(default_factory=Documents2019)
    licensing: Items2019 = Field(default_factory=Items2019)
    other_services: Items2019 = Field(default_factory=Items2019)
    punishment: Items2019 = Field(default_factory=Items2019)
    coercion: Items2019 = Field(default_factory=Items2019)
    fees: Fees2019 = Field(default_factory=Fees2019)
    procurement: Procurement2019 = Field(default_factory=Procurement2019)


# ---- table 三 ----
def _zero_row() -> list[int]:
    return [0] * APPLICANT_COLUMNS


def _row() -> Row:
    return Field(default_factory=_zero_row)


class Withheld(Strict):
    state_secret: Row = _row()
    prohibited_by_law: Row = _row()
    security_stability: Row = _row()
    third_party_rights: Row = _row()
    internal_affairs: Row = _row()
    process_information: Row = _row()
    enforcement_files: Row = _row()
    query_matters: Row = _row()


class Unavailable(Strict):
    not_held: Row = _row()
    needs_creation: Row = _row()
    still_unclear: Row = _row()


class NotProcessed(Strict):
    petitions: Row = _row()
    repeated: Row = _row()
    publications: Row = _row()
    excessive: Row = _row()
    confirmations: Row = _row()


class OtherHandling(Strict):
    no_correction: Row = _row()
    fee_unpaid: Row = _row()
    other: Row = _row()


class Outcomes(Strict):
    disclosed: Row = _row()
    partly_disclosed: Row = _row()
    withheld: Withheld = Field(default_factory=Withheld)
    unavailable: Unavailable = Field(default_factory=Unavailable)
    not_processed: NotProcessed = Field(default_factory=NotProcessed)
    # 2019 format (and some later reports): a single row; 2021 format: three rows
    other: Union[OtherHandling, Row] = Field(default_factory=OtherHandling)
    total: Row = _row()


class Requests(Strict):
    new: Row = _row()
    carried_over: Row = _row()
    outcomes: Outcomes = Field(default_factory=Outcomes)
    carried_forward: Row = _row()


# ---- table 四 ----
class AppealGroup(Strict):
    upheld: CountCell = 0    # 结果维持
    corrected: CountCell = 0  # 结果纠正
    other: CountCell = 0     # 其他结果
    pending: CountCell = 0   # 尚未审结
    total: CountCell = 0     # 总计


class Appeals(Strict):
    review: AppealGroup = Field(default_factory=AppealGroup)
    litigation_direct: AppealGroup = Field(default_factory=AppealGroup)
    litigation_after_review: AppealGroup = Field(default_factory=AppealGroup)


class ProcessingFees(Strict):
    cases: Count | None = None
    amount_yuan: Money = Decimal(0)


class _StatsBase(Strict):
    agency: str = ""
    year: Annotated[int, Field(ge=2008, le=2100, strict=True)]
    requests: Requests = Field(default_factory=Requests)
    appeals: Appeals = Field(default_factory=Appeals)
    processing_fees: ProcessingFees = Field(default_factory=ProcessingFees)


class Stats2021(_StatsBase):
    format: Literal["2021"] = "2021"
    active: Active2021 = Field(default_factory=Active2021)


class Stats2019(_StatsBase):
    format: Literal["2019"] = "2019"
    active: Active2019 = Field(default_factory=Active2019)
    requests: Requests = Field(default_factory=lambda: Requests(outcomes=Outcomes(other=_zero_row())))


Stats = Stats2021 | Stats2019
FORMATS: dict[str, type[Stats2021] | type[Stats2019]] = {"2021": Stats2021, "2019": Stats2019}


def new_stats(year: int, agency: str = "", format: str = "2021") -> Stats:
    """An all-zero statistics record."""
    return FORMATS[format](year=year, agency=agency)


def get_path(obj: object, path: tuple) -> object:
    """Follow a key path (attribute names and list indexes) into a model."""
    for part in path:
        obj = obj[part] if isinstance(part, int) else getattr(obj, part)
    return obj


def set_path(obj: object, path: tuple, value: object) -> None:
    """Set the value at a key path (as `get_path` follows it) in a model."""
    parent = get_path(obj, path[:-1])
    if isinstance(path[-1], int):
        parent[path[-1]] = value
    else:
        setattr(parent, path[-1], value)


TABLES = ("active", "requests", "appeals")


def table_cells(stats: Stats, tables: tuple[str, ...] = TABLES) -> list[tuple[tuple, object]]:
    """(path, value) of every cell of tables 二, 三 and 四 (or of `tables`), in printed order."""
    found: list[tuple[tuple, object]] = []

    def walk(node: object, path: tuple) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, (*path, key))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, (*path, index))
        else:
            found.append((path, node))

    data = stats.model_dump(include=set(tables))
    for table in tables:
        walk(data[table], (table,))
    return found


def blank_cells(stats: Stats) -> list[tuple]:
    """Paths of the table cells left blank (None) in tables 二, 三 and 四."""
    return [path for path, value in table_cells(stats) if value is None]
