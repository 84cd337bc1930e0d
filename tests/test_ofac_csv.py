"""The OFAC legacy CSV reader on the real files: counts, remarks, joins, bad input."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import CONS_2025, SDN_2021
from interdiction.sources import InputError, load_paths
from interdiction.sources.base import Batch
from interdiction.sources.load import plan
from interdiction.sources.ofac_csv.remarks import parse_identifier, split_remarks
from interdiction.store import Store, get_entity

PUBLISHED = datetime(2021, 7, 7)


def _values(store: Store, entity_id: str, prop: str) -> list[str]:
    rows = store.con.execute(
        "SELECT value FROM statements WHERE entity_id = ? AND prop = ? AND retired IS NULL ORDER BY value",
        [entity_id, prop],
    ).fetchall()
    return [r[0] for r in rows]


def test_full_2024_sdn_counts(loaded_store_path: Path) -> None:
    with Store.open(loaded_store_path, read_only=True) as store:
        vessels = store.con.execute(
            "SELECT count(*) FROM entities WHERE dataset = 'us_ofac_sdn' AND schema = 'Vessel' AND target"
        ).fetchall()[0][0]
        valid_imo = store.con.execute(
            """SELECT count(DISTINCT entity_id) FROM statements
            WHERE dataset = 'us_ofac_sdn' AND schema = 'Vessel' AND prop = 'imoNumber'"""
        ).fetchall()[0][0]
        dprk = store.con.execute(
            """SELECT count(DISTINCT s.entity_id) FROM statements s
            JOIN entities e ON e.entity_id = s.entity_id AND e.dataset = s.dataset AND e.target
            WHERE s.dataset = 'us_ofac_sdn' AND s.prop = 'program' AND s.value LIKE 'DPRK%'"""
        ).fetchall()[0][0]
        by_schema = dict(
            store.con.execute(
                """SELECT schema, count(*) FROM entities
                WHERE dataset = 'us_ofac_sdn' AND target GROUP BY schema"""
            ).fetchall()
        )
    assert vessels == 851
    assert valid_imo >= 844
    assert dprk == 484
    assert by_schema["Person"] == 6854
    assert by_schema["Airplane"] == 376
    assert by_schema["Organization"] + by_schema.get("Company", 0) == 6884


def test_rajin_route_vessels(loaded_store_path: Path) -> None:
    with Store.open(loaded_store_path, read_only=True) as store:
        angara = get_entity(store, "ofac-37059")
        assert angara is not None
        assert angara.entity.schema.name == "Vessel"
        assert angara.entity.get("imoNumber") == ["IMO9179842"]
        assert angara.entity.get("flag") == ["ru"]
        assert angara.entity.get("grossRegisteredTonnage") == ["8811"]
        assert angara.entity.get("program") == ["RUSSIA-EO14024"]
        # "Linked To: M LEASING LLC." became a relation to the listed lessor.
        links = store.con.execute(
            """SELECT o.value FROM statements s JOIN statements o ON o.entity_id = s.entity_id
            WHERE s.prop = 'subject' AND s.value = 'ofac-37059' AND o.prop = 'object'"""
        ).fetchall()
        assert len(links) == 1
        lessor = get_entity(store, links[0][0])
        assert lessor is not None and "M LEASING LLC" in lessor.entity.get("name")
        maria = get_entity(store, "ofac-46773")
        assert maria is not None and maria.entity.get("buildDate") == ["1986"]
        # Provenance: every value points to the file, line and record.
        stmt = next(s for s in angara.statements if s.prop == "imoNumber")
        assert stmt.origin == "sdn.csv" and stmt.origin_record == "37059" and stmt.origin_line
        assert stmt.original_value == "Vessel Registration Identification IMO 9179842"


def test_invalid_and_national_vessel_numbers(loaded_store_path: Path) -> None:
    with Store.open(loaded_store_path, read_only=True) as store:
        # "Vessel Registration Identification RS 150443 (Russia)": not an IMO number.
        assert _values(store, "ofac-37479", "imoNumber") == []
        assert _values(store, "ofac-37479", "registrationNumber") == ["RS 150443"]
        assert _values(store, "ofac-37479", "mmsi") == ["273385420"]
        # "IMO 9256860 (Russia)": the registry country does not hide the IMO number.
        assert _values(store, "ofac-34942", "imoNumber") == ["IMO9256860"]


def test_truncated_remarks_are_reported_without_comments_file(loaded_store_path: Path) -> None:
    with Store.open(loaded_store_path, read_only=True) as store:
        rows = store.con.execute(
            "SELECT record FROM load_issues WHERE code = 'remarks-truncated' AND dataset = 'us_ofac_sdn'"
        ).fetchall()
    records = {r[0] for r in rows}
    assert {"28263", "28264", "29703"} <= records
    assert len(records) >= 17


def test_four_file_set_joins(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.duckdb") as store:
        reports, _ = load_paths(store, [SDN_2021])
        report = reports[0]
        assert report.complete and report.counts["quarantined"] == 0
        tian = get_entity(store, "ofac-28263")
        assert tian is not None
        # The remark continues in sdn_comments.csv: the joined text carries the last alias.
        assert "snowsjohn" in " ".join(tian.entity.get("weakAlias"))
        assert any("Linked To: LAZARUS GROUP" in n for n in tian.entity.get("notes"))
        wallets = store.con.execute(
            """SELECT count(DISTINCT entity_id) FROM statements
            WHERE schema = 'CryptoWallet' AND prop = 'holder' AND value = 'ofac-28263'"""
        ).fetchall()[0][0]
        assert wallets == 8
        # add.csv rows became Address entities linked from the holder.
        addresses = _values(store, "ofac-306", "addressEntity")
        assert addresses and all(a.startswith("ofac-addr-") for a in addresses)
        # alt.csv aka rows are strong aliases.
        assert "NATIONAL BANK OF CUBA" in _values(store, "ofac-306", "alias")
        # Passports become Passport entities with their holder.
        docs = store.con.execute(
            "SELECT count(*) FROM statements WHERE schema = 'Passport' AND prop = 'holder'"
        ).fetchall()[0][0]
        assert docs > 10


def test_program_join_and_weak_alias_split() -> None:
    phrases = split_remarks(
        "DOB 08 Jan 1982; POB Pyongyang; nationality Korea, North; Gender Male; "
        "a.k.a. 'KIM, Jong-un'; Passport 836410070 (Korea, North) issued 2009; "
        "Linked To: KOREA RYONBONG GENERAL CORPORATION."
    )
    kinds = [(p.rule.phrase if p.rule else None, p.value) for p in phrases]
    assert kinds[0] == ("DOB", "08 Jan 1982")
    assert ("a.k.a.", "'KIM, Jong-un'") in kinds
    assert kinds[-1] == ("Linked To:", "KOREA RYONBONG GENERAL CORPORATION")
    ident = parse_identifier("836410070 (Korea, North) issued 2009")
    assert ident is not None and ident.number == "836410070" and ident.country == "Korea, North"
    ident = parse_identifier("AO 2879097 (Italy) expires 30 Oct 2012")
    assert ident is not None and ident.number == "AO 2879097" and ident.expires == "30 Oct 2012"


def test_consolidated_list_is_its_own_dataset(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.duckdb") as store:
        reports, _ = load_paths(store, [CONS_2025])
        assert reports[0].dataset == "us_ofac_cons"
        # cons_comments.csv continues the remarks of Russian banks: the directive provisions.
        provisions = store.con.execute(
            """SELECT value FROM statements
            WHERE entity_id = 'ofac-17018-sanction-us_ofac_cons' AND prop = 'provisions'"""
        ).fetchall()
        assert any("Directive 3" in p[0] for p in provisions)
        assert _values(store, "ofac-17018", "innCode") == ["7707083893"]
        cmic = store.con.execute(
            "SELECT count(DISTINCT entity_id) FROM statements WHERE prop = 'program' AND value = 'CMIC-EO13959'"
        ).fetchall()[0][0]
        assert cmic > 0


# -- bad input -------------------------------------------------------------------------


def _copy_set(tmp_path: Path) -> Path:
    dest = tmp_path / "set"
    shutil.copytree(SDN_2021, dest)
    return dest


def test_shifted_row_is_quarantined_with_its_line(tmp_path: Path) -> None:
    folder = _copy_set(tmp_path)
    path = folder / "sdn.csv"
    lines = path.read_bytes().split(b"\r\n")
    assert lines[2].startswith(b"306,")  # BANCO NACIONAL DE CUBA: 1 alias and 4 address rows
    lines[2] = lines[2].replace(b",-0- ,", b",", 1)  # one column fewer: a shifted row
    path.write_bytes(b"\r\n".join(lines))
    with Store.open(tmp_path / "s.duckdb") as store:
        reports, _ = load_paths(store, [folder], published=PUBLISHED)
        issues = store.con.execute(
            """SELECT file, line, code, message FROM load_issues
            WHERE level = 'quarantined' ORDER BY file DESC, line"""
        ).fetchall()
        loaded = store.con.execute(
            "SELECT count(*) FROM entities WHERE target AND dataset = 'us_ofac_sdn'"
        ).fetchall()[0][0]
    assert reports[0].counts["quarantined"] == 6
    assert issues[0][:3] == ("sdn.csv", 3, "wrong-width")
    assert "11 columns where the primary file has 12" in issues[0][3]
    # Its alias and address rows have no primary record left: quarantined as orphans, by line.
    orphans = [(f, code) for f, _, code, _ in issues[1:]]
    assert orphans.count(("alt.csv", "orphan-row")) == 1
    assert orphans.count(("add.csv", "orphan-row")) == 4
    assert loaded == 421  # the other records of the file loaded


def test_wrong_encoding_names_the_line(tmp_path: Path) -> None:
    folder = _copy_set(tmp_path)
    path = folder / "sdn.csv"
    data = path.read_bytes().replace(b"BANCO NACIONAL", "BANCO NACIÓNAL".encode("cp1252"), 1)
    path.write_bytes(data)
    with Store.open(tmp_path / "s.duckdb") as store:
        before = store.version()
        with pytest.raises(InputError, match=r"sdn\.csv, line 3: not UTF-8"):
            load_paths(store, [folder], published=PUBLISHED)
        assert store.version() == before
        assert store.con.execute("SELECT count(*) FROM statements").fetchall()[0][0] == 0


def test_empty_and_wrong_kind_files(tmp_path: Path) -> None:
    empty = tmp_path / "sdn.csv"
    empty.write_bytes(b"")
    with Store.open(tmp_path / "s.duckdb") as store:
        with pytest.raises(InputError, match="empty"):
            load_paths(store, [empty], published=PUBLISHED)
        png = tmp_path / "picture.png"
        png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
        with pytest.raises(InputError, match="not a list format"):
            load_paths(store, [png])
        html = tmp_path / "x" / "sdn.csv"
        html.parent.mkdir()
        html.write_text("<html><body>Service unavailable</body></html>")
        with pytest.raises(InputError, match="XML or HTML"):
            load_paths(store, [html], published=PUBLISHED)


def test_unquoted_csv_breakage(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "sdn.csv").write_bytes(b'36,"AEROCARIBBEAN AIRLINES,-0- ,"CUBA",-0- \r\n\x1a')
    with Store.open(tmp_path / "s.duckdb") as store, pytest.raises(InputError, match=r"sdn\.csv"):
        load_paths(store, [folder], published=PUBLISHED)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.text(alphabet=st.characters(codec="utf-8"), max_size=80), max_size=8))
def test_garbage_never_crashes_the_reader(tmp_path: Path, lines: list[str]) -> None:
    folder = tmp_path / "garbage"
    folder.mkdir(exist_ok=True)
    (folder / "sdn.csv").write_text("\r\n".join(lines), encoding="utf-8")
    try:
        item = plan([folder / "sdn.csv"], published=PUBLISHED)[0]
    except InputError:
        return
    batch = Batch.for_fileset(item.fileset)
    try:
        item.reader.read(item.fileset, batch, lambda _: None)
    except InputError as exc:
        assert "sdn.csv" in str(exc)
        return
    for issue in batch.issues:
        assert issue.file == "sdn.csv" and issue.message
