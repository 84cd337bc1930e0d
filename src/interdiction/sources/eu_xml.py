"""The EU Financial Sanctions Files, XML (``xmlFullSanctionsList_1_1``).

One ``<export generationDate=...>`` of ``<sanctionEntity logicalId=... euReferenceNumber=...
unitedNationId=...>`` records, each with its ``regulation`` (programme, Official Journal
reference), ``subjectType`` (person, enterprise), ``nameAlias`` (whole name and parts, with
language, function, title, gender, strong or weak), ``citizenship``, ``birthdate``,
``identification`` (passports and ids, with their flags: known false, expired, lost,
revoked), ``address`` and ``remark``. Ids follow OpenSanctions: ``eu-fsf-<logicalId>``;
the EU reference number and the UN reference go on the Sanction (``authorityId``,
``unscId``), where the cross-list reconciliation finds them. A record that appears twice in
one file (same logicalId) is read once per copy and reported, with what differs: the copies
are data, and which one is right is for a person to decide.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from followthemoney.proxy import EntityProxy
from followthemoney.types import registry
from lxml import etree

from interdiction.ids import derived_id
from interdiction.sources.base import Batch, FileSet, InputError, KnownSchema, Origin, Reader
from interdiction.sources.countries import clean_country
from interdiction.sources.dates import parse_timestamp
from interdiction.sources.ofac_xml.xmlstream import line_of, local, records, text

AUTHORITY = "European Union (Council of the EU; European Commission, FPI)"
SCHEMA = {"person": "Person", "enterprise": "Organization"}
KNOWN = {
    "regulation",
    "subjectType",
    "nameAlias",
    "citizenship",
    "birthdate",
    "identification",
    "address",
    "remark",
    "contactInfo",
}
GENDER = {"M": "male", "F": "female"}
UNKNOWN_COUNTRY = {"", "00"}
GENERATED = re.compile(rb'<export[^>]*generationDate="([^"]+)"')


def entity_id(logical_id: str) -> str:
    return f"eu-fsf-{logical_id}"


def _attr(node: etree._Element, name: str) -> str | None:
    value = node.get(name)
    if value is None:
        return None
    value = " ".join(value.split())
    return value or None


def _country(node: etree._Element) -> tuple[str | None, str | None]:
    """(ISO code, description) of a country the EU writes as ``countryIso2Code``."""
    iso = (node.get("countryIso2Code") or "").strip()
    description = _attr(node, "countryDescription")
    if iso in UNKNOWN_COUNTRY:
        return None, None if (description or "").upper() == "UNKNOWN" else description
    return iso.lower(), description


class EuXmlReader(Reader):
    name = "eu-xml"
    version = "1"
    title = "EU Financial Sanctions Files XML (xmlFullSanctionsList_1_1)"

    def claim(self, path: Path, head: bytes) -> tuple[str, str] | None:
        if b"<export" in head and b"fsd/export" in head:
            return ("eu_fsf", "primary")
        return None

    def complete(self, fileset: FileSet) -> bool:
        return fileset.role("primary") is not None

    def published(self, fileset: FileSet) -> datetime | None:
        source = fileset.role("primary")
        if source is None:
            return None
        with open(source.path, "rb") as handle:
            match = GENERATED.search(handle.read(4096))
        return parse_timestamp(match.group(1).decode("ascii", "replace")) if match else None

    def read(self, fileset: FileSet, batch: Batch, known_schema: KnownSchema) -> None:
        source = fileset.role("primary")
        assert source is not None
        seen: dict[str, tuple[int | None, dict[str, str]]] = {}
        count = 0
        root_seen = False
        for depth, node in records(source.path, {0, 1}):
            if depth == 0:
                root_seen = local(node.tag) == "export"
                continue
            if local(node.tag) != "sanctionEntity":
                if isinstance(node.tag, str):
                    batch.warn(
                        "unknown-element",
                        f"<{local(node.tag)}> is not part of the EU format; ignored",
                        Origin(source.name, "primary", "", line_of(node)),
                    )
                continue
            count += self._record(node, source.name, batch, seen)
            if count % 200 == 0:
                batch.progress(count, None)
        if not root_seen:
            raise InputError(source.path, "root element is not <export>: not an EU FSF file")
        if count == 0:
            raise InputError(source.path, "no sanctionEntity records")

    def _record(
        self,
        node: etree._Element,
        file: str,
        batch: Batch,
        seen: dict[str, tuple[int | None, dict[str, str]]],
    ) -> int:
        logical_id = _attr(node, "logicalId") or ""
        reference = _attr(node, "euReferenceNumber")
        origin = Origin(file, "primary", logical_id, line_of(node))
        subject = next((c for c in node if local(c.tag) == "subjectType"), None)
        code = subject.get("code") if subject is not None else None
        schema = SCHEMA.get(code or "")
        names = [c for c in node if local(c.tag) == "nameAlias" and _attr(c, "wholeName")]
        if not logical_id or schema is None or not names:
            batch.quarantine(
                "bad-record",
                f"sanctionEntity without logicalId, a known subject type ({code!r}) or a name",
                origin,
                raw=etree.tostring(node, encoding="unicode")[:2000],
            )
            return 0
        aliases = {
            _attr(n, "logicalId") or str(i): _attr(n, "wholeName") or ""
            for i, n in enumerate(names)
        }
        if logical_id in seen:
            first_line, first_aliases = seen[logical_id]
            changed = [
                f"nameAlias {k}: {first_aliases[k]!r} here {v!r}"
                for k, v in aliases.items()
                if k in first_aliases and first_aliases[k] != v
            ]
            batch.warn(
                "duplicate-record",
                f"sanctionEntity {logical_id} ({reference}) appears again (first at line "
                f"{first_line}); both copies are read"
                + (f"; they differ: {'; '.join(changed)}" if changed else ""),
                origin,
            )
        else:
            seen[logical_id] = (origin.line, aliases)
        batch.records.add(logical_id)
        eid = entity_id(logical_id)
        entity = batch.entity(schema, eid, target=True)
        batch.add(entity, "topics", "sanction", origin, cleaned=True)
        sanction = batch.entity("Sanction", f"{eid}-sanction")
        batch.add(sanction, "entity", eid, origin)
        batch.add(sanction, "authority", AUTHORITY, origin)
        batch.add(sanction, "country", "eu", origin, cleaned=True)
        batch.add(sanction, "authorityId", reference, origin)
        if un_ref := _attr(node, "unitedNationId"):
            batch.add(sanction, "unscId", un_ref, origin)
        batch.add(sanction, "listingDate", _attr(node, "designationDate"), origin)
        batch.add(sanction, "startDate", _attr(node, "designationDate"), origin)
        batch.add(sanction, "reason", _attr(node, "designationDetails"), origin)
        # The EU marks no name as primary. The one that stands as the name: the first given
        # in parts (first and last name) without a language, else the first without a
        # language (translations carry one); the others are aliases.
        untranslated = [n for n in names if not _attr(n, "nameLanguage")] or names
        structured = [n for n in untranslated if _attr(n, "firstName") or _attr(n, "lastName")]
        primary = (structured or untranslated)[0]
        for child in node:
            tag = local(child.tag)
            where = Origin(file, "primary", logical_id, line_of(child))
            if tag == "nameAlias":
                self._name(entity, child, where, batch, child is primary)
            elif tag == "regulation":
                self._regulation(entity, sanction, child, where, batch)
            elif tag == "citizenship":
                iso, description = _country(child)
                if iso:
                    batch.add(
                        entity,
                        "nationality" if schema == "Person" else "country",
                        iso,
                        where,
                        original_value=description,
                        cleaned=True,
                    )
            elif tag == "birthdate":
                self._birth(entity, child, where, batch)
            elif tag == "identification":
                self._identification(entity, child, where, batch)
            elif tag == "address":
                self._address(entity, child, where, batch)
            elif tag == "remark":
                batch.add(entity, "notes", text(child), where)
            elif tag == "subjectType":
                continue
            elif tag:
                batch.warn(
                    "unknown-element",
                    f"<{tag}> in {logical_id} is not part of the EU format; ignored",
                    where,
                )
        return 1

    def _name(
        self,
        entity: EntityProxy,
        node: etree._Element,
        origin: Origin,
        batch: Batch,
        primary: bool,
    ) -> None:
        whole = _attr(node, "wholeName")
        language = _attr(node, "nameLanguage")
        lang = registry.language.clean_text(language) if language else None
        strong = (node.get("strong") or "true").lower() == "true"
        prop = "name" if primary else ("alias" if strong else "weakAlias")
        batch.add(entity, prop, whole, origin, lang=lang)
        if entity.schema.is_a("Person"):
            if prop == "name":
                batch.add(entity, "firstName", _attr(node, "firstName"), origin)
                batch.add(entity, "middleName", _attr(node, "middleName"), origin)
                batch.add(entity, "lastName", _attr(node, "lastName"), origin)
            batch.add(entity, "title", _attr(node, "title"), origin)
            if gender := GENDER.get(node.get("gender") or ""):
                batch.add(entity, "gender", gender, origin, cleaned=True)
        if function := _attr(node, "function"):
            prop_name = "position" if entity.schema.is_a("Person") else "notes"
            batch.add(entity, prop_name, function, origin)
        for remark in node:
            if local(remark.tag) == "remark":
                batch.add(entity, "notes", text(remark), origin)

    def _regulation(
        self,
        entity: EntityProxy,
        sanction: EntityProxy,
        node: etree._Element,
        origin: Origin,
        batch: Batch,
    ) -> None:
        programme = _attr(node, "programme")
        batch.add(entity, "program", programme, origin)
        batch.add(sanction, "program", programme, origin)
        title = _attr(node, "numberTitle")
        kind = _attr(node, "regulationType")
        if title:
            batch.add(sanction, "provisions", f"{kind or 'regulation'} {title}", origin)
        for url in node:
            if local(url.tag) == "publicationUrl" and text(url):
                batch.add(sanction, "sourceUrl", text(url), origin)
        if published := _attr(node, "publicationDate"):
            batch.add(sanction, "modifiedAt", published, origin)

    def _birth(
        self, entity: EntityProxy, node: etree._Element, origin: Origin, batch: Batch
    ) -> None:
        if not entity.schema.is_a("Person"):
            return
        date = _attr(node, "birthdate")
        if not date:
            parts = [_attr(node, k) for k in ("year", "monthOfYear", "dayOfMonth")]
            if parts[0]:
                date = parts[0]
                if parts[1]:
                    date += f"-{int(parts[1]):02d}"
                    if parts[2]:
                        date += f"-{int(parts[2]):02d}"
        if date:
            circa = (node.get("circa") or "").lower() == "true"
            batch.add(
                entity, "birthDate", date, origin, original_value=f"circa {date}" if circa else None
            )
        place = ", ".join(
            p
            for p in (_attr(node, "place"), _attr(node, "city"), _attr(node, "region"))
            if p and p != "-"
        )
        iso, description = _country(node)
        full_place = ", ".join(p for p in (place, description) if p)
        batch.add(entity, "birthPlace", full_place or None, origin)
        if iso:
            batch.add(entity, "birthCountry", iso, origin, original_value=description, cleaned=True)

    def _identification(
        self, entity: EntityProxy, node: etree._Element, origin: Origin, batch: Batch
    ) -> None:
        number = _attr(node, "number") or _attr(node, "latinNumber")
        if not number:
            return
        kind = _attr(node, "identificationTypeCode") or ""
        description = _attr(node, "identificationTypeDescription") or kind or "Identification"
        is_passport = "passport" in kind.lower() or "passport" in description.lower()
        iso, country = _country(node)
        if entity.schema.is_a("Person"):
            batch.add(entity, "passportNumber" if is_passport else "idNumber", number, origin)
        else:
            batch.add(
                entity,
                "registrationNumber",
                number,
                origin,
                original_value=f"{description} {number}",
            )
            return
        doc = batch.entity(
            "Passport" if is_passport else "Identification",
            derived_id(entity.id or "", "doc", description, number, iso),
        )
        batch.add(doc, "holder", entity.id, origin)
        batch.add(doc, "number", number, origin)
        batch.add(doc, "type", description, origin)
        batch.add(doc, "authority", _attr(node, "issuedBy"), origin)
        if iso:
            batch.add(doc, "country", iso, origin, original_value=country, cleaned=True)
        flags = [
            label
            for attr, label in (
                ("diplomatic", "diplomatic"),
                ("knownFalse", "known to be false"),
                ("knownExpired", "known to be expired"),
                ("reportedLost", "reported lost"),
                ("revokedByIssuer", "revoked by the issuer"),
            )
            if (node.get(attr) or "").lower() == "true"
        ]
        if flags:
            batch.add(doc, "summary", "; ".join(flags), origin)
        for remark in node:
            if local(remark.tag) == "remark":
                batch.add(doc, "description", text(remark), origin)

    def _address(
        self, entity: EntityProxy, node: etree._Element, origin: Origin, batch: Batch
    ) -> None:
        parts = {
            k: _attr(node, k) for k in ("street", "poBox", "city", "zipCode", "region", "place")
        }
        iso, country = _country(node)
        full = ", ".join(p for p in (*parts.values(), country) if p and p != "-")
        if not full:
            return
        address = batch.entity("Address", derived_id(entity.id or "", "addr", full))
        batch.add(address, "full", full, origin)
        batch.add(address, "street", parts["street"], origin)
        batch.add(address, "postOfficeBox", parts["poBox"], origin)
        batch.add(address, "city", parts["city"], origin)
        batch.add(address, "postalCode", parts["zipCode"], origin)
        batch.add(address, "region", parts["region"], origin)
        if iso:
            batch.add(address, "country", iso, origin, original_value=country, cleaned=True)
            batch.add(entity, "country", iso, origin, original_value=country, cleaned=True)
        elif country and (code := clean_country(country)):
            batch.add(entity, "country", code, origin, original_value=country, cleaned=True)
        for sub in node:
            tag = local(sub.tag)
            if tag == "remark":
                batch.add(address, "remarks", text(sub), origin)
            elif tag == "contactInfo":
                self._contact(entity, sub, origin, batch)
        batch.add(entity, "addressEntity", address.id, origin)
        batch.add(entity, "address", full, origin)

    def _contact(
        self, entity: EntityProxy, node: etree._Element, origin: Origin, batch: Batch
    ) -> None:
        key = (_attr(node, "key") or "").upper()
        value = _attr(node, "value")
        prop = {"PHONE": "phone", "EMAIL": "email", "WEB": "website", "FAX": None}.get(key)
        if prop and value:
            batch.add(entity, prop, value, origin)
        elif value:
            batch.add(entity, "notes", f"{key.title()}: {value}", origin)
