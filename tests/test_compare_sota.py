"""glscore compare-sota: a hand-made pair of tasks CSVs and the official workbook."""

import io
import json

import numpy as np
import pandas as pd
import pytest

from glscore import paths
from glscore.analysis import audit
from glscore.cli import main
from glscore.io.loaders import load_paper, load_tasks

HEAD = "task_id,modality,paradigm,sheet,sheet_row,task_name,metric,sota\n"
A_CSV = HEAD + (
    "NLP-001,NLP,nlp,NLP,1,Commonsense Reasoning,ACC,87.33\n"
    "NLP-002,NLP,nlp,NLP,2,Time Series,RMSE,0.31\n"
    "NLP-003,NLP,nlp,NLP,3,Sentiment,Micro-F1,97.33\n"
    "3C-001,3D,comprehension,3D-Comprehension,1,3D Odometry,RTE,55.0\n"
    "IG-001,Image,generation,Image-Generation,1,Unwarping,MS-SSIM,0.54\n"
    "IC-001,Image,comprehension,Image-Comprehension,1,Same,Acc,50\n"
    "IC-002,Image,comprehension,Image-Comprehension,2,Fraction,Acc,0.5\n"
    "IC-003,Image,comprehension,Image-Comprehension,3,Only A,Acc,10\n"
    "IC-004,Image,comprehension,Image-Comprehension,4,Gone,Acc,12\n"
)
# B: other row order, blanks and case changed in names, one task each side only
B_CSV = HEAD + (
    "IC-001,Image,comprehension,Image-Comprehension,1,same ,Acc,50\n"
    "NLP-002,NLP,nlp,NLP,1,time  series,RMSE,2.31\n"
    "IC-009,Image,comprehension,Image-Comprehension,2,Only B,Acc,7\n"
    "NLP-001,NLP,nlp,NLP,2,Commonsense Reasoning,Acc,83.33\n"
    "3C-001,3D,comprehension,3D-Comprehension,1,3D Odometry,RTE,0.55\n"
    "IG-001,Image,generation,Image-Generation,1,Unwarping,MS-SSIM,0.542\n"
    "IC-002,Image,comprehension,Image-Comprehension,3,Fraction,Acc,50\n"
    "NLP-003,NLP,nlp,NLP,3,Sentiment,Micro-F1,95.0\n"
    "IC-004,Image,comprehension,Image-Comprehension,4,Gone,Acc,\n"
)


