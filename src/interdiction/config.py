"""One typed configuration for every capability.

Defaults live here, each threshold with its source in a comment. A TOML file overrides them
(``--config``, ``INTERDICTION_CONFIG`` or ``$XDG_CONFIG_HOME/interdiction/config.toml``), and
environment variables override the file: ``INTERDICTION_<SECTION>__<KEY>=value`` (for example
``INTERDICTION_LISTS__MAX_AGE_DAYS=30``); ``INTERDICTION_DB`` sets ``store.path``.

Detectors record the hash of the section they used (``Config.section_hash``), so that an alert
can be traced to the exact thresholds that produced it.
"""

from __future__ import annotations

import hashlib
import json
import os
import tomllib
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator


class ConfigError(ValueError):
    """A configuration file or variable is invalid; the message names it."""


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StoreConfig(Section):
    # None: INTERDICTION_DB, else $XDG_DATA_HOME/interdiction/interdiction.duckdb
    path: Path | None = None
    # How long a writer waits for another writing process to finish before giving up.
    # DuckDB allows one writing process per file (duckdb.org/docs/connect/concurrency).
    lock_timeout_s: float = Field(default=30.0, ge=0)
    # DuckDB threads; None lets DuckDB use every core. Benchmarks set 1.
    threads: int | None = Field(default=None, ge=1)


class ListsConfig(Section):
    # A list older than this is flagged by every command that uses it. OFAC publishes SDN
    # changes several times a week (ofac.treasury.gov "Recent Actions"); the UN consolidated
    # list changes monthly or more often. A week is a common screening-policy maximum.
    max_age_days: int = Field(default=7, ge=0)
    # Overrides of the official download URLs of the registry: {dataset: {role: url}}.
    urls: dict[str, dict[str, str]] = Field(default_factory=dict)
    download_timeout_s: float = Field(default=120.0, gt=0)
    # The OFAC legacy CSV truncates remarks at 1,000 characters and continues them in
    # sdn_comments.csv (observed in every published SDN.CSV, e.g. ent_num 12300, 2021-07-07).
    ofac_remarks_limit: int = Field(default=1000, gt=0)


# Each capability owns one section below and fills it in with its own issue; keep every
# threshold named, typed, and with its published source in a comment.


class ScreeningConfig(Section):
    """Name and identifier matching (issue 3)."""

    # A result is a match at or above this score. yente's default threshold is 0.70
    # (opensanctions/yente settings.SCORE_THRESHOLD); our scores are calibrated to the same.
    threshold: float = Field(default=0.70, ge=0, le=1)
    # Results below this are not returned at all (yente's SCORE_CUTOFF is 0.50).
    cutoff: float = Field(default=0.50, ge=0, le=1)
    # Results per query (yente's default /match limit is 5).
    limit: int = Field(default=5, ge=1, le=500)
    # Candidates fully scored per query. yente scores about 50 per query (docs/deploy/
    # scaling.md); our candidate ranking uses token rarity, so fewer suffice.
    candidates: int = Field(default=12, ge=1, le=500)
    # Queries per /match request (yente's MAX_BATCH is 100).
    max_batch: int = Field(default=100, ge=1, le=10000)
    # Longest accepted name; longer values are cut with a note (no listed name exceeds 300).
    max_name_chars: int = Field(default=500, ge=20)
    # Feature weights, in the manner of nomenklatura logic-v2 (vessel_imo_mmsi_match 0.95,
    # identifier_match 0.85, crypto 0.98; dob_year -0.15, dob_day -0.25, country -0.2,
    # gender -0.2). Ours: the IMO decides a ship (0.98); an MMSI alone is weak (0.55: below
    # the threshold, it never makes a match by itself: MMSIs are reassigned on reflagging,
    # US DPRK shipping advisory 2020); date and country penalties are milder than logic-v2's
    # because users report date agreement overweighted and lists carry several dates.
    imo_weight: float = Field(default=0.98, ge=0, le=1)
    imo_mismatch_cap: float = Field(default=0.5, ge=0, le=1)
    mmsi_weight: float = Field(default=0.55, ge=0, le=1)
    mmsi_bonus: float = Field(default=0.05, ge=0, le=1)
    identifier_weight: float = Field(default=0.9, ge=0, le=1)
    crypto_weight: float = Field(default=0.95, ge=0, le=1)
    # OFAC's "weak a.k.a." and the UN's low-quality aliases: logic-v2 weighs them 0.8.
    weak_alias_factor: float = Field(default=0.9, ge=0, le=1)
    # Vessel names alone are weak (sister ships share names, ships are renamed).
    vessel_name_cap: float = Field(default=0.85, ge=0, le=1)
    dob_match: float = Field(default=0.05, ge=0, le=1)
    dob_year_mismatch: float = Field(default=0.15, ge=0, le=1)
    dob_day_mismatch: float = Field(default=0.1, ge=0, le=1)
    country_mismatch: float = Field(default=0.1, ge=0, le=1)
    gender_mismatch: float = Field(default=0.1, ge=0, le=1)


