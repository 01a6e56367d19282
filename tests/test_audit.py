"""glscore.analysis.audit on tiny hand-made benchmarks, arithmetic written out."""

import math

import numpy as np
import pandas as pd
import pytest

from glscore.analysis import audit
from glscore.core.benchmark import Benchmark
from glscore.core.metrics import match_alias
from glscore.figures import audit as audit_figures


def sig(x, t):
    """The lower-is-better mapping 2 / (1 + exp(-t / x)) - 1, times 100."""
    return (2 / (1 + math.exp(-t / x)) - 1) * 100


def make_bench(rows, values, models=None):
    """rows: (task_id, sheet, metric, direction, sota); the sheet row is the id's number.
    ``direction`` is as printed; scored, a special metric takes its own (as ``data/tasks.csv``
    keeps the print in ``direction_printed``)."""
    ids = [r[0] for r in rows]
    scored = [(s.direction if (s := match_alias(metric)) else direction)
              for _, _, metric, direction, _ in rows]
    return Benchmark.from_rows(
        [(t, metric, d, sota) for (t, _, metric, _, sota), d in zip(rows, scored, strict=True)],
        values, models or tuple("ABCDEFG"[: len(values)]),
        sheets=tuple(dict.fromkeys(r[1] for r in rows)),
        task_name=["task " + t for t in ids], sheet_row=[int(t.split("-")[1]) for t in ids],
        direction_printed=[r[3] for r in rows])


ROWS = [
    ("IC-001", "Image-Comprehension", "Acc", "higher", 50.0),
    ("IG-001", "Image-Generation", "FID", "lower", 25.0),
    ("AG-001", "Audio-Generation", "WER", "lower", 5.0),
    ("3G-001", "3D-Generation", "CD (Chamfer Distance)", "lower", 1.0),
    ("NLP-001", "NLP", "RMSE", "higher", 0.31),
    ("NLP-002", "NLP", "Acc", "higher", 80.0),
]
NAN = np.nan
VALUES = [
    [60.0, 20.0, 10.0, NAN, 2.47, 70.0],   # A
    [40.0, NAN, NAN, 0.5, NAN, 90.0],      # B
]


@pytest.fixture
def bench():
    return make_bench(ROWS, VALUES)


def test_normalisation_differences_by_hand(bench):
    d = audit.normalisation_differences(bench).set_index("task_id")
    # IC-001 (plain Acc) and NLP-002 (plain Acc) are identical; IG-001 (FID) is mapped
    # the same way by both, its only difference (B missing -> 0.0) is not counted by default.
    assert list(d.index) == ["AG-001", "3G-001", "NLP-001"]
    # WER: official 100 * (1 - 5) = -400; paper 100 * (1 - 5/100) = 95
    ag = d.loc["AG-001"]
    assert ag["sota_official"] == pytest.approx(-400.0)
    assert ag["sota_paper"] == pytest.approx(95.0)
    assert ag["sota_shift"] == pytest.approx(-495.0)
    # A's 10: official 100 * (1 - 10) = -900 vs paper 90 -> one changed cell; B missing -> 0
    assert (ag["cells_changed"], ag["missing_to_zero"], ag["cause"]) == (1, 1, "wer")
    # CD: exact matching misses 'CD (Chamfer Distance)': official raw 1.0,
    # paper 2 / (1 + e^-1) - 1 = 46.2117...; B's 0.5 -> raw vs 2 / (1 + e^-2) - 1
    cd = d.loc["3G-001"]
    assert cd["sota_official"] == 1.0
    assert cd["sota_paper"] == pytest.approx(sig(1.0, 1.0))
    assert cd["sota_paper"] == pytest.approx(46.2117, abs=1e-4)
    assert (cd["mapped_official"], cd["mapped_paper"]) == ("", "CD")
    assert (cd["cells_changed"], cd["missing_to_zero"], cd["cause"]) == (1, 0, "alias")
    # NLP RMSE: official keeps the SoTA raw (0.31), paper maps it: 2/(1+e^(-5/0.31))-1
    # A's 2.47 maps to the same 76.66 on both sides (the model side uses T=5 too);
    # B missing -> 0.0 under official only.
    nlp = d.loc["NLP-001"]
    assert nlp["sota_official"] == pytest.approx(0.31)
    assert nlp["sota_paper"] == pytest.approx(sig(0.31, 5.0))
    assert (nlp["cells_changed"], nlp["missing_to_zero"], nlp["cause"]) == (0, 1, "nlp")
    assert "one-sided" in nlp["reason"] and "printed higher-is-better" in nlp["reason"]


