from __future__ import annotations

from pathlib import Path

import pytest

from interdiction.config import Config, ConfigError, load_config


def test_defaults_are_typed() -> None:
    config = load_config(env={})
    assert config.lists.max_age_days == 7
    assert config.lists.ofac_remarks_limit == 1000


def test_file_then_environment(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[lists]\nmax_age_days = 30\n[store]\npath = "/x/y.duckdb"\n')
    config = load_config(path, env={"INTERDICTION_LISTS__MAX_AGE_DAYS": "3"})
    assert config.lists.max_age_days == 3
    assert str(config.store.path) == "/x/y.duckdb"
    config = load_config(path, env={"INTERDICTION_DB": "/z.duckdb"})
    assert str(config.store.path) == "/z.duckdb"


def test_unknown_key_is_named(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text("[lists]\nmax_age = 30\n")
    with pytest.raises(ConfigError, match=r"lists\.max_age"):
        load_config(path, env={})


def test_bad_toml_is_named(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text("[lists\n")
    with pytest.raises(ConfigError, match=r"c\.toml"):
        load_config(path, env={})


def test_section_hash_tracks_only_its_section() -> None:
    a = Config()
    b = a.model_copy(update={"store": a.store.model_copy(update={"threads": 1})})
    assert a.section_hash("lists") == b.section_hash("lists")
    assert a.section_hash("store") != b.section_hash("store")
