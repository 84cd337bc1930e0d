"""``interdiction vessels``: one vessel's identity history, events, sightings and status."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from interdiction.commands.common import (
    ConfigOption,
    DbOption,
    JsonOption,
    NotFound,
    config_from,
    data_console,
    data_out,
    open_store,
    report_lists,
    to_json,
)
from interdiction.maritime import export as exports
from interdiction.maritime.vessels import VesselNotFound, add_sighting, resolve, vessel_view

app = typer.Typer(help="Vessels: AIS identity, events, sightings, sanctions.", no_args_is_help=True)


@app.command("show")
def show(
    query: Annotated[str, typer.Argument(help="IMO number, MMSI or name.")],
    track: Annotated[
        Path | None, typer.Option(help="Also write the AIS track to this file (.geojson or .csv).")
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
    config_path: ConfigOption = None,
) -> None:
    """Identity history, events, sightings, last seen on AIS, and sanctions status by IMO."""
    config = config_from(config_path, db)
    with open_store(config, read_only=True) as store:
        report_lists(store, config)
        try:
            view = vessel_view(store, query)
        except VesselNotFound as exc:
            raise NotFound(str(exc)) from exc
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="QUERY") from exc
        if track is not None:
            rows = exports.track_rows(store, view["mmsis"])
            with data_out(track) as handle:
                if track.suffix.lower() == ".csv":
                    exports.write_csv(handle, rows, exports.TRACK_COLUMNS)
                else:
                    handle.write(json.dumps(exports.tracks_geojson(rows), default=str) + "\n")
    if as_json:
        print(to_json(view))
        return
    out = data_console(sys.stdout)
    mark = " [bold red]SIMULATED[/]" if view["simulated"] else ""
    out.print(f"[bold]{query}[/]{mark}: MMSI {', '.join(map(str, view['mmsis'])) or '-'}; IMO "
              f"{', '.join(f'{i:07d}' for i in view['imos']) or '-'}")  # fmt: skip
    if view["sanctions"]:
        for s in view["sanctions"]:
            out.print(
                f"[bold red]{s['status'].upper()}[/]: {s['caption']} "
                f"({s['entity_id']}, {s['imo']}) "
                f"on {', '.join(s['datasets'])}; programs {', '.join(s['programs']) or '-'}; "
                f"flag {', '.join(s['flag']) or '-'}"
            )
    elif view["imos"]:
        out.print("not on any list loaded in this store (by IMO number)")
    else:
        out.print("no IMO number known: sanctions status cannot be checked by IMO")
    seen = view["last_seen_on_ais"]
    if seen:
        out.print(
            f"last seen on AIS: {seen['time']:%Y-%m-%d %H:%M} UTC at {seen['lat']:.4f}, "
            f"{seen['lon']:.4f} (MMSI {seen['mmsi']}, {seen['dataset']})"
        )
    else:
        out.print("not seen on AIS in this store")
    if view["identities"]:
        table = Table(title="identity history (AIS static reports)")
        for col in ("mmsi", "imo", "name", "callsign", "ship type", "first", "last", "reports"):
            table.add_column(col)
        for i in view["identities"]:
            table.add_row(
                str(i["mmsi"]), str(i["imo"] or ""), i["name"] or "", i["callsign"] or "",
                str(i["ship_type"] or ""), f"{i['first']:%Y-%m-%d %H:%M}" if i["first"] else "",
                f"{i['last']:%Y-%m-%d %H:%M}" if i["last"] else "", str(i["reports"]),
            )  # fmt: skip
        out.print(table)
    if view["events"]:
        table = Table(title="events")
        for col in ("type", "start", "end", "severity", "title"):
            table.add_column(col)
        for e in view["events"]:
            table.add_row(
                e["type"], f"{e['start_time']:%Y-%m-%d %H:%M}" if e["start_time"] else "",
                f"{e['end_time']:%Y-%m-%d %H:%M}" if e["end_time"] else "",
                e["severity"], e["title"],
            )  # fmt: skip
        out.print(table)
    for s in view["sightings"]:
        out.print(
            f"sighting {s['ts']:%Y-%m-%d %H:%M} at {s['lat']:.4f}, {s['lon']:.4f}: {s['source']}"
            + (f" ({s['reliability']})" if s["reliability"] else "")
            + (f" - {s['note']}" if s["note"] else "")
        )


@app.command("sighting")
def sighting(
    vessel: Annotated[str, typer.Argument(help="IMO number, MMSI or name of the vessel seen.")],
    time: Annotated[datetime, typer.Option(help="When (UTC).")],
    lat: Annotated[float, typer.Option(help="Latitude (degrees).")],
    lon: Annotated[float, typer.Option(help="Longitude (degrees).")],
    source: Annotated[
        str, typer.Option(help="Where it comes from, e.g. 'Planet imagery 2024-03-02'.")
    ],
    reliability: Annotated[
        str | None, typer.Option(help="Source reliability and credibility (Admiralty, e.g. B2).")
    ] = None,
    note: Annotated[str | None, typer.Option(help="What was seen.")] = None,
    by: Annotated[str | None, typer.Option(help="Who recorded it.")] = None,
    db: DbOption = None,
    config_path: ConfigOption = None,
) -> None:
    """Record a sighting (imagery, visual) of a vessel as evidence beside AIS."""
    config = config_from(config_path, db)
    q = vessel.strip().upper().removeprefix("IMO").strip()
    imo = int(q) if q.isdigit() and len(q) == 7 else None
    mmsi = int(q) if q.isdigit() and len(q) == 9 else None
    name = None if (imo or mmsi) else vessel.strip()
    with open_store(config, read_only=False) as store:
        if name:
            keys = resolve(store, name)
            imo = next(iter(keys.imos), None) if len(keys.imos) == 1 else None
        try:
            sid = add_sighting(
                store, time=time, lat=lat, lon=lon, source=source, imo=imo, mmsi=mmsi, name=name,
                reliability=reliability, note=note, recorded_by=by,
            )  # fmt: skip
        except ValueError as exc:
            raise typer.BadParameter(str(exc)) from exc
    print(sid)
