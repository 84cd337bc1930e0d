"""Decoded AIS in CSV: the MarineCadastre and Danish Maritime Authority layouts, or a mapping.

pyarrow's streaming CSV reader parses blocks of the file; every column is read as text and
converted with pyarrow compute, so that one bad cell rejects its row (quarantined with the
line and the reason) instead of the file. Rows with the wrong number of fields are
quarantined the same way. Static fields repeat on every row of these exports; a static row is
written only when a vessel's static fields change (or first appear), which keeps identity
changes and drops the repetition.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from interdiction.sources.ais_records import (
    NO_TIME,
    TS_CSV,
    AisChunk,
    Columns,
    Issue,
    empty_positions,
    empty_static,
)
from interdiction.sources.base import InputError

FIELDS = (
    "mmsi", "ts", "lat", "lon", "sog", "cog", "heading", "nav_status", "name", "imo",
    "callsign", "ship_type", "length", "width", "draught", "destination", "mobile_type",
)  # fmt: skip


@dataclass(frozen=True)
class CsvLayout:
    """Which column holds which field, and how times are written."""

    name: str
    columns: dict[str, str]
    time_format: str
    # Text values of ship type and navigational status, where the export writes words.
    ship_types: dict[str, int] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)
    # Rows whose mobile type is one of these are not vessels (base stations, aids).
    not_vessels: tuple[str, ...] = ()


MARINECADASTRE = CsvLayout(
    "marinecadastre",
    {
        "mmsi": "MMSI",
        "ts": "BaseDateTime",
        "lat": "LAT",
        "lon": "LON",
        "sog": "SOG",
        "cog": "COG",
        "heading": "Heading",
        "name": "VesselName",
        "imo": "IMO",
        "callsign": "CallSign",
        "ship_type": "VesselType",
        "nav_status": "Status",
        "length": "Length",
        "width": "Width",
        "draught": "Draft",
    },
    "%Y-%m-%dT%H:%M:%S",
)

# ITU-R M.1371 navigational status as the DMA export spells it.
DMA_STATUS = {
    "under way using engine": 0, "at anchor": 1, "not under command": 2,
    "restricted maneuverability": 3, "constrained by her draught": 4, "moored": 5,
    "aground": 6, "engaged in fishing": 7, "under way sailing": 8,
    "reserved for future amendment [hsc]": 9, "reserved for future amendment [wig]": 10,
    "power-driven vessel towing astern": 11,
    "power-driven vessel pushing ahead or towing alongside": 12,
    "reserved for future use": 13, "ais-sart": 14, "unknown value": 15,
}  # fmt: skip
# DMA ship type words to the first code of their ITU group (60 passenger, 70 cargo ...).
DMA_SHIP_TYPES = {
    "fishing": 30, "towing": 31, "towing long/wide": 32, "dredging": 33, "diving": 34,
    "military": 35, "sailing": 36, "pleasure": 37, "hsc": 40, "pilot": 50, "sar": 51,
    "tug": 52, "port tender": 53, "anti-pollution": 54, "law enforcement": 55,
    "medical": 58, "passenger": 60, "cargo": 70, "tanker": 80, "other": 90,
    "wig": 20, "undefined": 0, "reserved": 0, "not party to conflict": 59, "spare 1": 0,
    "spare 2": 0,
}  # fmt: skip
DMA = CsvLayout(
    "dma",
    {
        "ts": "# Timestamp",
        "mobile_type": "Type of mobile",
        "mmsi": "MMSI",
        "lat": "Latitude",
        "lon": "Longitude",
        "nav_status": "Navigational status",
        "sog": "SOG",
        "cog": "COG",
        "heading": "Heading",
        "imo": "IMO",
        "callsign": "Callsign",
        "name": "Name",
        "ship_type": "Ship type",
        "width": "Width",
        "length": "Length",
        "draught": "Draught",
        "destination": "Destination",
    },
    "%d/%m/%Y %H:%M:%S",
    ship_types=DMA_SHIP_TYPES,
    statuses=DMA_STATUS,
    not_vessels=("Base Station", "AtoN"),
)
LAYOUTS = {layout.name: layout for layout in (MARINECADASTRE, DMA)}


def detect_layout(header: list[str]) -> CsvLayout | None:
    names = {h.strip() for h in header}
    for layout in LAYOUTS.values():
        needed = {layout.columns[k] for k in ("mmsi", "ts", "lat", "lon")}
        if needed <= names:
            return layout
    return None


def mapped_layout(mapping: dict[str, str], time_format: str) -> CsvLayout:
    """A layout from ``--columns mmsi=ShipId,ts=Time,...`` for other exports."""
    unknown = set(mapping) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown AIS fields {sorted(unknown)}; known: {', '.join(FIELDS)}")
    missing = {"mmsi", "ts", "lat", "lon"} - set(mapping)
    if missing:
        raise ValueError(f"the column mapping must name {', '.join(sorted(missing))}")
    return CsvLayout("mapped", dict(mapping), time_format)


def read_header(path: Path) -> list[str]:
    try:
        with pa.input_stream(str(path), compression="detect") as stream:
            first = stream.read(65536).split(b"\n", 1)[0]
    except (OSError, pa.ArrowException) as exc:
        raise InputError(path, f"cannot read: {exc}") from exc
    return [c.strip().strip('"') for c in first.decode("utf-8", "replace").rstrip("\r").split(",")]


NUMBER = r"^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$"


def _text(batch: pa.RecordBatch, column: str | None) -> pa.Array | None:
    if column is None:
        return None
    return batch.column(column)


def _numbers(arr: pa.Array | None, n: int) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    """Floats (NaN where empty) and a mask of cells that are not numbers."""
    if arr is None:
        return np.full(n, np.nan), np.zeros(n, dtype=bool)
    trimmed = pc.utf8_trim_whitespace(arr)
    empty = pc.fill_null(pc.equal(trimmed, ""), True)
    try:
        values = pc.cast(pc.if_else(empty, None, trimmed), pa.float64())
        bad = np.zeros(n, dtype=bool)
    except pa.ArrowInvalid:
        ok = pc.fill_null(pc.match_substring_regex(trimmed, NUMBER), False)
        values = pc.cast(pc.if_else(ok, trimmed, None), pa.float64())
        bad = ~np.asarray(ok) & ~np.asarray(empty)
    return values.to_numpy(zero_copy_only=False).astype(np.float64), bad


def _strings(arr: pa.Array | None, n: int) -> npt.NDArray[np.object_]:
    if arr is None:
        return np.full(n, None, dtype=object)
    trimmed = pc.utf8_trim_whitespace(arr)
    out = np.asarray(trimmed.to_pylist(), dtype=object)
    out[(out == "") | (out == "Unknown")] = None
    return out


@dataclass
class _Carry:
    next_line: int = 2
    skipped: list[int] = field(default_factory=list)
    last_static: dict[int, tuple[Any, ...]] = field(default_factory=dict)


def read_csv(
    path: Path, layout: CsvLayout | None = None, *, block_bytes: int = 16 << 20
) -> Iterator[AisChunk]:
    header = read_header(path)
    if layout is None:
        layout = detect_layout(header)
        if layout is None:
            raise InputError(
                path,
                "CSV header is not a known AIS layout (MarineCadastre, DMA); pass a column "
                f"mapping (--columns mmsi=...,ts=...,lat=...,lon=...). Header: {header[:12]}",
                line=1,
            )
    absent = [c for c in layout.columns.values() if c not in header]
    if absent:
        raise InputError(path, f"columns {absent} of the {layout.name} layout are missing", line=1)
    carry = _Carry()

    def on_invalid(row: Any) -> str:
        carry.skipped.append(int(row.number) if row.number is not None else -1)
        pending.append(
            Issue(
                row.number,
                "bad-row",
                f"{row.actual_columns} fields where the header has {row.expected_columns}",
                row.text[:300],
            )
        )
        return "skip"

    pending: list[Issue] = []
    try:
        reader = pacsv.open_csv(
            pa.input_stream(str(path), compression="detect"),
            read_options=pacsv.ReadOptions(use_threads=False, block_size=block_bytes),
            parse_options=pacsv.ParseOptions(invalid_row_handler=on_invalid),
            convert_options=pacsv.ConvertOptions(
                column_types={c: pa.string() for c in header},
                include_columns=list(dict.fromkeys(layout.columns.values())),
                strings_can_be_null=False,
            ),
        )
    except (OSError, pa.ArrowException) as exc:
        raise InputError(path, f"not a readable CSV file: {exc}") from exc
    while True:
        try:
            batch = reader.read_next_batch()
        except StopIteration:
            break
        except (OSError, pa.ArrowException) as exc:
            raise InputError(path, f"unreadable CSV (truncated or corrupt?): {exc}") from exc
        chunk = AisChunk()
        chunk.issues.extend(pending)
        if pending:
            chunk.counts["rejected: bad-row"] += len(pending)
        pending.clear()
        lines = _line_numbers(carry, batch.num_rows)
        _convert(batch, layout, lines, carry, chunk)
        yield chunk


def _line_numbers(carry: _Carry, n: int) -> npt.NDArray[np.int64]:
    skipped = set(carry.skipped)
    carry.skipped.clear()
    out = np.empty(n, dtype=np.int64)
    line = carry.next_line
    k = 0
    if not skipped:
        out[:] = line + np.arange(n)
        carry.next_line = line + n
        return out
    while k < n:
        if line not in skipped:
            out[k] = line
            k += 1
        line += 1
    carry.next_line = line
    return out


def _convert(
    batch: pa.RecordBatch,
    layout: CsvLayout,
    lines: npt.NDArray[np.int64],
    carry: _Carry,
    chunk: AisChunk,
) -> None:
    n = batch.num_rows
    cols = layout.columns
    chunk.counts["rows"] += n

    def col(name: str) -> pa.Array | None:
        return _text(batch, cols.get(name))

    keep = np.ones(n, dtype=bool)
    if "mobile_type" in cols and layout.not_vessels:
        mobile = np.asarray(pc.utf8_trim_whitespace(col("mobile_type")).to_pylist(), dtype=object)
        other = np.isin(mobile, layout.not_vessels)
        if other.any():
            chunk.counts["not used: not a vessel"] += int(other.sum())
        keep &= ~other

    def reject(mask: npt.NDArray[np.bool_], code: str, what: str, values: pa.Array | None) -> None:
        rows = np.flatnonzero(mask & keep)
        texts = values.to_pylist() if values is not None and len(rows) else []
        for r in rows:
            chunk.issues.append(Issue(int(lines[r]), code, f"{what}: {texts[r]!r}", None))
        if len(rows):
            chunk.counts[f"rejected: {code}"] += len(rows)
        keep[rows] = False

    mmsi_f, bad = _numbers(col("mmsi"), n)
    bad |= np.isnan(mmsi_f) | (mmsi_f != np.floor(mmsi_f)) | (mmsi_f < 0) | (mmsi_f >= 2**31)
    reject(bad, "bad-mmsi", "MMSI is not a whole number", col("mmsi"))
    lat, bad = _numbers(col("lat"), n)
    reject(bad | np.isnan(lat), "bad-position", "latitude is not a number", col("lat"))
    lon, bad = _numbers(col("lon"), n)
    reject(bad | np.isnan(lon), "bad-position", "longitude is not a number", col("lon"))
    raw_ts = col("ts")
    assert raw_ts is not None
    trimmed = pc.utf8_trim_whitespace(raw_ts)
    parsed = pc.strptime(trimmed, format=layout.time_format, unit="us", error_is_null=True)
    no_time = np.asarray(pc.fill_null(pc.equal(trimmed, ""), True))
    bad_time = np.asarray(parsed.is_null()) & ~no_time
    reject(bad_time, "bad-time", f"time is not {layout.time_format}", raw_ts)
    ts = (
        pc.fill_null(pc.cast(parsed, pa.int64()), NO_TIME)
        .to_numpy(zero_copy_only=False)
        .astype(np.int64)
    )
    sog, _ = _numbers(col("sog"), n)
    cog, _ = _numbers(col("cog"), n)
    heading, _ = _numbers(col("heading"), n)
    status = _codes(col("nav_status"), n, layout.statuses)
    idx = np.flatnonzero(keep)
    pos = empty_positions(len(idx))
    pos["mmsi"] = mmsi_f[idx].astype(np.int64)
    pos["ts"] = ts[idx]
    pos["ts_source"] = np.where(ts[idx] == NO_TIME, 0, TS_CSV).astype(np.int8)
    pos["lat"] = lat[idx]
    pos["lon"] = lon[idx]
    pos["sog"] = np.where(sog[idx] >= 102.3, np.nan, sog[idx]).astype(np.float32)
    pos["cog"] = np.where(cog[idx] >= 360, np.nan, cog[idx]).astype(np.float32)
    h = heading[idx]
    pos["heading"] = np.where(np.isnan(h) | (h >= 360) | (h < 0), -1, h).astype(np.int16)
    pos["nav_status"] = status[idx].astype(np.int8)
    pos["msg_type"] = np.zeros(len(idx), dtype=np.int8)
    pos["line"] = lines[idx]
    pos["msg_key"] = _row_key(pos)
    chunk.positions = pos
    chunk.counts["position rows"] += len(idx)
    chunk.static = _static_changes(col, layout, n, idx, pos, carry)


def _codes(arr: pa.Array | None, n: int, words: dict[str, int]) -> npt.NDArray[np.int64]:
    if arr is None:
        return np.full(n, -1, dtype=np.int64)
    if words:
        text = pc.utf8_lower(pc.utf8_trim_whitespace(arr)).to_pylist()
        return np.array([words.get(t, -1) for t in text], dtype=np.int64)
    values, bad = _numbers(arr, n)
    return np.where(np.isnan(values) | bad, -1, values).astype(np.int64)


def _row_key(pos: Columns) -> npt.NDArray[np.uint64]:
    """The same report heard twice: same vessel, position, speed and course (FNV-1a)."""
    h = np.full(len(pos["mmsi"]), 0xCBF29CE484222325, dtype=np.uint64)
    prime = np.uint64(0x100000001B3)
    with np.errstate(over="ignore", invalid="ignore"):
        for name in ("mmsi", "lat", "lon", "sog", "cog", "heading"):
            values = pos[name]
            bits = values.astype(np.float64).view(np.uint64)
            h = (h ^ bits) * prime
    return h


def _static_changes(
    col: Any,
    layout: CsvLayout,
    n: int,
    idx: npt.NDArray[np.int64],
    pos: Columns,
    carry: _Carry,
) -> Columns:
    names = _strings(col("name"), n)[idx]
    callsigns = _strings(col("callsign"), n)[idx]
    destinations = _strings(col("destination"), n)[idx]
    imo_text = _strings(col("imo"), n)[idx]
    imo = np.array(
        [
            int(t[3:])
            if t and t.startswith("IMO") and t[3:].isdigit()
            else int(t)
            if t and t.isdigit()
            else -1
            for t in imo_text
        ],
        dtype=np.int64,
    )
    imo = np.where(imo > 0, imo, -1)  # MarineCadastre writes IMO0000000 for "none"
    ship_type = _codes(col("ship_type"), n, layout.ship_types)[idx]
    length, _ = _numbers(col("length"), n)
    width, _ = _numbers(col("width"), n)
    draught, _ = _numbers(col("draught"), n)
    length, width, draught = length[idx], width[idx], draught[idx]
    has = (
        (names != None)  # noqa: E711
        | (callsigns != None)  # noqa: E711
        | (imo > 0)
        | (ship_type > 0)
    )
    out_rows: list[int] = []
    mmsi = pos["mmsi"]
    for r in np.flatnonzero(has).tolist():
        key = (
            names[r], callsigns[r], int(imo[r]), int(ship_type[r]),
            None if np.isnan(length[r]) else float(length[r]),
            None if np.isnan(width[r]) else float(width[r]),
            None if np.isnan(draught[r]) else float(draught[r]),
            destinations[r],
        )  # fmt: skip
        m = int(mmsi[r])
        if carry.last_static.get(m) != key:
            carry.last_static[m] = key
            out_rows.append(r)
    rows = np.array(out_rows, dtype=np.int64)
    st = empty_static(len(rows))
    st["mmsi"] = mmsi[rows]
    st["ts"] = pos["ts"][rows]
    st["ts_source"] = pos["ts_source"][rows]
    st["msg_type"] = np.zeros(len(rows), dtype=np.int8)
    st["imo"] = imo[rows]
    st["ship_type"] = ship_type[rows].astype(np.int16)
    for name in ("to_bow", "to_stern", "to_port", "to_starboard"):
        st[name] = np.full(len(rows), -1, dtype=np.int16)
    st["length"] = np.nan_to_num(length[rows], nan=-1).astype(np.int16)
    st["width"] = np.nan_to_num(width[rows], nan=-1).astype(np.int16)
    st["draught"] = draught[rows].astype(np.float32)
    st["line"] = pos["line"][rows]
    st["name"] = names[rows]
    st["callsign"] = callsigns[rows]
    st["destination"] = destinations[rows]
    return st


def counts_total(chunks: list[AisChunk]) -> Counter[str]:
    total: Counter[str] = Counter()
    for chunk in chunks:
        total.update(chunk.counts)
    return total
