"""CSV layouts of shipment records: the documented one, and column mappings for others.

The documented layout (``interdiction``) names each column after a field of the shipments
table (docs/trade-records.md). Vendor exports name the same facts differently; a layout here
is a mapping from our fields to the header names seen in such exports, plus the defaults the
kind of record implies (a US bill of lading is an import into the US, valued in US dollars).
A user can add a mapping without code: ``interdiction trade load --mapping map.json`` with
``{"name": ..., "fields": {"consignee": ["Buyer"]}, "defaults": {...}, "dayfirst": true}``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from interdiction.sources.base import InputError

# Every field a shipment record can carry, in the documented column order.
FIELDS: tuple[str, ...] = (
    "record_id",
    "date",
    "direction",
    "declaration_id",
    "shipper",
    "shipper_country",
    "shipper_id",
    "shipper_incorporated",
    "consignee",
    "consignee_country",
    "consignee_id",
    "consignee_incorporated",
    "notify_party",
    "notify_country",
    "origin_country",
    "departure_country",
    "transit_countries",
    "destination_country",
    "end_user_country",
    "port_of_loading",
    "port_of_discharge",
    "hs_code",
    "description",
    "value",
    "currency",
    "quantity",
    "quantity_unit",
    "weight_kg",
    "vessel",
    "vessel_imo",
    "voyage",
    "transport_mode",
    "simulated",
    "issues",
)
REQUIRED = ("date", "hs_code")


@dataclass(frozen=True)
class Layout:
    name: str
    title: str
    fields: dict[str, tuple[str, ...]]
    defaults: dict[str, str] = field(default_factory=dict)
    dayfirst: bool = True

    def resolve(self, header: list[str]) -> dict[str, int]:
        """field -> column index for this header (names compared case-insensitively)."""
        index = {h.strip().casefold(): i for i, h in enumerate(header)}
        found: dict[str, int] = {}
        for name, aliases in self.fields.items():
            for alias in aliases:
                position = index.get(alias.casefold())
                if position is not None:
                    found[name] = position
                    break
        return found


INTERDICTION = Layout(
    name="interdiction",
    title="interdiction shipments CSV, version 1 (docs/trade-records.md)",
    fields={name: (name,) for name in FIELDS},
)

# Field names of US import bills of lading (CBP Automated Manifest System data) as
# commercial data vendors commonly export them; values are in US dollars, dates US-style.
US_BOL = Layout(
    name="us-bol",
    title="US import bills of lading (AMS manifest fields, vendor export)",
    fields={
        "record_id": ("Bill of Lading Number", "Master Bill of Lading Number", "BOL Number"),
        "date": ("Arrival Date", "Actual Arrival Date", "Estimated Arrival Date"),
        "shipper": ("Shipper", "Shipper Name"),
        "shipper_country": ("Shipper Country",),
        "consignee": ("Consignee", "Consignee Name"),
        "consignee_country": ("Consignee Country",),
        "notify_party": ("Notify Party", "Notify Party Name"),
        "origin_country": ("Country of Origin", "Place of Receipt Country"),
        "departure_country": ("Foreign Port of Lading Country", "Country of Departure"),
        "port_of_loading": ("Foreign Port of Lading", "Port of Lading"),
        "port_of_discharge": ("US Port of Unlading", "Port of Unlading"),
        "hs_code": ("HS Code", "Harmonized Number", "HTS Code"),
        "description": ("Product Description", "Goods Shipped", "Description"),
        "value": ("Value of Goods (USD)", "Declared Value (USD)", "Value (USD)"),
        "quantity": ("Quantity",),
        "quantity_unit": ("Quantity Unit",),
        "weight_kg": ("Weight (kg)", "Weight in KG", "Gross Weight (kg)"),
        "vessel": ("Vessel Name", "Vessel"),
        "vessel_imo": ("Vessel IMO", "IMO"),
        "voyage": ("Voyage Number", "Voyage"),
    },
    defaults={
        "destination_country": "us",
        "currency": "USD",
        "direction": "import",
        "transport_mode": "sea",
    },
    dayfirst=False,
)

# Field names of Russian customs declarations (декларация на товары) as found in customs-data
# exports: Russian column titles, day-first dates, decimal commas, ТН ВЭД (EAEU) codes.
RU_GTD = Layout(
    name="ru-gtd",
    title="Russian goods declarations (ДТ fields, customs-data export)",
    fields={
        "record_id": ("Номер ДТ", "Номер декларации", "ND"),
        "date": ("Дата ДТ", "Дата декларации", "Дата"),
        "direction": ("Направление",),
        "shipper": ("Отправитель", "Отправитель (наименование)", "Экспортер"),
        "shipper_country": ("Страна отправителя",),
        "consignee": ("Получатель", "Получатель (наименование)", "Импортер"),
        "consignee_id": ("ИНН получателя", "ИНН"),
        "origin_country": ("Страна происхождения",),
        "departure_country": ("Страна отправления",),
        "destination_country": ("Страна назначения",),
        "hs_code": ("Код ТН ВЭД", "ТН ВЭД", "Код товара"),
        "description": ("Описание товара", "Наименование товара"),
        "value": ("Фактурная стоимость", "Стоимость", "Таможенная стоимость"),
        "currency": ("Валюта", "Валюта контракта"),
        "weight_kg": ("Вес нетто, кг", "Вес нетто", "Нетто"),
        "quantity": ("Количество",),
        "quantity_unit": ("Единица измерения",),
        "transport_mode": ("Вид транспорта",),
    },
    defaults={"destination_country": "ru", "direction": "import"},
    dayfirst=True,
)

LAYOUTS: dict[str, Layout] = {layout.name: layout for layout in (INTERDICTION, US_BOL, RU_GTD)}


def detect(header: list[str]) -> Layout | None:
    """The layout whose names cover the most of this header, if it finds the required ones."""
    best: tuple[int, Layout] | None = None
    for layout in LAYOUTS.values():
        found = layout.resolve(header)
        if not all(name in found for name in REQUIRED):
            continue
        if best is None or len(found) > best[0]:
            best = (len(found), layout)
    return best[1] if best else None


def from_mapping_file(path: Path) -> Layout:
    """A user's layout: a JSON file naming the header of each field."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(path, f"not a readable JSON mapping: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("fields"), dict):
        raise InputError(path, 'a mapping is {"name": ..., "fields": {"field": ["Header"]}}')
    unknown = sorted(set(data["fields"]) - set(FIELDS))
    if unknown:
        raise InputError(path, f"unknown fields {', '.join(unknown)}; known: {', '.join(FIELDS)}")
    fields = {
        key: tuple(value) if isinstance(value, list) else (str(value),)
        for key, value in data["fields"].items()
    }
    missing = [name for name in REQUIRED if name not in fields]
    if missing:
        raise InputError(path, f"the mapping must name the column of {', '.join(missing)}")
    return Layout(
        name=str(data.get("name") or Path(path).stem),
        title=str(data.get("title") or f"user mapping {Path(path).name}"),
        fields=fields,
        defaults={k: str(v) for k, v in (data.get("defaults") or {}).items()},
        dayfirst=bool(data.get("dayfirst", True)),
    )
