"""What each page of the report shows, as plain dicts for the templates.

Small pure functions: results in (boards and their uncertainty, explanation
records, the pass as tables), dicts of text and numbers out; no HTML. The
templates (``templates/*.html.j2``) decide the markup and escape every value
(autoescaping is on), so a model name is text wherever it lands. The cells
and tables are those of :mod:`glscore.report.cells`, the boards those of
:mod:`glscore.report.boards`, the marks and filters those of
:mod:`glscore.report.marks`; every link comes from :mod:`glscore.report.names`.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from glscore.analysis.diff import Diff, cause_phrase, change_phrase
from glscore.analysis.scopes import SCOPES
from glscore.cli.commands.common import frame_rows
from glscore.report import marks, names
from glscore.report.boards import (
    SCOPE_TITLES,
    BoardView,
    board,
    heatmap,
    scope_d_summary,
)
from glscore.report.cells import (
    code_cell,
    coverage_cell,
    legend,
    level_cell,
    link_cell,
    number_cell,
    rank_of,
    row,
    table,
    text_cell,
)

#: Scopes whose boards the front page shows in full; the others (Scope-D: 123
#: boards) get one line per board there, and a page per board.
INLINE_SCOPES: tuple[str, ...] = ("A", "B", "C")


def setting(record: Mapping[str, Any]) -> dict[str, str]:
    """The scoring setting every page names: profile and synergy rule."""
    return {"profile": str(record["profile"]), "rule": str(record["rule"])}


def published_cells(records: Sequence[Mapping[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Per model id, its explanation's ``no_task_data`` cells (the published values)."""
    return {str(r["model"]): list(r["no_task_data"]) for r in records}


def shared(records: Sequence[Mapping[str, Any]], facets: Mapping[str, Mapping[str, str]],
           uncertainty: Mapping[str, Any] | None,
           views: Sequence[BoardView]) -> dict[str, Any]:
    """What every page with boards shows: the setting, the level legend, the
    legend of the marks its ``views`` carry, the filter choices, and the
    uncertainty settings (draws, seed)."""
    shown = set().union(*(v.marks for v in views))
    return {"setting": setting(records[0]), "swatches": legend(),
            "marks": marks.legend(shown), "filters": marks.filter_options(facets),
            "uncertainty": uncertainty}


def index(summary: Mapping[str, Any], records: Sequence[Mapping[str, Any]],
          views: Mapping[str, Sequence[BoardView]], models: pd.DataFrame,
          facets: Mapping[str, Mapping[str, str]], notebooks: Sequence[tuple[str, str]],
          uncertainty: Mapping[str, Any] | None, changes: bool = False) -> dict[str, Any]:
    """The front page: the boards of :data:`INLINE_SCOPES` in full, Scope-D in
    one line per board, the models, the downloads and the notebooks.

    ``summary`` holds ``n_models``, ``n_tasks``, ``source``, ``version`` and
    ``n_input`` (the user's models); ``models`` is
    :func:`glscore.analysis.cells.model_table`; ``notebooks`` is ``(stem,
    title)`` per notebook; ``uncertainty`` the draws/seed/level of the
    simulation (``None`` without one)."""
    published = published_cells(records)
    scopes = []
    for s in SCOPES:
        inline = s in INLINE_SCOPES
        scopes.append({
            "scope": s, "title": SCOPE_TITLES[s], "inline": inline,
            "boards": [board(v, "", False, published, facets) for v in views[s]] if inline
            else [],
            "summary": None if inline else scope_d_summary(views[s], ""),
            "n_boards": len(views[s]),
        })
    return {
        "title": "glscore: General-Level leaderboards", "root": "", **summary,
        **shared(records, facets, uncertainty, [v for s in SCOPES for v in views[s]]),
        "n_boards": sum(len(v) for v in views.values()),
        "scopes": scopes,
        "models": models_table(models, facets),
        "downloads": downloads(""),
        "changes": names.CHANGES_PAGE if changes else None,
        "notebooks": [{"href": f"notebooks/{stem}.html", "stem": stem, "title": title}
                      for stem, title in notebooks],
    }


