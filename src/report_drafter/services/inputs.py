"""Everything one year's draft is made from and checked against: stats, facts, notes, last year's report."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from .. import document
from ..checks.notes import check_notes
from ..checks.numbers import Sources, note_numbers
from ..checks.review import ReviewContext, problem_items, settings_from
from ..errors import DrafterError, InputError
from ..findings import errors, Finding
from ..facts import FactSet, compute_facts
from ..model import blank_cells
from ..notes import LARGE_NOTES_BYTES, TOPIC_CHARS, TOPIC_LIST, Notes, parse_notes
from ..workspace import Workspace
from .tables import validate_year


UNCLEAR_SHOWN = 10         # notes of unclear scope listed while drafting (validate lists them all)


class StatsInvalid(DrafterError):
    """The year's tables do not pass validation, so nothing may be drafted or checked from them."""

    def __init__(self, problems: list[Finding], action: str = "起草"):
        super().__init__(f"统计表未通过校验，无法{action}。请先按上面列出的问题修改 stats.yaml，"
                         "再运行 drafter validate 复核。")
        self.problems = problems


class BlankCells(DrafterError):
    """Table cells are blank: a draft may state only numbers the tables hold."""

    def __init__(self, problems: list[Finding]):
        super().__init__(f"统计表有 {len(problems)} 个单元格是空白的，无法起草：正文中的每个数字都要以统计表为准。"
                         "请在 stats.yaml 中填写这些单元格（没有数据的填 0），再运行 drafter validate 复核。")
        self.problems = problems


class NotesContradictTables(DrafterError):
    """Lines of notes.md state a quantity of the tables differently: the clerk must say which is right first."""

    def __init__(self, problems: list[Finding], action: str = "起草"):
        super().__init__(f"工作记录中有 {len(problems)} 处数字与统计表不符，无法{action}。统计表中有的数字一律以统计表为准："
                         "请改正工作记录（如果是统计表填错了，请改正 stats.yaml），再运行 drafter validate 复核。")
        self.problems = problems


@dataclass
class YearInputs:
    """Everything a year's draft is made from."""

    workspace: Workspace
    year: int
    stats: object
    facts: FactSet
    notes: Notes
    prior_doc: document.ReportDocument | None
    warnings: list[Finding] = field(default_factory=list)
    inputs_hash: str = ""
    note_errors: list[Finding] = field(default_factory=list)    # notes that state a table quantity differently

    @property
    def agency(self) -> str:
        return self.workspace.agency or self.stats.agency

    @property
    def prior_problems(self) -> list[str]:
        return problem_items(self.prior_doc.body("problems")) if self.prior_doc else []

    @property
    def sources(self) -> Sources:
        """What the draft's numbers may come from: the facts (with last year's) and the notes' numbers."""
        return Sources(self.facts, note_numbers(self.notes), strict=True)

    @property
    def review_context(self) -> ReviewContext:
        """What the draft is reviewed against: the agency, the year, last year's report, [check]."""
        names = tuple(n for n in (self.workspace.config.get("short_name"), self.stats.agency) if n)
        return ReviewContext(self.agency, self.year, names, self.prior_doc, f"{self.year - 1}年报告",
                             settings_from(self.workspace.config))


