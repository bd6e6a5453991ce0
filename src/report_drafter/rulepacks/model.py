"""A rule pack: how a report is scored, as data (YAML), validated like stats.yaml."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Category = Literal["tables", "numbers", "structure", "copying", "substance", "style"]
Share = Annotated[float, Field(gt=0, le=1)]
Points = Annotated[Decimal, Field(gt=0)]
_DEADLINE = re.compile(r"^(?:(\d{4})-)?(\d{1,2})-(\d{1,2})$")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Condition(Strict):
    """When a rule deducts: exactly one of these is given."""

    missing: Literal[True] | None = None                    # the agency's report is not in the batch
    published_after: str | None = None                      # "MM-DD" of the year after the report's year, or a date
    similar_to_last_year: Share | None = None               # share of the prose repeating last year's report
    similar_to_other_agency: Share | None = None            # share repeating another agency's report
    errors_in: list[Category] | None = None                 # any error in these finding categories
    finding: list[str] | None = None                        # any of these findings ("substance.vague" …)

    @field_validator("finding", mode="before")
    @classmethod
    def _one_or_more(cls, value):
        return [value] if isinstance(value, str) else value

    @field_validator("published_after")
    @classmethod
    def _deadline(cls, value):
        if value is not None and not _DEADLINE.match(str(value)):
            raise ValueError("应为“月-日”（如 01-31，指报告年度的次年）或“年-月-日”（如 2025-03-31）")
        return value

    @model_validator(mode="after")
    def _exactly_one(self):
        given = [name for name in type(self).model_fields if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError("when 下应恰好写一个条件：" + "、".join(type(self).model_fields))
        return self

    @property
    def kind(self) -> str:
        return next(name for name in type(self).model_fields if getattr(self, name) is not None)


class Rule(Strict):
    id: str
    text: str                                   # what the user sees, in Chinese
    points: Points
    when: Condition
    each: bool = False                          # deduct once per finding (with `max`), not once
    max: Points | None = None


class RulePack(Strict):
    name: str
    title: str = ""
    full_score: Points
    rules: list[Rule]

    @model_validator(mode="after")
    def _unique_ids(self):
        ids = [rule.id for rule in self.rules]
        duplicated = sorted({i for i in ids if ids.count(i) > 1})
        if duplicated:
            raise ValueError(f"规则 id 重复：{'、'.join(duplicated)}")
        return self


def deadline(condition: Condition, year: int):
    """The deadline date of a `published_after` condition for a report of `year`."""
    from datetime import date

    match = _DEADLINE.match(condition.published_after)
    explicit, month, day = match.groups()
    return date(int(explicit) if explicit else year + 1, int(month), int(day))
