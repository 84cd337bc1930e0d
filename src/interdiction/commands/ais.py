"""``interdiction ais``: load AIS, run the detectors, list and export events, simulate."""

from __future__ import annotations

import json
from datetime import datetime
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
    progress_bar,
    to_json,
)
from interdiction.maritime import export as exports
from interdiction.maritime.detect import DETECTORS, detect
from interdiction.maritime.load import load_ais
from interdiction.maritime.simulate import SCENARIOS, Simulation, write_simulated
from interdiction.maritime.tracks import Bbox
from interdiction.sources.ais_csv import mapped_layout

app = typer.Typer(help="AIS: load positions, detect events, export them.", no_args_is_help=True)

SinceOption = Annotated[
    datetime | None, typer.Option(help="Only from this time (UTC), e.g. 2024-03-01.")
]
UntilOption = Annotated[datetime | None, typer.Option(help="Only until this time (UTC).")]
BboxOption = Annotated[
    str | None, typer.Option(help="Only inside min_lon,min_lat,max_lon,max_lat (degrees).")
]


def parse_bbox(text: str | None) -> Bbox | None:
    if text is None:
        return None
    try:
        x0, y0, x1, y1 = (float(v) for v in text.split(","))
    except ValueError as exc:
        raise typer.BadParameter(
            "four numbers: min_lon,min_lat,max_lon,max_lat", param_hint="--bbox"
        ) from exc
    if not (-180 <= x0 < x1 <= 180 and -90 <= y0 < y1 <= 90):
        raise typer.BadParameter(
            "min_lon < max_lon and min_lat < max_lat, in range", param_hint="--bbox"
        )
    return (x0, y0, x1, y1)


