"""Screening against the bundled real lists (OFAC SDN 2024, UN 2026): index, results,
identifiers, filters, decisions, and the yente-compatible API."""

from __future__ import annotations

import csv
import json
import shutil
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from conftest import CONS_2025, SDN_2021
from interdiction import screening
from interdiction.api import create_app
from interdiction.cli import main
from interdiction.screening import Filters, QueryError
from interdiction.store import Store


@pytest.fixture(scope="session")
def index_store(loaded_store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the bundled store with its screening index saved beside it."""
    path = tmp_path_factory.mktemp("screening") / "lists.duckdb"
    shutil.copy(loaded_store_path, path)
    with Store.open(path, read_only=True) as store:
        screening.save_index(screening.build_index(store), screening.index_path(store))
    return path


@pytest.fixture(scope="session")
def index(index_store: Path) -> screening.ScreeningIndex:
    with Store.open(index_store, read_only=True) as store:
        return screening.load_index(store)


@pytest.fixture()
def indexed_copy(index_store: Path, tmp_path: Path) -> Path:
    """A private copy of the store and its index, for tests that write decisions."""
    path = tmp_path / "copy.duckdb"
    shutil.copy(index_store, path)
    shutil.copy(str(index_store) + ".screening.idx", str(path) + ".screening.idx")
    return path


def person(name: str, **props: list[str]) -> dict[str, object]:
    return {"schema": "Person", "properties": {"name": [name], **props}}


def assert_finds(index: screening.ScreeningIndex, query: str, listed: str, schema: str) -> None:
    """Screening the query matches the entity that has the listed name."""
    entity = next(e for e in index.entities if any(n.text == listed for n in e.names))
    result = screening.screen(index, {"schema": schema, "properties": {"name": [query]}})
    assert entity.id in [r.entity.id for r in result.results if r.match], query


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        # Real aliases (UN and UK lists) of SDN persons, the Arabic vowels written otherwise:
        # no listed word shares a key with the query's common given names but these.
        ("HIJAZI, Muhammad Husayn", "HIJAZI, Mohamad Hussein"),
        ("MAKHLOUF, Eyad", "MAKHLUF, Iyad"),
        ("YAZBECK, Mohammad", "YAZBAK, Muhammad"),
        ("KHALIL, Hossein", "AL-KHALIL, Husayn"),
    ],
)
def test_arabic_vowels_written_otherwise_find_the_listed_person(
    index: screening.ScreeningIndex, query: str, listed: str
) -> None:
    assert_finds(index, query, listed, "Person")


@pytest.mark.parametrize("query", ["KIM JONG UN", "김정은", "金正恩", "Ким Чен Ын"])
def test_kim_jong_un_is_found_first_in_every_script(
    index: screening.ScreeningIndex, query: str
) -> None:
    result = screening.screen(index, query)
    assert result.results, query
    top = result.results[0]
    assert top.entity.id == "ofac-20157" and top.match and top.score >= 0.9
    assert "name_match" in top.features and top.features["name_match"].detail
    # Every result names the list versions it was screened against.
    assert {v["dataset"] for v in result.lists} == {"us_ofac_sdn", "un_sc_sanctions"}


@pytest.mark.parametrize("query", ["Jin Zhengen", "JIN Zheng'en", "Chin Cheng-en"])
def test_kim_jong_un_is_found_by_the_mandarin_reading_of_his_name(
    index: screening.ScreeningIndex, query: str
) -> None:
    """金正恩 romanised from Chinese records (pinyin, Wade-Giles): a pinyin query's words
    first reach listed Chinese and Korean names spelt alike (RYU Jin); the Korean name whose
    every syllable it reads is still a candidate, and the match explains the reading."""
    result = screening.screen(index, person(query))
    top = result.results[0]
    assert top.entity.id == "ofac-20157" and top.match, query
    assert "Mandarin" in top.features["name_match"].detail


def test_kim_jong_man_is_not_kim_jong_un(index: screening.ScreeningIndex) -> None:
    result = screening.screen(index, person("KIM Jong Man"))
    matches = [r.entity.id for r in result.results if r.match]
    assert "ofac-20157" not in matches


def test_organisation_in_hangul_finds_the_listed_bank(index: screening.ScreeningIndex) -> None:
    result = screening.screen(
        index, {"schema": "Organization", "properties": {"name": ["조선광선은행"]}}
    )
    assert result.results[0].match
    assert "KWANGSON" in result.results[0].entity.caption


def test_vessel_imo_decides(index: screening.ScreeningIndex) -> None:
    result = screening.screen(
        index, {"schema": "Vessel", "properties": {"imoNumber": ["IMO 9179842"]}}
    )
    top = result.results[0]
    assert top.entity.caption == "ANGARA" and top.match
    assert "vessel_imo_match" in top.features


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        # English words in the Russian spelling of real SDN entries, and back.
        ("Khimtrade", "KHIMTREID"),
        ("Tagras Business Service LLC", "TAGRAS BIZNESSERVIS LIMITED LIABILITY COMPANY"),
    ],
)
def test_english_words_in_russian_spelling_are_found(
    index: screening.ScreeningIndex, query: str, listed: str
) -> None:
    result = screening.screen(index, {"schema": "Company", "properties": {"name": [query]}})
    assert result.results and result.results[0].match, query
    assert result.results[0].entity.caption == listed


def test_the_arabic_article_written_on_or_apart_is_found(index: screening.ScreeningIndex) -> None:
    """ALSHAER finds AL-SHAER and back: the candidate search keys the joined word without
    its article, as the pair score compares it."""
    from interdiction.screening.index import token_keys
    from interdiction.screening.names import Token

    assert "t:shaer" in token_keys(Token("alshaer", "ALSHAER"), False)
    listed = next(
        e
        for e in index.entities
        if e.schema == "Person"
        and any(n.text.startswith("AL-") and len(n.text.split(",")[0]) >= 9 for n in e.names)
    )
    name = next(n.text for n in listed.names if n.text.startswith("AL-"))
    joined = name.replace("AL-", "AL", 1)
    result = screening.screen(index, person(joined))
    assert listed.id in [r.entity.id for r in result.results if r.match], (joined, name)


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        # Aliases of other lists (UK, UN): the query's other words are spelt otherwise
        # (Abdulhakem) or not in the listed name (Hashim, Ahssan Ismail), so no listed
        # person covers half the query; those covering a third are scored.
        ("AL-KHAIWANI, Abdulhakem Hashim", "AL-KHAIWANI, Abdul Hakim"),
        ("AL-MADANI, Yousef Ahssan Ismail", "AL-MADANI, Yusuf"),
    ],
)
def test_a_person_covered_by_a_third_is_scored_when_none_covers_half(
    index: screening.ScreeningIndex, query: str, listed: str
) -> None:
    assert_finds(index, query, listed, "Person")


def test_a_somali_spelling_is_proposed_by_its_arabic_consonants() -> None:
    """XIRSI is HERSI and Cabdulle ABDULLAH (Somali x is h, c is 'ayn): a listed word in
    either spelling is looked up by the other's consonants, as the pair score reads them;
    a firm's LUMIX, whose x ends the word, gets no such key."""
    from interdiction.screening.index import token_keys
    from interdiction.screening.matching import _variant_keys
    from interdiction.screening.names import Token

    for somali, other in (("xirsi", "hersi"), ("cabdulle", "abdulla"), ("xasan", "hassan")):
        listed = token_keys(Token(somali, somali.upper()), False, True)
        asked = token_keys(Token(somali, somali.upper()), False)
        a_key = next(k for k in asked if k.startswith("a:"))
        assert a_key in listed
        assert a_key in _variant_keys(other, True), (somali, other)
    assert not [k for k in token_keys(Token("lumix", "LUMIX"), False) if k.startswith("a:")]


def test_east_slavic_given_names_and_joined_words_are_proposed(
    index: screening.ScreeningIndex,
) -> None:
    """The candidate search proposes what the pair score matches: a Belarusian given name
    for the Russian one and back, and two words a listed name writes as one, in another
    spelling (the index's keys, checked on the bundled SDN)."""
    from interdiction.screening.index import token_keys
    from interdiction.screening.matching import _variant_keys
    from interdiction.screening.names import Token

    assert "s:igor" in token_keys(Token("ihar", "Ihar"), False)  # listed Ihar, query Igor
    assert "s:igor" in _variant_keys("ihar", True)  # query Ihar, listed Igor
    assert not [k for k in _variant_keys("igor", True) if k.startswith("s:ih")]
    # A Belarusian surname keys as Russian, Ukrainian and Belarusian spellings meet, and a
    # query in the Russian spelling looks it up (HALAVANAU ~ GOLOVANOV).
    b_key = next(k for k in token_keys(Token("halavanau", "HALAVANAU"), False, True) if k[0] == "b")
    assert b_key in _variant_keys("golovanov", True)
    assert b_key not in _variant_keys("golovin", True)
    listed = next(
        e for e in index.entities if any(n.text == "PUREBRAHIM, Ali Akbar" for n in e.names)
    )
    result = screening.screen(index, person("POUR-EBRAHIM, Ali-Akbar"))
    assert result.results and result.results[0].entity.id == listed.id
    # Three words a list writes as one (NAM CHON GANG ~ NAMCHONGANG) are looked up joined.
    from interdiction.screening.matching import _query_units
    from interdiction.screening.transliteration import ORGANISATION, analyse

    reading = analyse("NAM CHON GANG CORPORATION", ORGANISATION).readings[0]
    keys = {k for unit in _query_units(reading, index.stats) for k in unit[1]}
    assert "t:namchongang" in keys


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        # A common given name: every listed Muammar covers it, the family name in another
        # spelling (GADDAFI ~ QADHAFI) no key finds; the lightest of them is proposed first.
        ("AL-GADDAFI, Muammar", "QADHAFI, Muammar"),
        ("AL-GADDAFI, Khamis", "QADHAFI, Khamis"),
        # A word written so on one listed name only (another CHERRI) still looks up its
        # one-edit keys.
        ("CHERRI, Amin", "SHERRI, Amin"),
    ],
)
def test_a_rare_spelling_or_a_common_name_still_finds_the_listed_person(
    index: screening.ScreeningIndex, query: str, listed: str
) -> None:
    assert_finds(index, query, listed, "Person")


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        # Russian names as German, French and Polish write them.
        ("Jewgeni Prigoschin", "PRIGOZHIN, Yevgeniy Viktorovich"),
        ("Sergej Schoigu", "SHOIGU, Sergei Kuzhugetovich"),
        ("Siergiej Szojgu", "SHOIGU, Sergei Kuzhugetovich"),
        ("Jurij Tschaika", "CHAYKA, Yuriy Yakovlevich"),
        ("Nikolaï Patrouchev", "PATRUSHEV, Nikolai Platonovich"),
        ("Igor Setchine", "SECHIN, Igor Ivanovich"),
        # French ch for ш, with no other French mark: the surname's shape says Russian.
        ("Kirill Chamalov", "SHAMALOV, Kirill Nikolaevich"),
        # A capital letter that does not decompose (Ł) is folded too.
        ("Aleksandr ŁUKASZENKA", "LUKASHENKA, Alyaksandr Ryhorovich"),
    ],
)
def test_russian_names_in_european_spellings_find_the_listed_person(
    index: screening.ScreeningIndex, query: str, listed: str
) -> None:
    assert_finds(index, query, listed, "Person")


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        # The Russian names of listed Russian firms: a word translated in the plural
        # (ракетное = missile, listed MISSILES), a compound (Госкорпорация = state
        # corporation), an abbreviation (ЧВК = PMC, private military company).
        ("АО «Корпорация Тактическое ракетное вооружение»", "TACTICAL MISSILES CORPORATION JSC"),
        ("Госкорпорация Ростех", "STATE CORPORATION ROSTEC"),
        ("ЧВК «Вагнер»", "PRIVATE MILITARY COMPANY 'WAGNER'"),
    ],
)
def test_russian_firm_names_find_the_listed_firm(
    index: screening.ScreeningIndex, query: str, listed: str
) -> None:
    assert_finds(index, query, listed, "Organization")


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        # A firm's name read as parts (VOLGOGRAD-NEFTE-MASH) covers its own word only when
        # all its parts are found: the listed firm of that very word comes first.
        ("JSC VOLGOGRADNEFTEMASH", "VOLGOGRADNEFTEMASH"),
        ("KURGANMASHZAVOD PJSC", "KURGANMASHZAVOD"),
        ("JOINT STOCK COMPANY TULAMASHZAVOD", "TULA MACHINE BUILDING PLANT"),
        # A compound of RADIO- finds the firm of its own word before others of RADIO-.
        ("OAO RADIOPRIBOR", "JOINT STOCK COMPANY RADIOPRIBOR"),
        # An English word in Russian spelling, however short (TEKH = TECH), is looked up
        # as the English word too.
        ("AKTSIONERNOE OBSHCHESTVO TERRA TEKH", "JOINT STOCK COMPANY TERRA TECH"),
        # An adjective of place finds the place (ARZAMASSKIY: ARZAMAS).
        (
            "PUBLICHNOE AKTSIONERNOE OBSCHESTVO ARZAMASSKIY MASHINOSTROITELNYI ZAVOD",
            "ARZAMAS MACHINE BUILDING PLANT",
        ),
    ],
)
def test_russian_compound_and_place_names_find_the_listed_firm_first(
    index: screening.ScreeningIndex, query: str, listed: str
) -> None:
    result = screening.screen(index, {"schema": "Organization", "properties": {"name": [query]}})
    assert result.results and result.results[0].match, query
    assert any(listed in n.text for n in result.results[0].entity.names), (
        query,
        result.results[0].entity.caption,
    )


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        # Real aliases (UN, UK and AU lists) of SDN persons, which the pair score matches
        # and the candidate search used not to propose. Two words written as one, or one as
        # two, met by their Arabic consonant classes, the article between or joined:
        ("AZUZ, Abdulbasit", "AZZOUZ, Abd al-Baset"),
        ("AL-SHUFA, 'Ali 'Abd-al-Nabi", "ALSHOFA, Ali Abdulnabi Ahmed Ebrahim M"),
        ("MU'MIN, Abdul Qadr", "MUMIN, Abdiqadir"),
        ("DORDA, Abouzid Omar", "DORDA, Abu Zaid"),
        # A word written so on no list, met by coarser classes (DH and Z, Q and G):
        ("BAHADHIQ, Mahmud", "BAHAZIQ, Mahmoud Mohammad Ahmed"),
        ("ALFAGIH, Saad", "AL-FAQIH, Saad Rashed Mohammad"),
        ("ELKADDAFI, Aisha", "QADHAFI, Ayesha"),
        # A surname no key finds, beside a given name a hundred listed persons share: the
        # tie at the limit goes to the names whose words look most like it.
        ("PALNITSENKO, Igkor", "PALNYCHENKO, Igor"),
        # A listed name the longer query has whole:
        ("SALIH AL-AHMAR, Ahmad Ali Abdallah", "SALEH, Ahmed Ali"),
        ("AL-KUBAYSI ARHAYM, Umar Mahmud", "AL-KUBAYSI, 'Umar"),
    ],
)
def test_compounds_rare_spellings_and_whole_listed_names_are_proposed(
    index: screening.ScreeningIndex, query: str, listed: str
) -> None:
    assert_finds(index, query, listed, "Person")


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        # Real aliases (AU and UK lists) of SDN firms: a word no key found, looked up by
        # its vowels as Arabic's three, its joined article apart.
        ("ALHARAMEIN FOUNDATION", "AL-HARAMAIN ISLAMIC FOUNDATION"),
        ("OOO SILKVEY", "SILKWAY LIMITED LIABILITY COMPANY"),
    ],
)
def test_a_firms_word_no_key_finds_looks_up_its_vowels(
    index: screening.ScreeningIndex, query: str, listed: str
) -> None:
    assert_finds(index, query, listed, "Organization")


