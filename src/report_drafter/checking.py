"""The number checker: every number and every 未/无/均 claim in the prose, traced to its source.

Each numeric mention is linked to the quantity its sentence states (topic + attribute words
around it), never merely to "some cell with that value", then compared with the facts.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from . import document, rendering
from .facts import Fact, FactSet, number_text
from .mentions import Mention, find_mentions, scaled

Severity = str  # "error" | "warning"

# ---- vocabulary: topics (what a sentence is about) and attributes (which figure of it) ----
TOPICS = (
    ("review", re.compile(r"行政复议|复议")),
    ("litigation", re.compile(r"行政诉讼|诉讼")),
    ("fee", re.compile(r"信息处理费")),
    ("fees", re.compile(r"行政事业性收费")),
    ("rules", re.compile(r"规章")),
    ("normdocs", re.compile(r"规范性文件")),
    ("licensing", re.compile(r"行政许可")),
    ("punishment", re.compile(r"行政处罚")),
    ("coercion", re.compile(r"行政强制")),
    ("request", re.compile(r"申请|依申请")),
)
# (attribute, pattern) — the first that matches nearest before the number wins
REQUEST_ATTRS = (
    ("disclosed_or_partly", re.compile(r"予以公开(?:和|及|与|、|或)部分公开|(?:全部|完全)?公开(?:和|及|与|、)部分公开")),
    ("unavailable_not_held", re.compile(r"不掌握")),
    ("unavailable_needs_creation", re.compile(r"另行制作")),
    ("unavailable_still_unclear", re.compile(r"仍不明确")),
    ("not_processed_petitions", re.compile(r"信访|举报|投诉")),
    ("not_processed_repeated", re.compile(r"重复申请")),
    ("not_processed_publications", re.compile(r"公开出版物")),
    ("not_processed_excessive", re.compile(r"大量反复")),
    ("not_processed_confirmations", re.compile(r"确认或重新出具")),
    ("withheld_state_secret", re.compile(r"国家秘密")),
    ("withheld_prohibited_by_law", re.compile(r"法律行政法规禁止")),
    ("withheld_security_stability", re.compile(r"三安全一稳定")),
    ("withheld_third_party_rights", re.compile(r"第三方")),
    ("withheld_internal_affairs", re.compile(r"内部事务")),
    ("withheld_process_information", re.compile(r"过程性")),
    ("withheld_enforcement_files", re.compile(r"执法案卷")),
    ("withheld_query_matters", re.compile(r"行政查询")),
    ("other_no_correction", re.compile(r"逾期不补正")),
    ("other_fee_unpaid", re.compile(r"缴纳费用")),
    ("partly_disclosed", re.compile(r"部分公开")),
    ("withheld", re.compile(r"不予公开|不公开")),
    ("unavailable", re.compile(r"无法提供")),
    ("not_processed", re.compile(r"不予处理")),
    ("other", re.compile(r"其他处理|其他方式处理")),
    ("disclosed", re.compile(r"予以公开|同意公开|全部公开")),
    ("carried_forward", re.compile(r"结转(?:到|至|入)?下(?:一)?年度?|转入下(?:一)?年度?|顺延|结转下年")),
    ("carried_over", re.compile(r"上(?:一)?年度?(?:结转|转结)|结转上年")),
    ("new_natural", re.compile(r"自然人")),
    ("new_legal", re.compile(r"法人|其他组织")),
    ("handled", re.compile(r"办结|答复|办理完毕|已处理|处理完毕|作出.*?处理")),
    ("received_total", re.compile(r"总量|总数|合计|共计")),
    ("new", re.compile(r"新收|收到|受理|接收|接到|提出|申请")),
)
APPEAL_ATTRS = (
    ("upheld", re.compile(r"维持")),
    ("corrected", re.compile(r"纠正|纠错")),
    ("other", re.compile(r"其他结果")),
    ("pending", re.compile(r"尚未审结|未审结|审理中|正在审理|未结")),
)
DOC_ATTRS = (
    ("repealed", re.compile(r"废止|失效")),
    ("in_force", re.compile(r"现行有效|有效")),
    ("issued", re.compile(r"制发|制定|出台|印发|发布|新增|公开")),
)
LITIGATION_GROUPS = (
    ("litigation_direct", re.compile(r"未经复议|直接(?:提起|起诉)")),
    ("litigation_after_review", re.compile(r"复议后")),
)
CHANGE = re.compile(r"同比|较上年|比上年|较去年|比去年|较\d{4}年|比\d{4}年|增长|下降|增加|减少|上升")
PRIOR = re.compile(r"上年|去年|上一年")
DECREASE = re.compile(r"下降|减少|降低")
SHARE = re.compile(r"占|公开率|比例|比重")
CLAUSE_BREAK = re.compile(r"[，,；;：:、（）()]|其中|含")
SENTENCE_BREAK = re.compile(r"[。！？!?\n]")
COUNT_UNITS = {"件", "个", "起", "宗", "条", "次", "项", "份", "人次", "批"}


@dataclass
class Finding:
    severity: Severity
    kind: str               # contradiction | unsupported | claim | parts | table
    section: str
    line: int
    text: str               # the sentence (or table row); leading spaces stripped
    found: str
    expected: str | None
    source: str | None
    message: str
    span: tuple[int, int] = (0, 0)  # of the number inside `text`
    offset: int = -1                # of the sentence in the checked text (to map lines back to a source file)
    category: str = "numbers"       # numbers | structure | copying | substance | style (see review.py)

    def as_dict(self) -> dict:
        return {"severity": self.severity, "kind": self.kind, "section": self.section, "line": self.line,
                "text": self.text, "found": self.found, "expected": self.expected, "source": self.source,
                "message": self.message, "category": self.category}


@dataclass
class Verified:
    section: str
    line: int
    found: str
    source: str
    offset: int = -1


@dataclass
class CheckReport:
    findings: list[Finding] = field(default_factory=list)
    verified: list[Verified] = field(default_factory=list)
    skipped: list[list] = field(default_factory=list)  # [line, text, reason, offset]
    mentions: int = 0
    claims: int = 0
    table_cells: int = 0

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    def counts(self) -> dict:
        kinds, categories = {}, {}
        for f in self.findings:
            kinds[f.kind] = kinds.get(f.kind, 0) + 1
            categories[f.category] = categories.get(f.category, 0) + 1
        reasons = {}
        for _, _, reason, _ in self.skipped:
            reasons[reason] = reasons.get(reason, 0) + 1
        return {"mentions": self.mentions, "verified": len(self.verified), "errors": len(self.errors),
                "warnings": len(self.findings) - len(self.errors), "claims": self.claims,
                "table_cells": self.table_cells, "skipped": len(self.skipped), "skipped_by_reason": reasons,
                "findings_by_kind": kinds, "findings_by_category": categories}


@dataclass
class NoteNumber:
    value: Decimal
    unit: str | None
    source: str


@dataclass
class Sources:
    """What prose numbers may come from: the facts, the notes, and whether a stray number is an error."""

    facts: FactSet
    notes: list[NoteNumber] = field(default_factory=list)
    strict: bool = True     # a draft: unsupported numbers are errors; a published report: warnings


def note_numbers(notes) -> list[NoteNumber]:
    """Every number written in the work notes, with file:line as its source."""
    out = []
    for topic, line, text in notes.entries():
        for m in find_mentions(text).mentions:
            out.append(NoteNumber(_dec(scaled_value(m)), m.unit, f"{notes.file}:{line}（{text[:30]}）"))
    return out


def _dec(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(value)


def scaled_value(m: Mention):
    """The mention's value with its 万/亿 multiplier applied."""
    return scaled(m)[0]