def test_normalisation_differences_with_missing_as_zero(bench):
    d = audit.normalisation_differences(bench, include_missing_as_zero=True)
    assert d["task_id"].tolist() == ["IG-001", "AG-001", "3G-001", "NLP-001"]
    ig = d.iloc[0]
    assert (ig["cause"], ig["cells_changed"], ig["missing_to_zero"]) == ("missing_as_zero", 0, 1)
    assert ig["sota_shift"] == 0.0


def test_missing_as_zero_finding(bench):
    # missing cells set to 0 by official: IG-001 (B), AG-001 (B), NLP-001 (B) = 3 in 3 tasks
    text = audit.missing_as_zero_finding(bench)
    assert text.startswith("Official also turns 3 missing cells of 3 mapped tasks into 0.0")
    assert text.endswith("of 2 models.")


def test_normalisation_finding_counts(bench):
    text = audit.normalisation_finding(audit.normalisation_differences(bench))
    assert text.startswith("3 tasks are normalised differently")
    assert "1 by WER read as a fraction (AG-001)" in text
    # largest |SoTA shift|: AG-001, -400 vs 95
    assert "largest SoTA shift is AG-001" in text


def test_difference_matrix(bench):
    m = audit.normalised_difference_matrix(bench)
    assert list(m.columns) == ["SoTA", "A", "B"]
    assert m.loc["AG-001", "A"] == pytest.approx(-900.0 - 90.0)
    assert math.isnan(m.loc["AG-001", "B"])  # unsupported cells are not compared
    assert m.loc["AG-001", "SoTA"] == pytest.approx(-495.0)


def test_level5_tasks_by_hand(bench):
    # official: Image comp 60 >= 50 (credit 60), gen FID 20 -> sig(20, 25) = 55.46 >=
    # sig(25, 25) = 46.21 (credit 55.46): Level-4 > 0. NLP raw under official: A's
    # RMSE 2.47 -> sig(2.47, 5) = 76.66 >= raw SoTA 0.31 -> credit; Acc 70 < 80.
    # paper: 76.66 < sig(0.31, 5) = 99.99998, so S_L = 0 and no Level-5.
    t = audit.level5_tasks(bench)
    assert len(t) == 1
    row = t.iloc[0]
    assert (row["profile"], row["model"], row["task_id"]) == ("official", "A", "NLP-001")
    assert row["credit"] == pytest.approx(sig(2.47, 5.0))
    assert row["s_l"] == pytest.approx(sig(2.47, 5.0) / 2)
    # the sentence names the SoTA table it holds for
    text = audit.level5_finding(t, sota="table T")
    assert ("Under official, against table T, 1 model(s) reach Level-5, all through 1 NLP "
            "task(s) NLP-001") in text
    assert "Under paper, against table T, no model reaches Level-5." in text


def test_profile_comparison_and_changes(bench):
    c = audit.profile_comparison(bench).set_index("model")
    assert c.loc["A", "level_official"] == 5 and c.loc["A", "level_paper"] == 4
    assert c.loc["A", "level_change"] == 1
    # Level-5 ranks: A ranked 1 under official, unranked (0 score) under paper
    assert c.loc["A", "rank5_official"] == 1 and pd.isna(c.loc["A", "rank5_paper"])
    changed = audit.changed_models(audit.profile_comparison(bench))
    assert "A" in changed["model"].tolist()
    text = audit.comparison_finding(audit.profile_comparison(bench))
    # B: 3D generation CD 0.5 vs SoTA 1.0 is a loss under official (raw, higher is
    # better: 0.5 < 1) but a win under paper (sig(0.5, 1) = 76.2 >= sig(1, 1) = 46.2),
    # so B has Level-3 credit under paper only.
    assert c.loc["B", "level_paper"] == 3 and c.loc["B", "level_official"] == 2
    assert text.startswith("Of 2 models, 2 reach a different level under official than "
                           "under paper (A 4->5, B 3->2).")


def test_rank_unranks_zero():
    assert audit._rank(np.array([3.0, 0.0, 5.0, 3.0])).tolist() == [2, pd.NA, 1, 2]