def test_a_firms_word_no_key_finds_has_no_one_edit_keys() -> None:
    """Lumix is not ALUMIX: a firm's coined word looks up no one-edit keys."""
    from interdiction.screening.matching import _loose_keys
    from interdiction.screening.names import Token

    keys = _loose_keys(Token("alumix", "ALUMIX"), False)
    assert keys and not [k for k in keys if k.startswith("d:")]
    assert [k for k in _loose_keys(Token("bahadhiq", "BAHADHIQ"), True) if k[0] in "do"]


def test_a_listed_name_the_query_has_whole_ranks_before_names_covering_just_half() -> None:
    """A listed name all in a long query (two of its nine words) is a better candidate
    than one covering five of them and leaving the query's family name: with room for one,
    it is the one (fictitious names, each word as rare as the others)."""
    from interdiction.screening import matching
    from interdiction.screening.index import EntityRows, build_from_rows

    def row(entity_id: str, name: str) -> EntityRows:
        return EntityRows(entity_id, "Person", name, ("us_ofac_sdn",), {"name": [name]})

    index = build_from_rows(
        [
            row("whole", "QORVANI, Belmesh"),
            row("half", "TARDUK, Ilvos Menkar Sulvaz Dorrin"),
            row("other", "PAXEL, Vantor Zindra"),
        ]
    )
    query = matching.Query.from_example(
        person("QORVANI, Belmesh Tarduk Ilvos Menkar Sulvaz Dorrin Paxel Vantor")  # type: ignore[arg-type]
    )
    found = matching.candidates(index, matching._analyse_query(query), query, 1)
    assert [index.entities[e].id for e in found] == ["whole"]


