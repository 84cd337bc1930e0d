"""Table definitions, owned per component and applied in numbered steps.

Each capability declares its own ``TableSchema`` next to the code that writes those tables
(maritime its positions, trade its shipments) and calls ``Store.ensure`` before writing; the
store records each component's version in ``meta`` (``schema.<component>``). The core and
alerts schemas below are the contracts every capability shares; see docs/architecture.md.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TableSchema:
    component: str
    # (version, statements): steps applied in order to bring a store up to the last version.
    steps: tuple[tuple[int, tuple[str, ...]], ...]

    @property
    def version(self) -> int:
        return self.steps[-1][0]


CORE = TableSchema(
    component="core",
    steps=(
        (
            1,
            (
                """CREATE TABLE IF NOT EXISTS meta (
                    key VARCHAR PRIMARY KEY,
                    value VARCHAR NOT NULL)""",
                # One row per loaded version of a dataset: a consistent set of files.
                """CREATE TABLE IF NOT EXISTS datasets (
                    name VARCHAR NOT NULL,
                    version VARCHAR NOT NULL,
                    title VARCHAR,
                    authority VARCHAR,
                    published TIMESTAMP NOT NULL,
                    published_from VARCHAR NOT NULL,
                    origin VARCHAR,
                    reader VARCHAR NOT NULL,
                    reader_version VARCHAR NOT NULL,
                    files JSON NOT NULL,
                    fileset_hash VARCHAR NOT NULL,
                    complete BOOLEAN NOT NULL,
                    simulated BOOLEAN NOT NULL,
                    mode VARCHAR NOT NULL,
                    loaded_at TIMESTAMP NOT NULL,
                    counts JSON NOT NULL,
                    PRIMARY KEY (name, version))""",
                # The fields of followthemoney.statement.Statement, plus where the value was
                # read (origin file, its role in the set, the record key and line) and the
                # publication date of the first version that no longer carried it (retired).
                """CREATE TABLE IF NOT EXISTS statements (
                    id VARCHAR NOT NULL,
                    entity_id VARCHAR NOT NULL,
                    canonical_id VARCHAR NOT NULL,
                    schema VARCHAR NOT NULL,
                    prop VARCHAR NOT NULL,
                    prop_type VARCHAR NOT NULL,
                    value VARCHAR NOT NULL,
                    original_value VARCHAR,
                    lang VARCHAR,
                    dataset VARCHAR NOT NULL,
                    external BOOLEAN NOT NULL,
                    first_seen TIMESTAMP NOT NULL,
                    last_seen TIMESTAMP NOT NULL,
                    retired TIMESTAMP,
                    origin VARCHAR NOT NULL,
                    origin_role VARCHAR NOT NULL,
                    origin_record VARCHAR NOT NULL,
                    origin_line BIGINT)""",
                "CREATE INDEX IF NOT EXISTS statements_canonical ON statements (canonical_id)",
                # One row per entity and dataset: its state, for diffs and listing.
                """CREATE TABLE IF NOT EXISTS entities (
                    entity_id VARCHAR NOT NULL,
                    dataset VARCHAR NOT NULL,
                    schema VARCHAR NOT NULL,
                    caption VARCHAR,
                    target BOOLEAN NOT NULL,
                    checksum VARCHAR NOT NULL,
                    first_seen TIMESTAMP NOT NULL,
                    last_seen TIMESTAMP NOT NULL,
                    delisted TIMESTAMP,
                    PRIMARY KEY (entity_id, dataset))""",
                """CREATE TABLE IF NOT EXISTS changes (
                    dataset VARCHAR NOT NULL,
                    version VARCHAR NOT NULL,
                    entity_id VARCHAR NOT NULL,
                    change VARCHAR NOT NULL,
                    schema VARCHAR NOT NULL,
                    caption VARCHAR)""",
                # Records not loaded (level 'quarantined') and loaded with a doubt ('warning').
                """CREATE TABLE IF NOT EXISTS load_issues (
                    dataset VARCHAR NOT NULL,
                    version VARCHAR NOT NULL,
                    file VARCHAR,
                    line BIGINT,
                    record VARCHAR,
                    level VARCHAR NOT NULL,
                    code VARCHAR NOT NULL,
                    message VARCHAR NOT NULL,
                    raw VARCHAR)""",
            ),
        ),
    ),
)


ALERTS = TableSchema(
    component="alerts",
    steps=(
        (
            1,
            (
                """CREATE TABLE IF NOT EXISTS detector_runs (
                    run_id VARCHAR PRIMARY KEY,
                    detector VARCHAR NOT NULL,
                    detector_version VARCHAR NOT NULL,
                    config_hash VARCHAR NOT NULL,
                    params JSON,
                    inputs JSON,
                    started TIMESTAMP NOT NULL,
                    finished TIMESTAMP,
                    counts JSON)""",
                """CREATE TABLE IF NOT EXISTS alerts (
                    id VARCHAR PRIMARY KEY,
                    type VARCHAR NOT NULL,
                    severity VARCHAR NOT NULL,
                    score DOUBLE,
                    title VARCHAR NOT NULL,
                    summary VARCHAR,
                    entity_ids VARCHAR[] NOT NULL,
                    start_time TIMESTAMP,
                    end_time TIMESTAMP,
                    lat DOUBLE,
                    lon DOUBLE,
                    place VARCHAR,
                    geometry JSON,
                    detector VARCHAR NOT NULL,
                    detector_version VARCHAR NOT NULL,
                    config_hash VARCHAR NOT NULL,
                    params JSON,
                    run_id VARCHAR,
                    simulated BOOLEAN NOT NULL,
                    created_at TIMESTAMP NOT NULL)""",
                """CREATE TABLE IF NOT EXISTS evidence (
                    id VARCHAR PRIMARY KEY,
                    kind VARCHAR NOT NULL,
                    ref_table VARCHAR,
                    ref_id VARCHAR,
                    summary VARCHAR NOT NULL,
                    observed_at TIMESTAMP,
                    source VARCHAR,
                    data JSON,
                    simulated BOOLEAN NOT NULL)""",
                """CREATE TABLE IF NOT EXISTS alert_evidence (
                    alert_id VARCHAR NOT NULL,
                    evidence_id VARCHAR NOT NULL,
                    role VARCHAR NOT NULL,
                    PRIMARY KEY (alert_id, evidence_id, role))""",
            ),
        ),
    ),
)
