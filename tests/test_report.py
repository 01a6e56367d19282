"""The static report (glscore.report): complete, marked, linked, offline, deterministic.

The report is built from the committed data and notebooks; the expectations
below come from ``data/`` and the notebook files read directly (pandas,
json), or from the analyses' own frames where the report must show exactly
what they hold (marks, intervals): never from the report's code. That a
second build gives the same bytes is tests/test_wheel.py's check (a build by
the installed wheel, in another process).
"""

from __future__ import annotations

import html
import json
import math
import re
from pathlib import Path

import pandas as pd
import pytest

import glscore.report
from glscore import load_paper, paths
from glscore.analysis.explain import explain
from glscore.analysis.leaderboard import LOW_COVERAGE, scope_tables
from glscore.analysis.scopes import SCOPES
from glscore.core.scoring import score_detailed
from glscore.figures.style import LEVEL_COLORS
from glscore.report import build
from glscore.report.build import Options
from glscore.report.names import board_download, board_id, board_page, page_name
from glscore.report.render import STATIC_FILES
from tests.report_html import column, tables, tags, text


@pytest.fixture(scope="module")
def report(paper_report) -> Path:
    """The paper data's report (built once per test session, tests/conftest.py)."""
    return paper_report.out


@pytest.fixture(scope="module")
def boards() -> dict:
    """Every board of the paper data, by its page (the analyses' own frames)."""
    run = score_detailed(load_paper())
    return {board_page(t.board): t for s in SCOPES for t in scope_tables(run, s)}


def no_notebooks(tmp_path: Path) -> Path:
    folder = tmp_path / "no-notebooks"
    folder.mkdir(exist_ok=True)
    return folder


def strict_json(path: Path):
    def refuse(token):
        raise ValueError(f"{path.name}: {token} is not JSON")
    return json.loads(path.read_text(encoding="utf-8"), parse_constant=refuse)


def test_every_board_has_a_page_and_the_index_shows_a_to_c(report, boards):
    assert len(boards) == 1 + 4 + 3 + 8 + 123  # A, B (+3 combined), C, D
    index = tables(report / "index.html")
    for page, t in boards.items():
        found = tables(report / page)
        assert board_id(t.board) in found, page
        if t.board.scope != "D":
            assert board_id(t.board) in index, page
    summary = index["scope-d-summary"]
    assert len(summary["rows"]) == sum(t.board.scope == "D" for t in boards.values())
    text_ = (report / "index.html").read_text()
    assert "profile <code>paper</code>, synergy rule <code>strict</code>" in text_


def test_one_denominator_with_its_label(report, boards):
    """The Scope-A board counts its modality and NLP tasks (from data/tasks.csv),
    its header names that count, and every row's coverage is over it."""
    tasks = pd.read_csv(paths.DATA_DIR / "tasks.csv")
    nlp = int((tasks["modality"] == "NLP").sum())
    modal = len(tasks) - nlp
    page = report / "boards" / "A-full.html"
    assert (f"{len(tasks)} tasks: {modal} modality tasks and {nlp} NLP tasks"
            in text(page).data)
    board = tables(page)["board-A-full"]
    assert f"Coverage (of {len(tasks)})" in board["headers"]
    for page_name_, t in boards.items():
        summary = t.summary()
        assert summary["tasks"] == t.board.n_tasks
        assert (t.table["tasks"] == t.board.n_tasks).all(), page_name_
        assert f"Coverage (of {t.board.n_tasks})" in tables(report / page_name_)[
            board_id(t.board)]["headers"]


