"""Issue 9, sections 2 and 3: a new model among the published ones, the examples, the README."""

import hashlib
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from glscore import load_paper, load_source, paths, score
from glscore.analysis.explain import explain, explain_markdown
from glscore.analysis.leaderboard import LOW_COVERAGE, scope_tables
from glscore.cli import main
from glscore.core import metrics
from glscore.io import examples
from glscore.io.loaders import MAX_MAGNITUDE, NOT_SUPPORTED_MARKERS, InputWarning
from tests.workbooks import write_result, write_sota

ROOT = paths.REPO_ROOT
EXAMPLE_CSV = ROOT / "examples" / "emu2-37b.csv"
EXAMPLE_XLSX = ROOT / "examples" / "emu2-37b_result.xlsx"


def strict_json(text):
    def reject(constant):
        raise ValueError(constant)
    return json.loads(text, parse_constant=reject)


def cli_json(capsys, *argv):
    assert main([str(a) for a in argv]) == 0
    return strict_json(capsys.readouterr().out)


# --------------------------------------------------------------------------- examples

def test_committed_examples_are_what_the_generator_writes():
    for name, data in examples.files().items():
        path = ROOT / "examples" / name
        assert path.is_file(), f"{path} missing: run python -m glscore.io.examples"
        assert path.read_bytes() == data, f"{path} differs from glscore.io.examples"


@pytest.mark.parametrize("path", [EXAMPLE_CSV, EXAMPLE_XLSX], ids=["csv", "xlsx"])
@pytest.mark.parametrize("profile", ["paper", "official"])
def test_examples_score_as_the_published_model(path, profile):
    """Same cells as data/ for emu2-37b, so the same record (bar the id), bit for bit."""
    mine = score(load_source(path), profile).record(0)
    bench = load_paper()
    paper = score(bench, profile).record(bench.models.index("emu2-37b"))
    assert mine["name"] == paper["name"] == "Emu2-37B"
    for key in ("level", "scores", "modalities", "nlp", "coverage"):
        assert mine[key] == paper[key], key
    # coverage counted independently from data/scores.csv: supported cells / 699 tasks
    rows = pd.read_csv(paths.SCORES_CSV)
    supported = int(((rows["model_id"] == "emu2-37b") & (rows["supported"])).sum())
    if profile == "paper":
        assert paper["coverage"] == supported / 699


def test_workbook_default_sota_is_the_committed_table(capsys):
    record = cli_json(capsys, "score", "--results", EXAMPLE_XLSX, "--json")
    assert record["sota"] == "data/tasks.csv" and record["origin"] == "input"


# --------------------------------------------------------------------------- --with-paper

def test_with_paper_places_the_input_among_the_published(capsys):
    rows = cli_json(capsys, "leaderboard", "--scope", "A", "--format", "json",
                    "--results", EXAMPLE_CSV, "--with-paper")["rows"]
    n_paper = len(load_paper().models)
    assert len(rows) == n_paper + 1
    origin = {r["name"]: r["origin"] for r in rows}
    assert origin["Emu2-37B [input]"] == "input" and origin["Emu2-37B"] == "paper"
    assert sum(o == "input" for o in origin.values()) == 1
    mine = next(r for r in rows if r["origin"] == "input")
    theirs = next(r for r in rows if r["name"] == "Emu2-37B")
    # identical cells: identical scores, adjacent ranks (ties broken by name)
    assert mine["score"] == theirs["score"] and abs(mine["rank"] - theirs["rank"]) == 1


def test_with_paper_score_records(capsys, tmp_path):
    records = cli_json(capsys, "score", "--results", EXAMPLE_CSV, "--with-paper", "--json")
    assert [r["origin"] for r in records].count("input") == 1
    assert {r["sota"] for r in records} == {"data/tasks.csv"}
    with pytest.warns(InputWarning, match="'Emu2-37B' is also a paper model"):
        bench = load_source(EXAMPLE_CSV, with_paper=True)
    assert bench.models[0] == "Emu2-37B [input]" and len(bench.models) == 103


def test_with_paper_needs_results(capsys):
    assert main(["score", "--with-paper"]) == 2
    assert "--with-paper adds the paper models" in capsys.readouterr().err


# --------------------------------------------------------------------------- coverage

def seven_task_model(tmp_path):
    """Seven tasks, each at SoTA + 1 (plain higher-is-better metrics): IC x3, IG x2, NLP x2."""
    tasks = load_paper().tasks
    unmapped = tasks["metric"].map(lambda m: metrics.match_alias(m) is None)
    plain = tasks[(tasks["direction"] == "higher") & (tasks["sota"] > 1)
                  & (tasks["sota"] < 99) & unmapped]
    pick = pd.concat([plain[plain["sheet"] == "Image-Comprehension"].head(3),
                      plain[plain["sheet"] == "Image-Generation"].head(2),
                      plain[plain["sheet"] == "NLP"].head(2)])
    assert len(pick) == 7
    path = tmp_path / "seven.csv"
    pd.DataFrame({"model": "tiny", "task_id": pick["task_id"],
                  "value": pick["sota"] + 1}).to_csv(path, index=False)
    return path


