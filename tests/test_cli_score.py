"""``glscore score`` on the committed paper data: formats and consistency."""

import json

import pytest

from glscore import load_paper, score
from glscore.cli import main


def test_json_for_one_model_matches_the_api(capsys):
    assert main(["score", "--model", "Vitron-V1", "--json", "--profile", "official"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert set(record) == {"model", "name", "coverage", "profile", "rule", "level", "scores",
                           "modalities", "nlp", "origin", "sota", "proxy_tasks"}
    assert set(record["scores"]) == {"level2", "level3", "level4", "level5"}
    assert set(record["modalities"]) == {"Image", "Video", "Audio", "3D"}
    assert set(record["modalities"]["Image"]) == {"level2", "level3", "level4", "supported",
                                                  "tasks", "wins", "coverage", "zero_filled"}
    for part in (*record["modalities"].values(), record["nlp"]):
        assert part["wins"] <= part["supported"] <= part["tasks"]
    assert (record["model"], record["name"]) == ("vitron-v1", "Vitron-V1")
    assert (record["origin"], record["sota"]) == ("paper", "data/tasks.csv")
    bench = load_paper()
    expected = score(bench, "official").record(bench.models.index("vitron-v1"))
    expected.update(origin="paper", sota="data/tasks.csv", proxy_tasks=[])
    assert record == expected  # full precision survives the JSON round trip


def test_json_for_all_models_is_a_list(capsys):
    assert main(["score", "--json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert isinstance(records, list) and len(records) == len(load_paper().models)
    assert {r["profile"] for r in records} == {"paper"}
    # Level-3 cannot exceed Level-2 and Level-5 cannot exceed Level-4 (strict rule)
    for r in records:
        s = r["scores"]
        assert s["level3"] <= s["level2"] + 1e-9 and s["level5"] <= s["level4"] + 1e-9


def test_table_output_has_a_header_and_a_row_per_model(capsys):
    assert main(["score"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("profile=paper rule=strict models=")
    assert any(line.startswith("Vitron-V1") for line in lines)


@pytest.mark.parametrize("option", [["--aggregation", "pooled"], ["--level4-mean", "geometric"]])
def test_options_change_the_profile_name(capsys, option):
    assert main(["score", "--model", "vitron-v1", "--json", *option]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["profile"].startswith("paper[")


def test_bad_param_is_one_line(capsys):
    assert main(["score", "--param", "tau"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    # the default rule, strict, has no parameters: the message says so
    assert err == ["glscore: error: --param 'tau': expected KEY=NUMBER (a finite number); "
                   "'strict' takes: none"]


def test_start_up_stays_light():
    """Scoring a workbook should not pay for scipy or matplotlib at start-up."""
    import subprocess
    import sys

    code = ("import sys; from glscore.cli import build_parser; build_parser(); "
            "print(sorted(m for m in ('scipy', 'matplotlib', 'seaborn') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("fmt", ["table", "latex"])
def test_bootstrap_prints_its_intervals_in_every_format(capsys, fmt):
    """--bootstrap without --json shows the 95% intervals (the same numbers as the
    JSON record of the same seed), not nothing."""
    args = ["score", "--model", "vitron-v1", "--bootstrap", "30", "--seed", "3"]
    assert main([*args, "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    lo, hi = record["uncertainty"]["scores"]["level3"]
    assert main([*args, "--format", fmt]) == 0
    out = capsys.readouterr().out
    assert f"{lo:.2f}-{hi:.2f}" in out
    assert ("Level-3 95\\%" if fmt == "latex" else "level3_95") in out
