"""The network capability's public entry points: what the CLI and the API call.

``Network.load`` builds the graph once per command; each function below answers one of
the investigators' questions (who is blocked without being listed, how close is this
entity to a sanctioned party, what is around it) as plain dictionaries with the evidence
and the caveats (graph issues, regimes not computable) that belong with the answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import numpy as np
import pyarrow as pa

from interdiction.config import Config, NetworkConfig
from interdiction.ids import content_hash
from interdiction.network.blocking import (
    BLOCKED,
    LISTED,
    POSSIBLE,
    STATUS,
    BlockingResult,
    NotComputable,
    Regime,
    apply_rule,
    regimes,
)
from interdiction.network.exposure import (
    Adjacency,
    adjacency,
    clusters,
    describe_edge,
    describe_path,
    hubs,
    k_shortest_paths,
    percentiles,
    personalised_pagerank,
)
from interdiction.network.graph import KIND, Graph, build_graph
from interdiction.network.tables import NETWORK
from interdiction.store.db import Store, one


class EntityNotFound(LookupError):
    pass


@dataclass
class Network:
    store: Store
    config: NetworkConfig
    graph: Graph
    _adj: Adjacency | None = None
    _blocking: dict[str, BlockingResult] = field(default_factory=dict)
    _scores: dict[str, tuple[np.ndarray, np.ndarray, str]] = field(default_factory=dict)

    @classmethod
    def load(cls, store: Store, config: Config, as_of: date | None = None) -> Network:
        return cls(store, config.network, build_graph(store, config.network, as_of=as_of))

    @property
    def adj(self) -> Adjacency:
        if self._adj is None:
            self._adj = adjacency(self.graph, self.config)
        return self._adj

    def regime(self, name: str) -> Regime:
        found = regimes(self.config).get(name)
        if found is None:
            raise KeyError(f"unknown regime {name!r}; known: {', '.join(regimes(self.config))}")
        return found

    def blocking(self, name: str) -> BlockingResult:
        """The regime's result (raises ``NotComputable`` when its lists are not loaded)."""
        if name not in self._blocking:
            self._blocking[name] = apply_rule(
                self.store, self.graph, self.regime(name), self.config
            )
        return self._blocking[name]

    def node(self, entity: str) -> int:
        """The node of an entity id (canonical or source id) or of a unique exact name."""
        graph = self.graph
        found = graph.index(entity)
        if found is not None:
            return found
        row = one(
            self.store.con,
            "SELECT canonical_id FROM statements WHERE entity_id = ? LIMIT 1",
            [entity],
        )
        if row is not None and (found := graph.index(row[0])) is not None:
            return found
        wanted = " ".join(entity.upper().split())
        matches = [i for i, c in enumerate(graph.caption) if c.upper() == wanted]
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            ids = ", ".join(graph.ids[i] for i in matches[:10])
            raise EntityNotFound(f"{entity!r} names {len(matches)} entities ({ids}): give an id")
        raise EntityNotFound(f"{entity}: no such entity in the network")

    def seeds(self, which: str) -> tuple[np.ndarray, str, str]:
        """(mask, label, key) of a seed set: ``listed`` (every current target of every loaded
        list) or a regime (its lists' entries and what its rule blocks)."""
        graph = self.graph
        if which == "listed":
            mask = graph.listed.copy()
            return mask, "all listed parties", content_hash("listed", graph.key, length=16)
        result = self.blocking(which)
        mask = np.isin(result.status, [LISTED, BLOCKED])
        return mask, f"{result.regime.title}: listed and blocked", result.seeds.key

    def proximity(self, which: str) -> tuple[np.ndarray, np.ndarray, str]:
        """Scores and percentiles for a seed set, from the store's cache when it matches the
        graph, otherwise computed now (once per process)."""
        if which in self._scores:
            return self._scores[which]
        mask, _label, key = self.seeds(which)
        graph = self.graph
        if self.store.has_table("network_scores"):
            rows = self.store.con.sql(
                """SELECT entity_id, score, percentile FROM network_scores
                WHERE graph_key = $g AND seed_key = $s""",
                params={"g": graph.key, "s": key},
            ).to_arrow_table()
            if rows.num_rows:
                scores = np.zeros(graph.n)
                pct = np.zeros(graph.n)
                for eid, score, p in zip(
                    rows.column("entity_id").to_pylist(),
                    rows.column("score").to_pylist(),
                    rows.column("percentile").to_pylist(),
                    strict=True,
                ):
                    i = graph.index(eid)
                    if i is not None:
                        scores[i], pct[i] = score, p
                self._scores[which] = (scores, pct, "cached")
                return self._scores[which]
        scores, _iterations = personalised_pagerank(graph, self.adj, mask, self.config)
        among = ~mask & ~graph.attribute & ~graph.missing
        pct = percentiles(scores, among)
        self._scores[which] = (scores, pct, "computed")
        return self._scores[which]


