"""The core's plain tasks table, and scoring a file without pandas (issue 24).

A :class:`~glscore.core.table.Table` is what the scoring core reads of a
tasks table; pandas views are built on top. Scoring a workbook or a tidy CSV
to JSON imports no pandas (checked in a fresh interpreter); the plan and the
task groups are cached by the table's content, not by object identity.
"""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from glscore import Benchmark, load_paper, paths, score
from glscore.core.normalise import plan
from glscore.core.profiles import get_profile
from glscore.core.scoring import TaskGroups
from glscore.core.table import Table, missing
from glscore.errors import InputError
from glscore.io.loaders import load_tasks, read_tasks

EXAMPLES = paths.REPO_ROOT / "examples"


def test_columns_are_read_only_numpy_and_text_is_object():
    t = Table({"task_id": ["a", "b"], "sota": [1.0, 2.5], "n": np.array([3, 4])})
    assert t.columns == ("task_id", "sota", "n") and len(t) == 2
    assert t["task_id"].dtype == object and t["task_id"].tolist() == ["a", "b"]
    assert t["sota"].dtype == float and t["n"].dtype == np.int64
    with pytest.raises(ValueError, match="read-only"):
        t["sota"][0] = 9.0
    with pytest.raises(InputError, match="column 'n' has 3 rows, the others 2"):
        Table({"a": [1, 2], "n": [1, 2, 3]})
    with pytest.raises(KeyError, match="no column 'x'"):
        t["x"]


def test_the_key_follows_the_content():
    a = Table({"task_id": ["a", "b"], "sota": [1.0, 2.0]})
    same = Table({"task_id": ["a", "b"], "sota": [1.0, 2.0]})
    other = Table({"task_id": ["a", "b"], "sota": [1.0, 2.5]})
    assert a == same and hash(a) == hash(same) and a is not same
    assert a != other and a.key != other.key
    assert a.take([1, 0]) != a and a.take([0, 1]) == a
    assert a.take(np.array([False, True]))["task_id"].tolist() == ["b"]


def test_the_dataframe_view_round_trips():
    frame = pd.DataFrame({"task_id": ["x", "y"], "sota": [1.5, np.nan], "n": [1, 2]})
    t = Table.from_frame(frame)
    assert t.to_frame() is frame                      # no round trip for a frame we were given
    rebuilt = Table(dict((c, t[c]) for c in t.columns)).to_frame()
    pd.testing.assert_frame_equal(rebuilt, frame)
    assert len(Table.from_frame(pd.DataFrame(index=range(3)))) == 3   # rows, no columns


def test_missing_cells():
    assert [missing(v) for v in (None, np.nan, float("nan"), pd.NA, pd.NaT)] == [True] * 5
    assert [missing(v) for v in ("", 0, 0.0, "nan")] == [False] * 4


def test_a_benchmark_keeps_the_frame_it_was_given_and_builds_one_otherwise():
    bench = load_paper()
    assert isinstance(bench.task_table, Table) and isinstance(bench.tasks, pd.DataFrame)
    again = Benchmark(bench.task_table, bench.models, bench.values)
    pd.testing.assert_frame_equal(again.tasks, bench.tasks)
    assert Benchmark(bench.tasks, bench.models, bench.values).tasks is bench.tasks
    with pytest.raises(TypeError, match="once"):
        Benchmark(bench.tasks, bench.models, bench.values, task_table=bench.task_table)


def test_an_infinite_score_is_rejected_once_at_construction():
    with pytest.raises(InputError, match=r"score inf \(model 1, task 2\) is infinite"):
        Benchmark.from_rows([("IC-001", "Acc", "higher", 50.0),
                             ("IG-001", "Acc", "higher", 50.0)], [[1.0, np.inf]])


def test_plan_and_groups_are_cached_by_content():
    bench = load_paper()
    prof = get_profile("paper")
    copy = Benchmark(Table({c: np.array(bench.task_table[c]) for c in bench.task_table}),
                     bench.models, bench.values)
    assert copy.task_table is not bench.task_table
    assert plan(copy, prof) is plan(bench, prof)          # one content, one plan
    assert TaskGroups.of(copy, prof) is TaskGroups.of(bench, prof)
    moved = bench.with_tasks(bench.tasks.assign(sota=bench.sota * 0.99))  # inside every domain
    assert plan(moved, prof) is not plan(bench, prof)     # another SoTA, another plan
    assert not plan(bench, prof).sota.flags.writeable


def test_read_tasks_and_its_dataframe_view():
    table = read_tasks(paths.TASKS_CSV)
    frame = load_tasks(paths.TASKS_CSV)
    assert list(frame.columns) == list(table.columns)
    assert frame["sota"].dtype == float and frame["sheet_row"].dtype == np.int64
    paper = load_paper().tasks
    pd.testing.assert_series_equal(frame["sota"], paper["sota"])
    assert frame["task_id"].tolist() == paper["task_id"].tolist()


PROBE = """
import io, json, sys, contextlib
from glscore.cli import main
out = io.StringIO()
with contextlib.redirect_stdout(out):
    status = main(sys.argv[1:])
print(json.dumps({"status": status, "pandas": "pandas" in sys.modules,
                  "result": json.loads(out.getvalue())}))
"""


@pytest.mark.parametrize("results", ["emu2-37b_result.xlsx", "emu2-37b.csv"])
def test_scoring_a_file_to_json_needs_no_pandas(results):
    """A workbook and a tidy CSV are read, validated, scored and written as
    JSON without importing pandas; the numbers are those of the API (which
    builds the pandas views freely)."""
    done = subprocess.run([sys.executable, "-c", PROBE, "score", "--results",
                           str(EXAMPLES / results), "--json"],
                          capture_output=True, text=True, timeout=120, check=True)
    probe = json.loads(done.stdout)
    assert probe["status"] == 0 and probe["pandas"] is False
    from glscore.io.loaders import load_source

    expected = score(load_source(str(EXAMPLES / results))).records()[0]
    assert probe["result"]["scores"] == expected["scores"]
    assert probe["result"]["level"] == expected["level"]
