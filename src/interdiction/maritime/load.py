"""Loading AIS files into the store: one transaction per file, duplicates and bad rows counted.

Each file is a load (``ais_loads``). The same file twice is a no-op. Rows flow from a reader
(``sources.ais_nmea`` or ``sources.ais_csv``) chunk by chunk into the typed tables inside one
transaction, so a killed load leaves nothing behind. Rejected lines go to the shared
``load_issues`` table with their line and reason (``dataset`` = the AIS dataset, ``version`` =
the load id).

Duplicates, the same message heard by several receivers, are removed by a documented key:
the same ``msg_key`` (a hash of the payload bits for NMEA; of vessel, position, speed, course
and heading for CSV) within ``maritime.dedup_window_s`` seconds of the previous copy, within
the file and against earlier loads. Copies without any time are duplicates when their keys
are equal.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from interdiction.config import Config, MaritimeConfig
from interdiction.fileio import sha256_file
from interdiction.maritime.tables import MARITIME
from interdiction.sources.ais_csv import CsvLayout, detect_layout, read_csv, read_header
from interdiction.sources.ais_nmea import looks_like_nmea, read_nmea
from interdiction.sources.ais_records import (
    NO_TIME,
    STATIC_TEXT,
    TIME_SOURCES,
    AisChunk,
    Columns,
    Issue,
)
from interdiction.sources.base import InputError
from interdiction.store.db import Store, one

Progress = Callable[[str, int | None, int | None], None]
Format = Literal["nmea", "csv"]
READER_VERSION = "1"


@dataclass
class AisLoadReport:
    file: str
    dataset: str
    load_id: str
    status: str  # loaded | unchanged
    reader: str
    counts: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "dataset": self.dataset,
            "load_id": self.load_id,
            "status": self.status,
            "reader": self.reader,
            "counts": self.counts,
        }


def sniff(path: Path) -> Format:
    """NMEA or CSV, from the first bytes (gzip is read through)."""
    try:
        with pa.input_stream(str(path), compression="detect") as stream:
            head = stream.read(65536)
    except (OSError, pa.ArrowException) as exc:
        raise InputError(path, f"cannot read: {exc}") from exc
    if not head.strip():
        raise InputError(path, "empty file")
    if looks_like_nmea(head):
        return "nmea"
    first = head.split(b"\n", 1)[0]
    if b"," in first and detect_layout(read_header(path)) is not None:
        return "csv"
    raise InputError(
        path,
        "neither NMEA AIS sentences (!AIVDM/!AIVDO) nor a known AIS CSV layout "
        "(MarineCadastre, DMA); for another CSV give a column mapping",
        line=1,
    )


def _quality(
    cols: Columns, cfg: MaritimeConfig, now_us: int, positions: bool
) -> npt.NDArray[np.object_]:
    """Why a row is unusable for the detectors (None when it is usable)."""
    n = len(cols["mmsi"])
    out = np.full(n, None, dtype=object)
    ts = cols["ts"]
    earliest = int((cfg.earliest_time - datetime(1970, 1, 1)).total_seconds() * 1e6)
    bad_time = (ts != NO_TIME) & ((ts < earliest) | (ts > now_us + int(cfg.max_future_s * 1e6)))
    out[ts == NO_TIME] = "no-time"
    out[bad_time] = "time-invalid"
    if positions:
        lat, lon = cols["lat"], cols["lon"]
        unavailable = (lat == 91) | (lon == 181)
        invalid = ~unavailable & (
            (np.abs(lat) > 90) | (np.abs(lon) > 180) | np.isnan(lat) | np.isnan(lon)
        )
        out[invalid] = "position-invalid"
        out[unavailable] = "position-unavailable"
    mmsi = cols["mmsi"]
    bad_mmsi = (mmsi < 100000000) | (mmsi > 999999999) | np.isin(mmsi, cfg.default_mmsis)
    out[bad_mmsi] = "mmsi-invalid"
    return out


class _Dedup:
    """Drops copies of a message within the window of the previous copy, across chunks."""

    def __init__(self, window_us: int) -> None:
        self.window = window_us
        self.last: dict[int, int] = {}  # key -> time of the last copy kept or seen

    def keep(self, key: npt.NDArray[np.uint64], ts: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
        n = len(key)
        if n == 0:
            return np.zeros(0, dtype=bool)
        order = np.lexsort((ts, key))
        k, t = key[order], ts[order]
        same = np.zeros(n, dtype=bool)
        same[1:] = k[1:] == k[:-1]
        prev_t = np.empty(n, dtype=np.int64)
        prev_t[0] = NO_TIME
        prev_t[1:] = t[:-1]
        untimed = (t == NO_TIME) | (prev_t == NO_TIME)
        dup = same & (untimed | (t - prev_t <= self.window))
        # Against the end of earlier chunks: the first copy of each key in this chunk.
        firsts = np.flatnonzero(~same)
        if self.last:
            for i in firsts.tolist():
                before = self.last.get(int(k[i]))
                if before is not None and (
                    before == NO_TIME or t[i] == NO_TIME or t[i] - before <= self.window
                ):
                    dup[i] = True
        lasts = np.flatnonzero(np.append(k[1:] != k[:-1], True))
        self.last.update(zip(k[lasts].tolist(), t[lasts].tolist(), strict=True))
        if len(self.last) > 2_000_000:
            self.last.clear()  # bounded memory; cross-chunk copies beyond this are rare
        out = np.empty(n, dtype=bool)
        out[order] = ~dup
        return out


def _arrow(cols: Columns, names: Iterable[str]) -> dict[str, pa.Array]:
    out: dict[str, pa.Array] = {}
    for name in names:
        values = cols[name]
        if name == "ts":
            mask = values == NO_TIME
            out[name] = pa.array(np.where(mask, 0, values), type=pa.timestamp("us"), mask=mask)
        elif values.dtype == object:
            out[name] = pa.array(values.tolist(), type=pa.string())
        elif values.dtype.kind == "f":
            out[name] = pa.array(values, mask=np.isnan(values))
        elif name in (
            "heading",
            "nav_status",
            "imo",
            "ship_type",
            "to_bow",
            "to_stern",
            "to_port",
            "to_starboard",
            "length",
            "width",
        ):
            out[name] = pa.array(values, mask=values < 0)
        else:
            out[name] = pa.array(values)
    return out


POSITION_INSERT = """
INSERT INTO ais_positions
SELECT (CAST($load_no AS BIGINT) << 32) + row_no, mmsi, ts, lat, lon, sog, cog, heading,
       nav_status, msg_type, msg_key, quality, ts_source, $dataset, $load_no, $origin, line,
       $simulated
