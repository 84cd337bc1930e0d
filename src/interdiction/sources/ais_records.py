"""What the AIS readers (raw NMEA, decoded CSV) hand to the maritime loader.

AIS is not an FtM list: a reader yields column chunks of position and static reports, each
row with the line it came from, plus the issues of the lines it could not use. The loader
(``interdiction.maritime.load``) turns chunks into rows of the typed tables in one store
transaction. Times are microseconds since the Unix epoch (UTC), ``NO_TIME`` where the source
gave none.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

NO_TIME = np.iinfo(np.int64).min
Level = Literal["quarantined", "warning"]

# How the time of a row was obtained, stored as text in ``ts_source``.
TIME_SOURCES = ("none", "tag-block", "uscg", "pghp", "given", "csv", "simulated")
TS_NONE, TS_TAG, TS_USCG, TS_PGHP, TS_GIVEN, TS_CSV, TS_SIMULATED = range(len(TIME_SOURCES))

# Position columns: name -> dtype. Missing numeric values are NaN (floats) or -1 (ints).
POSITION_COLUMNS: dict[str, str] = {
    "mmsi": "int64",
    "ts": "int64",
    "ts_source": "int8",
    "lat": "float64",
    "lon": "float64",
    "sog": "float32",
    "cog": "float32",
    "heading": "int16",
    "nav_status": "int8",
    "msg_type": "int8",
    "line": "int64",
    "msg_key": "uint64",
}
STATIC_NUMERIC: dict[str, str] = {
    "mmsi": "int64",
    "ts": "int64",
    "ts_source": "int8",
    "msg_type": "int8",
    "imo": "int64",
    "ship_type": "int16",
    "to_bow": "int16",
    "to_stern": "int16",
    "to_port": "int16",
    "to_starboard": "int16",
    "length": "int16",
    "width": "int16",
    "draught": "float32",
    "line": "int64",
}
STATIC_TEXT = ("part", "name", "callsign", "destination", "eta")


@dataclass
class Issue:
    line: int | None
    code: str
    message: str
    raw: str | None = None
    level: Level = "quarantined"


Columns = dict[str, npt.NDArray[Any]]


def empty_positions(n: int = 0) -> Columns:
    return {name: np.zeros(n, dtype=dtype) for name, dtype in POSITION_COLUMNS.items()}


def empty_static(n: int = 0) -> Columns:
    cols: Columns = {name: np.zeros(n, dtype=dtype) for name, dtype in STATIC_NUMERIC.items()}
    for name in STATIC_TEXT:
        cols[name] = np.full(n, None, dtype=object)
    return cols


def concat(parts: list[Columns], empty: Columns) -> Columns:
    if not parts:
        return empty
    return {name: np.concatenate([p[name] for p in parts]) for name in empty}


@dataclass
class AisChunk:
    """Rows read from a stretch of one file, and what was rejected there."""

    positions: Columns = field(default_factory=empty_positions)
    static: Columns = field(default_factory=empty_static)
    issues: list[Issue] = field(default_factory=list)
    # Lines or messages by outcome: 'sentences', 'messages', 'ignored:<why>', ...
    counts: Counter[str] = field(default_factory=Counter)


def normalise_ascii(text: str) -> str:
    return " ".join(text.split())
