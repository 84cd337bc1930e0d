"""Readers for the published list formats, and loading them into the store with provenance."""

from interdiction.sources.base import InputError
from interdiction.sources.load import BundleError, load_paths, load_plans, plan, readers
from interdiction.sources.registry import REGISTRY, SOURCES, ListSource

__all__ = [
    "REGISTRY",
    "SOURCES",
    "BundleError",
    "InputError",
    "ListSource",
    "load_paths",
    "load_plans",
    "plan",
    "readers",
]