@pytest.fixture
def pair(tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text(A_CSV)
    b.write_text(B_CSV)
    return a, b


def test_hand_made_pair_exact_rows(pair):
    t = audit.compare_sota(load_tasks(pair[0]), load_tasks(pair[1]))
    got = list(zip(t["task_id_a"].fillna("-"), t["task_id_b"].fillna("-"), t["category"],
                   t["note"], strict=True))
    assert got == [
        ("NLP-001", "NLP-001", "round amount", ""),     # 83.33 - 87.33 = -4
        ("NLP-002", "NLP-002", "round amount", ""),     # 2.31 - 0.31 = +2
        ("NLP-003", "NLP-003", "differs", ""),          # 95.0 - 97.33 = -2.33
        ("3C-001", "3C-001", "scale x0.01", ""),        # 0.55 = 55 / 100
        ("IG-001", "IG-001", "rounding", ""),           # 0.542 rounds to 0.54
        ("IC-001", "IC-001", "equal", ""),
        ("IC-002", "IC-002", "scale x100", ""),         # 50 = 0.5 * 100
        ("IC-003", "-", "only in A", ""),
        ("IC-004", "IC-004", "missing in B", ""),
        ("-", "IC-009", "only in B", ""),
    ]
    rows = t.set_index("task_id_a")
    assert rows.loc["NLP-001", "difference"] == pytest.approx(-4.0)
    assert rows.loc["NLP-001", "ratio"] == pytest.approx(83.33 / 87.33)
    assert rows.loc["NLP-003", "difference"] == pytest.approx(-2.33)
    assert rows.loc["3C-001", "ratio"] == pytest.approx(0.01)
    # 'ACC' vs 'Acc' is the same metric once case is folded
    assert rows.loc["NLP-001", "note"] == ""
    only_b = t.iloc[-1]
    assert (only_b["sheet"], only_b["task_name"], only_b["value_b"]) == (
        "Image-Comprehension", "Only B", 7.0)
    assert np.isnan(only_b["value_a"])


def test_metric_note_and_tolerance():
    a = pd.DataFrame({"task_id": ["X-1"], "sheet": ["NLP"], "task_name": ["t"],
                      "metric": ["F1"], "sota": [10.5]})
    b = a.assign(metric=["Acc"], sota=[10.504])
    assert audit.compare_sota(a, b)["note"].tolist() == ["metric differs"]
    assert audit.compare_sota(a, b)["category"].tolist() == ["rounding"]   # 10.504 -> 10.5
    # an integer-valued side has no printed decimals: 10 vs 10.004 is not called rounding
    assert audit.compare_sota(a.assign(sota=[10.0]), b.assign(sota=[10.004]))[
        "category"].tolist() == ["differs"]
    assert audit.compare_sota(a, b, tolerance=0.01)["category"].tolist() == ["equal"]


def run_cli(args, capsys):
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_csv_and_json(pair, capsys):
    a, b = map(str, pair)
    code, out, err = run_cli(["compare-sota", a, b], capsys)
    assert code == 0
    frame = pd.read_csv(io.StringIO(out))
    assert len(frame) == 9 and "equal" not in frame["category"].tolist()
    assert err.startswith("10 tasks compared (A vs B)")
    code, out, _ = run_cli(["compare-sota", a, b, "--all", "--format", "json"], capsys)
    payload = json.loads(out)
    assert code == 0 and payload["tasks"] == 10 and len(payload["rows"]) == 10
    assert payload["counts"]["only in A"] == 1 and payload["counts"]["equal"] == 1
    only_b = payload["rows"][-1]
    assert only_b["value_a"] is None and only_b["row_a"] is None
    code, out, _ = run_cli(["compare-sota", a, a, "--format", "json"], capsys)
    assert json.loads(out)["counts"] == {"equal": 9} and json.loads(out)["rows"] == []


@pytest.mark.parametrize("bad, message", [
    ("missing.csv", "file not found"),
    ("empty.csv", "file is empty"),
    ("cols.csv", "missing column(s)"),
    ("book.xlsx", "not a readable Excel workbook"),
    ("table.json", "unknown file type"),
])
def test_cli_unreadable_inputs_exit_2(pair, tmp_path, capsys, bad, message):
    (tmp_path / "empty.csv").write_text("")
    (tmp_path / "cols.csv").write_text("a,b\n1,2\n")
    (tmp_path / "book.xlsx").write_bytes(b"not a zip file")
    (tmp_path / "table.json").write_text("{}")
    code, out, err = run_cli(["compare-sota", "paper", str(tmp_path / bad)], capsys)
    assert code == 2 and out == ""
    assert err.startswith("glscore: error: ") and message in err
    assert err.count("\n") == 1


def test_cli_bad_options_exit_2(pair, capsys):
    code, _, err = run_cli(["compare-sota", "paper", str(pair[0]), "--tolerance", "-1"], capsys)
    assert code == 2 and "--tolerance" in err
    with pytest.raises(SystemExit) as exc:
        main(["compare-sota", "paper", str(pair[0]), "--format", "xml"])
    assert exc.value.code == 2


OFFICIAL = paths.official_dir() / "sota_result.xlsx"
needs_official = pytest.mark.skipif(
    not OFFICIAL.is_file(),
    reason=f"official sota_result.xlsx not found in {paths.official_dir()} (not committed)")


@needs_official
def test_official_workbook_against_paper():
    t = audit.compare_sota(load_paper().tasks, load_tasks(OFFICIAL))
    # every task matches by sheet + name: nothing only on one side, no metric renamed
    assert len(t) == 699
    assert not t["category"].isin(["only in A", "only in B"]).any()
    assert (t["note"] == "").all()
    nlp = t[t["sheet"] == "NLP"]
    assert len(nlp) == 115
    # the README's claim: official NLP SoTA lower than the paper's in 61 of 115 tasks
    assert int((nlp["difference"] < 0).sum()) == 61
    assert int((nlp["difference"] > 0).sum()) == 2   # NLP-016 99.88 -> 100, NLP-061 0.31 -> 2.31
    odo = t.set_index("task_id_a").loc["3C-013"]
    assert (odo["value_a"], odo["value_b"], odo["category"]) == (55.0, 0.55, "scale x0.01")
    counts = t["category"].value_counts().to_dict()
    assert counts == {"equal": 627, "round amount": 57, "rounding": 8, "differs": 6,
                      "scale x0.01": 1}


@needs_official
def test_official_workbook_cli(capsys):
    code, out, err = run_cli(["compare-sota", "paper", str(OFFICIAL), "--format", "json"],
                             capsys)
    assert code == 0
    payload = json.loads(out)
    assert payload["tasks"] == 699 and len(payload["rows"]) == 699 - 627
    assert "NLP: B is lower in 61 and higher in 2 of 115 matched tasks." in err


# ---------------------------------------------------------------- levels under two tables

def test_with_sota_table_rebases_by_name(make_bench):
    """A benchmark takes B's SoTA task by task (matched by sheet and name); a task B
    lacks keeps its own; the levels follow."""
    bench = make_bench([("IC-001", "Acc", "higher", 50.0), ("IC-002", "Acc", "higher", 60.0),
                        ("IG-001", "Acc", "higher", 40.0), ("NLP-001", "Acc", "higher", 70.0)],
                       [[45.0, 55.0, 30.0, 65.0]], ("m",),
                       task_name=["a", "b", "c", "d"])
    other = bench.tasks.assign(sota=[40.0, 60.0, 35.0, 60.0]).iloc[[1, 0, 3]]  # IG-001 absent
    rebased, table = audit.with_sota_table(bench, other)
    # IC-001 50 -> 40, IC-002 60 (same), IG-001 kept at 40 (not in B), NLP-001 70 -> 60
    assert rebased.sota.tolist() == [40.0, 60.0, 40.0, 60.0]
    assert table.set_index("task_id_a").at["IG-001", "category"] == "only in A"
    # under A: no win anywhere -> Level-2; under B: 45 >= 40 (Image comprehension) and
    # 65 >= 60 (NLP) are wins, no generation win -> Level-3
    changes = audit.sota_level_changes(bench, other, profiles=("paper",))
    row = changes.iloc[0]
    assert (row["level_a"], row["level_b"], row["level_change"]) == (2, 3, 1)
    assert "m Level-2 -> Level-3" in audit.sota_levels_finding(changes, "A", "B", ("paper",))


def test_absent_official_workbook_is_said(tmp_path):
    tables = audit.sota_tables(load_paper(), tmp_path / "sota_result.xlsx")
    assert not tables.present and tables.comparison.empty
    text = tables.finding()
    assert "is not present" in text and "against the paper's printed SoTA table" in text


@needs_official
def test_official_sota_moves_level5_under_paper():
    """Scored against the official SoTA table, Emu2-37B and Vitron-V1 reach Level-5
    even under paper (the official NLP SoTAs are lower)."""
    tables = audit.sota_tables(load_paper(), OFFICIAL)
    paper = tables.changes[tables.changes["profile"] == "paper"].set_index("model")
    assert sorted(paper.index) == ["emu2-37b", "vitron-v1"]
    assert (paper["level_a"] == 4).all() and (paper["level_b"] == 5).all()
    assert paper.at["emu2-37b", "level5_b"] == pytest.approx(0.022, abs=5e-4)
    assert paper.at["vitron-v1", "level5_b"] == pytest.approx(0.024, abs=5e-4)
    text = tables.finding()
    assert "Who reaches Level-5 depends on the SoTA table" in text
    assert "under paper, no model against the paper's printed SoTA table" in text


@needs_official
def test_compare_sota_levels_cli(capsys):
    code, out, err = run_cli(["compare-sota", "paper", str(OFFICIAL), "--levels"], capsys)
    assert code == 0
    frame = pd.read_csv(io.StringIO(out))
    moved = frame[(frame["profile"] == "paper") & (frame["level_change"] != 0)]
    assert sorted(moved["name"]) == ["Emu2-37B", "Vitron-V1"]
    assert "Who reaches Level-5 depends on the SoTA table" in err
    code, out, _ = run_cli(["compare-sota", "paper", str(OFFICIAL), "--levels", "--format",
                            "json"], capsys)
    payload = json.loads(out)
    assert len(payload["level_changes"]) == len(frame) and payload["levels_finding"]
