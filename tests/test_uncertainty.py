"""Rank uncertainty: the stratified bootstrap, the measurement noise, the
summaries, checked against plain-loop references and by simulation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from glscore import Benchmark, score
from glscore.analysis import uncertainty as unc
from glscore.analysis.leaderboard import scope_tables
from glscore.analysis.resample import unit_counts
from glscore.analysis.uncertainty.layout import layout
from glscore.analysis.uncertainty.summary import conservative_rank, key_bounds, quantile_index
from glscore.core.scoring import score_detailed
from glscore.errors import InputError

# --------------------------------------------------------------------------- a small board

ROWS = [
    # task, metric, direction, SoTA      skill group
    ("IC-001", "Acc", "higher", 50.0),   # I-C-1
    ("IC-002", "Acc", "higher", 40.0),   # I-C-1
    ("IC-003", "Acc", "higher", 60.0),   # I-C-2
    ("IC-004", "Acc", "higher", 30.0),   # I-C-2
    ("IC-005", "Acc", "higher", 70.0),   # I-C-3
    ("IG-001", "Acc", "higher", 20.0),   # I-G-1
    ("IG-002", "Acc", "higher", 25.0),   # I-G-2
    ("IG-003", "Acc", "higher", 35.0),   # I-G-2
    ("VC-001", "Acc", "higher", 45.0),   # V-C-1
    ("NLP-001", "Acc", "higher", 80.0),  # L-1
    ("NLP-002", "Acc", "higher", 60.0),  # L-2
]
GROUPS = ["I-C-1", "I-C-1", "I-C-2", "I-C-2", "I-C-3", "I-G-1", "I-G-2", "I-G-2", "V-C-1",
          "L-1", "L-2"]
VALUES = [
    [55.0, 30.0, 65.0, 10.0, 20.0, 25.0, 10.0, 40.0, 50.0, 85.0, 10.0],   # wins on both sides
    [45.0, 45.0, 50.0, 35.0, np.nan, 15.0, 30.0, 20.0, np.nan, 50.0, 70.0],
    [10.0, np.nan, 70.0, np.nan, 80.0, np.nan, np.nan, np.nan, 60.0, np.nan, np.nan],
    [40.0, 20.0, 30.0, 20.0, 60.0, 10.0, 20.0, 30.0, 40.0, 70.0, 50.0],   # no win
]


@pytest.fixture(scope="module")
def tiny() -> Benchmark:
    return Benchmark.from_rows(ROWS, VALUES, models=["a", "b", "c", "d"],
                               names=["Alpha", "Beta", "Gamma", "Delta"],
                               skill_group_id=GROUPS, skill_short_name=GROUPS)


def _resampled(bench: Benchmark, order: np.ndarray, copies: np.ndarray) -> Benchmark:
    """The benchmark whose task ``order[t]`` appears ``copies[t]`` times (plain loop)."""
    columns, rows = [], []
    for t, n in zip(order, copies, strict=True):
        for r in range(int(n)):
            row = bench.tasks.iloc[int(t)].copy()
            row["task_id"] = f"{row['task_id']}#{r}"
            rows.append(row)
            columns.append(int(t))
    tasks = pd.DataFrame(rows).reset_index(drop=True)
    return Benchmark(tasks, bench.models, bench.values[:, columns], bench.sheets, "resampled",
                     bench.model_names)


def _reference_rank(reached, at, below, names) -> list[int]:
    """Ranks by (level, score at it, score below, name), a plain sort."""
    order = sorted(range(len(names)), key=lambda i: (-reached[i], -at[i], -below[i], names[i]))
    ranks = [0] * len(names)
    for position, i in enumerate(order, start=1):
        ranks[i] = position
    return ranks


def _keys(stacked: list[float]) -> tuple[int, float, float]:
    """Level reached, score at it and one below, by the definition (plain Python)."""
    levels = [0.0] + list(stacked)   # index k-1 holds Level-k; Level-1 scores 0
    reached = 1
    for k in range(2, len(stacked) + 2):
        if levels[k - 1] != 0:
            reached = k
    below = levels[reached - 2] if reached >= 3 else 0.0
    return reached, levels[reached - 1], below


def test_bootstrap_matches_scoring_each_resample(tiny):
    """Every draw of the stratified (skill-group) bootstrap equals the core's
    scoring of the resampled benchmark, built task by task, and every board's
    ranks equal a plain sort of it."""
    draws, seed = 12, 3
    ctx = score_detailed(tiny)
    tables = [t for s in "ABCD" for t in scope_tables(ctx, s)]
    settings = unc.Settings(draws, seed, "skill", ("composition",))
    sim = unc.simulate(ctx, tables, settings)
    # the engine's random protocol: skill-group counts from the first generator
    # spawned from the seed, within-group task counts from the second
    lay = layout(tiny.tasks)
    groups_rng, tasks_rng = (np.random.default_rng(s)
                             for s in np.random.SeedSequence(seed).spawn(4)[:2])
    cell_counts = unit_counts(lay.stratum_of_cell, draws, groups_rng)
    task_counts = unit_counts(lay.cell_of_task, draws, tasks_rng)
    for d in range(draws):
        per_task = cell_counts[d][lay.cell_of_task]             # a task carries its group's count
        s = score(_resampled(tiny, lay.order, per_task))
        ref = {
            "full": np.stack([s.level2, s.level3, s.level4, s.level5], 1),
            "Image": np.stack([s.level2_m[:, 0], s.level3_m[:, 0], s.level4_m[:, 0]], 1),
            "Video": np.stack([s.level2_m[:, 1], s.level3_m[:, 1], s.level4_m[:, 1]], 1),
            "Image+Video": np.stack([(s.level2_m[:, 0] + s.level2_m[:, 1]) / 2,
                                     (s.level3_m[:, 0] + s.level3_m[:, 1]) / 2,
                                     (s.level4_m[:, 0] + s.level4_m[:, 1]) / 2], 1),
            "Image-comprehension": np.stack([s.comp2[:, 0], s.comp3[:, 0]], 1),
            "Image-generation": np.stack([s.gen2[:, 0], s.gen3[:, 0]], 1),
            "Video-comprehension": np.stack([s.comp2[:, 1], s.comp3[:, 1]], 1),
        }
        # Scope-D: the tasks of one skill group resampled within it
        norm = ctx.norm.scores
        for group in ("I-C-1", "I-C-2", "I-C-3", "I-G-1", "I-G-2", "V-C-1"):
            picked = [int(t) for t, n in zip(lay.order, task_counts[d], strict=True)
                      for _ in range(int(n)) if GROUPS[int(t)] == group]
            l2 = [sum(0.0 if np.isnan(norm[i, t]) else norm[i, t] for t in picked) / len(picked)
                  for i in range(4)]
            l3 = [sum(ctx.credit[i, t] for t in picked) / len(picked) for i in range(4)]
            ref[f"{group} {group}"] = np.array([l2, l3]).T
        for board in sim.boards:
            name = board.board.name
            rows = [tiny.models.index(m) for m in board.table.table["model"]]
            expected = ref[name][rows]
            assert board.levels[d] == pytest.approx(expected, abs=1e-9), (d, name)
            keys = [_keys(list(x)) for x in expected]
            names = board.table.table["name"].tolist()
            assert board.rank[d].tolist() == _reference_rank(
                [k[0] for k in keys], [k[1] for k in keys], [k[2] for k in keys], names)


def test_unit_counts_by_plain_loop():
    """The bincount of the integer draws equals counting them one by one;
    every stratum keeps its size."""
    strata = np.array([0, 0, 0, 1, 1, 2])
    counts = unit_counts(strata, 50, np.random.default_rng(7))
    # the same integer draws, counted in a loop
    rng = np.random.default_rng(7)
    size = np.bincount(strata)
    order = np.argsort(strata, kind="stable")
    start = np.concatenate([[0], np.cumsum(size)[:-1]])
    picks = rng.integers(0, size[strata[order]], size=(50, 6))
    expected = np.zeros((50, 6), dtype=int)
    for b in range(50):
        for j in range(6):
            s = strata[order][j]
            expected[b, order[start[s] + picks[b, j]]] += 1
    assert np.array_equal(counts, expected)
    assert (counts[:, :3].sum(axis=1) == 3).all() and (counts[:, 3:5].sum(axis=1) == 2).all()
    assert (counts[:, 5] == 1).all()


def test_unit_counts_are_uniform():
    """Each unit of a stratum of n is drawn Binomial(n, 1/n) times: mean 1,
    variance 1 - 1/n (n = 4: 0.75)."""
    counts = unit_counts(np.zeros(4, dtype=int), 40_000, np.random.default_rng(0))
    assert counts.mean(axis=0) == pytest.approx(np.ones(4), abs=0.02)
    assert counts.var(axis=0) == pytest.approx(np.full(4, 0.75), abs=0.03)


def test_one_unit_per_stratum_reproduces_the_board(tiny):
    """With a single skill group per stratum a resample is the data itself:
    every draw is the board, rank for rank."""
    one = Benchmark(tiny.tasks.assign(skill_group_id=tiny.tasks["modality"] + tiny.tasks[
        "paradigm"]), tiny.models, tiny.values, tiny.sheets, "one", tiny.model_names)
    u = unc.board_uncertainty(one, scopes=("A", "B", "C"), draws=5, sources=("composition",))
    for b, frame in zip(u.simulation.boards, u.frames, strict=True):
        table = b.table.table
        assert (b.rank == table["rank"].to_numpy()[None, :]).all()
        assert (frame["rank_lo"] == frame["rank"]).all() and (frame["rank_hi"] == frame["rank"]).all()
        assert frame["score_lo"].to_numpy() == pytest.approx(table["score"].to_numpy())


def test_the_simulation_ranks_the_rows_the_board_ranks(tiny):
    """The coverage policy: Gamma supports 4 of the 11 Scope-A tasks (36%); at a
    minimum coverage of 50% the board lists it below unranked, and the
    simulation leaves it out, ranking the others exactly as the board does."""
    one = Benchmark(tiny.tasks.assign(skill_group_id=tiny.tasks["modality"] + tiny.tasks[
        "paradigm"]), tiny.models, tiny.values, tiny.sheets, "one", tiny.model_names)
    (board,) = scope_tables(one, "A", min_coverage=0.5)
    assert board.table.set_index("name").loc["Gamma", "ranked"] == False  # noqa: E712
    u = unc.board_uncertainty(one, scopes=("A",), draws=5, sources=("composition",),
                              min_coverage=0.5)
    (draws,) = u.simulation.boards
    assert "Gamma" not in draws.table.table["name"].tolist()
    assert draws.table.table["model"].tolist() == board.ranked_table["model"].tolist()
    assert (draws.rank == board.ranked_table["rank"].to_numpy(dtype=int)[None, :]).all()
    # at the default (6%) every model with a task is ranked and simulated
    (everyone,) = unc.board_uncertainty(one, scopes=("A",), draws=5,
                                        sources=("composition",)).simulation.boards
    assert "Gamma" in everyone.table.table["name"].tolist()


# --------------------------------------------------------------------------- summaries

def test_quantile_index_is_the_inverted_cdf():
    values = np.arange(1, 41)          # 40 draws: the 2.5% quantile is the 1st, 97.5% the 39th
    assert values[quantile_index(40, 0.025)] == 1 and values[quantile_index(40, 0.975)] == 39
    assert values[quantile_index(40, 0.5)] == 20


def test_conservative_rank_by_plain_loop():
    rng = np.random.default_rng(5)
    n = 9
    lo_level, hi_level = rng.integers(2, 4, n), rng.integers(3, 5, n)
    lo_score, hi_score = rng.uniform(0, 5, n).round(1), rng.uniform(0, 5, n).round(1)
    expected = []
    for i in range(n):
        better = 0
        for j in range(n):
            if (lo_level[j], lo_score[j]) > (hi_level[i], hi_score[i]):   # tuple order
                better += 1
        expected.append(1 + better)
    assert conservative_rank(lo_level, lo_score, hi_level, hi_score).tolist() == expected


def test_key_bounds_sort_by_level_then_score():
    # draws of one model: (3, 9.0), (4, 1.0), (3, 2.0), (4, 0.5); lexicographic order
    # (3, 2) < (3, 9) < (4, 0.5) < (4, 1); the quantiles at 0 and 1 are its ends
    reached = np.array([[3], [4], [3], [4]])
    at = np.array([[9.0], [1.0], [2.0], [0.5]])
    assert [x.tolist() for x in key_bounds(reached, at, 0.0)] == [[3], [2.0], [4], [1.0]]
    # at 0.25 and 0.75 of 4 draws: the 1st and 3rd sorted values
    assert [x.tolist() for x in key_bounds(reached, at, 0.25)] == [[3], [2.0], [4], [0.5]]


def test_frame_and_facts_keys(tiny):
    u = unc.board_uncertainty(tiny, scopes=("A",), draws=200, seed=1)
    frame, facts = u.board("full")
    assert list(frame.columns) == list(unc.FRAME_COLUMNS)
    assert (frame["rank_lo"] <= frame["rank_hi"]).all()
    assert (frame["rank_conservative"] >= 1).all()
    assert frame["p_first"].sum() == pytest.approx(1.0)
    for key in ("tied_with_first", "distinguishable_adjacent", "draws", "seed", "sources",
                "unit", "measurement", "composition"):
        assert key in facts
    assert facts["draws"] == 200 and facts["seed"] == 1 and facts["unit"] == "skill"
    assert facts["measurement"]["noise"] == "assumed"
    tied = frame[frame["rank_lo"] == 1]["name"].tolist()
    assert facts["tied_with_first"] == tied
    pairs = u.pairwise("full", 3)
    assert pairs.shape == (3, 3) and np.isnan(np.diag(pairs.to_numpy())).all()
    off = pairs.to_numpy() + pairs.to_numpy().T
    assert off[~np.eye(3, dtype=bool)] == pytest.approx(np.ones(6))  # no ties in rank


def test_a_board_does_not_depend_on_its_company(tiny, monkeypatch):
    """The random numbers are drawn over the whole benchmark: a board simulated
    alone, among every board, or in chunks of another size gives the same draws."""
    from glscore.analysis.uncertainty import engine

    alone = unc.board_uncertainty(tiny, scopes=("B",), boards=["Video"], draws=60, seed=9)
    together = unc.board_uncertainty(tiny, draws=60, seed=9)
    monkeypatch.setattr(engine, "CHUNK_CELLS", 7 * 4 * 11)      # chunks of 7 draws
    chunked = unc.board_uncertainty(tiny, scopes=("B",), boards=["Video"], draws=60, seed=9)
    reference = alone.simulation.boards[0]
    for other in (together.simulation.board("Video"), chunked.simulation.boards[0]):
        assert np.array_equal(other.levels, reference.levels)
        assert np.array_equal(other.rank, reference.rank)


def test_same_seed_same_result_other_seed_differs(tiny):
    a = unc.board_uncertainty(tiny, scopes=("A", "D"), draws=100, seed=4).frame()
    b = unc.board_uncertainty(tiny, scopes=("A", "D"), draws=100, seed=4).frame()
    c = unc.board_uncertainty(tiny, scopes=("A", "D"), draws=100, seed=5).frame()
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(c)


# --------------------------------------------------------------------------- measurement

def test_win_probability_is_the_normal_cdf():
    # (60 - 50) / sqrt(4^2 + 3^2) = 10 / 5 = 2 -> Phi(2)
    p = unc.win_probability(np.array([[60.0]]), np.array([50.0]), np.array([[4.0]]),
                            np.array([3.0]))
    assert p[0, 0] == pytest.approx(norm.cdf(2.0))


def test_simulated_wins_follow_phi():
    """One model, one possible win: P(level >= 3) is P(win) = Phi((m - s) /
    sqrt(se_m^2 + se_s^2)) on a board whose only way to Level-3 is that win."""
    rows = [("IC-001", "Acc", "higher", 52.0), ("IC-002", "Acc", "higher", 99.0),
            ("IG-001", "Acc", "higher", 99.0)]
    bench = Benchmark.from_rows(rows, [[50.0, 40.0, 30.0]], skill_group_id=["g1", "g2", "g3"],
                                skill_short_name=["g1", "g2", "g3"])
    se = np.array([[3.0, 0.0, 0.0]])
    sota_se = np.array([4.0, 0.0, 0.0])
    u = unc.board_uncertainty(bench, scopes=("C",), boards=["Image-comprehension"],
                              draws=40_000, sources=("measurement",), se=se, sota_se=sota_se)
    frame, facts = u.board("Image-comprehension")
    expected = norm.cdf((50.0 - 52.0) / 5.0)        # sqrt(3^2 + 4^2) = 5
    assert frame["p_level3"].iloc[0] == pytest.approx(expected, abs=0.01)
    assert facts["measurement"]["noise"] == "measured"


def test_noise_says_measured_assumed_or_mixed(tiny):
    ctx = score_detailed(tiny)
    assumed = unc.noise_for(ctx, scale=0.1)
    assert assumed.kind == "assumed" and assumed.scale == 0.1
    # binomial shape at the normalised value: 0.1 * sqrt(55 * 45)
    assert assumed.scores[0, 0] == pytest.approx(0.1 * np.sqrt(55 * 45))
    full = np.where(np.isfinite(tiny.values), 1.0, np.nan)
    measured = unc.noise_for(ctx, full, np.ones(len(ROWS)))
    assert measured.kind == "measured" and measured.scale is None
    assert measured.scores[0, 0] == pytest.approx(1.0)      # unmapped: slope 1
    partial = full.copy()
    partial[0, 0] = np.nan
    mixed = unc.noise_for(ctx, partial, np.ones(len(ROWS)), scale=0.1)
    assert mixed.kind == "mixed" and mixed.measured_cells == mixed.cells - 1
    assert "se given for" in mixed.phrase()
    with pytest.raises(InputError, match="not a standard error"):
        unc.noise_for(ctx, np.where(np.isfinite(tiny.values), -1.0, np.nan))
    with pytest.raises(InputError, match="shape"):
        unc.noise_for(ctx, np.ones((2, 2)))


def test_mapped_metric_se_goes_through_the_mapping():
    """FID is mapped by y = 100 (2 / (1 + exp(-25 / x)) - 1); its slope at x = 25
    is 100 * 2 e^-1 (25 / 25^2) / (1 + e^-1)^2, so se 1 becomes that many points."""
    rows = [("IG-001", "FID", "lower", 30.0), ("IC-001", "Acc", "higher", 50.0)]
    bench = Benchmark.from_rows(rows, [[25.0, 40.0]], skill_group_id=["g", "h"],
                                skill_short_name=["g", "h"])
    noise = unc.noise_for(score_detailed(bench), np.array([[1.0, 1.0]]), np.array([1.0, 1.0]))
    e = np.exp(-1.0)
    assert noise.scores[0, 0] == pytest.approx(100 * 2 * e / 25 / (1 + e) ** 2, rel=1e-5)
    assert noise.scores[0, 1] == pytest.approx(1.0)


# --------------------------------------------------------------------------- coverage

def _board_of(values: np.ndarray, groups: list[str], sota: float = 100.0) -> Benchmark:
    n_tasks = values.shape[1]
    rows = [(f"IC-{t + 1:03d}", "Acc", "higher", sota) for t in range(n_tasks)]
    return Benchmark.from_rows(rows, values, skill_group_id=groups, skill_short_name=groups)


def test_measurement_interval_covers_the_true_score():
    """Estimand: a model's Level-2 on a Scope-C board, the mean of its true
    cell values (a linear function of the cells, for which a percentile
    interval is valid; ranks and the win threshold are not). 800 independent
    models, true values in 30-70, observed with Gaussian noise of known se;
    the nominal 95% interval of each model's score must cover its truth in
    93-97% of the models."""
    rng = np.random.default_rng(11)
    n_models, n_tasks = 800, 20
    truth = rng.uniform(30, 70, (n_models, n_tasks))
    se = np.full_like(truth, 4.0)
    observed = truth + se * rng.standard_normal(truth.shape)
    bench = _board_of(observed, [f"g{t}" for t in range(n_tasks)])   # SoTA 100: Level-2 only
    u = unc.board_uncertainty(bench, scopes=("C",), draws=1000, seed=2,
                              sources=("measurement",), se=se, sota_se=np.zeros(n_tasks))
    frame, _ = u.board("Image-comprehension")
    true_score = pd.Series(truth.mean(axis=1), index=bench.models)[frame["model"]].to_numpy()
    covered = (frame["score_lo"] <= true_score) & (true_score <= frame["score_hi"])
    assert 0.93 <= covered.mean() <= 0.97, covered.mean()


def test_composition_interval_covers_the_population_score():
    """Estimand: a model's Level-2 over the population of skill groups the
    board's groups are drawn from, i.e. the expected group mean mu (known,
    since the synthetic groups are drawn from N(mu, 6^2) per group plus task
    noise within). 60 groups of 3 tasks; 800 independent models; the
    skill-group bootstrap's 95% interval must cover mu in 93-97% of them."""
    rng = np.random.default_rng(12)
    n_models, n_groups, per = 800, 60, 3
    mu = rng.uniform(30, 70, n_models)
    group_effect = rng.normal(0.0, 6.0, (n_models, n_groups))
    values = (mu[:, None, None] + group_effect[:, :, None]
              + rng.normal(0.0, 3.0, (n_models, n_groups, per))).reshape(n_models, -1)
    groups = [f"g{g}" for g in range(n_groups) for _ in range(per)]
    bench = _board_of(values, groups)
    u = unc.board_uncertainty(bench, scopes=("C",), draws=1000, seed=3,
                              sources=("composition",))
    frame, _ = u.board("Image-comprehension")
    truth = pd.Series(mu, index=bench.models)[frame["model"]].to_numpy()
    covered = (frame["score_lo"] <= truth) & (truth <= frame["score_hi"])
    assert 0.93 <= covered.mean() <= 0.97, covered.mean()


