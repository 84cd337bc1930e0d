"""The bundled UK, Australian and Canadian lists, the registry, and the DPRK reconciliation
on the bundled real data (UN 2026, OFAC SDN 2024, UK 2020, Australia 2024)."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sys
from datetime import datetime
from pathlib import Path

import pytest

from conftest import FIXTURES, REPO
from interdiction.cli import main
from interdiction.report.reconcile import core_key, dates_agree, name_keys, reconcile
from interdiction.sources import REGISTRY, load_paths
from interdiction.sources.registry import OWNERSHIP_RULES, download_format
from interdiction.store import Store

MORE = REPO / "data" / "lists" / "more"


@pytest.fixture(scope="module")
def more_store(loaded_store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled lists plus data/lists/more, loaded once for this module."""
    path = tmp_path_factory.mktemp("more") / "lists.duckdb"
    shutil.copy(loaded_store_path, path)
    with Store.open(path) as store:
        load_paths(store, [MORE])
    return path


def run(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["interdiction", *args])
    with pytest.raises(SystemExit) as exit_info:
        main()
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


def test_bundled_lists_load_with_the_counts_of_their_files(more_store: Path) -> None:
    with Store.open(more_store, read_only=True) as store:
        rows = store.con.execute(
            "SELECT name, published, complete, counts FROM datasets ORDER BY name"
        ).fetchall()
    found = {
        name: (published, complete, json.loads(counts))
        for name, published, complete, counts in rows
    }
    uk = found["gb_hmt_sanctions"]
    # 9,492 name rows of 2,114 targets (Group ID) in the 2020 file.
    assert uk[0] == datetime(2020, 4, 27) and uk[1]
    assert uk[2]["targets"] == 2114 and uk[2]["quarantined"] == 0
    assert uk[2]["targets_by_schema"] == {"Organization": 565, "Person": 1523, "Vessel": 26}
    au = found["au_dfat_sanctions"]
    assert au[2]["targets"] == 3062 and au[2]["quarantined"] == 0
    ca = found["ca_dfatd_sema_sanctions"]
    assert ca[2]["targets"] == 1369 and ca[2]["targets_by_schema"] == {
        "Organization": 384,
        "Person": 985,
    }


def test_reconciliation_of_the_dprk_designations(more_store: Path) -> None:
    with Store.open(more_store, read_only=True) as store:
        report = reconcile(store)
    rows = {r["un_reference"]: r for r in report["designations"]}
    assert len(rows) == 155 and report["program"] == "DPRK"
    lists = {entry["dataset"]: entry for entry in report["lists"]}
    assert list(lists) == ["us_ofac_sdn", "eu_fsf", "gb_hmt_sanctions", "au_dfat_sanctions"]
    assert not lists["eu_fsf"]["loaded"]
    assert all(r["findings"]["eu_fsf"]["status"] == "not loaded" for r in rows.values())
    # The UK carries UN references: KOMID by reference, not by name.
    komid = rows["KPe.001"]["findings"]["gb_hmt_sanctions"]
    assert komid["status"] == "listed" and komid["method"] == "UN reference"
    assert komid["entity_ids"] and komid["entity_ids"][0].startswith("gb-hmt-")
    uk = lists["gb_hmt_sanctions"]["summary"]
    assert uk["listed by UN reference"] >= 120 and uk["listed"] >= 150
    # OFAC carries no UN reference: Yun Ho-jin by name and birth date, under OFAC's own program.
    yun = rows["KPi.001"]["findings"]["us_ofac_sdn"]
    assert (yun["status"], yun["method"], yun["entity_ids"]) == (
        "listed",
        "name + birth date",
        ["ofac-12218"],
    )
    assert yun["programs"] == ["NPWMD"] and "1944-10-13" in yun["evidence"]
    # The Chongchongang Shipping Company by its company IMO number on Australia's list.
    ccg = rows["KPe.022"]["findings"]["au_dfat_sanctions"]
    assert ccg["method"] == "identifier" and "IMO5342883" in ccg["evidence"]
    # Lists disagree on birth dates: shown as possible, with both dates, never as listed.
    ri = rows["KPi.078"]["findings"]["gb_hmt_sanctions"]
    assert ri["status"] == "possible" and ri["method"] == "name, birth date differs"
    assert "1969-07-23" in ri["evidence"] and "1969-07-22" in ri["evidence"]
    for row in rows.values():
        for finding in row["findings"].values():
            if finding["status"] in ("listed", "possible"):
                assert finding["entity_ids"] and finding["evidence"] and finding["method"]


