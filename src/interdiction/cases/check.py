"""The software checks the form and the links of a case; the judgements stay the analyst's.

Form (ICD 203): each judgement states exactly one likelihood expression, and its confidence
is a separate sentence with one confidence level and no likelihood term. Links: every alert
selector matches at least one alert, every entity exists in the store, every claim and source
exists in the case. Markings: the case is at least as restricted as its sources. Problems are
errors (the case cannot be built) or warnings (it can, and the product says so).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from interdiction.cases.model import AlertSelector, CaseFile, Links
from interdiction.cases.vocab import find_confidence, find_likelihoods
from interdiction.sharing.markings import MarkingError, most_restrictive, parse_marking
from interdiction.store import Store, get_entity


@dataclass(frozen=True)
class Problem:
    level: Literal["error", "warning"]
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.level}: {self.where}: {self.message}"


def select_alerts(store: Store, selector: AlertSelector | str) -> list[str]:
    """Alert ids matched by a selector (a plain string is an alert id)."""
    if not store.has_table("alerts"):
        return []
    if isinstance(selector, str):
        selector = AlertSelector(id=selector)
    rows = store.con.execute(
        """SELECT id FROM alerts
        WHERE ($id IS NULL OR id = $id) AND ($type IS NULL OR type = $type)
          AND ($det IS NULL OR detector = $det)
          AND ($entity IS NULL OR list_contains(entity_ids, $entity))
          AND ($place IS NULL OR place ILIKE '%' || $place || '%')
          AND list_position(['info', 'low', 'medium', 'high', 'critical'], severity)
              >= list_position(['info', 'low', 'medium', 'high', 'critical'],
                               coalesce($severity, 'info'))
        ORDER BY start_time NULLS LAST, id""",
        {
            "severity": selector.min_severity,
            "id": selector.id,
            "type": selector.type,
            "det": selector.detector,
            "entity": selector.entity,
            "place": selector.place,
        },
    ).fetchall()
    return [r[0] for r in rows]


def _sentences(text: str) -> int:
    return len([s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s])


def check_form(case: CaseFile) -> list[Problem]:
    """Checks that need no store: vocabulary, internal references, markings."""
    out: list[Problem] = []
    source_ids = {s.id for s in case.sources}
    claim_ids = {c.id for c in case.claims}
    for kind, ids in (
        ("source", [s.id for s in case.sources]),
        ("claim", [c.id for c in case.claims]),
        ("judgement", [j.id for j in case.judgements]),
    ):
        dupes = {i for i in ids if ids.count(i) > 1}
        for dupe in sorted(dupes):
            out.append(Problem("error", f"{kind} {dupe}", "the id is used twice"))
    try:
        marking = parse_marking(case.marking)
        parts = [parse_marking(s.marking) for s in case.sources]
        needed = most_restrictive([marking, *parts])
        if needed.rank > marking.rank or set(marking.rel_to) - set(needed.rel_to):
            out.append(
                Problem(
                    "error",
                    "marking",
                    f"the case is marked {marking.banner()} but its sources require "
                    f"{needed.banner()}",
                )
            )
    except MarkingError as exc:
        out.append(Problem("error", "marking", str(exc)))
    for claim in case.claims:
        for sid in claim.sources:
            if sid not in source_ids:
                out.append(
                    Problem("error", f"claim {claim.id}", f"source {sid} is not in the case")
                )
        if len(claim.sources) == 1 and claim.status == "reported":
            out.append(
                Problem(
                    "warning",
                    f"claim {claim.id}",
                    "rests on one source: consider status single-source",
                )
            )
    for judgement in case.judgements:
        where = f"judgement {judgement.id}"
        found = find_likelihoods(judgement.text)
        if len(found) != 1:
            terms = ", ".join(repr(t) for t, _ in found) or "none"
            out.append(
                Problem(
                    "error",
                    where,
                    f"states {len(found)} ICD 203 likelihood expressions ({terms}); "
                    "a judgement states exactly one",
                )
            )
        levels = find_confidence(judgement.confidence)
        if len(levels) != 1:
            out.append(
                Problem(
                    "error",
                    where,
                    "the confidence sentence must state one level: low, moderate or high "
                    "confidence",
                )
            )
        if find_likelihoods(judgement.confidence):
            out.append(
                Problem(
                    "error",
                    where,
                    "the confidence sentence uses a likelihood term: likelihood and "
                    "confidence are separate statements (ICD 203)",
                )
            )
        if find_confidence(judgement.text):
            out.append(
                Problem(
                    "error",
                    where,
                    "the judgement text states a confidence level: move it to "
                    "the confidence sentence",
                )
            )
        if _sentences(judgement.confidence) > 2:
            out.append(Problem("warning", where, "the confidence statement is long: one sentence"))
        if judgement.rests_on.empty():
            out.append(Problem("error", where, "rests on nothing: link alerts, entities or claims"))
        for cid in judgement.rests_on.claims:
            if cid not in claim_ids:
                out.append(Problem("error", where, f"claim {cid} is not in the case"))
        if (
            judgement.rests_on.claims
            and not judgement.rests_on.alerts
            and not judgement.rests_on.entities
        ):
            out.append(
                Problem(
                    "warning",
                    where,
                    "rests on reported claims only: no data in the store supports it",
                )
            )
    return out


def resolve_links(store: Store, links: Links, where: str) -> tuple[dict[str, Any], list[Problem]]:
    out: list[Problem] = []
    alerts: list[str] = []
    for selector in links.alerts:
        found = select_alerts(store, selector)
        label = selector if isinstance(selector, str) else selector.describe()
        if not found:
            out.append(Problem("error", where, f"no alert matches {label}"))
        alerts.extend(a for a in found if a not in alerts)
    entities: list[str] = []
    for entity_id in links.entities:
        record = get_entity(store, entity_id)
        if record is None:
            out.append(Problem("error", where, f"entity {entity_id} is not in the store"))
        else:
            entities.append(record.entity.id or entity_id)
    return {"alerts": alerts, "entities": entities, "claims": list(links.claims)}, out


def check_case(store: Store, case: CaseFile) -> list[Problem]:
    problems = check_form(case)
    for judgement in case.judgements:
        _, found = resolve_links(store, judgement.rests_on, f"judgement {judgement.id}")
        problems.extend(found)
    for selector in case.scope.alerts:
        if not select_alerts(store, selector):
            label = selector if isinstance(selector, str) else selector.describe()
            problems.append(Problem("warning", "scope", f"no alert matches {label}"))
    for entity_id in case.scope.entities:
        if get_entity(store, entity_id) is None:
            problems.append(Problem("error", "scope", f"entity {entity_id} is not in the store"))
    return problems
