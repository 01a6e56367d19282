"""Natural experiments: paired statistics, pooling, noise floor, CLI; small hand-checked cases."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from glscore import paths
from glscore.analysis import natural
from glscore.cli import main
from glscore.core.benchmark import Benchmark

NAN = np.nan


def _tasks() -> pd.DataFrame:
    """One image task and four NLP tasks in two skill groups (L-1: N1, N2; L-2: N3, N4)."""
    rows = [{"task_id": "IC-001", "modality": "Image", "paradigm": "comprehension",
             "sheet": "Image-Comprehension", "sheet_row": 1, "skill_group_id": "I-C-1",
             "skill_short_name": "img"}]
    for k, group in zip(range(1, 5), ("L-1", "L-1", "L-2", "L-2"), strict=True):
        rows.append({"task_id": f"NLP-00{k}", "modality": "NLP", "paradigm": "nlp",
                     "sheet": "NLP", "sheet_row": k, "skill_group_id": group,
                     "skill_short_name": group})
    frame = pd.DataFrame(rows)
    return frame.assign(task_name="t", task_short_name="t", metric="ACC", direction="higher",
                        sota=90.0)


def _meta(rows: list[dict]) -> pd.DataFrame:
    cols = ("model_id", "display_name", "base_model_id", "base_tier", "modalities", "paradigms",
            "citation", "backbone_lineage", "backbone_version", "backbone_params_b",
            "table4_doubtful", "group", "base_evidence")
    return pd.DataFrame([{c: r.get(c, "") for c in cols} for r in rows])


def _tiny(tmp_path: Path, alternates: str = "") -> natural.Natural:
    #                 image  N1    N2    N3    N4
    values = np.array([[30.0, 50.0, 60.0, 70.0, NAN],    # m: the MLLM
                       [NAN, 40.0, 65.0, 60.0, 30.0],    # b: its base
                       [20.0, 50.0, 61.0, 70.0, 10.0]])  # x: unrelated
    bench = Benchmark(_tasks(), ("m", "b", "x"), values, source="tiny")
    meta = _meta([
        {"model_id": "m", "display_name": "M", "base_model_id": "b", "base_tier": "exact",
         "modalities": "NLP;Image", "paradigms": "comprehension", "group": "open-multimodal"},
        {"model_id": "b", "display_name": "B", "modalities": "NLP", "group": "language"},
        {"model_id": "x", "display_name": "X", "modalities": "NLP;Image",
         "group": "open-multimodal"},
    ])
    alt = tmp_path / "alt.csv"
    alt.write_text("model_id,task_id,value\n" + alternates, encoding="utf-8")
    return natural.prepare(bench, "paper", meta, alt, min_run=2, min_models=3)


def test_pair_with_a_known_difference(tmp_path):
    nat = _tiny(tmp_path)
    table = natural.pairs_table(nat, "drop", n_boot=0)
    row = table.iloc[0]
    # d = m - b on N1..N3 (N4: m unsupported): 50-40 = 10, 60-65 = -5, 70-60 = 10
    assert (row["mllm"], row["base"], row["tier"]) == ("m", "b", "exact")
    assert row["n"] == 3
    assert row["mean_diff"] == pytest.approx((10 - 5 + 10) / 3)
    assert row["median_diff"] == 10
    assert (row["wins"], row["losses"], row["ties"]) == (2, 1, 0)
    # two-sided sign test, 2 wins of 3: P(X<=1)+P(X>=2) = 1 (whole distribution)
    assert row["sign_p"] == pytest.approx(1.0)
    # sd: deviations from the mean 5 are 5, -10, 5 -> (25 + 100 + 25) / (3 - 1) = 75
    assert row["sd"] == pytest.approx(math.sqrt(75))


def test_zero_fill_counts_unsupported_as_zero(tmp_path):
    nat = _tiny(tmp_path)
    row = natural.pairs_table(nat, "zero", n_boot=0).iloc[0]
    # N4: m unsupported -> 0 - 30 = -30; mean (10 - 5 + 10 - 30) / 4
    assert row["n"] == 4 and row["mean_diff"] == pytest.approx(-15 / 4)
    assert (row["wins"], row["losses"]) == (2, 2)


def test_clean_mode_drops_flagged_cells(tmp_path):
    nat = _tiny(tmp_path)
    # m and x print 50, 60?, 70: equal on N1 and N3 only with N2 a break (60 vs 61),
    # so no run of 2; the value 50.0 on N1 is shared by m and x only (< 3 models).
    assert not nat.flagged.any()
    values = nat.bench.values.copy()
    values[2, 2] = 60.0  # x now copies m on N1..N3: a run of 3 equal values
    bench = Benchmark(nat.bench.tasks, nat.bench.models, values, source="tiny")
    nat2 = natural.prepare(bench, "paper", nat.meta, tmp_path / "alt.csv", min_run=2,
                           min_models=3)
    assert nat2.copies[["model_a", "model_b", "first_task", "last_task", "length"]].to_dict(
        "records") == [{"model_a": "m", "model_b": "x", "first_task": "NLP-001",
                        "last_task": "NLP-003", "length": 3}]
    row = natural.pairs_table(nat2, "clean", n_boot=0).iloc[0]
    assert row["n"] == 0  # every cell m shares with b lies in the copied run


def test_bootstrap_intervals_bracket_the_mean_and_one_cluster_is_degenerate(tmp_path):
    nat = _tiny(tmp_path)
    row = natural.pairs_table(nat, "drop", n_boot=500, seed=3).iloc[0]
    assert row["ci_low"] <= row["mean_diff"] <= row["ci_high"]
    assert row["ci_low"] >= -5 and row["ci_high"] <= 10  # means of the values -5, 10, 10
    # a single cluster: every resample holds every task once -> the plain mean
    diffs = np.array([[10.0, -5.0, 10.0, NAN]])
    stats = natural.pair_statistics(diffs, np.array(["g"] * 4), n_boot=50, seed=0)
    assert stats.loc[0, "cluster_low"] == pytest.approx(5.0)
    assert stats.loc[0, "cluster_high"] == pytest.approx(5.0)


def test_resampled_means_by_hand():
    diffs = np.array([[1.0, 3.0, NAN]])
    weights = np.array([[2.0, 1.0, 5.0], [0.0, 0.0, 3.0]])
    # (2*1 + 1*3) / (2 + 1) = 5/3; the second resample holds none of the pair's tasks
    out = natural.resampled_means(diffs, weights)
    assert out[0, 0] == pytest.approx(5 / 3) and np.isnan(out[1, 0])


def test_random_effects_pooling_formula():
    # y = 0, 2, 4 with se = 1, 1, 2: w = 1, 1, 1/4, sum 2.25
    # fixed = (0 + 2 + 1) / 2.25 = 4/3; Q = (4/3)^2 + (2/3)^2 + (8/3)^2 / 4 = 4
    # C = 2.25 - (1 + 1 + 1/16) / 2.25 = 4/3; tau^2 = (Q - 2) / C = 1.5
    # w* = 1/2.5, 1/2.5, 1/5.5; mu = (0 + 2/2.5 + 4/5.5) / (2/2.5 + 1/5.5)
    r = natural.random_effects(np.array([0.0, 2.0, 4.0]), np.array([1.0, 1.0, 2.0]))
    w_star = np.array([1 / 2.5, 1 / 2.5, 1 / 5.5])
    assert r["k"] == 3 and r["q"] == pytest.approx(4.0)
    assert r["tau"] == pytest.approx(math.sqrt(1.5))
    assert r["i2"] == pytest.approx(50.0)  # (4 - 2) / 4
    assert r["mu"] == pytest.approx((2 / 2.5 + 4 / 5.5) / w_star.sum())
    assert r["se"] == pytest.approx(w_star.sum() ** -0.5)
    # homogeneous estimates: tau = 0, I2 = 0, the fixed-effect mean
    h = natural.random_effects(np.array([1.0, 1.0]), np.array([1.0, 2.0]))
    assert h["tau"] == 0 and h["i2"] == 0 and h["mu"] == pytest.approx(1.0)
    # zero standard errors and NaN are left out
    assert natural.random_effects(np.array([1.0, NAN]), np.array([0.0, 1.0]))["k"] == 0


def test_sign_test_by_hand():
    # 9 wins, 1 loss: 2 * P(X <= 1) = 2 * (1 + 10) / 1024
    assert natural.sign_test(9, 1) == pytest.approx(22 / 1024)
    assert math.isnan(natural.sign_test(0, 0))


def test_noise_floor_from_a_second_printed_row(tmp_path):
    nat = _tiny(tmp_path, "m,NLP-001,52.0\nm,NLP-002,57.0\nm,NLP-003,70.0\n")
    floor = natural.noise_floor(nat)
    nlp = floor[floor["sheet"] == "NLP"].iloc[0]
    # m - m@2: 50-52 = -2, 60-57 = 3, 70-70 = 0
    assert (nlp["model_a"], nlp["model_b"], nlp["kind"]) == ("m", "m@2", "printed twice")
    assert nlp["n"] == 3 and nlp["mean_diff"] == pytest.approx(1 / 3)
    assert nlp["identical"] == 1
    assert natural.noise_band(floor) == pytest.approx(1 / 3)
    # second rows are never paired, never flagged, and kept out of the published bench
    assert "m@2" not in natural.published(nat).models


# ---------------------------------------------------------------- the paper data


@pytest.fixture(scope="module")
def paper():
    return natural.prepare()


def test_paper_pairs_follow_models_csv(paper):
    models = pd.read_csv(paths.MODELS_CSV, dtype=str, keep_default_na=False)
    linked = models[models["base_model_id"] != ""]
    table = natural.pairs_table(paper, n_boot=0)
    assert set(zip(table["mllm"], table["base"], table["tier"], strict=True)) == set(
        zip(linked["model_id"], linked["base_model_id"], linked["base_tier"], strict=True))


def test_paper_pair_difference_from_the_csv(paper):
    """CogVLM-Chat - Vicuna-7B-v1.5 recomputed from data/scores.csv (NLP tasks that
    the paper profile leaves as printed: all but the RMSE task NLP-061)."""
    scores = pd.read_csv(paths.SCORES_CSV)
    nlp = scores[scores["task_id"].str.startswith("NLP") & (scores["task_id"] != "NLP-061")]
    wide = nlp.pivot(index="task_id", columns="model_id", values="value")
    d = (wide["cogvlm-chat"] - wide["vicuna-7b-v1.5"]).dropna()
    diffs = natural.differences(paper, ["cogvlm-chat"], ["vicuna-7b-v1.5"])[0]
    tasks = paper.nlp_tasks["task_id"].to_numpy()
    mine = pd.Series(diffs, index=tasks).drop("NLP-061").dropna()
    assert len(mine) == len(d)
    assert np.allclose(mine.sort_index().to_numpy(), d.sort_index().to_numpy())


def test_paper_floor_excludes_rows_that_are_other_models(paper):
    floor = natural.noise_floor(paper)
    assert set(floor["model_a"]) <= {"anygpt", "qwen2-vl-72b", "gpt-4o"}
    assert {"deepseek-vl-7b-base@2", "internvl-2-26b@2"}.isdisjoint(floor["model_b"])


def test_known_copy_run_is_flagged(paper):
    """ModaVerse-7b-v0 and PandaGPT-13B print the same NLP values on a long run."""
    run = paper.copies[(paper.copies["model_a"] == "modaverse-7b-v0")
                       & (paper.copies["model_b"] == "pandagpt-13b")].iloc[0]
    scores = pd.read_csv(paths.SCORES_CSV)
    wide = scores[scores["model_id"].isin(["modaverse-7b-v0", "pandagpt-13b"])].pivot(
        index="task_id", columns="model_id", values="value")
    block = wide.loc[run["first_task"]:run["last_task"]].dropna()
    assert (block["modaverse-7b-v0"] == block["pandagpt-13b"]).sum() == run["length"] >= 8
    rows = paper.rows(["modaverse-7b-v0", "pandagpt-13b"])
    j = paper.bench.tasks["task_id"].tolist().index(run["first_task"])
    assert paper.flagged[rows, j].all()


def test_cli_json_is_strict_and_complete(capsys):
    assert main(["natural", "--json", "--n-boot", "50"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {"pairs", "copies"} <= set(out)
    pair = out["pairs"][0]
    assert {"mllm", "base", "tier", "n", "mean_diff", "ci", "wins", "losses", "sign_p"} <= set(
        pair)
    assert len(pair["ci"]) == 2
    copy = out["copies"][0]
    assert len(copy["models"]) == 2 and {"sheet", "run"} <= set(copy)


def test_cli_table_and_bad_option(capsys):
    assert main(["natural", "--n-boot", "0"]) == 0
    text = capsys.readouterr().out
    assert "CogVLM-Chat" in text and "noise band" in text
    assert main(["natural", "--n-boot", "-1"]) == 2
    assert capsys.readouterr().err.strip() == "glscore: error: --n-boot must be >= 0, got -1"


def test_ladders_are_one_recipe_and_skip_doubtful_rows():
    lad = natural.ladders(natural.read_models())
    steps = set(zip(lad["small"], lad["large"], strict=True))
    assert ("sharegpt4v-7b", "sharegpt4v-13b") in steps      # Chen et al., 2025: 7B -> 13B
    assert ("qwen2-vl-7b", "qwen2-vl-72b") in steps
    assert not any("llama-mesh" in s for s in steps)          # doubtful Table 4 row
    assert (lad["small_b"] < lad["large_b"]).all()


def test_paper_comparison_sentence_follows_the_intervals():
    pool = pd.DataFrame({"tier": ["exact", "version", "sibling", "all"], "k": [2, 3, 0, 5],
                         "mu": [-3.0, 1.0, np.nan, 0.0], "ci_low": [-5.0, -1.0, np.nan, -1.0],
                         "ci_high": [-1.0, 3.0, np.nan, 1.0]})
    text = natural.finding_paper_comparison(pool)
    assert "the exact tier shows a loss (-3.00 [-5.00, -1.00], 2 pairs)" in text
    assert "the version tier shows no clear difference" in text
    assert "sibling" not in text and "older backbones" not in text
