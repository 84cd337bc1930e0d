"""A picture of an entity's neighbourhood for reports: SVG or PNG, drawn offline.

Radial layout: the entity in the centre, each ring one step further; a node sits near the
mean angle of the nodes that brought it in, so branches stay together. Colours carry the
status (listed, blocked, possibly blocked, other, shared attribute); ownership edges are
labelled with their share. The footer names the lists and the date, and says SIMULATED
when any entity shown comes from simulated data. matplotlib (Agg) renders with its bundled
DejaVu fonts, so nothing is fetched; scripts DejaVu lacks (Hangul, Han) show as boxes.
"""

from __future__ import annotations

import math
import warnings
from datetime import date
from typing import IO, Any, cast

STATUS_COLOUR = {
    "listed": "#c0392b",
    "blocked": "#e67e22",
    "possibly blocked": "#f1c40f",
}
OTHER = "#2e86c1"
ATTRIBUTE = "#95a5a6"
EDGE_STYLE = {
    "ownership": ("-", 1.8, "#34495e"),
    "voting": ("-", 1.4, "#34495e"),
    "interest": ("-", 1.2, "#7f8c8d"),
    "control": ("--", 1.6, "#8e44ad"),
    "directorship": ("-.", 1.2, "#16a085"),
    "vessel_owner": ("-", 1.6, "#1f618d"),
    "vessel_operator": ("--", 1.4, "#1f618d"),
    "link": (":", 1.4, "#c0392b"),
    "attribute": ("-", 0.6, "#bdc3c7"),
}


def _short(text: str, width: int = 26) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def layout(view: dict[str, Any]) -> dict[str, tuple[float, float]]:
    """Radial tree: each node under one parent one ring in, every subtree in its own wedge
    sized by its number of leaves, so that no edge of the tree crosses the centre."""
    depth = {n["id"]: int(n.get("depth") or 0) for n in view["nodes"]}
    adjacent: dict[str, set[str]] = {}
    for edge in view["edges"]:
        adjacent.setdefault(edge["from"], set()).add(edge["to"])
        adjacent.setdefault(edge["to"], set()).add(edge["from"])
    root = next((i for i, d in depth.items() if d == 0), None)
    if root is None:
        return {}
    children: dict[str, list[str]] = {i: [] for i in depth}
    for node, d in sorted(depth.items(), key=lambda kv: (kv[1], kv[0])):
        if d == 0:
            continue
        parents = sorted(p for p in adjacent.get(node, ()) if depth.get(p) == d - 1)
        parent = parents[0] if parents else root
        children[parent].append(node)
    leaves: dict[str, int] = {}

    def count(node: str) -> int:
        leaves[node] = sum(count(c) for c in children[node]) or 1
        return leaves[node]

    count(root)
    pos: dict[str, tuple[float, float]] = {}

    def place(node: str, start: float, width: float) -> None:
        a = start + width / 2
        r = depth[node]
        pos[node] = (r * math.cos(a), r * math.sin(a))
        cursor = start
        for child in sorted(children[node], key=lambda c: (-leaves[c], c)):
            share = width * leaves[child] / leaves[node]
            place(child, cursor, share)
            cursor += share

    place(root, 0.0, 2 * math.pi)
    for node in depth:  # unreachable in the tree (should not happen): park on the rim
        pos.setdefault(node, (max(depth.values()) + 0.5, 0.0))
    return pos


