"""How close an entity is to sanctioned parties: k shortest paths, a proximity score,
clusters of entities tied by shared identifiers, and hubs.

Paths run over the undirected graph (an ownership or a "Linked To" ties both ways for this
question), each step costing its edge kind's cost (``NetworkConfig.cost_*``), a shared
attribute more the commoner it is. Mass-registration attributes (held by more than
``max_attribute_holders`` entities) are never traversed, and hubs (more than
``max_traverse_degree`` links) are reached but not passed through, so that one formation
agent does not make everyone "two hops from" a sanctioned bank.

The proximity score is personalised PageRank (restarts on the seed set), computed once per
seed set and graph, cached in the store (``network_scores``) and read by every query.
"""

from __future__ import annotations

import heapq
import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components, dijkstra

from interdiction.config import NetworkConfig
from interdiction.network.graph import KIND, KINDS, Graph
from interdiction.sources.shares import UNIT, fmt_pct


@dataclass
class Adjacency:
    """Undirected CSR of the traversable edges, with costs and the edge behind each entry."""

    indptr: np.ndarray
    nbr: np.ndarray
    cost: np.ndarray
    edge: np.ndarray
    traversable: np.ndarray  # bool per node: may be passed through

    def neighbours(self, v: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        a, b = self.indptr[v], self.indptr[v + 1]
        return self.nbr[a:b], self.cost[a:b], self.edge[a:b]


def adjacency(graph: Graph, config: NetworkConfig) -> Adjacency:
    mass = graph.attribute & (graph.holders > config.max_attribute_holders)
    keep = ~mass[graph.dst] & ~mass[graph.src] & (graph.src != graph.dst)
    e = np.flatnonzero(keep)
    rows = np.concatenate([graph.src[e], graph.dst[e]]).astype(np.int64)
    cols = np.concatenate([graph.dst[e], graph.src[e]]).astype(np.int64)
    costs = np.concatenate([graph.cost[e], graph.cost[e]])
    edges = np.concatenate([e, e])
    order = np.lexsort((costs, rows))
    indptr = np.zeros(graph.n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=graph.n), out=indptr[1:])
    degree = indptr[1:] - indptr[:-1]
    traversable = (degree <= config.max_traverse_degree) & ~mass & ~graph.missing
    return Adjacency(indptr, cols[order], costs[order], edges[order], traversable)


@dataclass
class Path:
    nodes: list[int]
    edges: list[int]
    cost: float

    @property
    def hops(self) -> int:
        return len(self.edges)

    @property
    def target(self) -> int:
        return self.nodes[-1]


def k_shortest_paths(
    adj: Adjacency,
    seeds: np.ndarray,
    source: int,
    k: int,
    hop_limit: int,
    max_per_target: int = 2,
    max_pops: int = 200_000,
) -> tuple[list[Path], bool]:
    """The ``k`` cheapest simple paths from ``source`` to any seed (bool mask), at most
    ``max_per_target`` per seed, each within ``hop_limit`` steps; paths end at the first
    seed they reach. Best-first search over partial paths, each node expanded at most
    ``k * max_per_target`` times. Returns the paths and whether the search was cut short."""
    if seeds[source]:
        return [Path([source], [], 0.0)], False
    found: list[Path] = []
    per_target: dict[int, int] = {}
    expanded: dict[int, int] = {}
    limit = k * max_per_target
    heap: list[tuple[float, int, tuple[int, ...], tuple[int, ...]]] = [(0.0, 0, (source,), ())]
    pops = 0
    counter = itertools.count(1)
    while heap and len(found) < k:
        cost, _tie, nodes, edges = heapq.heappop(heap)
        pops += 1
        if pops > max_pops:
            return found, True
        v = nodes[-1]
        if seeds[v] and v != source:
            if per_target.get(v, 0) < max_per_target:
                per_target[v] = per_target.get(v, 0) + 1
                found.append(Path(list(nodes), list(edges), cost))
            continue
        if len(edges) >= hop_limit or (v != source and not adj.traversable[v]):
            continue
        count = expanded.get(v, 0)
        if count >= limit:
            continue
        expanded[v] = count + 1
        nbrs, costs, eids = adj.neighbours(v)
        on_path = set(nodes)
        for w, c, e in zip(nbrs.tolist(), costs.tolist(), eids.tolist(), strict=True):
            if w in on_path:
                continue
            heapq.heappush(heap, (cost + c, next(counter), (*nodes, w), (*edges, e)))
    return found, False


def describe_path(graph: Graph, path: Path) -> dict[str, Any]:
    """A path as hops an analyst reads: who, how (edge kind and direction), share, record."""
    hops = []
    for a, b, e in zip(path.nodes, path.nodes[1:], path.edges, strict=False):
        hops.append(describe_edge(graph, e, a, b))
    return {
        "from": graph.ids[path.nodes[0]],
        "to": graph.ids[path.target],
        "to_caption": graph.caption[path.target],
        "hops": path.hops,
        "cost": round(path.cost, 3),
        "steps": hops,
    }