# ---------- linking a mention to a quantity ----------

def _last_match(patterns, text: str) -> tuple[str, int] | None:
    """The attribute whose match ends last in `text` (nearest the number); ties go to the earlier pattern."""
    best = None
    for name, pattern in patterns:
        for m in pattern.finditer(text):
            if best is None or m.end() > best[1]:
                best = (name, m.end())
    return best


def _first_match(patterns, text: str) -> str | None:
    for name, pattern in patterns:
        if pattern.search(text):
            return name
    return None


def _topic(text: str) -> str | None:
    found = _last_match(TOPICS, text)
    return found[0] if found else None


_CONNECTORS = re.compile(r"共计|合计|累计|总计|全年|全市|本年度?|另有|其中|共|计|达|为|有|约|近|分别|\s")


def _is_bare(clause: str) -> bool:
    """A clause with nothing of its own but connectors (“其中”“另有”“共”), so it continues the sentence's subject."""
    return not _CONNECTORS.sub("", clause)


def _attributes(topic: str):
    return {"review": APPEAL_ATTRS, "litigation": APPEAL_ATTRS, "request": REQUEST_ATTRS[:-1],
            "rules": DOC_ATTRS, "normdocs": DOC_ATTRS}.get(topic, ())


def _inherited_topic(before: str, clause: str) -> str | None:
    """The sentence's earlier subject, when this clause only adds an attribute of it (“其中结果维持…”)."""
    topic = _topic(before)
    if topic and (_is_bare(clause) or _last_match(_attributes(topic), clause) or CHANGE.search(clause)
                  or PRIOR.search(clause)):
        return topic
    return None


