"""OFAC's XML lists (advanced 2020, enhanced 2025) on real subsets, against the legacy CSV.

The consolidated list exists here in three real forms from three dates: the advanced XML of
2020-03-17, the enhanced XML of 2025-01-10 and the legacy CSV of 2025-12-19. The readers must
give the same ids and the same statements for the facts both formats hold; where a value
differs, the list changed between the two dates, and each such difference is named below.
"""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import BUNDLE, CONS_2025, FIXTURES
from interdiction.sources import InputError, load_paths
from interdiction.sources.base import Batch
from interdiction.sources.load import plan
from interdiction.sources.ofac_xml.model import render_period
from interdiction.sources.ofac_xml.reader import OfacXmlReader, xml_dataset, xml_schema
from interdiction.store import Store, get_entity

LISTS = FIXTURES / "lists"
ADVANCED = LISTS / "ofac_cons_advanced_2020-03-17_subset.xml"
ENHANCED = LISTS / "ofac_cons_enhanced_2025-01-10_subset.xml"
CSV_DATE = datetime(2025, 12, 19)


def read(paths: list[Path], published: datetime | None = None) -> Batch:
    item = plan(paths, published=published)[0]
    batch = Batch.for_fileset(item.fileset)
    item.reader.read(item.fileset, batch, lambda _: None)
    return batch


@pytest.fixture(scope="module")
def csv_batch() -> Batch:
    return read([CONS_2025], CSV_DATE)


@pytest.fixture(scope="module")
def enhanced_batch() -> Batch:
    return read([ENHANCED])


@pytest.fixture(scope="module")
def advanced_batch() -> Batch:
    return read([ADVANCED])


def values(batch: Batch, entity_id: str, prop: str) -> set[str]:
    entity = batch.entities.get(entity_id)
    return set(entity.get(prop, quiet=True)) if entity is not None else set()


# -- recognising and dating the files ------------------------------------------------------


def test_schemas_datasets_and_dates_come_from_the_files() -> None:
    for path, schema, published in (
        (ADVANCED, "advanced", datetime(2020, 3, 17)),
        (ENHANCED, "enhanced", datetime(2025, 1, 10)),
    ):
        head = path.read_bytes()[:65536]
        assert xml_schema(head) == schema
        assert xml_dataset(path, head, schema) == "us_ofac_cons"
        item = plan([path])[0]
        assert item.reader.name == "ofac-xml" and item.fileset.dataset == "us_ofac_cons"
        assert item.fileset.published == published and item.fileset.published_from == "file"
    # The same file under a neutral name is still the consolidated list: read from content.
    assert xml_schema(b"<sdnList>") is None


def test_dates_are_rendered_as_the_csv_writes_them() -> None:
    assert render_period("1962-01-01", "1962-12-31") == "1962"
    assert render_period("1951-01-01", "1953-12-31") == "1951 to 1953"
    assert render_period("1948-12-10", "1948-12-10") == "10 Dec 1948"
    assert render_period("1960-02-01", "1960-02-29") == "Feb 1960"
    assert render_period("1960-02-01", "1960-02-28") == "01 Feb 1960 to 28 Feb 1960"
    assert render_period("1960", None, approximate=True) == "circa 1960"


# -- what the XML holds --------------------------------------------------------------------


def test_advanced_parties_listings_and_relations(advanced_batch: Batch) -> None:
    assert len(advanced_batch.targets) == 36
    assert not advanced_batch.issues
    haniya = advanced_batch.entities["ofac-9639"]
    assert haniya.schema.name == "Person"
    assert haniya.get("name") == ["HANIYA, Ismail Abdul Salah"]
    assert set(haniya.get("alias")) == {"HANIYA, Ismail", "HANIYYA, Ismaeel"}
    assert haniya.get("birthDate") == ["1962"]
    sanction = advanced_batch.entities["ofac-9639-sanction-us_ofac_cons"]
    # The listing date is the Palestinian Legislative Council list's (2006), not the date
    # the consolidated list was created (2014), under which OFAC files every party too.
    assert sanction.get("listingDate") == ["2006-04-12"]
    assert sanction.get("status") == ["Non-SDN Palestinian Legislative Council List"]
    assert "Reject" in sanction.get("provisions")
    # ProfileRelationship 2211: the subsidiary (From) is owned or controlled by Rosneft (To).
    link = advanced_batch.entities["ofac-rel-2211"]
    assert link.schema.name == "Ownership"
    assert link.get("asset") == ["ofac-18267"] and link.get("owner") == ["ofac-17022"]
    assert link.get("role") == ["Owned or Controlled By"] and not link.get("percentage")
    # An owned organisation is an asset: FtM's Company, as OpenSanctions makes it.
    assert advanced_batch.entities["ofac-18267"].schema.name == "Company"
    # Provenance: file, record and the line of the element.
    origin = next(iter(advanced_batch.origins.values()))
    assert origin.file == ADVANCED.name and origin.line