def test_suspicious_units_by_hand():
    rows = [
        ("3G-001", "3D-Generation", "CD (Chamfer Distance)", "lower", 0.2),
        ("3G-002", "3D-Generation", "CD (Chamfer Distance)", "lower", 0.3),
        ("3G-003", "3D-Generation", "CD", "lower", 6540.0),
        ("AG-001", "Audio-Generation", "WER", "lower", 5.6),
        ("AG-002", "Audio-Generation", "WER", "lower", 0.056),
        ("IC-001", "Image-Comprehension", "Acc", "higher", 0.8),
        ("IC-002", "Image-Comprehension", "Acc", "higher", 80.0),
    ]
    b = make_bench(rows, [[np.nan] * 7])
    u = audit.suspicious_units(b, spread=100.0, low=1.0, high=99.99)
    got = sorted(zip(u["check"], u["task_id"], strict=True))
    # CD median 0.3: 6540 / 0.3 = 21800 > 100 -> spread; sig(6540, 1) = 0.0153 < 1 ->
    # saturated; sig(0.2, 1) = 98.65 and sig(0.3, 1) = 94.3 are fine.
    # WER 5.6 > 1 -> percent. Acc 0.8 <= 1 -> plain-scale.
    assert got == [("percent", "AG-001"), ("plain-scale", "IC-001"),
                   ("saturated", "3G-003"), ("spread", "3G-003")]
    assert u.loc[u["check"] == "saturated", "sota_paper"].iloc[0] == pytest.approx(
        sig(6540.0, 1.0))
    # a looser spread threshold lets the 21800x go
    assert "spread" not in audit.suspicious_units(b, spread=1e5)["check"].tolist()


def test_support_checks_by_hand():
    rows = [
        ("IC-001", "Image-Comprehension", "Acc", "higher", 50.0),   # nobody supports
        ("IC-002", "Image-Comprehension", "Acc", "higher", 50.0),   # nobody reaches 50
        ("IC-003", "Image-Comprehension", "Acc", "higher", 10.0),   # everybody beats 10
        ("IC-004", "Image-Comprehension", "Acc", "higher", 30.0),   # one of two beats 30
        ("IC-005", "Image-Comprehension", "Acc", "higher", 20.0),   # one model, beats it
    ]
    values = [[NAN, 40.0, 20.0, 40.0, 25.0],
              [NAN, 45.0, 10.0, 20.0, NAN]]
    b = make_bench(rows, values)
    assert audit.unsupported_tasks(b)["task_id"].tolist() == ["IC-001"]
    ub = audit.unbeaten_tasks(b)
    assert ub["task_id"].tolist() == ["IC-002"]
    assert (ub["supported"].iloc[0], ub["best"].iloc[0], ub["gap"].iloc[0]) == (2, 45.0, 5.0)
    ab = audit.all_beaten_tasks(b)
    # IC-003: 20 and 10 both >= 10 (score >= SoTA counts as beating); margin 10 - 10 = 0
    assert ab["task_id"].tolist() == ["IC-003", "IC-005"]
    assert ab["margin"].tolist() == [0.0, 5.0]
    assert audit.all_beaten_tasks(b, min_supported=2)["task_id"].tolist() == ["IC-003"]


def test_direction_issues_by_hand():
    rows = [
        ("NLP-001", "NLP", "RMSE", "higher", 0.31),
        ("IC-001", "Image-Comprehension", "L1 distance", "higher", 99.7),
        ("IC-002", "Image-Comprehension", "Foo", "lower", 3.0),
        ("3C-001", "3D-Comprehension", "RTE ( Relative Translation Error)", "lower", 55.0),
        ("IC-003", "Image-Comprehension", "absRel", "lower", 0.1),   # exact match: fine
        ("IC-004", "Image-Comprehension", "Acc", "higher", 50.0),
    ]
    d = audit.direction_issues(make_bench(rows, [[NAN] * 6]))
    assert list(zip(d["issue"], d["task_id"], strict=True)) == [
        ("printed-vs-registry", "NLP-001"), ("lower-unmapped", "IC-002"),
        ("error-like-higher", "IC-001"), ("exact-miss", "3C-001")]


def test_quality_finding_is_built_from_frames(bench):
    parts = (audit.suspicious_units(bench), audit.unsupported_tasks(bench),
             audit.unbeaten_tasks(bench), audit.all_beaten_tasks(bench),
             audit.direction_issues(bench))
    text = audit.quality_finding(bench, *parts)
    assert text.startswith("Of 6 tasks, ")
    assert f"{len(parts[1])} tasks are supported by no model" in text


def test_charts_return_figures(bench):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = audit_figures.plot_score_shift(audit.profile_comparison(bench), top_n=5)
    assert "change level" in fig._suptitle.get_text()
    plt.close(fig)
    fig = audit_figures.plot_difference_map(bench, top_n=5)
    assert fig.get_suptitle().startswith("3 tasks normalise differently")
    plt.close(fig)


def test_paper_data_headline_numbers():
    """The committed paper data (always present)."""
    from glscore import load_paper

    b = load_paper()
    d = audit.normalisation_differences(b)
    assert d["cause"].value_counts().to_dict() == {"alias": 6, "wer": 5, "nlp": 1}
    t = audit.level5_tasks(b)
    assert set(t["model"]) == {"emu2-37b", "vitron-v1"}
    assert set(t["task_id"]) == {"NLP-061"} and set(t["profile"]) == {"official"}