FROM staged_positions s
WHERE $first OR NOT EXISTS (
    SELECT 1 FROM ais_positions p
    WHERE p.msg_key = s.msg_key AND p.load_no <> $load_no
      AND p.ts BETWEEN $t0 AND $t1
      AND (s.ts IS NULL OR abs(epoch_us(p.ts) - epoch_us(s.ts)) <= $window))
"""
STATIC_INSERT = """
INSERT INTO ais_static
SELECT (CAST($load_no AS BIGINT) << 32) + row_no, mmsi, ts, msg_type, part, imo, name,
       callsign, ship_type, to_bow, to_stern, to_port, to_starboard, length, width, draught,
       destination, eta, quality, ts_source, $dataset, $load_no, $origin, line, $simulated
FROM staged_static
"""


def load_ais(
    store: Store,
    paths: Iterable[Path],
    *,
    fmt: Format | None = None,
    layout: CsvLayout | None = None,
    given_time: datetime | None = None,
    dataset: str | None = None,
    simulated: bool = False,
    config: Config | None = None,
    progress: Progress | None = None,
) -> list[AisLoadReport]:
    """Load AIS files (NMEA or CSV, plain or gzip); one transaction per file."""
    cfg = (config or Config()).maritime
    say = progress or (lambda _s, _d, _t: None)
    files = _expand(paths)
    store.ensure(MARITIME)
    reports = []
    for path in files:
        kind = fmt or ("csv" if layout is not None else sniff(path))
        reports.append(
            _load_file(store, path, kind, layout, given_time, dataset, simulated, cfg, say)
        )
    return reports


def _expand(paths: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        path = Path(path)
        if not path.exists():
            raise InputError(path, "no such file or directory")
        if path.is_dir():
            files.extend(
                sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("."))
            )
        else:
            files.append(path)
    if not files:
        raise InputError(", ".join(str(p) for p in paths), "no files to load")
    return files


def _dataset_name(path: Path) -> str:
    name = path.name
    for suffix in (".gz", ".txt", ".nmea", ".csv", ".log"):
        name = name.removesuffix(suffix)
    return "ais-" + name


def _chunks(
    path: Path,
    kind: Format,
    layout: CsvLayout | None,
    given_time: datetime | None,
    cfg: MaritimeConfig,
) -> Iterator[AisChunk]:
    if kind == "nmea":
        yield from read_nmea(
            path,
            verify_checksums=cfg.verify_checksums,
            given_time=given_time,
            fragment_window=cfg.fragment_window,
        )
    else:
        yield from read_csv(path, layout)


def _load_file(
    store: Store,
    path: Path,
    kind: Format,
    layout: CsvLayout | None,
    given_time: datetime | None,
    dataset: str | None,
    simulated: bool,
    cfg: MaritimeConfig,
    say: Progress,
) -> AisLoadReport:
    digest = sha256_file(path)
    return ingest_chunks(
        store,
        _chunks(path, kind, layout, given_time, cfg),
        name=path.name,
        origin=str(path),
        digest=digest,
        size=path.stat().st_size,
        reader=f"ais-{kind}",
        dataset=dataset or _dataset_name(path),
        simulated=simulated,
        cfg=cfg,
        say=say,
    )


def ingest_chunks(
    store: Store,
    chunks: Iterable[AisChunk],
    *,
    name: str,
    origin: str,
    digest: str,
    size: int,
    reader: str,
    dataset: str,
    simulated: bool,
    cfg: MaritimeConfig,
    say: Progress | None = None,
    extra: dict[str, Any] | None = None,
) -> AisLoadReport:
    """Write chunks of rows as one load, in one transaction (readers and the simulator)."""
    say = say or (lambda _s, _d, _t: None)
    store.ensure(MARITIME)
    ds = dataset
    found = one(store.con, "SELECT load_id, dataset FROM ais_loads WHERE sha256 = ?", [digest])
    if found is not None:
        note = {"note": "this exact input is already loaded"}
        return AisLoadReport(name, found[1], found[0], "unchanged", reader, note)
    row = one(store.con, "SELECT coalesce(max(load_no), 0) + 1, count(*) FROM ais_loads")
    assert row is not None
    load_no, earlier = int(row[0]), int(row[1])
    load_id = f"{ds}-{digest[:12]}"
    now = datetime.now(UTC).replace(tzinfo=None)
    now_us = int((now - datetime(1970, 1, 1)).total_seconds() * 1e6)
    window = int(cfg.dedup_window_s * 1e6)
    counts: Counter[str] = Counter()
    quality_counts: Counter[str] = Counter()
    dedup = _Dedup(window)
    pos_rows = 0
    static_rows = 0
    t_min, t_max = NO_TIME, NO_TIME
    stage = f"loading {name} ({reader})"
    say(stage, 0, None)
    with store.transaction() as con:
        for chunk in chunks:
            counts.update(chunk.counts)
            _issues(con, chunk.issues, ds, load_id, name)
            pos = chunk.positions
            n = len(pos["mmsi"])
            if n:
                keep = dedup.keep(pos["msg_key"], pos["ts"])
                counts["duplicates removed"] += int(n - keep.sum())
                pos = {k: v[keep] for k, v in pos.items()}
                n = len(pos["mmsi"])
                quality = _quality(pos, cfg, now_us, positions=True)
                quality_counts.update(q for q in quality.tolist() if q)
                timed = pos["ts"][pos["ts"] != NO_TIME]
                if len(timed):
                    lo, hi = int(timed.min()), int(timed.max())
                    t_min = lo if t_min == NO_TIME else min(t_min, lo)
                    t_max = hi if t_max == NO_TIME else max(t_max, hi)
                cols = _arrow(
                    pos,
                    (
                        "mmsi",
                        "ts",
                        "lat",
                        "lon",
                        "sog",
                        "cog",
                        "heading",
                        "nav_status",
                        "msg_type",
                        "msg_key",
                    ),
                )
                cols["quality"] = pa.array(quality.tolist(), type=pa.string())
                cols["ts_source"] = pa.array(
                    np.asarray(TIME_SOURCES, dtype=object)[pos["ts_source"]].tolist(),
                    type=pa.string(),
                )
                cols["line"] = pa.array(pos["line"])
                cols["row_no"] = pa.array(np.arange(pos_rows, pos_rows + n, dtype=np.int64))
                staged = pa.table(cols)
                con.register("staged_positions", staged)
                t0 = _dt(int(timed.min()) - window) if len(timed) else datetime(1970, 1, 1)
                t1 = _dt(int(timed.max()) + window) if len(timed) else datetime(1970, 1, 1)
                inserted = con.execute(
                    POSITION_INSERT,
                    {
                        "load_no": load_no, "dataset": ds, "origin": name,
                        "simulated": simulated, "first": earlier == 0, "t0": t0, "t1": t1,
                        "window": window,
                    },
                ).fetchall()  # fmt: skip
                con.unregister("staged_positions")
                added = int(inserted[0][0]) if inserted else n
                if n - added:
                    counts["duplicates removed (earlier loads)"] += n - added
                pos_rows += n
            st = chunk.static
            m = len(st["mmsi"])
            if m:
                quality = _quality(st, cfg, now_us, positions=False)
                cols = _arrow(
                    st,
                    (
                        "mmsi",
                        "ts",
                        "msg_type",
                        "imo",
                        "ship_type",
                        "to_bow",
                        "to_stern",
                        "to_port",
                        "to_starboard",
                        "length",
                        "width",
                        "draught",
                        *STATIC_TEXT,
                    ),
                )
                cols["quality"] = pa.array(quality.tolist(), type=pa.string())
                cols["ts_source"] = pa.array(
                    np.asarray(TIME_SOURCES, dtype=object)[st["ts_source"]].tolist(),
                    type=pa.string(),
                )
                cols["line"] = pa.array(st["line"])
                cols["row_no"] = pa.array(np.arange(static_rows, static_rows + m, dtype=np.int64))
                con.register("staged_static", pa.table(cols))
                con.execute(
                    STATIC_INSERT,
                    {
                        "load_no": load_no,
                        "dataset": ds,
                        "origin": name,
                        "simulated": simulated,
                    },
                )
                con.unregister("staged_static")
                static_rows += m
            say(stage, pos_rows + static_rows, None)
        positions = _count(con, "ais_positions", load_no)
        statics = _count(con, "ais_static", load_no)
        summary: dict[str, Any] = {
            "positions": positions,
            "static_reports": statics,
            "unusable_by_detectors": dict(sorted(quality_counts.items())),
            "rejected": {
                k.removeprefix("rejected: "): v
                for k, v in sorted(counts.items())
                if k.startswith("rejected: ") and v
            },
            "warnings": {
                k.removeprefix("warning: "): v
                for k, v in sorted(counts.items())
                if k.startswith("warning: ") and v
            },
            "other": {
                k: v
                for k, v in sorted(counts.items())
                if not k.startswith(("rejected: ", "warning: ")) and v
            },
        }
        summary["quarantined"] = sum(summary["rejected"].values())
        summary.update(extra or {})
        con.execute(
            "INSERT INTO ais_loads VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                load_id, load_no, ds, reader, READER_VERSION, origin, digest, size, now,
                _dt(t_min) if t_min != NO_TIME else None,
                _dt(t_max) if t_max != NO_TIME else None,
                simulated, json.dumps(summary, sort_keys=True),
            ],
        )  # fmt: skip
    return AisLoadReport(name, ds, load_id, "loaded", reader, summary)


def _count(con: Any, table: str, load_no: int) -> int:
    row = one(con, f"SELECT count(*) FROM {table} WHERE load_no = ?", [load_no])
    return int(row[0]) if row else 0


def _dt(us: int) -> datetime:
    return datetime(1970, 1, 1) + timedelta(microseconds=int(us))


def _issues(con: Any, issues: list[Issue], dataset: str, load_id: str, file: str) -> None:
    if not issues:
        return
    table = pa.table(
        {
            "dataset": pa.array([dataset] * len(issues)),
            "version": pa.array([load_id] * len(issues)),
            "file": pa.array([file] * len(issues)),
            "line": pa.array([i.line for i in issues], type=pa.int64()),
            "record": pa.array([None] * len(issues), type=pa.string()),
            "level": pa.array([i.level for i in issues]),
            "code": pa.array([i.code for i in issues]),
            "message": pa.array([i.message for i in issues]),
            "raw": pa.array([i.raw for i in issues], type=pa.string()),
        }
    )
    con.register("staged_issues", table)
    con.execute("INSERT INTO load_issues SELECT * FROM staged_issues")
    con.unregister("staged_issues")