def candidates(sentence: str, start: int, end: int, m: Mention) -> list[str]:
    """Fact keys the number at sentence[start:end] may state, most likely first."""
    before = sentence[:start]
    breaks = [b.end() for b in CLAUSE_BREAK.finditer(before)]
    clause = before[breaks[-1] if breaks else 0:]
    after = sentence[end:]
    next_break = CLAUSE_BREAK.search(after)
    tail = after[: next_break.start() if next_break else len(after)]
    topic = _topic(clause) or _inherited_topic(before, clause)
    if topic is None and _last_match(REQUEST_ATTRS[:-3], clause):
        topic = "request"  # 予以公开、无法提供… only describe applications
    if topic is None and _is_bare(clause):
        topic = _topic(tail)
    if topic is None:
        return []
    is_pct = m.is_percent
    if CHANGE.search(clause + tail) or (PRIOR.search(clause) and topic != "request"):
        return _change_keys(topic, clause + tail, is_pct)
    if PRIOR.search(clause) and topic == "request" and not re.search(r"结转", clause):
        return _change_keys(topic, clause, is_pct)
    if is_pct:
        return ["disclosure_rate"] if SHARE.search(clause + tail) and topic == "request" else []
    if topic in ("review", "litigation"):
        attr = _last_match(APPEAL_ATTRS, clause) or (_first_match(APPEAL_ATTRS, tail), 0)
        col = attr[0] if attr and attr[0] else "total"
        if topic == "review":
            return [f"review_{col}"]
        group = _last_match(LITIGATION_GROUPS, before)
        return [f"{group[0]}_{col}" if group else f"litigation_{col}"]
    if topic in ("rules", "normdocs"):
        prefix = "rules" if topic == "rules" else "normative_documents"
        attr = _last_match(DOC_ATTRS, before) or ((_first_match(DOC_ATTRS, tail), 0) if _first_match(DOC_ATTRS, tail) else None)
        return [f"{prefix}_{attr[0] if attr else 'issued'}"]
    if topic in ("licensing", "punishment", "coercion"):
        return [topic]
    if topic == "fees":
        return ["fees"]
    if topic == "fee":
        return ["fee_cases"] if m.unit in COUNT_UNITS else ["fee_amount"]
    attr = _last_match(REQUEST_ATTRS[:-1], clause) or _last_match(REQUEST_ATTRS[-1:], clause)
    if attr is None:
        tail_attr = _first_match(REQUEST_ATTRS[:-1], tail)
        attr = (tail_attr, 0) if tail_attr else None
    if attr is None:
        return []
    key = attr[0]
    if key == "new":
        return ["new", "received_total"]
    if key == "handled":
        return ["handled", "received_total"]
    if key == "received_total":
        return ["received_total", "new"]
    return [key]


def _change_keys(topic: str, text: str, is_pct: bool) -> list[str]:
    base = {"request": "handled" if re.search(r"办结|答复", text) else "new", "review": "review_total"}.get(topic)
    if base is None:
        return []
    if CHANGE.search(text):
        return [f"change_pct_{base}"] if is_pct else [f"change_{base}", f"prior_{base}"]
    return [] if is_pct else [f"prior_{base}"]


# ---------- comparing ----------

def _in_base_unit(m: Mention, fact: Fact) -> Decimal | None:
    """The mention's value in the fact's unit, or None when the units cannot describe it."""
    value = _dec(scaled_value(m))
    unit = m.unit or ""
    if fact.unit == "%":
        return value if m.is_percent else None
    if m.is_percent:
        return None
    if fact.unit == "元":
        if unit.endswith("万元"):
            return value * 10000
        return value if unit in ("元", "") else None
    if fact.unit == "万元":
        if unit == "元":
            return value / 10000
        return value if unit in ("万元", "") else None
    return value if (unit in COUNT_UNITS or unit == "") else None