def draw(
    view: dict[str, Any], handle: IO[bytes], fmt: str, title: str, footer: str, simulated: bool
) -> None:
    """Write the picture to ``handle`` as ``fmt`` (``svg`` or ``png``)."""
    if fmt not in ("svg", "png"):
        raise ValueError(f"the picture is written as svg or png, not {fmt!r}")
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.lines import Line2D

    pos = layout(view)
    depth = max((int(n.get("depth") or 0) for n in view["nodes"]), default=1) or 1
    size = 7 + 2.5 * depth
    fig, ax = plt.subplots(figsize=(size, size))
    ax.set_axis_off()
    ax.set_aspect("equal")
    for edge in view["edges"]:
        if edge["from"] not in pos or edge["to"] not in pos:
            continue
        style, width, colour = EDGE_STYLE.get(edge["kind"], ("-", 1.0, "#7f8c8d"))
        (x1, y1), (x2, y2) = pos[edge["from"]], pos[edge["to"]]
        ax.annotate(
            "",
            xy=(x2, y2) if edge["direction"] == "forward" else (x1, y1),
            xytext=(x1, y1) if edge["direction"] == "forward" else (x2, y2),
            arrowprops={
                "arrowstyle": "-|>" if edge["kind"] != "attribute" else "-",
                "linestyle": style,
                "linewidth": width,
                "color": colour,
                "shrinkA": 9,
                "shrinkB": 9,
            },
            zorder=1,
        )
        if edge.get("share") and edge["share"] != "unknown":
            ax.text(
                (x1 + x2) / 2,
                (y1 + y2) / 2,
                edge["share"],
                fontsize=7,
                ha="center",
                va="center",
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85},
                zorder=3,
            )
    for node in view["nodes"]:
        x, y = pos[node["id"]]
        if node.get("attribute"):
            colour, marker, size_pt = ATTRIBUTE, "s", 60
        else:
            status = node.get("status") or ("listed" if node.get("listed") else None)
            colour = STATUS_COLOUR.get(status or "", OTHER)
            if node.get("listed") and status not in STATUS_COLOUR:
                colour = STATUS_COLOUR["listed"]
            marker, size_pt = "o", 220 if node.get("depth") == 0 else 140
        ax.scatter(
            [x],
            [y],
            s=size_pt,
            c=colour,
            marker=marker,
            edgecolors="black" if node.get("depth") == 0 else "white",
            linewidths=2 if node.get("depth") == 0 else 0.8,
            linestyle="--" if node.get("missing") else "-",
            zorder=2,
        )
        label = _short(node["caption"])
        if node.get("hub"):
            label += " (hub)"
        ax.text(x, y - 0.13, label, fontsize=7.5, ha="center", va="top", zorder=4)
    legend = [
        Line2D([0], [0], marker="o", color="w", markerfacecolor=c, markersize=9, label=s)
        for s, c in STATUS_COLOUR.items()
    ]
    legend.append(
        Line2D([0], [0], marker="o", color="w", markerfacecolor=OTHER, markersize=9, label="other")
    )
    legend.append(
        Line2D(
            [0],
            [0],
            marker="s",
            color="w",
            markerfacecolor=ATTRIBUTE,
            markersize=8,
            label="shared attribute",
        )
    )
    for kind in ("ownership", "control", "directorship", "link", "vessel_owner"):
        style, width, colour = EDGE_STYLE[kind]
        legend.append(
            Line2D(
                [0],
                [0],
                color=colour,
                linestyle=cast(Any, style),
                linewidth=width,
                label=kind.replace("_", " "),
            )
        )
    ax.legend(handles=legend, loc="upper left", fontsize=7, frameon=False)
    heading = title + ("  [SIMULATED DATA]" if simulated else "")
    ax.set_title(heading, fontsize=11, color="#c0392b" if simulated else "black")
    stamp = f"{footer}  ·  drawn {date.today():%Y-%m-%d} by interdiction"
    fig.text(0.01, 0.01, stamp, fontsize=6.5, color="#555555", wrap=True)
    lim = depth + 0.6
    ax.set_xlim(-lim, lim)
    ax.set_ylim(-lim, lim)
    metadata: dict[str, Any] = {"Creator": "interdiction"}
    if fmt == "svg":
        metadata["Date"] = None  # reproducible files
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # missing glyphs for scripts DejaVu lacks
        fig.savefig(handle, format=fmt, dpi=150, bbox_inches="tight", metadata=metadata)
    plt.close(fig)