class AreaOverride(Section):
    """Thresholds that differ inside a box, e.g. STS transfers at anchor off Nakhodka."""

    name: str
    # min_lon, min_lat, max_lon, max_lat (degrees, WGS 84)
    bbox: tuple[float, float, float, float]
    # Threshold name (a field of MaritimeConfig) -> value inside the box.
    set: dict[str, float] = Field(default_factory=dict)


# Thresholds an area may override (checked when the configuration is read).
AREA_THRESHOLDS = (
    "gap_min_hours",
    "gap_analysed_hours",
    "gap_offshore_nm",
    "encounter_max_distance_m",
    "encounter_min_hours",
    "encounter_max_median_speed_kn",
    "encounter_min_anchorage_km",
    "encounter_min_port_km",
    "loitering_max_speed_kn",
    "loitering_min_hours",
    "loitering_min_shore_nm",
    "max_speed_kn",
)

ReceptionModel = Literal["none", "expected-positions-v1", "prior-positions-v1"]


class MaritimeConfig(Section):
    """AIS ingestion and detectors (issue 4).

    Defaults are Global Fishing Watch's published definitions (GFW_technical_documentation;
    ../shared/reference/domain.md section 3) unless a comment says otherwise.
    """

    # -- ingestion -------------------------------------------------------------------------
    # NMEA checksums are verified by default (pyais does not check them unless asked).
    verify_checksums: bool = True
    # A multi-sentence message still incomplete this many sentences later is quarantined.
    fragment_window: int = Field(default=500, ge=2)
    # The same message heard by several receivers: same payload bits (NMEA) or same vessel,
    # position, speed and course (CSV) within this many seconds of the previous copy. Types
    # 1-3/18 carry the UTC second, so an identical payload over a minute apart is a new report.
    dedup_window_s: float = Field(default=60.0, ge=0)
    # Times before this or more than max_future_s after loading are invalid (AIS carriage
    # became mandatory for SOLAS ships 2002-2004).
    earliest_time: datetime = datetime(2000, 1, 1)
    max_future_s: float = Field(default=86400.0, ge=0)
    # Default and placeholder MMSIs (US DPRK advisory 2018; domain.md section 2).
    default_mmsis: tuple[int, ...] = (
        0, 1, 100000000, 111111111, 123456789, 200000000, 222222222, 333333333, 444444444,
        555555555, 666666666, 777777777, 888888888, 987654321, 999999999,
    )  # fmt: skip

    # -- AIS gaps (GFW Gaps.md; Welch et al. 2022, Science Advances 8(44)) -----------------
    gap_min_hours: float = Field(default=6.0, gt=0)  # AIS off/on events: >= 6 h
    gap_analysed_hours: float = Field(default=12.0, gt=0)  # gaps analysed: >= 12 h
    # Longer silences are outside the data's coverage (another dataset, another year), not
    # gaps in a voyage (our choice).
    gap_max_days: float = Field(default=60.0, gt=0)
    # Suspected intentional disabling starts more than 50 nm from shore (Welch et al. 2022).
    gap_offshore_nm: float = Field(default=50.0, ge=0)
    # Reception filter, named by version: "expected-positions-v1": >= 20 positions expected
    # during the gap at the vessel's rate in the 12 h before it; "prior-positions-v1": >= 14
    # positions in the 12 h before and > 10 per day (both GFW pipe versions); "none": every
    # gap is "coverage unknown".
    gap_reception_model: ReceptionModel = "expected-positions-v1"
    gap_reception_prior_hours: float = Field(default=12.0, gt=0)
    gap_reception_min_expected: float = Field(default=20.0, ge=0)
    gap_reception_min_prior: int = Field(default=14, ge=0)
    gap_reception_min_daily: float = Field(default=10.0, ge=0)

    # -- port visits (GFW port visit definition) -------------------------------------------
    port_entry_km: float = Field(default=3.0, gt=0)  # entry: within 3 km of an anchorage
    port_exit_km: float = Field(default=4.0, gt=0)  # exit: beyond 4 km
    port_stop_kn: float = Field(default=0.2, ge=0)  # a stop begins below 0.2 kn
    port_stop_end_kn: float = Field(default=0.5, ge=0)  # and ends above 0.5 kn
    port_gap_hours: float = Field(default=4.0, gt=0)  # a gap over 4 h in port counts
    # Visits of lower confidence are counted but not written as alerts (GFW: 1 = entry or
    # exit only, a vessel passing by; 2 = stop or gap only; 3 = one end plus stop/gap; 4 =
    # both ends plus stop/gap).
    port_min_confidence: int = Field(default=2, ge=1, le=4)

    # -- encounters (GFW encounters: 500 m, 2 h, median < 2 kn, >= 10 km from anchorages) ---
    encounter_max_distance_m: float = Field(default=500.0, gt=0)
    encounter_min_hours: float = Field(default=2.0, gt=0)
    encounter_max_median_speed_kn: float = Field(default=2.0, gt=0)
    encounter_min_anchorage_km: float = Field(default=10.0, ge=0)
    # Pairs within this distance of a port's point (ports_of_interest.csv: the NGA WPI
    # coordinate, where its quays are) are ships moored at neighbouring berths, not a
    # transfer (our rule). 0 = off: by default the anchorage exclusion already keeps ports
    # out; areas that lift it (STS at anchor off Nakhodka) set it.
    encounter_min_port_km: float = Field(default=0.0, ge=0)
    encounter_resample_minutes: float = Field(default=10.0, gt=0)  # tracks on a 10 min grid
    encounter_max_interpolation_hours: float = Field(default=1.0, gt=0)  # no longer bridges

    # -- loitering (GFW: < 2 kn for >= 4 h, >= 20 nm from shore) ---------------------------
    loitering_max_speed_kn: float = Field(default=2.0, gt=0)
    loitering_min_hours: float = Field(default=4.0, gt=0)
    loitering_min_shore_nm: float = Field(default=20.0, ge=0)
    # A loitering run is split where the vessel went unseen longer than this (our choice).
    loitering_max_gap_hours: float = Field(default=2.0, gt=0)

    # -- spoofing and identity -------------------------------------------------------------
    # Implied speed between consecutive fixes beyond which the jump is not physical: merchant
    # ships do not exceed about 40 kn; the MarineCadastre sample holds 91 jumps over 50 kn.
    max_speed_kn: float = Field(default=50.0, gt=0)
    # Jumps shorter than this are GPS noise, however short the time between fixes.
    min_jump_nm: float = Field(default=2.0, ge=0)
    # One MMSI in two places at once: this many alternations between two physically
    # separate tracks (A-B-A counts one).
    shared_mmsi_min_alternations: int = Field(default=3, ge=1)
    # A position this far inland (km, from the shipped coastline grid, 0.1 degree) is on land.
    land_min_inland_km: float = Field(default=10.0, ge=0)
    # A new identity resuming an old track: the old MMSI last seen, the new one first seen
    # within these hours and this distance (implied speed also within max_speed_kn).
    resume_max_hours: float = Field(default=72.0, gt=0)
    resume_max_distance_nm: float = Field(default=20.0, gt=0)
    # Both identities must have this many positions: a track, not a single sighting.
    resume_min_positions: int = Field(default=10, ge=1)

    # -- possible dark port calls ----------------------------------------------------------
    # Ports of interest (keys of the shipped port table) checked against every AIS gap.
    dark_call_ports: tuple[str, ...] = ("rajin", "chongjin", "nampho", "dunai", "vostochny")
    # Speed assumed when the vessel's own is unknown; otherwise its 95th percentile SOG.
    dark_call_default_speed_kn: float = Field(default=12.0, gt=0)
    dark_call_max_speed_kn: float = Field(default=20.0, gt=0)
    # Time in port a call needs to be worth reporting (loading or unloading).
    dark_call_min_port_hours: float = Field(default=2.0, ge=0)
    # Distance from a port's point that counts as reaching it (its geofence radius + entry).
    dark_call_port_radius_km: float = Field(default=5.0, ge=0)

    # -- areas with their own thresholds ---------------------------------------------------
    areas: tuple[AreaOverride, ...] = (
        # Ship-to-ship transfers off Nakhodka and Vostochny happen at anchor (domain.md
        # section 3): no anchorage exclusion for encounters there. Ships moored side by side
        # at the quays would then pair as encounters: pairs within 2 km of the Nakhodka or
        # Vostochny port point (WPI) are left out as berths (our judgement of the quays'
        # extent around the WPI point; the bay anchorages lie beyond it).
        AreaOverride(
            name="Nakhodka Bay and Vostochny anchorages",
            bbox=(132.55, 42.55, 133.3, 42.95),
            set={"encounter_min_anchorage_km": 0.0, "encounter_min_port_km": 2.0},
        ),
    )
    # Positions read per pass by the per-vessel detectors (bounds their memory).
    chunk_positions: int = Field(default=5_000_000, ge=1000)

    @model_validator(mode="after")
    def _check(self) -> MaritimeConfig:
        if self.port_exit_km < self.port_entry_km:
            raise ValueError("port_exit_km must be at least port_entry_km")
        for area in self.areas:
            unknown = set(area.set) - set(AREA_THRESHOLDS)
            if unknown:
                raise ValueError(
                    f"area {area.name!r}: cannot override {sorted(unknown)}; "
                    f"known: {', '.join(AREA_THRESHOLDS)}"
                )
            x0, y0, x1, y1 = area.bbox
            if not (-180 <= x0 < x1 <= 180 and -90 <= y0 < y1 <= 90):
                raise ValueError(
                    f"area {area.name!r}: bbox must be min_lon, min_lat, max_lon, max_lat"
                )
        return self


