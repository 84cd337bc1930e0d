"""OFAC's XML lists (advanced and enhanced schemas) into the store, like the legacy CSV.

The same party gets the same identifier from either format (``ofac-<FixedRef>``: OFAC's UID,
the CSV's ``ent_num``), the same Sanction id (``ofac-<n>-sanction-<dataset>``) and, for every
fact the CSV also carries, the same statement: remark-like facts (dates, nationalities,
documents, provisions) go through the CSV's own remark table (``features.py`` says why);
addresses keep the CSV's ``ofac-addr-<n>`` ids. What the XML adds: names in other scripts,
the split of addresses into city, state and postal code, listing dates, lists and legal bases
of each listing, and typed relationships (``ofac-rel-<n>``) where the CSV has only a
"Linked To:" name. The XML datasets are the CSV's (``us_ofac_sdn``, ``us_ofac_cons``): when
one load holds both formats of a list the XML is read and the CSV skipped
(``supersedes``), and a complete XML version retires what an earlier CSV version said and it
does not (``covers``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import datetime
from pathlib import Path

from followthemoney.proxy import EntityProxy

from interdiction.sources.base import Batch, FileSet, InputError, KnownSchema, Origin, Reader
from interdiction.sources.countries import clean_country
from interdiction.sources.ofac_csv.reader import (
    AUTHORITY,
    DETAILS_URL,
    Link,
    OfacCsvReader,
    _tonnage,
    entity_id,
    normalise_name,
)
from interdiction.sources.ofac_csv.remarks import split_remarks
from interdiction.sources.ofac_xml import advanced, enhanced
from interdiction.sources.ofac_xml.features import (
    ALIAS_PROPS,
    CONSOLIDATED,
    LOCATION_FEATURE,
    OWNER_FEATURES,
    RELATIONS,
    VESSEL_COLUMNS,
    RelationRule,
    phrase_for,
)
from interdiction.sources.ofac_xml.model import Document, Feature, Location, Party, Relation

SCHEMA = {
    "Individual": "Person",
    "Entity": "Organization",
    "Vessel": "Vessel",
    "Aircraft": "Airplane",
}
ADVANCED_MARKS = (b"http://www.un.org/sanctions/1.0", b"exports/ADVANCED_XML")
ENHANCED_MARKS = (b"exports/ENHANCED_XML",)
CSV_ROLES = {"primary", "alias", "address", "comments"}
LIST_ID = re.compile(rb'<List ID="(\d+)"[^>]*>\s*Consolidated List\s*</List>')
FILTER = re.compile(rb"<filters>(.*?)</filters>", re.DOTALL)
FILTER_LIST = re.compile(rb"<sanctionsList[^>]*>([^<]+)</sanctionsList>")


def xml_schema(head: bytes) -> str | None:
    """``advanced`` or ``enhanced`` for an OFAC XML file's first bytes, else None."""
    if b"<Sanctions" in head and any(mark in head for mark in ADVANCED_MARKS):
        return "advanced"
    if b"<sanctionsData" in head and (
        any(mark in head for mark in ENHANCED_MARKS) or b"<publicationInfo" in head
    ):
        return "enhanced"
    return None


def _advanced_dataset(path: Path) -> str:
    """SDN or consolidated, from the file: consolidated files file every party under the
    'Consolidated List' as well; the SDN file lists nobody there."""
    consolidated_id: bytes | None = None
    tail = b""
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            data = tail + chunk
            if consolidated_id is None:
                match = LIST_ID.search(data)
                if match:
                    consolidated_id = b'ListID="' + match.group(1) + b'"'
            if consolidated_id is not None and consolidated_id in data:
                return "us_ofac_cons"
            tail = data[-256:]
    return "us_ofac_sdn"


def xml_dataset(path: Path, head: bytes, schema: str) -> str:
    if schema == "enhanced":
        found = FILTER.search(head)
        lists = FILTER_LIST.findall(found.group(1)) if found else []
        names = {n.strip().decode("utf-8", "replace") for n in lists}
        if "SDN List" in names:
            return "us_ofac_sdn"
        if names:
            return "us_ofac_cons"
    else:
        return _advanced_dataset(path)
    name = path.name.lower()
    return "us_ofac_cons" if "cons" in name else "us_ofac_sdn"


