"""Reports and briefings: summaries of the lists, and sourced products from cases."""

from __future__ import annotations

from functools import partial

from interdiction.config import Config
from interdiction.report.briefing import FigureMaker


def figure_makers(config: Config | None = None) -> list[FigureMaker]:
    """The figures a briefing carries, from the capabilities that draw them (map, network,
    charts), in the order they appear."""
    from interdiction.report.makers import maritime_map, network_figures, petroleum_figure

    config = config or Config()
    return [
        partial(maritime_map, config=config),
        partial(network_figures, config=config),
        partial(petroleum_figure, config=config),
    ]
