"""The noise floor: how much re-running one model moves its published scores.

Two kinds of comparison should show no difference beyond measurement noise:
a model the paper prints twice (a second row, ``data/scores_alternates.csv``)
and two entries that are effectively one model (:data:`NEAR_IDENTICAL`).
Not every such comparison is a repeat measurement, so each (pair, sheet) is
screened by the data (:func:`screen`):

* **not a copy**: a row that repeats at least :data:`COPY_SHARE` of its
  twin's values (equal as printed), or of another model's, is a transcribed
  copy, not a second run (AnyGPT's second NLP row repeats 59 of 106 values;
  InternVL-2-26B's other Video row is InternVL-2.5-26B's);
* **nearer its twin than any other model**: the candidate row (the second
  printed row, or the second model of a near-identical pair) must differ
  from its twin by less, in mean absolute difference over the tasks they
  share, than from every model outside the twin's group (on at least
  :data:`MIN_SHARED` shared tasks). A row nearer another model is probably
  that model's, or another checkpoint's.

Rows that fail are flagged (``used`` false, ``why``) and not used. The floor
enters the natural experiments as a variance component: ``floor_sd`` is the
root mean square of the mean differences of the used NLP comparisons (the SD
of a mean difference between two runs of one model, since its expectation
is 0), and the pair tests add ``floor_sd^2`` to their variance. The cells of
the used comparisons are what :mod:`glscore.analysis.noise` fits its noise
scale on.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from glscore.analysis.natural import ALT_SUFFIX, Z95, Natural, differences

#: Pairs of model ids that are effectively one model, with the reason.
NEAR_IDENTICAL: tuple[tuple[str, str, str], ...] = (
    ("gpt-4o", "gpt-4o-4096", "GPT-4o with a 4096-token output limit"),
    ("gpt-4o", "chatgpt-4o-latest", "GPT-4o and its ChatGPT snapshot"),
)
COPY_SHARE = 0.5
"""A row sharing at least this share of identical values with another row is a copy."""
MIN_SHARED = 10
"""Tasks two rows must share to be compared in the screening."""

SCREEN_COLUMNS: tuple[str, ...] = (
    "model_a", "model_b", "name_a", "name_b", "kind", "reason", "sheet", "n", "mean_diff",
    "sd_diff", "identical",
    "identical_share", "mad_twin", "r_twin", "nearest", "mad_nearest", "r_nearest", "copy_of",
    "used", "why",
)


def candidates(nat: Natural) -> pd.DataFrame:
    """The comparisons to screen: ``model_a, model_b, kind, reason`` for every
    second printed row (``model@2``) and every :data:`NEAR_IDENTICAL` pair in the data."""
    present = set(nat.bench.models)
    rows = [(m[: -len(ALT_SUFFIX)], m, "printed twice", "the paper prints this model twice")
            for m in nat.bench.models if m.endswith(ALT_SUFFIX)]
    rows += [(a, b, "same model", why) for a, b, why in NEAR_IDENTICAL
             if a in present and b in present]
    return pd.DataFrame(rows, columns=["model_a", "model_b", "kind", "reason"])


def _groups(pairs: pd.DataFrame) -> dict[str, set[str]]:
    """Model -> every model linked to it by a candidate pair (connected components)."""
    group: dict[str, set[str]] = {}
    for a, b in pairs[["model_a", "model_b"]].itertuples(index=False):
        merged = group.get(a, {a}) | group.get(b, {b})
        for m in merged:
            group[m] = merged
    return group


def _mean_abs(matrix: np.ndarray, row: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean absolute difference of every row of ``matrix`` from ``row`` over the
    shared known cells, and the number of such cells."""
    both = np.isfinite(matrix) & np.isfinite(row)[None, :]
    n = both.sum(axis=1)
    total = np.where(both, np.abs(matrix - row[None, :]), 0.0).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 0, total / np.maximum(n, 1), np.nan), n


def _corr(x: np.ndarray, y: np.ndarray) -> float:
    both = np.isfinite(x) & np.isfinite(y)
    if both.sum() < 3 or np.ptp(x[both]) == 0 or np.ptp(y[both]) == 0:
        return float("nan")
    return float(np.corrcoef(x[both], y[both])[0, 1])


