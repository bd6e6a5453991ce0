"""The prose vocabulary speaks of quantities the facts define: every fact key it uses exists."""

import re
from decimal import Decimal

import pytest
from pydantic import BaseModel

from report_drafter import facts, vocab
from report_drafter.checks import linking
from report_drafter.facts import compute_facts
from report_drafter.model import new_stats
from report_drafter.notes import TOPIC_LIST


def _ones(model):
    """Every count of a stats model set to 1 (every percentage and comparison then exists)."""
    for name, value in model:
        if isinstance(value, BaseModel):
            _ones(value)
        elif isinstance(value, list):
            setattr(model, name, [1] * len(value))
        elif isinstance(value, (int, Decimal)) and not isinstance(value, bool) and name != "year":
            setattr(model, name, type(value)(1))
        elif value is None:
            setattr(model, name, 1)
    return model


@pytest.fixture(scope="module")
def fact_keys():
    """Every fact key of both formats, with last year's tables (so comparisons exist)."""
    keys = set()
    for form in ("2021", "2019"):
        stats, prior = _ones(new_stats(2024, "某局", form)), _ones(new_stats(2023, "某局", form))
        keys |= set(compute_facts(stats, prior))
    return keys


def used_keys() -> set[str]:
    keys = {key for key, _ in vocab.REQUEST_OUTCOMES + vocab.REQUEST_TOTALS}
    keys |= {k for options in vocab.REQUEST_READINGS.values() for k in options}
    keys |= {key for key, _ in vocab.REQUEST_RECEIVED if key not in vocab.REQUEST_READINGS}
    applicants = [a for a, _ in vocab.APPLICANT_WORDS]
    keys |= {f"{kind}_{a}" for a in applicants for kind in ("new", "received", "share_new", "share_received")}
    keys |= {f"share_{k}" for k, _ in vocab.REQUEST_OUTCOMES if not k.startswith("carried")}
    keys |= {key for key, _ in vocab.RATES}
    keys |= {k for _, facts in vocab.ZERO_CLAIMS for k in facts}
    keys |= {key for key, _ in vocab.OUTCOME_LABELS}
    columns = [c for c, _ in vocab.APPEAL_RESULTS] + [vocab.APPEAL_TOTAL, vocab.CORRECTED] + list(vocab.NOT_UPHELD)
    groups = ["review", "litigation", "appeals"] + [g for g, _ in vocab.LITIGATION_GROUPS] + [g for g, _ in vocab.CLAIM_GROUPS]
    keys |= {f"{group}_{column}" for group in groups for column in columns}
    keys |= {f"{vocab.DOCUMENT_TOPICS[t]}_{c}" for t in vocab.DOCUMENT_TOPICS
             for readings in vocab.DOCUMENT_COLUMN_READINGS.values() for c in readings}
    assert {c for c, _ in vocab.DOCUMENT_COLUMNS} | {vocab.DOCUMENT_DEFAULT} <= set(vocab.DOCUMENT_COLUMN_READINGS)
    keys |= set(vocab.DECISION_TOPICS) | {"fees", "fee_cases", "fee_amount"}
    keys |= {f"{kind}_{base}" for base in facts.COMPARED for kind in ("prior", "change", "change_pct")}
    keys |= {f"{kind}_{base}" for base in facts.COMPARED_RATES for kind in ("prior", "change")}
    return keys


def test_every_fact_key_in_the_vocabulary_exists(fact_keys):
    assert used_keys() - fact_keys == set()


