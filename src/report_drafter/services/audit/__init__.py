"""Batch audit: every published report of a folder checked as `drafter check --report` checks one.

    result = audit(["收到的年报/"], prior_dir="去年的年报/", rules="example-regional")
    result.reports            # AuditedReport per file, worst first: findings, last_year, similar_to, score
    result.unreadable         # files that could not be read (the run went on)
    result.aggregates         # the complete tables of each year summed (a whole-city report's tables)
    write_outputs(result, Path("审查结果"))    # index.html, summary.xlsx, findings.json, aggregate.stats.yaml

Steps: discover the files; read each in a worker process (agency and year from its own text);
group names of one agency and pair each report with the agency's report of the year before (from
the batch or `prior_dir`); check each in a worker process with that report; compare the prose
across agencies through one shingle index; score with a rule pack; sum the complete tables.
Each report's bulky parts (its text, marks and findings) wait on disk in the result's spool while the
batch is worked through, so memory stays flat as the batch grows (see `spool`).
Never prints: progress goes to `on_progress(Step)`.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from ...checks.review import ReviewSettings
from ...errors import InputError
from ...limits import MAX_REPORT_FILE_BYTES
from .aggregate import aggregate, render_aggregates
from .crossing import candidates, clusters, copying_findings, measure
from .forking import side_by_side
from .discovery import Found, common_root, discover
from .pairing import Agencies, Entry, one_agency, pair
from .result import Aggregate, Audit, AuditedReport, Cluster, LastYear, Mark, Missing, SetAside, Similar, Unreadable
from .sorting import REPORT
from .running import LOST, Workers, default_jobs
from .spool import Spool
from .worker import Failed, Read, check_file, read_file

__all__ = ["Aggregate", "Audit", "AuditedReport", "Cluster", "LastYear", "Mark", "Missing", "SetAside", "Similar", "Step", "Unreadable",
           "audit", "default_jobs", "findings_json", "rank", "render_aggregates", "write_outputs"]


@dataclass(frozen=True)
class Step:
    """Progress: `done` of `total` files through `stage` (读取 / 核对 / 比较), the last one `file`."""

    stage: str
    done: int
    total: int
    file: str = ""


def audit(paths: list[Path | str], prior_dir: Path | str | None = None, jobs: int | None = None,
          rules: str | Path | None = None, expect: Path | str | None = None,
          on_progress: Callable[[Step], None] | None = None, settings: ReviewSettings | None = None,
          workspace_root: Path | None = None, exclude: list[Path] = ()) -> Audit:
    """Audit the reports under `paths` (files, or folders searched recursively); see the module docstring.

    `rules`: a rule pack name or file to score with; `expect`: a file naming, one per line, the
    agencies whose reports should be there (judges the pack's `missing`). Raises InputError when
    no file is found or a pack or list cannot be read; an unreadable report is an `Unreadable`.
    """
    from ...rulepacks import load_pack

    progress = on_progress or (lambda step: None)
    paths = [Path(p) for p in paths]
    batch = discover(paths, exclude, common_root(paths) if all(p.exists() for p in paths) else None)
    if not batch:
        raise InputError("在 " + "、".join(map(str, paths)) + " 中没有找到报告文件（txt、md、pdf、html、docx 等）。")
    pack = load_pack(rules, workspace_root) if rules else None
    expected = read_expected(Path(expect)) if expect else None
    prior_files = _prior_files(Path(prior_dir), batch, exclude) if prior_dir else []
    files = batch + prior_files
    spool = Spool()                     # the reports' bulky parts, on disk until the result is gone
    with Workers(jobs, len(files)) as workers:
        reads = _read_all(workers, files, spool, settings or ReviewSettings(), progress)
        reports, unreadable, set_aside = _check_all(workers, reads, len(batch), spool, settings or ReviewSettings(),
                                                    progress)
    jobs = workers.jobs
    threshold = (settings or ReviewSettings()).similarity_threshold
    progress(Step("比较", 0, 1))
    # the tables summed here, beside the search for reports to compare (each step reads every report back once;
    # the search's index stays in the forked copy that makes it)
    sums, found = side_by_side([partial(aggregate, reports), partial(candidates, reports)], jobs)
    measure(reports, found, jobs)
    for report in reports:
        report.add_findings(copying_findings(report, threshold))
    groups = clusters(reports, threshold)
    progress(Step("比较", 1, 1))
    missing = _missing(expected, reports) if expected is not None else []
    if pack is not None:
        _score(pack, reports, missing, expected is not None)
    return Audit(rank(reports, pack is not None), unreadable, missing, sums, pack,
                 str(common_root([p.resolve() for p in paths])), threshold, jobs, spool, set_aside, groups)


def _prior_files(prior_dir: Path, batch: list[Found], exclude) -> list[Found]:
    if not prior_dir.is_dir():
        raise InputError(f"找不到上年度报告文件夹 {prior_dir}。")
    taken = {f.path for f in batch}
    label = prior_dir.resolve().name
    return [Found(f.path, f"{label}/{f.name}", f.size) for f in discover([prior_dir], exclude) if f.path not in taken]


def _read_all(workers: Workers, files: list[Found], spool: Spool, settings: ReviewSettings,
              progress) -> list[Read | Failed]:
    """Each file read once per content: a file with the same bytes as another takes its reading (and its first
    check), under its own name.

    What a reading brings (the report packed, its first check) goes to the spool as it arrives.
    """
    same: dict[str, list[int]] = {}
    for i, found in enumerate(files):
        same.setdefault(_digest(found), []).append(i)
    firsts = sorted((group[0] for group in same.values()), key=lambda i: -files[i].size)  # large first: even finish
    copies = {group[0]: group[1:] for group in same.values()}
    reads: list = [None] * len(files)
    tasks = [(str(files[i].path), files[i].name, settings) for i in firsts]
    done = 0
    for k, result in workers.run(read_file, tasks, lambda k: Failed(files[firsts[k]].name, LOST)):
        if isinstance(result, Read):
            spool.keep(result)
            if isinstance(result.alone, AuditedReport):
                spool.keep(result.alone)
        for i in (firsts[k], *copies[firsts[k]]):
            if i == firsts[k]:
                reads[i] = result
            elif isinstance(result, Read):
                reads[i] = result.bare(files[i].name)
                if isinstance(result.alone, AuditedReport):     # (its check is the same but for its name)
                    reads[i].alone = spool.keep(result.alone.as_file(files[i].name))
            else:
                reads[i] = replace(result, name=files[i].name)
            done += 1
            progress(Step("读取", done, len(files), files[i].name))
    return reads


def _digest(found: Found) -> str:
    if found.size > MAX_REPORT_FILE_BYTES:
        return f"oversized:{found.path}"        # not read at all: read_file says it is too large
    try:
        return hashlib.sha1(found.path.read_bytes()).hexdigest()
    except OSError:
        return f"unreadable:{found.path}"       # read_file reports why


def _check_all(workers: Workers, reads: list, batch_size: int, spool: Spool, settings: ReviewSettings,
               progress) -> tuple[list[AuditedReport], list[Unreadable], list[SetAside]]:
    agencies = Agencies()
    entries = [Entry(i, agencies.key(r.agency or r.agency_as_written), r.year, i >= batch_size)
               for i, r in enumerate(reads) if isinstance(r, Read) and r.status == REPORT]
    set_aside = [SetAside(r.name, r.status, r.reason, r.agency or r.agency_as_written, r.year, r.form)
                 for r in reads[:batch_size] if isinstance(r, Read) and r.status != REPORT]
    groups = {e.index: e.group or f"#{e.index}" for e in entries}
    priors, twins = pair(entries)
    checked = [e.index for e in entries if not e.prior_only]
    again = [i for i in checked if i in priors or reads[i].alone is None]     # the rest were checked when read
    tasks = [(reads[i].bare(), reads[priors[i]].bare() if i in priors else None, settings) for i in again]
    results: dict[int, AuditedReport] = {}
    unreadable = [Unreadable(r.name, r.message) for r in reads[:batch_size] if isinstance(r, Failed)]

    def take(i: int, result, done: int) -> None:
        if isinstance(result, Failed):
            unreadable.append(Unreadable(reads[i].name, result.message))
        else:
            result.group = groups[i]
            result.duplicates = [reads[j].name for j in twins.get(i, [])]
            results[i] = spool.keep(result)
        progress(Step("核对", done, len(checked), reads[i].name))

    done = 0
    for i in checked:
        if i not in again:
            done += 1
            take(i, reads[i].alone, done)
    for k, result in workers.run(check_file, tasks, lambda k: Failed(reads[again[k]].name, LOST)):
        done += 1
        take(again[k], result, done)
    for read in reads:
        if isinstance(read, Read):
            read.alone = read.published = None      # (what is kept is in the results)
    return [results[i] for i in checked if i in results], unreadable, set_aside


def read_expected(path: Path) -> list[str]:
    """Agency names, one a line (blank lines and lines starting with # left out)."""
    from ...textfile import read_text

    if not path.is_file():
        raise InputError(f"找不到应报送机关名单 {path}。")
    names = [line.strip() for line in read_text(path).splitlines()]
    return [n for n in names if n and not n.startswith("#")]


def _missing(expected: list[str], reports: list[AuditedReport]) -> list[Missing]:
    years = Counter(r.year for r in reports)
    year = years.most_common(1)[0][0] if years else 0
    present = [r.agency for r in reports if r.year == year] + [r.agency_as_written for r in reports if r.year == year]
    return [Missing(name, year) for name in expected if not any(one_agency(name, p) for p in present)]


def _score(pack, reports: list[AuditedReport], missing: list[Missing], listed: bool) -> None:
    from ...rulepacks import Evidence, score

    compared = len({r.group for r in reports}) > 1
    for report in reports:
        ev = report.evidence
        ev.other_share = report.other_share if compared else None
        ev.other_agency = report.similar_to[0].agency if report.similar_to else ""
        ev.missing = False if listed else None
        report.score = score(pack, replace(ev, findings=report.findings))
    for item in missing:
        item.score = score(pack, Evidence(year=item.year, findings=[], missing=True, other_share=None,
                                          last_year_share=None))


def rank(reports: list[AuditedReport], by_score: bool = False) -> list[AuditedReport]:
    """Worst first: by score (when scored), then errors, warnings, and the larger copied share."""
    def key(r: AuditedReport):
        scored = (r.score.score,) if by_score and r.score is not None else ()
        return (*scored, -r.errors, -r.warnings, -r.copying, r.file)
    return sorted(reports, key=key)


def write_outputs(result: Audit, out: Path | str) -> dict[str, Path]:
    """Write index.html, summary.xlsx, findings.json and aggregate.stats.yaml into `out`; their paths by name."""
    from .writing import write_all

    return write_all(result, Path(out))


def findings_json(result: Audit) -> str:
    """The audit as one JSON object (findings.json, and what `drafter audit --format json` prints)."""
    from .writing import findings_json

    return findings_json(result)
