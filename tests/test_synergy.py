"""Synergy rules: hand-computed cells, NaN, SoTA of 0, properties, resolution."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from glscore.core import synergy
from glscore.errors import InputError

NAN = np.nan
RULES = {
    "strict": {}, "none": {}, "margin": {"tau": 0.1}, "margin_neg": {"tau": -0.1},
    "soft": {"k": 10.0}, "ratio": {}, "excess": {}, "noisy_sota": {"s": 2.0},
}


def credit(name, scores, sota, **params):
    """Through Rule.credit on a Context, as the scorer calls it."""
    rule = synergy.resolve(name, params)
    scores, sota = np.asarray(scores, float), np.asarray(sota, float)
    return rule.credit(synergy.Context(pd.DataFrame(index=range(len(sota))), scores, sota))


def test_registry_has_every_rule():
    assert {"strict", "margin", "soft", "ratio", "excess", "noisy_sota", "none"} <= set(
        synergy.available())


def test_strict_and_none_unchanged():
    scores = np.array([[50.0, 40.0, NAN, 45.0]])
    sota = np.array([45.0, 45.0, 10.0, 45.0])
    # 50 >= 45 -> 50; 40 < 45 -> 0; NaN -> 0; 45 == 45 (equality wins) -> 45
    assert credit("strict", scores, sota).tolist() == [[50.0, 0.0, 0.0, 45.0]]
    # none: every supported score counts, NaN -> 0
    assert credit("none", scores, sota).tolist() == [[50.0, 40.0, 0.0, 45.0]]


def test_margin_positive_negative_and_zero():
    scores = np.array([[54.0, 55.0, 46.0, 44.0, NAN]])
    sota = np.array([50.0, 50.0, 50.0, 50.0, 50.0])
    # tau = 0.1: threshold 50 * 1.1 = 55 -> only 55 counts (equality at the threshold wins)
    assert credit("margin", scores, sota, tau=0.1).tolist() == [[0, 55, 0, 0, 0]]
    # tau = -0.1: threshold 50 * 0.9 = 45 -> 54, 55, 46 count, 44 does not
    assert credit("margin", scores, sota, tau=-0.1).tolist() == [[54, 55, 46, 0, 0]]
    # tau = 0 is strict
    np.testing.assert_array_equal(credit("margin", scores, sota, tau=0.0),
                                  credit("strict", scores, sota))


def test_margin_sota_zero():
    # threshold 0 + 0.1 * |0| = 0: any score >= 0 counts
    assert credit("margin", [[0.0, 3.0]], [0.0, 0.0], tau=0.1).tolist() == [[0.0, 3.0]]


def test_soft():
    scores = np.array([[50.0, 55.0, 45.0, NAN, 5.0]])
    sota = np.array([50.0, 50.0, 50.0, 50.0, 0.0])
    out = credit("soft", scores, sota, k=10.0)[0]
    # at SoTA: 50 * logistic(0) = 25
    assert out[0] == pytest.approx(25.0)
    # 10% above: 55 * logistic(10 * 0.1) = 55 * 0.7310586 = 40.2082
    assert out[1] == pytest.approx(55 / (1 + math.exp(-1)))
    # 10% below: 45 * logistic(-1) = 45 * 0.2689414 = 12.1024
    assert out[2] == pytest.approx(45 / (1 + math.exp(1)))
    # NaN -> 0; SoTA 0 and a positive score: relative gap +inf -> full score 5
    assert out[3] == 0.0 and out[4] == 5.0


def test_soft_large_k_tends_to_strict_away_from_sota():
    scores, sota = np.array([[60.0, 40.0]]), np.array([50.0, 50.0])
    np.testing.assert_allclose(credit("soft", scores, sota, k=1e4), [[60.0, 0.0]])


def test_ratio():
    scores = np.array([[40.0, 60.0, 50.0, NAN, 0.0, 7.0]])
    sota = np.array([50.0, 50.0, 50.0, 50.0, 50.0, 0.0])
    # 40 * 40/50 = 32; 60 * min(1, 1.2) = 60; at SoTA 50 * 1 = 50; NaN 0; 0 * 0 = 0;
    # SoTA 0: score >= SoTA -> fraction 1 -> 7
    assert credit("ratio", scores, sota).tolist() == [[32.0, 60.0, 50.0, 0.0, 0.0, 7.0]]


def test_excess():
    scores = np.array([[60.0, 40.0, 50.0, NAN, 4.0]])
    sota = np.array([50.0, 50.0, 50.0, 50.0, 0.0])
    # 60 - 50 = 10; below -> 0; at SoTA -> 0; NaN -> 0; SoTA 0 -> 4 - 0 = 4
    assert credit("excess", scores, sota).tolist() == [[10.0, 0.0, 0.0, 0.0, 4.0]]


def test_noisy_sota():
    scores = np.array([[50.0, 52.0, 48.0, NAN]])
    sota = np.array([50.0, 50.0, 50.0, 50.0])
    out = credit("noisy_sota", scores, sota, s=2.0)[0]
    # at SoTA: 50 * Phi(0) = 25; +1 s: 52 * Phi(1) = 52 * 0.841345 = 43.7499
    assert out[0] == pytest.approx(25.0)
    assert out[1] == pytest.approx(52 * 0.8413447460685429)
    # -1 s: 48 * Phi(-1) = 48 * 0.158655 = 7.6155; NaN -> 0
    assert out[2] == pytest.approx(48 * 0.15865525393145707)
    assert out[3] == 0.0
    # s = 0 is strict
    np.testing.assert_array_equal(credit("noisy_sota", scores, sota, s=0.0),
                                  credit("strict", scores, sota))
    with pytest.raises(InputError, match="s must be >= 0"):
        credit("noisy_sota", scores, sota, s=-1.0)


def test_nan_sota_gives_no_credit_except_none():
    scores, sota = np.array([[50.0]]), np.array([NAN])
    for name, params in RULES.items():
        rule = "margin" if name.startswith("margin") else name
        expected = 50.0 if rule == "none" else 0.0
        assert credit(rule, scores, sota, **params)[0, 0] == expected, name


cells = arrays(float, (3, 5), elements=st.one_of(st.just(NAN), st.floats(0, 100)))
sotas = arrays(float, 5, elements=st.floats(0, 100))


@settings(max_examples=60, deadline=None)
@given(cells, sotas)
def test_properties(scores, sota):
    """Every rule: credit in [0, 100], 0 where unsupported, never above the
    score (so never above ``none``); strict <= none."""
    unsupported = np.isnan(scores)
    as_none = credit("none", scores, sota)
    for name, params in RULES.items():
        rule = "margin" if name.startswith("margin") else name
        out = credit(rule, scores, sota, **params)
        assert out.shape == scores.shape
        assert np.all((out >= 0) & (out <= 100)), name
        assert np.all(out[unsupported] == 0), name
        assert np.all(out <= as_none + 1e-9), name
    assert np.all(credit("strict", scores, sota) <= as_none)


def test_resolve_module_function_and_errors():
    rule = synergy.resolve("glscore.core.synergy:excess")
    assert rule.function is synergy.excess and rule.label == "glscore.core.synergy:excess"
    assert synergy.resolve("soft", {"k": 5}).label == "soft(k=5)"
    with pytest.raises(InputError, match="unknown synergy rule 'nope'"):
        synergy.resolve("nope")
    with pytest.raises(InputError, match="cannot load synergy rule"):
        synergy.resolve("no_such_module_xyz:f")


def test_rule_docstrings_give_formula():
    for name in synergy.available():
        doc = synergy.resolve(name).function.__doc__ or ""
        assert "credit" in doc.lower() or name == "none", name