def screen(nat: Natural, copy_share: float = COPY_SHARE,
           min_shared: int = MIN_SHARED) -> pd.DataFrame:
    """Every candidate comparison per sheet where both rows have two or more
    known cells, with the evidence (:data:`SCREEN_COLUMNS`) and the verdict.

    ``n``, ``mean_diff``, ``sd_diff`` of ``s_a - s_b`` (normalised);
    ``identical`` cells equal as printed and their share; ``mad_twin`` / ``r_twin``
    the mean absolute difference and correlation of the two rows;
    ``nearest`` the model outside the twin's group nearest the candidate row
    (``mad_nearest``, ``r_nearest``); ``copy_of`` another model whose row the
    candidate repeats; ``used`` and ``why``.
    """
    pairs = candidates(nat)
    group = _groups(pairs)
    norm, raw = nat.scoring.norm.scores, nat.bench.values
    models = np.array(nat.bench.models, dtype=object)
    is_alt = np.array([m.endswith(ALT_SUFFIX) for m in nat.bench.models])
    sheets = nat.bench.tasks["sheet"].to_numpy()
    out = []
    for sheet in pd.unique(sheets):
        mask = sheets == sheet
        d = differences(nat, pairs["model_a"].tolist(), pairs["model_b"].tolist(), "drop",
                        tasks=mask)
        for k, pair in enumerate(pairs.itertuples(index=False)):
            known = np.isfinite(d[k])
            if known.sum() < 2:
                continue
            ia, ib = nat.rows([pair.model_a, pair.model_b])
            ra, rb = raw[ia, mask], raw[ib, mask]
            both = np.isfinite(ra) & np.isfinite(rb)
            identical = int((ra[both] == rb[both]).sum())
            outside = ~is_alt & ~np.isin(models, list(group[pair.model_a]))
            mad, shared = _mean_abs(norm[:, mask], norm[ib, mask])
            mad_twin = float(mad[ia])
            candidates_ = np.flatnonzero(outside & (shared >= min_shared))
            nearest, mad_near, r_near = "", np.nan, np.nan
            if len(candidates_):
                j = int(candidates_[np.argmin(mad[candidates_])])
                nearest, mad_near = str(models[j]), float(mad[j])
                r_near = _corr(norm[j, mask], norm[ib, mask])
            equal_other = ((raw[:, mask] == rb[None, :]) & np.isfinite(rb)[None, :]).sum(axis=1)
            share_other = np.where(shared > 0, equal_other / np.maximum(shared, 1), 0.0)
            copies = np.flatnonzero(outside & (shared >= 2) & (share_other >= copy_share))
            copy_of = str(models[copies[0]]) if len(copies) else ""
            share = identical / both.sum() if both.sum() else 0.0
            why = []
            if share >= copy_share:
                why.append(f"a copy: {identical} of {int(both.sum())} values identical to its "
                           "twin's")
            if copy_of:
                why.append(f"a copy of {nat.name(copy_of)}'s row")
            if nearest and not mad_twin < mad_near:
                why.append(f"nearer {nat.name(nearest)} (mean |difference| {mad_near:.1f}) than "
                           f"its twin ({mad_twin:.1f})")
            row = d[k][known]
            out.append({
                **pair._asdict(), "name_a": nat.name(pair.model_a),
                "name_b": nat.name(pair.model_b), "sheet": sheet, "n": int(known.sum()),
                "mean_diff": float(row.mean()), "sd_diff": float(row.std(ddof=1)),
                "identical": identical, "identical_share": share, "mad_twin": mad_twin,
                "r_twin": _corr(norm[ia, mask], norm[ib, mask]), "nearest": nearest,
                "mad_nearest": mad_near, "r_nearest": r_near, "copy_of": copy_of,
                "used": not why,
                "why": "; ".join(why) if why else (
                    f"a repeat: {share:.0%} identical values, nearer its twin "
                    f"({mad_twin:.1f}) than any other model"
                    + (f" ({nat.name(nearest)}, {mad_near:.1f})" if nearest else "")),
            })
    return pd.DataFrame(out, columns=list(SCREEN_COLUMNS))


