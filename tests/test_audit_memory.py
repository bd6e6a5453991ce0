"""What keeps `drafter audit`'s main process small as the batch grows: each report's bulky parts (its text,
marks, findings, marked prose) wait on disk in the result's spool, read back where they are shown; the
cross-agency index holds each text's shingles as a compact array. The same results either way."""

from __future__ import annotations

import copy
import gc
import json
import multiprocessing
import pickle
import random
import sys
import types

import pytest
from audit_batch import PINGTAN, make_batch, seed_text

from report_drafter.services.audit import audit, findings_json, write_outputs
from report_drafter.similarity import ShingleIndex


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    root = make_batch(tmp_path_factory.mktemp("memory") / "年报")
    return root, audit([root], jobs=2, rules="national")


def by_file(result) -> dict:
    return {r.file: r for r in result.reports}


def test_a_spooled_report_reads_back_its_text_marks_and_findings(batch):
    report = by_file(batch[1])["平潭/105_pingtan-zhsyq_2023.txt"]
    wrong = next(m for m in report.marks if m.kind == "contradiction")
    assert report.markdown[wrong.start:wrong.end] == "393件"
    assert report.line_of(wrong.start) == report.line_map[report.markdown.count("\n", 0, wrong.start)]
    assert 'class="m-contradiction"' in report.prose_html
    assert (report.errors, report.warnings) == (sum(f.severity == "error" for f in report.findings),
                                                sum(f.severity == "warning" for f in report.findings))


def test_a_spooled_list_cannot_be_changed_in_place_unnoticed(batch):
    report = by_file(batch[1])["平潭/105_pingtan-zhsyq_2023.txt"]
    with pytest.raises(AttributeError):
        report.findings.append(report.findings[0])         # it would change a copy: refused, not lost
    before = len(report.findings)
    report.findings = [*report.findings, report.findings[0]]    # assigning keeps it
    assert len(report.findings) == before + 1
    report.findings = report.findings[:before]


def test_a_spooled_report_pickled_or_copied_takes_its_parts_with_it(batch):
    report = by_file(batch[1])["新郑/xinzheng-2023.html"]
    for twin in (pickle.loads(pickle.dumps(report)), copy.deepcopy(report)):
        assert (twin.markdown, twin.marks, twin.findings, twin.counts) == (report.markdown, report.marks,
                                                                          report.findings, report.counts)
        assert twin.similar_to == report.similar_to and twin.errors == report.errors


def test_findings_added_across_agencies_are_counted_with_the_rest(batch):
    for report in batch[1].reports:
        findings, counts = report.findings, report.counts
        assert (counts["errors"], counts["warnings"]) == (report.errors, report.warnings)
        assert sum(counts["findings_by_kind"].values()) == len(findings) == report.errors + report.warnings
    copy_ = by_file(batch[1])["新郑/xinzheng-2023.html"]
    assert copy_.findings[-1].kind == "other_agency" and copy_.counts["findings_by_kind"]["other_agency"] == 1
    assert "copied_other_agency" in [d.rule for d in copy_.score.deductions]


def deep_size(root, stop) -> int:
    """Bytes of the objects reachable from `root` (classes, modules, functions and `stop` left out)."""
    seen, stack, total = {id(stop)}, [root], 0
    while stack:
        obj = stack.pop()
        if id(obj) in seen or isinstance(obj, (type, types.ModuleType, types.FunctionType)):
            continue
        seen.add(id(obj))
        total += sys.getsizeof(obj)
        stack.extend(gc.get_referents(obj))
    return total


def test_what_a_report_keeps_in_memory_is_small(batch):
    result = batch[1]
    sizes = {r.file: deep_size(r, result.spool) for r in result.reports}
    assert max(sizes.values()) < 12_000, sizes          # (its Markdown alone is 20–60 KB in memory)
    assert result.spool.size > 30_000 * len(result.reports)


