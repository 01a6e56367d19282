"""Monte-Carlo noise study: the noise model, the perturbation and the counting."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from glscore.analysis import leaderboard, noise
from glscore.cli import main
from glscore.core.benchmark import Benchmark
from glscore.errors import InputError
from glscore.io.loaders import load_paper


def test_fit_noise_by_hand():
    cells = pd.DataFrame({"task_id": ["a", "a", "m", "a", "a"],
                          "raw_a": [10.0, 40.0, 5.0, 100.0, 70.0],
                          "raw_b": [14.0, 36.0, 50.0, 100.0, 70.0]})
    # unmapped pairs with a mean in (0, 100): (10, 14) mean 12, (40, 36) mean 38, (70, 70);
    # r = (a - b) / sqrt(2 m (100 - m)) = -4/sqrt(2*12*88), 4/sqrt(2*38*62), 0;
    # "m" is mapped and (100, 100) has mean 100: both left out
    fit = noise.noise_fit(cells, mapped_tasks=["m"])
    r = np.array([-4 / np.sqrt(2 * 12 * 88), 4 / np.sqrt(2 * 38 * 62), 0.0])
    assert fit.mean_squares == pytest.approx(np.sqrt((r ** 2).mean())) and fit.n_cells == 3
    # robust: the median of |r| over the normal median of |z|, Phi^-1(0.75)
    from scipy import stats

    assert fit.robust == pytest.approx(np.median(np.abs(r)) / stats.norm.ppf(0.75))
    assert noise.fit_noise(cells, ["m"]).c == pytest.approx(fit.robust)
    assert noise.fit_noise(cells, ["m"], "x2").c == pytest.approx(2 * fit.mean_squares)
    with pytest.raises(InputError, match="no repeated cell pair"):
        noise.noise_fit(cells.assign(raw_a=0.0, raw_b=0.0))
    with pytest.raises(InputError, match="unknown noise scale"):
        fit.model("x3")


def test_robust_scale_is_consistent_for_normal_noise():
    """With normal differences of known size both estimates recover c; the robust one
    shrugs off a few gross errors that dominate the mean of squares."""
    rng = np.random.default_rng(0)
    m = rng.uniform(10, 90, size=20000)
    c = 0.05
    r = rng.normal(0, c, size=m.size)
    diff = r * np.sqrt(2 * m * (100 - m))
    cells = pd.DataFrame({"task_id": "t", "raw_a": m + diff / 2, "raw_b": m - diff / 2})
    fit = noise.noise_fit(cells)
    assert fit.robust == pytest.approx(c, rel=0.03) and fit.mean_squares == pytest.approx(
        c, rel=0.03)
    gross = cells.copy()
    gross.loc[:19, "raw_a"] = gross.loc[:19, "raw_b"] + 40.0   # 20 cells of 20000
    spoiled = noise.noise_fit(gross)
    assert spoiled.robust == pytest.approx(c, rel=0.03)
    assert spoiled.mean_squares > 1.25 * c and spoiled.top10_share > 0.3


def test_floor_profile_bins():
    cells = pd.DataFrame({"task_id": "a", "raw_a": [10.0, 12.0, 60.0, 62.0],
                          "raw_b": [14.0, 12.0, 60.0, 58.0]})
    prof = noise.floor_profile(cells, bins=2)
    # bin 1: means 12, 12, differences -4, 0 -> rms sqrt(8); bin 2: means 60, 60, rms sqrt(8)
    assert prof["n"].tolist() == [2, 2]
    assert prof["rms_diff"].tolist() == pytest.approx([np.sqrt(8.0)] * 2)
    assert prof.loc[0, "c_binomial"] == pytest.approx(np.sqrt(8.0) / (np.sqrt(2) * np.sqrt(12 * 88)))


def test_perturb_keeps_support_and_domain():
    values = np.array([[np.nan, 0.0, 99.0, 4.0], [10.0, 50.0, np.nan, 0.002]])
    mapped = np.array([False, False, False, True])
    rng = np.random.default_rng(0)
    out = noise.perturb(values, mapped, noise.NoiseModel(0.5, 1), rng)
    assert np.array_equal(np.isnan(out), np.isnan(values))
    plain = out[:, ~mapped]
    assert np.nanmin(plain) >= 0 and np.nanmax(plain) <= 100
    assert (out[:, 3] > 0).all()                 # a mapped value keeps its sign
    assert out[0, 1] == 0.0                      # no spread at 0 (nor at 100)
    same = noise.perturb(values, mapped, noise.NoiseModel(0.0, 1),
                         np.random.default_rng(1))
    assert np.array_equal(same, values, equal_nan=True)


def test_perturbed_mapped_metrics_stay_in_their_range():
    """WER within 0-100 (percent), MOS within 1-5, MS-SSIM within -1..1, whatever the noise."""
    tasks = [("AG-001", "WER", "lower", 5.6), ("AG-002", "MOS", "higher", 4.2),
             ("IG-001", "MS-SSIM", "higher", 0.9), ("IG-002", "FID", "lower", 20.0),
             ("AG-003", "WER", "lower", 0.05)]
    values = np.array([[95.0, 4.9, 0.98, 30.0, 0.9], [60.0, 1.1, -0.9, 5.0, 0.2]])
    bench = Benchmark.from_rows(tasks, values, ("a", "b"))
    low, high = noise.raw_bounds(bench, "paper")
    # the second WER column is written as fractions (all values and the SoTA within 0-1)
    assert high.tolist() == [100.0, 5.0, 1.0, np.inf, 1.0]
    assert low.tolist() == [0.0, 1.0, -1.0, -np.inf, 0.0]
    mapped = np.ones(5, dtype=bool)
    big = np.tile(values, (500, 1))
    out = noise.perturb(big, mapped, noise.NoiseModel(0.5, 1), np.random.default_rng(2),
                        low=low, high=high)
    assert (out >= low).all() and (out <= high).all()
    assert (out[:, 3] > 0).all() and out[:, 0].max() == 100.0   # clipped, not dropped


@pytest.fixture(scope="module")
def still():
    """Three draws without noise: every draw is the published matrix."""
    return noise.simulate(load_paper(), noise.NoiseModel(0.0, 1), n_draws=3, chunk=2)


def test_no_noise_keeps_every_level_and_rank(still):
    summary = noise.rank_summary(still)
    ranked = summary["rank"].notna()
    assert (summary["p_level"] == 1).all() and (summary.loc[ranked, "p_rank"] == 1).all()
    assert (summary.loc[ranked, "rank_low"] == summary.loc[ranked, "rank"]).all()
    # the rows the coverage policy lists below have no rank (LM4LV, LISA-7B on Scope-A)
    below = summary[(summary["board"] == "full") & ~ranked]
    assert sorted(below["name"]) == ["LISA-7B", "LM4LV"]
    assert below["p_rank"].isna().all() and below["rank_high"].isna().all()
    levels = summary[[f"p_level{k}" for k in range(1, 6)]].to_numpy()
    assert np.allclose(levels.sum(axis=1), 1.0)
    assert (levels[np.arange(len(summary)), summary["level"].to_numpy() - 1] == 1).all()


@pytest.mark.parametrize("scope, board", [("A", "full"), ("B", "Image"), ("B", "Image+Video")])
def test_unperturbed_ranks_are_the_leaderboards(still, scope, board):
    tables = leaderboard.scope_tables(load_paper(), scope)
    table = next(t for t in tables if t.board.name == board).table
    summary = noise.rank_summary(still)
    mine = summary[summary["board"] == board]
    assert mine["model"].tolist() == table["model"].tolist()
    assert mine["level"].tolist() == table["level"].tolist()
    # the same rows ranked (the boards' coverage policy), with the same ranks
    assert mine["rank"].astype("Int64").tolist() == table["rank"].tolist()


def test_same_seed_same_counts():
    bench = load_paper()
    model = noise.NoiseModel(0.15, 1)
    a = noise.simulate(bench, model, n_draws=4, chunk=2, seed=5)
    b = noise.simulate(bench, model, n_draws=4, chunk=2, seed=5)
    assert all(np.array_equal(a.rank_counts[k], b.rank_counts[k]) for k in a.rank_counts)
    assert all(c.sum() == 4 * len(bench.models) for c in a.level_counts.values())


def test_scales_share_their_draws_and_order_by_size():
    """Common random numbers: scales differ by c only, so more noise never keeps more
    models at their level on average; one scale alone gives the same counts."""
    bench = load_paper()
    models = [noise.NoiseModel(c, 1, f"c{c}") for c in (0.02, 0.2)]
    small, large = noise.simulate_scales(bench, models, n_draws=6, chunk=3, seed=4)
    alone = noise.simulate(bench, models[0], n_draws=6, chunk=3, seed=4)
    assert all(np.array_equal(small.level_counts[b], alone.level_counts[b])
               for b in small.level_counts)
    assert small.draw_levels["full"].shape == (6, len(bench.models))
    kept = [noise.headline(mc)["stable"] for mc in (small, large)]
    assert kept[0] >= kept[1]


def test_mc_se_of_a_count_by_hand():
    # two models, 4 draws: model 0 keeps its level in every draw, model 1 in half
    kept = np.array([[True, False], [True, True], [True, False], [True, True]])
    # model 0 always counts; model 1 (share 0.5) reaches 0.95 only if a resample holds no
    # draw where it moved: the count is 1 in most resamples, so its SE is small, not 0
    se = noise.mc_se_count([kept], 0.95, n_boot=400, seed=1)
    assert 0 < se < 0.5
    # a count nobody is near the threshold of does not move: SE 0
    assert noise.mc_se_count([kept[:, :1]], 0.95, n_boot=50) == 0.0
    # two matrices from the same draws are resampled together: the SE of the sum of two
    # identical counts is twice the SE of one
    assert noise.mc_se_count([kept, kept], 0.95, n_boot=400, seed=1) == pytest.approx(2 * se)
    assert noise.mc_se_proportion(0.5, 100) == pytest.approx(0.05)
    assert noise.max_mc_se(2000) == pytest.approx(0.5 / np.sqrt(2000))


def test_headline_counts_multimodal_models_only(still):
    h = noise.headline(still)
    assert h["multimodal"] == 90 and h["language_only"] == 12
    assert h["stable"] == 90 and h["stable_se"] == 0.0 and h["leader_first"] == 1.0
    assert h["lifted"] == 0 and h["b_leaders_first"] == h["b_leaders"] == 7


def test_cli_noise_json_and_bad_board(capsys, monkeypatch):
    import sys

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)   # a terminal: progress shown
    assert main(["noise", "--draws", "4", "--chunk", "2", "--json"]) == 0
    captured = capsys.readouterr()
    out = json.loads(captured.out)
    assert out["draws"] == 4 and "full" in out["boards"]
    assert out["noise_scale"]["robust"] > 0 and out["noise_scale"]["mean_squares"] > 0
    assert list(out["scales"]) == ["robust", "x0.5", "x1", "x2"]
    head = out["scales"]["robust"]
    assert {"stable", "stable_se", "multimodal", "leader_first", "leader_first_se",
            "b_stable", "b_stable_se"} <= set(head)
    assert head["multimodal"] == 90
    assert all(set(r) >= {"model", "robust", "x1"} for r in out["level5"])
    assert "seconds" not in out and "timing" not in out
    assert "noise draws" in captured.err and "16/16" in captured.err   # tqdm on stderr
    # the text output prints no timing unless asked
    assert main(["noise", "--draws", "2", "--chunk", "2", "--scales", "robust"]) == 0
    assert " s (perturbing" not in capsys.readouterr().err
    assert main(["noise", "--draws", "2", "--chunk", "2", "--scales", "robust",
                 "--timings"]) == 0
    assert " s (perturbing" in capsys.readouterr().err
    assert main(["noise", "--draws", "2", "--board", "Smell", "--scales", "robust"]) == 2
    assert "--board 'Smell'" in capsys.readouterr().err
    assert main(["noise", "--draws", "2", "--scales", "robust,x3"]) == 2
    assert "--scales 'robust,x3'" in capsys.readouterr().err
    assert main(["noise", "--draws", "0"]) == 2
    assert "--draws 0: expected a whole number >= 1" in capsys.readouterr().err
