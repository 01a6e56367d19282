"""Synergy rules: what a (score, SoTA) cell contributes at Level-3 and above.

General-Level does not observe synergy; it *assumes* that a generalist that
matches or beats the SoTA specialist on a task shows it (the scoring
relaxation). A synergy rule makes that assumption explicit. It has one of
two forms:

* per cell, ``rule(scores, sota, tasks, **params) -> credit``, with
  ``scores`` the normalised model scores (models x tasks, NaN = not
  supported), ``sota`` the normalised SoTA (tasks), ``tasks`` the tasks table;
* with context, ``rule(context, **params) -> credit`` (the first parameter is
  named ``context``): a :class:`Context` holds the tasks table, the whole
  normalised matrix and SoTA row, the model ids, the model metadata (for
  example each model's base language model) and a per-task noise array, so a
  rule may compare a model with another model or with the noise of a task.

Either returns per-cell credit on 0-100 (models x tasks; 0 = no synergy
shown). Parameters are keyword arguments with numeric defaults. Register a
rule with :func:`register`; anywhere a rule is accepted a user may instead
pass ``"package.module:function"`` or the name of a rule that an installed
package declares in the entry-point group ``glscore.rules``
(:func:`resolve`). A resolved :class:`Rule` is applied in one way only,
:meth:`Rule.credit` on a :class:`Context`.

The package, one job per module:

* :mod:`~glscore.core.synergy.registry` -- the registry, :class:`Rule`, :func:`resolve`;
* :mod:`~glscore.core.synergy.context` -- :class:`Context`, what a rule sees;
* :mod:`~glscore.core.synergy.cells` -- the per-cell rules (``strict`` and the relaxations);
* :mod:`~glscore.core.synergy.context_rules` -- ``beats_base``, ``noise_margin``;
* :mod:`~glscore.core.synergy.noise` -- the noise model and :data:`PAPER_NOISE_SCALE`.
"""

from glscore.core.synergy.cells import excess, margin, noisy_sota, none, ratio, soft, strict
from glscore.core.synergy.context import BASE_TIERS, Context
from glscore.core.synergy.context_rules import beats_base, group_noise, noise_margin
from glscore.core.synergy.noise import PAPER_NOISE_SCALE, binomial_noise
from glscore.core.synergy.registry import (
    ENTRY_POINT_GROUP,
    Rule,
    RuleFunction,
    available,
    check_params,
    describe_parameters,
    format_parameters,
    register,
    resolve,
    rule_parameters,
    takes_context,
)

__all__ = [
    "BASE_TIERS",
    "ENTRY_POINT_GROUP",
    "PAPER_NOISE_SCALE",
    "Context",
    "Rule",
    "RuleFunction",
    "available",
    "beats_base",
    "binomial_noise",
    "check_params",
    "describe_parameters",
    "excess",
    "format_parameters",
    "group_noise",
    "margin",
    "noise_margin",
    "noisy_sota",
    "none",
    "ratio",
    "register",
    "resolve",
    "rule_parameters",
    "soft",
    "strict",
    "takes_context",
]
