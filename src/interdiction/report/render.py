"""Rendering a briefing: self-contained HTML (no external request of any kind) and Markdown."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2

from interdiction.cases.vocab import admiralty
from interdiction.fileio import atomic_write
from interdiction.report.briefing import SECTION_TITLES, SECTIONS, Briefing, _fmt_time
from interdiction.sharing.markings import Marking

# TLP 2.0 colours (FIRST): black background, coloured text.
TLP_COLOURS = {
    "CLEAR": ("#000000", "#ffffff"),
    "GREEN": ("#000000", "#33ff00"),
    "AMBER": ("#000000", "#ffc000"),
    "AMBER+STRICT": ("#000000", "#ffc000"),
    "RED": ("#000000", "#ff2b2b"),
}


def _md(text: Any) -> str:
    """Text safe inside a Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def _environment(autoescape: bool) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("interdiction.report", "templates"),
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
        keep_trailing_newline=True,
    )
    env.filters["md"] = _md
    return env


def _context(b: Briefing) -> dict[str, Any]:
    reliability, credibility = admiralty()
    background, text = TLP_COLOURS[b.marking.tlp]
    return {
        "b": b,
        "sections": SECTIONS,
        "section_titles": SECTION_TITLES,
        "fmt_time": _fmt_time,
        "reliability": reliability,
        "credibility": credibility,
        "banner_colour": background,
        "banner_text": text,
    }


def render_html(briefing: Briefing) -> str:
    return _environment(True).get_template("briefing.html.j2").render(_context(briefing))


def render_markdown(briefing: Briefing) -> str:
    return _environment(False).get_template("briefing.md.j2").render(_context(briefing))


def write_briefing(briefing: Briefing, path: Path, fmt: str, audience: str | None = None) -> Path:
    """Write the product, after checking its marking allows the audience it is written for."""
    marking: Marking = briefing.marking
    marking.check_release(audience)
    text = render_html(briefing) if fmt == "html" else render_markdown(briefing)
    with atomic_write(path) as handle:
        handle.write(text)
    return path
