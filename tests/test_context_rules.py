"""Context rules (beats_base, noise_margin) on hand-built contexts; the Context
itself; the parameter checks every rule goes through; ``glscore rules``."""

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from glscore.cli import main
from glscore.cli.commands.rules import catalogue
from glscore.cli.params import parse_params, parse_spec
from glscore.core import synergy
from glscore.core.synergy import Context, registry
from glscore.errors import InputError

NAN = np.nan

# Four tasks: two NLP, one Image comprehension, one Image generation.
TASKS = pd.DataFrame({
    "task_id": ["N1", "N2", "IC", "IG"],
    "modality": ["NLP", "NLP", "Image", "Image"],
    "paradigm": ["nlp", "nlp", "comprehension", "generation"],
})
SOTA = np.array([90.0, 80.0, 50.0, 40.0])
MODELS = ("mllm-a", "mllm-b", "mllm-c", "llm")
SCORES = np.array([
    #  N1    N2    IC    IG
    [60.0, 30.0, 55.0, 35.0],   # mllm-a, base llm (exact)
    [50.0, 31.0, 45.0, 41.0],   # mllm-b, base llm (sibling)
    [70.0, NAN, 50.0, NAN],     # mllm-c, base not in the data
    [50.0, 30.0, NAN, NAN],     # llm, no base
])
META = pd.DataFrame({
    "model_id": ["llm", "mllm-a", "mllm-b", "mllm-c", "other"],
    "base_model_id": ["", "llm", "llm", "absent-llm", "llm"],
    "base_tier": ["", "exact", "sibling", "exact", "version"],
})


def context(**kwargs):
    return Context(TASKS, SCORES, SOTA, MODELS, META, **kwargs)


def test_base_rows_by_tier():
    ctx = context()
    # mllm-a -> llm (row 3, tier 1); mllm-b -> llm (row 3, tier 3);
    # mllm-c -> a model not in the data; llm -> none.
    assert ctx.base_rows(3).tolist() == [3, 3, -1, -1]
    assert ctx.base_rows(2).tolist() == [3, -1, -1, -1]   # the sibling link drops
    assert ctx.base_rows(0).tolist() == [-1, -1, -1, -1]
    # the metadata table is aligned with the models, whatever its own order
    assert ctx.model_table.index.tolist() == list(MODELS)


def test_beats_base_hand_checked():
    ctx = context(noise=np.ones(4))   # sigma_t = 1: a task must clear d + z sqrt(2)
    out = synergy.resolve("beats_base", {"tier": 3, "z": 0.5}).credit(ctx)
    expected = np.array([
        # differences to llm on N1, N2: 10, 0 -> D = 5, sd = sqrt(50), se = sqrt(50/2) = 5;
        # 5 > 0.5 * 5: paired test holds; N1 10 > 0.5 sqrt(2) = 0.71 -> 60, N2 0 -> 0;
        # IC 55 >= 50 (strict) -> 55; IG 35 < 40 -> 0
        [60.0, 0.0, 55.0, 0.0],
        # differences 0, 1 -> D = 0.5, se = 0.5; 0.5 > 0.25 holds; N2 1 > 0.71 -> 31;
        # IC 45 < 50 -> 0; IG 41 >= 40 -> 41
        [0.0, 31.0, 0.0, 41.0],
        # no usable base: strict everywhere (70 < 90, NaN, 50 >= 50, NaN)
        [0.0, 0.0, 50.0, 0.0],
        # the base itself has no base: strict (50 < 90, 30 < 80)
        [0.0, 0.0, 0.0, 0.0],
    ])
    np.testing.assert_array_equal(out, expected)
    # z = 1: D = 5 is not > 1 * se = 5, and 0.5 is not > 0.5: both lose their NLP credit
    out = synergy.resolve("beats_base", {"tier": 3, "z": 1}).credit(ctx)
    assert out[0].tolist() == [0.0, 0.0, 55.0, 0.0] and out[1].tolist() == [0.0, 0.0, 0.0, 41.0]


