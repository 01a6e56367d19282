"""The wall around a synergy rule: what it is given, what it may return.

A rule is code the user chose to run, but it must not corrupt a score in
silence. :meth:`glscore.core.synergy.Rule.credit` calls every rule through
:func:`call_rule`, which

* hands it **read-only copies** of the pass's arrays and copies of the tasks
  table and metadata (:class:`~glscore.core.table.Table`, read-only columns;
  a rule that writes into ``scores`` fails loudly instead of changing
  Level-2; a DataFrame it makes of the tasks table is its own). The built-in
  rules are glscore's own code and get read-only views (no copy), and their
  credit, tested to lie in 0..score, is checked only for finiteness;
* sends what it **prints** to standard error (``--json`` on standard output
  stays valid JSON), at the level of Python's ``sys.stdout`` and of file
  descriptor 1, and keeps numpy's floating-point error settings as they were
  (``np.seterr`` in a rule lasts for the call);
* turns every **failure** (an exception, ``SystemExit``) into one
  :class:`~glscore.errors.InputError` naming the rule;
* **checks the credit** (:func:`check_credit`): a numeric (not boolean)
  array of the scores' shape, finite or NaN (NaN is "no credit", 0), and
  between 0 and the cell's score (``score <= credit <= 0`` where a profile
  gives a negative score), within a rounding tolerance; a rule whose credit
  lives on another range documents it as ``function.credit_range = (low,
  high)`` and is checked against that instead.

The signature and the import are checked when the rule is resolved
(:mod:`glscore.core.synergy.registry`).
"""

from __future__ import annotations

import contextlib
import math
import os
import sys
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from glscore.core.synergy.context import Context
from glscore.core.table import Table
from glscore.errors import InputError, plain

#: Relative tolerance of the bounds check (a rule computing ``0.3 s + 0.7 s`` may
#: land one unit in the last place above ``s``); the credit is then clipped to them.
TOLERANCE = 1e-9


def read_only(array: np.ndarray | None, copy: bool) -> np.ndarray | None:
    """A read-only copy (or view) of ``array``; a copy owns its memory, so no
    ``.base`` leads back to the pass's matrix."""
    if array is None:
        return None
    out = np.array(array, dtype=float, copy=True) if copy else np.asarray(array).view()
    out.flags.writeable = False
    return out


def _table_copy(table: Table) -> Table:
    """A new :class:`Table` of copied columns (its pandas view is its own)."""
    return Table({name: np.array(table[name], copy=True) for name in table.columns},
                 len(table))


def walled_context(context: Context, trusted: bool) -> Context:
    """What a rule sees: the pass's context with read-only arrays, copied (and
    the tasks table and metadata copied) unless the rule is ``trusted``."""
    copy = not trusted
    scores = read_only(context.scores, copy)
    sota = read_only(context.sota, copy)
    assert scores is not None and sota is not None
    tasks = _table_copy(context.tasks) if copy else context.tasks
    metadata = (_table_copy(context.metadata) if copy and context.metadata is not None
                else context.metadata)
    wins = context.wins
    if wins is not None:  # a read-only copy, or view: the pass's own mask stays writeable
        wins = np.array(wins, dtype=bool, copy=True) if copy else np.asarray(wins).view()
        wins.flags.writeable = False
    return Context(tasks, scores, sota, tuple(context.models), metadata,
                   read_only(context.noise, copy), wins)


@contextlib.contextmanager
def stdout_to_stderr() -> Iterator[None]:
    """Whatever is printed in the block goes to standard error: Python's
    ``sys.stdout`` and, where it is a real file, descriptor 1 (what a C library
    or ``os.write(1, ...)`` writes)."""
    saved: int | None = None
    with contextlib.suppress(AttributeError, OSError, ValueError):
        sys.stdout.flush()
        if sys.stdout.fileno() == 1 and sys.stderr.fileno() == 2:
            saved = os.dup(1)
            os.dup2(2, 1)
    try:
        with contextlib.redirect_stdout(sys.stderr):
            yield
    finally:
        if saved is not None:
            with contextlib.suppress(OSError):
                sys.stderr.flush()
                os.dup2(saved, 1)
            os.close(saved)


def guarded(what: str, call: Callable[[], Any]) -> Any:
    """``call()`` with its printing sent to standard error and every failure
    (an exception, ``SystemExit``) one :class:`InputError`, ``what`` then the
    exception (``"synergy rule 'x' failed: ZeroDivisionError: ..."``); an
    :class:`InputError` the rule raises itself passes unchanged."""
    try:
        # numpy's floating-point error settings are the process's: a rule that
        # changes them (np.seterr) changes them for itself only
        with stdout_to_stderr(), np.errstate():
            return call()
    except InputError:
        raise
    except (Exception, SystemExit) as exc:
        detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        raise InputError(f"{what}: {detail}") from None