def test_every_board_says_how_it_is_ranked_and_no_empty_clauses(report, boards):
    for page in boards:
        words = text(report / page).data
        assert "How this board is ranked: by the level reached first" in words, page
        assert "Score, the model's score at that level" in words, page
    for page in sorted(report.rglob("*.html")):
        words = text(page).data
        assert not re.search(r"(?<![\d.])0 (models? )?(supporting|left off)", words), page.name
    # the example of a lower score ranked above a higher one is this board's own
    a = boards["boards/A-full.html"].table
    upper = a[(a["level"].shift(-1) < a["level"]) & (a["score"].shift(-1) > a["score"])].iloc[0]
    words = text(report / "boards" / "A-full.html").data
    assert f"here {upper['name']} (Level-{upper['level']}, {upper['score']:.2f}) ranks above" in words


def _marks(cell: dict) -> dict[str, dict]:
    return {s["class"].split()[1]: s for s in cell["spans"] if "mk" in s.get("class", "")}


def test_marks_on_every_row_that_has_them(report, boards):
    """Each mark follows the board frame's column, row by row, on every board
    page; each has a text label and a title saying what it means."""
    published = pd.read_csv(paths.DATA_DIR / "published_levels.csv")
    counts = {"mk-low": 0, "mk-flagged": 0, "mk-nodata": 0}
    for page, t in boards.items():
        table = tables(report / page)[board_id(t.board)]
        models = column(table, "Model")
        assert len(models) == len(t.table), page
        for r, cell in zip(t.table.to_dict("records"), models, strict=True):
            found = _marks(cell)
            assert ("mk-low" in found) == bool(r["low_coverage"]), (page, r["name"])
            assert ("mk-flagged" in found) == (r["flagged_wins"] > 0), (page, r["name"])
            assert ("mk-nodata" in found) == (r["no_task_data"] != ""), (page, r["name"])
            for name in counts:
                counts[name] += name in found
            if "mk-low" in found:
                assert (f"supports {r['supported']} of the board's {r['tasks']} tasks"
                        in found["mk-low"]["title"])
                assert r["supported"] / r["tasks"] < LOW_COVERAGE
            if "mk-nodata" in found:
                # the published value, read from data/ directly
                for modality in r["no_task_data"].split(", "):
                    row = published[(published["model_id"] == r["model"])
                                    & (published[modality] != 0)].iloc[0]
                    assert (f"{modality} Level-{row['level']} {row[modality]:.2f} "
                            f"(Table {row['table']})") in found["mk-nodata"]["title"]
            if "mk-flagged" in found:
                assert found["mk-flagged"]["title"].startswith(
                    f"{r['flagged_wins']} of its ")
    # the paper data have low-coverage and no-per-task-data rows; under `paper`
    # (wins decided on the raw value) no win falls on an audit-flagged SoTA
    assert counts["mk-low"] and counts["mk-nodata"], counts
    assert counts["mk-flagged"] == sum(int((t.table["flagged_wins"] > 0).sum())
                                       for t in boards.values())
    legend = text(report / "index.html").data
    for label in ("low coverage", "no per-task data"):
        assert label in legend


def test_flagged_win_mark_under_the_official_profile():
    """Under `official` (wins on the normalised scale) saturated SoTAs are won:
    rows with flagged wins carry the mark, with the count in its label."""
    from glscore.report.boards import BoardView, board

    run = score_detailed(load_paper(), "official")
    marked = 0
    for t in scope_tables(run, "B"):
        section = board(BoardView(t), "", False, {}, {})
        for r, row in zip(t.table.to_dict("records"), section["table"]["rows"], strict=True):
            found = {m["code"]: m for m in row["cells"][1]["marks"]}
            assert ("flagged" in found) == (r["flagged_wins"] > 0)
            if r["flagged_wins"]:
                marked += 1
                assert found["flagged"]["label"] == f"flagged SoTA ×{r['flagged_wins']}"
                assert "audit flags" in found["flagged"]["title"]
    assert marked