def test_beats_base_counts_losses():
    """Big wins on two tasks do not earn credit when the model loses to its base overall."""
    tasks = pd.DataFrame({"modality": "NLP", "paradigm": ["nlp"] * 6})
    scores = np.array([[58.0, 58.0, 41.0, 41.0, 41.0, 51.0],    # mllm: +8 +8 -9 -9 -9 +1
                       [50.0, 50.0, 50.0, 50.0, 50.0, 50.0]])   # llm
    meta = pd.DataFrame({"model_id": ["mllm"], "base_model_id": ["llm"], "base_tier": ["exact"]})
    ctx = Context(tasks, scores, np.full(6, 90.0), ("mllm", "llm"), meta, noise=np.ones(6))
    # D = (8 + 8 - 27 + 1) / 6 = -1.67 < 0: no NLP credit at any z (the old rule gave 58, 58, 51)
    for z in (0.0, 1.0, 1.96):
        assert synergy.resolve("beats_base", {"z": z}).credit(ctx).sum() == 0.0
    # the same wins against a base it beats on average: +8 +8 +9 +9 +9 +1 -> credit
    ctx2 = Context(tasks, np.array([[58.0, 58.0, 59.0, 59.0, 59.0, 51.0], scores[1]]),
                   np.full(6, 90.0), ("mllm", "llm"), meta, noise=np.ones(6))
    out = synergy.resolve("beats_base", {"z": 1.96}).credit(ctx2)
    # D = 7.17, sd = 3.06, se = 1.25: 7.17 > 1.96 * 1.25; per task > 1.96 sqrt(2) = 2.77:
    # the five large wins count, +1 does not
    assert out[0].tolist() == [58.0, 58.0, 59.0, 59.0, 59.0, 0.0]


def test_beats_base_default_tier_and_margin():
    ctx = context(noise=np.ones(4))
    # default tier 2: mllm-b's sibling link does not count; default z = 1.96 > 1: the
    # paired test of mllm-a (D = 5 = 1 se) fails too: strict everywhere
    out = synergy.resolve("beats_base").credit(ctx)
    np.testing.assert_array_equal(out, synergy.resolve("strict").credit(context()))
    # z = 0.5, d = 10: N1's difference 10 is not > 10 + 0.71 -> mllm-a's N1 credit goes
    out = synergy.resolve("beats_base", {"d": 10, "z": 0.5}).credit(ctx)
    assert out[0].tolist() == [0.0, 0.0, 55.0, 0.0]
    # d = 9: 10 > 9.71 -> back
    out = synergy.resolve("beats_base", {"d": 9, "z": 0.5}).credit(ctx)
    assert out[0, 0] == 60.0
    with pytest.raises(InputError, match="z must be >= 0"):
        synergy.resolve("beats_base", {"z": -1}).credit(ctx)


def test_beats_base_never_below_strict_and_equals_it_without_links():
    strict = synergy.resolve("strict").credit(context())
    ctx = context()
    out = synergy.resolve("beats_base", {"tier": 3}).credit(ctx)
    assert (out >= strict).all()
    no_links = Context(TASKS, SCORES, SOTA, MODELS, pd.DataFrame({"model_id": list(MODELS)}))
    np.testing.assert_array_equal(
        synergy.resolve("beats_base").credit(no_links), strict)
    # without model ids it is an error, never a silent strict (the bug of issue 23)
    with pytest.raises(InputError, match="needs the model ids"):
        synergy.resolve("beats_base").credit(Context(TASKS, SCORES, SOTA))
    # and so is crediting without a Context at all
    with pytest.raises(TypeError):
        synergy.resolve("beats_base").credit(SCORES, SOTA, TASKS)
    with pytest.raises(InputError, match="credit takes a Context"):
        synergy.resolve("beats_base").credit(SCORES)


def test_margin_keeps_a_sota_of_100_winnable():
    scores = np.array([[100.0, 99.0, 96.0, 60.0]])
    sota = np.array([100.0, 95.0, 92.0, 50.0])
    out = synergy.resolve("margin", {"tau": 0.05}).credit(Context(TASKS, scores, sota))
    # thresholds min(S * 1.05, 100): 100 (capped: 105), 99.75 -> 100, 96.6, 52.5
    assert out.tolist() == [[100.0, 0.0, 0.0, 60.0]]
    # without the cap the first task could never be won (no score exceeds 100)
    assert (scores[0, 0] < sota[0] * 1.05)
    # a tolerance (tau < 0) is not capped: 95 * 0.95 = 90.25 <= 99
    out = synergy.resolve("margin", {"tau": -0.05}).credit(Context(TASKS, scores, sota))
    assert out[0, 1] == 99.0


