"""Drafting: facts first, then prompts, then the backend, then draft.md with history and provenance."""

from __future__ import annotations

import hashlib
import json
import re
import time
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from . import document, rendering
from .backends.base import ChatMessage, Completion, total_usage
from .errors import DrafterError, InputError, Problem, errors
from .facts import FactSet, compute_facts
from .notes import TOPIC_LIST, Notes, parse_notes
from .workspace import NOTES_NAME, Workspace, atomic_write

if TYPE_CHECKING:
    from .prompts import Prompts

DRAFT_NAME = "draft.md"
PROVENANCE_NAME = "draft.provenance.json"
PROMPT_TEMPLATES = {"overview": "overview.j2", "problems": "problems.j2", "other": "other.j2"}
OUTCOME_LABELS = [("disclosed", "予以公开"), ("partly_disclosed", "部分公开"), ("withheld", "不予公开"),
                  ("unavailable", "无法提供"), ("not_processed", "不予处理"), ("other", "其他处理")]
APPEAL_LABELS = [("upheld", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"), ("pending", "尚未审结")]


class StatsInvalid(DrafterError):
    """The year's tables do not pass validation, so no prose may be drafted from them."""

    def __init__(self, problems: list[Problem]):
        super().__init__("统计表未通过校验，已停止起草。请先按上面的提示修改 stats.yaml，再运行 drafter validate。")
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
    warnings: list[Problem] = field(default_factory=list)
    inputs_hash: str = ""

    @property
    def prior_problems(self) -> list[str]:
        from .review import problem_items

        return problem_items(self.prior_doc.body("problems")) if self.prior_doc else []


def load_inputs(workspace: Workspace, year: int) -> YearInputs:
    """Validated stats, facts, parsed notes and last year's report of one year."""
    stats, problems = workspace.validate(year)
    if errors(problems):
        raise StatsInvalid(errors(problems))
    notes_path = workspace.year_dir(year) / NOTES_NAME
    notes_text = notes_path.read_text(encoding="utf-8") if notes_path.exists() else ""
    notes = parse_notes(notes_text, workspace.display(notes_path))
    warnings = [p for p in problems if p.severity == "warning"]
    warnings += [Problem("warning", f"工作记录中的标题“{h}”不属于任何栏目，其下内容未使用。可用的标题："
                         + "、".join(t.heading for t in TOPIC_LIST), file=notes.file, line=n)
                 for n, h in notes.unknown_headings]
    prior = workspace.prior_stats(year)
    stats_text = workspace.stats_path(year).read_text(encoding="utf-8")
    digest = hashlib.sha256((stats_text + "\0" + notes_text).encode()).hexdigest()[:16]
    return YearInputs(workspace, year, stats, compute_facts(stats, prior), notes, prior_report(workspace, year),
                      warnings, digest)


def prior_report(workspace: Workspace, year: int) -> document.ReportDocument | None:
    """Last year's report: its imported published text, else its draft."""
    for name in ("published.md", DRAFT_NAME):
        path = workspace.year_dir(year - 1) / name
        if path.exists():
            return document.parse_document(path.read_text(encoding="utf-8"))
    return None


def context(inputs: YearInputs, instruction: str = "", current_text: str = "") -> dict:
    """The values every template sees. Notes and data are values, never templates."""
    ws = inputs.workspace
    agency = ws.agency or inputs.stats.agency
    prior_sections = {k: inputs.prior_doc.body(k) if inputs.prior_doc else "" for k in document.PROSE_SECTIONS}
    return {
        "agency": agency,
        "short_name": ws.config.get("short_name", agency),
        "self_ref": ws.self_reference(agency),
        "year": inputs.year,
        "format": inputs.stats.format,
        "facts": inputs.facts,
        "v": inputs.facts.numbers,
        "notes": {t.key: inputs.notes.items(t.key) for t in TOPIC_LIST},
        "overview_topics": [(t.key, t.heading) for t in TOPIC_LIST if t.section == "overview"],
        "other_topics": [(t.key, t.heading) for t in TOPIC_LIST if t.section == "other"],
        "topics": [(t.key, t.heading) for t in TOPIC_LIST],
        "outcome_labels": OUTCOME_LABELS,
        "appeal_labels": APPEAL_LABELS,
        "prior_sections": prior_sections,
        "prior_problems": inputs.prior_problems,
        **_review_requirements(ws.config),
        "instruction": instruction,
        "current_text": current_text,
    }


def _review_requirements(config: dict) -> dict:
    """What `drafter check` will hold the draft to, for the prompts to state."""
    from .review import settings_from

    settings = settings_from(config)
    return {"max_chars": settings.overview_max_chars, "similarity_limit": f"{settings.similarity_threshold:.0%}",
            "promotional_phrases": settings.promotional_phrases}


def build_messages(prompts: Prompts, key: str, ctx: dict) -> list[ChatMessage]:
    """System and user messages for one section, rendered before any request is sent."""
    return [ChatMessage("system", prompts.render("system.j2", ctx)),
            ChatMessage("user", prompts.render(PROMPT_TEMPLATES[key], ctx))]


def title_of(inputs: YearInputs) -> str:
    agency = inputs.workspace.agency or inputs.stats.agency
    return f"{agency}{inputs.year}年政府信息公开工作年度报告"


def body_hash(text: str) -> str:
    return hashlib.sha256(text.strip().encode()).hexdigest()[:16]


@dataclass
class DraftResult:
    path: Path
    drafted: list[str]
    kept: list[str]
    completions: dict[str, Completion]
    duration_s: float
    warnings: list[Problem]
    findings: list = field(default_factory=list)


def draft_sections(backend, prompts: Prompts, inputs: YearInputs, keys: list[str],
                   instruction: str = "", current: dict[str, str] | None = None,
                   on_chunk: Callable[[str, str], None] | None = None) -> dict[str, Completion]:
    """Draft the given prose sections with the backend (all prompts rendered first)."""
    current = current or {}
    contexts = {k: context(inputs, instruction, current.get(k, "")) for k in keys}
    if backend.name == "offline":
        return {k: backend.compose(k, contexts[k]) for k in keys}
    requests = {k: build_messages(prompts, k, contexts[k]) for k in keys}
    return complete_sections(backend, requests, on_chunk)


_SECTION_KEY = re.compile(r"(?<![/\w])(overview|problems|other)(?![/\w])")


def complete_sections(backend, requests: dict[str, list[ChatMessage]],
                      on_chunk: Callable[[str, str], None] | None = None) -> dict[str, Completion]:
    """Model answers for sections; a failure names the sections by their Chinese headings."""
    from .backends.base import BackendError

    try:
        return backend.complete_many(requests, on_chunk)
    except BackendError as exc:
        exc.args = (_SECTION_KEY.sub(lambda m: document.HEADINGS[m.group(1)], str(exc)),)
        raise


MAX_REPAIR_ROUNDS = 2
_ECHOED_HEADING = re.compile(r"^\s*#*\s*[一二三四五六]、[^\n]{2,30}\n+")


def clean_answer(key: str, text: str) -> str:
    """A model's answer as a section body: no echoed section heading, no surrounding blank lines."""
    text = text.strip()
    match = _ECHOED_HEADING.match(text + "\n")
    if match and document.section_key(text.lstrip("# ")[0], match.group(0)) == key:
        text = text[match.end():]
    return text.strip()


def draft_and_check(backend, prompts: Prompts, inputs: YearInputs, keys: list[str],
                    compose: Callable[[dict[str, str]], str], instruction: str = "",
                    current: dict[str, str] | None = None,
                    on_chunk: Callable[[str, str], None] | None = None) -> tuple[dict[str, Completion], list]:
    """Draft sections, check their numbers and review them, and let a model repair what fails (at most 2 rounds).

    Review errors (structure, copying, substance, style) join the number findings; the offline
    draft's 【待补充】 gaps do not, generate reports them itself. Returns the completions (text
    cleaned, usage summed over rounds) and the findings that remain.
    """
    from .checking import check_document, workspace_review, workspace_sources
    from .review import review_document

    sources, reviewing = workspace_sources(inputs), workspace_review(inputs)
    completions = draft_sections(backend, prompts, inputs, keys, instruction, current, on_chunk)
    texts = {k: clean_answer(k, c.text) for k, c in completions.items()}

    def findings() -> list:
        text = compose(texts)
        review = [f for f in review_document(text, reviewing) if f.severity == "error" and f.kind != "placeholder"]
        return [f for f in check_document(text, sources).findings + review if f.section in keys]

    found = findings()
    for _ in range(MAX_REPAIR_ROUNDS if backend.name != "offline" else 0):
        failing = sorted({f.section for f in found if f.severity == "error"})
        if not failing:
            break
        requests = {}
        for key in failing:
            ctx = context(inputs, instruction, (current or {}).get(key, ""))
            repair = prompts.render("repair.j2", {"findings": [f for f in found if f.section == key]})
            requests[key] = [*build_messages(prompts, key, ctx), ChatMessage("assistant", texts[key]),
                             ChatMessage("user", repair)]
        for key, fixed in complete_sections(backend, requests, on_chunk).items():
            texts[key] = clean_answer(key, fixed.text)
            completions[key] = _with_usage(completions[key], fixed)
        found = findings()
    return {k: replace(c, text=texts[k]) for k, c in completions.items()}, found


def _with_usage(first: Completion, later: Completion) -> Completion:
    tokens_in, tokens_out = total_usage([first, later])
    return replace(later, input_tokens=tokens_in, output_tokens=tokens_out,
                   duration_s=first.duration_s + later.duration_s)


def generate(workspace: Workspace, year: int, backend, prompts: Prompts, force: bool = False,
             on_chunk: Callable[[str, str], None] | None = None) -> DraftResult:
    """Write `<year>/draft.md`: tables from stats.yaml, prose from the backend, numbers checked.

    Prose sections the clerk edited by hand since they were drafted are kept unless `force`.
    """
    start = time.perf_counter()
    inputs = load_inputs(workspace, year)
    path = workspace.year_dir(year) / DRAFT_NAME
    old_text = path.read_text(encoding="utf-8") if path.exists() else None
    edited = edited_sections(path) if old_text and not force else []
    keys = [k for k in document.PROSE_SECTIONS if k not in edited]
    old_doc = document.parse_document(old_text) if old_text else None
    fixed = {**rendering.table_bodies(inputs.stats), **{k: old_doc.body(k) for k in edited}}
    preamble = prompts.render("preamble.j2", context(inputs)).strip()
    title = title_of(inputs)

    def compose(texts: dict[str, str]) -> str:
        return document.compose_document(title, preamble, {**fixed, **texts})

    completions, findings = draft_and_check(backend, prompts, inputs, keys, compose, on_chunk=on_chunk)
    text = compose({k: c.text for k, c in completions.items()})
    atomic_write(path, text)
    duration = time.perf_counter() - start
    write_provenance(workspace, year, backend, prompts, inputs, completions, text, duration, findings)
    return DraftResult(path, keys, edited, completions, duration, inputs.warnings, findings)


def provenance_path(workspace: Workspace, year: int) -> Path:
    return workspace.year_dir(year) / PROVENANCE_NAME


def read_provenance(path: Path) -> dict:
    meta = path.parent / PROVENANCE_NAME
    if not meta.exists():
        return {}
    try:
        return json.loads(meta.read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        return {}


def edited_sections(draft_path: Path) -> list[str]:
    """Prose sections whose text differs from what was last drafted (edited by hand)."""
    recorded = read_provenance(draft_path).get("sections", {})
    doc = document.parse_document(draft_path.read_text(encoding="utf-8"))
    return [k for k in document.PROSE_SECTIONS
            if k in recorded and k in doc.sections and body_hash(doc.body(k)) != recorded[k]["hash"]]


def write_provenance(workspace: Workspace, year: int, backend, prompts: Prompts, inputs: YearInputs,
                     completions: dict[str, Completion], text: str, duration: float, findings: list) -> None:
    """Record how the draft was made (never the API key)."""
    path = provenance_path(workspace, year)
    old = read_provenance(workspace.year_dir(year) / DRAFT_NAME)
    doc = document.parse_document(text)
    sections = old.get("sections", {})
    names = {*PROMPT_TEMPLATES.values(), "system.j2", "preamble.j2"} if backend.name != "offline" else \
        {f"offline_{k}.j2" for k in document.PROSE_SECTIONS} | {"preamble.j2"}
    for key, c in completions.items():
        sections[key] = {"hash": body_hash(doc.body(key)), "text": doc.body(key), "drafted_at": datetime.now().isoformat(timespec="seconds"),
                         "backend": backend.name, "model": c.model, "input_tokens": c.input_tokens,
                         "output_tokens": c.output_tokens, "duration_s": round(c.duration_s, 3),
                         "unresolved_findings": [f.as_dict() for f in findings if f.section == key]}
    inputs_tokens = [c.input_tokens for c in completions.values() if c.input_tokens is not None]
    output_tokens = [c.output_tokens for c in completions.values() if c.output_tokens is not None]
    meta = {
        "backend": backend.name,
        "model": getattr(backend, "model", backend.name),
        "generated_at": datetime.now().isoformat(timespec="seconds"),
        "templates": {n: prompts.info(n).sha256 for n in sorted(names)},
        "inputs_hash": inputs.inputs_hash,
        "usage": {"input_tokens": sum(inputs_tokens) if inputs_tokens else None,
                  "output_tokens": sum(output_tokens) if output_tokens else None},
        "duration_s": round(duration, 3),
        "sections": sections,
    }
    atomic_write(path, json.dumps(meta, ensure_ascii=False, indent=2) + "\n", keep_history=False)


def load_draft(workspace: Workspace, year: int, draft: Path | None = None) -> tuple[Path, str]:
    path = draft or workspace.year_dir(year) / DRAFT_NAME
    if not path.exists():
        raise InputError(f"找不到草稿 {workspace.display(path)}。请先运行 drafter generate --year {year}。")
    return path, path.read_text(encoding="utf-8")


class EditedSection(DrafterError):
    """The section to redraft was edited by hand; replacing it needs the clerk's consent."""

    def __init__(self, key: str, diff: str):
        super().__init__(f"“{document.HEADINGS[key]}”在上次起草后被手工修改过。")
        self.key = key
        self.diff = diff


@dataclass
class Regenerated:
    path: Path
    key: str
    old_body: str
    new_body: str
    completion: Completion
    findings: list


def regenerate(workspace: Workspace, year: int, key: str, backend, prompts: Prompts, instruction: str = "",
               confirm: Callable[[str], bool] | None = None,
               on_chunk: Callable[[str, str], None] | None = None) -> Regenerated | None:
    """Redraft one prose section; every other byte of draft.md stays as it is.

    If the clerk edited the section by hand, `confirm(diff)` decides; None (no confirm) refuses.
    Returns None when the clerk declined.
    """
    path, text = load_draft(workspace, year)
    doc = document.parse_document(text)
    if key not in doc.sections:
        raise InputError(f"草稿中找不到“{document.HEADINGS[key]}”这一部分的标题，无法单独重写。")
    old_body = doc.body(key)
    if key in edited_sections(path):
        diff = section_diff(drafted_body(workspace, year, key), old_body)
        if confirm is None:
            raise EditedSection(key, diff)
        if not confirm(diff):
            return None
    inputs = load_inputs(workspace, year)
    current = {key: old_body} if instruction else {}

    def compose(texts: dict[str, str]) -> str:
        return document.replace_section(text, key, texts[key])

    completions, findings = draft_and_check(backend, prompts, inputs, [key], compose, instruction, current, on_chunk)
    completion = completions[key]
    new_text = compose({key: completion.text})
    atomic_write(path, new_text)
    write_provenance(workspace, year, backend, prompts, inputs, completions, new_text, completion.duration_s, findings)
    return Regenerated(path, key, old_body, completion.text, completion, findings)


def drafted_body(workspace: Workspace, year: int, key: str) -> str:
    """The section as it was last drafted (recorded in the provenance file)."""
    sections = read_provenance(workspace.year_dir(year) / DRAFT_NAME).get("sections", {})
    return sections.get(key, {}).get("text", "")


def section_diff(old: str, new: str, old_name: str = "起草稿", new_name: str = "当前稿") -> str:
    """A unified diff of two versions of a section, with Chinese labels."""
    import difflib

    lines = difflib.unified_diff(old.splitlines(), new.splitlines(), old_name, new_name, lineterm="", n=1)
    return "\n".join(lines)


def history(workspace: Workspace, year: int) -> list[dict]:
    """Saved versions of draft.md, newest first."""
    from .workspace import history_entries

    return list(reversed(history_entries(workspace.year_dir(year), DRAFT_NAME)))


def undo(workspace: Workspace, year: int) -> dict:
    """Restore the version of draft.md before its last change; the current one goes to history."""
    from .workspace import HISTORY_DIR, history_entries, mark_undone

    folder = workspace.year_dir(year)
    entries = history_entries(folder, DRAFT_NAME)
    undone = {e["saved_as"] for e in entries if e.get("undone")}
    candidates = [e for e in entries if "undo_of" not in e and not e.get("undone") and e["saved_as"] not in undone]
    if not candidates:
        raise InputError(f"{year}/{DRAFT_NAME} 没有可以撤销的修改。")
    entry = candidates[-1]
    content = (folder / HISTORY_DIR / entry["saved_as"]).read_text(encoding="utf-8")
    path = folder / DRAFT_NAME
    atomic_write(path, content, command=f"drafter undo --year {year}", extra={"undo_of": entry["saved_as"]})
    mark_undone(folder, entry["saved_as"])
    return entry
