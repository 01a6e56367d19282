"""Level-2..5 on tiny hand-made benchmarks, arithmetic written out."""

import numpy as np
import pytest

from glscore import Benchmark, load_workbooks, score
from glscore.core import levels
from tests.workbooks import TINY, TINY_MODEL, write_result, write_sota


def tiny_bench(values, sheets=("Image-Comprehension", "Image-Generation", "NLP")):
    """Image C (sota 50, 60), Image G (sota 40), NLP (sota 70, 80); Acc everywhere."""
    rows = [("IC-001", "Acc", "higher", 50.0), ("IC-002", "Acc", "higher", 60.0),
            ("IG-001", "Acc", "higher", 40.0), ("NLP-001", "Acc", "higher", 70.0),
            ("NLP-002", "Acc", "higher", 80.0)]
    return Benchmark.from_rows(rows, [values], ("A",), sheets=sheets,
                               task_name=["cls", "vqa", "t2i", "qa", "sum"])


A = [60.0, 30.0, 50.0, 75.0, np.nan]


def test_paper_profile_by_hand():
    s = score(tiny_bench(A), "paper")
    image = s.modalities.index("Image")
    # Level-2 Image = ((60 + 30) / 2 + 50 / 1) / 2 = (45 + 50) / 2 = 47.5
    assert s.level2_m[0, image] == pytest.approx(47.5)
    # Level-3 Image: comprehension credit (60 + 0) / 2 = 30 (30 < 60 loses); generation 50
    assert s.comp3[0, image] == pytest.approx(30.0)
    assert s.level3_m[0, image] == pytest.approx(40.0)
    # Level-4 Image = 2 * 30 * 50 / (30 + 50) = 37.5
    assert s.level4_m[0, image] == pytest.approx(37.5)
    # paper: overall over the four modalities, three of them 0
    assert s.level2[0] == pytest.approx(47.5 / 4)
    assert s.level3[0] == pytest.approx(40.0 / 4)
    assert s.level4[0] == pytest.approx(37.5 / 4)
    # S_L = (75 + 0) / 2 = 37.5 ; Level-5 = 9.375 * 0.375 = 3.515625
    assert s.s_l[0] == pytest.approx(37.5)
    assert s.level5[0] == pytest.approx(3.515625)
    assert s.level[0] == 5
    rec = s.record(0)
    assert rec["modalities"]["Image"] == {
        "level2": pytest.approx(47.5), "level3": pytest.approx(40.0),
        "level4": pytest.approx(37.5), "supported": 3, "tasks": 3, "wins": 2,
        "coverage": 1.0,  # 3 of 3 Image tasks
        "zero_filled": 0,  # paper scores no missing cell as 0.0
    }
    assert rec["nlp"] == {"supported": 1, "tasks": 2, "wins": 1, "coverage": 0.5,
                          "s_l": pytest.approx(37.5), "zero_filled": 0}
    assert rec["coverage"] == (3 + 1) / (3 + 2)  # 4 of the 5 tasks


def test_official_profile_by_hand():
    s = score(tiny_bench(A), "official")
    # official: overall over the modalities present (Image only), Level-4 with epsilon
    assert s.modalities == ("Image",)
    assert s.level2[0] == pytest.approx(47.5)
    assert s.level4[0] == pytest.approx(2 * 30 * 50 / (80 + 1e-6), abs=1e-12)
    assert s.level5[0] == pytest.approx(s.level4[0] * 37.5 / 100)


def test_level_reached_stops_where_scores_vanish():
    # generation below SoTA: Level-3 keeps comprehension credit, Level-4 = 0
    s = score(tiny_bench([60.0, 30.0, 10.0, 75.0, np.nan]), "paper")
    assert s.level4[0] == 0 and s.level3[0] > 0 and s.level[0] == 3
    # nothing beats SoTA: Level-2 only
    s = score(tiny_bench([10.0, 10.0, 10.0, 10.0, 10.0]), "paper")
    assert s.level3[0] == 0 and s.level[0] == 2
    # nothing supported: Level-1
    s = score(tiny_bench([np.nan] * 5), "paper")
    assert s.level[0] == 1


def test_pooled_aggregation_by_hand():
    s = score(tiny_bench(A), "paper", aggregation="pooled")
    # pooled: one comprehension mean over all comprehension tasks (here Image's two)
    # Level-2 = (45 + 50) / 2 = 47.5 -- not divided by four modalities
    assert s.level2[0] == pytest.approx(47.5)
    assert s.level4[0] == pytest.approx(37.5)


@pytest.mark.parametrize(("mean", "expected"), [
    ("harmonic", 2 * 30 * 50 / 80), ("geometric", (30 * 50) ** 0.5), ("arithmetic", 40.0)])
def test_level4_means(mean, expected):
    assert levels.level4(np.array([30.0]), np.array([50.0]), mean=mean)[0] == pytest.approx(expected)


def test_group_means_matches_group_mean():
    rng = np.random.default_rng(0)
    values = rng.uniform(0, 100, (7, 11))
    values[rng.uniform(size=values.shape) < 0.3] = np.nan
    groups = rng.uniform(size=(11, 3)) < 0.5
    expected = np.stack([levels.group_mean(values, groups[:, k]) for k in range(3)], axis=1)
    np.testing.assert_allclose(levels.group_means(values, groups), expected)


def test_workbooks_give_the_same_numbers(tmp_path):
    sota = write_sota(tmp_path / "sota.xlsx", TINY)
    result = write_result(tmp_path / "r.xlsx", TINY, {"A": TINY_MODEL})
    bench = load_workbooks(sota, [result], model="a")
    s = score(bench, "paper")
    assert s.level5[0] == pytest.approx(3.515625)