def test_group_noise_fills_by_group_then_overall():
    tasks = pd.DataFrame({"modality": ["Image", "Image", "Image", "Video", "Video"],
                          "paradigm": ["comprehension"] * 3 + ["generation"] * 2})
    # Image-comprehension: median(1, 5) = 3 fills task 2; Video-generation has
    # nothing measured: the overall median of (1, 5) = 3.
    out = synergy.group_noise(tasks, np.array([1.0, 5.0, NAN, NAN, NAN]))
    assert out.tolist() == [1.0, 5.0, 3.0, 3.0, 3.0]


def test_noise_margin_hand_checked():
    noise = np.array([2.0, NAN, 4.0, 1.0])  # N2 takes the NLP median: 2
    ctx = context(noise=noise)
    out = synergy.resolve("noise_margin", {"z": 0.5}).credit(ctx)
    # thresholds SoTA + z sqrt(2) sigma: N1 90 + 1.41, N2 80 + 1.41, IC 50 + 2.83 = 52.83,
    # IG 40 + 0.71 = 40.71
    expected = np.array([
        [0.0, 0.0, 55.0, 0.0],    # 55 >= 52.83; 35 < 40.71
        [0.0, 0.0, 0.0, 41.0],    # 45 < 52.83; 41 >= 40.71
        [0.0, 0.0, 0.0, 0.0],     # 50 < 52.83
        [0.0, 0.0, 0.0, 0.0],
    ])
    np.testing.assert_array_equal(out, expected)
    # z = 1: IC needs 55.66, IG 41.41 -> nothing left (one sigma, not sqrt(2), would keep both)
    out1 = synergy.resolve("noise_margin", {"z": 1}).credit(ctx)
    assert out1.sum() == 0.0
    # z = 0 is strict
    out0 = synergy.resolve("noise_margin", {"z": 0}).credit(ctx)
    np.testing.assert_array_equal(out0, synergy.resolve("strict").credit(context()))


def test_noise_margin_bad_noise():
    rule = synergy.resolve("noise_margin")
    with pytest.raises(InputError, match="noise has shape"):
        rule.credit(context(noise=np.ones(3)))
    with pytest.raises(InputError, match="finite and >= 0"):
        rule.credit(context(noise=np.array([1.0, -1.0, 1.0, 1.0])))
    with pytest.raises(InputError, match="no task has a measured noise"):
        rule.credit(context(noise=np.full(4, NAN)))
    with pytest.raises(InputError, match="z must be >= 0"):
        synergy.resolve("noise_margin", {"z": -1}).credit(context(noise=np.ones(4)))
    with pytest.raises(InputError, match="c must be >= 0"):
        synergy.resolve("noise_margin", {"c": -0.1}).credit(context())


def test_a_user_context_rule_sees_the_whole_matrix():
    def above_mean(context, k=0.0):
        mean = np.nanmean(context.scores, axis=0)
        return np.where(context.scores > mean + k, context.scores, 0.0)

    rule = synergy.resolve(above_mean, {"k": 1})
    assert rule.takes_context and synergy.rule_parameters(above_mean) == {"k": 0.0}
    # IC column: mean(55, 45, 50) = 50, so only 55 > 51 counts
    out = rule.credit(context())
    assert out[:, 2].tolist() == [55.0, 0.0, 0.0, 0.0]


# ---------------------------------------------------------------- parameters

@pytest.mark.parametrize(("params", "message"), [
    ({"x": 1.0}, "synergy rule 'margin' has no parameter 'x'; its parameters: tau=0.05"),
    ({"tau": float("nan")}, "parameter tau=nan is not a finite number; its parameters: tau=0.05"),
    ({"tau": float("inf")}, "parameter tau=inf is not a finite number"),
    ({"tau": "0.1"}, "parameter tau='0.1' is not a finite number"),
    ({"tau": True}, "parameter tau=True is not a finite number"),
])
def test_bad_parameters_name_the_rules_parameters(params, message):
    with pytest.raises(InputError) as exc:
        synergy.resolve("margin", params)
    assert message in str(exc.value)


def test_parse_spec_and_params():
    assert parse_spec("beats_base, d=1.5 ,tier=3") == ("beats_base", {"d": 1.5, "tier": 3.0})
    assert parse_params(["k=5"]) == {"k": 5.0}
    with pytest.raises(InputError, match="'soft' takes: k=10"):
        parse_spec("soft,k=inf")
    with pytest.raises(InputError, match="expected NAME"):
        parse_spec(",k=1")


