"""Every input is scored correctly or rejected with one precise line (issue 9, section 1).

Each bad-input test asserts the message fragments (file, sheet and row or
line, column, value) and that the input file is unchanged.
"""

import decimal
import hashlib
import json

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from glscore import Benchmark, load_paper, load_source, paths
from glscore.analysis.leaderboard import LOW_COVERAGE
from glscore.cli import main
from glscore.errors import InputError, did_you_mean, plain
from glscore.io.loaders import NOT_SUPPORTED_MARKERS, InputWarning, check_scale, parse_cell
from tests.workbooks import TINY, TINY_MODEL, write_result, write_sota


def digest(*files):
    return {str(f): hashlib.sha256(f.read_bytes()).hexdigest() for f in files}


def cli(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def assert_error(capsys, files, argv, *fragments):
    """The command exits 2 with one line holding every fragment; files unchanged."""
    before = digest(*files)
    code, out, err = cli(capsys, *argv)
    assert code == 2, (code, out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("glscore: error: "), lines[0]
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    assert "np.float64" not in lines[0] and "Traceback" not in err
    assert digest(*files) == before
    return lines[0]


@pytest.fixture
def sota(tmp_path):
    return write_sota(tmp_path / "sota.xlsx", TINY)


def tiny_with(sheet, row, value):
    """TINY_MODEL with cell (sheet, 0-based row) replaced."""
    cells = {k: list(v) for k, v in TINY_MODEL.items()}
    cells[sheet][row] = value
    return cells


# --------------------------------------------------------------------------- values

@pytest.mark.parametrize("text, hint", [
    ("85.3%", "write 85.3 without '%'"),
    ("12,5", "decimal comma? write 12.5"),
    ("abc", "for 'not supported'"),
    ("n.a.", "for 'not supported'"),
])
def test_workbook_text_value_is_an_error(tmp_path, sota, capsys, text, hint):
    result = write_result(tmp_path / "r.xlsx", TINY,
                          {"ModelA": tiny_with("Image-Comprehension", 1, text)})
    # data row 2 of the sheet is spreadsheet row 3 (row 1 is the header); column E
    assert_error(capsys, [sota, result], ["score", "--results", result, "--sota", sota],
                 "r.xlsx", "sheet 'Image-Comprehension'", "row 3", "column 'ModelA' (E)",
                 f"'{text}' is not a number", hint)


@pytest.mark.parametrize("marker", [*NOT_SUPPORTED_MARKERS, "", "  ", "N/A", "NaN", "INF"])
def test_markers_mean_not_supported(tmp_path, sota, marker):
    result = write_result(tmp_path / "r.xlsx", TINY,
                          {"ModelA": tiny_with("Image-Comprehension", 1, marker)})
    bench = load_source([result], sota=sota)
    # row IC 2 is not supported; the other cells as given
    assert np.isnan(bench.values[0, 1]) and bench.values[0, 0] == 60.0


def test_csv_text_value_names_line_and_column(tmp_path, capsys):
    tidy = tmp_path / "r.csv"
    tidy.write_text("model,task_id,value\nA,IC-001,50\nA,IC-002,85.3%\n")
    message = assert_error(capsys, [tidy], ["score", "--results", tidy],
                           "r.csv", "line 3", "column 'value'", "'85.3%' is not a number")
    assert "sheet" not in message and "row" not in message


def test_csv_blank_lines_keep_line_numbers(tmp_path, capsys):
    tidy = tmp_path / "r.csv"
    tidy.write_text("model,task_id,value\nA,IC-001,50\n\nA,IC-002,abc\n")
    assert_error(capsys, [tidy], ["score", "--results", tidy], "line 4", "'abc'")


def test_formula_without_saved_value(tmp_path, sota, capsys):
    result = write_result(tmp_path / "r.xlsx", TINY,
                          {"ModelA": tiny_with("NLP", 0, "=60+15")})
    assert_error(capsys, [sota, result], ["score", "--results", result, "--sota", sota],
                 "r.xlsx", "sheet 'NLP'", "row 2", "column 'ModelA' (E)",
                 "formula without a saved value", "open and save the workbook")


def test_formula_column_with_values_is_fine(tmp_path, sota):
    """A formula cell with a cached value (saved by a spreadsheet) is its value."""
    result = write_result(tmp_path / "r.xlsx", TINY, {"ModelA": TINY_MODEL})
    bench = load_source([result], sota=sota)
    assert bench.values[0, 0] == 60.0


def _with_saved_values(path, values):
    """``path`` rewritten with a saved value after each formula (as a spreadsheet
    program stores it): ``values`` maps formula text -> cached value."""
    import zipfile

    parts = {}
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            data = archive.read(name)
            for formula, value in values.items():
                data = data.replace(f"<f>{formula}</f><v></v>".encode(),
                                    f"<f>{formula}</f><v>{value}</v>".encode())
                data = data.replace(f"<f>{formula}</f><v />".encode(),
                                    f"<f>{formula}</f><v>{value}</v>".encode())
            parts[name] = data
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def test_formula_with_a_saved_value_is_its_value(tmp_path, sota):
    result = write_result(tmp_path / "r.xlsx", TINY,
                          {"ModelA": tiny_with("NLP", 0, "=60+15")})
    assert b"<f>60+15</f>" in __import__("zipfile").ZipFile(result).read(
        "xl/worksheets/sheet3.xml")
    _with_saved_values(result, {"60+15": 75})
    bench = load_source([result], sota=sota)
    assert bench.values[0, list(bench.tasks["sheet"]).index("NLP")] == 75.0


def test_unsaved_formula_on_another_sheet_names_that_sheet(tmp_path, sota, capsys):
    cells = tiny_with("Image-Generation", 0, "=1+2")
    cells["NLP"][0] = "=60+15"
    result = _with_saved_values(write_result(tmp_path / "r.xlsx", TINY, {"ModelA": cells}),
                                {"60+15": 75})
    assert_error(capsys, [sota, result], ["score", "--results", result, "--sota", sota],
                 "sheet 'Image-Generation'", "row 2", "column 'ModelA' (E)",
                 "formula without a saved value")


def test_openpyxl_reads_only_workbooks_with_formulas(tmp_path, sota, monkeypatch):
    """calamine reads the values; openpyxl (slow) opens a workbook only when one of its
    worksheets holds a formula."""
    import openpyxl

    opened = []
    real = openpyxl.load_workbook
    monkeypatch.setattr(openpyxl, "load_workbook",
                        lambda *a, **k: opened.append(a[0]) or real(*a, **k))
    plain_values = write_result(tmp_path / "plain.xlsx", TINY, {"ModelA": TINY_MODEL})
    load_source([plain_values], sota=sota)
    assert opened == []
    formula = _with_saved_values(write_result(tmp_path / "f.xlsx", TINY, {
        "ModelA": tiny_with("NLP", 0, "=60+15")}), {"60+15": 75})
    load_source([formula], sota=sota)
    assert [p.name for p in opened] == ["f.xlsx"]


@pytest.mark.parametrize("value, fragment", [
    (True, "is a boolean"),
    ("-inf", "-inf is not a score"),
    ("-∞", "-inf is not a score"),
    (1e300, "is too large to be a score"),
])
def test_workbook_non_scores(tmp_path, sota, capsys, value, fragment):
    result = write_result(tmp_path / "r.xlsx", TINY,
                          {"ModelA": tiny_with("Image-Generation", 0, value)})
    assert_error(capsys, [sota, result], ["score", "--results", result, "--sota", sota],
                 "sheet 'Image-Generation'", "row 2", fragment)


def test_csv_overflow_is_an_error_not_infinity(tmp_path, capsys):
    tidy = tmp_path / "r.csv"
    tidy.write_text("model,task_id,value\nA,IC-001,1e400\n")
    assert_error(capsys, [tidy], ["score", "--results", tidy, "--json"],
                 "line 2", "'1e400' overflows")
    tidy.write_text("model,task_id,value\nA,IC-001,5e15\n")
    assert_error(capsys, [tidy], ["score", "--results", tidy, "--json"],
                 "line 2", "5000000000000000.0 is too large")


def test_parquet_export_types_are_numbers(tmp_path):
    """Decimals, integers, float32 and pandas nullable types score as the numbers they hold."""
    ids = ["IC-001", "IC-002", "IC-003", "IC-004"]
    table = pa.table({
        "model": ["m"] * 4, "task_id": ids,
        "value": pa.array([decimal.Decimal("32.11"), decimal.Decimal("82.26"), None,
                           decimal.Decimal("7.31")], pa.decimal128(6, 2)),
    })
    pq.write_table(table, tmp_path / "dec.parquet")
    frames = {
        "int": pd.DataFrame({"model": "m", "task_id": ids, "value": [32, 82, 46, 7]}),
        "float32": pd.DataFrame({"model": "m", "task_id": ids,
                                 "value": np.array([32.11, 82.26, 46.91, 7.31], np.float32)}),
        "Float64": pd.DataFrame({"model": "m", "task_id": ids,
                                 "value": pd.array([32.11, 82.26, None, 7.31], "Float64")}),
        "Int64": pd.DataFrame({"model": "m", "task_id": ids,
                               "value": pd.array([32, 82, None, 7], "Int64")}),
    }
    for name, frame in frames.items():
        frame.to_parquet(tmp_path / f"{name}.parquet")
    got = {p.stem: load_source(p).values[0, :4] for p in tmp_path.glob("*.parquet")}
    np.testing.assert_array_equal(got["dec"], [32.11, 82.26, np.nan, 7.31])
    np.testing.assert_array_equal(got["int"], [32.0, 82.0, 46.0, 7.0])
    # float32 keeps the decimal the exporter wrote (32.11, not 32.11000061035156)
    np.testing.assert_array_equal(got["float32"], [32.11, 82.26, 46.91, 7.31])
    np.testing.assert_array_equal(got["Float64"], [32.11, 82.26, np.nan, 7.31])
    np.testing.assert_array_equal(got["Int64"], [32.0, 82.0, np.nan, 7.0])


def test_parquet_text_value_names_the_row(tmp_path, capsys):
    path = tmp_path / "r.parquet"
    pd.DataFrame({"model": ["m", "m"], "task_id": ["IC-001", "IC-002"],
                  "value": ["50", "12,5"]}).to_parquet(path)
    # Parquet has no lines: data rows count from 1
    assert_error(capsys, [path], ["score", "--results", path],
                 "r.parquet", "row 2", "column 'value'", "'12,5'")


# --------------------------------------------------------------------------- files and models

def test_model_without_any_value(tmp_path, sota, capsys):
    empty = {k: [None] * len(v) for k, v in TINY_MODEL.items()}
    result = write_result(tmp_path / "r.xlsx", TINY, {"ModelA": TINY_MODEL, "Blank": empty})
    assert_error(capsys, [sota, result], ["score", "--results", result, "--sota", sota],
                 "r.xlsx", "model 'Blank' has no scores", "did you pick the right column?")
    tidy = tmp_path / "r.csv"
    tidy.write_text("model,task_id,value\nA,IC-001,∞\nA,IC-002,\n")
    assert_error(capsys, [tidy], ["score", "--results", tidy], "model 'A' has no scores")


@pytest.mark.parametrize("content, fragment", [
    ("", "file is empty"),
    ("model,task_id,value\n", "a header but no rows"),
    ("model,task_id,value\n\n\n", "a header but no rows"),
])
def test_empty_and_header_only_csv(tmp_path, capsys, content, fragment):
    tidy = tmp_path / "r.csv"
    tidy.write_text(content)
    assert_error(capsys, [tidy], ["score", "--results", tidy], "r.csv", fragment)


def test_header_only_parquet(tmp_path, capsys):
    path = tmp_path / "r.parquet"
    pd.DataFrame({"model": pd.Series([], dtype=str), "task_id": pd.Series([], dtype=str),
                  "value": pd.Series([], dtype=float)}).to_parquet(path)
    assert_error(capsys, [path], ["score", "--results", path], "a header but no rows")


@pytest.mark.parametrize("name", ["", "   "])
def test_empty_model_name_in_tidy_file(tmp_path, capsys, name):
    tidy = tmp_path / "r.csv"
    tidy.write_text(f"model,task_id,value\nA,IC-001,50\n{name},IC-002,40\n")
    assert_error(capsys, [tidy], ["score", "--results", tidy],
                 "line 3", "column 'model'", "empty model name")


def test_workbook_column_with_values_but_no_name(tmp_path, sota, capsys):
    result = write_result(tmp_path / "r.xlsx", TINY, {"ModelA": TINY_MODEL, " ": TINY_MODEL})
    assert_error(capsys, [sota, result], ["score", "--results", result, "--sota", sota],
                 "r.xlsx", "column F has values but no model name")


def test_names_differing_only_by_case(tmp_path, sota, capsys):
    tidy = tmp_path / "r.csv"
    tidy.write_text("model,task_id,value\nVitron,IC-001,50\nvitron,IC-002,40\n")
    assert_error(capsys, [tidy], ["score", "--results", tidy],
                 "line 3", "model 'vitron' differs only by case from 'Vitron'")
    result = write_result(tmp_path / "r.xlsx", TINY, {"Vitron": TINY_MODEL,
                                                      "VITRON": TINY_MODEL})
    assert_error(capsys, [sota, result], ["score", "--results", result, "--sota", sota],
                 "r.xlsx", "sheet 'Image-Comprehension'",
                 "model 'VITRON' differs only by case from 'Vitron'")


def test_same_model_in_two_workbooks(tmp_path, sota, capsys):
    one = write_result(tmp_path / "one.xlsx", TINY, {"ModelA": TINY_MODEL})
    two = write_result(tmp_path / "two.xlsx", TINY, {"modela": TINY_MODEL})
    assert_error(capsys, [sota, one, two], ["score", "--results", one, two, "--sota", sota],
                 "two.xlsx", "model 'modela' differs only by case from 'ModelA'")


def test_unknown_task_suggests_the_closest(tmp_path, capsys):
    tidy = tmp_path / "r.csv"
    tidy.write_text("model,task_id,value\nA,ic001,50\n")
    assert_error(capsys, [tidy], ["score", "--results", tidy],
                 "line 2", "unknown task 'ic001'", "did you mean 'IC-001'")


def test_did_you_mean_is_by_similarity(capsys):
    line = assert_error(capsys, [], ["score", "--model", "vitron-v2"], "no model 'vitron-v2'")
    # the closest id comes first, not the first names alphabetically
    assert "did you mean 'vitron-v1'" in line and "3d-llm" not in line
    assert did_you_mean("zzzz", ["a", "b"]) == ""


def test_numbers_in_messages_are_plain(tmp_path, capsys):
    sheets = {**TINY, "Image-Generation": [("t2i", "FID", 20.0)]}
    sota = write_sota(tmp_path / "sota_fid.xlsx", sheets)
    result = write_result(tmp_path / "neg.xlsx", sheets,
                          {"ModelA": {**TINY_MODEL, "Image-Generation": [-3.0]}})
    assert_error(capsys, [sota, result], ["score", "--results", result, "--sota", sota],
                 "FID value -3.0 is outside its domain >= 0")
    assert plain(np.float64(-3.0)) == "-3.0" and plain(np.int64(7)) == "7"


# --------------------------------------------------------------------------- scale guard

def _fraction_bench(values_by_task: dict[str, float]) -> Benchmark:
    bench = load_paper().select_models(["vitron-v1"])
    values = np.full_like(bench.values, np.nan)
    ids = list(bench.tasks["task_id"])
    for task, value in values_by_task.items():
        values[0, ids.index(task)] = value
    return Benchmark(bench.tasks, ("m",), values, bench.sheets, "test")


def test_scale_guard_is_not_disabled_by_a_small_sota():
    """NLP-063 ("Mathematical Word Problem Solving" in the official table) and a depth
    task (absRel) have SoTA <= 1; with them among the model's values the guard
    still decides on the tasks whose SoTA is above 1."""
    tasks = load_paper().tasks
    small = tasks.loc[tasks["sota"] <= 1, "task_id"].tolist()
    big_plain = tasks.loc[(tasks["sota"] > 1) & (tasks["direction"] == "higher")
                          & (tasks["metric"].isin(["Acc", "ACC", "F1"])), "task_id"][:3].tolist()
    assert small and len(big_plain) == 3
    bench = _fraction_bench({big_plain[0]: 0.5, big_plain[1]: 0.6, big_plain[2]: 0.7,
                             small[0]: 0.9})
    with pytest.raises(InputError, match="all 3 scores on tasks whose SoTA is above 1 lie "
                                         "within 0-1"):
        check_scale(bench, "auto")


def test_scale_guard_warns_on_one_or_two_values():
    tasks = load_paper().tasks
    ids = tasks.loc[(tasks["sota"] > 1) & (tasks["metric"] == "Acc"), "task_id"][:2].tolist()
    with pytest.warns(InputWarning, match="only 2 value"):
        check_scale(_fraction_bench({ids[0]: 0.5, ids[1]: 0.25}), "auto")


def test_scale_warning_is_one_line_on_stderr(tmp_path, capsys):
    tidy = tmp_path / "r.csv"
    tidy.write_text("model,task_id,value\nA,IC-001,0.5\n")
    before = digest(tidy)
    code, _, err = cli(capsys, "score", "--results", tidy)
    assert code == 0
    assert err.strip().splitlines() == [
        f"glscore: warning: '{tidy}': model 'A': only 1 value(s) on tasks whose SoTA is "
        "above 1, all within 0-1: too few to tell a 0-1 scale from low scores; pass "
        "--scale fraction if they are fractions",
        # one task of 699 is 0.14% coverage, and Level-2 > 0 rests on it
        "glscore: warning: model 'A' reaches Level-2 on 1 of 699 tasks (coverage 0.1%, below "
        f"{LOW_COVERAGE:.0%}): the level rests on little coverage"]
    assert digest(tidy) == before


def test_scale_guard_on_the_committed_table(tmp_path, capsys):
    frame = pd.read_csv(paths.SCORES_CSV)
    rows = frame[(frame["model_id"] == "vitron-v1") & frame["value"].notna()]
    tasks = load_paper().tasks.set_index("task_id")
    plain_rows = rows[tasks.loc[rows["task_id"], "direction"].to_numpy() == "higher"]
    tidy = tmp_path / "fractions.csv"
    pd.DataFrame({"model": "v", "task_id": plain_rows["task_id"],
                  "value": plain_rows["value"] / 100}).to_csv(tidy, index=False)
    assert_error(capsys, [tidy], ["score", "--results", tidy], "fractions.csv", "model 'v'",
                 "lie within 0-1", "--scale fraction")


def test_scale_guard_on_the_official_sota_table():
    official = paths.official_dir()
    sota, result = official / "sota_result.xlsx", official / "Qwen2.5-7B-Instruct_result.xlsx"
    if not (sota.is_file() and result.is_file()):
        pytest.skip(f"official workbooks not found in {official}")
    tasks = load_source([result], sota=sota, scale="percent").tasks
    assert (tasks["sota"] <= 1).any()  # the case that used to disable the guard
    with pytest.raises(InputError, match="all 5 scores on tasks whose SoTA is above 1"):
        load_source([result], sota=sota, model="Qwen2.5-7B-Instruct")


# --------------------------------------------------------------------------- tasks table

@pytest.mark.parametrize("column, value, fragment", [
    ("paradigm", "Comprehension", "unknown paradigm 'Comprehension'; expected one of "
                                  "['comprehension', 'generation', 'nlp'] (did you mean "
                                  "'comprehension'?)"),
    ("modality", "image", "unknown modality 'image'"),
    ("direction", "up", "unknown direction 'up'"),
    ("sota", "high", "'high' is not a number"),
])
def test_tasks_table_vocabulary(tmp_path, capsys, column, value, fragment):
    tasks = pd.read_csv(paths.TASKS_CSV, dtype=str, keep_default_na=False)
    tasks.loc[0, column] = value
    path = tmp_path / "tasks.csv"
    tasks.to_csv(path, index=False)
    tidy = tmp_path / "r.csv"
    tidy.write_text("model,task_id,value\nA,IC-001,50\n")
    line = assert_error(capsys, [path, tidy], ["score", "--results", tidy, "--sota", path],
                        fragment)
    if column != "sota":
        assert "task 'IC-001'" in line
    else:
        assert "line 2" in line and "column 'sota'" in line


def test_benchmark_rejects_duplicate_ids():
    bench = load_paper().select_models(["vitron-v1", "emu2-37b"])
    tasks = bench.tasks.copy()
    tasks.loc[1, "task_id"] = tasks.loc[0, "task_id"]
    with pytest.raises(InputError, match="task id 'IC-001' appears twice"):
        Benchmark(tasks, bench.models, bench.values)
    with pytest.raises(InputError, match="model id 'a' appears twice"):
        Benchmark(bench.tasks, ("a", "a"), bench.values)
    tasks = bench.tasks.astype({"sota": object})
    tasks.loc[2, "sota"] = "high"
    with pytest.raises(InputError, match="task 'IC-003': SoTA 'high' is not a number"):
        Benchmark(tasks, bench.models, bench.values)


def test_parse_cell_doc():
    assert parse_cell(" 12.5 ") == 12.5 and np.isnan(parse_cell("∞"))


# --------------------------------------------------------------------------- strict JSON

def _strict(text):
    def reject(constant):
        raise ValueError(f"non-strict JSON constant {constant}")
    return json.loads(text, parse_constant=reject)


EXAMPLE_CSV = paths.REPO_ROOT / "examples" / "emu2-37b.csv"

JSON_COMMANDS = [
    ["score", "--json"],
    ["score", "--json", "--profile", "official"],
    ["score", "--model", "vitron-v1", "--json", "--bootstrap", "20"],
    ["score", "--results", EXAMPLE_CSV, "--with-paper", "--json"],
    ["explain", "Vitron-V1", "--json"],
    ["explain", "anygpt", "--json", "--profile", "official"],
    ["leaderboard", "--scope", "A", "--format", "json"],
    ["leaderboard", "--scope", "B", "--format", "json"],
    ["leaderboard", "--scope", "C", "--format", "json", "--results", EXAMPLE_CSV,
     "--with-paper"],
    ["leaderboard", "--scope", "D", "--format", "json"],
    ["leaderboard", "--scope", "D", "--board", "I-C-1", "--format", "json"],
    ["reproduce", "--json"],
    ["ablate", "--json", "--n-boot", "20"],
    ["compare-sota", "paper", "paper", "--format", "json"],
    ["natural", "--json"],
    ["noise", "--json", "--draws", "20"],
]


@pytest.mark.parametrize("argv", JSON_COMMANDS, ids=lambda a: " ".join(map(str, a[:3])))
def test_every_json_is_strict(capsys, argv):
    code, out, err = cli(capsys, *argv)
    assert code == 0, err
    _strict(out)


def test_non_finite_result_is_an_error():
    from glscore.cli.commands import common

    assert common._first_non_finite({"a": [1.0, {"b": float("inf")}]}) == "a[1].b"
    with pytest.raises(InputError, match=r"a\.b is not a finite number"):
        common.dumps({"a": {"b": float("nan")}})


def test_csv_line_with_extra_fields(tmp_path, capsys):
    tidy = tmp_path / "r.csv"
    tidy.write_text("model,task_id,value\nA,IC-001,50,7\n")
    assert_error(capsys, [tidy], ["score", "--results", tidy],
                 "r.csv", "line 2: 4 fields, the header has 3")


def test_csv_with_another_separator(tmp_path, capsys):
    tidy = tmp_path / "r.csv"
    tidy.write_text("model;task_id;value\nA;IC-001;50\n")
    assert_error(capsys, [tidy], ["score", "--results", tidy], "separated by ';'")


def test_column_names_are_case_insensitive(tmp_path):
    tidy = tmp_path / "r.csv"
    tidy.write_text("Model,Task_ID,Value\nA,IC-001,50\n")
    assert load_source(tidy).values[0, 0] == 50.0


def test_csv_quoted_newline_keeps_line_numbers(tmp_path, capsys):
    tidy = tmp_path / "r.csv"
    tidy.write_text('model,task_id,value\n"A\nB",IC-001,50\nC,IC-002,x\n')
    # the first record spans lines 2-3, so the bad value is on line 4
    assert_error(capsys, [tidy], ["score", "--results", tidy], "line 4", "'x'")
