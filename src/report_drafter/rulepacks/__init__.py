"""Evaluation rules as data: rule packs (YAML) that score a report the way its evaluators will.

A pack has a name, a full score and rules; each rule has an id, a condition over what the checks
already know (`model.Condition`), the points it deducts and the Chinese text a user sees. Packs
ship in rulepacks/packs/ (national: the default; example-regional: a local indicator); a
workspace's rulepacks/ folder overrides them by name, and any file can be given by path.

    pack = load_pack("national", workspace.root)
    result = score(pack, Evidence(year=2024, findings=report.findings, last_year_share=0.62))
    result.score, result.deductions, result.unjudged
"""

from .loading import DEFAULT_PACK, PackSource, available, find_pack, load_pack
from .model import Condition, Rule, RulePack
from .scoring import Deduction, Evidence, Score, Unjudged, score

__all__ = ["DEFAULT_PACK", "Condition", "Deduction", "Evidence", "PackSource", "Rule", "RulePack", "Score",
           "Unjudged", "available", "find_pack", "load_pack", "score"]
