"""Variant grids, comparison statistics and the bootstrap (glscore.analysis.ablation)."""

import json

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from glscore import Benchmark, load_paper, score, score_detailed
from glscore.analysis import ablation
from glscore.analysis.ablation import PUBLISHED, Variant
from glscore.cli import main
from glscore.core.benchmark import SHEETS
from glscore.errors import InputError
from glscore.figures import ablation as ablation_figures

NAN = np.nan


def tiny_bench() -> Benchmark:
    """Two tasks per sheet (18 tasks, SoTA 50 everywhere), four models.

    m_all wins everywhere (60), m_half wins on the first task of each sheet
    only (60, 40), m_none never wins (40), m_comp supports comprehension and
    NLP only (60) -- it cannot reach Level-2 in any modality's generation half.
    """
    ids = [(prefix, r) for _, _, _, prefix in SHEETS for r in (1, 2)]
    rows = [(f"{prefix}-{r:03d}", "Acc", "higher", 50.0) for prefix, r in ids]
    names = [f"{prefix}{r}" for prefix, r in ids]
    paradigm = [p for _, _, p, _ in SHEETS for _ in (1, 2)]
    n = len(rows)
    comp_or_nlp = np.isin(paradigm, ["comprehension", "nlp"])
    values = np.stack([
        np.full(n, 60.0),
        np.tile([60.0, 40.0], n // 2),
        np.full(n, 40.0),
        np.where(comp_or_nlp, 60.0, NAN),
    ])
    return Benchmark.from_rows(rows, values, ("m_all", "m_half", "m_none", "m_comp"),
                               task_name=names)


@pytest.fixture(scope="module")
def prep():
    return score_detailed(tiny_bench())


# ---------------------------------------------------------------- grid

def test_make_grid_published_first_no_duplicates():
    grid = ablation.make_grid([["strict", {}], ["soft", {"k": 5}]], [0.1, 0.0],
                              ["per_modality", "pooled"], ["harmonic", "geometric"],
                              extra_rule="glscore.core.synergy:excess")
    labels = [v.label for v in grid]
    assert labels == ["strict", "soft(k=5)", "margin(tau=0.1)", "margin(tau=0)",
                      "glscore.core.synergy:excess", "strict | pooled", "strict | geometric"]
    assert grid[0] == PUBLISHED and grid[0].published
    # full design: 5 rules x 2 aggregations x 2 means = 20, none equal to another
    full = ablation.make_grid({"strict": {}, "soft": {"k": 5}}, [0.1, 0.0],
                              ["per_modality", "pooled"], ["harmonic", "geometric"],
                              extra_rule="glscore.core.synergy:excess", design="full")
    assert len(full) == len(set(full)) == 20


def test_make_grid_bad_input():
    with pytest.raises(InputError, match="unknown synergy rule"):
        ablation.make_grid(["nope"], [])
    with pytest.raises(InputError, match="unknown aggregation"):
        ablation.make_grid(["strict"], [], ["both"])


# ---------------------------------------------------------------- evaluation

@pytest.mark.parametrize("variant", [
    PUBLISHED, Variant.of("soft", {"k": 5}), Variant.of("strict", {}, "pooled"),
    Variant.of("ratio", {}, "per_modality", "geometric"),
])
def test_evaluate_matches_score(prep, variant):
    direct = score(prep.bench, "paper", variant.rule, dict(variant.params),
                   variant.aggregation, variant.level4_mean)
    got = ablation.evaluate(prep, variant)
    for name in ("level2", "level3", "level4", "level5", "level"):
        np.testing.assert_allclose(getattr(got, name), getattr(direct, name))


def test_tiny_levels_hand_computed(prep):
    s = ablation.evaluate(prep, PUBLISHED)
    # m_all: every modality C = G = 60 -> Level-2 = Level-3 = 60, Level-4 = 2*60*60/120 = 60,
    #        S_L = 60 -> Level-5 = 60 * 60 / 100 = 36.
    # m_half: score means (60 + 40) / 2 = 50; credit means (60 + 0) / 2 = 30 -> L3 = L4 = 30,
    #         Level-5 = 30 * 30 / 100 = 9.
    # m_none: Level-2 = 40, no win -> Level-2.  m_comp: C = 60, G = 0 ->
    #         Level-2 = Level-3 = 30 per modality, Level-4 = 0 (G = 0) -> Level-3.
    np.testing.assert_allclose(s.level2, [60, 50, 40, 30])
    np.testing.assert_allclose(s.level3, [60, 30, 0, 30])
    np.testing.assert_allclose(s.level5, [36, 9, 0, 0])
    assert s.level.tolist() == [5, 5, 2, 3]


# ---------------------------------------------------------------- statistics

def test_migration_matrix_counts():
    published = np.array([1, 2, 3, 3, 4, 5])
    variant = np.array([1, 3, 3, 4, 4, 3])
    m = ablation.migration_matrix(published, variant)
    # diagonal: model 0 (1->1), model 2 (3->3), model 4 (4->4)
    assert np.trace(m.to_numpy()) == 3
    assert m.loc[2, 3] == 1 and m.loc[3, 4] == 1 and m.loc[5, 3] == 1
    assert m.to_numpy().sum() == 6
    assert list(m.index) == list(m.columns) == [1, 2, 3, 4, 5]


def test_rank_agreement_identical_and_reversed():
    key = np.array([3010.0, 2050.0, 4001.0, 1000.0])
    assert ablation.rank_agreement(key, key) == (1.0, 1.0)
    tau, rho = ablation.rank_agreement(key, -key)
    assert tau == pytest.approx(-1.0) and rho == pytest.approx(-1.0)
    # one swap of 4 models: 5 concordant, 1 discordant pair -> tau = (5 - 1) / 6
    tau, _ = ablation.rank_agreement(np.array([4.0, 3, 2, 1]), np.array([4.0, 3, 1, 2]))
    assert tau == pytest.approx(4 / 6)


def test_top_overlap_and_order():
    a = np.array([5.0, 4, 3, 2, 1])
    b = np.array([1.0, 4, 3, 2, 5])
    # top-2 of a = {0, 1}, of b = {4, 1} -> 1 shared
    assert ablation.top_overlap(a, b, k=2) == 1
    assert ablation.ranking_order(a).tolist() == [0, 1, 2, 3, 4]


def test_summary_on_tiny(prep):
    variants = [PUBLISHED, Variant.of("none"), Variant.of("strict", {}, "per_modality",
                                                           "geometric")]
    result = ablation.run_ablation(prep, variants, n_boot=50, seed=1)
    s = result.summary()
    assert s.loc[0, "kendall_tau"] == 1.0 and s.loc[0, "top10_overlap"] == 4
    assert (s["tau_models"] == 4).all()   # every tiny model has multimodal support
    # none: m_none wins everywhere it is supported -> Level-5 (40 * 40 / 100 = 16)
    assert s.loc[1, "moved_up"] == 1 and s.loc[1, "entering_level4"] == "m_none"
    assert s.loc[1, ["level1", "level2", "level3", "level4", "level5"]].tolist() == [0, 0, 1, 0, 3]
    # geometric = harmonic when C = G: identical levels and ranking
    assert s.loc[2, "kendall_tau"] == 1.0 and s.loc[2, "moved_up"] == 0
    mig = result.migration(1)
    assert mig.loc[2, 5] == 1 and np.trace(mig.to_numpy()) == 3
    tau = result.tau_matrix()
    assert tau.shape == (3, 3) and np.allclose(np.diag(tau), 1.0)
    long = result.variant_levels()
    assert len(long) == 12 and set(long["variant"]) == set(result.labels)
    for finding in (ablation.finding_levels, ablation.finding_migration,
                    ablation.finding_agreement, ablation.finding_level4,
                    ablation.finding_bootstrap):
        text = finding(result)
        assert isinstance(text, str) and text.endswith(".")


# ---------------------------------------------------------------- bootstrap

@pytest.mark.parametrize("variant", [
    PUBLISHED, Variant.of("soft", {"k": 3}), Variant.of("strict", {}, "pooled", "arithmetic"),
])
def test_bootstrap_identity_resample_reproduces_scores(variant):
    """All-ones counts (every task drawn once) give exactly the point scores,
    on the paper data with its uneven group sizes."""
    prep = score_detailed(load_paper())
    ones = [np.ones((1, len(idx))) for _, idx in prep.groups]
    boot = ablation.bootstrap(prep, variant, counts=ones)
    point = ablation.evaluate(prep, variant)
    for name in ("level2", "level3", "level4", "level5"):
        np.testing.assert_allclose(getattr(boot, name)[:, 0], getattr(point, name), atol=1e-9)
    assert (boot.level[:, 0] == point.level).all()


def test_bootstrap_deterministic_and_shaped(prep):
    a = ablation.bootstrap(prep, PUBLISHED, n_boot=120, seed=7, chunk=50)
    b = ablation.bootstrap(prep, PUBLISHED, n_boot=120, seed=7, chunk=120)
    c = ablation.bootstrap(prep, PUBLISHED, n_boot=120, seed=8)
    assert a.level3.shape == a.level.shape == (4, 120)
    np.testing.assert_array_equal(a.level3, b.level3)  # chunking changes nothing
    assert not np.array_equal(a.level3, c.level3)
    probs = a.level_probabilities()
    np.testing.assert_allclose(probs.sum(axis=1), 1.0)
    # m_none never wins, whatever the resample
    assert probs.loc["m_none", "p_level2"] == 1.0
    ci = a.intervals(ablation.evaluate(prep, PUBLISHED))
    assert (ci["level3_lo"] <= ci["level3_hi"]).all()
    pairs = a.pair_stability(np.array([0, 1, 3, 2]))
    assert len(pairs) == 3 and pairs["p_kept"].between(0, 1).all()


def test_resample_counts_keep_group_sizes(prep):
    counts = ablation.resample_counts(prep, 30, seed=0, unit="task")
    for (_, idx), c in zip(prep.groups, counts, strict=True):
        assert c.shape == (30, len(idx))
        assert (c.sum(axis=1) == len(idx)).all()
    with pytest.raises(InputError, match="n_boot"):
        ablation.resample_counts(prep, 0, seed=0)
    with pytest.raises(InputError, match="unknown resampling unit"):
        ablation.resample_counts(prep, 3, seed=0, unit="model")


def test_skill_group_resampling_moves_whole_groups():
    """On the paper data: within a stratum every task of one skill group is drawn as often
    as its group, and the stratum draws as many groups as it has."""
    prep = score_detailed(load_paper())
    labels = ablation.skill_groups(prep)
    counts = ablation.resample_counts(prep, 50, seed=1)
    for (_, idx), c in zip(prep.groups, counts, strict=True):
        names = labels[idx]
        groups = sorted(set(names))
        drawn = np.stack([c[:, names == g][:, 0] for g in groups], axis=1)
        for g_col, g in enumerate(groups):       # every task of a group: one count
            assert (c[:, names == g] == drawn[:, [g_col]]).all()
        assert (drawn.sum(axis=1) == len(groups)).all()
    # the tiny benchmark has no skill groups: every task is its own group
    tiny = score_detailed(tiny_bench())
    assert (ablation.skill_groups(tiny) == tiny.bench.tasks["task_id"].to_numpy()).all()


def test_bootstrap_of_one_resample_by_hand():
    """One skill-group resample, recomputed from its counts with the level formulas:
    a group mean is sum(count * score) / sum(count) over the stratum's tasks."""
    from glscore.core import levels

    prep = score_detailed(load_paper())
    counts = ablation.resample_counts(prep, 1, seed=11)
    boot = ablation.bootstrap(prep, PUBLISHED, counts=counts)
    scores = np.nan_to_num(prep.norm.scores)
    credit = prep.credit
    means = {}
    for (name, idx), c in zip(prep.groups, counts, strict=True):
        w = c[0]
        means[name] = (scores[:, idx] @ w / w.sum(), credit[:, idx] @ w / w.sum())
    mods = prep.modalities
    comp = np.stack([means[f"{m}-comprehension"][0] for m in mods])
    gen = np.stack([means[f"{m}-generation"][0] for m in mods])
    comp3 = np.stack([means[f"{m}-comprehension"][1] for m in mods])
    gen3 = np.stack([means[f"{m}-generation"][1] for m in mods])
    out = levels.aggregate(comp, gen, comp3, gen3, means["NLP"][1], prep.profile.level4_epsilon,
                           prep.profile.level4_mean, axis=0)
    np.testing.assert_allclose(boot.level3[:, 0], out.level3)
    np.testing.assert_array_equal(boot.level[:, 0], out.level)


def test_rank_agreement_leaves_language_only_models_out():
    key_a = np.array([4.0, 3.0, 2.0, 1.0, 0.0, 0.0])
    key_b = np.array([4.0, 2.0, 3.0, 1.0, 0.0, 0.0])
    keep = np.array([True, True, True, True, False, False])
    tau_all, _ = ablation.rank_agreement(key_a, key_b)
    tau_keep, _ = ablation.rank_agreement(key_a, key_b, keep)
    # 4 ranked models, one swap: (6 - 2 * 1) / 6; the two tied zeros inflate the other
    assert tau_keep == pytest.approx(4 / 6) and tau_all > tau_keep


def test_plots_return_figures(prep):
    result = ablation.run_ablation(prep, [PUBLISHED, Variant.of("none")], n_boot=20)
    for plot in (ablation_figures.plot_levels, ablation_figures.plot_migration, ablation_figures.plot_tau_matrix,
                 ablation_figures.plot_level4_club, ablation_figures.plot_forest):
        assert isinstance(plot(result), Figure)


# ---------------------------------------------------------------- command line

def test_cli_json(capsys):
    assert main(["ablate", "--rules", "strict", "soft,k=5", "--margins", "0.1",
                 "--aggregations", "per_modality", "--level4-means", "harmonic",
                 "--n-boot", "20", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    labels = [v["label"] for v in data["variants"]]
    assert labels == ["strict", "soft(k=5)", "margin(tau=0.1)"]
    first = data["variants"][0]
    assert first["kendall_tau"] == 1.0 and first["top10_overlap"] == 10
    assert sum(first["models_per_level"].values()) == data["models"]
    assert data["n_boot"] == 20 and "timing_s" not in data   # no timings unless asked
    assert main(["ablate", "--rules", "strict", "--margins", "--aggregations", "per_modality",
                 "--level4-means", "harmonic", "--n-boot", "5", "--json", "--timings"]) == 0
    timed = json.loads(capsys.readouterr().out)
    assert timed["timing_s"]["total_s"] > 0


def test_cli_margins_mean_what_help_says(capsys):
    from glscore.analysis.ablation import DEFAULT_MARGINS
    from glscore.cli import build_parser

    parser = build_parser("ablate")
    # no --margins: the defaults --help names; bare --margins: none; values: those
    assert parser.parse_args(["ablate"]).margins == list(DEFAULT_MARGINS)
    assert parser.parse_args(["ablate", "--margins"]).margins == []
    assert parser.parse_args(["ablate", "--margins", "0.2"]).margins == [0.2]
    with pytest.raises(SystemExit):
        main(["ablate", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    defaults = " ".join(f"{m:g}" for m in DEFAULT_MARGINS)
    assert f"(default: {defaults}; --margins with no value: no margin variants)" in text
    assert main(["ablate", "--rules", "strict", "--margins", "--aggregations", "per_modality",
                 "--level4-means", "harmonic", "--n-boot", "0"]) == 0
    out = capsys.readouterr().out
    assert "margin(" not in out and " s," not in out.splitlines()[-1]   # no timing line


def test_cli_unit(capsys):
    args = ["ablate", "--rules", "strict", "--margins", "--aggregations", "per_modality",
            "--level4-means", "harmonic", "--n-boot", "20"]
    assert main([*args, "--unit", "task"]) == 0
    assert "resamples of tasks within modality x paradigm strata" in capsys.readouterr().out
    with pytest.raises(SystemExit):   # argparse rejects the choice (exit 2)
        main([*args, "--unit", "model"])
    assert "invalid choice: 'model'" in capsys.readouterr().err


def test_cli_bad_rule(capsys):
    assert main(["ablate", "--rules", "soft,k", "--n-boot", "0"]) == 2
    assert "expected KEY=NUMBER" in capsys.readouterr().err


def test_pair_stability_of_a_dominating_model():
    """On the paper data, scoring model 0 with everyone's best score makes it beat
    every other model in every resample (p_kept = 1), and a model with no
    support at all ranks below any supported model in every resample."""
    bench = load_paper()
    values = bench.values.copy()
    # the best raw value of every task is the one with the highest normalised score
    # (the largest FID is the worst): copy it from that model; unsupported tasks stay NaN
    norm = score_detailed(bench).norm.scores
    known = np.isfinite(norm).any(axis=0)
    best_row = np.argmax(np.where(np.isfinite(norm), norm, -np.inf), axis=0)
    best = np.where(known, values[best_row, np.arange(values.shape[1])], np.nan)
    values[0] = best  # model 0: the best of everyone, task by task
    values[1] = np.nan  # model 1: supports nothing (Level-1, score 0)
    strong = Benchmark(bench.tasks, bench.models, values, bench.sheets, "dominated")
    prep_strong = score_detailed(strong)
    boot = ablation.bootstrap(prep_strong, n_boot=200, seed=3)
    others = [j for j in range(len(bench.models)) if j not in (0, 1)]
    # pairs (0, j): the dominating model keeps its place above each j
    pairs = pd.concat([boot.pair_stability(np.array([0, j])) for j in others])
    assert (pairs["p_kept"] == 1.0).all()
    # pairs (j, 1): every supported model stays above the empty one
    supported = [j for j in others if np.isfinite(values[j]).any()
                 and boot.level[j].min() >= 2]
    pairs = pd.concat([boot.pair_stability(np.array([j, 1])) for j in supported])
    assert (pairs["p_kept"] == 1.0).all()
