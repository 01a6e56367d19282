"""Scopes, boards and ranked tables on a tiny hand-made benchmark; the CLI."""

import json

import numpy as np
import pandas as pd
import pytest

from glscore import Benchmark, InputError
from glscore.analysis.leaderboard import board_table, scope_tables, summary_frame
from glscore.analysis.scopes import CAPS, DEFAULT_COMBINED, boards, find_board
from glscore.cli import main

NAN = np.nan


def tiny(values, models=("a", "b", "c", "d"), names=None, sota=(50.0, 60.0, 40.0, 30.0, 70.0)):
    """IC-001 (sota 50, I-C-1), IC-002 (60, I-C-2), IG-001 (40, I-G-1),
    VC-001 (30, V-C-1), NLP-001 (70, L-1); metric Acc everywhere."""
    ids = ["IC-001", "IC-002", "IG-001", "VC-001", "NLP-001"]
    rows = [(t, "Acc", "higher", x) for t, x in zip(ids, sota, strict=True)]
    return Benchmark.from_rows(rows, values, models, names,
                               task_name=["cls", "vqa", "t2i", "act", "qa"],
                               skill_group_id=["I-C-1", "I-C-2", "I-G-1", "V-C-1", "L-1"],
                               skill_short_name=["Cls", "VQA", "T2I", "Act", "QA"])


VALUES = [
    [60.0, 30.0, 50.0, 40.0, 75.0],  # a
    [40.0, NAN, 10.0, NAN, NAN],     # b
    [NAN, NAN, NAN, NAN, 80.0],      # c: NLP only
    [NAN] * 5,                       # d: nothing
]


def rows(table):
    return table.table.set_index("model")


def test_boards_per_scope():
    tasks = tiny(VALUES).tasks
    assert [b.name for b in boards(tasks, "A")] == ["full"]
    assert [b.name for b in boards(tasks, "B")] == ["Image", "Video", "Image+Video"]
    assert [b.name for b in boards(tasks, "c")] == [
        "Image-comprehension", "Image-generation", "Video-comprehension"]
    # Scope-D: the multimodal skill groups only (L-1 is NLP)
    assert [b.name for b in boards(tasks, "D")] == ["I-C-1 Cls", "I-C-2 VQA", "I-G-1 T2I",
                                                    "V-C-1 Act"]
    assert {b.cap for s in "ABCD" for b in boards(tasks, s)} == set(CAPS.values())
    assert boards(tasks, "A")[0].mask.tolist() == [True, True, True, True, False]
    assert find_board(boards(tasks, "D"), "i-c-2").name == "I-C-2 VQA"
    assert DEFAULT_COMBINED[0] == ("Image", "Video")
    with pytest.raises(InputError, match=r"no board 'nope' in Scope-C; e\.g\."):
        find_board(boards(tasks, "C"), "nope")
    with pytest.raises(InputError, match="unknown scope 'E'"):
        boards(tasks, "E")
    with pytest.raises(InputError, match="combined board"):
        boards(tasks, "B", combined=[("Image", "Sound")])


def test_scope_b_image_by_hand():
    t = board_table(tiny(VALUES), boards(tiny(VALUES).tasks, "B")[0])
    a, b = rows(t).loc["a"], rows(t).loc["b"]
    # a: comp2 = (60 + 30)/2 = 45, gen2 = 50 -> L2 = 47.5; comp3 = (60 + 0)/2 = 30 (30 < 60),
    # gen3 = 50 -> L3 = 40; L4 = 2*30*50/(30 + 50) = 37.5 -> Level-4, score 37.5
    assert (a["level2"], a["level3"], a["level4"]) == pytest.approx((47.5, 40.0, 37.5))
    assert (a["level"], a["score"], a["supported"], a["tasks"], a["wins"]) == (4, 37.5, 3, 3, 2)
    # b: comp2 = 40/2 = 20, gen2 = 10 -> L2 = 15; nothing beats SoTA -> Level-2, score 15
    assert (b["level"], b["score"], b["level3"]) == (2, pytest.approx(15.0), 0.0)
    assert t.table["model"].tolist() == ["a", "b"] and t.left_off == 2  # c, d support nothing
    assert "level5" not in t.table.columns  # cap 4


def test_combined_board_by_hand():
    t = board_table(tiny(VALUES), boards(tiny(VALUES).tasks, "B")[2])
    a = rows(t).loc["a"]
    # Video of a: comp2 = 40, no generation task -> L2 = 20; 40 >= 30 -> L3 = 20; L4 = 0
    # combined = mean over Image and Video: L2 (47.5+20)/2, L3 (40+20)/2, L4 (37.5+0)/2
    assert (a["level2"], a["level3"], a["level4"]) == pytest.approx((33.75, 30.0, 18.75))
    assert a["level"] == 4 and a["tasks"] == 4


