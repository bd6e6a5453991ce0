"""The library pieces the workbench added: file versions, totals, notes by topic, proposals, draft marks."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from conftest import copy_example  # noqa: E402

from report_drafter import Prompts, document, generate, get_backend, open_workspace  # noqa: E402
from report_drafter.notesfile import replace_topic, topic_texts  # noqa: E402
from report_drafter.rules import check_stats  # noqa: E402
from report_drafter.statsfile import read_stats  # noqa: E402
from report_drafter.totals import fill_totals  # noqa: E402
from report_drafter.versions import MISSING, FileChanged, file_version, write_if_unchanged  # noqa: E402


def test_write_if_unchanged(tmp_path):
    ws = open_workspace(tmp_path)
    path = tmp_path / "notes.md"
    assert file_version(path) == MISSING
    version = write_if_unchanged(ws, path, "一\n", MISSING)
    assert file_version(path) == version
    path.write_text("别处改过\n", encoding="utf-8")
    with pytest.raises(FileChanged, match="已在别处被修改"):
        write_if_unchanged(ws, path, "二\n", version)
    assert path.read_text(encoding="utf-8") == "别处改过\n"


def test_fill_totals_makes_the_rules_pass(huaian_text):
    stats = read_stats(huaian_text, "s").stats
    broken = stats.model_copy(deep=True)
    broken.requests.outcomes.disclosed[0] += 5
    broken.appeals.litigation_direct.upheld += 2
    assert check_stats(broken)
    fixed, changes = fill_totals(broken)
    assert not [p for p in check_stats(fixed) if p.rule in ("2", "3", "4")]
    paths = {path for path, _, _ in changes}
    assert paths == {("requests", "outcomes", "disclosed", 6), ("requests", "outcomes", "total", 0),
                     ("requests", "outcomes", "total", 6), ("appeals", "litigation_direct", "total")}
    assert broken.requests.outcomes.total[0] == stats.requests.outcomes.total[0]      # the input is not changed
    assert fill_totals(stats)[1] == []


def test_notes_topic_replaced_and_other_bytes_kept(tmp_path):
    text = (copy_example("huaian", tmp_path) / "2024" / "notes.md").read_text(encoding="utf-8")
    topics = {t.topic.key: t for t in topic_texts(text)}
    assert topics["active"].text.startswith("- 市政府网站主动公开各类政府信息 5500 余条")
    changed = replace_topic(text, "active", "- 发布信息 12 条")
    assert replace_topic(changed, "active", topics["active"].text) == text
    assert {t.topic.key: t.text for t in topic_texts(changed)}["requests"] == topics["requests"].text
    fresh = replace_topic("# 工作记录\n", "fees", "收费 0 元")
    assert fresh.startswith("# 工作记录\n\n## 信息处理费\n\n<!--") and fresh.endswith("收费 0 元\n")


def test_proposal_is_written_only_on_accept(tmp_path):
    from report_drafter.services.proposals import SectionChanged, accept_proposal, hand_edits, propose_section

    root = copy_example("huaian", tmp_path)
    ws = open_workspace(root)
    prompts = Prompts(root)
    offline = get_backend("offline", ws.config, prompts)
    generate(ws, 2024, offline, prompts)
    draft = root / "2024" / "draft.md"
    draft.write_text(draft.read_text(encoding="utf-8").replace("一是", "一是（改）", 1), encoding="utf-8")
    assert list(hand_edits(ws, 2024)) == ["problems"]
    before = draft.read_text(encoding="utf-8")
    proposal = propose_section(ws, 2024, "problems", offline, prompts)
    assert draft.read_text(encoding="utf-8") == before and "（改）" in proposal.base and not proposal.unchanged
    draft.write_text(before.replace("（改）", "（又改）"), encoding="utf-8")
    with pytest.raises(SectionChanged):
        accept_proposal(ws, 2024, proposal)
    accept_proposal(ws, 2024, proposal, overwrite=True)
    assert document.parse_document(draft.read_text(encoding="utf-8")).body("problems") == proposal.text
    assert hand_edits(ws, 2024) == {}
    edited = propose_section(ws, 2024, "problems", offline, prompts)
    accept_proposal(ws, 2024, edited, edited.text + "\n补一句。")
    assert list(hand_edits(ws, 2024)) == ["problems"]      # an edited proposal counts as a hand edit


def test_marks_land_on_the_numbers(tmp_path):
    from report_drafter.checks import check_document
    from report_drafter.checks.review import review_document
    from report_drafter.services.inputs import load_inputs
    from report_drafter.web.draftview import locate, render_draft

    root = copy_example("huaian", tmp_path)
    ws = open_workspace(root)
    prompts = Prompts(root)
    generate(ws, 2024, get_backend("offline", ws.config, prompts), prompts)
    text = (root / "2024" / "draft.md").read_text(encoding="utf-8").replace("召开新闻发布会12场", "召开新闻发布会13场")
    text = text.replace("扎实推进政府信息公开各项工作。", "扎实推进政府信息公开各项工作，圆满完成任务。")
    inputs = load_inputs(ws, 2024)
    report = check_document(text, inputs.sources, inputs.stats)
    report.findings += review_document(text, inputs.review_context)
    for finding in report.findings:
        place = locate(text, finding)
        if finding.found and place:
            assert text[place[0]:place[1]] == finding.found
    view = render_draft(text, report, lambda key: "<table></table>")
    html = "".join(str(b.html) for b in view.blocks)
    assert 'data-check="unsupported"' in html and html.count('data-check="verified"') == len(report.verified)
    assert [b.kind for b in view.blocks][:3] == ["title", "paragraph", "heading"]
    assert "<!--" not in html


def test_patching_one_value_writes_what_dump_stats_writes(huaian_text):
    import random
    from decimal import Decimal

    from report_drafter.statsfile import yaml_parser
    from report_drafter.statswriter import dump_stats
    from report_drafter.statspatch import patch_value
    from report_drafter.web.grids import editable_paths, with_value
    from report_drafter.model import get_path

    rng = random.Random(14)
    text = huaian_text
    stats = read_stats(text, "s").stats
    data = yaml_parser().load(text)
    paths = sorted(editable_paths(stats), key=str)
    for _ in range(60):
        path = rng.choice(paths)
        value = None if path == ("processing_fees", "cases") and rng.random() < 0.3 else (
            Decimal(rng.randint(0, 99999)) / 10 if path in (("active", "fees"), ("processing_fees", "amount_yuan"))
            else rng.choice([0, 7, 12345, 3]))
        new = with_value(stats, path, value)
        patched = patch_value(text, data, path, get_path(stats, path), value)
        assert patched == dump_stats(new, text), path
        text, stats = patched, new
    assert read_stats(text, "s").stats == stats