def test_outputs_written_in_one_pass_are_complete(batch, tmp_path):
    root, result = batch
    paths = write_outputs(result, tmp_path / "out")
    written = paths["json"].read_text(encoding="utf-8")
    assert written == findings_json(result)
    assert [r["file"] for r in json.loads(written)["reports"]] == [r.file for r in result.reports]
    page = paths["html"].read_text(encoding="utf-8")
    for rank, report in enumerate(result.reports, 1):
        detail = page[page.index(f'<section class="detail" id="r{rank}">'):]
        detail = detail[:detail.index("</section>")]
        assert f"核对结果（{len(report.findings)}）" in detail and report.prose_html in detail
    from openpyxl import load_workbook

    shown = [(r.file, f.message) for r in result.reports for f in r.findings
             if f.severity == "error" or f.category == "copying"]
    header, *rows = load_workbook(paths["xlsx"])["错误和雷同"].values
    assert [(row[0], row[header.index("问题")]) for row in rows] == shown


def test_workers_started_without_fork_give_the_same_audit(tmp_path, monkeypatch):
    """Windows and macOS start worker processes afresh (spawn): what travels to and from them is packed."""
    from audit_batch import REPORTS

    from report_drafter.services.audit import running

    (tmp_path / "seed.txt").write_text(seed_text(), encoding="utf-8")
    for name in PINGTAN[1:]:        # two years of one agency: checked again in a worker, with last year's
        (tmp_path / name).write_text((REPORTS / name).read_text(encoding="utf-8"), encoding="utf-8")
    alone = findings_json(audit([tmp_path], jobs=1))
    spawn = multiprocessing.get_context("spawn")
    monkeypatch.setattr(running.multiprocessing, "get_context", lambda method=None: spawn)
    assert findings_json(audit([tmp_path], jobs=2)) == alone


def reference_shares(texts: list[set[int]], groups: list[str], minimum: float, common: int,
                     excluded: set[int] = frozenset()) -> dict:
    """ShingleIndex.shares by its definition: every pair of texts of other groups, counted shingle by shingle."""
    texts = [shingles - excluded for shingles in texts]
    holders: dict[int, set[int]] = {}
    for i, shingles in enumerate(texts):
        for h in shingles:
            holders.setdefault(h, set()).add(i)
    out = {}
    for a, mine in enumerate(texts):
        found = []
        for b in range(len(texts)):
            shared = sum(1 for h in mine if b in holders[h] and len({groups[i] for i in holders[h]}) <= common)
            if groups[a] != groups[b] and shared and shared / len(mine) >= minimum:
                found.append((b, shared / len(mine)))
        if found:
            out[a] = sorted(found)
    return out


@pytest.mark.parametrize("seed", range(6))
def test_shingle_index_counts_every_shared_shingle_across_its_slices(seed, monkeypatch):
    rng = random.Random(seed)
    monkeypatch.setattr(ShingleIndex, "SLICE", 64)            # many slices of the checksums' range
    pool = [rng.randrange(1 << 32) for _ in range(300)] + [0, (1 << 32) - 1]
    texts = [set(rng.sample(pool, rng.randint(1, 60))) for _ in range(rng.randint(2, 30))]
    groups = [f"g{rng.randint(0, len(texts) // 2)}" for _ in texts]
    excluded = set(rng.sample(pool, 20))                      # format wording
    index = ShingleIndex(excluded=frozenset(excluded), crowd_min=3, crowd_share=0.3)
    for shingles, group in zip(texts, groups):
        index.add_shingles(list(shingles) * 2, group)          # (a shingle twice counts once)
    common = max(3, int(0.3 * len(set(groups))))
    shares = index.shares(0.05)
    assert {a: sorted(found) for a, found in shares.items()} == reference_shares(texts, groups, 0.05, common, excluded)
    assert all([s for _, s in found] == sorted((s for _, s in found), reverse=True) for found in shares.values())
