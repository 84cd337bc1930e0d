"""Network findings written to the shared alerts table, each resting on its path evidence.

- ``blocked_not_listed`` (detector ``network.blocking``): an entity the regime's rule blocks
  that is not on the regime's lists; severity high. ``possibly_blocked``: blocked if a
  missing, ranged or disputed share falls one way; severity medium.
- ``sanctions_exposure`` (detector ``network.exposure``): an unlisted entity within
  ``exposure_alert_hops`` steps of a listed party; high at one step through a relationship,
  medium at two, low when the path runs through a shared attribute.

Evidence is of kind ``path`` (the hops, shares and relationship records, in ``data``) plus
one ``entity`` row per relationship record on the path, so every alert can be traced back
to the statements it rests on.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from interdiction.config import Config
from interdiction.network.analysis import Network
from interdiction.network.blocking import BLOCKED, POSSIBLE, NotComputable, regimes
from interdiction.network.exposure import describe_path, path_from_reach, reach
from interdiction.network.graph import KIND
from interdiction.store.alerts import Alert, DetectorRun, Evidence, Severity, write_alerts
from interdiction.store.datasets import lists_in_use

VERSION = "1"


def _simulated_ids(net: Network) -> set[str]:
    rows = net.store.con.execute(
        """SELECT DISTINCT s.canonical_id FROM statements s
        JOIN datasets d ON d.name = s.dataset WHERE d.simulated AND s.retired IS NULL"""
    ).fetchall()
    return {r[0] for r in rows}


def _record_evidence(rel_ids: list[str], simulated: bool) -> list[Evidence]:
    return [
        Evidence(
            kind="entity",
            summary=f"relationship record {rid}",
            ref_table="statements",
            ref_id=rid,
            simulated=simulated,
        )
        for rid in sorted(set(rel_ids))
        if not rid.startswith("attr:")
    ]


def blocking_alerts(net: Network, config: Config) -> tuple[list[Alert], dict[str, Any]]:
    alerts: list[Alert] = []
    notes: dict[str, Any] = {}
    simulated_ids = _simulated_ids(net)
    section = config.section_hash("network")
    for name in regimes(net.config):
        try:
            result = net.blocking(name)
        except NotComputable as exc:
            notes[name] = str(exc)
            continue
        notes[name] = result.counts()
        for node in np.flatnonzero(np.isin(result.status, [BLOCKED, POSSIBLE])):
            explained = result.explain(int(node), max_paths=10)
            blocked = explained["status"] == "blocked"
            hops = [h for path in explained["paths"] for h in path] + explained["indirect_hints"]
            rels = [h["relationship"] for h in hops]
            involved = sorted({explained["entity_id"], *(h["from"] for h in hops)})
            simulated = any(e in simulated_ids for e in involved)
            roots = sorted({path[0]["from_caption"] for path in explained["paths"] if path})
            summary = (
                f"{explained['caption']} is {explained['status']} under the "
                f"{result.regime.title} ({result.regime.describe()}) through "
                f"{len(explained['paths'])} path(s) from {', '.join(roots) or 'listed owners'}"
            )
            if explained["uncertain_edges"] or explained["indirect_hints"]:
                summary += "; depends on shares that are missing, ranged or disputed"
            evidence = [
                Evidence(
                    kind="path",
                    summary=summary,
                    data={
                        "regime": name,
                        "rule": result.regime.describe(),
                        "source": result.regime.source,
                        "lists": result.seeds.datasets,
                        "paths": explained["paths"],
                        "holders": explained["holders"],
                        "uncertain_edges": explained["uncertain_edges"],
                        "indirect_hints": explained["indirect_hints"],
                    },
                    simulated=simulated,
                ),
                *_record_evidence(rels, simulated),
            ]
            alerts.append(
                Alert(
                    type="blocked_not_listed" if blocked else "possibly_blocked",
                    severity="high" if blocked else "medium",
                    score=1.0 if blocked else 0.5,
                    title=f"{explained['caption']}: {explained['status']} under the "
                    f"{result.regime.title}, not listed",
                    summary=summary,
                    entity_ids=involved,
                    detector="network.blocking",
                    detector_version=VERSION,
                    config_hash=section,
                    evidence=evidence,
                    params={"regime": name},
                    simulated=simulated,
                    key=name,
                )
            )
    return alerts, notes


def exposure_alerts(net: Network, config: Config) -> list[Alert]:
    graph, adj = net.graph, net.adj
    seeds = graph.listed.copy()
    max_hops = net.config.exposure_alert_hops
    dist, pred, _source = reach(graph, adj, seeds, max_hops)
    simulated_ids = _simulated_ids(net)
    section = config.section_hash("network")
    alerts = []
    candidates = np.flatnonzero(
        np.isfinite(dist) & (dist > 0) & ~seeds & ~graph.attribute & ~graph.missing
    )
    for node in candidates:
        path = path_from_reach(graph, adj, pred, int(node))
        described = describe_path(graph, path)
        via_attribute = any(graph.kind[e] == KIND["attribute"] for e in path.edges)
        hops = path.hops if not via_attribute else path.hops // 2 + path.hops % 2
        severity: Severity = "low" if via_attribute else ("high" if path.hops == 1 else "medium")
        involved = [graph.ids[v] for v in path.nodes if not graph.attribute[v]]
        simulated = any(e in simulated_ids for e in involved)
        target = graph.caption[path.target]
        summary = (
            f"{graph.caption[node]} is {path.hops} step(s) from listed {target}: "
            + "; ".join(
                f"{s['from_caption']} {s['label']} {s['to_caption']}" for s in described["steps"]
            )
        )
        alerts.append(
            Alert(
                type="sanctions_exposure",
                severity=severity,
                score=round(1.0 / (1 + path.cost), 4),
                title=f"{graph.caption[node]}: {path.hops} step(s) from listed {target}",
                summary=summary,
                entity_ids=sorted(set(involved)),
                detector="network.exposure",
                detector_version=VERSION,
                config_hash=section,
                evidence=[
                    Evidence(kind="path", summary=summary, data=described, simulated=simulated),
                    *_record_evidence(
                        [graph.rel_ids[int(graph.rel[e])] for e in path.edges], simulated
                    ),
                ],
                params={"hops": int(path.hops), "via_attribute": via_attribute, "steps": hops},
                simulated=simulated,
            )
        )
    return alerts


def run_findings(net: Network, config: Config) -> dict[str, Any]:
    """Compute both detectors and replace their previous alerts, one transaction each."""
    inputs = {
        "lists": [v.to_dict() for v in lists_in_use(net.store)],
        "graph_key": net.graph.key,
        "store_version": net.store.version(),
    }
    blocking, notes = blocking_alerts(net, config)
    section = config.section_hash("network")
    written_blocking = write_alerts(
        net.store,
        DetectorRun("network.blocking", VERSION, section, params={"regimes": notes}, inputs=inputs),
        blocking,
        replace_previous=True,
    )
    exposure = exposure_alerts(net, config)
    written_exposure = write_alerts(
        net.store,
        DetectorRun(
            "network.exposure",
            VERSION,
            section,
            params={"max_hops": net.config.exposure_alert_hops},
            inputs=inputs,
        ),
        exposure,
        replace_previous=True,
    )
    return {
        "blocking": written_blocking,
        "exposure": written_exposure,
        "regimes": notes,
        "by_type": {
            t: sum(1 for a in [*blocking, *exposure] if a.type == t)
            for t in ("blocked_not_listed", "possibly_blocked", "sanctions_exposure")
        },
    }