def load_inputs(workspace: Workspace, year: int, action: str = "起草", drafting: bool = True) -> YearInputs:
    """Validated stats, facts, parsed notes and last year's report of one year.

    For `drafting`, blank table cells and notes that state a quantity of the tables differently
    stop it; a check lists such notes among its findings instead.
    """
    result = validate_year(workspace, year)
    if errors(result.problems):
        raise StatsInvalid(errors(result.problems), action)
    blanks = blank_cells(result.stats)
    if blanks and drafting:
        raise BlankCells([p for p in result.problems if p.path in set(blanks)] or
                         [Finding(severity="error", message="单元格为空白", path=path) for path in blanks])
    notes_path = workspace.notes_path(year)
    notes_text = workspace.read(notes_path) if notes_path.exists() else ""
    notes = parse_notes(notes_text, workspace.display(notes_path))
    warnings = [p for p in result.problems if p.severity == "warning"]
    warnings += [Finding(severity="warning", category="notes", message=f"工作记录中的标题“{h}”不属于任何栏目，其下内容未使用。可用的标题："
                         + "、".join(t.heading for t in TOPIC_LIST), file=notes.file, line=n)
                 for n, h in notes.unknown_headings]
    warnings += notes_size_warnings(notes, len(notes_text.encode("utf-8")))
    prior = workspace.prior_stats(year)
    digest = _digest(workspace.read(workspace.stats_path(year)), notes_text)
    facts = compute_facts(result.stats, prior)
    judged = check_notes(notes, facts)
    note_errors = errors(judged)
    unclear = [f for f in judged if f.severity != "error"]         # notes whose scope is unclear: the clerk decides
    warnings += unclear[:UNCLEAR_SHOWN]
    if len(unclear) > UNCLEAR_SHOWN:
        warnings.append(Finding(severity="warning", category="notes", file=notes.file,
                                message=f"工作记录中还有 {len(unclear) - UNCLEAR_SHOWN} 处类似的提示，"
                                        f"运行 drafter validate --year {year} 可查看全部"))
    if note_errors and drafting:
        raise NotesContradictTables(note_errors, action)
    return YearInputs(workspace, year, result.stats, facts, notes, prior_report(workspace, year), warnings, digest,
                      note_errors)


class InputsChanged(DrafterError):
    """stats.yaml or notes.md changed while a draft was being made from them: it is not written."""

    def __init__(self, year: int, again: str = ""):
        again = again or f"请重新运行 drafter generate --year {year}"
        super().__init__(f"起草期间 {year}/stats.yaml 或 {year}/notes.md 被修改过（如导入了新的统计表、在工作台改了单元格），"
                         f"按修改前的数据起草的内容没有写入，草稿未改动。{again}。")


def _digest(stats_text: str, notes_text: str) -> str:
    return hashlib.sha256((stats_text + "\0" + notes_text).encode()).hexdigest()[:16]


def inputs_digest(workspace: Workspace, year: int) -> str:
    """The digest of what a year's draft is made from, as the files are now (`YearInputs.inputs_hash` when made)."""
    notes_path = workspace.notes_path(year)
    stats_path = workspace.stats_path(year)
    return _digest(workspace.read(stats_path) if stats_path.exists() else "",
                   workspace.read(notes_path) if notes_path.exists() else "")


def require_unchanged(inputs: YearInputs) -> None:
    """Refuse to write a draft made from tables or notes that have changed since (InputsChanged)."""
    require_digest(inputs.workspace, inputs.year, inputs.inputs_hash)


def require_digest(workspace: Workspace, year: int, digest: str, again: str = "") -> None:
    """Refuse (InputsChanged) when a year's tables or notes are no longer those `digest` was taken of."""
    if digest and inputs_digest(workspace, year) != digest:
        raise InputsChanged(year, again)


def notes_size_warnings(notes: Notes, size: int) -> list[Finding]:
    """Oversized notes: what of them the draft will not use, and why."""
    headings = {t.key: t.heading for t in TOPIC_LIST}
    out = []
    if size > LARGE_NOTES_BYTES:
        out.append(Finding(severity="warning", category="notes", message=f"工作记录有 {size // 1024} KB，远超一份年报所需（通常几 KB）。"
                                      "工作记录应是按栏目写的要点，不要粘贴整份文件；每个栏目只采用前面的部分。", file=notes.file))
    for key, (used, total) in notes.overflow().items():
        out.append(Finding(severity="warning", category="notes",
                           message=f"“{headings[key]}”栏目的记录超过 {TOPIC_CHARS} 字，起草时只采用了前 {used} 条"
                                   f"（共 {total} 条），其余未用。请精简为要点。", file=notes.file, line=notes.topics[key][0][0]))
    return out


def prior_report(workspace: Workspace, year: int) -> document.ReportDocument | None:
    """Last year's report: its imported published text, else its draft."""
    for path in (workspace.published_path(year - 1), workspace.draft_path(year - 1)):
        if path.exists():
            return document.parse_document(workspace.read(path))
    return None


def load_draft(workspace: Workspace, year: int, draft=None) -> tuple:
    """(path, text) of a year's draft (default <year>/draft.md)."""
    path = draft or workspace.draft_path(year)
    if not path.exists():
        raise InputError(f"找不到草稿 {workspace.display(path)}。请先运行 drafter generate --year {year}。")
    return path, workspace.read(path)