def floor_sd(floor: pd.DataFrame, sheet: str = "NLP") -> float:
    """``sqrt(mean(mean_diff^2))`` over the used comparisons of ``sheet``: the SD of
    a mean difference between two runs of one model (NaN if none is used).

    >>> floor_sd(pd.DataFrame({"sheet": "NLP", "used": [True, True, False],
    ...                        "mean_diff": [3.0, -4.0, 50.0]}))   # sqrt((9 + 16) / 2)
    3.5355339059327378
    """
    rows = floor[(floor["sheet"] == sheet) & floor["used"]]
    if not len(rows):
        return float("nan")
    return float(np.sqrt((rows["mean_diff"].to_numpy(dtype=float) ** 2).mean()))


def band(floor: pd.DataFrame, sheet: str = "NLP", z: float = Z95) -> float:
    """Half-width of the band that 95% of re-runs of one model stay within:
    ``z * floor_sd``."""
    return z * floor_sd(floor, sheet)


def used_count(floor: pd.DataFrame, sheet: str = "NLP") -> int:
    """How many comparisons of ``sheet`` the floor rests on."""
    return int(((floor["sheet"] == sheet) & floor["used"]).sum())


def cells(nat: Natural, floor: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every known cell pair of the used comparisons (both values known): ``model_a,
    model_b, task_id, sheet, a, b`` on the normalised scale and raw ``raw_a,
    raw_b`` (what :mod:`glscore.analysis.noise` fits its noise scale on)."""
    floor = screen(nat) if floor is None else floor
    used = floor[floor["used"]]
    norm, raw = nat.scoring.norm.scores, nat.bench.values
    tasks = nat.bench.tasks
    parts = []
    for r in used.itertuples(index=False):
        ia, ib = nat.rows([r.model_a, r.model_b])
        cols = np.flatnonzero((tasks["sheet"] == r.sheet).to_numpy()
                              & np.isfinite(norm[ia]) & np.isfinite(norm[ib]))
        parts.append(pd.DataFrame({
            "model_a": r.model_a, "model_b": r.model_b,
            "task_id": tasks["task_id"].to_numpy()[cols], "sheet": r.sheet,
            "a": norm[ia, cols], "b": norm[ib, cols], "raw_a": raw[ia, cols],
            "raw_b": raw[ib, cols]}))
    columns = ["model_a", "model_b", "task_id", "sheet", "a", "b", "raw_a", "raw_b"]
    return pd.concat(parts, ignore_index=True)[columns] if parts else pd.DataFrame(
        columns=columns)


def _pairs(frame: pd.DataFrame) -> str:
    return "; ".join(f"{a} vs {b}" for a, b in zip(frame["name_a"], frame["name_b"], strict=True))


def finding_floor(floor: pd.DataFrame, sheet: str = "NLP") -> str:
    """The screening and the floor in one sentence."""
    part = floor[floor["sheet"] == sheet]
    used, flagged = part[part["used"]], part[~part["used"]]
    f = floor_sd(floor, sheet)
    text = (f"The noise floor on {sheet}: of {len(part)} comparisons of a model with itself "
            f"(rows printed twice, near-identical models), {len(used)} are plausible repeat "
            f"measurements ({_pairs(used) or 'none'})")
    if len(flagged):
        text += ("; flagged and not used: " + "; ".join(
            f"{b} ({why})" for b, why in zip(flagged["name_b"], flagged["why"], strict=True)))
    if np.isfinite(f):
        text += (f". The used comparisons' mean differences have an RMS of {f:.2f} points (the "
                 f"SD of re-running one model, a variance component of every pair test; 95% "
                 f"band ±{Z95 * f:.2f}), resting on {len(used)} comparison(s), and their "
                 f"per-task differences an RMS SD of "
                 f"{float(np.sqrt((used['sd_diff'] ** 2).mean())):.2f} points.")
    else:
        text += ": no floor can be measured."
    return text