def test_rank_intervals_ties_and_heatmap_on_each_board_page(report, boards):
    for page, t in list(boards.items())[:20] + list(boards.items())[-3:]:
        data = strict_json(report / board_download(t.board, "json"))
        rows = {r["model"]: r for r in data["rows"]}
        table = tables(report / page)[board_id(t.board)]
        n = len(t.ranked_table)    # the rows the coverage policy ranks (and simulates)
        intervals = column(table, "95% rank interval")
        ties = column(table, "Tie")
        for r, cell, tie in zip(t.table.to_dict("records"), intervals, ties, strict=True):
            if not r["ranked"]:    # listed below: no rank, no interval, no tie
                assert rows[r["model"]]["rank_interval"] is None
                assert cell["text"] == "unranked" and not tie["text"]
                continue
            lo, hi = rows[r["model"]]["rank_interval"]
            assert cell["text"] == f"{lo}–{hi}"
            bar = next(s for s in cell["spans"] if s.get("class") == "rin")["style"]
            assert f"left:{round((lo - 1) / n * 100, 3)}%" in bar
            assert f"width:{round((hi - lo + 1) / n * 100, 3)}%" in bar
            assert (tie["text"].startswith("tied #1")) == (lo == 1)
        tied = [r["name"] for r in data["rows"]
                if r["rank_interval"] is not None and r["rank_interval"][0] == 1]
        assert tied == data["uncertainty"]["tied_with_first"]
        separated = sum("sep" in r["attrs"].get("class", "") for r in table["rows"])
        assert separated == data["uncertainty"]["distinguishable_adjacent"]
        words = text(report / page).data
        assert f"{data['uncertainty']['draws']} draws, seed {data['uncertainty']['seed']}" in words
        headers = table["headers"]
        assert "Rank (UB)" in headers and "P(first)" in headers
        assert [f"P(≥L{k})" for k in range(2, t.board.cap + 1)] == [
            h for h in headers if h.startswith("P(≥")]
        if n > 1:
            heat = tables(report / page)
            assert "P(row ranks above column)" in words
            names = data["pairwise"]["models"]
            assert len(names) == min(n, 12)
            cells = [r["cells"][1:] for r in heat["pairwise-matrix"]["rows"]]
            for i, row in enumerate(data["pairwise"]["p_above"]):
                for j, p in enumerate(row):
                    assert cells[i][j]["text"] == ("" if p is None else f"{p:.2f}")


def test_downloads_every_board_and_the_whole_data(report, boards):
    index_links = {a["href"] for t, a in tags(report / "index.html") if t == "a" and "href" in a}
    for page, t in boards.items():
        links = {a["href"] for tag, a in tags(report / page) if tag == "a" and "download" in a}
        for ext in ("csv", "json"):
            assert "../" + board_download(t.board, ext) in links, page
        frame = pd.read_csv(report / board_download(t.board, "csv"))
        assert frame["model"].tolist() == t.table["model"].tolist()
        data = strict_json(report / board_download(t.board, "json"))
        assert [r["model"] for r in data["rows"]] == t.table["model"].tolist()
        assert data["tasks"] == t.board.n_tasks
    scores = pd.read_csv(paths.DATA_DIR / "scores.csv")
    cells = pd.read_csv(report / "downloads" / "scores.csv")
    assert len(cells) == int(scores["value"].notna().sum())
    assert len(strict_json(report / "downloads" / "scores.json")) == len(cells)
    assert len(pd.read_csv(report / "downloads" / "tasks.csv")) == len(
        pd.read_csv(paths.DATA_DIR / "tasks.csv"))
    assert len(strict_json(report / "downloads" / "models.json")) == scores["model_id"].nunique()
    for name in ("scores", "tasks", "models"):
        for ext in ("csv", "json"):
            assert f"downloads/{name}.{ext}" in index_links


