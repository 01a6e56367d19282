"""The scoring pass and its result objects (glscore.core.scoring)."""

from collections import Counter

import numpy as np
import pandas as pd
import pytest

import glscore
from glscore import Benchmark, InputError, paths, score, score_blocks, score_detailed
from glscore.analysis import leaderboard
from glscore.analysis.ablation import Variant
from glscore.core import levels, scoring
from glscore.errors import UnknownModelError
from tests.reference_scorer import reference_of

NAN = np.nan


def test_reprs_are_one_line(paper_bench):
    s = score(paper_bench)
    for text in (repr(paper_bench), repr(s), repr(score_detailed(paper_bench))):
        assert "\n" not in text and len(text) < 200
    # the counts per level reached, from the plain-loop reference implementation
    reached = Counter(row["level"] for row in reference_of(paper_bench))
    expected = ", ".join(f"L{k}: {reached.get(k, 0)}" for k in range(1, 6))
    assert f"level reached {expected})" in repr(s)
    assert len(s) == len(paper_bench) == len(set(
        pd.read_csv(paths.DATA_DIR / "scores.csv")["model_id"]))


def test_the_paper_data_scores_as_the_plain_loop_reference(paper_bench):
    """Every model of the paper data, every level, against the independent
    plain-loop implementation of the paper's definitions."""
    s = score(paper_bench, "paper")
    ref = reference_of(paper_bench)
    for k in (2, 3, 4, 5):
        np.testing.assert_allclose(getattr(s, f"level{k}"), [r[f"level{k}"] for r in ref],
                                   rtol=0, atol=1e-9)
    np.testing.assert_array_equal(s.level, [r["level"] for r in ref])


def test_a_model_by_id_or_name(paper_bench):
    s = score(paper_bench)
    i = paper_bench.models.index("vitron-v1")
    assert s["vitron-v1"] == s.record(i) == s["Vitron-V1"] == s[i]
    assert s.to_frame().loc["vitron-v1", "name"] == "Vitron-V1"
    # like a pandas index: `in` by id (or display name), iteration over ids, KeyError
    assert "vitron-v1" in s and "Vitron-V1" in s and "nope" not in s
    assert list(s) == list(paper_bench.models)
    with pytest.raises(KeyError):
        s["nope"]
    with pytest.raises(InputError, match="unknown model 'nope'"):
        s["nope"]
    with pytest.raises(UnknownModelError) as exc:
        s["vitron-v2"]
    assert str(exc.value).startswith("unknown model 'vitron-v2' (did you mean 'vitron-v1'")  # no quotes


def test_to_frame_is_the_one_table(paper_bench):
    s = score(paper_bench)
    frame = s.to_frame()
    assert frame.index.name == "model" and list(frame.index) == list(s)
    assert list(frame.columns) == ["name", "level", "level2", "level3", "level4", "level5",
                                   "s_l"]
    for column in ("level", "level2", "level3", "level4", "level5", "s_l"):
        np.testing.assert_array_equal(frame[column].to_numpy(), getattr(s, column))
    assert not hasattr(s, "frame") and not hasattr(s, "overall")


def test_html_repr_escapes_names(make_bench):
    bench = make_bench([("IC-001", "Acc", "higher", 50.0)], [[60.0], [40.0]],
                       ("<b>bold</b>", "a&b"))
    page = score(bench)._repr_html_()
    assert "<b>bold</b>" not in page and "&lt;b&gt;bold&lt;/b&gt;" in page
    assert "a&amp;b" in page and "<table" in page
    assert "<table" in score_detailed(bench)._repr_html_()


def test_arrays_are_read_only(paper_bench):
    run = score_detailed(paper_bench)
    for array in (paper_bench.values, run.scores.level2, run.scores.level2_m,
                  run.norm.scores, run.norm.sota, run.credit):
        with pytest.raises(ValueError, match="read-only"):
            array[0] = 1.0


def test_the_callers_array_stays_writable(make_bench):
    values = np.array([[60.0]])
    bench = make_bench([("IC-001", "Acc", "higher", 50.0)], values)
    values[0, 0] = 40.0  # the caller's own array is not frozen
    assert not bench.values.flags.writeable


def test_from_rows_derives_sheet_modality_paradigm(make_bench):
    bench = make_bench([("IC-001", "Acc", "higher", 50.0), ("IC-002", "Acc", "higher", 60.0),
                        ("NLP-001", "Acc", "higher", 70.0)], [[1.0, 2.0, 3.0]])
    assert bench.tasks["sheet"].tolist() == ["Image-Comprehension"] * 2 + ["NLP"]
    assert bench.tasks["paradigm"].tolist() == ["comprehension"] * 2 + ["nlp"]
    assert bench.tasks["sheet_row"].tolist() == [1, 2, 1]
    with pytest.raises(InputError, match="unknown task-id prefix"):
        make_bench([("XX-1", "Acc", "higher", 1.0)], [[1.0]])


