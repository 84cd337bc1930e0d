"""OFAC's legacy CSV files: the SDN list and the consolidated (non-SDN) lists.

A version is up to four files joined on ``ent_num``: the primary records (``sdn.csv`` or
``cons_prim.csv``, 12 columns), strong aliases (``alt.csv``, 5 columns), addresses (``add.csv``,
6 columns) and the continuations of remarks cut at 1,000 characters (``sdn_comments.csv``,
2 columns). Nulls are written ``-0-``; the last line is a DOS end-of-file byte (0x1A). The
files carry no publication date: it comes from a bundle manifest, ``--published`` or the file
or folder name (with a warning).
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from followthemoney.proxy import EntityProxy
from followthemoney.types import registry

from interdiction.ids import clean_imo, company_imo_checksum_ok, derived_id
from interdiction.sources.base import Batch, FileSet, InputError, KnownSchema, Origin, Reader
from interdiction.sources.countries import clean_country
from interdiction.sources.dates import parse_dates
from interdiction.sources.ofac_csv.remarks import (
    WALLET_RE,
    Phrase,
    parse_identifier,
    split_remarks,
    unquote,
)

NULL = "-0-"
SUB = "\x1a"  # DOS end of file, the last line of every OFAC CSV

FILES = {
    "sdn.csv": ("us_ofac_sdn", "primary"),
    "alt.csv": ("us_ofac_sdn", "alias"),
    "add.csv": ("us_ofac_sdn", "address"),
    "sdn_comments.csv": ("us_ofac_sdn", "comments"),
    "cons_prim.csv": ("us_ofac_cons", "primary"),
    "cons_alt.csv": ("us_ofac_cons", "alias"),
    "cons_add.csv": ("us_ofac_cons", "address"),
    "cons_comments.csv": ("us_ofac_cons", "comments"),
}
WIDTH = {"primary": 12, "alias": 5, "address": 6, "comments": 2}
SCHEMA = {"individual": "Person", "vessel": "Vessel", "aircraft": "Airplane", "": "Organization"}
ALIAS_PROP = {"aka": "alias", "fka": "previousName", "nka": "alias"}
AUTHORITY = "US Office of Foreign Assets Control"
DETAILS_URL = "https://sanctionssearch.ofac.treas.gov/Details.aspx?id={}"


@dataclass(frozen=True)
class Link:
    """A party named in a record ("Linked To:", the vessel owner column), resolved by name
    once every record of the file has been read."""

    kind: Literal["linked", "owner"]
    subject: EntityProxy
    name: str
    origin: Origin


def entity_id(ent_num: str) -> str:
    return f"ofac-{ent_num}"


def _null(value: str) -> str | None:
    value = value.strip()
    return None if not value or value == NULL else value


def _programs(text: str) -> list[str]:
    """``DPRK3] [CYBER2`` (the CSV's join of several programs) to ``["DPRK3", "CYBER2"]``."""
    return [p.strip(" []") for p in text.split("] [") if p.strip(" []")]


def normalise_name(name: str) -> str:
    return " ".join(name.upper().rstrip(".").split())


class OfacCsvReader(Reader):
    name = "ofac-csv"
    version = "1"
    title = "OFAC legacy CSV (SDN and consolidated lists)"

    def __init__(self, remarks_limit: int = 1000) -> None:
        self.remarks_limit = remarks_limit

    def claim(self, path: Path, head: bytes) -> tuple[str, str] | None:
        return FILES.get(path.name.lower())

    def complete(self, fileset: FileSet) -> bool:
        return {"primary", "alias", "address"} <= fileset.roles

    # -- reading ------------------------------------------------------------------------

    def rows(self, source_path: Path, role: str) -> Iterator[tuple[int, list[str]]]:
        """Rows with their line numbers; rows of the wrong width are yielded for quarantine."""
        raw = source_path.read_bytes()
        if not raw.strip() or raw.strip() == SUB.encode():
            raise InputError(source_path, "empty file: no records")
        if raw[:4] in (b"PK\x03\x04", b"\x89PNG") or b"\x00" in raw[:4096]:
            raise InputError(source_path, "binary content: not an OFAC CSV file")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise InputError(
                source_path,
                f"not UTF-8/ASCII (byte 0x{raw[exc.start]:02x}); OFAC publishes these files "
                "in ASCII: is this a re-encoded copy?",
                line=line,
            ) from exc
        if text.lstrip().startswith("<"):
            raise InputError(source_path, "looks like XML or HTML, not an OFAC CSV file")
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        start = 1
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise InputError(source_path, f"broken CSV quoting: {exc}", line=start) from exc
            line = start
            start = reader.line_num + 1
            if row == [SUB] or not any(cell.strip() for cell in row):
                continue
            yield line, row

    def read(self, fileset: FileSet, batch: Batch, known_schema: KnownSchema) -> None:
        primary = fileset.role("primary")
        comments: dict[str, str] = {}
        if (source := fileset.role("comments")) is not None:
            for _line, row in self._checked(source.path, "comments", batch):
                comments[row[0].strip()] = comments.get(row[0].strip(), "") + row[1]
        schemas: dict[str, str] = {}
        names: dict[str, set[str]] = defaultdict(set)
        alias_names: dict[str, set[str]] = defaultdict(set)
        pending_links: list[Link] = []
        if primary is not None:
            total = primary.path.read_bytes().count(b"\n")
            for line, row in self._checked(primary.path, "primary", batch):
                if line % 500 == 0:
                    batch.progress(line, total)
                origin = Origin(primary.name, "primary", row[0].strip(), line)
                entity = self._primary(row, origin, comments, batch, pending_links)
                if entity is not None:
                    schemas[origin.record] = entity.schema.name
                    names[normalise_name(row[1])].add(entity.id or "")
                    for prop in ("alias", "weakAlias", "previousName"):  # for links
                        for alias in entity.get(prop, quiet=True):
                            alias_names[normalise_name(alias)].add(entity.id or "")
        unused = set(comments) - set(schemas) if primary is not None else set(comments)
        comments_source = fileset.role("comments")
        comments_file = comments_source.name if comments_source else ""
        for ent_num in sorted(unused):
            batch.quarantine(
                "orphan-row",
                f"remarks continuation for ent_num {ent_num}, which has no primary record in "
                "this file set: it cannot be joined",
                Origin(comments_file, "comments", ent_num),
            )

        def schema_of(ent_num: str) -> str | None:
            # With the primary file in the set, a row whose record it lacks is an orphan; the
            # store is asked only when the set has no primary file (an alias file alone).
            if primary is not None:
                return schemas.get(ent_num)
            return known_schema(entity_id(ent_num))

        if (source := fileset.role("alias")) is not None:
            for line, row in self._checked(source.path, "alias", batch):
                self._alias(
                    row, Origin(source.name, "alias", row[0].strip(), line), schema_of, batch
                )
        if (source := fileset.role("address")) is not None:
            for line, row in self._checked(source.path, "address", batch):
                self._address(
                    row, Origin(source.name, "address", row[0].strip(), line), schema_of, batch
                )
        for link in pending_links:
            self._link(link, names, alias_names, batch)

    def _checked(self, path: Path, role: str, batch: Batch) -> Iterator[tuple[int, list[str]]]:
        width = WIDTH[role]
        seen = 0
        for line, row in self.rows(path, role):
            origin = Origin(path.name, role, row[0].strip() if row else "", line)
            if len(row) != width:
                batch.quarantine(
                    "wrong-width",
                    f"{len(row)} columns where the {role} file has {width}: a shifted or "
                    "broken row",
                    origin,
                    raw=",".join(row),
                )
                continue
            if not row[0].strip().isdigit():
                batch.quarantine(
                    "bad-key", f"ent_num {row[0]!r} is not a number", origin, raw=",".join(row)
                )
                continue
            seen += 1
            yield line, row
        if seen == 0:
            raise InputError(path, f"no valid {role} records (is this the right file?)")

    # -- primary records ----------------------------------------------------------------

    def _primary(
        self,
        row: list[str],
        origin: Origin,
        comments: dict[str, str],
        batch: Batch,
        pending_links: list[Link],
    ) -> EntityProxy | None:
        ent_num, name, sdn_type, program = (c.strip() for c in row[:4])
        kind = "" if sdn_type == NULL else sdn_type.lower()
        schema = SCHEMA.get(kind)
        if schema is None or not _null(name):
            batch.quarantine(
                "bad-record", f"unknown SDN type {sdn_type!r} or empty name", origin, ",".join(row)
            )
            return None
        batch.records.add(ent_num)
        eid = entity_id(ent_num)
        entity = batch.entity(schema, eid, target=True)
        batch.add(entity, "name", name, origin)
        batch.add(entity, "topics", "sanction", origin, cleaned=True)
        batch.add(entity, "sourceUrl", DETAILS_URL.format(ent_num), origin, cleaned=True)
        programs = _programs(program)
        for prog in programs:
            batch.add(entity, "program", prog, origin)
        if schema == "Person" and "," in name:
            last, _, first = name.partition(",")
            batch.add(entity, "lastName", last, origin)
            batch.add(entity, "firstName", first, origin)
        if (title := _null(row[4])) and schema == "Person":
            for part in title.split(";"):
                batch.add(entity, "position", part, origin)
        if schema == "Vessel":
            batch.add(entity, "callSign", _null(row[5]), origin)
            batch.add(entity, "type", _null(row[6]), origin)
            batch.add(entity, "tonnage", _tonnage(row[7]), origin, original_value=_null(row[7]))
            batch.add(
                entity,
                "grossRegisteredTonnage",
                _tonnage(row[8]),
                origin,
                original_value=_null(row[8]),
            )
            batch.add(entity, "flag", _null(row[9]), origin)
            if owner := _null(row[10]):
                # The owner column names a party; resolved like "Linked To" at the end.
                pending_links.append(Link("owner", entity, owner, origin))

        sanction = batch.entity("Sanction", f"{eid}-sanction-{batch.fileset.dataset}")
        batch.add(sanction, "entity", eid, origin)
        batch.add(sanction, "authority", AUTHORITY, origin)
        batch.add(sanction, "country", "us", origin, cleaned=True)
        batch.add(sanction, "sourceUrl", DETAILS_URL.format(ent_num), origin, cleaned=True)
        for prog in programs:
            batch.add(sanction, "program", prog, origin)

        remarks = _null(row[11]) or ""
        truncated = False
        if ent_num in comments:
            remarks = remarks + comments[ent_num]
        elif len(row[11]) >= self.remarks_limit and not row[11].rstrip().endswith("."):
            truncated = True
            batch.incomplete.update({eid, sanction.id or ""})
            batch.warn(
                "remarks-truncated",
                f"remarks cut at {len(row[11])} characters and no continuation in a comments "
                "file (sdn_comments.csv): facts after the cut are missing",
                origin,
                raw=row[11][-80:],
            )
        if remarks:
            batch.add(entity, "notes", remarks, origin)
            self._remarks(entity, sanction, remarks, origin, batch, pending_links, truncated)
        return entity

    def _remarks(
        self,
        entity: EntityProxy,
        sanction: EntityProxy,
        remarks: str,
        origin: Origin,
        batch: Batch,
        pending_links: list[Link],
        truncated: bool = False,
    ) -> None:
        phrases = split_remarks(remarks)
        if truncated:
            phrases = phrases[:-1]  # the phrase at the cut is incomplete: not a fact
        for phrase in phrases:
            rule = phrase.rule
            if rule is None or rule.kind == "note":
                continue
            value = phrase.value
            if rule.kind == "provision":
                # "alt." marks a second value of the same field, not part of the provision.
                text = re.sub(r"^alt\.\s+", "", phrase.text)
                batch.add(sanction, "provisions", text, origin, original_value=phrase.text)
            elif rule.kind == "alias":
                name = unquote(value)
                if entity.schema.is_a("Vessel") and rule.prop == "previousName":
                    batch.add(entity, "previousName", name, origin, original_value=phrase.text)
                else:
                    batch.add(
                        entity, rule.prop or "alias", name, origin, original_value=phrase.text
                    )
            elif rule.kind == "link":
                pending_links.append(Link("linked", entity, value, origin))
            elif rule.kind == "date":
                self._dates(entity, rule.prop or "", value, phrase, origin, batch)
            elif rule.kind == "country":
                self._country(entity, rule.prop or "", value, phrase, origin, batch)
            elif rule.kind == "imo":
                self._imo(entity, value, phrase, origin, batch)
            elif rule.kind == "mmsi":
                self._mmsi(entity, value, phrase, origin, batch)
            elif rule.kind == "phone":
                self._phone(entity, value, phrase, origin, batch)
            elif rule.kind == "wallet":
                self._wallet(entity, value, phrase, origin, batch)
            elif rule.kind == "identifier":
                self._identifier(entity, phrase, origin, batch)
            elif rule.prop:
                self._prop(entity, rule.prop, value, phrase, origin, batch)

    def _prop(
        self,
        entity: EntityProxy,
        prop: str,
        value: str,
        phrase: Phrase,
        origin: Origin,
        batch: Batch,
    ) -> None:
        if entity.schema.get(prop) is None:
            batch.warn(
                "property-not-applicable",
                f"{phrase.text!r}: {entity.schema.name} has no {prop}; kept in notes",
                origin,
            )
            return
        batch.add(entity, prop, value, origin, original_value=phrase.text)

    def _dates(
        self,
        entity: EntityProxy,
        prop: str,
        value: str,
        phrase: Phrase,
        origin: Origin,
        batch: Batch,
    ) -> None:
        dates = parse_dates(value)
        if not dates:
            batch.warn("bad-date", f"{phrase.text!r}: not a date; kept in notes", origin)
        if entity.schema.get(prop) is None:
            return
        for date in dates:
            batch.add(entity, prop, date, origin, original_value=phrase.text, cleaned=True)

    def _country(
        self,
        entity: EntityProxy,
        prop: str,
        value: str,
        phrase: Phrase,
        origin: Origin,
        batch: Batch,
    ) -> None:
        prop = prop if entity.schema.get(prop) is not None else "country"
        text = re.sub(r"^possibly\s+", "", value, flags=re.IGNORECASE)
        code = clean_country(text)
        if code is None:
            batch.warn("bad-country", f"{phrase.text!r}: unknown country; kept in notes", origin)
            return
        batch.add(entity, prop, code, origin, original_value=phrase.text, cleaned=True)

    def _imo(
        self, entity: EntityProxy, value: str, phrase: Phrase, origin: Origin, batch: Batch
    ) -> None:
        ident = parse_identifier(value)
        number = ident.number if ident else value
        if entity.schema.is_a("Vessel"):
            imo = clean_imo(number)
            if imo is not None:
                batch.add(
                    entity, "imoNumber", imo, origin, original_value=phrase.text, cleaned=True
                )
                return
            digits = re.sub(r"^IMO\s*", "", number.strip(), flags=re.IGNORECASE)
            if re.fullmatch(r"\d{7}", digits.replace(" ", "")):
                batch.warn(
                    "invalid-imo",
                    f"{phrase.text!r}: {digits} fails the IMO check digit; kept as text in notes",
                    origin,
                )
            else:
                # A national registration number (e.g. "RS 150443 (Russia)"), not an IMO number.
                batch.add(entity, "registrationNumber", number, origin, original_value=phrase.text)
            return
        digits = re.sub(r"\D", "", number)
        if entity.schema.get("imoNumber") is not None and company_imo_checksum_ok(digits):
            batch.add(
                entity,
                "imoNumber",
                f"IMO{digits}",
                origin,
                original_value=phrase.text,
                cleaned=True,
            )
        else:
            batch.warn(
                "invalid-imo",
                f"{phrase.text!r}: not a valid company IMO number for a {entity.schema.name}",
                origin,
            )

    def _mmsi(
        self, entity: EntityProxy, value: str, phrase: Phrase, origin: Origin, batch: Batch
    ) -> None:
        digits = value.strip()
        if not re.fullmatch(r"\d{9}", digits):
            batch.warn("invalid-mmsi", f"{phrase.text!r}: an MMSI has 9 digits", origin)
            return
        if entity.schema.get("mmsi") is None:
            batch.warn(
                "property-not-applicable", f"{phrase.text!r} on a {entity.schema.name}", origin
            )
            return
        batch.add(entity, "mmsi", digits, origin, original_value=phrase.text, cleaned=True)

    def _phone(
        self, entity: EntityProxy, value: str, phrase: Phrase, origin: Origin, batch: Batch
    ) -> None:
        if entity.schema.get("phone") is None:
            return
        clean = registry.phone.clean_text(value)
        if clean is None:
            digits = re.sub(r"\D", "", value)
            if len(digits) >= 9:
                clean = registry.phone.clean_text("+" + digits.lstrip("0"))
        if clean is None:
            batch.warn(
                "bad-phone", f"{phrase.text!r}: not a dialable number; kept in notes", origin
            )
            return
        batch.add(entity, "phone", clean, origin, original_value=phrase.text, cleaned=True)

    def _wallet(
        self, entity: EntityProxy, value: str, phrase: Phrase, origin: Origin, batch: Batch
    ) -> None:
        match = WALLET_RE.match(value.strip())
        if match is None:
            batch.warn("bad-wallet", f"{phrase.text!r}: expected '<currency> <address>'", origin)
            return
        currency, address = match.group("currency"), match.group("address")
        wallet = batch.entity(
            "CryptoWallet", derived_id(entity.id or "", "wallet", currency, address)
        )
        batch.add(wallet, "publicKey", address, origin, original_value=phrase.text)
        batch.add(wallet, "currencySymbol", currency, origin)
        batch.add(wallet, "holder", entity.id, origin)
        batch.add(wallet, "topics", "sanction", origin, cleaned=True)

    def _identifier(
        self, entity: EntityProxy, phrase: Phrase, origin: Origin, batch: Batch
    ) -> None:
        rule = phrase.rule
        assert rule is not None and rule.prop is not None
        ident = parse_identifier(phrase.value)
        if ident is None:
            batch.warn("bad-identifier", f"{phrase.text!r}: no number found; kept in notes", origin)
            return
        if rule.schema and not entity.schema.is_a(rule.schema):
            if rule.schema == "Company" and entity.schema.name == "Organization":
                batch.entity("Company", entity.id or "")
            else:
                batch.warn(
                    "property-not-applicable",
                    f"{phrase.text!r}: a {rule.schema} code on a {entity.schema.name}",
                    origin,
                )
                return
        prop = rule.prop
        if entity.schema.get(prop) is None:
            # A person's registration number, an organisation's passport: keep it as an id.
            prop = "idNumber" if entity.schema.get("idNumber") is not None else ""
        if prop:
            batch.add(entity, prop, ident.number, origin, original_value=phrase.text)
            if prop == "taxNumber" and ident.country and "russia" in ident.country.lower():
                self._prop(entity, "innCode", ident.number, phrase, origin, batch)
            russian = bool(ident.country and "russia" in ident.country.lower())
            if prop == "registrationNumber" and russian and re.fullmatch(r"\d{13}", ident.number):
                self._prop(entity, "ogrnCode", ident.number, phrase, origin, batch)
        if not (rule.document and entity.schema.is_a("Person")):
            return
        schema = "Passport" if rule.prop == "passportNumber" else "Identification"
        doc = batch.entity(
            schema, derived_id(entity.id or "", "doc", rule.doc_type, ident.number, ident.country)
        )
        batch.add(doc, "holder", entity.id, origin)
        batch.add(doc, "number", ident.number, origin, original_value=phrase.text)
        batch.add(doc, "type", rule.doc_type, origin)
        if ident.country:
            code = clean_country(ident.country)
            if code:
                batch.add(doc, "country", code, origin, original_value=ident.country, cleaned=True)
        for prop_name, raw in (("startDate", ident.issued), ("endDate", ident.expires)):
            for date in parse_dates(raw or ""):
                batch.add(doc, prop_name, date, origin, original_value=raw, cleaned=True)

    def _link(
        self,
        link: Link,
        names: dict[str, set[str]],
        alias_names: dict[str, set[str]],
        batch: Batch,
    ) -> None:
        """Resolve a named party: primary names first, then aliases; never a guess."""
        subject, name, origin = link.subject, link.name, link.origin
        is_owner = link.kind == "owner"
        key = normalise_name(name)
        found = names.get(key, set()) - {subject.id or ""}
        if not found:
            found = alias_names.get(key, set()) - {subject.id or ""}
        if len(found) != 1:
            if is_owner:
                # An owner that is not listed itself: a plain legal entity, named as OFAC names it.
                owner = batch.entity("LegalEntity", derived_id(subject.id or "", "owner", name))
                batch.add(owner, "name", name, origin)
                batch.add(subject, "owner", owner.id, origin, original_value=name)
                return
            code, why = (
                ("link-unresolved", "no listed entity")
                if not found
                else ("link-ambiguous", f"{len(found)} listed entities")
            )
            batch.warn(
                code,
                f"Linked To: {name!r}: {why} with this name in the file; kept in notes",
                origin,
            )
            return
        other = next(iter(found))
        if is_owner:
            batch.add(subject, "owner", other, origin, original_value=name)
            return
        relation = batch.entity("UnknownLink", derived_id(subject.id or "", "link", other))
        batch.add(relation, "subject", subject.id, origin)
        batch.add(relation, "object", other, origin, original_value=name)
        batch.add(relation, "role", "Linked To", origin)

    # -- alias and address files --------------------------------------------------------

    def _alias(self, row: list[str], origin: Origin, schema_of: KnownSchema, batch: Batch) -> None:
        schema = schema_of(origin.record)
        if schema is None:
            batch.quarantine(
                "orphan-row",
                f"alias for ent_num {origin.record}, which is neither in this file set nor in "
                "the store",
                origin,
                ",".join(row),
            )
            return
        kind, name = row[2].strip().lower(), _null(row[3])
        prop = ALIAS_PROP.get(kind)
        if prop is None or name is None:
            batch.quarantine(
                "bad-alias", f"alias type {row[2]!r} or empty name", origin, ",".join(row)
            )
            return
        entity = batch.entity(schema, entity_id(origin.record))
        batch.add(entity, prop, name, origin, original_value=f"{kind}: {name}")

    def _address(
        self, row: list[str], origin: Origin, schema_of: KnownSchema, batch: Batch
    ) -> None:
        schema = schema_of(origin.record)
        if schema is None:
            batch.quarantine(
                "orphan-row",
                f"address for ent_num {origin.record}, which is neither in this file set nor in "
                "the store",
                origin,
                ",".join(row),
            )
            return
        street, city, country, remarks = (_null(c) for c in row[2:6])
        if not any((street, city, country)):
            return
        holder = batch.entity(schema, entity_id(origin.record))
        full = ", ".join(p for p in (street, city, country) if p)
        address = batch.entity("Address", f"ofac-addr-{row[1].strip()}")
        batch.add(address, "full", full, origin)
        batch.add(address, "street", street, origin)
        batch.add(address, "city", city, origin)
        batch.add(address, "remarks", remarks, origin)
        if country:
            code = clean_country(country)
            if code:
                batch.add(address, "country", code, origin, original_value=country, cleaned=True)
                batch.add(holder, "country", code, origin, original_value=country, cleaned=True)
            else:
                batch.warn("bad-country", f"address country {country!r} unknown", origin)
        batch.add(holder, "addressEntity", address.id, origin)
        batch.add(holder, "address", full, origin)


def _tonnage(value: str) -> str | None:
    value = (_null(value) or "").replace(",", "")
    return value if value and re.fullmatch(r"\d+(\.\d+)?", value) else None
