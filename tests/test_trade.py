"""Trade: HS codes, CSV parsing, flags on simulated records, petroleum cap, mirror, CSL."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
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


# The rules are SQL written for speed; these tests hold them to a plain Python reading of
# their definitions (keywords as Python regexes, prefixes with str.startswith).
_PHRASES = (
    "integrated circuits",
    "IC",
    "MCUs",
    "ball bearings",
    "diesel fuel",
    "gas oil",
    "toys",
    "dolls",
    "printed circuit board",
    "frozen fish",
    "garments",
    "drone",
    "coal",
    "crude oil",
    "lathe",
    "ammunition",
    "plastic articles",
    "spare parts",
    "model 7",
)
_CODES = (
    "854231",
    "854239",
    "950300",
    "392690",
    "848210",
    "271019",
    "270900",
    "030389",
    "610910",
    "880730",
    "853400",
    "930690",
    "270112",
    "999999",
)


@pytest.fixture(scope="module")
def rule_con() -> Iterator[duckdb.DuckDBPyConnection]:
    from interdiction.trade.rules import prepare_view_sql
    from interdiction.trade.schema import SHIPMENT_COLUMNS
    from interdiction.trade.watchlists import register

    con = duckdb.connect()
    register(con)
    body = ", ".join(f"{name} {kind}" for name, kind in SHIPMENT_COLUMNS)
    con.execute(f"CREATE TABLE trade_shipments ({body})")
    con.execute("CREATE TABLE trade_parties (party_key VARCHAR, incorporated DATE)")
    con.execute("CREATE TABLE tc (party_key VARCHAR, kind VARCHAR, entity_id VARCHAR)")
    con.execute(prepare_view_sql("TRUE"))
    yield con
    con.close()


def _hits(con: duckdb.DuckDBPyConnection, rule_id: str, rows: list[dict[str, Any]]) -> list[Any]:
    from interdiction.trade.rules import rules

    con.execute("DELETE FROM trade_shipments")
    for number, row in enumerate(rows):
        con.execute(
            """INSERT INTO trade_shipments (shipment_id, dataset, load_id, origin,
                origin_record, simulated, hs_status, issues, description, hs6, hs_digits,
                date, destination_country, origin_country)
            VALUES (?, 'd', 'l', 'f.csv', ?, false, 'ok', [], ?, ?, ?, ?, ?, ?)""",
            [
                f"s{number}",
                f"r{number}",
                row.get("description"),
                row.get("hs6"),
                row.get("digits"),
                row.get("date"),
                row.get("to"),
                row.get("from"),
            ],
        )
    sql = next(r.sql for r in rules(Config().trade) if r.id == rule_id)
    found = con.execute(f"SELECT shipment_id, key, detail FROM ({sql})").fetchall()
    return sorted((sid, key, json.loads(detail).get("hs_prefix")) for sid, key, detail in found)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.lists(st.sampled_from(_PHRASES), min_size=1, max_size=3),
            st.sampled_from(_CODES),
            st.booleans(),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_description_rule_agrees_with_its_definition(
    rule_con: duckdb.DuckDBPyConnection, records: list[tuple[list[str], str, bool]]
) -> None:
    lists = load_watchlists()
    rows, expected = [], set()
    for number, (words, code, upper) in enumerate(records):
        description = ", ".join(words).upper() if upper else ", ".join(words)
        rows.append({"description": description, "hs6": code})
        named = [k for k in lists.keywords if re.search(k.pattern, description.lower())]
        text = (
            f"{lists.hs2022[code]} {lists.hs2022.get(code[:4], '')}".lower()
            if code in lists.hs2022
            else None
        )
        fits = [
            k
            for k in named
            if any(code.startswith(p) for p in k.hs_prefixes)
            or (text is not None and re.search(k.pattern, text))
        ]
        if named and not fits:
            expected.add((f"s{number}", "description", None))
    assert _hits(rule_con, "description_mismatch", rows) == sorted(expected)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(_CODES),
            st.sampled_from(("", "00", "1234")),
            st.integers(0, 6),
            st.sampled_from((None, date(2016, 5, 1), date(2017, 9, 1), date(2024, 1, 1))),
            st.sampled_from(("kp", "cn", None)),
            st.sampled_from(("kp", "ru", None)),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_un_measure_rule_agrees_with_its_definition(
    rule_con: duckdb.DuckDBPyConnection,
    records: list[tuple[str, str, int, date | None, str | None, str | None]],
) -> None:
    rows, expected = [], set()
    for number, (code, tail, cut, day, to, source) in enumerate(records):
        digits = (code + tail)[: len(code + tail) - cut] if cut < 5 else code[:2]
        rows.append({"hs6": code, "digits": digits, "date": day, "to": to, "from": source})
        for m in load_watchlists().measures:
            if day is not None and day < m.in_force:
                continue
            if not (
                (m.direction in ("to_dprk", "both") and to == "kp")
                or (m.direction in ("from_dprk", "both") and source == "kp")
            ):
                continue
            for prefix in m.hs_prefixes:
                if digits.startswith(prefix):
                    expected.add((f"s{number}", m.measure_id, prefix))
    assert _hits(rule_con, "un_dprk_measure", rows) == sorted(expected)  # each hit once


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
    from interdiction.config import TradeConfig

    copy = tmp_path / "copy.duckdb"
    copy.write_bytes(sim["db"].read_bytes())

    def state(store: Store) -> tuple[Any, ...]:
        return tuple(
            store.con.execute(
                """SELECT count(*), count(*) FILTER (WHERE type = 'trade_recent_intermediary'),
                    (SELECT count(*) FROM alert_evidence
                     WHERE alert_id NOT IN (SELECT id FROM alerts)),
                    count(*) FILTER (WHERE id NOT IN (SELECT alert_id FROM alert_evidence)),
                    (SELECT count(*) FROM trade_flags WHERE alert_id NOT IN (SELECT id FROM alerts)),
                    (SELECT count(*) FROM evidence WHERE id NOT IN
                        (SELECT evidence_id FROM alert_evidence)),
                    count(DISTINCT run_id)
                FROM alerts WHERE detector = 'trade.flags'"""
            ).fetchall()[0]
        )

    with Store.open(copy) as store:
        before = state(store)
        report = run_flags(store, Config())
        assert report.screening["screened_now"] == 0 and report.screening["cached"] > 0
        assert state(store) == before
        # Findings that no longer hold go, with their links; those that do are rewritten.
        narrow = Config(trade=TradeConfig(recent_days=120))
        run_flags(store, narrow)
        after = state(store)
        assert 0 < after[1] < before[1] and after[2:5] == (0, 0, 0)
        assert run_flags(store, Config()).alerts == before[0]
        assert state(store)[:5] == before[:5] and state(store)[6] == 1


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
    source = petroleum.CsvPortCalls(sim["port_calls"])
    with Store.open(sim["db"], read_only=True) as store:
        table = petroleum.petroleum_table(store, Config().trade, year=2024, port_calls=source)
        assert table["port_calls"]["source"] == "csv" and table["port_calls"]["counted"] > 0
        # A call by the tanker of a declared delivery, two days later, is that delivery.
        row = store.con.execute(
            """SELECT vessel, date FROM trade_shipments WHERE hs6 = '271019'
            AND destination_country = 'kp' AND year(date) = 2024 AND vessel IS NOT NULL
            LIMIT 1"""
        ).fetchall()[0]
        twin = petroleum.PortCall(row[0], row[1] + timedelta(days=2), 3000.0, port="Nampho")
        again = petroleum.petroleum_table(store, Config().trade, year=2024, port_calls=[twin])
        assert again["port_calls"]["counted"] == 0 and again["port_calls"]["matched_to_declared"]
        assert again["scenario_totals"]["90%"] == again["declared_total"]
    assert table["cap_barrels"] == 500_000 and table["declared_total"] > 0
    totals = table["scenario_totals"]
    assert totals["33%"] < totals["50%"] < totals["90%"]
    assert any("7.5 bbl/t" in f for f in table["factors"])
    shipment = next(d for d in table["deliveries"] if d["source"] == "shipment")
    assert shipment["barrels"] > 0 and "bbl/t" in shipment["method"]
    bad = tmp_path / "calls.csv"
    bad.write_text(
        "vessel,arrival,deadweight_t,port\nSIM Orvask Tanker,2024-03-02,2500,Nampho\n"
        "SIM Lumix Tanker,2024-02-31,2500,Nampho\n",
        encoding="utf-8",
    )
    calls, skipped = petroleum.read_port_calls(bad)
    assert len(calls) == 1 and skipped == ["calls.csv line 3: arrival '2024-02-31' is not a date"]
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


def test_ftm_export_validates_and_keeps_provenance(sim: dict[str, Path]) -> None:
    import io

    from followthemoney import model
    from followthemoney.statement import read_statements

    from interdiction.trade.ftm import write_ftm, write_statements

    entities, statements = io.StringIO(), io.StringIO()
    with Store.open(sim["db"], read_only=True) as store:
        counts = write_ftm(store, entities)
        write_statements(store, statements)
        records = store.con.execute("SELECT count(*) FROM trade_shipments").fetchall()[0][0]
    assert counts["records"] == records and counts["parties"] > 100 and counts["vessels"] > 0
    lines = [json.loads(line) for line in entities.getvalue().splitlines()]
    ids = {d["id"] for d in lines}
    for data in lines:
        schema = model.get(data["schema"])
        assert schema is not None
        schema.validate(data)  # raises InvalidData on a value its type refuses
        proxy = model.get_proxy(data, cleaned=False)  # raises on a property it does not have
        assert proxy.to_dict()["properties"] == data["properties"]
        for prop in proxy.iterprops():
            if prop.type.name == "entity":
                assert set(proxy.get(prop)) <= ids, (data["id"], prop.name)
        assert data["simulated"] is True
    activity = next(d for d in lines if d["properties"].get("vedCode") == ["85423100"])
    assert activity["schema"] == "EconomicActivity" and activity["caption"].startswith("SIMULATED")
    assert {"sender", "receiver", "originCountry", "goodsDescription"} <= set(
        activity["properties"]
    )
    party = next(d for d in lines if d["schema"] == "LegalEntity")
    assert any(n.startswith("SIMULATED") for n in party["properties"]["notes"])
    read = list(read_statements(io.BytesIO(statements.getvalue().encode()), "json"))
    assert read and all(s.origin and s.origin.startswith("sim_shipments.csv:") for s in read)
    assert {s.dataset for s in read} == {"sim"}


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
    # The documented CSV layout round-trips: export, load again, same records.
    out = tmp_path / "export.csv"
    result = runner.invoke(app, ["trade", "export", "--format", "csv", "-o", str(out), "--db", db])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["trade", "load", str(out), "--dataset", "again", "--db", db])
    assert result.exit_code == 0, result.output
    with Store.open(db, read_only=True) as store:
        columns = "record_id, date, shipper_key, consignee_key, hs6, value_usd, simulated, issues"
        first, again = (
            store.con.execute(
                f"SELECT {columns} FROM trade_shipments WHERE dataset = ? ORDER BY record_id",
                [name],
            ).fetchall()
            for name in ("shipments", "again")
        )
    assert len(first) == 400 and [r[:-1] for r in first] == [r[:-1] for r in again]
    # a reason is never lost (a bad date also becomes a missing one)
    assert all(set(a[-1]) <= set(b[-1]) for a, b in zip(first, again, strict=True))
    assert any("bad-value" in r[-1] for r in again)
