"""Aggregate analytics over ``trade_flows``: mirror gaps, rebuilt flows, re-exports, surges,
unit values. Each is one SQL query over the Comtrade+ rows; each returns rows for a table,
and each row names the flows it came from (reporter, partner, flow, period, HS-6).

- Mirror gap: what A reports exporting to B (FOB) against what B reports importing from A
  (CIF), the imports brought to FOB with the named CIF/FOB factor of the configuration.
- Rebuilt flows: Russia (since 2022) and the DPRK publish nothing; their imports are the
  partners' reported exports to them, their exports the partners' reported imports from
  them (brought to FOB).
- Hong Kong re-exports: re-exports (RX) read by origin (second partner).
- Surges: CHPL exports and re-exports from hubs to Russia and Belarus, each year against the
  mean of the baseline years (2017-2021 by default).
- Unit values: value per kilogram of each HS-6 flow against its peers (same HS-6 and
  period), by the modified z-score of the log unit value.
"""

from __future__ import annotations

from typing import Any

from interdiction.config import TradeConfig
from interdiction.store.db import Store
from interdiction.trade.rules import _codes
from interdiction.trade.watchlists import load_watchlists, register


def _rows(store: Store, sql: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    if not store.has_table("trade_flows"):
        return []
    cursor = store.con.cursor()
    register(cursor)
    result = cursor.execute(sql, params)
    names = [d[0] for d in result.description]
    return [dict(zip(names, row, strict=True)) for row in result.fetchall()]


def mirror_gaps(
    store: Store,
    config: TradeConfig,
    *,
    year: int | None = None,
    hs6: str | None = None,
    reporter: str | None = None,
    all_rows: bool = False,
) -> list[dict[str, Any]]:
    return _rows(
        store,
        """WITH x AS (
            SELECT reporter AS exporter, partner AS importer, hs6, period,
                   sum(coalesce(fob_usd, value_usd)) AS exports_fob, bool_or(simulated) AS sim
            FROM trade_flows WHERE flow = 'X' AND hs6 IS NOT NULL GROUP BY ALL),
        m AS (
            SELECT partner AS exporter, reporter AS importer, hs6, period,
                   sum(coalesce(cif_usd, value_usd)) AS imports_cif, bool_or(simulated) AS sim
            FROM trade_flows WHERE flow = 'M' AND hs6 IS NOT NULL GROUP BY ALL)
        SELECT exporter, importer, hs6, period, round(exports_fob) AS exports_fob,
            round(imports_cif) AS imports_cif,
            round(imports_cif / $factor) AS imports_fob,
            round(imports_cif / $factor - exports_fob) AS gap_usd,
            round((imports_cif / $factor - exports_fob)
                  / greatest(imports_cif / $factor, exports_fob), 3) AS gap_share,
            $factor_name AS cif_fob_factor, x.sim OR m.sim AS simulated
        FROM x JOIN m USING (exporter, importer, hs6, period)
        WHERE ($year IS NULL OR left(period, 4) = CAST($year AS VARCHAR))
          AND ($hs6 IS NULL OR hs6 = $hs6)
          AND ($reporter IS NULL OR exporter = $reporter OR importer = $reporter)
          AND ($all OR (abs(imports_cif / $factor - exports_fob) >= $min_usd
               AND abs(imports_cif / $factor - exports_fob)
                   >= $share * greatest(imports_cif / $factor, exports_fob)))
        ORDER BY abs(gap_usd) DESC, exporter, importer, hs6, period""",
        {
            "factor": config.cif_fob_factor,
            "factor_name": f"{config.cif_fob_factor_name} ({config.cif_fob_factor})",
            "year": year,
            "hs6": hs6,
            "reporter": reporter,
            "all": all_rows,
            "min_usd": config.mirror_min_usd,
            "share": config.mirror_gap_share,
        },
    )


def rebuilt_flows(
    store: Store, config: TradeConfig, country: str, *, year: int | None = None
) -> list[dict[str, Any]]:
    """The country's trade as its partners report it (imports FOB-adjusted)."""
    return _rows(
        store,
        """SELECT $country AS country,
            CASE WHEN flow = 'X' THEN 'imports' ELSE 'exports' END AS direction,
            reporter AS partner, hs6, period,
            round(sum(CASE WHEN flow = 'X' THEN coalesce(fob_usd, value_usd)
                           ELSE coalesce(cif_usd, value_usd) / $factor END)) AS value_usd,
            CASE WHEN flow = 'X' THEN 'partner exports (FOB)'
                 ELSE 'partner imports (CIF / ' || $factor || ')' END AS basis,
            bool_or(simulated) AS simulated
        FROM trade_flows
        WHERE partner = $country AND flow IN ('X', 'M') AND hs6 IS NOT NULL
          AND ($year IS NULL OR year = $year)
        GROUP BY ALL ORDER BY direction, value_usd DESC""",
        {"country": country, "factor": config.cif_fob_factor, "year": year},
    )


def hk_reexports(
    store: Store, *, destination: str | None = "ru", year: int | None = None
) -> list[dict[str, Any]]:
    return _rows(
        store,
        """SELECT partner2 AS origin, partner AS destination, hs6, period,
            round(sum(value_usd)) AS value_usd, round(sum(net_weight_kg)) AS net_weight_kg,
            hs6 IN (SELECT hs6 FROM tw_chpl) AS chpl, bool_or(simulated) AS simulated
        FROM trade_flows
        WHERE reporter = 'hk' AND flow = 'RX' AND hs6 IS NOT NULL
          AND ($dest IS NULL OR partner = $dest) AND ($year IS NULL OR year = $year)
        GROUP BY ALL ORDER BY period, value_usd DESC""",
        {"dest": destination, "year": year},
    )


def surges(store: Store, config: TradeConfig) -> list[dict[str, Any]]:
    first, last = config.baseline_years
    return _rows(
        store,
        f"""WITH yearly AS (
            SELECT reporter AS hub, partner AS destination, hs6, year,
                   sum(value_usd) AS value_usd, bool_or(simulated) AS sim
            FROM trade_flows
            WHERE flow IN ('X', 'RX') AND reporter IN (SELECT unnest({_codes(config.hubs)}))
              AND partner IN (SELECT unnest({_codes(config.chpl_destinations)}))
              AND hs6 IN (SELECT hs6 FROM tw_chpl)
            GROUP BY ALL),
        base AS (
            SELECT hub, destination, hs6, sum(value_usd) / ($last - $first + 1) AS baseline
            FROM yearly WHERE year BETWEEN $first AND $last GROUP BY ALL)
        SELECT y.hub, y.destination, y.hs6, c.tier, y.year, round(y.value_usd) AS value_usd,
            round(coalesce(b.baseline, 0)) AS baseline_mean,
            CASE WHEN coalesce(b.baseline, 0) > 0
                 THEN round(y.value_usd / b.baseline, 2) END AS ratio,
            '{first}-{last}' AS baseline_years, y.sim AS simulated
        FROM yearly y JOIN tw_chpl c USING (hs6)
        LEFT JOIN base b USING (hub, destination, hs6)
        WHERE y.year > $last AND y.value_usd >= $min_usd
          AND (coalesce(b.baseline, 0) = 0 OR y.value_usd >= $ratio * b.baseline)
        ORDER BY ratio DESC NULLS FIRST, value_usd DESC""",
        {
            "first": first,
            "last": last,
            "min_usd": config.surge_min_usd,
            "ratio": config.surge_ratio,
        },
    )


def unit_value_outliers(
    store: Store, config: TradeConfig, *, year: int | None = None
) -> list[dict[str, Any]]:
    return _rows(
        store,
        """WITH uv AS (
            SELECT reporter, partner, flow, hs6, period, value_usd, net_weight_kg,
                   ln(value_usd / net_weight_kg) AS luv, simulated
            FROM trade_flows
            WHERE hs6 IS NOT NULL AND value_usd > 0 AND net_weight_kg > 0
              AND flow IN ('X', 'M', 'RX') AND ($year IS NULL OR year = $year)),
        med AS (
            SELECT hs6, period, flow, median(luv) AS m, count(*) AS peers FROM uv GROUP BY ALL),
        mad AS (
            SELECT uv.hs6, uv.period, uv.flow, median(abs(uv.luv - med.m)) AS mad
            FROM uv JOIN med USING (hs6, period, flow) GROUP BY ALL)
        SELECT uv.reporter, uv.partner, uv.flow, uv.hs6, uv.period,
            round(uv.value_usd) AS value_usd,
            round(uv.net_weight_kg) AS net_weight_kg,
            round(uv.value_usd / uv.net_weight_kg, 2) AS usd_per_kg,
            round(exp(med.m), 2) AS peer_median_usd_per_kg, med.peers,
            round(0.6745 * (uv.luv - med.m) / mad.mad, 2) AS modified_z, uv.simulated
        FROM uv JOIN med USING (hs6, period, flow) JOIN mad USING (hs6, period, flow)
        WHERE med.peers >= $peers AND mad.mad > 0
          AND abs(0.6745 * (uv.luv - med.m) / mad.mad) > $z
        ORDER BY abs(modified_z) DESC""",
        {"year": year, "peers": config.unit_value_min_peers, "z": config.unit_value_z},
    )


__all__ = [
    "hk_reexports",
    "load_watchlists",
    "mirror_gaps",
    "rebuilt_flows",
    "surges",
    "unit_value_outliers",
]
