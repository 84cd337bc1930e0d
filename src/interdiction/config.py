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
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError


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


class MaritimeConfig(Section):
    """AIS ingestion and detectors (issue 4)."""


class NetworkConfig(Section):
    """Ownership graph, blocking rules, exposure, entity resolution (issue 5)."""


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
