"""Flag shipment records: every rule in SQL over the whole table, alerts written in bulk.

``run_flags`` screens the parties not yet screened under the current lists (cached), then
evaluates every rule (``rules.py``) in one pass per rule inside the store, and writes, in one
transaction, the rule hits (``trade_flags``), the alerts, their evidence and the detector run
to the shared tables. Alerts are inserted with set-based SQL rather than one Python object
per alert, because a year of customs records yields hundreds of thousands of hits; their ids
are the same content hashes ``store.Alert.id`` computes (detector, type, sorted entity ids,
start, end, key), so a rerun replaces rather than duplicates, exactly as ``write_alerts``
does, and the contract (evidence for every alert, known severities and evidence kinds) holds
by construction: each hit carries the shipment record as evidence, and its rule's source.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from interdiction.config import Config
from interdiction.store.db import Store, one
from interdiction.trade.parties import (
    ExactScreener,
    LinkResolver,
    PartyScreener,
    StatementLinks,
    lists_state,
    screen_parties,
)
from interdiction.trade.rules import Rule, prepare_view_sql, rules
from interdiction.trade.schema import TRADE
from interdiction.trade.watchlists import load_watchlists, register

DETECTOR = "trade.flags"
DETECTOR_VERSION = "1"


@dataclass
class FlagReport:
    run_id: str
    records: int
    hits: dict[str, int]
    alerts: int
    screening: dict[str, Any]
    seconds: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "records": self.records,
            "hits": self.hits,
            "alerts": self.alerts,
            "screening": self.screening,
            "seconds": self.seconds,
        }


def _scope(dataset: str | None) -> tuple[str, list[Any]]:
    if dataset is None:
        return "TRUE", []
    return "s.dataset = ?", [dataset]


_ALERTS_SQL = """
CREATE OR REPLACE TEMP TABLE tf_alerts AS
WITH h AS (
    SELECT h.*, s.date, s.dataset, s.origin, s.origin_line, s.origin_record, s.simulated,
        s.hs6, s.hs_declared, s.value_usd, s.shipper, s.consignee, s.port_of_discharge,
        s.route, s.description,
        list_sort(list_distinct(list_filter([h.shipment_id, h.entity_id],
            lambda x: x IS NOT NULL))) AS entity_ids,
        strftime(CAST(s.date AS TIMESTAMP), '%Y-%m-%dT%H:%M:%S') AS day_iso
    FROM tf_hits h JOIN ts s USING (shipment_id))
SELECT h.*,
    'al-' || substr(sha1($detector || chr(31) || h.alert_type || chr(31)
        || array_to_string(h.entity_ids, ',') || chr(31) || coalesce(h.day_iso, '')
        || chr(31) || coalesce(h.day_iso, '') || chr(31) || h.rule || ':' || h.key
        || chr(31)), 1, 20) AS alert_id,
    to_json({'hs6': h.hs6, 'hs_declared': h.hs_declared, 'date': h.date,
        'shipper': h.shipper, 'consignee': h.consignee, 'route': h.route,
        'value_usd': h.value_usd, 'description': h.description,
        'dataset': h.dataset, 'origin': h.origin, 'line': h.origin_line}) AS record_json
FROM h
QUALIFY row_number() OVER (PARTITION BY alert_id ORDER BY h.severity) = 1
"""

_SOURCE_EVIDENCE = """
CASE
  WHEN rule = 'chpl_russia' THEN struct_pack(kind := 'record', ref_table := 'trade_watchlists',
      ref_id := 'chpl:' || hs6,
      summary := 'Common High Priority List, tier ' || (detail->>'tier') || ': HS ' || hs6)
  WHEN rule = 'un_dprk_measure' THEN struct_pack(kind := 'record',
      ref_table := 'trade_watchlists', ref_id := 'un_dprk_measures:' || (detail->>'measure'),
      summary := (detail->>'citation') || ': ' || (detail->>'title'))
  WHEN rule IN ('listed_party', 'linked_party') THEN struct_pack(kind := 'entity',
      ref_table := 'entities', ref_id := entity_id, summary := detail->>'explanation')
  WHEN rule = 'description_mismatch' THEN struct_pack(kind := 'record',
      ref_table := 'trade_watchlists', ref_id := 'description_keywords:' || hs6,
      summary := 'the description names ' || (detail->>'description_names')
          || ', declared under HS ' || hs6)
  WHEN rule = 'recent_intermediary' THEN struct_pack(kind := 'record',
      ref_table := 'trade_parties', ref_id := (detail->>'party'),
      summary := (detail->>'party') || ' incorporated ' || (detail->>'incorporated'))
  ELSE NULL
