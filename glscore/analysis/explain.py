"""Why a model sits at its level, and the smallest change that lifts it.

:func:`explain` returns a plain, JSON-ready ``dict`` for one model (published
or yours); :func:`explain_models` does the same for many models in one
scoring pass; :func:`explain_markdown` renders either result as Markdown.
Keys of the dict:

* ``model``, ``name``, ``profile``, ``rule``, ``level`` (reached), ``scores``
  (``level2`` .. ``level5``), ``coverage`` (supported tasks / tasks);
* ``proxy_tasks``: the tasks whose value is a proxy (an upstream dataset
  standing in for the General-Bench task, :attr:`Benchmark.proxy`), ``[]``
  when none; the Markdown says so, and marks a next-level task that is one;
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
  ``from_level`` (the level it starts from), ``task_id``, ``task_name``,
  ``modality``, ``paradigm``, ``from_score``,
  ``to_score``, ``increase`` (points of the normalised 0-100 scale),
  ``reason``, and ``supported_only`` (the same search restricted to the tasks
  the model already runs). It is computed for the strict rule (score >=
  SoTA); ``next_level["rule_note"]`` says so when another rule scored.
  Each entry has ``flagged_sota`` (the task's SoTA is flagged by the audit,
  :func:`glscore.analysis.audit.flagged_sota`) and ``flag`` (why, or
  ``None``); ``next_level["unflagged"]`` is the same search on the benchmark
  without the flagged tasks, so a move on a flagged SoTA always comes with
  its alternative;
* ``no_task_data``: the modalities the paper scores for the model without
  per-task data (:mod:`glscore.analysis.datastates`), each with its published
  ``table``, ``level`` and ``published`` value; the recomputed level counts
  them as unsupported and ``why`` says so;
* ``flagged_wins``: the model's wins on tasks whose SoTA the audit flags, and
  ``flagged_sota``: those tasks (and a flagged next-level target) with the
  audit's reason; each ``wins`` entry lists its ``flagged_win_tasks``;
* under measurement noise (:mod:`glscore.analysis.uncertainty.per_model`):
  ``fragile_wins`` (wins with ``P(win) = Phi((m - s) / sqrt(se_m^2 +
  se_s^2)) < 0.9``, weakest first, each with ``p_win``), ``expected_level3``
  and ``level3_interval`` (Scope-A Level-3 over the draws), ``p_level``
  (``{"2": P(level >= 2), ..., "5": ...}``), ``won_tasks`` and ``noise`` (draws, seed,
  whether the noise was measured or assumed, its scale).

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

from glscore.analysis import datastates
from glscore.analysis.audit import flagged_sota
from glscore.analysis.distributions import Distances, distances, distances_without
from glscore.analysis.uncertainty.per_model import model_uncertainty
from glscore.core import levels
from glscore.core import names as naming
from glscore.core.benchmark import Benchmark
from glscore.core.normalise import Normalised
from glscore.core.profiles import Profile
from glscore.core.scoring import LEVEL_COLUMNS, Scoring, score_detailed, supported_cells
from glscore.core.synergy import Rule
from glscore.errors import InputError, did_you_mean
from glscore.io import markdown as md


def explain(bench: Benchmark, model: str, profile: str | Profile = "paper",
            rule: str | Rule | None = None, rule_params: Mapping[str, float] | None = None,
            aggregation: str | None = None, level4_mean: str | None = None,
            draws: int = 1000, seed: int = 0, se: np.ndarray | None = None,
            sota_se: np.ndarray | None = None) -> dict:
    """The explanation of one model of ``bench`` (by id or display name, any
    case); ``draws``, ``seed``, ``se`` and ``sota_se`` set the noise study."""
    wanted = naming.key(model)  # any case, any Unicode spelling of the name
    hits = [m for m, n in zip(bench.models, bench.model_names, strict=True)
            if wanted in (naming.key(m), naming.key(n))]
    if not hits:
        raise InputError(f"{bench.source}: no model '{model}'"
                         f"{did_you_mean(model, bench.models + bench.model_names)}")
    return explain_models(bench, [hits[0]], profile, rule, rule_params, aggregation,
                          level4_mean, draws, seed, se, sota_se)[0]


def explain_models(source: Benchmark | Scoring, models: Sequence[str] | None = None,
                   profile: str | Profile = "paper", rule: str | Rule | None = None,
                   rule_params: Mapping[str, float] | None = None,
                   aggregation: str | None = None, level4_mean: str | None = None,
                   draws: int = 1000, seed: int = 0, se: np.ndarray | None = None,
                   sota_se: np.ndarray | None = None) -> list[dict]:
    """Explanations of ``models`` (ids; default every model), from one scoring pass
    (``source`` itself when it is one, the options then being its own; else the
    benchmark scored once under the options) and one noise simulation of their rows."""
    ctx = source if isinstance(source, Scoring) else score_detailed(
        source, profile, rule, rule_params, aggregation, level4_mean)
    bench = ctx.bench
    index = {m: i for i, m in enumerate(bench.models)}
    chosen = list(bench.models) if models is None else list(models)
    unknown = [m for m in chosen if m not in index]
    if unknown:
        raise InputError(f"{bench.source}: unknown model(s) {unknown}")
    distance = distances(ctx, ctx.profile)  # both modes, from this pass
    flags = flagged_sota(ctx)
    unflagged = distances_without(bench, list(flags), ctx.profile) if flags else distance
    no_data = datastates.no_task_data(bench)
    noisy = model_uncertainty(ctx, [index[m] for m in chosen], draws, seed, se, sota_se)
    return [{**_explain_one(ctx, index[m], distance, flags, unflagged,
                            no_data[no_data["model"] == m]), **extra}
            for m, extra in zip(chosen, noisy, strict=True)]


def _num(value: float) -> float | None:
    value = float(value)
    return value if math.isfinite(value) else None


def _explain_one(ctx: Scoring, i: int, distance: Distances, flags: Mapping[str, str],
                 unflagged: Distances, no_data: pd.DataFrame) -> dict:
    bench, s = ctx.bench, ctx.scores
    tasks = bench.tasks
    scores_i = ctx.norm.scores[i]
    credit_i = ctx.credit[i]
    # the pass's own tests, on this model's row: a win is a supported cell beating the SoTA
    row = Normalised(ctx.norm.scores[i:i + 1], ctx.norm.sota, ctx.norm.mapped)
    supported_i = supported_cells(row, ctx.profile)[0]
    wins_i = levels.beats_sota(row.scores, row.sota)[0] & supported_i
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
            "flagged_win_tasks": [t for t in ids[wins_i & mask] if t in flags],
        })
    n_mod = max(len(s.modalities), 1)
    per_modality = ctx.profile.aggregation != "pooled"

    def part(level: str, k: int) -> dict[str, float | None]:
        """A modality's part of the overall level: points (``level_m / modalities``)
        and percent of the overall score (``None`` when it is 0 or pooled)."""
        points = getattr(s, f"{level}_m")[i, k] / n_mod
        overall = float(getattr(s, level)[i])
        return {f"points_{level}": _num(points) if per_modality else None,
                f"share_{level}": (_num(100.0 * points / overall)
                                   if per_modality and overall > 0 else None)}

    contributions = {
        "modalities": {
            m: {
                "level2": _num(s.level2_m[i, k]), "level3": _num(s.level3_m[i, k]),
                "level4": _num(s.level4_m[i, k]),
                **part("level2", k), **part("level3", k), **part("level4", k),
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
    missing = [{"modality": str(r.modality), "table": int(r.table), "level": int(r.level),
                "published": float(r.published)} for r in no_data.itertuples()]
    nxt = _next(distance, i, tasks, s.rule, flags)
    nxt["unflagged"] = _next(unflagged, i, tasks, s.rule, flags)
    nxt["unflagged"].pop("rule_note", None)
    flagged_wins = [t for w in wins for t in w["flagged_win_tasks"]]
    targets = [e["task_id"] for e in (nxt, nxt["supported_only"]) if e["flagged_sota"]]
    why = _why(level, s, i, wins)
    if missing:
        why += " " + _no_data_sentence(missing)
    if flagged_wins:
        why += (f" {len(flagged_wins)} of its wins are on tasks whose SoTA the audit flags "
                f"({', '.join(flagged_wins)}).")
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
        "proxy_tasks": ids[bench.proxy_cells()[i]].tolist(),
        "why": why,
        "wins": wins,
        "contributions": contributions,
        "next_level": nxt,
        "no_task_data": missing,
        "flagged_wins": len(flagged_wins),
        "flagged_sota": {t: flags[t] for t in dict.fromkeys(flagged_wins + targets)},
    }


def _no_data_sentence(missing: list[dict]) -> str:
    """The qualification of a level by the modalities without per-task data."""
    shown = "; ".join(f"{c['modality']} Level-{c['level']} {c['published']:.2f} (Table "
                      f"{c['table']})" for c in missing)
    mods = ", ".join(dict.fromkeys(c["modality"] for c in missing))
    return (f"The paper prints non-zero levels without per-task data in Appendix B for {mods} "
            f"({shown}): recomputed, {'it counts' if ', ' not in mods else 'they count'} as "
            "unsupported, so its recomputed scores may understate the published ones.")


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


def _next(distance: Distances, i: int, tasks, rule_label: str,
          flags: Mapping[str, str]) -> dict:
    info = tasks.set_index(tasks["task_id"].astype(str))
    out: dict = {}
    for key, frame in (("any", distance.any_task), ("supported_only", distance.supported_only)):
        row = frame.iloc[i]
        task = None if pd.isna(row["task_id"]) else str(row["task_id"])
        entry = {
            "from_level": int(row["level"]),
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
            "flagged_sota": task in flags,
            "flag": flags.get(task) if task is not None else None,
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


def explain_markdown(result: dict, heading: int = 2, levels_table: bool = True) -> str:
    """A Markdown page for one :func:`explain` result (``heading`` = level of its title).

    Sections: the title line with level and coverage, the scores (unless
    ``levels_table`` is false: a page that shows them itself), *Why*, a
    table of wins per modality and paradigm, a table of contributions and
    *Next level*. Plain Markdown (pipe tables, :func:`glscore.io.markdown.table`),
    no HTML; names, ids and rule texts are escaped (a model name is user input).
    """
    h = "#" * heading
    sub = "#" * (heading + 1)
    scores = result["scores"]
    wins = [[w["modality"], w["paradigm"], w["tasks"], w["supported"], w["wins"],
             w["credited"], _f(w["mean_score"]), _f(w["mean_credit"]),
             ", ".join(w["flagged_win_tasks"])] for w in result["wins"]]
    shares = [[m, _f(c["level2"]), _f(c["level3"]), _f(c["level4"]),
               _share(c["points_level3"], c["share_level3"]),
               _share(c["points_level4"], c["share_level4"])]
              for m, c in result["contributions"]["modalities"].items()]
    l5 = result["contributions"]["level5"]
    proxies = set(result.get("proxy_tasks", []))
    lines = [
        f"{h} {md.escape(result['name'])} ({md.code(result['model'])}): "
        f"Level-{result['level']}",
        "",
        f"Profile {md.code(result['profile'])}, rule {md.code(result['rule'])}; coverage "
        f"{result['supported']} of {result['tasks']} tasks ({result['coverage']:.1%}).",
        "",
        *_proxy_lines(result.get("proxy_tasks", [])),
        *([md.table(["Level-2", "Level-3", "Level-4", "Level-5"],
                    [[_f(scores[c]) for c in LEVEL_COLUMNS]]), ""] if levels_table else []),
        f"{sub} Why",
        "",
        md.escape(result["why"]),
        "",
        f"{sub} Wins per modality and paradigm",
        "",
        md.table(["modality", "paradigm", "tasks", "supported", "wins", "credited",
                  "mean score (Level-2 half)", "mean credit (Level-3 half)",
                  "wins on flagged SoTAs"], wins),
    ]
    if result["no_task_data"]:
        lines += ["", f"{sub} No per-task data", "",
                  md.table(["modality", "table", "level", "published"],
                           [[c["modality"], c["table"], f"Level-{c['level']}",
                             _f(c["published"])] for c in result["no_task_data"]])]
    if result["flagged_sota"]:
        lines += ["", "Tasks whose SoTA the audit flags: " + "; ".join(
            f"{md.code(t)} ({md.escape(why)})" for t, why in result["flagged_sota"].items())
            + "."]
    lines += [
        "",
        f"{sub} Contributions",
        "",
        md.table(["modality", "Level-2", "Level-3", "Level-4",
                  "part of overall Level-3: points (share)",
                  "part of overall Level-4: points (share)"], shares),
        "",
        f"Level-5 = Level-4 x S_L / 100 = {_f(l5['level4'])} x {_f(l5['s_l'])} / 100 "
        f"= {_f(scores['level5'])}.",
        "",
        f"{sub} Next level",
        "",
        _next_sentence(result["next_level"], proxies),
    ]
    only = result["next_level"].get("supported_only")
    if only and only["task_id"] != result["next_level"]["task_id"]:
        lines += ["", "Among the tasks it already runs: " + _next_sentence(only, proxies)]
    other = result["next_level"].get("unflagged")
    if other and (result["next_level"]["flagged_sota"] or (only and only["flagged_sota"])):
        there = ("" if other["from_level"] == result["level"] else
                 f" (where it is at Level-{other['from_level']})")
        lines += ["", f"Without the tasks whose SoTA the audit flags{there}: "
                  + _next_sentence(other, proxies)]
    if "rule_note" in result["next_level"]:
        lines += ["", f"(Next level {md.escape(result['next_level']['rule_note'])}.)"]
    if "p_level" in result:
        lines += ["", f"{sub} Under noise", "", md.escape(_noise_sentence(result)), "",
                  md.table([f"P(Level >= {k})" for k in range(2, 6)],
                           [[_f(result["p_level"][str(k)]) for k in range(2, 6)]])]
        if result["fragile_wins"]:
            lines += ["", md.table(
                ["task", "modality", "paradigm", "score", "SoTA", "P(win)"],
                [[f"{w['task_id']} {w['task_name']}", w["modality"],   # md.table escapes
                  w["paradigm"], _f(w["score"]), _f(w["sota"]), _f(w["p_win"])]
                 for w in result["fragile_wins"]])]
    return "\n".join(lines)


def _share(points: float | None, share: float | None) -> str:
    """A modality's part of an overall level: ``1.91 (71%)``; ``0.00`` when the
    overall level is 0 (no share of nothing); empty when pooled."""
    if points is None:
        return ""
    return f"{points:.2f}" + ("" if share is None else f" ({share:.0f}%)")


def _noise_sentence(result: dict) -> str:
    n = result["noise"]
    how = ("measured noise (se given)" if n["noise"] == "measured" else
           f"assumed noise (noise model c = {n['scale']:.3g})" if n["noise"] == "assumed" else
           f"mixed noise (se given for {n['measured_cells']} of {n['cells']} cells, else "
           f"c = {n['scale']:.3g})")
    fragile = result["fragile_wins"]
    lo, hi = result["level3_interval"]
    return (f"Over {n['draws']} draws of {how}, seed {n['seed']}: Level-3 is "
            f"{_f(result['expected_level3'])} on average (95% interval {_f(lo)}-{_f(hi)}); "
            f"{len(fragile)} of its {result['won_tasks']} wins hold with probability below "
            f"{n['threshold']:.2f} (P(win) = Phi((m - s) / sqrt(se_m^2 + se_s^2)))"
            + ("." if not fragile else ", listed below."))


def _proxy_lines(tasks: Sequence[str]) -> list[str]:
    """The Markdown paragraph on proxy values (none without them)."""
    if not tasks:
        return []
    shown = ", ".join(md.code(t) for t in tasks[:10]) + (" ..." if len(tasks) > 10 else "")
    return [f"**Proxy values:** {len(tasks)} task(s) are scored from upstream datasets "
            f"standing in for General-Bench's ({shown}), not from General-Bench data; "
            "`--no-proxy` leaves them out.", ""]


def _next_sentence(n: dict, proxies: set[str] | frozenset[str] = frozenset()) -> str:
    if n["level"] is None:
        return "Already at Level-5, the top of the scale."
    if not n["feasible"]:
        reason = str(n["reason"])
        if reason.lower().startswith("cannot reach"):   # the reason says it already
            return md.escape(reason[0].upper() + reason[1:]) + "."
        return f"Level-{n['level']} is out of reach with one change: {md.escape(reason)}."
    mark = ", a proxy value" if n["task_id"] in proxies else ""
    flag = (f" The audit flags this task's SoTA ({md.escape(str(n['flag']))}): the move says "
            "little about synergy." if n.get("flagged_sota") else "")
    task = (f"{md.code(n['task_id'])} ({md.escape(n['task_name'])}; "
            f"{n['modality']} {n['paradigm']}{mark})")
    low, high, step = n["from_score"] or 0.0, n["to_score"] or 0.0, n["increase"] or 0.0
    if not n["supported"]:
        move = (f"run {task}, not run yet, with any score above 0" if high <= 0 else
                f"run {task}, not run yet, and score at least {_f(high)} normalised points")
    elif step <= 0:
        move = f"raise {task} above its {_f(low)} (any increase)"
    else:
        move = f"raise {task} from {_f(low)} to {_f(high)} (+{_f(step)} normalised points)"
    return f"Level-{n['level']}: {move}. {md.escape(n['reason'])}.{flag}"
