"""Australia's DFAT Consolidated List (``regulation8_consolidated.xlsx``).

One worksheet, one row per name: ``Reference`` ``1113`` is the primary name of a target and
``1113a``, ``1113b`` ... (and ``2529b1``) its other names, each repeating the target's other
columns (type, dates and places of birth, citizenship, addresses, additional information,
listing information, committee, control date). Rows are grouped by the reference's number
into one entity, ``au-dfat-<number>``. Dates are Excel dates, bare years, or day-first text
with ``a) ... b) ...`` alternatives and ``Approximately``. The committee (``1718 (DPRK)``,
``Autonomous (DPRK)``) says whether Australia implements a UN listing or lists on its own.
Read with openpyxl (read-only, values only): no formulas are evaluated, no macros run.
"""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import Any

import openpyxl
from followthemoney.proxy import EntityProxy

from interdiction.ids import derived_id
from interdiction.sources.base import Batch, FileSet, InputError, KnownSchema, Origin, Reader
from interdiction.sources.countries import clean_country
from interdiction.sources.dates import parse_dates
from interdiction.sources.freetext import (
    add_imo,
    country_alternatives,
    date_alternatives,
    day_first_date,
    enumeration,
    imo_numbers,
    ship_or_company,
    un_refs,
)

AUTHORITY = "Australia, Department of Foreign Affairs and Trade (DFAT)"
NAME_COLUMN = "Name of Individual or Entity"
REQUIRED = ("Reference", NAME_COLUMN, "Type", "Name Type")
SCHEMA = {"individual": "Person", "entity": "Organization"}
NAME_TYPES = {
    "primary name": "name",
    "aka": "alias",
    "original script": "alias",
    "formerly known as": "previousName",
    "previously listed as": "previousName",
}
REFERENCE = re.compile(r"^(\d+)([a-z]{0,2}\d{0,2})$")
PASSPORT = re.compile(
    r"Passport(?:\s+(?:no\.?|number|information))?\s*[:.]?\s*([A-Z]{0,3}\d{6,}[A-Z]?)",
    re.IGNORECASE,
)
LISTED = re.compile(r"\b(\d{1,2}\s+[A-Za-z]{3,9}\.?\s+\d{4})\b")  # its first date


def entity_id(number: str) -> str:
    return f"au-dfat-{number}"


def _base(reference: str) -> str:
    match = REFERENCE.match(reference.replace(" ", ""))
    return match.group(1) if match else reference