def store_scores(net: Network, which: str) -> dict[str, Any]:
    """Compute the proximity scores of a seed set and keep them in the store."""
    mask, label, key = net.seeds(which)
    graph = net.graph
    scores, iterations = personalised_pagerank(graph, net.adj, mask, net.config)
    among = ~mask & ~graph.attribute & ~graph.missing
    pct = percentiles(scores, among)
    keep = np.flatnonzero(~graph.attribute)
    table = pa.table(
        {
            "graph_key": pa.array([graph.key] * keep.size),
            "seed_key": pa.array([key] * keep.size),
            "seeds": pa.array([which] * keep.size),
            "entity_id": pa.array([graph.ids[i] for i in keep]),
            "score": pa.array(scores[keep]),
            "percentile": pa.array(pct[keep]),
            "computed_at": pa.array(
                [datetime.now(UTC).replace(tzinfo=None)] * keep.size, type=pa.timestamp("us")
            ),
        }
    )
    net.store.ensure(NETWORK)
    with net.store.transaction() as con:
        con.execute("DELETE FROM network_scores WHERE seeds = ?", [which])
        con.register("scores_arrow", table)
        con.execute("INSERT INTO network_scores SELECT * FROM scores_arrow")
        con.unregister("scores_arrow")
    net._scores[which] = (scores, pct, "cached")
    return {"seeds": which, "label": label, "entities": int(keep.size), "iterations": iterations}


def blocked_report(
    net: Network, regime: str, include_possible: bool = True, max_paths: int = 10
) -> dict[str, Any]:
    """Entities blocked (or possibly blocked) under a regime but not on its lists."""
    try:
        result = net.blocking(regime)
    except NotComputable as exc:
        reg = net.regime(regime)
        return {
            "regime": reg.name,
            "title": reg.title,
            "computable": False,
            "reason": str(exc),
            "rule": reg.describe(),
            "source": reg.source,
        }
    wanted = [BLOCKED, POSSIBLE] if include_possible else [BLOCKED]
    rows = []
    for node in np.flatnonzero(np.isin(result.status, wanted)):
        explained = result.explain(int(node), max_paths=max_paths)
        rows.append(explained)
    rows.sort(key=lambda r: (r["status"] != "blocked", r["round"] or 99, r["caption"]))
    return {
        "regime": result.regime.name,
        "title": result.regime.title,
        "computable": True,
        "rule": result.regime.describe(),
        "source": result.regime.source,
        "lists": result.seeds.datasets,
        "seeds": result.seeds.size,
        "seeds_excluded_by_program": result.seeds.excluded,
        "counts": result.counts(),
        "entities": rows,
        "issues": net.graph.issues,
    }