class NetworkConfig(Section):
    """Ownership graph, blocking rules, exposure, entity resolution (issue 5)."""

    # -- blocking rules ------------------------------------------------------------------
    # OFAC: blocked persons owning "50 percent or more" in the aggregate, directly or
    # indirectly (OFAC FAQ 398, 401; "Revised Guidance on Entities Owned by Persons Whose
    # Property and Interests in Property Are Blocked", 13 August 2014). Inclusive.
    ofac_threshold_pct: float = Field(default=50.0, gt=0, le=100)
    # SDN program tags whose entries do not seed the rule. Empty by default: since 2018 OFAC
    # lists non-blocking menu-based sanctions on the NS-MBS list (non-SDN), so every SDN entry
    # is blocked property; a user may still exclude a tag here.
    ofac_non_blocking_programs: list[str] = Field(default_factory=list)
    # EU: "more than 50%" of proprietary rights, or control (EU Best Practices for the
    # effective implementation of restrictive measures, Council doc. 10572/22, paras 62-66).
    eu_threshold_pct: float = Field(default=50.0, gt=0, le=100)
    # EU aggregates the holdings of several listed persons (Commission FAQ "Asset freeze and
    # prohibition to make funds available", question 8, 2022, updated 2024-09-11).
    eu_aggregate_owners: bool = True
    # UK: "more than 50%" of shares or voting rights, or control (OFSI General Guidance for
    # Financial Sanctions, chapter 4); holdings of different designated persons are not
    # simply aggregated (same guidance, para 4.14, added 2022-03-23).
    uk_threshold_pct: float = Field(default=50.0, gt=0, le=100)
    uk_aggregate_owners: bool = False
    # Simulated datasets that stand in for a regime's lists ({"ofac": ["sim_sdn_additions"]}):
    # their targets seed the regime beside the real lists, for demonstrations and training.
    # Only datasets loaded as simulated are accepted, and every finding resting on them is
    # marked simulated.
    simulated_seed_datasets: dict[str, list[str]] = Field(default_factory=dict)

    # -- graph ---------------------------------------------------------------------------
    # Properties whose shared values tie entities (as attribute nodes, weighted by rarity).
    # RUSI "Project Sandstone" (2019) found DPRK shipping fronts through shared addresses,
    # phones, e-mails and agents.
    shared_attributes: list[str] = Field(
        default_factory=lambda: ["address", "phone", "email", "website"]
    )
    # An attribute value held by more entities than this is a mass-registration address or a
    # generic value: kept in the graph, never traversed by paths, clusters or PageRank.
    # (Formation agents register thousands of firms at one address; RUSI 2019 and
    # Transparency International UK "Hiding in Plain Sight", 2017.) A heuristic: tune it.
    max_attribute_holders: int = Field(default=50, ge=2)
    # Any node with more links than this is a hub: shown, never passed through by paths.
    max_traverse_degree: int = Field(default=1000, ge=2)

    # -- exposure ------------------------------------------------------------------------
    # Path costs per edge kind: ownership and control are the strongest ties; a shared
    # attribute costs more, and more again the commoner it is (cost + log2(holders) / 2 for
    # each half of the entity-attribute-entity step).
    cost_ownership: float = Field(default=1.0, gt=0)
    cost_control: float = Field(default=1.0, gt=0)
    cost_directorship: float = Field(default=1.5, gt=0)
    cost_vessel: float = Field(default=1.0, gt=0)
    cost_family: float = Field(default=2.0, gt=0)
    cost_associate: float = Field(default=2.0, gt=0)
    cost_link: float = Field(default=1.5, gt=0)
    cost_attribute: float = Field(default=1.5, gt=0)
    hop_limit: int = Field(default=4, ge=1, le=10)
    k_paths: int = Field(default=5, ge=1, le=100)
    # Personalised PageRank (Page, Brin et al. 1999; Haveliwala 2002): damping 0.85 is the
    # published default; iterate to an L1 change below the tolerance.
    pagerank_damping: float = Field(default=0.85, gt=0, lt=1)
    pagerank_tolerance: float = Field(default=1e-9, gt=0)
    pagerank_max_iter: int = Field(default=200, ge=1)
    # Unlisted entities this many hops or fewer from a sanctioned party through
    # relationships (not shared attributes alone) become exposure alerts.
    exposure_alert_hops: int = Field(default=2, ge=1, le=6)
    # Sampled betweenness (Brandes and Pich 2007): number of source nodes sampled.
    betweenness_samples: int = Field(default=200, ge=1)

    # -- entity resolution ---------------------------------------------------------------
    # Pairs scoring at least this go to the review queue (yente's default match threshold,
    # 0.70; opensanctions/yente docs).
    review_threshold: float = Field(default=0.7, ge=0, le=1)
    # A name key shared by more entities than this is too common to pair on by itself.
    max_block_size: int = Field(default=50, ge=2)


