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
from interdiction.store.alerts import ALERT_TYPES
from interdiction.store.db import Store, dict_rows, one
from interdiction.trade.parties import (
    ExactScreener,
    LinkResolver,
    PartyScreener,
    StatementLinks,
    lists_state,
    screen_parties,
)
from interdiction.trade.rules import Rule, prepare_view_sql, route_sql, rules, sql_str
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


# The alerts table's columns, in order: the store's one definition of the contract.
_ALERT_COLUMNS = tuple(ALERT_TYPES.names)


def _scope(dataset: str | None) -> tuple[str, list[Any]]:
    if dataset is None:
        return "TRUE", []
    return "s.dataset = ?", [dataset]


# Evidence ids: the content hash of kind, table, id and data (as store.Evidence.id hashes
# them, with DuckDB's JSON text).
_EVIDENCE_ID = """'ev-' || substr(sha1(__KIND__ || chr(31) || __TABLE__ || chr(31) || __REF__
    || chr(31) || CAST(__DATA__ AS VARCHAR) || chr(31)), 1, 20)"""


def _evidence_id(kind: str, table: str, ref: str, data: str) -> str:
    return (
        _EVIDENCE_ID.replace("__KIND__", kind)
        .replace("__TABLE__", table)
        .replace("__REF__", ref)
        .replace("__DATA__", data)
    )


# Hits keyed by their alert id (the hash ``store.Alert.id`` computes), one per alert: two
# hits with the same id (a car under two headings of the luxury list, a party linked to a
# listed company in two ways) make one alert, the most severe, then the first by detail
# (deterministic). Only the few duplicated ids are sorted; the first alert of each record
# (by id) carries the record's evidence row.
_KEYED_SQL = (
    """
CREATE OR REPLACE TEMP TABLE tf_all AS
WITH k AS (
    SELECT *,
        list_sort(list_distinct(list_filter([shipment_id, entity_id],
            lambda x: x IS NOT NULL))) AS entity_ids,
        coalesce(strftime(CAST(date AS TIMESTAMP), '%Y-%m-%dT%H:%M:%S'), '') AS day_iso
    FROM tf_hits)
SELECT * EXCLUDE (day_iso),
    'al-' || substr(sha1($detector || chr(31) || alert_type || chr(31)
        || array_to_string(entity_ids, ',') || chr(31) || day_iso || chr(31) || day_iso
        || chr(31) || rule || ':' || key || chr(31)), 1, 20) AS alert_id
FROM k
""",
    """
CREATE OR REPLACE TEMP TABLE tf_keyed AS
WITH dup AS (SELECT alert_id FROM tf_all GROUP BY alert_id HAVING count(*) > 1),
one AS (
    SELECT * FROM tf_all WHERE alert_id NOT IN (SELECT alert_id FROM dup)
    UNION ALL
    SELECT * FROM tf_all WHERE alert_id IN (SELECT alert_id FROM dup)
    QUALIFY row_number() OVER (PARTITION BY alert_id
        ORDER BY severity, CAST(detail AS VARCHAR)) = 1)
SELECT *, alert_id IN (SELECT min(alert_id) FROM one GROUP BY row_id) AS first_of_record
FROM one
""",
)

# The record's columns, fetched by row position for the alerts only (not by joining the
# whole table on shipment_id).
_ALERTS_SQL = """
CREATE OR REPLACE TEMP TABLE tf_alerts AS
SELECT k.*, s.dataset, s.origin, s.origin_line, s.origin_record, s.simulated,
    s.hs6, s.hs_declared, s.value_usd, s.shipper, s.consignee, s.port_of_discharge,
    s.description, __ROUTE__ AS route,
    to_json({'hs6': s.hs6, 'hs_declared': s.hs_declared, 'date': s.date,
        'shipper': s.shipper, 'consignee': s.consignee, 'route': __ROUTE__,
        'value_usd': s.value_usd, 'description': s.description,
        'dataset': s.dataset, 'origin': s.origin, 'line': s.origin_line}) AS record_json,
    __RECORD_EVIDENCE__ AS record_evidence_id
FROM tf_keyed k JOIN trade_shipments s ON s.rowid = k.row_id
""".replace("__ROUTE__", route_sql("s")).replace(
    "__RECORD_EVIDENCE__",
    _evidence_id("'shipment'", "'trade_shipments'", "s.shipment_id", "record_json"),
)