@app.command("load")
def load(
    paths: Annotated[
        list[Path], typer.Argument(help="NMEA or CSV files (or folders), plain or gzip.")
    ],
    fmt: Annotated[
        str | None, typer.Option("--reader", help="Force a reader: nmea or csv.")
    ] = None,
    columns: Annotated[
        str | None,
        typer.Option(
            help="CSV column mapping for other layouts: mmsi=Col,ts=Col,lat=Col,lon=Col,..."
        ),
    ] = None,
    time_format: Annotated[
        str, typer.Option(help="strptime format of the mapped time column.")
    ] = "%Y-%m-%dT%H:%M:%S",
    received: Annotated[
        datetime | None,
        typer.Option(help="Receive time (UTC) for sentences that carry none."),
    ] = None,
    dataset: Annotated[
        str | None, typer.Option(help="Dataset name (default: from the file).")
    ] = None,
    simulated: Annotated[bool, typer.Option(help="Mark the data as simulated.")] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
    config_path: ConfigOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Load AIS files: one transaction per file; rejected lines counted with their reasons."""
    config = config_from(config_path, db)
    if fmt not in (None, "nmea", "csv"):
        raise typer.BadParameter("nmea or csv", param_hint="--reader")
    layout = None
    if columns:
        try:
            mapping = dict(item.split("=", 1) for item in columns.split(","))
            layout = mapped_layout({k.strip(): v.strip() for k, v in mapping.items()}, time_format)
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--columns") from exc
    with open_store(config, read_only=False) as store, progress_bar(not quiet) as bar:
        reports = load_ais(
            store,
            paths,
            fmt=fmt,  # type: ignore[arg-type]
            layout=layout,
            given_time=received,
            dataset=dataset,
            simulated=simulated,
            config=config,
            progress=bar,
        )
    for report in reports:
        c = report.counts
        if report.status == "unchanged":
            err.print(f"{report.file}: unchanged (already loaded as {report.load_id})")
            continue
        rejected = ", ".join(f"{k} {v}" for k, v in c["rejected"].items()) or "none"
        unusable = ", ".join(f"{k} {v}" for k, v in c["unusable_by_detectors"].items()) or "none"
        err.print(
            f"[bold]{report.file}[/] ({report.reader}, dataset {report.dataset}): "
            f"{c['positions']} positions, {c['static_reports']} static reports; "
            f"quarantined {c['quarantined']} ({rejected}); kept but unusable by detectors: "
            f"{unusable}; duplicates removed {c['other'].get('duplicates removed', 0)}"
        )
        if c["warnings"]:
            err.print("  warnings: " + ", ".join(f"{k} {v}" for k, v in c["warnings"].items()))
    if reports and any(r.counts.get("quarantined") for r in reports):
        err.print("see the rejected lines: interdiction ais issues")
    if as_json:
        print(to_json({"loads": [r.to_dict() for r in reports]}))


@app.command("detect")
def detect_cmd(
    since: SinceOption = None,
    until: UntilOption = None,
    bbox: BboxOption = None,
    detector: Annotated[
        list[str] | None,
        typer.Option("--detector", help=f"Run only these: {', '.join(DETECTORS)}."),
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
    config_path: ConfigOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Run the maritime detectors over the loaded positions and write their alerts."""
    config = config_from(config_path, db)
    try:
        with open_store(config, read_only=False) as store, progress_bar(not quiet) as bar:
            report = detect(
                store, config, since=since, until=until, bbox=parse_bbox(bbox),
                detectors=detector, progress=bar,
            )  # fmt: skip
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    counts = ", ".join(f"{k} {v}" for k, v in sorted(report.alerts.items())) or "no events"
    err.print(f"{report.positions} positions in scope: {counts}")
    if report.port_visit_confidence:
        err.print(
            "port visits by confidence: "
            + ", ".join(f"{k}: {v}" for k, v in sorted(report.port_visit_confidence.items()))
            + f" (alerts from confidence {config.maritime.port_min_confidence})"
        )
    if as_json:
        print(to_json(report.to_dict()))


@app.command("events")
def events_cmd(
    type: Annotated[str | None, typer.Option("--type", help="ais_gap, ais_encounter, ...")] = None,
    since: SinceOption = None,
    until: UntilOption = None,
    bbox: BboxOption = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
    config_path: ConfigOption = None,
) -> None:
    """List detected events: table, json, csv or geojson (simulated rows are marked)."""
    config = config_from(config_path, db)
    chosen = output_format(fmt, as_json)
    with open_store(config, read_only=True) as store:
        try:
            rows = exports.events(store, type, since, until, parse_bbox(bbox))
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--type") from exc
        if chosen == "geojson":
            with data_out(output) as handle:
                handle.write(json.dumps(exports.events_geojson(store, rows), default=str) + "\n")
        elif chosen == "csv":
            with data_out(output) as handle:
                exports.write_csv(handle, rows, exports.EVENT_COLUMNS)
        else:
            emit_rows(
                rows,
                ("type", "kind", "severity", "start_time", "end_time", "title", "simulated"),
                chosen,
                output,
                title="AIS events",
            )
    if any(r["simulated"] for r in rows):
        err.print(f"[bold red]note:[/] {exports.SIMULATED_NOTICE}")


@app.command("status")
def status(
    db: DbOption = None, as_json: JsonOption = False, config_path: ConfigOption = None
) -> None:
    """AIS loads in the store: files, counts, time span, quarantine."""
    config = config_from(config_path, db)
    with open_store(config, read_only=True) as store:
        if not store.has_table("ais_loads"):
            rows: list[dict[str, Any]] = []
        else:
            result = store.con.execute(
                """SELECT load_id, dataset, reader, origin, first_time, last_time, simulated,
                          counts->>'positions' AS positions, counts->>'quarantined' AS quarantined
                FROM ais_loads ORDER BY load_no"""
            )
            names = [d[0] for d in result.description]
            rows = [dict(zip(names, r, strict=True)) for r in result.fetchall()]
    emit_rows(
        rows,
        ("load_id", "reader", "first_time", "last_time", "positions", "quarantined", "simulated"),
        "json" if as_json else "table",
        None,
        title="AIS loads",
    )


@app.command("issues")
def issues(
    load_id: Annotated[
        str | None, typer.Argument(help="A load id (default: all AIS loads).")
    ] = None,
    code: Annotated[str | None, typer.Option(help="Only this reason, e.g. bad-checksum.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many rows.")] = 200,
    fmt: FormatOption = None,
    output: OutputOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
    config_path: ConfigOption = None,
) -> None:
    """Rejected lines and warnings of AIS loads, with file, line and reason."""
    config = config_from(config_path, db)
    with open_store(config, read_only=True) as store:
        if not store.has_table("ais_loads"):
            rows: list[dict[str, Any]] = []
        else:
            result = store.con.execute(
                """SELECT i.version AS load_id, i.file, i.line, i.level, i.code, i.message, i.raw
                FROM load_issues i JOIN ais_loads l ON l.load_id = i.version
                WHERE ($load IS NULL OR i.version = $load) AND ($code IS NULL OR i.code = $code)
                ORDER BY l.load_no, i.line LIMIT $limit""",
                {"load": load_id, "code": code, "limit": limit},
            )
            names = [d[0] for d in result.description]
            rows = [dict(zip(names, r, strict=True)) for r in result.fetchall()]
    emit_rows(
        rows, ("file", "line", "level", "code", "message", "raw"), output_format(fmt, as_json),
        output, title="AIS load issues",
    )  # fmt: skip


@app.command("simulate")
def simulate(
    scenario: Annotated[
        list[str] | None,
        typer.Option(
            "--scenario", help=f"Scenarios to compose (default: all): {', '.join(SCENARIOS)}."
        ),
    ] = None,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed gives the same data.")] = 0,
    start: Annotated[datetime, typer.Option(help="Start time (UTC).")] = datetime(2024, 3, 1),
    db: DbOption = None,
    as_json: JsonOption = False,
    config_path: ConfigOption = None,
) -> None:
    """Load a simulated scenario (fictitious vessels, planted events), marked simulated."""
    config = config_from(config_path, db)
    names = scenario or list(SCENARIOS)
    unknown = set(names) - set(SCENARIOS)
    if unknown:
        raise typer.BadParameter(
            f"unknown {sorted(unknown)}; known: {', '.join(SCENARIOS)}", param_hint="--scenario"
        )
    sim = Simulation(seed, start)
    for name in names:
        SCENARIOS[name](sim)
    data = sim.run()
    with open_store(config, read_only=False) as store:
        report = write_simulated(store, data, config=config)
    err.print(
        f"[bold red]SIMULATED[/] {report.dataset}: {len(data.positions['mmsi'])} positions of "
        f"{len(data.vessels)} fictitious vessels, {len(data.truth)} planted events "
        f"({report.status}); run `interdiction ais detect` next"
    )
    if as_json:
        print(to_json(report.to_dict()))


@app.command("quality")
def quality(
    db: DbOption = None, as_json: JsonOption = False, config_path: ConfigOption = None
) -> None:
    """Precision and recall of the detectors on the simulations in the store (planted events)."""
    from interdiction.maritime.quality import simulation_scores

    config = config_from(config_path, db)
    with open_store(config, read_only=True) as store:
        rows = [s.to_dict() for s in simulation_scores(store)]
    emit_rows(
        rows,
        ("type", "planted", "detected", "true_positives", "precision", "recall"),
        "json" if as_json else "table",
        None,
        title="SIMULATED: detected against planted events",
    )
