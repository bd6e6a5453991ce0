"""How right `drafter check --report` is on real reports, measured against hand-labelled claims.

Runs report_drafter.services.checking.check_published on every report labelled in tests/fixtures/claims
(with last year's report when the labels name one) and prints:

- recall on the labelled mismatches (caught = an error on the claim's line whose `found` holds the number);
- false errors per 100 correct claims (errors on claims labelled match or not_table);
- the share of table-quantity claims that get only a "不是统计表中的数据" (unsupported) or blank-cell warning;
- line accuracy: of every finding whose `found` is a number, the share whose line in the user's file holds it;
- recall on mutations of the correct claims: each claim labelled match is changed alone in a copy of the
  file (+1, −1, ×10, two digits swapped, two numbers of a sentence swapped, 增长↔下降 for changes) and the
  mutation is caught when an error on the claim's line holds the mutated number;
- and, to tell reading from judging, the labelled quantities whose value as the import reads the tables
  differs from the hand-read one (blank, absent, or another number).

    python benchmarks/bench_checker.py [--report NAME] [--json] [--misses N] [--no-mutations]

Each check_published call takes about 0.05–0.25 s here; all eleven reports with mutations take well under a
minute on one core.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml

from report_drafter.services.checking import check_published

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "tests" / "fixtures" / "claims"
ZERO_WORDS = ("未", "无", "均")
NUMBER = re.compile(r"\d+(?:\.\d+)?")
SENTENCE_END = "。；！？\n\n"
FLIPS = (("增长", "下降"), ("增加", "减少"), ("上升", "下降"), ("提高", "降低"), ("多", "少"))
WARNING_KINDS = ("unsupported", "blank")     # "不是统计表中的数据" and "对应的统计表单元格为空"


@dataclass
class Claim:
    quote: str
    number: str
    line: int
    quantity: str | None
    expected: object
    verdict: str
    readings: list = field(default_factory=list)
    note: str = ""
    start: int = 0          # offset of the number in the file
    alone: bool = True      # no other claim on its line states the same digits

    @property
    def digits(self) -> str | None:
        found = NUMBER.search(self.number)
        return found.group() if found else None

    @property
    def zero_word(self) -> str | None:
        return self.number if self.number in ZERO_WORDS else None


@dataclass
class Report:
    name: str
    path: Path
    prior: Path | None
    text: str
    claims: list[Claim]


def load_reports(only: str | None = None) -> list[Report]:
    reports = []
    for label_file in sorted(LABELS.glob("*.yaml")):
        if only and only not in label_file.stem:
            continue
        data = yaml.safe_load(label_file.read_text(encoding="utf-8"))
        path = ROOT / data["file"]
        text = path.read_text(encoding="utf-8")
        claims = []
        for item in data["claims"]:
            claim = Claim(**{k: v for k, v in item.items()})
            claim.quote, claim.number = str(claim.quote), str(claim.number)
            claim.start = text.index(claim.quote) + claim.quote.index(claim.number)
            claims.append(claim)
        same = Counter((c.line, c.digits) for c in claims)
        for claim in claims:
            claim.alone = same[(claim.line, claim.digits)] == 1
        reports.append(Report(label_file.stem, path, ROOT / data["prior"] if data.get("prior") else None, text,
                              claims))
    return reports


def digits_of(found: str | None) -> str | None:
    match = NUMBER.search(found or "")
    return match.group() if match else None


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


def finding_is_on(finding, claim: Claim, number: str | None = None, quote: str | None = None) -> bool:
    """The finding is about this claim: its line, its `found` holds the claim's number (or the mutated
    `number`) and its sentence holds the claim's quote (as mutated: `quote`)."""
    if finding.line != claim.line:
        return False
    if claim.zero_word and number is None:
        found, quote = squeeze(finding.found), squeeze(claim.quote)
        at = quote.find(claim.zero_word)
        return claim.zero_word in found and (found in quote or quote[at:at + 4] in found)
    if digits_of(finding.found) != (number or claim.digits):
        return False
    text, quote = squeeze(finding.text), squeeze(quote or claim.quote)
    # a finding whose sentence does not hold the quote (text rewrapped) is this claim's when the claim is
    # the only one with those digits on its line
    return not text or quote in text or claim.alone


