"""Ownership shares as exact integer intervals, so that a missing or ranged percentage is
never silently read as 0 or 100.

A share is held as ``[lo, hi]`` in units of one ten-thousandth of a percent (100% =
1,000,000), with open bounds moved inward by one unit, so sums are exact (33.3 + 16.7 is
50, not 49.99999) and "more than 25%" stays distinct from "25%". The text forms written into
``Ownership.percentage`` by our readers, and accepted from other sources:

- ``50``, ``50%``, ``50.5 %``: an exact share;
- ``[75,100)``, ``(25,50)``, ``[25,50]``: an interval (BODS ``minimum``/``exclusiveMinimum``
  and ``maximum``/``exclusiveMaximum``);
- ``25-50``, ``25% to 50%``: a closed range; ``>25``, ``>=25``, ``<50``, ``<=50``: half-open;
- empty or missing: unknown, ``[0, 100]``, flagged.

A value outside 0-100 or that does not parse is a ``problem``: the share is then unknown
(``[0, 100]``) and the problem is reported with the edge, never dropped.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

UNIT = 10_000  # units per percent
FULL = 100 * UNIT

_NUM = r"(\d+(?:\.\d+)?)\s*%?"
EXACT = re.compile(rf"^{_NUM}$")
INTERVAL = re.compile(rf"^([\[(])\s*{_NUM}\s*,\s*{_NUM}\s*([\])])$")
RANGE = re.compile(rf"^{_NUM}\s*(?:-|–|to)\s*{_NUM}$", re.IGNORECASE)
BOUND = re.compile(rf"^(>=|=>|≥|>|<=|=<|≤|<)\s*{_NUM}$")


@dataclass(frozen=True)
class Share:
    lo: int
    hi: int
    known: bool  # False: no percentage given (the interval is then [0, 100])
    problem: str | None = None

    @property
    def exact(self) -> bool:
        return self.known and self.lo == self.hi

    def label(self) -> str:
        if not self.known:
            return "share unknown" + (f" ({self.problem})" if self.problem else "")
        if self.exact:
            return f"{fmt_pct(self.lo)}%"
        return f"{fmt_pct(self.lo)}-{fmt_pct(self.hi)}%"


UNKNOWN = Share(0, FULL, False)


def fmt_pct(units: int) -> str:
    text = f"{units / UNIT:.4f}".rstrip("0").rstrip(".")
    return text or "0"


def _units(text: str, up: bool) -> int:
    value = float(text) * UNIT
    return math.ceil(value - 1e-9) if up else math.floor(value + 1e-9)


def parse_share(text: str | None) -> Share:
    """The interval a percentage text means; unknown (with a problem) when it means nothing."""
    if text is None or not text.strip():
        return UNKNOWN
    raw = " ".join(text.strip().split())
    lo: int
    hi: int
    if match := EXACT.match(raw):
        lo, hi = _units(match.group(1), up=False), _units(match.group(1), up=True)
    elif match := INTERVAL.match(raw):
        lo = _units(match.group(2), up=False) + (1 if match.group(1) == "(" else 0)
        hi = _units(match.group(3), up=True) - (1 if match.group(4) == ")" else 0)
    elif match := RANGE.match(raw):
        lo, hi = _units(match.group(1), up=False), _units(match.group(2), up=True)
    elif match := BOUND.match(raw):
        op, value = match.group(1), match.group(2)
        if op.startswith(">") or op.startswith("=>") or op == "≥":
            lo, hi = _units(value, up=False) + (1 if op == ">" else 0), FULL
        else:
            lo, hi = 0, _units(value, up=True) - (1 if op == "<" else 0)
    else:
        return Share(0, FULL, False, f"percentage {raw!r} is not a number or range")
    if lo > FULL or hi > FULL:
        return Share(0, FULL, False, f"percentage {raw!r} is over 100")
    if lo > hi:
        return Share(0, FULL, False, f"percentage {raw!r} is an empty range")
    return Share(max(lo, 0), min(hi, FULL), True)


def share_text(
    exact: float | None = None,
    minimum: float | None = None,
    maximum: float | None = None,
    exclusive_minimum: float | None = None,
    exclusive_maximum: float | None = None,
) -> str | None:
    """The percentage text for a BODS ``share`` object (None when it gives no figure)."""
    if exact is not None:
        return fmt_pct(round(exact * UNIT))
    low, low_open = (exclusive_minimum, True) if exclusive_minimum is not None else (minimum, False)
    high, high_open = (
        (exclusive_maximum, True) if exclusive_maximum is not None else (maximum, False)
    )
    if low is None and high is None:
        return None
    left = "(" if low_open else "["
    right = ")" if high_open else "]"
    low_text = fmt_pct(round((low or 0) * UNIT))
    high_text = fmt_pct(round((high if high is not None else 100) * UNIT))
    return f"{left}{low_text},{high_text}{right}"
