"""`<year>/draft.provenance.json`: how each section of the draft was made, and what it looked like then.

A section whose text differs from the recorded one was edited by hand since; drafting never
overwrites such a section without asking. A damaged provenance file is set aside, not a crash.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from .. import document
from ..workspace import Workspace


def body_hash(text: str) -> str:
    return hashlib.sha256(text.strip().encode()).hexdigest()[:16]


def read_provenance(workspace: Workspace, year: int) -> dict:
    """The recorded provenance ({} when there is none, or it is damaged)."""
    path = workspace.provenance_path(year)
    if not path.exists():
        return {}
    try:
        data = json.loads(workspace.read(path))
    except (json.JSONDecodeError, ValueError):
        return {}
    return data if isinstance(data, dict) and isinstance(data.get("sections", {}), dict) else {}


def edited_sections(workspace: Workspace, year: int, text: str) -> list[str]:
    """Prose sections of the draft `text` whose text differs from what was last drafted (edited by hand)."""
    recorded = read_provenance(workspace, year).get("sections", {})
    doc = document.parse_document(text)
    return [k for k in document.PROSE_SECTIONS
            if k in recorded and k in doc.sections and body_hash(doc.body(k)) != recorded[k].get("hash")]


def drafted_body(workspace: Workspace, year: int, key: str) -> str:
    """The section as it was last drafted (recorded in the provenance file)."""
    return read_provenance(workspace, year).get("sections", {}).get(key, {}).get("text", "")


def write_provenance(workspace: Workspace, year: int, backend, prompts, inputs_hash: str, completions: dict,
                     text: str, duration: float, findings: list) -> None:
    """Record how the draft was made (never the API key)."""
    old = read_provenance(workspace, year)
    doc = document.parse_document(text)
    sections = old.get("sections", {})
    for key, c in completions.items():
        sections[key] = {"hash": body_hash(doc.body(key)), "text": doc.body(key),
                         "drafted_at": datetime.now().isoformat(timespec="seconds"),
                         "backend": backend.name, "model": c.model, "input_tokens": c.input_tokens,
                         "output_tokens": c.output_tokens, "usage_estimated": c.usage_estimated,
                         "duration_s": round(c.duration_s, 3),
                         "first_token_s": round(c.first_token_s, 3) if c.first_token_s is not None else None,
                         "unresolved_findings": [f.as_dict() for f in findings if f.section == key]}
    inputs_tokens = [c.input_tokens for c in completions.values() if c.input_tokens is not None]
    output_tokens = [c.output_tokens for c in completions.values() if c.output_tokens is not None]
    meta = {
        "backend": backend.name,
        "model": backend.model,
        "generated_at": datetime.now().isoformat(timespec="seconds"),
        "templates": {n: prompts.info(n).sha256 for n in sorted(backend.templates())},
        "inputs_hash": inputs_hash,
        "usage": {"input_tokens": sum(inputs_tokens) if inputs_tokens else None,
                  "output_tokens": sum(output_tokens) if output_tokens else None},
        "duration_s": round(duration, 3),
        "sections": sections,
    }
    workspace.write(workspace.provenance_path(year), json.dumps(meta, ensure_ascii=False, indent=2) + "\n",
                    keep_history=False)
