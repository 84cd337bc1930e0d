"""Wording the software can suggest for a judgement, from the alerts it rests on.

A suggestion is a draft, never the analyst's judgement: it carries ``suggested: true``, which
every rendering marks plainly until an analyst takes the wording over (and removes the flag).
Each template states one ICD 203 likelihood term and a separate confidence sentence, chosen
conservatively from what the detector can and cannot show; the analyst is expected to change
both.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from interdiction.cases.model import AlertSelector, Judgement, Links

Template = Callable[[dict[str, Any]], tuple[str, str]]


def _when(alert: dict[str, Any]) -> str:
    start = alert.get("start_time")
    return f" on {start:%d %B %Y}" if start is not None else ""


def _upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def _subject(alert: dict[str, Any]) -> str:
    title = str(alert.get("title", "")).replace("[SIMULATED] ", "")
    mmsis = re.findall(r"\b\d{9}\b", title)
    if mmsis:
        return "the vessel with MMSI " + " and ".join(mmsis)
    return ", ".join(alert.get("entity_ids") or []) or "the entity concerned"


TEMPLATES: dict[str, Template] = {
    "ais_dark_port_call": lambda a: (
        f"There is a roughly even chance that {_subject(a)} called at {a.get('place')} while its "
        f"AIS was off{_when(a)}.",
        "Low confidence: only the gap's ends and the ship's speed make the call feasible, and no "
        "sighting is recorded.",
    ),
    "ais_gap": lambda a: (
        f"{_upper(_subject(a))} probably switched its AIS off{_when(a)} ({a.get('title')}).",
        "Low confidence: reception where the gap began is not modelled here.",
    ),
    "ais_encounter": lambda a: (
        f"The ships in this encounter ({_subject(a)}) very likely met at sea{_when(a)}; what, if "
        "anything, they transferred is not shown by AIS.",
        "Moderate confidence: positions show the meeting, not its purpose.",
    ),
    "ais_spoofing": lambda a: (
        f"{_upper(_subject(a))} probably broadcast false positions{_when(a)}.",
        "Moderate confidence: the reported track is physically impossible, but receiver faults "
        "produce similar patterns.",
    ),
    "ais_loitering": lambda a: (
        f"{_upper(_subject(a))} probably waited at sea{_when(a)} for a meeting or an order.",
        "Low confidence: loitering has many innocent reasons.",
    ),
    "blocked_not_listed": lambda a: (
        f"{str(a.get('title', '')).split(':')[0]} is almost certainly blocked under the ownership "
        "rule although no list names it.",
        "High confidence: the holdings on record add up, but ownership records can be outdated.",
    ),
    "chpl_shipment": lambda a: (
        f"The shipment in this record very likely carried Common High Priority List goods towards "
        f"Russia or Belarus{_when(a)}.",
        "Moderate confidence: the HS code is declared by the shipper and may be false.",
    ),
    "un_dprk_trade": lambda a: (
        f"Goods under a UN DPRK measure very likely moved to or from the DPRK in this record"
        f"{_when(a)}.",
        "Moderate confidence: HS codes and countries are declared and may be false.",
    ),
}
DEFAULT: Template = lambda a: (  # noqa: E731 - a template like the others
    f"The finding “{a.get('title')}” probably reflects the activity it describes.",
    "Low confidence: no template fits this kind of finding; an analyst must word it.",
)


def suggest(alerts: list[dict[str, Any]], prefix: str = "SJ") -> list[Judgement]:
    """One suggested judgement per alert, flagged as the software's wording."""
    out = []
    for number, alert in enumerate(alerts, start=1):
        text, confidence = TEMPLATES.get(alert["type"], DEFAULT)(alert)
        if alert.get("simulated"):
            text = "In the simulated data, " + text[0].lower() + text[1:]
        out.append(
            Judgement(
                id=f"{prefix}{number}",
                text=text,
                confidence=confidence,
                section=_section(alert),
                rests_on=Links(alerts=[AlertSelector(id=alert["id"])]),
                suggested=True,
            )
        )
    return out


def _section(alert: dict[str, Any]) -> Any:
    prefix = str(alert.get("detector", "")).split(".", 1)[0]
    return {
        "maritime": "maritime",
        "network": "networks",
        "trade": "trade",
        "screening": "screening",
    }.get(prefix, "general")