def _matches(m: Mention, fact: Fact, value: Decimal, decrease: bool) -> bool:
    expected = Decimal(fact.value)
    if fact.key.startswith("change"):
        expected = abs(expected) if (expected < 0) == decrease or expected == 0 else None
        if expected is None:
            return False
    if m.is_percent:
        places = -value.as_tuple().exponent if value.as_tuple().exponent < 0 else 0
        expected = expected.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    if m.approximate:
        return expected >= value and expected <= value * Decimal("1.2") + 10
    return value == expected


def _expected_text(fact: Fact, m: Mention) -> str:
    value = Decimal(fact.value)
    if fact.key.startswith("change"):
        value = abs(value)
    if m.is_percent:
        return f"{number_text(value)}%"
    return f"{number_text(value)}{fact.unit}"


# ---------- claims (未/无/均) ----------

@dataclass(frozen=True)
class Claim:
    pattern: re.Pattern
    facts: tuple[str, ...]      # each must be zero for the claim to hold


ZERO_CLAIMS = (
    Claim(re.compile(r"(?:未|没有|无)[^，。；]{0,12}(?:收到|受理|接到|接收)[^，。；]{0,10}申请|无(?:依申请公开|政府信息公开申请)|申请(?:数量)?为(?:0|零)"),
          ("new",)),
    Claim(re.compile(r"(?:未|没有|无)[^，。；]{0,20}(?:行政复议)[^，。；]{0,3}(?:和|及|或|、)[^，。；]{0,4}行政诉讼|(?:未|没有|无)[^，。；]{0,20}复议[、和及或]诉讼"),
          ("review_total", "litigation_total")),
    Claim(re.compile(r"(?:未|没有|无)[^，。；]{0,20}行政复议(?![^，。；]{0,4}(?:和|及|、)[^，。；]{0,4}诉讼)"),
          ("review_total",)),
    Claim(re.compile(r"(?:未|没有|无)[^，。；]{0,20}(?<!复议[和及、])行政诉讼"), ("litigation_total",)),
    Claim(re.compile(r"(?:未|没有|不|无)[^，。；]{0,6}收取[^，。；]{0,16}(?:费|费用)"), ("fee_amount",)),
    Claim(re.compile(r"(?:无|未|没有)[^，。；]{0,10}(?:被)?纠(?:错|正)"), ("review_corrected", "litigation_corrected")),
    Claim(re.compile(r"(?:全部|均已|均)(?:办结|答复完毕)|无结转"), ("carried_forward",)),
)
ALL_UPHELD = re.compile(r"均(?:获|被|予以)?维持|全部(?:获|被)?维持")


def check_claims(sentence: str, facts: FactSet) -> list[tuple[str, str, str]]:
    """(claim text, expected, source) for every decidable 未/无/均 claim the tables contradict."""
    problems = []
    checked = []
    for claim in ZERO_CLAIMS:
        match = claim.pattern.search(sentence)
        if not match or any(c in checked for c in claim.facts):
            continue
        checked += claim.facts
        nonzero = [facts[k] for k in claim.facts if k in facts and facts[k].value != 0]
        for fact in nonzero:
            problems.append((match.group(0), f"{fact.label}{fact.text}{fact.unit}", fact.source))
    match = ALL_UPHELD.search(sentence)
    if match:
        groups = [g for g in ("review", "litigation") if re.search("复议" if g == "review" else "诉讼", sentence)]
        for group in groups or ["review", "litigation"]:
            for col in ("corrected", "other", "pending"):
                fact = facts.get(f"{group}_{col}")
                if fact and fact.value:
                    problems.append((match.group(0), f"{fact.label}{fact.text}{fact.unit}", fact.source))
    return problems


def count_claims(sentence: str) -> int:
    return sum(1 for c in ZERO_CLAIMS if c.pattern.search(sentence)) + (1 if ALL_UPHELD.search(sentence) else 0)


# ---------- the checker ----------

