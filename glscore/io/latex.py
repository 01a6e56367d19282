"""LaTeX tables in the style of the paper's leaderboards (booktabs).

:func:`latex_table` turns a frame into a ``tabular`` with ``\\toprule``,
``\\midrule`` and ``\\bottomrule`` (the ``booktabs`` package), wrapped in a
``table`` float when a caption is given. Cells are formatted as the paper
prints its level tables (Tables 12, 14, 16):

* scores with two decimals (``13.70``, ``0.00``), a minus sign in math mode
  (``$-$7750.00``);
* a level reached as ``Level-3``; ranks and counts as integers;
* a missing value (a level a board does not have, an unsupported cell) as
  ``--``;
* text escaped for LaTeX (``&``, ``%``, ``_``, ``#``, ``$``, ...), numeric
  columns right-aligned, text columns left-aligned.

:func:`reproduction_latex` lays out the published and recomputed level tables
(``glscore reproduce --format latex``) with it.

Column headers come from :data:`HEADERS` where known (``level2`` ->
``Level-2``, ``Image_level3`` -> ``Image L-3``, ...), else the escaped name.
The output is deterministic and ends with a newline.

>>> import pandas as pd
>>> frame = pd.DataFrame({"rank": [1], "name": ["A_b"], "level": [3], "level2": [13.7]})
>>> print(latex_table(frame), end="")
\\begin{tabular}{rlrr}
\\toprule
Rank & Model & Level & Level-2 \\\\
\\midrule
1 & A\\_b & Level-3 & 13.70 \\\\
\\bottomrule
\\end{tabular}
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

from glscore.core.vocabulary import MODALITIES
from glscore.errors import visible

#: Display headers of the columns glscore's tables use.
HEADERS: dict[str, str] = {
    "rank": "Rank", "name": "Model", "model": "Model id", "scope": "Scope", "board": "Board",
    "level": "Level", "score": "Score",
    "level1": "Level-1", "level2": "Level-2", "level3": "Level-3", "level4": "Level-4", "level5": "Level-5",
    "supported": "Supported", "tasks": "Tasks", "wins": "Wins", "coverage": "Coverage",
    "s_l": "$S_L$", "ranked": "Ranked", "left_off": "Left off", "best": "Best",
    "origin": "Origin", "low_coverage": "Low coverage", "variant": "Variant",
    "kendall_tau": r"Kendall's $\tau$", "spearman_rho": r"Spearman's $\rho$",
    "top10_overlap": "Top-10 kept", "moved_up": "Up", "moved_down": "Down",
    "view": "View", "flagged_wins": "Flagged wins", "no_task_data": "No per-task data",
    "filled_from_paper": "Filled from paper",
}
#: Columns holding a level reached (printed ``Level-k``).
LEVEL_COLUMNS: tuple[str, ...] = ("level",)
MISSING = "--"
_SPECIAL = {"&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{",
            "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
            "\\": r"\textbackslash{}"}
_SPECIAL_RE = re.compile("|".join(re.escape(k) for k in _SPECIAL))


def escape(text: str) -> str:
    """``text`` with LaTeX's special characters escaped; control characters and
    line breaks first shown as escapes (:func:`glscore.errors.visible`), so a
    name can neither break a table row nor reach the terminal that compiles it.

    >>> escape("GPT-4o_4096 & 50%")
    'GPT-4o\\\\_4096 \\\\& 50\\\\%'
    >>> escape("a\\nb")
    'a\\\\textbackslash{}nb'
    """
    return _SPECIAL_RE.sub(lambda m: _SPECIAL[m.group(0)], visible(text))


def header(column: str) -> str:
    """The display header of ``column``: ``level2`` -> ``Level-2``, ``Image_level3``
    -> ``Image L-3``, ``Image:2`` -> ``Image L-2``, else the escaped name."""
    if column in HEADERS:
        return HEADERS[column]
    match = re.fullmatch(r"(.+?)(?:_level|:)([2-5])", column)
    if match:
        return f"{escape(match.group(1))} L-{match.group(2)}"
    return escape(column)


def format_cell(value: object, column: str = "", decimals: int = 2) -> str:
    """One cell as the paper prints it (see the module docstring)."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, int | np.integer):
        return f"Level-{int(value)}" if column in LEVEL_COLUMNS else str(int(value))
    if isinstance(value, float | np.floating):
        if column in LEVEL_COLUMNS and float(value).is_integer():
            return f"Level-{int(value)}"
        text = f"{float(value):.{decimals}f}"
        return f"$-${text[1:]}" if text.startswith("-") else text
    return escape(str(value))


