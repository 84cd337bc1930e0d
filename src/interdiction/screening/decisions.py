"""Human decisions on hits: an analyst confirms a hit or marks it a false positive.

A decision is keyed by the query's identity (a client id plus a hash of the query's
properties) and the listed entity; it records who, when and why, the entity's checksum and the
matcher version. Later screenings of the same query apply it with a note saying so, until the
listed entity changes (new or retired statements) or the matcher changes: then the decision
is *reopened* and the hit shows again as undecided. Every decision stays in the table (the
latest per query and entity is in force): ``export_decisions`` is the audit log.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from interdiction.ids import content_hash
from interdiction.screening.index import ScreeningIndex
from interdiction.screening.matching import Query, Screening
from interdiction.screening.scoring import MATCHER_VERSION
from interdiction.store import Store, TableSchema

DECISIONS = TableSchema(
    component="screening",
    steps=(
        (
            1,
            (
                """CREATE TABLE IF NOT EXISTS screening_decisions (
                    id VARCHAR PRIMARY KEY,
                    client_id VARCHAR NOT NULL,
                    query_key VARCHAR NOT NULL,
                    query JSON NOT NULL,
                    entity_id VARCHAR NOT NULL,
                    decision VARCHAR NOT NULL,
                    analyst VARCHAR NOT NULL,
                    reason VARCHAR NOT NULL,
                    decided_at TIMESTAMP NOT NULL,
                    entity_checksum VARCHAR NOT NULL,
                    matcher_version VARCHAR NOT NULL,
                    score DOUBLE,
                    lists JSON NOT NULL,
                    simulated BOOLEAN NOT NULL)""",
                """CREATE INDEX IF NOT EXISTS screening_decisions_key
                    ON screening_decisions (query_key, entity_id)""",
            ),
        ),
    ),
)

FALSE_POSITIVE, CONFIRMED = "false_positive", "confirmed"
KINDS = (FALSE_POSITIVE, CONFIRMED)


class DecisionError(ValueError):
    """A decision that cannot be recorded (unknown entity, empty reason ...)."""


@dataclass(frozen=True)
class Decision:
    id: str
    client_id: str
    query_key: str
    entity_id: str
    decision: str
    analyst: str
    reason: str
    decided_at: datetime
    entity_checksum: str
    matcher_version: str
    score: float | None

    def to_dict(self) -> dict[str, Any]:
        out = dict(self.__dict__)
        out["decided_at"] = self.decided_at.isoformat()
        return out


def record_decision(
    store: Store,
    index: ScreeningIndex,
    query: Query,
    entity_id: str,
    decision: str,
    analyst: str,
    reason: str,
    client_id: str = "",
    score: float | None = None,
    now: datetime | None = None,
) -> Decision:
    """Write one decision (its own transaction)."""
    if decision not in KINDS:
        raise DecisionError(f"decision must be one of {', '.join(KINDS)}, not {decision!r}")
    if not analyst.strip():
        raise DecisionError("analyst: say who decides")
    if not reason.strip():
        raise DecisionError("reason: say why (it is the audit trail)")
    entity = index.entity(entity_id)
    if entity is None:
        raise DecisionError(f"{entity_id}: no listed entity with this id in the index")
    decided = (now or datetime.now(UTC)).replace(tzinfo=None)
    key = query.key(client_id)
    row = Decision(
        id="dec-" + content_hash(key, entity.id, decision, decided.isoformat()),
        client_id=client_id,
        query_key=key,
        entity_id=entity.id,
        decision=decision,
        analyst=analyst.strip(),
        reason=reason.strip(),
        decided_at=decided,
        entity_checksum=entity.checksum,
        matcher_version=MATCHER_VERSION,
        score=score,
    )
    store.ensure(DECISIONS)
    with store.transaction() as con:
        con.execute(
            "INSERT INTO screening_decisions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                row.id,
                row.client_id,
                row.query_key,
                json.dumps({"schema": query.schema, "properties": query.properties}),
                row.entity_id,
                row.decision,
                row.analyst,
                row.reason,
                row.decided_at,
                row.entity_checksum,
                row.matcher_version,
                row.score,
                json.dumps([(v["dataset"], v["version"]) for v in index.lists]),
                any(v.get("simulated") for v in index.lists),
            ],
        )
    return row


_COLUMNS = (
    "id, client_id, query_key, entity_id, decision, analyst, reason, decided_at, "
    "entity_checksum, matcher_version, score"
)


def load_decisions(store: Store) -> dict[tuple[str, str], Decision]:
    """The decision in force (the latest) per (query key, entity id)."""
    if not store.has_table("screening_decisions"):
        return {}
    out: dict[tuple[str, str], Decision] = {}
    for row in store.con.execute(
        f"SELECT {_COLUMNS} FROM screening_decisions ORDER BY decided_at, id"
    ).fetchall():
        decision = Decision(*row)
        out[(decision.query_key, decision.entity_id)] = decision
    return out


def export_decisions(store: Store) -> list[dict[str, Any]]:
    """Every decision ever recorded, oldest first: the audit log."""
    if not store.has_table("screening_decisions"):
        return []
    rows = store.con.execute(
        f"SELECT {_COLUMNS}, query, lists FROM screening_decisions ORDER BY decided_at, id"
    ).fetchall()
    out = []
    for row in rows:
        item = Decision(*row[:11]).to_dict()
        item["query"] = json.loads(row[11])
        item["lists"] = json.loads(row[12])
        out.append(item)
    return out


def apply_decisions(
    screening: Screening, decisions: dict[tuple[str, str], Decision], client_id: str = ""
) -> None:
    """Annotate results with the decision in force; reopen decisions that no longer hold."""
    if not decisions:
        return
    key = screening.query.key(client_id)
    for result in screening.results:
        decision = decisions.get((key, result.entity.id))
        if decision is None:
            continue
        reasons = []
        if decision.entity_checksum != result.entity.checksum:
            reasons.append("the listed entity has changed since")
        if decision.matcher_version != MATCHER_VERSION:
            reasons.append(f"the matcher changed ({decision.matcher_version} -> {MATCHER_VERSION})")
        status = "reopened" if reasons else "applied"
        note = (
            f"{decision.decision.replace('_', ' ')} by {decision.analyst} on "
            f"{decision.decided_at:%Y-%m-%d}: {decision.reason}"
        )
        if reasons:
            note = f"earlier decision reopened ({'; '.join(reasons)}): {note}"
        else:
            note = f"decision applied: {note}"
            if decision.decision == FALSE_POSITIVE:
                result.match = False
        result.decision = {**decision.to_dict(), "status": status, "note": note}
