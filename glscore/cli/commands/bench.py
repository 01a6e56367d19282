"""``glscore bench``: how fast scoring is, measured on this machine.

1. In process: scoring the whole paper matrix (models x 699 tasks) under
   both profiles, median of ``--repeat`` runs (data loaded once); the
   scaling table: the paper matrix tiled to 10^2, 10^3, 10^4 and 10^5
   models (``--sizes``), both profiles, best of ``--scale-repeat`` runs, with
   the cost per cell relative to the smallest size and the peak memory
   beyond the input (tracemalloc) relative to the input matrix; and the
   time to read one result workbook with pandas/openpyxl, pandas/calamine
   and glscore's direct calamine reader.
2. End to end: ``python -m glscore score`` on one official result workbook
   (start-up, Excel reads and scoring), median of ``--runs`` runs; then
   ``--copies`` copies of it (model column renamed) in one call, to show
   that several workbooks share the start-up cost. Skipped, with the
   reason, where the official workbooks are absent.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np

from glscore import paths
from glscore.core.benchmark import Benchmark
from glscore.core.scoring import score
from glscore.io.loaders import load_paper

QWEN = "Qwen2.5-7B-Instruct"


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("bench", help="time scoring (in process and end to end)",
                            description=__doc__,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=50, help="in-process repetitions")
    parser.add_argument("--runs", type=int, default=5, help="end-to-end runs")
    parser.add_argument("--copies", type=int, default=5, help="workbooks in the batched call")
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES),
                        help="models per row of the scaling table")
    parser.add_argument("--scale-repeat", type=int, default=3,
                        help="runs per size of the scaling table (best is kept)")
    parser.set_defaults(run=run)


#: Model counts of the scaling table.
SIZES: tuple[int, ...] = (100, 1_000, 10_000, 100_000)


def run(args: argparse.Namespace) -> int:
    table = scaling(args.sizes, args.scale_repeat)
    print(format_scaling(table), file=sys.stderr)
    report: dict[str, object] = {"in_process": in_process(args.repeat), "scaling": table}
    report["workbook_readers"] = workbook_readers(args.runs)
    report["end_to_end"] = end_to_end(args.runs, args.copies)
    print(json.dumps(report, indent=2))
    return 0


def in_process(repeat: int) -> dict[str, float]:
    """Median milliseconds to score the paper matrix under both profiles."""
    bench = load_paper()
    timings = []
    for _ in range(max(repeat, 1)):
        start = time.perf_counter()
        score(bench, "paper")
        score(bench, "official")
        timings.append((time.perf_counter() - start) * 1000)
    return {"models": len(bench.models), "tasks": len(bench.tasks),
            "both_profiles_median_ms": round(statistics.median(timings), 2),
            "both_profiles_min_ms": round(min(timings), 2)}


def scaling(sizes: list[int], repeat: int) -> list[dict[str, float]]:
    """Seconds to score ``n`` models x 699 tasks under both profiles (the
    paper rows tiled), per size: best of ``repeat``, ns per cell, the cost
    per cell relative to the first size, and the peak memory beyond the
    input (traced separately) as a multiple of the input matrix."""
    bench = load_paper()
    rows = []
    for n in sizes:
        reps = -(-n // len(bench.models))
        values = np.tile(bench.values, (reps, 1))[:n]
        big = Benchmark(bench.tasks, tuple(f"m{i}" for i in range(n)), values,
                        bench.sheets, bench.source)
        best = float("inf")
        for _ in range(max(repeat, 1)):
            start = time.perf_counter()
            score(big, "paper")
            score(big, "official")
            best = min(best, time.perf_counter() - start)
        tracemalloc.start()
        score(big, "paper")
        score(big, "official")
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        rows.append({"models": n, "tasks": len(bench.tasks), "seconds": round(best, 4),
                     "ns_per_cell": round(best / values.size * 1e9, 2),
                     "peak_memory_x_input": round(peak / values.nbytes, 3)})
    for row in rows:
        row["cost_per_cell_x_first"] = round(row["ns_per_cell"] / rows[0]["ns_per_cell"], 2)
    return rows


def format_scaling(rows: list[dict[str, float]]) -> str:
    """The scaling table as Markdown (the README's Speed section)."""
    lines = ["| models x tasks | both profiles | ns per cell | per cell vs first | "
             "peak memory / input |", "| --- | --- | --- | --- | --- |"]
    for r in rows:
        lines.append(f"| {r['models']:,} x {r['tasks']} | {r['seconds']:.3f} s | "
                     f"{r['ns_per_cell']:.1f} | {r['cost_per_cell_x_first']:.2f} | "
                     f"{r['peak_memory_x_input']:.2f} |")
    return "\n".join(lines)


def workbook_readers(runs: int) -> dict[str, object]:
    """Median milliseconds to read every sheet of a result workbook, per reader."""
    import pandas as pd

    from glscore.io.loaders import _read_workbook

    result = paths.official_dir() / f"{QWEN}_result.xlsx"
    if not result.is_file():
        return {"skipped": f"official workbooks not found in {paths.official_dir()}"}
    readers = {
        "pandas_openpyxl": lambda: pd.read_excel(result, sheet_name=None, engine="openpyxl"),
        "pandas_calamine": lambda: pd.read_excel(result, sheet_name=None, engine="calamine"),
        "glscore_calamine_direct": lambda: _read_workbook(result),
    }
    out: dict[str, object] = {}
    for name, read in readers.items():
        timings = []
        for _ in range(max(runs, 1)):
            start = time.perf_counter()
            read()
            timings.append((time.perf_counter() - start) * 1000)
        out[f"{name}_median_ms"] = round(statistics.median(timings), 1)
    return out


def end_to_end(runs: int, copies: int) -> dict[str, object]:
    """Median seconds of the command line on one and on several workbooks."""
    sota = paths.official_dir() / "sota_result.xlsx"
    result = paths.official_dir() / f"{QWEN}_result.xlsx"
    if not (sota.is_file() and result.is_file()):
        return {"skipped": f"official workbooks not found in {paths.official_dir()}"}
    base = [sys.executable, "-m", "glscore", "score", "--sota", str(sota),
            "--profile", "official", "--scale", "fraction", "--json"]
    one = _median_seconds([*base, "--results", str(result)], runs)
    with tempfile.TemporaryDirectory() as tmp:
        files = _renamed_copies(result, Path(tmp), copies)
        many = _median_seconds([*base, "--results", *map(str, files)], runs)
    return {"one_workbook_median_s": round(one, 3),
            f"{copies}_workbooks_one_call_median_s": round(many, 3),
            "per_workbook_in_batch_s": round(many / copies, 3)}


def _median_seconds(command: list[str], runs: int) -> float:
    timings = []
    for _ in range(max(runs, 1)):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, cwd=paths.REPO_ROOT)
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def _renamed_copies(result: Path, folder: Path, copies: int) -> list[Path]:
    """Copies of a result workbook whose model column is renamed ``copy-k``."""
    import openpyxl

    files = []
    for k in range(1, copies + 1):
        book = openpyxl.load_workbook(result)
        for sheet in book.worksheets:
            for cell in sheet[1]:
                if cell.value == QWEN:
                    cell.value = f"copy-{k}"
        path = folder / f"copy-{k}.xlsx"
        book.save(path)
        files.append(path)
    return files
