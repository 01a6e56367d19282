"""The rank uncertainty on the command line and in ``explain``, on the paper data."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from glscore.analysis.uncertainty import findings
from glscore.analysis.uncertainty.published import published_ranks
from glscore.cli import main

ROW_KEYS = {"rank_interval", "rank_conservative", "p_first", "p_level", "score_interval"}
BOARD_KEYS = {"tied_with_first", "distinguishable_adjacent", "draws", "seed", "sources",
              "measurement", "composition", "unit"}


def _json(capsys, *argv) -> object:
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


@pytest.fixture(scope="module")
def scope_a():
    """``leaderboard --scope A --uncertainty --format json`` (300 draws), run once."""
    from contextlib import redirect_stdout
    from io import StringIO

    out = StringIO()
    with redirect_stdout(out):
        assert main(["leaderboard", "--scope", "A", "--uncertainty", "--format", "json",
                     "--draws", "300", "--pairwise", "4"]) == 0
    return json.loads(out.getvalue())


def test_scope_a_json_has_the_keys_per_row_and_board(scope_a):
    facts = scope_a["uncertainty"]
    assert set(facts) >= BOARD_KEYS
    assert facts["draws"] == 300 and facts["seed"] == 0 and facts["unit"] == "skill"
    assert facts["sources"] == ["composition", "measurement"]
    assert facts["measurement"]["noise"] == "assumed" and facts["measurement"]["scale"] > 0
    first = scope_a["rows"][0]
    assert facts["tied_with_first"] and first["name"] in facts["tied_with_first"]
    ranked = [row for row in scope_a["rows"] if row["ranked"]]
    below = [row for row in scope_a["rows"] if not row["ranked"]]
    # the rows listed below (coverage policy) are not simulated: no interval, no rank
    assert sorted(r["name"] for r in below) == ["LISA-7B", "LM4LV"]
    assert all(r["rank"] is None and r["rank_interval"] is None for r in below)
    assert scope_a["rows"][-len(below):] == below          # listed after the ranked rows
    for row in ranked:
        assert set(row) >= ROW_KEYS
        lo, hi = row["rank_interval"]
        assert 1 <= lo <= hi <= len(ranked)
        assert set(row["p_level"]) == {"2", "3", "4", "5"}
        assert all(0.0 <= p <= 1.0 for p in row["p_level"].values())
        p = [row["p_level"][k] for k in "2345"]
        assert p == sorted(p, reverse=True)            # P(level >= k) falls with k
    assert sum(r["p_first"] for r in ranked) == pytest.approx(1.0)
    pairs = scope_a["pairwise"]
    assert len(pairs["models"]) == 4 and pairs["p_above"][0][0] is None


def test_markdown_note_without_uncertainty(capsys):
    assert main(["leaderboard", "--scope", "B", "--board", "Video", "--top", "3"]) == 0
    out = capsys.readouterr().out
    note = [line for line in out.splitlines() if line.startswith("Tied with #1")]
    assert len(note) == 1 and "VidAgent" in note[0] and "200 draws" in note[0]
    assert out.count("\n| ") == 4                       # the table as before: header + 3 rows


def test_markdown_and_csv_with_uncertainty(capsys):
    assert main(["leaderboard", "--scope", "C", "--board", "Image-generation", "--top", "3",
                 "--uncertainty", "--draws", "100", "--sources", "composition"]) == 0
    out = capsys.readouterr().out
    assert "| rank_95 |" in out and "| P(L3+) |" in out and "| P(L4+) |" not in out
    method = next(line for line in out.splitlines() if line.startswith("Uncertainty:"))
    assert "100 draws, seed 0: skill groups resampled" in method and "noise" not in method
    assert main(["leaderboard", "--scope", "C", "--board", "Image-generation", "--uncertainty",
                 "--draws", "100", "--format", "csv"]) == 0
    from io import StringIO

    frame = pd.read_csv(StringIO(capsys.readouterr().out))
    assert {"rank_lo", "rank_hi", "rank_conservative", "p_first", "p_level3", "score_lo"} <= set(
        frame.columns)
    assert "p_level4" not in frame.columns                 # above the cap of Scope-C


@pytest.mark.parametrize("argv, message", [
    (["--draws", "100001"], "--draws: 100,001 draws, above the limit of 100,000; set the "
                            "environment variable GLSCORE_MAX_DRAWS to a larger number"),
    (["--draws", "0"], "--draws 0: expected a whole number >= 1"),
    (["--pairwise", "3"], "--pairwise 3: give --uncertainty"),
])
def test_bad_uncertainty_options(capsys, argv, message):
    extra = [] if "--pairwise" in argv else ["--uncertainty"]
    assert main(["leaderboard", "--scope", "A", *extra, *argv]) == 2
    err = capsys.readouterr().err
    assert err.strip() == f"glscore: error: {message}" or message in err
    assert len(err.strip().splitlines()) == 1


def test_too_many_stored_draws_is_one_line(capsys):
    assert main(["leaderboard", "--scope", "D", "--uncertainty", "--draws", "100000"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("glscore: error: 100,000 draws x") and "use at most" in err


def test_explain_json_under_noise(capsys):
    obj = _json(capsys, "explain", "Vitron-V1", "--json", "--draws", "300")
    assert {"fragile_wins", "p_level", "expected_level3", "level3_interval", "noise"} <= set(obj)
    assert obj["noise"]["draws"] == 300 and obj["noise"]["noise"] == "assumed"
    ps = [w["p_win"] for w in obj["fragile_wins"]]
    assert ps == sorted(ps) and all(p < 0.9 for p in ps)
    assert len(obj["fragile_wins"]) <= obj["won_tasks"]
    # every fragile win is a win: its normalised score is at or above the SoTA
    assert all(w["score"] >= w["sota"] for w in obj["fragile_wins"])
    # and its P(win) is the normal CDF of the standardised margin
    from scipy.stats import norm

    w = obj["fragile_wins"][0]
    z = (w["score"] - w["sota"]) / np.hypot(w["score_se"], w["sota_se"])
    assert w["p_win"] == pytest.approx(norm.cdf(z))
    lo, hi = obj["level3_interval"]
    assert lo <= obj["expected_level3"] <= hi
    assert set(obj["p_level"]) == {"2", "3", "4", "5"}
    assert main(["explain", "Vitron-V1", "--draws", "300"]) == 0
    text = capsys.readouterr().out
    assert "\n## Under noise\n" in text and "| P(win) |" in text


# --------------------------------------------------------------------------- findings

def _frame(**columns) -> pd.DataFrame:
    base = {"scope": "A", "board": "full", "rank": [1, 2, 3], "model": ["a", "b", "c"],
            "name": ["A", "B", "C"], "level": [4, 3, 3], "score": [2.0, 5.0, 4.0],
            "supported": [40, 500, 300], "tasks": [699] * 3, "rank_lo": [1, 1, 2],
            "rank_hi": [30, 3, 6], "rank_conservative": [1, 1, 1], "p_first": [0.3, 0.7, 0.0],
            "p_level4": [0.97, 0.1, 0.0]}
    base.update(columns)
    return pd.DataFrame(base)


def test_finding_coverage_by_hand():
    text = findings.finding_coverage(_frame())
    # the #1 (A, 40 tasks) against the most often first (B, 500 tasks, 70%)
    assert text.startswith("A (#1, 40 of 699 tasks) is first in 30% of draws (95% rank "
                           "interval 1-30); it loses Level-4 in 3.0% of draws")
    assert "while B (#2, 500 of 699 tasks) is first in 70% of draws" in text
    # three models at Level-3+: supported 40, 500, 300 vs widths 30, 3, 5 -> ranks
    # (1, 3, 2) against (3, 1, 2): Spearman rho = 1 - 6 * (4 + 4 + 0) / (3 * 8) = -1
    assert "Spearman rho = -1.00" in text


def test_finding_published_names_the_missing_model():
    frame = _frame(published_level=[np.nan, 4.0, 3.0], published_score=[np.nan, 1.1, 4.0],
                   published_rank=[np.nan, 2.0, 3.0])
    pub = pd.DataFrame({"board": "full", "model": ["x", "b", "c"],
                        "published_name": ["X-Model", "B", "C"], "published_level": [4, 4, 3],
                        "published_score": [1.5, 1.1, 4.0], "published_rank": [1, 2, 3]})
    text = findings.finding_published(frame, pub)
    assert text.startswith("On Scope-A the published level tables put X-Model first "
                           "(Level-4, 1.50), a model without per-task data")
    assert "they put B first (published rank 2" in text and "has published rank none." in text


def test_published_ranks_order_the_tables_as_the_boards():
    pub = published_ranks()
    full = pub[pub["board"] == "full"].set_index("model")
    raw = pd.read_csv("data/published_levels.csv")
    # a model's published level is the highest table with a non-zero overall score
    for model in ("vitron-v1", "qwen2-vl-72b", "anygpt"):
        rows = raw[(raw["model_id"] == model) & (raw["overall"] != 0)]
        assert full.loc[model, "published_level"] == rows["level"].max()
    # the ranks follow (level, score) descending
    ordered = full.sort_values("published_rank")
    key = list(zip(-ordered["published_level"], -ordered["published_score"], strict=True))
    assert key == sorted(key)


def test_sota_se_column_of_the_tasks_table(tmp_path, capsys):
    """A tasks table with a ``sota_se`` column: the SoTA noise is measured where
    it has a value and assumed elsewhere ("mixed"); a bad value is one line."""
    tasks = pd.read_csv("data/tasks.csv")
    tasks["sota_se"] = ""
    tasks.loc[:9, "sota_se"] = "1.5"
    path = tmp_path / "tasks.csv"
    tasks.to_csv(path, index=False)
    source = ["--results", "examples/emu2-37b.csv", "--with-paper", "--sota", str(path)]
    obj = _json(capsys, "leaderboard", "--scope", "B", "--board", "Image", "--uncertainty",
                "--draws", "50", "--format", "json", *source)
    measurement = obj["uncertainty"]["measurement"]
    assert measurement["noise"] == "mixed" and measurement["measured_sota"] == 10
    assert measurement["measured_cells"] == 0
    tasks.loc[3, "sota_se"] = "abc"
    tasks.to_csv(path, index=False)
    assert main(["leaderboard", "--scope", "A", "--uncertainty", *source]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1] == (f"glscore: error: {path}: column 'sota_se', task 'IC-004': 'abc' is not "
                       "a number (leave it empty when not measured)")
    assert not any("low_coverage" in line for line in err)   # stopped before scoring
