"""OFAC's enhanced XML (``SDN_ENHANCED.XML``, ``CONS_ENHANCED.XML``), the newer schema.

Each ``<entity id=FixedRef>`` is self-contained: its lists (with the date each listed it),
programs, sanctions types, legal authorities, names (each with translations in several
scripts, already formatted as OFAC publishes them), addresses, features (with OFAC's own
rendering of the value and, for dates, the structured period), identity documents and
relationships. ``referenceValues`` at the top map reference ids to values (countries with
their ISO codes). Read as a stream, one entity at a time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from lxml import etree

from interdiction.sources.dates import parse_timestamp
from interdiction.sources.ofac_xml.model import (
    Alias,
    Document,
    Entry,
    Feature,
    Location,
    NameForm,
    Party,
    Problem,
    Relation,
    date_prefix,
    render_period,
)
from interdiction.sources.ofac_xml.xmlstream import (
    child,
    child_text,
    children,
    line_of,
    local,
    records,
    text,
)

TOP = {"publicationInfo", "referenceValues", "featureTypes", "entities"}
ENTITY_PARTS = {
    "generalInfo",
    "sanctionsLists",
    "sanctionsPrograms",
    "sanctionsTypes",
    "legalAuthorities",
    "names",
    "addresses",
    "features",
    "identityDocuments",
    "relationships",
}
PARTY_KINDS = {"Individual", "Entity", "Vessel", "Aircraft"}


@dataclass
class EnhancedFile:
    published: datetime | None = None
    lists: list[str] = field(default_factory=list)  # publicationInfo filter
    parties: list[Party] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    list_names: set[str] = field(default_factory=set)


def _bool(node: etree._Element, name: str) -> bool:
    return (child_text(node, name) or "").lower() == "true"


def read_enhanced(path: Path) -> EnhancedFile:
    out = EnhancedFile()
    countries: dict[str, tuple[str | None, str | None]] = {}
    seen_relations: set[str] = set()
    keep = frozenset({"publicationInfo", "referenceValues", "featureTypes"})
    for depth, node in records(path, {1, 2}, keep):
        name = local(node.tag)
        if depth == 1:
            if name == "publicationInfo":
                stamp = child_text(node, "dataAsOf")
                out.published = parse_timestamp(stamp) if stamp else None
                filters = child(node, "filters")
                if filters is not None:
                    out.lists = [
                        text(n) or "" for n in filters.iter() if local(n.tag) == "sanctionsList"
                    ]
            elif name == "referenceValues":
                for value in children(node, "referenceValue"):
                    if child_text(value, "type") == "COUNTRY":
                        iso = child_text(value, "isoCode")
                        countries[value.get("refId") or ""] = (
                            child_text(value, "value"),
                            iso.lower() if iso else None,
                        )
            elif name not in TOP:
                out.problems.append(
                    Problem(
                        "warning",
                        "unknown-element",
                        f"<{name}> is not part of the enhanced format; ignored",
                        line=line_of(node),
                    )
                )
            continue
        parent = node.getparent()
        if parent is None or local(parent.tag) != "entities":
            continue
        if name != "entity":
            out.problems.append(
                Problem(
                    "warning",
                    "unknown-element",
                    f"<{name}> in <entities> is not part of the enhanced format; ignored",
                    line=line_of(node),
                )
            )
            continue
        party = _entity(node, countries, out)
        if party is None:
            continue
        out.parties.append(party)
        for entry in party.entries:
            out.list_names.add(entry.list_name)
        for relation in _relations(node, party.fixed_ref):
            if relation.id not in seen_relations:
                seen_relations.add(relation.id)
                out.relations.append(relation)
    return out


def _entity(
    node: etree._Element, countries: dict[str, tuple[str | None, str | None]], out: EnhancedFile
) -> Party | None:
    fixed_ref = node.get("id") or ""
    general = child(node, "generalInfo")
    kind = child_text(general, "entityType") if general is not None else None
    if not fixed_ref or kind not in PARTY_KINDS:
        out.problems.append(
            Problem(
                "quarantined",
                "bad-record",
                f"entity without id or with type {kind!r} (Individual, Entity, Vessel, Aircraft)",
                fixed_ref,
                line_of(node),
            )
        )
        return None
    assert kind is not None
    party = Party(fixed_ref, kind, line=line_of(node))
    for sub in node:
        sub_name = local(sub.tag)
        if sub_name and sub_name not in ENTITY_PARTS:
            out.problems.append(
                Problem(
                    "warning",
                    "unknown-element",
                    f"<{sub_name}> in entity {fixed_ref} is not part of the enhanced format; "
                    "ignored",
                    fixed_ref,
                    line_of(sub),
                )
            )
    if general is not None:
        party.identity_id = child_text(general, "identityId")
        if remarks := child_text(general, "remarks"):
            party.remarks.append(remarks)
    programs = [text(n) or "" for n in _items(node, "sanctionsPrograms", "sanctionsProgram")]
    measures = [text(n) or "" for n in _items(node, "sanctionsTypes", "sanctionsType")]
    basis = [text(n) or "" for n in _items(node, "legalAuthorities", "legalAuthority")]
    for item in _items(node, "sanctionsLists", "sanctionsList"):
        published = item.get("datePublished")
        party.entries.append(
            Entry(
                text(item) or "",
                programs=[p for p in programs if p],
                measures=[m for m in measures if m],
                legal_basis=[b for b in basis if b],
                date=published[:10] if published else None,
                line=line_of(item),
            )
        )
    for name in _items(node, "names", "name"):
        party.aliases.append(_alias(name, kind))
    for address in _items(node, "addresses", "address"):
        party.locations.append(_address(address, countries))
    for feature in _items(node, "features", "feature"):
        party.features.append(_feature(feature, countries))
    for document in _items(node, "identityDocuments", "identityDocument"):
        found = _document(document, countries)
        if found is None:
            out.problems.append(
                Problem(
                    "quarantined",
                    "bad-record",
                    f"identityDocument {document.get('id')} without type or number",
                    fixed_ref,
                    line_of(document),
                )
            )
        else:
            party.documents.append(found)
    return party


def _items(node: etree._Element, group: str, item: str) -> list[etree._Element]:
    found = child(node, group)
    return children(found, item) if found is not None else []


def _alias(node: etree._Element, kind: str) -> Alias:
    forms: list[NameForm] = []
    translations = _items(node, "translations", "translation")
    # The primary translation (OFAC's Latin rendering) first.
    translations.sort(key=lambda t: not _bool(t, "isPrimary"))
    for translation in translations:
        full = child_text(translation, "formattedFullName")
        if not full:
            parts = [child_text(p, "value") for p in _items(translation, "nameParts", "namePart")]
            full = " ".join(p for p in parts if p)
        if not full:
            continue
        parts_by_type = {
            child_text(p, "type"): child_text(p, "value")
            for p in _items(translation, "nameParts", "namePart")
        }
        forms.append(
            NameForm(
                full,
                child_text(translation, "script") or "Latin",
                last=child_text(translation, "formattedLastName") if kind == "Individual" else None,
                first=child_text(translation, "formattedFirstName")
                if kind == "Individual"
                else None,
                middle=parts_by_type.get("Middle Name"),
            )
        )
    return Alias(
        kind=child_text(node, "aliasType") or "Name",
        primary=_bool(node, "isPrimary"),
        low_quality=_bool(node, "isLowQuality"),
        forms=forms,
        line=line_of(node),
    )


def _address(node: etree._Element, countries: dict[str, tuple[str | None, str | None]]) -> Location:
    country_node = child(node, "country")
    country, iso = (None, None)
    if country_node is not None:
        country, iso = countries.get(country_node.get("refId") or "", (text(country_node), None))
        country = country or text(country_node)
    parts: dict[str, str] = {}
    translations = _items(node, "translations", "translation")
    translations.sort(key=lambda t: not _bool(t, "isPrimary"))
    for translation in translations[:1]:
        for part in _items(translation, "addressParts", "addressPart"):
            kind, value = child_text(part, "type"), child_text(part, "value")
            if kind and value:
                parts[kind] = value
    return Location(node.get("id") or "", parts, country, iso, line_of(node))


def _feature(node: etree._Element, countries: dict[str, tuple[str | None, str | None]]) -> Feature:
    label = (child_text(node, "type") or "").strip()
    value = child_text(node, "value")
    date = child(node, "valueDate")
    if date is not None:
        start = date_prefix(child_text(date, "fromDateBegin"), child_text(date, "fromDateEnd"))
        end = date_prefix(child_text(date, "toDateBegin"), child_text(date, "toDateEnd"))
        rendered = render_period(start, end, _bool(date, "isApproximate"))
        value = value or rendered
    iso = None
    ref = child_text(node, "valueRefId")
    if ref and ref in countries:
        name, iso = countries[ref]
        value = value or name
    return Feature(label, value, country_iso=iso, line=line_of(node))


def _document(
    node: etree._Element, countries: dict[str, tuple[str | None, str | None]]
) -> Document | None:
    doc_type, number = child_text(node, "type"), child_text(node, "documentNumber")
    if not doc_type or not number:
        return None
    country, iso = None, None
    issuer = child(node, "issuingCountry")
    if issuer is not None:
        country, iso = countries.get(issuer.get("refId") or "", (text(issuer), None))
        country = country or text(issuer)
    return Document(
        doc_type=doc_type,
        number=number,
        country=country,
        iso=iso,
        issued=_doc_date(child_text(node, "issueDate")),
        expires=_doc_date(child_text(node, "expirationDate")),
        authority=child_text(node, "issuingAuthority"),
        valid=(child_text(node, "isValid") or "true").lower() == "true",
        line=line_of(node),
    )


def _doc_date(value: str | None) -> str | None:
    if not value:
        return None
    return render_period(value[:10], None) if re.match(r"\d{4}-\d{2}-\d{2}", value) else value


def _relations(node: etree._Element, fixed_ref: str) -> list[Relation]:
    out: list[Relation] = []
    for item in _items(node, "relationships", "relationship"):
        related = child(item, "relatedEntity")
        target = related.get("entityId") if related is not None else None
        kind = child_text(item, "type")
        if not target or not kind or not item.get("id"):
            continue
        out.append(
            Relation(
                id=item.get("id") or "",
                type=kind,
                source=fixed_ref,
                target=target,
                target_name=text(related),
                quality=child_text(item, "quality"),
                former=_bool(item, "isFormer"),
                line=line_of(item),
            )
        )
    return out


PUBLISHED = re.compile(rb"<dataAsOf>([^<]+)</dataAsOf>")


def published_in_head(head: bytes) -> datetime | None:
    match = PUBLISHED.search(head)
    return parse_timestamp(match.group(1).decode("ascii", "replace")) if match else None
