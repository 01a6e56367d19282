"""One credit path: a rule credits the same whether the pass is built with it,
re-credited with ``Scoring.with_rule`` or varied by the ablation (issue 23's
bug: ``with_rule`` used to credit a context rule without its Context, i.e.
as ``strict``)."""

import numpy as np
import pytest

from glscore import load_paper, score, score_detailed
from glscore.analysis import ablation
from glscore.core.synergy import Context, resolve
from glscore.errors import InputError


@pytest.fixture(scope="module")
def bench():
    return load_paper()


@pytest.mark.parametrize("profile", ["paper", "official"])
@pytest.mark.parametrize(("rule", "params"), [("beats_base", {"tier": 3}),
                                              ("beats_base", {}), ("noise_margin", {"z": 1})])
def test_with_rule_equals_scoring_with_the_rule(bench, profile, rule, params):
    """The regression test of the bug: same S_L, Level-5 and level for every model."""
    switched = score_detailed(bench, profile).with_rule(rule, params)
    direct = score(bench, profile, rule, params)
    np.testing.assert_array_equal(switched.scores.s_l, direct.s_l)
    np.testing.assert_array_equal(switched.scores.level5, direct.level5)
    np.testing.assert_array_equal(switched.scores.level, direct.level)
    assert switched.scores.records() == direct.records()


def test_the_bug_was_real_beats_base_differs_from_strict_on_the_paper_data(bench):
    """The test above can fail: with the model ids, beats_base (tier 3) changes
    S_L for some models; crediting it as strict (the old bug) would not."""
    strict = score(bench)
    based = score_detailed(bench).with_rule("beats_base", {"tier": 3}).scores
    assert (based.s_l != strict.s_l).sum() > 0


def test_the_ablation_credits_through_the_pass(bench):
    prep = score_detailed(bench)
    variant = ablation.Variant.of("beats_base", {"tier": 3})
    np.testing.assert_array_equal(ablation.credit_of(prep, variant),
                                  score_detailed(bench, rule="beats_base",
                                                 rule_params={"tier": 3}).credit)
    assert ablation.evaluate(prep, variant).records() == score(
        bench, rule="beats_base", rule_params={"tier": 3}).records()


def test_a_context_rule_without_model_ids_is_an_error(bench):
    run = score_detailed(bench)
    anonymous = Context(bench.tasks, run.norm.scores, run.norm.sota)
    with pytest.raises(InputError, match="needs the model ids"):
        resolve("beats_base").credit(anonymous)
    # a cell rule needs no ids
    np.testing.assert_array_equal(resolve("strict").credit(anonymous), run.credit)


def test_the_metadata_travels_with_the_benchmark(bench):
    """The loader attaches data/models.csv; without it nobody has a base and
    beats_base is strict (documented), with it S_L moves."""
    assert bench.metadata is not None and "base_model_id" in bench.metadata.columns
    assert bench.select_models(list(bench.models[:3])).metadata is bench.metadata
    bare = bench.with_metadata(None)
    np.testing.assert_array_equal(score(bare, rule="beats_base").s_l, score(bare).s_l)
    assert (score(bench, rule="beats_base").s_l != score(bench).s_l).any()
