"""Standard errors in workbooks: a ``<sheet> SE`` sheet beside each task sheet,
read into ``Benchmark.se`` (and the SoTA's into ``sota_se``), validated, and
reported as measured noise by ``leaderboard --uncertainty`` and ``explain``."""

from __future__ import annotations

import json

import numpy as np
import openpyxl
import pytest

from glscore import load_workbooks
from glscore.errors import InputError
from tests.test_bad_input import assert_one_line_error, run_cli
from tests.workbooks import KEY, TINY, TINY_MODEL

SE_MODEL = {"Image-Comprehension": [1.5, 2.0], "Image-Generation": [0.5],
            "NLP": [1.0, None]}          # NLP 'sum' is not supported: no standard error
SE_SOTA = {"Image-Comprehension": [0.8, 0.9], "Image-Generation": [1.1], "NLP": [0.7, 0.6]}


def write_book(path, columns, se=None, sota=None, se_sota=None, se_header=None):
    """Task sheets (``columns``: model -> sheet -> cells, or the SoTA with ``sota``)
    and, with ``se``/``se_sota``, a ``<sheet> SE`` sheet of the same layout."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, tasks in TINY.items():
        for title, cells, header in ((name, columns, None), (f"{name} SE", se, se_header)):
            if cells is None or (title.endswith(" SE") and name not in cells.get(
                    next(iter(cells)), {})):
                continue
            sheet = book.create_sheet(title)
            heads = list(cells) if header is None else header
            sheet.append([*KEY, *heads])
            for i, (task, metric, _) in enumerate(tasks, start=1):
                sheet.append([i, task, task[:10], metric,
                              *[cells[m][name][i - 1] for m in cells]])
    if sota is not None:
        for name, tasks in TINY.items():
            for title, values in ((name, sota), (f"{name} SE", se_sota)):
                if values is None:
                    continue
                sheet = book.create_sheet(title)
                sheet.append([*KEY, "SoTA Performance"])
                for i, (task, metric, _) in enumerate(tasks, start=1):
                    sheet.append([i, task, task[:10], metric, values[name][i - 1]])
    book.save(path)
    return path


@pytest.fixture
def sota(tmp_path):
    values = {name: [t[2] for t in tasks] for name, tasks in TINY.items()}
    return write_book(tmp_path / "sota.xlsx", None, sota=values, se_sota=SE_SOTA)


def test_se_sheets_become_benchmark_se_and_sota_se(tmp_path, sota):
    result = write_book(tmp_path / "r.xlsx", {"ModelA": TINY_MODEL}, se={"ModelA": SE_MODEL})
    bench = load_workbooks(sota, [result])
    # task order: Image-Comprehension (2), Image-Generation (1), NLP (2)
    np.testing.assert_array_equal(bench.se, [[1.5, 2.0, 0.5, 1.0, np.nan]])
    np.testing.assert_array_equal(bench.tasks["sota_se"], [0.8, 0.9, 1.1, 0.7, 0.6])


def test_without_se_sheets_there_is_no_se(tmp_path, sota):
    result = write_book(tmp_path / "r.xlsx", {"ModelA": TINY_MODEL})
    assert load_workbooks(sota, [result]).se is None


def test_fraction_scale_scales_the_se_too(tmp_path, sota):
    fractions = {s: [None if v is None else v / 100 for v in cells]
                 for s, cells in TINY_MODEL.items()}
    errors = {s: [None if v is None else v / 100 for v in cells] for s, cells in SE_MODEL.items()}
    result = write_book(tmp_path / "r.xlsx", {"ModelA": fractions}, se={"ModelA": errors})
    bench = load_workbooks(sota, [result], scale="fraction")
    np.testing.assert_allclose(bench.se, [[1.5, 2.0, 0.5, 1.0, np.nan]])


@pytest.mark.parametrize(("se", "header", "fragments"), [
    ({"ModelA": {**SE_MODEL, "NLP": [-1.0, None]}}, None,
     ["sheet 'NLP SE'", "row 2", "column 'ModelA' (E)", "standard error -1.0 is negative"]),
    ({"ModelA": {**SE_MODEL, "NLP": ["1,5", None]}}, None,
     ["sheet 'NLP SE'", "'1,5' is not a number (decimal comma?"]),
    ({"ModelA": SE_MODEL}, ["ModelB"],
     ["sheet 'Image-Comprehension SE'", "must have the model columns",
      "['ModelB'] not in 'Image-Comprehension'"]),
])
def test_bad_standard_errors_are_one_line(tmp_path, sota, capsys, se, header, fragments):
    result = write_book(tmp_path / "r.xlsx", {"ModelA": TINY_MODEL}, se=se, se_header=header)
    code, _, err = run_cli(capsys, "score", "--results", result, "--sota", sota)
    assert_one_line_error(code, err, "r.xlsx", *fragments)


def test_an_se_sheet_without_its_task_sheet(tmp_path, sota):
    result = write_book(tmp_path / "r.xlsx", {"ModelA": TINY_MODEL}, se={"ModelA": SE_MODEL})
    book = openpyxl.load_workbook(result)
    book["NLP SE"].title = "Audio SE"
    book.save(result)
    with pytest.raises(InputError, match="sheet 'Audio SE' holds standard errors, but the "
                                         "workbook has no sheet 'Audio'"):
        load_workbooks(sota, [result])


def test_uncertainty_and_explain_say_measured(tmp_path, sota, capsys):
    result = write_book(tmp_path / "r.xlsx", {"ModelA": TINY_MODEL}, se={"ModelA": SE_MODEL})
    code, out, err = run_cli(capsys, "leaderboard", "--scope", "A", "--uncertainty",
                             "--draws", "50", "--unit", "task", "--results", result,
                             "--sota", sota, "--format", "json")
    assert code == 0, err
    board = json.loads(out)
    board = board[0] if isinstance(board, list) else board
    noise = board["uncertainty"]["measurement"]
    # every supported cell (4) and every SoTA (5) has a standard error
    assert (noise["noise"], noise["measured_cells"], noise["cells"]) == ("measured", 4, 4)
    assert (noise["measured_sota"], noise["sota_tasks"]) == (5, 5)
    code, out, err = run_cli(capsys, "explain", "ModelA", "--results", result, "--sota", sota,
                             "--json", "--draws", "50")
    assert code == 0, err
    assert json.loads(out)["noise"]["noise"] == "measured"
    code, out, err = run_cli(capsys, "explain", "ModelA", "--results", result, "--sota", sota,
                             "--draws", "50")
    assert "measured noise (se given)" in out


@pytest.mark.parametrize(("cell", "fragment"), [("-2", "-2 is not a standard error"),
                                                ("inf", "inf is not a standard error")])
def test_a_tasks_table_sota_se_is_checked(tmp_path, capsys, cell, fragment):
    tasks = tmp_path / "tasks.csv"
    tasks.write_text("task_id,modality,paradigm,metric,sota,sota_se\n"
                     f"IC-001,Image,comprehension,Acc,50,{cell}\n"
                     "IG-001,Image,generation,Acc,50,1\nNLP-001,NLP,nlp,Acc,50,1\n")
    results = tmp_path / "r.csv"
    results.write_text("model,task_id,value\nm,IC-001,60\nm,IG-001,60\nm,NLP-001,60\n")
    code, _, err = run_cli(capsys, "leaderboard", "--scope", "A", "--uncertainty", "--draws",
                           "20", "--unit", "task", "--results", results, "--sota", tasks)
    assert_one_line_error(code, err, "tasks.csv", "column 'sota_se', task 'IC-001'", fragment)
