"""(b) The static report in Chromium: loads cleanly, sorts, filters, links to models.

The report is the one ``make report`` built (``GLSCORE_REPORT_DIR``, as set
by ``make browser-test``), or a fresh build in a temporary folder. Pages are
opened from disk (``file://``); any request elsewhere is refused and fails
the test.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from glscore.report import build


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    given = os.environ.get("GLSCORE_REPORT_DIR")
    if given and (Path(given) / "index.html").is_file():
        return Path(given).resolve()
    out = tmp_path_factory.mktemp("report")
    build(out)
    return out


def column(page, table: str, index: int) -> list[str]:
    """``data-v`` of column ``index`` (0-based) in the visible rows of ``table``."""
    return page.eval_on_selector_all(
        f"#{table} tbody tr:not([hidden]) td:nth-child({index + 1})",
        "cells => cells.map(c => c.getAttribute('data-v'))")


def test_index_sort_filter_and_model_page(guarded, report, screenshots):
    guard = guarded((report.as_uri(),))
    page = guard.new_page()
    page.goto((report / "index.html").as_uri())
    page.wait_for_selector("table.board")
    assert page.locator("table.board").count() == 139
    page.screenshot(path=str(screenshots / "report-index.png"))

    board = "board-B-Image"
    headers = page.locator(f"#{board} thead th").all_inner_texts()
    level2 = headers.index("Level-2")
    before = [float(v) for v in column(page, board, level2)]
    assert before != sorted(before)  # ranked by level first: a sort must move rows
    header = page.locator(f"#{board} thead th").nth(level2)
    header.click()
    assert header.get_attribute("aria-sort") == "ascending"
    assert [float(v) for v in column(page, board, level2)] == sorted(before)
    header.click()
    assert [float(v) for v in column(page, board, level2)] == sorted(before, reverse=True)
    page.locator(f"#{board}-section").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / "report-sorted.png"))

    search = page.locator(f"input.filter[data-table='{board}']")
    search.fill("qwen2")
    names = page.eval_on_selector_all(f"#{board} tbody tr:not([hidden]) td:nth-child(2)",
                                      "cells => cells.map(c => c.textContent)")
    assert names and all("qwen2" in n.lower() for n in names)
    assert len(names) < len(before)
    search.fill("")

    link = page.locator("#board-A-full tbody tr:first-child td:nth-child(2) a")
    name = link.inner_text()
    link.click()
    page.wait_for_load_state()
    assert page.url.endswith(".html") and "/models/" in page.url
    assert page.locator("h1").inner_text() == name
    assert page.locator("#placements tbody tr").count() >= 1
    page.screenshot(path=str(screenshots / "report-model.png"), full_page=True)
    assert guard.console_errors == []
    assert guard.blocked == []
