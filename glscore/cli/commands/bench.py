"""``glscore bench``: how fast scoring is, measured on this machine.

1. In process: scoring the whole paper matrix (models x 699 tasks) under
   both profiles, median of ``--repeat`` runs (data loaded once); and the
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
from pathlib import Path

from glscore import paths
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
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    report: dict[str, object] = {"in_process": in_process(args.repeat)}
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
    out = {}
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
