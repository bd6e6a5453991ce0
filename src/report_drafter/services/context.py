"""The values every prompt template sees. Notes and data are values, never templates."""

from __future__ import annotations

from .. import document, vocab
from ..checks.review import settings_from
from ..notes import TOPIC_CHARS, TOPIC_LIST
from .inputs import YearInputs


def template_context(inputs: YearInputs, instruction: str = "", current_text: str = "") -> dict:
    """Template variables of one year: agency, facts (`v.new` …), notes by topic, last year's sections."""
    ws = inputs.workspace
    agency = inputs.agency
    prior_sections = {k: inputs.prior_doc.body(k) if inputs.prior_doc else "" for k in document.PROSE_SECTIONS}
    return {
        "agency": agency,
        "short_name": ws.config.get("short_name", agency),
        "self_ref": ws.self_reference(agency),
        "year": inputs.year,
        "format": inputs.stats.format,
        "facts": inputs.facts,
        "v": inputs.facts.numbers,
        "notes": {t.key: inputs.notes.items(t.key, TOPIC_CHARS) for t in TOPIC_LIST},
        "overview_topics": [(t.key, t.heading) for t in TOPIC_LIST if t.section == "overview"],
        "other_topics": [(t.key, t.heading) for t in TOPIC_LIST if t.section == "other"],
        "topics": [(t.key, t.heading) for t in TOPIC_LIST],
        "outcome_labels": list(vocab.OUTCOME_LABELS),
        "appeal_labels": list(vocab.APPEAL_LABELS),
        "prior_sections": prior_sections,
        "prior_problems": inputs.prior_problems,
        **review_requirements(ws.config),
        "instruction": instruction,
        "current_text": current_text,
    }


def review_requirements(config: dict) -> dict:
    """What `drafter check` will hold the draft to, for the prompts to state."""
    settings = settings_from(config)
    return {"max_chars": settings.overview_max_chars, "similarity_limit": f"{settings.similarity_threshold:.0%}",
            "promotional_phrases": settings.promotional_phrases}


def report_title(inputs: YearInputs) -> str:
    return f"{inputs.agency}{inputs.year}年政府信息公开工作年度报告"
