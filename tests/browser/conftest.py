"""Fixtures of the real-browser checks (``make browser-test``).

Chromium is the system's (Debian's ``chromium``; ``GLSCORE_CHROMIUM`` or
``PATH``), driven by Playwright through ``executable_path``: Playwright's own
browser download is never used. The browser is headless, sandbox-less (the
machines run as root) and has its background traffic (component updates,
sync, safe browsing lists) switched off; every page context also refuses, and
records, any request that is not to the local server or a local file, so a
test can assert that none was made. Screenshots go to ``screenshots/`` at the
top of the checkout (ignored by git) for a person to look at.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from glscore import paths

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
SCREENSHOTS = paths.REPO_ROOT / "screenshots"


def chromium_path() -> str | None:
    """The system Chromium: ``GLSCORE_CHROMIUM``, else ``chromium`` on ``PATH``."""
    found = os.environ.get("GLSCORE_CHROMIUM") or shutil.which("chromium") \
        or shutil.which("chromium-browser")
    return found if found and Path(found).exists() else None


@pytest.fixture(scope="session")
def browser() -> Iterator:
    executable = chromium_path()
    if executable is None:
        pytest.skip("no system Chromium (apt-get install chromium); .ci/run installs it")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    return SCREENSHOTS


class Guarded:
    """A browser context whose requests may go only where ``allowed`` says."""

    def __init__(self, browser, allowed: tuple[str, ...]) -> None:
        self.blocked: list[str] = []
        self.console_errors: list[str] = []
        self.context = browser.new_context(viewport={"width": 1400, "height": 900})
        self.context.route("**/*", self._route)
        self.allowed = allowed

    def _route(self, route) -> None:
        url = route.request.url
        if url.startswith(self.allowed + ("data:", "blob:")):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def new_page(self):
        page = self.context.new_page()
        page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        page.on("pageerror", lambda e: self.console_errors.append(f"uncaught: {e}"))
        return page

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def guarded(browser) -> Iterator:
    """``guarded(allowed_prefixes)`` -> a :class:`Guarded` context, closed afterwards."""
    made: list[Guarded] = []

    def make(allowed: tuple[str, ...]) -> Guarded:
        made.append(Guarded(browser, allowed))
        return made[-1]

    yield make
    for guard in made:
        guard.close()
