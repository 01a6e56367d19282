"""Monte-Carlo noise study: the noise model, the perturbation and the counting."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from glscore.analysis import leaderboard, noise
from glscore.cli import main
from glscore.errors import InputError
from glscore.io.loaders import load_paper


def test_fit_noise_by_hand():
    cells = pd.DataFrame({"task_id": ["a", "a", "m", "a"], "raw_a": [10.0, 40.0, 5.0, 100.0],
                          "raw_b": [14.0, 36.0, 50.0, 100.0]})
    # unmapped pairs with a mean in (0, 100): (10, 14) mean 12, (40, 36) mean 38;
    # (a - b)^2 / (2 m (100 - m)) = 16 / (2*12*88) and 16 / (2*38*62);
    # "m" is mapped and (100, 100) has mean 100: both left out
    model = noise.fit_noise(cells, mapped_tasks=["m"])
    c = np.sqrt((16 / (2 * 12 * 88) + 16 / (2 * 38 * 62)) / 2)
    assert model.c == pytest.approx(c) and model.n_cells == 2
    with pytest.raises(InputError, match="no repeated cell pair"):
        noise.fit_noise(cells.assign(raw_a=0.0, raw_b=0.0))


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


@pytest.fixture(scope="module")
def still():
    """Three draws without noise: every draw is the published matrix."""
    return noise.simulate(load_paper(), noise.NoiseModel(0.0, 1), n_draws=3, chunk=2)


def test_no_noise_keeps_every_level_and_rank(still):
    summary = noise.rank_summary(still)
    assert (summary["p_level"] == 1).all() and (summary["p_rank"] == 1).all()
    assert (summary["rank_low"] == summary["rank"]).all()
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


def test_same_seed_same_counts():
    bench = load_paper()
    model = noise.NoiseModel(0.15, 1)
    a = noise.simulate(bench, model, n_draws=4, chunk=2, seed=5)
    b = noise.simulate(bench, model, n_draws=4, chunk=2, seed=5)
    assert all(np.array_equal(a.rank_counts[k], b.rank_counts[k]) for k in a.rank_counts)
    assert all(c.sum() == 4 * len(bench.models) for c in a.level_counts.values())


def test_cli_noise_json_and_bad_board(capsys):
    assert main(["noise", "--draws", "4", "--chunk", "2", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["draws"] == 4 and "full" in out["boards"] and out["noise_model"]["c"] > 0
    assert main(["noise", "--draws", "2", "--board", "Smell"]) == 2
    assert "--board 'Smell'" in capsys.readouterr().err