def test_low_coverage_is_flagged_and_warned(tmp_path, capsys):
    path = seven_task_model(tmp_path)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    assert main(["leaderboard", "--scope", "A", "--format", "json", "--results", str(path),
                 "--with-paper"]) == 0
    out, err = capsys.readouterr()
    rows = strict_json(out)["rows"]
    # by default a row under the minimum coverage is listed below the ranked ones, unranked
    tiny = next(r for r in rows if r["name"] == "tiny")
    assert (tiny["level"], tiny["supported"], tiny["tasks"]) == (5, 7, 699)
    assert tiny["rank"] is None and tiny["ranked"] is False and tiny["low_coverage"] is True
    assert rows[0]["name"] == "VidAgent" and rows.index(tiny) >= len(rows) - 3
    assert all(r["low_coverage"] == (r["coverage"] < LOW_COVERAGE) for r in rows)
    # --min-coverage 0: the framework's ranking, Level-5 on 7 of 699 tasks ranks first ...
    assert main(["leaderboard", "--scope", "A", "--format", "json", "--results", str(path),
                 "--with-paper", "--min-coverage", "0"]) == 0
    out, err = capsys.readouterr()
    top = strict_json(out)["rows"][0]
    assert (top["name"], top["level"], top["rank"]) == ("tiny", 5, 1)
    # ... but the row is flagged and the rank warned about
    assert top["coverage"] == 7 / 699 and top["low_coverage"] is True
    assert "rank 1 'tiny' rests on 7 of 699 tasks" in err
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_board_coverage_is_supported_over_board_tasks():
    bench = load_paper()
    table = next(t for t in scope_tables(bench, "C") if t.board.name == "Image-comprehension")
    row = table.table.set_index("model").loc["vitron-v1"]
    # Vitron-V1 supports 252 of the 271 Image-comprehension tasks (counted from data/)
    rows = pd.read_csv(paths.SCORES_CSV)
    n = int(((rows["model_id"] == "vitron-v1") & rows["supported"]
             & rows["task_id"].str.startswith("IC-")).sum())
    assert row["coverage"] == n / 271 and row["tasks"] == 271


# --------------------------------------------------------------------------- explain

TWO_SIDED = {
    "Image-Comprehension": [("cls", "Acc", 50.0), ("vqa", "Acc", 60.0)],
    "Image-Generation": [("t2i", "Acc", 40.0)],
    "NLP": [("qa", "Acc", 70.0), ("sum", "Acc", 80.0)],
}


def tiny_bench(tmp_path, t2i):
    sota = write_sota(tmp_path / "sota.xlsx", TWO_SIDED)
    result = write_result(tmp_path / "r.xlsx", TWO_SIDED, {"M": {
        "Image-Comprehension": [60.0, 30.0], "Image-Generation": [t2i], "NLP": [75.0, None]}})
    return load_source([result], sota=sota)


def test_explain_a_level5_model(tmp_path):
    e = explain(tiny_bench(tmp_path, 50.0), "m")
    # C3 = (60 + 0) / 2 = 30, G3 = 50, Level-4(Image) = 2*30*50/80 = 37.5;
    # overall over 4 modalities = 9.375; S_L = 75 / 2 = 37.5; Level-5 = 9.375 * 0.375
    assert e["level"] == 5 and e["scores"]["level5"] == pytest.approx(3.515625)
    image_c = next(w for w in e["wins"] if (w["modality"], w["paradigm"]) ==
                   ("Image", "comprehension"))
    assert (image_c["tasks"], image_c["supported"], image_c["wins"]) == (2, 2, 1)
    assert image_c["win_tasks"] == ["IC-001"] and image_c["mean_credit"] == 30.0
    image = e["contributions"]["modalities"]["Image"]
    # (30+50)/2 = 40; its part of the overall Level-3 = 40/4 = 10 points, all of it (100%)
    assert image["level3"] == 40.0 and image["points_level3"] == 10.0
    assert image["share_level3"] == pytest.approx(100.0)
    assert e["contributions"]["modalities"]["Video"]["share_level3"] == 0.0
    text = explain_markdown(e)
    assert "| 10.00 (100%) |" in text and "from 0.00 to 0.00" not in text
    assert e["next_level"]["level"] is None
    json.dumps(e, allow_nan=False)


