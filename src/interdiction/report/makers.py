"""The figures a briefing carries, drawn by the capabilities that own the data.

- a map of AIS tracks and maritime events on the real coastline (GSHHG, the 0.1 degree
  shore-distance grid shipped with the maritime capability), ports of interest marked;
- network pictures of the case's key entities (the network capability's neighbourhood
  picture), and of every blocked-but-not-listed finding;
- the refined-petroleum deliveries to the DPRK by month against the UNSCR 2397 cap.

Each figure is an inline SVG (matplotlib renders text as paths: no font is fetched) and says
SIMULATED, in the image, whenever what it shows rests on simulated data.
"""

from __future__ import annotations

import io
import re
import tempfile
from pathlib import Path
from typing import Any

from interdiction.config import Config
from interdiction.report.figures import Figure, esc
from interdiction.store import Store, lists_in_use

MAP_TYPES_STYLE = {
    "ais_gap": ("#d62728", "x", "AIS gap"),
    "ais_dark_port_call": ("#8c0000", "*", "possible dark port call"),
    "ais_encounter": ("#ff7f0e", "D", "encounter (ship to ship)"),
    "ais_loitering": ("#9467bd", "s", "loitering"),
    "ais_spoofing": ("#e377c2", "^", "spoofing sign"),
    "ais_port_visit": ("#2ca02c", "o", "port visit"),
    "ais_identity": ("#7f7f7f", "v", "identity change"),
}


def _svg_of(fig: Any) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    text = buffer.getvalue().decode("utf-8")
    # Keep only the <svg> element: no XML prolog or DOCTYPE inside the HTML page.
    start = text.find("<svg")
    return text[start:] if start >= 0 else text


def _watermark(fig: Any) -> None:
    fig.text(
        0.5,
        0.5,
        "SIMULATED DATA",
        fontsize=38,
        color="#c00000",
        alpha=0.2,
        ha="center",
        va="center",
        rotation=24,
    )


def maritime_map(
    store: Store,
    alerts: list[dict[str, Any]],
    entities: list[dict[str, Any]],
    config: Config | None = None,
) -> list[Figure]:
    """Tracks of the vessels in the case's maritime alerts, and the alerts, on the coastline."""
    import matplotlib

    matplotlib.use("Agg")
    import numpy as np
    from matplotlib import pyplot as plt

    from interdiction.maritime.export import track_rows
    from interdiction.maritime.geo import ports, shore_distance_km

    sea = [
        a
        for a in alerts
        if str(a.get("detector", "")).startswith("maritime.") and a.get("lat") is not None
    ]
    if not sea:
        return []
    mmsis: set[int] = set()
    for alert in sea:
        for entity_id in alert.get("entity_ids") or []:
            match = re.search(r"(\d{9})$", str(entity_id))
            if match:
                mmsis.add(int(match.group(1)))
    tracks = track_rows(store, sorted(mmsis)) if mmsis else []
    lats = [a["lat"] for a in sea] + [t["lat"] for t in tracks]
    lons = [a["lon"] for a in sea] + [t["lon"] for t in tracks]
    south, north = min(lats) - 1.0, max(lats) + 1.0
    west, east = min(lons) - 1.5, max(lons) + 1.5
    lat_grid = np.arange(south, north, 0.1)
    lon_grid = np.arange(west, east, 0.1)
    la, lo = np.meshgrid(lat_grid, lon_grid, indexing="ij")
    land = shore_distance_km(la, lo) < 0
    fig, ax = plt.subplots(figsize=(9, 9 * (north - south) / max(east - west, 1e-6) + 0.8))
    ax.imshow(
        np.where(land, 1.0, 0.0),
        extent=(west, east, south, north),
        origin="lower",
        cmap=matplotlib.colors.ListedColormap(["#dbe9f6", "#e8e2cf"]),
        interpolation="nearest",
        aspect="auto",
    )
    by_mmsi: dict[int, list[dict[str, Any]]] = {}
    for row in tracks:
        by_mmsi.setdefault(row["mmsi"], []).append(row)
    for mmsi, points in by_mmsi.items():
        ax.plot(
            [p["lon"] for p in points],
            [p["lat"] for p in points],
            linewidth=0.8,
            color="#1f4e79",
            alpha=0.7,
        )
        ax.annotate(str(mmsi), (points[-1]["lon"], points[-1]["lat"]), fontsize=6, color="#1f4e79")
    seen: set[str] = set()
    for alert in sea:
        colour, marker, label = MAP_TYPES_STYLE.get(alert["type"], ("#333333", "o", alert["type"]))
        ax.scatter(
            [alert["lon"]],
            [alert["lat"]],
            c=colour,
            marker=marker,
            s=46,
            zorder=5,
            label=None if label in seen else label,
            edgecolors=None if marker in ("x", "+") else "white",
            linewidths=0.5 if marker not in ("x", "+") else 1.2,
        )
        seen.add(label)
    for port in ports().values():
        if south <= port.lat <= north and west <= port.lon <= east:
            ax.scatter([port.lon], [port.lat], c="black", marker="P", s=30, zorder=4)
            name = port.name + (" (approx.)" if port.approximate else "")
            ax.annotate(
                name, (port.lon, port.lat), fontsize=7, xytext=(4, 4), textcoords="offset points"
            )
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_xlabel("longitude")
    ax.set_ylabel("latitude")
    ax.legend(loc="lower left", fontsize=7, framealpha=0.85)
    ax.set_title("AIS tracks and maritime alerts of the case", fontsize=10)
    simulated = any(a.get("simulated") for a in sea) or any(t.get("simulated") for t in tracks)
    if simulated:
        _watermark(fig)
    fig.text(
        0.01,
        0.005,
        "Coastline: GSHHG via the shipped 0.1° shore-distance grid; ports of "
        "interest with approximate geofences marked (approx.)",
        fontsize=6,
        color="#555",
    )
    svg = _svg_of(fig)
    plt.close(fig)
    return [
        Figure(
            id="map",
            title="Map of tracks and events",
            svg=svg,
            caption=f"{len(by_mmsi)} tracks, {len(sea)} maritime alerts; land from GSHHG at 0.1°.",
            simulated=simulated,
        )
    ]


