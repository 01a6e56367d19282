"""LaTeX tables (glscore.io.latex, ``--format latex``) and full-precision CSV output."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from glscore import load_paper
from glscore.analysis import leaderboard, scopes
from glscore.analysis.reproduce import ACCOUNTING, reproduce
from glscore.io.latex import escape, format_cell, header, latex_table, reproduction_latex
from glscore.pipeline.notebook import write_table


def cli(*args: str) -> str:
    out = subprocess.run([sys.executable, "-m", "glscore", *args], capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout


def body_rows(tex: str) -> list[list[str]]:
    """The cells of every row between \\midrule and \\bottomrule."""
    rows = []
    for block in re.findall(r"\\midrule\n(.*?)\\bottomrule", tex, re.S):
        rows += [line.removesuffix(r" \\").split(" & ") for line in block.splitlines()]
    return rows


def test_table_layout_and_cells():
    frame = pd.DataFrame({"rank": [1, 2], "name": ["A&B", "c_d"], "level": [4, 1],
                          "level2": [13.7, -7750.0], "level4": [2.0 / 3.0, np.nan]})
    expected = "\n".join([
        r"\begin{table}[t]", r"\centering", r"\small", r"\caption{Top 50\%}",
        r"\label{tab:x}",
        r"\begin{tabular}{rlrrr}", r"\toprule",
        r"Rank & Model & Level & Level-2 & Level-4 \\", r"\midrule",
        r"1 & A\&B & Level-4 & 13.70 & 0.67 \\",  # 2/3 = 0.666.. -> 0.67
        r"2 & c\_d & Level-1 & $-$7750.00 & -- \\",
        r"\bottomrule", r"\end{tabular}", r"\end{table}", ""])
    assert latex_table(frame, caption="Top 50%", label="tab:x") == expected


def test_helpers():
    assert escape("a#b$c{d}~^\\") == (r"a\#b\$c\{d\}\textasciitilde{}\textasciicircum{}"
                                      r"\textbackslash{}")
    assert header("Image_level3") == "Image L-3"
    assert header("3D:4") == "3D L-4"
    assert header("my_col") == r"my\_col"
    assert format_cell(3.0, "level") == "Level-3"
    assert format_cell(0.004) == "0.00"
    assert format_cell(pd.NA) == "--"


def test_leaderboard_latex_matches_json():
    top = 4
    tex = cli("leaderboard", "--scope", "B", "--board", "Image", "--top", str(top),
              "--format", "latex")
    records = json.loads(cli("leaderboard", "--scope", "B", "--board", "Image", "--top",
                             str(top), "--format", "json"))["rows"]
    assert tex.count(r"\toprule") == tex.count(r"\bottomrule") == 1
    head = re.search(r"\\toprule\n(.*?) \\\\\n", tex).group(1).split(" & ")
    rows = body_rows(tex)
    assert len(rows) == top
    assert head[:2] == ["Rank", "Model"] and "Model id" not in head
    for cells, rec in zip(rows, records, strict=True):
        assert cells[0] == str(rec["rank"]) and cells[1] == escape(rec["name"])
        assert cells[head.index("Level")] == f"Level-{rec['level']}"
        for key, label in (("score", "Score"), ("level2", "Level-2"), ("level4", "Level-4")):
            assert cells[head.index(label)] == f"{rec[key]:.2f}"


def test_leaderboard_latex_one_table_per_board():
    tex = cli("leaderboard", "--scope", "C", "--top", "2", "--format", "latex")
    bench = load_paper()
    n_boards = len(scopes.boards(bench.tasks, "C"))
    assert tex.count(r"\begin{tabular}") == n_boards == 8
    assert len(body_rows(tex)) == 2 * n_boards


def test_score_latex_matches_json():
    tex = cli("score", "--model", "vitron-v1", "--format", "latex")
    rec = json.loads(cli("score", "--model", "vitron-v1", "--json"))
    (cells,) = body_rows(tex)
    assert cells[1] == f"Level-{rec['level']}"
    assert cells[2:6] == [f"{rec['scores'][k]:.2f}" for k in ("level2", "level3", "level4",
                                                                "level5")]


def test_reproduce_latex_rows_are_the_published_models():
    tex = cli("reproduce", "--format", "latex")
    rep = reproduce()
    # Tables 12, 14, 16, then the accounting classes and the rules
    assert tex.count(r"\begin{tabular}") == rep.cells["table"].nunique() + 2 == 5
    tables = reproduction_latex(rep.cells, rep.profile)
    assert tex.startswith(tables)
    names = [escape(n) for n in rep.cells.drop_duplicates(["table", "name"])["name"]]
    assert [r[0] for r in body_rows(tables)] == names
    classes = [r[0] for r in body_rows(tex[len(tables):])][:7]
    assert classes == list(ACCOUNTING)


def test_leaderboard_csv_keeps_full_precision():
    text = cli("leaderboard", "--scope", "A", "--format", "csv")
    frame = pd.read_csv(io.StringIO(text))
    bench = load_paper()
    board = leaderboard.board_table(bench, scopes.boards(bench.tasks, "A")[0]).table
    assert frame["model"].tolist() == board["model"].tolist()
    for column in ("score", "level2", "level3", "level4"):
        np.testing.assert_array_equal(frame[column].to_numpy(), board[column].to_numpy())


@pytest.mark.parametrize("latex", [False, True])
def test_write_table_full_precision_and_tex(tmp_path, latex):
    frame = pd.DataFrame({"name": ["x"], "level3": [0.1 + 0.2]})
    path = write_table(frame, "t", tmp_path, latex=latex, caption="c")
    assert path.read_text() == "name,level3\nx,0.30000000000000004\n"
    tex = tmp_path / "t.tex"
    assert tex.exists() == latex
    if latex:
        assert tex.read_text() == latex_table(frame, caption="c")
        assert body_rows(tex.read_text()) == [["x", "0.30"]]
