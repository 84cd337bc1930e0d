"""FtM JSON lines: the export validates with followthemoney, and imports back unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from followthemoney import model
from followthemoney.proxy import EntityProxy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SDN_2021
from interdiction.sources import InputError, load_paths
from interdiction.sources.ftm_json import entity_dict, write_entities
from interdiction.store import Store, iter_entities


def _export(store: Store, path: Path) -> list[dict]:  # type: ignore[type-arg]
    with open(path, "w", encoding="utf-8") as handle:
        write_entities(
            (
                entity_dict(
                    r.entity,
                    datasets=r.datasets,
                    target=r.target,
                    first_seen=r.first_seen.isoformat() if r.first_seen else None,
                    last_seen=r.last_seen.isoformat() if r.last_seen else None,
                    simulated=r.simulated,
                )
                for r in iter_entities(store)
            ),
            handle,
        )
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_export_of_the_full_lists_validates(loaded_store_path: Path, tmp_path: Path) -> None:
    with Store.open(loaded_store_path, read_only=True) as store:
        lines = _export(store, tmp_path / "all.ftm.json")
    ids = {line["id"] for line in lines}
    vessels = [
        line for line in lines if line["schema"] == "Vessel" and "us_ofac_sdn" in line["datasets"]
    ]
    assert len(vessels) == 851
    assert sum(1 for v in vessels if v["properties"].get("imoNumber")) >= 844
    dprk = [
        line
        for line in lines
        if line["target"]
        and "us_ofac_sdn" in line["datasets"]
        and any(p.startswith("DPRK") for p in line["properties"].get("program", []))
    ]
    assert len(dprk) == 484
    for line in lines:
        # followthemoney parses and validates every property against its schema.
        proxy = EntityProxy.from_dict(line, cleaned=False)
        assert proxy.schema.name == line["schema"]
        assert line["datasets"] and line["first_seen"] and line["last_seen"]
        for prop, values in line["properties"].items():
            prop_obj = proxy.schema.get(prop)
            assert prop_obj is not None, (line["id"], prop)
            for value in values:
                # Every value is already in the form FtM would produce.
                assert (
                    prop_obj.type.clean_text(value, proxy=proxy) is not None
                    or prop_obj.type.name == "text"
                ), (line["id"], prop, value)
                if prop_obj.type.name == "entity":
                    assert value in ids, f"{line['id']}.{prop} points to missing {value}"


def test_round_trip(tmp_path: Path) -> None:
    with Store.open(tmp_path / "a.duckdb") as store:
        load_paths(store, [SDN_2021])
        exported = _export(store, tmp_path / "out.ftm.json")
    with Store.open(tmp_path / "b.duckdb") as store:
        reports, _ = load_paths(store, [tmp_path / "out.ftm.json"], published=None)
        assert reports[0].counts["quarantined"] == 0
        again = _export(store, tmp_path / "again.ftm.json")
    before = {e["id"]: (e["schema"], e["properties"]) for e in exported}
    after = {e["id"]: (e["schema"], e["properties"]) for e in again}
    assert before.keys() == after.keys()
    for key, (schema, props) in before.items():
        assert after[key][0] == schema
        assert {p: sorted(v) for p, v in after[key][1].items()} == {
            p: sorted(v) for p, v in props.items()
        }


def test_bad_lines_are_quarantined_with_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "mixed.ftm.json"
    good = {
        "id": "x-1",
        "schema": "Person",
        "properties": {"name": ["KIM Jong Un"]},
        "datasets": ["mixed"],
    }
    lines = [
        json.dumps(good),
        "{not json",
        json.dumps({"id": "x-2", "schema": "Spaceship", "properties": {}}),
        json.dumps({"id": "x-3", "schema": "Person", "properties": {"wingspan": ["3"]}}),
        json.dumps({"schema": "Person", "properties": {"name": ["no id"]}}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with Store.open(tmp_path / "s.duckdb") as store:
        reports, _ = load_paths(
            store, [path], published=__import__("datetime").datetime(2026, 1, 1)
        )
        issues = store.con.execute(
            "SELECT line, message FROM load_issues WHERE level = 'quarantined' ORDER BY line"
        ).fetchall()
    assert reports[0].dataset == "mixed" and reports[0].counts["targets"] == 0
    assert [line for line, _ in issues] == [2, 3, 4, 5]
    assert "not JSON" in issues[0][1] and "Spaceship" in issues[1][1] and "wingspan" in issues[2][1]


def test_simulated_mark_travels_with_the_entity() -> None:
    entity = model.make_entity("Vessel")
    entity.id = "sim-vessel-1"
    entity.add("name", "FICTIVE STAR")
    from followthemoney.dataset import Dataset
    from followthemoney.statement import StatementEntity

    stmt_entity = StatementEntity.from_data(Dataset.make({"name": "sim"}), entity.to_dict())
    data = entity_dict(
        stmt_entity, datasets=["sim"], target=False, first_seen=None, last_seen=None, simulated=True
    )
    assert data["simulated"] is True
    assert any("SIMULATED" in note for note in data["properties"]["notes"])


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.one_of(
            st.text(max_size=50),
            st.builds(
                lambda d: json.dumps(d),
                st.dictionaries(
                    st.sampled_from(["id", "schema", "properties"]),
                    st.one_of(st.text(max_size=10), st.integers(), st.none()),
                    max_size=3,
                ),
            ),
        ),
        max_size=6,
    )
)
def test_garbage_is_quarantined_not_crashing(tmp_path: Path, lines: list[str]) -> None:
    path = tmp_path / "g.ftm.json"
    head = json.dumps({"id": "a", "schema": "Person", "properties": {"name": ["A"]}})
    path.write_text(
        "\n".join([head, *(line.replace("\n", " ") for line in lines)]) + "\n", encoding="utf-8"
    )
    db = tmp_path / "g.duckdb"
    db.unlink(missing_ok=True)
    with Store.open(db) as store:
        try:
            reports, _ = load_paths(
                store, [path], published=__import__("datetime").datetime(2026, 1, 1)
            )
        except InputError as exc:
            assert "g.ftm.json" in str(exc)
            return
        assert reports[0].status == "loaded"


def test_not_ftm_json_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.json"
    path.write_text('{"hello": "world"}\n')
    with (
        Store.open(tmp_path / "s.duckdb") as store,
        pytest.raises(InputError, match="not a list format"),
    ):
        load_paths(store, [path])
