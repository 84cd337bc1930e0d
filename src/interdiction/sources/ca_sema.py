"""Canada's consolidated autonomous sanctions list (``sema-lmes.xml``, Global Affairs Canada).

``<data-set>`` of ``<record>`` elements: ``Country`` (the regime, written in English and
French: ``Burma / Birmanie``; the Justice for Victims of Corrupt Foreign Officials listings
share the file under their own heading), a person's ``LastName``/``GivenName`` or an
``Entity``, ``DateOfBirth``, ``Aliases`` (comma-separated), ``Title``, and the ``Schedule``
and ``Item`` of the regulation that lists it. (Regime, schedule, item) is the record's key:
the id is ``ca-sema-<regime>-<schedule>-<item>``. The file carries no date: it comes from
``--published``, a bundle manifest or the file name. Canada lists under its own regulations;
the UN lists are implemented separately and are not in this file.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from followthemoney.proxy import EntityProxy
from lxml import etree

from interdiction.ids import slug
from interdiction.sources.base import Batch, FileSet, InputError, KnownSchema, Origin, Reader
from interdiction.sources.dates import parse_dates
from interdiction.sources.ofac_xml.xmlstream import line_of, local, records, text

AUTHORITY = "Global Affairs Canada"
FIELDS = {
    "Country",
    "LastName",
    "GivenName",
    "Entity",
    "DateOfBirth",
    "Aliases",
    "Schedule",
    "Item",
    "Title",
}
LEGAL_FORM = re.compile(
    r"^(?:Inc|Ltd|LLC|LLP|S\.A|SA|Co|Corp|PLC|Pte\.? Ltd|Limited|GmbH|JSC|OJSC|PJSC|CJSC)\.?$",
    re.IGNORECASE,
)


def regime(country: str) -> str:
    """The English name of a regime heading: ``Burma / Birmanie`` is ``Burma``."""
    return country.split(" / ")[0].strip()


def regime_key(country: str) -> str:
    english = regime(country)
    acronym = re.search(r"\(([A-Z]{3,})\)", english)
    return slug(acronym.group(1) if acronym else english).lower()


def entity_id(country: str, schedule: str | None, item: str) -> str:
    part = slug(schedule).lower() if schedule else "none"
    return f"ca-sema-{regime_key(country)}-{part}-{item}"


def split_aliases(value: str) -> list[str]:
    """Comma-separated aliases, keeping legal forms with their name (``Foo Pte. Ltd.``)."""
    out: list[str] = []
    for part in (p.strip() for p in value.split(",")):
        if not part:
            continue
        if out and LEGAL_FORM.match(part):
            out[-1] = f"{out[-1]}, {part}"
        else:
            out.append(part)
    return out


class CaSemaReader(Reader):
    name = "ca-sema-xml"
    version = "1"
    title = "Canada consolidated autonomous sanctions list XML (SEMA and JVCFOA)"

    def claim(self, path: Path, head: bytes) -> tuple[str, str] | None:
        if b"<data-set" in head and b"<record>" in head and b"<Country>" in head:
            return ("ca_dfatd_sema_sanctions", "primary")
        return None

    def complete(self, fileset: FileSet) -> bool:
        return fileset.role("primary") is not None

    def read(self, fileset: FileSet, batch: Batch, known_schema: KnownSchema) -> None:
        source = fileset.role("primary")
        assert source is not None
        count = 0
        root = ""
        for depth, node in records(source.path, {0, 1}):
            if depth == 0:
                root = local(node.tag)
                continue
            if local(node.tag) != "record":
                batch.warn(
                    "unknown-element",
                    f"<{local(node.tag)}> is not part of the list format; ignored",
                    Origin(source.name, "primary", "", line_of(node)),
                )
                continue
            count += self._record(node, source.name, batch)
            if count % 200 == 0:
                batch.progress(count, None)
        if root != "data-set":
            raise InputError(source.path, f"root element <{root}>, expected <data-set>")
        if count == 0:
            raise InputError(source.path, "no valid <record> elements")

    def published(self, fileset: FileSet) -> datetime | None:
        return None

    def _record(self, node: etree._Element, file: str, batch: Batch) -> int:
        values: dict[str, str] = {}
        for field in node:
            tag = local(field.tag)
            if not tag:
                continue
            if tag not in FIELDS:
                batch.warn(
                    "unknown-element",
                    f"<{tag}> is not a field of the 2020 layout; ignored",
                    Origin(file, "primary", "", line_of(field)),
                )
                continue
            if found := text(field):
                values[tag] = found
        country, item = values.get("Country"), values.get("Item")
        person = bool(values.get("LastName") or values.get("GivenName"))
        name: str | None = values.get("Entity")
        if person:
            name = " ".join(p for p in (values.get("GivenName"), values.get("LastName")) if p)
        record = f"{country}/{values.get('Schedule')}/{item}"
        origin = Origin(file, "primary", record, line_of(node))
        if not country or not item or not name:
            batch.quarantine(
                "bad-record",
                "record without Country, Item or a name",
                origin,
                raw=etree.tostring(node, encoding="unicode")[:2000],
            )
            return 0
        batch.records.add(record)
        eid = entity_id(country, values.get("Schedule"), item)
        if eid in batch.targets:
            batch.warn("duplicate-record", f"{record} appears twice; both are read", origin)
        entity = batch.entity("Person" if person else "Organization", eid, target=True)
        batch.add(entity, "topics", "sanction", origin, cleaned=True)
        batch.add(entity, "name", name, origin)
        program = regime(country)
        batch.add(entity, "program", program, origin)
        sanction = batch.entity("Sanction", f"{eid}-sanction")
        batch.add(sanction, "entity", eid, origin)
        batch.add(sanction, "authority", AUTHORITY, origin)
        batch.add(sanction, "country", "ca", origin, cleaned=True)
        batch.add(sanction, "program", program, origin, original_value=country)
        batch.add(sanction, "authorityId", item, origin)
        if schedule := values.get("Schedule"):
            batch.add(sanction, "provisions", f"Schedule {schedule}, item {item}", origin)
        if person:
            self._person(entity, values, origin, batch)
        for alias in split_aliases(values.get("Aliases", "")):
            self._alias(entity, alias, values, origin, batch)
        return 1

    def _person(
        self, entity: EntityProxy, values: dict[str, str], origin: Origin, batch: Batch
    ) -> None:
        batch.add(entity, "firstName", values.get("GivenName"), origin)
        batch.add(entity, "lastName", values.get("LastName"), origin)
        batch.add(entity, "position", values.get("Title"), origin)
        if dob := values.get("DateOfBirth"):
            dates = [d for part in re.split(r"\s+or\s+|,\s*", dob) for d in parse_dates(part)]
            if not dates:
                batch.warn("bad-date", f"DateOfBirth {dob!r} is not a date", origin)
            for date in dates:
                batch.add(entity, "birthDate", date, origin, original_value=dob, cleaned=True)

    def _alias(
        self,
        entity: EntityProxy,
        alias: str,
        values: dict[str, str],
        origin: Origin,
        batch: Batch,
    ) -> None:
        last = values.get("LastName")
        if entity.schema.is_a("Person") and last and " " not in alias:
            # The list gives other spellings of a given name alone ("Yevgeni"): with the
            # surname they make the name a screener has to match.
            batch.add(entity, "alias", f"{alias} {last}", origin, original_value=alias)
        else:
            batch.add(entity, "alias", alias, origin)
