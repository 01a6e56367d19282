"""The smallest single-task improvement that lifts a model one level up.

An analysis on the level formulas of :mod:`glscore.core.levels` (strict
rule, normalised scale): for every model, which task to raise and by how
many points, with the reason in words. :func:`glscore.analysis.distributions.distance_table`
applies it to a scoring pass.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from glscore.core.levels import group_means, levels_strict, strict_credit

#: Columns of :func:`distance_to_next_level`.
DISTANCE_COLUMNS: tuple[str, ...] = (
    "model", "level", "next_level", "task_id", "supported", "from_score", "to_score",
    "increase", "feasible", "reason",
)


def distance_to_next_level(
    scores: np.ndarray,
    sota: np.ndarray,
    comp: np.ndarray,
    gen: np.ndarray,
    nlp: np.ndarray,
    models: tuple[str, ...] | None = None,
    task_ids: tuple[str, ...] | None = None,
    group_names: tuple[str, ...] | None = None,
    raise_unsupported: bool = True,
) -> pd.DataFrame:
    """The smallest single-task score increase that lifts each model one level up.

    Inputs are *normalised* (the profile's 0-100 higher-is-better scale):
    ``scores`` (models x tasks, NaN = not supported), ``sota`` (tasks), the
    comprehension and generation masks ``comp``/``gen`` (tasks x groups: one
    column per modality, or a single pooled column) and the ``nlp`` mask. The
    rule is the strict one (credit = ``s`` where ``s >= SoTA``). A model's
    current score on a task is ``s`` (0 if unsupported); winning task ``t``
    costs ``max(SoTA_t - s_t, 0)`` points of the normalised scale. Per level:

    * 1 -> 2: Level-2 > 0 needs any non-zero score on a group task: the
      infimum increase is 0 (any ``epsilon > 0``), reported as ``increase = 0``,
      ``to_score = from_score`` and a reason saying ``epsilon``; the task is
      the first candidate in task order;
    * 2 -> 3: Level-3 > 0 needs one win on a group task:
      ``min_t (SoTA_t - s_t)``;
    * 3 -> 4: Level-4 > 0 needs a group with credit on both sides; one win
      lifts only in a group whose other side already has credit, so the
      candidates are the generation tasks of groups with comprehension
      credit only and the comprehension tasks of groups with generation
      credit only (a group with no credit would need two wins);
    * 4 -> 5: Level-5 > 0 needs ``S_L > 0``: the cheapest NLP win;
    * 5: already at the top (``next_level`` missing, not feasible).

    Ties go to the first task in task order. With ``raise_unsupported=False``
    only supported tasks may be raised (a model cannot gain a task it does
    not run). A task without a SoTA cannot be won. Where no candidate exists
    the row is ``feasible=False`` with ``increase = inf`` and a reason. The
    computation assumes that scores do not cancel in a mean (exact when all
    normalised values are >= 0, as under the ``paper`` profile).

    >>> comp = np.array([[1], [0]], bool); gen = ~comp; nlp = np.zeros(2, bool)
    >>> d = distance_to_next_level(np.array([[60.0, 30.0]]), np.array([50.0, 40.0]),
    ...                            comp, gen, nlp, task_ids=("C1", "G1"))
    >>> print(d.loc[0, "level"], d.loc[0, "task_id"], d.loc[0, "increase"])
    3 G1 10.0
    """
    scores = np.asarray(scores, dtype=float)
    sota = np.asarray(sota, dtype=float)
    comp = np.asarray(comp, dtype=bool).reshape(len(sota), -1)
    gen = np.asarray(gen, dtype=bool).reshape(len(sota), -1)
    nlp = np.asarray(nlp, dtype=bool)
    n_models, n_tasks = scores.shape
    models = tuple(models) if models is not None else tuple(str(i) for i in range(n_models))
    task_ids = (tuple(task_ids) if task_ids is not None
                else tuple(str(j) for j in range(n_tasks)))
    group_names = (tuple(group_names) if group_names is not None
                   else tuple(f"group {k + 1}" for k in range(comp.shape[1])))

    level = levels_strict(scores, sota, comp, gen, nlp)
    supported = np.isfinite(scores)
    current = np.where(supported, scores, 0.0)
    winnable = np.isfinite(sota)[None, :] & (supported | raise_unsupported)
    with np.errstate(invalid="ignore"):
        cost = np.maximum(sota[None, :] - current, 0.0)

    credit = strict_credit(scores, sota)
    c3, g3 = group_means(credit, comp) != 0, group_means(credit, gen) != 0
    comp_only, gen_only = c3 & ~g3, g3 & ~c3                      # models x groups
    needs_gen = (comp_only.astype(int) @ gen.T.astype(int)) > 0    # models x tasks
    needs_comp = (gen_only.astype(int) @ comp.T.astype(int)) > 0
    any_group = (comp | gen).any(axis=1)

    candidate = np.zeros_like(scores, dtype=bool)
    at = level[:, None]
    candidate |= (at == 1) & any_group[None, :] & (supported | raise_unsupported)
    candidate |= (at == 2) & any_group[None, :] & winnable
    candidate |= (at == 3) & (needs_gen | needs_comp) & winnable
    candidate |= (at == 4) & nlp[None, :] & winnable
    cost = np.where(at == 1, 0.0, cost)
    masked = np.where(candidate, cost, np.inf)
    best = np.argmin(masked, axis=1)
    rows = np.arange(n_models)
    increase = masked[rows, best]
    feasible = np.isfinite(increase)
    top = level >= 5
    from_score = np.where(feasible, current[rows, best], np.nan)
    to_score = np.where(feasible, np.where(level == 1, from_score, sota[best]), np.nan)
    # a win needs a non-zero credit: a SoTA at or below the current score still costs epsilon
    epsilon = feasible & ((level == 1) | (increase == 0))
    reason = np.where(
        level == 1, "Level-2 > 0: any score above the current one (epsilon) on a task",
        np.where(level == 2, "Level-3 > 0: the cheapest win on a task",
                 np.where(level == 3, "Level-4 > 0: the cheapest win on the missing side "
                          "of a group with one-sided credit",
                          np.where(level == 4, "Level-5 > 0: the cheapest NLP win",
                                   "already at Level-5")))).astype(object)
    reason[epsilon & (level > 1)] = reason[epsilon & (level > 1)] + " (epsilon: SoTA reached)"
    for i in np.flatnonzero(~feasible & ~top):
        reason[i] = _infeasible_reason(int(level[i]), comp, gen, nlp, supported[i], sota,
                                       comp_only[i], gen_only[i], group_names,
                                       raise_unsupported)
    return pd.DataFrame({
        "model": list(models),
        "level": level.astype(int),
        "next_level": pd.Series(level + 1, dtype="Int64").mask(top),
        "task_id": np.where(feasible, np.array(task_ids, dtype=object)[best], None),
        "supported": np.where(feasible, supported[rows, best], False),
        "from_score": from_score,
        "to_score": to_score,
        "increase": np.where(top, np.nan, increase),
        "feasible": feasible,
        "reason": reason,
    }, columns=list(DISTANCE_COLUMNS))


def _infeasible_reason(level: int, comp: np.ndarray, gen: np.ndarray, nlp: np.ndarray,
                       supported: np.ndarray, sota: np.ndarray, comp_only: np.ndarray,
                       gen_only: np.ndarray, group_names: tuple[str, ...],
                       raise_unsupported: bool) -> str:
    """Why no single-task increase lifts a model (one model, for the message)."""
    has_sota = np.isfinite(sota)
    usable = has_sota & (supported | raise_unsupported)
    qualifier = "" if raise_unsupported else "supported "

    def lack(mask: npt.ArrayLike) -> str:
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return "no task"
        if not (mask & has_sota).any():
            return "no task with a SoTA"
        return f"no {qualifier}task"

    if level == 1:
        return f"cannot reach Level-2: {lack(comp.any(axis=1) | gen.any(axis=1))} in any group"
    if level == 2:
        return f"cannot reach Level-3: {lack(comp.any(axis=1) | gen.any(axis=1))} to win"
    if level == 4:
        return f"cannot reach Level-5: {lack(nlp)} on the NLP side"
    parts = []
    for k, name in enumerate(group_names):
        if comp_only[k] and not (gen[:, k] & usable).any():
            parts.append(f"{name} has comprehension credit but {lack(gen[:, k])} on generation")
        if gen_only[k] and not (comp[:, k] & usable).any():
            parts.append(f"{name} has generation credit but {lack(comp[:, k])} on comprehension")
    return ("cannot reach Level-4 with one win: " + "; ".join(parts)
            + "; any other group would need two wins")
