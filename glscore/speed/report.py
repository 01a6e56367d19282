"""The benchmark's results: the machine, every target's ratio, the README section.

:func:`machine` describes where the numbers were measured; :func:`targets`
turns the results of ``glscore bench`` into one row per target (what is
measured, against which floor, the ratio, the target, met or not);
:func:`speed_section` renders them as the README's Speed section, between
:data:`START` and :data:`END`. ``glscore bench --out FILE`` writes the
results as JSON (the committed ``benchmarks/latest.json`` is the last run on
this project's machine); ``python -m glscore.speed.report`` rewrites the
README section from that file, ``--check`` only compares (a test does), so
the README cannot drift from the measured numbers.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from glscore.io import markdown
from glscore.io.files import rewrite_section
from glscore.paths import REPO_ROOT

START = ("<!-- speed:start (generated from benchmarks/latest.json by "
         "`python -m glscore.speed.report`; do not edit) -->")
END = "<!-- speed:end -->"
README = REPO_ROOT / "README.md"
RESULTS = REPO_ROOT / "benchmarks" / "latest.json"


def machine() -> dict[str, object]:
    """The machine and software the numbers come from."""
    import numpy as np

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor() or "unknown"
    memory = None
    with contextlib.suppress(ValueError, OSError, AttributeError):
        memory = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2 ** 30, 1)
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": memory,
            "system": f"{platform.system()} {platform.machine()}",
            "python": platform.python_version(), "numpy": np.__version__,
            "date": time.strftime("%Y-%m-%d", time.gmtime()),
            "load_average": [round(x, 2) for x in os.getloadavg()]}


def _met(ratio: float | None, target: float | None, higher: bool) -> str:
    if ratio is None or target is None:
        return "-"
    ok = ratio >= target if higher else ratio <= target
    return "yes" if ok else "no"


def targets(results: Mapping[str, Any]) -> list[list[str]]:
    """One row per target: what, glscore, the floor or reference, ratio, target, met."""
    rows: list[list[str]] = []
    start = results.get("startup", {})
    help_ = start.get("help")
    if help_:
        rows.append([f"glscore --help (CPU, median of {help_['runs']})",
                     f"{help_['cpu_s']:.3f} s", "-", "-", f"under {help_['target_s']:.2f} s",
                     "yes" if help_["cpu_s"] < help_["target_s"] else "no"])
    score = start.get("score")
    if score and "skipped" not in score:
        pandas = "no pandas" if not score["pandas_imported"] else "pandas imported"
        what = (f"glscore score on one official workbook, end to end ({pandas}; CPU, "
                f"median of {score['runs']} pairs)")
        if "ratio" in score:
            rows.append([what, f"{score['glscore_cpu_s']:.2f} s",
                         f"reference ranker.py: {score['reference_cpu_s']:.2f} s",
                         f"{score['ratio']:.1f}x faster", f"at least {score['target']:.0f}x",
                         _met(score["ratio"], score["target"], True)])
        else:
            rows.append([what, f"{score['glscore_cpu_s']:.2f} s",
                         f"skipped: {score['reference_skipped']}", "-",
                         f"at least {score['target']:.0f}x", "-"])
    for row in results.get("kernel", []):
        if row.get("target") is None:
            continue
        rows.append([f"scoring kernel, both profiles, {row['models']:,} models x "
                     f"{row['tasks']} tasks (CPU, median of {row['pairs']} pairs)",
                     f"{row['glscore_s']:.3f} s", f"numpy floor: {row['floor_s']:.3f} s",
                     f"{row['ratio']:.2f}x", f"at most {row['target']:.1f}x",
                     _met(row["ratio"], row["target"], False)])
    noise = results.get("noise")
    if noise:
        rows.append([f"noise --draws {noise['draws']:,} --scales {noise['scale']} "
                     f"(CPU, median of {noise['pairs']} pairs)", f"{noise['glscore_s']:.1f} s",
                     f"sparse floor: {noise['floor_s']:.1f} s", f"{noise['ratio']:.2f}x",
                     f"at most {noise['target']:.1f}x",
                     _met(noise["ratio"], noise["target"], False)])
    return rows


def speed_section(results: Mapping[str, Any]) -> str:
    """The README's Speed section (markers included) from the results."""
    m = results["machine"]
    load = ", ".join(f"{x:g}" for x in m["load_average"])
    lines = [START, "",
             f"Measured by `glscore bench` on {m['date']}: {m['cpu']}, {m['cores']} cores, "
             f"{m['memory_gib']} GiB, {m['system']}, Python {m['python']}, numpy "
             f"{m['numpy']}; load average {load} when the run began (the machine is shared, "
             "so every comparison is a ratio of CPU seconds measured in alternating pairs "
             "in the same run).", "",
             markdown.table(["what", "glscore", "floor / reference", "ratio", "target",
                             "met"], targets(results))]
    kernel = results.get("kernel", [])
    if kernel:
        lines += ["", "The kernel at every size (both profiles; the floor is "
                  "`glscore.speed.kernel.floor_levels`, which computes every number glscore "
                  "returns per model, counts of supported tasks and wins included; its "
                  "agreement with glscore is the share of models with the same Level-2..5 "
                  "(to 1e-9), level reached and counts):", "",
                  markdown.table(["models x tasks", "glscore", "floor", "ratio",
                                  "floor agrees"],
                                 [[f"{r['models']:,} x {r['tasks']}", f"{r['glscore_s']:.4f} s",
                                   f"{r['floor_s']:.4f} s", f"{r['ratio']:.2f}x",
                                   f"{r['floor_agrees']:.0%}"] for r in kernel])]
    noise, boot = results.get("noise"), results.get("bootstrap")
    if noise or boot:
        lines.append("")
    if noise:
        lines.append(f"The noise study perturbs the {noise['cells']:,} cells that hold a value "
                     f"(of {noise['matrix_cells']:,}); the floor "
                     "(`glscore.speed.montecarlo.floor_study`) draws the same random numbers, "
                     f"and {noise['rows_with_equal_counts']:.0%} of the (board, model) rows "
                     "get the same level counts from both.")
    if boot:
        lines.append(f"A stratified resample of the {boot.get('tasks', 699)} tasks costs "
                     f"{boot['integer_draws_us']:.0f} us by integer draws and one `bincount` "
                     f"against {boot['multinomial_us']:.0f} us by one multinomial per stratum "
                     f"({boot['resamples']:,} resamples).")
    unc = results.get("uncertainty")
    if unc:
        lines += ["", f"Rank uncertainty of all {unc['boards']} boards of Scopes A-D "
                  f"({unc['entries']:,} ranked entries), {unc['draws']:,} draws: "
                  f"{unc['both_s']:.1f} s with both sources (composition "
                  f"{unc['composition_s']:.1f} s, measurement {unc['measurement_s']:.1f} s; "
                  "wall clock, best of the runs)."]
    lines += ["", END]
    return "\n".join(lines)


def update_readme(results_path: Path | str = RESULTS, readme: Path | str = README, *,
                  check: bool = False) -> bool:
    """Rewrite (or, with ``check``, compare) the README's Speed section."""
    results = json.loads(Path(results_path).read_text(encoding="utf-8"))
    return rewrite_section(readme, START, END, speed_section(results), "speed", check)


def main(argv: list[str] | None = None) -> int:
    """``python -m glscore.speed.report [--check] [RESULTS]``."""
    parser = argparse.ArgumentParser(prog="python -m glscore.speed.report")
    parser.add_argument("results", nargs="?", default=str(RESULTS),
                        help="the JSON of glscore bench --out (default benchmarks/latest.json)")
    parser.add_argument("--check", action="store_true", help="only check; exit 1 if stale")
    args = parser.parse_args(argv)
    try:
        current = update_readme(args.results, check=args.check)
    except (ValueError, OSError) as exc:
        print(f"{parser.prog}: error: {exc}", file=sys.stderr)
        return 2
    if not current:
        print(f"{parser.prog}: README.md's speed section is stale: run it without --check",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
