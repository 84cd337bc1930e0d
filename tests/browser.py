"""Headless Chromium for tests that look at a rendered page (Debian's chromium, no download).

With CI=true a missing Chromium fails the test instead of skipping it, as the issue asks.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
]


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        message = "Chromium is not installed (Debian package 'chromium'; .ci/run installs it)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


@contextmanager
def open_page(html_file: Path, tmp_path: Path) -> Iterator[tuple[Any, list[str]]]:
    """The page loaded from ``html_file``, and every request it tried beyond that file."""
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    outside: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=FLAGS)
        context = browser.new_context(viewport={"width": 1200, "height": 1600})
        target = html_file.resolve().as_uri()

        def guard(route: Any) -> None:
            url = route.request.url
            if url == target:
                route.continue_()
            else:
                outside.append(url)
                route.abort()

        context.route("**/*", guard)
        page = context.new_page()
        page.on(
            "request",
            lambda r: (
                None if r.url in (target,) or r.url.startswith("data:") else outside.append(r.url)
            ),
        )
        page.goto(target, wait_until="load")
        try:
            yield page, outside
        finally:
            context.close()
            browser.close()
