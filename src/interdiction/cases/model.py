"""The case file: what an analyst writes (YAML), read into typed objects.

A case groups alerts (selected from the shared alerts table), entities and *claims*. A claim
is a statement "as reported" by one or more graded sources, never a fact; notes correct it
where it is known to be wrong. *Judgements* are the analyst's: one ICD 203 likelihood
expression in the statement, a separate confidence sentence, and the alerts, entities or
claims they rest on. Wording the software suggested is flagged ``suggested: true`` and marked
in every rendering. The format is documented in docs/cases.md.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Section = Literal["maritime", "networks", "trade", "screening", "general"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AlertSelector(Strict):
    """Which alerts a case or judgement includes: by id, or every alert that matches."""

    id: str | None = None
    type: str | None = None
    detector: str | None = None
    entity: str | None = None
    place: str | None = None
    # The least severe alert to include (info < low < medium < high < critical).
    min_severity: Literal["info", "low", "medium", "high", "critical"] | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> AlertSelector:
        if not any((self.id, self.type, self.detector, self.entity, self.place)):
            raise ValueError(
                "an alert selector needs at least one of id, type, detector, entity, place"
            )
        return self

    def describe(self) -> str:
        parts = [f"{k}={v}" for k, v in self.model_dump().items() if v]
        return ", ".join(parts)


class Source(Strict):
    id: str
    title: str
    publisher: str | None = None
    date: dt.date | None = None
    date_note: str | None = None  # why a date is missing or approximate
    url: str | None = None
    reliability: str  # NATO A-F
    credibility: str  # NATO 1-6
    grading: str  # why these grades
    marking: str = "TLP:CLEAR"

    @field_validator("reliability")
    @classmethod
    def _reliability(cls, value: str) -> str:
        value = value.strip().upper()
        if value not in ("A", "B", "C", "D", "E", "F"):
            raise ValueError("source reliability is a NATO letter A-F")
        return value

    @field_validator("credibility", mode="before")
    @classmethod
    def _credibility(cls, value: Any) -> str:
        text = str(value).strip()
        if text not in ("1", "2", "3", "4", "5", "6"):
            raise ValueError("information credibility is a NATO digit 1-6")
        return text

    @property
    def grade(self) -> str:
        return f"{self.reliability}{self.credibility}"


class Claim(Strict):
    id: str
    text: str  # what the sources report, in their words or close to them
    sources: list[str] = Field(min_length=1)
    section: Section = "general"
    status: Literal["reported", "single-source", "disputed", "corrected"] = "reported"
    corrections: list[str] = Field(default_factory=list)
    from_seed: bool = False  # taken from the seed briefing (a compilation of press reports)


class Links(Strict):
    alerts: list[AlertSelector | str] = Field(default_factory=list)
    entities: list[str] = Field(default_factory=list)
    claims: list[str] = Field(default_factory=list)

    def empty(self) -> bool:
        return not (self.alerts or self.entities or self.claims)


class Judgement(Strict):
    id: str
    text: str
    confidence: str
    section: Section = "general"
    rests_on: Links
    suggested: bool = False  # wording suggested by the software, marked as such
    key: bool = True  # a key judgement (shown up front)


class Scope(Strict):
    alerts: list[AlertSelector | str] = Field(default_factory=list)
    entities: list[str] = Field(default_factory=list)


class CaseFile(Strict):
    id: str
    title: str  # states the bottom line
    marking: str = "TLP:CLEAR"
    analysts: list[str] = Field(default_factory=list)
    created: dt.date | None = None
    bluf: str
    scope: Scope = Field(default_factory=Scope)
    sources: list[Source] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    judgements: list[Judgement] = Field(default_factory=list)
    assumptions: list[str] = Field(default_factory=list)
    alternatives: list[str] = Field(default_factory=list)
    indicators: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not value or not all(c.isalnum() or c in "-_." for c in value):
            raise ValueError("a case id uses letters, digits, '-', '_' and '.' only")
        return value
