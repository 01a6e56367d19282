"""Target 1: start-up and one workbook end to end, against the reference scorer.

* ``glscore --help``: CPU seconds (user + system) of the whole process, the
  median of ``runs``; target below :data:`HELP_TARGET_S`.
* ``glscore score`` on one official result workbook (``--profile official
  --scale fraction --json``: read both workbooks, score, print JSON), against
  the reference scorer ``ranker.py`` of path2generalist/General-Level (commit
  420b8eb) on the same workbooks (``-s sota -p result -m model``) with the
  same Python and pandas: CPU seconds of each whole process, run in turn
  (glscore, reference, glscore, ...), the median of the per-pair ratios
  ``reference / glscore``; target at least :data:`SCORE_TARGET`.

The reference is never part of glscore: give the folder holding its
``ranker.py`` and ``utils/special_metrix.py`` with ``--reference`` or the
environment variable :data:`REFERENCE_ENV`; without it the comparison is
skipped with the reason and glscore's own seconds are still printed. It runs
in a temporary folder (it writes its log to ``outcome/`` there).

Every child runs with bytecode caching on (``PYTHONDONTWRITEBYTECODE``
removed from its environment, one warm-up run first), as an installed
package runs; whether the glscore run imported pandas is recorded.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from glscore import paths

#: Where the reference scorer is looked for when --reference is not given.
REFERENCE_ENV = "GLSCORE_REFERENCE"
HELP_TARGET_S = 0.15
SCORE_TARGET = 4.0
#: The result workbook of the official repository (its model column).
MODEL = "Qwen2.5-7B-Instruct"


def child_env() -> dict[str, str]:
    """The environment of the timed children: bytecode cached, as installed."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def cpu_seconds(command: Sequence[str], cwd: Path | None = None,
                env: dict[str, str] | None = None) -> float:
    """User + system CPU seconds of one run of ``command`` (its children
    included), from the operating system's accounting of the finished child."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(list(command), check=True, cwd=cwd, env=env or child_env(),
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def help_timing(runs: int = 11) -> dict[str, object]:
    """Median CPU seconds of ``glscore --help``."""
    command = [sys.executable, "-m", "glscore", "--help"]
    cpu_seconds(command)  # warm-up: the bytecode cache
    times = [cpu_seconds(command) for _ in range(max(runs, 1))]
    return {"runs": len(times), "cpu_s": statistics.median(times), "target_s": HELP_TARGET_S}


def score_command(sota: Path, result: Path) -> list[str]:
    """``glscore score`` on one official workbook, JSON out."""
    return [sys.executable, "-m", "glscore", "score", "--sota", str(sota), "--results",
            str(result), "--profile", "official", "--scale", "fraction", "--json"]


def imports_pandas(command: Sequence[str]) -> bool:
    """Whether the glscore command (``python -m glscore ...``) imports pandas."""
    probe = [sys.executable, "-c",
             "import runpy, sys; sys.argv = ['glscore'] + sys.argv[1:]\n"
             "try:\n    runpy.run_module('glscore', run_name='__main__')\n"
             "except SystemExit:\n    pass\n"
             "sys.stderr.write('PANDAS=%s' % ('pandas' in sys.modules))",
             *command[3:]]
    done = subprocess.run(probe, capture_output=True, text=True, env=child_env())
    return "PANDAS=True" in done.stderr


def reference_folder(given: Path | str | None = None) -> tuple[Path | None, str]:
    """The reference scorer's folder and, when there is none, why."""
    folder = given if given is not None else os.environ.get(REFERENCE_ENV)
    if not folder:
        return None, (f"reference scorer not given (--reference DIR or ${REFERENCE_ENV}: the "
                      "folder of ranker.py and utils/special_metrix.py of "
                      "path2generalist/General-Level, commit 420b8eb)")
    path = Path(folder).expanduser()
    missing = [p for p in ("ranker.py", "utils/special_metrix.py") if not (path / p).is_file()]
    if missing:
        return None, f"reference scorer incomplete in {path}: {missing} missing"
    return path, ""


def score_timing(runs: int = 7, reference: Path | str | None = None) -> dict[str, object]:
    """glscore against the reference on one official workbook (module docstring)."""
    sota = paths.official_dir() / "sota_result.xlsx"
    result = paths.official_dir() / f"{MODEL}_result.xlsx"
    if not (sota.is_file() and result.is_file()):
        return {"skipped": f"official workbooks not found in {paths.official_dir()}"}
    ours = score_command(sota, result)
    cpu_seconds(ours)  # warm-up: the bytecode cache
    out: dict[str, object] = {"workbook": result.name, "runs": max(runs, 1),
                              "pandas_imported": imports_pandas(ours), "target": SCORE_TARGET}
    folder, why = reference_folder(reference)
    if folder is None:
        out["glscore_cpu_s"] = statistics.median(cpu_seconds(ours) for _ in range(max(runs, 1)))
        out["reference_skipped"] = why
        return out
    theirs = [sys.executable, str(folder / "ranker.py"), "-s", str(sota), "-p", str(result),
              "-m", MODEL]
    env = {**child_env(), "PYTHONPATH": str(folder)}
    with tempfile.TemporaryDirectory(prefix="glscore-reference-") as tmp:
        (Path(tmp) / "outcome").mkdir()
        cpu_seconds(theirs, Path(tmp), env)  # warm-up
        a, b, ratios = [], [], []
        for _ in range(max(runs, 1)):
            a.append(cpu_seconds(ours))
            b.append(cpu_seconds(theirs, Path(tmp), env))
            ratios.append(b[-1] / max(a[-1], 1e-9))
    out.update({"glscore_cpu_s": statistics.median(a), "reference_cpu_s": statistics.median(b),
                "ratio": statistics.median(ratios)})
    return out