def test_compound_keys_are_of_two_words_each_a_half() -> None:
    """Abd al-Baset keys as ABDULBASIT does, with and without its article; a word of one
    consonant is no half of a compound (Vladimir Ivanov is not Vladimirovna), except Abu."""
    from interdiction.screening.index import compound_keys, single_compound_key

    keys = compound_keys("abd", "al", "baset")
    assert single_compound_key("abdulbasit")[0] in keys
    assert single_compound_key("abdbasit")[0] in keys
    assert single_compound_key("abdiqadir")[0] in compound_keys("abdul", "", "qadr")
    assert compound_keys("vladimir", "", "ivanov") == ()
    assert single_compound_key("abouzid")[0] in compound_keys("abu", "", "zaid")
    assert compound_keys("abd", "", "al") == ()


def test_candidates_of_an_equal_share_rank_the_lighter_name_first() -> None:
    from array import array

    import numpy as np

    from interdiction.screening.matching import _ranked

    names = [np.array([0, 1, 2], dtype=np.uint32)]
    shares = [np.array([0.5, 0.5, 0.9])]
    weights = array("f", [1.0, 3.0, 5.0])
    assert _ranked(names, shares, 0.5, weights) == [2, 0, 1]
    weights = array("f", [3.0, 1.0, 5.0])
    assert _ranked(names, shares, 0.5, weights) == [2, 1, 0]
    assert _ranked(names, shares, 0.6, weights) == [2]


