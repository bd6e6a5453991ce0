"""Drafting: facts first, then prompts, then the backend, then draft.md with history and provenance."""

from __future__ import annotations

import difflib
import re
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from .. import document, rendering
from ..backends.base import BackendError, Completion, NeedsModel, combine_failures, total_usage
from ..checks.numbers import check_numbers
from ..checks.review import review_document
from ..errors import DrafterError, FileNotWritable, InputError
from ..findings import CATEGORIES, Finding
from ..ui import UI, QuietUI
from ..workspace import Workspace
from .context import report_title, template_context
from .inputs import YearInputs, load_draft, load_inputs, require_unchanged
from .provenance import drafted_body, edited_sections, write_provenance

MAX_REPAIR_ROUNDS = 2
REPAIRING = "按核对结果修改"          # the notice a repair round starts with (a progress display restarts its count)
KEEP_SHARE = 0.5                      # a repair shorter than this share of the text it replaces lost content
GUARDED = ("structure", "style", "leakage", "repetition", "copying")   # categories a repair may not add to
FAILED_MARK = "【待补充：本部分起草失败"
_SECTION_KEY = re.compile(r"(?<![/\w])(overview|problems|other)(?![/\w])")


@dataclass
class DraftResult:
    path: Path
    drafted: list[str]
    kept: list[str]
    completions: dict[str, Completion]
    duration_s: float
    warnings: list[Finding]
    findings: list = field(default_factory=list)
    text: str = ""
    failed: dict[str, BackendError] = field(default_factory=dict)        # sections the model could not draft
    restored: list[str] = field(default_factory=list)                    # …of which the previous draft's text stays
    repair_failed: dict[str, BackendError] = field(default_factory=dict)  # repairs that failed (pre-repair text kept)

    @property
    def gaps(self) -> int:
        """【待补充】 placeholders the draft still has where the notes said nothing."""
        return self.text.count("【待补充") - self.text.count(FAILED_MARK)


@dataclass
class Regenerated:
    path: Path
    key: str
    old_body: str
    new_body: str
    completion: Completion
    findings: list
    repair_failed: dict[str, BackendError] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return self.new_body.strip() != self.old_body.strip()


class RepairRejected(BackendError):
    """The model's repair was no better than the text it was to repair; the text before it stays."""

    summary = "修改稿没有改进"


def repair_verdict(old_text: str, new_text: str, old: list[Finding], new: list[Finding]) -> str:
    """Why a repaired section must not replace the one before it ("" when it is strictly better)."""
    if new_text.strip() == old_text.strip():
        return "模型返回的修改稿与原稿相同"
    if len(new_text.strip()) < KEEP_SHARE * len(old_text.strip()):
        return f"修改稿只有原稿的 {len(new_text.strip()) * 100 // max(len(old_text.strip()), 1)}%，丢失了内容"
    before = {(f.category, f.kind) for f in old}
    added = [f for f in new if f.category in GUARDED and (f.category, f.kind) not in before]
    if added:
        first = added[0].message
        return f"修改稿出现了新的问题（{CATEGORIES.get(added[0].category, added[0].category)}：" \
               f"{first if len(first) <= 50 else first[:50] + '…'}）"
    old_errors, new_errors = (sum(f.severity == "error" for f in found) for found in (old, new))
    if new_errors >= old_errors:
        return f"修改稿仍有 {new_errors} 处错误（原稿 {old_errors} 处），没有减少"
    return ""


class EditedSection(DrafterError):
    """The section to redraft was edited by hand; replacing it needs the clerk's consent."""

    def __init__(self, key: str, diff: str):
        super().__init__(f"“{document.HEADINGS[key]}”在上次起草后被手工修改过。")
        self.key = key
        self.diff = diff


def clean_answer(key: str, text: str) -> str:
    """A model's answer as a section body: no echoed section heading, no surrounding blank lines."""
    text = text.strip()
    echoed, length = document.leading_heading(text)
    if echoed == key:
        text = text[length:]
    return text.strip()


