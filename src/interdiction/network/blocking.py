"""Blocking rules: which unlisted entities are blocked anyway, and the paths that say why.

Each regime has its own seed set (its own lists, by the registry's ``ownership_rule`` and
``blocking`` flag) and its own rule:

- **OFAC** (``ofac-50``): an entity is blocked when blocked persons own 50% or more of it in
  the aggregate. Computed as a fixed point: blocked := SDN entries; repeat: add every entity
  whose *direct* owners already blocked hold >= 50% together. Shares are never multiplied
  along a chain (OFAC 2014 guidance; FAQ 398-401). Control without ownership does not block;
  voting rights alone do not count.
- **EU** (``eu-uk-majority-or-control``, country ``eu``): more than 50% of the proprietary
  rights or of the voting rights, aggregated across listed owners, or control.
- **UK** (same rule, country ``gb``): more than 50% of shares or of voting rights held by one
  designated person, directly or through entities it owns or controls (holdings of
  different designated persons are not simply added: OFSI General Guidance 4.14), or control.

Shares are intervals (``sources.shares``). The rule runs twice: on the low ends (what is
certain: "blocked") and on the high ends (what the records allow: "possibly blocked"), so a
missing or ranged percentage, or two sources that disagree, shows as an open question with
its edges instead of a silent yes or no. A declared indirect (look-through) interest of a
blocked owner at or above the threshold is never summed, but marks its asset "possibly
blocked" until the chain is known. When a regime's lists are not loaded the answer is
``NotComputable``, never an empty result.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from interdiction.config import NetworkConfig
from interdiction.ids import content_hash
from interdiction.network.graph import (
    CONFLICT,
    INDIRECT,
    KIND,
    KINDS,
    SHARE_UNKNOWN,
    Graph,
)
from interdiction.sources.registry import REGISTRY, OwnershipRule
from interdiction.sources.shares import UNIT, fmt_pct
from interdiction.store.db import Store

NONE, LISTED, BLOCKED, POSSIBLE = 0, 1, 2, 3
STATUS = {NONE: "not blocked", LISTED: "listed", BLOCKED: "blocked", POSSIBLE: "possibly blocked"}


class NotComputable(LookupError):
    """A regime whose lists are not loaded: its answer is unknown, not empty."""


@dataclass(frozen=True)
class Regime:
    name: str
    title: str
    rule: OwnershipRule
    countries: tuple[str, ...]
    threshold: int  # share units
    inclusive: bool  # ">=" (OFAC) or ">" (EU, UK)
    aggregate: bool  # add up the holdings of different blocked owners
    control_blocks: bool
    voting_counts: bool
    source: str

    def passes(self, total: np.ndarray) -> np.ndarray:
        return total >= self.threshold if self.inclusive else total > self.threshold

    def describe(self) -> str:
        op = ">=" if self.inclusive else ">"
        parts = [f"ownership {op} {fmt_pct(self.threshold)}%"]
        parts.append("aggregated across owners" if self.aggregate else "per designated owner")
        if self.voting_counts:
            parts.append(f"or voting rights {op} {fmt_pct(self.threshold)}%")
        parts.append("or control" if self.control_blocks else "control alone does not block")
        return "; ".join(parts)


def regimes(config: NetworkConfig) -> dict[str, Regime]:
    return {
        "ofac": Regime(
            "ofac",
            "OFAC 50% rule",
            "ofac-50",
            ("us",),
            round(config.ofac_threshold_pct * UNIT),
            True,
            True,
            False,
            False,
            "OFAC Revised Guidance on Entities Owned by Blocked Persons (2014); FAQ 398-401",
        ),
        "eu": Regime(
            "eu",
            "EU ownership or control",
            "eu-uk-majority-or-control",
            ("eu",),
            round(config.eu_threshold_pct * UNIT),
            False,
            config.eu_aggregate_owners,
            True,
            True,
            "EU Best Practices (Council doc. 10572/22) paras 62-66; Commission FAQ asset freeze 8",
        ),
        "uk": Regime(
            "uk",
            "UK ownership or control",
            "eu-uk-majority-or-control",
            ("gb", "uk"),
            round(config.uk_threshold_pct * UNIT),
            False,
            config.uk_aggregate_owners,
            True,
            True,
            "OFSI General Guidance for Financial Sanctions, chapter 4 (para 4.14 on aggregation)",
        ),
    }


@dataclass
class SeedSet:
    regime: str
    datasets: list[str]
    nodes: np.ndarray  # int node indices
    unmatched: int  # seed entities not in the graph (not parties)
    key: str
    excluded: int = 0  # entries left out by program (ofac_non_blocking_programs)

    @property
    def size(self) -> int:
        return int(self.nodes.size)


def regime_datasets(regime: Regime) -> list[str]:
    return sorted(
        source.dataset
        for source in REGISTRY.values()
        if source.ownership_rule == regime.rule
        and source.blocking
        and source.country in regime.countries
    )


def _simulated_stand_ins(store: Store, regime: Regime, config: NetworkConfig) -> list[str]:
    """Simulated datasets configured to stand in for this regime's lists (never real ones)."""
    wanted = config.simulated_seed_datasets.get(regime.name, [])
    if not wanted:
        return []
    return [
        row[0]
        for row in store.con.execute(
            """SELECT name FROM datasets WHERE name IN (SELECT unnest($n))
            GROUP BY name HAVING bool_and(simulated) ORDER BY 1""",
            {"n": wanted},
        ).fetchall()
    ]