# The lists each rule rests on: named, with their versions, in each alert's params (the run
# records all of them in detector_runs).
_RULE_INPUTS: dict[str, tuple[str, ...]] = {
    "chpl_russia": ("chpl",),
    "un_dprk_measure": ("un_dprk_measures",),
    "description_mismatch": ("description_keywords", "hs2022"),
    "unchecked": ("hs2022",),
}


def _inputs_sql(versions: dict[str, str], screener: str, state: str) -> str:
    """Per rule, a JSON object of the list versions (or the screening state) it used."""
    cases = []
    for rule, names in _RULE_INPUTS.items():
        value = json.dumps({name: versions.get(name) for name in names}, sort_keys=True)
        cases.append(f"WHEN {sql_str(rule)} THEN {sql_str(value)}::JSON")
    party = json.dumps({"screener": screener, "lists_state": state}, sort_keys=True)
    cases.append(f"WHEN 'listed_party' THEN {sql_str(party)}::JSON")
    cases.append(f"WHEN 'linked_party' THEN {sql_str(party)}::JSON")
    return "CASE rule " + " ".join(cases) + " ELSE '{}'::JSON END"


def _entries_sql(versions: dict[str, str]) -> str:
    """The list entries rules rest on, one evidence row each (the hit's detail is in the
    alert's params): a CHPL code with its tier, a UN measure with its HS prefixes."""
    chpl, measures = (
        sql_str(versions.get("chpl", "")),
        sql_str(versions.get("un_dprk_measures", "")),
    )
    return f"""
CREATE OR REPLACE TEMP TABLE tf_entries AS
SELECT *, {_evidence_id("kind", "ref_table", "ref_id", "data")} AS evidence_id FROM (
    SELECT 'chpl:' || hs6 AS ref_id, 'record' AS kind, 'trade_watchlists' AS ref_table,
        'Common High Priority List, tier ' || tier || ': HS ' || hs6 AS summary,
        'chpl ' || {chpl} AS source,
        json_object('list', 'chpl', 'version', {chpl}, 'hs6', hs6, 'tier', tier) AS data
    FROM tw_chpl
    UNION ALL
    SELECT 'un_dprk_measures:' || measure_id, 'record', 'trade_watchlists',
        any_value(citation) || ': ' || any_value(title), 'un_dprk_measures ' || {measures},
        json_object('list', 'un_dprk_measures', 'version', {measures},
            'measure', measure_id, 'kind', any_value(kind),
            'direction', any_value(direction), 'citation', any_value(citation),
            'title', any_value(title), 'in_force', any_value(in_force),
            'hs_prefixes', list(hs_prefix ORDER BY hs_prefix))
    FROM tw_measures GROUP BY measure_id)
"""


