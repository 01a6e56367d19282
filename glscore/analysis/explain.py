"""Why a model sits at its level, and the smallest change that lifts it.

:func:`explain` returns a plain, JSON-ready ``dict`` for one model (published
or yours); :func:`explain_models` does the same for many models in one
scoring pass; :func:`explain_markdown` renders either result as Markdown.
Keys of the dict:

* ``model``, ``name``, ``profile``, ``rule``, ``level`` (reached), ``scores``
  (``level2`` .. ``level5``), ``coverage`` (supported tasks / tasks);
* ``why``: one sentence on the level reached (which score is the last
  non-zero one and what stops the next);
* ``wins``: one entry per modality x paradigm present, then NLP, with
  ``tasks``, ``supported``, ``wins`` (tasks whose normalised score beats the
  SoTA), ``credited`` (tasks with non-zero credit under the rule),
  ``mean_score`` (``sum score / |group|``, the group's half of Level-2) and
  ``mean_credit`` (``sum credit / |group|``, its half of Level-3; for NLP,
  ``S_L``) and ``win_tasks`` (their task ids);
* ``contributions``: per modality its ``level2``/``level3``/``level4`` and
  its share of the overall score (``level_k_m / n_modalities`` under the
  published per-modality aggregation; ``None`` under ``pooled``), plus
  ``level5 = level4 * S_L / 100``;
* ``next_level``: :func:`glscore.analysis.distance.distance_to_next_level` for the
  model: ``level`` (the next one, ``None`` at Level-5), ``feasible``,
  ``task_id``, ``task_name``, ``modality``, ``paradigm``, ``from_score``,
  ``to_score``, ``increase`` (points of the normalised 0-100 scale),
  ``reason``, and ``supported_only`` (the same search restricted to the tasks
  the model already runs). It is computed for the strict rule (score >=
  SoTA); ``next_level["rule_note"]`` says so when another rule scored.

Numbers are floats or ``None`` (never NaN), so ``json.dumps(...,
allow_nan=False)`` accepts the result.

>>> from glscore import load_paper                       # doctest: +SKIP
>>> e = explain(load_paper(), "Vitron-V1")              # doctest: +SKIP
>>> e["level"], e["next_level"]["level"]                # doctest: +SKIP
(4, 5)
>>> print(explain_markdown(e))                          # doctest: +SKIP
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from glscore.analysis.distributions import Distances, distances
from glscore.core import levels
from glscore.core.benchmark import Benchmark
from glscore.core.profiles import Profile
from glscore.core.scoring import LEVEL_COLUMNS, Scoring, score_detailed
from glscore.core.synergy import Rule
from glscore.errors import InputError, did_you_mean


def explain(bench: Benchmark, model: str, profile: str | Profile = "paper",
            rule: str | Rule | None = None, rule_params: Mapping[str, float] | None = None,
            aggregation: str | None = None, level4_mean: str | None = None) -> dict:
    """The explanation of one model of ``bench`` (by id or display name, any case)."""
    wanted = model.strip().lower()
    hits = [m for m, n in zip(bench.models, bench.model_names, strict=True)
            if wanted in (m.lower(), n.lower())]
    if not hits:
        raise InputError(f"{bench.source}: no model '{model}'"
                         f"{did_you_mean(model, bench.models + bench.model_names)}")
    return explain_models(bench, [hits[0]], profile, rule, rule_params, aggregation,
                          level4_mean)[0]


def explain_models(bench: Benchmark, models: Sequence[str] | None = None,
                   profile: str | Profile = "paper", rule: str | Rule | None = None,
                   rule_params: Mapping[str, float] | None = None,
                   aggregation: str | None = None, level4_mean: str | None = None) -> list[dict]:
    """Explanations of ``models`` (ids; default every model), one scoring pass."""
    ctx = score_detailed(bench, profile, rule, rule_params, aggregation, level4_mean)
    index = {m: i for i, m in enumerate(bench.models)}
    chosen = list(bench.models) if models is None else list(models)
    unknown = [m for m in chosen if m not in index]
    if unknown:
        raise InputError(f"{bench.source}: unknown model(s) {unknown}")
    distance = distances(ctx, ctx.profile)  # both modes, from this pass
    return [_explain_one(ctx, index[m], distance) for m in chosen]


def _num(value: float) -> float | None:
    value = float(value)
    return value if math.isfinite(value) else None


def _explain_one(ctx: Scoring, i: int, distance: Distances) -> dict:
    bench, s = ctx.bench, ctx.scores
    tasks = bench.tasks
    scores_i = ctx.norm.scores[i]
    credit_i = ctx.credit[i]
    wins_i = levels.beats_sota(ctx.norm.scores[i:i + 1], ctx.norm.sota)[0]
    supported_i = np.isfinite(scores_i)
    modality = tasks["modality"].to_numpy()
    paradigm = tasks["paradigm"].to_numpy()
    ids = tasks["task_id"].astype(str).to_numpy()
    groups = [(m, p) for m in s.modalities for p in ("comprehension", "generation")]
    groups.append(("NLP", "nlp"))
    wins = []
    for m, p in groups:  # a handful of groups, not a loop over tasks
        mask = (modality == m) & (paradigm == p)
        n = int(mask.sum())
        wins.append({
            "modality": m, "paradigm": p, "tasks": n,
            "supported": int((supported_i & mask).sum()),
            "wins": int((wins_i & mask).sum()),
            "credited": int(((credit_i != 0) & mask).sum()),
            "mean_score": _num(np.nan_to_num(scores_i[mask]).sum() / n) if n else 0.0,
            "mean_credit": _num(credit_i[mask].sum() / n) if n else 0.0,
            "win_tasks": ids[wins_i & mask].tolist(),
        })
    n_mod = max(len(s.modalities), 1)
    per_modality = ctx.profile.aggregation != "pooled"
    contributions = {
        "modalities": {
            m: {
                "level2": _num(s.level2_m[i, k]), "level3": _num(s.level3_m[i, k]),
                "level4": _num(s.level4_m[i, k]),
                "share_level2": _num(s.level2_m[i, k] / n_mod) if per_modality else None,
                "share_level3": _num(s.level3_m[i, k] / n_mod) if per_modality else None,
                "share_level4": _num(s.level4_m[i, k] / n_mod) if per_modality else None,
            }
            for k, m in enumerate(s.modalities)
        },
        "s_l": _num(s.s_l[i]),
        "level5": {"level4": _num(s.level4[i]), "s_l": _num(s.s_l[i]),
                   "formula": "level5 = level4 * s_l / 100"},
    }
    level = int(s.level[i])
    total = int(s.tasks_m.sum()) + int(s.nlp_tasks)
    supported = int(s.supported_m[i].sum()) + int(s.nlp_supported[i])
    return {
        "model": bench.models[i],
        "name": bench.model_names[i],
        "profile": s.profile,
        "rule": s.rule,
        "level": level,
        "scores": {c: _num(getattr(s, c)[i]) for c in LEVEL_COLUMNS},
        "coverage": _num(supported / max(total, 1)),
        "supported": supported,
        "tasks": total,
        "why": _why(level, s, i, wins),
        "wins": wins,
        "contributions": contributions,
        "next_level": _next(distance, i, tasks, s.rule),
    }


def _why(level: int, s, i: int, wins: list[dict]) -> str:
    credit_sides = {m: [w["paradigm"] for w in wins
                        if w["modality"] == m and (w["mean_credit"] or 0) != 0]
                    for m in s.modalities}
    if level == 1:
        return "Level-1: no non-zero score on any modality task, so Level-2 = 0."
    if level == 2:
        return ("Level-2: scores on modality tasks, but no task earns synergy credit "
                f"(under rule {s.rule}), so Level-3 = 0.")
    if level == 3:
        one = [f"{m} ({sides[0]} only)" for m, sides in credit_sides.items() if sides]
        return ("Level-3: credit in " + ", ".join(one) + "; no modality has credit on both "
                "comprehension and generation, so Level-4 = 0.")
    both = [m for m, sides in credit_sides.items() if len(sides) == 2]
    if level == 4:
        return ("Level-4: credit on both paradigms in " + ", ".join(both) + "; no NLP credit "
                "(S_L = 0), so Level-5 = 0.")
    return (f"Level-5: credit on both paradigms in {', '.join(both)} and NLP credit "
            f"S_L = {s.s_l[i]:.4g}.")


def _next(distance: Distances, i: int, tasks, rule_label: str) -> dict:
    info = tasks.set_index(tasks["task_id"].astype(str))
    out: dict = {}
    for key, frame in (("any", distance.any_task), ("supported_only", distance.supported_only)):
        row = frame.iloc[i]
        task = None if pd.isna(row["task_id"]) else str(row["task_id"])
        entry = {
            "level": None if pd.isna(row["next_level"]) else int(row["next_level"]),
            "feasible": bool(row["feasible"]),
            "task_id": task,
            "task_name": None if task is None else str(info.loc[task, "task_name"]),
            "modality": None if task is None else str(info.loc[task, "modality"]),
            "paradigm": None if task is None else str(info.loc[task, "paradigm"]),
            "supported": bool(row["supported"]),
            "from_score": _num(row["from_score"]),
            "to_score": _num(row["to_score"]),
            "increase": _num(row["increase"]),
            "reason": str(row["reason"]),
        }
        if key == "any":
            out.update(entry)
        else:
            out["supported_only"] = entry
    if not rule_label.startswith("strict"):
        out["rule_note"] = (f"computed for the strict rule (score >= SoTA), not '{rule_label}'")
    return out


# --------------------------------------------------------------------------- Markdown

def _f(value: float | None, digits: int = 2) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def explain_markdown(result: dict, heading: int = 2) -> str:
    """A Markdown page for one :func:`explain` result (``heading`` = level of its title).

    Sections: the title line with level and coverage, the scores, *Why*, a
    table of wins per modality and paradigm, a table of contributions and
    *Next level*. Plain Markdown (pipe tables), no HTML.
    """
    h = "#" * heading
    sub = "#" * (heading + 1)
    scores = result["scores"]
    lines = [
        f"{h} {result['name']} (`{result['model']}`): Level-{result['level']}",
        "",
        f"Profile `{result['profile']}`, rule `{result['rule']}`; coverage "
        f"{result['supported']} of {result['tasks']} tasks ({result['coverage']:.1%}).",
        "",
        "| Level-2 | Level-3 | Level-4 | Level-5 |",
        "|---|---|---|---|",
        "| " + " | ".join(_f(scores[c]) for c in LEVEL_COLUMNS) + " |",
        "",
        f"{sub} Why",
        "",
        result["why"],
        "",
        f"{sub} Wins per modality and paradigm",
        "",
        "| modality | paradigm | tasks | supported | wins | credited | mean score "
        "(Level-2 half) | mean credit (Level-3 half) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for w in result["wins"]:
        lines.append(f"| {w['modality']} | {w['paradigm']} | {w['tasks']} | {w['supported']} | "
                     f"{w['wins']} | {w['credited']} | {_f(w['mean_score'])} | "
                     f"{_f(w['mean_credit'])} |")
    lines += ["", f"{sub} Contributions", "",
              "| modality | Level-2 | Level-3 | Level-4 | share of overall Level-3 | "
              "share of overall Level-4 |", "|---|---|---|---|---|---|"]
    for m, c in result["contributions"]["modalities"].items():
        lines.append(f"| {m} | {_f(c['level2'])} | {_f(c['level3'])} | {_f(c['level4'])} | "
                     f"{_f(c['share_level3'])} | {_f(c['share_level4'])} |")
    l5 = result["contributions"]["level5"]
    lines += ["", f"Level-5 = Level-4 x S_L / 100 = {_f(l5['level4'])} x {_f(l5['s_l'])} / 100 "
              f"= {_f(scores['level5'])}.", "", f"{sub} Next level", ""]
    lines.append(_next_sentence(result["next_level"]))
    only = result["next_level"].get("supported_only")
    if only and only["task_id"] != result["next_level"]["task_id"]:
        lines += ["", "Among the tasks it already runs: " + _next_sentence(only)]
    if "rule_note" in result["next_level"]:
        lines += ["", f"(Next level {result['next_level']['rule_note']}.)"]
    return "\n".join(lines)


def _next_sentence(n: dict) -> str:
    if n["level"] is None:
        return "Already at Level-5, the top of the scale."
    if not n["feasible"]:
        return f"Level-{n['level']} is out of reach with one change: {n['reason']}."
    what = "raise" if n["supported"] else "add"
    return (f"Level-{n['level']}: {what} `{n['task_id']}` ({n['task_name']}; {n['modality']} "
            f"{n['paradigm']}) from {_f(n['from_score'])} to {_f(n['to_score'])} "
            f"(+{_f(n['increase'])} normalised points). {n['reason']}.")
