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


class MaritimeConfig(Section):
    """AIS ingestion and detectors (issue 4)."""


class NetworkConfig(Section):
    """Ownership graph, blocking rules, exposure, entity resolution (issue 5)."""


class TradeConfig(Section):
    """Shipments, dual-use and UN flags, petroleum cap, mirror statistics (issue 6)."""


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
