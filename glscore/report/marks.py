"""The marks on a board row, their legend, and the facets the filters read.

A mark is ``{"code", "label", "title"}``: a short text shown beside the
model's name (never colour alone), and a title (the tooltip) that says what
it means for this row. Every mark is read from what the analyses put in a
board's frame (:mod:`glscore.analysis.leaderboard`: ``low_coverage``,
``flagged_wins``, ``no_task_data``, ``proxy``, ``origin``) and, for the
published values of a modality without per-task data, from the model's
explanation (``explain``'s ``no_task_data``); nothing is recomputed here.

The facets of a model (:func:`facets`) are what the filters match:
modalities supported, size, group (open / closed / language model) and base
language model, from ``data/models.csv``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from glscore.analysis.leaderboard import LOW_COVERAGE
from glscore.cli.commands.common import frame_rows
from glscore.report.cells import missing, rank_of

Mark = dict[str, str]

#: Every mark: code -> (label, what it means), in the order a row shows them.
MARKS: dict[str, tuple[str, str]] = {
    "input": ("yours", "a model from the results given to `glscore report --results`, not "
                       "from the paper"),
    "low": ("low coverage", f"the model supports fewer than {LOW_COVERAGE:.0%} of the board's "
                            "tasks: by default the board lists it below the ranked models, "
                            "unranked (with a minimum coverage of 0 it keeps the framework's "
                            "rank, and the mark)"),
    "flagged": ("flagged SoTA", "some of its wins here are on tasks whose SoTA the audit flags "
                                "(raw or percent units, a saturated SoTA): such a win says "
                                "little about synergy"),
    "nodata": ("no per-task data", "the paper prints a non-zero level for a modality of this "
                                   "board, but Appendix B has no per-task rows for it: "
                                   "recomputed, that modality counts as unsupported"),
    "filled": ("filled from the paper", "a hybrid view fills a modality without per-task "
                                        "data with the published per-modality levels of "
                                        "Tables 12/14/16: the row rests on them, not on tasks"),
    "proxy": ("proxy", "some values come from upstream datasets standing in for "
                       "General-Bench tasks (provenance=proxy in the mapping), not from "
                       "General-Bench data"),
}


def legend(present: Collection[str] | None = None) -> list[Mark]:
    """The marks (those whose code is in ``present``; default all) with their
    meaning, for the legend above the boards."""
    return [{"code": code, "label": label, "title": meaning}
            for code, (label, meaning) in MARKS.items() if present is None or code in present]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def row_marks(row: Mapping[str, Any],
              published: Mapping[str, Sequence[Mapping[str, Any]]] | None = None) -> list[Mark]:
    """The marks of one board row (a record of a board's frame).

    ``published`` maps a model id to its explanation's ``no_task_data`` cells
    (``modality``, ``table``, ``level``, ``published``), which the tooltip of
    the ``nodata`` mark quotes."""
    out = []
    if row.get("origin") == "input":
        out.append({"code": "input", "label": MARKS["input"][0],
                    "title": "Your model: " + MARKS["input"][1] + "."})
    if bool(row.get("low_coverage", False)):
        out.append({"code": "low", "label": MARKS["low"][0], "title": (
            f"Low coverage: it supports {int(row['supported'])} of the board's "
            f"{int(row['tasks'])} tasks ({float(row['coverage']):.1%}), below "
            f"{LOW_COVERAGE:.0%}; " + ("listed below the ranked models, unranked."
                                       if rank_of(row.get("rank")) is None else
                                       "its rank is the framework's, but it rests on few "
                                       "tasks."))})
    flagged = int(row.get("flagged_wins", 0) or 0)
    if flagged:
        out.append({"code": "flagged", "label": f"flagged SoTA ×{flagged}", "title": (
            f"{flagged} of its {_plural(int(row['wins']), 'win')} on this board "
            f"{'is' if flagged == 1 else 'are'} on tasks whose SoTA the audit flags (raw or "
            "percent units, a saturated SoTA): such a win says little about synergy. The "
            "model's page lists them.")})
    filled = str(row.get("filled_from_paper", "") or "")
    if filled:
        out.append({"code": "filled", "label": f"filled from the paper: {filled}", "title": (
            f"Hybrid view: {filled} filled with the published per-modality levels of Tables "
            "12/14/16 (no per-task data there); the row rests on them, not on tasks.")})
    mods = str(row.get("no_task_data", "") or "")
    if mods and not filled:
        wanted = set(mods.split(", "))  # datastates.modality_labels joins with ", "
        cells = [c for c in (published or {}).get(str(row["model"]), [])
                 if c["modality"] in wanted]
        shown = "; ".join(f"{c['modality']} Level-{int(c['level'])} {float(c['published']):.2f} "
                          f"(Table {int(c['table'])})" for c in cells)
        out.append({"code": "nodata", "label": f"no per-task data: {mods}", "title": (
            f"No per-task data for {mods}: the paper prints "
            f"{shown or 'a non-zero level'} but Appendix B has no per-task rows, so here "
            "that modality counts as unsupported and the recomputed scores may understate "
            "the published ones.")})
    proxies = int(row.get("proxy", 0) or 0)
    if proxies:
        out.append({"code": "proxy", "label": f"proxy ×{proxies}", "title": (
            f"{_plural(proxies, 'value')} on this board "
            f"{'comes' if proxies == 1 else 'come'} from upstream datasets standing in for "
            "General-Bench tasks (provenance=proxy), not from General-Bench data.")})
    return out


def present(rows: Iterable[Mapping[str, Any]]) -> set[str]:
    """The codes of the marks some of the board ``rows`` (records of a
    board's frame) carries."""
    return {m["code"] for r in rows for m in row_marks(r)}


# ------------------------------------------------------------------ facets
#: Size bins of the size filter (billions of parameters): value -> (label, lo, hi).
SIZE_BINS: dict[str, tuple[str, float, float]] = {
    "0-3": ("up to 3B", 0.0, 3.0),
    "3-10": ("3B-10B", 3.0, 10.0),
    "10-30": ("10B-30B", 10.0, 30.0),
    "30-100": ("30B-100B", 30.0, 100.0),
    "100-": ("over 100B", 100.0, float("inf")),
}
#: The modalities a model can support (the filter's check boxes).
FACET_MODALITIES: tuple[str, ...] = ("Image", "Video", "Audio", "3D")
#: Group labels of ``data/models.csv``'s ``group`` column.
GROUP_LABELS: dict[str, str] = {
    "open-multimodal": "open multimodal",
    "closed-multimodal": "closed multimodal",
    "language": "language model",
}


def size_bin(params_b: object) -> str:
    """The :data:`SIZE_BINS` key of a size in billions (lower bound exclusive,
    upper inclusive; ``unknown`` when missing).

    >>> size_bin("7"), size_bin(3.0), size_bin(""), size_bin(175)
    ('3-10', '0-3', 'unknown', '100-')
    """
    try:
        size = float(str(params_b))
    except ValueError:
        return "unknown"
    if missing(size):
        return "unknown"
    for key, (_, lo, hi) in SIZE_BINS.items():
        if (lo < size or lo == 0.0) and size <= hi:
            return key
    return "unknown"


def facets(models: pd.DataFrame) -> dict[str, dict[str, str]]:
    """Per model id, the ``data-*`` attributes of its rows: ``data-mod``
    (modalities supported, space-separated: ``data/models.csv``'s declared
    ``modalities`` where the model has metadata, else those it has values in,
    ``scored_modalities``), ``data-size`` (:func:`size_bin`), ``data-group``
    and ``data-base`` (the base language model's lineage; ``unknown`` when
    empty). ``models`` is :func:`glscore.analysis.cells.model_table`."""
    out = {}
    for r in frame_rows(models):
        declared = str(r.get("modalities", "") or "")
        mods = declared.split(";") if declared else str(r.get("scored_modalities", "")).split(";")
        out[str(r["model"])] = {
            "data-mod": " ".join(m for m in FACET_MODALITIES if m in mods),
            "data-size": size_bin(r.get("params_b", "")),
            "data-group": str(r.get("group", "") or "unknown"),
            "data-base": str(r.get("backbone_lineage", "") or "unknown"),
        }
    return out


def filter_options(attrs: Mapping[str, Mapping[str, str]]) -> dict[str, list[dict[str, str]]]:
    """The choices of each filter, from the facets present (sorted; ``unknown`` last)."""
    def choices(key: str, labels: Mapping[str, str]) -> list[dict[str, str]]:
        values = {a[key] for a in attrs.values()}
        order = sorted(values - {"unknown"}, key=str.lower) + (
            ["unknown"] if "unknown" in values else [])
        return [{"value": v, "label": labels.get(v, v)} for v in order]

    sizes = {a["data-size"] for a in attrs.values()}
    return {
        "modalities": [{"value": m, "label": m} for m in FACET_MODALITIES],
        "sizes": [{"value": k, "label": label} for k, (label, _, _) in SIZE_BINS.items()
                  if k in sizes] + ([{"value": "unknown", "label": "size unknown"}]
                                    if "unknown" in sizes else []),
        "groups": choices("data-group", GROUP_LABELS),
        "bases": choices("data-base", {}),
    }