def section_diff(old: str, new: str, old_name: str = "起草稿", new_name: str = "当前稿") -> str:
    """A unified diff of two versions of a section, with Chinese labels."""
    lines = difflib.unified_diff(old.splitlines(), new.splitlines(), old_name, new_name, lineterm="", n=1)
    return "\n".join(lines)


def regenerate_command(key: str, year: int) -> str:
    """The command that redrafts one section (“drafter regenerate 五 --year 2024”)."""
    return f"drafter regenerate {document.HEADINGS[key][0]} --year {year}"


def failure_placeholder(key: str, year: int, error: BackendError) -> str:
    """What a first draft holds where a section failed: the cause and the command that redrafts it."""
    return f"{FAILED_MARK}（{error.summary}），请运行 {regenerate_command(key, year)} 重新起草】"


def _named(error: BackendError) -> BackendError:
    """The error with its sections named by their Chinese headings."""
    error.args = (_SECTION_KEY.sub(lambda m: document.HEADINGS[m.group(1)], str(error)),)
    return error


def _split(error: BackendError) -> tuple[dict[str, Completion], dict[str, BackendError]]:
    """(sections that succeeded, sections that failed) of a backend call that failed in part."""
    failures = error.failures or ({error.key: error} if error.key else {})
    if not failures:
        raise _named(error)   # not about one section (settings, connection …): nothing succeeded
    return dict(error.completions), dict(failures)


def _require_instructions(backend, instruction: str) -> None:
    if instruction and not backend.follows_instructions:
        raise NeedsModel("按修改要求重写（离线模板只按统计表和工作记录起草，不能按要求修改；"
                         "不提修改要求时可以用离线模板重新起草）")


def _contexts(inputs: YearInputs, keys, instruction: str, current: dict[str, str]) -> dict[str, dict]:
    return {k: template_context(inputs, instruction, current.get(k, "")) for k in keys}


def draft_sections(backend, inputs: YearInputs, keys: list[str], instruction: str = "",
                   current: dict[str, str] | None = None, ui: UI | None = None) -> dict[str, Completion]:
    """Draft the given prose sections with the backend (all prompts rendered before any request).

    Any failed section raises (see draft_each to keep the sections that succeeded).
    """
    _require_instructions(backend, instruction)
    ui = ui or QuietUI()
    contexts = _contexts(inputs, keys, instruction, current or {})
    try:
        return backend.draft(contexts, ui.stream, ui.notice)
    except BackendError as exc:
        raise _named(exc) from exc


def draft_each(backend, inputs: YearInputs, keys: list[str], instruction: str = "",
               current: dict[str, str] | None = None,
               ui: UI | None = None) -> tuple[dict[str, Completion], dict[str, BackendError]]:
    """Draft the sections; return those that succeeded and, apart, the failures of the others."""
    try:
        return draft_sections(backend, inputs, keys, instruction, current, ui), {}
    except BackendError as exc:
        return _split(exc)


