"""The UK OFSI ConList.csv: the old layout (DPRK rows of the full 2020 file, Windows-1252)
and the 2022 layout (a real extract with Persian, Cyrillic and Arabic names)."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES
from interdiction.sources import InputError, load_paths
from interdiction.sources.base import Batch
from interdiction.sources.freetext import normalise_un_ref
from interdiction.sources.load import plan
from interdiction.sources.uk_ofsi import parse_uk_date
from interdiction.store import Store

DPRK = FIXTURES / "lists" / "ofsi_conlist_2020-04-27_dprk.csv"
LAYOUT_2022 = FIXTURES / "lists" / "ofsi_conlist_2022format_extract23.csv"


def read(path: Path, published: datetime | None = None) -> Batch:
    item = plan([path], published=published)[0]
    batch = Batch.for_fileset(item.fileset)
    item.reader.read(item.fileset, batch, lambda _: None)
    return batch


@pytest.fixture(scope="module")
def dprk() -> Batch:
    return read(DPRK)


def test_windows_1252_is_detected_and_said(dprk: Batch) -> None:
    raw = DPRK.read_bytes()
    first = next(i for i, line in enumerate(raw.split(b"\n"), 1) if any(b > 127 for b in line))
    warnings = [i for i in dprk.issues if i.code == "encoding"]
    assert len(warnings) == 1
    assert f"byte 0x92 at line {first}" in warnings[0].message
    assert "Windows-1252" in warnings[0].message
    # Decoded as Windows-1252: 0x92 is a right single quotation mark, not a control code.
    assert any("\u2019" in v for e in dprk.entities.values() for v in e.get("notes", quiet=True))


def test_groups_are_the_targets_of_the_file(dprk: Batch) -> None:
    rows = list(csv.reader(io.StringIO(DPRK.read_bytes().decode("cp1252"), newline="")))[2:]
    groups = {r[28] for r in rows}
    assert len(dprk.targets) == len(groups) == 251
    assert dprk.fileset.published == datetime(2020, 4, 27)
    people = {e for e in dprk.targets if dprk.entities[e].schema.name == "Person"}
    assert len(people) == len({r[28] for r in rows if r[23] == "Individual"})


def test_un_references_ships_and_companies(dprk: Batch) -> None:
    # "UN Ref.KPI.067." is the UN's KPi.067.
    sanction = dprk.entities["gb-hmt-13562-sanction"]
    assert sanction.get("unscId") == ["KPi.067"]
    kim = dprk.entities["gb-hmt-13562"]
    assert kim.get("name") == ["Kim Kyong IL"] and kim.get("birthDate") == ["1979-08-01"]
    assert kim.get("passportNumber") == ["836210029"]
    # A listed "Entity" with a ship's IMO number is a ship.
    tong_san = dprk.entities["gb-hmt-13556"]
    assert tong_san.schema.name == "Vessel"
    assert tong_san.get("imoNumber") == ["IMO8937675"] and tong_san.get("mmsi") == ["445539000"]
    # A shipping firm's IMO number (the company scheme) keeps it a firm.
    ccg = dprk.entities["gb-hmt-13340"]
    assert ccg.schema.name == "Organization" and ccg.get("imoNumber") == ["IMO5342883"]
    assert dprk.entities["gb-hmt-13340-sanction"].get("unscId") == ["KPe.022"]
    # A number that passes both check digits: the words decide, and the doubt is reported.
    doubts = {i.record for i in dprk.issues if i.code == "imo-ambiguous"}
    assert "13576" in doubts and dprk.entities["gb-hmt-13576"].schema.name == "Vessel"
    vessels = sum(1 for e in dprk.targets if dprk.entities[e].schema.name == "Vessel")
    assert vessels == 26


def test_rows_of_a_group_make_one_entity(dprk: Batch) -> None:
    qahtani = dprk.entities["gb-hmt-13349"]  # two rows, one per birth year
    assert set(qahtani.get("birthDate")) == {"1980", "1981"}
    assert set(qahtani.get("nationality")) == {"sa", "qa"}
    assert "Sheikh Farooq AL-QAHTANI" in qahtani.get("alias")  # "AKA" rows
    assert qahtani.get("name") == ["Nayef Salam Muhammad Ujaym AL-HABABI"]  # "Prime Alias"
    assert parse_uk_date("00/04/1984") == "1984-04"
    assert parse_uk_date("00/00/0000") is None
    assert normalise_un_ref("KPe.23") == "KPe.023"
    assert normalise_un_ref("QE.A.146.14.") == "QE.A.146.14"


def test_2022_layout_names_in_other_scripts() -> None:
    batch = read(LAYOUT_2022)
    hojati = batch.entities["gb-hmt-9053"]
    persian = [s for s in hojati.statements if s.value == "محسن حجتی"]
    assert persian and persian[0].prop == "alias" and persian[0].lang == "fas"
    assert persian[0].original_value == "Arabic: محسن حجتی"
    assert hojati.get("birthDate") == ["1955-09-28"]
    assert batch.entities["gb-hmt-9053-sanction"].get("unscId") == ["IRi.018"]
    cyrillic = [
        v
        for e in batch.entities.values()
        for v in e.get("alias", quiet=True)
        if any("\u0400" <= c <= "\u04ff" for c in v)
    ]
    assert cyrillic
    # This extract was assembled from several snapshots: groups without their prime alias.
    assert {i.code for i in batch.issues} >= {"no-primary-name"}


def test_bad_encoding_and_broken_rows(tmp_path: Path) -> None:
    raw = DPRK.read_bytes()
    lines = raw.split(b"\r\n")
    # 0x81 is undefined in Windows-1252 too: no encoding fits, and the error says where.
    bad = tmp_path / "ConList.csv"
    bad.write_bytes(b"\r\n".join([*lines[:5], lines[5] + b"\x81", *lines[6:]]))
    with pytest.raises(InputError, match=r"ConList\.csv, line 6: neither UTF-8"):
        read(bad)
    shifted = tmp_path / "shifted" / "ConList.csv"
    shifted.parent.mkdir()
    shifted.write_bytes(b"\r\n".join([*lines[:4], lines[4] + b",extra", *lines[5:]]))
    batch = read(shifted)
    issue = next(i for i in batch.issues if i.code == "wrong-width")
    assert issue.line == 5 and issue.level == "quarantined"
    nul = tmp_path / "nul" / "ConList.csv"
    nul.parent.mkdir()
    nul.write_bytes(b"\r\n".join(lines[:2]) + b"\r\n" + "KIM,,,".encode("utf-16-le"))
    with pytest.raises(InputError, match="NUL"):
        read(nul, datetime(2020, 1, 1))


def test_load_is_one_version_with_its_warnings(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.duckdb") as store:
        reports, _ = load_paths(store, [DPRK])
        assert reports[0].dataset == "gb_hmt_sanctions"
        assert reports[0].counts["targets"] == 251
        code = store.con.execute(
            "SELECT count(*) FROM load_issues WHERE code = 'encoding'"
        ).fetchall()[0][0]
    assert code == 1


HEADER = (
    "Last Updated,27/04/2020\r\nName 6,Name 1,Name 2,Name 3,Name 4,Name 5,Title,DOB,"
    "Town of Birth,Country of Birth,Nationality,Passport Details,NI Number,Position,Address 1,"
    "Address 2,Address 3,Address 4,Address 5,Address 6,Post/Zip Code,Country,Other Information,"
    "Group Type,Alias Type,Regime,Listed On,Last Updated,Group ID\r\n"
)
CELLS = st.sampled_from(
    [
        "KIM",
        "",
        "00/13/1999",
        "31/02/2000",
        "1) Korea 2) x",
        "IMO: 8937675",
        "UN Ref KPI.9",
        "Ship",
        "Individual",
        "Entity",
        "Prime Alias",
        "AKA",
        "12",
        "x",
        '"a,b"',
        "\u00e9",
    ]
)


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.lists(CELLS, min_size=0, max_size=31), max_size=6), st.booleans())
def test_garbage_never_crashes(tmp_path: Path, rows: list[list[str]], cp1252: bool) -> None:
    text = HEADER + "\r\n".join(",".join(r) for r in rows) + "\r\n"
    path = tmp_path / "ConList.csv"
    path.write_bytes(text.encode("cp1252" if cp1252 else "utf-8"))
    try:
        batch = read(path)
    except InputError as exc:
        assert "ConList.csv" in str(exc)
        return
    for issue in batch.issues:
        assert issue.message and issue.file == "ConList.csv"


def test_an_imo_number_in_free_text_is_kept_or_reported_never_dropped() -> None:
    """One rule for every list's free text: a ship's check digit on a vessel, a company's on
    anything else; a number that fails, or an entity that cannot hold one, is reported (a
    ship's number on a firm used to vanish without a word)."""
    from interdiction.ids import company_imo_checksum_ok, imo_checksum_ok
    from interdiction.sources.base import Batch, FileSet, Origin
    from interdiction.sources.freetext import add_imo

    ship_only = "9179842"  # ANGARA's IMO number
    assert imo_checksum_ok(ship_only) and not company_imo_checksum_ok(ship_only)
    company = next(
        n for n in (f"{i:07d}" for i in range(5_000_000, 5_000_200)) if company_imo_checksum_ok(n)
    )
    batch = Batch.for_fileset(FileSet("test", "test", []))
    origin = Origin("list.csv", "primary", "r1", 2)
    vessel = batch.entity("Vessel", "t-vessel")
    firm = batch.entity("Organization", "t-firm")
    person = batch.entity("Person", "t-person")
    assert add_imo(batch, vessel, ship_only, origin)
    assert add_imo(batch, firm, company, origin)
    assert not add_imo(batch, firm, ship_only, origin)
    assert not add_imo(batch, person, company, origin)
    assert vessel.get("imoNumber") == [f"IMO{ship_only}"]
    assert firm.get("imoNumber") == [f"IMO{company}"]
    assert [i.code for i in batch.issues] == ["invalid-imo", "property-not-applicable"]