def test_scope_a_by_hand():
    t = scope_tables(tiny(VALUES), "A")[0]
    a, c = rows(t).loc["a"], rows(t).loc["c"]
    # overall = mean over the four modalities: L2 (47.5+20)/4, L3 (40+20)/4, L4 37.5/4
    # S_L = 75 (75 >= 70); L5 = 9.375 * 75/100 = 7.03125
    assert (a["level2"], a["level3"], a["level4"], a["level5"]) == pytest.approx(
        (16.875, 15.0, 9.375, 7.03125))
    assert a["level"] == 5 and a["score"] == pytest.approx(7.03125)
    assert a["Image_level4"] == pytest.approx(37.5) and a["Video_level3"] == pytest.approx(20)
    # c supports the NLP task only: listed (supported 1 of 5), but every level is 0 -> Level-1
    assert (c["level"], c["supported"], c["tasks"]) == (1, 1, 5)
    assert t.table["model"].tolist() == ["a", "b", "c"] and t.left_off == 1


def test_scope_c_and_d_by_hand_and_caps():
    tables = {t.board.name: t for t in scope_tables(tiny(VALUES), "C")}
    ic = tables["Image-comprehension"]
    # a: L2 = (60 + 30)/2 = 45, L3 = (60 + 0)/2 = 30; b: L2 = (40 + 0)/2 = 20, L3 = 0
    assert rows(ic).loc["a", ["level2", "level3"]].tolist() == [45.0, 30.0]
    assert rows(ic).loc["b", ["level", "score"]].tolist() == [2, 20.0]
    assert ic.table["level4"].isna().all() and ic.table["level"].max() <= 3
    d = {t.board.name: t for t in scope_tables(tiny(VALUES), "D")}
    vqa = d["I-C-2 VQA"]
    # only a supports IC-002: L2 = 30, 30 < 60 -> L3 = 0 -> Level-2
    assert vqa.table["model"].tolist() == ["a"] and vqa.left_off == 3
    assert rows(vqa).loc["a", ["level", "score"]].tolist() == [2, 30.0]
    summary = summary_frame(list(d.values()))
    assert summary["best"].tolist() == ["a", "a", "a", "a"]
    assert summary["level"].tolist() == [3, 2, 3, 3]


def test_ranking_ties():
    # Image-comprehension board over IC-001 (sota 50) and IC-002 (sota 60)
    values = [
        [60.0, NAN, NAN, NAN, NAN],   # "beta":  L2 = 30, L3 = 30
        [60.0, 10.0, NAN, NAN, NAN],  # "m2":    L2 = 35, L3 = 30 -> same L3, higher L2
        [60.0, NAN, NAN, NAN, NAN],   # "alpha": identical to beta -> name decides
        [40.0, 40.0, NAN, NAN, NAN],  # "m4":    L2 = 40 but L3 = 0 -> Level-2, last
    ]
    bench = tiny(values, models=("z1", "z2", "z3", "z4"), names=("Beta", "M2", "Alpha", "M4"))
    table = board_table(bench, boards(bench.tasks, "C")[0]).table
    assert table["name"].tolist() == ["M2", "Alpha", "Beta", "M4"]
    assert table["rank"].tolist() == [1, 2, 3, 4]
    assert table["level"].tolist() == [3, 3, 3, 2]


