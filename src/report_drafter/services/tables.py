"""Use cases on a year's statistics tables: set up a year, validate it, read a filled-in workbook."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..findings import errors, Finding
from ..model import FORMATS, Stats, new_stats
from ..notes import notes_skeleton
from ..rules import check_stats
from ..workspace import CONFIG_NAME, Workspace, config_skeleton


@dataclass
class Validation:
    """A year's tables checked: the model (None when unreadable) and every problem, file and line filled in."""

    file: str                                   # what the problems refer to (stats.yaml, or the workbook read)
    stats: Stats | None
    problems: list[Finding]
    workbook: "WorkbookRead | None" = None      # when a newer stats.xlsx was read first

    @property
    def valid(self) -> bool:
        """Whether the tables pass: a note never makes them fail (see `note_errors`)."""
        return not errors([p for p in self.problems if p.kind != "note"])

    @property
    def note_errors(self) -> list[Finding]:
        """Notes that state a quantity of the tables differently: they stop drafting, not the tables."""
        return [p for p in errors(self.problems) if p.kind == "note"]


@dataclass
class WorkbookRead:
    """The outcome of reading a workbook into stats.yaml."""

    source: str                 # the workbook as shown to the user
    stats: Stats | None
    problems: list[Finding] = field(default_factory=list)
    target: Path | None = None  # the stats.yaml written (None when the workbook has errors)
    changed: bool = False
    target_shown: str = ""      # the stats.yaml as shown to the user


@dataclass
class YearStarted:
    """A new year set up: the files (path, created) and the cells carried over from last year."""

    files: list[tuple[Path, bool]]
    carried: list = field(default_factory=list)     # carryover.Carried, when stats.yaml was created from last year
    agency_from: str = ""                           # where the agency name came from, when not given


def init_year(root: Path, year: int, agency: str | None, format: str = "2021",
              xlsx: bool = False) -> list[tuple[Path, bool]]:
    """Create drafter.toml, `<year>/stats.yaml`, `<year>/notes.md` (and stats.xlsx) where missing; never overwrite."""
    return start_year(root, year, agency, format, xlsx).files


def start_year(root: Path, year: int, agency: str | None, format: str = "2021", xlsx: bool = False) -> YearStarted:
    """As `init_year`, with last year's 结转下年度 and 现行有效件数 (and its agency) carried into the new stats.yaml."""
    from ..statswriter import render_stats
    from .carryover import carry_over

    if format not in FORMATS:
        raise InputError(f"表格格式应为 2021 或 2019，收到“{format}”。")
    root.mkdir(parents=True, exist_ok=True)
    workspace = Workspace.open(root)
    prior = workspace.prior_stats(year)
    started = YearStarted([])
    if not agency and workspace.agency:
        agency = workspace.agency
    elif not agency and prior is not None and prior.agency:
        agency, started.agency_from = prior.agency, f"{year - 1}/stats.yaml"

    def stats_text() -> str:
        stats = new_stats(year, agency or "", format)
        if prior is not None:
            started.carried = carry_over(stats, prior)
        return render_stats(stats)

    files = {
        root / CONFIG_NAME: lambda: config_skeleton(agency or ""),
        workspace.stats_path(year): stats_text,
        workspace.notes_path(year): lambda: notes_skeleton(year, agency),
    }
    with workspace.lock():
        for path, content in files.items():
            if path.exists():
                started.files.append((path, False))
                continue
            workspace.write(path, content())
            started.files.append((path, True))
        if xlsx:
            started.files.append(init_workbook(workspace, year))
    return started


def init_workbook(workspace: Workspace, year: int) -> tuple[Path, bool]:
    """Write `<year>/stats.xlsx` from stats.yaml unless it exists; (path, created)."""
    from ..spreadsheet import write_xlsx

    path = workspace.xlsx_path(year)
    if path.exists():
        return path, False
    doc = workspace.load_stats(year)
    if doc.stats is None:
        raise InputError(f"{doc.file} 有错误，未生成 {workspace.display(path)}。请先运行 drafter validate --year {year} 并修改。")
    workspace.write_bytes(path, write_xlsx(doc.stats))
    return path, True


