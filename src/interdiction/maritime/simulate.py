"""A simulator of AIS traffic with known, planted events, and a generator of bulk traffic.

Public API (issue 7 reuses it for the bundled "DPRK-Russia nexus" case):

    sim = Simulation(seed=7, start=datetime(2024, 3, 1))
    shuttle_to_rajin(sim)                 # each scenario adds vessels and their truth
    sts_transfer(sim)
    data = sim.run()                      # positions, static reports, planted events
    write_simulated(store, data)          # marked simulated in the store and every export

Scenarios are functions of a ``Simulation``: compose them, or write new ones from the voyage
primitives (``Voyage.moor``, ``sail``, ``loiter``, ``dark``, ``on``, ``meet``,
``new_identity``, ``spoof_alternate``, ``spoof_jump``). The same seed gives the same data.

Realism: routes follow sea lanes checked against the shipped coastline; reports arrive at
each vessel's own interval (about 3 min near shore, sparser offshore, as terrestrial and
satellite reception differ), with position noise, dropped reports and short outages (never
as long as a gap the detectors report).

Identities are fictitious, by construction and checked: MMSIs use MID 799, which the ITU
has not allocated (``geo.mid_table``), so no real ship can hold them; IMO numbers have a
valid check digit but start with 0, below the range ever issued to ships (IMO ship numbers
run from 1000000; ships in service carry 5xxxxxx-9xxxxxx); names come from a small
vocabulary of words in "SIM" form (``SIM KESTREL 3``) and are tested against the vessel
names of the bundled sanctions lists and the AIS samples in tests/fixtures.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np
import numpy.typing as npt

from interdiction.maritime.geo import KM_PER_NM, haversine_km, ports, shore_distance_km
from interdiction.sources.ais_records import (
    TS_SIMULATED,
    AisChunk,
    empty_positions,
    empty_static,
)

F64 = npt.NDArray[np.float64]
SIM_MID = 799  # not allocated by the ITU: no real ship can carry these MMSIs
NAME_WORDS = (
    "KESTREL", "ORCHID", "LANTERN", "JUNIPER", "MERIDIAN", "CORMORANT", "SAFFRON", "TALISMAN",
    "QUILL", "HALCYON", "BRAMBLE", "OSPREY", "VESPER", "MARIGOLD", "ZEPHYR", "CINDER",
)  # fmt: skip

# Sea lanes (lat, lon), checked against the coastline grid in tests.
ROUTES: dict[str, list[tuple[float, float]]] = {
    "vostochny-rajin": [
        (42.745, 133.06), (42.62, 133.02), (42.50, 132.60), (42.40, 131.80), (42.25, 131.0),
        (42.15, 130.55), (42.22, 130.33),
    ],
    "longkou-nampho": [
        (37.68, 120.25), (37.95, 120.55), (38.35, 121.4), (38.0, 122.5), (37.9, 123.8),
        (38.3, 124.5), (38.55, 125.0), (38.70, 125.3),
    ],
    "yantai-dalian": [(37.58, 121.45), (38.0, 121.5), (38.5, 121.75), (38.9, 121.72)],
    "vladivostok-nakhodka": [
        (43.08, 131.88), (42.95, 131.95), (42.75, 132.3), (42.70, 132.85), (42.78, 132.89),
    ],
    "nakhodka-dunai": [(42.78, 132.89), (42.70, 132.60), (42.80, 132.40), (42.87, 132.34)],
}  # fmt: skip


def _imo_check(six: str) -> str:
    total = sum(int(d) * w for d, w in zip(six, range(7, 1, -1), strict=True))
    return six + str(total % 10)


@dataclass(frozen=True)
class Identity:
    mmsi: int
    imo: int | None
    name: str
    callsign: str
    ship_type: int = 70  # cargo
    length: int = 110
    width: int = 18


@dataclass
class Planted:
    """An event the simulation put there: what the detectors should find."""

    type: str
    mmsis: tuple[int, ...]
    start: float
    end: float
    lat: float
    lon: float
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class SimulatedData:
    positions: dict[str, Any]
    static: dict[str, Any]
    truth: list[Planted]
    vessels: list[Identity]
    seed: int
    scenarios: list[str]

    def digest(self) -> str:
        h = hashlib.sha256()
        for name in ("mmsi", "ts", "lat", "lon"):
            h.update(np.ascontiguousarray(self.positions[name]).tobytes())
        h.update(json.dumps(self.scenarios).encode())
        return h.hexdigest()


class Voyage:
    """One ship's story, step by step; samples are generated every ``step_s`` seconds."""

    def __init__(self, sim: Simulation, identity: Identity, start: float) -> None:
        self.sim = sim
        self.identity = identity
        self.t = start
        self.lat = 0.0
        self.lon = 0.0
        self.on_air = True
        self.rows: list[tuple[float, float, float, float, float, int, bool, int]] = []
        self.identities = [identity]
        self.fake: tuple[float, float] | None = None  # spoofed position offset (deg)
        self.alternate = False

    # -- primitives ------------------------------------------------------------------------

    def at(self, lat: float, lon: float) -> Voyage:
        self.lat, self.lon = lat, lon
        return self

    def _emit(self, lat: float, lon: float, sog: float, cog: float, status: int) -> None:
        mmsi = self.identity.mmsi
        self.rows.append((self.t, lat, lon, sog, cog, status, self.on_air, mmsi))

    def moor(self, hours: float, port: str | None = None) -> Voyage:
        """Stay put (at a berth or anchor), reporting under 0.2 kn."""
        if port is not None:
            p = ports()[port]
            # Berths spread over the port (ships do not moor on top of each other).
            berth = (
                p.lat + float(self.sim.rng.uniform(-0.012, 0.012)),
                p.lon + float(self.sim.rng.uniform(-0.015, 0.015)),
            )
            if self.lat or self.lon:
                self.sail([(self.lat, self.lon), berth], 6)
            self.lat, self.lon = berth
        start = self.t
        end = self.t + hours * 3600
        rng = self.sim.rng
        while self.t < end:
            self._emit(
                self.lat + rng.normal(0, 0.00005), self.lon + rng.normal(0, 0.00005),
                abs(rng.normal(0, 0.05)), float(rng.uniform(0, 360)), 5,
            )  # fmt: skip
            self.t += self._interval(moving=False)
        if port is not None and self.on_air:
            self.sim.plant(
                "ais_port_visit", (self.identity.mmsi,), start, end, self.lat, self.lon, port=port
            )
        return self

    def sail(
        self, route: Sequence[tuple[float, float]] | str, speed_kn: float, reverse: bool = False
    ) -> Voyage:
        points = list(ROUTES[route]) if isinstance(route, str) else list(route)
        if reverse:
            points.reverse()
        rng = self.sim.rng
        for (la0, lo0), (la1, lo1) in itertools.pairwise(points):
            km = float(haversine_km(la0, lo0, la1, lo1))
            hours = km / (speed_kn * KM_PER_NM)
            t0 = self.t
            cog = float(
                np.degrees(np.arctan2((lo1 - lo0) * np.cos(np.radians(la0)), la1 - la0)) % 360
            )
            while self.t < t0 + hours * 3600:
                f = (self.t - t0) / (hours * 3600)
                self._emit(
                    la0 + f * (la1 - la0) + rng.normal(0, 0.0001),
                    lo0 + f * (lo1 - lo0) + rng.normal(0, 0.0001),
                    max(0.0, speed_kn + rng.normal(0, 0.3)), cog, 0,
                )  # fmt: skip
                self.t += self._interval(moving=True)
            self.lat, self.lon = la1, lo1
        return self

    def loiter(
        self, hours: float, lat: float | None = None, lon: float | None = None, plant: bool = True
    ) -> Voyage:
        """Drift slowly (under 1 kn), as a ship waiting for another."""
        if lat is not None and lon is not None:
            self.lat, self.lon = lat, lon
        start, end = self.t, self.t + hours * 3600
        rng = self.sim.rng
        while self.t < end:
            self.lat += rng.normal(0, 0.0003)
            self.lon += rng.normal(0, 0.0003)
            self._emit(self.lat, self.lon, abs(rng.normal(0.5, 0.2)), float(rng.uniform(0, 360)), 0)
            self.t += self._interval(moving=False)
        offshore = float(shore_distance_km(self.lat, self.lon)) >= 20 * KM_PER_NM
        if plant and self.on_air and offshore and hours >= 4:
            self.sim.plant("ais_loitering", (self.identity.mmsi,), start, end, self.lat, self.lon)
        return self

    def dark(self) -> Voyage:
        """Switch AIS off: the ship goes on, nothing is received."""
        self.on_air = False
        self._dark_from = (self.t, self.lat, self.lon)
        return self

    def on(self, port_called: str | None = None) -> Voyage:
        """Switch AIS back on; plants the gap (and the dark port call, if one was made)."""
        self.on_air = True
        t0, lat0, lon0 = self._dark_from
        if self.t - t0 >= 6 * 3600:
            self.sim.plant("ais_gap", (self.identity.mmsi,), t0, self.t, lat0, lon0)
            if port_called:
                p = ports()[port_called]
                self.sim.plant(
                    "ais_dark_port_call",
                    (self.identity.mmsi,),
                    t0,
                    self.t,
                    p.lat,
                    p.lon,
                    port=port_called,
                )
        return self

    def meet(self, other: Voyage, hours: float, lat: float, lon: float) -> Voyage:
        """Both ships side by side (about 100 m apart) for ``hours``: a ship-to-ship transfer."""
        start = max(self.t, other.t)
        self.t = other.t = start
        self.loiter(hours, lat, lon, plant=False)
        other.loiter(hours, lat + 0.0009, lon, plant=False)
        if self.on_air and other.on_air:
            end = start + hours * 3600
            pair = (self.identity.mmsi, other.identity.mmsi)
            self.sim.plant("ais_encounter", pair, start, end, lat, lon)
            if hours >= 4 and float(shore_distance_km(lat, lon)) >= 20 * KM_PER_NM:
                for mmsi in pair:
                    self.sim.plant("ais_loitering", (mmsi,), start, end, lat, lon)
        return self

    def new_identity(self, identity: Identity) -> Voyage:
        """Broadcast as another ship from now on (after going dark, as evaders do)."""
        old = self.identity
        self.identity = identity
        self.identities.append(identity)
        self.sim.plant(
            "ais_identity", (old.mmsi, identity.mmsi), self.t, self.t, self.lat, self.lon,
            kind="identity-resumed",
        )  # fmt: skip
        return self

    def spoof_alternate(self, hours: float, offset_deg: tuple[float, float]) -> Voyage:
        """Two transmitters on one MMSI: every other report comes from far away."""
        start = self.t
        end = self.t + hours * 3600
        rng = self.sim.rng
        k = 0
        while self.t < end:
            dlat, dlon = offset_deg if k % 2 else (0.0, 0.0)
            self._emit(
                self.lat + dlat + rng.normal(0, 0.0001),
                self.lon + dlon + rng.normal(0, 0.0001),
                0.3,
                0.0,
                1,
            )
            self.t += 180.0
            k += 1
        self.sim.plant(
            "ais_spoofing",
            (self.identity.mmsi,),
            start,
            end,
            self.lat,
            self.lon,
            kind="shared-mmsi",
        )
        return self

    def spoof_jump(self, offset_deg: tuple[float, float]) -> Voyage:
        """One false position far away between two true ones."""
        self._emit(self.lat + offset_deg[0], self.lon + offset_deg[1], 10.0, 0.0, 0)
        self.sim.plant(
            "ais_spoofing",
            (self.identity.mmsi,),
            self.t - 1,
            self.t + 181,
            self.lat,
            self.lon,
            kind="implied-speed",
        )
        self.t += 180.0
        return self

    def _interval(self, moving: bool) -> float:
        rng = self.sim.rng
        near = float(shore_distance_km(self.lat, self.lon)) < 70
        base = (120.0 if moving else 360.0) if near else 600.0
        return float(base * rng.uniform(0.6, 1.4))


