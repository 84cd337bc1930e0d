"""OFAC's advanced XML (``SDN_ADVANCED.XML``, ``CONS_ADVANCED.XML``): the UN sanctions model.

The file is normalised. ``ReferenceValueSets`` come first (countries, feature types, list and
program names, by numeric ID); then ``Locations`` and ``IDRegDocuments`` (each pointing at an
Identity), ``DistinctParties`` (a Profile holding an Identity of Aliases, and Features),
``ProfileRelationships`` and ``SanctionsEntries`` (each pointing at a Profile). One streaming
pass reads every record into ``model`` records; the cross references are resolved at the end,
and a reference to nothing is reported, never guessed. OFAC's own notes on the format:
https://ofac.treasury.gov/media/10391/download (Advanced Sanctions Data Model).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from lxml import etree

from interdiction.sources.base import InputError
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

SECTIONS = {
    "DateOfIssue",
    "ReferenceValueSets",
    "Locations",
    "IDRegDocuments",
    "DistinctParties",
    "ProfileRelationships",
    "SanctionsEntries",
    "SanctionsEntryLinks",
}
RECORDS = {
    "Locations": "Location",
    "IDRegDocuments": "IDRegDocument",
    "DistinctParties": "DistinctParty",
    "ProfileRelationships": "ProfileRelationship",
    "SanctionsEntries": "SanctionsEntry",
    "SanctionsEntryLinks": "SanctionsEntryLink",
}
# Name part types as the CSV orders them after the comma: "LAST, First Middle".
GIVEN_PARTS = ("First Name", "Middle Name", "Patronymic", "Matronymic", "Maiden Name", "Nickname")
PARTY_KINDS = {"Individual", "Entity", "Vessel", "Aircraft"}


@dataclass
class RefValue:
    text: str | None
    attrib: dict[str, str]


@dataclass
class AdvancedFile:
    published: datetime | None = None
    parties: list[Party] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    list_names: set[str] = field(default_factory=set)


class _Refs:
    """``ReferenceValueSets``: ``refs.text("Country", "11171")`` is ``"Russia"``."""

    def __init__(self) -> None:
        self.values: dict[str, dict[str, RefValue]] = {}
        self.loaded = False

    def load(self, node: etree._Element) -> None:
        for group in node:
            kind = local(group.tag).removesuffix("Values")
            table = self.values.setdefault(kind, {})
            for value in group:
                ident = value.get("ID")
                if ident is not None:
                    attrib = {str(k): str(v) for k, v in value.attrib.items()}
                    table[ident] = RefValue(text(value), attrib)
        self.loaded = True

    def get(self, kind: str, ident: str | None) -> RefValue | None:
        if ident is None:
            return None
        return self.values.get(kind, {}).get(ident)

    def text(self, kind: str, ident: str | None) -> str | None:
        found = self.get(kind, ident)
        return found.text if found else None

    def country(self, ident: str | None) -> tuple[str | None, str | None]:
        """(name as OFAC writes it, ISO code) of a Country reference."""
        found = self.get("Country", ident)
        if found is None or (found.text or "").lower() == "undetermined":
            return None, None
        iso = found.attrib.get("ISO2")
        return found.text, iso.lower() if iso else None


def _iso_date(node: etree._Element | None) -> str | None:
    if node is None:
        return None
    year, month, day = (child_text(node, n) for n in ("Year", "Month", "Day"))
    if not year or not year.isdigit():
        return None
    out = f"{int(year):04d}"
    if month and month.isdigit():
        out += f"-{int(month):02d}"
        if day and day.isdigit():
            out += f"-{int(day):02d}"
    return out


def _period(node: etree._Element) -> str | None:
    """A ``DatePeriod`` as OFAC's CSV renders it (``1962``, ``10 Dec 1948``, ``1951 to 1953``)."""
    bounds: list[str | None] = []
    approximate = False
    for name in ("Start", "End"):
        bound = child(node, name)
        if bound is None:
            bounds.append(None)
            continue
        approximate = approximate or bound.get("Approximate") == "true"
        begin, end = _iso_date(child(bound, "From")), _iso_date(child(bound, "To"))
        bounds.append(date_prefix(begin, end))
    if bounds == [None, None]:
        # A DatePeriod may carry its date directly (SanctionsMeasure periods do).
        return None
    return render_period(bounds[0], bounds[1], approximate)


