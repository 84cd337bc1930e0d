"""The EU Financial Sanctions Files XML on two real extracts of the 2020-04-15 export.

The mixed extract holds one record twice, the second copy's name edited by the third party
that published the extract ("TestOneWord"): it is read as data and reported, and no test
takes it as a fact about anyone.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES
from interdiction.sources import InputError, load_paths
from interdiction.sources.base import Batch
from interdiction.sources.load import plan
from interdiction.store import Store

MIXED = FIXTURES / "lists" / "eu_fsf_xml_2020-04-15_extract_mixed7.xml"
IRQ = FIXTURES / "lists" / "eu_fsf_xml_2020-04-15_extract_IRQ7.xml"


def read(path: Path) -> Batch:
    item = plan([path])[0]
    batch = Batch.for_fileset(item.fileset)
    item.reader.read(item.fileset, batch, lambda _: None)
    return batch


def test_records_names_languages_and_regulations() -> None:
    item = plan([IRQ])[0]
    assert item.reader.name == "eu-xml" and item.fileset.dataset == "eu_fsf"
    assert item.fileset.published == datetime(2020, 4, 15, 13, 29, 22, 497000)  # UTC
    batch = read(IRQ)
    assert len(batch.targets) == 7 and not batch.issues
    saddam = batch.entities["eu-fsf-13"]
    assert saddam.get("name") == ["Saddam Hussein Al-Tikriti"]
    french = [s for s in saddam.statements if s.prop == "alias" and s.lang == "fra"]
    assert french, "the French-language aliases keep their language"
    assert saddam.get("birthDate") == ["1937-04-28"]
    assert saddam.get("nationality") == ["iq"]
    sanction = batch.entities["eu-fsf-13-sanction"]
    assert sanction.get("authorityId") == ["EU.27.28"]
    assert sanction.get("program") == ["IRQ"]
    assert any("2003" in p for p in sanction.get("provisions"))


def test_dprk_record_and_documents() -> None:
    batch = read(MIXED)
    han = batch.entities["eu-fsf-5463"]
    assert han.get("name") == ["Yu-ro Han"]
    assert han.get("position") == ["Director of Korea Ryongaksan General Trading Corporation"]
    assert han.get("program") == ["PRK"]
    assert batch.entities["eu-fsf-5463-sanction"].get("authorityId") == ["EU.4011.64"]
    aouadi = batch.entities["eu-fsf-927"]
    assert set(aouadi.get("passportNumber")) == {"L191609"}
    assert set(aouadi.get("idNumber")) == {"04643632"}
    passports = [e for e in batch.entities.values() if e.schema.name == "Passport"]
    assert any(p.get("holder") == ["eu-fsf-927"] and p.get("country") == ["tn"] for p in passports)
    # An address remark is kept with the address.
    addresses = [e for e in batch.entities.values() if e.schema.name == "Address"]
    assert any("Italian Fiscal Code" in " ".join(a.get("remarks")) for a in addresses)


def test_a_record_given_twice_is_reported_with_what_differs() -> None:
    batch = read(MIXED)
    duplicates = [i for i in batch.issues if i.code == "duplicate-record"]
    assert len(duplicates) == 1
    issue = duplicates[0]
    assert issue.record == "5468" and issue.line and "first at line 43" in issue.message
    assert "nameAlias 7111" in issue.message  # the copies disagree on one name
    # Both copies are data; the record keys its entity once.
    assert "Sok-hwa Hwang" in batch.entities["eu-fsf-5468"].get("name")
    assert len(batch.targets) == 6


def test_loads_into_the_store_with_provenance(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.duckdb") as store:
        reports, _ = load_paths(store, [IRQ])
        assert reports[0].counts["targets"] == 7
        row = store.con.execute(
            """SELECT origin, origin_line, origin_record FROM statements
            WHERE entity_id = 'eu-fsf-13' AND prop = 'birthDate'"""
        ).fetchall()[0]
    assert row[0] == IRQ.name and row[1] and row[2] == "13"


def test_wrong_root_and_truncated_file(tmp_path: Path) -> None:
    truncated = tmp_path / "eu.xml"
    truncated.write_bytes(IRQ.read_bytes()[:5000])
    with pytest.raises(InputError, match=r"eu\.xml, line \d+: not well-formed"):
        read(truncated)
    bad = tmp_path / "eu2.xml"
    bad.write_text(
        '<?xml version="1.0"?><export xmlns="http://eu.europa.ec/fpi/fsd/export" '
        'generationDate="2020-01-01T00:00:00"></export>',
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="no sanctionEntity"):
        read(bad)


PIECES = [
    '<sanctionEntity logicalId="1" euReferenceNumber="EU.1.1" unitedNationId="KPi.001">',
    '<sanctionEntity logicalId="">',
    "</sanctionEntity>",
    '<subjectType code="person"/>',
    '<subjectType code="alien"/>',
    '<nameAlias wholeName="KIM" strong="false" nameLanguage="XX"/>',
    '<birthdate birthdate="1999-02-31" year="1999" monthOfYear="13"/>',
    '<citizenship countryIso2Code="00" countryDescription="UNKNOWN"/>',
    '<identification number="" identificationTypeCode="passport"/>',
    '<address city="-" countryIso2Code="ZZ"><contactInfo key="PHONE" value="+1"/></address>',
    "<unknown/>",
    "&amp;",
]


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.sampled_from(PIECES), max_size=14))
def test_garbage_never_crashes(tmp_path: Path, parts: list[str]) -> None:
    path = tmp_path / "fuzz.xml"
    path.write_text(
        '<?xml version="1.0"?><export xmlns="http://eu.europa.ec/fpi/fsd/export" '
        f'generationDate="2020-01-01T00:00:00">{"".join(parts)}</export>',
        encoding="utf-8",
    )
    try:
        batch = read(path)
    except InputError as exc:
        assert "fuzz.xml" in str(exc)
        return
    for issue in batch.issues:
        assert issue.message and issue.file == "fuzz.xml"
