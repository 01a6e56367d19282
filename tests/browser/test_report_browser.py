"""(b) The static report in Chromium: loads cleanly, sorts, filters, marks, downloads.

The report is the one ``make report`` built (``GLSCORE_REPORT_DIR``, as set
by ``make browser-test``), or else the test session's build of it
(``paper_report`` of tests/conftest.py, shared with tests/test_report.py). Pages are
opened from disk (``file://``); any request elsewhere is refused and fails
the test. Screenshots go to ``screenshots/`` for a person to look at: the
index, a sorted board, a board page with its rank intervals and heatmap, a
model page, and the filters at work.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from glscore import paths
from glscore.analysis.leaderboard import LOW_COVERAGE


@pytest.fixture(scope="module")
def report(request) -> Path:
    given = os.environ.get("GLSCORE_REPORT_DIR")
    if given and (Path(given) / "index.html").is_file():
        return Path(given).resolve()
    return request.getfixturevalue("paper_report").out


def column(page, table: str, header: str, attr: str = "data-v") -> list[str]:
    """``attr`` (or the text, for ``attr=None``) of the column headed ``header``
    in the visible rows of ``table``."""
    headers = page.locator(f"#{table} thead th").all_inner_texts()
    k = headers.index(header) + 1
    read = "c => c.textContent" if attr is None else f"c => c.getAttribute('{attr}')"
    return page.eval_on_selector_all(f"#{table} tbody tr:not([hidden]) td:nth-child({k})",
                                     f"cells => cells.map({read})")


def visible_rows(page, table: str, attr: str) -> list[str]:
    return page.eval_on_selector_all(f"#{table} tbody tr:not([hidden])",
                                     f"rows => rows.map(r => r.getAttribute('{attr}'))")


def test_index_sort_filter_and_model_page(guarded, report, screenshots):
    guard = guarded((report.as_uri(),))
    page = guard.new_page()
    page.goto((report / "index.html").as_uri())
    page.wait_for_selector("table.board")
    # Scopes A-C in full (1 + 7 + 8 boards) and the models table; Scope-D in one table
    assert page.locator("table.board").count() == 16 + 1
    assert page.locator("#scope-d-summary tbody tr").count() == 123
    page.screenshot(path=str(screenshots / "report-index.png"))

    board = "board-B-Image"
    before = [float(v) for v in column(page, board, "Level-2")]
    assert before != sorted(before)  # ranked by level first: a sort must move rows
    headers = page.locator(f"#{board} thead th").all_inner_texts()
    header = page.locator(f"#{board} thead th").nth(headers.index("Level-2"))
    header.click()
    assert header.get_attribute("aria-sort") == "ascending"
    assert [float(v) for v in column(page, board, "Level-2")] == sorted(before)
    header.click()
    assert [float(v) for v in column(page, board, "Level-2")] == sorted(before, reverse=True)
    ub = page.locator(f"#{board} thead th").nth(headers.index("Rank (UB)"))
    ub.click()  # sortable by the conservative rank
    shown = column(page, board, "Rank (UB)")
    ranks = [int(v) for v in shown if v]      # rows listed below unranked have none
    assert ranks == sorted(ranks) and shown[:len(ranks)] == [str(r) for r in ranks]
    page.locator(f"#{board}-section").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / "report-sorted.png"))

    search = page.locator(f"input.filter[data-table='{board}']")
    search.fill("qwen2")
    names = column(page, board, "Model", None)
    assert names and all("qwen2" in n.lower() for n in names)
    assert len(names) < len(before)
    search.fill("")

    link = page.locator("#board-A-full tbody tr:first-child td.t a").first
    name = link.inner_text()
    link.click()
    page.wait_for_load_state()
    assert page.url.endswith(".html") and "/models/" in page.url
    assert page.locator("h1").inner_text() == name
    assert page.locator("#placements tbody tr").count() >= 1
    assert page.locator("#tasks tbody tr").count() >= 1
    page.screenshot(path=str(screenshots / "report-model.png"), full_page=False)
    assert guard.console_errors == []
    assert guard.blocked == []


def test_a_mark_says_what_it_means(guarded, report, screenshots):
    """VidAgent has no per-task data for Image: its Scope-A row says so in text,
    and the tooltip (title) gives the published value of data/published_levels.csv."""
    published = pd.read_csv(paths.DATA_DIR / "published_levels.csv")
    row = published[(published["model_id"] == "vidagent") & (published["Image"] != 0)].iloc[0]
    guard = guarded((report.as_uri(),))
    page = guard.new_page()
    page.goto((report / "boards" / "A-full.html").as_uri())
    mark = page.locator("#board-A-full tbody tr", has_text="VidAgent").locator(".mk-nodata")
    assert mark.inner_text() == "no per-task data: Image"
    assert (f"Image Level-{row['level']} {row['Image']:.2f} (Table {row['table']})"
            in mark.get_attribute("title"))
    assert mark.is_visible()
    low = page.locator("#board-A-full tbody tr .mk-low")
    assert low.count() >= 1 and f"below {LOW_COVERAGE:.0%}" in low.first.get_attribute("title")
    page.locator("#board-A-full tbody tr", has_text="VidAgent").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / "report-board-intervals.png"))
    page.locator("#pairwise").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / "report-board-heatmap.png"))
    assert guard.console_errors == [] and guard.blocked == []


def test_a_download_link_gives_the_board(guarded, report):
    guard = guarded((report.as_uri(),))
    page = guard.new_page()
    page.goto((report / "boards" / "B-Image.html").as_uri())
    link = page.locator("a[download]", has_text="CSV").first
    assert link.get_attribute("href") == "../downloads/boards/B-Image.csv"
    with page.expect_download() as caught:
        link.click()
    saved = Path(caught.value.path())
    assert saved.read_bytes() == (report / "downloads" / "boards" / "B-Image.csv").read_bytes()
    frame = pd.read_csv(saved)
    shown = page.locator("#board-B-Image tbody tr").count()
    assert len(frame) == shown and "rank_lo" in frame.columns
    assert guard.console_errors == [] and guard.blocked == []


def test_filters_by_group_modality_and_size(guarded, report, screenshots):
    models = pd.read_csv(paths.DATA_DIR / "models.csv", dtype=str, keep_default_na=False)
    closed = set(models.loc[models["group"] == "closed-multimodal", "model_id"])
    guard = guarded((report.as_uri(),))
    page = guard.new_page()
    page.goto((report / "index.html").as_uri())
    board = "board-A-full"
    total = page.locator(f"#{board} tbody tr").count()
    page.select_option("form.facets select[name=group]", "closed-multimodal")
    shown = visible_rows(page, board, "data-group")
    assert shown and set(shown) == {"closed-multimodal"} and len(shown) < total
    hrefs = page.eval_on_selector_all(f"#{board} tbody tr:not([hidden]) td.t a",
                                      "links => links.map(a => a.getAttribute('href'))")
    ids = {h.split("/")[-1].removesuffix(".html") for h in hrefs if "models/" in h}
    assert ids and ids <= closed
    status = page.locator("form.facets output.shown").inner_text()
    assert status.endswith("model rows shown") and status.split()[0] != status.split()[2]
    page.locator(f"#{board}-section").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / "report-filters.png"))
    page.locator("form.facets input[name=mod][value=Video]").check()
    mods = visible_rows(page, board, "data-mod")
    assert all("Video" in m.split() for m in mods)
    page.select_option("form.facets select[name=group]", "")
    page.locator("form.facets input[name=mod][value=Video]").uncheck()
    page.select_option("form.facets select[name=size]", "0-3")
    sizes = visible_rows(page, board, "data-size")
    assert sizes and set(sizes) == {"0-3"}
    page.select_option("form.facets select[name=size]", "")
    assert page.locator(f"#{board} tbody tr:not([hidden])").count() == total
    assert guard.console_errors == [] and guard.blocked == []
