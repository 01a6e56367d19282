"""Distance to the next level (strict rule), on hand-made cases, arithmetic in comments."""

import numpy as np
import pandas as pd
import pytest

from glscore import load_paper, score
from glscore.analysis import distance as dist
from glscore.analysis.distributions import distance_table
from glscore.core import levels

# Tasks:        IC1  IC2  IG1  IG2  VC1  N1   N2
SOTA = np.array([50., 60., 40., 30., 20., 70., 80.])
TASKS = ("IC1", "IC2", "IG1", "IG2", "VC1", "N1", "N2")
#                     Image  Video   (Video has no generation task)
COMP = np.array([[1, 0], [1, 0], [0, 0], [0, 0], [0, 1], [0, 0], [0, 0]], bool)
GEN = np.array([[0, 0], [0, 0], [1, 0], [1, 0], [0, 0], [0, 0], [0, 0]], bool)
NLP = np.array([0, 0, 0, 0, 0, 1, 1], bool)
N = np.nan
MODELS = {
    "nothing":    [N, N, N, N, N, N, N],
    "nlp_only":   [N, N, N, N, N, 90., N],
    "l2":         [45., 55., 10., N, N, N, N],
    "l3_comp":    [60., 30., N, N, N, N, N],
    "video_only": [N, N, N, N, 25., N, N],
    "l3_gen":     [40., N, 45., N, N, N, N],
    "l4":         [60., N, 45., N, N, N, 50.],
    "l4_tie":     [60., N, 45., N, N, 60., 70.],
    "top":        [60., N, 45., N, N, 75., N],
}
SCORES = np.array(list(MODELS.values()))


def distance(raise_unsupported=True, comp=COMP, gen=GEN, names=("Image", "Video")):
    frame = dist.distance_to_next_level(SCORES, SOTA, comp, gen, NLP, tuple(MODELS), TASKS,
                                          names, raise_unsupported)
    return frame.set_index("model")


def test_columns_and_levels():
    d = distance()
    assert list(d.reset_index().columns) == list(dist.DISTANCE_COLUMNS)
    assert d["level"].tolist() == [1, 1, 2, 3, 3, 3, 4, 4, 5]


def test_level1_needs_epsilon_on_any_modality_task():
    d = distance()
    # nothing supported: any positive score on a modality task gives Level-2 > 0;
    # infimum increase 0 (epsilon), first task in order IC1, from 0 (unsupported) to 0
    row = d.loc["nothing"]
    assert (row.next_level, row.task_id, row.increase, row.from_score, row.to_score) == (
        2, "IC1", 0.0, 0.0, 0.0)
    assert row.feasible and not row.supported and "epsilon" in row.reason
    # an NLP score does not count for Level-2 (modalities only): still Level-1, same answer
    assert d.loc["nlp_only", "level"] == 1 and d.loc["nlp_only", "task_id"] == "IC1"
    # supported tasks only: nothing to raise
    s = distance(raise_unsupported=False)
    assert not s.loc["nothing", "feasible"] and np.isinf(s.loc["nothing", "increase"])
    assert s.loc["nothing", "reason"] == "cannot reach Level-2: no supported task in any group"


def test_level2_cheapest_win_with_tie():
    row = distance().loc["l2"]
    # costs: IC1 50-45 = 5, IC2 60-55 = 5 (tie: first in order), IG1 40-10 = 30,
    # IG2 30-0 = 30 (unsupported from 0), VC1 20-0 = 20 -> IC1, 5
    assert (row.next_level, row.task_id, row.from_score, row.to_score, row.increase) == (
        3, "IC1", 45.0, 50.0, 5.0)
    assert row.supported


def test_level3_cheapest_win_on_missing_side():
    d, s = distance(), distance(raise_unsupported=False)
    # Image comprehension credit only: generation wins IG1 40-0 = 40, IG2 30-0 = 30 -> IG2
    assert (d.loc["l3_comp", "task_id"], d.loc["l3_comp", "increase"]) == ("IG2", 30.0)
    assert not d.loc["l3_comp", "supported"]
    # ...but it supports no generation task: cannot move up when only supported tasks count
    assert not s.loc["l3_comp", "feasible"]
    assert "Image has comprehension credit but no supported task on generation" in \
        s.loc["l3_comp", "reason"]
    # generation credit only: comprehension IC1 50-40 = 10, IC2 60-0 = 60 -> IC1, 10
    assert (d.loc["l3_gen", "task_id"], d.loc["l3_gen", "increase"]) == ("IC1", 10.0)
    assert (s.loc["l3_gen", "task_id"], s.loc["l3_gen", "increase"]) == ("IC1", 10.0)


