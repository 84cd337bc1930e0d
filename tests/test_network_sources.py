"""The ownership readers: BODS 0.4 (real examples) and the registry CSV layout."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from interdiction.config import load_config
from interdiction.network.analysis import Network
from interdiction.network.graph import INDIRECT, KIND
from interdiction.sources import load_paths
from interdiction.sources.base import InputError
from interdiction.store import Store, get_entity
from network_helpers import NETWORK

BODS = NETWORK / "bods"


def _load(path: Path, *files: Path, **kwargs: object) -> Store:
    store = Store.open(path)
    for file in files:
        load_paths(store, [file], **kwargs)  # type: ignore[arg-type]
    return store


def test_bods_examples_into_ftm(tmp_path: Path) -> None:
    with _load(
        tmp_path / "b.duckdb",
        BODS / "multiple-indirect-ownership.json",
        BODS / "tecido.json",
        BODS / "bods-package-fi-soe.json",
    ) as store:
        own = get_entity(
            store, "bods-bods-multiple-indirect-ownership-40b9a74c70c4-shareholding-direct"
        )
        assert own is not None and own.entity.schema.name == "Ownership"
        assert own.entity.get("percentage") == ["50"]
        assert own.entity.get("asset") == ["bods-bods-multiple-indirect-ownership-63e3a8a8946f"]
        assert own.statements[0].origin == "multiple-indirect-ownership.json"
        assert own.statements[0].origin_line  # the statement's line in the file
        # Tecido: the last statement of a record wins (70% -> 80%), a closed one ends.
        tecido = get_entity(store, "bods-bods-tecido-02089A4E68-shareholding-direct")
        assert tecido is not None and tecido.entity.get("percentage") == ["80"]
        closed = get_entity(store, "bods-bods-tecido-022EBEB66B-shareholding-direct")
        assert closed is not None and closed.entity.get("endDate") == ["2023-03-03"]
        company = get_entity(store, "bods-bods-multiple-indirect-ownership-d177864a8b39")
        assert company is not None and company.entity.schema.name == "Company"
        assert company.entity.get("registrationNumber") == ["GB-XE-03"]

        net = Network.load(store, load_config())
        graph = net.graph
        indirect = [
            e
            for e in range(graph.m)
            if graph.kind[e] == KIND["ownership"] and graph.flags[e] & INDIRECT
        ]
        assert indirect, "the declared 60% indirect interest is kept and flagged"
        # The closed Tecido holding (Maria Esteves, 30%) is history, not a current tie.
        rels = {graph.rel_ids[graph.rel[e]] for e in range(graph.m)}
        assert "bods-bods-tecido-022EBEB66B-shareholding-direct" not in rels
        assert "bods-bods-tecido-02089A4E68-shareholding-direct" in rels
        assert any(e["code"] == "relationships-ended" for e in graph.issues)


def test_bods_bad_statements(tmp_path: Path) -> None:
    source = json.loads((BODS / "multiple-indirect-ownership.json").read_text())
    broken = [s for s in source if s["recordId"] != "d177864a8b39"]  # drop Company C
    broken[-1]["recordDetails"]["interests"] = [
        {"type": "shareholding", "directOrIndirect": "direct", "share": {"exact": 150}}
    ]
    broken.append({"statementId": "x", "recordType": "oops"})
    path = tmp_path / "broken-bods.json"
    path.write_text(json.dumps(broken, indent=2))
    with _load(tmp_path / "b.duckdb", path) as store:
        issues = store.con.execute(
            "SELECT level, code, line, message FROM load_issues ORDER BY line"
        ).fetchall()
    codes = {(level, code) for level, code, _line, _msg in issues}
    assert ("quarantined", "missing-party") in codes  # relationships to Company C
    assert ("quarantined", "bad-statement") in codes
    assert ("warning", "bad-share") in codes
    assert all(line for _level, _code, line, _msg in issues)

    truncated = tmp_path / "truncated-bods.json"
    truncated.write_text((BODS / "tecido.json").read_text()[:3000])
    with (
        Store.open(tmp_path / "t.duckdb") as store,
        pytest.raises(InputError, match=r"truncated|not valid JSON"),
    ):
        load_paths(store, [truncated], published=datetime(2024, 1, 1))


def test_registry_csv_layout(tmp_path: Path) -> None:
    csv = tmp_path / "extract_2024-03-01.csv"
    csv.write_text(
        "relationship,owner_name,owner_country,asset_name,asset_schema,asset_registration,share,extra\n"
        "ownership,EXAMPLE HOLDER LTD (FICTITIOUS),HK,EXAMPLE SHIP (FICTITIOUS),Vessel,IMO 9999998,51,x\n"
        "directorship,EXAMPLE DIRECTOR (FICTITIOUS),GB,EXAMPLE HOLDER LTD (FICTITIOUS),,,,\n"
        "shareholding,A,,B,,,10,\n"
        "ownership,,,B,,,10,\n"
        "ownership,A (FICTITIOUS),,B (FICTITIOUS),,,,\n"
    )
    with _load(tmp_path / "c.duckdb", csv, simulated=True) as store:
        issues = {
            (r[0], r[1]): r[2]
            for r in store.con.execute("SELECT code, line, level FROM load_issues").fetchall()
        }
        assert issues[("unknown-column", 1)] == "warning"
        assert issues[("bad-imo", 2)] == "warning"  # 9999998 fails the check digit
        assert issues[("bad-relationship", 4)] == "quarantined"
        assert issues[("missing-party", 5)] == "quarantined"
        assert issues[("share-missing", 6)] == "warning"
        names = store.con.execute(
            "SELECT count(DISTINCT entity_id) FROM statements WHERE schema = 'Directorship'"
        ).fetchall()
        assert names[0][0] == 1
