"""A short summary of the DPRK and Russia designations in the store, for a first look.

Counts by list, program and schema; the listed vessels with IMO numbers and flags; the DPRK
shipping companies (named as such or holding a company IMO number). Every figure names the
list versions it was computed from.
"""

from __future__ import annotations

from typing import Any

from interdiction.store import Store, lists_in_use

PROGRAM_FAMILIES = {"DPRK": "DPRK%", "RUSSIA": "RUSSIA%"}
SHIPPING_WORDS = ("SHIPPING", "MARITIME", "NAVIGATION", "SHIP MANAGEMENT", "OCEAN", "MARINE")


def designations_summary(store: Store, families: dict[str, str] | None = None) -> dict[str, Any]:
    families = families or PROGRAM_FAMILIES
    con = store.con
    programs = con.execute(
        """WITH prog AS (
            SELECT DISTINCT s.dataset, s.entity_id, s.value AS program, e.schema
            FROM statements s JOIN entities e ON e.entity_id = s.entity_id AND e.dataset = s.dataset
            WHERE s.prop = 'program' AND s.retired IS NULL AND e.target AND e.delisted IS NULL)
        SELECT dataset, program, schema, count(*) FROM prog
        GROUP BY ALL ORDER BY dataset, program, schema"""
    ).fetchall()
    by_family: dict[str, dict[str, Any]] = {}
    for family, pattern in families.items():
        prefix = pattern.rstrip("%")
        rows = [r for r in programs if str(r[1]).upper().startswith(prefix)]
        entities = con.execute(
            """SELECT s.dataset, e.schema, count(DISTINCT s.entity_id)
            FROM statements s JOIN entities e ON e.entity_id = s.entity_id AND e.dataset = s.dataset
            WHERE s.prop = 'program' AND upper(s.value) LIKE ? AND s.retired IS NULL
              AND e.target AND e.delisted IS NULL GROUP BY ALL ORDER BY 1, 2""",
            [pattern],
        ).fetchall()
        by_family[family] = {
            "by_program": [
                {"dataset": d, "program": p, "schema": s, "count": int(n)} for d, p, s, n in rows
            ],
            "by_schema": [{"dataset": d, "schema": s, "count": int(n)} for d, s, n in entities],
            "total": sum(int(n) for _, _, n in entities),
        }
    vessels = con.execute(
        """WITH v AS (
            SELECT e.entity_id, e.dataset, any_value(e.caption) AS name,
                string_agg(DISTINCT s.value, ', ') FILTER (WHERE s.prop = 'imoNumber') AS imo,
                string_agg(DISTINCT s.value, ', ') FILTER (WHERE s.prop = 'flag') AS flag,
                string_agg(DISTINCT s.value, ', ') FILTER (WHERE s.prop = 'program') AS programs,
                string_agg(DISTINCT s.value, ', ') FILTER (WHERE s.prop = 'type') AS type
            FROM entities e JOIN statements s ON s.entity_id = e.entity_id AND s.dataset = e.dataset
            WHERE e.schema = 'Vessel' AND e.target AND e.delisted IS NULL AND s.retired IS NULL
            GROUP BY e.entity_id, e.dataset)
        SELECT entity_id, dataset, name, imo, flag, programs, type FROM v
        WHERE upper(programs) SIMILAR TO '.*(DPRK|RUSSIA).*'
        ORDER BY programs, name"""
    ).fetchall()
    shipping_name = " OR ".join(f"upper(name) LIKE '%{w}%'" for w in SHIPPING_WORDS)
    companies = con.execute(
        f"""WITH c AS (
            SELECT e.entity_id, e.dataset, any_value(e.caption) AS name,
                string_agg(DISTINCT s.value, ', ') FILTER (WHERE s.prop = 'imoNumber') AS imo,
                string_agg(DISTINCT s.value, ', ') FILTER (WHERE s.prop = 'program') AS programs
            FROM entities e JOIN statements s ON s.entity_id = e.entity_id AND s.dataset = e.dataset
            WHERE e.schema IN ('Organization', 'Company', 'LegalEntity') AND e.target
              AND e.delisted IS NULL AND s.retired IS NULL
            GROUP BY e.entity_id, e.dataset)
        SELECT entity_id, dataset, name, imo, programs FROM c
        WHERE upper(programs) LIKE '%DPRK%'
          AND (imo IS NOT NULL OR {shipping_name})
        ORDER BY name"""
    ).fetchall()
    return {
        "lists": [v.to_dict() for v in lists_in_use(store)],
        "families": by_family,
        "vessels": [
            dict(
                zip(
                    ("entity_id", "dataset", "name", "imo", "flag", "programs", "type"),
                    r,
                    strict=True,
                )
            )
            for r in vessels
        ],
        "dprk_shipping_companies": [
            dict(zip(("entity_id", "dataset", "name", "imo", "programs"), r, strict=True))
            for r in companies
        ],
    }
