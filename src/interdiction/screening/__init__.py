"""Screening (public API below)."""