def paths_report(
    net: Network,
    entity: str,
    k: int | None = None,
    hops: int | None = None,
    seeds: str = "listed",
    max_per_target: int = 2,
) -> dict[str, Any]:
    """The k cheapest paths from an entity to sanctioned parties, with its proximity."""
    node = net.node(entity)
    graph = net.graph
    mask, label, _key = net.seeds(seeds)
    k = k or net.config.k_paths
    hops = hops or net.config.hop_limit
    found, truncated = k_shortest_paths(net.adj, mask, node, k, hops, max_per_target)
    scores, pct, origin = net.proximity(seeds)
    statuses = {}
    for name in regimes(net.config):
        try:
            statuses[name] = STATUS[int(net.blocking(name).status[node])]
        except NotComputable:
            statuses[name] = "not computable"
    return {
        "entity_id": graph.ids[node],
        "caption": graph.caption[node],
        "schema": graph.schema[node],
        "listed": bool(graph.listed[node]),
        "blocking": statuses,
        "seeds": label,
        "hop_limit": hops,
        "k": k,
        "paths": [describe_path(graph, p) for p in found],
        "search_truncated": truncated,
        "proximity": {
            "score": float(scores[node]),
            "percentile": round(float(pct[node]), 2),
            "method": "personalised PageRank, restarting on the seed set "
            f"(damping {net.config.pagerank_damping})",
            "scores": origin,
        },
        "hub": not bool(net.adj.traversable[node]),
    }


def neighbourhood(
    net: Network, entity: str, depth: int = 2, max_nodes: int = 200, regime: str | None = "ofac"
) -> dict[str, Any]:
    """Entities within ``depth`` steps (hubs and mass attributes not expanded), with their
    listed and blocking status and the edges between them."""
    graph, adj = net.graph, net.adj
    start = net.node(entity)
    status = np.zeros(graph.n, dtype=np.int8)
    regime_note = None
    if regime:
        try:
            status = net.blocking(regime).status
        except NotComputable as exc:
            regime_note = str(exc)
    level = {start: 0}
    frontier = [start]
    truncated = False
    for d in range(1, depth + 1):
        nxt = []
        for v in frontier:
            if v != start and not adj.traversable[v]:
                continue
            for w in adj.neighbours(v)[0].tolist():
                if w not in level:
                    if len(level) >= max_nodes:
                        truncated = True
                        break
                    level[w] = d
                    nxt.append(w)
        frontier = nxt
    members = set(level)
    nodes = [
        {
            "id": graph.ids[v],
            "caption": graph.caption[v],
            "schema": graph.schema[v],
            "depth": d,
            "listed": bool(graph.listed[v]),
            "status": STATUS[int(status[v])] if regime and not regime_note else None,
            "attribute": bool(graph.attribute[v]),
            "missing": bool(graph.missing[v]),
            "hub": not bool(adj.traversable[v]),
            "holders": int(graph.holders[v]) if graph.attribute[v] else None,
        }
        for v, d in sorted(level.items(), key=lambda kv: (kv[1], graph.caption[kv[0]]))
    ]
    edge_ids = np.flatnonzero(np.isin(graph.src, list(members)) & np.isin(graph.dst, list(members)))
    edges = [describe_edge(graph, int(e), int(graph.src[e]), int(graph.dst[e])) for e in edge_ids]
    return {
        "entity_id": graph.ids[start],
        "caption": graph.caption[start],
        "depth": depth,
        "regime": regime,
        "regime_note": regime_note,
        "nodes": nodes,
        "edges": edges,
        "truncated": truncated,
    }


def cluster_report(net: Network, min_size: int = 2, limit: int = 100) -> dict[str, Any]:
    found = clusters(net.graph, net.config, min_size)
    return {"clusters": found[:limit], "total": len(found)}


def hub_report(net: Network, top: int = 25) -> dict[str, Any]:
    return {"hubs": hubs(net.graph, net.adj, net.config, top)}


def graph_summary(net: Network) -> dict[str, Any]:
    out = net.graph.summary()
    out["regimes"] = {}
    for name in regimes(net.config):
        try:
            result = net.blocking(name)
            out["regimes"][name] = {"lists": result.seeds.datasets, **result.counts()}
        except NotComputable as exc:
            out["regimes"][name] = {"computable": False, "reason": str(exc)}
    out["issues_list"] = net.graph.issues
    return out


def kind_code(name: str) -> int:
    return KIND[name]