def test_filter_facets_come_from_models_csv(report, boards):
    models = pd.read_csv(paths.DATA_DIR / "models.csv", dtype=str, keep_default_na=False)
    meta = models.set_index("model_id")
    scores = pd.read_csv(paths.DATA_DIR / "scores.csv")
    tasks = pd.read_csv(paths.DATA_DIR / "tasks.csv").set_index("task_id")
    scores["modality"] = scores["task_id"].map(tasks["modality"])
    has_values = scores[scores["supported"]].groupby("model_id")["modality"].agg(set)
    table = tables(report / "boards" / "A-full.html")["board-A-full"]
    assert table["rows"]
    for r in table["rows"]:
        model = r["cells"][3]["links"][0]["href"].split("/")[-1].removesuffix(".html")
        m = meta.loc[model]
        a = r["attrs"]
        assert a["data-group"] == (m["group"] or "unknown")
        assert a["data-base"] == (m["backbone_lineage"] or "unknown")
        # Table 4's declared modalities; for a model without them, those it has values in
        declared = set(m["modalities"].split(";")) if m["modalities"] else has_values[model]
        assert a["data-mod"].split() == [x for x in ("Image", "Video", "Audio", "3D")
                                         if x in declared]
        size = float(m["params_b"]) if m["params_b"] else None
        expected = ("unknown" if size is None else "0-3" if size <= 3 else "3-10" if size <= 10
                    else "10-30" if size <= 30 else "30-100" if size <= 100 else "100-")
        assert a["data-size"] == expected
    form = [a for t, a in tags(report / "index.html") if t in ("select", "input")]
    assert {a.get("name") for a in form} >= {"mod", "size", "group", "base"}


def test_model_page_values_per_task(report):
    """Raw values, SoTA and win/loss per task, checked against data/ read directly
    (a win: at least as good as the SoTA in the metric's direction). RMSE is
    lower-is-better whatever the paper prints: data/tasks.csv keeps NLP-061 (RMSE)
    printed "higher" (direction_printed), the scorer maps it as lower, and the
    page says both."""
    scores = pd.read_csv(paths.DATA_DIR / "scores.csv")
    tasks = pd.read_csv(paths.DATA_DIR / "tasks.csv").set_index("task_id")
    tasks.loc[tasks["metric"] == "RMSE", "direction"] = "lower"
    for model in ("vitron-v1", "vidagent", "motiongpt-llama"):
        mine = scores[(scores["model_id"] == model) & scores["value"].notna()]
        table = tables(report / page_name(model))["tasks"]
        assert len(table["rows"]) == len(mine), model
        shown = {r["cells"][0]["text"]: r for r in table["rows"]}
        head = table["headers"]
        for t in mine.itertuples():
            row = shown[t.task_id]["cells"]
            sota = float(tasks.loc[t.task_id, "sota"])
            assert float(row[head.index("Value")]["attrs"]["data-v"]) == pytest.approx(t.value)
            assert float(row[head.index("SoTA")]["attrs"]["data-v"]) == pytest.approx(sota)
            better = t.value >= sota if tasks.loc[t.task_id, "direction"] == "higher" \
                else t.value <= sota
            assert (row[head.index("Result")]["text"] == "win") == better, (model, t.task_id)
    rmse = {r["cells"][0]["text"]: r for r in tables(report / page_name("vitron-v1"))["tasks"][
        "rows"]}["NLP-061"]["cells"][4]["text"]
    assert rmse == "RMSE (↓ scored; the paper prints higher)"
    page = report / page_name("motiongpt-llama")
    flagged = [r for r in tables(page)["tasks"]["rows"] if r["cells"][11]["text"]]
    assert flagged  # MotionGPT runs tasks whose SoTA the audit flags (3G-020, 3G-022)


def test_model_page_shows_the_level_table_once(report):
    for model in ("vitron-v1", "vidagent"):
        page = (report / page_name(model)).read_text()
        heads = re.findall(r"<thead><tr>(.*?)</tr></thead>", page)
        level_tables = [h for h in heads if all(f">Level-{k}<" in h for k in range(2, 6))]
        assert len(level_tables) == 1, model


