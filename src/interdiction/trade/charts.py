"""Charts for reports, drawn offline with matplotlib (Agg) and its bundled DejaVu font.

PNG or SVG by the file's suffix; output is reproducible (no timestamps in the file) and
every chart drawn from simulated data carries a visible SIMULATED DATA watermark.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from interdiction.fileio import atomic_write

plt.rcParams.update({"font.family": "DejaVu Sans", "svg.hashsalt": "interdiction"})


def _save(fig: Any, path: Path, simulated: bool) -> Path:
    if simulated:
        fig.text(
            0.5,
            0.5,
            "SIMULATED DATA",
            fontsize=40,
            color="red",
            alpha=0.18,
            ha="center",
            va="center",
            rotation=25,
        )
    suffix = Path(path).suffix.lower()
    if suffix not in (".png", ".svg"):
        raise ValueError(f"{path}: charts are written as .png or .svg")
    metadata: dict[str, Any] = {"Date": None} if suffix == ".svg" else {"Software": None}
    with atomic_write(Path(path), mode="wb") as handle:
        fig.savefig(handle, format=suffix[1:], dpi=120, bbox_inches="tight", metadata=metadata)
    plt.close(fig)
    return Path(path)


def petroleum_chart(table: dict[str, Any], path: Path) -> Path:
    months = [row["month"] for row in table["months"]]
    fig, ax = plt.subplots(figsize=(9, 4.5))
    ax.bar(
        months,
        [row["declared_barrels"] for row in table["months"]],
        label="declared deliveries (barrels)",
        color="#33658a",
    )
    ax.plot(
        months,
        [row["declared_cumulative"] for row in table["months"]],
        color="#2f4858",
        marker="o",
        label="cumulative, declared",
    )
    for key in sorted(
        {k for row in table["months"] for k in row if k.startswith("with_port_calls_")}
    ):
        ax.plot(
            months,
            [row[key] for row in table["months"]],
            linestyle="--",
            label=key.replace("with_port_calls_", "cumulative with port calls, ").replace(
                "_cumulative", " laden"
            ),
        )
    ax.axhline(
        table["cap_barrels"],
        color="#c1121f",
        linewidth=2,
        label=f"cap: {table['cap_barrels']:,.0f} barrels (UNSCR 2397)",
    )
    ax.set_ylabel("barrels")
    ax.set_title("Refined petroleum to the DPRK by month, against the 2397 cap")
    ax.tick_params(axis="x", rotation=60, labelsize=7)
    ax.legend(fontsize=7, loc="upper left")
    return _save(fig, path, bool(table["simulated"]))


def bars_chart(
    labels: list[str], values: list[float], title: str, ylabel: str, path: Path, simulated: bool
) -> Path:
    fig, ax = plt.subplots(figsize=(9, 4.5))
    ax.bar(labels, values, color=["#c1121f" if v < 0 else "#33658a" for v in values])
    ax.set_title(title)
    ax.set_ylabel(ylabel)
    ax.tick_params(axis="x", rotation=60, labelsize=7)
    return _save(fig, path, simulated)


def series_chart(
    series: dict[str, list[tuple[str, float]]], title: str, ylabel: str, path: Path, simulated: bool
) -> Path:
    fig, ax = plt.subplots(figsize=(9, 4.5))
    for label, points in sorted(series.items()):
        ax.plot([p[0] for p in points], [p[1] for p in points], marker="o", label=label)
    ax.set_title(title)
    ax.set_ylabel(ylabel)
    ax.tick_params(axis="x", rotation=60, labelsize=7)
    ax.legend(fontsize=7)
    return _save(fig, path, simulated)