def test_words_no_list_has_do_not_hide_the_listed_firm() -> None:
    """Words written so on no list (TEKH of TERRA TEKH) were counted in the share a candidate
    must cover: three of them left the listed TERRA TECH below it, and screening found
    nothing to score. Now the share is of the words the lists have."""
    from interdiction.screening.index import EntityRows, build_from_rows

    def row(entity_id: str, name: str) -> EntityRows:
        return EntityRows(entity_id, "Company", name, ("us_ofac_sdn",), {"name": [name]})

    index = build_from_rows(
        [row("a", "TERRA TECH"), row("b", "NOVA SHIPPING"), row("c", "STATE CORPORATION ROSTEC")]
    )
    query = {"schema": "Company", "properties": {"name": ["TERRA TECH QXZV WPLMR GHTKO"]}}
    found = screening.screen(index, query)
    assert "a" in [r.entity.id for r in found.results]


@pytest.mark.parametrize(
    ("countries", "korean"),
    [
        ({}, True),  # a DPRK programme says nothing else: the name may be Korean
        ({"nationality": ["kp"]}, True),
        ({"nationality": ["cn"]}, False),  # a Chinese national under a DPRK programme
        ({"nationality": ["cn"], "country": ["kp"]}, True),
    ],
)
def test_a_dprk_programme_reads_names_as_korean_unless_the_countries_are_others(
    countries: dict[str, list[str]], korean: bool
) -> None:
    """WU, Huihui of China, listed under DPRK3, is read as a Chinese name (KIM Hui Hui is
    another family), as ``compare`` reads it; a listed person of no country, as Korean."""
    from interdiction.screening.index import EntityRows, index_entity

    props = {"name": ["WU, Huihui"], "program": ["DPRK3"], **countries}
    entity = index_entity(EntityRows("x", "Person", "WU, Huihui", ("us_ofac_sdn",), props))
    assert any(r.korean for r in entity.names[0].analysed.readings) is korean


@pytest.mark.parametrize(
    ("query", "listed", "matches"),
    [
        # A query of one rare word (and a title) asks for that name (UN aliases).
        ("General Nkunda", "LAURENT NKUNDA", True),
        ("Pa'tek", "Umar Patek", True),
        ("Hottak Sahib", "ABDUL RAHMAN AHMAD HOTTAK", True),
        # A common one, or a listed one-word alias of a common given name, does not.
        ("Sheikh Ali", "ALI DAHIR AWEYS", False),
        ("Ahmed", "Ahmed Diriye Hassan", False),
        ("HABBASH, George", "George", False),
    ],
)
def test_one_rare_word(
    index: screening.ScreeningIndex, query: str, listed: str, matches: bool
) -> None:
    """With the lists' word counts (the bundled index): without them every word is rare,
    and only a long one (seven letters) may stand alone."""
    assert screening.compare_pair(query, listed, "Person", index)[1] is matches
    assert not screening.compare_pair("Hottak Sahib", "ABDUL RAHMAN AHMAD HOTTAK", "Person")[1]
    # A firm's name is not one person's name: its one rare word is not enough.
    firm = ("Hottak Trading Company", "ABDUL RAHMAN AHMAD HOTTAK", "LegalEntity", index)
    assert not screening.compare_pair(*firm)[1]