def check_and_repair(backend, prompts, inputs: YearInputs, completions: dict[str, Completion],
                     compose: Callable[[dict[str, str]], str], instruction: str = "",
                     current: dict[str, str] | None = None, ui: UI | None = None):
    """Check the drafted sections' numbers and review them; let a model repair what fails (at most 2 rounds).

    Review errors (structure, copying, substance, style) join the number findings; the offline
    draft's 【待补充】 gaps do not, generate reports them itself. A repair that fails, or is no
    better (repair_verdict), keeps the section's text from before it. Returns the completions (text
    cleaned, usage summed over rounds), the findings that remain (with the structure warnings that
    mean lost content, such as a missing 改进情况), and the failed or rejected repairs by section.
    """
    ui = ui or QuietUI()
    current = current or {}
    keys = list(completions)
    sources, reviewing = inputs.sources, inputs.review_context
    texts = {k: clean_answer(k, c.text) for k, c in completions.items()}
    repair_failed: dict[str, BackendError] = {}

    def findings(texts: dict[str, str], everything: bool = False) -> list:
        text = compose(texts)
        review = [f for f in review_document(text, reviewing)
                  if (everything or f.severity == "error") and f.kind != "placeholder"]
        return [f for f in check_numbers(text, sources).findings + review if f.section in keys]

    found = findings(texts)
    for round_no in range(1, 1 + (MAX_REPAIR_ROUNDS if backend.follows_instructions and keys else 0)):
        failing = sorted({f.section for f in found if f.severity == "error"} - set(repair_failed))
        if not failing:
            break
        contexts = _contexts(inputs, failing, instruction, current)
        requests = {k: prompts.render("repair.j2", {"findings": [f for f in found if f.section == k]}) for k in failing}
        for key in failing:
            ui.notice(key, f"{REPAIRING}（第 {round_no} 轮）")
        try:
            fixed = backend.repair(contexts, {k: texts[k] for k in failing}, requests, ui.stream, ui.notice)
        except BackendError as exc:
            fixed, failures = _split(exc)
            repair_failed.update(failures)
        before = findings(texts, everything=True)
        for key, completion in fixed.items():
            completions[key] = _with_usage(completions[key], completion)
            candidate = clean_answer(key, completion.text)
            after = findings({**texts, key: candidate}, everything=True)
            why = repair_verdict(texts[key], candidate, [f for f in before if f.section == key],
                                 [f for f in after if f.section == key])
            if why:   # the original stays with its findings; no more rounds for this section
                repair_failed[key] = RepairRejected(f"{why}，没有采用。", key)
                ui.notice(key, f"修改稿没有采用：{why}")
            else:
                texts[key] = candidate
        found = findings(texts)
    lost = [f for f in findings(texts, everything=True) if f.severity == "warning" and f.category == "structure"]
    return {k: replace(c, text=texts[k]) for k, c in completions.items()}, found + lost, repair_failed


def _with_usage(first: Completion, later: Completion) -> Completion:
    tokens_in, tokens_out = total_usage([first, later])
    return replace(later, input_tokens=tokens_in, output_tokens=tokens_out,
                   duration_s=first.duration_s + later.duration_s)


def _write_draft(workspace: Workspace, year: int, old_text: str | None, text: str, record: Callable[[], None]) -> None:
    """Write draft.md, then its provenance; when the provenance cannot be written, the old draft is put back."""
    path = workspace.draft_path(year)
    workspace.write(path, text)
    try:
        record()
    except FileNotWritable:
        if old_text is None:
            path.unlink(missing_ok=True)
        else:
            workspace.write(path, old_text, keep_history=False)
        raise


def generate(workspace: Workspace, year: int, backend, prompts, force: bool = False,
             ui: UI | None = None) -> DraftResult:
    """Write `<year>/draft.md`: tables from stats.yaml, prose from the backend, numbers checked.

    Prose sections the clerk edited by hand since they were drafted are kept unless `force`.
    A section the model fails to draft keeps its text from the previous draft, or (first draft)
    holds a 【待补充】 placeholder naming the cause and the regenerate command; the sections that
    succeeded are written all the same. When none succeeds the error is raised and nothing written.
    """
    start = time.perf_counter()
    ui = ui or QuietUI()
    inputs = load_inputs(workspace, year)
    for warning in inputs.warnings:         # at once: a long model run may follow
        ui.notice("", str(warning))
    path = workspace.draft_path(year)
    with workspace.lock("drafting"):
        old_text = workspace.read(path) if path.exists() else None
        edited = edited_sections(workspace, year, old_text) if old_text and not force else []
        keys = [k for k in document.PROSE_SECTIONS if k not in edited]
        old_doc = document.parse_document(old_text) if old_text else None
        fixed = {**rendering.table_bodies(inputs.stats), **{k: old_doc.body(k) for k in edited}}
        preamble = prompts.render("preamble.j2", template_context(inputs)).strip()
        title = report_title(inputs)

        signature = old_doc.signature if old_doc and old_doc.signature else document.signature_block(inputs.agency, year)

        def compose(texts: dict[str, str]) -> str:
            return document.compose_document(title, preamble, {**fixed, **texts}, signature)

        completions, failed = draft_each(backend, inputs, keys, ui=ui)
        if failed and not completions:
            raise _named(combine_failures(failed, {}))
        restored = []
        for key, error in failed.items():
            ui.notice(key, f"起草失败：{error.summary}")
            previous = old_doc.body(key) if old_doc and key in old_doc.sections else ""
            if previous.strip() and not previous.lstrip().startswith(FAILED_MARK):
                fixed[key] = previous
                restored.append(key)
            else:
                fixed[key] = failure_placeholder(key, year, error)
        completions, findings, repair_failed = check_and_repair(backend, prompts, inputs, completions, compose, ui=ui)
        with workspace.lock():
            require_unchanged(inputs)
            now_text = workspace.read(path) if path.exists() else None
            for key in _edited_meanwhile(old_text, now_text, completions):
                ui.notice(key, f"“{document.HEADINGS[key]}”在起草期间被修改过，保留修改后的内容，新起草的未写入")
                fixed[key] = document.parse_document(now_text).body(key)
                del completions[key]
                edited.append(key)
            text = compose({k: c.text for k, c in completions.items()})
            duration = time.perf_counter() - start
            _write_draft(workspace, year, now_text, text, lambda: write_provenance(
                workspace, year, backend, prompts, inputs.inputs_hash, completions, text, duration, findings))
    drafted = [k for k in keys if k in completions]
    return DraftResult(path, drafted, edited, completions, duration, inputs.warnings, findings, text,
                       failed, restored, repair_failed)


