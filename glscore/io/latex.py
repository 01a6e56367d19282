"""LaTeX tables in the style of the paper's leaderboards (booktabs), sized for a paper.

:func:`latex_table` turns a frame into a ``tabular`` with ``\\toprule``,
``\\midrule`` and ``\\bottomrule`` (the ``booktabs`` package), wrapped in a
float when a caption or a label is given. Cells are formatted as the paper
prints its level tables (Tables 12, 14, 16):

* scores with two decimals (``13.70``, ``0.00``), a real minus sign in math
  mode (``$-$7750.00``), also inside text (``margin(tau=$-$0.1)``);
* a level reached as ``Level-3``; ranks and counts as integers;
* a missing value (a level a board does not have, an unranked row's rank) as
  :data:`MISSING` (``--``);
* text escaped for LaTeX (``&``, ``%``, ``_``, ``#``, ``$``, ...; ``|``, ``<``
  and ``>`` as ``\\textbar{}``, ``\\textless{}``, ``\\textgreater{}``: under the
  default OT1 encoding a bare ``|`` prints as an em dash), numeric columns
  right-aligned, text columns left-aligned.

**Fitting the page.** A float is sized for a two-column paper (the ICML
layout: columns of :data:`COLUMN_PT`, a text width of :data:`TEXT_PT`): the
width of the table is estimated from its longest cell per column (at
:data:`CHAR_PT` per character of ``\\small`` Computer Modern, conservative,
plus ``\\tabcolsep`` of :data:`TABCOLSEP_PT` on each side); a table that fits
a column is a ``table``, one that fits the text width a ``table*``, a wider
one is split into several ``table*`` floats by columns, each repeating the
identifying columns (rank, name). A float holds at most :data:`MAX_ROWS`
rows; a longer table continues in further floats (``(continued)`` in the
caption, labels ``<label>-2``, ...), so no float is taller than a page and
every row is printed. ``make test`` compiles every ``figures/*.tex`` in a
one-column and a two-column document and fails on an overfull box
(``tests/test_latex_compile.py``).

:func:`reproduction_latex` lays out the published and recomputed level tables
(``glscore reproduce --format latex``) with the same machinery; there, a cell
the paper prints as 0 shows ``0.00`` in the paper's column, and a cell
without per-task data shows :data:`NO_DATA` (``n/d``) in glscore's column:
two markers for two states.

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
from collections.abc import Sequence

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
    **{f"level{k}_95": f"Level-{k} 95\\%" for k in range(2, 6)},
    "p_level": "P(level)",
}
#: Columns holding a level reached (printed ``Level-k``).
LEVEL_COLUMNS: tuple[str, ...] = ("level",)
#: A missing value (not applicable, unranked).
MISSING = "--"
#: A cell the data cannot recompute: no per-task data behind it.
NO_DATA = "n/d"
#: Column width and text width of a two-column paper (ICML: 3.25 in and 6.75 in), in pt.
COLUMN_PT = 234.0
TEXT_PT = 486.0
#: Estimated width of one character of ``\small`` text, in pt (Computer Modern at
#: 9 pt averages about 4.5 pt for digits and lower case; capitals are wider).
CHAR_PT = 4.8
#: ``\tabcolsep`` inside the floats, in pt (LaTeX's default is 6 pt).
TABCOLSEP_PT = 4.0
#: Most body rows in one float (a page of ``\small`` rows, caption and header included).
MAX_ROWS = 52
#: Columns that identify a row: repeated in every part of a table split by columns.
KEY_COLUMNS: tuple[str, ...] = ("rank", "name", "model", "variant", "board")

_SPECIAL = {"&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{",
            "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
            "\\": r"\textbackslash{}", "|": r"\textbar{}", "<": r"\textless{}",
            ">": r"\textgreater{}"}
# a hyphen before a digit that is not inside a word (tau=-0.1, (-3)) is a minus sign
_SPECIAL_RE = re.compile("|".join(re.escape(k) for k in _SPECIAL) + r"|(?<![\w.])-(?=\d)")
_COMMAND_RE = re.compile(r"\\[A-Za-z]+\{\}|\\[A-Za-z]+|\\.|\$-\$|([{}$])")


def escape(text: str) -> str:
    """``text`` with LaTeX's special characters escaped and minus signs set;
    control characters and line breaks first shown as escapes
    (:func:`glscore.errors.visible`), so a name can neither break a table row
    nor reach the terminal that compiles it.

    >>> escape("GPT-4o_4096 & 50%")
    'GPT-4o\\\\_4096 \\\\& 50\\\\%'
    >>> escape("strict | pooled, margin(tau=-0.1)")
    'strict \\\\textbar{} pooled, margin(tau=$-$0.1)'
    >>> escape("a\\nb")
    'a\\\\textbackslash{}nb'
    """
    return _SPECIAL_RE.sub(lambda m: _SPECIAL.get(m.group(0), "$-$"), visible(str(text)))


def visible_length(tex: str) -> int:
    """How many characters ``tex`` prints (each command or ``$-$`` counts as one).

    >>> visible_length(r"margin(tau=$-$0.1) \\textbar{} x"), visible_length("Level-2")
    (20, 7)
    """
    return len(_COMMAND_RE.sub(lambda m: "" if m.group(1) else "x", tex))


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
        return f"Level-{int(value)}" if column in LEVEL_COLUMNS else _minus(str(int(value)))
    if isinstance(value, float | np.floating):
        if column in LEVEL_COLUMNS and float(value).is_integer():
            return f"Level-{int(value)}"
        return _minus(f"{float(value):.{decimals}f}")
    return escape(str(value))


def _minus(number: str) -> str:
    return f"$-${number[1:]}" if number.startswith("-") else number


def _width(columns: Sequence[Sequence[str]]) -> float:
    """Estimated width (pt) of a tabular whose columns hold these cells (headers included)."""
    return sum(max((visible_length(c) for c in cells), default=0) * CHAR_PT + 2 * TABCOLSEP_PT
               for cells in columns)


def _float(spec: str, head: Sequence[str], body: Sequence[str], caption: str | None,
           label: str | None, wide: bool) -> list[str]:
    env = "table*" if wide else "table"
    lines = [f"\\begin{{{env}}}[t]", "\\centering", "\\small",
             f"\\setlength{{\\tabcolsep}}{{{TABCOLSEP_PT:g}pt}}"]
    if caption is not None:
        lines.append(f"\\caption{{{caption}}}")
    if label is not None:
        lines.append(f"\\label{{{label}}}")
    lines += [f"\\begin{{tabular}}{{{spec}}}", "\\toprule", *head, "\\midrule", *body,
              "\\bottomrule", "\\end{tabular}", f"\\end{{{env}}}"]
    return lines


def floats(spec: str, head: Sequence[str], body: Sequence[str], caption: str | None,
           label: str | None, wide: bool, max_rows: int = MAX_ROWS, part: str = "") -> str:
    """Body rows in floats of at most ``max_rows`` rows each (``table*`` when
    ``wide``): the first carries ``caption`` and ``label``, the others
    ``caption (continued)`` and ``label-2``, ``label-3``, ... ``part`` is
    added to every caption (``"(columns 2 of 2)"``)."""
    chunks = max(1, math.ceil(len(body) / max_rows))
    size = math.ceil(len(body) / chunks) if body else 0
    out: list[str] = []
    for k in range(chunks):
        rows = body[k * size:(k + 1) * size]
        text = None if caption is None else caption + (f" {part}" if part else "") + (
            f" (continued, rows {k * size + 1}-{k * size + len(rows)} of {len(body)})"
            if k else "")
        name = None if label is None else (label if k == 0 else f"{label}-{k + 1}")
        if out:
            out.append("")
        out += _float(spec, head, rows, text, name, wide)
    return "\n".join(out)


def latex_table(frame: pd.DataFrame, caption: str | None = None, label: str | None = None,
                decimals: int = 2, *, max_rows: int = MAX_ROWS) -> str:
    """``frame`` as booktabs: a bare ``tabular`` without ``caption`` and
    ``label``; with either, floats sized for a two-column paper (module
    docstring): a ``table`` when it fits a column, a ``table*`` when it fits
    the text width, several ``table*`` split by columns (the identifying
    columns repeated) when it does not, and at most ``max_rows`` rows per float."""
    columns = [str(c) for c in frame.columns]
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
               for c in frame.columns]
    body_cells = [[format_cell(v, c, decimals) for v, c in zip(row, columns, strict=True)]
                  for row in frame.itertuples(index=False, name=None)]
    heads = [header(c) for c in columns]
    if caption is None and label is None:
        spec = "".join("r" if n else "l" for n in numeric)
        lines = [f"\\begin{{tabular}}{{{spec}}}", "\\toprule", " & ".join(heads) + r" \\",
                 "\\midrule", *(" & ".join(cells) + r" \\" for cells in body_cells),
                 "\\bottomrule", "\\end{tabular}"]
        return "\n".join(lines) + "\n"
    text = None if caption is None else escape(caption)
    per_column = [[heads[j], *(cells[j] for cells in body_cells)] for j in range(len(columns))]
    groups = _column_groups(columns, [_width([cells]) for cells in per_column])
    # the parts of one table look alike: all full width when one of them is
    wide = any(_width([per_column[j] for j in group]) > COLUMN_PT for group in groups)
    parts = []
    for g, group in enumerate(groups):
        spec = "".join("r" if numeric[j] else "l" for j in group)
        head = [" & ".join(heads[j] for j in group) + r" \\"]
        body = [" & ".join(cells[j] for j in group) + r" \\" for cells in body_cells]
        part = f"(columns, part {g + 1} of {len(groups)})" if len(groups) > 1 else ""
        name = None if label is None else (label if g == 0 else f"{label}-part{g + 1}")
        parts.append(floats(spec, head, body, text, name, wide, max_rows, part))
    return "\n\n".join(parts) + "\n"


def _column_groups(columns: Sequence[str], widths: Sequence[float]) -> list[list[int]]:
    """Column indices in groups that fit the text width, each starting with the
    identifying columns (:data:`KEY_COLUMNS` present, else the first column)."""
    keys = [j for j, c in enumerate(columns) if c in KEY_COLUMNS] or [0]
    rest = [j for j in range(len(columns)) if j not in keys]
    base = sum(widths[j] for j in keys)
    groups: list[list[int]] = []
    current: list[int] = []
    for j in rest:
        if current and base + sum(widths[k] for k in current) + widths[j] > TEXT_PT:
            groups.append(current)
            current = []
        current.append(j)
    groups.append(current)
    return [sorted(keys + g) for g in groups]


def reproduction_latex(printed: pd.DataFrame, profile: str) -> str:
    """The paper's Tables 12, 14 and 16 beside the same cells recomputed.

    ``printed`` is :attr:`glscore.analysis.reproduce.Reproduction.printed`
    (every printed cell, zeros included: ``table``, ``level``, ``name``,
    ``row_in_table``, ``modality``, ``published``, ``recomputed``). One table
    per published table, every printed row in the paper's order, for each
    modality the published value (``0.00`` where the paper prints zero) and
    the recomputed one (:data:`NO_DATA` where Appendix B has no per-task rows
    behind it); full width, continued over several floats when long.
    """
    parts = []
    for (table, level), part in printed.groupby(["table", "level"], sort=True):
        part = part.sort_values(["row_in_table"], kind="stable")
        order = part.drop_duplicates("model")[["model", "name"]]
        cells = part.set_index(["model", "modality"])
        modalities = [m for m in MODALITIES if (part["modality"] == m).any()]
        body = []
        for model, name in order.itertuples(index=False):
            row = [escape(name)]
            for m in modalities:
                pub, rec = cells.loc[(model, m), ["published", "recomputed"]]
                row += [format_cell(float(pub)),
                        NO_DATA if pd.isna(rec) else format_cell(float(rec))]
            body.append(" & ".join(row) + r" \\")
        spec = "l" + "rr" * len(modalities)
        head = [" & " + " & ".join(f"\\multicolumn{{2}}{{c}}{{{m}}}" for m in modalities)
                + r" \\",
                " ".join(f"\\cmidrule(lr){{{2 + 2 * k}-{3 + 2 * k}}}"
                         for k in range(len(modalities))),
                "Model & " + " & ".join(["paper & glscore"] * len(modalities)) + r" \\"]
        caption = (f"Table {table} (Level-{level}) as published (paper) beside the same cells "
                   f"recomputed from Appendix B (glscore, profile {escape(profile)}), all "
                   f"{len(order)} printed rows in the paper's order. 0.00 in the paper's column: "
                   f"printed as zero; {NO_DATA} in glscore's: no per-task data behind the cell, "
                   "so it cannot be recomputed.")
        parts.append(floats(spec, head, body, caption, f"tab:reproduce-{table}", wide=True))
    return "\n\n".join(parts) + "\n"


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
