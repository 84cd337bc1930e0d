"""Dates as the lists write them, to ISO prefixes (``1948-12-10``, ``1948-12``, ``1948``)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
        start=1,
    )
}

DAY_MON_YEAR = re.compile(r"^(\d{1,2})\s+([A-Za-z]{3})[A-Za-z]*\.?\s+(\d{4})$")
MON_YEAR = re.compile(r"^([A-Za-z]{3})[A-Za-z]*\.?\s+(\d{4})$")
YEAR = re.compile(r"^(\d{4})$")
ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:[T ][0-9:.+Z-]*)?$")
RANGE = re.compile(r"^(?:between\s+)?(.+?)(?:\s+(?:to|and)\s+|\s*-\s*)(.+)$", re.IGNORECASE)
APPROX = re.compile(r"^(?:circa|ca\.?|approximately|approx\.?|about)\s+", re.IGNORECASE)


def _valid(y: int, m: int | None = None, d: int | None = None) -> bool:
    try:
        date(y, m or 1, d or 1)
    except ValueError:
        return False
    return 1000 <= y <= 2100


def parse_date(text: str) -> str | None:
    """One date in the lists' forms (``10 Dec 1948``, ``Dec 1948``, ``1948``, ISO); else None."""
    text = APPROX.sub("", text.strip().rstrip(".")).strip()
    if match := DAY_MON_YEAR.match(text):
        day, mon, year = (
            int(match.group(1)),
            MONTHS.get(match.group(2).lower()),
            int(match.group(3)),
        )
        if mon and _valid(year, mon, day):
            return f"{year:04d}-{mon:02d}-{day:02d}"
        return None
    if match := MON_YEAR.match(text):
        month, year = MONTHS.get(match.group(1).lower()), int(match.group(2))
        if month and _valid(year, month):
            return f"{year:04d}-{month:02d}"
        return None
    if match := ISO.match(text):
        iso_year = int(match.group(1))
        iso_month = int(match.group(2)) if match.group(2) else None
        iso_day = int(match.group(3)) if match.group(3) else None
        if not _valid(iso_year, iso_month, iso_day):
            return None
        parts = [f"{iso_year:04d}"]
        parts += [f"{iso_month:02d}"] if iso_month else []
        parts += [f"{iso_day:02d}"] if iso_day else []
        return "-".join(parts)
    return None


def parse_dates(text: str) -> list[str]:
    """A date or a range (``1951 to 1953``, ``01 Jan 1961 to 31 Dec 1962``): its ends."""
    single = parse_date(text)
    if single is not None:
        return [single]
    if match := RANGE.match(text.strip().rstrip(".")):
        ends = [parse_date(match.group(1)), parse_date(match.group(2))]
        if all(ends):
            return [e for e in ends if e]
    return []


def parse_timestamp(text: str) -> datetime | None:
    """An ISO date or date-time to a naive UTC datetime (the store keeps UTC)."""
    text = text.strip()
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        parsed = parse_date(text)
        if parsed is None or len(parsed) != 10:
            return None
        value = datetime.fromisoformat(parsed)
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value