def describe_edge(graph: Graph, e: int, a: int, b: int) -> dict[str, Any]:
    kind = KINDS[int(graph.kind[e])]
    forward = int(graph.src[e]) == a
    step: dict[str, Any] = {
        "from": graph.ids[a],
        "from_caption": graph.caption[a],
        "to": graph.ids[b],
        "to_caption": graph.caption[b],
        "kind": kind,
        "direction": "forward" if forward else "reverse",
        "relationship": graph.rel_ids[int(graph.rel[e])],
    }
    if kind in ("ownership", "voting", "interest"):
        lo, hi = int(graph.lo[e]), int(graph.hi[e])
        step["share"] = (
            (f"{fmt_pct(lo)}%" if lo == hi else f"{fmt_pct(lo)}-{fmt_pct(hi)}%")
            if hi < 100 * UNIT or lo > 0
            else "unknown"
        )
    if kind == "attribute":
        attr = int(graph.dst[e])
        step["attribute"] = graph.caption[attr]
        step["attribute_type"] = graph.schema[attr].removeprefix("attribute:")
        step["holders"] = int(graph.holders[attr])
    step["label"] = _label(kind, forward, step)
    return step


def _label(kind: str, forward: bool, step: dict[str, Any]) -> str:
    share = f" {step['share']}" if step.get("share") else ""
    if share == " unknown":
        share = " an unknown share"
    words = {
        "ownership": ("owns" + share + " of", "is owned" + share + " by"),
        "voting": ("holds voting rights" + share + " in", "has voting rights" + share + " held by"),
        "interest": ("has an interest in", "is an interest of"),
        "control": ("controls", "is controlled by"),
        "directorship": ("is a director of", "has as director"),
        "agent": ("is the agent of", "has as agent"),
        "vessel_owner": ("owns the vessel", "is a vessel owned by"),
        "vessel_operator": ("operates the vessel", "is a vessel operated by"),
        "family": ("is family of", "is family of"),
        "associate": ("is an associate of", "is an associate of"),
        "link": ("is linked to", "is linked to"),
        "attribute": ("has", "is held by"),
    }
    pair = words.get(kind, (kind, kind))
    return pair[0] if forward else pair[1]


# -- proximity ----------------------------------------------------------------------------


def personalised_pagerank(
    graph: Graph, adj: Adjacency, seeds: np.ndarray, config: NetworkConfig
) -> tuple[np.ndarray, int]:
    """Scores summing to 1, restarting on the seeds; (scores, iterations)."""
    n = graph.n
    if n == 0 or not np.any(seeds):
        return np.zeros(n), 0
    rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(adj.indptr))
    weights = 1.0 / adj.cost
    matrix = sp.csr_matrix((weights, (rows, adj.nbr)), shape=(n, n))
    out_weight = np.asarray(matrix.sum(axis=1)).ravel()
    dangling = out_weight == 0
    inv = np.zeros(n)
    inv[~dangling] = 1.0 / out_weight[~dangling]
    transition_t = (sp.diags(inv) @ matrix).T.tocsr()
    restart = seeds.astype(np.float64)
    restart /= restart.sum()
    d = config.pagerank_damping
    x = restart.copy()
    for iteration in range(1, config.pagerank_max_iter + 1):
        nxt = d * (transition_t @ x) + (d * x[dangling].sum() + (1 - d)) * restart
        delta = float(np.abs(nxt - x).sum())
        x = nxt
        if delta < config.pagerank_tolerance:
            return x, iteration
    return x, config.pagerank_max_iter


def percentiles(scores: np.ndarray, among: np.ndarray) -> np.ndarray:
    """Each node's percentile (0-100) of score among the ``among`` nodes."""
    out = np.zeros(scores.shape[0])
    pool = np.sort(scores[among])
    if pool.size:
        out = 100.0 * np.searchsorted(pool, scores, side="right") / pool.size
    return out


# -- reach from the seeds (alerts) --------------------------------------------------------


