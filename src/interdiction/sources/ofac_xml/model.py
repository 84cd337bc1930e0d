"""One party of an OFAC XML file, as both schemas describe it.

The advanced (SDN_ADVANCED, the UN sanctions data model) and the enhanced schema say the same
things in different shapes: ``advanced.py`` and ``enhanced.py`` each turn their shape into
these records, and ``reader.py`` writes them into the store once, the same way for both.
Values are kept as OFAC renders them in its legacy CSV (dates as ``10 Dec 1948``, countries by
name), so that the CSV's declarative remark table reads them identically.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field


@dataclass
class NameForm:
    """One written form of a name: a script, the full name and, for people, its parts."""

    text: str
    script: str = "Latin"
    last: str | None = None
    first: str | None = None
    middle: str | None = None

    @property
    def latin(self) -> bool:
        return self.script.lower() == "latin"


@dataclass
class Alias:
    kind: str  # "Name", "A.K.A.", "F.K.A.", "N.K.A."
    primary: bool
    low_quality: bool
    forms: list[NameForm]
    line: int | None = None


@dataclass
class Location:
    id: str
    parts: dict[str, str]  # ADDRESS1, CITY, STATE/PROVINCE, POSTAL CODE, REGION, Unknown...
    country: str | None = None  # as OFAC names it ("Korea, North")
    iso: str | None = None
    line: int | None = None


@dataclass
class Feature:
    label: str  # the feature type ("Birthdate", "Secondary sanctions risk:")
    text: str | None  # the value as OFAC renders it
    country_iso: str | None = None
    location: Location | None = None
    location_id: str | None = None  # advanced: resolved once the Locations are read
    line: int | None = None


@dataclass
class Document:
    doc_type: str
    number: str
    country: str | None = None
    iso: str | None = None
    issued: str | None = None
    expires: str | None = None
    authority: str | None = None
    comment: str | None = None
    valid: bool = True
    line: int | None = None


@dataclass
class Entry:
    """A listing: on which list, under which programs, what measures, since when, why."""

    list_name: str
    programs: list[str] = field(default_factory=list)
    measures: list[str] = field(default_factory=list)
    legal_basis: list[str] = field(default_factory=list)
    date: str | None = None  # ISO
    line: int | None = None


@dataclass
class Relation:
    id: str
    type: str  # "Owned or Controlled By"
    source: str  # FixedRef of the party the relation is stated on (From)
    target: str  # FixedRef of the related party (To)
    target_name: str | None = None
    quality: str | None = None
    former: bool = False
    line: int | None = None


@dataclass
class Party:
    fixed_ref: str
    kind: str  # Individual, Entity, Vessel, Aircraft
    aliases: list[Alias] = field(default_factory=list)
    features: list[Feature] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    locations: list[Location] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)
    identity_id: str | None = None
    line: int | None = None


@dataclass
class Problem:
    """Something a parser met that the reader reports (quarantine or warning)."""

    level: str  # "quarantined" | "warning"
    code: str
    message: str
    record: str = ""
    line: int | None = None


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def render_date(iso: str) -> str:
    """``1948-12-10`` as OFAC's CSV writes it (``10 Dec 1948``), ``1948-12`` as ``Dec 1948``."""
    parts = iso.split("-")
    if not all(p.isdigit() for p in parts) or not 1 <= len(parts) <= 3:
        return iso
    if len(parts) > 1 and not 1 <= int(parts[1]) <= 12:
        return iso
    if len(parts) == 3:
        return f"{int(parts[2]):02d} {MONTHS[int(parts[1]) - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return parts[0]


def date_prefix(begin: str | None, end: str | None) -> str | None:
    """The precision two bounds agree on: ``1962-01-01``/``1962-01-31`` is ``1962-01``."""
    if not begin:
        return end[:10] if end else None
    if not end or begin[:10] == end[:10]:
        return begin[:10]
    if begin[:7] == end[:7] and begin[8:10] == "01":
        return begin[:7]
    if begin[:4] == end[:4] and begin[5:10] == "01-01":
        return begin[:4]
    return begin[:10]


def _month_end(iso: str) -> bool:
    try:
        year, month, day = (int(p) for p in iso.split("-"))
        return 1 <= month <= 12 and day == calendar.monthrange(year, month)[1]
    except ValueError:
        return False


def render_period(start: str | None, end: str | None, approximate: bool = False) -> str | None:
    """A date or a range as OFAC renders it. OFAC writes an imprecise date as a period: the
    whole of 1962 is ``1962-01-01 .. 1962-12-31`` (``1962``), 1951 to 1953 is ``1951-01-01 ..
    1953-12-31`` (``1951 to 1953``); approximate dates start with ``circa``."""
    if not start:
        start, end = end, None
    if not start:
        return None
    if end and len(start) == len(end) == 10:
        if start[4:] == "-01-01" and end[4:] == "-12-31":
            start, end = start[:4], end[:4]
        elif start[8:] == "01" and _month_end(end):
            start, end = start[:7], end[:7]
    text = render_date(start)
    if end and end != start:
        text = f"{text} to {render_date(end)}"
    return f"circa {text}" if approximate else text