def test_a_short_name_written_as_one_is_found(index: screening.ScreeningIndex) -> None:
    """CHON MA SAN is CHONMASAN (and 천마산호): a joined name shares no word with the list."""
    listed = next(
        e
        for e in index.entities
        if e.schema == "Vessel" and any(len(n.text.split()) == 3 for n in e.names)
    )
    words = next(n.text for n in listed.names if len(n.text.split()) == 3)
    for query in ("".join(words.split()), "M/V " + words.title()):
        result = screening.screen(index, {"schema": "Vessel", "properties": {"name": [query]}})
        assert result.results and result.results[0].entity.id == listed.id, query
    result = screening.screen(index, {"schema": "Person", "properties": {"name": ["KIMJONGUN"]}})
    assert result.results[0].match and "Jong Un" in result.results[0].entity.caption


def test_vessel_name_with_another_imo_is_not_a_match(index: screening.ScreeningIndex) -> None:
    result = screening.screen(
        index, {"schema": "Vessel", "properties": {"name": ["ANGARA"], "imoNumber": ["9074729"]}}
    )
    angara = [r for r in result.results if r.entity.id == "ofac-37059"]
    assert angara and not angara[0].match
    assert "vessel_imo_mismatch" in angara[0].features


def test_mmsi_alone_is_weak_evidence(index: screening.ScreeningIndex) -> None:
    listed = next(e for e in index.entities if e.schema == "Vessel" and e.identifiers.get("mmsi"))
    mmsi = sorted(listed.identifiers["mmsi"])[0]
    result = screening.screen(index, {"schema": "Vessel", "properties": {"mmsi": [mmsi]}})
    hit = next(r for r in result.results if r.entity.id == listed.id)
    assert not hit.match and "vessel_mmsi_match" in hit.features


def test_imo_mmsi_conflict_is_reported(index: screening.ScreeningIndex) -> None:
    listed = next(
        e
        for e in index.entities
        if e.schema == "Vessel" and e.identifiers.get("mmsi") and e.identifiers.get("imo")
    )
    imo = sorted(listed.identifiers["imo"])[0]
    result = screening.screen(
        index, {"schema": "Vessel", "properties": {"imoNumber": [imo], "mmsi": ["273999999"]}}
    )
    hit = next(r for r in result.results if r.entity.id == listed.id)
    assert hit.match and "imo_mmsi_conflict" in hit.features


def test_junk_identifiers_identify_nothing(index: screening.ScreeningIndex) -> None:
    with pytest.raises(QueryError):
        screening.screen(index, {"schema": "Vessel", "properties": {"mmsi": ["000000000"]}})
    result = screening.screen(
        index, {"schema": "Vessel", "properties": {"name": ["X"], "imoNumber": ["0000000"]}}
    )
    assert any("not a valid IMO" in note for note in result.notes)


def test_birth_date_qualifies(index: screening.ScreeningIndex) -> None:
    plain = screening.screen(index, person("KIM Jong Un")).results[0].score
    wrong = screening.screen(index, person("KIM Jong Un", birthDate=["1950-01-01"])).results[0]
    assert wrong.score < plain and "dob_year_disjoint" in wrong.features


def test_filters(index: screening.ScreeningIndex) -> None:
    only_un = Filters(datasets={"un_sc_sanctions"})
    result = screening.screen(index, "KIM JONG UN", filters=only_un)
    assert all("un_sc_sanctions" in r.entity.datasets for r in result.results)
    excluded = screening.screen(
        index, "KIM JONG UN", filters=Filters(exclude_entity_ids={"ofac-20157"})
    )
    assert all(r.entity.id != "ofac-20157" for r in excluded.results)
    no_people = screening.screen(index, "KIM JONG UN", filters=Filters(exclude_schema={"Person"}))
    assert all(r.entity.schema != "Person" for r in no_people.results)


def test_delisted_entities_are_searchable_on_request(
    index: screening.ScreeningIndex,
) -> None:
    target = index.entities[0]
    target.delisted = target.last_seen  # as a later complete list would mark it
    try:
        name = target.names[0].text
        schema = target.schema
        default = screening.screen(index, {"schema": schema, "properties": {"name": [name]}})
        assert all(r.entity.id != target.id for r in default.results)
        asked = screening.screen(
            index,
            {"schema": schema, "properties": {"name": [name]}},
            filters=Filters(include_delisted=True),
        )
        assert asked.results[0].entity.id == target.id
    finally:
        target.delisted = None


def test_saved_index_refuses_other_lists(tmp_path: Path) -> None:
    from interdiction.sources import load_paths

    db = tmp_path / "small.duckdb"
    with Store.open(db) as store:
        load_paths(store, [SDN_2021])
    with Store.open(db, read_only=True) as store:
        screening.save_index(screening.build_index(store), screening.index_path(store))
        assert screening.load_index(store).entities
    with Store.open(db) as store:
        load_paths(store, [CONS_2025])
    with Store.open(db, read_only=True) as store:
        with pytest.raises(screening.StaleIndex, match="changed"):
            screening.load_index(store)
        rebuilt = screening.ensure_index(store)
        assert screening.load_index(store).fingerprint == rebuilt.fingerprint