def test_level_colours_and_coverage(report):
    text_ = (report / "index.html").read_text()
    cells = re.findall(r'<td class="lv" data-v="(\d)" style="background:(#[0-9A-Fa-f]{6});', text_)
    assert cells
    assert {(lv, colour) for lv, colour in cells} <= {
        (name[-1], colour) for name, colour in LEVEL_COLORS.items()}
    # Vitron-V1's image coverage, counted from data/scores.csv directly.
    scores = pd.read_csv(paths.DATA_DIR / "scores.csv")
    tasks = pd.read_csv(paths.DATA_DIR / "tasks.csv")
    image = set(tasks.loc[tasks["modality"] == "Image", "task_id"])
    mine = scores[(scores["model_id"] == "vitron-v1") & scores["task_id"].isin(image)]
    page = (report / page_name("vitron-v1")).read_text()
    assert f">{int(mine['supported'].sum())}/{len(image)} (" in page


def test_model_page_holds_the_explanation(report):
    bench = load_paper()
    for model in ("vitron-v1", bench.models[0]):
        result = explain(bench, model)
        page = (report / page_name(model)).read_text()
        assert html.escape(result["why"], quote=False) in page
        assert "Wins per modality and paradigm" in page and "Next level" in page
        assert "Under noise" in page and "P(Level &gt;= 5)" in page
        assert f">{result['supported']}/{result['tasks']} (" in page


def test_one_page_per_model_and_every_link_resolves(report):
    models = pd.read_csv(paths.DATA_DIR / "scores.csv")["model_id"].unique()
    for model in models:
        assert (report / page_name(model)).is_file(), model
    pages = {p.resolve(): tags(p) for p in sorted(report.rglob("*.html"))}
    ids = {p: {a["id"] for _, a in found if "id" in a} for p, found in pages.items()}
    checked = 0
    for page, found in pages.items():
        for tag, attrs in found:
            href = attrs.get("href", "")
            if tag == "a" and href and not href.startswith(("#", "http:", "https:")):
                target = (page.parent / href.split("#")[0]).resolve()
                assert target.is_file() and target.is_relative_to(report.resolve()), \
                    f"{page.name}: {href}"
                if "#" in href:
                    assert href.split("#", 1)[1] in ids[target], href
                checked += 1
    assert checked > 1000


def test_offline_no_request_to_any_host(report):
    """Every resource a page loads is embedded (``data:``) or a file of the report."""
    for page in sorted(report.rglob("*.html")):
        page_text = page.read_text(encoding="utf-8")
        for tag, attrs in tags(page):
            for attr in ("src", "href", "data"):
                value = attrs.get(attr, "")
                if tag == "a" or not value or value.startswith(("data:", "#")):
                    continue  # a link is a request only when a reader follows it
                assert "//" not in value and ":" not in value, (page, tag, value)
                target = (page.parent / value).resolve()
                assert target.is_file() and target.is_relative_to(report.resolve()), (page, value)
        assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", page_text), page.name
    for name in STATIC_FILES:
        style = (report / "static" / name).read_text(encoding="utf-8")
        assert not re.search(r"@import|url\(|https?://", style), name


def test_static_files_are_the_package_files_and_every_page_uses_them(report):
    package = Path(glscore.report.__file__).parent
    for name in STATIC_FILES:
        assert (report / "static" / name).read_bytes() == (package / "static" / name).read_bytes()
    for page in [report / "index.html", report / page_name("vitron-v1"),
                 report / "boards" / "A-full.html"]:
        found = tags(page)
        root = "" if page.parent == report else "../"
        assert ("link", {"rel": "stylesheet", "href": f"{root}static/report.css"}) in found
        assert ("script", {"src": f"{root}static/report.js"}) in found
        assert "<style>" not in page.read_text()