def test_enhanced_adds_names_in_other_scripts(enhanced_batch: Batch) -> None:
    sber = enhanced_batch.entities["ofac-17018"]
    assert sber.get("name") == ["PUBLIC JOINT STOCK COMPANY SBERBANK OF RUSSIA"]
    aliases = set(sber.get("alias"))
    assert {"ПАО СБЕРБАНК", "ПУБЛИЧНОЕ АКЦИОНЕРНОЕ ОБЩЕСТВО СБЕРБАНК РОССИИ"} <= aliases
    assert {"SBERBANK INDIA", "SBERBANK MUMBAI"} <= set(sber.get("weakAlias"))
    cyrillic = [s for s in sber.statements if s.prop == "alias" and s.value == "ПАО СБЕРБАНК"]
    assert cyrillic[0].original_value == "Cyrillic: ПАО СБЕРБАНК"
    han = [
        v
        for e in enhanced_batch.entities.values()
        for v in e.get("alias", quiet=True)
        if any("\u4e00" <= c <= "\u9fff" for c in v)
    ]
    assert han, "the Chinese script names of the CMIC companies"
    # The relationship to an SDN party outside this file points to its OFAC id.
    link = enhanced_batch.entities["ofac-rel-17928"]
    assert link.schema.name == "Representation"
    assert link.get("agent") == ["ofac-9647"] and link.get("client") == ["ofac-4695"]


# -- the XML and the CSV agree on what both hold -------------------------------------------

# Properties both formats carry for the same facts (remarks, alias and address files).
SHARED_PROPS = (
    "name",
    "lastName",
    "firstName",
    "birthDate",
    "birthPlace",
    "nationality",
    "gender",
    "website",
    "email",
    "swiftBic",
    "isinCode",
    "ticker",
    "uscCode",
    "okpoCode",
    "classification",
    "incorporationDate",
    "country",
)


def test_enhanced_and_csv_agree_on_shared_entities(enhanced_batch: Batch, csv_batch: Batch) -> None:
    shared = enhanced_batch.targets & csv_batch.targets
    assert len(shared) >= 30
    disagreements = {
        (eid, prop)
        for eid in shared
        for prop in SHARED_PROPS
        if values(enhanced_batch, eid, prop) != values(csv_batch, eid, prop)
    }
    # The only differences: the legacy CSV pads some equity tickers with a second space
    # before the exchange code ("601698  CN"), which the XML writes "601698 CN".
    assert disagreements and all(prop == "ticker" for _, prop in disagreements)
    for eid, _ in disagreements:
        csv_tickers = {" ".join(t.split()) for t in values(csv_batch, eid, "ticker")}
        assert csv_tickers == values(enhanced_batch, eid, "ticker")
    # Identifiers: everything the January XML holds, the December CSV holds too (OFAC only
    # added identifiers to these records in between).
    for eid in shared:
        for prop in ("taxNumber", "registrationNumber", "innCode", "ogrnCode", "leiCode"):
            assert values(enhanced_batch, eid, prop) <= values(csv_batch, eid, prop), (eid, prop)
    # Addresses keep the CSV's ids (OFAC's address number is the XML Location ID) and text.
    for eid in shared:
        assert values(enhanced_batch, eid, "addressEntity") == values(
            csv_batch, eid, "addressEntity"
        ) or eid in {"ofac-18267", "ofac-18268"}
    # The XML adds non-Latin aliases and nothing else to the Latin ones of the CSV.
    for eid in shared:
        latin = {v for v in values(enhanced_batch, eid, "alias") if v.isascii()}
        assert latin <= values(csv_batch, eid, "alias") | values(csv_batch, eid, "weakAlias")