@pytest.mark.parametrize(("argv", "message"), [
    (["--rule", "margin", "--param", "tau=nan"],
     "glscore: error: --param 'tau=nan': expected KEY=NUMBER (a finite number); "
     "'margin' takes: tau=0.05\n"),
    (["--rule", "soft", "--param", "tau=1"],
     "glscore: error: synergy rule 'soft' has no parameter 'tau'; its parameters: k=10\n"),
    (["--param", "k=1"],
     "glscore: error: synergy rule 'strict' has no parameter 'k'; its parameters: none\n"),
    (["--rule", "beats_base", "--param", "d"],
     "glscore: error: --param 'd': expected KEY=NUMBER (a finite number); "
     "'beats_base' takes: z=1.96, d=0, tier=2, c=0.0503237\n"),
])
def test_cli_param_errors_are_one_line(capsys, argv, message):
    assert main(["score", *argv]) == 2
    captured = capsys.readouterr()
    assert captured.err == message and captured.out == ""


def test_ablate_rules_spec_errors(capsys):
    assert main(["ablate", "--rules", "soft,q=1", "--n-boot", "0"]) == 2
    err = capsys.readouterr().err
    assert err == ("glscore: error: synergy rule 'soft' has no parameter 'q'; "
                   "its parameters: k=10\n")


# ---------------------------------------------------------------- glscore rules

def test_rules_json_lists_builtins_with_form_formula_and_defaults(capsys):
    assert main(["rules", "--json"]) == 0
    listed = {r["name"]: r for r in json.loads(capsys.readouterr().out)}
    assert {"strict", "margin", "soft", "ratio", "excess", "noisy_sota", "none",
            "beats_base", "noise_margin"} <= set(listed)
    assert listed["margin"]["params"] == {"tau": 0.05}
    assert listed["margin"]["form"] == "cell" and listed["margin"]["source"] == "built-in"
    assert listed["beats_base"]["params"] == {"z": 1.96, "d": 0.0, "tier": 2.0,
                                              "c": synergy.PAPER_NOISE_SCALE}
    assert listed["beats_base"]["form"] == "context"
    assert listed["noise_margin"]["form"] == "context"
    assert "score >= SoTA" in listed["strict"]["formula"]
    assert listed["strict"]["target"] == "glscore.core.synergy:strict"
    assert listed["noise_margin"]["params"] == {"z": 1.0, "c": synergy.PAPER_NOISE_SCALE}


def test_rules_text(capsys):
    assert main(["rules"]) == 0
    out = capsys.readouterr().out
    assert "margin(tau=0.05)  [built-in, cell rule, glscore.core.synergy:margin]\n" in out
    assert f"noise_margin(z=1, c={synergy.PAPER_NOISE_SCALE:g})  [built-in, context rule," in out


def test_entry_points_broken_and_shadowed(monkeypatch):
    from importlib.metadata import EntryPoint

    fake = {
        "broken": EntryPoint("broken", "no_such_module_xyz:rule", synergy.ENTRY_POINT_GROUP),
        "strict": EntryPoint("strict", "glscore.core.synergy:none", synergy.ENTRY_POINT_GROUP),
        "halfway": EntryPoint("halfway", "glscore.core.synergy:ratio",
                              synergy.ENTRY_POINT_GROUP),
    }
    monkeypatch.setattr(registry, "entry_point_rules", lambda: fake)
    listed = {(i.name, i.source): i for i in catalogue()}
    assert listed[("broken", "entry point ?")].note.startswith(
        "not loadable: cannot load synergy rule 'broken' (entry point no_such_module_xyz:rule)")
    assert listed[("strict", "entry point ?")].note == "not used: a built-in rule has this name"
    # by name: the built-in wins; the installed one resolves; the broken one is one line
    assert synergy.resolve("strict").function is synergy.strict
    assert synergy.resolve("halfway").function is synergy.ratio
    with pytest.raises(InputError, match="ModuleNotFoundError"):
        synergy.resolve("broken")
    with pytest.raises(InputError, match=r"unknown synergy rule 'nope'; choose one of .*'halfway'"):
        synergy.resolve("nope")


