"""A synergy rule module to copy: ``cp examples/rule_template.py myrules.py``.

A synergy rule decides what a (model, task) cell contributes at Level-3 and
above ("credit", 0-100; 0 = no synergy shown there). glscore finds this
module wherever a rule is accepted, by ``module:function``:

    glscore score  --rule myrules:within --param d=1
    glscore ablate --rules strict myrules:within,d=1
    python -m glscore.pipeline --only '04_*' -p extra_rule=myrules:within,d=1 \
        -p out_dir=/tmp/out --output-dir /tmp/out

The module is looked for in the current folder (and in the folders listed in
``$GLSCORE_RULES_PATH``), so run those commands where this file is. Nothing
in glscore needs to change. ``glscore rules`` lists the built-in rules.

Two forms; glscore tells them apart by the name of the first parameter.
"""

import numpy as np

# --------------------------------------------------------------------------
# Form 1, per cell: rule(scores, sota, tasks, **params) -> credit
#
#   scores  models x tasks, normalised to 0-100 (higher is better),
#           NaN where the model does not support the task
#   sota    one value per task, the SoTA specialist, normalised the same way
#   tasks   the tasks table, a glscore.core.table.Table of read-only numpy
#           columns: tasks["paradigm"] == "generation" is a boolean array per
#           task (task_id, modality, paradigm, metric, ...); tasks.to_frame()
#           is a pandas DataFrame of it, if you prefer pandas
#
# Parameters are keyword arguments with numeric defaults; the command line
# accepts only those names, with finite numbers (--param d=1).
# The docstring's first paragraph is what `glscore rules` shows as the formula.
# --------------------------------------------------------------------------

def within(scores, sota, tasks, d=2.0):
    """Within d points of the specialist: ``credit = score if score >= SoTA - d else 0``."""
    # NaN compares as False, but numpy warns about it: silence the warning.
    with np.errstate(invalid="ignore"):
        ok = np.isfinite(scores) & np.isfinite(sota) & (scores >= sota - d)
    # Credit the score itself (never more), so Level-3 <= Level-2 keeps holding.
    return np.where(ok, scores, 0.0)


# --------------------------------------------------------------------------
# Form 2, with context: rule(context, **params) -> credit
#
# The first parameter is named `context`, a glscore.core.synergy.Context:
#   context.tasks        the tasks table
#   context.scores       the whole normalised matrix (models x tasks)
#   context.sota         the normalised SoTA row (tasks)
#   context.models       the model ids, one per row of scores
#   context.model_table  the model metadata (the benchmark's, from data/models.csv)
#   context.base_rows()  the row of each model's base language model (-1: none)
#   context.task_noise(c) the noise per task: the caller's, else c*sqrt(SoTA(100-SoTA))
# so a rule may compare a model with other models, not only with the SoTA.
# --------------------------------------------------------------------------

def beats_median(context, q=50.0):
    """Beat the SoTA or the q-th percentile of the models on the task:
    ``credit = score if score >= min(SoTA, P_q(task)) else 0``."""
    scores = context.scores
    # One column statistic per task, over the models that support it.
    # (An all-NaN column would warn; nanpercentile returns NaN there, which
    # then compares False.)
    with np.errstate(invalid="ignore"):
        supported = np.isfinite(scores).any(axis=0)
        typical = np.full(scores.shape[1], np.nan)
        typical[supported] = np.nanpercentile(scores[:, supported], q, axis=0)
        bar = np.fmin(context.sota, typical)
        ok = np.isfinite(scores) & (scores >= bar)
    return np.where(ok, scores, 0.0)
