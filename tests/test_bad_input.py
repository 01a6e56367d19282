"""Every bad input gets one precise line and exit status 2; inputs stay untouched."""

import hashlib
import subprocess
import sys

import pytest

from glscore.cli import main
from tests.workbooks import TINY, TINY_MODEL, write_result, write_sota


def run_cli(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def books(tmp_path):
    sota = write_sota(tmp_path / "sota.xlsx", TINY)
    result = write_result(tmp_path / "r.xlsx", TINY, {"ModelA": TINY_MODEL})
    return tmp_path, sota, result


def assert_one_line_error(code, err, *fragments):
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("glscore: error: ")
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])


def test_good_input_scores(books, capsys):
    _, sota, result = books
    code, out, err = run_cli(capsys, "score", "--results", result, "--sota", sota, "--json")
    assert code == 0, err
    assert '"model": "ModelA"' in out


def test_not_a_workbook(books, capsys):
    tmp, sota, _ = books
    bogus = tmp / "notes.xlsx"
    bogus.write_text("this is text, not a zip archive")
    code, _, err = run_cli(capsys, "score", "--results", bogus, "--sota", sota)
    assert_one_line_error(code, err, "notes.xlsx", "not a readable Excel workbook")


def test_empty_file(books, capsys):
    tmp, sota, _ = books
    empty = tmp / "empty.xlsx"
    empty.write_bytes(b"")
    code, _, err = run_cli(capsys, "score", "--results", empty, "--sota", sota)
    assert_one_line_error(code, err, "empty.xlsx", "empty")


def test_missing_sheet(books, capsys):
    tmp, sota, _ = books
    partial = {k: v for k, v in TINY.items() if k != "Image-Generation"}
    result = write_result(tmp / "partial.xlsx", partial, {"ModelA": TINY_MODEL})
    code, _, err = run_cli(capsys, "score", "--results", result, "--sota", sota)
    assert_one_line_error(code, err, "partial.xlsx", "missing sheet(s) ['Image-Generation']")


def test_extra_sheet(books, capsys):
    tmp, sota, _ = books
    extra = {**TINY, "Audio-Comprehension": [("asr", "Acc", 10.0)]}
    result = write_result(tmp / "extra.xlsx", extra,
                          {"ModelA": {**TINY_MODEL, "Audio-Comprehension": [5.0]}})
    code, _, err = run_cli(capsys, "score", "--results", result, "--sota", sota)
    assert_one_line_error(code, err, "extra.xlsx", "extra sheet(s) ['Audio-Comprehension']")


def test_no_column_for_model(books, capsys):
    _, sota, result = books
    code, _, err = run_cli(capsys, "score", "--results", result, "--sota", sota,
                           "--model", "ModelB")
    assert_one_line_error(code, err, "no column for model 'ModelB'", "columns found",
                          "'ModelA'")


def test_two_columns_match_model(books, capsys):
    tmp, sota, _ = books
    result = write_result(tmp / "dup.xlsx", TINY, {"ModelA": TINY_MODEL, "MODELA": TINY_MODEL})
    code, _, err = run_cli(capsys, "score", "--results", result, "--sota", sota,
                           "--model", "modela")
    assert_one_line_error(code, err, "dup.xlsx", "2 columns match model 'modela'")


def test_task_rows_do_not_match(books, capsys):
    tmp, sota, _ = books
    renamed = {**TINY, "NLP": [("qa", "Acc", 70.0), ("translation", "Acc", 80.0)]}
    result = write_result(tmp / "rows.xlsx", renamed, {"ModelA": TINY_MODEL})
    code, _, err = run_cli(capsys, "score", "--results", result, "--sota", sota)
    assert_one_line_error(code, err, "rows.xlsx", "sheet 'NLP'", "row 3",
                          "'translation'", "'sum'")


def test_fewer_task_rows(books, capsys):
    tmp, sota, _ = books
    short = {**TINY, "NLP": [("qa", "Acc", 70.0)]}
    result = write_result(tmp / "short.xlsx", short,
                          {"ModelA": {**TINY_MODEL, "NLP": [75.0]}})
    code, _, err = run_cli(capsys, "score", "--results", result, "--sota", sota)
    assert_one_line_error(code, err, "short.xlsx", "sheet 'NLP'", "1 task rows", "has 2")