class TradeConfig(Section):
    """Shipments, dual-use and UN flags, petroleum cap, mirror statistics (issue 6)."""

    # Countries whose buyers the CHPL rules protect: Russia and Belarus (BIS/EU/UK/Japan
    # "Common High Priority List" guidance, 2023-2024, targets diversion to both).
    chpl_destinations: tuple[str, ...] = ("ru", "by")
    # Diversion hubs named in public analyses of CHPL transshipment: Hong Kong, mainland
    # China, Turkey, Kazakhstan, Kyrgyzstan, Armenia, the UAE (domain.md section 4). The
    # FinCEN/BIS supplemental joint alert of 2023-05-19 (FIN-2023-Alert004) names further
    # transshipment points (e.g. Georgia, Uzbekistan, Serbia): add them here when needed.
    hubs: tuple[str, ...] = ("hk", "cn", "tr", "kz", "kg", "am", "ae")
    # A party is a "recently formed" intermediary when incorporated at most this many days
    # before the shipment (BIS/FinCEN 2022-06-28 alert: "newly formed" consignees as a red
    # flag; one year is the threshold C4ADS-style customs analyses commonly use).
    recent_days: int = Field(default=365, ge=1)
    # Alerts about records that could not be checked (unknown HS code, no parties...).
    report_unchecked: bool = True
    # Refined petroleum cap of UNSC resolution 2397 (2017), paragraph on refined petroleum:
    # 500,000 barrels per 12 months from 2018-01-01; crude oil 4,000,000 barrels.
    petroleum_cap_barrels: float = Field(default=500_000, gt=0)
    crude_cap_barrels: float = Field(default=4_000_000, gt=0)
    # HS prefixes counted as refined petroleum products (HS 2710 less waste oils 2710.91/.99).
    refined_hs_prefixes: tuple[str, ...] = ("271012", "271019", "271020")
    crude_hs_prefixes: tuple[str, ...] = ("2709",)
    # Scenarios for tanker port calls without a declared cargo: share of deadweight laden.
    # The US-led submissions to the 1718 Committee (2018-2019) estimated deliveries with
    # tankers 33%, 50% and 90% laden (as reported in the Panel of Experts' 2019 reports).
    tanker_laden_shares: tuple[float, ...] = (0.33, 0.5, 0.9)
    # A port call is the delivery a shipment record declares (not counted twice) when the
    # same vessel arrives within this many days of the declaration's date. A working
    # assumption, not a published figure: Vladivostok/Nakhodka or Longkou to Nampho is a
    # voyage of a few days, and a bill of lading is dated at loading.
    port_call_match_days: int = Field(default=10, ge=0)
    # Mirror statistics: imports are valued CIF, exports FOB. Named factor: IMF Direction of
    # Trade Statistics uses a uniform 6% CIF/FOB margin (factor 1.06) where partner data
    # are used to estimate flows (IMF DOTS Guide, 1993 and later editions).
    cif_fob_factor_name: str = "imf_dots_uniform"
    cif_fob_factor: float = Field(default=1.06, ge=1.0, le=2.0)
    # A mirror gap is reported when |gap| >= this share of the larger side and >= min_usd.
    mirror_gap_share: float = Field(default=0.25, ge=0)
    mirror_min_usd: float = Field(default=100_000, ge=0)
    # Surges of CHPL exports from hubs to Russia/Belarus against a pre-invasion baseline.
    baseline_years: tuple[int, int] = (2017, 2021)
    surge_ratio: float = Field(default=2.0, gt=1.0)
    surge_min_usd: float = Field(default=1_000_000, ge=0)
    # Unit-value outliers: modified z-score of log unit value; 3.5 is the cut-off
    # recommended by Iglewicz and Hoaglin (1993), "How to Detect and Handle Outliers".
    unit_value_z: float = Field(default=3.5, gt=0)
    unit_value_min_peers: int = Field(default=5, ge=3)
    # Exchange rates to USD for values declared in other currencies ({"EUR": 1.08}); a
    # value in a currency without a rate keeps value_usd empty and says so.
    usd_rates: dict[str, float] = Field(default_factory=dict)


