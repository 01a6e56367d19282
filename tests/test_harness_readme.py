"""Issue 22: the README's "Results from evaluation harnesses" section, run as written.

Every command of its bash block runs from the repository root (the output
folder ``/tmp/glscore-demo`` replaced by a temporary one); the checkout and
the example files stay untouched, and the section's statements about the
worked example are checked against what glscore computes.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shlex
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from glscore import load_source, paths, score
from glscore.analysis.leaderboard import LOW_COVERAGE
from glscore.io.loaders import InputWarning, load_workbooks

ROOT = paths.REPO_ROOT
EXAMPLE = ROOT / "examples" / "lm-eval"
MAPPING = ROOT / "examples" / "lm-eval-mapping.csv"
DEMO = "/tmp/glscore-demo"


def section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("## Results from evaluation harnesses")
    return text[start:text.index("\n## ", start + 3)]


def commands() -> list[str]:
    blocks = re.findall(r"```bash\n(.*?)```", section(), re.S)
    return [line.strip() for block in blocks for line in block.splitlines()
            if line.strip() and not line.strip().startswith("#")]


def git_state() -> str:
    return subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=ROOT,
                          capture_output=True, text=True, check=True).stdout


def test_the_section_commands_run_as_written(tmp_path):
    listed = commands()
    assert len(listed) == 9 and all(shlex.split(c)[0] == "glscore" for c in listed)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    before = git_state()
    digests = {p: hashlib.sha256(p.read_bytes()).hexdigest()
               for p in [MAPPING, *EXAMPLE.rglob("*.json")]}
    outputs = {}
    for command in listed:
        argv = [a.replace(DEMO, str(tmp_path)) for a in shlex.split(command)]
        proc = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=120)
        assert proc.returncode == 0, (command, proc.stderr)
        assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr
        outputs[command] = proc
        if "--json" in command:
            json.loads(proc.stdout)
    assert git_state() == before  # nothing written in the checkout
    assert digests == {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in digests}
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "my_mapping.csv", "omni-7b.csv", "omni-7b_result.xlsx"]
    score_text = outputs[listed[1]]
    assert "proxy" in score_text.stdout.splitlines()[1]
    assert ("2 harness task(s) in the results have no mapping row and are not scored: "
            "lm-eval:arc_challenge, lm-eval:mmmu_val") in score_text.stderr
    assert f"coverage 0.4%, below {LOW_COVERAGE:.0%}" in score_text.stderr
    assert outputs[listed[0]].stdout.startswith("'examples/lm-eval-mapping.csv': mapping format 1,"
                                                " valid: 4 row(s)")


def test_the_csv_block_is_the_example_mapping():
    block = re.findall(r"```csv\n(.*?)```", section(), re.S)
    assert block == [MAPPING.read_text(encoding="utf-8")]


def test_the_section_states_what_glscore_computes(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InputWarning)
        bench = load_source(EXAMPLE, mapping=MAPPING)
        bare = load_source(EXAMPLE, mapping=MAPPING, no_proxy=True)
    record, without = score(bench).record(0), score(bare).record(0)
    ids = list(bench.tasks["task_id"])
    value = {t: bench.values[0, ids.index(t)] for t in ("IC-070", "NLP-070", "NLP-041")}
    sota = bench.tasks.set_index("task_id")["sota"]
    text = " ".join(section().split())
    supported = int(np.isfinite(bench.values).sum())
    proxies = [t for t, p in zip(ids, bench.proxy_cells()[0], strict=True) if p]
    assert (supported, proxies, bench.models) == (3, ["NLP-041"], ("imaginary-lab/omni-7b",))
    assert f"cover {record['coverage']:.1%} of the {len(ids)} tasks" in text
    for task in ("IC-070", "NLP-070"):
        assert value[task] >= sota[task]
        assert f"`{task}` ({value[task]:.2f} against {sota[task]:.2f})" in text
    assert f"reaches Level-{record['level']} (Level-3 = {record['scores']['level3']:.2f}:" in text
    assert record["scores"]["level4"] == 0 and record["modalities"]["Image"]["level3"] > 0
    assert f"`--no-proxy` leaves it at Level-{without['level']}" in text
    assert (f"GSM8K's {value['NLP-041']:.2f} is below the {sota['NLP-041']:.2f} of the task it "
            "stands in for") in text
    assert np.isnan(bench.values[0, ids.index("NLP-001")])  # mapped, not run


def test_the_example_round_trips_through_the_workbook(tmp_path):
    from glscore.cli import main

    out = tmp_path / "omni.xlsx"
    assert main(["export", "--results", str(EXAMPLE), "--mapping", str(MAPPING), "--no-proxy",
                 "--to", "workbook", str(out)]) == 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InputWarning)
        direct = score(load_source(EXAMPLE, mapping=MAPPING, no_proxy=True)).record(0)
    back = score(load_workbooks(None, [out])).record(0)
    assert back == direct
    frame = pd.read_excel(out, sheet_name="NLP", engine="openpyxl")  # as the reference reads it
    assert list(frame.columns) == ["No", "Task Name", "Task Short Name", "Metrics",
                                   "imaginary-lab/omni-7b"]