class OfacXmlReader(Reader):
    name = "ofac-xml"
    version = "1"
    title = "OFAC XML, advanced (SDN_ADVANCED) and enhanced schemas (SDN and consolidated)"
    supersedes = ("ofac-csv",)

    def __init__(self, remarks_limit: int = 1000) -> None:
        # The legacy CSV reader's remark rules, applied to the XML's rendered facts.
        self._facts = OfacCsvReader(remarks_limit=remarks_limit)

    def claim(self, path: Path, head: bytes) -> tuple[str, str] | None:
        schema = xml_schema(head)
        if schema is None:
            return None
        return (xml_dataset(path, head, schema), "primary")

    def complete(self, fileset: FileSet) -> bool:
        return fileset.role("primary") is not None

    def covers(self, fileset: FileSet) -> set[str]:
        # One XML file holds what the four CSV files hold together.
        return CSV_ROLES | fileset.roles if self.complete(fileset) else fileset.roles

    def published(self, fileset: FileSet) -> datetime | None:
        source = fileset.role("primary")
        if source is None:
            return None
        with open(source.path, "rb") as handle:
            head = handle.read(65536)
        if xml_schema(head) == "advanced":
            return advanced.published_in_head(head)
        return enhanced.published_in_head(head)

    def read(self, fileset: FileSet, batch: Batch, known_schema: KnownSchema) -> None:
        source = fileset.role("primary")
        assert source is not None
        with open(source.path, "rb") as handle:
            head = handle.read(65536)
        schema = xml_schema(head)
        if schema is None:
            raise InputError(source.path, "not an OFAC advanced or enhanced XML file")
        parsed = (
            advanced.read_advanced(source.path)
            if schema == "advanced"
            else enhanced.read_enhanced(source.path)
        )
        for problem in parsed.problems:
            origin = Origin(source.name, "primary", problem.record, problem.line)
            if problem.level == "quarantined":
                batch.quarantine(problem.code, problem.message, origin)
            else:
                batch.warn(problem.code, problem.message, origin)
        if not parsed.parties:
            raise InputError(source.path, f"no parties in this OFAC {schema} XML file")
        names: dict[str, set[str]] = defaultdict(set)
        alias_names: dict[str, set[str]] = defaultdict(set)
        pending: list[Link] = []
        total = len(parsed.parties)
        for count, party in enumerate(parsed.parties, start=1):
            entity = self._party(party, source.name, batch, pending)
            for value in entity.get("name", quiet=True):
                names[normalise_name(value)].add(entity.id or "")
            for prop in ("alias", "weakAlias", "previousName"):
                for value in entity.get(prop, quiet=True):
                    alias_names[normalise_name(value)].add(entity.id or "")
            if count % 500 == 0 or count == total:
                batch.progress(count, total)
        for relation in parsed.relations:
            self._relation(relation, source.name, batch)
        for link in pending:
            self._facts._link(link, names, alias_names, batch)

    # -- one party -----------------------------------------------------------------------

    def _party(self, party: Party, file: str, batch: Batch, pending: list[Link]) -> EntityProxy:
        dataset = batch.fileset.dataset
        ref = party.fixed_ref
        origin = Origin(file, "primary", ref, party.line)
        batch.records.add(ref)
        eid = entity_id(ref)
        entity = batch.entity(SCHEMA[party.kind], eid, target=True)
        batch.add(entity, "topics", "sanction", origin, cleaned=True)
        batch.add(entity, "sourceUrl", DETAILS_URL.format(ref), origin, cleaned=True)
        sanction = batch.entity("Sanction", f"{eid}-sanction-{dataset}")
        batch.add(sanction, "entity", eid, origin)
        batch.add(sanction, "authority", AUTHORITY, origin)
        batch.add(sanction, "country", "us", origin, cleaned=True)
        batch.add(sanction, "sourceUrl", DETAILS_URL.format(ref), origin, cleaned=True)
        batch.add(sanction, "authorityId", ref, origin)
        self._entries(party, entity, sanction, file, batch)
        self._names(party, entity, file, batch)
        for remark in party.remarks:
            batch.add(entity, "notes", remark, origin)
        for feature in party.features:
            self._feature(
                feature,
                entity,
                sanction,
                Origin(file, "primary", ref, feature.line),
                batch,
                pending,
            )
        for location in party.locations:
            self._address(location, entity, Origin(file, "primary", ref, location.line), batch)
        for document in party.documents:
            self._document(
                document,
                entity,
                sanction,
                Origin(file, "primary", ref, document.line),
                batch,
                pending,
            )
        return entity

    def _entries(
        self,
        party: Party,
        entity: EntityProxy,
        sanction: EntityProxy,
        file: str,
        batch: Batch,
    ) -> None:
        listings = [e for e in party.entries if e.list_name != CONSOLIDATED] or party.entries
        if not party.entries:
            batch.warn(
                "no-listing",
                "party without a sanctions entry: it is in the file but on no list",
                Origin(file, "primary", party.fixed_ref, party.line),
            )
        for entry in party.entries:
            origin = Origin(file, "primary", party.fixed_ref, entry.line)
            for program in entry.programs:
                batch.add(entity, "program", program, origin)
                batch.add(sanction, "program", program, origin)
            for measure in entry.measures:
                batch.add(sanction, "provisions", measure, origin)
            for basis in entry.legal_basis:
                batch.add(sanction, "reason", basis, origin)
            if entry in listings:
                batch.add(sanction, "status", entry.list_name, origin)
        dates = sorted(e.date for e in listings if e.date)
        if dates:
            first = Origin(file, "primary", party.fixed_ref, listings[0].line)
            batch.add(sanction, "listingDate", dates[0], first, cleaned=True)
            batch.add(sanction, "startDate", dates[0], first, cleaned=True)

    def _names(self, party: Party, entity: EntityProxy, file: str, batch: Batch) -> None:
        primary_done = False
        for alias in party.aliases:
            origin = Origin(file, "primary", party.fixed_ref, alias.line)
            is_primary = alias.primary and alias.kind == "Name"
            for form in alias.forms:
                if is_primary and form.latin and not primary_done:
                    primary_done = True
                    batch.add(entity, "name", form.text, origin)
                    if entity.schema.is_a("Person") and "," in form.text:
                        # As the CSV derives them, so that both formats agree.
                        last, _, first = form.text.partition(",")
                        batch.add(entity, "lastName", last, origin)
                        batch.add(entity, "firstName", first, origin)
                    continue
                if alias.low_quality:
                    prop = "weakAlias"
                elif is_primary:
                    prop = "alias"  # the primary name in another script
                else:
                    prop = ALIAS_PROPS.get(alias.kind, "alias")
                raw = None if form.latin else f"{form.script}: {form.text}"
                batch.add(entity, prop, form.text, origin, original_value=raw)
        if not primary_done:
            batch.warn(
                "no-primary-name",
                "no primary name in Latin script: the first alias stands in as the name",
                Origin(file, "primary", party.fixed_ref, party.line),
            )
            for alias in party.aliases:
                for form in alias.forms:
                    batch.add(
                        entity,
                        "name",
                        form.text,
                        Origin(file, "primary", party.fixed_ref, alias.line),
                    )
                    return

    # -- features, documents, addresses --------------------------------------------------------

    def _feature(
        self,
        feature: Feature,
        entity: EntityProxy,
        sanction: EntityProxy,
        origin: Origin,
        batch: Batch,
        pending: list[Link],
    ) -> None:
        if feature.label == LOCATION_FEATURE:
            if feature.location is not None:
                self._address(feature.location, entity, origin, batch)
            return
        value = feature.text
        if value is None and feature.location is not None:
            value = feature.location.country
        if not value:
            return
        if feature.label in VESSEL_COLUMNS:
            prop = VESSEL_COLUMNS[feature.label]
            if entity.schema.get(prop) is None:
                batch.warn(
                    "property-not-applicable", f"{feature.label} on a {entity.schema.name}", origin
                )
            elif prop in ("tonnage", "grossRegisteredTonnage"):
                batch.add(entity, prop, _tonnage(value), origin, original_value=value)
            elif prop == "flag" and (
                feature.country_iso or (feature.location and feature.location.iso)
            ):
                code = feature.country_iso or (feature.location.iso if feature.location else None)
                batch.add(entity, prop, code, origin, original_value=value, cleaned=True)
            else:
                batch.add(entity, prop, value, origin)
            return
        if feature.label in OWNER_FEATURES:
            pending.append(Link("owner", entity, value, origin))
            return
        self._phrase(
            f"{phrase_for(feature.label)} {value}", entity, sanction, origin, batch, pending
        )

    def _document(
        self,
        document: Document,
        entity: EntityProxy,
        sanction: EntityProxy,
        origin: Origin,
        batch: Batch,
        pending: list[Link],
    ) -> None:
        text = f"{document.doc_type} {document.number}"
        if document.country:
            text += f" ({document.country})"
        if document.issued:
            text += f" issued {document.issued}"
        if document.expires:
            text += f" expires {document.expires}"
        if not document.valid:
            batch.warn(
                "document-not-valid",
                f"{text}: OFAC marks this document as not valid (fraudulent); kept, as OFAC "
                "lists it",
                origin,
            )
        self._phrase(text, entity, sanction, origin, batch, pending)

    def _phrase(
        self,
        text: str,
        entity: EntityProxy,
        sanction: EntityProxy,
        origin: Origin,
        batch: Batch,
        pending: list[Link],
    ) -> None:
        """Apply one fact through the CSV remark table; a phrase it does not know stays in
        the notes, as the CSV keeps it (its notes hold the whole remark)."""
        text = " ".join(text.replace(";", ",").split())
        phrases = split_remarks(text)
        rule = phrases[0].rule if phrases else None
        if rule is not None and rule.kind == "note":
            batch.add(entity, "notes", text, origin)
            return
        if rule is None:
            batch.warn(
                "unknown-feature",
                f"{text!r}: no rule for this feature or document type; kept in notes",
                origin,
            )
            batch.add(entity, "notes", text, origin)
            return
        self._facts._remarks(entity, sanction, text, origin, batch, pending)

    def _address(
        self, location: Location, holder: EntityProxy, origin: Origin, batch: Batch
    ) -> None:
        parts = location.parts
        street = ", ".join(parts[k] for k in ("ADDRESS1", "ADDRESS2", "ADDRESS3") if parts.get(k))
        city = ", ".join(parts[k] for k in ("CITY", "STATE/PROVINCE") if parts.get(k))
        if parts.get("POSTAL CODE"):
            city = f"{city} {parts['POSTAL CODE']}".strip()
        country = location.country
        if not country and parts.get("REGION"):
            country = f"Region: {parts['REGION']}"
        unknown = parts.get("Unknown")
        if not any((street, city, country, unknown)):
            return
        # ``full`` as the CSV composes its address columns, so that both formats agree.
        full = ", ".join(p for p in (street or unknown, city, country) if p)
        address = batch.entity("Address", f"ofac-addr-{location.id}")
        batch.add(address, "full", full, origin)
        batch.add(address, "street", street or None, origin)
        batch.add(address, "city", parts.get("CITY"), origin)
        batch.add(address, "state", parts.get("STATE/PROVINCE"), origin)
        batch.add(address, "region", parts.get("REGION"), origin)
        batch.add(address, "postalCode", parts.get("POSTAL CODE"), origin)
        code = location.iso
        if code is None and country:
            code = clean_country(country)
        if code:
            batch.add(address, "country", code, origin, original_value=country, cleaned=True)
            batch.add(holder, "country", code, origin, original_value=country, cleaned=True)
        batch.add(holder, "addressEntity", address.id, origin)
        batch.add(holder, "address", full, origin)

    # -- relationships -------------------------------------------------------------------------

    def _relation(self, relation: Relation, file: str, batch: Batch) -> None:
        origin = Origin(file, "primary", relation.source, relation.line)
        rule = RELATIONS.get(relation.type)
        if rule is None:
            batch.warn(
                "unknown-relation",
                f"relationship type {relation.type!r} has no mapping; kept as an unknown link",
                origin,
            )
            rule = RelationRule("UnknownLink", "subject", "object", "role")
        source, target = entity_id(relation.source), entity_id(relation.target)
        if rule.schema == "Ownership":
            source, target = self._asset_side(rule, source, target, relation, origin, batch)
        link = batch.entity(rule.schema, f"ofac-rel-{relation.id}")
        batch.add(link, rule.source, source, origin)
        batch.add(link, rule.target, target, origin, original_value=relation.target_name)
        batch.add(link, rule.role, relation.type, origin)
        if relation.former:
            batch.add(link, "status", "former", origin)
        if relation.quality and relation.quality not in ("Unknown",):
            batch.add(link, "description", f"relation quality: {relation.quality}", origin)

    def _asset_side(
        self,
        rule: RelationRule,
        source: str,
        target: str,
        relation: Relation,
        origin: Origin,
        batch: Batch,
    ) -> tuple[str, str]:
        """An owned party is an asset: an Organization becomes a Company (as OpenSanctions
        does); a person cannot be owned, so such a link is read the other way round."""
        asset = source if rule.source == "asset" else target
        found = batch.entities.get(asset)
        if found is not None and found.schema.is_a("Person"):
            batch.warn(
                "relation-reversed",
                f"{relation.type}: {asset} is a person and cannot be owned; read as the owner",
                origin,
            )
            source, target = target, source
            asset = source if rule.source == "asset" else target
            found = batch.entities.get(asset)
        if found is not None and found.schema.name == "Organization":
            batch.entity("Company", asset)
        return source, target
