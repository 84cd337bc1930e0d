"""``interdiction trade``: load records and statistics, flag, mirror, petroleum, simulate."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from interdiction.commands.common import (
    ConfigOption,
    DbOption,
    FormatOption,
    JsonOption,
    OutputOption,
    config_from,
    data_out,
    emit_rows,
    err,
    open_store,
    output_format,
    report_lists,
    to_json,
)
from interdiction.sources.base import InputError
from interdiction.trade import charts, ftm, mirror, petroleum
from interdiction.trade.comtrade import load_flows
from interdiction.trade.flags import flagged, run_flags
from interdiction.trade.layouts import LAYOUTS, from_mapping_file
from interdiction.trade.records import load_issues, load_shipments, sniff_kind
from interdiction.trade.simulate import generate_bundle
from interdiction.trade.watchlists import load_watchlists

app = typer.Typer(
    help="Trade records and statistics: dual-use and UN flags, petroleum cap, mirror gaps.",
    no_args_is_help=True,
)
SIM_NOTE = "[bold red]SIMULATED DATA[/] in this output: fictitious parties and records"


@app.command("load")
def load(
    paths: Annotated[list[Path], typer.Argument(help="Shipment CSV or Comtrade+ CSV files.")],
    dataset: Annotated[str | None, typer.Option(help="Dataset name (default: by kind).")] = None,
    layout: Annotated[
        str | None, typer.Option(help=f"Force a layout: {', '.join(LAYOUTS)}.")
    ] = None,
    mapping: Annotated[
        Path | None, typer.Option(help="A JSON column mapping for another layout.")
    ] = None,
    simulated: Annotated[bool, typer.Option(help="Mark the data as simulated.")] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
    config_path: ConfigOption = None,
) -> None:
    """Load shipment records or aggregate statistics: one transaction per kind of file."""
    config = config_from(config_path, db)
    kinds: dict[str, list[Path]] = {}
    for path in paths:
        if not path.is_file():
            raise InputError(path, "no such file")
        kind = "shipments" if (layout or mapping) else sniff_kind(path)
        if kind is None:
            raise InputError(
                path,
                "neither a shipments CSV (date and HS code columns) nor "
                "a Comtrade+ CSV; pass --layout or --mapping",
                1,
            )
        kinds.setdefault(kind, []).append(path)
    chosen = from_mapping_file(mapping) if mapping else (LAYOUTS[layout] if layout else None)
    if layout and layout not in LAYOUTS:
        raise typer.BadParameter(f"unknown layout {layout!r}", param_hint="--layout")
    reports = []
    with open_store(config, read_only=False) as store:
        if "shipments" in kinds:
            reports.append(
                load_shipments(
                    store,
                    kinds["shipments"],
                    dataset=dataset or "shipments",
                    layout=chosen,
                    simulated=simulated,
                    usd_rates=config.trade.usd_rates,
                )
            )
        if "comtrade" in kinds:
            reports.append(
                load_flows(
                    store, kinds["comtrade"], dataset=dataset or "comtrade", simulated=simulated
                )
            )
    for report in reports:
        c = report.counts
        if report.status == "unchanged":
            err.print(f"{report.dataset}: unchanged (these files are already loaded)")
            continue
        issues = ", ".join(f"{k[6:]} {v}" for k, v in c.items() if k.startswith("issue:"))
        err.print(
            f"[bold]{report.dataset}[/] ({report.layout}): {c.get('records', c.get('flows', 0))} "
            f"records, {c.get('records_with_issues', 0)} kept with issues"
            f"{' (' + issues + ')' if issues else ''}, {c.get('quarantined', 0)} quarantined, "
            f"{c.get('warnings', 0)} warnings; load {report.load_id}"
        )
    if simulated:
        err.print(SIM_NOTE)
    if as_json:
        print(to_json([r.to_dict() for r in reports]))


@app.command("issues")
def issues_cmd(
    load_id: Annotated[str | None, typer.Argument(help="A load id (default: all).")] = None,
    limit: Annotated[int, typer.Option(help="At most this many rows.")] = 1000,
    db: DbOption = None,
    as_json: JsonOption = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
    config_path: ConfigOption = None,
) -> None:
    """Records quarantined or kept with a doubt, with file, line and reason."""
    config = config_from(config_path, db)
    with open_store(config, read_only=True) as store:
        rows = load_issues(store, load_id, limit)
    emit_rows(
        rows,
        ["dataset", "level", "code", "file", "line", "record", "message"],
        output_format(fmt, as_json),
        output,
    )


FLAG_COLUMNS = [
    "rule",
    "severity",
    "date",
    "shipper",
    "consignee",
    "hs6",
    "value_usd",
    "origin_country",
    "departure_country",
    "transit_countries",
    "destination_country",
    "end_user_country",
    "why",
    "origin",
    "line",
    "simulated",
    "alert_id",
]


def _why(row: dict[str, Any]) -> str:
    d = row["detail"]
    rule = row["rule"]
    if rule == "chpl_russia":
        return f"CHPL tier {d.get('tier')} {d.get('path')} {' '.join(d.get('hubs') or [])}".strip()
    if rule == "un_dprk_measure":
        return f"{d.get('citation')}: {d.get('title')}"
    if rule in ("listed_party", "linked_party"):
        return f"{d.get('role')}: {d.get('explanation')}"
    if rule == "recent_intermediary":
        return f"{d.get('role')} {d.get('party')} incorporated {d.get('incorporated')}"
    if rule == "description_mismatch":
        return f"description names {', '.join(d.get('description_names') or [])}"
    return ", ".join(d.get("issues") or []) or str(d.get("hs_status"))


@app.command("flags")
def flags_cmd(
    tier: Annotated[
        str | None, typer.Option(help="Only CHPL hits of this tier (1, 2, 3.A...).")
    ] = None,
    hub: Annotated[
        str | None, typer.Option(help="Only records routed through this hub (hk, kg...).")
    ] = None,
    rule: Annotated[str | None, typer.Option(help="Only this rule.")] = None,
    dataset: Annotated[str | None, typer.Option(help="Only this dataset.")] = None,
    run: Annotated[bool, typer.Option("--run/--no-run", help="Evaluate the rules first.")] = True,
    screener: Annotated[
        str,
        typer.Option(
            help="How parties are matched to listed entities: 'matcher' (interdiction's "
            "multilingual screening, the default) or 'exact' (normalised exact names and "
            "identifiers)."
        ),
    ] = "matcher",
    limit: Annotated[int, typer.Option(help="At most this many rows.")] = 10000,
    db: DbOption = None,
    as_json: JsonOption = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
    config_path: ConfigOption = None,
) -> None:
    """Flag records (screening cached) into the alerts table, and list the flagged ones."""
    config = config_from(config_path, db)
    if run:
        with open_store(config, read_only=False) as store:
            report_lists(store, config)
            if screener not in ("matcher", "exact"):
                raise typer.BadParameter("matcher or exact", param_hint="--screener")
            chosen = None
            if screener == "matcher":
                from interdiction.trade.matching import MatcherScreener

                chosen = MatcherScreener(config.screening)
            report = run_flags(store, config, dataset=dataset, screener=chosen)
        err.print(
            f"flagged {report.records} records: "
            + ", ".join(f"{k} {v}" for k, v in report.hits.items())
            + f"; {report.alerts} alerts (run {report.run_id}); parties screened now "
            f"{report.screening.get('screened_now', 0)}, cached {report.screening.get('cached', 0)}"
        )
    with open_store(config, read_only=True) as store:
        rows = flagged(
            store,
            rule=rule,
            tier=tier,
            hub=hub.lower() if hub else None,
            dataset=dataset,
            limit=limit,
        )
    for row in rows:
        row["why"] = _why(row)
    if any(r["simulated"] for r in rows):
        err.print(SIM_NOTE)
    emit_rows(rows, FLAG_COLUMNS, output_format(fmt, as_json), output, title="Flagged records")


VIEWS = ("gaps", "rebuilt", "reexports", "surges", "unit-values")


@app.command("mirror")
def mirror_cmd(
    view: Annotated[str, typer.Option(help=f"One of {', '.join(VIEWS)}.")] = "gaps",
    year: Annotated[int | None, typer.Option(help="Only this year.")] = None,
    country: Annotated[str, typer.Option(help="For rebuilt: ru or kp.")] = "ru",
    hs6: Annotated[str | None, typer.Option(help="For gaps: only this HS-6 code.")] = None,
    chart: Annotated[Path | None, typer.Option(help="Also draw a chart (.png or .svg).")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
    config_path: ConfigOption = None,
) -> None:
    """Mirror statistics: gaps, flows rebuilt from partners, HK re-exports, surges, unit values."""
    if view not in VIEWS:
        raise typer.BadParameter(
            f"unknown view {view!r}; one of {', '.join(VIEWS)}", param_hint="--view"
        )
    config = config_from(config_path, db)
    trade = config.trade
    with open_store(config, read_only=True) as store:
        if view == "gaps":
            rows = mirror.mirror_gaps(store, trade, year=year, hs6=hs6)
        elif view == "rebuilt":
            rows = mirror.rebuilt_flows(store, trade, country.lower(), year=year)
        elif view == "reexports":
            rows = mirror.hk_reexports(store, year=year)
        elif view == "surges":
            rows = mirror.surges(store, trade)
        else:
            rows = mirror.unit_value_outliers(store, trade, year=year)
    simulated = any(r.get("simulated") for r in rows)
    if simulated:
        err.print(SIM_NOTE)
    columns = list(rows[0]) if rows else ["note"]
    emit_rows(rows, columns, output_format(fmt, as_json), output, title=f"trade mirror: {view}")
    if chart is not None and rows:
        top = rows[:25]
        if view == "gaps":
            charts.bars_chart(
                [f"{r['exporter']}>{r['importer']} {r['hs6']} {r['period']}" for r in top],
                [r["gap_usd"] for r in top],
                "Largest mirror gaps (imports FOB - exports)",
                "USD",
                chart,
                simulated,
            )
        elif view == "surges":
            charts.bars_chart(
                [f"{r['hub']}>{r['destination']} {r['hs6']} {r['year']}" for r in top],
                [r["ratio"] or 0 for r in top],
                "CHPL exports from hubs vs baseline",
                "ratio to baseline mean",
                chart,
                simulated,
            )
        else:
            value = "value_usd"
            charts.bars_chart(
                [" ".join(str(v) for v in list(r.values())[:4]) for r in top],
                [r.get(value) or 0 for r in top],
                f"trade mirror: {view}",
                "USD",
                chart,
                simulated,
            )
        err.print(f"chart written to {chart}")


@app.command("petroleum")
def petroleum_cmd(
    year: Annotated[
        int | None, typer.Option(help="Calendar year (the cap runs from 1 January).")
    ] = None,
    port_calls: Annotated[
        Path | None, typer.Option(help="CSV of tanker port calls at DPRK ports.")
    ] = None,
    chart: Annotated[Path | None, typer.Option(help="Also draw the chart (.png or .svg).")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
    config_path: ConfigOption = None,
) -> None:
    """Refined petroleum delivered to the DPRK by month, against the 500,000-barrel cap."""
    config = config_from(config_path, db)
    calls = petroleum.CsvPortCalls(port_calls) if port_calls else None
    with open_store(config, read_only=True) as store:
        table = petroleum.petroleum_table(store, config.trade, year=year, port_calls=calls)
    for problem in calls.skipped if calls else []:
        err.print(f"port call skipped: {problem}")
    for twin in table["port_calls"]["matched_to_declared"]:
        err.print(f"port call not counted twice (matches a declared delivery): {twin}")
    if table["simulated"]:
        err.print(SIM_NOTE)
    err.print(
        f"cap: {table['cap_barrels']:,.0f} barrels ({table['cap_source']}); declared "
        f"{table['declared_total']:,.0f}; with port calls: "
        + ", ".join(f"{k} laden {v:,.0f}" for k, v in table["scenario_totals"].items())
    )
    for factor in table["factors"]:
        err.print(f"factor used: {factor}")
    fmt_chosen = output_format(fmt, as_json)
    if fmt_chosen == "json":
        with data_out(output) as handle:
            handle.write(to_json(table) + "\n")
    else:
        rows = table["months"]
        emit_rows(
            rows,
            list(rows[0]) if rows else ["month"],
            fmt_chosen,
            output,
            title="Refined petroleum to the DPRK (barrels)",
        )
    if chart is not None:
        charts.petroleum_chart(table, chart)
        err.print(f"chart written to {chart}")


EXPORT_FORMATS = ("ftm", "statements", "csv")


@app.command("export")
def export_cmd(
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="ftm: FtM entities (JSON lines); statements: FtM statements with their "
            "origin (JSON lines); csv: the documented shipments layout.",
        ),
    ] = "ftm",
    dataset: Annotated[str | None, typer.Option(help="Only this dataset.")] = None,
    output: OutputOption = None,
    db: DbOption = None,
    config_path: ConfigOption = None,
) -> None:
    """Shipment records and their parties for other tools (docs/trade-records.md)."""
    if fmt not in EXPORT_FORMATS:
        raise typer.BadParameter(
            f"unknown format {fmt!r}; one of {', '.join(EXPORT_FORMATS)}", param_hint="--format"
        )
    config = config_from(config_path, db)
    with open_store(config, read_only=True) as store:
        if not store.has_table("trade_shipments"):
            err.print("no shipment records in this store (interdiction trade load)")
            raise typer.Exit(7)
        simulated = bool(
            store.con.execute(
                "SELECT bool_or(simulated) FROM trade_shipments WHERE ? IS NULL OR dataset = ?",
                [dataset, dataset],
            ).fetchall()[0][0]
        )
        with data_out(output) as handle:
            if fmt == "ftm":
                counts: dict[str, int] = ftm.write_ftm(store, handle, dataset=dataset)
            elif fmt == "statements":
                counts = ftm.write_statements(store, handle, dataset=dataset)
            else:
                counts = {"records": ftm.write_csv(store, handle, dataset=dataset)}
    err.print(
        ", ".join(f"{v} {k}" for k, v in counts.items())
        + " written"
        + (f" to {output}" if output else "")
    )
    if simulated:
        err.print(SIM_NOTE)


@app.command("watchlists")
def watchlists_cmd(
    as_json: JsonOption = False, fmt: FormatOption = None, output: OutputOption = None
) -> None:
    """The reference lists shipped in the package: version, date, publisher, checksum."""
    lists = load_watchlists()
    rows = [
        {
            "list": name,
            **{k: info.get(k) for k in ("version", "published", "publisher", "file")},
            "sha256": info["sha256"][:16],
        }
        for name, info in lists.meta.items()
    ]
    emit_rows(
        rows,
        ["list", "version", "published", "publisher", "file", "sha256"],
        output_format(fmt, as_json),
        output,
        title="Trade watchlists",
    )


@app.command("simulate")
def simulate_cmd(
    folder: Annotated[Path, typer.Argument(help="Folder to write the simulated files into.")],
    seed: Annotated[int, typer.Option(help="Random seed: the same seed gives the same data.")] = 0,
    records: Annotated[int, typer.Option(help="Number of shipment records.")] = 2000,
) -> None:
    """Write simulated records, flows, port calls and a fictitious list (all marked simulated)."""
    paths = generate_bundle(folder, seed=seed, records=records)
    for kind, path in paths.items():
        err.print(f"{kind}: {path}")
    err.print(SIM_NOTE)
    err.print(
        f"next: interdiction lists load {paths['watchlist']} --simulated; "
        f"interdiction trade load {paths['shipments']} {paths['comtrade']} --simulated"
    )
