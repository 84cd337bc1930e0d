"""Canada's SEMA list (real subset of April 2020) and Australia's DFAT list (the real
2024-11-11 workbook bundled in data/lists/more)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, REPO
from interdiction.sources import InputError
from interdiction.sources.base import Batch
from interdiction.sources.ca_sema import entity_id as ca_id
from interdiction.sources.ca_sema import split_aliases
from interdiction.sources.freetext import date_alternatives, day_first_date
from interdiction.sources.load import plan

CA = FIXTURES / "lists" / "ca_sema_lmes_2020-04-15_subset.xml"
AU = REPO / "data" / "lists" / "more" / "au_dfat_consolidated_2024-11-11.xlsx"


def read(path: Path, published: datetime | None = None) -> Batch:
    item = plan([path], published=published)[0]
    batch = Batch.for_fileset(item.fileset)
    item.reader.read(item.fileset, batch, lambda _: None)
    return batch


# -- Canada -------------------------------------------------------------------------------


def test_canada_records_ids_and_odd_fields() -> None:
    item = plan([CA])[0]
    assert item.reader.name == "ca-sema-xml" and item.fileset.dataset == "ca_dfatd_sema_sanctions"
    # The file carries no date: it comes from the name, and the load says so.
    assert item.fileset.published_from == "file name"
    batch = read(CA)
    assert len(batch.targets) == 94 and not batch.issues
    akimov = batch.entities[ca_id("Russia / Russie", "1", "94")]
    assert akimov.get("name") == ["Andrey Igorevich AKIMOV"]
    assert akimov.get("birthDate") == ["1953-09-22"]
    # "Andrei" alone is another spelling of his given name: with the surname it is a name.
    alias = next(s for s in akimov.statements if s.prop == "alias")
    assert alias.value == "Andrei AKIMOV" and alias.original_value == "Andrei"
    jvcfor = next(
        v for v in (e.get("program") for e in batch.entities.values()) if v and "JVCFOR" in v[0]
    )[0]
    abahussain = batch.entities[ca_id(jvcfor, "1", "54")]
    assert abahussain.id == "ca-sema-jvcfor-1-54"
    assert set(abahussain.get("birthDate")) == {"1972-08-10", "1972-08-11"}
    assert abahussain.get("program") == [
        "Justice for Victims of Corrupt Foreign Officials Regulations (JVCFOR)"
    ]
    assert ca_id("Burma / Birmanie", "1, Part 2", "3") == "ca-sema-burma-1-part-2-3"
    assert split_aliases("Air Bagan Holdings Pte. Ltd., Air Bagan Limited") == [
        "Air Bagan Holdings Pte. Ltd.",
        "Air Bagan Limited",
    ]
    assert split_aliases("Foo Trading, Ltd., Bar") == ["Foo Trading, Ltd.", "Bar"]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.sampled_from(
            [
                "<record>",
                "</record>",
                "<Country>Iran</Country>",
                "<LastName>X</LastName>",
                "<Entity>Y</Entity>",
                "<Item>1</Item>",
                "<Schedule>N/A</Schedule>",
                "<DateOfBirth>1999-02-30 or x</DateOfBirth>",
                "<Aliases>, ,Ltd.</Aliases>",
                "<Ship>Z</Ship>",
                "&amp;",
            ]
        ),
        max_size=14,
    )
)
def test_canada_garbage_never_crashes(tmp_path: Path, parts: list[str]) -> None:
    path = tmp_path / "fuzz.xml"
    path.write_text(f'<?xml version="1.0"?><data-set>{"".join(parts)}</data-set>', "utf-8")
    path.write_text(
        '<?xml version="1.0"?><data-set><record><Country>A</Country></record>'
        + "".join(parts)
        + "</data-set>",
        encoding="utf-8",
    )
    try:
        batch = read(path, datetime(2020, 1, 1))
    except InputError as exc:
        assert "fuzz.xml" in str(exc)
        return
    assert all(i.message and i.file == "fuzz.xml" for i in batch.issues)


# -- Australia ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def au() -> Batch:
    return read(AU)


def _number(reference: object) -> str:
    """``1113``, ``1113a``, ``2529b1`` -> ``1113``, ``1113``, ``2529``."""
    text = str(reference).strip()
    digits = ""
    for char in text:
        if not char.isdigit():
            break
        digits += char
    return digits


def test_australia_references_group_into_targets(au: Batch) -> None:
    workbook = openpyxl.load_workbook(AU, read_only=True)
    numbers = {
        _number(row[0])
        for row in workbook.worksheets[0].iter_rows(min_row=2, values_only=True)
        if row[0] is not None
    }
    workbook.close()
    assert {t.removeprefix("au-dfat-") for t in au.targets} == numbers
    assert len(au.targets) == 3062
    assert au.fileset.dataset == "au_dfat_sanctions"
    workbook = openpyxl.load_workbook(AU, read_only=True)
    dprk_refs = {
        _number(row[0])
        for row in workbook.worksheets[0].iter_rows(min_row=2, values_only=True)
        if row[0] is not None and row[10] and "DPRK" in str(row[10])
    }
    workbook.close()
    dprk = [e for e in au.targets if any("DPRK" in p for p in au.entities[e].get("program"))]
    assert len(dprk) == len(dprk_refs) == 211


def test_australia_dprk_records(au: Batch) -> None:
    komid = au.entities["au-dfat-1113"]
    assert komid.get("name") == ["Korea Mining Development Trading Corporation"]
    assert {"KOMID", "Changgwang Sinyong Corporation"} <= set(komid.get("alias"))
    assert komid.get("program") == ["1718 (DPRK)"]
    assert au.entities["au-dfat-1113-sanction"].get("listingDate") == ["2009-04-24"]
    # A shipping firm's company IMO number, kept as such.
    assert au.entities["au-dfat-3164"].get("imoNumber") == ["IMO5342883"]
    assert au.entities["au-dfat-3164"].schema.name == "Organization"
    # OMM's number passes both check digits; its name says it is a company.
    assert au.entities["au-dfat-2947"].schema.name == "Organization"
    choe = au.entities["au-dfat-7795"]
    assert choe.get("birthDate") == ["1966-01-20"] and choe.get("nationality") == ["kp"]
    assert choe.get("passportNumber") == ["836210034"]
    scripts = [
        s
        for e in au.entities.values()
        for s in e.statements
        if s.original_value and s.original_value.startswith("original script:")
    ]
    assert len({s.entity_id for s in scripts}) > 300


def test_day_first_dates_and_alternatives() -> None:
    assert day_first_date("1/01/1968") == "1968-01-01"
    assert day_first_date("23-Apr-68") == "1968-04-23"
    assert day_first_date("07/04/62") == "1962-04-07"
    assert date_alternatives("21/09/1964; alt DOB: 1962") == ["21/09/1964", "1962"]
    assert date_alternatives("a) Approximately 1955- 1958 b) 1960") == [
        "Approximately 1955- 1958",
        "1960",
    ]
    assert date_alternatives("approximately 1977/1978") == ["approximately 1977", "1978"]


def _workbook(path: Path, rows: list[list[Any]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(
        [
            "Reference",
            "Name of Individual or Entity",
            "Type",
            "Name Type",
            "Date of Birth",
            "Place of Birth",
            "Citizenship",
            "Address",
            "Additional Information",
            "Listing Information",
            "Committees",
            "Control Date",
        ]
    )
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_australia_bad_rows_are_quarantined(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "regulation8_consolidated.xlsx",
        [
            [1113, "Korea Mining Development Trading Corporation", "Entity", "Primary Name"],
            ["x-1", "Nobody", "Individual", "Primary Name"],
            [1114, "Korea Ryonbong General Corporation", "Planet", "Primary Name"],
            ["1113a", "KOMID", "Entity", "aka"],
        ],
    )
    batch = read(path, datetime(2024, 11, 11))
    assert batch.targets == {"au-dfat-1113"}
    codes = {(i.code, i.line) for i in batch.issues}
    assert ("bad-key", 3) in codes and ("bad-record", 4) in codes
    not_xlsx = tmp_path / "other.xlsx"
    not_xlsx.write_bytes(b"PK\x03\x04 broken")
    with pytest.raises(InputError, match="not a list format"):
        plan([not_xlsx], published=datetime(2024, 1, 1))


CELL = st.one_of(
    st.none(),
    st.integers(-5, 3000),
    st.sampled_from(["1113", "1113a", "Entity", "Individual", "aka", "Primary Name", "a) x b)"]),
    st.text(max_size=12),
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2030, 1, 1)),
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.lists(CELL, min_size=4, max_size=12), max_size=5))
def test_australia_garbage_never_crashes(tmp_path: Path, rows: list[list[Any]]) -> None:
    clean = [
        [c if not isinstance(c, str) else "".join(ch for ch in c if ch.isprintable()) for c in r]
        for r in rows
    ]
    path = _workbook(tmp_path / "regulation8_consolidated.xlsx", clean)
    try:
        batch = read(path, datetime(2024, 1, 1))
    except InputError as exc:
        assert "regulation8_consolidated.xlsx" in str(exc)
        return
    assert all(i.message for i in batch.issues)
