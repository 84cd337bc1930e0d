"""Trade: HS codes, CSV parsing, flags on simulated records, petroleum cap, mirror, CSL."""

from __future__ import annotations

import csv
import json
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from interdiction.config import Config
from interdiction.sources import load_paths
from interdiction.sources.base import InputError
from interdiction.store import Alert, Store, read_alerts, read_evidence
from interdiction.trade import hs, mirror, petroleum
from interdiction.trade.charts import petroleum_chart
from interdiction.trade.comtrade import load_flows
from interdiction.trade.flags import flagged, run_flags
from interdiction.trade.parsing import normalise_name, parse_amount, parse_day, party_key
from interdiction.trade.records import load_shipments
from interdiction.trade.simulate import generate_bundle, iter_records
from interdiction.trade.watchlists import load_watchlists

FIXTURES = Path(__file__).parent / "fixtures" / "trade"


@pytest.fixture(scope="module")
def sim(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("sim")
    paths = generate_bundle(folder, seed=11, records=2500)
    db = folder / "trade.duckdb"
    with Store.open(db) as store:
        load_paths(store, [paths["watchlist"]], simulated=True)
        load_shipments(store, [paths["shipments"]], dataset="sim", simulated=True)
        load_flows(store, [paths["comtrade"]], simulated=True)
        run_flags(store, Config())
    return {**paths, "db": db}


def test_hs_normalisation() -> None:
    known = load_watchlists().hs6
    assert hs.normalise("8542.31", known).hs6 == "854231"
    assert hs.normalise("HS 8542 31 00", known).digits == "85423100"
    code = hs.normalise("30617", known)  # a spreadsheet ate the leading zero
    assert code.hs6 == "030617" and "leading zero" in code.note
    assert hs.normalise("9912.34", known).status == "not-in-hs2022"
    assert hs.normalise("880330", known, load_watchlists().hs2017_only).status == "hs2017-only"
    assert hs.normalise("8542", known).status == "too-short"
    assert hs.normalise("abc", known).status == "malformed"
    assert "880730" in known and load_watchlists().chpl["854231"].tier == "1"


@given(st.text(max_size=20))
def test_hs_normalise_never_raises(text: str) -> None:
    code = hs.normalise(text, load_watchlists().hs6)
    assert code.hs6 is None or (len(code.hs6) == 6 and code.hs6.isdigit())


@given(st.decimals(min_value=0, max_value=10**9, places=2))
def test_amounts_in_several_notations(value: object) -> None:
    number = float(str(value))
    whole, frac = f"{number:,.2f}".split(".")
    assert parse_amount(f"{whole}.{frac}") == pytest.approx(number)
    assert parse_amount(f"{whole.replace(',', ' ')},{frac}") == pytest.approx(number)


def test_values_dates_and_names() -> None:
    assert parse_day("05.03.2024") == date(2024, 3, 5)
    assert parse_day("03/05/2024", dayfirst=False) == date(2024, 3, 5)
    assert parse_day("31.02.2024") is None and parse_amount("n/a") is None
    assert normalise_name("VEXARU TRADING CO., LIMITED") == normalise_name("Vexaru Trading Co Ltd")
    assert party_key("Vexaru Trading Ltd", "hk") != party_key("Vexaru Trading Ltd", "cn")


def test_generator_is_seedable_and_fictitious() -> None:
    first = list(iter_records(seed=5, records=50))
    assert first == list(iter_records(seed=5, records=50))
    assert first != list(iter_records(seed=6, records=50))
    assert all(r["simulated"] == "true" and not r["vessel_imo"] for r in first)
    assert all(r["vessel"].startswith("SIM ") for r in first if r["vessel"])


def test_every_rule_fires_on_simulated_records(sim: dict[str, Path]) -> None:
    with Store.open(sim["db"], read_only=True) as store:
        rules = {
            r for (r,) in store.con.execute("SELECT DISTINCT rule FROM trade_flags").fetchall()
        }
        assert rules == {
            "chpl_russia",
            "un_dprk_measure",
            "listed_party",
            "linked_party",
            "recent_intermediary",
            "description_mismatch",
            "unchecked",
        }
        hk = flagged(store, rule="chpl_russia", tier="1", hub="hk")
        assert hk and all(r["hs6"].startswith("8542") for r in hk)
        transit = flagged(store, rule="chpl_russia", hub="kg") + flagged(
            store, rule="chpl_russia", hub="am"
        )
        assert transit and all(r["end_user_country"] == "ru" for r in transit)
        tanker = flagged(store, rule="un_dprk_measure")
        assert any(
            r["hs6"] == "271019" and r["detail"]["measure"] == "refined_petroleum" for r in tanker
        )
        assert any(r["detail"]["measure"] == "coal" for r in tanker)
        linked = flagged(store, rule="linked_party")
        assert linked and "Ownership" in linked[0]["detail"]["explanation"]


def test_alerts_rest_on_evidence_and_match_the_shared_id(sim: dict[str, Path]) -> None:
    with Store.open(sim["db"], read_only=True) as store:
        alerts = read_alerts(store, type="chpl_shipment", limit=5)
        assert alerts and all(a["simulated"] and a["detector"] == "trade.flags" for a in alerts)
        evidence = read_evidence(store, alerts[0]["id"])
        assert {e["kind"] for e in evidence} == {"shipment", "record"}
        assert any(e["ref_id"].startswith("chpl:") for e in evidence)
        a = alerts[0]
        same = Alert(
            type=a["type"],
            severity=a["severity"],
            title="",
            entity_ids=a["entity_ids"],
            detector="trade.flags",
            detector_version="1",
            config_hash="",
            evidence=[],
            start_time=a["start_time"],
            end_time=a["end_time"],
            key="chpl_russia:tier-" + a["params"]["detail"]["tier"],
        )
        assert same.id == a["id"]


def test_rerun_is_idempotent_and_screening_cached(sim: dict[str, Path], tmp_path: Path) -> None:
    copy = tmp_path / "copy.duckdb"
    copy.write_bytes(sim["db"].read_bytes())
    with Store.open(copy) as store:
        before = store.con.execute("SELECT count(*) FROM alerts").fetchall()
        report = run_flags(store, Config())
        assert report.screening["screened_now"] == 0 and report.screening["cached"] > 0
        assert store.con.execute("SELECT count(*) FROM alerts").fetchall() == before


def test_bad_input_is_kept_with_reasons(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "date,hs_code,shipper,consignee,value,currency,destination_country\n"
        "2024-02-30,8542.31,A Co,B Co,10,USD,ru\n"
        "2024-02-01,9912.34,A Co,,12,XYZ,Narnia\n"
        "2024-02-01,8542.31,A Co\n",
        encoding="utf-8",
    )
    with Store.open(tmp_path / "s.duckdb") as store:
        report = load_shipments(store, [path], dataset="bad")
        assert report.counts["records"] == 2 and report.counts["quarantined"] == 1
        rows = dict(store.con.execute("SELECT origin_line, issues FROM trade_shipments").fetchall())
        assert rows[2] == ["bad-date"]
        assert set(rows[3]) >= {
            "hs-not-in-hs2022",
            "unknown-currency",
            "missing-consignee",
            "bad-country",
        }
        run_flags(store, Config())
        unchecked = flagged(store, rule="unchecked")
        assert len(unchecked) == 2  # never reported clean
        assert load_shipments(store, [path], dataset="bad").status == "unchanged"


def test_vendor_layout_and_encoding_errors(tmp_path: Path) -> None:
    path = tmp_path / "ru.csv"
    path.write_text(
        "Дата ДТ,Код ТН ВЭД,Отправитель,Получатель,Фактурная стоимость,Валюта,Страна отправления\n"
        '05.03.2024,8542310000,Vexaru Components Limited,ООО Ромашка-Сим,"1 234,50",USD,ГОНКОНГ\n',
        encoding="utf-8",
    )
    with Store.open(tmp_path / "s.duckdb") as store:
        report = load_shipments(store, [path], dataset="ru")
        assert report.layout == "ru-gtd"
        row = store.con.execute(
            "SELECT date, hs6, value_usd, departure_country, destination_country FROM trade_shipments"
        ).fetchall()[0]
        assert row == (date(2024, 3, 5), "854231", 1234.5, "hk", "ru")
    latin = tmp_path / "latin.csv"
    latin.write_bytes("date,hs_code\n2024-01-01,854231\n2024-01-02,85\xe9\n".encode("latin-1"))
    with Store.open(tmp_path / "t.duckdb") as store, pytest.raises(InputError, match="line 3"):
        load_shipments(store, [latin])
        assert store.con.execute("SELECT count(*) FROM trade_shipments").fetchall() == [(0,)]


def test_petroleum_counts_against_the_cap(sim: dict[str, Path], tmp_path: Path) -> None:
    calls = petroleum.read_port_calls(sim["port_calls"])
    with Store.open(sim["db"], read_only=True) as store:
        table = petroleum.petroleum_table(store, Config().trade, year=2024, port_calls=calls)
    assert table["cap_barrels"] == 500_000 and table["declared_total"] > 0
    totals = table["scenario_totals"]
    assert totals["33%"] < totals["50%"] < totals["90%"]
    assert any("7.5 bbl/t" in f for f in table["factors"])
    shipment = next(d for d in table["deliveries"] if d["source"] == "shipment")
    assert shipment["barrels"] > 0 and "bbl/t" in shipment["method"]
    chart = petroleum_chart(table, tmp_path / "cap.svg")
    assert "SIMULATED DATA" in chart.read_text(encoding="utf-8")


def test_mirror_statistics(sim: dict[str, Path]) -> None:
    config = Config().trade
    with Store.open(sim["db"], read_only=True) as store:
        gaps = mirror.mirror_gaps(store, config)
        assert gaps and all(abs(g["gap_share"]) >= config.mirror_gap_share for g in gaps)
        assert gaps[0]["cif_fob_factor"].startswith("imf_dots_uniform")
        rebuilt = mirror.rebuilt_flows(store, config, "kp")
        assert rebuilt and {r["direction"] for r in rebuilt} <= {"imports", "exports"}
        reexports = mirror.hk_reexports(store)
        assert reexports and {r["origin"] for r in reexports} >= {"us", "cn"}
        surges = mirror.surges(store, config)
        assert surges and all(s["year"] > 2021 for s in surges)
        assert mirror.unit_value_outliers(store, config)


def test_us_csl_reader(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.duckdb") as store:
        reports, _ = load_paths(
            store, [FIXTURES / "us_csl_2019_first30.csv"], published=datetime(2019, 12, 3)
        )
        assert reports[0].dataset == "us_trade_csl" and reports[0].counts["targets"] == 30
        rows = store.con.execute(
            """SELECT value FROM statements WHERE prop = 'authority'"""
        ).fetchall()
        assert ("Entity List (EL) - Bureau of Industry and Security",) in rows
        provisions = store.con.execute(
            "SELECT value FROM statements WHERE prop = 'provisions' LIMIT 1"
        ).fetchall()
        assert "License" in provisions[0][0]


def test_cli_trade_round_trip(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from interdiction.cli import app

    runner = CliRunner()
    db = str(tmp_path / "cli.duckdb")
    sim = tmp_path / "sim"
    assert (
        runner.invoke(
            app, ["trade", "simulate", str(sim), "--records", "400", "--seed", "2"]
        ).exit_code
        == 0
    )
    result = runner.invoke(
        app, ["trade", "load", str(sim / "sim_shipments.csv"), "--simulated", "--db", db]
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        app, ["trade", "flags", "--rule", "chpl_russia", "--format", "csv", "--db", db]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(line for line in result.stdout.splitlines() if "," in line))
    assert rows and all(r["rule"] == "chpl_russia" for r in rows)
    result = runner.invoke(app, ["trade", "watchlists", "--json"])
    assert json.loads(result.stdout)[0]["list"] == "chpl"
