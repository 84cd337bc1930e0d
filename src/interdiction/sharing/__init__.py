"""Sharing: handling markings the software enforces, and exchange formats for partners."""

from interdiction.sharing.markings import Marking, MarkingError, most_restrictive, parse_marking

__all__ = ["Marking", "MarkingError", "most_restrictive", "parse_marking"]
