"""What each page of the report shows, as plain dicts for the templates.

Small pure functions: results in (board tables, explanation records), dicts
of text and numbers out; no HTML. The templates (``templates/*.html.j2``)
decide the markup and escape every value (autoescaping is on), so a model
name is text wherever it lands.

A table is ``{"id", "classes", "headers", "text_columns", "rows"}``; a row is a
list of cells, each a dict with a ``kind`` the template ``_cells.html.j2``
draws:

* ``number``: ``sort`` (the full-precision value the script sorts by) and
  ``text`` (two decimals for floats); empty where missing;
* ``level``: ``level``, ``name`` (``Level-k``), ``background`` (the level's
  house colour, :data:`glscore.figures.style.LEVEL_COLORS`) and ``colour``
  (black or white text, :func:`text_colour`);
* ``coverage``: ``text`` (``supported/tasks (p%)``), ``sort`` (the fraction)
  and ``width`` of its bar (rem);
* ``link``: ``href`` and ``text``; ``code``: ``text`` in a code span.

A new column is one more cell kind here and one more branch in the macro.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from glscore.analysis.leaderboard import BoardTable
from glscore.analysis.scopes import SCOPES
from glscore.figures.style import LEVEL_COLORS

Cell = dict[str, Any]

SCOPE_TITLES: dict[str, str] = {
    "A": "Scope-A: full spectrum (Levels 2-5)",
    "B": "Scope-B: one modality, or a combination (Levels 2-4)",
    "C": "Scope-C: comprehension or generation of one modality (Levels 2-3)",
    "D": "Scope-D: one skill group (Levels 2-3)",
}
#: Scope-D has one board per skill group (123): folded, one line each.
FOLDED_SCOPES: tuple[str, ...] = ("D",)


# ------------------------------------------------------------------ names
def board_id(ranked: BoardTable) -> str:
    """The HTML id of a board: ``board-B-Image+Video`` -> ``board-B-Image-Video``."""
    return f"board-{ranked.board.scope}-" + re.sub(r"[^A-Za-z0-9]+", "-",
                                                   ranked.board.name).strip("-")


def model_file(model: str) -> str:
    """The page of a model, relative to the report's top."""
    return f"models/{re.sub(r'[^A-Za-z0-9._-]', '_', model)}.html"