def _sentences(text: str):
    """(start, end) of each sentence in `text`."""
    start = 0
    for m in SENTENCE_BREAK.finditer(text):
        if m.end() > start:
            yield start, m.end()
        start = m.end()
    if start < len(text):
        yield start, len(text)


def check_prose(text: str, offset: int, section: str, sources: Sources, report: CheckReport,
                lines: list[int]) -> None:
    """Check one prose passage that starts at char `offset` of a file whose line starts are `lines`."""

    def line_of(position: int) -> int:
        return bisect_right(lines, position)

    scan = find_mentions(text)
    for s in scan.skipped:
        report.skipped.append([line_of(offset + s.start), s.raw, s.reason, offset + s.start])
    by_sentence: dict[tuple[int, int], list[Mention]] = {}
    bounds = list(_sentences(text))
    for m in scan.mentions:
        for b in bounds:
            if b[0] <= m.start < b[1]:
                by_sentence.setdefault(b, []).append(m)
                break
    for (s0, s1) in bounds:
        sentence = text[s0:s1]
        line = line_of(offset + s0)
        report.claims += count_claims(sentence)
        for claim, expected, source in check_claims(sentence, sources.facts):
            report.findings.append(Finding("error", "claim", section, line, sentence.strip(), claim, expected, source,
                                           f"“{claim}”与统计表不符：{expected}", _span(sentence, claim), offset + s0))
        mentions = by_sentence.get((s0, s1), [])
        for m in mentions:
            report.mentions += 1
            before = len(report.findings), len(report.verified)
            _check_mention(m, sentence, m.start - s0, m.end - s0, section, line_of(offset + m.start),
                           sources, report)
            _set_offsets(report, before, offset + m.start)
        before = len(report.findings), len(report.verified)
        _check_parts(mentions, sentence, s0, section, line, sources, report)
        _set_offsets(report, before, offset + s0)


def _set_offsets(report: CheckReport, before: tuple[int, int], offset: int) -> None:
    for item in report.findings[before[0]:] + report.verified[before[1]:]:
        item.offset = offset


def _span(sentence: str, part: str) -> tuple[int, int]:
    i = sentence.find(part)
    return (i, i + len(part)) if i >= 0 else (0, 0)


def _check_mention(m: Mention, sentence: str, start: int, end: int, section: str, line: int,
                   sources: Sources, report: CheckReport) -> None:
    keys = [k for k in candidates(sentence, start, end, m) if k in sources.facts]
    found = sentence[start:end]
    decrease = bool(DECREASE.search(sentence[:end]))
    for key in keys:
        fact = sources.facts[key]
        value = _in_base_unit(m, fact)
        if value is not None and _matches(m, fact, value, decrease):
            report.verified.append(Verified(section, line, found, fact.source))
            return
    note = _note_source(m, sources.notes)
    if note:
        report.verified.append(Verified(section, line, found, note))
        return
    comparable = [sources.facts[k] for k in keys if _in_base_unit(m, sources.facts[k]) is not None]
    if comparable:
        fact = comparable[0]
        report.findings.append(Finding(
            "error", "contradiction", section, line, sentence.strip(), found, _expected_text(fact, m), fact.source,
            f"“{found}”应为“{_expected_text(fact, m)}”（{fact.label}，来源：{fact.source}）", (start, end)))
        return
    if sources.strict:
        severity, message = "error", f"“{found}”在统计表和工作记录中找不到依据。请核实；如属实，请把它记入 notes.md 对应栏目"
    else:
        severity, message = "warning", f"“{found}”不是统计表中的数据，无法核对，请核实来源"
    report.findings.append(Finding(severity, "unsupported", section, line, sentence.strip(), found, None, None,
                                   message, (start, end)))


def _note_source(m: Mention, notes: list[NoteNumber]) -> str | None:
    value = _dec(scaled_value(m))
    for n in notes:
        if n.value == value and (n.unit == m.unit or not n.unit or not m.unit):
            return n.source
    return None


