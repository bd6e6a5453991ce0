"""What the workbench shows of one year, read from its files, and the edits it makes to them.

Every state carries the version of the file it was read from; every edit names the version the
page showed and is refused (FileChanged) when the file changed since.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from .. import document
from ..errors import DrafterError, InputError
from ..findings import Finding
from ..model import Stats, get_path
from ..rules import check_stats
from ..statsfile import MONEY_PATHS, line_of, parse_yaml, read_stats
from ..statswriter import dump_stats
from ..textfile import decode
from ..statspatch import patch_value
from ..totals import fill_totals
from ..versions import MISSING, FileChanged, file_version, version_of
from ..workspace import Workspace
from . import grids
from .site import Site

EDIT_SESSION_S = 30 * 60        # cell edits this close together are one version in the history


# ---------- statistics ----------

@dataclass
class Parsed:
    """stats.yaml text as read, with its model and the problems found while reading."""

    version: str
    text: str
    stats: Stats | None
    problems: list[Finding]
    data: object = None


@dataclass
class StatsState:
    path: Path
    shown: str
    version: str
    text: str | None = None
    stats: Stats | None = None
    problems: list[Finding] = field(default_factory=list)
    error: str = ""
    prior: Stats | None = None

    @property
    def carried(self) -> dict[str, str]:
        """Cells still holding what last year hands on (上年结转, 现行有效件数): dotted path → where from."""
        from ..services.carryover import carried_cells

        if self.stats is None:
            return {}
        return {grids.dotted(path): text for path, text in carried_cells(self.stats, self.prior).items()}

    @property
    def computed(self) -> set[str]:
        """Cells computed from their parts while totals are live (dotted paths)."""
        from ..totals import computed_paths

        return {grids.dotted(p) for p in computed_paths(self.stats)} if self.stats is not None else set()

    @property
    def totals_broken(self) -> bool:
        """Some total or 结转 disagrees with its parts (a published table imported as printed, say)."""
        computed = self.computed
        return any(grids.dotted(p.path) in computed for p in self.errors)

    @property
    def grids(self):
        return grids.editor_grids(self.stats) if self.stats is not None else []

    @property
    def marks(self) -> dict:
        return grids.cell_marks(self.problems, grids.editable_paths(self.stats)) if self.stats is not None else {}

    @property
    def errors(self) -> list[Finding]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [p for p in self.problems if p.severity != "error"]

    def as_json(self) -> dict:
        """The cell marks and the problem list, for the editor's script."""
        marks = self.marks
        return {"version": self.version, "errors": len(self.errors), "warnings": len(self.warnings),
                "marks": {p: {"severity": m.severity, "message": m.message} for p, m in marks.items()}}


def _parse(site: Site, ws: Workspace, path: Path, data: bytes) -> Parsed:
    version = version_of(data)
    cached = site.stats_cache.get(path)
    if cached is not None and cached.version == version:
        return cached
    shown = ws.display(path)
    text = decode(data, shown)
    doc = read_stats(text, shown)
    parsed = Parsed(version, text, doc.stats, list(doc.problems), doc.data)
    site.stats_cache[path] = parsed
    return parsed


def _prior(site: Site, ws: Workspace, year: int) -> Stats | None:
    """Last year's statistics (cached while the file is unchanged)."""
    path = ws.stats_path(year - 1)
    try:
        stat = path.stat()
    except OSError:
        return None
    key = ("prior", path)
    stamp = (stat.st_mtime_ns, stat.st_size)
    cached = site.stats_cache.get(key)
    if cached is None or cached[0] != stamp:
        cached = (stamp, ws.prior_stats(year))
        site.stats_cache[key] = cached
    return cached[1]