def reach(
    graph: Graph, adj: Adjacency, seeds: np.ndarray, max_hops: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Hops from the nearest seed (inf when farther than ``max_hops``), the predecessor on
    one shortest path, and the seed reached, for every node (one multi-source search)."""
    n = graph.n
    seed_nodes = np.flatnonzero(seeds)
    if seed_nodes.size == 0:
        inf = np.full(n, np.inf)
        return inf, np.full(n, -9999), np.full(n, -9999)
    # Only traversable nodes pass a path on: edges leaving a hub are dropped, except from
    # seeds (a sanctioned hub is still sanctioned).
    rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(adj.indptr))
    ok = adj.traversable[rows] | seeds[rows]
    matrix = sp.csr_matrix((np.ones(int(ok.sum())), (rows[ok], adj.nbr[ok])), shape=(n, n))
    dist, pred, source = dijkstra(
        matrix,
        directed=True,
        indices=seed_nodes,
        min_only=True,
        return_predecessors=True,
        unweighted=True,
        limit=max_hops + 0.5,
    )
    return dist, pred, source


def path_from_reach(graph: Graph, adj: Adjacency, pred: np.ndarray, node: int) -> Path:
    """The path from ``node`` back to its seed along the predecessors of ``reach``."""
    nodes = [node]
    edges = []
    cost = 0.0
    while pred[nodes[-1]] >= 0:
        a, b = nodes[-1], int(pred[nodes[-1]])
        nbrs, costs, eids = adj.neighbours(a)
        hit = np.flatnonzero(nbrs == b)
        j = int(hit[0])
        edges.append(int(eids[j]))
        cost += float(costs[j])
        nodes.append(b)
    return Path(nodes, edges, cost)


# -- clusters and hubs --------------------------------------------------------------------


def clusters(graph: Graph, config: NetworkConfig, min_size: int = 2) -> list[dict[str, Any]]:
    """Entities tied by shared identifiers and contact details (connected components over
    entity-attribute edges; mass attributes left out)."""
    attr_edges = np.flatnonzero(
        (graph.kind == KIND["attribute"])
        & (graph.holders[graph.dst] <= config.max_attribute_holders)
    )
    if attr_edges.size == 0:
        return []
    n = graph.n
    matrix = sp.csr_matrix(
        (np.ones(attr_edges.size), (graph.src[attr_edges], graph.dst[attr_edges])), shape=(n, n)
    )
    _count, labels = connected_components(matrix, directed=False)
    involved = np.zeros(n, dtype=bool)
    involved[graph.src[attr_edges]] = True
    involved[graph.dst[attr_edges]] = True
    groups: dict[int, list[int]] = {}
    for v in np.flatnonzero(involved):
        groups.setdefault(int(labels[v]), []).append(int(v))
    out = []
    for members in groups.values():
        entities = [v for v in members if not graph.attribute[v]]
        attrs = [v for v in members if graph.attribute[v]]
        if len(entities) < min_size:
            continue
        out.append(
            {
                "size": len(entities),
                "listed": int(graph.listed[entities].sum()),
                "entities": [
                    {
                        "id": graph.ids[v],
                        "caption": graph.caption[v],
                        "schema": graph.schema[v],
                        "listed": bool(graph.listed[v]),
                    }
                    for v in entities
                ],
                "shared": [
                    {
                        "type": graph.schema[a].removeprefix("attribute:"),
                        "value": graph.caption[a],
                        "holders": int(graph.holders[a]),
                    }
                    for a in attrs
                ],
            }
        )

    def rank(c: dict[str, Any]) -> tuple[int, int]:
        listed, size = int(c["listed"]), int(c["size"])
        return (0 if 0 < listed < size else 1, -size)

    out.sort(key=rank)
    return out


def hubs(
    graph: Graph, adj: Adjacency, config: NetworkConfig, top: int = 25, seed: int = 0
) -> list[dict[str, Any]]:
    """The most connected entities: degree over relationships, over shared attributes, and
    betweenness sampled from ``betweenness_samples`` sources (Brandes and Pich 2007) when
    the graph is small enough to do it here (under 200,000 nodes)."""
    relation = graph.kind != KIND["attribute"]
    rel_degree = np.bincount(graph.src[relation], minlength=graph.n) + np.bincount(
        graph.dst[relation], minlength=graph.n
    )
    attr_degree = np.bincount(graph.src[~relation], minlength=graph.n)
    between = np.zeros(graph.n)
    sampled = graph.n <= 200_000 and graph.m > 0
    if sampled:
        import networkx as nx

        nx_graph = nx.Graph()
        for a in range(graph.n):
            for b in adj.neighbours(a)[0].tolist():
                if a < b:
                    nx_graph.add_edge(a, b)
        if nx_graph.number_of_nodes() > 2:
            k = min(config.betweenness_samples, nx_graph.number_of_nodes())
            scores = nx.betweenness_centrality(nx_graph, k=k, seed=seed, normalized=True)
            for node, value in scores.items():
                between[node] = value
    score = rel_degree + attr_degree
    order = np.lexsort((-between, -score))
    out = []
    for v in order[: top * 3]:
        if graph.attribute[v] or graph.missing[v] or score[v] == 0:
            continue
        out.append(
            {
                "id": graph.ids[v],
                "caption": graph.caption[v],
                "schema": graph.schema[v],
                "listed": bool(graph.listed[v]),
                "relationships": int(rel_degree[v]),
                "shared_attributes": int(attr_degree[v]),
                "betweenness": round(float(between[v]), 6) if sampled else None,
            }
        )
        if len(out) >= top:
            break
    return out