def check(path: Path, prior: Path | None):
    return check_published(path, prior).report.findings


def line_holds(text_lines: list[str], finding) -> bool:
    number = digits_of(finding.found)
    if not finding.line or finding.line > len(text_lines):
        return False
    return number in squeeze(text_lines[finding.line - 1])


# ---------------------------------------------------------------- mutations

def mutations(report: Report) -> list[tuple[str, Claim, list[tuple[int, int, str]], str]]:
    """(kind, claim, edits (start, end, new text), mutated number) for each match claim."""
    out = []
    table_claims = [c for c in report.claims if c.verdict == "match" and c.digits]
    for claim in table_claims:
        digits = claim.digits
        start = claim.start + claim.number.index(digits)
        end = start + len(digits)
        value = Decimal(digits)
        variants = [("+1", value + 1), ("-1", value - 1 if value > 0 else None), ("x10", value * 10)]
        for kind, new in variants:
            if new is not None and new != value:
                new_text = _format_like(new, digits)
                out.append((kind, claim, [(start, end, new_text)], new_text))
        swapped = _digit_swap(digits)
        if swapped:
            out.append(("digit-swap", claim, [(start, end, swapped)], swapped))
        for other in table_claims:
            if (other.start > claim.start and other.quantity != claim.quantity and other.digits != digits
                    and _same_sentence(report.text, claim.start, other.start)):
                o_start = other.start + other.number.index(other.digits)
                edits = [(start, end, other.digits), (o_start, o_start + len(other.digits), digits)]
                out.append(("swap", claim, edits, other.digits))
                out.append(("swap", other, edits, digits))      # the same file: caught when either is flagged
        if claim.quantity and claim.quantity.startswith("change"):
            sentence = _sentence_span(report.text, claim.start)
            for a, b in FLIPS:
                for old, new in ((a, b), (b, a)):
                    at = report.text.rfind(old, sentence[0], claim.start)
                    if at >= 0:
                        out.append(("flip", claim, [(at, at + len(old), new)], digits))
                        break
                else:
                    continue
                break
    return out


def _format_like(value: Decimal, original: str) -> str:
    places = len(original.split(".")[1]) if "." in original else 0
    return f"{value:.{places}f}"


def _digit_swap(digits: str) -> str | None:
    chars = list(digits)
    positions = [i for i, ch in enumerate(chars) if ch.isdigit()]
    for i, j in zip(positions[::-1][1:], positions[::-1]):
        if chars[i] != chars[j] and not (i == 0 and chars[j] == "0"):
            chars[i], chars[j] = chars[j], chars[i]
            return "".join(chars)
    return None


def _sentence_span(text: str, at: int) -> tuple[int, int]:
    start = max(text.rfind(ch, 0, at) for ch in SENTENCE_END) + 1
    ends = [e for e in (text.find(ch, at) for ch in SENTENCE_END) if e >= 0]
    return start, min(ends) if ends else len(text)


def _same_sentence(text: str, a: int, b: int) -> bool:
    return _sentence_span(text, a) == _sentence_span(text, b)


def apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def mutated_quote(text: str, claim: Claim, edits: list[tuple[int, int, str]]) -> str:
    """The claim's quote as it reads after the edits."""
    start = text.index(claim.quote)
    end = start + len(claim.quote)
    inside = [(s - start, e - start, new) for s, e, new in edits if start <= s and e <= end]
    return apply(claim.quote, inside)


def imported_facts(report: Report):
    """The facts of the report's tables as the checker's import reads them (and last year's, when given)."""
    from report_drafter.facts import compute_facts
    from report_drafter.services.checking import read_published

    stats = read_published(report.path).report.stats
    prior = read_published(report.prior).report.stats if report.prior else None
    return compute_facts(stats, prior)


def reading_values(report: Report, facts) -> dict[str, set[Decimal]]:
    """For claims with several readings: the value of each reading, as the import reads the tables (used
    only to skip mutations that turn the claim into another correct reading)."""
    return {c.quote: {Decimal(str(facts[k].value)) for k in c.readings if k in facts}
            for c in report.claims if c.readings}


