"""The third state of a cell, no per-task data, and the flagged SoTA tasks, in every output."""

import json

import numpy as np
import pandas as pd
import pytest

from glscore import InputError, load_paper, paths
from glscore.analysis import datastates, leaderboard
from glscore.analysis.explain import explain, explain_markdown
from glscore.cli import main


@pytest.fixture(scope="module")
def bench():
    return load_paper()


def test_no_task_data_cells_by_hand(bench):
    cells = datastates.no_task_data()
    # read the two data files directly: published non-zero cells without a scores.csv row
    pub = pd.read_csv(paths.DATA_DIR / "published_levels.csv")
    scores = pd.read_csv(paths.DATA_DIR / "scores.csv", usecols=["model_id", "task_id"])
    prefix = {"I": "Image", "V": "Video", "A": "Audio", "3": "3D", "N": "NLP"}
    rows = set(zip(scores["model_id"], scores["task_id"].str[0].map(prefix), strict=True))
    long = pub.melt(id_vars=["table", "model_id"], value_vars=["Image", "Video", "Audio", "3D"],
                    var_name="modality", value_name="published")
    expected = [(r.model_id, r.modality, r.table) for r in long.itertuples()
                if r.published != 0 and (r.model_id, r.modality) not in rows]
    assert sorted(zip(cells["model"], cells["modality"], cells["table"], strict=True)) == sorted(
        expected)
    assert len(cells) == 50 and cells["model"].nunique() == 21
    # on the scored benchmark: Mini-Gemini (no Appendix B row at all) is not a row of it
    on_bench = datastates.no_task_data(bench)
    assert on_bench["model"].nunique() == 20 and "mini-gemini" not in set(on_bench["model"])
    assert datastates.published_only_models(bench) == ["mini-gemini"]


def test_own_values_clear_the_state(bench):
    """A user's result for a published model in that modality fills the gap."""
    values = bench.values.copy()
    i = bench.models.index("vidagent")
    j = int(np.flatnonzero((bench.tasks["modality"] == "Image").to_numpy())[0])
    values[i, j] = 40.0
    mine = type(bench)(bench.tasks, bench.models, values, bench.sheets, "mine",
                       bench.model_names)
    assert datastates.no_task_data_mask(bench)[i].tolist() == [True, False, False, False]
    assert not datastates.no_task_data_mask(mine)[i].any()


def test_scope_a_rows_carry_no_task_data(capsys):
    assert main(["leaderboard", "--scope", "A", "--format", "json"]) == 0
    board = json.loads(capsys.readouterr().out)
    rows = {r["model"]: r for r in board["rows"]}
    flagged = {m for m, r in rows.items() if r["no_task_data"]}
    on_bench = set(datastates.no_task_data(load_paper())["model"])
    assert flagged == on_bench and len(flagged) == 20
    assert rows["vidagent"]["no_task_data"] == "Image"
    assert rows["modaverse-7b-v0"]["no_task_data"] == "Image, Video, 3D"
    assert board["view"] == "recomputed" and "flagged_wins" in rows["vitron-v1"]


def test_hybrid_board_fills_from_the_published_tables(bench):
    table = leaderboard.scope_tables(bench, "A", view="hybrid")[0]
    rows = table.table.set_index("model")
    # Mini-Gemini: Image 27.90 / 17.23 / 6.23 (Tables 12/14/16), nothing else:
    # overall Level-2 = 27.90/4 = 6.975, Level-4 = 6.23/4 = 1.5575 (Table 16 prints 1.56)
    mg = rows.loc["mini-gemini"]
    assert mg["level2"] == pytest.approx(27.9 / 4) and mg["level4"] == pytest.approx(6.23 / 4)
    assert mg["level"] == 4 and mg["filled_from_paper"] == "Image" and mg["view"] == "hybrid"
    # VidAgent: its Image Level-2 18.21 (Table 12) beside its recomputed Video 25.00
    s = leaderboard.scope_tables(bench, "A")[0].table.set_index("model")
    vid = rows.loc["vidagent"]
    assert vid["Image_level2"] == 18.21
    assert vid["level2"] == pytest.approx((18.21 + s.at["vidagent", "Video_level2"]) / 4)
    assert table.filled == 26 and len(table.table) == 103


def test_complete_case_board(bench):
    table = leaderboard.scope_tables(bench, "A", view="complete-case")[0]
    assert table.excluded == 20 and len(table.table) == 102 - 20
    assert (table.table["no_task_data"] == "").all()
    assert "20 models without per-task data" in table.sentence()


def test_views_are_checked(bench):
    with pytest.raises(InputError, match="Scope-C has no hybrid board"):
        leaderboard.scope_tables(bench, "C", view="hybrid")
    with pytest.raises(InputError, match="unknown board view 'mixed'"):
        leaderboard.scope_tables(bench, "A", view="mixed")


def test_left_off_models_are_counted(bench):
    image = leaderboard.scope_tables(bench, "B")[0]
    assert image.board.name == "Image"
    # 19 models have an Image level without per-task data; Mini-Gemini is not scored
    assert image.left_off_no_task_data == 18
    assert "18 of them with a published level here but no per-task data" in image.sentence()


def test_flagged_wins_on_boards():
    """Under official the saturated FID tie on 3G-022 (a flagged SoTA) is a win, and the
    3D board marks it; under paper it is no win at all."""
    bench = load_paper()
    for profile, expected in (("official", 1), ("paper", 0)):
        board = next(t for t in leaderboard.scope_tables(bench, "B", profile) if
                 t.board.name == "3D")
        assert "3G-022" in board.flagged_tasks
        row = board.table.set_index("model").loc["motiongpt-llama"]
        assert row["flagged_wins"] == expected


def test_explain_qualifies_and_flags(bench):
    vid = explain(bench, "VidAgent")
    assert vid["no_task_data"] == [{"modality": "Image", "table": 12, "level": 2,
                                    "published": 18.21}]
    assert "without per-task data" in vid["why"]
    assert "No per-task data" in explain_markdown(vid)
    # a Level-2 model whose cheapest move is the raw-unit chamfer SoTA of 3G-020
    e = explain(bench, "AvatarGPT")
    nxt = e["next_level"]
    assert nxt["task_id"] == "3G-020" and nxt["flagged_sota"] and "6540" in nxt["flag"]
    assert not nxt["unflagged"]["flagged_sota"] and nxt["unflagged"]["task_id"] != "3G-020"
    assert "3G-020" in e["flagged_sota"]
    text = explain_markdown(e)
    assert "The audit flags this task's SoTA" in text
    assert "Without the tasks whose SoTA the audit flags" in text
