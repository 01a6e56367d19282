"""Where ``module:function`` synergy rules are looked for, and how a notebook
kernel is told.

The core's :func:`~glscore.core.synergy.resolve` imports a rule module from
the folders its caller names (and never changes ``sys.path``). The command
line and the notebook pipeline name the same folders: those of
``$GLSCORE_RULES_PATH``, then the current folder (as ``python -m`` would).
A notebook kernel runs in the repository root, so the runner hands it the
caller's folder through the environment (:func:`kernel_environment`).
"""

from __future__ import annotations

import os

#: Extra folders (``os.pathsep``-separated) searched for ``module:function`` rules.
RULES_PATH_ENV = "GLSCORE_RULES_PATH"


def search_folders() -> list[str]:
    """Folders searched first for a ``module:function`` rule: those of
    ``$GLSCORE_RULES_PATH`` (made absolute), then the current folder."""
    extra = [p for p in os.environ.get(RULES_PATH_ENV, "").split(os.pathsep) if p]
    return [os.path.abspath(p) for p in extra] + [os.getcwd()]


def kernel_environment() -> dict[str, str]:
    """``$GLSCORE_RULES_PATH`` for a child process (a notebook kernel) that runs
    in another folder: the caller's current folder first, then the caller's own
    ``$GLSCORE_RULES_PATH``, so that both find the same rule modules."""
    *extra, here = search_folders()
    return {RULES_PATH_ENV: os.pathsep.join([here, *extra])}