# The source an alert of the other rules rests on: the listed entity and why the party is
# taken for it, the description against the keywords, the party's incorporation.
def _other_sources_sql(versions: dict[str, str], screener: str, state: str) -> str:
    keywords = sql_str(versions.get("description_keywords", ""))
    screening = sql_str(f"{screener} ({state})")
    return f"""
CREATE OR REPLACE TEMP TABLE tf_sources AS
SELECT alert_id, simulated, ev.*,
    {_evidence_id("ev.kind", "ev.ref_table", "ev.ref_id", "ev.data")} AS evidence_id
FROM (SELECT alert_id, simulated, CASE
  WHEN rule IN ('listed_party', 'linked_party') THEN struct_pack(kind := 'entity',
      ref_table := 'entities', ref_id := entity_id, summary := detail->>'explanation',
      source := {screening},
      data := json_object('party', detail->'party', 'country', detail->'country',
          'entity_id', entity_id, 'caption', detail->'caption',
          'datasets', detail->'datasets', 'score', detail->'score',
          'explanation', detail->'explanation', 'path', detail->'path',
          'screener', {sql_str(screener)}, 'lists_state', {sql_str(state)}))
  WHEN rule = 'description_mismatch' THEN struct_pack(kind := 'record',
      ref_table := 'trade_watchlists', ref_id := 'description_keywords:' || hs6,
      summary := 'the description names ' || (detail->>'description_names')
          || ', declared under HS ' || hs6,
      source := 'description_keywords ' || {keywords},
      data := json_object('list', 'description_keywords', 'version', {keywords},
          'description', detail->'description', 'hs6', hs6,
          'description_names', detail->'description_names',
          'expected_hs', detail->'expected_hs'))
  WHEN rule = 'recent_intermediary' THEN struct_pack(kind := 'record',
      ref_table := 'trade_parties', ref_id := (detail->>'party'),
      summary := (detail->>'party') || ' incorporated ' || (detail->>'incorporated'),
      source := dataset || ':' || origin || ':' || coalesce(CAST(origin_line AS VARCHAR), ''),
      data := json_object('party', detail->'party', 'country', detail->'country',
          'incorporated', detail->'incorporated'))
  END AS ev
  FROM tf_alerts
  WHERE rule IN ('listed_party', 'linked_party', 'description_mismatch', 'recent_intermediary'))
WHERE ev.ref_id IS NOT NULL
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
    chosen: tuple[Rule, ...] = tuple(
        r for r in rules(config.trade, lists) if only is None or r.id in only
    )
    if not config.trade.report_unchecked:
        chosen = tuple(r for r in chosen if r.id != "unchecked")
    scope_sql, scope_params = _scope(dataset)
    hits: dict[str, int] = {}
    now = datetime.now(UTC).replace(tzinfo=None)
    con = store.con
    # DuckDB draws a progress bar on the terminal for long queries; this is a library call
    # whose caller owns stdout (CSV on stdout must stay clean), and drawing it costs time.
    con.execute("SET enable_progress_bar = false")
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
                alert_type VARCHAR, title VARCHAR, source VARCHAR, row_id BIGINT,
                shipment_id VARCHAR, date DATE, severity VARCHAR, key VARCHAR,
                entity_id VARCHAR, detail JSON)"""
        )
        t0 = time.perf_counter()
        for rule in chosen:
            con.execute(
                f"""INSERT INTO tf_hits SELECT ?, ?, ?, ?, ?, r.row_id, r.shipment_id,
                    r.date, r.severity, r.key, r.entity_id, r.detail FROM ({rule.sql}) r""",
                [rule.id, rule.version, rule.alert_type, rule.title, rule.source],
            )
        timings["rules"] = round(time.perf_counter() - t0, 3)
        for rule_id, count in con.execute(
            "SELECT rule, count(*) FROM tf_hits GROUP BY rule ORDER BY rule"
        ).fetchall():
            hits[rule_id] = int(count)
        records = int((one(con, "SELECT count(*) FROM ts") or (0,))[0])
        t0 = time.perf_counter()
        con.execute(_KEYED_SQL[0], {"detector": DETECTOR})
        con.execute(_KEYED_SQL[1])
        con.execute(_ALERTS_SQL)
        versions = lists.versions()
        # Findings of an earlier run over the same records: those that no longer hold go
        # away; those found again replace their rows (as write_alerts does), by an update in
        # place (deleting and rewriting rows of indexed tables is what makes a DuckDB commit
        # slow: a rerun after a list update rewrites nothing it need not); new ones are
        # inserted.
        con.execute(
            "CREATE OR REPLACE TEMP TABLE tf_old AS SELECT DISTINCT alert_id FROM trade_flags"
            + ("" if dataset is None else " WHERE shipment_id IN (SELECT shipment_id FROM ts)")
        )
        con.execute(
            """CREATE OR REPLACE TEMP TABLE tf_stale AS SELECT alert_id FROM tf_old
            WHERE alert_id NOT IN (SELECT alert_id FROM tf_alerts)"""
        )
        con.execute(
            """CREATE OR REPLACE TEMP TABLE tf_existing AS SELECT alert_id FROM tf_alerts
            WHERE alert_id IN (SELECT id FROM alerts WHERE detector = $detector)""",
            {"detector": DETECTOR},
        )
        con.execute("DELETE FROM alert_evidence WHERE alert_id IN (SELECT alert_id FROM tf_stale)")
        con.execute(
            "DELETE FROM alerts WHERE detector = ? AND id IN (SELECT alert_id FROM tf_stale)",
            [DETECTOR],
        )
        con.execute("DELETE FROM trade_flags WHERE alert_id IN (SELECT alert_id FROM tf_stale)")
        con.execute(
            f"""CREATE OR REPLACE TEMP TABLE tf_rows AS
            SELECT alert_id AS id, alert_type AS type, severity,
                CASE WHEN rule IN ('listed_party', 'linked_party')
                     THEN TRY_CAST(detail->>'score' AS DOUBLE) END AS score,
                title || ': ' || coalesce(shipper, '?') || ' to ' || coalesce(consignee, '?')
                    || ' (HS ' || coalesce(hs6, hs_declared, '?') || ', '
                    || coalesce(CAST(date AS VARCHAR), 'date unknown') || ')' AS title,
                'Rule ' || rule || ' v' || rule_version || ' (' || source || ') on record '
                    || origin || ':' || coalesce(CAST(origin_line AS VARCHAR), '?')
                    || ' of ' || dataset || CASE WHEN simulated THEN ' [SIMULATED]' ELSE '' END
                    AS summary,
                entity_ids, CAST(date AS TIMESTAMP) AS start_time,
                CAST(date AS TIMESTAMP) AS end_time, CAST(NULL AS DOUBLE) AS lat,
                CAST(NULL AS DOUBLE) AS lon, port_of_discharge AS place,
                CAST(NULL AS JSON) AS geometry, $detector AS detector,
                $version AS detector_version, $config_hash AS config_hash,
                json_object('rule', rule, 'rule_version', rule_version, 'source', source,
                    'detail', detail, 'inputs', {_inputs_sql(versions, label, state)}) AS params,
                $run_id AS run_id, simulated, $now AS created_at
            FROM tf_alerts""",
            {
                "detector": DETECTOR,
                "version": DETECTOR_VERSION,
                "config_hash": config_hash,
                "run_id": run_id,
                "now": now,
            },
        )
        # The id fixes detector, type, entities and dates; the rest is written again (not
        # entity_ids: an update of a list column costs DuckDB a rewrite per row).
        fixed = ("id", "type", "entity_ids", "start_time", "end_time", "detector")
        columns = [c for c in _ALERT_COLUMNS if c not in fixed]
        con.execute(
            f"""UPDATE alerts SET {", ".join(f"{c} = r.{c}" for c in columns)}
            FROM tf_rows r WHERE alerts.id = r.id
            AND r.id IN (SELECT alert_id FROM tf_existing)"""
        )
        con.execute(
            f"""INSERT INTO alerts SELECT {", ".join(_ALERT_COLUMNS)} FROM tf_rows
            WHERE id NOT IN (SELECT alert_id FROM tf_existing)"""
        )
        # Evidence: the record itself (one row per record), and the source the rule rests
        # on (one row per list entry, entity match, description or party), each written
        # once and linked to every alert that rests on it. An evidence row is simulated when
        # any alert resting on it is (as write_alerts marks it).
        con.execute(_entries_sql(versions))
        con.execute(_other_sources_sql(versions, label, state))
        entry_key = """CASE rule WHEN 'chpl_russia' THEN 'chpl:' || hs6
            WHEN 'un_dprk_measure' THEN 'un_dprk_measures:' || key END"""
        con.execute(
            f"""CREATE OR REPLACE TEMP TABLE tf_links AS
            SELECT alert_id, record_evidence_id AS evidence_id FROM tf_alerts
            UNION ALL
            SELECT a.alert_id, e.evidence_id
            FROM tf_alerts a JOIN tf_entries e ON e.ref_id = {entry_key}
            UNION ALL
            SELECT alert_id, evidence_id FROM tf_sources"""
        )
        # Evidence rows are content-addressed: a row already there is the same evidence.
        con.execute(
            f"""INSERT INTO evidence
            SELECT * FROM (SELECT record_evidence_id AS evidence_id, 'shipment',
                'trade_shipments', shipment_id,
                'record ' || origin || ':' || coalesce(CAST(origin_line AS VARCHAR), '?')
                    || ' of ' || dataset,
                CAST(date AS TIMESTAMP),
                dataset || ':' || origin || ':' || coalesce(CAST(origin_line AS VARCHAR), ''),
                record_json, simulated
            FROM tf_alerts WHERE first_of_record
            UNION ALL
            SELECT e.evidence_id, e.kind, e.ref_table, e.ref_id, e.summary, NULL, e.source,
                e.data, u.simulated
            FROM tf_entries e JOIN (
                SELECT {entry_key} AS ref_id, bool_or(simulated) AS simulated
                FROM tf_alerts WHERE rule IN ('chpl_russia', 'un_dprk_measure') GROUP BY 1
            ) u USING (ref_id)
            UNION ALL
            SELECT evidence_id, any_value(kind), any_value(ref_table), any_value(ref_id),
                any_value(summary), NULL, any_value(source), any_value(data), bool_or(simulated)
            FROM tf_sources GROUP BY evidence_id) n
            WHERE n.evidence_id NOT IN (SELECT id FROM evidence)"""
        )
        # An alert written again gets its links anew (as write_alerts does): those it no
        # longer has go, those it has already stay.
        link = "alert_id || chr(31) || evidence_id"
        con.execute(
            f"""DELETE FROM alert_evidence WHERE alert_id IN (SELECT alert_id FROM tf_existing)
            AND {link} NOT IN (SELECT {link} FROM tf_links)"""
        )
        con.execute(
            f"""INSERT INTO alert_evidence
            SELECT alert_id, evidence_id, 'support' FROM tf_links
            WHERE alert_id NOT IN (SELECT alert_id FROM tf_existing)
            UNION ALL
            SELECT alert_id, evidence_id, 'support' FROM tf_links
            WHERE alert_id IN (SELECT alert_id FROM tf_existing)
            AND {link} NOT IN (SELECT {link} FROM alert_evidence
                WHERE alert_id IN (SELECT alert_id FROM tf_existing))"""
        )
        con.execute(
            """UPDATE trade_flags SET rule_version = n.rule_version, severity = n.severity,
                detail = n.detail, run_id = $run_id
            FROM tf_alerts n WHERE trade_flags.alert_id = n.alert_id
            AND n.alert_id IN (SELECT alert_id FROM tf_old)""",
            {"run_id": run_id},
        )
        con.execute(
            """INSERT INTO trade_flags
            SELECT shipment_id, rule, rule_version, severity, detail, $run_id, alert_id
            FROM tf_alerts WHERE alert_id NOT IN (SELECT alert_id FROM tf_old)""",
            {"run_id": run_id},
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
            "tf_keyed",
            "tf_all",
            "tf_hits",
            "tf_entries",
            "tf_sources",
            "tf_links",
            "tf_stale",
            "tf_old",
            "tf_existing",
            "tf_rows",
            "tc",
            "tw_chpl",
            "tw_measures",
            "tw_keywords",
            "tw_hstext",
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
    return dict_rows(
        store.con,
        """SELECT f.alert_id, f.rule, f.severity, s.shipment_id, s.date, s.dataset,
                s.origin, s.origin_line AS line, s.shipper, s.consignee, s.hs6, s.value_usd,
                s.origin_country, s.departure_country, s.transit_countries,
                s.destination_country, s.end_user_country, s.simulated, f.detail
        FROM trade_flags f JOIN trade_shipments s USING (shipment_id)
        WHERE ($rule IS NULL OR f.rule = $rule)
          AND ($dataset IS NULL OR s.dataset = $dataset)
          AND ($tier IS NULL OR (f.rule = 'chpl_russia' AND (f.detail->>'tier') = $tier))
          AND ($hub IS NULL OR list_contains(
                [s.departure_country] || coalesce(s.transit_countries, []), $hub)
               OR s.shipper_country = $hub OR s.consignee_country = $hub)
        ORDER BY s.date DESC NULLS LAST, f.rule, s.shipment_id LIMIT $limit""",
        {"rule": rule, "tier": tier, "hub": hub, "dataset": dataset, "limit": limit},
        json_columns=("detail",),
    )
