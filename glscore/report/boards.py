"""A board as the report shows it: rows with marks, rank intervals as bars,
the tie bracket with #1, and the board's words (its tasks, how it is ranked).

Inputs are a ranked board (:class:`~glscore.analysis.leaderboard.BoardTable`)
and, when the uncertainty was simulated, its tidy frame and facts
(:mod:`glscore.analysis.uncertainty`: same models, same order). Per row:

* the **rank interval** ``[rank_lo, rank_hi]`` drawn as a bar over the board's
  ranks ``1..n`` (left edge ``(lo - 1) / n``, width ``(hi - lo + 1) / n``) with
  a dot at the rank shown, in the colour of the level reached;
* the **tie bracket**: rows whose interval includes 1 (``tied_with_first``)
  joined by a bracket, labelled ``tied #1``;
* a **separation line** above a row whose upper neighbour is distinguishable
  from it: the upper model's lower bound of (level, score) beats this model's
  upper bound (:func:`glscore.analysis.uncertainty.summary.beats`, the test
  behind ``distinguishable_adjacent`` and the conservative rank).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from glscore.analysis.leaderboard import VIEW_LABELS, BoardTable
from glscore.analysis.uncertainty.findings import finding_board, method_phrase
from glscore.analysis.uncertainty.summary import beats
from glscore.cli.commands.common import frame_rows
from glscore.figures.style import LEVEL_COLORS
from glscore.report import names
from glscore.report.cells import (
    Cell,
    Row,
    coverage_cell,
    heat_cell,
    level_cell,
    link_cell,
    number_cell,
    rank_of,
    row,
    table,
    text_cell,
)
from glscore.report.marks import present, row_marks

SCOPE_TITLES: dict[str, str] = {
    "A": "Scope-A: full spectrum (Levels 2-5)",
    "B": "Scope-B: one modality, or a combination (Levels 2-4)",
    "C": "Scope-C: comprehension or generation of one modality (Levels 2-3)",
    "D": "Scope-D: one skill group (Levels 2-3)",
}
#: Models in a board page's pairwise heatmap.
PAIRWISE_TOP = 12


@dataclass(frozen=True)
class BoardView:
    """A ranked board with its uncertainty (``frame`` and ``facts`` of
    :mod:`glscore.analysis.uncertainty`, ``None`` when not simulated) and its
    pairwise matrix (``pairwise``: P(row ranks above column) of the top models)."""

    ranked: BoardTable
    frame: pd.DataFrame | None = None
    facts: Mapping[str, Any] | None = None
    pairwise: pd.DataFrame | None = None

    @cached_property
    def rows(self) -> list[dict[str, Any]]:
        """The board's rows as dicts (ranked, then listed below), read once
        for every page that shows them; not to be modified."""
        return frame_rows(self.ranked.table)

    @cached_property
    def uncertainty_rows(self) -> dict[str, dict[str, Any]]:
        """The uncertainty frame's rows by model id (none when not simulated)."""
        return {} if self.frame is None else {str(x["model"]): x
                                              for x in frame_rows(self.frame)}

    @cached_property
    def n_ranked(self) -> int:
        """How many models the board ranks (every model page names it)."""
        return len(self.ranked.ranked_table)

    @cached_property
    def marks(self) -> set[str]:
        """The codes of the marks some row of the board carries."""
        return present(self.rows)

    def __post_init__(self) -> None:
        if self.frame is not None and list(self.frame["model"]) != list(
                self.ranked.ranked_table["model"]):
            raise ValueError(f"board '{self.ranked.board.name}': the uncertainty frame lists "
                             "other models than the board ranks")


# ------------------------------------------------------------------ words
def denominator(ranked: BoardTable) -> str:
    """What the board's task count counts (the one denominator of its coverage).

    Scope-A: ``699 tasks: 584 modality tasks and 115 NLP tasks (NLP enters
    through S_L of Level-5)``; other scopes name the tasks' modality, pair or
    skill group."""
    board = ranked.board
    n = board.n_tasks
    if board.scope == "A":
        modal = int(np.asarray(board.mask, dtype=bool).sum())
        return (f"{n} tasks: {modal} modality tasks and {n - modal} NLP tasks (NLP enters "
                "through S_L of Level-5)")
    what = {"B": f"the {' + '.join(board.modalities)} tasks",
            "C": f"the {board.name} tasks",
            "D": f"the tasks of skill group {board.name}"}[board.scope]
    return f"{n} tasks: {what}"