def read_advanced(path: Path) -> AdvancedFile:
    out = AdvancedFile()
    refs = _Refs()
    locations: dict[str, Location] = {}
    documents: dict[str, list[Document]] = defaultdict(list)
    entries: dict[str, list[Entry]] = defaultdict(list)
    section = ""
    for depth, node in records(path, {1, 2}, frozenset({"ReferenceValueSets", "DateOfIssue"})):
        name = local(node.tag)
        if depth == 1:
            if name == "ReferenceValueSets":
                refs.load(node)
            elif name == "DateOfIssue":
                stamp = _iso_date(node)
                if stamp and len(stamp) == 10:
                    out.published = datetime.fromisoformat(stamp)
            elif name not in SECTIONS:
                out.problems.append(
                    Problem(
                        "warning",
                        "unknown-element",
                        f"<{name}> is not part of the advanced format; ignored",
                        line=line_of(node),
                    )
                )
            continue
        parent = node.getparent()
        section = local(parent.tag) if parent is not None else section
        expected = RECORDS.get(section)
        if expected is None:
            continue  # inside ReferenceValueSets or DateOfIssue: read with their section
        if name != expected:
            out.problems.append(
                Problem(
                    "warning",
                    "unknown-element",
                    f"<{name}> in <{section}> is not part of the advanced format; ignored",
                    line=line_of(node),
                )
            )
            continue
        if not refs.loaded:
            raise InputError(
                path,
                f"<{section}> before <ReferenceValueSets>: not an OFAC advanced XML file",
                line_of(node),
            )
        if name == "Location":
            location = _location(node, refs)
            if location is not None:
                locations[location.id] = location
        elif name == "IDRegDocument":
            identity, document = _document(node, refs, out.problems)
            if identity and document:
                documents[identity].append(document)
        elif name == "DistinctParty":
            party = _party(node, refs, out.problems)
            if party is not None:
                out.parties.append(party)
        elif name == "ProfileRelationship":
            relation = _relation(node, refs, out.problems)
            if relation is not None:
                out.relations.append(relation)
        elif name == "SanctionsEntry":
            profile, entry = _entry(node, refs, out.problems)
            if profile and entry:
                entries[profile].append(entry)
                out.list_names.add(entry.list_name)
    if not refs.loaded:
        raise InputError(path, "no <ReferenceValueSets>: not an OFAC advanced XML file")
    _resolve(out, locations, documents, entries)
    return out


def _resolve(
    out: AdvancedFile,
    locations: dict[str, Location],
    documents: dict[str, list[Document]],
    entries: dict[str, list[Entry]],
) -> None:
    """Attach documents, entries and locations to their parties; report what points nowhere."""
    identities = {p.identity_id for p in out.parties if p.identity_id}
    refs = {p.fixed_ref for p in out.parties}
    for party in out.parties:
        party.documents.extend(documents.get(party.identity_id or "", []))
        party.entries.extend(entries.get(party.fixed_ref, []))
        for feature in party.features:
            if feature.location_id is None:
                continue
            feature.location = locations.get(feature.location_id)
            if feature.location is None:
                out.problems.append(
                    Problem(
                        "warning",
                        "dangling-reference",
                        f"{feature.label} points to Location {feature.location_id}, which the "
                        "file does not hold",
                        party.fixed_ref,
                        feature.line,
                    )
                )
    for identity, docs in documents.items():
        if identity not in identities:
            for doc in docs:
                out.problems.append(
                    Problem(
                        "quarantined",
                        "orphan-row",
                        f"IDRegDocument {doc.doc_type} {doc.number} belongs to Identity "
                        f"{identity}, which no DistinctParty holds",
                        identity,
                        doc.line,
                    )
                )
    for profile, items in entries.items():
        if profile not in refs:
            for entry in items:
                out.problems.append(
                    Problem(
                        "quarantined",
                        "orphan-row",
                        f"SanctionsEntry ({entry.list_name}) for Profile {profile}, which no "
                        "DistinctParty holds",
                        profile,
                        entry.line,
                    )
                )