def test_advanced_2020_and_csv_2025_agree_where_the_list_did_not_change(
    advanced_batch: Batch, csv_batch: Batch
) -> None:
    shared = advanced_batch.targets & csv_batch.targets
    people = {e for e in shared if advanced_batch.entities[e].schema.name == "Person"}
    assert len(people) == 20
    for eid in people:  # the NS-PLC individuals: unchanged since 2014, but for one addition
        for prop in ("name", "alias", "birthDate", "birthPlace", "lastName", "firstName"):
            if (eid, prop) == ("ofac-9647", "birthPlace"):
                # OFAC added his place of birth (and nationality, gender) after March 2020.
                assert not values(advanced_batch, eid, prop)
                assert values(csv_batch, eid, prop) == {"Gaza Strip"}
                continue
            assert values(advanced_batch, eid, prop) == values(csv_batch, eid, prop), (eid, prop)
    # The Russian banks changed after 2022: RUSSIA-EO14024 joined their programs and some
    # were renamed; the 2020 program set is still there.
    for eid in shared:
        assert values(advanced_batch, eid, "program") <= values(csv_batch, eid, "program")
    assert values(advanced_batch, "ofac-17014", "name") == {"RUSSIAN AGRICULTURAL BANK"}
    assert values(csv_batch, "ofac-17014", "name") == {
        "JOINT STOCK COMPANY RUSSIAN AGRICULTURAL BANK"
    }
    assert "RUSSIA-EO14024" in values(csv_batch, "ofac-17014", "program") - values(
        advanced_batch, "ofac-17014", "program"
    )


