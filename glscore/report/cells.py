"""The cells and tables every report page draws, as plain dicts.

A table is ``{"id", "classes", "headers", "text_columns", "rows", "caption"}``;
a row is ``{"cells", "attrs", "cls"}`` (``attrs``: the ``data-*`` attributes
the filters read; ``cls``: CSS classes); a cell is a dict with a ``kind`` that
the function of its kind in :data:`glscore.report.render._CELLS` draws (HTML-escaped):

* ``number``: ``sort`` (the full-precision value the script sorts by) and
  ``text`` (two decimals for floats); empty where missing;
* ``level``: ``level``, ``name`` (``Level-k``), ``background`` (the level's
  house colour, :data:`glscore.figures.style.LEVEL_COLORS`) and ``colour``;
* ``coverage``: ``text`` (``supported/tasks (p%)``), ``sort`` and ``width``;
* ``link``: ``href`` and ``text``; ``code``: ``text`` in a code span;
  ``text``: plain text (``sort`` optional);
* ``model``: a link to the model's page with its marks (:mod:`.marks`);
* ``interval``: a rank interval drawn as a bar (:mod:`.boards`);
* ``tie``: the bracket of the tie group with #1 (:mod:`.boards`);
* ``heat``: a probability on a coloured background (the pairwise matrix).

A new column is one more cell kind here and one more entry in ``render._CELLS``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from glscore.core.table import missing
from glscore.figures.style import LEVEL_COLORS, OKABE_ITO

Cell = dict[str, Any]
Row = dict[str, Any]


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


def rank_of(value: Any) -> int | None:
    """A board row's rank, ``None`` for a row the coverage policy lists below
    unranked (its rank is ``<NA>``)."""
    return None if missing(value) else int(value)


def number_cell(value: float | int | None, decimals: int = 2) -> Cell:
    """A number (``decimals`` places for floats, integers as they are); empty where
    missing. ``sort`` keeps the full precision (``repr``) for the script."""
    if type(value) is float and value == value:  # the common case, told apart quickly
        return {"kind": "number", "sort": repr(value), "text": f"{value:.{decimals}f}"}
    if missing(value):
        return {"kind": "number", "sort": "", "text": ""}
    if isinstance(value, int | np.integer):
        return {"kind": "number", "sort": str(int(value)), "text": str(int(value))}
    number = float(value)  # type: ignore[arg-type]
    return {"kind": "number", "sort": repr(number), "text": f"{number:.{decimals}f}"}


def coverage_cell(supported: int, tasks: int, short: bool = False) -> Cell:
    """``supported/tasks (p%)`` (``short``: ``supported (p%)``, for a column whose
    header names the tasks) with a bar 4 rem wide at 100%; sorted by the fraction."""
    frac = supported / tasks if tasks else 0.0
    text = f"{supported} ({frac:.0%})" if short else f"{supported}/{tasks} ({frac:.0%})"
    return {"kind": "coverage", "sort": repr(frac), "text": text, "width": round(frac * 4, 2)}


def link_cell(href: str, text: str) -> Cell:
    return {"kind": "link", "href": href, "text": text}


def code_cell(text: str) -> Cell:
    return {"kind": "code", "text": text}


def text_cell(text: str, sort: str | None = None) -> Cell:
    return {"kind": "text", "text": text, "sort": sort}


def legend() -> list[Cell]:
    """The level colours, one swatch per level."""
    return [level_cell(int(name[-1])) for name in LEVEL_COLORS]


def row(cells: Sequence[Cell], attrs: Mapping[str, str] | None = None, cls: str = "") -> Row:
    """A table row: its cells, the ``data-*`` attributes, CSS classes."""
    return {"cells": list(cells), "attrs": dict(attrs or {}), "cls": cls}


def table(headers: Sequence[str], rows: Sequence[Sequence[Cell] | Row], *, table_id: str = "",
          sortable: bool = True, board: bool = False, text_columns: Sequence[int] = (),
          caption: str = "", classes: str = "") -> dict[str, Any]:
    """A table for ``_cells.html.j2``'s ``table`` macro, its rows drawn by
    :func:`glscore.report.render.rows_html` (rows given as lists of
    cells are wrapped by :func:`row`)."""
    names = [c for c, on in (("sortable", sortable), ("board", board)) if on]
    return {"id": table_id, "classes": " ".join(names + ([classes] if classes else [])),
            "headers": list(headers), "text_columns": list(text_columns), "caption": caption,
            "rows": [r if isinstance(r, dict) else row(r) for r in rows]}


#: The pairwise heatmap's scale: P = 0 vermillion, 0.5 white, 1 blue (Okabe-Ito).
HEAT_LOW, HEAT_MID, HEAT_HIGH = OKABE_ITO["vermillion"], "#FFFFFF", OKABE_ITO["blue"]


def blend(a: str, b: str, t: float) -> str:
    """``#RRGGBB`` a fraction ``t`` of the way from ``a`` to ``b`` (per channel, rounded).

    >>> blend("#000000", "#FFFFFF", 0.5)
    '#808080'
    """
    out = [round(int(a[i:i + 2], 16) + (int(b[i:i + 2], 16) - int(a[i:i + 2], 16)) * t)
           for i in (1, 3, 5)]
    return "#" + "".join(f"{c:02X}" for c in out)


def heat_cell(p: float | None) -> Cell:
    """A probability on the diverging scale (:data:`HEAT_LOW` at 0, white at 0.5,
    :data:`HEAT_HIGH` at 1); the value is printed, so the colour is never the
    only carrier. The diagonal (``None``) is an empty grey cell."""
    if p is None or missing(p):
        return {"kind": "heat", "text": "", "sort": "", "background": "#EEEEEE",
                "colour": "#000000"}
    colour = (blend(HEAT_MID, HEAT_HIGH, 2 * p - 1) if p >= 0.5
              else blend(HEAT_LOW, HEAT_MID, 2 * p))
    return {"kind": "heat", "text": f"{p:.2f}", "sort": repr(float(p)), "background": colour,
            "colour": text_colour(colour)}
