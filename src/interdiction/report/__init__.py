"""Reports and briefings: summaries of the lists, and sourced products from cases."""

from __future__ import annotations

from interdiction.report.briefing import FigureMaker


def figure_makers() -> list[FigureMaker]:
    """The figures a briefing carries, from the capabilities that draw them (map, network,
    charts). Each capability registers its maker here when it lands."""
    return []