def left_off(ranked: BoardTable) -> str:
    """The models the board does not list, as a clause (empty when none)."""
    k = ranked.left_off
    if not k:
        return ""
    text = (f"{k} model{'s' if k != 1 else ''} supporting none of these tasks "
            f"{'are' if k != 1 else 'is'} not listed")
    if ranked.left_off_no_task_data:
        text += (f" ({ranked.left_off_no_task_data} of them with a published level here but "
                 "no per-task data)")
    return text


def ranking_example(table: pd.DataFrame) -> tuple[pd.Series, pd.Series] | None:
    """The first adjacent pair of a board where the upper row has the lower
    score (it reached a higher level), or ``None``."""
    level = table["level"].to_numpy()
    score = table["score"].to_numpy(dtype=float)
    hits = np.flatnonzero((level[:-1] > level[1:]) & (score[:-1] < score[1:]))
    if not len(hits):
        return None
    k = int(hits[0])
    return table.iloc[k], table.iloc[k + 1]


def how_ranked(view: BoardView) -> str:
    """How the board is ranked and what Score means, with this board's
    example of a lower score above a higher one when there is one."""
    cap = view.ranked.board.cap
    text = (f"How this board is ranked: by the level reached first (the highest Level-k, up to "
            f"Level-{cap}, with a non-zero score), then by Score, the model's score at that "
            "level (0-100), then by its score one level below, then by name. Scores at "
            "different levels are different quantities, so a higher level ranks first "
            "whatever its score")
    pair = ranking_example(view.ranked.ranked_table)
    if pair is not None:
        upper, lower = pair
        text += (f": here {upper['name']} (Level-{int(upper['level'])}, "
                 f"{float(upper['score']):.2f}) ranks above {lower['name']} "
                 f"(Level-{int(lower['level'])}, {float(lower['score']):.2f})")
    text += "."
    if view.ranked.listed_below:
        text += (f" Only models supporting at least {view.ranked.min_coverage:.0%} of the "
                 f"board's tasks are ranked (the coverage policy); {view.ranked.listed_below} "
                 "are listed below them, unranked.")
    if view.facts is not None:
        text += (" Rank (UB) is the conservative rank: 1 + the number of models whose lower "
                 "bound of (level, score) beats this model's upper bound (95% bounds).")
    return text


def uncertainty_words(view: BoardView) -> dict[str, str] | None:
    """The method (draws, seed, sources, noise) and the finding on ties and
    separated pairs, as glscore's findings build them."""
    if view.facts is None or view.frame is None:
        return None
    return {"method": method_phrase(view.facts),
            "finding": finding_board(view.frame, view.facts)}


# ------------------------------------------------------------------ cells
def interval_cell(lo: int, hi: int, rank: int, n: int, level: int) -> Cell:
    """A rank interval as a bar over the ranks ``1..n`` with a dot at ``rank``."""
    n = max(int(n), 1)
    return {"kind": "interval", "text": f"{lo}–{hi}", "sort": f"{lo}.{hi:06d}",
            "left": round((lo - 1) / n * 100, 3), "width": round((hi - lo + 1) / n * 100, 3),
            "dot": round((rank - 0.5) / n * 100, 3), "colour": LEVEL_COLORS[f"Level-{level}"],
            "title": f"95% rank interval {lo}-{hi} of {n}; rank {rank}"}


def tie_cells(tied: np.ndarray) -> list[Cell]:
    """The tie-bracket cells of a board's rows: ``tied`` (interval includes 1)
    rows in contiguous runs, each run with its top and bottom cap."""
    tied = np.asarray(tied, dtype=bool)
    if not len(tied):
        return []
    before = np.concatenate([[False], tied[:-1]])
    after = np.concatenate([tied[1:], [False]])
    cells = []
    for on, top, bottom in zip(tied, ~before, ~after, strict=True):
        cls = " ".join(c for c, want in (("tie", on), ("tie-top", on and top),
                                          ("tie-bottom", on and bottom)) if want)
        cells.append({"kind": "tie", "cls": cls, "text": "tied #1" if on else "",
                      "sort": "1" if on else "0"})
    return cells


