"""The briefing renders offline in a real browser: figures draw, sources show, nothing leaks."""

from __future__ import annotations

from pathlib import Path

from browser import open_page
from interdiction.cases.build import build_case, load_built_case
from interdiction.report.briefing import assemble
from interdiction.report.render import write_briefing
from interdiction.store import Store
from test_cases import case_store  # noqa: F401 - the fixture


def test_briefing_in_chromium(case_store: tuple[Path, Path], tmp_path: Path) -> None:  # noqa: F811
    db, path = case_store
    with Store.open(db) as store:
        build_case(store, path)
        briefing = assemble(store, load_built_case(store, "test-case"))
    html = write_briefing(briefing, tmp_path / "briefing.html", "html")
    with open_page(html, tmp_path) as (page, outside):
        page.screenshot(path=str(tmp_path / "briefing.png"), full_page=True)
        assert outside == [], f"requests left the page: {outside}"
        timeline = page.locator("#figure-timeline svg")
        box = timeline.bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] > 50
        assert page.locator("#figure-timeline .watermark").count() == 1
        sources = page.locator("#source-S1")
        assert sources.is_visible() and "33,000" in sources.inner_text()
        assert page.locator("#marking-top").inner_text() == "TLP:GREEN // REL TO USA, KOR, JPN"
        assert page.locator("#simulated-notice").is_visible()
    assert (tmp_path / "briefing.png").stat().st_size > 10_000
