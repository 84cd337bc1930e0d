"""Cases: the case file, the software's checks of form and links, markings, the briefing."""

from __future__ import annotations

import re
import textwrap
from datetime import datetime
from pathlib import Path

import lxml.html
import pytest

from interdiction.cases.build import CaseError, build_case, load_built_case
from interdiction.cases.casefile import CaseFileError, load_case_file
from interdiction.cases.check import check_form
from interdiction.config import Config
from interdiction.report.briefing import assemble
from interdiction.report.render import render_html, render_markdown, write_briefing
from interdiction.sharing.markings import MarkingError, most_restrictive, parse_marking
from interdiction.store import Alert, DetectorRun, Evidence, Store, write_alerts

CASE = textwrap.dedent(
    """\
    id: test-case
    title: A listed Russian ro-ro shuttles to a DPRK port in simulated AIS data
    marking: "TLP:GREEN // REL TO USA, KOR, JPN"
    analysts: [test analyst]
    bluf: The listed ro-ro ANGARA is on the SDN list; a simulated vessel went dark near Rajin.
    scope:
      entities: [ofac-37059]
      alerts:
        - {type: ais_gap}
    sources:
      - id: S1
        title: "North Korea ships 33,000 containers of weapons to Russia: South"
        reliability: F
        credibility: 3
        grading: Outlet not named in the seed; the figure is single-source.
    claims:
      - id: C1
        text: North Korea has shipped approximately 33,000 containers of weapons to Russia
        sources: [S1]
        section: maritime
        status: single-source
        from_seed: true
        corrections: [A single-source figure from the South Korean side.]
    judgements:
      - id: J1
        text: The simulated vessel very likely called at Rajin during its AIS gap.
        confidence: We have moderate confidence, because only the gap's geometry supports it.
        section: maritime
        rests_on:
          alerts: [{type: ais_gap}]
          claims: [C1]
      - id: J2
        text: ANGARA is almost certainly blocked property under US sanctions.
        confidence: High confidence, from the official list itself.
        suggested: true
        rests_on:
          entities: [ofac-37059]
    assumptions: [AIS reception near Rajin is good enough for a gap to mean a choice.]
    """
)


def _simulated_gap() -> Alert:
    return Alert(
        type="ais_gap",
        severity="high",
        title="SIM VESSEL A dark for 31 h, ends 20 km from Rajin",
        entity_ids=["sim-vessel-a"],
        detector="maritime.gaps",
        detector_version="1",
        config_hash=Config().section_hash("maritime"),
        start_time=datetime(2024, 3, 1, 6),
        end_time=datetime(2024, 3, 2, 13),
        lat=42.2,
        lon=130.3,
        place="Rajin (approximate)",
        simulated=True,
        evidence=[
            Evidence(
                "position",
                "last position before the gap",
                "positions",
                "p1",
                {"lat": 42.0, "lon": 131.0},
                datetime(2024, 3, 1, 6),
                simulated=True,
            )
        ],
    )


@pytest.fixture()
def case_store(bundle_store: Path, tmp_path: Path) -> tuple[Path, Path]:
    path = tmp_path / "case.yaml"
    path.write_text(CASE, encoding="utf-8")
    with Store.open(bundle_store) as store:
        write_alerts(store, DetectorRun("maritime.gaps", "1", "x"), [_simulated_gap()])
    return bundle_store, path


def test_build_and_render(case_store: tuple[Path, Path], tmp_path: Path) -> None:
    db, path = case_store
    with Store.open(db) as store:
        built = build_case(store, path)
        assert len(built.alerts) == 1 and built.entities == ["ofac-37059"]
        assert [p.where for p in built.warnings] == []
        again = load_built_case(store, "test-case")
        assert again.alerts == built.alerts and again.judgement_links == built.judgement_links
        briefing = assemble(store, again)
    assert briefing.simulated and briefing.seed_used
    assert briefing.marking.banner() == "TLP:GREEN // REL TO USA, KOR, JPN"
    html = render_html(briefing)
    md = render_markdown(briefing)
    for text in (html, md):
        assert text.count("TLP:GREEN // REL TO USA, KOR, JPN") >= 2  # top and bottom
        assert "SIMULATED" in text
        assert "wording suggested by the software" in text
    doc = lxml.html.fromstring(html)
    # Every factual sentence links to what it rests on.
    for item in doc.xpath("//h2[starts-with(@id, 'section-')]/following-sibling::ul[1]/li"):
        assert item.xpath(".//a[starts-with(@href, '#')]"), item.text_content()
    # Every link resolves to an anchor in the product.
    anchors = set(doc.xpath("//@id"))
    for href in doc.xpath("//a/@href"):
        assert href.startswith("#") and href[1:] in anchors, href
    # The seed's claim is never stated as fact: it appears only inside "reported" elements.
    claim = "33,000 containers"
    for node in doc.xpath(f"//*[contains(text(), '{claim}')]"):
        classes = " ".join(node.xpath("ancestor-or-self::*/@class"))
        in_source_table = node.xpath("ancestor::tr[starts-with(@id, 'source-')]")
        assert "reported" in classes or in_source_table, lxml.html.tostring(node)[:200]
    assert re.search(r"reported that North Korea has shipped approximately 33,000", html)
    # The timeline is drawn, watermarked, inline.
    figure = doc.xpath("//figure[@id='figure-timeline']")[0]
    assert figure.get("data-simulated") == "true" and "SIMULATED" in lxml.html.tostring(
        figure, encoding=str
    )
    # Self-contained: nothing to fetch.
    assert not re.search(r"(src|href)=['\"](https?:)?//", html)


