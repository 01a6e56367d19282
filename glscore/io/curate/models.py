"""``models.csv``: one row per model id, with its printed aliases, where it
is printed, notes, and the Table 4 metadata (:mod:`glscore.io.curate.table4`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from glscore.io.curate.rules import EXTERNAL_TIER, ModelRule, external_bases, model_rules
from glscore.io.curate.schema import (
    APPENDIX_B,
    MODALITY_COLUMNS,
    MODEL_COLUMNS,
    SHEET_ORDER,
    TABLE4_COLUMNS,
    CurationError,
)
from glscore.io.curate.source import SourceRow
from glscore.io.curate.table4 import TABLE4_FILE


def appendix_locations(score_rows: Sequence[SourceRow]) -> dict[str, list[str]]:
    """Printed model name -> sheets of Appendix B where it is printed."""
    found: dict[str, set[str]] = {}
    for row in score_rows:
        found.setdefault(row.get("model"), set()).add(row.get("sheet"))
    return {n: sorted(s, key=lambda x: SHEET_ORDER.get(x, 99)) for n, s in found.items()}


def table_locations(levels: pd.DataFrame) -> dict[str, list[int]]:
    """Printed model name -> level tables (12/14/16) where it is printed."""
    found: dict[str, set[int]] = {}
    for name, table in zip(levels["model_printed"], levels["table"], strict=True):
        found.setdefault(str(name), set()).add(int(table))
    return {n: sorted(t) for n, t in found.items()}


def alias_text(
    names: Iterable[str], appendix: Mapping[str, list[str]], tables: Mapping[str, list[int]]
) -> str:
    """``'Appendix B Image-Comprehension: GPT4V; Tables 12/14: GPT4-V'`` style text."""
    entries: list[tuple[tuple[int, int, str], str]] = []
    for name in names:
        if name in appendix:
            sheets = appendix[name]
            key = (0, SHEET_ORDER.get(sheets[0], 99), name)
            entries.append((key, f"{APPENDIX_B} {', '.join(sheets)}: {name}"))
        if name in tables:
            numbers = "/".join(str(t) for t in tables[name])
            label = "Tables" if len(tables[name]) > 1 else "Table"
            entries.append(((1, tables[name][0], name), f"{label} {numbers}: {name}"))
    return "; ".join(text for _, text in sorted(entries))


def coverage_note(
    model_id: str, scores: pd.DataFrame, levels: pd.DataFrame, tasks: pd.DataFrame
) -> str:
    """Modalities with a non-zero published score but no Appendix B rows."""
    modality_of = dict(zip(tasks["task_id"], tasks["modality"], strict=True))
    have = {modality_of[t] for t in scores.loc[scores["model_id"] == model_id, "task_id"]}
    rows = levels[levels["model_id"] == model_id]
    gaps = []
    for _, column in MODALITY_COLUMNS:
        if column not in have and (rows[column] > 0).any():
            gaps.append(column)
    if not gaps:
        return ""
    return (
        "Published levels give a non-zero "
        + ", ".join(gaps)
        + (" score but Appendix B has no rows for it.")
    )


def build_models(
    scores: pd.DataFrame,
    alternates: pd.DataFrame,
    levels: pd.DataFrame,
    tasks: pd.DataFrame,
    score_rows: Sequence[SourceRow],
    alias: Mapping[str, str],
    rules: Sequence[ModelRule] | None = None,
    table4: pd.DataFrame | None = None,
    external: Mapping[str, tuple[str, str]] | None = None,
) -> pd.DataFrame:
    """``models.csv``: one row per model_id, sorted by model_id.

    ``table4`` (from :func:`build_table4`) adds the metadata columns; a model
    of the level tables without a Table 4 row is an error.
    """
    rules = model_rules() if rules is None else rules
    appendix = appendix_locations(score_rows)
    tables = table_locations(levels)
    rule_by_id = {rule.model_id: rule for rule in rules}
    names_by_id: dict[str, list[str]] = {}
    for name, mid in alias.items():
        if name in appendix or name in tables:
            names_by_id.setdefault(mid, []).append(name)
    records = []
    for mid in sorted(names_by_id):
        names = sorted(names_by_id[mid])
        rule = rule_by_id.get(mid)
        display = rule.display_name if rule else names[0]
        notes = [rule.note] if rule and rule.note else []
        notes.append(coverage_note(mid, scores, levels, tasks))
        if mid not in set(scores["model_id"]) | set(alternates["model_id"]):
            notes.append("No Appendix B rows at all.")
        records.append(
            {
                "model_id": mid,
                "display_name": display,
                "aliases": alias_text(names, appendix, tables),
                "in_appendix_b": any(n in appendix for n in names),
                "in_level_tables": any(n in tables for n in names),
                "notes": " ".join(n for n in notes if n),
            }
        )
    frame = pd.DataFrame(records, columns=list(MODEL_COLUMNS[:6]))
    if table4 is None:
        table4 = pd.DataFrame(columns=["model_id", *TABLE4_COLUMNS])
    unknown = sorted(set(table4["model_id"]) - set(frame["model_id"]))
    lacking = sorted(set(frame.loc[frame["in_level_tables"], "model_id"])
                     - set(table4["model_id"])) if len(table4) else []
    if unknown or lacking:
        raise CurationError(f"{TABLE4_FILE}: rows for unknown models {unknown}, "
                            f"no row for leaderboard models {lacking}")
    frame = frame.merge(table4, on="model_id", how="left", validate="one_to_one")
    return with_external_bases(frame[list(MODEL_COLUMNS)],
                               external_bases() if external is None else external)


def with_external_bases(frame: pd.DataFrame,
                        external: Mapping[str, tuple[str, str]]) -> pd.DataFrame:
    """``frame`` (models.csv) with the links of ``external`` (``external_bases.csv``:
    model id -> (base model id, evidence)) written into ``base_model_id``,
    ``base_tier`` (:data:`~glscore.io.curate.rules.EXTERNAL_TIER`) and ``base_evidence``.

    Only a model without a Table 4 row may take one, and its base must be a
    model of the table: anything else is a :class:`CurationError`.
    """
    out = frame.copy()
    ids = out["model_id"].tolist()
    for model, (base, evidence) in external.items():
        if model not in ids or base not in ids:
            raise CurationError(f"external_bases.csv: unknown model {model!r} or base {base!r}")
        row = ids.index(model)
        if isinstance(out.at[row, "group"], str) and out.at[row, "group"]:
            raise CurationError(f"external_bases.csv: {model!r} has a Table 4 row; its link "
                                "comes from Table 4")
        out.loc[row, ["base_model_id", "base_tier", "base_evidence"]] = [
            base, EXTERNAL_TIER, evidence]
    return out