class Simulation:
    def __init__(self, seed: int = 0, start: datetime = datetime(2024, 3, 1)) -> None:
        self.seed = seed
        self.rng = np.random.default_rng(seed)
        self.start = start.replace(tzinfo=UTC).timestamp()
        self.voyages: list[Voyage] = []
        self.truth: list[Planted] = []
        self.scenarios: list[str] = []
        self._serial = 0

    def identity(self, ship_type: int = 70, imo: bool = False) -> Identity:
        """A fresh fictitious identity (MID 799, a SIM name; with ``imo``, a made-up IMO
        number starting with 0, which the identity detector reports as invalid)."""
        self._serial += 1
        n = self._serial
        mmsi = SIM_MID * 1_000_000 + (self.seed % 1000) * 1000 + n
        word = NAME_WORDS[(n + self.seed) % len(NAME_WORDS)]
        six = f"0{(self.seed * 7919 + n * 104729) % 100000:05d}"
        return Identity(
            mmsi=mmsi,
            imo=int(_imo_check(six)) if imo else None,
            name=f"SIM {word} {n}",
            callsign=f"X{n:04d}Z",
            ship_type=ship_type,
        )

    def voyage(self, identity: Identity | None = None, hours_after_start: float = 0.0) -> Voyage:
        v = Voyage(self, identity or self.identity(), self.start + hours_after_start * 3600)
        self.voyages.append(v)
        return v

    def plant(
        self,
        type: str,
        mmsis: tuple[int, ...],
        start: float,
        end: float,
        lat: float,
        lon: float,
        **params: Any,
    ) -> None:
        self.truth.append(Planted(type, mmsis, start, end, lat, lon, dict(params)))

    def run(self, drop: float = 0.05) -> SimulatedData:
        """Everything received: reports of ships on air, minus a share dropped at random."""
        rows = [r for v in self.voyages for r in v.rows if r[6]]
        keep = self.rng.random(len(rows)) >= drop
        rows = [r for r, k in zip(rows, keep, strict=True) if k]
        pos = empty_positions(len(rows))
        if rows:
            arr = np.array([(r[0], r[1], r[2], r[3], r[4], r[5], r[7]) for r in rows])
            pos["ts"] = (arr[:, 0] * 1e6).astype(np.int64)
            pos["lat"], pos["lon"] = arr[:, 1], arr[:, 2]
            pos["sog"] = arr[:, 3].astype(np.float32)
            pos["cog"] = arr[:, 4].astype(np.float32)
            pos["nav_status"] = arr[:, 5].astype(np.int8)
            pos["mmsi"] = arr[:, 6].astype(np.int64)
        pos["heading"] = np.full(len(rows), -1, dtype=np.int16)
        pos["ts_source"] = np.full(len(rows), TS_SIMULATED, dtype=np.int8)
        pos["msg_type"] = np.ones(len(rows), dtype=np.int8)
        pos["line"] = np.arange(1, len(rows) + 1)
        pos["msg_key"] = _keys(pos)
        static = _static_reports(self.voyages)
        return SimulatedData(
            positions=pos,
            static=static,
            truth=list(self.truth),
            vessels=[i for v in self.voyages for i in v.identities],
            seed=self.seed,
            scenarios=list(self.scenarios),
        )