END
"""


def run_flags(
    store: Store,
    config: Config,
    *,
    dataset: str | None = None,
    screener: PartyScreener | None = None,
    resolver: LinkResolver | None = None,
    screen: bool = True,
    only: tuple[str, ...] | None = None,
) -> FlagReport:
    """Screen (cached), evaluate every rule, and write hits and alerts in one transaction."""
    store.ensure(TRADE)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    screener = screener or ExactScreener()
    resolver = resolver or StatementLinks()
    screening: dict[str, Any] = {}
    if screen:
        screening = screen_parties(store, screener, resolver)
    timings["screening"] = round(time.perf_counter() - started, 3)
    label = f"{screener.name}+{resolver.name}"
    state = lists_state(store)
    lists = load_watchlists()
    run_id = "run-" + uuid.uuid4().hex[:16]
    config_hash = config.section_hash("trade")
    chosen: tuple[Rule, ...] = tuple(r for r in rules(config.trade) if only is None or r.id in only)
    if not config.trade.report_unchecked:
        chosen = tuple(r for r in chosen if r.id != "unchecked")
    scope_sql, scope_params = _scope(dataset)
    hits: dict[str, int] = {}
    now = datetime.now(UTC).replace(tzinfo=None)
    con = store.con
    with store.transaction():
        register(con, lists)
        con.execute(
            prepare_view_sql(scope_sql.replace("?", _quote(dataset)))
            if scope_params
            else prepare_view_sql(scope_sql)
        )
        con.execute(
            """CREATE OR REPLACE TEMP TABLE tc AS SELECT * FROM trade_party_checks
            WHERE screener = ? AND lists_state = ?""",
            [label, state],
        )
        con.execute(
            """CREATE OR REPLACE TEMP TABLE tf_hits (rule VARCHAR, rule_version VARCHAR,
                alert_type VARCHAR, title VARCHAR, source VARCHAR, shipment_id VARCHAR,
                severity VARCHAR, key VARCHAR, entity_id VARCHAR, detail JSON)"""
        )
        t0 = time.perf_counter()
        for rule in chosen:
            con.execute(
                f"""INSERT INTO tf_hits SELECT ?, ?, ?, ?, ?, r.shipment_id, r.severity,
                    r.key, r.entity_id, r.detail FROM ({rule.sql}) r""",
                [rule.id, rule.version, rule.alert_type, rule.title, rule.source],
            )
        timings["rules"] = round(time.perf_counter() - t0, 3)
        for rule_id, count in con.execute(
            "SELECT rule, count(*) FROM tf_hits GROUP BY rule ORDER BY rule"
        ).fetchall():
            hits[rule_id] = int(count)
        records = int((one(con, "SELECT count(*) FROM ts") or (0,))[0])
        t0 = time.perf_counter()
        con.execute(_ALERTS_SQL, {"detector": DETECTOR})
        params_json = json.dumps(
            {"watchlists": lists.versions(), "screener": label, "lists_state": state},
            sort_keys=True,
        )
        # Findings of an earlier run over the same records that no longer hold go away.
        con.execute(
            """CREATE OR REPLACE TEMP TABLE tf_stale AS SELECT DISTINCT alert_id FROM trade_flags
            WHERE shipment_id IN (SELECT shipment_id FROM ts)"""
        )
        con.execute("DELETE FROM alert_evidence WHERE alert_id IN (SELECT alert_id FROM tf_stale)")
        con.execute(
            """DELETE FROM alerts WHERE detector = ?
            AND id IN (SELECT alert_id FROM tf_stale)""",
            [DETECTOR],
        )
        con.execute("DELETE FROM trade_flags WHERE shipment_id IN (SELECT shipment_id FROM ts)")
        con.execute(
            """INSERT OR REPLACE INTO alerts
            SELECT alert_id, alert_type, severity,
                CASE WHEN rule IN ('listed_party', 'linked_party')
                     THEN TRY_CAST(detail->>'score' AS DOUBLE) END,
                title || ': ' || coalesce(shipper, '?') || ' to ' || coalesce(consignee, '?')
                    || ' (HS ' || coalesce(hs6, hs_declared, '?') || ', '
                    || coalesce(CAST(date AS VARCHAR), 'date unknown') || ')',
                'Rule ' || rule || ' v' || rule_version || ' (' || source || ') on record '
                    || origin || ':' || coalesce(CAST(origin_line AS VARCHAR), '?')
                    || ' of ' || dataset || CASE WHEN simulated THEN ' [SIMULATED]' ELSE '' END,
                entity_ids, CAST(date AS TIMESTAMP), CAST(date AS TIMESTAMP), NULL, NULL,
                port_of_discharge, NULL, ?, ?, ?,
                json_merge_patch(json_object('rule', rule, 'rule_version', rule_version,
                    'source', source, 'detail', detail), ?::JSON),
                ?, simulated, ?
            FROM tf_alerts""",
            [DETECTOR, DETECTOR_VERSION, config_hash, params_json, run_id, now],
        )
        con.execute(
            f"""CREATE OR REPLACE TEMP TABLE tf_evidence AS
            SELECT alert_id, 'support' AS role, 'shipment' AS kind,
                'trade_shipments' AS ref_table, shipment_id AS ref_id,
                'record ' || origin || ':' || coalesce(CAST(origin_line AS VARCHAR), '?')
                    || ' of ' || dataset AS summary,
                CAST(date AS TIMESTAMP) AS observed_at,
                dataset || ':' || origin || ':' || coalesce(CAST(origin_line AS VARCHAR), '')
                    AS source,
                record_json AS data, simulated
            FROM tf_alerts
            UNION ALL
            SELECT alert_id, 'support', ev.kind, ev.ref_table, ev.ref_id, ev.summary,
                CAST(date AS TIMESTAMP), source, detail, simulated
            FROM (SELECT *, {_SOURCE_EVIDENCE} AS ev FROM tf_alerts)
            WHERE ev IS NOT NULL AND ev.ref_id IS NOT NULL"""
        )
        con.execute(
            """CREATE OR REPLACE TEMP TABLE tf_evidence_ids AS
            SELECT *, 'ev-' || substr(sha1(kind || chr(31) || ref_table || chr(31)
                || ref_id || chr(31) || CAST(data AS VARCHAR) || chr(31)), 1, 20) AS evidence_id
            FROM tf_evidence"""
        )
        con.execute(
            """INSERT OR REPLACE INTO evidence
            SELECT evidence_id, any_value(kind), any_value(ref_table), any_value(ref_id),
                any_value(summary), any_value(observed_at), any_value(source),
                any_value(data), bool_or(simulated)
            FROM tf_evidence_ids GROUP BY evidence_id"""
        )
        con.execute(
            """INSERT OR IGNORE INTO alert_evidence
            SELECT DISTINCT alert_id, evidence_id, role FROM tf_evidence_ids"""
        )
        con.execute(
            """INSERT INTO trade_flags
            SELECT shipment_id, rule, rule_version, severity, detail, ?, alert_id
            FROM tf_alerts""",
            [run_id],
        )
        alerts = int((one(con, "SELECT count(*) FROM tf_alerts") or (0,))[0])
        timings["write"] = round(time.perf_counter() - t0, 3)
        con.execute(
            "INSERT INTO detector_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                run_id,
                DETECTOR,
                DETECTOR_VERSION,
                config_hash,
                json.dumps({"dataset": dataset, "rules": [r.id for r in chosen]}),
                json.dumps(
                    {
                        "lists_state": state,
                        "watchlists": lists.versions(),
                        "store_version": store.version(),
                    }
                ),
                now,
                datetime.now(UTC).replace(tzinfo=None),
                json.dumps({"records": records, "alerts": alerts, "hits": hits}),
            ],
        )
        for table in (
            "tf_alerts",
            "tf_hits",
            "tf_evidence",
            "tf_evidence_ids",
            "tf_stale",
            "tc",
            "tw_chpl",
            "tw_measures",
            "tw_keywords",
        ):
            con.execute(f"DROP TABLE IF EXISTS {table}")
        con.execute("DROP VIEW IF EXISTS ts")
    timings["total"] = round(time.perf_counter() - started, 3)
    return FlagReport(run_id, records, hits, alerts, screening, timings)


def _quote(value: str | None) -> str:
    return "'" + (value or "").replace("'", "''") + "'"


def flagged(
    store: Store,
    *,
    rule: str | None = None,
    tier: str | None = None,
    hub: str | None = None,
    dataset: str | None = None,
    limit: int = 10000,
) -> list[dict[str, Any]]:
    """Flagged records with their rule, severity and detail, newest first."""
    if not store.has_table("trade_flags"):
        return []
    rows = store.con.execute(
        """SELECT f.alert_id, f.rule, f.severity, s.shipment_id, s.date, s.dataset,
                s.origin, s.origin_line, s.shipper, s.consignee, s.hs6, s.value_usd,
                s.origin_country, s.departure_country, s.transit_countries,
                s.destination_country, s.end_user_country, s.simulated, f.detail
        FROM trade_flags f JOIN trade_shipments s USING (shipment_id)
        WHERE ($rule IS NULL OR f.rule = $rule)
          AND ($dataset IS NULL OR s.dataset = $dataset)
          AND ($tier IS NULL OR (f.rule = 'chpl_russia' AND f.detail->>'tier' = $tier))
          AND ($hub IS NULL OR list_contains(
                [s.departure_country] || coalesce(s.transit_countries, []), $hub)
               OR s.shipper_country = $hub OR s.consignee_country = $hub)
        ORDER BY s.date DESC NULLS LAST, f.rule, s.shipment_id LIMIT $limit""",
        {"rule": rule, "tier": tier, "hub": hub, "dataset": dataset, "limit": limit},
    ).fetchall()
    keys = (
        "alert_id",
        "rule",
        "severity",
        "shipment_id",
        "date",
        "dataset",
        "origin",
        "line",
        "shipper",
        "consignee",
        "hs6",
        "value_usd",
        "origin_country",
        "departure_country",
        "transit_countries",
        "destination_country",
        "end_user_country",
        "simulated",
        "detail",
    )
    out = []
    for row in rows:
        item = dict(zip(keys, row, strict=True))
        item["detail"] = json.loads(item["detail"]) if item["detail"] else {}
        out.append(item)
    return out
