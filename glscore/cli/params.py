"""Rules and their parameters as typed on a command line.

``--param KEY=VALUE`` pairs (:func:`parse_params`), the ``NAME[,KEY=VALUE...]``
spelling of a rule with parameters (:func:`parse_spec`: ``glscore ablate
--rules``, the ``extra_rule`` parameter of notebook 04), and a rule resolved
from them with the rule search folders of the command line
(:func:`load_rule`: ``$GLSCORE_RULES_PATH``, then the current folder).
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Sequence

from glscore.core.synergy import Rule, describe_parameters, resolve
from glscore.errors import InputError
from glscore.pipeline.rules_path import search_folders


def parse_params(pairs: Sequence[str], rule: str | None = None,
                 where: str = "--param") -> dict[str, float]:
    """``["tau=0.1", "k=5"]`` -> ``{"tau": 0.1, "k": 5.0}`` (finite numbers only).

    A malformed pair raises :class:`InputError` naming ``where`` and, when
    ``rule`` resolves, the rule's parameters and defaults.

    >>> parse_params(["tau=0.1", " k = 5"])
    {'tau': 0.1, 'k': 5.0}
    """
    params = {}
    for pair in pairs:
        key, sep, value = (part.strip() for part in pair.partition("="))
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if not sep or not key or not math.isfinite(number):
            hint = ""
            if rule:
                with contextlib.suppress(InputError):
                    function = resolve(rule, search_path=search_folders()).function
                    hint = f"; '{rule}' takes: {describe_parameters(function)}"
            raise InputError(f"{where} '{pair}': expected KEY=NUMBER (a finite number){hint}")
        params[key] = number
    return params


def parse_spec(spec: str, where: str = "rule") -> tuple[str, dict[str, float]]:
    """``"soft,k=5"`` -> ``("soft", {"k": 5.0})``; a bare name has no parameters.

    The one syntax of a rule with parameters (``glscore ablate --rules``, the
    ``extra_rule`` parameter of notebook 04).

    >>> parse_spec("margin,tau=0.1")
    ('margin', {'tau': 0.1})
    """
    name, *pairs = [part.strip() for part in str(spec).split(",")]
    if not name:
        raise InputError(f"{where} '{spec}': expected NAME[,KEY=VALUE...]")
    return name, parse_params(pairs, name, where=f"{where} '{spec}':")


def load_rule(name: str, params: dict[str, float] | None = None) -> Rule:
    """The rule ``name`` with ``params``, a ``module:function`` looked for in the
    command line's rule folders first (:func:`glscore.pipeline.rules_path.search_folders`).

    Once loaded, the module stays importable by name for the rest of the
    process (``sys.modules``), so analyses that take the rule by name find it.
    """
    return resolve(name, params, search_path=search_folders())


def load_spec(spec: str, where: str = "rule") -> Rule:
    """:func:`load_rule` of a ``NAME[,KEY=VALUE...]`` spelling (:func:`parse_spec`)."""
    return load_rule(*parse_spec(spec, where))