def _check_parts(mentions: list[Mention], sentence: str, s0: int, section: str, line: int,
                 sources: Sources, report: CheckReport) -> None:
    """“X件，其中A件、B件”: the parts may not add up to more than the whole."""
    idx = sentence.find("其中")
    if idx < 0:
        return
    whole = [m for m in mentions if m.start - s0 < idx and not m.is_percent]
    stop = re.search(r"[；;）)]", sentence[idx:])
    limit = idx + (stop.start() if stop else len(sentence))
    parts = [m for m in mentions if idx < m.start - s0 < limit and not m.is_percent and m.unit == (whole[-1].unit if whole else None)]
    if not whole or len(parts) < 2:
        return
    total = sum(_dec(scaled_value(p)) for p in parts)
    head = _dec(scaled_value(whole[-1]))
    if total > head:
        text = sentence[whole[-1].start - s0: whole[-1].end - s0]
        report.findings.append(Finding(
            "error", "parts", section, line, sentence.strip(), number_text(total), text, None,
            f"“其中”各项之和为 {number_text(total)}，超过了总数“{text}”", (whole[-1].start - s0, whole[-1].end - s0)))


# ---------- tables in the draft ----------

def _table_expectations(stats) -> dict[str, list[str]]:
    """Row label → expected cells, for every row draft tables render."""
    expected: dict[str, list[str]] = {}
    for table in (rendering.table2(stats), rendering.table3(stats), rendering.table4(stats)):
        for _, cells in rendering.table_rows(table, 0):
            if cells and cells[1:] and all(re.fullmatch(r"-?[\d.]+", c) for c in cells[1:]):
                expected[cells[0]] = cells[1:]
    return expected


def check_tables(doc: document.ReportDocument, stats, report: CheckReport) -> None:
    """Compare each table cell of sections 二–四 with stats.yaml (a clerk may edit tables by hand)."""
    expected = _table_expectations(stats)
    seen = set()
    for key in ("active", "requests", "appeals"):
        section = doc.sections.get(key)
        if section is None:
            report.findings.append(Finding("error", "table", key, 1, document.HEADINGS[key], "", None, None,
                                           f"草稿缺少“{document.HEADINGS[key]}”及其表格"))
            continue
        header: list[str] = []
        for line, cells in rendering.table_rows(section.body, section.body_line):
            if cells[0] not in expected:
                header = cells
                continue
            seen.add(cells[0])
            for col, (got, want) in enumerate(zip(cells[1:], expected[cells[0]])):
                report.table_cells += 1
                if got.replace(",", "") != want:
                    column = header[col + 1] if len(header) > col + 1 else f"第{col + 2}列"
                    report.findings.append(Finding(
                        "error", "table", key, line, " | ".join(cells), got, want, f"stats.yaml {cells[0]} · {column}",
                        f"表格“{cells[0]} · {column}”填写为 {got}，stats.yaml 中为 {want}。表格应由 stats.yaml 生成，"
                        "请修改 stats.yaml 后运行 drafter generate"))
    for label in expected:
        if label not in seen and any(doc.sections.get(k) for k in ("active", "requests", "appeals")):
            report.findings.append(Finding("error", "table", "requests", 1, label, "", None, None,
                                           f"草稿的表格中缺少“{label}”一行"))


def check_document(text: str, sources: Sources, stats=None) -> CheckReport:
    """Check a whole report: prose sections against the sources, and (for drafts) tables against stats."""
    report = CheckReport()
    doc = document.parse_document(text)
    offsets = _line_offsets(text)
    for key in document.PROSE_SECTIONS:
        section = doc.sections.get(key)
        if section is None:
            continue
        start = offsets[section.body_line - 1] if section.body_line - 1 < len(offsets) else len(text)
        check_prose(section.body, start, key, sources, report, offsets)
    if stats is not None:
        check_tables(doc, stats, report)
    return report


def _line_offsets(text: str) -> list[int]:
    offsets = [0]
    for i, ch in enumerate(text):
        if ch == "\n":
            offsets.append(i + 1)
    return offsets


def workspace_sources(inputs) -> Sources:
    """Sources of a workspace year: its facts (with last year's) and the numbers in its notes."""
    return Sources(inputs.facts, note_numbers(inputs.notes), strict=True)


def workspace_review(inputs):
    """What a workspace year's draft is reviewed against: the agency, the year, last year's report, [check]."""
    from .review import ReviewContext, settings_from

    ws = inputs.workspace
    names = tuple(n for n in (ws.config.get("short_name"), inputs.stats.agency) if n)
    return ReviewContext(ws.agency or inputs.stats.agency, inputs.year, names, inputs.prior_doc,
                         f"{inputs.year - 1}年报告", settings_from(ws.config))


