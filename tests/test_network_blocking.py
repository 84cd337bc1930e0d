"""The blocking rules: the OFAC guidance's worked examples, bad input, EU and UK rules, and
the fixed point against a naive reference on random graphs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interdiction.config import load_config
from interdiction.network.analysis import Network, blocked_report
from interdiction.network.blocking import (
    BLOCKED,
    LISTED,
    NONE,
    POSSIBLE,
    NotComputable,
    SeedSet,
    compute,
    regimes,
)
from interdiction.network.graph import INDIRECT, KIND, SHARE_UNKNOWN, Graph
from interdiction.sources.registry import REGISTRY, ListSource
from interdiction.sources.shares import UNIT
from interdiction.store import Store
from network_helpers import PREFIX, guidance_store


@pytest.fixture(scope="module")
def guidance(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import conftest

    conftest._active = True
    try:
        return guidance_store(tmp_path_factory.mktemp("guidance") / "g.duckdb")
    finally:
        conftest._active = False


def _statuses(path: Path, regime: str = "ofac") -> tuple[Network, dict[str, int]]:
    store = Store.open(path, read_only=True)
    net = Network.load(store, load_config())
    result = net.blocking(regime)
    out = {net.graph.ids[i].removeprefix(PREFIX): int(result.status[i]) for i in range(net.graph.n)}
    return net, out


def test_ofac_guidance_examples(guidance: Path) -> None:
    net, status = _statuses(guidance)
    try:
        # Example 1: X owns 50% of A, A owns 50% of B: A and B blocked (never 25%).
        assert status["A"] == BLOCKED and status["B"] == BLOCKED
        # Example 2: X owns 50% of A1 and B1, each owns 25% of C1: C1 blocked.
        assert status["A1"] == status["B1"] == status["C1"] == BLOCKED
        # Example 3: X owns 10% of B2 and 50% of A2, A2 owns 40% of B2: B2 blocked.
        assert status["A2"] == status["B2"] == BLOCKED
        # Two blocked owners at 25% each: aggregated.
        assert status["E"] == BLOCKED
        # Control without ownership does not block under OFAC.
        assert status["D"] == NONE
        assert status["fict-x"] == status["fict-y"] == status["fict-z"] == LISTED
        result = net.blocking("ofac")
        b2 = result.explain(net.graph.index(PREFIX + "B2") or 0)
        assert b2["round"] == 2
        paths = {tuple(h["to"].removeprefix(PREFIX) for h in p) for p in b2["paths"]}
        assert paths == {("A2", "B2"), ("B2",)}
        assert {h["share"] for h in b2["holders"]} == {"40%", "10%"}
    finally:
        net.store.close()


def test_bad_input_is_reported_not_guessed(guidance: Path) -> None:
    net, status = _statuses(guidance)
    try:
        codes = {i["code"] for i in net.graph.issues}
        # The same 30% holding filed twice is counted once: L is not blocked.
        assert status["L"] == NONE and "duplicate-holding" in codes
        # A missing percentage and one over 100 are open questions, not 0 or 100.
        assert status["H"] == POSSIBLE and status["I"] == POSSIBLE
        assert "bad-share" in codes
        explained = net.blocking("ofac").explain(net.graph.index(PREFIX + "H") or 0)
        assert explained["status"] == "possibly blocked"
        assert explained["uncertain_edges"][0]["share"] == "unknown"
        # A range straddling the threshold.
        assert status["R"] == POSSIBLE
        # A declared indirect interest is never summed, but flags its asset.
        assert status["P"] == POSSIBLE
        assert net.blocking("ofac").explain(net.graph.index(PREFIX + "P") or 0)["indirect_hints"]
        # A cycle ends; an ended holding is history; an owner not loaded is reported.
        assert status["J"] == status["K"] == BLOCKED
        assert status["O"] == NONE
        assert "missing-entity" in codes and status["G"] == NONE
        assert net.graph.missing[net.graph.index("ofac-99999999") or 0]
    finally:
        net.store.close()


def test_regime_without_its_list_is_not_computable(guidance: Path) -> None:
    store = Store.open(guidance, read_only=True)
    try:
        net = Network.load(store, load_config())
        with pytest.raises(NotComputable, match="not computable"):
            net.blocking("eu")
        report = blocked_report(net, "uk")
        assert report["computable"] is False and "entities" not in report
    finally:
        store.close()


def test_eu_list_is_picked_up_by_registry_once_loaded(
    guidance: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A list registered with the EU rule (as issue 8 will add) seeds the EU regime."""
    import shutil

    from interdiction.sources import load_paths

    copy = tmp_path / "eu.duckdb"
    shutil.copy(guidance, copy)
    monkeypatch.setitem(
        REGISTRY,
        "eu_fsf_test",
        ListSource(
            "eu_fsf_test", "EU FSF (test)", "EU", "eu", "ftm-json", "eu-uk-majority-or-control"
        ),
    )
    with Store.open(copy) as store:
        net = Network.load(store, load_config())
        with pytest.raises(NotComputable, match="is not loaded"):
            net.blocking("eu")
        from conftest import FIXTURES

        load_paths(
            store,
            [FIXTURES / "network" / "fictitious_sdn.ftm.json"],
            dataset="eu_fsf_test",
            simulated=True,
        )
        net = Network.load(store, load_config())
        status = net.blocking("eu").status
        idx = net.graph.index
        assert status[idx(PREFIX + "D") or 0] == BLOCKED  # control blocks under the EU rule
        assert status[idx(PREFIX + "E") or 0] == NONE  # 25 + 25 is not more than 50
        assert status[idx(PREFIX + "A") or 0] == NONE  # 50% is not more than 50%
        assert status[idx(PREFIX + "K") or 0] == NONE


