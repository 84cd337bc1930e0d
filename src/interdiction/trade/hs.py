"""HS codes as declarations write them, to one form: six digits, plus the national digits.

Declarations write ``8542.31``, ``8542 31 00``, ``8542.31.0000``, ``HS 854231`` or lose the
leading zero in a spreadsheet (``30617`` for 0306.17). A code is kept as declared and
normalised to its HS-6 (the internationally comparable level) and national tail (8 or 10
digits); anything else is reported with a reason, never dropped: a code the nomenclature does
not know cannot be said to be clean.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Status = Literal["ok", "not-in-hs2022", "hs2017-only", "too-short", "malformed", "missing"]

_PREFIX = re.compile(r"^\s*(?:HS|H\.S\.|HTS|TN\s*VED|ТН\s*ВЭД)[\s:#-]*", re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s.\-_/]+")


@dataclass(frozen=True)
class HsCode:
    declared: str
    digits: str | None
    hs6: str | None
    status: Status
    note: str = ""

    @property
    def chapter(self) -> str | None:
        return self.hs6[:2] if self.hs6 else None

    @property
    def heading(self) -> str | None:
        return self.hs6[:4] if self.hs6 else None


def clean_digits(text: str | None) -> str | None:
    """The digits of a code, without prefix or separators; None if anything else remains."""
    if text is None:
        return None
    stripped = _SEPARATORS.sub("", _PREFIX.sub("", text.strip()))
    if not stripped or not stripped.isascii() or not stripped.isdigit():
        return None
    return stripped


def normalise(
    text: str | None,
    known_hs6: frozenset[str] | set[str] = frozenset(),
    hs2017_only: frozenset[str] | set[str] = frozenset(),
) -> HsCode:
    """Normalise one declared code; ``known_hs6`` is the HS 2022 six-digit set (if given)."""
    declared = (text or "").strip()
    if not declared:
        return HsCode(declared, None, None, "missing", "no HS code declared")
    digits = clean_digits(declared)
    if digits is None:
        return HsCode(declared, None, None, "malformed", f"{declared!r} is not an HS code")
    note = ""
    if len(digits) in (5, 7, 9) and known_hs6:
        padded = "0" + digits
        if padded[:6] in known_hs6:
            digits, note = padded, "leading zero restored (lost by a spreadsheet?)"
    if len(digits) < 6:
        return HsCode(declared, digits, None, "too-short", f"{declared!r} is not at the HS-6 level")
    if len(digits) not in (6, 8, 10):
        note = (note + "; " if note else "") + f"{len(digits)} digits (expected 6, 8 or 10)"
    hs6 = digits[:6]
    if known_hs6 and hs6 not in known_hs6:
        if hs6 in hs2017_only:
            return HsCode(declared, digits, hs6, "hs2017-only", "an HS 2017 code, not in HS 2022")
        return HsCode(declared, digits, hs6, "not-in-hs2022", f"{hs6} is not an HS 2022 code")
    return HsCode(declared, digits, hs6, "ok", note)