def _cell(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    text = " ".join(str(value).replace("\xa0", " ").split())
    return None if text in ("", "NA", "N/A", "-") else text


class AuDfatReader(Reader):
    name = "au-dfat-xlsx"
    version = "1"
    title = "Australia DFAT Consolidated List (xlsx)"

    def claim(self, path: Path, head: bytes) -> tuple[str, str] | None:
        if not head.startswith(b"PK\x03\x04") or not path.name.lower().endswith(".xlsx"):
            return None
        try:
            with zipfile.ZipFile(path) as archive:
                names = archive.namelist()
                # Header text sits in the shared strings, or inline in the first sheet.
                members = [n for n in ("xl/sharedStrings.xml",) if n in names]
                members += sorted(n for n in names if n.startswith("xl/worksheets/sheet"))[:1]
                strings = b""
                for member in members:
                    with archive.open(member) as handle:
                        strings += handle.read(1 << 20)
        except (zipfile.BadZipFile, OSError, KeyError):
            return None
        if NAME_COLUMN.encode() in strings and b"Listing Information" in strings:
            return ("au_dfat_sanctions", "primary")
        return None

    def complete(self, fileset: FileSet) -> bool:
        return fileset.role("primary") is not None

    def _warn(self, batch: Batch, code: str, message: str, origin: Origin) -> None:
        """Each row repeats its target's facts: report a doubt once per target."""
        key = (_base(origin.record), code, message)
        if key not in self._warned:
            self._warned.add(key)
            batch.warn(code, message, origin)

    def read(self, fileset: FileSet, batch: Batch, known_schema: KnownSchema) -> None:
        source = fileset.role("primary")
        assert source is not None
        self._warned: set[tuple[str, str, str]] = set()
        try:
            workbook = openpyxl.load_workbook(source.path, read_only=True, data_only=True)
        except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
            raise InputError(source.path, f"not a readable xlsx workbook: {exc}") from exc
        try:
            groups = self._rows(workbook, source.path, source.name, batch)
        finally:
            workbook.close()
        if not groups:
            raise InputError(source.path, "no rows with a reference and a name")
        total = len(groups)
        for count, (number, rows) in enumerate(groups.items(), start=1):
            self._group(number, rows, source.name, batch)
            if count % 200 == 0 or count == total:
                batch.progress(count, total)

    def _rows(
        self, workbook: Any, path: Path, file: str, batch: Batch
    ) -> dict[str, list[tuple[int, dict[str, Any]]]]:
        groups: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        for sheet in workbook.worksheets:
            header: list[str] | None = None
            for line, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                if header is None:
                    cells = [str(c).strip() if c is not None else "" for c in row]
                    if NAME_COLUMN in cells:
                        missing = [c for c in REQUIRED if c not in cells]
                        if missing:
                            raise InputError(
                                path,
                                f"sheet {sheet.title}: header lacks {', '.join(missing)}",
                                line,
                            )
                        header = cells
                    elif line > 20:
                        break
                    continue
                values = {k: v for k, v in zip(header, row, strict=False) if k}
                if not any(v is not None and str(v).strip() for v in values.values()):
                    continue
                reference = _cell(values.get("Reference")) or ""
                origin = Origin(file, "primary", reference, line)
                match = REFERENCE.match(reference.replace(" ", ""))
                if match is None:
                    batch.quarantine(
                        "bad-key",
                        f"reference {reference!r} is not a number with an optional letter suffix",
                        origin,
                        raw=repr(row[: len(header)])[:2000],
                    )
                    continue
                if not _cell(values.get(NAME_COLUMN)):
                    batch.quarantine("bad-record", "row without a name", origin)
                    continue
                groups.setdefault(match.group(1), []).append((line, values))
            if header is not None:
                break
        else:
            raise InputError(path, f"no sheet with a {NAME_COLUMN!r} header")
        return groups

    # -- one target ----------------------------------------------------------------------

    def _group(
        self, number: str, rows: list[tuple[int, dict[str, Any]]], file: str, batch: Batch
    ) -> None:
        primary = [
            (line, r)
            for line, r in rows
            if (_cell(r.get("Name Type")) or "").lower() == "primary name"
        ]
        first_line, first = (primary or rows)[0]
        origin = Origin(file, "primary", number, first_line)
        if not primary:
            batch.warn("no-primary-name", "no 'Primary Name' row: the first name stands in", origin)
        kind = (_cell(first.get("Type")) or "").lower()
        schema = SCHEMA.get(kind)
        if schema is None:
            batch.quarantine(
                "bad-record", f"Type {first.get('Type')!r} is not Individual or Entity", origin
            )
            return
        notes = _cell(first.get("Additional Information")) or ""
        if schema == "Organization":
            ship, doubts = ship_or_company(notes, _cell(first.get(NAME_COLUMN)) or "")
            for doubt in doubts:
                batch.warn("imo-ambiguous", doubt, origin)
            schema = "Vessel" if ship else schema
        batch.records.add(number)
        eid = entity_id(number)
        entity = batch.entity(schema, eid, target=True)
        sanction = batch.entity("Sanction", f"{eid}-sanction")
        batch.add(entity, "topics", "sanction", origin, cleaned=True)
        batch.add(sanction, "entity", eid, origin)
        batch.add(sanction, "authority", AUTHORITY, origin)
        batch.add(sanction, "country", "au", origin, cleaned=True)
        batch.add(sanction, "authorityId", number, origin)
        named = False
        for line, row in sorted(rows, key=lambda r: (r not in primary, r[0])):
            where = Origin(file, "primary", _cell(row.get("Reference")) or number, line)
            named = self._name(entity, row, where, batch, named)
            self._facts(entity, sanction, row, where, batch)

    def _name(
        self,
        entity: EntityProxy,
        row: dict[str, Any],
        origin: Origin,
        batch: Batch,
        named: bool,
    ) -> bool:
        name = _cell(row.get(NAME_COLUMN))
        name_type = (_cell(row.get("Name Type")) or "").lower()
        prop = NAME_TYPES.get(name_type)
        if prop is None:
            batch.warn(
                "unknown-name-type", f"name type {row.get('Name Type')!r}: kept as alias", origin
            )
            prop = "alias"
        if prop == "name" and named:
            prop = "alias"
        original = f"original script: {name}" if name_type == "original script" else None
        batch.add(entity, prop, name, origin, original_value=original)
        return named or prop == "name"

    def _facts(
        self,
        entity: EntityProxy,
        sanction: EntityProxy,
        row: dict[str, Any],
        origin: Origin,
        batch: Batch,
    ) -> None:
        person = entity.schema.is_a("Person")
        if person:
            self._birth_dates(entity, row.get("Date of Birth"), origin, batch)
            place = _cell(row.get("Place of Birth"))
            for item in enumeration(place or ""):
                batch.add(entity, "birthPlace", item, origin)
        for item in country_alternatives(_cell(row.get("Citizenship")) or ""):
            code = clean_country(item)
            if code is None:
                self._warn(
                    batch, "bad-country", f"citizenship {item!r} is not a known country", origin
                )
                continue
            prop = "nationality" if person else "country"
            batch.add(entity, prop, code, origin, original_value=item, cleaned=True)
        for item in enumeration(_cell(row.get("Address")) or ""):
            self._address(entity, item, origin, batch)
        notes = _cell(row.get("Additional Information"))
        if notes:
            batch.add(entity, "notes", notes, origin)
            self._numbers(entity, notes, origin, batch)
            for ref, written in un_refs(notes):
                batch.add(sanction, "unscId", ref, origin, original_value=written)
        if listing := _cell(row.get("Listing Information")):
            batch.add(sanction, "summary", listing, origin)
            if match := LISTED.search(listing):
                for value in parse_dates(match.group(1).replace(".", "")):
                    batch.add(
                        sanction,
                        "listingDate",
                        value,
                        origin,
                        original_value=match.group(1),
                        cleaned=True,
                    )
        if committee := _cell(row.get("Committees")):
            batch.add(entity, "program", committee, origin)
            batch.add(sanction, "program", committee, origin)
        control = row.get("Control Date")
        if isinstance(control, datetime):
            batch.add(sanction, "modifiedAt", control.date().isoformat(), origin, cleaned=True)

    def _birth_dates(self, entity: EntityProxy, value: Any, origin: Origin, batch: Batch) -> None:
        if value is None:
            return
        if isinstance(value, datetime):
            batch.add(entity, "birthDate", value.date().isoformat(), origin, cleaned=True)
            return
        if isinstance(value, int):
            if 1000 <= value <= date.today().year:
                batch.add(entity, "birthDate", str(value), origin, cleaned=True)
            else:
                self._warn(batch, "bad-date", f"date of birth {value!r} is not a year", origin)
            return
        text = _cell(value) or ""
        found = False
        cleaned = re.sub(r"\.?\s*For this aka only[^0-9]*", "; ", text, flags=re.IGNORECASE)
        for item in date_alternatives(cleaned):
            day_first = day_first_date(item)
            dates = [day_first] if day_first else parse_dates(item)
            for parsed in dates:
                found = True
                batch.add(entity, "birthDate", parsed, origin, original_value=text, cleaned=True)
        if text and not found:
            self._warn(batch, "bad-date", f"date of birth {text!r}: no date found", origin)

    def _address(self, entity: EntityProxy, text: str, origin: Origin, batch: Batch) -> None:
        address = batch.entity("Address", derived_id(entity.id or "", "addr", text))
        batch.add(address, "full", text, origin)
        country = clean_country(text.rsplit(",", 1)[-1].strip())
        if country:
            batch.add(address, "country", country, origin, cleaned=True)
            batch.add(entity, "country", country, origin, cleaned=True)
        batch.add(entity, "addressEntity", address.id, origin)
        batch.add(entity, "address", text, origin)

    def _numbers(self, entity: EntityProxy, text: str, origin: Origin, batch: Batch) -> None:
        for number in imo_numbers(text):
            add_imo(batch, entity, number, origin, partial(self._warn, batch))
        if entity.schema.is_a("Person"):
            for number in PASSPORT.findall(text):
                batch.add(entity, "passportNumber", number, origin, original_value=text[:200])
                doc = batch.entity(
                    "Passport", derived_id(entity.id or "", "doc", "passport", number)
                )
                batch.add(doc, "holder", entity.id, origin)
                batch.add(doc, "number", number, origin)