def _edited_meanwhile(read: str | None, now: str | None, keys) -> list[str]:
    """Sections that changed in draft.md while they were being drafted (another editor, the workbench, a chat)."""
    if now is None or now == read:
        return []
    before, after = document.parse_document(read or ""), document.parse_document(now)
    return [k for k in keys if k in after.sections and after.body(k) != before.body(k)]


def regenerate(workspace: Workspace, year: int, key: str, backend, prompts, instruction: str = "",
               ui: UI | None = None) -> Regenerated | None:
    """Redraft one prose section; every other byte of draft.md stays as it is.

    If the clerk edited the section by hand, `ui.confirm` decides (a QuietUI refuses).
    Returns None when the clerk declined. An instruction needs a backend that follows one
    (NeedsModel otherwise); a failed draft raises and leaves draft.md as it was; a redraft
    identical to the section is not written (`changed` is False).
    """
    ui = ui or QuietUI()
    _require_instructions(backend, instruction)
    with workspace.lock("drafting"):
        path, text = load_draft(workspace, year)
        doc = document.parse_document(text)
        if key not in doc.sections:
            raise InputError(f"草稿中找不到“{document.HEADINGS[key]}”这一部分的标题，无法单独重写。")
        old_body = doc.body(key)
        if key in edited_sections(workspace, year, text):
            diff = section_diff(drafted_body(workspace, year, key), old_body)
            question = f"“{document.HEADINGS[key]}”在上次起草后被手工修改过。用新起草的内容替换这些手工修改吗？（原稿会保存在历史中）"
            if not ui.confirm(question, diff):
                return None
        inputs = load_inputs(workspace, year)
        current = {key: old_body} if instruction else {}

        def compose(texts: dict[str, str]) -> str:
            return document.replace_section(text, key, texts[key])

        completions = draft_sections(backend, inputs, [key], instruction, current, ui)
        completions, findings, repair_failed = check_and_repair(backend, prompts, inputs, completions, compose,
                                                                instruction, current, ui)
        completion = completions[key]
        with workspace.lock():
            require_unchanged(inputs)
            _, now = load_draft(workspace, year)
            if _edited_meanwhile(text, now, [key]):
                diff = section_diff(old_body, document.parse_document(now).body(key), "开始重写时", "现在")
                question = f"“{document.HEADINGS[key]}”在重写期间被修改过。仍用新起草的内容替换吗？（现在的内容会保存在历史中）"
                if not ui.confirm(question, diff):
                    return None
            new_text = document.replace_section(now, key, completion.text)
            if new_text != now:
                _write_draft(workspace, year, now, new_text, lambda: write_provenance(
                    workspace, year, backend, prompts, inputs.inputs_hash, completions, new_text,
                    completion.duration_s, findings))
    return Regenerated(path, key, old_body, completion.text, completion, findings, repair_failed)
