"""Properties of the scores on random benchmarks (hypothesis).

The benchmarks draw tasks of every metric family of ``glscore.core.metrics``
(plain higher-is-better, lower-is-better sigmoid, PSNR, WER, MS-SSIM, MOS) on
every sheet, values inside each metric's valid range, and model metadata
linking some models to a base; every property is checked under every built-in
rule, both profiles and every Level-4 mean.

Valid ranges (where a bound cannot hold outside them, and why):

* plain metrics: 0-100 (a value above 100 is above the scale: Level-2 <= 100
  cannot hold);
* lower-is-better (sigmoid) metrics: > 0 (``paper`` rejects 0; ``official``
  reads 0 as "not supported" and scores it 0, so improving a value to exactly
  0 lowers it: the reference's quirk);
* WER: ``paper`` reads it in percent (0-100), ``official`` as a fraction: a
  percent value there maps to ``1 - x`` < 0, a negative Level-2 (the
  reference's quirk), so under ``official`` WER is drawn in (0, 1];
* MS-SSIM 0-1 (the ``official`` reference stops on a negative mapped value),
  MOS 1-5, PSNR 0-60 dB;
* NLP tasks are plain or RMSE (``official`` takes NLP raw, so a raw
  lower-is-better NLP value above 100 would break ``S_L <= 100`` and with it
  Level-5 <= Level-4; RMSE gets the reference's own mapping).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from glscore import Benchmark, score, score_detailed
from glscore.core import synergy
from glscore.core.benchmark import SHEETS
from glscore.core.normalise import official_rmse_column
from glscore.core.synergy import available, resolve
from glscore.core.vocabulary import LEVEL4_MEANS
from tests.reference_scorer import reference_of

#: Every built-in rule with its default parameters, plus a tolerance margin.
RULES: tuple[tuple[str, dict[str, float]], ...] = (
    *((name, {}) for name in available()), ("margin", {"tau": -0.1}))
PROFILES = ("paper", "official")
TOL = 1e-9

# (metric, direction, raw range under paper, raw range under official)
FAMILIES = {
    "plain": ("Acc", "higher", (0.0, 100.0), (0.0, 100.0)),
    "sigmoid": ("FID", "lower", (0.5, 300.0), (0.5, 300.0)),
    "psnr": ("PSNR", "higher", (0.0, 60.0), (0.0, 60.0)),
    "wer": ("WER", "lower", (0.0, 100.0), (0.01, 1.0)),
    "ms-ssim": ("MS-SSIM", "higher", (0.0, 1.0), (0.0, 1.0)),
    "mos": ("MOS", "higher", (1.0, 5.0), (1.0, 5.0)),
}
NLP_FAMILIES = {
    "plain": ("Acc", "higher", (0.0, 100.0), (0.0, 100.0)),
    "rmse": ("RMSE", "lower", (0.05, 20.0), (0.05, 20.0)),
}


@st.composite
def benchmarks(draw, profile: str, complete: bool = False, families=None, nlp_families=None):
    """A benchmark over all nine sheets: 0-3 tasks per sheet, each of a metric
    family, values in the family's valid range (NaN = not supported, unless
    ``complete``), some models linked to another as their base."""
    col = 2 if profile == "paper" else 3
    rows, ranges = [], []
    for _sheet, _modality, paradigm, prefix in SHEETS:
        pool = (nlp_families or NLP_FAMILIES) if paradigm == "nlp" else (families or FAMILIES)
        for r in range(1, draw(st.integers(0 if not complete else 1, 3)) + 1):
            family = draw(st.sampled_from(sorted(pool)))
            metric, direction = pool[family][0], pool[family][1]
            lo, hi = pool[family][col]
            rows.append((f"{prefix}-{r:03d}", metric, direction,
                         draw(st.floats(max(lo, 1e-3) if direction == "lower" else lo, hi))))
            ranges.append((lo, hi, direction))
    assume(rows)
    n_models = draw(st.integers(1, 4))
    values = np.empty((n_models, len(rows)))
    for j, (lo, hi, direction) in enumerate(ranges):
        low = max(lo, 1e-3) if direction == "lower" else lo
        cell = st.floats(low, hi) if complete else st.one_of(st.just(np.nan), st.floats(low, hi))
        values[:, j] = [draw(cell) for _ in range(n_models)]
    models = tuple(f"m{i}" for i in range(n_models))
    bases = [draw(st.sampled_from(["", *models])) for _ in models]
    tiers = [draw(st.sampled_from(["exact", "version", "sibling"])) for _ in models]
    meta = pd.DataFrame({"model_id": models, "base_model_id": bases, "base_tier": tiers})
    return Benchmark.from_rows(rows, values, models).with_metadata(meta)


def improve(bench: Benchmark, i: int, j: int, amount: float, profile: str = "paper"
            ) -> Benchmark:
    """Model ``i`` better on task ``j``: a higher-is-better value up by ``amount``
    (an unsupported cell becomes supported at ``amount``), a lower-is-better one
    divided by ``1 + amount`` (staying > 0), within the metric's range.

    Better as the profile scores it: ``official`` reads every NLP value raw and
    higher-is-better except its one RMSE column (the reference's quirk), so a
    second NLP RMSE task is better when its value goes up there."""
    values = bench.values.copy()
    direction = bench.tasks["direction"].iloc[j]
    if (profile == "official" and bench.tasks["paradigm"].iloc[j] == "nlp"
            and j != official_rmse_column(bench.task_table)):
        direction = "higher"
    metric = bench.tasks["metric"].iloc[j]
    top = {"MS-SSIM": 1.0, "MOS": 5.0, "PSNR": 60.0}.get(metric, 100.0)
    x = values[i, j]
    if direction == "higher":
        floor = 1.0 if metric == "MOS" else 0.0
        values[i, j] = min(top, (floor if np.isnan(x) else x) + amount)
    else:
        values[i, j] = (1.0 if np.isnan(x) else x) / (1.0 + amount)
    return bench.with_values(values)


def level_arrays(s):
    return [s.level2, s.level3, s.level4, s.level5]


@settings(max_examples=40, deadline=None)
@given(st.data())
@pytest.mark.parametrize("profile", PROFILES)
def test_bounds_and_order_of_levels(profile, data):
    """0 <= L5 <= L4 <= L3 <= L2 <= 100, per modality and overall, for every
    rule, both aggregations and every Level-4 mean (harmonic <= arithmetic,
    geometric <= arithmetic, so L4 <= L3 always; L5 = L4 * S_L / 100 with
    S_L <= 100)."""
    bench = data.draw(benchmarks(profile))
    aggregation = data.draw(st.sampled_from(["per_modality", "pooled"]))
    for mean in LEVEL4_MEANS:
        for rule, params in RULES:
            s = score(bench, profile, rule, params, aggregation=aggregation, level4_mean=mean)
            l2, l3, l4, l5 = level_arrays(s)
            assert np.all(l2 <= 100 + TOL) and np.all(l5 >= -TOL), (rule, mean)
            assert np.all(l3 <= l2 + TOL) and np.all(l4 <= l3 + TOL), (rule, mean)
            assert np.all(l5 <= l4 + TOL), (rule, mean)
            assert np.all(s.s_l <= 100 + TOL) and np.all(s.s_l >= 0)
            m2, m3, m4 = s.level2_m, s.level3_m, s.level4_m
            assert np.all(m4 >= -TOL) and np.all(m4 <= m3 + TOL) and np.all(m3 <= m2 + TOL)
            assert np.all(m2 <= 100 + TOL)
            assert np.all(s.supported_m <= s.tasks_m) and np.all(s.wins_m <= s.tasks_m)


@settings(max_examples=40, deadline=None)
@given(st.data())
@pytest.mark.parametrize("profile", PROFILES)
def test_improving_a_cell_never_lowers_that_models_levels(profile, data):
    """Raising model i's score on one task (a lower-is-better value goes down)
    never lowers model i's Level-2..5 nor its level reached, under every rule.

    For the context rules this holds for model i itself: beats_base credits a
    cell with its own score when it beats the SoTA or the base, both monotone
    in the model's own score; noise_margin's threshold depends on the SoTA and
    the noise only. Another model may lose credit under beats_base when model i
    is its base (see the next test)."""
    bench = data.draw(benchmarks(profile))
    i = data.draw(st.integers(0, len(bench.models) - 1))
    j = data.draw(st.integers(0, len(bench.tasks) - 1))
    better = improve(bench, i, j, data.draw(st.floats(0.01, 40.0)), profile)
    mean = data.draw(st.sampled_from(LEVEL4_MEANS))
    for rule, params in RULES:
        before = score(bench, profile, rule, params, level4_mean=mean)
        after = score(better, profile, rule, params, level4_mean=mean)
        for a, b in zip(level_arrays(after), level_arrays(before), strict=True):
            assert a[i] >= b[i] - TOL, (rule, a[i], b[i])
        assert after.level[i] >= before.level[i], rule


def test_beats_base_a_better_base_can_lower_the_other_model(make_bench):
    """What does not hold for context rules: model b is model a's base, so when
    b improves on the NLP tasks, a's win over its base (and its S_L) can go."""
    meta = pd.DataFrame({"model_id": ["a", "b"], "base_model_id": ["b", ""],
                         "base_tier": ["exact", ""]})
    rows = [("IC-001", "Acc", "higher", 50.0), ("IG-001", "Acc", "higher", 50.0),
            ("NLP-001", "Acc", "higher", 90.0), ("NLP-002", "Acc", "higher", 90.0),
            ("NLP-003", "Acc", "higher", 90.0)]
    bench = make_bench(rows, [[60.0, 60.0, 40.0, 45.0, 50.0], [0.0, 0.0, 30.0, 30.0, 30.0]],
                       ("a", "b"))
    bench = bench.with_metadata(meta)
    before = score(bench, rule="beats_base")
    # a - b on NLP: 10, 15, 20: mean 15, sd 5, se 5 / sqrt(3) = 2.89 and 15 > 1.96 * 2.89;
    # per task the noise at the SoTA is c sqrt(90 * 10) = 30 c (c = PAPER_NOISE_SCALE,
    # about 1.5 points), so each difference clears 1.96 sqrt(2) 30 c (about 4.2):
    # S_L = (40 + 45 + 50) / 3 = 45. Image L4 = 2*60*60/120 = 60, the other three
    # modalities 0: overall L4 = 60 / 4 = 15; L5 = 15 * 45 / 100 = 6.75
    assert 1.96 * 2 ** 0.5 * 30 * synergy.PAPER_NOISE_SCALE < 10.0
    assert before.s_l[0] == pytest.approx(45.0) and before.level5[0] == pytest.approx(6.75)
    after = score(bench.with_values(np.array([[60.0, 60.0, 40.0, 45.0, 50.0],
                                              [0.0, 0.0, 45.0, 45.0, 45.0]])),
                  rule="beats_base")
    # b improves to 45 on every NLP task: a - b is -5, 0, 5, mean 0: no win over the base
    # -> S_L = 0, L5 = 0
    assert after.s_l[0] == 0.0 and after.level5[0] == 0.0 and after.level[0] == 4


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_official_equals_paper_on_complete_plain_metric_data(data):
    """On complete data of plain metrics over all nine sheets the two profiles
    differ only by the reference's Level-4 epsilon:
    ``2CG/(C+G) - 2CG/(C+G+1e-6) = 2CG 1e-6 / ((C+G)(C+G+1e-6)) <= 0.5e-6``."""
    plain = {"plain": FAMILIES["plain"]}
    bench = data.draw(benchmarks("paper", complete=True, families=plain, nlp_families=plain))
    assume(set(bench.tasks["paradigm"]) >= {"comprehension", "generation", "nlp"})
    for rule, params in RULES:
        paper, official = score(bench, "paper", rule, params), score(bench, "official", rule,
                                                                    params)
        for a, b in zip(level_arrays(paper), level_arrays(official), strict=True):
            np.testing.assert_allclose(a, b, rtol=0, atol=1e-6)
        np.testing.assert_allclose(paper.level3_m, official.level3_m, rtol=0, atol=0)
        np.testing.assert_allclose(paper.level4_m, official.level4_m, rtol=0, atol=1e-6)


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_every_rule_credits_the_same_through_every_path(data):
    """The credit of a rule is the same from the pass built with it, from
    another pass re-credited with ``with_rule``, from the ablation, and from
    ``Rule.credit`` on the pass's context; and the levels of ``with_rule``
    are those of ``score`` with the rule (bit for bit)."""
    from glscore.analysis.ablation import Variant, credit_of
    from glscore.core.scoring import rule_context

    profile = data.draw(st.sampled_from(PROFILES))
    bench = data.draw(benchmarks(profile))
    base = score_detailed(bench, profile)
    for rule, params in RULES:
        own = score_detailed(bench, profile, rule, params)
        switched = base.with_rule(rule, params)
        direct = resolve(rule, params).credit(rule_context(bench, base.norm))
        ablated = credit_of(base, Variant.of(rule, params))
        for other in (switched.credit, direct, ablated):
            np.testing.assert_array_equal(other, own.credit)
        assert switched.scores.records() == own.scores.records() == score(
            bench, profile, rule, params).records()


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_paper_profile_equals_the_plain_loop_reference(data):
    """The vectorised ``paper`` scores equal a plain-loop implementation of the
    paper's definitions (tests/reference_scorer.py) on every metric family."""
    bench = data.draw(benchmarks("paper"))
    s = score(bench, "paper")
    ref = reference_of(bench)
    for i, row in enumerate(ref):
        for k in (2, 3, 4, 5):
            assert abs(getattr(s, f"level{k}")[i] - row[f"level{k}"]) < 1e-9
        assert s.level[i] == row["level"]
        for m, modality in enumerate(s.modalities):
            for k in (2, 3, 4):
                got = getattr(s, f"level{k}_m")[i, m]
                assert abs(got - row["modalities"][modality][f"l{k}"]) < 1e-9


@settings(max_examples=30, deadline=None)
@given(st.data(), st.randoms(use_true_random=False))
def test_permuting_models_and_tasks_changes_only_order(data, rnd):
    bench = data.draw(benchmarks("paper"))
    base = score(bench, "paper").to_frame()
    model_order = list(range(len(bench.models)))
    task_order = list(range(len(bench.tasks)))
    rnd.shuffle(model_order)
    rnd.shuffle(task_order)
    shuffled = Benchmark(bench.tasks.iloc[task_order].reset_index(drop=True),
                         tuple(bench.models[k] for k in model_order),
                         bench.values[np.ix_(model_order, task_order)], bench.sheets, "perm")
    other = score(shuffled, "paper").to_frame().loc[base.index]
    pd.testing.assert_frame_equal(base, other, check_exact=False, rtol=1e-12, atol=1e-12)


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_a_model_scores_the_same_alone_and_in_a_batch(data):
    profile = data.draw(st.sampled_from(PROFILES))
    bench = data.draw(benchmarks(profile))
    together = score(bench, profile)
    for i, model in enumerate(bench.models):
        alone = score(bench.select_models([model]), profile)
        assert alone.record(0) == together.record(i)  # bit for bit, not approximately
