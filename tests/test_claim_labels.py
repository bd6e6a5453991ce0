"""The hand-labelled claims of real reports (tests/fixtures/claims) are well-formed.

Each label names a claim of a report's prose by a quote unique in the file, the number as written,
its line, the table quantity it states and the verdict against the report's own tables. These tests
check the labels themselves, not the checker (benchmarks/bench_checker.py measures the checker).
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
import yaml

from report_drafter.facts import compute_facts
from report_drafter.model import FORMATS

ROOT = Path(__file__).resolve().parent.parent
LABELS = sorted((ROOT / "tests" / "fixtures" / "claims").glob("*.yaml"))
FIELDS = {"quote", "number", "line", "quantity", "expected", "verdict", "readings", "note"}
REQUIRED = {"quote", "number", "line", "quantity", "expected", "verdict"}
VERDICTS = {"match", "mismatch", "not_table"}
ZERO_WORDS = {"未", "无", "均"}      # a claim that a quantity is zero: 未发生、无、均已办结
YEAR_ON_YEAR = ("prior_", "change_", "change_pct_")


@cache
def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@cache
def report_text(name: str) -> str:
    return (ROOT / name).read_text(encoding="utf-8")


def claims():
    for path in LABELS:
        for index, claim in enumerate(load(path)["claims"]):
            yield pytest.param(path, claim, id=f"{path.stem}-{index + 1}-{claim.get('number')}")


def value_of(number: str) -> Decimal:
    """The value a claim states: the digits of its number ("51.85%" → 51.85), 0 for 未/无/均."""
    if number in ZERO_WORDS:
        return Decimal(0)
    digits = re.search(r"\d+(?:\.\d+)?", number)
    assert digits, f"no digits in {number!r}"
    return Decimal(digits.group())


def expected_values(expected) -> list[Decimal]:
    items = expected if isinstance(expected, list) else [expected]
    return [Decimal(str(item).rstrip("%")) for item in items]


def full_stats(format: str, year: int):
    """Stats of `format` with every cell 1, so that every fact (shares included) exists."""
    def ones(node):
        if isinstance(node, dict):
            return {k: (v if k in ("format", "agency", "year") else ones(v)) for k, v in node.items()}
        if isinstance(node, list):
            return [ones(v) for v in node]
        return 1 if isinstance(node, (int, Decimal)) or node is None else node
    model = FORMATS[format]
    return model.model_validate(ones(model(year=year).model_dump()))


@cache
def fact_keys(with_prior: bool) -> frozenset[str]:
    """Every key compute_facts can produce, in either table format (with last year's report or not)."""
    keys: set[str] = set()
    for format in FORMATS:
        stats = full_stats(format, 2024)
        facts = compute_facts(stats, full_stats(format, 2023) if with_prior else None)
        keys |= set(facts) | facts.blank
    return frozenset(keys)


def test_there_are_labels_for_at_least_eight_reports():
    assert len(LABELS) >= 8


@pytest.mark.parametrize("path", LABELS, ids=[p.stem for p in LABELS])
def test_label_file_names_its_report_and_prior(path):
    data = load(path)
    assert set(data) <= {"file", "prior", "claims"}, set(data) - {"file", "prior", "claims"}
    assert (ROOT / data["file"]).is_file(), data["file"]
    if data.get("prior"):
        assert (ROOT / data["prior"]).is_file(), data["prior"]
    assert data["claims"], "no claims labelled"
    quotes = [c["quote"] for c in data["claims"]]
    assert len(quotes) == len(set(quotes)), "a claim is labelled twice"


@pytest.mark.parametrize("path, claim", claims())
def test_claim_is_well_formed(path, claim):
    data = load(path)
    assert REQUIRED <= set(claim) <= FIELDS, set(claim) ^ REQUIRED
    text = report_text(data["file"])
    quote, number = str(claim["quote"]), str(claim["number"])
    assert text.count(quote) == 1, f"quote {quote!r} occurs {text.count(quote)} times in {data['file']}"
    assert number in quote, f"{number!r} not in quote {quote!r}"
    start = text.index(quote) + quote.index(number)
    assert text.count("\n", 0, start) + 1 == claim["line"], f"{number!r} is on line {text.count(chr(10), 0, start) + 1}"


@pytest.mark.parametrize("path, claim", claims())
def test_claim_quantity_and_verdict_agree(path, claim):
    data = load(path)
    verdict, quantity, expected = claim["verdict"], claim["quantity"], claim["expected"]
    assert verdict in VERDICTS
    keys = fact_keys(bool(data.get("prior")))
    for key in [quantity, *claim.get("readings", [])]:
        if key is not None:
            assert key in keys, f"{key!r} is not a key compute_facts produces"
            assert data.get("prior") or not key.startswith(YEAR_ON_YEAR), f"{key!r} needs `prior:`"
    if verdict == "not_table":
        assert quantity is None and expected is None
        return
    assert quantity is not None and expected is not None
    stated = value_of(str(claim["number"]))
    assert (stated in expected_values(expected)) == (verdict == "match"), (stated, expected, verdict)