def test_the_report_scores_once(paper_report):
    """One scoring pass of the benchmark feeds every board, every model page
    and the downloads; the only other pass scores a different benchmark: the
    tasks without the audit-flagged SoTAs, for explain's move that avoids them.
    (The shared build, tests/conftest.py, recorded every pass it ran.)"""
    from glscore.analysis.audit import flagged_sota

    bench = load_paper()
    flagged = flagged_sota(score_detailed(bench))
    assert flagged, "the paper data have audit-flagged SoTA tasks"
    assert sorted(paper_report.passes) == sorted([len(bench.tasks),
                                                  len(bench.tasks) - len(flagged)])


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
    out = tmp_path / "out"
    build(out, bench=bench, notebooks_dir=no_notebooks(tmp_path))
    for page in sorted(out.rglob("*.html")):
        found = tags(page)
        assert [a for t, a in found if t == "script"] == [
            {"src": ("" if page.parent == out else "../") + "static/report.js"}]
        assert not any(k.startswith("on") for _, a in found for k in a), page
        assert not any(a.get("href", "").startswith("javascript") for _, a in found), page
    index = text(out / "index.html")
    for name in names:
        assert name in index.data, name
    model_page = text(out / page_name("m3"))
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


def test_writes_only_in_its_folder_and_drops_stale_files(tmp_path):
    out = tmp_path / "out"
    from glscore.core.benchmark import Benchmark

    bench = Benchmark.from_rows([("IC-001", "Acc", "higher", 50.0),
                                 ("NLP-001", "Acc", "higher", 50.0)], [[60.0, 55.0]],
                                models=("m1",), skill_group_id=["I-C-1", "L-1"],
                                skill_short_name=["a", "b"])
    build(out, bench=bench, notebooks_dir=no_notebooks(tmp_path),
          options=Options(settings=None))    # a report is there: its stale files may go
    (out / "models" / "gone.html").write_text("stale")
    (out / "downloads" / "boards" / "gone.csv").write_text("stale")
    (out / "changes.html").write_text("stale: no --diff this time")
    (out / "mine.txt").write_text("kept")
    build(out, bench=bench, notebooks_dir=no_notebooks(tmp_path),
          options=Options(settings=None))
    assert not (out / "models" / "gone.html").exists()
    assert not (out / "downloads" / "boards" / "gone.csv").exists()
    assert not (out / "changes.html").exists()
    assert (out / "mine.txt").read_text() == "kept"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["no-notebooks", "out"]


def test_without_uncertainty_the_boards_have_no_interval_columns(tmp_path):
    from glscore.core.benchmark import Benchmark

    bench = Benchmark.from_rows([("IC-001", "Acc", "higher", 50.0),
                                 ("NLP-001", "Acc", "higher", 50.0)],
                                [[60.0, 55.0], [40.0, 45.0]], models=("m1", "m2"),
                                skill_group_id=["I-C-1", "L-1"], skill_short_name=["a", "b"])
    out = tmp_path / "out"
    build(out, bench=bench, notebooks_dir=no_notebooks(tmp_path), options=Options(settings=None))
    board = tables(out / "boards" / "A-full.html")["board-A-full"]
    assert board["headers"][:4] == ["Rank", "Model", "Level", "Score"]
    assert "95% rank interval" not in board["headers"]
    assert "No notebooks found." in text(out / "index.html").data  # an empty folder
    assert not math.isnan(float(board["rows"][0]["cells"][0]["attrs"]["data-v"]))