def _location(node: etree._Element, refs: _Refs) -> Location | None:
    ident = node.get("ID")
    if not ident:
        return None
    country: str | None = None
    iso: str | None = None
    for loc_country in children(node, "LocationCountry"):
        country, iso = refs.country(loc_country.get("CountryID"))
    if country is None:
        for area in children(node, "LocationAreaCode"):
            found = refs.get("AreaCode", area.get("AreaCodeID"))
            if found is not None and (found.attrib.get("Description") or "") != "undetermined":
                country = found.attrib.get("Description")
                iso = found.text.lower() if found.text else None
    parts: dict[str, str] = {}
    for part in children(node, "LocationPart"):
        kind = refs.text("LocPartType", part.get("LocPartTypeID")) or "Unknown"
        values = children(part, "LocationPartValue")
        chosen = [v for v in values if v.get("Primary") == "true"] or values
        for value in chosen[:1]:
            found_text = child_text(value, "Value")
            if found_text:
                parts[kind] = found_text
    return Location(ident, parts, country, iso, line_of(node))


def _document(
    node: etree._Element, refs: _Refs, problems: list[Problem]
) -> tuple[str | None, Document | None]:
    identity = node.get("IdentityID")
    doc_type = refs.text("IDRegDocType", node.get("IDRegDocTypeID"))
    number = child_text(node, "IDRegistrationNo")
    if not identity or not doc_type or not number:
        problems.append(
            Problem(
                "quarantined",
                "bad-record",
                f"IDRegDocument {node.get('ID')} without identity, type or number",
                identity or "",
                line_of(node),
            )
        )
        return identity, None
    country, iso = refs.country(node.get("IssuedBy-CountryID"))
    document = Document(
        doc_type=doc_type,
        number=number,
        country=country,
        iso=iso,
        authority=child_text(node, "IssuingAuthority"),
        comment=child_text(node, "Comment"),
        valid=(refs.text("Validity", node.get("ValidityID")) or "Valid") == "Valid",
        line=line_of(node),
    )
    for date in children(node, "DocumentDate"):
        kind = refs.text("IDRegDocDateType", date.get("IDRegDocDateTypeID")) or ""
        period = child(date, "DatePeriod")
        value = _period(period) if period is not None else None
        if kind == "Issue Date":
            document.issued = value
        elif kind == "Expiration Date":
            document.expires = value
    return identity, document


def _party(node: etree._Element, refs: _Refs, problems: list[Problem]) -> Party | None:
    fixed_ref = node.get("FixedRef") or ""
    profiles = children(node, "Profile")
    if not fixed_ref or len(profiles) != 1:
        problems.append(
            Problem(
                "quarantined",
                "bad-record",
                f"DistinctParty without FixedRef or with {len(profiles)} profiles",
                fixed_ref,
                line_of(node),
            )
        )
        return None
    profile = profiles[0]
    sub_type = refs.get("PartySubType", profile.get("PartySubTypeID"))
    kind = sub_type.text if sub_type else None
    if kind == "Unknown" and sub_type is not None:
        kind = refs.text("PartyType", sub_type.attrib.get("PartyTypeID"))
    if kind not in PARTY_KINDS:
        problems.append(
            Problem(
                "quarantined",
                "bad-record",
                f"party type {kind!r} is not Individual, Entity, Vessel or Aircraft",
                fixed_ref,
                line_of(node),
            )
        )
        return None
    assert kind is not None
    party = Party(fixed_ref, kind, line=line_of(node))
    if remark := child_text(node, "Comment"):
        party.remarks.append(remark)
    for identity in children(profile, "Identity"):
        if identity.get("Primary") == "true" or party.identity_id is None:
            party.identity_id = identity.get("ID")
        groups: dict[str, str] = {}
        for group in identity.iter():
            if local(group.tag) == "NamePartGroup" and group.get("ID"):
                groups[group.get("ID") or ""] = (
                    refs.text("NamePartType", group.get("NamePartTypeID")) or ""
                )
        for alias in children(identity, "Alias"):
            party.aliases.append(_alias(alias, refs, groups, kind))
    for feature in children(profile, "Feature"):
        party.features.extend(_features(feature, refs, problems, fixed_ref))
    return party


def _alias(node: etree._Element, refs: _Refs, groups: dict[str, str], kind: str) -> Alias:
    forms: list[NameForm] = []
    for name in children(node, "DocumentedName"):
        parts: dict[str, list[str]] = defaultdict(list)
        script = "Latin"
        for value in name.iter():
            if local(value.tag) != "NamePartValue" or not text(value):
                continue
            part_type = groups.get(value.get("NamePartGroupID") or "", "")
            parts[part_type].append(text(value) or "")
            script = refs.text("Script", value.get("ScriptID")) or script
        form = _form(parts, script, kind)
        if form is not None:
            forms.append(form)
    return Alias(
        kind=refs.text("AliasType", node.get("AliasTypeID")) or "A.K.A.",
        primary=node.get("Primary") == "true",
        low_quality=node.get("LowQuality") == "true",
        forms=forms,
        line=line_of(node),
    )