def test_decisions_apply_and_reopen(indexed_copy: Path) -> None:
    query = person("KIM Jong Un")
    with Store.open(indexed_copy, read_only=True) as store:
        index = screening.load_index(store)
    with Store.open(indexed_copy) as store:
        with pytest.raises(screening.DecisionError, match="why"):
            screening.record_decision(
                store, index, screening.as_query(query), "ofac-20157", "false_positive", "ana", ""
            )
        screening.record_decision(
            store,
            index,
            screening.as_query(query),
            "ofac-20157",
            screening.FALSE_POSITIVE,
            "ana",
            "our customer, born 1990 in Seoul",
            client_id="bank-1",
        )
        decisions = screening.load_decisions(store)
        log = screening.export_decisions(store)
    assert log[0]["analyst"] == "ana" and log[0]["query"]["properties"]["name"] == ["KIM Jong Un"]
    applied = screening.screen(index, query, decisions=decisions, client_id="bank-1")
    hit = next(r for r in applied.results if r.entity.id == "ofac-20157")
    assert hit.decision and hit.decision["status"] == "applied" and not hit.match
    assert "false positive by ana" in hit.decision["note"]
    # Another client's query is not covered by this decision.
    other = screening.screen(index, query, decisions=decisions, client_id="bank-2")
    assert next(r for r in other.results if r.entity.id == "ofac-20157").decision is None
    # The listed entity changes: the decision is reopened.
    index.entity("ofac-20157").checksum = "changed"  # type: ignore[union-attr]
    reopened = screening.screen(index, query, decisions=decisions, client_id="bank-1")
    hit = next(r for r in reopened.results if r.entity.id == "ofac-20157")
    assert hit.decision["status"] == "reopened" and hit.match  # type: ignore[index]


# -- HTTP -------------------------------------------------------------------------------------

YENTE_BODY = {
    "queries": {
        "q1": {
            "schema": "Person",
            "properties": {"name": ["Kim Jong Un"], "nationality": ["kp"]},
        },
        "q2": {"schema": "Vessel", "properties": {"imoNumber": ["IMO 9179842"]}},
    }
}


@pytest.fixture(scope="module")
def client(index_store: Path) -> TestClient:
    return TestClient(create_app(index_store))


def test_match_accepts_a_yente_request_unchanged(client: TestClient) -> None:
    response = client.post("/match/default", json=YENTE_BODY, params={"algorithm": "logic-v2"})
    assert response.status_code == 200
    data = response.json()
    assert set(data) >= {"responses", "matcher", "limit"}
    assert data["limit"] == 5 and data["matcher"]["name"] == screening.MATCHER
    first = data["responses"]["q1"]
    assert first["status"] == 200 and first["total"]["value"] == len(first["results"])
    top = first["results"][0]
    assert top["id"] == "ofac-20157" and top["match"] is True
    assert set(top) >= {
        "id",
        "caption",
        "schema",
        "properties",
        "datasets",
        "score",
        "features",
        "explanations",
    }
    assert top["explanations"]["name_match"]["detail"]
    assert data["responses"]["q2"]["results"][0]["caption"] == "ANGARA"
    assert {v["dataset"] for v in data["lists"]} == {"us_ofac_sdn", "un_sc_sanctions"}


def test_match_parameters(client: TestClient) -> None:
    response = client.post(
        "/match/us_ofac_sdn",
        json=YENTE_BODY,
        params={"threshold": 0.99, "limit": 1, "exclude_entity_ids": ["ofac-37059"], "cutoff": 0.1},
    )
    data = response.json()
    assert data["limit"] == 1
    assert len(data["responses"]["q1"]["results"]) == 1
    assert data["responses"]["q2"]["results"] == []
    response = client.post("/match/un_sc_sanctions", json=YENTE_BODY)
    assert all(
        "un_sc_sanctions" in r["datasets"] for r in response.json()["responses"]["q1"]["results"]
    )


@pytest.mark.parametrize(
    ("path", "body", "params", "status", "message"),
    [
        ("/match/default", {"queries": {"a": {"properties": {}}}}, {}, 422, "schema"),
        ("/match/default", {"nope": 1}, {}, 422, "queries"),
        ("/match/nowhere", YENTE_BODY, {}, 404, "not loaded"),
        ("/match/default", YENTE_BODY, {"algorithm": "magic"}, 400, "algorithm"),
        ("/match/default", YENTE_BODY, {"threshold": 2}, 422, "threshold"),
        ("/match/default", YENTE_BODY, {"changed_since": "yesterday"}, 400, "changed_since"),
        (
            "/match/default",
            {
                "queries": {
                    str(n): {"schema": "Person", "properties": {"name": ["x"]}} for n in range(101)
                }
            },
            {},
            400,
            "too many",
        ),
    ],
)
def test_match_bad_requests(
    client: TestClient,
    path: str,
    body: dict[str, object],
    params: dict[str, object],
    status: int,
    message: str,
) -> None:
    response = client.post(path, json=body, params=params)
    assert response.status_code == status
    assert message in response.json()["detail"].lower()


def test_one_bad_query_does_not_stop_the_batch(client: TestClient) -> None:
    body = {
        "queries": {
            "bad": {"schema": "Spaceship", "properties": {"name": ["x"]}},
            "empty": {"schema": "Person", "properties": {"name": ["\x00\x01"]}},
            "good": {"schema": "Person", "properties": {"name": ["김정은"]}},
        }
    }
    data = client.post("/match/default", json=body).json()["responses"]
    assert data["bad"]["status"] == 400 and "Spaceship" in data["bad"]["detail"]
    assert data["empty"]["status"] == 400
    assert data["good"]["results"][0]["id"] == "ofac-20157"


def test_search_entities_and_docs(client: TestClient) -> None:
    found = client.get("/search/default", params={"q": "Green Pine"}).json()
    assert "GREEN PINE" in found["results"][0]["caption"]
    assert client.get("/entities/ofac-37059").json()["caption"] == "ANGARA"
    assert client.get("/entities/nope").status_code == 404
    assert client.get("/search/default").status_code == 422
    assert "/match/{dataset}" in client.get("/openapi.json").json()["paths"]
    assert client.get("/readyz").json()["status"] == "ok"


