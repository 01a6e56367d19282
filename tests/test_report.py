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

import glscore.report
from glscore import load_paper, paths
from glscore.analysis.explain import explain
from glscore.analysis.leaderboard import scope_tables
from glscore.analysis.scopes import SCOPES
from glscore.figures.style import LEVEL_COLORS
from glscore.report import build
from glscore.report.context import board_id, model_file
from glscore.report.render import STATIC_FILES


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text of the page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))


class Text(HTMLParser):
    """The text of a page (entities decoded) and of its first ``<h1>``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.data = ""
        self.h1: str | None = None
        self._in_h1 = False

    def handle_starttag(self, tag, attrs):
        self._in_h1 = tag == "h1" and self.h1 is None
        if self._in_h1:
            self.h1 = ""

    def handle_endtag(self, tag):
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data):
        self.data += data
        if self._in_h1:
            self.h1 += data


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
    """Every resource a page loads is embedded (``data:``) or a file of the report."""
    for page in sorted(report.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        for tag, attrs in tags(page):
            for attr in ("src", "href", "data"):
                value = attrs.get(attr, "")
                if tag == "a" or not value or value.startswith(("data:", "#")):
                    continue  # a link is a request only when a reader follows it
                assert "//" not in value and ":" not in value, (page, tag, value)
                target = (page.parent / value).resolve()
                assert target.is_file() and target.is_relative_to(report.resolve()), (page, value)
        assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", text), page.name
    for name in STATIC_FILES:
        style = (report / "static" / name).read_text(encoding="utf-8")
        assert not re.search(r"@import|url\(|https?://", style), name


def test_static_files_are_the_package_files_and_every_page_uses_them(report):
    package = Path(glscore.report.__file__).parent
    for name in STATIC_FILES:
        assert (report / "static" / name).read_bytes() == (package / "static" / name).read_bytes()
    for page in [report / "index.html", report / model_file("vitron-v1")]:
        found = tags(page)
        root = "../" if page.parent.name == "models" else ""
        assert ("link", {"rel": "stylesheet", "href": f"{root}static/report.css"}) in found
        assert ("script", {"src": f"{root}static/report.js"}) in found
        assert "<style>" not in page.read_text()


def test_the_report_scores_once(monkeypatch, tmp_path):
    """One scoring pass of the benchmark feeds every board and every model page;
    the only other pass scores a different benchmark: the tasks without the
    audit-flagged SoTAs, for explain's move that avoids them."""
    from glscore.analysis.audit import flagged_sota
    from glscore.core import scoring
    from glscore.io.loaders import load_paper

    bench = load_paper()
    flagged = flagged_sota(scoring.score_detailed(bench))
    assert flagged, "the paper data have audit-flagged SoTA tasks"
    calls = []
    real = scoring._run
    monkeypatch.setattr(scoring, "_run",
                        lambda bench, *a, **k: calls.append(len(bench.tasks)) or real(bench, *a,
                                                                                       **k))
    nb_dir = tmp_path / "no-notebooks"
    nb_dir.mkdir()
    build(tmp_path / "out", notebooks_dir=nb_dir)
    assert sorted(calls) == sorted([len(bench.tasks), len(bench.tasks) - len(flagged)])


def test_hostile_model_names_are_text(tmp_path):
    """Model names are user input: every page shows them as text, never as markup."""
    from glscore.core.benchmark import Benchmark

    names = ("<script>alert(1)</script>", 'a"b\' onmouseover=\'x', "x|y\n`z` &amp; [l](javascript:0)")
    rows = [("IC-001", "Acc", "higher", 50.0), ("IG-001", "Acc", "higher", 50.0),
            ("NLP-001", "Acc", "higher", 50.0)]
    bench = Benchmark.from_rows(rows, [[60.0, 40.0, 70.0], [30.0, 60.0, 10.0],
                                       [55.0, 55.0, 55.0]],
                                models=("m<1>", "m2", "m3"), names=names,
                                skill_group_id=["I-C-1", "I-G-1", "L-1"],
                                skill_short_name=["a<b>", "c", "d"])
    nb_dir = tmp_path / "no-notebooks"
    nb_dir.mkdir()
    out = tmp_path / "out"
    build(out, bench=bench, notebooks_dir=nb_dir)
    for page in sorted(out.rglob("*.html")):
        found = tags(page)
        assert [a for t, a in found if t == "script"] == [
            {"src": ("../" if page.parent.name == "models" else "") + "static/report.js"}]
        assert not any(k.startswith("on") for _, a in found for k in a), page
        assert not any(a.get("href", "").startswith("javascript") for _, a in found), page
    index = out / "index.html"
    text = Text()
    text.feed(index.read_text(encoding="utf-8"))
    for name in names:
        assert name in text.data, name
    model_page = Text()
    model_page.feed((out / model_file("m3")).read_text(encoding="utf-8"))
    assert model_page.h1 == names[2]
    assert model_page.data.count(names[2]) >= 2  # the title and the explanation


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
    nb_dir = tmp_path / "no-notebooks"
    nb_dir.mkdir()
    build(out, notebooks_dir=nb_dir)           # a report is there: its stale pages may go
    (out / "models" / "gone.html").write_text("stale")
    (out / "mine.txt").write_text("kept")
    build(out, notebooks_dir=nb_dir)
    assert not (out / "models" / "gone.html").exists()
    assert (out / "mine.txt").read_text() == "kept"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["no-notebooks", "out"]