def _form(parts: dict[str, list[str]], script: str, kind: str) -> NameForm | None:
    """A documented name as OFAC formats it: people ``LAST, First``, others in capitals."""
    joined = {k: " ".join(v) for k, v in parts.items()}
    for whole in ("Entity Name", "Vessel Name", "Aircraft Name"):
        if joined.get(whole):
            return NameForm(joined[whole].upper(), script)
    last = joined.get("Last Name")
    given = " ".join(joined[p] for p in GIVEN_PARTS if joined.get(p)) or None
    full = f"{last}, {given}" if last and given else last or given or " ".join(joined.values())
    if not full.strip():
        return None
    if kind != "Individual":
        full = full.upper()
    return NameForm(
        full,
        script,
        last=last,
        first=joined.get("First Name"),
        middle=joined.get("Middle Name"),
    )


def _features(
    node: etree._Element, refs: _Refs, problems: list[Problem], fixed_ref: str
) -> list[Feature]:
    label = (refs.text("FeatureType", node.get("FeatureTypeID")) or "").strip()
    out: list[Feature] = []
    for version in children(node, "FeatureVersion"):
        line = line_of(version)
        period = child(version, "DatePeriod")
        if period is not None:
            out.append(Feature(label, _period(period), line=line))
        detail = child(version, "VersionDetail")
        if detail is not None:
            reference = detail.get("DetailReferenceID")
            value = refs.text("DetailReference", reference) if reference else text(detail)
            if value:
                out.append(Feature(label, value, line=line))
        for location in children(version, "VersionLocation"):
            out.append(Feature(label, None, location_id=location.get("LocationID"), line=line))
    if not out:
        problems.append(
            Problem(
                "warning",
                "empty-feature",
                f"feature {label!r} carries no value",
                fixed_ref,
                line_of(node),
            )
        )
    return out


def _entry(
    node: etree._Element, refs: _Refs, problems: list[Problem]
) -> tuple[str | None, Entry | None]:
    profile = node.get("ProfileID")
    list_name = refs.text("List", node.get("ListID"))
    if not profile or not list_name:
        problems.append(
            Problem(
                "quarantined",
                "bad-record",
                f"SanctionsEntry {node.get('ID')} without profile or known list",
                profile or "",
                line_of(node),
            )
        )
        return profile, None
    entry = Entry(list_name, line=line_of(node))
    for event in children(node, "EntryEvent"):
        date = _iso_date(child(event, "Date"))
        if date and (entry.date is None or date < entry.date):
            entry.date = date
        basis = refs.text("LegalBasis", event.get("LegalBasisID"))
        if basis and basis != "Unknown" and basis not in entry.legal_basis:
            entry.legal_basis.append(basis)
    for measure in children(node, "SanctionsMeasure"):
        kind = refs.text("SanctionsType", measure.get("SanctionsTypeID"))
        if kind == "Program":
            if program := child_text(measure, "Comment"):
                entry.programs.append(program)
        elif kind and kind not in entry.measures:
            entry.measures.append(kind)
    return profile, entry


def _relation(node: etree._Element, refs: _Refs, problems: list[Problem]) -> Relation | None:
    source, target = node.get("From-ProfileID"), node.get("To-ProfileID")
    kind = refs.text("RelationType", node.get("RelationTypeID"))
    if not source or not target or not kind or not node.get("ID"):
        problems.append(
            Problem(
                "quarantined",
                "bad-record",
                f"ProfileRelationship {node.get('ID')} without both ends or a known type",
                source or "",
                line_of(node),
            )
        )
        return None
    return Relation(
        id=node.get("ID") or "",
        type=kind,
        source=source,
        target=target,
        quality=refs.text("RelationQuality", node.get("RelationQualityID")),
        former=node.get("Former") == "true",
        line=line_of(node),
    )


DATE_OF_ISSUE = re.compile(
    rb"<DateOfIssue[^>]*>\s*<Year>(\d{4})</Year>\s*<Month>(\d{1,2})</Month>\s*<Day>(\d{1,2})</Day>"
)


def published_in_head(head: bytes) -> datetime | None:
    match = DATE_OF_ISSUE.search(head)
    if match is None:
        return None
    try:
        return datetime(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None
