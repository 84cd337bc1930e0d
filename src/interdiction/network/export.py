"""Exports of the network or of one entity's neighbourhood: GraphML (Gephi, yEd, Neo4j),
Cytoscape JSON (Cytoscape, cytoscape.js) and FtM JSON lines (Aleph, OpenSanctions tools).

All three start from the same view (``analysis.neighbourhood`` or ``whole_graph``): nodes
with their listed and blocking status, and edges with kind, share and the relationship
record they come from, so that what a partner opens in another tool carries the evidence.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO, Any
from xml.sax.saxutils import escape, quoteattr

import numpy as np

from interdiction.network.analysis import Network
from interdiction.network.blocking import STATUS, NotComputable
from interdiction.network.exposure import describe_edge
from interdiction.sources.ftm_json import entity_dict, write_entities
from interdiction.store import get_entity

NODE_KEYS = ("caption", "schema", "listed", "status", "attribute", "missing", "depth", "holders")
EDGE_KEYS = ("kind", "label", "share", "relationship", "attribute", "holders")


def whole_graph(net: Network, regime: str | None = "ofac") -> dict[str, Any]:
    """Every node and edge, in the shape of ``analysis.neighbourhood``."""
    graph = net.graph
    status = np.zeros(graph.n, dtype=np.int8)
    note = None
    if regime:
        try:
            status = net.blocking(regime).status
        except NotComputable as exc:
            note = str(exc)
    nodes = [
        {
            "id": graph.ids[v],
            "caption": graph.caption[v],
            "schema": graph.schema[v],
            "listed": bool(graph.listed[v]),
            "status": STATUS[int(status[v])] if regime and not note else None,
            "attribute": bool(graph.attribute[v]),
            "missing": bool(graph.missing[v]),
            "holders": int(graph.holders[v]) if graph.attribute[v] else None,
        }
        for v in range(graph.n)
    ]
    edges = [describe_edge(graph, e, int(graph.src[e]), int(graph.dst[e])) for e in range(graph.m)]
    return {"nodes": nodes, "edges": edges, "regime": regime, "regime_note": note}


def _value(value: Any) -> tuple[str, str]:
    if isinstance(value, bool):
        return "boolean", "true" if value else "false"
    if isinstance(value, int):
        return "long", str(value)
    return "string", str(value)


def graphml_lines(view: dict[str, Any]) -> Iterator[str]:
    """GraphML 1.0 with typed keys for node and edge attributes."""
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield (
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
        'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
    )
    types = {
        "listed": "boolean",
        "attribute": "boolean",
        "missing": "boolean",
        "depth": "long",
        "holders": "long",
    }
    for key in NODE_KEYS:
        yield (
            f'  <key id="n_{key}" for="node" attr.name="{key}" '
            f'attr.type="{types.get(key, "string")}"/>\n'
        )
    for key in EDGE_KEYS:
        kind = "long" if key == "holders" else "string"
        yield f'  <key id="e_{key}" for="edge" attr.name="{key}" attr.type="{kind}"/>\n'
    yield '  <graph id="interdiction" edgedefault="directed">\n'
    for node in view["nodes"]:
        yield f"    <node id={quoteattr(node['id'])}>\n"
        for key in NODE_KEYS:
            if node.get(key) is not None:
                yield f'      <data key="n_{key}">{escape(_value(node[key])[1])}</data>\n'
        yield "    </node>\n"
    for i, edge in enumerate(view["edges"]):
        source, target = (
            (edge["from"], edge["to"])
            if edge["direction"] == "forward"
            else (edge["to"], edge["from"])
        )
        yield f'    <edge id="e{i}" source={quoteattr(source)} target={quoteattr(target)}>\n'
        for key in EDGE_KEYS:
            if edge.get(key) is not None:
                yield f'      <data key="e_{key}">{escape(_value(edge[key])[1])}</data>\n'
        yield "    </edge>\n"
    yield "  </graph>\n</graphml>\n"


def cytoscape(view: dict[str, Any]) -> dict[str, Any]:
    """Cytoscape.js elements JSON (also read by Cytoscape desktop)."""
    nodes = [
        {"data": {"id": n["id"], "label": n["caption"], **{k: n.get(k) for k in NODE_KEYS}}}
        for n in view["nodes"]
    ]
    edges = []
    for i, e in enumerate(view["edges"]):
        source, target = (
            (e["from"], e["to"]) if e["direction"] == "forward" else (e["to"], e["from"])
        )
        edges.append(
            {
                "data": {
                    "id": f"e{i}",
                    "source": source,
                    "target": target,
                    **{k: e.get(k) for k in EDGE_KEYS if e.get(k) is not None},
                }
            }
        )
    return {
        "format_version": "1.0",
        "generated_by": "interdiction network export",
        "data": {"regime": view.get("regime"), "regime_note": view.get("regime_note")},
        "elements": {"nodes": nodes, "edges": edges},
    }


def write_ftm(net: Network, view: dict[str, Any], handle: IO[str]) -> int:
    """The view's entities and relationship records as FtM JSON lines, from the store."""
    wanted = [n["id"] for n in view["nodes"] if not n.get("attribute") and not n.get("missing")]
    wanted += sorted({e["relationship"] for e in view["edges"] if e["kind"] != "attribute"})
    seen: set[str] = set()

    def lines() -> Iterator[dict[str, Any]]:
        for entity_id in wanted:
            base = entity_id.split(":")[0]  # vessel owner edges: "<vessel>:owner"
            if base in seen:
                continue
            seen.add(base)
            record = get_entity(net.store, base)
            if record is None:
                continue
            yield entity_dict(
                record.entity,
                datasets=record.datasets,
                target=record.target,
                first_seen=record.first_seen.isoformat() if record.first_seen else None,
                last_seen=record.last_seen.isoformat() if record.last_seen else None,
                simulated=record.simulated,
            )

    return write_entities(lines(), handle)


def write_view(net: Network, view: dict[str, Any], fmt: str, handle: IO[str]) -> int:
    if fmt == "graphml":
        for line in graphml_lines(view):
            handle.write(line)
        return len(view["nodes"])
    if fmt == "cytoscape":
        handle.write(json.dumps(cytoscape(view), ensure_ascii=False, indent=1))
        handle.write("\n")
        return len(view["nodes"])
    if fmt == "ftm":
        return write_ftm(net, view, handle)
    raise ValueError(f"unknown export format {fmt!r} (graphml, cytoscape, ftm)")
