"""The UK OFSI Consolidated List (``ConList.csv``), in its old and its 2022 layouts.

A first line ``Last Updated,27/04/2020``, then a header, then one row per name: every alias
of a target repeats the target's other fields and shares its ``Group ID``. Rows are grouped
by Group ID into one entity (``gb-hmt-<Group ID>``, the OpenSanctions id). The 2022 layout
adds names in non-Latin scripts with their script and language, alias quality, passport and
national id numbers in their own columns, and the UK designation date; columns are read by
header name, so both layouts (and OFSI's later column additions) read the same way.

OFSI published the file in Windows-1252 for years (the full 2020 file is), later in UTF-8.
The reader decodes UTF-8 when the file is UTF-8 and otherwise says that it is not, where
(the first byte that is not UTF-8 and its line), and that it read the file as Windows-1252:
never a silent guess. UN references in "Other Information" (``UN Ref KPe.021``) are
normalised (``KPI.067`` is ``KPi.067``) and kept on the Sanction for reconciliation; IMO
numbers written there decide whether an "Entity" row is a ship (ship check digit) or a
shipping company (company check digit).
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from datetime import datetime
from pathlib import Path

from followthemoney.proxy import EntityProxy
from followthemoney.types import registry

from interdiction.ids import derived_id
from interdiction.sources.base import Batch, FileSet, InputError, KnownSchema, Origin, Reader
from interdiction.sources.countries import clean_country
from interdiction.sources.freetext import (
    IMO,
    MMSI,
    add_imo,
    country_alternatives,
    doc_numbers,
    enumeration,
    ship_or_company,
    un_refs,
)

AUTHORITY = "UK HM Treasury, Office of Financial Sanctions Implementation (OFSI)"
REQUIRED = ("Name 6", "Group Type", "Alias Type", "Regime", "Group ID")
SCHEMA = {"individual": "Person", "entity": "Organization", "ship": "Vessel"}
ALIAS_PROP = {"prime alias": "name", "aka": "alias", "fka": "previousName"}


def entity_id(group_id: str) -> str:
    return f"gb-hmt-{group_id}"


def parse_uk_date(value: str) -> str | None:
    """``01/08/1979`` to ``1979-08-01``; ``00/00/1980`` to ``1980``; ``00/04/1984`` to
    ``1984-04``: OFSI writes unknown parts as zeros."""
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", value.strip())
    if match is None:
        return None
    day, month, year = (int(g) for g in match.groups())
    if year == 0:
        return None
    if month == 0 or month > 12:
        return f"{year:04d}"
    if day == 0:
        return f"{year:04d}-{month:02d}"
    try:
        return datetime(year, month, day).strftime("%Y-%m-%d")
    except ValueError:
        return f"{year:04d}-{month:02d}"


def decode(path: Path, raw: bytes) -> tuple[str, str, str | None]:
    """(text, encoding, why) of the file: UTF-8 if it is, else Windows-1252 with the reason."""
    if b"\x00" in raw[:4096]:
        raise InputError(path, "contains NUL bytes: binary, or UTF-16 (save it as UTF-8)")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), "utf-8", None
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        byte = raw[exc.start]
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError as second:
            bad = raw[second.start]
            raise InputError(
                path,
                f"neither UTF-8 (byte 0x{byte:02x}) nor Windows-1252 (byte 0x{bad:02x} is "
                "undefined there): unknown encoding",
                line=raw[: second.start].count(b"\n") + 1,
            ) from second
        shown = bytes([byte]).decode("cp1252")
        why = (
            f"not UTF-8 (byte 0x{byte:02x} at line {line}); read as Windows-1252, where it is "
            f"{shown!r}: OFSI published ConList.csv in Windows-1252"
        )
        return text, "cp1252", why


class UkOfsiReader(Reader):
    name = "uk-ofsi-csv"
    version = "1"
    title = "UK OFSI Consolidated List, ConList.csv (old and 2022 layouts)"

    def claim(self, path: Path, head: bytes) -> tuple[str, str] | None:
        if head.lstrip(b"\xef\xbb\xbf").startswith(b"Last Updated") and b"Group ID" in head:
            return ("gb_hmt_sanctions", "primary")
        return None

    def complete(self, fileset: FileSet) -> bool:
        return fileset.role("primary") is not None

    def published(self, fileset: FileSet) -> datetime | None:
        source = fileset.role("primary")
        if source is None:
            return None
        with open(source.path, "rb") as handle:
            first = handle.readline().decode("cp1252", errors="replace")
        match = re.search(r"(\d{1,2})/(\d{1,2})/(\d{4})", first)
        if match is None:
            return None
        try:
            return datetime(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        except ValueError:
            return None

    def read(self, fileset: FileSet, batch: Batch, known_schema: KnownSchema) -> None:
        source = fileset.role("primary")
        assert source is not None
        self._warned: set[tuple[str, str, str]] = set()
        raw = source.path.read_bytes()
        text, _encoding, why = decode(source.path, raw)
        if why:
            batch.warn("encoding", why, Origin(source.name, "primary", "", None))
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        header: list[str] | None = None
        groups: dict[str, list[tuple[int, dict[str, str]]]] = defaultdict(list)
        line = 1
        try:
            for row in reader:
                start, line = line, reader.line_num + 1
                if not any(cell.strip() for cell in row):
                    continue
                if header is None:
                    if row and row[0].strip() == "Name 6":
                        header = [c.strip() for c in row]
                        missing = [c for c in REQUIRED if c not in header]
                        if missing:
                            raise InputError(
                                source.path, f"header lacks {', '.join(missing)}", line=start
                            )
                    continue
                origin = Origin(source.name, "primary", "", start)
                if len(row) != len(header):
                    batch.quarantine(
                        "wrong-width",
                        f"{len(row)} columns where the header has {len(header)}: a broken row",
                        origin,
                        raw=",".join(row),
                    )
                    continue
                values = {k: v.strip() for k, v in zip(header, row, strict=True)}
                group = values["Group ID"]
                if not group.isdigit():
                    batch.quarantine(
                        "bad-key", f"Group ID {group!r} is not a number", origin, ",".join(row)
                    )
                    continue
                groups[group].append((start, values))
        except csv.Error as exc:
            raise InputError(source.path, f"broken CSV quoting: {exc}", line=line) from exc
        if header is None:
            raise InputError(source.path, "no header row starting with 'Name 6'")
        if not groups:
            raise InputError(source.path, "no rows with a Group ID")
        total = len(groups)
        for count, (group, rows) in enumerate(groups.items(), start=1):
            self._group(group, rows, source.name, batch)
            if count % 200 == 0 or count == total:
                batch.progress(count, total)

    # -- one target ----------------------------------------------------------------------

    def _group(
        self, group: str, rows: list[tuple[int, dict[str, str]]], file: str, batch: Batch
    ) -> None:
        first_line, first = rows[0]
        kind = first["Group Type"].strip().lower()
        schema = SCHEMA.get(kind)
        if schema is None:
            batch.quarantine(
                "bad-record",
                f"Group Type {first['Group Type']!r} is not Individual, Entity or Ship",
                Origin(file, "primary", group, first_line),
            )
            return
        notes = " ".join(r["Other Information"] for _, r in rows[:1] if r.get("Other Information"))
        schema = self._ship_or_company(
            schema,
            notes,
            first.get("Name 6", ""),
            batch,
            Origin(file, "primary", group, first_line),
        )
        batch.records.add(group)
        eid = entity_id(group)
        entity = batch.entity(schema, eid, target=True)
        sanction = batch.entity("Sanction", f"{eid}-sanction")
        origin = Origin(file, "primary", group, first_line)
        batch.add(entity, "topics", "sanction", origin, cleaned=True)
        batch.add(sanction, "entity", eid, origin)
        batch.add(sanction, "authority", AUTHORITY, origin)
        batch.add(sanction, "country", "gb", origin, cleaned=True)
        batch.add(sanction, "authorityId", group, origin)
        if not any(r["Alias Type"].lower() == "prime alias" for _, r in rows):
            batch.warn("no-primary-name", "no 'Prime Alias' row: the first name stands in", origin)
        named = False
        for line, row in rows:
            where = Origin(file, "primary", group, line)
            named = self._name(entity, row, where, batch, named)
            self._row_facts(entity, sanction, row, where, batch)

    def _ship_or_company(
        self, schema: str, notes: str, name: str, batch: Batch, origin: Origin
    ) -> str:
        """An 'Entity' row with a ship's IMO number is a ship (``freetext.ship_or_company``)."""
        if schema != "Organization":
            return schema
        ship, doubts = ship_or_company(notes, name)
        for doubt in doubts:
            batch.warn("imo-ambiguous", doubt, origin)
        return "Vessel" if ship else schema

    def _name(
        self,
        entity: EntityProxy,
        row: dict[str, str],
        origin: Origin,
        batch: Batch,
        named: bool,
    ) -> bool:
        parts = [row.get(f"Name {i}", "") for i in range(1, 6)]
        last = row.get("Name 6", "")
        if entity.schema.is_a("Person"):
            full = " ".join(p for p in (*parts, last) if p)
        else:
            full = " ".join(p for p in (last, *parts) if p)
        alias_type = row.get("Alias Type", "").strip().lower()
        prop = ALIAS_PROP.get(alias_type)
        if prop is None:
            batch.warn(
                "unknown-alias-type", f"alias type {row.get('Alias Type')!r}: kept as alias", origin
            )
            prop = "alias"
        if prop == "name" and named:
            prop = "alias"  # a second prime alias row: the same target, another spelling
        if prop != "name" and (row.get("Alias Quality") or "").strip().lower() == "low":
            prop = "weakAlias"
        batch.add(entity, prop, full or None, origin)
        if prop == "name" and entity.schema.is_a("Person"):
            batch.add(entity, "firstName", parts[0] or None, origin)
            batch.add(entity, "secondName", parts[1] or None, origin)
            batch.add(entity, "lastName", last or None, origin)
        if entity.schema.is_a("Person"):
            batch.add(entity, "title", row.get("Title") or None, origin)
        script_name = row.get("Name Non-Latin Script")
        if script_name:
            language = row.get("Non-Latin Script Language") or ""
            lang = registry.language.clean_text(language) if language else None
            script = row.get("Non-Latin Script Type") or "non-Latin"
            batch.add(
                entity,
                "alias",
                script_name,
                origin,
                lang=lang,
                original_value=f"{script}: {script_name}",
            )
        return named or prop == "name"

    def _row_facts(
        self,
        entity: EntityProxy,
        sanction: EntityProxy,
        row: dict[str, str],
        origin: Origin,
        batch: Batch,
    ) -> None:
        person = entity.schema.is_a("Person")
        if person:
            if dob := row.get("DOB"):
                parsed = parse_uk_date(dob)
                if parsed:
                    batch.add(entity, "birthDate", parsed, origin, original_value=dob, cleaned=True)
                else:
                    batch.warn("bad-date", f"DOB {dob!r} is not a date", origin)
            place = ", ".join(
                p for p in (row.get("Town of Birth"), row.get("Country of Birth")) if p
            )
            batch.add(entity, "birthPlace", place or None, origin)
            for country in country_alternatives(row.get("Country of Birth", "")):
                self._country(entity, "birthCountry", country, origin, batch)
            for nationality in country_alternatives(row.get("Nationality", "")):
                self._country(entity, "nationality", nationality, origin, batch)
            self._documents(entity, row, origin, batch)
            for item in enumeration(row.get("Position", "")):
                batch.add(entity, "position", item, origin)
        elif row.get("Position"):
            batch.add(entity, "notes", row["Position"], origin)
        self._address(entity, row, origin, batch)
        other = row.get("Other Information") or ""
        if other:
            batch.add(entity, "notes", other, origin)
            for ref, written in un_refs(other):
                batch.add(sanction, "unscId", ref, origin, original_value=written)
            self._numbers(entity, other, origin, batch)
        if regime := row.get("Regime"):
            batch.add(entity, "program", regime, origin)
            batch.add(sanction, "program", regime, origin)
        for column, prop in (
            ("Listed On", "listingDate"),
            ("UK Sanctions List Date Designated", "startDate"),
            ("Last Updated", "modifiedAt"),
        ):
            if value := row.get(column):
                parsed = parse_uk_date(value)
                if parsed:
                    batch.add(sanction, prop, parsed, origin, original_value=value, cleaned=True)

    def _documents(
        self, entity: EntityProxy, row: dict[str, str], origin: Origin, batch: Batch
    ) -> None:
        numbers: list[tuple[str, str, str]] = []  # (prop, number, text it came from)
        if number := row.get("Passport Number"):
            numbers.append(("passportNumber", number, number))
        elif details := row.get("Passport Details"):
            numbers += [("passportNumber", n, details) for n in doc_numbers(details)]
        if number := row.get("National Identification Number"):
            numbers.append(("idNumber", number, number))
        elif details := row.get("NI Number") or row.get("NI Details"):
            numbers += [("idNumber", n, details) for n in doc_numbers(details)]
        for prop, number, source_text in numbers:
            batch.add(entity, prop, number, origin, original_value=source_text)
            doc = batch.entity(
                "Passport" if prop == "passportNumber" else "Identification",
                derived_id(entity.id or "", "doc", prop, number),
            )
            batch.add(doc, "holder", entity.id, origin)
            batch.add(doc, "number", number, origin)
            batch.add(doc, "summary", source_text if source_text != number else None, origin)
        if details := row.get("Passport Details") if row.get("Passport Number") else None:
            batch.add(entity, "notes", f"Passport details: {details}", origin)

    def _numbers(self, entity: EntityProxy, text: str, origin: Origin, batch: Batch) -> None:
        for number in IMO.findall(text):
            add_imo(batch, entity, number, origin)
        if entity.schema.is_a("Vessel"):
            for mmsi in MMSI.findall(text):
                batch.add(entity, "mmsi", mmsi, origin, cleaned=True)

    def _address(
        self, entity: EntityProxy, row: dict[str, str], origin: Origin, batch: Batch
    ) -> None:
        lines = [row.get(f"Address {i}", "") for i in range(1, 7)]
        postal, country = row.get("Post/Zip Code", ""), row.get("Country", "")
        full = ", ".join(p for p in (*lines, postal, country) if p)
        if not full:
            return
        address = batch.entity("Address", derived_id(entity.id or "", "addr", full))
        batch.add(address, "full", full, origin)
        batch.add(address, "street", ", ".join(p for p in lines[:3] if p) or None, origin)
        batch.add(address, "postalCode", postal or None, origin)
        for item in country_alternatives(country):
            self._country(address, "country", item, origin, batch)
            self._country(entity, "country", item, origin, batch)
        batch.add(entity, "addressEntity", address.id, origin)
        batch.add(entity, "address", full, origin)

    def _country(
        self, entity: EntityProxy, prop: str, value: str, origin: Origin, batch: Batch
    ) -> None:
        code = clean_country(value)
        if code is None:
            key = (origin.record, prop, value)
            if key not in self._warned:  # every row of a target repeats its countries
                self._warned.add(key)
                batch.warn("bad-country", f"{prop} {value!r} is not a known country", origin)
            return
        batch.add(entity, prop, code, origin, original_value=value, cleaned=True)
