"""Level-distribution tables on a tiny hand-made benchmark, arithmetic in comments."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from matplotlib.figure import Figure

from glscore import Benchmark, score
from glscore.analysis import distributions as dist
from glscore.figures import distributions as dist_figures

N = np.nan


def tiny_bench():
    """Image C (IC-001, IC-002: group I-C-1; sota 50, 60), Image G (IG-001, I-G-1; sota 40),
    Video C (VC-001, V-C-1; sota 20), NLP (NLP-001, L-1; sota 70); Acc everywhere."""
    rows = [("IC-001", "Acc", "higher", 50.0), ("IC-002", "Acc", "higher", 60.0),
            ("IG-001", "Acc", "higher", 40.0), ("VC-001", "Acc", "higher", 20.0),
            ("NLP-001", "Acc", "higher", 70.0)]
    values = np.array([
        [60.0, 30.0, 50.0, N, 75.0],   # A: wins IC-001, IG-001, NLP-001 -> Level-5
        [40.0, 70.0, N, 10.0, N],      # B: wins IC-002 only -> Level-3
        [10.0, N, N, N, N],            # C: no win -> Level-2
        [N, N, N, N, 90.0],            # D: NLP only -> Level-1
    ])
    return Benchmark.from_rows(rows, values, ("A", "B", "C", "D"),
                               task_name=["cls", "vqa", "t2i", "act", "qa"],
                               skill_group_id=["I-C-1", "I-C-1", "I-G-1", "V-C-1", "L-1"],
                               skill_short_name=["Cls", "Cls", "T2I", "Act", "QA"])


@pytest.fixture(scope="module")
def bench():
    return tiny_bench()


@pytest.fixture(scope="module")
def scores(bench):
    return score(bench, "paper")


def test_levels_of_the_tiny_models(scores):
    assert scores.level.tolist() == [5, 3, 2, 1]


def test_level_score_table_keeps_each_level_score_apart(scores):
    t = dist.level_score_table(scores)
    got = {(r.level_score, r.group, r.model): r.score for r in t.itertuples()}
    # A: Image C mean (60 + 30)/2 = 45, G 50 -> Level-2 Image (45 + 50)/2 = 47.5, overall
    # with Video's 0 and the two empty modalities: (47.5 + 0 + 0 + 0)/4 = 11.875;
    # credit: C 60/2 = 30, G 50 -> Level-3 Image 40, overall 10; Level-4 Image
    # 2*30*50/(30+50) = 37.5, overall 9.375; Level-5 = 9.375 * 75/100 = 7.03125
    assert got[(2, "Image", "A")] == pytest.approx(47.5)
    assert got[(2, "overall", "A")] == pytest.approx(11.875)
    assert got[(3, "Image", "A")] == pytest.approx(40.0)
    assert got[(4, "Image", "A")] == pytest.approx(37.5)
    assert got[(5, "overall", "A")] == pytest.approx(7.03125)
    # B: Image (40 + 70)/2 = 55 and G 0 -> 27.5; Video 10/1 and no generation task -> 5;
    # overall (27.5 + 5)/4 = 8.125 ... and Level-3 Image 70/2/2 = 17.5, overall 4.375
    assert got[(2, "Video", "B")] == pytest.approx(5.0)
    assert got[(3, "overall", "B")] == pytest.approx(4.375)
    # C: Level-2 only, Image (10/2 + 0)/2 = 2.5; D has no modality score: no row
    assert got[(2, "Image", "C")] == pytest.approx(2.5)
    assert "D" not in set(t["model"])
    # 3 + 3 + 1 (Level-2) + 2 + 2 (Level-3) + 1 + 1 (Level-4) + 1 (Level-5) non-zero scores
    assert len(t) == 14 and (t["score"] > 0).all()
    text = dist.level_score_finding(t)
    assert "Level-5: overall median 7.03 (1 model)" in text
    assert "not compared" in text


def test_coverage_against_win_rate(bench):
    frame = dist.coverage_win_rate(bench).set_index("model")
    # A runs IC-001, IC-002, IG-001, NLP-001 (4 of 5 tasks) and wins IC-001 (60 >= 50),
    # IG-001 (50 >= 40), NLP-001 (75 >= 70): 3/4; B 3 of 5, wins IC-002 only: 1/3;
    # C 1 of 5, no win; D 1 of 5 (NLP), wins it (90 >= 70)
    assert frame["coverage"].tolist() == pytest.approx([0.8, 0.6, 0.2, 0.2])
    assert frame["win_rate"].tolist() == pytest.approx([0.75, 1 / 3, 0.0, 1.0])
    r = dist.coverage_win_rate_stats(frame.reset_index())
    # ranks: coverage (4, 3, 1.5, 1.5), win rate (3, 2, 1, 4); deviations from 2.5:
    # (1.5, .5, -1, -1) and (.5, -.5, -1.5, 1.5): sum of products 0.5, squares 4.5 and 5
    assert r["rho"] == pytest.approx(0.5 / np.sqrt(4.5 * 5))
    assert r["n"] == 4 and r["no_win"] == 1


def test_modality_breadth(bench, scores):
    b = dist.modality_breadth(scores, bench)
    # Level-2 > 0: A (Image), B (Image, Video), C (Image); made-up models: no published cells
    assert (b["scored"], b["one"], b["two_plus"], b["three_plus"]) == (3, 2, 1, 0)
    assert b["no_data_models"] == 0 and b["two_plus_with_published"] == 1
    assert b["level3"] == {"Image": 2, "Video": 0, "Audio": 0, "3D": 0}
    assert b["published_two_plus"] <= b["published_models"]
    assert "2 of 3 scored models have Level-2 in one modality only" in dist.heatmap_finding(b)


def test_win_map_counts_models_with_a_win_per_group(bench):
    wmap = dist.win_map(bench).set_index("skill_group_id")
    # I-C-1: A wins IC-001 (60 >= 50), B wins IC-002 (70 >= 60) -> 2 winners of 3 supporting
    assert (wmap.loc["I-C-1", "tasks"], wmap.loc["I-C-1", "supporting"],
            wmap.loc["I-C-1", "winners"]) == (2, 3, 2)
    # ties in wins (1 each) go to the first model: A
    assert wmap.loc["I-C-1", "best_model"] == "A"
    assert wmap["winners"].to_dict() == {"I-C-1": 2, "I-G-1": 1, "V-C-1": 0, "L-1": 2}
    assert wmap.loc["V-C-1", "best_model"] == ""
    sentence = dist.win_map_finding(wmap.reset_index())
    assert sentence.startswith("1 of 4 skill groups are won by no generalist")
    # the unwon group is attempted (V-C-1 has supporting models) or supported by none
    attempted = int(((wmap["winners"] == 0) & (wmap["supporting"] > 0)).sum())
    assert (f"{attempted} attempted but never won, {1 - attempted} supported by no model"
            in sentence)


def test_level_counts_per_scope_and_profile(bench):
    counts = dist.level_counts(bench, profiles=("paper",), scopes=("A", "B", "C", "D"))
    table = counts.pivot(index="level", columns="scope", values="models")
    # Scope-A: one per level 1, 2, 3, 5 (the full board lists D through its NLP task)
    assert table["A"].tolist() == [0, 1, 1, 1, 0, 1]
    # Scope-B (cap 4): A Level-4 on Image; B Level-3 (Image); C Level-2; D on no board
    assert table["B"].tolist() == [1, 0, 1, 1, 1, 0]
    # Scope-C/D (cap 3): A and B reach Level-3, C Level-2, D not listed
    assert table["C"].tolist() == table["D"].tolist() == [1, 0, 1, 2, 0, 0]
    assert counts.groupby("scope")["models"].sum().eq(4).all()
    assert "Level-" in dist.level_counts_finding(counts)


def test_distances_both_modes(bench):
    d = dist.distances(bench).combined().set_index("model")
    # C (Level-2): any task: IC-002 unsupported 60 - 0 = 60, IC-001 50 - 10 = 40,
    # IG-001 40 - 0 = 40 (tie, IC-001 first), VC-001 20 - 0 = 20 -> VC-001, 20;
    # supported only: IC-001, 40
    assert (d.loc["C", "task_id"], d.loc["C", "increase"]) == ("VC-001", 20.0)
    assert (d.loc["C", "task_id_supported"], d.loc["C", "increase_supported"]) == ("IC-001", 40.0)
    assert d.loc["C", "modality"] == "Video" and d.loc["C", "name"] == "C"
    # B (Level-3, Image comprehension credit): IG-001 40 - 0 = 40; unsupported -> impossible
    assert d.loc["B", "increase"] == 40.0 and not d.loc["B", "feasible_supported"]
    sentence = dist.distance_finding(dist.distances(bench))
    assert "Level-3 -> 4 (1 model): median 40.00 points, most often IG-001" in sentence
    assert "1 model already at Level-5; 1 model at Level-1" in sentence
    # the chart: D (Level-1) is vacuous, A (Level-5) has no next level: rows B and C
    rows, vacuous = dist.distance_chart_rows(dist.distances(bench))
    assert vacuous == 1 and rows["names"].tolist() == ["C", "B"]  # by increase: 20, 40
    assert rows["models"].tolist() == [1, 1]


def test_identical_distance_rows_collapse(make_bench):
    # two copies of one model and a third: the copies share one row of the chart
    rows = [("IC-001", "Acc", "higher", 50.0), ("IG-001", "Acc", "higher", 40.0)]
    bench = make_bench(rows, [[10.0, N], [10.0, N], [20.0, N]], ("x", "y", "z"))
    chart, vacuous = dist.distance_chart_rows(dist.distances(bench))
    # Level-2 each; x and y: IC-001 50 - 10 = 40 vs IG-001 40 - 0 = 40 (tie -> IC-001);
    # z: IC-001 50 - 20 = 30
    assert chart["names"].tolist() == ["z", "x, y"] and chart["models"].tolist() == [1, 2]
    assert chart["increase"].tolist() == [30.0, 40.0] and vacuous == 0


def test_figures_have_titles_and_labels(bench, scores):
    counts = dist.level_counts(bench, profiles=("paper",), scopes=("A", "B"))
    no_data = np.zeros(scores.level2_m.shape, dtype=bool)
    no_data[3, 0] = True   # pretend D's Image has a published level and no per-task data
    figures = [
        dist_figures.level_counts_figure(counts),
        dist_figures.level_score_figure(dist.level_score_table(scores)),
        dist_figures.level_heatmap_figure(scores, no_data,
                                          {"level2": np.full(no_data.shape, 9.0),
                                           "level3": np.full(no_data.shape, 1.0)}),
        dist_figures.win_map_figure(dist.win_map(bench)),
        dist_figures.distance_figure(dist.distances(bench)),
        dist_figures.coverage_win_rate_figure(dist.coverage_win_rate(bench)),
    ]
    for fig in figures:
        assert isinstance(fig, Figure)
        axes = fig.axes[0]
        title = "".join(axes.get_title(loc) for loc in ("left", "center", "right")) + (
            fig._suptitle.get_text() if fig._suptitle else "")   # the house style: left titles
        assert any(ch.isdigit() for ch in title)
        assert axes.get_xlabel() and axes.get_ylabel()
    import matplotlib.pyplot as plt
    plt.close("all")
