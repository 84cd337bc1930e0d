"""A briefing from a built case: one content model, rendered to self-contained HTML and Markdown.

Rules the content model enforces, so that every renderer inherits them:
- every factual sentence carries a link to the alert, entity or source it rests on;
- a reported claim is always attributed ("X reported that ...") with its source's grade, and
  its corrections follow it; it is never a sentence of its own;
- anything resting on simulated data says so, in the sentence and on every figure;
- the handling marking heads and closes the product.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from interdiction.cases.build import BuiltCase
from interdiction.cases.model import Claim, Judgement, Source
from interdiction.cases.vocab import find_confidence, find_likelihoods
from interdiction.report.figures import SIMULATED_MARK, Figure, timeline_figure
from interdiction.sharing.markings import Marking, most_restrictive, parse_marking
from interdiction.store import Store, get_entity, lists_in_use, read_alerts, read_evidence

SECTIONS = ("maritime", "networks", "trade", "screening", "general")
SECTION_TITLES = {
    "maritime": "Maritime",
    "networks": "Networks and ownership",
    "trade": "Trade",
    "screening": "Screening",
    "general": "Context reported in open sources",
}
# Which section an alert belongs to: by the detector's capability prefix ("maritime.gaps").
DETECTOR_SECTION = {
    "maritime": "maritime",
    "network": "networks",
    "networks": "networks",
    "trade": "trade",
    "screening": "screening",
}


@dataclass
class Link:
    kind: str  # alert | entity | source | claim
    id: str
    label: str

    @property
    def anchor(self) -> str:
        return f"{self.kind}-{self.id}"


@dataclass
class Sentence:
    """One factual sentence and what it rests on (never empty)."""

    text: str
    links: list[Link]
    simulated: bool = False
    reported: bool = False  # a claim as reported, not a finding

    def __post_init__(self) -> None:
        if not self.links:
            raise ValueError(f"a factual sentence must link to its evidence: {self.text!r}")


@dataclass
class JudgementView:
    judgement: Judgement
    likelihood: str
    band: str
    confidence_level: str
    links: list[Link]
    simulated: bool


@dataclass
class Briefing:
    case_id: str
    title: str
    marking: Marking
    bluf: str
    judgements: list[JudgementView]
    sections: dict[str, list[Sentence]]
    alerts: list[dict[str, Any]]
    entities: list[dict[str, Any]]
    claims: list[tuple[Claim, list[Source]]]
    sources: list[Source]
    timeline: list[dict[str, Any]]
    assumptions: list[str]
    alternatives: list[str]
    indicators: list[str]
    lists: list[dict[str, Any]]
    figures: list[Figure] = field(default_factory=list)
    simulated: bool = False
    seed_used: bool = False
    warnings: list[str] = field(default_factory=list)
    generated_at: dt.datetime = field(
        default_factory=lambda: dt.datetime.now(dt.UTC).replace(microsecond=0)
    )
    store_version: int = 0
    analysts: list[str] = field(default_factory=list)


# A figure maker gets the store, the case's alerts and entities, and returns figures.
FigureMaker = Callable[[Store, list[dict[str, Any]], list[dict[str, Any]]], list[Figure]]


def _section_of(alert: dict[str, Any]) -> str:
    prefix = str(alert.get("detector", "")).split(".", 1)[0]
    return DETECTOR_SECTION.get(prefix, "general")


def _fmt_time(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M UTC")
    return str(value) if value else ""


def _alert_sentence(alert: dict[str, Any]) -> Sentence:
    span = ""
    if alert.get("start_time"):
        span = f" ({_fmt_time(alert['start_time'])}"
        if alert.get("end_time") and alert["end_time"] != alert["start_time"]:
            span += f" to {_fmt_time(alert['end_time'])}"
        span += ")"
    place = f", {alert['place']}" if alert.get("place") else ""
    prefix = f"[{SIMULATED_MARK}] " if alert.get("simulated") else ""
    text = f"{prefix}{alert['title']}{place}{span}."
    return Sentence(
        text=text,
        links=[Link("alert", alert["id"], alert["type"])],
        simulated=bool(alert.get("simulated")),
    )


def _entity_view(store: Store, entity_id: str) -> dict[str, Any] | None:
    record = get_entity(store, entity_id)
    if record is None:
        return None
    entity = record.entity
    programs = sorted(set(entity.get("program", quiet=True)))
    ids = [
        v
        for prop in ("imoNumber", "mmsi", "registrationNumber", "innCode")
        for v in entity.get(prop, quiet=True)
    ]
    return {
        "id": entity.id,
        "caption": entity.caption,
        "schema": entity.schema.label,
        "datasets": record.datasets,
        "programs": programs,
        "identifiers": ids,
        "listed": record.target and record.delisted is None,
        "delisted": record.delisted,
        "simulated": record.simulated,
        "countries": sorted(
            set(entity.get("country", quiet=True) + entity.get("flag", quiet=True))
        ),
    }


LIST_NAMES = {
    "us_ofac_sdn": "the OFAC SDN list",
    "us_ofac_cons": "OFAC's consolidated (non-SDN) list",
    "un_sc_sanctions": "the UN Security Council list",
}


def _lists(datasets: list[str]) -> str:
    return ", ".join(LIST_NAMES.get(d, d) for d in datasets)


def _entity_sentence(view: dict[str, Any]) -> Sentence:
    prefix = f"[{SIMULATED_MARK}] " if view["simulated"] else ""
    ids = f" ({', '.join(view['identifiers'][:3])})" if view["identifiers"] else ""
    if view["listed"]:
        status = f"is listed in {', '.join(view['datasets'])}" + (
            f" under {', '.join(view['programs'])}" if view["programs"] else ""
        )
    elif view["delisted"]:
        status = f"was delisted on {view['delisted']:%Y-%m-%d}"
    else:
        status = f"appears in {_lists(view['datasets'])} (not itself a listed target)"
    return Sentence(
        text=f"{prefix}{view['caption']}{ids} {status}.",
        links=[Link("entity", view["id"], view["caption"])],
        simulated=view["simulated"],
    )


def claim_sentence(claim: Claim, sources: list[Source]) -> Sentence:
    """'X reported that ...': the only way a claim enters a product."""
    names = []
    for source in sources:
        who = source.publisher or f"“{source.title}”"
        names.append(f"{who} (graded {source.grade})")
    text = f"{' and '.join(names)} reported that {claim.text.rstrip('.')}."
    if claim.status != "reported":
        text += f" [{claim.status}]"
    for note in claim.corrections:
        text += f" Correction: {note.rstrip('.')}."
    return Sentence(
        text=text,
        links=[Link("source", s.id, s.title) for s in sources]
        + [Link("claim", claim.id, claim.id)],
        reported=True,
    )


def assemble(
    store: Store, built: BuiltCase, figure_makers: list[FigureMaker] | None = None
) -> Briefing:
    case = built.case
    alerts_by_id = {a["id"]: a for a in read_alerts(store, limit=1_000_000)} if built.alerts else {}
    alerts = [alerts_by_id[a] for a in built.alerts if a in alerts_by_id]
    # A reader's order: by kind of finding, then time, then what it says (a screened name's
    # candidates together), not by the ids' hashes.
    alerts.sort(key=lambda a: (a["type"], str(a.get("start_time") or ""), a["title"]))
    for alert in alerts:
        alert["evidence"] = read_evidence(store, alert["id"])
        alert["section"] = _section_of(alert)
    entities = [v for e in built.entities if (v := _entity_view(store, e)) is not None]
    sources = {s.id: s for s in case.sources}

    sections: dict[str, list[Sentence]] = {name: [] for name in SECTIONS}
    for alert in alerts:
        sections[alert["section"]].append(_alert_sentence(alert))
    for view in entities:
        section = "maritime" if view["schema"] == "Vessel" else "networks"
        sections[section].append(_entity_sentence(view))
    claims: list[tuple[Claim, list[Source]]] = []
    for claim in case.claims:
        claim_sources = [sources[s] for s in claim.sources if s in sources]
        claims.append((claim, claim_sources))
        sections[claim.section].append(claim_sentence(claim, claim_sources))

    simulated_alerts = {a["id"] for a in alerts if a.get("simulated")}
    simulated_entities = {e["id"] for e in entities if e["simulated"]}
    judgements: list[JudgementView] = []
    for judgement in case.judgements:
        resolved = built.judgement_links.get(
            judgement.id, {"alerts": [], "entities": [], "claims": []}
        )
        links = [
            Link("alert", a, alerts_by_id[a]["type"])
            for a in resolved["alerts"]
            if a in alerts_by_id
        ]
        captions = {view["id"]: view["caption"] for view in entities}
        links += [Link("entity", e, captions.get(e, e)) for e in resolved["entities"]]
        links += [Link("claim", c, c) for c in resolved["claims"]]
        found = find_likelihoods(judgement.text)
        term, band = (found[0][0], f"{found[0][1].low}-{found[0][1].high}%") if found else ("", "")
        levels = find_confidence(judgement.confidence)
        judgements.append(
            JudgementView(
                judgement=judgement,
                likelihood=term,
                band=band,
                confidence_level=levels[0] if levels else "",
                links=links,
                simulated=bool(
                    set(resolved["alerts"]) & simulated_alerts
                    or set(resolved["entities"]) & simulated_entities
                ),
            )
        )

    timeline = sorted(
        (
            {
                "time": a["start_time"],
                "end": a.get("end_time"),
                "label": a["title"],
                "alert": a["id"],
                "type": a["type"],
                "section": a["section"],
                "simulated": bool(a.get("simulated")),
            }
            for a in alerts
            if a.get("start_time")
        ),
        key=lambda item: item["time"],
    )
    marking = parse_marking(case.marking)
    marking = most_restrictive([marking, *(parse_marking(s.marking) for s in case.sources)])
    briefing = Briefing(
        case_id=case.id,
        title=case.title,
        marking=marking,
        bluf=case.bluf,
        judgements=judgements,
        sections=sections,
        alerts=alerts,
        entities=entities,
        claims=claims,
        sources=list(case.sources),
        timeline=timeline,
        assumptions=list(case.assumptions),
        alternatives=list(case.alternatives),
        indicators=list(case.indicators),
        lists=[v.to_dict() for v in lists_in_use(store)],
        simulated=bool(simulated_alerts or simulated_entities),
        seed_used=any(c.from_seed for c in case.claims),
        warnings=[str(p) for p in built.warnings],
        store_version=built.store_version,
        analysts=list(case.analysts),
    )
    for maker in figure_makers or []:
        briefing.figures.extend(maker(store, alerts, entities))
    if (timeline_fig := timeline_figure(timeline)) is not None:
        briefing.figures.append(timeline_fig)
    return briefing