def test_level3_infeasible_when_modality_has_no_generation_task():
    row = distance().loc["video_only"]
    # Video credit (25 >= 20) but Video has no generation task; Image would need two wins
    assert row.level == 3 and not row.feasible and np.isinf(row.increase)
    assert pd.isna(row.task_id) and np.isnan(row.from_score)
    assert row.reason == ("cannot reach Level-4 with one win: Video has comprehension credit "
                          "but no task on generation; any other group would need two wins")


def test_pooled_group_lets_video_credit_pair_with_image_generation():
    # one pooled group: comprehension credit anywhere + generation credit anywhere
    row = distance(comp=COMP.any(axis=1), gen=GEN.any(axis=1), names=("pooled",)).loc["video_only"]
    # generation wins: IG1 40, IG2 30 -> IG2, 30
    assert (row.feasible, row.task_id, row.increase) == (True, "IG2", 30.0)


def test_level4_cheapest_nlp_win_and_tie():
    d = distance()
    # N1 70-0 = 70 (unsupported), N2 80-50 = 30 -> N2
    assert (d.loc["l4", "task_id"], d.loc["l4", "increase"], d.loc["l4", "next_level"]) == (
        "N2", 30.0, 5)
    # N1 70-60 = 10, N2 80-70 = 10: tie -> N1 (first in task order)
    assert (d.loc["l4_tie", "task_id"], d.loc["l4_tie", "increase"]) == ("N1", 10.0)


def test_level5_is_the_top():
    row = distance().loc["top"]
    assert row.level == 5 and pd.isna(row.next_level) and not row.feasible
    assert np.isnan(row.increase) and row.reason == "already at Level-5"


@pytest.mark.parametrize("raise_unsupported", [True, False])
def test_brute_force_minimal_on_random_matrices(raise_unsupported):
    """Set each candidate task to its SoTA (or epsilon) in turn: the reported
    increase is the smallest one that lifts the level; infeasible means none does."""
    rng = np.random.default_rng(1)
    for _ in range(30):
        sota = rng.uniform(5, 60, len(TASKS)).round()
        scores = rng.uniform(0, 70, (6, len(TASKS))).round()
        scores[rng.random(scores.shape) < 0.5] = np.nan
        d = dist.distance_to_next_level(scores, sota, COMP, GEN, NLP, None, TASKS,
                                          None, raise_unsupported)
        for i, row in d.iterrows():
            base = levels.levels_strict(scores[i:i + 1], sota, COMP, GEN, NLP)[0]
            assert base == row.level
            best = np.inf
            for j in range(len(TASKS)):
                if not raise_unsupported and np.isnan(scores[i, j]):
                    continue
                cur = 0.0 if np.isnan(scores[i, j]) else scores[i, j]
                # to the SoTA (a win), or by epsilon (enough where Level-2 is what is missing)
                for target, cost in ((max(sota[j], cur), max(sota[j] - cur, 0.0)),
                                     (cur + 1e-9, 0.0)):
                    raised = scores[i:i + 1].copy()
                    raised[0, j] = target
                    if levels.levels_strict(raised, sota, COMP, GEN, NLP)[0] > base:
                        best = min(best, cost)
            if row.level == 5:
                assert not row.feasible
            else:
                assert row.increase == pytest.approx(best)
                assert row.feasible == np.isfinite(best)


def test_paper_data_levels_match_and_increase_lifts():
    bench = load_paper()
    s = score(bench, "paper")
    d = distance_table(bench, "paper")
    assert (d["level"].to_numpy() == s.level).all()
    # raising the reported task to its target lifts every feasible model one level up
    from glscore.core.normalise import normalise
    from glscore.core.profiles import get_profile
    from glscore.core.scoring import modality_masks
    norm = normalise(bench, get_profile("paper"))
    comp, gen = modality_masks(bench.tasks, s.modalities)
    nlp = (bench.tasks["paradigm"] == "nlp").to_numpy()
    ids = list(bench.tasks["task_id"])
    for i, row in d[d["feasible"]].iterrows():
        raised = norm.scores[i:i + 1].copy()
        raised[0, ids.index(row.task_id)] = row.to_score + (1e-9 if row.increase == 0 else 0)
        assert levels.levels_strict(raised, norm.sota, comp, gen, nlp)[0] > row.level