def stats_state(site: Site, ws: Workspace, year: int) -> StatsState:
    """The year's tables as on disk, with every problem the rules find."""
    path = site.checked(ws, ws.stats_path(year))
    shown = ws.display(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return StatsState(path, shown, MISSING, error=f"缺少 {shown}。可在首页新建年度（生成全零的统计表），或导入已发布的年报。")
    try:
        parsed = _parse(site, ws, path, data)
    except InputError as exc:
        return StatsState(path, shown, version_of(data), data.decode("utf-8", "replace"),
                          problems=list(exc.problems), error=str(exc))
    problems = list(parsed.problems)
    if parsed.stats is not None:
        stats = parsed.stats
        if stats.year != year:
            problems.append(Finding(severity="warning", message=f"文件中的年度为 {stats.year}，与目录 {year} 不一致", path=("year",),
                                    expected=str(year), found=str(stats.year)))
        prior = _prior(site, ws, year)
        rules = check_stats(stats, prior)
        for p in rules:
            p.file = shown
            if parsed.data is not None:
                p.line = line_of(parsed.data, p.path)
        problems += rules
        return StatsState(path, shown, parsed.version, parsed.text, parsed.stats, problems, prior=prior)
    return StatsState(path, shown, parsed.version, parsed.text, parsed.stats, problems)


def _save_stats(site: Site, ws: Workspace, state: StatsState, new: Stats, keep: list[Finding],
                cell: tuple | None = None) -> None:
    """Write `new` into stats.yaml, comments and layout kept; one changed cell is patched in place (no parse)."""
    parsed = site.stats_cache[state.path]
    text, data = None, None
    if cell is not None and parsed.data is not None and not parsed.problems:
        text = patch_value(parsed.text, parsed.data, cell, get_path(state.stats, cell), get_path(new, cell))
        data = parsed.data if text is not None else None
    if text is None:
        text = dump_stats(new, state.text)
        if not keep:                            # positions for the next edit's patch (files with blanks never patch)
            data = parse_yaml(text, state.shown)
    site.stats_cache.pop(state.path, None)      # a failed write leaves no half-updated positions behind
    # a run of edits in this session is one version in the history: the file as it was before the first of them
    # (kept as long as no one else wrote the file between them)
    mine = site.own_writes.get(state.path)
    coalesce = mine is not None and mine[0] == state.version and time.time() - mine[1] < EDIT_SESSION_S
    ws.write(state.path, text, keep_history=not coalesce)
    site.own_writes[state.path] = (version_of(text.encode("utf-8")), mine[1] if coalesce else time.time())
    site.stats_cache[state.path] = Parsed(version_of(text.encode("utf-8")), text, new, keep, data)


def _current(site: Site, ws: Workspace, year: int, version: str) -> StatsState:
    state = stats_state(site, ws, year)
    if state.version != version:
        raise FileChanged(state.shown, version, state.version)
    if state.stats is None:
        raise InputError(state.error or f"{state.shown} 有错误，无法按单元格修改。")
    return state


@dataclass
class CellsEdited:
    """The tables after an edit: the cells it changed (typed and computed), what it broke, refused values."""

    state: StatsState
    changed: list[tuple] = field(default_factory=list)           # paths whose value changed
    computed: list[tuple] = field(default_factory=list)          # of those, the totals and 结转 recomputed
    broke: dict[str, list[str]] = field(default_factory=dict)     # dotted typed path → short names of cells now wrong
    refused: dict[str, str] = field(default_factory=dict)        # dotted path → why the typed text is no value


def edit_cell(site: Site, ws: Workspace, year: int, path: tuple, raw: str, version: str) -> StatsState:
    """Save one typed cell into stats.yaml (comments kept); the tables as they are now."""
    edited = edit_cells(site, ws, year, [(path, raw)], version, live_totals=False)
    if edited.refused:
        why = next(iter(edited.refused.values()))
        raise InputError(why + "。") if why == "没有这个单元格" else grids.CellValueError(why)
    return edited.state


def edit_cells(site: Site, ws: Workspace, year: int, typed: list[tuple[tuple, str]], version: str,
               live_totals: bool = True) -> CellsEdited:
    """Save typed cells (one, or a block pasted from a spreadsheet) in one write.

    With `live_totals` every total and 结转下年度 (一 + 二 − 七) is computed from its parts; without it (a
    table kept as printed) only the typed cells change. Each typed cell is told which other cells it made
    wrong. Text that is no value for its cell is refused and reported, the other cells are still saved.
    """
    from ..totals import computed_paths, fill_carried_forward

    values, refused = [], {}
    for path, raw in typed:
        try:
            values.append((path, grids.parse_value(path, raw)))
        except grids.CellValueError as exc:
            refused[grids.dotted(path)] = str(exc)
    with ws.lock():
        state = _current(site, ws, year, version)
        editable = grids.editable_paths(state.stats)
        if live_totals:
            editable -= computed_paths(state.stats)
        new = state.stats
        for path, value in values:
            if path not in editable:
                refused[grids.dotted(path)] = "这一格由各项自动计算，不能直接填写" if path in grids.editable_paths(new) else "没有这个单元格"
                continue
            try:
                new = grids.with_value(new, path, value)
            except ValidationError:
                refused[grids.dotted(path)] = "取值无效"
        typed_paths = {p for p, _ in values if grids.dotted(p) not in refused}
        computed: list[tuple] = []
        if live_totals and typed_paths:
            new, changes = fill_totals(new)
            changes += fill_carried_forward(new)
            computed = [p for p, _, _ in changes]
        changed = [p for p in typed_paths if get_path(new, p) != get_path(state.stats, p)] + computed
        if changed:
            reading = [p for p in site.stats_cache[state.path].problems if p.path not in set(changed)]
            _save_stats(site, ws, state, new, reading, changed[0] if len(changed) == 1 else None)
    after = stats_state(site, ws, year)
    before_wrong = {p.path for p in state.errors}
    newly = [p.path for p in after.errors if p.path not in before_wrong and p.path not in typed_paths]
    names = list(dict.fromkeys(grids.short_label(q) for q in newly))
    broke = {grids.dotted(p): names for p in typed_paths} if names else {}
    return CellsEdited(after, changed, computed, broke, refused)


def fill_in_totals(site: Site, ws: Workspace, year: int, version: str) -> tuple[StatsState, list]:
    """Compute every total from its parts and save them; the cells that changed."""
    with ws.lock():
        state = _current(site, ws, year, version)
        new, changes = fill_totals(state.stats)
        if changes:
            changed = {path for path, _, _ in changes}
            reading = [p for p in site.stats_cache[state.path].problems if p.path not in changed]
            _save_stats(site, ws, state, new, reading)
    return stats_state(site, ws, year), changes


def read_uploaded_workbook(site: Site, ws: Workspace, year: int, data: bytes, name: str,
                           version: str) -> tuple[StatsState, list[Finding]]:
    """A filled-in Excel form (from `drafter init --xlsx` or the page) into stats.yaml; nothing written on errors."""
    import tempfile

    from ..spreadsheet import read_xlsx
    from ..versions import require_version

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "upload.xlsx"
        path.write_bytes(data)
        stats, problems = read_xlsx(path, name)
    if stats is None:
        return stats_state(site, ws, year), problems
    target = site.checked(ws, ws.stats_path(year))
    with ws.lock():
        require_version(ws, target, version)
        previous = ws.read(target) if target.exists() else None
        site.stats_cache.pop(target, None)
        ws.write(target, dump_stats(stats, previous))
    return stats_state(site, ws, year), problems


def save_stats_text(site: Site, ws: Workspace, year: int, text: str, version: str) -> None:
    """Replace stats.yaml with text typed in the page (when the tables could not be read into the grid)."""
    from ..versions import write_if_unchanged

    path = site.checked(ws, ws.stats_path(year))
    write_if_unchanged(ws, path, text.replace("\r\n", "\n"), version)


# ---------- notes ----------

@dataclass
class NotesState:
    path: Path
    shown: str
    version: str
    topics: list
    unknown: list


def notes_state(site: Site, ws: Workspace, year: int) -> NotesState:
    from ..notes import parse_notes
    from ..notesfile import topic_texts

    path = site.checked(ws, ws.notes_path(year))
    shown = ws.display(path)
    version = file_version(path)
    text = ws.read(path) if version != MISSING else ""
    return NotesState(path, shown, version, topic_texts(text), parse_notes(text, shown).unknown_headings)


def save_topic(site: Site, ws: Workspace, year: int, key: str, entries: str, version: str) -> str:
    """Replace one topic's entries in notes.md (a missing file starts from the template); the new version."""
    from ..notes import notes_skeleton
    from ..notesfile import replace_topic
    from ..versions import require_version

    path = site.checked(ws, ws.notes_path(year))
    with ws.lock():
        text = ws.read(path) if path.exists() else notes_skeleton(year, ws.agency)
        new = replace_topic(text, key, entries)
        if new == text and path.exists():   # already saved (a save sent as the page closed, then again on reopening)
            return file_version(path)
        require_version(ws, path, version)
        ws.write(path, new)
    return version_of(new.encode("utf-8"))


# ---------- the draft ----------

@dataclass
class DraftState:
    path: Path
    shown: str
    version: str
    text: str = ""
    view: object = None
    error: str = ""
    stats: Stats | None = None

    @property
    def exists(self) -> bool:
        return self.version != MISSING


def draft_state(site: Site, ws: Workspace, year: int, grid_html) -> DraftState:
    """The draft as on disk, checked: numbers against the tables and notes, then the review."""
    from ..checks import check_document
    from ..checks.review import review_document
    from ..services.inputs import load_inputs
    from .draftview import render_draft

    path = site.checked(ws, ws.draft_path(year))
    shown = ws.display(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return DraftState(path, shown, MISSING)
    text = decode(data, shown)
    state = DraftState(path, shown, version_of(data), text)
    try:
        inputs = load_inputs(ws, year, action="核对草稿")
    except DrafterError as exc:
        state.error = str(exc)
        state.view = render_draft(text, None, lambda key: None)
        return state
    report = check_document(text, inputs.sources, inputs.stats)
    report.findings += review_document(text, inputs.review_context)
    from ..services.marks import apply_ignored
    apply_ignored(ws, year, report.findings)
    for f in report.findings:
        f.file = f.file or shown
    state.stats = inputs.stats
    state.view = render_draft(text, report, lambda key: grid_html(inputs.stats, key))
    return state


def save_section(site: Site, ws: Workspace, year: int, key: str, body: str, version: str) -> str:
    """Replace one prose section of draft.md with the clerk's text; every other byte stays."""
    from ..versions import require_version

    path = site.checked(ws, ws.draft_path(year))
    with ws.lock():
        require_version(ws, path, version)
        text = ws.read(path)
        if key not in document.parse_document(text).sections:
            raise InputError(f"草稿中找不到“{document.HEADINGS[key]}”这一部分的标题。")
        new = document.replace_section(text, key, body.replace("\r\n", "\n"))
        ws.write(path, new, command=f"{ws.actor}：手工修改“{document.HEADINGS[key]}”")
    return version_of(new.encode("utf-8"))


def versions(site: Site, ws: Workspace, year: int) -> dict[str, str]:
    return {name: file_version(site.checked(ws, path)) for name, path in
            (("stats", ws.stats_path(year)), ("notes", ws.notes_path(year)), ("draft", ws.draft_path(year)))}


MONEY = {grids.dotted(p) for p in MONEY_PATHS}
