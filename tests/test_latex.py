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
from glscore.io.latex import (
    NO_DATA,
    escape,
    format_cell,
    header,
    latex_table,
    reproduction_latex,
)
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
        r"\begin{table}[t]", r"\centering", r"\small", r"\setlength{\tabcolsep}{4pt}",
        r"\caption{Top 50\%}", r"\label{tab:x}",
        r"\begin{tabular}{rlrrr}", r"\toprule",
        r"Rank & Model & Level & Level-2 & Level-4 \\", r"\midrule",
        r"1 & A\&B & Level-4 & 13.70 & 0.67 \\",  # 2/3 = 0.666.. -> 0.67
        r"2 & c\_d & Level-1 & $-$7750.00 & -- \\",
        r"\bottomrule", r"\end{tabular}", r"\end{table}", ""])
    assert latex_table(frame, caption="Top 50%", label="tab:x") == expected


def test_helpers():
    assert escape("a#b$c{d}~^\\") == (r"a\#b\$c\{d\}\textasciitilde{}\textasciicircum{}"
                                      r"\textbackslash{}")
    # | < > would print as other glyphs under OT1: text commands instead
    assert escape("strict | pooled <a>") == r"strict \textbar{} pooled \textless{}a\textgreater{}"
    # a minus sign where a number is negative, a hyphen inside words and ranges
    assert escape("margin(tau=-0.1) -3 GPT-4o 1-60 x-2") == (
        "margin(tau=$-$0.1) $-$3 GPT-4o 1-60 x-2")
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
    # a wide board is split by columns: join its parts back, row by row
    parts = re.findall(r"\\toprule\n(.*?) \\\\\n\\midrule\n(.*?)\\bottomrule", tex, re.S)
    assert tex.count(r"\toprule") == tex.count(r"\bottomrule") == len(parts) >= 1
    head: list[str] = []
    rows: list[list[str]] = [[] for _ in range(top)]
    for k, (line, body) in enumerate(parts):
        cells = [r.removesuffix(r" \\").split(" & ") for r in body.splitlines()]
        assert len(cells) == top
        keep = range(len(line.split(" & "))) if k == 0 else range(2, len(line.split(" & ")))
        head += [line.split(" & ")[j] for j in keep]
        for row, part in zip(rows, cells, strict=True):
            row += [part[j] for j in keep]
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
    # one labelled float per board (wide boards continue in a second part by columns)
    labels = re.findall(r"\\label\{(tab:scope-c-[a-z0-9-]+)\}", tex)
    first = [x for x in labels if not re.search(r"-part\d+$", x)]
    assert len(first) == n_boards == 8 and len(set(labels)) == len(labels)
    parts = tex.count(r"\begin{tabular}")
    assert len(body_rows(tex)) == 2 * parts


def test_score_latex_matches_json():
    tex = cli("score", "--model", "vitron-v1", "--format", "latex")
    rec = json.loads(cli("score", "--model", "vitron-v1", "--json"))
    cells = body_rows(tex)[0]   # the first part (a wide table continues by columns)
    assert cells[1] == f"Level-{rec['level']}"
    assert cells[2:6] == [f"{rec['scores'][k]:.2f}" for k in ("level2", "level3", "level4",
                                                                "level5")]


def test_reproduce_latex_rows_are_every_printed_row():
    tex = cli("reproduce", "--format", "latex")
    rep = reproduce()
    tables = reproduction_latex(rep.printed, rep.profile)
    assert tex.startswith(tables)
    # every row the paper prints, in its order: counted from the curated tables
    published = pd.read_csv("data/published_levels.csv")
    printed = published.sort_values(["table", "row_in_table"], kind="stable")
    rows = body_rows(tables)
    assert len(rows) == len(printed) == 102 + 102 + 3
    table14 = [r[0] for r, t in zip(rows, printed["table"], strict=True) if t == 14]
    assert "VidAgent" in table14                       # its all-zero row is kept
    # one label per table, continued floats numbered
    labels = re.findall(r"\\label\{([^}]+)\}", tables)
    assert labels[0] == "tab:reproduce-12" and "tab:reproduce-14" in labels
    assert all(x.startswith("tab:reproduce-1") for x in labels)
    classes = [r[0] for r in body_rows(tex[len(tables):])][:7]
    assert classes == list(ACCOUNTING)


def test_reproduce_latex_tells_zero_from_no_data():
    rep = reproduce()
    rows = {r[0]: r for r in body_rows(reproduction_latex(rep.printed, rep.profile))}
    # VidAgent, Table 12: Image 18.21 published, no per-task Image rows -> n/d;
    # Video 25.00 both; Audio and 3D printed 0 and recomputed 0
    vid = rows["VidAgent"]   # the last VidAgent row seen is Table 14's; check Table 12's
    table12 = body_rows(reproduction_latex(rep.printed[rep.printed["table"] == 12],
                                           rep.profile))
    vid = next(r for r in table12 if r[0] == "VidAgent")
    assert vid[1:] == ["18.21", NO_DATA, "25.00", "25.00", "0.00", "0.00", "0.00", "0.00"]
    # Mini-Gemini has no Appendix B row at all: every recomputed cell is n/d
    mini = next(r for r in table12 if r[0] == "Mini-Gemini")
    assert mini[2::2] == [NO_DATA] * 4 and mini[1] == "27.90"


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
        assert tex.read_text() == latex_table(frame, caption="c", label="tab:t")
        assert body_rows(tex.read_text()) == [["x", "0.30"]]


def test_wide_and_long_tables_are_split_for_the_page():
    # 12 numeric columns of "-1234.57" and a name: wider than the text width
    wide = pd.DataFrame({"name": ["a"] * 3, **{f"c{k}": [-1234.567] * 3 for k in range(12)}})
    tex = latex_table(wide, caption="w", label="tab:w")
    assert tex.count(r"\begin{table*}") == 2 and r"\label{tab:w-part2}" in tex
    assert all(r[0] == "a" for r in body_rows(tex))    # the name repeated in every part
    # a narrow table fits a column: table, not table*
    narrow = latex_table(wide[["name", "c0"]], caption="n", label="tab:n")
    assert r"\begin{table}[t]" in narrow and "table*" not in narrow
    # 100 rows: three floats of at most MAX_ROWS, every row kept once
    from glscore.io.latex import MAX_ROWS
    long = pd.DataFrame({"name": [f"m{k}" for k in range(100)], "x": range(100)})
    tex = latex_table(long, caption="l", label="tab:l")
    assert tex.count(r"\begin{table}") == -(-100 // MAX_ROWS)
    assert [r[0] for r in body_rows(tex)] == [f"m{k}" for k in range(100)]
    assert "(continued, rows" in tex and r"\label{tab:l-2}" in tex
