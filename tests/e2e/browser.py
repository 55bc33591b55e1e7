"""A real browser for the page tests: Debian's headless Chromium driven by Playwright, and axe-core.

Playwright's own browser downloads are never used (``playwright install`` cannot reach its
servers here): the tests launch /usr/bin/chromium (``apt-get install -y chromium``; CHROMIUM
names another). axe-core is the copy the ``axe-playwright-python`` package ships; the test
loads it into the page, the page never does.

Without the browser these tests fail in CI (CI or REQUIRE_BROWSER=1, which .ci/run sets, after
installing it) and are skipped elsewhere, with the command that installs it.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# WCAG 2.x A and AA, and axe's best practices; "serious" and "critical" fail the test.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
FAILING_IMPACTS = {"serious", "critical"}


def _missing(reason: str) -> None:
    if os.environ.get("CI") or os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"the browser tests need {reason} (required in CI)")
    pytest.skip(f"no browser here: {reason}")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright: .venv/bin/pip install -e '.[test]'")
    if not CHROMIUM.exists():
        _missing(f"Chromium at {CHROMIUM}: apt-get install -y chromium")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield launched
        finally:
            launched.close()


@contextlib.asynccontextmanager
async def async_browser() -> AsyncIterator[Any]:
    """The same browser for a test that runs on an event loop (Playwright's async API)."""
    try:
        from playwright.async_api import async_playwright
    except ImportError:
        _missing("Playwright: .venv/bin/pip install -e '.[test]'")
    if not CHROMIUM.exists():
        _missing(f"Chromium at {CHROMIUM}: apt-get install -y chromium")
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield launched
        finally:
            await launched.close()


def screenshot_folder(name: str) -> Path:
    """Where a test leaves its screenshots for a person to look at (KOPGROEP_SCREENSHOTS, or build/)."""
    root = Path(os.environ.get("KOPGROEP_SCREENSHOTS") or ROOT / "build" / "screenshots")
    folder = root / name
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    return folder


def axe_source() -> str:
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).with_name("axe.min.js")).read_text(encoding="utf-8")


AXE_RUN = "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"
AXE_LOADED = "() => typeof window.axe === 'object'"


def axe_problems(page: Any) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now, one line each."""
    if not page.evaluate(AXE_LOADED):
        page.evaluate(axe_source())
    return serious(page.evaluate(AXE_RUN, AXE_TAGS))


async def axe_problems_async(page: Any) -> list[str]:
    if not await page.evaluate(AXE_LOADED):
        await page.evaluate(axe_source())
    return serious(await page.evaluate(AXE_RUN, AXE_TAGS))


def serious(result: dict) -> list[str]:
    assert result["testEngine"]["name"] == "axe-core"
    return [
        f"{v['impact']} {v['id']}: {v['help']} ({', '.join(str(n['target']) for n in v['nodes'][:3])})"
        for v in result["violations"]
        if v["impact"] in FAILING_IMPACTS
    ]