# -- CLI --------------------------------------------------------------------------------------


def run(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["interdiction", *args])
    with pytest.raises(SystemExit) as exit_info:
        main()
    out, err = capsys.readouterr()
    code = exit_info.value.code
    return (int(code) if code is not None else 0), out, err


def test_cli_screen_json(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, index_store: Path
) -> None:
    code, out, err = run(
        capsys, monkeypatch, "screen", "KIM JONG UN", "--json", "--db", str(index_store)
    )
    assert code == 0, err
    data = json.loads(out)
    assert data["results"][0]["id"] == "ofac-20157"
    assert data["lists"] and "lists used" in err
    code, out, _ = run(capsys, monkeypatch, "screen", "金正恩", "--db", str(index_store))
    assert code == 0 and "KIM, Jong Un" in out.splitlines()[0]


def test_cli_batch_and_compare_report_row_errors(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    index_store: Path,
    tmp_path: Path,
) -> None:
    db = str(index_store)
    batch = tmp_path / "parties.csv"
    batch.write_text(
        "Company name,country\n"
        "KOREA KWANGSON BANKING CORP,kp\n"
        "too,many,fields\n"
        ",\n"
        "\x01\x02,ru\n"
        "Acme Widgets,us\n",
        encoding="utf-8",
    )
    out_file = tmp_path / "screened.csv"
    code, _, err = run(
        capsys,
        monkeypatch,
        "screen",
        "--input",
        str(batch),
        "--column",
        "name=Company name",
        "--output",
        str(out_file),
        "--db",
        db,
    )
    assert code == 0, err
    rows = list(csv.DictReader(out_file.open(encoding="utf-8")))
    assert rows[0]["match"] == "True" and "KWANGSON" in rows[0]["caption"]
    errors = [r for r in rows if r["status"] == "error"]
    assert len(errors) == 2 and all(r["error"] for r in errors)
    assert rows[-1]["Company name"] == "Acme Widgets" and rows[-1]["status"] == "ok"

    pairs = tmp_path / "pairs.csv"
    pairs.write_text(
        "name1,name2,schema\n김정은,KIM Jong Un,Person\nKIM Jong Un,KIM Jong Man,Person\n,x,Person\n",
        encoding="utf-8",
    )
    scored = tmp_path / "scored.csv"
    code, _, err = run(
        capsys, monkeypatch, "compare", "--input", str(pairs), "--output", str(scored), "--db", db
    )
    assert code == 0, err
    rows = list(csv.DictReader(scored.open(encoding="utf-8")))
    assert rows[0]["match"] == "True" and float(rows[0]["score"]) >= 0.9
    assert rows[1]["match"] == "False"
    assert "empty" in rows[2]["error"]

    missing = tmp_path / "missing.csv"
    missing.write_text("a,b\n1,2\n", encoding="utf-8")
    code, _, err = run(capsys, monkeypatch, "compare", "--input", str(missing), "--db", db)
    assert code == 3 and "name1" in err


@pytest.mark.parametrize(
    ("query", "listed", "schema"),
    [
        # A plural and its singular find each other's names (the pair score reads them as one
        # word): real OFAC aliases.
        ("EXPERTS PARTNERS", "EXPERT PARTNERS", "Organization"),
        (
            "ISLAMIC REVOLUTION GUARDS CORPS AIR FORCE",
            "ISLAMIC REVOLUTIONARY GUARD CORPS AIR FORCE",
            "Organization",
        ),
        ("LEBANESE MARTYR FOUNDATION", "MARTYRS FOUNDATION IN LEBANON", "Organization"),
    ],
)
def test_a_plural_finds_the_singular(
    index: screening.ScreeningIndex, query: str, listed: str, schema: str
) -> None:
    assert_finds(index, query, listed, schema)


def test_a_batch_pauses_the_collector_yet_frees_cycles_and_restores_it() -> None:
    """The CLI batches (screen and compare --input) run with the collector's automatic runs
    paused; a cycle made by the way is still freed at the next chunk, and the collector is
    back on after the batch, also when a row raises."""
    import gc
    import weakref

    from interdiction.screening import collector_paused

    class Node:
        other: object = None

    assert gc.isenabled()
    refs = []
    states = []
    for _ in collector_paused(iter(range(4)), 2):
        states.append(gc.isenabled())
        node = Node()
        node.other = node  # a cycle: reference counting alone never frees it
        refs.append(weakref.ref(node))
        del node
    assert states == [False] * 4 and gc.isenabled()
    assert refs[0]() is None and refs[1]() is None  # freed when the first chunk ended
    with pytest.raises(ValueError):
        for _ in collector_paused(iter(range(4)), 2):
            raise ValueError("a bad row")
    assert gc.isenabled()


def test_cli_decisions(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, indexed_copy: Path
) -> None:
    db = str(indexed_copy)
    code, out, err = run(
        capsys,
        monkeypatch,
        "decisions",
        "add",
        "KIM Jong Un",
        "ofac-20157",
        "--decision",
        "confirmed",
        "--analyst",
        "ana",
        "--reason",
        "same date of birth",
        "--schema",
        "Person",
        "--db",
        db,
    )
    assert code == 0, err
    assert json.loads(out)["decision"] == "confirmed"
    code, out, _ = run(capsys, monkeypatch, "decisions", "list", "--json", "--db", db)
    assert json.loads(out)[0]["analyst"] == "ana"
    code, out, _ = run(
        capsys, monkeypatch, "screen", "KIM Jong Un", "--schema", "Person", "--db", db
    )
    assert "decision applied: confirmed by ana" in out
    code, _, err = run(
        capsys,
        monkeypatch,
        "decisions",
        "add",
        "x",
        "nobody",
        "--decision",
        "confirmed",
        "--analyst",
        "ana",
        "--reason",
        "r",
        "--db",
        db,
    )
    assert code == 7


