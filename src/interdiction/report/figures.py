"""Figures as self-contained SVG: no fonts, scripts or images fetched from anywhere.

Every figure that shows simulated data carries a diagonal SIMULATED watermark drawn into the
SVG itself, so the mark survives copying the figure out of the product.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

SIMULATED_MARK = "SIMULATED"


@dataclass
class Figure:
    id: str
    title: str
    svg: str  # inline SVG (self-contained)
    caption: str
    simulated: bool = False


FONT = "font-family='DejaVu Sans, Arial, sans-serif'"
TYPE_COLOURS = {
    "maritime": "#1f77b4",
    "networks": "#9467bd",
    "trade": "#d62728",
    "screening": "#2ca02c",
    "general": "#7f7f7f",
}


def esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


def watermark(width: int, height: int, text: str = SIMULATED_MARK) -> str:
    """A diagonal watermark across the figure (drawn last, on top, translucent)."""
    cx, cy = width / 2, height / 2
    size = max(24, min(width, height) // 6)
    return (
        f"<g class='watermark' pointer-events='none'>"
        f"<text x='{cx:.0f}' y='{cy:.0f}' text-anchor='middle' dominant-baseline='middle' "
        f"{FONT} font-size='{size}' font-weight='bold' fill='#c00000' fill-opacity='0.18' "
        f"transform='rotate(-24 {cx:.0f} {cy:.0f})'>{esc(text)} DATA</text></g>"
    )


def svg_document(width: int, height: int, body: str, title: str, simulated: bool) -> str:
    mark = watermark(width, height) if simulated else ""
    return (
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}' "
        f"width='{width}' height='{height}' role='img' aria-label='{esc(title)}'>"
        f"<title>{esc(title)}{' (simulated data)' if simulated else ''}</title>"
        f"<rect width='100%' height='100%' fill='white'/>{body}{mark}</svg>"
    )


def timeline_figure(events: Sequence[dict[str, Any]], width: int = 900) -> Figure | None:
    """Events on a time axis, one lane per section, each marker titled with its alert."""
    timed = [e for e in events if isinstance(e.get("time"), dt.datetime)]
    if not timed:
        return None
    start = min(e["time"] for e in timed)
    end = max((e.get("end") or e["time"]) for e in timed)
    if end <= start:
        end = start + dt.timedelta(hours=1)
    lanes = sorted({e.get("section", "general") for e in timed}, key=list(TYPE_COLOURS).index)
    left, right, top, lane_h = 140, 20, 30, 34
    height = top + lane_h * len(lanes) + 40
    span = (end - start).total_seconds()

    def x(t: dt.datetime) -> float:
        return float(left + (width - left - right) * (t - start).total_seconds() / span)

    parts = []
    for i, lane in enumerate(lanes):
        y = top + i * lane_h + lane_h / 2
        parts.append(
            f"<text x='{left - 8}' y='{y:.0f}' text-anchor='end' dominant-baseline='middle' "
            f"{FONT} font-size='12'>{esc(lane)}</text>"
            f"<line x1='{left}' x2='{width - right}' y1='{y:.0f}' y2='{y:.0f}' stroke='#ddd'/>"
        )
    for event in timed:
        lane = lanes.index(event.get("section", "general"))
        y = top + lane * lane_h + lane_h / 2
        x0 = x(event["time"])
        x1 = x(event.get("end") or event["time"])
        colour = TYPE_COLOURS.get(event.get("section", "general"), "#333")
        label = esc(f"{event['label']} ({event['type']}, {event['time']:%Y-%m-%d %H:%M})")
        if x1 - x0 >= 3:
            parts.append(
                f"<rect x='{x0:.1f}' y='{y - 6:.1f}' width='{x1 - x0:.1f}' height='12' "
                f"fill='{colour}' fill-opacity='0.6'><title>{label}</title></rect>"
            )
        else:
            parts.append(
                f"<circle cx='{x0:.1f}' cy='{y:.1f}' r='5' fill='{colour}'>"
                f"<title>{label}</title></circle>"
            )
    axis_y = top + lane_h * len(lanes) + 12
    ticks = 6
    for i in range(ticks + 1):
        t = start + (end - start) * i / ticks
        tx = x(t)
        parts.append(
            f"<line x1='{tx:.1f}' x2='{tx:.1f}' y1='{top}' y2='{axis_y - 8}' stroke='#eee'/>"
            f"<text x='{tx:.1f}' y='{axis_y + 6}' text-anchor='middle' {FONT} font-size='10'>"
            f"{t:%Y-%m-%d}</text>"
        )
    simulated = any(e.get("simulated") for e in timed)
    title = "Timeline of the case's alerts"
    return Figure(
        id="timeline",
        title=title,
        svg=svg_document(width, height, "".join(parts), title, simulated),
        caption=f"{len(timed)} alerts from {start:%Y-%m-%d} to {end:%Y-%m-%d}; hover for details."
        + (" Contains simulated data." if simulated else ""),
        simulated=simulated,
    )