def test_blocks_give_the_same_bits(paper_bench, monkeypatch):
    """A model's record is the same whatever block of rows it is scored in."""
    whole = {p: score(paper_bench, p) for p in ("paper", "official")}
    # blocks of 7 rows: 102 models in 15 blocks, boundaries everywhere
    monkeypatch.setattr(scoring, "BLOCK_CELLS", 7 * len(paper_bench.tasks))
    for p, s in whole.items():
        blocked = score(paper_bench, p)
        assert blocked.records() == s.records()
        alone = score(paper_bench.select_models(["vitron-v1"]), p)
        assert alone["vitron-v1"] == s["vitron-v1"]
        detailed = score_detailed(paper_bench, p)
        assert detailed.scores.records() == s.records()


def test_score_blocks_equals_score(paper_bench):
    first, second = list(score_blocks(paper_bench.tasks,
                                      [paper_bench.values, paper_bench.values[:3]]))
    s = score(paper_bench)
    assert len(first) == 102 and len(second) == 3
    for i in range(3):
        a, b = first.record(i), s.record(i)
        for key in ("model", "name"):  # ids and names are 0..n-1 in blocks
            a.pop(key), b.pop(key)
        assert a == b


@pytest.mark.parametrize("profile", ["paper", "official"])
def test_levels_only_blocks_are_the_scores_levels_bit_for_bit(paper_bench, profile):
    """``levels_only`` skips the counts, not a bit of the levels: every field
    of the Levels equals the Scores' field of that name, byte for byte, for a
    matrix of several blocks (the paper's rows tiled past one block)."""
    reps = scoring.BLOCK_CELLS // paper_bench.values.size + 2
    tall = np.tile(paper_bench.values, (reps, 1))
    full, = score_blocks(paper_bench.tasks, [tall], profile)
    light, = score_blocks(paper_bench.tasks, [tall], profile, levels_only=True)
    assert isinstance(light, levels.Levels)
    for name in levels.Levels._fields:
        assert getattr(light, name).tobytes() == getattr(full, name).tobytes(), name


def test_a_pass_serves_the_analyses(paper_bench):
    run = score_detailed(paper_bench, "official")
    by_pass = leaderboard.scope_tables(run, "B")
    by_bench = leaderboard.scope_tables(paper_bench, "B", "official")
    for a, b in zip(by_pass, by_bench, strict=True):
        assert a.table.equals(b.table)


def test_domain_errors_name_the_first_bad_cell(make_bench):
    # two bad cells: row 0 column FID (0.0) and row 1 column MSE (-1); row-major: row 0 first
    bench = make_bench([("IG-001", "MSE", "lower", 5.0), ("IG-002", "FID", "lower", 25.0)],
                       [[1.0, 0.0], [-1.0, 3.0]], ("a", "b"))
    with pytest.raises(InputError, match=r"task IG-002.*model 'a' value .*0\.0.* must be > 0"):
        score(bench)


def test_option_choices_raise_input_errors():
    with pytest.raises(InputError, match="unknown level4_mean 'median'"):
        levels.level4(np.array([1.0]), np.array([1.0]), mean="median")
    with pytest.raises(InputError, match="unknown level4_mean 'median'"):
        Variant.of("strict", level4_mean="median")
    with pytest.raises(InputError, match=r"profile 'paper': aggregation 'sum' is not one of "
                                         r"\['per_modality', 'pooled'\]"):
        glscore.PAPER.with_options(aggregation="sum")


def test_the_aggregation_kernel_by_hand():
    # one modality: C2 = 40, G2 = 20, C3 = 30, G3 = 10, S_L = 50
    # L2 = (40 + 20) / 2 = 30; L3 = (30 + 10) / 2 = 20; L4 = 2*30*10 / 40 = 15; L5 = 15 * 50 / 100
    out = levels.aggregate(np.array([[40.0]]), np.array([[20.0]]), np.array([[30.0]]),
                           np.array([[10.0]]), np.array([50.0]))
    assert (out.level2[0], out.level3[0], out.level4[0], out.level5[0]) == (30, 20, 15, 7.5)
    assert out.level[0] == 5


def test_public_api():
    for name in ("score", "score_detailed", "score_blocks", "Benchmark", "Scores", "Scoring",
                 "register_rule", "load_paper", "load_workbooks", "load_tidy"):
        assert name in glscore.__all__ and hasattr(glscore, name)
    assert Benchmark.__init__.__code__.co_varnames[1:4] == ("tasks", "models", "values")


def test_with_rule_recredits_without_renormalising(paper_bench):
    run = score_detailed(paper_bench)
    soft = run.with_rule("soft", {"k": 10.0})
    assert soft.norm is run.norm
    assert soft.scores.records() == score(paper_bench, "paper", "soft", {"k": 10.0}).records()