def call_rule(name: str, function: Callable[..., Any], context: Context,
              params: dict[str, float], takes_context: bool, trusted: bool,
              takes_wins: bool = False) -> np.ndarray:
    """The credit of one rule on ``context``, behind the wall (see the module);
    a cell rule that ``takes_wins`` gets the winners mask as ``wins=``."""
    seen = walled_context(context, trusted)
    extra: dict[str, Any] = {"wins": seen.winners()} if takes_wins else {}
    if takes_context:
        out = guarded(f"synergy rule '{name}' failed", lambda: function(seen, **params))
    elif trusted:  # glscore's own rules: no stdout to guard, errors are already InputErrors
        out = function(seen.scores, seen.sota, seen.tasks, **extra, **params)
    else:
        out = guarded(f"synergy rule '{name}' failed",
                      lambda: function(seen.scores, seen.sota, seen.tasks, **extra, **params))
    if trusted:
        return finite_credit(out, context.scores)
    return check_credit(name, out, context, getattr(function, "credit_range", None))


def finite_credit(out: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """A built-in rule's credit with any NaN (no credit) made 0. The common
    case costs one read: the sum of the cells is finite only if every cell is
    (a finite sum that overflows only sends us to the exact check); a result
    that shares memory with the scores is copied (the pass may overwrite them)."""
    credit = np.asarray(out, dtype=float)
    if math.isfinite(float(np.add.reduce(credit, axis=None))) \
            and not np.may_share_memory(credit, scores):
        return credit
    return np.where(np.isfinite(credit), credit, 0.0)


def check_credit(name: str, out: object, context: Context,
                 credit_range: tuple[float, float] | None = None) -> np.ndarray:
    """The rule's result as a float matrix, if it is one (see the module
    docstring); else an :class:`InputError` naming the rule and the first bad
    cell (model and task). NaN credit becomes 0."""
    scores = np.asarray(context.scores)
    where = f"synergy rule '{name}'"
    try:
        array = np.asarray(out)
    except Exception as exc:
        raise InputError(f"{where} returned {type(out).__name__}, not an array of credit "
                         f"({exc})") from None
    if array.dtype == bool:
        raise InputError(f"{where} returned booleans (a mask?): return the credit per cell, "
                         "e.g. np.where(mask, scores, 0.0)")
    if array.dtype.kind not in "iuf":
        raise InputError(f"{where} returned {type(out).__name__} of {array.dtype}, not numbers: "
                         "return the credit per cell (models x tasks)")
    if array.shape != scores.shape:
        raise InputError(f"{where} returned shape {array.shape}, expected {scores.shape} "
                         "(models x tasks)")
    credit = np.array(array, dtype=float, copy=True)
    if np.isinf(credit).any():
        i, j = (int(k[0]) for k in np.nonzero(np.isinf(credit)))
        raise InputError(f"{where} returned {plain(credit[i, j])} {_cell(context, i, j)}: credit "
                         "must be finite (NaN means no credit)")
    credit[np.isnan(credit)] = 0.0
    if credit_range is not None:
        low = np.full(scores.shape, float(credit_range[0]))
        high = np.full(scores.shape, float(credit_range[1]))
        what = f"outside its documented range {plain(credit_range[0])}..{plain(credit_range[1])}"
    else:
        s = np.nan_to_num(scores, nan=0.0)
        low, high = np.minimum(s, 0.0), np.maximum(s, 0.0)
        what = "outside 0..score (credit can be no more than the score, and not negative)"
    slack = TOLERANCE * np.maximum(1.0, np.abs(np.nan_to_num(scores, nan=0.0)))
    bad = (credit < low - slack) | (credit > high + slack)
    if bad.any():
        i, j = (int(k[0]) for k in np.nonzero(bad))
        score = "not supported" if np.isnan(scores[i, j]) else plain(scores[i, j])
        raise InputError(f"{where} returned {plain(credit[i, j])} {_cell(context, i, j)} "
                         f"(score {score}): {what}")
    np.clip(credit, low, high, out=credit)
    return credit


def _cell(context: Context, i: int, j: int) -> str:
    """``for model 'x' on task 'IC-001'`` (row and column numbers without ids)."""
    model = f"'{context.models[i]}'" if i < len(context.models) else f"row {i + 1}"
    tasks = context.tasks
    task = f"'{tasks['task_id'][j]}'" if "task_id" in tasks else f"column {j + 1}"
    return f"for model {model} on task {task}"
