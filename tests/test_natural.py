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


def test_dersimonian_laird_pooling_by_hand():
    """The classical pooling (now ``meta.random_effects(..., "DL", "z")``), by hand."""
    from glscore.analysis import meta

    # y = 0, 2, 4 with se = 1, 1, 2: w = 1, 1, 1/4, sum 2.25
    # fixed = (0 + 2 + 1) / 2.25 = 4/3; Q = (4/3)^2 + (2/3)^2 + (8/3)^2 / 4 = 4
    # C = 2.25 - (1 + 1 + 1/16) / 2.25 = 4/3; tau^2 = (Q - 2) / C = 1.5
    # w* = 1/2.5, 1/2.5, 1/5.5; mu = (0 + 2/2.5 + 4/5.5) / (2/2.5 + 1/5.5)
    r = meta.random_effects(np.array([0.0, 2.0, 4.0]), np.array([1.0, 1.0, 4.0]), "DL", "z")
    w_star = np.array([1 / 2.5, 1 / 2.5, 1 / 5.5])
    assert r.k == 3 and r.q == pytest.approx(4.0)
    assert r.tau == pytest.approx(math.sqrt(1.5))
    assert r.i2 == pytest.approx(50.0)  # (4 - 2) / 4
    assert r.mu == pytest.approx((2 / 2.5 + 4 / 5.5) / w_star.sum())
    assert r.se == pytest.approx(w_star.sum() ** -0.5)


def test_cluster_se_by_hand_and_against_a_loop():
    # one task per group: the ordinary se, sd / sqrt(n)
    d = np.array([[1.0, 4.0, 2.0, 9.0, NAN]])
    se, g = natural.cluster_se(d, np.array(["a", "b", "c", "d", "e"]))
    assert g[0] == 4 and se[0] == pytest.approx(np.std(d[0, :4], ddof=1) / 2)
    # a plain loop over groups: G/(G-1) sum_g (sum_t in g (d_t - D))^2 / n^2
    rng = np.random.default_rng(1)
    d = rng.normal(size=(3, 12))
    d[1, [0, 5]] = NAN
    groups = np.array(list("aabbbccddeef"))
    se, g = natural.cluster_se(d, groups)
    for row, s_row, g_row in zip(d, se, g, strict=True):
        known = np.isfinite(row)
        mean = row[known].mean()
        sums = {}
        for value, label in zip(row, groups, strict=True):
            if np.isfinite(value):
                sums[label] = sums.get(label, 0.0) + value - mean
        n, big_g = known.sum(), len(sums)
        assert g_row == big_g
        assert s_row == pytest.approx(math.sqrt(big_g / (big_g - 1) * sum(
            v * v for v in sums.values()) / n ** 2))


def test_task_bootstrap_agrees_with_scipy_bootstrap():
    """The task bootstrap's percentile interval of a mean, against scipy.stats.bootstrap
    (percentile method) on the same data: equal up to Monte-Carlo error."""
    from scipy import stats

    rng = np.random.default_rng(4)
    d = rng.normal(2.0, 5.0, size=60)
    ours = natural.pair_statistics(d[None, :], np.arange(60).astype(str), n_boot=20000, seed=2)
    theirs = stats.bootstrap((d,), np.mean, n_resamples=20000, method="percentile",
                             random_state=np.random.default_rng(3)).confidence_interval
    se = d.std(ddof=1) / math.sqrt(60)
    assert ours.loc[0, "ci_low"] == pytest.approx(theirs.low, abs=0.05 * se)
    assert ours.loc[0, "ci_high"] == pytest.approx(theirs.high, abs=0.05 * se)


def test_pair_tests_match_scipy_and_add_the_floor():
    from scipy import stats

    rng = np.random.default_rng(5)
    d = rng.normal(1.0, 4.0, size=40)
    groups = np.repeat(np.arange(8), 5).astype(str)
    plain = natural.pair_statistics(d[None, :], groups, n_boot=0).iloc[0]
    # task level without a floor: the one-sample t-test
    assert plain["p_task"] == pytest.approx(stats.ttest_1samp(d, 0.0).pvalue)
    # skill-group level: t = D / se_cluster with G - 1 = 7 degrees of freedom
    t = d.mean() / plain["se_cluster"]
    assert plain["p_cluster"] == pytest.approx(2 * stats.t.sf(abs(t), 7))
    half = stats.t.ppf(0.975, 7) * plain["se_cluster"]
    assert plain["call_cluster_high"] - plain["mean_diff"] == pytest.approx(half)
    # the floor's variance is added: se^2 + f^2
    floored = natural.pair_statistics(d[None, :], groups, n_boot=0, floor_sd=2.0).iloc[0]
    t2 = d.mean() / math.sqrt(plain["se_cluster"] ** 2 + 4.0)
    assert floored["p_cluster"] == pytest.approx(2 * stats.t.sf(abs(t2), 7))
    assert floored["p_cluster"] > plain["p_cluster"]