def test_the_same_statements_whichever_format_comes_first(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.duckdb") as store:
        load_paths(store, [ENHANCED])
        load_paths(store, [CONS_2025], published=CSV_DATE)
        rows = store.con.execute(
            """SELECT prop, first_seen, last_seen, retired FROM statements
            WHERE entity_id = 'ofac-9639' AND prop IN ('name', 'alias', 'birthDate')"""
        ).fetchall()
        # Every fact of the XML version is the same statement in the CSV version: first seen
        # in January (XML), last seen in December (CSV), never retired.
        assert rows and all(
            (first.date().isoformat(), last.date().isoformat(), retired)
            == ("2025-01-10", "2025-12-19", None)
            for _, first, last, retired in rows
        )
        # What only the XML says (names in Cyrillic) is retired by the complete CSV version.
        retired = store.con.execute(
            """SELECT retired FROM statements
            WHERE entity_id = 'ofac-17018' AND value = 'ПАО СБЕРБАНК'"""
        ).fetchall()
        assert retired[0][0] == CSV_DATE


def test_xml_is_preferred_over_csv_in_one_load(tmp_path: Path) -> None:
    folder = tmp_path / "both"
    shutil.copytree(CONS_2025, folder)
    shutil.copy(ENHANCED, folder / ENHANCED.name)
    plans = plan([folder], published=CSV_DATE)
    assert [p.reader.name for p in plans] == ["ofac-xml"]
    assert any("skipped" in note and "cons_prim.csv" in note for note in plans[0].notes)


def test_a_complete_xml_version_retires_what_the_csv_alias_file_said(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.duckdb") as store:
        load_paths(store, [CONS_2025], published=datetime(2024, 12, 1))
        load_paths(store, [ENHANCED])
        # A CSV alias of 2024 that the 2025 XML no longer carries: retired, not kept forever.
        stale = store.con.execute(
            """SELECT count(*) FROM statements WHERE origin_role = 'alias'
            AND retired IS NULL AND entity_id IN (SELECT entity_id FROM entities
            WHERE dataset = 'us_ofac_cons' AND delisted IS NULL)
            AND id NOT IN (SELECT id FROM statements WHERE origin LIKE '%.xml')"""
        ).fetchall()[0][0]
        assert stale == 0
        entity = get_entity(store, "ofac-9639")
        assert entity is not None and "HANIYA, Ismail" in entity.entity.get("alias")


def test_vessel_record_gives_the_csv_statements(tmp_path: Path) -> None:
    """No SDN file in the advanced schema is available here, so this record is constructed:
    ANGARA (ent_num 37059) as the advanced schema writes a vessel, with the values of its
    real 2024 CSV row, and the reference values of the real consolidated file. Both
    readers must give the same vessel facts."""
    head = ADVANCED.read_text(encoding="utf-8")
    refs_end = head.index("</ReferenceValueSets>")
    refs = (
        head[:refs_end]
        .replace(
            "</FeatureTypeValues>",
            '<FeatureType ID="3" FeatureTypeGroupID="1">Vessel Flag</FeatureType>'
            '<FeatureType ID="2" FeatureTypeGroupID="1">VESSEL TYPE</FeatureType>'
            '<FeatureType ID="4" FeatureTypeGroupID="1">Vessel Call Sign</FeatureType>'
            '<FeatureType ID="6" FeatureTypeGroupID="1">Vessel Gross Registered Tonnage</FeatureType>'
            "</FeatureTypeValues>",
        )
        .replace(
            "</IDRegDocTypeValues>",
            '<IDRegDocType ID="1626">Vessel Registration Identification</IDRegDocType>'
            "</IDRegDocTypeValues>",
        )
        .replace(
            "</NamePartTypeValues>",
            '<NamePartType ID="1528">Vessel Name</NamePartType></NamePartTypeValues>',
        )
    )
    record = """</ReferenceValueSets>
  <Locations><Location ID="99001"><LocationCountry CountryID="11171" CountryRelevanceID="1413" /></Location></Locations>
  <IDRegDocuments><IDRegDocument ID="99002" IDRegDocTypeID="1626" IdentityID="99003" ValidityID="1"><Comment /><IDRegistrationNo>IMO 9179842</IDRegistrationNo><IssuingAuthority /></IDRegDocument></IDRegDocuments>
  <DistinctParties><DistinctParty FixedRef="37059"><Comment /><Profile ID="37059" PartySubTypeID="1">
    <Identity ID="99003" FixedRef="37059" Primary="true" False="false">
      <Alias FixedRef="37059" AliasTypeID="1403" Primary="true" LowQuality="false"><DocumentedName ID="99004" FixedRef="37059" DocNameStatusID="1"><DocumentedNamePart><NamePartValue NamePartGroupID="99005" ScriptID="215" ScriptStatusID="1" Acronym="false">ANGARA</NamePartValue></DocumentedNamePart></DocumentedName></Alias>
      <NamePartGroups><MasterNamePartGroup><NamePartGroup ID="99005" NamePartTypeID="1528" /></MasterNamePartGroup></NamePartGroups>
    </Identity>
    <Feature ID="99006" FeatureTypeID="3"><FeatureVersion ID="99007" ReliabilityID="1"><Comment /><VersionLocation LocationID="99001" /></FeatureVersion></Feature>
    <Feature ID="99008" FeatureTypeID="2"><FeatureVersion ID="99009" ReliabilityID="1"><Comment /><VersionDetail DetailTypeID="1432">Roll-on Roll-off</VersionDetail></FeatureVersion></Feature>
    <Feature ID="99010" FeatureTypeID="6"><FeatureVersion ID="99011" ReliabilityID="1"><Comment /><VersionDetail DetailTypeID="1432">8,811</VersionDetail></FeatureVersion></Feature>
  </Profile></DistinctParty></DistinctParties>
  <SanctionsEntries><SanctionsEntry ID="99012" ProfileID="37059" ListID="1550"><EntryEvent ID="99013" EntryEventTypeID="1" LegalBasisID="1"><Comment /><Date CalendarTypeID="1"><Year>2023</Year><Month>5</Month><Day>19</Day></Date></EntryEvent><SanctionsMeasure ID="99014" SanctionsTypeID="1"><Comment>RUSSIA-EO14024</Comment><DatePeriod CalendarTypeID="1" YearFixed="true" MonthFixed="true" DayFixed="true" /></SanctionsMeasure></SanctionsEntry></SanctionsEntries>
</Sanctions>
"""
    path = tmp_path / "sdn_advanced.xml"
    path.write_text(refs + record, encoding="utf-8")
    assert xml_dataset(path, path.read_bytes()[:65536], "advanced") == "us_ofac_sdn"
    xml = read([path]).entities["ofac-37059"]
    csv_rows = [
        line
        for line in (BUNDLE / "sdn.csv").read_bytes().split(b"\r\n")
        if line.startswith(b"37059,")
    ]
    (tmp_path / "csv").mkdir()
    (tmp_path / "csv" / "sdn.csv").write_bytes(csv_rows[0] + b"\r\n\x1a")
    csv = read([tmp_path / "csv" / "sdn.csv"], datetime(2024, 5, 3)).entities["ofac-37059"]
    assert xml.schema.name == csv.schema.name == "Vessel"
    for prop in ("name", "imoNumber", "flag", "type", "grossRegisteredTonnage", "program"):
        assert xml.get(prop) == csv.get(prop), prop
    assert xml.get("imoNumber") == ["IMO9179842"] and xml.get("flag") == ["ru"]


# -- bad input -----------------------------------------------------------------------------


def test_truncated_file_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "cons_advanced.xml"
    path.write_bytes(ADVANCED.read_bytes()[:200_000])
    with Store.open(tmp_path / "s.duckdb") as store:
        with pytest.raises(InputError, match=r"cons_advanced\.xml, line \d+: not well-formed"):
            load_paths(store, [path])
        assert store.con.execute("SELECT count(*) FROM statements").fetchall()[0][0] == 0


def test_broken_records_are_quarantined_and_the_rest_loads(tmp_path: Path) -> None:
    text = ENHANCED.read_text(encoding="utf-8")
    text = text.replace('<entity id="9640">', '<entity id="">', 1)
    text = text.replace("<generalInfo>", "<generalInfo><newField>x</newField>", 1)
    text = text.replace(
        '<type refId="15002">Acting for or on behalf of</type>',
        '<type refId="1">Godparent of</type>',
    )
    path = tmp_path / "cons_enhanced.xml"
    path.write_text(text, encoding="utf-8")
    batch = read([path])
    codes = {(i.level, i.code) for i in batch.issues}
    assert ("quarantined", "bad-record") in codes
    assert ("warning", "unknown-relation") in codes
    assert len(batch.targets) == len(read([ENHANCED]).targets) - 1
    assert batch.entities["ofac-rel-17928"].schema.name == "UnknownLink"


ADVANCED_HEAD = (
    '<?xml version="1.0"?><Sanctions xmlns="http://www.un.org/sanctions/1.0">'
    "<DateOfIssue><Year>2020</Year><Month>3</Month><Day>17</Day></DateOfIssue>"
    '<ReferenceValueSets><PartySubTypeValues><PartySubType ID="4" PartyTypeID="1">Unknown'
    '</PartySubType></PartySubTypeValues><PartyTypeValues><PartyType ID="1">Individual'
    '</PartyType></PartyTypeValues><AliasTypeValues><AliasType ID="1403">Name</AliasType>'
    "</AliasTypeValues></ReferenceValueSets>"
)
PIECES = [
    "<DistinctParties>",
    "</DistinctParties>",
    '<DistinctParty FixedRef="9">',
    "</DistinctParty>",
    '<Profile ID="9" PartySubTypeID="4">',
    "</Profile>",
    '<Identity ID="1" Primary="true"><Alias AliasTypeID="1403" Primary="true">',
    "<DocumentedName><DocumentedNamePart><NamePartValue>KIM</NamePartValue>"
    "</DocumentedNamePart></DocumentedName></Alias></Identity>",
    '<Feature FeatureTypeID="77"><FeatureVersion><DatePeriod><Start><From><Year>x</Year>'
    "</From></Start></DatePeriod></FeatureVersion></Feature>",
    "<SanctionsEntries>",
    '<SanctionsEntry ProfileID="9" ListID="5"/>',
    "</SanctionsEntries>",
    "<Junk/>",
    "&amp;",
]


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.sampled_from(PIECES), max_size=16), st.booleans())
def test_garbage_never_crashes(tmp_path: Path, parts: list[str], enhanced: bool) -> None:
    path = tmp_path / "fuzz.xml"
    if enhanced:
        body = (
            "".join(parts)
            .replace("DistinctParties", "entities")
            .replace("DistinctParty FixedRef", "entity id")
            .replace("DistinctParty", "entity")
        )
        text = (
            '<?xml version="1.0"?><sanctionsData xmlns="https://sanctionslistservice.ofac.treas'
            '.gov/api/PublicationPreview/exports/ENHANCED_XML"><publicationInfo><dataAsOf>'
            f"2025-01-10T00:00:00</dataAsOf></publicationInfo>{body}</sanctionsData>"
        )
    else:
        text = ADVANCED_HEAD + "".join(parts) + "</Sanctions>"
    path.write_text(text, encoding="utf-8")
    reader = OfacXmlReader()
    try:
        item = plan([path], fmt="ofac-xml", published=datetime(2025, 1, 1))[0]
        batch = Batch.for_fileset(item.fileset)
        reader.read(item.fileset, batch, lambda _: None)
    except InputError as exc:
        assert "fuzz.xml" in str(exc)
        return
    for issue in batch.issues:
        assert issue.message and issue.file == "fuzz.xml"
