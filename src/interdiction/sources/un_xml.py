"""The UN Security Council consolidated list (``consolidated.xml``, sc-sanctions.xsd).

One file per version, dated by ``CONSOLIDATED_LIST/@dateGenerated``. Individuals become
Person, entities Organization, each with a Sanction carrying the committee's list type
(``DPRK``, ``ISIL``...) and reference number (``KPi.001``, ``KPe.001``). Alias quality maps as
OpenSanctions maps it: ``Good``/``a.k.a.`` to alias, ``Low`` to weakAlias, ``f.k.a.`` to
previousName. IMO numbers that the DPRK committee writes in ``COMMENTS1`` of shipping
companies are company IMO numbers and are validated as such.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from followthemoney.proxy import EntityProxy
from lxml import etree

from interdiction.ids import derived_id
from interdiction.sources.base import Batch, FileSet, InputError, KnownSchema, Origin, Reader
from interdiction.sources.countries import clean_country
from interdiction.sources.dates import parse_dates, parse_timestamp
from interdiction.sources.freetext import add_imo

AUTHORITY = "United Nations Security Council"
ALIAS_QUALITY = {"good": "alias", "a.k.a.": "alias", "low": "weakAlias", "f.k.a.": "previousName"}
IMO_IN_TEXT = re.compile(r"IMO\)?\s*(?:number|no\.?)?\s*:?\s*(\d{7})\b", re.IGNORECASE)

# Every element the schema allows under a record; anything else is reported, not dropped
# silently (the list's XSD has changed over the years).
KNOWN = {
    "DATAID",
    "VERSIONNUM",
    "FIRST_NAME",
    "SECOND_NAME",
    "THIRD_NAME",
    "FOURTH_NAME",
    "UN_LIST_TYPE",
    "REFERENCE_NUMBER",
    "LISTED_ON",
    "GENDER",
    "SUBMITTED_BY",
    "COMMENTS1",
    "NAME_ORIGINAL_SCRIPT",
    "TITLE",
    "DESIGNATION",
    "NATIONALITY",
    "LIST_TYPE",
    "LAST_DAY_UPDATED",
    "INDIVIDUAL_ALIAS",
    "ENTITY_ALIAS",
    "INDIVIDUAL_ADDRESS",
    "ENTITY_ADDRESS",
    "INDIVIDUAL_DATE_OF_BIRTH",
    "INDIVIDUAL_PLACE_OF_BIRTH",
    "INDIVIDUAL_DOCUMENT",
    "SORT_KEY",
    "SORT_KEY_LAST_MOD",
    "DELISTED_ON",
}


def entity_id(reference: str) -> str:
    return f"unsc-{reference}"


def _text(node: etree._Element | None, path: str) -> str | None:
    if node is None:
        return None
    found = node.find(path)
    if found is None or found.text is None:
        return None
    text = " ".join(found.text.split())
    return text or None


def _line(node: etree._Element) -> int | None:
    line = node.sourceline
    return line if isinstance(line, int) else None


def _values(node: etree._Element, path: str) -> list[str]:
    return [" ".join(v.text.split()) for v in node.findall(path) if v.text and v.text.strip()]


class UnXmlReader(Reader):
    name = "un-xml"
    version = "1"
    title = "UN Security Council consolidated list XML"

    def claim(self, path: Path, head: bytes) -> tuple[str, str] | None:
        if b"<CONSOLIDATED_LIST" in head:
            return ("un_sc_sanctions", "primary")
        return None

    def complete(self, fileset: FileSet) -> bool:
        return fileset.role("primary") is not None

    def _parse(self, path: Path) -> etree._ElementTree:
        parser = etree.XMLParser(
            resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True
        )
        try:
            return etree.parse(str(path), parser)
        except etree.XMLSyntaxError as exc:
            line = exc.lineno if exc.lineno else None
            raise InputError(path, f"not well-formed XML (truncated?): {exc.msg}", line) from exc
        except OSError as exc:
            raise InputError(path, f"cannot read: {exc}") from exc

    def published(self, fileset: FileSet) -> datetime | None:
        source = fileset.role("primary")
        if source is None:
            return None
        with open(source.path, "rb") as handle:
            head = handle.read(4096).decode("utf-8", errors="replace")
        match = re.search(r'dateGenerated="([^"]+)"', head)
        return parse_timestamp(match.group(1)) if match else None

    def read(self, fileset: FileSet, batch: Batch, known_schema: KnownSchema) -> None:
        source = fileset.role("primary")
        assert source is not None
        root = self._parse(source.path).getroot()
        if root.tag != "CONSOLIDATED_LIST":
            raise InputError(
                source.path, f"root element <{root.tag}>, expected <CONSOLIDATED_LIST>"
            )
        count = 0
        total = len(root.findall("INDIVIDUALS/INDIVIDUAL")) + len(root.findall("ENTITIES/ENTITY"))
        for node in root.iterchildren():
            if node.tag == "INDIVIDUALS":
                for record in node.iterchildren("INDIVIDUAL"):
                    count += self._record(record, "Person", source.name, batch)
                    batch.progress(count, total)
            elif node.tag == "ENTITIES":
                for record in node.iterchildren("ENTITY"):
                    count += self._record(record, "Organization", source.name, batch)
                    batch.progress(count, total)
            elif isinstance(node.tag, str):
                batch.warn(
                    "unknown-element",
                    f"<{node.tag}> at line {_line(node)} is not part of the list format; ignored",
                    Origin(source.name, "primary", "", _line(node)),
                )
        if count == 0:
            raise InputError(source.path, "no INDIVIDUAL or ENTITY records")

    def _record(self, node: etree._Element, schema: str, file: str, batch: Batch) -> int:
        reference = _text(node, "REFERENCE_NUMBER")
        origin = Origin(file, "primary", reference or "", _line(node))
        names = [
            _text(node, tag) for tag in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
        ]
        name = " ".join(n for n in names if n)
        if not reference or not name:
            batch.quarantine(
                "bad-record",
                f"<{node.tag}> without REFERENCE_NUMBER or name",
                origin,
                raw=etree.tostring(node, encoding="unicode")[:2000],
            )
            return 0
        for child in node.iterchildren():
            if isinstance(child.tag, str) and child.tag not in KNOWN:
                batch.warn(
                    "unknown-element",
                    f"<{child.tag}> in {reference} is not part of the list format; ignored",
                    Origin(file, "primary", reference, _line(child)),
                )
        batch.records.add(reference)
        eid = entity_id(reference)
        entity = batch.entity(schema, eid, target=True)
        batch.add(entity, "name", name, origin)
        batch.add(entity, "topics", "sanction", origin, cleaned=True)
        batch.add(entity, "alias", _text(node, "NAME_ORIGINAL_SCRIPT"), origin)
        comments = node.findtext("COMMENTS1")
        batch.add(entity, "notes", comments, origin)
        program = _text(node, "UN_LIST_TYPE")
        batch.add(entity, "program", program, origin)
        for value in _values(node, "LAST_DAY_UPDATED/VALUE"):
            self._date(entity, "modifiedAt", value, origin, batch)

        sanction = batch.entity("Sanction", f"{eid}-sanction")
        batch.add(sanction, "entity", eid, origin)
        batch.add(sanction, "authority", AUTHORITY, origin)
        batch.add(sanction, "unscId", reference, origin)
        batch.add(sanction, "authorityId", _text(node, "DATAID"), origin)
        batch.add(sanction, "program", program, origin)
        for value in _values(node, "LIST_TYPE/VALUE"):
            batch.add(sanction, "status", value, origin)
        listed = _text(node, "LISTED_ON")
        if listed:
            self._date(sanction, "listingDate", listed, origin, batch)
            self._date(sanction, "startDate", listed, origin, batch)
        if delisted := _text(node, "DELISTED_ON"):
            self._date(sanction, "endDate", delisted, origin, batch)
        for value in _values(node, "LAST_DAY_UPDATED/VALUE"):
            self._date(sanction, "modifiedAt", value, origin, batch)

        for alias in node.iterchildren("INDIVIDUAL_ALIAS", "ENTITY_ALIAS"):
            self._alias(entity, alias, Origin(file, "primary", reference, _line(alias)), batch)
        for address in node.iterchildren("INDIVIDUAL_ADDRESS", "ENTITY_ADDRESS"):
            self._address(
                entity, address, Origin(file, "primary", reference, _line(address)), batch
            )
        if schema == "Person":
            self._person(entity, node, reference, file, batch)
        elif comments:
            for number in IMO_IN_TEXT.findall(comments):
                add_imo(batch, entity, number, origin)
        return 1

    def _person(
        self, entity: EntityProxy, node: etree._Element, reference: str, file: str, batch: Batch
    ) -> None:
        origin = Origin(file, "primary", reference, _line(node))
        batch.add(entity, "gender", _text(node, "GENDER"), origin)
        for value in _values(node, "TITLE/VALUE"):
            batch.add(entity, "title", value, origin)
        for value in _values(node, "DESIGNATION/VALUE"):
            batch.add(entity, "position", value, origin)
        for value in _values(node, "NATIONALITY/VALUE"):
            self._country(entity, "nationality", value, origin, batch)
        for dob in node.iterchildren("INDIVIDUAL_DATE_OF_BIRTH"):
            o = Origin(file, "primary", reference, _line(dob))
            for tag in ("DATE", "YEAR", "FROM_YEAR", "TO_YEAR"):
                if born := _text(dob, tag):
                    self._date(entity, "birthDate", born, o, batch)
        for pob in node.iterchildren("INDIVIDUAL_PLACE_OF_BIRTH"):
            o = Origin(file, "primary", reference, _line(pob))
            parts = [_text(pob, t) for t in ("STREET", "CITY", "STATE_PROVINCE", "COUNTRY")]
            batch.add(entity, "birthPlace", ", ".join(p for p in parts if p) or None, o)
            if country := _text(pob, "COUNTRY"):
                self._country(entity, "birthCountry", country, o, batch)
        for doc in node.iterchildren("INDIVIDUAL_DOCUMENT"):
            self._document(entity, doc, Origin(file, "primary", reference, _line(doc)), batch)

    def _alias(
        self, entity: EntityProxy, node: etree._Element, origin: Origin, batch: Batch
    ) -> None:
        names = node.findtext("ALIAS_NAME")
        quality = (_text(node, "QUALITY") or "").lower()
        if not names or not names.strip():
            return
        prop = ALIAS_QUALITY.get(quality)
        if prop is None:
            batch.warn("unknown-alias-quality", f"alias quality {quality!r}: kept as alias", origin)
            prop = "alias"
        for name in names.split("; "):
            batch.add(entity, prop, " ".join(name.split()), origin, original_value=name.strip())
        for tag, prop_name in (("DATE_OF_BIRTH", "birthDate"), ("CITY_OF_BIRTH", "birthPlace")):
            if value := _text(node, tag):
                if prop_name == "birthDate":
                    self._date(entity, prop_name, value, origin, batch)
                elif entity.schema.get(prop_name) is not None:
                    batch.add(entity, prop_name, value, origin)

    def _address(
        self, entity: EntityProxy, node: etree._Element, origin: Origin, batch: Batch
    ) -> None:
        parts = {
            t: _text(node, t) for t in ("STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY")
        }
        if not any(parts.values()):
            return
        full = ", ".join(p for p in parts.values() if p)
        address = batch.entity("Address", derived_id(entity.id or "", "addr", full))
        batch.add(address, "full", full, origin)
        batch.add(address, "street", parts["STREET"], origin)
        batch.add(address, "city", parts["CITY"], origin)
        batch.add(address, "region", parts["STATE_PROVINCE"], origin)
        batch.add(address, "postalCode", parts["ZIP_CODE"], origin)
        batch.add(address, "remarks", _text(node, "NOTE"), origin)
        if parts["COUNTRY"]:
            self._country(address, "country", parts["COUNTRY"], origin, batch)
            self._country(entity, "country", parts["COUNTRY"], origin, batch)
        batch.add(entity, "addressEntity", address.id, origin)
        batch.add(entity, "address", full, origin)

    def _document(
        self, entity: EntityProxy, node: etree._Element, origin: Origin, batch: Batch
    ) -> None:
        number = _text(node, "NUMBER")
        doc_type = _text(node, "TYPE_OF_DOCUMENT") or "Identification document"
        if not number:
            return
        is_passport = bool(doc_type and "passport" in doc_type.lower())
        batch.add(entity, "passportNumber" if is_passport else "idNumber", number, origin)
        country = _text(node, "ISSUING_COUNTRY") or _text(node, "COUNTRY_OF_ISSUE")
        doc = batch.entity(
            "Passport" if is_passport else "Identification",
            derived_id(entity.id or "", "doc", doc_type, number, country),
        )
        batch.add(doc, "holder", entity.id, origin)
        batch.add(doc, "number", number, origin)
        batch.add(doc, "type", doc_type, origin)
        batch.add(doc, "type", _text(node, "TYPE_OF_DOCUMENT2"), origin)
        batch.add(doc, "summary", _text(node, "NOTE"), origin)
        if country:
            self._country(doc, "country", country, origin, batch)
        if issued := _text(node, "DATE_OF_ISSUE"):
            self._date(doc, "startDate", issued, origin, batch)

    def _date(
        self, entity: EntityProxy, prop: str, value: str, origin: Origin, batch: Batch
    ) -> None:
        dates = parse_dates(value)
        if not dates:
            batch.warn("bad-date", f"{prop} {value!r} is not a date", origin)
        for date in dates:
            batch.add(entity, prop, date, origin, original_value=value, cleaned=True)

    def _country(
        self, entity: EntityProxy, prop: str, value: str, origin: Origin, batch: Batch
    ) -> None:
        code = clean_country(value)
        if code is None:
            batch.warn("bad-country", f"{prop} {value!r} is not a known country", origin)
            return
        batch.add(entity, prop, code, origin, original_value=value, cleaned=True)
