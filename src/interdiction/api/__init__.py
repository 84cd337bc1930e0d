"""The HTTP API: yente-compatible screening over the store, read-only (``interdiction serve``)."""

from interdiction.api.app import create_app

__all__ = ["create_app"]