def separated_above(frame: pd.DataFrame) -> np.ndarray:
    """Per row, whether the row above is distinguishable from it (False for the first)."""
    hi_level = frame["bound_hi_level"].to_numpy()
    hi_score = frame["bound_hi_score"].to_numpy(dtype=float)
    lo_level = frame["bound_lo_level"].to_numpy()
    lo_score = frame["bound_lo_score"].to_numpy(dtype=float)
    if not len(frame):
        return np.zeros(0, dtype=bool)
    sep = beats(lo_level[:-1], lo_score[:-1], hi_level[1:], hi_score[1:])
    return np.concatenate([[False], np.asarray(sep, dtype=bool)])


def model_cell(href: str | None, name: str, marks: Sequence[Mapping[str, str]]) -> Cell:
    """A model's name with its marks; a link to its page when it has one
    (``href``; a model only the published tables hold has none)."""
    return {"kind": "model", "href": href, "text": name, "marks": list(marks)}


# ------------------------------------------------------------------ board
def headers(view: BoardView, full: bool) -> tuple[list[str], list[int]]:
    """The column headers of a board's table and the text (left-aligned) columns."""
    cap = view.ranked.board.cap
    levels = [f"Level-{k}" for k in range(2, cap + 1)]
    tail = levels + [f"Coverage (of {view.ranked.board.n_tasks})", "Wins"]
    if view.frame is None:
        return ["Rank", "Model", "Level", "Score"] + tail, [1]
    head = ["Tie", "Rank", "Rank (UB)", "Model", "Level", "Score", "95% rank interval"]
    if full:
        head += ["P(first)", "Score 95%"] + [f"P(≥L{k})" for k in range(2, cap + 1)]
    return head + tail, [0, 3, 6]


def board_rows(view: BoardView, root: str, full: bool,
               published: Mapping[str, Sequence[Mapping[str, Any]]],
               facets: Mapping[str, Mapping[str, str]]) -> list[Row]:
    """One row per model the board lists: the ranked ones, then those the
    coverage policy lists below unranked (no rank, no interval: the
    uncertainty simulates the ranked rows only; see the module docstring).
    ``root`` is the relative path to the report's top from the page the board
    is on. Models without ``facets`` (those only the published tables hold)
    have no page."""
    cap = view.ranked.board.cap
    n = view.n_ranked
    u = view.frame
    simulated: dict[str, tuple[dict[Any, Any], Cell, bool]] = {}
    if u is not None:
        ties = tie_cells(u["rank_lo"].to_numpy() == 1)
        sep = separated_above(u)
        for x, tie, separated in zip(view.uncertainty_rows.values(), ties, sep, strict=True):
            simulated[str(x["model"])] = (x, tie, bool(separated))
    out = []
    for r in view.rows:
        has_page = str(r["model"]) in facets
        model = model_cell(root + names.page_name(r["model"]) if has_page else None,
                           str(r["name"]), row_marks(r, published))
        tail = ([number_cell(float(r[f"level{k}"])) for k in range(2, cap + 1)]
                + [coverage_cell(int(r["supported"]), int(r["tasks"]), short=True),
                   number_cell(int(r["wins"]))])
        rank = rank_of(r["rank"])
        separated = False
        if u is None:
            cells = [number_cell(rank), model, level_cell(r["level"]),
                     number_cell(float(r["score"]))]
        elif str(r["model"]) in simulated and rank is not None:
            x, tie, separated = simulated[str(r["model"])]
            cells = [{**tie, "sep": separated}, number_cell(rank),
                     number_cell(int(x["rank_conservative"])),
                     model, level_cell(r["level"]), number_cell(float(r["score"])),
                     interval_cell(int(x["rank_lo"]), int(x["rank_hi"]), rank, n,
                                   int(r["level"]))]
            if full:
                cells += [number_cell(float(x["p_first"])),
                          text_cell(f"{x['score_lo']:.2f}–{x['score_hi']:.2f}",
                                    repr(float(x["score_lo"])))]
                cells += [number_cell(float(x[f"p_level{k}"])) for k in range(2, cap + 1)]
        else:  # listed below, unranked: no rank, no interval
            cells = [{"kind": "tie", "cls": "", "text": "", "sort": "0", "sep": False},
                     number_cell(None), number_cell(None), model, level_cell(r["level"]),
                     number_cell(float(r["score"])), text_cell("unranked", "")]
            if full:
                cells += [number_cell(None), text_cell("", "")]
                cells += [number_cell(None) for _ in range(2, cap + 1)]
        attrs = dict(facets.get(str(r["model"]), {}))
        if r.get("origin") == "input":
            attrs["data-origin"] = "input"
        out.append(row(cells + tail, attrs, "sep" if separated else ""))
    return out