def test_server_reloads_when_the_store_changes(indexed_copy: Path) -> None:
    """The server holds no lock: a writer can record a decision, and the server sees it."""
    client = TestClient(create_app(indexed_copy, refresh_s=0.0))
    body = {"queries": {"q": {"schema": "Person", "properties": {"name": ["KIM Jong Un"]}}}}
    first = client.post("/match/default", json=body, params={"client_id": "c1"}).json()
    assert first["responses"]["q"]["results"][0]["decision"] is None
    before = client.get("/readyz").json()["store_version"]
    with Store.open(indexed_copy) as store:  # the server does not hold the file
        index = screening.load_index(store)
        screening.record_decision(
            store,
            index,
            screening.as_query(body["queries"]["q"]),
            "ofac-20157",
            screening.CONFIRMED,
            "ana",
            "passport matches",
            client_id="c1",
        )
    after = client.post("/match/default", json=body, params={"client_id": "c1"}).json()
    decision = after["responses"]["q"]["results"][0]["decision"]
    assert decision["status"] == "applied" and decision["decision"] == "confirmed"
    assert client.get("/readyz").json()["store_version"] > before


def test_unlisted_firms_do_not_match_on_commerce_words(index: screening.ScreeningIndex) -> None:
    """Trade's fictitious counterparties share only commerce words (Import Export, Trading,
    무역, 贸易, Торговый дом) with listed firms such as BARAKAT IMPORT EXPORT LTDA: never a
    match, whatever the script."""
    from datetime import date

    import numpy as np

    from interdiction.trade.simulate import party_pool

    names = party_pool(np.random.default_rng(0), 300, date(2024, 1, 1)).names
    names += [
        "Orventuma Import Export LLC",
        "Lumovo Import Export Ltd",
        "ООО «Орвентума» Импорт Экспорт",
        "ООО Торговый дом Лумово",
        "조선루모보무역회사",
        "丹东乐莫贸易有限公司",
        "Lumovo Muyok Hoesa",
        "Dandong Lemo Maoyi Youxian Gongsi",
    ]
    queries = [{"schema": "LegalEntity", "properties": {"name": [n]}} for n in names]
    hits = [
        (name, result.results[0].entity.caption)
        for name, result in zip(names, screening.screen_many(index, queries), strict=True)
        if not isinstance(result, QueryError) and any(r.match for r in result.results)
    ]
    assert hits == []
    barakat = screening.compare_pair(
        "Orventuma Import Export LLC", "BARAKAT IMPORT EXPORT LTDA", "Company", index
    )
    assert not barakat[1] and "own words" in barakat[2]


def test_a_batch_screens_a_repeated_query_once(index: screening.ScreeningIndex) -> None:
    """A party on every line of its customs records is screened once; its repeats share the
    result, and a bad query repeated is reported at each of its places."""
    kim = {"schema": "Person", "properties": {"name": ["KIM JONG UN"]}}
    bad = {"schema": "Spaceship", "properties": {"name": ["x"]}}
    out = screening.screen_many(index, [kim, "KIM JONG UN", bad, dict(kim), bad])
    assert out[0] is out[3] and out[1] is not out[0]
    assert isinstance(out[2], QueryError) and out[4] is out[2]
    first = out[0]
    assert not isinstance(first, QueryError) and first.results[0].entity.id == "ofac-20157"
    assert [r.entity.id for r in first.results] == [
        r.entity.id for r in screening.screen(index, kim).results
    ]


def test_cli_batch_alerts_cite_the_line_and_the_listed_entity(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    indexed_copy: Path,
    tmp_path: Path,
) -> None:
    """``screen --input --alerts``: a match becomes a screening_match alert resting on the
    input line (with its source) and the listed entity; a name on no list makes none."""
    batch = tmp_path / "reported.csv"
    batch.write_text(
        "name,schema,imoNumber,source\n"
        "Angara,Vessel,9179842,a report\n"
        "Orventuma Import Export LLC,Company,,another report\n",
        encoding="utf-8",
    )
    db = str(indexed_copy)
    code, _, err = run(capsys, monkeypatch, "screen", "--alerts", "--db", db)
    assert code == 2 and "--alerts goes with --input" in err
    args = ["screen", "--input", str(batch), "--alerts", "--output", str(tmp_path / "o.csv")]
    code, _, err = run(capsys, monkeypatch, *args, "--db", db)
    assert code == 0, err
    assert "screening_match 1" in err
    with Store.open(indexed_copy, read_only=True) as store:
        rows = store.con.execute(
            """SELECT a.severity, a.entity_ids, a.title, e.kind, e.ref_id
            FROM alerts a JOIN alert_evidence l ON l.alert_id = a.id
            JOIN evidence e ON e.id = l.evidence_id
            WHERE a.type = 'screening_match' ORDER BY e.kind"""
        ).fetchall()
    assert [r[3] for r in rows] == ["entity", "record"]
    severity, entity_ids, title, _, _ = rows[0]
    # The IMO number decides: a strong match, unlike a ship's name alone.
    assert severity == "high" and list(entity_ids) == ["ofac-37059"]
    assert "reported by a report" in title
    assert rows[0][4] == "ofac-37059" and rows[1][4] == "reported.csv:2"
