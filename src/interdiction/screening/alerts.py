"""Screening matches as alerts: names as a report or a file gives them, matched to listed
entities, written to the shared alerts table so that a case can rest on them.

A match is a finding about a name, not about the world: the alert names the line the name
came from (and the source that reported it, when the file says), the listed entity, the
list versions, and the explanation of the score. Vessel names alone never exceed 0.85, so a
ship matched by name only stays at medium severity until an IMO number decides.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from interdiction.config import Config
from interdiction.screening.matching import Result, Screening
from interdiction.screening.scoring import MATCHER_VERSION
from interdiction.store import Store
from interdiction.store.alerts import Alert, DetectorRun, Evidence, write_alerts

DETECTOR = "screening.match"
ALERT_TYPE = "screening_match"
# A score this high, or an identifier that decided, is a strong match (high severity); below
# it a match rests on names alone (medium): an analyst confirms it before acting on it.
STRONG_SCORE = 0.9
# An MMSI alone is weak evidence (reused, spoofed): it never makes a match strong.
IDENTIFIER_FEATURES = frozenset(
    {"vessel_imo_match", "identifier_match", "passport_match", "crypto_match"}
)


@dataclass(frozen=True)
class ScreenedName:
    """One screened query and where it came from."""

    origin: str  # file name
    line: int
    query: dict[str, Any]  # the FtM example as screened
    result: Screening
    source: str = ""  # who reported the name (a case's source id, a citation)
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _strong(hit: Result) -> bool:
    return hit.score >= STRONG_SCORE or any(
        f in IDENTIFIER_FEATURES and d.score >= STRONG_SCORE for f, d in hit.features.items()
    )


def match_alerts(screened: Sequence[ScreenedName], config: Config) -> list[Alert]:
    """One alert per (query, matched entity); non-matches make none."""
    section = config.section_hash("screening")
    alerts: list[Alert] = []
    for item in screened:
        names = item.query.get("properties", {}).get("name") or ["(identifiers only)"]
        shown = names[0]
        reported = f", reported by {item.source}" if item.source else ""
        lists = [
            {"dataset": v["dataset"], "version": v.get("version"), "published": v.get("published")}
            for v in item.result.lists
        ]
        for hit in item.result.results:
            if not hit.match:
                continue
            entity = hit.entity
            datasets = ", ".join(entity.datasets)
            kind = "strong" if _strong(hit) else "name only"
            query_ev = Evidence(
                kind="record",
                summary=f"the name as given: {shown!r} ({item.origin} line {item.line}{reported})",
                ref_table="screening_input",
                ref_id=f"{item.origin}:{item.line}",
                data={"query": item.query, "source": item.source, "note": item.note},
                source=item.origin,
            )
            entity_ev = Evidence(
                kind="entity",
                summary=f"{entity.caption} ({entity.schema}) on {datasets}",
                ref_table="entities",
                ref_id=entity.id,
                data={
                    "lists": lists,
                    "features": {k: f.detail for k, f in hit.features.items()},
                },
                simulated=entity.simulated,
            )
            alerts.append(
                Alert(
                    type=ALERT_TYPE,
                    severity="high" if kind == "strong" else "medium",
                    title=(
                        f"The name {shown!r}{reported} matches {entity.caption} "
                        f"({entity.schema}, {datasets}) at {hit.score:.2f} ({kind})"
                    ),
                    summary=hit.explanation,
                    entity_ids=[entity.id],
                    detector=DETECTOR,
                    detector_version=MATCHER_VERSION,
                    config_hash=section,
                    evidence=[query_ev, entity_ev],
                    score=round(hit.score, 4),
                    params={"threshold": item.result.threshold, "lists": lists},
                    simulated=entity.simulated,
                    key=f"{item.origin}:{item.line}:{shown}",
                )
            )
    return alerts


def write_match_alerts(
    store: Store, screened: Sequence[ScreenedName], config: Config, origin: str
) -> dict[str, int]:
    """Write the matches of one screened file as one detector run. Screening the same lines
    again rewrites the same alerts (content-hash ids); matches of other files stay."""
    alerts = match_alerts(screened, config)
    run = DetectorRun(
        DETECTOR,
        MATCHER_VERSION,
        config.section_hash("screening"),
        params={"threshold": config.screening.threshold},
        inputs={"file": origin, "queries": len(screened)},
    )
    return write_alerts(store, run, alerts)
