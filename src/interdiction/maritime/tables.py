"""The maritime tables: AIS loads, positions, static reports and analysts' sightings.

AIS is not an FtM list, so positions and static reports live in typed tables (the
``maritime`` component), each row with its provenance (dataset, load, origin file, line) and
a ``simulated`` flag. ``quality`` is NULL for a row the detectors may use, or names why not
(``no-time``, ``time-invalid``, ``mmsi-invalid``, ``position-unavailable``,
``position-invalid``); such rows are kept, counted and reported, never silently dropped.

How they map to FtM: a position or static report is evidence about a ``Vessel`` (its
``mmsi``, ``imoNumber``, ``name``, ``callSign``); the vessel view joins them to listed
vessels by IMO number (``statements.prop = 'imoNumber'``).
"""

from __future__ import annotations

from interdiction.store.schema import TableSchema

MARITIME = TableSchema(
    component="maritime",
    steps=(
        (
            1,
            (
                # One row per loaded file (a load): what it held and what was rejected.
                """CREATE TABLE IF NOT EXISTS ais_loads (
                    load_id VARCHAR PRIMARY KEY,
                    load_no INTEGER NOT NULL,
                    dataset VARCHAR NOT NULL,
                    reader VARCHAR NOT NULL,
                    reader_version VARCHAR NOT NULL,
                    origin VARCHAR NOT NULL,
                    sha256 VARCHAR NOT NULL,
                    bytes BIGINT NOT NULL,
                    loaded_at TIMESTAMP NOT NULL,
                    first_time TIMESTAMP,
                    last_time TIMESTAMP,
                    simulated BOOLEAN NOT NULL,
                    counts JSON NOT NULL)""",
                # Position reports (AIS types 1-3, 18, 19, 27, or decoded CSV rows).
                # pos_id = load_no << 32 | row within the load: the id evidence refers to.
                """CREATE TABLE IF NOT EXISTS ais_positions (
                    pos_id BIGINT NOT NULL,
                    mmsi INTEGER NOT NULL,
                    ts TIMESTAMP,
                    lat DOUBLE,
                    lon DOUBLE,
                    sog REAL,
                    cog REAL,
                    heading SMALLINT,
                    nav_status TINYINT,
                    msg_type TINYINT NOT NULL,
                    msg_key UBIGINT NOT NULL,
                    quality VARCHAR,
                    ts_source VARCHAR NOT NULL,
                    dataset VARCHAR NOT NULL,
                    load_no INTEGER NOT NULL,
                    origin VARCHAR NOT NULL,
                    origin_line BIGINT,
                    simulated BOOLEAN NOT NULL)""",
                # Static and voyage reports (types 5, 19, 24 A/B, or CSV static columns).
                """CREATE TABLE IF NOT EXISTS ais_static (
                    static_id BIGINT NOT NULL,
                    mmsi INTEGER NOT NULL,
                    ts TIMESTAMP,
                    msg_type TINYINT NOT NULL,
                    part VARCHAR,
                    imo INTEGER,
                    name VARCHAR,
                    callsign VARCHAR,
                    ship_type SMALLINT,
                    to_bow SMALLINT,
                    to_stern SMALLINT,
                    to_port SMALLINT,
                    to_starboard SMALLINT,
                    length SMALLINT,
                    width SMALLINT,
                    draught REAL,
                    destination VARCHAR,
                    eta VARCHAR,
                    quality VARCHAR,
                    ts_source VARCHAR NOT NULL,
                    dataset VARCHAR NOT NULL,
                    load_no INTEGER NOT NULL,
                    origin VARCHAR NOT NULL,
                    origin_line BIGINT,
                    simulated BOOLEAN NOT NULL)""",
                # An analyst's sighting (satellite imagery, a visual report) beside AIS.
                """CREATE TABLE IF NOT EXISTS sightings (
                    sighting_id VARCHAR PRIMARY KEY,
                    imo INTEGER,
                    mmsi INTEGER,
                    name VARCHAR,
                    ts TIMESTAMP NOT NULL,
                    lat DOUBLE NOT NULL,
                    lon DOUBLE NOT NULL,
                    source VARCHAR NOT NULL,
                    reliability VARCHAR,
                    note VARCHAR,
                    recorded_by VARCHAR,
                    recorded_at TIMESTAMP NOT NULL,
                    simulated BOOLEAN NOT NULL)""",
            ),
        ),
    ),
)