def test_report_results_marks_your_models_on_every_board_they_qualify_for(tmp_path, capsys):
    """`glscore report --results` with a harness output and its mapping: the
    imaginary model of examples/ is on the boards of the tasks it has values
    for, marked "yours" (origin input) and "proxy" where its values are
    proxies (the mapping says so), beside the paper's models."""
    from glscore.cli import main

    out = tmp_path / "report"
    code = main(["report", "--out", str(out), "--results", str(paths.REPO_ROOT / "examples" / "lm-eval"),
        "--mapping", str(paths.REPO_ROOT / "examples" / "lm-eval-mapping.csv"),
                 "--draws", "20", "--notebooks", str(no_notebooks(tmp_path))])
    assert code == 0 and capsys.readouterr().out.startswith("report: ")
    mapping = pd.read_csv(paths.REPO_ROOT / "examples" / "lm-eval-mapping.csv", skiprows=1)
    cells = pd.read_csv(out / "downloads" / "scores.csv")
    mine = cells[cells["origin"] == "input"]
    assert set(mine["task_id"]) <= set(mapping["task_id"]) and len(mine)
    assert mine["proxy"].tolist() == [
        mapping.set_index("task_id").loc[t, "provenance"] == "proxy" for t in mine["task_id"]]
    models = pd.read_csv(out / "downloads" / "models.csv")
    yours = set(models.loc[models["origin"] == "input", "model"])
    assert yours == set(mine["model"]) and len(models) == len(yours) + 102
    board = tables(out / "boards" / "A-full.html")["board-A-full"]
    marked = [c for c in column(board, "Model")
              if any("mk-input" in s.get("class", "") for s in c["spans"])]
    assert len(marked) == len(yours)
    assert all(any("mk-proxy" in s.get("class", "") for s in c["spans"]) for c in marked)
    assert "only your models" in text(out / "index.html").data


def test_scope_a_page_shows_the_hybrid_and_complete_case_views(report):
    """The hybrid view (published per-modality levels fill the modalities without
    per-task data; Mini-Gemini, without any Appendix B row, appears) and the
    complete-case view, labelled, marked, downloadable."""
    run = score_detailed(load_paper())
    hybrid = scope_tables(run, "A", view="hybrid")[0]
    complete = scope_tables(run, "A", view="complete-case")[0]
    page = report / "boards" / "A-full.html"
    found = tables(page)
    shown = found["board-A-full-hybrid"]
    models = column(shown, "Model")
    assert len(models) == len(hybrid.table)
    for r, cell in zip(hybrid.table.to_dict("records"), models, strict=True):
        marks = _marks(cell)
        assert ("mk-filled" in marks) == (r["filled_from_paper"] != ""), r["name"]
        assert "mk-nodata" not in marks  # filled, not counted as unsupported, in this view
    mini = next(c for c in models if c["text"].startswith("Mini-Gemini"))
    assert mini["links"] == []  # no page: the paper prints it, Appendix B has no row
    assert len(found["board-A-full-complete-case"]["rows"]) == len(complete.table)
    words = text(page).data
    assert "hybrid: modalities without per-task data filled from the published Tables" in words
    assert f"{complete.excluded} models left out" in words
    for view in ("hybrid", "complete-case"):
        frame = pd.read_csv(report / "downloads" / "boards" / f"A-full-{view}.csv")
        assert (frame["view"] == view).all()


def test_two_models_on_one_page_are_an_error(tmp_path, monkeypatch):
    """`a/b` and `a_b` get pages of their own (the hashed name of
    report/names.py); were two models ever to share a page, the build refuses,
    naming both, before anything is written."""
    from glscore.core.benchmark import Benchmark
    from glscore.errors import InputError
    from glscore.report import names

    assert names.page_name("a/b") != names.page_name("a_b")
    bench = Benchmark.from_rows([("IC-001", "Acc", "higher", 50.0)], [[60.0], [40.0]],
                                models=("a/b", "a_b"), skill_group_id=["I-C-1"],
                                skill_short_name=["x"])
    monkeypatch.setattr(names, "page_name", lambda model: "models/a_b.html")
    with pytest.raises(InputError, match=re.escape(
            "models 'a/b' and 'a_b' would both be written to 'models/a_b.html'")):
        build(tmp_path / "out", bench=bench, notebooks_dir=no_notebooks(tmp_path),
              options=Options(settings=None))
    assert not (tmp_path / "out").exists()