def _keys(pos: dict[str, Any]) -> npt.NDArray[np.uint64]:
    h = np.full(len(pos["mmsi"]), 0xCBF29CE484222325, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for name in ("mmsi", "ts", "lat", "lon"):
            h = (h ^ pos[name].astype(np.float64).view(np.uint64)) * np.uint64(0x100000001B3)
    return h


def _static_reports(voyages: list[Voyage]) -> dict[str, Any]:
    """A static report every hour of transmission, under the identity then in use."""
    rows = []
    for v in voyages:
        last: dict[int, float] = {}
        by_mmsi = {i.mmsi: i for i in v.identities}
        for t, _, _, _, _, _, on_air, mmsi in v.rows:
            if on_air and t - last.get(mmsi, -1e12) >= 3600:
                last[mmsi] = t
                rows.append((t, by_mmsi[mmsi]))
    st = empty_static(len(rows))
    for k, (t, ident) in enumerate(rows):
        st["mmsi"][k] = ident.mmsi
        st["ts"][k] = int(t * 1e6)
        st["imo"][k] = ident.imo if ident.imo else -1
        st["ship_type"][k] = ident.ship_type
        st["length"][k] = ident.length
        st["width"][k] = ident.width
        st["name"][k] = ident.name
        st["callsign"][k] = ident.callsign
    st["msg_type"][:] = 5
    st["ts_source"][:] = TS_SIMULATED
    for name in ("to_bow", "to_stern", "to_port", "to_starboard"):
        st[name][:] = -1
    st["draught"][:] = np.nan
    st["line"] = np.arange(1, len(rows) + 1)
    return st


# -- scenarios ------------------------------------------------------------------------------


def shuttle_to_rajin(sim: Simulation, trips: int = 1, hours_after_start: float = 2.0) -> Voyage:
    """A cargo shuttle from Vostochny to Rajin and back, AIS off near Rajin (RUSI 2023)."""
    sim.scenarios.append("shuttle_to_rajin")
    v = sim.voyage(hours_after_start=hours_after_start).moor(6, port="vostochny")
    for _ in range(trips):
        v.sail(ROUTES["vostochny-rajin"][:4], 11)
        v.dark().sail(ROUTES["vostochny-rajin"][3:], 11).moor(20, port="rajin")
        v.sail(list(reversed(ROUTES["vostochny-rajin"]))[:4], 11).on(port_called="rajin")
        v.sail(list(reversed(ROUTES["vostochny-rajin"]))[3:], 11).moor(8, port="vostochny")
    return v


def sts_transfer(
    sim: Simulation, lat: float = 36.5, lon: float = 123.5, hours_after_start: float = 4.0
) -> tuple[Voyage, Voyage]:
    """Two tankers meet in the open Yellow Sea and lie alongside for 5 h; one waited first."""
    sim.scenarios.append("sts_transfer")
    a = sim.voyage(sim.identity(ship_type=80), hours_after_start)
    b = sim.voyage(sim.identity(ship_type=80), hours_after_start)
    a.at(lat - 0.6, lon - 0.6).sail([(lat - 0.6, lon - 0.6), (lat, lon)], 10)
    b.at(lat + 0.5, lon + 0.7).sail([(lat + 0.5, lon + 0.7), (lat + 0.01, lon + 0.01)], 10)
    b.loiter(5, lat + 0.01, lon + 0.01)  # the receiving tanker waits
    a.meet(b, 5, lat, lon)
    a.sail([(lat, lon), (lat - 0.6, lon - 0.6)], 10)
    b.sail([(lat, lon), (lat + 0.5, lon + 0.7)], 10)
    return a, b


def spoofed_track(sim: Simulation, hours_after_start: float = 1.0) -> Voyage:
    """A ship whose MMSI is also transmitted 150 km away (two places at once), then a jump."""
    sim.scenarios.append("spoofed_track")
    v = sim.voyage(hours_after_start=hours_after_start)
    v.sail("yantai-dalian", 12).moor(4, port="dalian")
    v.at(38.5, 121.75).spoof_alternate(2, (-1.0, 1.5))
    v.sail([(38.5, 121.75), (38.0, 121.5)], 12).spoof_jump((1.5, 1.5))
    v.sail([(38.0, 121.5), (37.58, 121.45)], 12)
    return v


def identity_change(sim: Simulation, hours_after_start: float = 3.0) -> Voyage:
    """A ship goes dark at sea and resumes its voyage under a new MMSI and name."""
    sim.scenarios.append("identity_change")
    v = sim.voyage(hours_after_start=hours_after_start)
    route = ROUTES["longkou-nampho"]
    v.moor(3, port="longkou").sail(route[:4], 11)
    v.dark().loiter(2, plant=False).new_identity(sim.identity())
    v.on_air = True
    v.sail(route[3:6], 11)
    return v


def tanker_to_nampho(sim: Simulation, hours_after_start: float = 0.0) -> Voyage:
    """A tanker from Longkou that switches AIS off before the Korean coast and calls at Nampho."""
    sim.scenarios.append("tanker_to_nampho")
    v = sim.voyage(sim.identity(ship_type=80), hours_after_start)
    route = ROUTES["longkou-nampho"]
    v.moor(6, port="longkou").sail(route[:6], 10)
    v.dark().sail(route[5:], 10).moor(30, port="nampho").sail(list(reversed(route))[:3], 10)
    v.on(port_called="nampho").sail(list(reversed(route))[2:], 10).moor(6, port="longkou")
    return v


def background(sim: Simulation, vessels: int = 6) -> list[Voyage]:
    """Ordinary traffic between Chinese and Russian ports: nothing planted but port calls."""
    sim.scenarios.append("background")
    out = []
    pairs = [
        ("yantai-dalian", "yantai", "dalian"),
        ("vladivostok-nakhodka", "vladivostok", "nakhodka"),
    ]
    for k in range(vessels):
        route, a, b = pairs[k % len(pairs)]
        v = sim.voyage(hours_after_start=float(sim.rng.uniform(0, 6)))
        v.moor(5, port=a).sail(route, 12).moor(8, port=b).sail(route, 12, reverse=True).moor(
            5, port=a
        )
        out.append(v)
    return out


def sts_at_anchor(
    sim: Simulation, lat: float = 42.70, lon: float = 132.93, hours_after_start: float = 5.0
) -> tuple[Voyage, Voyage]:
    """Two tankers lie alongside at anchor in outer Nakhodka Bay for 6 h: STS at anchor,
    inside the area where the anchorage exclusion is lifted, 6.5 km from the nearest GFW
    anchorage point and over 11 km from the ports' quays."""
    sim.scenarios.append("sts_at_anchor")
    a = sim.voyage(sim.identity(ship_type=80), hours_after_start)
    b = sim.voyage(sim.identity(ship_type=80), hours_after_start)
    a.at(42.45, 132.95).sail([(42.45, 132.95), (lat, lon)], 10)
    b.at(42.50, 132.85).sail([(42.50, 132.85), (lat + 0.01, lon + 0.01)], 10)
    b.loiter(3, lat + 0.01, lon + 0.01, plant=False)  # the receiving tanker waits
    a.meet(b, 6, lat, lon)
    a.sail([(lat, lon), (42.45, 132.95)], 10)
    b.sail([(lat, lon), (42.50, 132.85)], 10)
    return a, b


SCENARIOS: dict[str, Callable[[Simulation], Any]] = {
    "shuttle_to_rajin": shuttle_to_rajin,
    "sts_transfer": sts_transfer,
    "spoofed_track": spoofed_track,
    "identity_change": identity_change,
    "tanker_to_nampho": tanker_to_nampho,
    "background": background,
    "sts_at_anchor": sts_at_anchor,
}


def nexus(seed: int = 0, start: datetime = datetime(2024, 3, 1)) -> SimulatedData:
    """Every scenario together: the shape of the DPRK-Russia-China nexus case."""
    sim = Simulation(seed, start)
    for scenario in SCENARIOS.values():
        scenario(sim)
    return sim.run()


def to_chunk(data: SimulatedData) -> AisChunk:
    chunk = AisChunk(positions=data.positions, static=data.static)
    chunk.counts["simulated positions"] = len(data.positions["mmsi"])
    chunk.counts["simulated static reports"] = len(data.static["mmsi"])
    return chunk


# -- bulk traffic for benchmarks -------------------------------------------------------------


def traffic(
    positions: int,
    vessels: int | None = None,
    seed: int = 0,
    bbox: tuple[float, float, float, float] = (119.0, 33.0, 135.0, 43.0),
    start: datetime = datetime(2024, 1, 1),
) -> dict[str, Any]:
    """Bulk positions, vectorised: vessels sailing legs between random points, with stops,
    slow drifts, reporting gaps (some over 6 h) and pairs of ships meeting.

    Kinematically realistic (speeds, reporting intervals, stops, gaps); the legs are straight
    and may cross land, so use it for throughput, and the scenarios for detection quality.
    """
    rng = np.random.default_rng(seed)
    vessels = vessels or max(2, positions // 2000)
    per = np.full(vessels, positions // vessels)
    per[: positions - int(per.sum())] += 1
    vessel = np.repeat(np.arange(vessels), per)
    n = len(vessel)
    # Reporting interval per vessel (2-6 min), jittered; some long silences.
    interval = rng.uniform(120, 360, vessels)[vessel] * rng.uniform(0.7, 1.3, n)
    silence = rng.random(n) < 0.0015
    interval = np.where(silence, rng.uniform(2, 20, n) * 3600, interval)
    first = np.concatenate(([0], np.cumsum(per)[:-1]))
    interval[first] = 0
    offset = rng.uniform(0, 86400, vessels)[vessel]
    t = start.replace(tzinfo=UTC).timestamp() + offset + _group_cumsum(interval, first, per)
    # Legs of 2-12 h at a leg speed and heading; each leg starts where the last one ended.
    x0, y0, x1, y1 = bbox
    leg_hours = rng.uniform(2, 12, vessels)[vessel]
    leg = np.floor((t - t[first][vessel]) / (leg_hours * 3600)).astype(np.int64)
    leg_id = vessel * 1_000_000 + leg
    uniq, inv = np.unique(leg_id, return_inverse=True)
    m = len(uniq)
    leg_vessel = uniq // 1_000_000
    speed = np.where(rng.random(m) < 0.25, rng.uniform(0, 0.15, m), rng.uniform(6, 16, m))
    speed = np.where(rng.random(m) < 0.08, rng.uniform(0.3, 1.5, m), speed)  # drifting
    # Every 50th vessel drifts and the next one lies alongside it: a meeting at sea.
    partner = (leg_vessel % 50 == 0) & (leg_vessel + 1 < vessels)
    speed = np.where(partner, rng.uniform(0.2, 1.2, m), speed)
    heading = rng.uniform(0, 2 * np.pi, m)
    t_leg0 = np.full(m, np.inf)
    np.minimum.at(t_leg0, inv, t)
    next_t0 = np.append(t_leg0[1:], np.inf)
    same_next = np.append(leg_vessel[1:] == leg_vessel[:-1], False)
    duration = np.where(same_next, next_t0 - t_leg0, 0.0) / 3600
    dy = speed * KM_PER_NM * duration * np.cos(heading) / 110.574
    dx = speed * KM_PER_NM * duration * np.sin(heading)
    leg_first = np.flatnonzero(np.append(True, leg_vessel[1:] != leg_vessel[:-1]))
    leg_count = np.diff(np.append(leg_first, m))
    start_lat = rng.uniform(y0, y1, vessels)
    start_lon = rng.uniform(x0, x1, vessels)
    off_y = np.concatenate(([0.0], np.cumsum(dy)[:-1]))
    off_x = np.concatenate(([0.0], np.cumsum(dx)[:-1]))
    base = np.repeat(leg_first, leg_count)
    lat0 = start_lat[leg_vessel] + off_y - off_y[base]
    coslat = np.cos(np.radians(start_lat[leg_vessel]))
    lon0 = start_lon[leg_vessel] + (off_x - off_x[base]) / (111.32 * coslat)
    hours = (t - t_leg0[inv]) / 3600
    km = speed[inv] * KM_PER_NM * hours
    lat = lat0[inv] + km * np.cos(heading[inv]) / 110.574
    lon = lon0[inv] + km * np.sin(heading[inv]) / (111.32 * coslat[inv])
    lat = lat + rng.normal(0, 0.0001, n)
    lon = lon + rng.normal(0, 0.0001, n)
    speed_row = speed[inv]
    pair = (vessel % 50 == 1) & (vessel > 0)
    if pair.any():
        src = first[vessel[pair] - 1] + (np.arange(n)[pair] - first[vessel[pair]])
        take = np.minimum(src, first[vessel[pair] - 1] + per[vessel[pair] - 1] - 1)
        lat[pair] = lat[take] + 0.002
        lon[pair] = lon[take]
        t[pair] = t[take] + 30
        speed_row[pair] = speed_row[take]
    sog = np.maximum(speed_row + rng.normal(0, 0.2, n), 0).astype(np.float32)
    return {
        "mmsi": (SIM_MID * 1_000_000 + 900_000 + vessel).astype(np.int64),
        "t": t,
        "lat": np.clip(lat, -89.9, 89.9),
        "lon": (lon + 180) % 360 - 180,
        "sog": sog,
    }


def _group_cumsum(values: F64, first: npt.NDArray[np.int64], per: npt.NDArray[np.int64]) -> F64:
    total = np.cumsum(values)
    base = np.repeat(total[first] - values[first], per)
    return np.asarray(total - base, dtype=np.float64)


def traffic_chunk(cols: dict[str, Any]) -> AisChunk:
    """Bulk traffic as a chunk the loader writes (marked simulated by the caller)."""
    n = len(cols["mmsi"])
    pos = empty_positions(n)
    pos["mmsi"] = cols["mmsi"]
    pos["ts"] = (cols["t"] * 1e6).astype(np.int64)
    pos["lat"], pos["lon"] = cols["lat"], cols["lon"]
    pos["sog"] = cols["sog"].astype(np.float32)
    pos["cog"] = np.full(n, np.nan, dtype=np.float32)
    pos["heading"] = np.full(n, -1, dtype=np.int16)
    pos["nav_status"] = np.full(n, -1, dtype=np.int8)
    pos["ts_source"] = np.full(n, TS_SIMULATED, dtype=np.int8)
    pos["msg_type"] = np.ones(n, dtype=np.int8)
    pos["line"] = np.arange(1, n + 1)
    pos["msg_key"] = _keys(pos)
    chunk = AisChunk(positions=pos)
    chunk.counts["simulated positions"] = n
    return chunk


def write_simulated(
    store: Any, data: SimulatedData, dataset: str | None = None, config: Any = None
) -> Any:
    """Load a simulation into the store, every row marked simulated, with its truth."""
    from interdiction.config import Config
    from interdiction.maritime.load import ingest_chunks

    cfg = (config or Config()).maritime
    truth = [
        {"type": p.type, "mmsis": list(p.mmsis), "start": p.start, "end": p.end,
         "lat": p.lat, "lon": p.lon, "params": p.params}
        for p in data.truth
    ]  # fmt: skip
    return ingest_chunks(
        store,
        [to_chunk(data)],
        name=f"simulation seed {data.seed}: {', '.join(data.scenarios)}",
        origin="interdiction.maritime.simulate",
        digest=data.digest(),
        size=len(data.positions["mmsi"]),
        reader="simulator",
        dataset=dataset or f"sim-{data.seed}",
        simulated=True,
        cfg=cfg,
        extra={"truth": truth, "vessels": [v.__dict__ for v in data.vessels]},
    )
