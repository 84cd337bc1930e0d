"""Detection quality on simulated data: precision and recall per event type.

A detected alert matches a planted event of the same type when they share a vessel (both
vessels for encounters and identity resumptions), their spans overlap (within
``slack_hours``) and, for dark port calls, they name the same port. Alerts of a kind that is a
property of every simulated identity (``mid-unallocated``: MID 799 is unallocated on
purpose) are left out. Port visits of confidence below ``maritime.port_min_confidence`` are
not alerts and so are not scored.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from interdiction.maritime.events import EVENT_TYPES
from interdiction.maritime.simulate import Planted

IGNORED_KINDS = frozenset({"mid-unallocated"})


@dataclass
class Score:
    type: str
    planted: int
    detected: int
    true_positives: int
    matched_planted: int

    @property
    def precision(self) -> float | None:
        return self.true_positives / self.detected if self.detected else None

    @property
    def recall(self) -> float | None:
        return self.matched_planted / self.planted if self.planted else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "planted": self.planted,
            "detected": self.detected,
            "true_positives": self.true_positives,
            "precision": None if self.precision is None else round(self.precision, 3),
            "recall": None if self.recall is None else round(self.recall, 3),
        }


def _mmsis(alert: dict[str, Any]) -> set[int]:
    return {
        int(e.removeprefix("ais-mmsi-")) for e in alert["entity_ids"] if e.startswith("ais-mmsi-")
    }


def _matches(alert: dict[str, Any], planted: Planted, slack_s: float) -> bool:
    if alert["type"] != planted.type:
        return False
    a = _mmsis(alert)
    p = set(planted.mmsis)
    if planted.type in ("ais_encounter",) or planted.params.get("kind") == "identity-resumed":
        if a != p:
            return False
    elif not a & p:
        return False
    if planted.type == "ais_dark_port_call" and alert["params"].get("port") != planted.params.get(
        "port"
    ):
        return False
    start = alert["start_time"].timestamp() if alert["start_time"] else None
    end = alert["end_time"].timestamp() if alert["end_time"] else start
    if start is None:
        return True
    end = end if end is not None else start
    return bool(start <= planted.end + slack_s and end >= planted.start - slack_s)


def evaluate(
    truth: Sequence[Planted], alerts: Iterable[dict[str, Any]], slack_hours: float = 1.0
) -> list[Score]:
    """Scores per event type; ``alerts`` as ``store.read_alerts`` returns them (UTC naive)."""
    from datetime import UTC

    items = []
    for alert in alerts:
        if alert["params"].get("kind") in IGNORED_KINDS:
            continue
        fixed = dict(alert)
        for key in ("start_time", "end_time"):
            if fixed[key] is not None:
                fixed[key] = fixed[key].replace(tzinfo=UTC)
        items.append(fixed)
    slack = slack_hours * 3600.0
    scores = []
    for kind in EVENT_TYPES:
        planted = [p for p in truth if p.type == kind]
        found = [a for a in items if a["type"] == kind]
        tp = sum(1 for a in found if any(_matches(a, p, slack) for p in planted))
        hit = sum(1 for p in planted if any(_matches(a, p, slack) for a in found))
        scores.append(Score(kind, len(planted), len(found), tp, hit))
    return scores


def stored_truth(store: Any) -> list[Planted]:
    """The events every simulation loaded into the store says it planted."""
    import json

    if not store.has_table("ais_loads"):
        return []
    out: list[Planted] = []
    for (counts,) in store.con.execute(
        "SELECT counts FROM ais_loads WHERE simulated ORDER BY 1"
    ).fetchall():
        data = json.loads(counts) if isinstance(counts, str) else counts
        for p in (data or {}).get("truth", []):
            out.append(
                Planted(
                    p["type"],
                    tuple(p["mmsis"]),
                    p["start"],
                    p["end"],
                    p["lat"],
                    p["lon"],
                    dict(p.get("params") or {}),
                )
            )
    return out


def simulation_scores(store: Any) -> list[Score]:
    """Precision and recall of the detectors on the simulations in the store."""
    from interdiction.store import read_alerts

    truth = stored_truth(store)
    alerts = [a for a in read_alerts(store, limit=10_000_000) if a["simulated"]]
    return [s for s in evaluate(truth, alerts) if s.planted or s.detected]