def misread(report: Report, facts) -> list[dict]:
    """Labelled quantities whose value, as the import reads the tables, is not the hand-read one."""
    out = []
    for claim in report.claims:
        if claim.quantity is None or claim.expected is None:
            continue
        expected = claim.expected if isinstance(claim.expected, list) else [claim.expected]
        wanted = {Decimal(str(e).rstrip("%")) for e in expected}
        fact = facts.get(claim.quantity)
        if fact is None or Decimal(str(fact.value)) not in wanted:
            read = "blank" if claim.quantity in facts.blank else (fact.text if fact else "absent")
            out.append({"where": f"{report.path.name}:{claim.line}", "quantity": claim.quantity,
                        "hand_read": claim.expected, "imported": read})
    return out


# ---------------------------------------------------------------- measuring

def describe(findings, claim: Claim, number: str) -> str:
    """What the checker said instead at the claim, for a miss: the finding on the number, or none."""
    on_number = [f for f in findings if f.line == claim.line and digits_of(f.found) == number]
    if on_number:
        f = on_number[0]
        return f"{f.severity} {f.kind}" + (f" expected {f.expected}" if f.expected else "")
    elsewhere = [f for f in findings if digits_of(f.found) == number and f.severity == "error"]
    if elsewhere:
        return f"error at line {elsewhere[0].line} instead of {claim.line}"
    return "no finding"


def measure(report: Report, with_mutations: bool) -> dict:
    started = time.perf_counter()
    findings = check(report.path, report.prior)
    check_seconds = time.perf_counter() - started
    lines = report.text.split("\n")
    errors = [f for f in findings if f.severity == "error"]
    result = {"report": report.name, "claims": len(report.claims), "seconds_per_check": round(check_seconds, 3),
              "verdicts": dict(Counter(c.verdict for c in report.claims)),
              "mismatches": [], "false_errors": [], "table_warnings": [], "table_claims": 0,
              "unlabelled_errors": [], "wrong_lines": [], "number_findings": 0}
    attached = set()
    for claim in report.claims:
        # a 其中 list adding up to more than its total is about the prose's own numbers, not the claim's cell
        on = [f for f in findings if finding_is_on(f, claim) and f.kind != "parts"]
        attached.update(id(f) for f in on)
        claim_errors = [f for f in on if f.severity == "error"]
        where = f"{report.path.name}:{claim.line}"
        if claim.verdict == "mismatch":
            result["mismatches"].append({"where": where, "quote": claim.quote, "quantity": claim.quantity,
                                         "expected": claim.expected, "caught": bool(claim_errors),
                                         "checker": describe(findings, claim, claim.digits) if claim.digits
                                         else ("error" if claim_errors else "no error")})
        else:
            for f in claim_errors:
                result["false_errors"].append({"where": where, "quote": claim.quote, "verdict": claim.verdict,
                                               "kind": f.kind, "expected": f.expected, "message": f.message})
        if claim.quantity:
            result["table_claims"] += 1
            warned = [f for f in on if f.severity == "warning"]
            if warned and not claim_errors:
                result["table_warnings"].append({"where": where, "quote": claim.quote, "kind": warned[0].kind,
                                                 "quantity": claim.quantity, "verdict": claim.verdict,
                                                 "message": warned[0].message})
    for f in errors:
        if id(f) not in attached and f.category == "numbers":
            result["unlabelled_errors"].append({"line": f.line, "found": f.found, "kind": f.kind,
                                                "message": f.message})
    for f in findings:
        if digits_of(f.found) is not None:
            result["number_findings"] += 1
            if not line_holds(lines, f):
                result["wrong_lines"].append({"line": f.line, "found": f.found, "kind": f.kind,
                                              "text": (f.text or "")[:40]})
    facts = imported_facts(report)
    result["misread"] = misread(report, facts)
    result["mutations"] = run_mutations(report, facts) if with_mutations else []
    return result