def test_designations_after_a_lists_date_are_not_missing(tmp_path: Path) -> None:
    """Canada's 2020 SEMA list, dated back to 2010 for this test: the UN designations made
    after 2010 cannot be on it, and are reported so, not as absent."""
    with Store.open(tmp_path / "s.duckdb") as store:
        load_paths(store, [REPO / "data" / "lists" / "bundle" / "un_sc_consolidated.xml"])
        load_paths(
            store,
            [FIXTURES / "lists" / "ca_sema_lmes_2020-04-15_subset.xml"],
            published=datetime(2010, 1, 1),
        )
        report = reconcile(store, lists=["ca_dfatd_sema_sanctions"])
    statuses = {
        r["un_reference"]: r["findings"]["ca_dfatd_sema_sanctions"]["status"]
        for r in report["designations"]
    }
    assert statuses["KPe.001"] == "not found"  # listed by the UN in 2009
    assert statuses["KPe.021"] == "after list date"  # listed by the UN in 2016


def test_name_keys_and_dates() -> None:
    assert name_keys("KIM Jong Un") & name_keys("Kim, Jong-un")
    assert name_keys("Jong Un KIM") & name_keys("KIM JONG UN")
    assert name_keys("KOREA KWANGSON BANKING CORPORATION (KKBC)") & name_keys(
        "Korea Kwangson Banking Corporation"
    )
    assert not name_keys("KIM Jong Un") & name_keys("KIM Jong Nam")
    assert core_key("HESONG TRADING COMPANY") == core_key("Hesong Trading Corporation")
    assert core_key("KOREAN TANGUN TRADING CORPORATION") == core_key("KOREA TANGUN TRADING CORP")
    assert core_key("OFFICE 39") != core_key("OFFICE 38")
    assert dates_agree({"1966"}, {"1966-01-20"}) and not dates_agree({"1966"}, {"1967-01-20"})


def test_reconcile_command(
    more_store: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = run(capsys, monkeypatch, "lists", "reconcile", "--db", str(more_store))
    assert code == 0 and "lists used:" in err
    assert "UN DPRK designations on other lists: 155" in out and "not loaded" in out
    code, out, _ = run(
        capsys, monkeypatch, "lists", "reconcile", "--db", str(more_store), "--format", "csv"
    )
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and len(rows) == 155 * 4
    assert {"un_reference", "dataset", "status", "method", "evidence"} <= set(rows[0])
    empty = Path(str(more_store) + ".empty.duckdb")
    with Store.open(empty):
        pass
    code, _, err = run(capsys, monkeypatch, "lists", "reconcile", "--db", str(empty))
    assert code == 7 and "UN list" in err


def test_sources_lists_every_list_with_its_authority_and_rule(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = run(capsys, monkeypatch, "lists", "sources", "--json")
    rows = {r["dataset"]: r for r in json.loads(out)}
    assert code == 0 and set(rows) == set(REGISTRY)
    assert set(rows) >= {
        "us_ofac_sdn",
        "us_ofac_cons",
        "un_sc_sanctions",
        "eu_fsf",
        "gb_hmt_sanctions",
        "ca_dfatd_sema_sanctions",
        "au_dfat_sanctions",
    }
    assert rows["us_ofac_sdn"]["formats"] == ["ofac-xml", "ofac-csv", "ofac-xml"]
    assert rows["eu_fsf"]["ownership_rule"] == "eu-uk-majority-or-control"
    assert rows["gb_hmt_sanctions"]["ownership_rule"] == "eu-uk-majority-or-control"
    assert rows["au_dfat_sanctions"]["ownership_rule"] == "none"
    for row in rows.values():
        assert row["authority"] and row["rule"] == OWNERSHIP_RULES[row["ownership_rule"]]
        assert row["urls"] and row["urls"][0].split(": ", 1)[1].startswith("https://")
    code, out, err = run(capsys, monkeypatch, "lists", "sources")
    assert code == 0 and "au_dfat_sanctions" in out and "more than 50%" in err


def test_update_downloads_the_format_an_override_names() -> None:
    sdn = REGISTRY["us_ofac_sdn"]
    assert download_format(sdn, {}) == ("ofac-xml", sdn.urls)
    csv_roles = {
        r: f"http://127.0.0.1/{r}.csv" for r in ("primary", "alias", "address", "comments")
    }
    assert download_format(sdn, csv_roles) == ("ofac-csv", csv_roles)
    mirror = {"primary": "http://127.0.0.1/SDN_ADVANCED.XML"}
    assert download_format(sdn, mirror) == ("ofac-xml", mirror)
