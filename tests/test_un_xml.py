"""The UN Security Council consolidated list reader on the real 2026-02-27 file."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import BUNDLE
from interdiction.sources import InputError, load_paths
from interdiction.sources.base import Batch
from interdiction.sources.load import plan
from interdiction.store import Store, get_entity

UN_FILE = BUNDLE / "un_sc_consolidated.xml"


def test_dprk_records_with_references(loaded_store_path: Path) -> None:
    with Store.open(loaded_store_path, read_only=True) as store:
        rows = store.con.execute(
            """SELECT DISTINCT s.entity_id, u.value FROM statements s
            JOIN statements u ON u.entity_id = s.entity_id || '-sanction' AND u.prop = 'unscId'
            WHERE s.dataset = 'un_sc_sanctions' AND s.prop = 'program' AND s.value = 'DPRK'"""
        ).fetchall()
        published = store.con.execute(
            "SELECT published FROM datasets WHERE name = 'un_sc_sanctions'"
        ).fetchall()[0][0]
    assert len(rows) == 155
    refs = {ref for _, ref in rows}
    assert all(ref.startswith(("KPi.", "KPe.")) for ref in refs)
    assert sum(ref.startswith("KPi.") for ref in refs) == 80
    assert all(eid == f"unsc-{ref}" for eid, ref in rows)
    assert published.date().isoformat() == "2026-02-27"  # dateGenerated, not the load time


def test_entity_fields(loaded_store_path: Path) -> None:
    with Store.open(loaded_store_path, read_only=True) as store:
        komid = get_entity(store, "unsc-KPe.001")
        assert komid is not None
        assert komid.entity.get("name") == ["KOREA MINING DEVELOPMENT TRADING CORPORATION"]
        assert "CHANGGWANG SINYONG CORPORATION" in komid.entity.get("alias")
        assert komid.entity.get("country") == ["kp"]
        sanction = get_entity(store, "unsc-KPe.001-sanction")
        assert sanction is not None
        assert sanction.entity.get("listingDate") == ["2009-04-24"]
        assert sanction.entity.get("unscId") == ["KPe.001"]
        # f.k.a. becomes previousName (OpenSanctions' mapping of UN alias quality).
        ryonbong = get_entity(store, "unsc-KPe.002")
        assert ryonbong is not None
        assert "LYONGAKSAN GENERAL TRADING CORPORATION" in ryonbong.entity.get("previousName")
        # Company IMO numbers written in COMMENTS1 of DPRK shipping firms.
        chongchongang = get_entity(store, "unsc-KPe.022")
        assert chongchongang is not None and chongchongang.entity.get("imoNumber") == ["IMO5342883"]
        yun = get_entity(store, "unsc-KPi.001")
        assert yun is not None
        assert yun.entity.get("birthDate") == ["1944-10-13"]
        assert yun.entity.get("nationality") == ["kp"]
        assert "Yun Ho-chin" in yun.entity.get("alias")


def test_original_script_names(loaded_store_path: Path) -> None:
    with Store.open(loaded_store_path, read_only=True) as store:
        cyrillic = store.con.execute(
            """SELECT count(DISTINCT entity_id) FROM statements
            WHERE dataset = 'un_sc_sanctions' AND prop = 'alias'
              AND regexp_matches(value, '[\\x{0400}-\\x{04FF}]')"""
        ).fetchall()[0][0]
    assert cyrillic > 0


def _truncate(tmp_path: Path, keep: int) -> Path:
    data = UN_FILE.read_bytes()[:keep]
    path = tmp_path / "consolidated.xml"
    path.write_bytes(data)
    return path


def test_truncated_file_names_the_line(tmp_path: Path) -> None:
    path = _truncate(tmp_path, 500_000)
    with Store.open(tmp_path / "s.duckdb") as store:
        with pytest.raises(InputError, match=r"consolidated\.xml, line \d+: not well-formed XML"):
            load_paths(store, [path])
        assert store.con.execute("SELECT count(*) FROM statements").fetchall()[0][0] == 0


def test_unknown_element_is_reported(tmp_path: Path) -> None:
    text = UN_FILE.read_text(encoding="utf-8").replace(
        "<REFERENCE_NUMBER>KPe.001</REFERENCE_NUMBER>",
        "<REFERENCE_NUMBER>KPe.001</REFERENCE_NUMBER><NEW_FIELD>x</NEW_FIELD>",
    )
    path = tmp_path / "consolidated.xml"
    path.write_text(text, encoding="utf-8")
    with Store.open(tmp_path / "s.duckdb") as store:
        load_paths(store, [path])
        rows = store.con.execute(
            "SELECT record, line, message FROM load_issues WHERE code = 'unknown-element'"
        ).fetchall()
    assert rows and rows[0][0] == "KPe.001" and "<NEW_FIELD>" in rows[0][2] and rows[0][1]


def test_record_without_reference_is_quarantined(tmp_path: Path) -> None:
    text = UN_FILE.read_text(encoding="utf-8").replace(
        "<REFERENCE_NUMBER>KPe.002</REFERENCE_NUMBER>", "", 1
    )
    path = tmp_path / "consolidated.xml"
    path.write_text(text, encoding="utf-8")
    with Store.open(tmp_path / "s.duckdb") as store:
        reports, _ = load_paths(store, [path])
    assert reports[0].counts["quarantined"] == 1
    assert reports[0].counts["targets"] == 1002


XML_HEAD = '<?xml version="1.0"?><CONSOLIDATED_LIST dateGenerated="2026-01-01T00:00:00Z">'


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.sampled_from(
            [
                "<INDIVIDUALS>",
                "</INDIVIDUALS>",
                "<INDIVIDUAL>",
                "</INDIVIDUAL>",
                "<REFERENCE_NUMBER>KPi.9</REFERENCE_NUMBER>",
                "<FIRST_NAME>KIM</FIRST_NAME>",
                "<INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>x</ALIAS_NAME></INDIVIDUAL_ALIAS>",
                "<INDIVIDUAL_DATE_OF_BIRTH><DATE>31-02-1960</DATE></INDIVIDUAL_DATE_OF_BIRTH>",
                "<ENTITIES>",
                "</ENTITIES>",
                "<ENTITY>",
                "</ENTITY>",
                "&amp;",
                "<X/>",
                "garbage",
            ]
        ),
        max_size=20,
    )
)
def test_garbage_never_crashes(tmp_path: Path, parts: list[str]) -> None:
    path = tmp_path / "fuzz.xml"
    path.write_text(XML_HEAD + "".join(parts) + "</CONSOLIDATED_LIST>", encoding="utf-8")
    item = plan([path], published=datetime(2026, 1, 1))[0]
    batch = Batch.for_fileset(item.fileset)
    try:
        item.reader.read(item.fileset, batch, lambda _: None)
    except InputError as exc:
        assert "fuzz.xml" in str(exc)