def board(view: BoardView, root: str, full: bool,
          published: Mapping[str, Sequence[Mapping[str, Any]]],
          facets: Mapping[str, Mapping[str, str]]) -> dict[str, Any]:
    """A board's section (:data:`templates/_board.html.j2`): names, words, the
    table, the tie group and the separated pairs."""
    ranked = view.ranked
    b = ranked.board
    head, text_columns = headers(view, full)
    best = ranked.summary()
    facts = view.facts
    ident = names.board_id(b, ranked.view)
    return {
        "id": ident, "key": names.board_key(b), "scope": b.scope, "name": b.name,
        "view": None if ranked.view == "recomputed" else VIEW_LABELS[ranked.view],
        "view_name": ranked.view,
        "href": root + names.board_page(b),
        "csv": root + names.board_download(b, "csv", ranked.view),
        "json": root + names.board_download(b, "json", ranked.view),
        "denominator": denominator(ranked), "cap": b.cap,
        "ranked": view.n_ranked, "listed_below": ranked.listed_below,
        "min_coverage": f"{ranked.min_coverage:.0%}",
        "left_off": left_off(ranked), "how": how_ranked(view),
        "best": best["best"], "best_level": best["level"],
        "best_score": None if best["score"] is None else f"{best['score']:.2f}",
        "tied": None if facts is None else list(facts["tied_with_first"]),
        "separated": None if facts is None else int(facts["distinguishable_adjacent"]),
        "pairs": None if facts is None else int(facts["adjacent_pairs"]),
        "words": uncertainty_words(view),
        "table": table(head, board_rows(view, root, full, published, facets),
                       table_id=ident, board=True, text_columns=text_columns),
        "excluded": ranked.excluded, "filled": ranked.filled,
    }


def heatmap(p: pd.DataFrame) -> dict[str, Any]:
    """P(row ranks above column) for a board's top models as a table of
    coloured, printed probabilities (rows and columns in rank order)."""
    labels = [f"#{k + 1}" for k in range(len(p))]
    rows = [[text_cell(f"#{k + 1} {name}")] + [heat_cell(None if np.isnan(v) else float(v))
                                               for v in values]
            for k, (name, values) in enumerate(zip(p.index, p.to_numpy(), strict=True))]
    return table(["P(row ranks above column)"] + labels, rows, sortable=False,
                 table_id="pairwise-matrix", text_columns=(0,), classes="heat",
                 caption=f"P(row ranks above column) over the draws, top {len(p)} models")


def scope_d_summary(views: Sequence[BoardView], root: str) -> dict[str, Any]:
    """Scope-D (one board per skill group) in one table: a line per board with
    its best model, the tie group with #1 and a link to the board's page."""
    rows = []
    for v in views:
        s = v.ranked.summary()
        tied = None if v.facts is None else len(v.facts["tied_with_first"])
        p_first = None if v.frame is None or not len(v.frame) else float(v.frame["p_first"].iloc[0])
        rows.append([link_cell(root + names.board_page(v.ranked.board), v.ranked.board.name),
                     number_cell(v.ranked.board.n_tasks), number_cell(s["ranked"]),
                     text_cell(s["best"] or "none"),
                     level_cell(s["level"]) if s["level"] is not None else text_cell(""),
                     number_cell(s["score"]), number_cell(tied), number_cell(p_first)])
    return table(["Board (skill group)", "Tasks", "Ranked", "Best", "Level", "Score",
                  "Tied with #1", "P(first) of #1"], rows, table_id="scope-d-summary",
                 text_columns=(0, 3))