def test_cli_formats(capsys):
    assert main(["leaderboard", "--scope", "B", "--board", "Image", "--top", "3",
                 "--format", "json"]) == 0
    obj = json.loads(capsys.readouterr().out)
    assert obj["board"] == "Image" and len(obj["rows"]) == 3 and obj["rows"][0]["rank"] == 1
    assert main(["leaderboard", "--scope", "C", "--top", "2", "--format", "csv"]) == 0
    from io import StringIO
    frame = pd.read_csv(StringIO(capsys.readouterr().out))
    assert frame["board"].nunique() == 8 and len(frame) == 16
    assert main(["leaderboard", "--scope", "a", "--top", "2"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("### Scope-A board 'full'") and out.count("\n| ") == 3  # header + 2 rows
    assert main(["leaderboard", "--scope", "D", "--format", "csv"]) == 0
    summary = pd.read_csv(StringIO(capsys.readouterr().out))
    assert len(summary) == 123 and {"board", "ranked", "best", "level"} <= set(summary.columns)


@pytest.mark.parametrize("argv, message", [
    (["--scope", "B", "--board", "Smell"], "glscore: error: no board 'Smell' in Scope-B; e.g."),
    (["--scope", "E"], "glscore: error: unknown scope 'E'"),
])
def test_cli_bad_board_or_scope(capsys, argv, message):
    assert main(["leaderboard", *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith(message) and err.count("\n") == 1


# ---------------------------------------------------------------- coverage policy
def _with_forty_task_model():
    """The paper data plus "Forty": 40 tasks (12 Image comprehension, 5 Image
    generation, 8 Video comprehension, 15 NLP; plain higher-is-better metrics),
    each one point above its SoTA, so it wins all 40 and reaches Level-5."""
    from glscore import load_paper

    bench = load_paper()
    tasks = bench.tasks
    plain = (tasks["direction"] == "higher") & (tasks["sota"].astype(float) < 95)
    plain &= ~tasks["metric"].str.contains("WER|MOS|SSIM|PSNR", case=False)
    chosen = []
    for modality, paradigm, k in (("Image", "comprehension", 12), ("Image", "generation", 5),
                                  ("Video", "comprehension", 8), ("NLP", "nlp", 15)):
        where = plain & (tasks["modality"] == modality) & (tasks["paradigm"] == paradigm)
        chosen += list(np.flatnonzero(where.to_numpy())[:k])
    row = np.full(len(tasks), np.nan)
    row[chosen] = tasks["sota"].astype(float).to_numpy()[chosen] + 1.0
    values = np.vstack([bench.values, row])
    return Benchmark(tasks, bench.models + ("forty",), values, bench.sheets, bench.source,
                     bench.model_names + ("Forty",), metadata=bench.metadata), len(chosen)


def test_a_forty_task_model_is_listed_below_not_ranked_on_scope_a():
    from glscore.analysis.leaderboard import DEFAULT_MIN_COVERAGE, LOW_COVERAGE

    bench, n = _with_forty_task_model()
    assert n == 40
    # the framework's ranking (no minimum coverage): 40 wins of 40 put it first at Level-5
    everyone = scope_tables(bench, "A", min_coverage=0)[0]
    first = everyone.table.iloc[0]
    assert (first["name"], first["level"], first["rank"]) == ("Forty", 5, 1)
    assert first["coverage"] == pytest.approx(40 / 699) and bool(first["low_coverage"])
    # by default: 40/699 = 5.7% < 6%, so it is listed below the ranked rows, unranked
    board = scope_tables(bench, "A")[0]
    assert board.min_coverage == DEFAULT_MIN_COVERAGE == LOW_COVERAGE == 0.06
    table = board.table.set_index("name")
    assert not table.loc["Forty", "ranked"] and pd.isna(table.loc["Forty", "rank"])
    assert board.table["name"].tolist()[-board.listed_below:][0] in ("Forty", "LISA-7B", "LM4LV")
    assert board.table["ranked"].tolist() == sorted(board.table["ranked"], reverse=True)
    assert board.ranked_table.iloc[0]["name"] == "VidAgent"   # the best with coverage >= 6%
    ranked = board.ranked_table
    assert ranked["rank"].tolist() == list(range(1, len(ranked) + 1))
    assert (ranked["coverage"] >= 0.06).all() and len(board.table) == len(bench.models)
    assert board.listed_below == 3 and "Forty" in board.sentence()


def test_min_coverage_is_checked_and_zero_restores_every_rank():
    bench = tiny(VALUES)
    with pytest.raises(InputError, match=r"min_coverage 1\.5: expected a share"):
        scope_tables(bench, "A", min_coverage=1.5)
    t = scope_tables(bench, "A", min_coverage=0)[0]
    assert t.table["ranked"].all() and t.listed_below == 0
    # c supports 1 of 5 tasks (20%): ranked at 20%, listed below at 25%
    t25 = scope_tables(bench, "A", min_coverage=0.25)[0]
    assert rows(t25).loc["c", "ranked"] == False  # noqa: E712 (numpy bool)
    assert t25.table["model"].tolist() == ["a", "b", "c"] and t25.listed_below == 1
    assert pd.isna(rows(t25).loc["c", "rank"])


def test_cli_min_coverage(capsys):
    assert main(["leaderboard", "--scope", "B", "--board", "3D", "--format", "json"]) == 0
    board = json.loads(capsys.readouterr().out)
    below = [r for r in board["rows"] if not r["ranked"]]
    # MotionGPT-LLaMA, MotionGPT-T5 and AvatarGPT run 1 of the 52 3D tasks (1.9%)
    assert sorted(r["name"] for r in below) == ["AvatarGPT", "MotionGPT-LLaMA", "MotionGPT-T5"]
    assert all(r["rank"] is None for r in below) and board["listed_below"] == 3
    assert board["rows"][-3:] == below and "listed below" in board["ranking"]
    assert main(["leaderboard", "--scope", "B", "--board", "3D", "--min-coverage", "0",
                 "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert all(r["ranked"] for r in json.loads(captured.out)["rows"])
    assert "ranked because of --min-coverage" in captured.err
    # 1/52 = 1.92%: under 2%, at or above 1.5%
    assert main(["leaderboard", "--scope", "B", "--board", "3D", "--min-coverage", "2%"]) == 0
    assert "3 listed below unranked (coverage under 2%)" in capsys.readouterr().out
    assert main(["leaderboard", "--scope", "B", "--board", "3D", "--min-coverage", "1.5%"]) == 0
    assert "listed below unranked (coverage" not in capsys.readouterr().out
    with pytest.raises(SystemExit) as exc:   # a usage error: one line, exit 2
        main(["leaderboard", "--scope", "A", "--min-coverage", "7"])
    assert exc.value.code == 2
    assert "expected a share of the board's tasks from 0 to 1" in capsys.readouterr().err
