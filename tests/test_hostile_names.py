"""Model names are data: one spelling, no invisible name, no two spellings of one name.

Each test builds its input in tmp_path and asserts the one-line message.
"""

import unicodedata

import numpy as np
import pandas as pd
import pytest

from glscore import Benchmark
from glscore.core import names
from glscore.errors import InputError, visible
from glscore.io.loaders import load_tidy
from tests.test_bad_input import assert_one_line_error, run_cli
from tests.workbooks import TINY, TINY_MODEL, write_result, write_sota


def tidy(tmp_path, rows, header="model,task_id,value"):
    path = tmp_path / "r.csv"
    path.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_nfc_and_nfd_spellings_are_one_model(tmp_path):
    nfd = "Cafe\u0301-7B"            # e + combining acute
    nfc = unicodedata.normalize("NFC", nfd)
    assert nfd != nfc
    path = tidy(tmp_path, [f"{nfd},IC-001,50", f"{nfc},IC-002,60"])
    bench = load_tidy(path)
    assert bench.models == (nfc,)    # one model, stored in NFC
    assert np.isfinite(bench.values[0]).sum() == 2


@pytest.mark.parametrize("name", ["\u200b", "\u200b\u200c", "\u3164", "\u2800", "\u0301",
                                  "\u202e", "\x1b"])
def test_invisible_name_is_an_error(tmp_path, capsys, name):
    path = tidy(tmp_path, [f"{name},IC-001,50"])
    code, _, err = run_cli(capsys, "score", "--results", path)
    assert_one_line_error(code, err, "r.csv", "line 2", "column 'model'",
                          "has no visible character")
    assert visible(name) in err       # the offending name shown as escapes


def test_names_equal_after_normalisation_are_an_error(tmp_path, capsys):
    # full-width letters (NFKC) and a trailing zero-width space name the same model
    path = tidy(tmp_path, ["Vitron,IC-001,50", "\uff36itron\u200b,IC-002,60"])
    code, _, err = run_cli(capsys, "score", "--results", path)
    assert_one_line_error(code, err, "r.csv", "line 3", "the same name once normalised")


def test_case_clash_message_is_unchanged(tmp_path, capsys):
    path = tidy(tmp_path, ["ModelA,IC-001,50", "modela,IC-002,60"])
    code, _, err = run_cli(capsys, "score", "--results", path)
    assert_one_line_error(code, err, "line 3", "differs only by case from 'ModelA'")


def test_workbook_header_without_visible_character(tmp_path, capsys):
    sota = write_sota(tmp_path / "sota.xlsx", TINY)
    result = write_result(tmp_path / "r.xlsx", TINY, {"\u200b": TINY_MODEL})
    code, _, err = run_cli(capsys, "score", "--results", result, "--sota", sota)
    assert_one_line_error(code, err, "r.xlsx", "row 1", "has no visible character")


def test_workbook_columns_that_normalise_to_one_name(tmp_path, capsys):
    sota = write_sota(tmp_path / "sota.xlsx", TINY)
    result = write_result(tmp_path / "r.xlsx", TINY,
                          {"Emu": TINY_MODEL, "\uff25mu": TINY_MODEL})
    code, _, err = run_cli(capsys, "score", "--results", result, "--sota", sota)
    assert_one_line_error(code, err, "r.xlsx", "the same name once normalised")


def test_benchmark_itself_checks_its_ids(make_bench):
    rows = [("IC-001", "Acc", "higher", 50.0)]
    with pytest.raises(InputError, match="has no visible character"):
        make_bench(rows, [[1.0]], models=["\u200b"])
    with pytest.raises(InputError, match="differs only by case"):
        make_bench(rows, [[1.0], [2.0]], models=["a", "A"])
    bench = make_bench(rows, [[1.0]], models=["e\u0301"])
    assert bench.models == ("\u00e9",)


def test_parquet_struct_column_is_not_a_name(tmp_path, capsys):
    path = tmp_path / "r.parquet"
    pd.DataFrame({"model": [{"org": "x", "name": "y"}], "task_id": ["IC-001"],
                  "value": [50.0]}).to_parquet(path)
    code, _, err = run_cli(capsys, "score", "--results", path)
    assert_one_line_error(code, err, "r.parquet", "row 1", "column 'model'",
                          "is not a model name")


def test_boolean_model_column_is_not_a_name(tmp_path, capsys):
    path = tmp_path / "r.parquet"
    pd.DataFrame({"model": [True], "task_id": ["IC-001"], "value": [50.0]}).to_parquet(path)
    code, _, err = run_cli(capsys, "score", "--results", path)
    assert_one_line_error(code, err, "r.parquet", "bool", "is not a model name")


def test_two_columns_with_one_name_are_an_error(tmp_path, capsys):
    path = tidy(tmp_path, ["m,IC-001,50,60"], header="model,task_id,value,Value")
    code, _, err = run_cli(capsys, "score", "--results", path)
    assert_one_line_error(code, err, "r.csv", "columns 'value' and 'Value' have the same name")
    path = tidy(tmp_path, ["m,IC-001,50,60"], header="model,task_id,value,value")
    code, _, err = run_cli(capsys, "score", "--results", path)
    assert_one_line_error(code, err, "columns 'value' and 'value' have the same name")


def test_key_folds_what_a_reader_cannot_see():
    assert names.key("A\u00a0 B") == names.key("a b")           # no-break space, two blanks
    assert names.key("\ufb01ne") == names.key("fine")           # ligature fi (NFKC)
    assert names.key("x\u200dy") == names.key("xy")             # zero-width joiner dropped
    assert names.key("Vitron-V1") != names.key("Vitron-V2")


def test_model_option_finds_a_name_in_another_spelling(tmp_path):
    path = tidy(tmp_path, ["Caf\u00e9,IC-001,50", "Other,IC-001,60"])
    bench = load_tidy(path, model="CAFE\u0301")
    assert bench.models == ("Caf\u00e9",)


def test_names_reach_the_benchmark_unchanged_otherwise():
    bench = Benchmark.from_rows([("IC-001", "Acc", "higher", 50.0)], [[1.0]],
                                models=["<b>x</b>|y"])
    assert bench.models == ("<b>x</b>|y",)   # data, not markup: escaping is each medium's job
