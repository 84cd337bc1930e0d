"""The trade capability's tables (component ``trade``): what FtM has no room for.

``trade_shipments`` is the system of record for customs declarations and bills of lading:
one row per record with its provenance (dataset, file, record key, line) and the reasons it
could not be fully read (``issues``: kept, never dropped). ``trade_flows`` holds aggregate
statistics (UN Comtrade+ layout). ``trade_loads`` and ``trade_load_issues`` say what each load
read, quarantined or doubted. ``trade_parties`` is the deduplicated party table and
``trade_party_checks`` the screening cache: each distinct party is screened once per list
state. ``trade_flags`` holds the rule hits behind the alerts, one row per record and rule.
"""

from __future__ import annotations

from interdiction.store.schema import TableSchema

SHIPMENT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("shipment_id", "VARCHAR NOT NULL PRIMARY KEY"),
    ("dataset", "VARCHAR NOT NULL"),
    ("load_id", "VARCHAR NOT NULL"),
    ("origin", "VARCHAR NOT NULL"),
    ("origin_record", "VARCHAR NOT NULL"),
    ("origin_line", "BIGINT"),
    ("simulated", "BOOLEAN NOT NULL"),
    ("record_id", "VARCHAR"),
    ("declaration_id", "VARCHAR"),
    ("date", "DATE"),
    ("direction", "VARCHAR"),
    ("shipper", "VARCHAR"),
    ("shipper_country", "VARCHAR"),
    ("shipper_id", "VARCHAR"),
    ("shipper_incorporated", "DATE"),
    ("consignee", "VARCHAR"),
    ("consignee_country", "VARCHAR"),
    ("consignee_id", "VARCHAR"),
    ("consignee_incorporated", "DATE"),
    ("notify_party", "VARCHAR"),
    ("notify_country", "VARCHAR"),
    ("origin_country", "VARCHAR"),
    ("departure_country", "VARCHAR"),
    ("transit_countries", "VARCHAR[]"),
    ("destination_country", "VARCHAR"),
    ("end_user_country", "VARCHAR"),
    ("port_of_loading", "VARCHAR"),
    ("port_of_discharge", "VARCHAR"),
    ("hs_declared", "VARCHAR"),
    ("hs_digits", "VARCHAR"),
    ("hs6", "VARCHAR"),
    ("hs_status", "VARCHAR NOT NULL"),
    ("description", "VARCHAR"),
    ("value", "DOUBLE"),
    ("currency", "VARCHAR"),
    ("value_usd", "DOUBLE"),
    ("quantity", "DOUBLE"),
    ("quantity_unit", "VARCHAR"),
    ("weight_kg", "DOUBLE"),
    ("vessel", "VARCHAR"),
    ("vessel_imo", "VARCHAR"),
    ("voyage", "VARCHAR"),
    ("transport_mode", "VARCHAR"),
    ("shipper_key", "VARCHAR"),
    ("consignee_key", "VARCHAR"),
    ("notify_key", "VARCHAR"),
    ("issues", "VARCHAR[] NOT NULL"),
)

FLOW_COLUMNS: tuple[tuple[str, str], ...] = (
    ("flow_id", "VARCHAR NOT NULL PRIMARY KEY"),
    ("dataset", "VARCHAR NOT NULL"),
    ("load_id", "VARCHAR NOT NULL"),
    ("origin", "VARCHAR NOT NULL"),
    ("origin_line", "BIGINT"),
    ("simulated", "BOOLEAN NOT NULL"),
    ("freq", "VARCHAR NOT NULL"),  # A (annual) or M (monthly)
    ("period", "VARCHAR NOT NULL"),  # YYYY or YYYYMM
    ("year", "INTEGER NOT NULL"),
    ("month", "INTEGER"),
    ("reporter", "VARCHAR NOT NULL"),  # ISO 3166 alpha-2, lower case as in FtM
    ("partner", "VARCHAR NOT NULL"),
    ("partner2", "VARCHAR"),  # second partner: origin of re-exports, consignment country
    ("flow", "VARCHAR NOT NULL"),  # M, X, RM, RX
    ("classification", "VARCHAR"),
    ("hs_code", "VARCHAR NOT NULL"),
    ("hs6", "VARCHAR"),
    ("value_usd", "DOUBLE"),
    ("cif_usd", "DOUBLE"),
    ("fob_usd", "DOUBLE"),
    ("net_weight_kg", "DOUBLE"),
    ("qty", "DOUBLE"),
    ("qty_unit", "VARCHAR"),
    ("mot", "VARCHAR"),
)


def _create(name: str, columns: tuple[tuple[str, str], ...]) -> str:
    body = ",\n    ".join(f"{col} {kind}" for col, kind in columns)
    return f"CREATE TABLE IF NOT EXISTS {name} (\n    {body})"


TRADE = TableSchema(
    component="trade",
    steps=(
        (
            1,
            (
                """CREATE TABLE IF NOT EXISTS trade_loads (
                    load_id VARCHAR PRIMARY KEY,
                    dataset VARCHAR NOT NULL,
                    kind VARCHAR NOT NULL,
                    layout VARCHAR NOT NULL,
                    files JSON NOT NULL,
                    fileset_hash VARCHAR NOT NULL,
                    simulated BOOLEAN NOT NULL,
                    loaded_at TIMESTAMP NOT NULL,
                    counts JSON NOT NULL)""",
                """CREATE TABLE IF NOT EXISTS trade_load_issues (
                    load_id VARCHAR NOT NULL,
                    file VARCHAR,
                    line BIGINT,
                    record VARCHAR,
                    level VARCHAR NOT NULL,
                    code VARCHAR NOT NULL,
                    message VARCHAR NOT NULL,
                    raw VARCHAR)""",
                _create("trade_shipments", SHIPMENT_COLUMNS),
                _create("trade_flows", FLOW_COLUMNS),
                # One row per distinct party (normalised name and country).
                """CREATE TABLE IF NOT EXISTS trade_parties (
                    party_key VARCHAR PRIMARY KEY,
                    name VARCHAR NOT NULL,
                    name_norm VARCHAR NOT NULL,
                    country VARCHAR,
                    identifier VARCHAR,
                    incorporated DATE,
                    simulated BOOLEAN NOT NULL)""",
                # The screening cache: a party is screened again only when the screener or
                # the lists (store_version of the last list load) changed.
                """CREATE TABLE IF NOT EXISTS trade_party_checks (
                    party_key VARCHAR NOT NULL,
                    screener VARCHAR NOT NULL,
                    lists_state VARCHAR NOT NULL,
                    kind VARCHAR NOT NULL,
                    entity_id VARCHAR NOT NULL,
                    caption VARCHAR,
                    datasets VARCHAR[],
                    score DOUBLE,
                    explanation VARCHAR NOT NULL,
                    path JSON,
                    checked_at TIMESTAMP NOT NULL)""",
                """CREATE TABLE IF NOT EXISTS trade_party_screened (
                    party_key VARCHAR NOT NULL,
                    screener VARCHAR NOT NULL,
                    lists_state VARCHAR NOT NULL,
                    PRIMARY KEY (party_key, screener, lists_state))""",
                """CREATE TABLE IF NOT EXISTS trade_flags (
                    shipment_id VARCHAR NOT NULL,
                    rule VARCHAR NOT NULL,
                    rule_version VARCHAR NOT NULL,
                    severity VARCHAR NOT NULL,
                    detail JSON NOT NULL,
                    run_id VARCHAR NOT NULL,
                    alert_id VARCHAR NOT NULL,
                    PRIMARY KEY (shipment_id, rule, alert_id))""",
            ),
        ),
    ),
)
