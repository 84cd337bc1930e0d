"""Building a case: check it, resolve its selectors against the store, and record the result.

The case file stays the analyst's document; the store keeps what it resolved to (which
alerts, which entities), against which store version, so a briefing can always say what data
it rests on. Building again replaces the case's rows in one transaction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from interdiction.cases.casefile import load_case_file
from interdiction.cases.check import Problem, check_case, resolve_links, select_alerts
from interdiction.cases.model import CaseFile
from interdiction.fileio import sha256_file
from interdiction.store import Store, get_entity, lists_in_use
from interdiction.store.db import one
from interdiction.store.schema import TableSchema

CASES = TableSchema(
    component="cases",
    steps=(
        (
            1,
            (
                """CREATE TABLE IF NOT EXISTS cases (
                    id VARCHAR PRIMARY KEY,
                    title VARCHAR NOT NULL,
                    marking VARCHAR NOT NULL,
                    file VARCHAR,
                    file_sha256 VARCHAR,
                    data JSON NOT NULL,
                    built_at TIMESTAMP NOT NULL,
                    store_version BIGINT NOT NULL,
                    lists JSON NOT NULL,
                    problems JSON NOT NULL)""",
                # Every alert and entity a case holds, and why (its scope or a judgement).
                """CREATE TABLE IF NOT EXISTS case_links (
                    case_id VARCHAR NOT NULL,
                    kind VARCHAR NOT NULL,
                    ref_id VARCHAR NOT NULL,
                    via VARCHAR NOT NULL)""",
            ),
        ),
    ),
)


class CaseError(ValueError):
    """A case with errors: the message lists them."""


@dataclass
class BuiltCase:
    case: CaseFile
    alerts: list[str]
    entities: list[str]
    judgement_links: dict[str, dict[str, Any]]
    problems: list[Problem] = field(default_factory=list)
    store_version: int = 0

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "warning"]


def build_case(store: Store, path: Path) -> BuiltCase:
    """Check a case file and record it in the store; refuse it while it has errors."""
    case = load_case_file(path)
    problems = check_case(store, case)
    errors = [p for p in problems if p.level == "error"]
    if errors:
        raise CaseError(f"{path}: {len(errors)} errors:\n" + "\n".join(str(p) for p in errors))
    alerts: list[str] = []
    links: list[tuple[str, str, str]] = []
    for selector in case.scope.alerts:
        for alert_id in select_alerts(store, selector):
            if alert_id not in alerts:
                alerts.append(alert_id)
                links.append(("alert", alert_id, "scope"))
    entities: list[str] = []
    for entity_id in case.scope.entities:
        record = get_entity(store, entity_id)
        if record is not None and (record.entity.id or entity_id) not in entities:
            entities.append(record.entity.id or entity_id)
            links.append(("entity", record.entity.id or entity_id, "scope"))
    judgement_links: dict[str, dict[str, Any]] = {}
    for judgement in case.judgements:
        resolved, _ = resolve_links(store, judgement.rests_on, judgement.id)
        judgement_links[judgement.id] = resolved
        for alert_id in resolved["alerts"]:
            links.append(("alert", alert_id, judgement.id))
            if alert_id not in alerts:
                alerts.append(alert_id)
        for entity_id in resolved["entities"]:
            links.append(("entity", entity_id, judgement.id))
            if entity_id not in entities:
                entities.append(entity_id)
    store.ensure(CASES)
    with store.transaction() as con:
        con.execute("DELETE FROM case_links WHERE case_id = ?", [case.id])
        con.execute("DELETE FROM cases WHERE id = ?", [case.id])
        version = one(con, "SELECT value FROM meta WHERE key = 'store_version'")
        con.execute(
            "INSERT INTO cases VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                case.id,
                case.title,
                case.marking,
                str(path),
                sha256_file(path),
                json.dumps(
                    {"case": case.model_dump(mode="json"), "judgement_links": judgement_links}
                ),
                datetime.now(UTC).replace(tzinfo=None),
                int(version[0]) if version else 0,
                json.dumps([v.to_dict() for v in lists_in_use(store)], default=str),
                json.dumps([p.__dict__ for p in problems]),
            ],
        )
        if links:
            con.executemany(
                "INSERT INTO case_links VALUES (?, ?, ?, ?)",
                [[case.id, kind, ref, via] for kind, ref, via in links],
            )
    return BuiltCase(case, alerts, entities, judgement_links, problems, store.version())


def load_built_case(store: Store, case_id: str) -> BuiltCase:
    """A case as last built into the store."""
    if not store.has_table("cases"):
        raise LookupError(f"{case_id}: no case has been built in this store")
    row = one(store.con, "SELECT data, problems, store_version FROM cases WHERE id = ?", [case_id])
    if row is None:
        raise LookupError(f"{case_id}: no such case in the store (interdiction case build FILE)")
    data = json.loads(row[0])
    case = CaseFile.model_validate(data["case"])
    alerts = [
        r[0]
        for r in store.con.execute(
            """SELECT ref_id FROM case_links WHERE case_id = ? AND kind = 'alert'
            GROUP BY ref_id ORDER BY min(rowid)""",
            [case_id],
        ).fetchall()
    ]
    entities = [
        r[0]
        for r in store.con.execute(
            """SELECT ref_id FROM case_links WHERE case_id = ? AND kind = 'entity'
            GROUP BY ref_id ORDER BY min(rowid)""",
            [case_id],
        ).fetchall()
    ]
    problems = [Problem(**p) for p in json.loads(row[1])]
    return BuiltCase(case, alerts, entities, data["judgement_links"], problems, int(row[2]))