def models_table(models: pd.DataFrame, facets: Mapping[str, Mapping[str, str]]
                 ) -> dict[str, Any]:
    """Every model: name (a link), id, origin, level, Level-2..5, coverage, and
    the metadata the filters use; sorted by name."""
    rows = []
    frame = models.assign(_key=models["name"].str.lower()).sort_values(["_key", "model"])
    for r in frame_rows(frame):
        origin = str(r.get("origin", "paper"))
        name_marks = [] if origin != "input" else [
            {"code": "input", "label": marks.MARKS["input"][0],
             "title": "Your model: " + marks.MARKS["input"][1] + "."}]
        cells = [{"kind": "model", "href": names.page_name(r["model"]), "text": str(r["name"]),
                  "marks": name_marks}, code_cell(str(r["model"])), level_cell(r["level"])]
        cells += [number_cell(float(r[f"level{k}"])) for k in range(2, 6)]
        cells += [coverage_cell(int(r["supported"]), int(r["tasks"])),
                  text_cell(str(r.get("group", "")) or "unknown"),
                  number_cell(float(r["params_b"]) if str(r.get("params_b", "")) else None, 1),
                  text_cell(str(r.get("backbone_lineage", "")) or "unknown")]
        attrs = dict(facets.get(str(r["model"]), {}))
        if origin == "input":
            attrs["data-origin"] = "input"
        rows.append(row(cells, attrs))
    return table(["Model", "id", "Level", "Level-2", "Level-3", "Level-4", "Level-5",
                  "Coverage (all tasks)", "Group", "Size (B)", "Base LLM"], rows,
                 table_id="models-table", board=True, text_columns=(0, 1, 8, 10))


def downloads(root: str) -> list[dict[str, str]]:
    """The whole-data downloads: name, what it holds, CSV and JSON links."""
    return [{"name": name, "what": what, "csv": root + names.data_download(name, "csv"),
             "json": root + names.data_download(name, "json")}
            for name, what in names.DATA_FILES.items()]


def board_page(view: BoardView, records: Sequence[Mapping[str, Any]],
               facets: Mapping[str, Mapping[str, str]],
               uncertainty: Mapping[str, Any] | None,
               others: Sequence[BoardView] = ()) -> dict[str, Any]:
    """A board's own page: the full table (P(first), the score interval,
    P(level >= k)), the words on its uncertainty, the pairwise heatmap, its
    downloads, and its ``others`` views (hybrid, complete-case)."""
    b = view.ranked.board
    published = published_cells(records)
    return {
        "title": f"Scope-{b.scope} board “{b.name}”", "root": "../",
        **shared(records, facets, uncertainty, [view, *others]),
        "b": board(view, "../", True, published, facets),
        "others": [board(v, "../", False, published, facets) for v in others],
        "heatmap": None if view.pairwise is None or len(view.pairwise) < 2
        else heatmap(view.pairwise),
        "scope_title": SCOPE_TITLES[b.scope],
    }


def placements(views: Mapping[str, Sequence[BoardView]]) -> dict[str, list[dict[str, Any]]]:
    """Per model, every board it is listed on: the view, its row of the board
    and of the uncertainty frame (``None`` without one)."""
    out: dict[str, list[dict[str, Any]]] = {}
    for scope in SCOPES:
        for v in views[scope]:
            extra = v.uncertainty_rows
            for r in v.rows:  # ranked rows and those listed below
                out.setdefault(str(r["model"]), []).append(
                    {"view": v, "row": r, "u": extra.get(str(r["model"]))})
    return out


def placement_table(placed: Sequence[Mapping[str, Any]]) -> dict[str, Any] | None:
    """A model's boards: board (a link to its page), rank, 95% interval, of,
    level, score, coverage, marks."""
    if not placed:
        return None
    rows = []
    for p in placed:
        v, r, x = p["view"], p["row"], p["u"]
        b = v.ranked.board
        interval = "" if x is None else f"{int(x['rank_lo'])}–{int(x['rank_hi'])}"
        rows.append([link_cell("../" + names.board_page(b), f"Scope-{b.scope} {b.name}"),
                     number_cell(rank_of(r["rank"])),
                     text_cell(interval, None if x is None else f"{int(x['rank_lo'])}"),
                     number_cell(v.n_ranked), level_cell(r["level"]),
                     number_cell(float(r["score"])),
                     coverage_cell(int(r["supported"]), int(r["tasks"])),
                     text_cell("; ".join(m["label"] for m in marks.row_marks(r)))])
    return table(["Board", "Rank", "95% rank interval", "of", "Level", "Score", "Coverage",
                  "Marks"], rows, table_id="placements", text_columns=(0, 2, 7))


def metric_label(metric: str, printed: str, scored: str) -> str:
    """``Acc (↑)``; where the direction the paper prints is not the one scored,
    both: ``RMSE (↓ scored; the paper prints higher)``."""
    arrow = "↑" if scored == "higher" else "↓"
    if printed == scored:
        return f"{metric} ({arrow})"
    return f"{metric} ({arrow} scored; the paper prints {printed})"