def test_non_positive_lower_is_better_under_paper(books, capsys):
    tmp, _, _ = books
    sheets = {**TINY, "Image-Generation": [("t2i", "FID", 20.0)]}
    sota = write_sota(tmp / "sota_fid.xlsx", sheets)
    result = write_result(tmp / "neg.xlsx", sheets,
                          {"ModelA": {**TINY_MODEL, "Image-Generation": [-3.0]}})
    code, _, err = run_cli(capsys, "score", "--results", result, "--sota", sota)
    # a negative FID is no distance at all: refused while loading, under every profile,
    # with the cell named (the reference would stop on its assertion under official)
    assert_one_line_error(code, err, "neg.xlsx", "Image-Generation", "row 2", "ModelA", "(E)",
                          "FID value -3.0 is outside its domain >= 0")
    code, _, err = run_cli(capsys, "score", "--results", result, "--sota", sota,
                           "--profile", "official")
    assert_one_line_error(code, err, "Image-Generation", "outside its domain >= 0")

    # official: a zero is defined there (mapped to 0.0): no error
    zero = write_result(tmp / "zero.xlsx", sheets,
                        {"ModelA": {**TINY_MODEL, "Image-Generation": [0]}})
    code, _, err = run_cli(capsys, "score", "--results", zero, "--sota", sota,
                           "--profile", "official")
    assert code == 0, err
    code, _, err = run_cli(capsys, "score", "--results", zero, "--sota", sota)
    assert_one_line_error(code, err, "must be > 0")


def test_fraction_values_need_a_scale(books, capsys):
    tmp, sota, _ = books
    fractions = {"Image-Comprehension": [0.6, 0.3], "Image-Generation": [0.5],
                 "NLP": [0.75, None]}
    result = write_result(tmp / "frac.xlsx", TINY, {"ModelA": fractions})
    code, _, err = run_cli(capsys, "score", "--results", result, "--sota", sota)
    assert_one_line_error(code, err, "frac.xlsx", "ModelA", "0-1", "--scale fraction")
    code, out, err = run_cli(capsys, "score", "--results", result, "--sota", sota,
                             "--scale", "fraction", "--json")
    assert code == 0, err
    # x100 gives back TINY_MODEL, whose Level-5 is 3.515625 (see test_levels)
    assert '"level5": 3.515625' in out


def test_unknown_profile(books, capsys):
    code, _, err = run_cli(capsys, "score", "--profile", "nonsense")
    assert_one_line_error(code, err, "unknown profile 'nonsense'", "official", "paper")


def test_unknown_rule(capsys):
    code, _, err = run_cli(capsys, "score", "--rule", "nonsense")
    assert_one_line_error(code, err, "unknown synergy rule 'nonsense'")


def test_missing_file(books, capsys):
    tmp, sota, _ = books
    code, _, err = run_cli(capsys, "score", "--results", tmp / "nope.xlsx", "--sota", sota)
    assert_one_line_error(code, err, "nope.xlsx", "not found")


def test_tidy_unknown_task(tmp_path, capsys):
    tidy = tmp_path / "r.csv"
    tidy.write_text("model,task_id,value\nA,IC-001,50\nA,XX-999,3\n")
    code, _, err = run_cli(capsys, "score", "--results", tidy)
    assert_one_line_error(code, err, "r.csv", "line 3", "task_id", "XX-999")


def test_tidy_missing_column(tmp_path, capsys):
    tidy = tmp_path / "r.csv"
    tidy.write_text("model,task,value\nA,IC-001,50\n")
    code, _, err = run_cli(capsys, "score", "--results", tidy)
    assert_one_line_error(code, err, "r.csv", "missing column(s) ['task_id']")


def test_inputs_are_never_modified(books, capsys):
    _, sota, result = books
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in (sota, result)}
    run_cli(capsys, "score", "--results", result, "--sota", sota, "--json")
    run_cli(capsys, "score", "--results", result, "--sota", sota, "--profile", "official")
    after = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in (sota, result)}
    assert before == after


def test_module_entry_point_exit_status(books):
    tmp, sota, _ = books
    bogus = tmp / "bogus.xlsx"
    bogus.write_text("nope")
    proc = subprocess.run([sys.executable, "-m", "glscore", "score", "--results", str(bogus),
                           "--sota", str(sota)], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
