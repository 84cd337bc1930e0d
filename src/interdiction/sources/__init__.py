"""Readers for the published list formats, and loading them into the store with provenance.

The names below are imported on first use (PEP 562): importing one reader module (the AIS
readers, say) does not import every list reader and followthemoney's dataset machinery.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from interdiction.sources.base import InputError
    from interdiction.sources.load import BundleError, load_paths, load_plans, plan, readers
    from interdiction.sources.registry import REGISTRY, SOURCES, ListSource

_WHERE = {
    "InputError": "interdiction.sources.base",
    "BundleError": "interdiction.sources.load",
    "load_paths": "interdiction.sources.load",
    "load_plans": "interdiction.sources.load",
    "plan": "interdiction.sources.load",
    "readers": "interdiction.sources.load",
    "REGISTRY": "interdiction.sources.registry",
    "SOURCES": "interdiction.sources.registry",
    "ListSource": "interdiction.sources.registry",
}

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


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