def latex_table(frame: pd.DataFrame, caption: str | None = None, label: str | None = None,
                decimals: int = 2) -> str:
    """``frame`` as a booktabs ``tabular`` (in a ``table`` float when ``caption``)."""
    columns = [str(c) for c in frame.columns]
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
               for c in frame.columns]
    spec = "".join("r" if n else "l" for n in numeric)
    lines = [f"\\begin{{tabular}}{{{spec}}}", "\\toprule",
             " & ".join(header(c) for c in columns) + r" \\", "\\midrule"]
    for row in frame.itertuples(index=False, name=None):
        cells = [format_cell(v, c, decimals) for v, c in zip(row, columns, strict=True)]
        lines.append(" & ".join(cells) + r" \\")
    lines += ["\\bottomrule", "\\end{tabular}"]
    if caption is not None or label is not None:
        head = ["\\begin{table}[t]", "\\centering", "\\small"]
        if caption is not None:
            head.append(f"\\caption{{{escape(caption)}}}")
        if label is not None:
            head.append(f"\\label{{{label}}}")
        lines = head + lines + ["\\end{table}"]
    return "\n".join(lines) + "\n"


def reproduction_latex(cells: pd.DataFrame, profile: str) -> str:
    """The paper's Tables 12, 14 and 16 beside the same cells recomputed.

    ``cells`` is :attr:`glscore.analysis.reproduce.Reproduction.cells` (columns
    ``table``, ``level``, ``name``, ``modality``, ``published``, ``recomputed``):
    one booktabs table per published table, a row per model in the paper's
    order, for each modality the published and the recomputed score (``--``
    where the paper prints 0 or Appendix B has no per-task rows; the cells
    printed as 0 that recompute non-zero are in ``cells`` and show ``0.00``).
    """
    parts = []
    for (table, level), part in cells.groupby(["table", "level"], sort=True):
        order = part.drop_duplicates("name")["name"].to_numpy()
        frame = pd.DataFrame({"name": order})
        for modality in MODALITIES:
            mine = part[part["modality"] == modality].drop_duplicates("name").set_index("name")
            for kind, label in (("published", "paper"), ("recomputed", "glscore")):
                frame[f"{modality} ({label})"] = mine[kind].reindex(order).to_numpy(float)
        caption = (f"Table {table} (Level-{level}) as published beside the same cells recomputed "
                   f"from Appendix B (profile {profile}); -- where a cell is zero in the paper "
                   "and recomputed, or has no per-task data; a published 0.00 recomputes "
                   "non-zero")
        parts.append(latex_table(frame, caption=caption, label=f"tab:reproduce-{table}"))
    return "\n".join(parts)


def accounting_latex(classes: pd.DataFrame, rules: pd.DataFrame, profile: str) -> str:
    """The reproduction's accounting as two booktabs tables: cells and free numbers
    per class (:meth:`glscore.analysis.reproduce.Reproduction.accounting_counts`),
    then every rule credited with a cell: its class, the cells credited, and what
    it fixes and breaks when applied to every model (``--``: not a formula that
    applies to other cells)."""
    table = classes.rename(columns={"class": "Accounting class", "cells": "Cells",
                                    "free_numbers": "Free numbers"})
    used = rules[rules["recovers"] > 0]
    per_rule = pd.DataFrame({
        "Rule": used["category"].to_numpy(), "Class": used["class"].to_numpy(),
        "Credited": used["recovers"].to_numpy(int),
        "Fixed": used["fixed"].to_numpy(int),
        "Broken": pd.array(used["broken"].to_list(), dtype="Int64"),
        "Free numbers": used["free_numbers"].to_numpy(int),
    })
    return (latex_table(table, caption=f"Published non-zero cells of Tables 12/14/16 (and cells "
                                       f"printed as 0 that recompute non-zero) by accounting "
                                       f"class (profile {profile})",
                        label="tab:reproduce-accounting")
            + "\n"
            + latex_table(per_rule, caption="Each rule applied to every model: the cells it is "
                                            "credited with, the open cells it fixes and the "
                                            "already-matched cells it breaks",
                          label="tab:reproduce-rules"))