def test_calls_under_holm_and_bh_by_hand():
    table = pd.DataFrame({
        "tier": ["exact", "exact", "version", "sibling", "external"], "n": [10, 10, 10, 0, 10],
        "mean_diff": [3.0, -2.0, 1.0, NAN, -9.0], "base": list("aabcd"),
        "p_task": [0.001, 0.02, 0.03, NAN, 0.0001], "p_cluster": [0.01, 0.02, 0.2, NAN, 1e-6]})
    out = natural.pair_calls(table)
    # family: the 3 Table-4 pairs with n > 0 (the external row and the n = 0 pair get no call)
    assert out["call_cluster_holm"].tolist()[3:] == ["", ""]
    # skill groups, Holm (m = 3): 3 * .01 = .03 < .05 better; max(.03, 2 * .02) = .04 worse;
    # max(.04, .2) = .2 indistinguishable
    assert out["call_cluster_holm"].tolist()[:3] == ["better", "worse", "indistinguishable"]
    # unadjusted: .01 and .02 below .05
    assert out["call_cluster_none"].tolist()[:3] == ["better", "worse", "indistinguishable"]
    # tasks, Holm: 3 * .001, max(2 * .02, .003) = .04, max(.03, .04) = .04 -> all three clear
    assert out["call_task_holm"].tolist()[:3] == ["better", "worse", "better"]
    # tasks, BH: .003, min(.02 * 3/2, .03) = .03, .03 -> all clear
    assert out["call_task_bh"].tolist()[:3] == ["better", "worse", "better"]
    counts = natural.call_counts(out).set_index(["interval", "adjustment"])
    assert counts.loc[("cluster", "holm"), ["better", "worse", "indistinguishable"]].tolist() == [
        1, 1, 1]
    assert counts.loc[("task", "holm"), "better_bases"] == 2   # bases a and b


def test_sign_test_by_hand():
    # 9 wins, 1 loss: 2 * P(X <= 1) = 2 * (1 + 10) / 1024
    assert natural.sign_test(9, 1) == pytest.approx(22 / 1024)
    assert math.isnan(natural.sign_test(0, 0))


def test_noise_floor_from_a_second_printed_row(tmp_path):
    from glscore.analysis import floor

    nat = _tiny(tmp_path, "m,NLP-001,52.0\nm,NLP-002,57.0\nm,NLP-003,70.0\n")
    screened = floor.screen(nat)
    nlp = screened[screened["sheet"] == "NLP"].iloc[0]
    # m - m@2: 50-52 = -2, 60-57 = 3, 70-70 = 0
    assert (nlp["model_a"], nlp["model_b"], nlp["kind"]) == ("m", "m@2", "printed twice")
    assert nlp["n"] == 3 and nlp["mean_diff"] == pytest.approx(1 / 3)
    assert nlp["identical"] == 1 and nlp["identical_share"] == pytest.approx(1 / 3)
    assert nlp["used"]   # 1 of 3 identical is no copy; no other model shares 10 tasks
    assert floor.floor_sd(screened) == pytest.approx(1 / 3)
    # second rows are never paired, never flagged, and kept out of the published bench
    assert "m@2" not in natural.published(nat).models


def test_a_second_row_that_is_a_copy_is_not_used(tmp_path):
    from glscore.analysis import floor

    nat = _tiny(tmp_path, "m,NLP-001,50.0\nm,NLP-002,60.0\nm,NLP-003,71.0\n")
    row = floor.screen(nat).iloc[0]
    assert row["identical"] == 2 and not row["used"]      # 2 of 3 values repeated
    assert row["why"] == "a copy: 2 of 3 values identical to its twin's"
    assert np.isnan(floor.floor_sd(floor.screen(nat)))


