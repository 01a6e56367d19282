"""The findings notebooks 04 and 06 print say what their tables show.

Each test reads the tables the notebooks write next to their figures, recomputes
the claim in the test (with its own arithmetic: a loop for Holm's adjustment, the
verdict of an interval, a root mean square) and checks the notebook's printed
findings (the cells tagged ``finding``, whose first sentence the README carries)
carry exactly that number and that verdict, sensitivities included.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from glscore import paths
from glscore.pipeline import readme

FIG = paths.FIGURES_DIR


def finding(stem: str) -> str:
    """Every finding line the committed notebook printed, joined."""
    return " ".join(readme.notebook_findings(paths.NOTEBOOKS_DIR / f"{stem}.ipynb"))


def holm(p: list[float]) -> list[float]:
    """Holm's step-down adjustment, written as a loop."""
    order = sorted(range(len(p)), key=lambda i: p[i])
    out, running = [0.0] * len(p), 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (len(p) - rank) * p[i]))
        out[i] = running
    return out


def interval(mu: float, low: float, high: float) -> str:
    return f"{mu:+.2f} [{low:+.2f}, {high:+.2f}]"


def verdict(low: float, high: float) -> str:
    return "a gain" if low > 0 else "a loss" if high < 0 else "no clear difference"


# ------------------------------------------------------------------ notebook 06

def test_pair_calls_in_the_finding_are_holm_over_the_skill_group_tests():
    pairs = pd.read_csv(FIG / "06_pairs.csv", keep_default_na=False, na_values=[""])
    table4 = pairs[pairs["tier"].isin(["exact", "version", "sibling"]) & (pairs["n"] > 0)]
    adjusted = holm(table4["p_cluster"].tolist())
    expected = ["indistinguishable" if a >= 0.05 else "better" if d > 0 else "worse"
                for a, d in zip(adjusted, table4["mean_diff"], strict=True)]
    assert table4["call_cluster_holm"].tolist() == expected
    better, worse = expected.count("better"), expected.count("worse")
    text = finding("06_synergy_natural_experiments")
    by_tier = ", ".join(f"{int((table4['tier'] == t).sum())} {t}"
                        for t in ("exact", "version", "sibling"))
    assert (f"{len(table4)} linked pairs (a generalist and a language model of its family) "
            f"share NLP tasks ({by_tier};") in text
    assert (f"with Holm's adjustment over the {len(table4)} pairs, {better} generalists score "
            f"clearly above") in text
    assert f"{worse} clearly below, and {len(table4) - better - worse} are indistinguishable" in (
        text)
    # the unadjusted task-level calls, given beside
    task = table4["call_task_none"]
    assert (f"tasks, unadjusted: {int((task == 'better').sum())} above, "
            f"{int((task == 'worse').sum())} below") in text


def test_floor_in_the_finding_is_the_rms_of_the_used_comparisons():
    floor = pd.read_csv(FIG / "06_floor.csv")
    used = floor[floor["used"] & (floor["sheet"] == "NLP")]
    rms = math.sqrt(sum(x * x for x in used["mean_diff"]) / len(used))
    assert (f"noise floor SD {rms:.2f} points, from {len(used)} comparisons"
            in finding("06_synergy_natural_experiments"))
    # the rows the issue found not to be repeats are flagged, not used
    flagged = set(floor.loc[~floor["used"], "model_b"])
    assert {"anygpt@2", "qwen2-vl-72b@2"} <= flagged


def test_headline_is_the_exact_tier_with_every_sensitivity_that_changes_it():
    pool = pd.read_csv(FIG / "06_pooled.csv").set_index(["group", "method"])
    text = finding("06_synergy_natural_experiments")
    exact = pool.loc[("exact", "hksj")]
    v = verdict(exact["ci_low"], exact["ci_high"])
    assert (f"exact tier: {int(exact['k'])} pairs on {int(exact['bases'])} bases), a "
            f"generalist's NLP score differs by "
            f"{interval(exact['mu'], exact['ci_low'], exact['ci_high'])} points (HKSJ, REML "
            f"tau^2; prediction interval for a new pair [{exact['pi_low']:+.2f}, "
            f"{exact['pi_high']:+.2f}]): {v};") in text
    for method in ("hksj_dl", "hksj_floor", "cluster", "per_base", "z_dl"):
        row = pool.loc[("exact", method)]
        shown = interval(row["mu"], row["ci_low"], row["ci_high"])
        assert shown in text
        other = verdict(row["ci_low"], row["ci_high"])
        if other != v:   # a sensitivity that changes the verdict says so
            assert f"{shown}, {other}" in text.split("the verdict changes under", 1)[1]
    ext = pool.loc[("exact+external", "hksj")]
    assert (f"the external-tier pair added ({int(ext['k'])} pairs): "
            f"{interval(ext['mu'], ext['ci_low'], ext['ci_high'])}") in text
    modes = pd.read_csv(FIG / "06_pooled_by_mode.csv").set_index(["mode", "group"])
    zero = modes.loc[("zero", "exact")]
    assert (f"unsupported cells read as 0: "
            f"{interval(zero['mu'], zero['ci_low'], zero['ci_high'])}") in text
    # version and sibling are never "the base": an earlier or related model of the family
    assert "Against an earlier or related model of the same family (not the model's own base)" in (
        text)
    version = pool.loc[("version", "hksj")]
    assert (f"the version tier shows {verdict(version['ci_low'], version['ci_high'])} "
            f"({interval(version['mu'], version['ci_low'], version['ci_high'])}, "
            f"{int(version['k'])} pairs on {int(version['bases'])} bases") in text