def network_figures(
    store: Store,
    alerts: list[dict[str, Any]],
    entities: list[dict[str, Any]],
    config: Config | None = None,
) -> list[Figure]:
    """The neighbourhood of the case's first connected entity, and of each blocked finding."""
    from interdiction.network.analysis import Network, neighbourhood
    from interdiction.network.picture import draw

    config = config or Config()
    centres: list[str] = []
    companies = [
        e["id"] for e in entities if e["schema"] in ("Company", "Organization", "Legal entity")
    ]
    if companies:
        centres.append(companies[0])
    # The blocked findings share their listed owners: centre on the entity most of their
    # paths run through, so that one picture shows the whole chain.
    counts: dict[str, int] = {}
    for alert in alerts:
        if alert["type"] in ("blocked_not_listed", "possibly_blocked"):
            for entity_id in alert.get("entity_ids") or []:
                counts[entity_id] = counts.get(entity_id, 0) + 1
    if counts:
        centres.append(max(sorted(counts), key=lambda e: counts[e]))
    if not centres:
        return []
    net = Network.load(store, config)
    lists = "lists: " + ", ".join(f"{v.name} {v.published:%Y-%m-%d}" for v in lists_in_use(store))
    out: list[Figure] = []
    for number, centre in enumerate(dict.fromkeys(centres)):
        if number >= 3:
            break
        try:
            view = neighbourhood(net, centre, 3, 40, "ofac")
        except Exception:
            continue
        ids = [n["id"] for n in view["nodes"]]
        simulated = bool(
            store.con.execute(
                """SELECT count(*) FROM statements s JOIN datasets d ON d.name = s.dataset
                WHERE d.simulated AND s.canonical_id IN (SELECT unnest(?))""",
                [ids],
            ).fetchall()[0][0]
        )
        buffer = io.BytesIO()
        title = f"{view['caption']}: neighbourhood, 3 steps"
        draw(view, buffer, "svg", title, lists, simulated)
        text = buffer.getvalue().decode("utf-8")
        out.append(
            Figure(
                id=f"network-{number}",
                title=f"Network of {esc(view['caption'])}",
                svg=text[text.find("<svg") :],
                caption=f"{len(ids)} entities within three steps of {view['caption']} "
                "(red: listed; orange: blocked by the OFAC 50% rule).",
                simulated=simulated,
            )
        )
    return out


def petroleum_figure(
    store: Store,
    alerts: list[dict[str, Any]],
    entities: list[dict[str, Any]],
    config: Config | None = None,
) -> list[Figure]:
    """Refined petroleum delivered to the DPRK by month against the 2397 cap, if any."""
    from interdiction.trade.charts import petroleum_chart
    from interdiction.trade.petroleum import petroleum_table

    if not any(str(a.get("detector", "")).startswith("trade.") for a in alerts):
        return []
    if not store.has_table("trade_shipments"):
        return []
    table = petroleum_table(store, (config or Config()).trade)
    if not table.get("months"):
        return []
    with tempfile.TemporaryDirectory() as tmp:
        path = petroleum_chart(table, Path(tmp) / "petroleum.svg")
        text = path.read_text(encoding="utf-8")
    total = table["declared_total"]
    return [
        Figure(
            id="petroleum",
            title="Refined petroleum to the DPRK against the UNSCR 2397 cap",
            svg=text[text.find("<svg") :],
            caption=f"Declared deliveries {total:,.0f} barrels; cap {table['cap_barrels']:,.0f} "
            "barrels a year; conversion factors as printed by `interdiction trade petroleum`.",
            simulated=bool(table.get("simulated")),
        )
    ]