def test_release_is_enforced(case_store: tuple[Path, Path], tmp_path: Path) -> None:
    db, path = case_store
    with Store.open(db) as store:
        build_case(store, path)
        briefing = assemble(store, load_built_case(store, "test-case"))
    write_briefing(briefing, tmp_path / "kor.html", "html", audience="KOR")
    with pytest.raises(MarkingError, match="does not release to RUS"):
        write_briefing(briefing, tmp_path / "rus.html", "html", audience="RUS")
    assert not (tmp_path / "rus.html").exists()


def test_form_errors_are_named(tmp_path: Path) -> None:
    bad = (
        CASE.replace(
            "text: The simulated vessel very likely called at Rajin during its AIS gap.",
            "text: The simulated vessel very likely, perhaps almost certainly, called at Rajin.",
        )
        .replace(
            "confidence: High confidence, from the official list itself.",
            "confidence: It is likely that this holds.",
        )
        .replace("claims: [C1]", "claims: [C9]")
    )
    path = tmp_path / "bad.yaml"
    path.write_text(bad, encoding="utf-8")
    problems = {
        (p.where, p.message.split(" (")[0].split(":")[0]) for p in check_form(load_case_file(path))
    }
    messages = " | ".join(f"{w}: {m}" for w, m in sorted(problems))
    assert "judgement J1: states 2 ICD 203 likelihood expressions" in messages
    assert "judgement J1: claim C9 is not in the case" in messages
    assert "judgement J2: the confidence sentence must state one level" in messages
    assert "judgement J2: the confidence sentence uses a likelihood term" in messages


def test_build_refuses_errors_and_dangling_links(
    case_store: tuple[Path, Path], tmp_path: Path
) -> None:
    db, _ = case_store
    path = tmp_path / "dangling.yaml"
    path.write_text(
        CASE.replace("entities: [ofac-37059]\nassumptions", "entities: [ofac-0]\nassumptions")
    )
    with (
        Store.open(db) as store,
        pytest.raises(CaseError, match="entity ofac-0 is not in the store"),
    ):
        build_case(store, path)


def test_case_file_errors_have_lines(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(CASE.replace("reliability: F", "reliability: Z"), encoding="utf-8")
    with pytest.raises(CaseFileError, match=r"c\.yaml, line 13: sources\.0\.reliability"):
        load_case_file(path)
    path.write_text("id: x\ntitle: [unclosed\n", encoding="utf-8")
    with pytest.raises(CaseFileError, match=r"line \d+: not valid YAML"):
        load_case_file(path)


def test_markings() -> None:
    amber = parse_marking("TLP:AMBER // REL TO USA, KOR")
    assert (
        most_restrictive([amber, parse_marking("TLP:CLEAR")]).banner()
        == "TLP:AMBER // REL TO USA, KOR"
    )
    with pytest.raises(MarkingError, match="no common recipient"):
        most_restrictive([amber, parse_marking("TLP:GREEN // REL TO GBR")])
    with pytest.raises(MarkingError, match=r"TLP 1\.0"):
        parse_marking("TLP:WHITE")
    assert not parse_marking("TLP:RED").releasable_to("USA")
    assert parse_marking("TLP:GREEN // REL TO FVEY").releasable_to("NZL")
    assert not parse_marking("TLP:GREEN").releasable_to("KOR")  # no REL TO: not for release


def test_suggested_wording_follows_the_form_and_is_flagged() -> None:
    from interdiction.cases.model import CaseFile
    from interdiction.cases.suggest import suggest

    alerts = [
        {
            "id": "al-1",
            "type": "ais_spoofing",
            "title": "[SIMULATED] MMSI 799000004 in two places",
            "detector": "maritime.spoofing",
            "start_time": datetime(2024, 3, 1),
            "simulated": True,
        },
        {
            "id": "al-2",
            "type": "something_new",
            "title": "A new kind of finding",
            "detector": "trade.x",
            "start_time": None,
            "simulated": False,
        },
    ]
    drafts = suggest(alerts)
    assert all(d.suggested for d in drafts)
    assert drafts[0].text.startswith("In the simulated data, the vessel with MMSI 799000004")
    case = CaseFile(id="x", title="t", bluf="b", judgements=drafts)
    assert [p for p in check_form(case) if p.level == "error"] == []
