"""Facts that national lists write in free text: UN references, IMO numbers, document numbers,
lettered and numbered enumerations, day-first dates.

The UK and Australian lists keep these in "Other Information" / "Additional Information"
columns. Each helper is conservative: it finds what has an unmistakable form, and the whole
text stays in the entity's notes, so nothing is lost when a helper finds nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from interdiction.ids import company_imo_checksum_ok, imo_checksum_ok
from interdiction.sources.base import Batch, Origin
from interdiction.sources.countries import clean_country

UN_REF = re.compile(
    r"UN\s*Ref(?:erence)?\.?\s*(?:No\.?|number)?\s*[:.]?\s*"
    r"([A-Z]{2,3}[A-Za-z]?\.(?:[A-Z]\.)?\d+(?:\.\d+)?)",
    re.IGNORECASE,
)
MODERN_REF = re.compile(r"^([A-Z]{2})([IiEe])\.(\d+)$")
IMO = re.compile(r"IMO[^0-9;]{0,14}(\d{7})\b")
MMSI = re.compile(r"MMSI[^0-9;]{0,6}(\d{9})\b")
VESSEL_WORDS = re.compile(r"\b(vessel|ship|tanker|MMSI|flag|M/V|Annex XIV)\b", re.IGNORECASE)
COMPANY_WORDS = re.compile(
    r"\b(company|co|corp|corporation|ltd|limited|llc|inc|shipping|management|trading|group)\b\.?",
    re.IGNORECASE,
)
ENUMERATION = re.compile(r"(?:^|\s)\(?(?:\d{1,2}|[a-h])\)\s*")
DOC_NUMBER = re.compile(r"\b((?:[A-Z]{1,3})?\d[\d/-]{3,}\d|[A-Z]{1,3}\d{5,})\b")
DATE_LIKE = re.compile(r"^\d{1,2}/\d{1,2}/\d{2,4}$")
MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}
DAY_FIRST = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
DAY_MON_YY = re.compile(r"^(\d{1,2})-([A-Za-z]{3})-(\d{2})$")


def normalise_un_ref(ref: str) -> str:
    """``KPI.067.`` to ``KPi.067``, ``KPe.23`` to ``KPe.023`` (the UN writes three digits);
    older references (``QE.A.146.14``) as written."""
    ref = ref.strip().rstrip(".")
    match = MODERN_REF.match(ref)
    if match:
        number = match.group(3).zfill(3)
        return f"{match.group(1).upper()}{match.group(2).lower()}.{number}"
    return ref


def un_refs(text: str) -> list[tuple[str, str]]:
    """(normalised, as written) UN references in a text."""
    return [(normalise_un_ref(r), r) for r in UN_REF.findall(text)]


def enumeration(value: str) -> list[str]:
    """``1) Saudi Arabia 2) Qatar`` or ``a) X b) Y`` to its items; a plain value to itself."""
    value = value.replace("\xa0", " ").strip()
    if not value:
        return []
    items = [p.strip(" .;,") for p in ENUMERATION.split(value)]
    return [p for p in items if p]


def doc_numbers(text: str) -> list[str]:
    """Document numbers in free-text details, never dates."""
    found: list[str] = []
    for number in DOC_NUMBER.findall(text):
        if DATE_LIKE.match(number) or number in found:
            continue
        found.append(number)
    return found


def imo_numbers(text: str) -> list[str]:
    return IMO.findall(text)


def add_imo(
    batch: Batch,
    entity: Any,
    number: str,
    origin: Origin,
    warn: Callable[[str, str, Origin], None] | None = None,
) -> bool:
    """An IMO number found in a list's free text, by the check digit of the entity's kind:
    a ship's on a vessel, a company's (registered owners and managers) on anything else.
    A number that fails it, or an entity that cannot hold one, is reported, never dropped
    silently. ``warn`` lets a reader report a repeated doubt once."""
    warn = warn or batch.warn
    vessel = entity.schema.is_a("Vessel")
    ok = imo_checksum_ok(number) if vessel else company_imo_checksum_ok(number)
    if not ok:
        kind = "ship" if vessel else "company"
        warn("invalid-imo", f"{kind} IMO number {number} fails its check digit", origin)
        return False
    if entity.schema.get("imoNumber") is None:
        warn("property-not-applicable", f"IMO {number} on a {entity.schema.name}", origin)
        return False
    batch.add(entity, "imoNumber", f"IMO{number}", origin, original_value=number, cleaned=True)
    return True


def ship_or_company(text: str, name: str = "") -> tuple[bool, list[str]]:
    """(is a ship, doubts): a ship's IMO number (ship check digit) makes a listed 'entity' a
    ship; a company IMO number (company check digit) keeps it a firm. A number that passes
    both is decided by the name (a company's name says so) and then the words around it, and
    the doubt is returned to be reported."""
    doubts: list[str] = []
    for number in IMO.findall(text):
        ship, company = imo_checksum_ok(number), company_imo_checksum_ok(number)
        if ship and company:
            vessel = not COMPANY_WORDS.search(name) and bool(VESSEL_WORDS.search(text))
            doubts.append(
                f"IMO {number} passes both the ship and the company check digit; read as a "
                f"{'ship' if vessel else 'company'} from the words around it"
            )
            return vessel, doubts
        if ship:
            return True, doubts
    return False, doubts


def day_first_date(value: str, today: date | None = None) -> str | None:
    """``1/01/1968`` (day first, as Australia and the UK write) and ``23-Apr-68`` to ISO.
    A two-digit year is in the past century unless that would be in the future."""
    value = value.strip()
    if match := DAY_FIRST.match(value):
        day, month, year = (int(g) for g in match.groups())
    elif match := DAY_FIRST_YY.match(value):
        day, month, short = (int(g) for g in match.groups())
        this_year = (today or date.today()).year
        year = 2000 + short if 2000 + short <= this_year else 1900 + short
    elif match := DAY_MON_YY.match(value):
        month_no = MONTHS.get(match.group(2).lower())
        if month_no is None:
            return None
        day, month, short = int(match.group(1)), month_no, int(match.group(3))
        this_year = (today or date.today()).year
        year = 2000 + short if 2000 + short <= this_year else 1900 + short
    else:
        return None
    try:
        return datetime(year, month, day).strftime("%Y-%m-%d")
    except ValueError:
        return None


DATE_SEPARATORS = re.compile(r"\s*(?:;|>>|\bor\b|,)\s*", re.IGNORECASE)
COUNTRY_SEPARATORS = re.compile(r"\s*(?:;|/|\band\b|,|\bor\b)\s*", re.IGNORECASE)
PARENTHESES = re.compile(r"\([^)]*\)")
ALT_PREFIX = re.compile(r"^(?:alt\.?\s*DOB\s*:?|alt\.?|possibly)\s*", re.IGNORECASE)
YEAR_PAIR = re.compile(r"^((?:approx\w*\.?\s+)?)(\d{4})\s*/\s*(\d{4})$", re.IGNORECASE)
DAY_FIRST_YY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2})$")


def date_alternatives(value: str) -> list[str]:
    """The dates a list offers for one fact: ``a) 1/01/1968 b) 23-Apr-68``, ``1963 or 1964``,
    ``21/09/1964; alt DOB: 1962``, ``15 May 1968 (as ...)``: each date as written."""
    out: list[str] = []
    for item in enumeration(value):
        item = PARENTHESES.sub(" ", item)
        for part in DATE_SEPARATORS.split(item):
            part = ALT_PREFIX.sub("", part.strip().rstrip(".")).strip()
            part = re.sub(r"^(\d{1,2})\.\s+", r"\1 ", part)  # "21. Jul 1997"
            if match := YEAR_PAIR.match(part):
                out += [f"{match.group(1)}{match.group(2)}", match.group(3)]
            elif part:
                out.append(part)
    return out


def country_alternatives(value: str) -> list[str]:
    """The countries in ``Russian and Ukrainian``, ``Malian / Mauritanian``, ``Somalia;
    Kenya``, ``Afghanistan (since 2009)``; a name with a comma (``Korea, North``) is tried
    whole first."""
    out: list[str] = []
    for item in enumeration(value):
        item = ALT_PREFIX.sub("", PARENTHESES.sub(" ", item).strip()).strip(" .")
        if not item:
            continue
        if clean_country(item):
            out.append(item)
            continue
        out += [
            p
            for p in (ALT_PREFIX.sub("", s).strip(" .") for s in COUNTRY_SEPARATORS.split(item))
            if p
        ]
    return out
