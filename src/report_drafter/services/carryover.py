"""A new year from last year: what continues (上年结转, 现行有效件数, the agency) is filled in and marked as carried.

Rule 6 says 上年结转 is last year's 结转下年度 and 现行有效件数 continues; a new year that starts at
zero opens with errors the tool could have avoided. Which cells hold carried values is not stored:
a cell is "carried" while it equals what last year hands on, so the mark goes when the clerk changes it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..layout import APPLICANT_COLUMNS
from ..model import Stats, get_path, set_path

DOCUMENT_KINDS = {"rules": "规章", "normative_documents": "行政规范性文件"}


@dataclass(frozen=True)
class Carried:
    """One cell filled in from last year's tables."""

    path: tuple
    value: int
    source: str          # where it came from, in Chinese: “2023 年“四、结转下年度继续办理”（自然人）”


def carried_sources(prior: Stats) -> list[tuple[tuple, tuple, str]]:
    """(this year's path, last year's path, description) of every cell that continues from `prior`."""
    pairs = [(("requests", "carried_over", col), ("requests", "carried_forward", col),
              f"{prior.year} 年“四、结转下年度继续办理”（{name}）") for col, name in enumerate(APPLICANT_COLUMNS)]
    if prior.format == "2021":
        pairs += [(("active", key, "in_force"), ("active", key, "in_force"), f"{prior.year} 年{name}现行有效件数")
                  for key, name in DOCUMENT_KINDS.items()]
    return pairs


def carry_over(stats: Stats, prior: Stats) -> list[Carried]:
    """Fill `stats` (a new, all-zero year) with what continues from `prior`; 结转下年度 kept in balance."""
    carried = []
    if stats.format != prior.format:
        return carried
    for path, source_path, source in carried_sources(prior):
        value = get_path(prior, source_path)
        if value:
            set_path(stats, path, value)
            carried.append(Carried(path, value, source))
    requests = stats.requests
    for col in range(len(APPLICANT_COLUMNS)):   # nothing handled yet: all that was carried over is still open
        parts = (requests.new[col], requests.carried_over[col], requests.outcomes.total[col])
        if None not in parts:
            requests.carried_forward[col] = parts[0] + parts[1] - parts[2]
    return carried


def carried_cells(stats: Stats, prior: Stats | None) -> dict[tuple, str]:
    """Cells of `stats` that still hold the value last year hands on (non-zero): path → where it came from."""
    if prior is None or stats.format != prior.format:
        return {}
    out = {}
    for path, source_path, source in carried_sources(prior):
        value = get_path(prior, source_path)
        if value and get_path(stats, path) == value:
            out[path] = f"取自{source}"
    return out