def test_noise_margin_default_noise_is_binomial_at_the_sota():
    # sigma = 0.1 sqrt(S (100 - S)): N1 sqrt(900) / 10 = 3, N2 sqrt(1600) / 10 = 4,
    # IC sqrt(2500) / 10 = 5, IG sqrt(2400) / 10 = 4.899
    np.testing.assert_allclose(context().task_noise(0.1), [3.0, 4.0, 5.0, 0.1 * 2400 ** 0.5])
    out = synergy.resolve("noise_margin", {"z": 0.5, "c": 0.1}).credit(context())
    # IC: 55 >= 50 + 0.5 sqrt(2) 5 = 53.54 -> 55 (mllm-a); IG: 41 < 40 + 3.46 -> 0 (mllm-b)
    assert out.tolist() == [[0.0, 0.0, 55.0, 0.0], [0.0] * 4, [0.0] * 4, [0.0] * 4]


def test_noise_margin_scale_is_a_parameter_with_the_paper_default():
    assert synergy.rule_parameters(synergy.noise_margin) == {
        "z": 1.0, "c": synergy.PAPER_NOISE_SCALE}
    # the default c is the constant: the same credit as passing it
    default = synergy.resolve("noise_margin").credit(context())
    given = synergy.resolve("noise_margin", {"c": synergy.PAPER_NOISE_SCALE}).credit(context())
    np.testing.assert_array_equal(default, given)
    # a larger c raises every threshold: credit can only go
    assert (synergy.resolve("noise_margin", {"c": 0.3}).credit(context()) <= default).all()


# ---------------------------------------------------------------- on the paper data

def test_beats_base_on_the_paper_data_moves_only_nlp_credit():
    from glscore import load_paper, score

    bench = load_paper()
    strict, based = score(bench), score(bench, rule="beats_base")
    for name in ("level2", "level3", "level4", "comp3", "gen3"):
        np.testing.assert_array_equal(getattr(based, name), getattr(strict, name))
    assert (based.s_l >= strict.s_l).all()
    assert (based.s_l > strict.s_l).any()  # data/models.csv links bases


def test_cli_context_rule_with_one_model_sees_the_others(capsys):
    """``--model`` must not hide a model's base from a context rule: the one
    model's record is the one it has when every model is scored."""
    from glscore import load_paper, score

    bench = load_paper()
    full = score(bench, rule="beats_base", rule_params={"tier": 3})
    i = bench.models.index("vitron-v1")
    assert main(["score", "--rule", "beats_base", "--param", "tier=3", "--model", "Vitron-V1",
                 "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record.pop("origin") == "paper" and record.pop("sota") == "data/tasks.csv"
    assert record.pop("proxy_tasks") == []
    assert record == full.record(i)


# ---------------------------------------------------------------- properties

cells = st.one_of(st.just(NAN), st.floats(0, 100))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(cells, min_size=4, max_size=4), min_size=4, max_size=4),
       st.lists(cells, min_size=4, max_size=4),
       st.lists(st.one_of(st.just(NAN), st.floats(0, 20)), min_size=4, max_size=4),
       st.floats(0, 3), st.floats(0, 5))
def test_context_rules_credit_a_cell_with_its_score_or_nothing(rows, sota, noise, z, d):
    scores, sota = np.array(rows), np.array(sota)
    ctx = Context(TASKS, scores, sota, MODELS, META, noise=np.array(noise))
    strict = synergy.resolve("strict").credit(ctx)
    based = synergy.resolve("beats_base", {"d": d, "tier": 3}).credit(ctx)
    assert (based >= strict).all()
    outs = [based]
    if np.isfinite(noise).any():
        outs.append(synergy.resolve("noise_margin", {"z": z}).credit(ctx))
        assert (outs[-1] <= strict).all()  # a margin above the SoTA never adds credit
    known = np.nan_to_num(scores, nan=0.0)
    for out in outs:
        assert ((out == 0) | (out == known)).all()


def test_bad_metadata_is_one_line():
    doubled = pd.concat([META, META.iloc[:1]])
    with pytest.raises(InputError, match="model_id 'llm' appears more than once"):
        Context(TASKS, SCORES, SOTA, MODELS, doubled).base_rows()
    odd = META.assign(base_tier=["", "Exact", "sibling", "exact", "version"])
    with pytest.raises(InputError, match="base_tier 'Exact' of model 'mllm-a' is not one of"):
        Context(TASKS, SCORES, SOTA, MODELS, odd).base_rows()