# ------------------------------------------------------------------ cells
def text_colour(background: str) -> str:
    """Black or white, whichever reads better on ``background`` (``#RRGGBB``):
    white where the relative luminance ``0.2126 R + 0.7152 G + 0.0722 B`` (sRGB
    linearised) is below 0.179, the point of equal contrast.

    >>> text_colour("#000000"), text_colour("#FFFFFF")
    ('#ffffff', '#000000')
    """
    channels = [int(background[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return "#ffffff" if luminance < 0.179 else "#000000"


def level_cell(level: int) -> Cell:
    """A ``Level-k`` cell in the level's house colour."""
    name = f"Level-{int(level)}"
    colour = LEVEL_COLORS[name]
    return {"kind": "level", "level": int(level), "name": name, "background": colour,
            "colour": text_colour(colour)}


def number_cell(value: float | int | None, decimals: int = 2) -> Cell:
    """A number (``decimals`` places for floats, integers as they are); empty where
    missing. ``sort`` keeps the full precision (``repr``) for the script."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return {"kind": "number", "sort": "", "text": ""}
    if isinstance(value, int):
        return {"kind": "number", "sort": str(value), "text": str(value)}
    return {"kind": "number", "sort": repr(value), "text": f"{value:.{decimals}f}"}


def coverage_cell(supported: int, tasks: int) -> Cell:
    """``supported/tasks (p%)`` with a bar 4 rem wide at 100%; sorted by the fraction."""
    frac = supported / tasks if tasks else 0.0
    return {"kind": "coverage", "sort": repr(frac), "text": f"{supported}/{tasks} ({frac:.0%})",
            "width": round(frac * 4, 2)}


def link_cell(href: str, text: str) -> Cell:
    return {"kind": "link", "href": href, "text": text}


def code_cell(text: str) -> Cell:
    return {"kind": "code", "text": text}


def legend() -> list[Cell]:
    """The level colours, one swatch per level."""
    return [level_cell(int(name[-1])) for name in LEVEL_COLORS]


def table(headers: Sequence[str], rows: Sequence[Sequence[Cell]], *, table_id: str = "",
          sortable: bool = True, board: bool = False,
          text_columns: Sequence[int] = ()) -> dict[str, Any]:
    """A table for ``_cells.html.j2``'s ``table`` macro."""
    classes = " ".join(c for c, on in (("sortable", sortable), ("board", board)) if on)
    return {"id": table_id, "classes": classes, "headers": list(headers),
            "text_columns": list(text_columns), "rows": [list(r) for r in rows]}


# ------------------------------------------------------------------ boards
def level_columns(ranked: BoardTable) -> list[str]:
    """``level2`` .. ``level<cap>``: the level columns a board shows."""
    return [f"level{k}" for k in range(2, ranked.board.cap + 1)]


def rank_of(value: Any) -> int | None:
    """A board row's rank, ``None`` for a row the coverage policy lists below unranked."""
    return None if value is None or value is pd.NA else int(value)


def board_rows(ranked: BoardTable) -> list[list[Cell]]:
    """One row per ranked model: rank, name (a link to its page), level, score,
    Level-2..cap, coverage, wins."""
    columns = level_columns(ranked)
    return [[number_cell(rank_of(r["rank"])), link_cell(model_file(r["model"]), r["name"]),
             level_cell(r["level"]), number_cell(float(r["score"]))]
            + [number_cell(float(r[k])) for k in columns]
            + [coverage_cell(int(r["supported"]), int(r["tasks"])), number_cell(int(r["wins"]))]
            for r in ranked.table.to_dict("records")]


def board(ranked: BoardTable) -> dict[str, Any]:
    """One board's section: id, scope, name, facts, the table, and for a folded
    board (:data:`FOLDED_SCOPES`) the best model in one line."""
    ident = board_id(ranked)
    headers = (["Rank", "Model", "Level", "Score"]
               + [f"Level-{c[-1]}" for c in level_columns(ranked)] + ["Coverage", "Wins"])
    best = ranked.summary()
    return {
        "id": ident, "scope": ranked.board.scope, "name": ranked.board.name,
        "tasks": ranked.board.n_tasks, "cap": ranked.board.cap, "ranked": len(ranked.table),
        "left_off": ranked.left_off, "folded": ranked.board.scope in FOLDED_SCOPES,
        "best": best["best"], "best_level": best["level"],
        "best_score": None if best["score"] is None else f"{best['score']:.2f}",
        "table": table(headers, board_rows(ranked), table_id=ident, board=True,
                                    text_columns=(1,)),
    }


# ------------------------------------------------------------------ pages
def setting(record: Mapping[str, Any]) -> dict[str, str]:
    """The scoring setting every page names: profile and synergy rule."""
    return {"profile": str(record["profile"]), "rule": str(record["rule"])}


def index(bench_summary: Mapping[str, Any], records: Sequence[Mapping[str, Any]],
          tables: Mapping[str, Sequence[BoardTable]],
          notebooks: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """The front page: every board of every scope, the models, the notebooks.

    ``bench_summary`` holds ``n_models``, ``n_tasks``, ``source`` and ``version``;
    ``notebooks`` is ``(stem, title)`` per notebook.
    """
    models = [[link_cell(model_file(r["model"]), r["name"]), code_cell(r["model"]),
               level_cell(r["level"])]
              + [number_cell(r["scores"][f"level{k}"]) for k in range(2, 6)]
              + [coverage_cell(int(r["supported"]), int(r["tasks"]))]
              for r in sorted(records, key=lambda r: (r["name"].lower(), r["model"]))]
    return {
        "title": "glscore: General-Level leaderboards", "root": "",
        **bench_summary,
        "setting": setting(records[0]),
        "n_boards": sum(len(t) for t in tables.values()),
        "swatches": legend(),
        "scopes": [{"scope": s, "title": SCOPE_TITLES[s], "boards": [board(t) for t in tables[s]]}
                   for s in SCOPES],
        "models": table(["Model", "id", "Level", "Level-2", "Level-3", "Level-4", "Level-5",
                         "Coverage"], models, table_id="models-table", text_columns=(0, 1)),
        "notebooks": [{"href": f"notebooks/{stem}.html", "stem": stem, "title": title}
                      for stem, title in notebooks],
    }


def placements(tables: Mapping[str, Sequence[BoardTable]]) -> dict[str, list[dict[str, Any]]]:
    """Per model, every board it is listed on: board, rank, of, level, score, coverage."""
    out: dict[str, list[dict[str, Any]]] = {}
    for scope in SCOPES:
        for t in tables[scope]:
            for r in t.table[["model", "rank", "level", "score", "supported",
                              "tasks"]].to_dict("records"):
                out.setdefault(r["model"], []).append(
                    {"table": t, "rank": rank_of(r["rank"]), "of": len(t.ranked_table),
                     "level": int(r["level"]), "score": float(r["score"]),
                     "supported": int(r["supported"]), "tasks": int(r["tasks"])})
    return out


def model(record: Mapping[str, Any], placed: Sequence[Mapping[str, Any]],
          explanation: str) -> dict[str, Any]:
    """A model's page: its level and coverage, the explanation (``explanation``:
    HTML rendered from :func:`glscore.analysis.explain.explain_markdown`), and
    every board it is on."""
    overall = [[level_cell(record["level"])]
               + [number_cell(record["scores"][f"level{k}"]) for k in range(2, 6)]
               + [coverage_cell(int(record["supported"]), int(record["tasks"]))]]
    rows = [[link_cell(f"../index.html#{board_id(p['table'])}-section",
                       f"Scope-{p['table'].board.scope} {p['table'].board.name}"),
             number_cell(p["rank"]), number_cell(p["of"]), level_cell(p["level"]),
             number_cell(p["score"]), coverage_cell(p["supported"], p["tasks"])]
            for p in placed]
    return {
        "title": record["name"], "root": "../", "model": record["model"],
        "setting": setting(record), "swatches": legend(),
        "overall": table(["Level", "Level-2", "Level-3", "Level-4", "Level-5", "Coverage"],
                         overall, sortable=False),
        "explanation": explanation,
        "placements": table(["Board", "Rank", "of", "Level", "Score", "Coverage"], rows,
                            table_id="placements", text_columns=(0,)) if rows else None,
        "n_placements": len(rows),
    }


def notebook_title(path: Path) -> str:
    """The first line of a notebook's first Markdown cell, without ``#``; else its stem."""
    import json

    cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    for cell in cells:
        if cell.get("cell_type") == "markdown":
            first = "".join(cell.get("source", "")).strip().splitlines()
            if first:
                return first[0].lstrip("#").strip()
    return path.stem