def _graph(n: int, edges: list[tuple[int, int, int, int, int]]) -> Graph:
    """A bare graph: edges (src, dst, kind, lo%, hi%)."""
    src = np.array([e[0] for e in edges], dtype=np.int32)
    m = len(edges)
    return Graph(
        ids=[f"n{i}" for i in range(n)],
        schema=["Company"] * n,
        caption=[f"N{i}" for i in range(n)],
        listed=np.zeros(n, dtype=bool),
        attribute=np.zeros(n, dtype=bool),
        missing=np.zeros(n, dtype=bool),
        src=src,
        dst=np.array([e[1] for e in edges], dtype=np.int32),
        kind=np.array([e[2] for e in edges], dtype=np.int8),
        lo=np.array([e[3] * UNIT for e in edges], dtype=np.int64),
        hi=np.array([e[4] * UNIT for e in edges], dtype=np.int64),
        flags=np.array([0 if e[3] == e[4] else SHARE_UNKNOWN for e in edges], dtype=np.int16),
        cost=np.ones(m),
        rel=np.arange(m, dtype=np.int32),
        rel_ids=[f"r{i}" for i in range(m)],
        holders=np.zeros(n, dtype=np.int32),
        key="test",
    )


def _seeds(*nodes: int) -> SeedSet:
    return SeedSet("t", ["test"], np.array(nodes, dtype=np.int64), 0, "k")


def test_uk_does_not_aggregate_owners_but_counts_an_owners_companies() -> None:
    config = load_config().network
    own = KIND["ownership"]
    # 0 and 1 designated; 0 holds 30% of 2, 1 holds 30% of 2; 0 holds 30% of 4 and 60% of
    # 3, which holds 25% of 4.
    graph = _graph(
        5,
        [
            (0, 2, own, 30, 30),
            (1, 2, own, 30, 30),
            (0, 4, own, 30, 30),
            (0, 3, own, 60, 60),
            (3, 4, own, 25, 25),
        ],
    )
    eu = compute(graph, regimes(config)["eu"], _seeds(0, 1))
    uk = compute(graph, regimes(config)["uk"], _seeds(0, 1))
    assert eu.status[2] == BLOCKED and uk.status[2] == NONE
    assert eu.status[4] == BLOCKED and uk.status[4] == BLOCKED
    assert uk.explain(4)["designated_owners"][0]["entity_id"] == "n0"


def test_voting_rights_count_for_eu_not_ofac() -> None:
    config = load_config().network
    graph = _graph(2, [(0, 1, KIND["voting"], 60, 60)])
    assert compute(graph, regimes(config)["eu"], _seeds(0)).status[1] == BLOCKED
    assert compute(graph, regimes(config)["ofac"], _seeds(0)).status[1] == NONE


def _naive(n: int, edges: list[tuple[int, int, int]], seeds: set[int]) -> set[int]:
    """The rule as OFAC words it: repeat until nothing changes."""
    blocked = set(seeds)
    while True:
        totals = [0] * n
        for a, b, share in edges:
            if a in blocked:
                totals[b] += share
        new = {v for v in range(n) if totals[v] >= 50 * UNIT} | blocked
        if new == blocked:
            return blocked
        blocked = new


@settings(max_examples=60, deadline=None)
@given(
    st.integers(min_value=2, max_value=25).flatmap(
        lambda n: st.tuples(
            st.just(n),
            st.lists(
                st.tuples(st.integers(0, n - 1), st.integers(0, n - 1), st.integers(0, 100)).filter(
                    lambda e: e[0] != e[1]
                ),
                max_size=60,
                unique_by=lambda e: (e[0], e[1]),
            ),
            st.sets(st.integers(0, n - 1), min_size=1, max_size=3),
        )
    )
)
def test_fixed_point_matches_the_naive_rule(
    case: tuple[int, list[tuple[int, int, int]], set[int]],
) -> None:
    n, edges, seeds = case
    config = load_config().network
    graph = _graph(n, [(a, b, KIND["ownership"], s, s) for a, b, s in edges])
    result = compute(graph, regimes(config)["ofac"], _seeds(*sorted(seeds)))
    got = set(np.flatnonzero(np.isin(result.status, [LISTED, BLOCKED])).tolist())
    assert got == _naive(n, [(a, b, s * UNIT) for a, b, s in edges], seeds)
    # Each blocked entity's paths start at a seed and end at it.
    for v in got - seeds:
        for path in result.explain(v)["paths"]:
            assert path[0]["from"] in {f"n{s}" for s in seeds} and path[-1]["to"] == f"n{v}"


def test_indirect_edges_are_never_summed() -> None:
    config = load_config().network
    graph = _graph(2, [(0, 1, KIND["ownership"], 90, 90)])
    graph.flags[0] |= INDIRECT
    result = compute(graph, regimes(config)["ofac"], _seeds(0))
    assert result.status[1] == POSSIBLE
