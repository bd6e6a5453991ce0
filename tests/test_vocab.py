"""The prose vocabulary speaks of quantities the facts define: every fact key it uses exists."""

import re

import pytest

from report_drafter import vocab
from report_drafter.checks import linking
from report_drafter.facts import compute_facts
from report_drafter.model import new_stats
from report_drafter.notes import TOPIC_LIST


@pytest.fixture(scope="module")
def fact_keys():
    stats, prior = new_stats(2024, "某局"), new_stats(2023, "某局")
    for tables in (stats, prior):     # non-zero totals: percentages exist
        tables.requests.new[6] = tables.requests.outcomes.total[6] = 1
        tables.processing_fees.cases = 0
    prior.appeals.review.total = 1
    return set(compute_facts(stats, prior))


def used_keys() -> set[str]:
    keys = {key for key, _ in vocab.REQUEST_OUTCOMES + vocab.REQUEST_TOTALS + vocab.REQUEST_RECEIVED}
    keys |= {k for options in vocab.REQUEST_CANDIDATES.values() for k in options}
    keys |= {k for _, facts in vocab.ZERO_CLAIMS for k in facts}
    keys |= {key for key, _ in vocab.OUTCOME_LABELS}
    columns = [c for c, _ in vocab.APPEAL_RESULTS] + [vocab.APPEAL_TOTAL] + list(vocab.NOT_UPHELD)
    groups = ["review", "litigation"] + [g for g, _ in vocab.LITIGATION_GROUPS]
    keys |= {f"{group}_{column}" for group in groups for column in columns}
    keys |= {f"{vocab.DOCUMENT_TOPICS[t]}_{c}" for t in vocab.DOCUMENT_TOPICS
             for c in [c for c, _ in vocab.DOCUMENT_COLUMNS] + [vocab.DOCUMENT_DEFAULT]}
    keys |= set(vocab.DECISION_TOPICS) | {"fees", "fee_cases", "fee_amount", "disclosure_rate"}
    for base in [*vocab.CHANGE_BASES.values(), "handled"]:
        keys |= {f"change_{base}", f"prior_{base}", f"change_pct_{base}"}
    return keys


def test_every_fact_key_in_the_vocabulary_exists(fact_keys):
    assert used_keys() - fact_keys == set()


def test_every_linked_key_exists(fact_keys):
    """What the linker returns for a range of sentences is always a fact key."""
    sentences = ["全年共收到政府信息公开申请12件", "其中自然人申请10件", "予以公开5件", "不予公开2件", "办结申请12件",
                 "行政复议3件，其中结果维持2件", "未经复议直接起诉1件", "规章废止2件", "行政许可30件",
                 "收取信息处理费100元", "收到申请同比增长10%", "行政复议比上年减少3件", "依申请公开的公开率为80%", "结转下年度1件"]
    for sentence in sentences:
        number = re.search(r"\d+", sentence)
        keys = linking.candidates(sentence, number.start(), number.end(), sentence.endswith("%"), None)
        assert keys and set(keys) <= fact_keys, (sentence, keys)


def test_topics_are_keyed_by_note_topics():
    note_keys = {t.key for t in TOPIC_LIST}
    assert {key for key, *_ in vocab.OVERVIEW_ASPECTS} <= note_keys
    assert {key for key, *_ in vocab.OTHER_ITEMS} <= note_keys
    assert set(vocab.NOTE_HEADING_ALIASES.values()) <= note_keys


def test_patterns_compile():
    tables = [vocab.TOPICS, vocab.REQUEST_OUTCOMES, vocab.REQUEST_TOTALS, vocab.APPEAL_RESULTS, vocab.LITIGATION_GROUPS,
              vocab.DOCUMENT_COLUMNS, vocab.ROUTE_EXPLICIT, vocab.ROUTE_TOPICAL, vocab.UPHELD_GROUPS]
    for table in tables:
        for _, pattern in table:
            re.compile(pattern)
    for pattern in (vocab.CHANGE, vocab.PRIOR, vocab.DECREASE, vocab.SHARE, vocab.ALL_UPHELD, vocab.ROUTE_ALL,
                    *(p for p, _ in vocab.ZERO_CLAIMS), *vocab.DEPARTMENTS.values()):
        re.compile(pattern)
