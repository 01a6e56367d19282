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


def test_level_scores_takes_the_score_at_the_level_reached(scores):
    frame = dist.level_scores(scores).set_index("model")
    # A: Level-5 = Level-4 * S_L / 100; Image Level-4 = 2*30*50/80 = 37.5, over four
    # modalities 9.375; S_L = 75 -> 9.375 * 0.75 = 7.03125
    assert frame.loc["A", "score"] == pytest.approx(7.03125)
    # B: Image C credit (0 + 70) / 2 = 35, G 0 -> Level-3 Image 17.5; Video credit 0
    # -> overall (17.5 + 0 + 0 + 0) / 4 = 4.375
    assert frame.loc["B", "score"] == pytest.approx(4.375)
    # C: Level-2 Image = (10 / 2 + 0) / 2 = 2.5, overall 2.5 / 4 = 0.625
    assert frame.loc["C", "score"] == pytest.approx(0.625)
    assert frame.loc["D", "score"] == 0.0


def test_modality_level_scores_lists_supported_modalities_only(scores):
    frame = dist.modality_level_scores(scores)
    got = {(r.model, r.modality): (r.level, r.score) for r in frame.itertuples()}
    # A Image: Level-4 37.5; B Image: Level-3 17.5; B Video: Level-2 = (10 + 0) / 2 = 5
    # (no Video generation task: mean 0); C Image: Level-2 2.5; D supports no modality
    assert got == {("A", "Image"): (4, pytest.approx(37.5)),
                   ("B", "Image"): (3, pytest.approx(17.5)),
                   ("B", "Video"): (2, pytest.approx(5.0)),
                   ("C", "Image"): (2, pytest.approx(2.5))}


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


def test_breadth_synergy_spearman(scores):
    r = dist.breadth_synergy(scores)
    # models with Level-2 > 0: A (L2 = (45+50)/2/4 = 11.875, L3 = 40/4 = 10),
    # B (L2 = ((55 + 0)/2 + 5)/4 = 4.6875, L3 4.375), C (0.625, 0):
    # ranks agree exactly -> rho = 1
    assert r["n"] == 3 and r["rho"] == pytest.approx(1.0) and r["zero_level3"] == 1
    assert "rho = 1.00" in dist.breadth_synergy_finding(scores)


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
    assert sentence.endswith("1 model already at Level-5.")


def test_figures_have_titles_and_labels(bench, scores):
    counts = dist.level_counts(bench, profiles=("paper",), scopes=("A", "B"))
    figures = [
        dist_figures.level_counts_figure(counts),
        dist_figures.score_distribution_figure(dist.level_scores(scores),
                                       dist.modality_level_scores(scores)),
        dist_figures.level_heatmap_figure(scores),
        dist_figures.win_map_figure(dist.win_map(bench)),
        dist_figures.distance_figure(dist.distances(bench)),
        dist_figures.breadth_synergy_figure(scores),
    ]
    for fig in figures:
        assert isinstance(fig, Figure)
        axes = fig.axes[0]
        title = axes.get_title() + (fig._suptitle.get_text() if fig._suptitle else "")
        assert any(ch.isdigit() for ch in title)
        assert axes.get_xlabel() and axes.get_ylabel()
    import matplotlib.pyplot as plt
    plt.close("all")
