"""The static report (glscore.report): complete, linked, offline and deterministic.

The report is built twice, into two temporary folders, from the committed
data and notebooks; the expectations below come from ``data/`` and the
notebook files read directly (pandas, json), not from the report's code.
"""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from glscore import load_paper, paths
from glscore.analysis.explain import explain
from glscore.analysis.leaderboard import scope_tables
from glscore.analysis.scopes import SCOPES
from glscore.figures.style import LEVEL_COLORS
from glscore.report import build
from glscore.report.build import board_id, model_file


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text of the page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))


def tags(path: Path) -> list[tuple[str, dict[str, str]]]:
    parser = Tags()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.tags


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report") / "report"
    build(out)
    return out


def test_same_bytes_twice(report, tmp_path):
    again = tmp_path / "again"
    build(again)
    first = {p.relative_to(report): p.read_bytes() for p in sorted(report.rglob("*")) if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in sorted(again.rglob("*")) if p.is_file()}
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []


def test_index_has_every_board_of_every_scope(report):
    bench = load_paper()
    found = {a["id"] for t, a in tags(report / "index.html") if t == "table" and "id" in a}
    expected = {board_id(t) for s in SCOPES for t in scope_tables(bench, s)}
    assert len(expected) == 1 + 4 + 3 + 8 + 123  # A, B (+3 combined), C, D
    assert expected <= found
    text = (report / "index.html").read_text()
    assert text.count('class="sortable board"') == len(expected)
    assert "profile <code>paper</code>, synergy rule <code>strict</code>" in text


def test_level_colours_and_coverage(report):
    text = (report / "index.html").read_text()
    cells = re.findall(r'<td class="lv" data-v="(\d)" style="background:(#[0-9A-Fa-f]{6});', text)
    assert cells
    assert {(lv, colour) for lv, colour in cells} <= {
        (name[-1], colour) for name, colour in LEVEL_COLORS.items()}
    # Vitron-V1's image coverage, counted from data/scores.csv directly.
    scores = pd.read_csv(paths.DATA_DIR / "scores.csv")
    tasks = pd.read_csv(paths.DATA_DIR / "tasks.csv")
    image = set(tasks.loc[tasks["modality"] == "Image", "task_id"])
    mine = scores[(scores["model_id"] == "vitron-v1") & scores["task_id"].isin(image)]
    page = (report / model_file("vitron-v1")).read_text()
    assert f">{int(mine['supported'].sum())}/{len(image)} (" in page


def test_model_page_holds_the_explanation(report):
    bench = load_paper()
    for model in ("vitron-v1", bench.models[0]):
        result = explain(bench, model)
        page = (report / model_file(model)).read_text()
        assert html.escape(result["why"], quote=False) in page
        assert "Wins per modality and paradigm" in page and "Next level" in page
        assert f">{result['supported']}/{result['tasks']} (" in page


def test_one_page_per_model_and_every_link_resolves(report):
    models = pd.read_csv(paths.DATA_DIR / "scores.csv")["model_id"].unique()
    for model in models:
        assert (report / model_file(model)).is_file(), model
    pages = {p.resolve(): tags(p) for p in sorted(report.rglob("*.html"))}
    ids = {p: {a["id"] for _, a in found if "id" in a} for p, found in pages.items()}
    checked = 0
    for page, found in pages.items():
        for tag, attrs in found:
            href = attrs.get("href", "")
            if tag == "a" and href and not href.startswith(("#", "http:", "https:")):
                target = (page.parent / href.split("#")[0]).resolve()
                assert target in pages, f"{page.name}: {href}"
                if "#" in href:
                    assert href.split("#", 1)[1] in ids[target], href
                checked += 1
    assert checked > 1000


def test_offline_no_request_to_any_host(report):
    for page in sorted(report.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        for tag, attrs in tags(page):
            for attr in ("src", "href", "data"):
                value = attrs.get(attr, "")
                if tag == "a" or not value:
                    continue  # a link is a request only when a reader follows it
                assert value.startswith(("data:", "#")) or "//" not in value, (page, tag, value)
        assert "<script src" not in text
        assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", text), page.name


def test_every_notebook_rendered_with_its_figures(report):
    notebooks = sorted(paths.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))
    assert notebooks
    for nb in notebooks:
        cells = json.loads(nb.read_text())["cells"]
        pngs = sum("image/png" in o.get("data", {}) for c in cells for o in c.get("outputs", []))
        page = report / "notebooks" / f"{nb.stem}.html"
        embedded = [a["src"] for t, a in tags(page) if t == "img"]
        assert len(embedded) == pngs and all(s.startswith("data:image/png;base64,")
                                              for s in embedded), nb.name


def test_writes_only_in_its_folder_and_drops_stale_pages(tmp_path):
    out = tmp_path / "out"
    (out / "models").mkdir(parents=True)
    (out / "models" / "gone.html").write_text("stale")
    (out / "mine.txt").write_text("kept")
    nb_dir = tmp_path / "no-notebooks"
    nb_dir.mkdir()
    build(out, notebooks_dir=nb_dir)
    assert not (out / "models" / "gone.html").exists()
    assert (out / "mine.txt").read_text() == "kept"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["no-notebooks", "out"]