def seed_set(store: Store, graph: Graph, regime: Regime, config: NetworkConfig) -> SeedSet:
    """The regime's listed parties (current targets of its blocking lists), as graph nodes."""
    known = regime_datasets(regime) + _simulated_stand_ins(store, regime, config)
    if not known:
        raise NotComputable(
            f"{regime.title}: not computable: no list with this rule is known to this version "
            f"of interdiction (rule {regime.rule}, {'/'.join(regime.countries)})"
        )
    loaded = [
        row[0]
        for row in store.con.execute(
            "SELECT DISTINCT name FROM datasets WHERE name IN (SELECT unnest($n)) ORDER BY 1",
            {"n": known},
        ).fetchall()
    ]
    if not loaded:
        raise NotComputable(
            f"{regime.title}: not computable: its list ({', '.join(known)}) is not loaded; "
            "load it with `interdiction lists load` or `lists update`"
        )
    rows = store.con.execute(
        """SELECT c.canonical_id, e.entity_id,
            (SELECT list(DISTINCT p.value) FROM statements p
             WHERE p.entity_id = e.entity_id AND p.prop = 'program' AND p.retired IS NULL
               AND p.dataset = e.dataset) AS programs
        FROM entities e
        JOIN (SELECT DISTINCT entity_id, canonical_id FROM statements WHERE retired IS NULL) c
            ON c.entity_id = e.entity_id
        WHERE e.target AND e.delisted IS NULL AND e.dataset IN (SELECT unnest($ds))""",
        {"ds": loaded},
    ).fetchall()
    skip = set(config.ofac_non_blocking_programs) if regime.name == "ofac" else set()
    nodes: set[int] = set()
    unmatched = excluded = 0
    for canonical, _source, programs in rows:
        if skip and programs and set(programs) <= skip:
            excluded += 1
            continue
        index = graph.index(canonical)
        if index is None or graph.attribute[index]:
            unmatched += 1
            continue
        nodes.add(index)
    array = np.array(sorted(nodes), dtype=np.int64)
    return SeedSet(
        regime=regime.name,
        datasets=loaded,
        nodes=array,
        unmatched=unmatched,
        key=content_hash(regime.name, graph.key, *loaded, length=16),
        excluded=excluded,
    )


# -- the fixed point ----------------------------------------------------------------------


@dataclass
class _Rules:
    """The edges a regime's rule reads, indexed by source once for both runs."""

    n: int
    indptr: np.ndarray
    order: np.ndarray  # rule edge ids grouped by source (CSR)
    edge_test: np.ndarray  # per edge: test number, -1 for a tie (control), -2 not a rule edge
    tests: int