def check_draft(workspace, year: int, draft_path=None, review: bool = True) -> tuple[CheckReport, str]:
    """Check a year's draft (default <year>/draft.md) against its tables and notes, then review it."""
    from .drafting import load_draft, load_inputs
    from .review import review_document

    path, text = load_draft(workspace, year, draft_path)
    inputs = load_inputs(workspace, year)
    result = check_document(text, workspace_sources(inputs), inputs.stats)
    if review:
        result.findings += review_document(text, workspace_review(inputs))
    return result, workspace.display(path)


def align_offsets(derived: str, original: str) -> list[int]:
    """For each char of `derived` (text rebuilt from `original`), its offset in `original`.

    Whitespace is ignored on both sides. Where the texts diverge (a page number in the middle of
    a paragraph, tables rebuilt as Markdown) the original is searched ahead for the derived text
    that follows; a char with no counterpart (whitespace, “#”, “|”) takes the offset of the next
    char that has one.
    """
    kept = [i for i, ch in enumerate(original) if not ch.isspace()]
    flat = "".join(original[i] for i in kept)
    letters = [(i, ch) for i, ch in enumerate(derived) if not ch.isspace()]
    out = [len(original)] * (len(derived) + 1)
    filled, p = 0, 0  # derived[:filled] has offsets; flat[:p] is used up
    for n, (i, ch) in enumerate(letters):
        q = p if p < len(flat) and flat[p] == ch else _resync(flat, p, "".join(c for _, c in letters[n:n + 16]))
        if q is not None:
            out[filled:i + 1] = [kept[q]] * (i + 1 - filled)
            filled, p = i + 1, q + 1
    return out


def _resync(flat: str, start: int, ahead: str) -> int | None:
    """Where the derived text `ahead` continues in the original: nearby on a short match, anywhere on a long one."""
    near = flat.find(ahead[:6], start)
    if 0 <= near - start < 400:
        return near
    far = flat.find(ahead, start) if len(ahead) == 16 else -1
    return far if far >= 0 else None


def remap_lines(report: CheckReport, derived: str, original: str) -> None:
    """Line numbers of findings as lines of `original`, the file the derived text came from."""
    positions = align_offsets(derived, original)
    starts = _line_offsets(original)

    def line(offset: int, old: int) -> int:
        return bisect_right(starts, positions[offset]) if 0 <= offset < len(positions) else old

    for item in report.findings + report.verified:
        item.line = line(item.offset, item.line)
    for entry in report.skipped:
        entry[0] = line(entry[3], entry[0])


def check_published(path, prior_path=None, review=None) -> tuple[CheckReport, str]:
    """Check a published report (any kind `drafter import` reads) against its own tables.

    Numbers no table backs are warnings (a published report has no notes). With `review` (a
    review.ReviewSettings) the review checks run too, against the prior report when given. Line
    numbers refer to the file for text input, and to the extracted text (as `drafter import` writes
    published.md) for PDF, HTML and Word input.
    """
    from pathlib import Path

    from .facts import compute_facts
    from .importing import check_report, import_report
    from .importing.sources import decode_text

    path = Path(path)
    report = import_report(path)
    prior = import_report(Path(prior_path)) if prior_path else None
    prior_stats = prior.stats if prior else None
    result = check_document(report.markdown, Sources(compute_facts(report.stats, prior_stats), strict=False))
    if review is not None:
        result.findings += review_published(report, prior, review, Path(prior_path).name if prior_path else "")
    if report.kind in ("text", "layout"):
        remap_lines(result, report.markdown, decode_text(path.read_bytes(), path.name))
    for problem in check_report(report, prior_stats):
        result.findings.append(Finding(problem.severity, "table", "tables", problem.line or 0, problem.where,
                                       problem.found or "", problem.expected, problem.where, problem.message))
    return result, path.name


def review_published(report, prior, settings, prior_name: str = "") -> list[Finding]:
    """Review findings of an imported published report, compared with an imported prior one."""
    from .review import ReviewContext, review_document

    prior_doc = document.parse_document(prior.markdown) if prior else None
    context = ReviewContext(report.agency or report.agency_as_written, report.year, (report.agency_as_written,),
                            prior_doc, f"上年度报告（{prior_name}）" if prior_name else "上年度报告", settings,
                            spacing_reliable=report.kind not in ("layout", "pdf"))
    return review_document(report.markdown, context)