def test_not_evaluated_is_not_zero(tmp_path):
    """A model without a printed NLP row is n = 0 in zero mode too; a model with rows
    that are all unsupported reads as 0 there (General-Level's own reading)."""
    values = np.array([[30.0, 50.0, 60.0, 70.0, 20.0],    # m: the MLLM
                       [40.0, NAN, NAN, NAN, NAN],        # e: evaluated on Image only
                       [NAN, NAN, NAN, NAN, NAN]])         # u: rows printed, all unsupported
    bench = Benchmark(_tasks(), ("m", "e", "u"), values, source="tiny")
    meta = _meta([
        {"model_id": "e", "display_name": "E", "base_model_id": "m", "base_tier": "exact"},
        {"model_id": "u", "display_name": "U", "base_model_id": "m", "base_tier": "exact"},
        {"model_id": "m", "display_name": "M"}])
    alt = tmp_path / "alt.csv"
    alt.write_text("model_id,task_id,value\n", encoding="utf-8")
    nat = natural.prepare(bench, "paper", meta, alt, min_run=2, min_models=3)
    # without printed rows the matrix cannot tell them apart: both not evaluated on NLP
    table = natural.pairs_table(nat, "zero", n_boot=0)
    assert table["n"].tolist() == [0, 0]
    # with the printed rows: u printed NLP rows (unsupported), e none
    printed = pd.DataFrame({"model_id": ["m"] * 5 + ["e"] + ["u"] * 4,
                            "task_id": list(_tasks()["task_id"]) + ["IC-001"]
                            + [f"NLP-00{k}" for k in range(1, 5)]})
    nat = natural.Natural(nat.scoring, nat.meta, nat.copies, nat.shared, nat.flagged,
                          natural.evaluated_cells(nat.bench, printed))
    zero = natural.pairs_table(nat, "zero", n_boot=0).set_index("mllm")
    assert zero.loc["e", "n"] == 0                       # not evaluated: not a score of 0
    assert zero.loc["u", "n"] == 4                       # 0 - m on N1..N4
    assert zero.loc["u", "mean_diff"] == pytest.approx(-(50 + 60 + 70 + 20) / 4)
    assert natural.apart(natural.pairs_table(nat, "drop", n_boot=0))["reason"].tolist() == [
        "not evaluated on NLP (no printed row)", "no NLP task supported by both"]


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


def test_paper_floor_screening(paper):
    """The screening of the paper's candidate repeats, each verdict from the data."""
    from glscore.analysis import floor

    screened = floor.screen(paper)
    used = screened[screened["used"]]
    assert set(zip(used["model_b"], used["sheet"], strict=True)) == {
        ("gpt-4o-4096", "NLP"), ("chatgpt-4o-latest", "NLP"),
        ("gpt-4o-4096", "Image-Comprehension"), ("chatgpt-4o-latest", "Image-Comprehension")}
    why = screened.set_index("model_b")["why"]
    assert why["anygpt@2"] == "a copy: 59 of 106 values identical to its twin's"
    assert why["qwen2-vl-72b@2"].startswith("nearer Gemini-1.5-Pro (mean |difference| 6.0) "
                                            "than its twin (8.4)")
    assert "a copy of InternVL-2.5-26B's row" in why["internvl-2-26b@2"]
    assert why["deepseek-vl-7b-base@2"].startswith("nearer GLaMM")
    # the floor: RMS of the two used NLP mean differences
    nlp = used[used["sheet"] == "NLP"]["mean_diff"].to_numpy()
    assert floor.floor_sd(screened) == pytest.approx(math.sqrt((nlp ** 2).mean()))
    assert floor.used_count(screened) == 2


def test_external_pair_is_a_sensitivity_only(paper):
    table = natural.pairs_table(paper, n_boot=0)
    ext = table[table["tier"] == natural.EXTERNAL]
    assert ext[["mllm", "base"]].values.tolist() == [["llama-omni",
                                                      "meta-llama-3.1-8b-instruct"]]
    assert ext["call_cluster_holm"].tolist() == [""]       # outside the family of calls
    flags = natural.external_table(paper, table).iloc[0]
    assert flags["flags"] == "run of 11 identical values (NLP-040 to NLP-050)"
    assert flags["identical"] == 30
    pool = natural.pooling_table(paper, table)
    k = pool[pool["method"] == "hksj"].set_index("group")["k"]
    assert (k["exact"], k["exact+external"], k["all"]) == (4, 5, 48)