class CasesConfig(Section):
    """Cases, claims, judgements and briefings (issue 7)."""


class Config(Section):
    store: StoreConfig = Field(default_factory=StoreConfig)
    lists: ListsConfig = Field(default_factory=ListsConfig)
    screening: ScreeningConfig = Field(default_factory=ScreeningConfig)
    maritime: MaritimeConfig = Field(default_factory=MaritimeConfig)
    network: NetworkConfig = Field(default_factory=NetworkConfig)
    trade: TradeConfig = Field(default_factory=TradeConfig)
    cases: CasesConfig = Field(default_factory=CasesConfig)

    def section_hash(self, name: str) -> str:
        """A short stable hash of one section, recorded with every alert it produced."""
        section = getattr(self, name)
        return _hash(section.model_dump(mode="json"))

    def config_hash(self) -> str:
        return _hash(self.model_dump(mode="json"))


def _hash(data: Any) -> str:
    blob = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


ENV_PREFIX = "INTERDICTION_"


def default_config_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "interdiction" / "config.toml"


def load_config(path: Path | None = None, env: dict[str, str] | None = None) -> Config:
    """Defaults, then the TOML file, then environment variables."""
    env = dict(os.environ) if env is None else env
    data: dict[str, Any] = {}
    source = path or (Path(env["INTERDICTION_CONFIG"]) if env.get("INTERDICTION_CONFIG") else None)
    if source is None and default_config_path().is_file():
        source = default_config_path()
    if source is not None:
        try:
            data = tomllib.loads(Path(source).read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise ConfigError(f"{source}: configuration file not found") from exc
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{source}: not valid TOML: {exc}") from exc
    for key, value in env.items():
        if not key.startswith(ENV_PREFIX) or "__" not in key:
            continue
        section, _, field = key[len(ENV_PREFIX) :].lower().partition("__")
        data.setdefault(section, {})[field] = _env_value(value)
    if env.get("INTERDICTION_DB"):
        data.setdefault("store", {})["path"] = env["INTERDICTION_DB"]
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        where = f" in {source}" if source else ""
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigError(f"invalid configuration{where}: {problems}") from exc


def _env_value(value: str) -> Any:
    """Environment values are JSON when they parse as JSON (numbers, lists), else text."""
    try:
        return json.loads(value)
    except json.JSONDecodeError:
        return value