@pytest.mark.parametrize("sentence", [
    "全年共收到政府信息公开申请12件", "其中自然人申请10件", "予以公开5件", "不予公开2件", "办结申请12件",
    "行政复议3件，其中结果维持2件", "未经复议直接起诉1件", "规章废止2件", "行政许可30件", "收取信息处理费100元",
    "收到申请同比增长10%", "行政复议比上年减少3件", "依申请公开的公开率为80%", "结转下年度1件",
    "商业企业申请2件", "共受理申请12件，其中法人或其他组织2件", "办结12件，其中予以公开5件（41.67%）",
    "行政复议和行政诉讼共4件", "行政诉讼（复议后起诉）1件", "依申请公开的公开率较上年提高2个百分点", "办结申请数较上年增加3件",
    "因不掌握等原因无法提供2件", "规章发布2件",
])
def test_every_linked_key_exists(fact_keys, sentence):
    """What the linker returns for a range of sentences is always a fact key (of one format or the other)."""
    numbers = list(re.finditer(r"\d+(?:\.\d+)?(?:个百分点|%)?", sentence))
    previous = None
    for number in numbers:
        raw = number.group()
        unit = "个百分点" if raw.endswith("个百分点") else None
        found = linking.link(sentence, number.start(), number.end(), raw.endswith("%"), unit, previous)
        if not raw.endswith("%"):
            previous = found
    assert found.keys and set(found.keys) <= fact_keys, (sentence, found)


def test_compared_quantities_exist(fact_keys):
    assert set(facts.COMPARED) | set(facts.COMPARED_RATES) <= fact_keys


def test_topics_are_keyed_by_note_topics():
    note_keys = {t.key for t in TOPIC_LIST}
    assert {key for key, *_ in vocab.OVERVIEW_ASPECTS} <= note_keys
    assert {key for key, *_ in vocab.OTHER_ITEMS} <= note_keys
    assert set(vocab.NOTE_HEADING_ALIASES.values()) <= note_keys


def test_patterns_compile():
    tables = [vocab.TOPICS, vocab.REQUEST_OUTCOMES, vocab.REQUEST_TOTALS, vocab.APPEAL_RESULTS, vocab.LITIGATION_GROUPS,
              vocab.DOCUMENT_COLUMNS, vocab.ROUTE_EXPLICIT, vocab.ROUTE_TOPICAL, vocab.CLAIM_GROUPS,
              vocab.APPLICANT_WORDS, vocab.REQUEST_RECEIVED, vocab.RATES]
    for table in tables:
        for _, pattern in table:
            re.compile(pattern)
    for pattern in (vocab.COMPARE, vocab.CHANGE_VERBS, vocab.CHANGE_TO, vocab.PRIOR, vocab.DECREASE, vocab.SHARE,
                    vocab.ALL_UPHELD, vocab.NOT_CORRECTED, vocab.ROUTE_ALL, vocab.INCLUSION, vocab.PARTS_END,
                    vocab.AGGREGATE,
                    *(p for p, _ in vocab.ZERO_CLAIMS), *vocab.DEPARTMENTS.values()):
        re.compile(pattern)


def test_no_word_naming_a_quantity_contains_a_list_marker():
    """The linker finds a list's 等/类 by searching after it for a naming word, which must not contain them."""
    tables = [vocab.TOPICS, vocab.REQUEST_OUTCOMES, vocab.APPLICANT_WORDS, vocab.REQUEST_TOTALS, vocab.APPEAL_RESULTS,
              vocab.RATES, vocab.DOCUMENT_COLUMNS]
    for table in tables:
        for key, pattern in table:
            assert not re.search(vocab.AGGREGATE, pattern), key


def test_every_word_the_linker_reads_is_chinese():
    """The linker skips a word table when the text holds none of its Chinese characters (Words.hint)."""
    tables = [linking.TOPICS, linking.REQUEST_SPECIFIC, linking.REQUEST_TOTALS, linking.REQUEST_RECEIVED,
              linking.APPEAL_RESULTS, linking.DOCUMENT_COLUMNS, linking.LITIGATION_GROUPS, linking.RATES]
    for table in tables:
        for key, pattern in table:
            assert re.search(r"[\u4e00-\u9fff]", pattern.pattern), key
            assert not pattern.search("0123456789 ,.;:%()（）、，。；：abcXYZ" * 3), key
