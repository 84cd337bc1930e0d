"""The store: an embedded DuckDB file holding statements, dataset versions, alerts, evidence."""

from interdiction.store.alerts import (
    Alert,
    DetectorRun,
    Evidence,
    read_alerts,
    read_evidence,
    write_alerts,
)
from interdiction.store.datasets import DatasetVersion, dataset_versions, lists_in_use, stale
from interdiction.store.db import Store, StoreError, default_store_path, resolve_store_path
from interdiction.store.entities import (
    EntityRecord,
    get_entity,
    iter_entities,
    referencing,
    related,
)
from interdiction.store.schema import TableSchema

__all__ = [
    "Alert",
    "DatasetVersion",
    "DetectorRun",
    "EntityRecord",
    "Evidence",
    "Store",
    "StoreError",
    "TableSchema",
    "dataset_versions",
    "default_store_path",
    "get_entity",
    "iter_entities",
    "lists_in_use",
    "read_alerts",
    "read_evidence",
    "referencing",
    "related",
    "resolve_store_path",
    "stale",
    "write_alerts",
]