def run_mutations(report: Report, facts) -> list[dict]:
    outcomes = []
    cache: dict[str, list] = {}
    other_readings = reading_values(report, facts)
    outcomes_by_file: dict[str, list[bool]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-checker-") as tmp:
        target = Path(tmp) / report.path.name
        for kind, claim, edits, number in mutations(report):
            if kind != "flip" and Decimal(number) in other_readings.get(claim.quote, ()):
                continue        # the mutated number is what another reading of the wording gives
            text = apply(report.text, edits)
            if text not in cache:
                target.write_text(text, encoding="utf-8")
                cache[text] = check(target, report.prior)
            findings = cache[text]
            quote = mutated_quote(report.text, claim, edits)
            caught = any(f.severity == "error" and finding_is_on(f, claim, number, quote) for f in findings)
            if kind == "swap":          # one mutation per pair: the other half shares the file
                partner = outcomes_by_file.setdefault(text, [])
                partner.append(caught)
                if len(partner) == 2:
                    outcomes[-1]["caught"] = caught = any(partner)
                    if caught:
                        outcomes[-1]["checker"] = ""
                    continue
            outcomes.append({"kind": kind, "where": f"{report.path.name}:{claim.line}", "quote": claim.quote,
                             "quantity": claim.quantity, "mutated": number, "caught": caught,
                             "checker": "" if caught else describe(findings, claim, number)})
    return outcomes


# ---------------------------------------------------------------- output

def ratio(part: int, whole: int) -> str:
    return f"{part}/{whole} = {part / whole:.2f}" if whole else "–"


def summarise(results: list[dict]) -> dict:
    mismatches = [m for r in results for m in r["mismatches"]]
    correct = sum(r["verdicts"].get("match", 0) + r["verdicts"].get("not_table", 0) for r in results)
    false_errors = [e for r in results for e in r["false_errors"]]
    table_claims = sum(r["table_claims"] for r in results)
    warnings = [w for r in results for w in r["table_warnings"] if w["kind"] in WARNING_KINDS]
    other_warnings = Counter(w["kind"] for r in results for w in r["table_warnings"] if w["kind"] not in WARNING_KINDS)
    numbers = sum(r["number_findings"] for r in results)
    wrong = sum(len(r["wrong_lines"]) for r in results)
    muts = [m for r in results for m in r["mutations"]]
    by_kind = defaultdict(lambda: [0, 0], {"flip": [0, 0]})
    for m in muts:
        by_kind[m["kind"]][0] += m["caught"]
        by_kind[m["kind"]][1] += 1
    return {
        "reports": len(results), "claims": sum(r["claims"] for r in results),
        "mismatch_recall": [sum(m["caught"] for m in mismatches), len(mismatches)],
        "false_errors_per_100_correct": round(100 * len(false_errors) / correct, 2) if correct else None,
        "false_errors": len(false_errors), "correct_claims": correct,
        "table_claims_warned": [len(warnings), table_claims],
        "table_claims_other_warnings": dict(other_warnings),
        "line_accuracy": [numbers - wrong, numbers],
        "unlabelled_errors": sum(len(r["unlabelled_errors"]) for r in results),
        "mutation_recall": [sum(m["caught"] for m in muts), len(muts)],
        "mutation_recall_by_kind": {k: v for k, v in sorted(by_kind.items())},
    }


CAUSES = (
    ("warning ambiguous", "wording read as several quantities, none agrees: only a warning"),
    ("warning blank", "the table cell is blank or unreadable: only a warning"),
    ("warning unsupported", "not linked to a table quantity (不是统计表中的数据)"),
    ("error at line", "an error, but at another line"),
    ("error", "an error on the number, not on the claim's sentence"),
    ("no finding", "no finding at all"),
)


def cause_of(said: str) -> str:
    return next((cause for prefix, cause in CAUSES if said.startswith(prefix)), said)


def print_text(results: list[dict], summary: dict, misses: int) -> None:
    out = sys.stdout.write
    out(f"{'report':30} {'claims':>6} {'m/x/n':>9} {'mism.':>6} {'false':>5} {'warned':>7} {'lines':>9} "
        f"{'mutations':>10} {'s/check':>7}\n")
    for r in results:
        v = r["verdicts"]
        caught = sum(m["caught"] for m in r["mismatches"])
        muts = r["mutations"]
        out(f"{r['report']:30} {r['claims']:>6} {v.get('match', 0):>3}/{v.get('mismatch', 0)}/"
            f"{v.get('not_table', 0):<3} {caught:>3}/{len(r['mismatches']):<2} {len(r['false_errors']):>5} "
            f"{len(r['table_warnings']):>3}/{r['table_claims']:<3} "
            f"{r['number_findings'] - len(r['wrong_lines']):>4}/{r['number_findings']:<4} "
            f"{sum(m['caught'] for m in muts):>4}/{len(muts):<5} {r['seconds_per_check']:>7}\n")
    s = summary
    out("\n")
    out(f"recall on labelled mismatches       {ratio(*s['mismatch_recall'])}\n")
    out(f"false errors per 100 correct claims {s['false_errors_per_100_correct']} "
        f"({s['false_errors']} on {s['correct_claims']} claims labelled match/not_table)\n")
    out(f"table claims warned unsupported/blank {ratio(*s['table_claims_warned'])}"
        f" (other warnings on table claims: {s['table_claims_other_warnings'] or 'none'})\n")
    out(f"line accuracy of number findings    {ratio(*s['line_accuracy'])}\n")
    out(f"errors on numbers not labelled      {s['unlabelled_errors']}\n")
    out(f"recall on mutations                 {ratio(*s['mutation_recall'])}\n")
    for kind, (caught, total) in s["mutation_recall_by_kind"].items():
        out(f"  {kind:12} {ratio(caught, total)}\n")
    mismatches = [m for r in results for m in r["mismatches"]]
    if mismatches:
        out("\nlabelled mismatches:\n")
        for m in mismatches:
            out(f"  {'caught' if m['caught'] else 'MISSED'} {m['where']} {m['quote']} "
                f"({m['quantity']} = {m['expected']}; checker: {m['checker']})\n")
    for title, key, show in (("false errors", "false_errors", lambda e: f"{e['where']} {e['quote']} [{e['verdict']}] "
                                                                       f"{e['message'][:90]}"),
                             ("table claims warned, not checked", "table_warnings",
                              lambda w: f"{w['where']} {w['quote']} [{w['verdict']} {w['quantity']}] {w['kind']}: "
                                        f"{w['message'].split('：', 1)[-1][:70]}"),
                             ("labelled quantities the import reads differently from the hand-read tables",
                              "misread", lambda m: f"{m['where']} {m['quantity']}: tables {m['hand_read']}, "
                                                   f"import {m['imported']}"),
                             ("errors on numbers not labelled", "unlabelled_errors",
                              lambda e: f"line {e['line']} {e['found']!r} ({e['kind']}) {e['message'][:90]}"),
                             ("number findings at a line without their number", "wrong_lines",
                              lambda w: f"line {w['line']} {w['found']!r} ({w['kind']}) {w['text']}")):
        items = [(r["report"], item) for r in results for item in r[key]]
        if items:
            out(f"\n{title} ({len(items)}):\n")
            for report, item in items[:misses]:
                out(f"  {report + ' ' if key in ('wrong_lines', 'unlabelled_errors') else ''}{show(item)}\n")
    missed = [m for r in results for m in r["mutations"] if not m["caught"]]
    if missed:
        per_claim = Counter((m["where"], m["quote"]) for m in missed)
        missed.sort(key=lambda m: -per_claim[(m["where"], m["quote"])])
        causes = Counter(cause_of(m["checker"]) for m in missed)
        out("\nmissed mutations by cause:\n")
        for cause, n in causes.most_common():
            out(f"  {n:4}  {cause}\n")
        out(f"worst missed mutations (first {min(misses, len(missed))} of {len(missed)}):\n")
        for m in missed[:misses]:
            out(f"  {m['where']} {m['quote']} [{m['quantity']}] {m['kind']} → {m['mutated']}: {m['checker']}\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--report", help="only the labelled reports whose name contains this")
    parser.add_argument("--json", action="store_true", help="machine output on stdout")
    parser.add_argument("--misses", type=int, default=30, help="how many misses of each kind to list")
    parser.add_argument("--no-mutations", action="store_true", help="skip the mutations (fast)")
    args = parser.parse_args()
    reports = load_reports(args.report)
    if not reports:
        sys.exit(f"no labelled report matches {args.report!r}")
    started = time.perf_counter()
    results = [measure(report, not args.no_mutations) for report in reports]
    summary = summarise(results) | {"seconds": round(time.perf_counter() - started, 1)}
    if args.json:
        json.dump({"summary": summary, "reports": results}, sys.stdout, ensure_ascii=False, indent=1, default=str)
        sys.stdout.write("\n")
        return
    print_text(results, summary, args.misses)
    sys.stdout.write(f"\n{summary['seconds']} s in all\n")


if __name__ == "__main__":
    main()
