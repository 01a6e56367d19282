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
    rule = synergy.resolve("beats_base", {"tier": 3})
    out = rule.credit(context())
    expected = np.array([
        # N1: 60 > base 50 -> 60; N2: 30 > 30? no -> 0; IC: 55 >= 50 -> 55; IG: 35 < 40 -> 0
        [60.0, 0.0, 55.0, 0.0],
        # N1: 50 > 50? no -> 0; N2: 31 > 30 -> 31; IC: 45 < 50 -> 0; IG: 41 >= 40 -> 41
        [0.0, 31.0, 0.0, 41.0],
        # no usable base: strict everywhere (70 < 90, NaN, 50 >= 50, NaN)
        [0.0, 0.0, 50.0, 0.0],
        # the base itself has no base: strict (50 < 90, 30 < 80)
        [0.0, 0.0, 0.0, 0.0],
    ])
    np.testing.assert_array_equal(out, expected)


def test_beats_base_default_tier_and_margin():
    # default tier 2: mllm-b's sibling link does not count, so N2 gets nothing
    out = synergy.resolve("beats_base").credit(context())
    assert out[1].tolist() == [0.0, 0.0, 0.0, 41.0]
    assert out[0].tolist() == [60.0, 0.0, 55.0, 0.0]
    # d = 10: 60 > 50 + 10? no -> mllm-a's N1 credit goes
    out = synergy.resolve("beats_base", {"d": 10}).credit(context())
    assert out[0].tolist() == [0.0, 0.0, 55.0, 0.0]
    # d = 9.5: 60 > 59.5 -> back
    out = synergy.resolve("beats_base", {"d": 9.5}).credit(context())
    assert out[0, 0] == 60.0


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
    out = synergy.resolve("noise_margin", {"z": 1}).credit(ctx)
    # thresholds: N1 90 + 2 = 92, N2 80 + 2 = 82, IC 50 + 4 = 54, IG 40 + 1 = 41
    expected = np.array([
        [0.0, 0.0, 55.0, 0.0],    # 55 >= 54; 35 < 41
        [0.0, 0.0, 0.0, 41.0],    # 45 < 54; 41 >= 41
        [0.0, 0.0, 0.0, 0.0],     # 50 < 54
        [0.0, 0.0, 0.0, 0.0],
    ])
    np.testing.assert_array_equal(out, expected)
    # z = 2: IC needs 58, IG 42 -> nothing left
    out2 = synergy.resolve("noise_margin", {"z": 2}).credit(ctx)
    assert out2.sum() == 0.0
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
     "'beats_base' takes: d=0, tier=2\n"),
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
    assert listed["beats_base"]["params"] == {"d": 0.0, "tier": 2.0}
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
    out = synergy.resolve("noise_margin", {"c": 0.1}).credit(context())
    # IC: 55 >= 50 + 5 -> 55 (mllm-a); IG: 41 < 44.9 -> 0 (mllm-b); NLP: nobody near 93 / 84
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