def task_rows(cells: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """A model's values, one row per task with a value (``cells``: its rows of
    :func:`glscore.analysis.cells.cell_table` as dicts): task, modality,
    paradigm, metric and direction, raw value, normalised, SoTA (raw,
    normalised), win or loss, credit, the audit's flag and a proxy mark."""
    rows = []
    for r in cells:
        result = "win" if r["win"] else ("loss" if r["supported"] else "not counted")
        rows.append([code_cell(str(r["task_id"])), text_cell(str(r["task_name"])),
                     text_cell(str(r["modality"])), text_cell(str(r["paradigm"])),
                     text_cell(metric_label(r["metric"], r["direction_printed"],
                                            r["scored_direction"])),
                     number_cell(float(r["value"]), 3), number_cell(float(r["normalised"])),
                     number_cell(float(r["sota"]), 3), number_cell(float(r["sota_normalised"])),
                     text_cell(result), number_cell(float(r["credit"])),
                     text_cell(str(r["flag"])),
                     text_cell("proxy" if r["proxy"] else "")])
    return table(["Task", "Name", "Modality", "Paradigm", "Metric", "Value", "Normalised",
                  "SoTA", "SoTA normalised", "Result", "Credit", "Audit flag on the SoTA",
                  "Proxy"], rows, table_id="tasks", board=True,
                 text_columns=(0, 1, 2, 3, 4, 9, 11, 12))


def model(record: Mapping[str, Any], placed: Sequence[Mapping[str, Any]], explanation: str,
          cells: Sequence[Mapping[str, Any]], info: Mapping[str, Any]) -> dict[str, Any]:
    """A model's page: its level table (once), marks, metadata, the
    explanation (``explanation``: HTML rendered from
    :func:`glscore.analysis.explain.explain_markdown` without its level
    table), every value per task, and every board it is on.

    ``cells`` are the model's rows of :func:`glscore.analysis.cells.cell_table`
    (as dicts), ``info`` its row of :func:`glscore.analysis.cells.model_table`."""
    overall = [[level_cell(record["level"])]
               + [number_cell(record["scores"][f"level{k}"]) for k in range(2, 6)]
               + [coverage_cell(int(record["supported"]), int(record["tasks"]))]]
    scope_a = next((p["row"] for p in placed if p["view"].ranked.board.scope == "A"), None)
    page_marks = marks.row_marks(scope_a if scope_a is not None else
                                 {"model": record["model"], "origin": info.get("origin")},
                                 published_cells([record]))
    meta = [(label, str(info.get(key, "") or "")) for key, label in (
        ("group", "Group"), ("params_b", "Size (billion parameters)"),
        ("backbone_lineage", "Base language model"), ("modalities", "Modalities (Table 4)"),
        ("citation", "Citation"))]
    return {
        "title": record["name"], "root": "../", "model": record["model"],
        "origin": str(info.get("origin", "paper")),
        "setting": setting(record), "swatches": legend(), "marks": page_marks,
        "metadata": [{"label": k, "value": v} for k, v in meta if v],
        "overall": table(["Level", "Level-2", "Level-3", "Level-4", "Level-5",
                          "Coverage (all tasks)"], overall, sortable=False),
        "explanation": explanation,
        "tasks": task_rows(cells),
        "n_values": len(cells), "n_tasks": int(record["tasks"]),
        "placements": placement_table(placed),
        "n_placements": len(placed),
    }


def changes(d: Diff, boards_here: Collection[str], models_here: Collection[str]
            ) -> dict[str, Any]:
    """The "what changed" page of :func:`glscore.analysis.diff.diff`: the
    summary and one table per kind of change (level, rank only, listed on one
    side only), each row with its causes. Boards and models of this report
    (``boards_here`` keys, ``models_here`` ids) are links."""
    records = d.records()

    def rows(kinds: tuple[str, ...]) -> list[list[dict[str, Any]]]:
        out = []
        for item in records:
            if item["change"] not in kinds:
                continue
            key = names.key_of(item["scope"], item["board"])
            label = f"Scope-{item['scope']} {item['board']}"
            model = str(item["model"])
            out.append([
                link_cell(names.page_of(key), label) if key in boards_here else text_cell(label),
                {"kind": "model", "href": names.page_name(model), "text": str(item["name"]),
                 "marks": []} if model in models_here else text_cell(str(item["name"])),
                text_cell(change_phrase(item)),
                text_cell(cause_phrase(item["causes"], limit=20).removeprefix("; causes: ")),
            ])
        return out

    head = ["Board", "Model", "Change (A -> B)", "Causes"]
    tables = [(title, table(head, rows(kinds), table_id=f"changes-{ident}", board=True,
                            text_columns=(0, 1, 2, 3)))
              for ident, title, kinds in (("level", "Level changed", ("level",)),
                                          ("rank", "Rank changed, level the same", ("rank",)),
                                          ("listed", "Listed on one side only",
                                           ("added", "removed")))]
    return {"title": "What changed", "root": "", "a": d.a, "b": d.b, "summary": d.summary(),
            "traced": d.traced,
            "tables": [{"title": t, "table": x, "n": len(x["rows"])} for t, x in tables]}


def notebook_title(path: Path) -> str:
    """The first line of a notebook's first Markdown cell, without ``#``; else its stem."""
    cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    for cell in cells:
        if cell.get("cell_type") == "markdown":
            first = "".join(cell.get("source", "")).strip().splitlines()
            if first:
                return first[0].lstrip("#").strip()
    return path.stem
