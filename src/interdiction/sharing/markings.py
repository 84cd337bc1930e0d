"""Handling markings: TLP 2.0, REL TO and PAP, and the rules the software enforces.

- A product is at least as restricted as anything it contains: its TLP is the most
  restrictive of its parts, its REL TO the intersection of theirs (``most_restrictive``).
- A product is written for an audience only if its marking releases to that audience
  (``Marking.check_release``): TLP:RED never leaves as a file for others, REL TO must name
  the recipient, and a product without REL TO is not for foreign release unless TLP:CLEAR.
- Every rendering carries the banner at top and bottom (``Marking.banner``).

TLP 2.0 is FIRST's standard (2022); REL TO follows the ODNI ISM dissemination control, with
ISO 3166-1 alpha-3 country codes and the usual tetragraphs (FVEY, NATO, EU).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from interdiction.cases.vocab import PAP_LEVELS, TLP_LEVELS

TETRAGRAPHS = {
    "FVEY": ("AUS", "CAN", "GBR", "NZL", "USA"),
    "NATO": (),  # membership is expanded by the recipient's own rules; kept as a token
    "EU": (),
}
CODE_RE = re.compile(r"^[A-Z]{3,4}$")


class MarkingError(ValueError):
    """A marking is malformed, or forbids what was asked."""


@dataclass(frozen=True)
class Marking:
    tlp: str = "CLEAR"
    rel_to: tuple[str, ...] = ()  # empty: no REL TO line
    pap: str | None = None
    caveats: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if self.tlp not in TLP_LEVELS:
            hint = " (TLP:WHITE is TLP 1.0: use TLP:CLEAR)" if self.tlp == "WHITE" else ""
            raise MarkingError(f"TLP:{self.tlp} is not a TLP 2.0 level {TLP_LEVELS}{hint}")
        if self.pap is not None and self.pap not in PAP_LEVELS:
            raise MarkingError(f"PAP:{self.pap} is not one of {PAP_LEVELS}")
        for code in self.rel_to:
            if not CODE_RE.match(code):
                raise MarkingError(f"REL TO {code!r}: use ISO 3166 alpha-3 codes or FVEY, NATO, EU")

    @property
    def rank(self) -> int:
        return TLP_LEVELS.index(self.tlp)

    def banner(self) -> str:
        parts = [f"TLP:{self.tlp}"]
        if self.rel_to:
            parts.append("REL TO " + ", ".join(self.rel_to))
        if self.pap:
            parts.append(f"PAP:{self.pap}")
        parts.extend(self.caveats)
        return " // ".join(parts)

    def releasable_to(self, audience: str) -> bool:
        audience = audience.upper()
        if self.tlp == "RED":
            return False
        if not self.rel_to:
            return self.tlp == "CLEAR"
        expanded = set(self.rel_to)
        for code in self.rel_to:
            expanded.update(TETRAGRAPHS.get(code, ()))
        return audience in expanded

    def check_release(self, audience: str | None) -> None:
        """Refuse to produce a copy for ``audience`` that the marking does not allow."""
        if audience is None:
            return
        if not self.releasable_to(audience):
            raise MarkingError(
                f"{self.banner()} does not release to {audience.upper()}: "
                "the product cannot be written for that recipient"
            )


def parse_marking(text: str) -> Marking:
    """``TLP:AMBER // REL TO USA, KOR, JPN // PAP:GREEN`` (``;`` or ``//`` separated)."""
    tlp, pap = "CLEAR", None
    rel: list[str] = []
    caveats: list[str] = []
    for raw in re.split(r"\s*(?://|;)\s*", text.strip()):
        part = raw.strip()
        if not part:
            continue
        upper = part.upper()
        if upper.startswith("TLP:"):
            tlp = upper[4:].strip()
        elif upper.startswith("PAP:"):
            pap = upper[4:].strip()
        elif upper.startswith("REL TO"):
            rel.extend(c.strip() for c in re.split(r"[,\s]+", upper[6:]) if c.strip())
        else:
            caveats.append(part)
    return Marking(tlp=tlp, rel_to=tuple(dict.fromkeys(rel)), pap=pap, caveats=tuple(caveats))


def most_restrictive(markings: list[Marking]) -> Marking:
    """The marking a product containing all of ``markings`` must carry."""
    if not markings:
        return Marking()
    tlp = max(markings, key=lambda m: m.rank).tlp
    with_rel = [set(m.rel_to) for m in markings if m.rel_to]
    rel: tuple[str, ...] = ()
    if with_rel:
        common = set.intersection(*with_rel)
        order = [c for m in markings for c in m.rel_to]
        rel = tuple(dict.fromkeys(c for c in order if c in common))
        if not rel:
            raise MarkingError(
                "the parts release to no common recipient: "
                + " vs ".join("REL TO " + ", ".join(m.rel_to) for m in markings if m.rel_to)
            )
    paps = [m.pap for m in markings if m.pap]
    pap = max(paps, key=PAP_LEVELS.index) if paps else None
    caveats = tuple(dict.fromkeys(c for m in markings for c in m.caveats))
    return Marking(tlp=tlp, rel_to=rel, pap=pap, caveats=caveats)
