"""Exposure: k shortest paths, proximity, clusters, hubs and alerts, on fixtures and on the
real bundled lists."""

from __future__ import annotations

import shutil
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from interdiction.config import load_config
from interdiction.network.analysis import Network, cluster_report, hub_report, paths_report
from interdiction.network.exposure import k_shortest_paths, personalised_pagerank
from interdiction.network.findings import run_findings
from interdiction.network.graph import normalise_attribute
from interdiction.store import Store, read_alerts, read_evidence
from network_helpers import PREFIX, guidance_store


@pytest.fixture(scope="module")
def guidance(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import conftest

    conftest._active = True
    try:
        return guidance_store(tmp_path_factory.mktemp("guidance") / "g.duckdb")
    finally:
        conftest._active = False


@pytest.fixture(scope="module")
def real(loaded_store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("real") / "real.duckdb"
    shutil.copy(loaded_store_path, copy)
    return copy


def test_k_shortest_paths_match_brute_force(guidance: Path) -> None:
    with Store.open(guidance, read_only=True) as store:
        net = Network.load(store, load_config())
        graph, adj = net.graph, net.adj
        seeds = graph.listed
        source = graph.index(PREFIX + "C1") or 0
        found, truncated = k_shortest_paths(
            adj, seeds, source, k=10, hop_limit=4, max_per_target=10
        )
        assert not truncated
        # Brute force over the same undirected graph with networkx.
        g = nx.MultiGraph()
        for e in range(graph.m):
            g.add_edge(int(graph.src[e]), int(graph.dst[e]), key=e, cost=float(graph.cost[e]))
        brute = []
        for target in np.flatnonzero(seeds):
            for path in nx.all_simple_edge_paths(g, source, int(target), cutoff=4):
                if any(seeds[v] for _a, v, _k in path[:-1]):
                    continue  # paths end at the first listed party
                brute.append(sum(g.edges[a, b, k]["cost"] for a, b, k in path))
        brute.sort()
        assert [round(p.cost, 6) for p in found] == [round(c, 6) for c in brute[: len(found)]]
        assert found[0].hops == 2 and graph.ids[found[0].target] == "fict-x"
        report = paths_report(net, PREFIX + "C1")
        assert report["blocking"] == {
            "ofac": "blocked",
            "eu": "not computable",
            "uk": "not computable",
        }
        assert report["paths"][0]["steps"][0]["label"] == "is owned 25% by"


def test_pagerank_is_a_distribution_peaking_at_seeds(guidance: Path) -> None:
    with Store.open(guidance, read_only=True) as store:
        net = Network.load(store, load_config())
        scores, iterations = personalised_pagerank(net.graph, net.adj, net.graph.listed, net.config)
        assert abs(scores.sum() - 1) < 1e-6 and iterations > 1
        near = scores[net.graph.index(PREFIX + "A") or 0]
        far = scores[net.graph.index(PREFIX + "B") or 0]
        assert near > far > 0


def test_attribute_keys() -> None:
    assert (
        normalise_attribute("address", "Pyongyang, Democratic People's Republic of Korea") is None
    )
    assert normalise_attribute("address", "Flat 3, 12 Rue de l'Église, Cardiff") == (
        "flat 3 12 rue de l eglise cardiff"
    )
    assert normalise_attribute("website", "https://www.Example.com/") == "example.com"
    assert normalise_attribute("phone", "+850 2 18111") == "850218111"
    assert normalise_attribute("registrationNumber", "12") is None


def test_real_lists_paths_clusters_hubs_alerts(real: Path) -> None:
    with Store.open(real) as store:
        net = Network.load(store, load_config())
        summary = net.graph.summary()
        assert summary["edges_by_kind"]["link"] > 6000  # OFAC "Linked To"
        assert net.blocking("ofac").counts()["listed"] == 14965
        # OFAC's owner column: an unlisted owner one step from its listed vessel.
        owner = next(
            i for i, eid in enumerate(net.graph.ids) if "-owner-" in eid and not net.graph.listed[i]
        )
        report = paths_report(net, net.graph.ids[owner], k=3)
        assert report["paths"] and report["paths"][0]["hops"] == 1
        assert report["paths"][0]["steps"][0]["kind"] == "vessel_owner"
        clusters = cluster_report(net)["clusters"]
        values = {s["value"] for c in clusters for s in c["shared"]}
        assert "Pyongyang, Democratic People's Republic of Korea" not in values  # city only
        assert any(s["type"] == "phone" for c in clusters for s in c["shared"])
        assert hub_report(net, 5)["hubs"][0]["relationships"] > 10
        result = run_findings(net, load_config())
        assert result["by_type"]["sanctions_exposure"] >= 1
        alerts = read_alerts(store, type="sanctions_exposure")
        evidence = read_evidence(store, alerts[0]["id"])
        assert {e["kind"] for e in evidence} >= {"path", "entity"}
        path = next(e for e in evidence if e["kind"] == "path")
        assert path["data"]["steps"][0]["relationship"]