def test_noise_headline_counts_multimodal_models_with_their_mc_error():
    heads = pd.read_csv(FIG / "06_noise_headline.csv")
    ranks = pd.read_csv(FIG / "06_noise_ranks.csv")
    scope_a = ranks[(ranks["board"] == "full") & ranks["multimodal"]]
    robust = heads.iloc[0]
    assert robust["scale"] == "robust"
    # the count is the models with multimodal support keeping their level in >= 95% of draws
    assert int((scope_a["p_level"] >= 0.95 - 1e-12).sum()) == robust["stable"]
    assert len(scope_a) == robust["multimodal"] == 90
    assert robust["draws"] >= 2000
    text = finding("06_synergy_natural_experiments")
    assert (f"{robust['draws']} draws), {robust['stable']} (MC SE {robust['stable_se']:.1f}) of "
            f"the 90 models with multimodal support keep their Scope-A level") in text
    assert (f"on Scope-B, {robust['b_stable']} (MC SE {robust['b_stable_se']:.1f}) of "
            f"{robust['b_entries']} model-board entries") in text
    assert (f"{robust['b_leaders_first']} (MC SE {robust['b_leaders_first_se']:.1f}) of "
            f"{robust['b_leaders']} board leaders") in text
    # every share printed has a Monte-Carlo SE of at most 0.5 / sqrt(draws)
    assert f"Monte-Carlo SE above {0.5 / math.sqrt(robust['draws']):.1%}" in text
    for row in heads.iloc[1:].itertuples(index=False):
        assert f"({row.c:.3f}): {row.stable} (MC SE {row.stable_se:.1f}) of 90" in text
        assert f"Scope-B {row.b_stable} (MC SE {row.b_stable_se:.1f}) of {row.b_entries}" in text


def test_level5_probabilities_in_the_finding():
    level5 = pd.read_csv(FIG / "06_level5.csv")
    text = finding("06_synergy_natural_experiments")
    shown = level5[level5["p_robust"] > 0]
    assert len(shown) >= 1
    for row in shown.to_dict("records"):
        assert (f"{row['name']} {100 * row['p_robust']:.1f}% (MC SE {100 * row['se_robust']:.1f}%, "
                f"x0.5 {row['p_x0.5']:.0%}, x1 {row['p_x1']:.0%}, x2 {row['p_x2']:.0%})") in text
    assert "is knife-edge under noise" in text


# ------------------------------------------------------------------ notebook 04

def test_level4_club_percentages_under_both_resampling_units():
    club = pd.read_csv(FIG / "04_level4_club.csv").set_index("model")
    tasks = pd.read_csv(FIG / "04_bootstrap_tasks.csv").set_index("model")
    variants = pd.read_csv(FIG / "04_variant_levels.csv")
    strict = variants[(variants["variant"] == "strict") & (variants["level"] >= 4)]
    names = pd.read_csv(paths.MODELS_CSV).set_index("model_id")["display_name"]
    text = finding("04_relaxation_ablation")
    for model in strict["model"]:
        name = names[model]
        p_group = club.loc[name, "strict"]
        p_task = tasks.loc[model, "p_level4"] + tasks.loc[model, "p_level5"]
        assert f"{name} {100 * p_group:.0f}% (resampling tasks: {100 * p_task:.0f}%)" in text
    assert "sensitivity to benchmark composition, resampling skill groups within" in text


def test_kendall_tau_range_is_over_the_multimodal_models():
    summary = pd.read_csv(FIG / "04_variants.csv")
    rest = summary.iloc[1:]
    lo = rest.loc[rest["kendall_tau"].idxmin()]
    text = finding("04_relaxation_ablation")
    assert (rest["tau_models"] == 90).all()
    assert (f"over the 90 models with multimodal support (the 12 language-only models always "
            f"tie and are left out), ranges from {lo['kendall_tau']:.2f} ({lo['variant']}) to "
            f"{rest['kendall_tau'].max():.2f} (median {np.median(rest['kendall_tau']):.2f})"
            ) in text


@pytest.mark.parametrize("word", ["task resampling they keep", "noise band of"])
def test_retired_wording_is_gone(word):
    assert word not in finding("04_relaxation_ablation") + finding(
        "06_synergy_natural_experiments")