def test_explain_names_the_binding_constraint(tmp_path):
    e = explain(tiny_bench(tmp_path, 30.0), "M")
    # no generation win: Level-3 with comprehension credit only; one t2i win (30 -> 40) lifts it
    assert e["level"] == 3 and "Image (comprehension only)" in e["why"]
    n = e["next_level"]
    assert (n["level"], n["task_id"], n["from_score"], n["to_score"], n["increase"]) == (
        4, "IG-001", 30.0, 40.0, 10.0)
    text = explain_markdown(e)
    assert "raise `IG-001`" in text and "from 30.00 to 40.00 (+10.00" in text


def test_explain_cli(capsys):
    assert main(["explain", "vitron-v1"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("# Vitron-V1 (`vitron-v1`): Level-4")
    record = cli_json(capsys, "explain", "Vitron-V1", "--json")
    assert {"model", "level", "wins", "next_level", "origin", "sota"} <= set(record)
    assert main(["explain", "vitron-v2"]) == 2
    assert "did you mean 'vitron-v1'" in capsys.readouterr().err


# --------------------------------------------------------------------------- bootstrap

def test_bootstrap_with_one_task_per_group_is_degenerate(tmp_path, capsys):
    """Resampling a one-task group draws that task again: the interval is the point."""
    sheets = {"Image-Comprehension": [("cls", "Acc", 50.0)],
              "Image-Generation": [("t2i", "Acc", 40.0)], "NLP": [("qa", "Acc", 70.0)]}
    sota = write_sota(tmp_path / "s.xlsx", sheets)
    result = write_result(tmp_path / "r.xlsx", sheets, {"M": {
        "Image-Comprehension": [60.0], "Image-Generation": [50.0], "NLP": [75.0]}})
    record = cli_json(capsys, "score", "--results", result, "--sota", sota, "--json",
                      "--bootstrap", "30", "--seed", "3")
    u = record["uncertainty"]
    assert (u["n_boot"], u["seed"]) == (30, 3)
    for level, (lo, hi) in u["scores"].items():
        assert lo == hi == pytest.approx(record["scores"][level])
    assert u["p_level"] == {"1": 0.0, "2": 0.0, "3": 0.0, "4": 0.0, "5": 1.0}


def test_bootstrap_is_seeded(capsys):
    a = cli_json(capsys, "score", "--model", "vitron-v1", "--json", "--bootstrap", "50")
    b = cli_json(capsys, "score", "--model", "vitron-v1", "--json", "--bootstrap", "50")
    assert a == b
    assert sum(a["uncertainty"]["p_level"].values()) == pytest.approx(1.0)
    for lo, hi in a["uncertainty"]["scores"].values():
        assert lo <= hi


# --------------------------------------------------------------------------- README

def readme_section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("## Score your own model")
    end = text.index("\n## ", start + 3)
    return text[start:end]


def readme_commands() -> list[str]:
    blocks = re.findall(r"```bash\n(.*?)```", readme_section(), re.S)
    return [line.strip() for block in blocks for line in block.splitlines()
            if line.strip() and not line.strip().startswith("#")]


def git_state() -> str:
    out = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=ROOT,
                         capture_output=True, text=True, check=True)
    return out.stdout


def test_readme_section_commands_run_verbatim():
    commands = readme_commands()
    assert len(commands) >= 5
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    before = git_state()
    digests = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in (EXAMPLE_CSV,
                                                                          EXAMPLE_XLSX)}
    for command in commands:
        assert shlex.split(command)[0] in ("glscore", "python"), command
        proc = subprocess.run(["bash", "-c", command], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=120)
        assert proc.returncode == 0, (command, proc.stderr)
        assert proc.stdout.strip(), command
        assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr
        if "--json" in command:
            strict_json(proc.stdout)
    assert git_state() == before  # nothing written in the checkout
    assert digests == {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in digests}


def test_readme_section_states_what_the_code_does():
    section = readme_section()
    for marker in NOT_SUPPORTED_MARKERS:
        assert f"`{marker}`" in section, marker
    assert f"{LOW_COVERAGE:.0%} coverage" in section.replace("\n  ", " ")
    assert f"10^{int(np.log10(MAX_MAGNITUDE))}" in section
    record = score(load_source(EXAMPLE_CSV)).record(0)
    assert f"at Level-{record['level']}" in section


def test_with_paper_refuses_tasks_it_cannot_match(tmp_path, capsys):
    """A tasks table with its own ids and no task names cannot be aligned with the paper's."""
    tasks = tmp_path / "tasks.csv"
    tasks.write_text("task_id,modality,paradigm,metric,sota\nc1,Image,comprehension,Acc,50\n"
                     "g1,Image,generation,Acc,40\nn1,NLP,nlp,Acc,70\n")
    tidy = tmp_path / "r.csv"
    tidy.write_text("model,task_id,value\nm,c1,60\nm,g1,50\nm,n1,80\n")
    assert main(["score", "--results", str(tidy), "--sota", str(tasks), "--with-paper"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("glscore: error: ") and "--with-paper needs the same task rows" in err