def _csr(n: int, src: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row pointers and the order grouping edges by source (no sort when already grouped)."""
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(src, minlength=n), out=indptr[1:])
    if src.size < 2 or bool(np.all(src[:-1] <= src[1:])):
        return indptr, np.arange(src.size)
    return indptr, np.argsort(src, kind="stable")


def _rules(graph: Graph, regime: Regime) -> _Rules:
    direct = (graph.flags & INDIRECT) == 0
    test_kinds = [KIND["ownership"]] + ([KIND["voting"]] if regime.voting_counts else [])
    edge_test = np.full(graph.m, -2, dtype=np.int8)
    for t, kind in enumerate(test_kinds):
        edge_test[(graph.kind == kind) & direct] = t
    if regime.control_blocks:
        edge_test[graph.kind == KIND["control"]] = -1
    rule_edges = np.flatnonzero(edge_test > -2)
    indptr, local = _csr(graph.n, graph.src[rule_edges])
    return _Rules(graph.n, indptr, rule_edges[local], edge_test, len(test_kinds))


def _gather(indptr: np.ndarray, order: np.ndarray, frontier: np.ndarray) -> np.ndarray:
    """Edge indices leaving the frontier nodes (CSR rows, concatenated without a loop)."""
    starts = indptr[frontier]
    counts = indptr[frontier + 1] - starts
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    shift = np.repeat(starts - np.cumsum(counts) + counts, counts)
    return np.asarray(order[shift + np.arange(total)])


def _propagate(
    graph: Graph, rules: _Rules, regime: Regime, seeds: np.ndarray, weight: np.ndarray
) -> np.ndarray:
    """Round at which each node became blocked (0 = seed, -1 = never). Each rule edge is
    read once, when its source becomes blocked: linear in the edges reached."""
    rounds = np.full(rules.n, -1, dtype=np.int32)
    rounds[seeds] = 0
    totals = [np.zeros(rules.n, dtype=np.int64) for _ in range(rules.tests)]
    frontier = np.unique(seeds)
    step = 0
    while frontier.size:
        step += 1
        edges = _gather(rules.indptr, rules.order, frontier)
        if edges.size == 0:
            break
        candidates = []
        which = rules.edge_test[edges]
        for t, total in enumerate(totals):
            sel = edges[which == t]
            if sel.size:
                targets = graph.dst[sel]
                np.add.at(total, targets, weight[sel])
                touched = np.unique(targets)
                candidates.append(touched[regime.passes(total[touched])])
        tie = edges[which == -1]
        if tie.size:
            candidates.append(np.unique(graph.dst[tie]))
        if not candidates:
            break
        found = np.unique(np.concatenate(candidates))
        new = found[rounds[found] < 0]
        rounds[new] = step
        frontier = new
    return rounds


def _propagate_per_owner(
    graph: Graph, rules: _Rules, regime: Regime, seeds: np.ndarray, weight: np.ndarray
) -> tuple[np.ndarray, dict[int, list[tuple[int, int]]]]:
    """UK: one fixed point per designated owner (its holdings and those of the entities it
    owns or controls count together; different owners' do not). Returns the earliest round
    per node and, per blocked node, (owner, round) pairs."""
    best = np.full(rules.n, -1, dtype=np.int32)
    best[seeds] = 0
    roots: dict[int, list[tuple[int, int]]] = defaultdict(list)
    has_out = (rules.indptr[1:] - rules.indptr[:-1]) > 0
    for root in seeds:
        if not has_out[root]:
            continue
        rounds = _propagate(graph, rules, regime, np.array([root]), weight)
        reached = np.flatnonzero(rounds > 0)
        for node in reached:
            roots[int(node)].append((int(root), int(rounds[node])))
            if best[node] < 0 or rounds[node] < best[node]:
                best[node] = rounds[node]
    return best, dict(roots)


@dataclass
class BlockingResult:
    regime: Regime
    graph: Graph
    seeds: SeedSet
    status: np.ndarray  # int8: NONE, LISTED, BLOCKED, POSSIBLE
    rounds: np.ndarray  # certain
    possible_rounds: np.ndarray
    indirect_hints: dict[int, list[int]] = field(default_factory=dict)  # node -> edges
    owners: dict[int, list[tuple[int, int]]] = field(default_factory=dict)  # UK: per owner

    def nodes(self, status: int) -> np.ndarray:
        return np.flatnonzero(self.status == status)

    def counts(self) -> dict[str, int]:
        return {STATUS[s]: int((self.status == s).sum()) for s in (LISTED, BLOCKED, POSSIBLE)}

    def explain(self, node: int, max_paths: int = 20) -> dict[str, Any]:
        """Why a node has its status: its blocked holders and the paths from listed parties."""
        graph = self.graph
        status = int(self.status[node])
        certain = status in (LISTED, BLOCKED)
        rounds = self.rounds if certain else self.possible_rounds
        holders = []
        for e in np.flatnonzero(graph.dst == node):
            k = int(graph.kind[e])
            if k not in (KIND["ownership"], KIND["voting"], KIND["control"], KIND["interest"]):
                continue
            u = int(graph.src[e])
            holders.append(self._hop(int(e)) | {"holder_status": STATUS[int(self.status[u])]})
        paths = self._paths(node, rounds, max_paths) if status in (BLOCKED, POSSIBLE) else []
        uncertain = sorted(
            {
                int(e)
                for path in paths
                for e in path
                if self.graph.flags[e] & (SHARE_UNKNOWN | CONFLICT)
                or self.graph.lo[e] != self.graph.hi[e]
            }
        )
        out: dict[str, Any] = {
            "entity_id": graph.ids[node],
            "caption": graph.caption[node],
            "schema": graph.schema[node],
            "regime": self.regime.name,
            "rule": self.regime.describe(),
            "status": STATUS[status],
            "listed_elsewhere": bool(graph.listed[node]) and status != LISTED,
            "round": int(rounds[node]) if rounds[node] >= 0 else None,
            "holders": holders,
            "paths": [[self._hop(e) for e in path] for path in paths],
            "paths_truncated": len(paths) >= max_paths,
            "uncertain_edges": [self._hop(e) for e in uncertain],
            "indirect_hints": [self._hop(e) for e in self.indirect_hints.get(node, [])],
        }
        if self.owners.get(node):
            out["designated_owners"] = [
                {"entity_id": graph.ids[r], "caption": graph.caption[r], "round": k}
                for r, k in self.owners[node]
            ]
        return out

    def _hop(self, e: int) -> dict[str, Any]:
        g = self.graph
        kind = KINDS[int(g.kind[e])]
        hop: dict[str, Any] = {
            "from": g.ids[int(g.src[e])],
            "from_caption": g.caption[int(g.src[e])],
            "to": g.ids[int(g.dst[e])],
            "to_caption": g.caption[int(g.dst[e])],
            "kind": kind,
            "relationship": g.rel_ids[int(g.rel[e])],
        }
        if kind in ("ownership", "voting", "interest"):
            lo, hi, flags = int(g.lo[e]), int(g.hi[e]), int(g.flags[e])
            if flags & SHARE_UNKNOWN and lo == 0:
                hop["share"] = "unknown" if hi >= 100 * UNIT else f"at most {fmt_pct(hi)}%"
            elif lo == hi:
                hop["share"] = f"{fmt_pct(lo)}%"
            else:
                hop["share"] = f"{fmt_pct(lo)}-{fmt_pct(hi)}%"
            if flags & CONFLICT:
                hop["note"] = "sources disagree"
            if flags & INDIRECT:
                hop["note"] = "declared indirect interest (not summed)"
        return hop

    def _paths(self, node: int, rounds: np.ndarray, limit: int) -> list[list[int]]:
        """Paths of rule edges from listed parties to ``node``, each hop from an owner
        blocked in an earlier round (so paths never loop)."""
        g = self.graph
        rule_kinds = [KIND["ownership"]]
        if self.regime.voting_counts:
            rule_kinds.append(KIND["voting"])
        if self.regime.control_blocks:
            rule_kinds.append(KIND["control"])
        incoming: dict[int, list[int]] = {}

        def into(v: int) -> list[int]:
            if v not in incoming:
                edges = np.flatnonzero(
                    (g.dst == v) & np.isin(g.kind, rule_kinds) & ((g.flags & INDIRECT) == 0)
                )
                incoming[v] = [int(e) for e in edges if 0 <= rounds[g.src[e]] < rounds[v]]
            return incoming[v]

        out: list[list[int]] = []

        def walk(v: int, suffix: list[int]) -> None:
            if len(out) >= limit:
                return
            if rounds[v] == 0:
                out.append(list(reversed(suffix)))
                return
            for e in into(v):
                walk(int(g.src[e]), [*suffix, e])

        walk(node, [])
        return out


def apply_rule(store: Store, graph: Graph, regime: Regime, config: NetworkConfig) -> BlockingResult:
    """Run one regime's rule over the graph (raises ``NotComputable`` when its lists are not
    loaded)."""
    seeds = seed_set(store, graph, regime, config)
    return compute(graph, regime, seeds)


def compute(graph: Graph, regime: Regime, seeds: SeedSet) -> BlockingResult:
    rules = _rules(graph, regime)
    owners: dict[int, list[tuple[int, int]]] = {}
    # When every share the rule reads is exact, what is possible is what is certain.
    exact = bool(np.array_equal(graph.lo[rules.order], graph.hi[rules.order]))
    if regime.aggregate:
        rounds = _propagate(graph, rules, regime, seeds.nodes, graph.lo)
        possible = rounds if exact else _propagate(graph, rules, regime, seeds.nodes, graph.hi)
    else:
        rounds, owners = _propagate_per_owner(graph, rules, regime, seeds.nodes, graph.lo)
        possible = (
            rounds
            if exact
            else _propagate_per_owner(graph, rules, regime, seeds.nodes, graph.hi)[0]
        )
    status = np.zeros(graph.n, dtype=np.int8)
    status[possible >= 0] = POSSIBLE
    status[rounds >= 0] = BLOCKED
    status[seeds.nodes] = LISTED
    hints: dict[int, list[int]] = {}
    indirect = np.flatnonzero((graph.kind == KIND["ownership"]) & ((graph.flags & INDIRECT) > 0))
    if indirect.size:
        blocked_src = np.isin(status[graph.src[indirect]], [LISTED, BLOCKED])
        strong = regime.passes(graph.lo[indirect])
        for e in indirect[blocked_src & strong]:
            v = int(graph.dst[e])
            if status[v] == NONE:
                status[v] = POSSIBLE
            if status[v] == POSSIBLE:
                hints.setdefault(v, []).append(int(e))
    return BlockingResult(
        regime=regime,
        graph=graph,
        seeds=seeds,
        status=status,
        rounds=rounds,
        possible_rounds=possible,
        indirect_hints=hints,
        owners=owners,
    )
