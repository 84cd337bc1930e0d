"""The controlled vocabularies of analytic products, read from the MISP taxonomies shipped in
``cases/data`` (CC0; see PROVENANCE.md): ICD 203 likelihood and confidence terms, NATO
(Admiralty) source reliability and information credibility, TLP 2.0 and PAP.

ICD 203 lets analysts use either the likelihood word or its probability synonym, and the
adverb forms ("very likely" / "highly probable", "almost certainly" / "nearly certain"); all
are recognised, each mapped to its band.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any


def _taxonomy(name: str) -> dict[str, Any]:
    text = resources.files("interdiction.cases") / "data" / f"{name}.machinetag.json"
    data: dict[str, Any] = json.loads(text.read_text(encoding="utf-8"))
    return data


@dataclass(frozen=True)
class Likelihood:
    key: str  # the taxonomy value, e.g. "very-likely"
    label: str  # "very likely"
    low: int  # percent
    high: int
    phrases: tuple[str, ...]  # every accepted wording, lower case


# The phrasings of ICD 203's table (both columns, and adverb forms). The bands come from the
# taxonomy's "expanded" text ("Very likely - highly probable - 80-95%").
_EXTRA_FORMS = {
    # "remote" alone would match "remote sensing": only its probability uses count.
    "almost-no-chance": ("almost no chance", "remote chance", "remote possibility", "remotely"),
    "very-unlikely": ("very unlikely", "highly improbable", "highly improbably"),
    "unlikely": ("unlikely", "improbable", "improbably"),
    "roughly-even-chance": ("roughly even chance", "roughly even odds"),
    "likely": ("likely", "probable", "probably"),
    "very-likely": ("very likely", "highly probable", "highly probably"),
    "almost-certain": ("almost certain", "almost certainly", "nearly certain", "nearly certainly"),
}


@cache
def likelihoods() -> tuple[Likelihood, ...]:
    data = _taxonomy("estimative-language")
    out = []
    for block in data["values"]:
        if block["predicate"] != "likelihood-probability":
            continue
        for entry in block["entry"]:
            band = re.search(r"(\d+)-(\d+)%", entry["expanded"])
            low, high = (int(band.group(1)), int(band.group(2))) if band else (0, 100)
            key = entry["value"]
            out.append(
                Likelihood(
                    key=key,
                    label=key.replace("-", " "),
                    low=low,
                    high=high,
                    phrases=_EXTRA_FORMS.get(key, (key.replace("-", " "),)),
                )
            )
    return tuple(sorted(out, key=lambda lk: lk.low))


@cache
def confidence_levels() -> tuple[str, ...]:
    data = _taxonomy("estimative-language")
    for block in data["values"]:
        if block["predicate"] == "confidence-in-analytic-judgment":
            return tuple(entry["value"] for entry in block["entry"])
    return ("low", "moderate", "high")


@cache
def _phrase_pattern() -> tuple[re.Pattern[str], dict[str, Likelihood]]:
    by_phrase = {phrase: lk for lk in likelihoods() for phrase in lk.phrases}
    ordered = sorted(by_phrase, key=len, reverse=True)  # "very unlikely" before "unlikely"
    pattern = re.compile(r"\b(" + "|".join(re.escape(p) for p in ordered) + r")\b", re.IGNORECASE)
    return pattern, by_phrase


def find_likelihoods(text: str) -> list[tuple[str, Likelihood]]:
    """Every ICD 203 likelihood expression in ``text`` (longest match, no overlaps)."""
    pattern, by_phrase = _phrase_pattern()
    return [(m.group(1), by_phrase[m.group(1).lower()]) for m in pattern.finditer(text)]


CONFIDENCE_RE = re.compile(r"\b(low|moderate|high)(?:\s+|-)confidence\b", re.IGNORECASE)


def find_confidence(text: str) -> list[str]:
    return [m.group(1).lower() for m in CONFIDENCE_RE.finditer(text)]


@cache
def admiralty() -> tuple[dict[str, str], dict[str, str]]:
    """(reliability A-F, credibility 1-6): NATO AJP-2.1 / STANAG 2511 letters and digits.

    The MISP taxonomy also lists G ("deliberately deceptive"), which the NATO scale does not
    have; it is left out so that grades stay interoperable.
    """
    data = _taxonomy("admiralty-scale")
    reliability: dict[str, str] = {}
    credibility: dict[str, str] = {}
    for block in data["values"]:
        for entry in block["entry"]:
            if block["predicate"] == "source-reliability" and entry["value"] in "abcdef":
                reliability[entry["value"].upper()] = entry["expanded"]
            elif block["predicate"] == "information-credibility":
                credibility[entry["value"]] = entry["expanded"]
    return reliability, credibility


# TLP 2.0 (FIRST, 2022), least to most restrictive. TLP:WHITE is TLP 1.0: refused with a hint.
TLP_LEVELS: tuple[str, ...] = ("CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED")


@cache
def tlp_descriptions() -> dict[str, str]:
    data = _taxonomy("tlp")
    out = {}
    for predicate in data["predicates"]:
        name = predicate["value"].upper()
        if name in TLP_LEVELS:
            out[name] = predicate.get("description") or predicate.get("expanded", "")
    return out


PAP_LEVELS: tuple[str, ...] = ("CLEAR", "GREEN", "AMBER", "RED")