def newer_workbook(workspace: Workspace, year: int) -> Path | None:
    """`<year>/stats.xlsx` when it exists and was saved after stats.yaml (or stats.yaml is missing)."""
    xlsx, yaml = workspace.xlsx_path(year), workspace.stats_path(year)
    if not xlsx.exists():
        return None
    return xlsx if not yaml.exists() or xlsx.stat().st_mtime_ns > yaml.stat().st_mtime_ns else None


def read_workbook(workspace: Workspace, xlsx: Path, year: int | None = None) -> WorkbookRead:
    """Read a workbook into `<year>/stats.yaml` (comments and layout kept); nothing is written when it has errors."""
    from ..spreadsheet import read_xlsx

    shown = workspace.display(xlsx)
    stats, problems = read_xlsx(xlsx, shown)
    if stats is None:
        return WorkbookRead(shown, None, problems)
    target = workspace.stats_path(year or stats.year)
    with workspace.lock():
        previous = workspace.read(target) if target.exists() else None
        from ..statswriter import dump_stats

        changed = workspace.write(target, dump_stats(stats, previous))
    read_at = xlsx.stat().st_mtime_ns
    if target.stat().st_mtime_ns < read_at:   # stats.yaml is now up to date with the workbook
        os.utime(target, ns=(read_at, read_at))
    return WorkbookRead(shown, stats, problems, target, changed, workspace.display(target))


def check_year(workspace: Workspace, year: int) -> tuple[Stats | None, list[Finding]]:
    """Load and check a year's tables, with last year's tables for the cross-year rules."""
    doc = workspace.load_stats(year)
    stats, problems = doc.stats, list(doc.problems)
    if stats is None:
        return None, problems
    if stats.year != year:
        problems.append(Finding(severity="warning", message=f"文件中的年度为 {stats.year}，与目录 {year} 不一致", path=("year",),
                                expected=str(year), found=str(stats.year)))
    problems += check_stats(stats, workspace.prior_stats(year))
    return stats, doc.locate(problems)


def validate_year(workspace: Workspace, year: int, workbook: bool = False, notes: bool = False) -> Validation:
    """Check a year's tables; with `workbook`, a stats.xlsx saved after stats.yaml is read into it first.

    With `notes`, the year's notes.md is checked against the tables too: a note may add what the
    tables do not hold, never state a table's quantity differently.
    """
    xlsx = newer_workbook(workspace, year) if workbook else None
    read = read_workbook(workspace, xlsx, year) if xlsx else None
    result = validate_read(workspace, year, read)
    if notes and result.stats is not None and result.valid:
        result.problems += notes_against_tables(workspace, year, result.stats)
    return result


def notes_against_tables(workspace: Workspace, year: int, stats: Stats) -> list[Finding]:
    """The lines of notes.md that state a quantity of the tables differently (errors naming the note and the cell)."""
    from ..checks.notes import check_notes
    from ..facts import compute_facts
    from ..notes import parse_notes

    path = workspace.notes_path(year)
    if not path.exists():
        return []
    notes = parse_notes(workspace.read(path), workspace.display(path))
    return check_notes(notes, compute_facts(stats, workspace.prior_stats(year)))


def validate_read(workspace: Workspace, year: int, read: WorkbookRead | None) -> Validation:
    """Validation after a workbook was read (its problems point at workbook cells), or of stats.yaml alone."""
    if read is not None and read.stats is None:
        return Validation(read.source, None, read.problems, read)
    stats, problems = check_year(workspace, year)
    shown = workspace.display(workspace.stats_path(year))
    if read is not None:
        from ..spreadsheet import cell_refs, locate

        return Validation(shown, stats, read.problems + locate(problems, cell_refs(stats), read.source), read)
    return Validation(shown, stats, problems)