def test_intervals_widen_as_coverage_falls():
    """Four models of the same quality per supported task (60 on every task
    they run, a win nowhere) supporting 100%, 50%, 25% and 10% of 40 skill
    groups: the score interval relative to the score widens as coverage falls."""
    n_groups, per = 40, 2
    supported = [40, 20, 10, 4]
    values = np.full((4, n_groups * per), np.nan)
    rng = np.random.default_rng(0)
    for i, k in enumerate(supported):
        values[i, :k * per] = 60.0 + rng.normal(0, 5, k * per)
    bench = _board_of(values, [f"g{g}" for g in range(n_groups) for _ in range(per)])
    u = unc.board_uncertainty(bench, scopes=("C",), draws=2000, sources=("composition",))
    frame, _ = u.board("Image-comprehension")
    frame = frame.sort_values("coverage", ascending=False)
    relative = ((frame["score_hi"] - frame["score_lo"]) / frame["score"]).to_numpy()
    assert (np.diff(relative) > 0).all(), relative


# --------------------------------------------------------------------------- bounds

def test_draws_and_options_are_bounded(tiny, monkeypatch):
    with pytest.raises(InputError, match="from 1 to 100,000"):
        unc.Settings(draws=100_001)
    with pytest.raises(InputError, match="from 1 to"):
        unc.Settings(draws=0)
    with pytest.raises(InputError, match="unit 'cluster'"):
        unc.Settings(unit="cluster")
    with pytest.raises(InputError, match="sources"):
        unc.Settings(sources=("noise",))
    from glscore.analysis.uncertainty import engine

    monkeypatch.setattr(engine, "MAX_STORED", 1000)
    entries = sum(len(t.table) for t in scope_tables(tiny, "A"))   # 4 models on Scope-A
    with pytest.raises(InputError, match=f"use at most {1000 // entries} draws"):
        unc.board_uncertainty(tiny, scopes=("A",), draws=1000 // entries + 1)


def test_skill_unit_needs_skill_groups():
    bench = Benchmark.from_rows(ROWS, VALUES)
    with pytest.raises(InputError, match="skill_group_id"):
        unc.board_uncertainty(bench, scopes=("A",), draws=10, sources=("composition",))
    u = unc.board_uncertainty(bench, scopes=("A",), draws=10, unit="task",
                              sources=("composition",))
    assert u.facts[0]["unit"] == "task"