def test_pooling_table_is_meta_on_the_pairs(paper):
    """Each method of the pooling table is glscore.analysis.meta on the pairs' means and
    variances (se_cluster^2 + floor^2), grouped by base where the method says so."""
    from glscore.analysis import meta

    table = natural.pairs_table(paper, n_boot=0, floor_sd=0.5)
    pool = natural.pooling_table(paper, table).set_index(["group", "method"])
    exact = table[(table["tier"] == "exact") & (table["n"] > 0)]
    v = exact["se_cluster"] ** 2 + 0.25
    hk = meta.random_effects(exact["mean_diff"], v, "REML", "hksj")
    row = pool.loc[("exact", "hksj")]
    assert (row["mu"], row["ci_low"], row["pi_high"]) == pytest.approx((hk.mu, hk.ci_low,
                                                                        hk.pi_high))
    cl = meta.cluster_robust(exact["mean_diff"], v, exact["base"], "REML")
    row = pool.loc[("exact", "cluster")]
    assert (row["units"], row["ci_high"]) == (2, pytest.approx(cl.ci_high))
    assert pool.loc[("exact", "per_base"), "units"] == 2
    assert pool.loc[("version", "per_base"), "units"] == 4


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
    assert {"pairs", "calls", "apart", "pooled", "pooled_by_mode", "external", "floor",
            "copies"} <= set(out)
    pair = out["pairs"][0]
    assert {"mllm", "base", "tier", "n", "mean_diff", "ci", "cluster_ci", "wins", "losses",
            "sign_p", "tests"} <= set(pair)
    assert set(pair["tests"]) == {"cluster", "task"}
    assert set(pair["tests"]["cluster"]["calls"]) == {"holm", "bh", "none"}
    assert len(pair["ci"]) == 2
    exact = out["pooled"]["exact"]
    assert exact["k"] == 4 and exact["bases"] == 2
    assert {"hksj", "cluster", "per_base", "z_dl"} <= set(exact)
    assert len(exact["hksj"]["ci"]) == 2 and len(exact["hksj"]["prediction_interval"]) == 2
    assert exact["cluster"]["units"] == 2
    assert out["external"][0]["mllm"] == "llama-omni" and out["external"][0]["flags"]
    assert {a["mllm"] for a in out["apart"]} == {"internvl-2-8b", "internvl-2.5-8b", "vidagent",
                                                 "lisa-7b", "lm4lv"}
    assert out["floor"]["sd"] > 0 and len(out["calls"]) == 6
    copy = out["copies"][0]
    assert len(copy["models"]) == 2 and {"sheet", "run"} <= set(copy)


def test_cli_table_and_bad_option(capsys):
    assert main(["natural", "--n-boot", "0"]) == 0
    text = capsys.readouterr().out
    assert "CogVLM-Chat" in text and "95% band" in text and "HKSJ" in text
    assert main(["natural", "--n-boot", "-1"]) == 2
    assert capsys.readouterr().err.strip() == ("glscore: error: --n-boot -1: expected a whole "
                                               "number >= 0")


def test_ladders_are_one_recipe_and_skip_doubtful_rows():
    lad = natural.ladders(natural.read_models())
    steps = set(zip(lad["small"], lad["large"], strict=True))
    assert ("sharegpt4v-7b", "sharegpt4v-13b") in steps      # Chen et al., 2025: 7B -> 13B
    assert ("qwen2-vl-7b", "qwen2-vl-72b") in steps
    assert not any("llama-mesh" in s for s in steps)          # doubtful Table 4 row
    assert (lad["small_b"] < lad["large_b"]).all()


def _pool(rows: list[tuple]) -> pd.DataFrame:
    cols = ["group", "method", "k", "units", "bases", "mu", "ci_low", "ci_high", "pi_low",
            "pi_high"]
    return pd.DataFrame(rows, columns=cols)


def test_paper_comparison_sentence_follows_the_intervals():
    pool = _pool([
        ("exact", "hksj", 2, 2, 2, -3.0, -5.0, -1.0, -9.0, 3.0),
        ("exact", "z_dl", 2, 2, 2, -3.0, -4.0, -2.0, NAN, NAN),
        ("exact", "cluster", 2, 1, 1, -3.0, -20.0, 14.0, NAN, NAN),
        ("version", "hksj", 3, 3, 1, 1.0, -1.0, 3.0, -4.0, 6.0),
        ("sibling", "hksj", 0, 0, 0, NAN, NAN, NAN, NAN, NAN),
    ])
    text = natural.finding_paper_comparison(pool)
    assert text.startswith("Against its own base LLM (exact tier: 2 pairs on 2 bases), a "
                           "generalist's NLP score differs by -3.00 [-5.00, -1.00] points")
    assert "): a loss; the verdict changes under cluster-robust by base" in text
    assert "(1 bases): -3.00 [-20.00, +14.00], no clear difference" in text
    assert "it stays a loss under z interval, DL tau^2 (naive): -3.00 [-4.00, -2.00]" in text
    assert "the version tier shows no clear difference (+1.00 [-1.00, +3.00], 3 pairs" in text
    assert "sibling" not in text.split("Only the exact tier")[0].split("version tier")[1]


def test_pairs_sentence_counts_the_calls():
    table = pd.DataFrame({
        "tier": ["exact", "exact", "version", "version"], "n": [10, 10, 10, 0],
        "mean_diff": [3.0, -2.0, 1.0, NAN], "base": list("aabb"),
        "p_task": [0.001, 0.02, 0.03, NAN], "p_cluster": [0.01, 0.02, 0.2, NAN]})
    text = natural.finding_pairs(natural.pair_calls(table), 0.5, 2)
    assert text.startswith("3 linked pairs (a generalist and a language model of its family) "
                           "share NLP tasks (2 exact, 1 version, 0 sibling; 1 more linked pair(s)")
    assert "with Holm's adjustment over the 3 pairs, 1 generalists score clearly above" in text
    assert "1 clearly below, and 1 are indistinguishable" in text
    assert "tasks, Holm: 2 above, 1 below" in text
