"""Issue 22: ``glscore export`` to the official layout and to a tidy table, round trips."""

from __future__ import annotations

import json
import shutil
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from glscore import load_paper, load_source, paths, score
from glscore.cli import main
from glscore.io import export
from glscore.io.loaders import InputWarning, load_tidy, load_workbooks

FIXTURES = Path(__file__).parent / "fixtures" / "harness"
MAPPING = FIXTURES / "mapping.csv"
EXAMPLE_CSV = paths.REPO_ROOT / "examples" / "emu2-37b.csv"


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def records(capsys, *argv) -> list[dict]:
    code, out, err = run(capsys, "score", "--json", *argv)
    assert code == 0, err
    found = json.loads(out)
    return found if isinstance(found, list) else [found]


def quiet_source(*args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InputWarning)
        return load_source(*args, **kwargs)


# --------------------------------------------------------------------------- workbook

def test_workbook_round_trip_gives_identical_records(tmp_path, capsys):
    """Harness outputs -> official workbook -> glscore's workbook loader: same records."""
    out = tmp_path / "all_result.xlsx"
    code, _, err = run(capsys, "export", "--results", FIXTURES, "--mapping", MAPPING,
                       "--no-proxy", "--to", "workbook", out)
    assert code == 0, err
    direct = records(capsys, "--results", FIXTURES, "--mapping", MAPPING, "--no-proxy")
    back = records(capsys, "--results", out)
    # --no-proxy leaves models with nothing; the export leaves them out (a warning says so)
    kept = [r for r in direct if r["coverage"] > 0]
    assert [r["model"] for r in back] == [r["model"] for r in kept] == [
        "acme/model-a", "acme/model-b", "acme/vision-c"]
    for a, b in zip(kept, back, strict=True):
        assert a == b
    # general-bench values with a standard error: NLP-070 of model-a and model-b, IC-070
    assert "not exported" in err and "no place for standard errors: 3 left out" in err


def test_exported_workbook_is_read_by_the_workbook_loader_value_for_value(tmp_path, capsys):
    out = exported_example(tmp_path, capsys)
    mine, theirs = load_workbooks(None, [out]), load_tidy(EXAMPLE_CSV)
    np.testing.assert_array_equal(mine.values, theirs.values)  # NaN where not supported
    assert mine.models == theirs.models == ("Emu2-37B",)
    assert score(mine).records() == score(theirs).records()


def test_the_workbook_has_the_official_layout(tmp_path, capsys):
    import openpyxl

    book = openpyxl.load_workbook(exported_example(tmp_path, capsys))
    assert book.sheetnames == ["NLP", "Image-Comprehension", "Image-Generation",
                               "Video-Comprehension", "Video-Generation", "Audio-Comprehension",
                               "Audio-Generation", "3D-Comprehension", "3D-Generation"]
    tasks = pd.read_csv(paths.TASKS_CSV, keep_default_na=False)
    for sheet in book.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0] == ("No", "Task Name", "Task Short Name", "Metrics", "Emu2-37B")
        part = tasks[tasks["sheet"] == sheet.title]
        assert [r[1] for r in rows[1:]] == part["task_name"].tolist()
        assert [r[3] for r in rows[1:]] == part["metric"].tolist()
        assert [r[0] for r in rows[1:]] == part["sheet_row"].tolist()


def official_file(name: str) -> Path:
    """A file of the official scorer (never committed), or skip with the reason."""
    path = paths.official_dir() / name
    if not path.is_file():
        pytest.skip(f"official {name} not found in {paths.official_dir()}")
    return path


def exported_example(tmp_path: Path, capsys) -> Path:
    out = tmp_path / "emu2.xlsx"
    assert run(capsys, "export", "--results", EXAMPLE_CSV, "--to", "workbook", out)[0] == 0
    return out


def test_the_workbook_matches_the_official_template(tmp_path, capsys):
    import openpyxl

    template = official_file("template_result.xlsx")
    out = exported_example(tmp_path, capsys)
    mine, official = openpyxl.load_workbook(out), openpyxl.load_workbook(template)
    assert mine.sheetnames == official.sheetnames
    for name in official.sheetnames:
        a = list(mine[name].iter_rows(values_only=True))
        b = list(official[name].iter_rows(values_only=True))
        assert a[0][:4] == b[0][:4] and len(a) == len(b)
        # task names and metrics row by row (the reference aligns rows by position)
        assert [(str(r[1]).strip(), r[3]) for r in a[1:]] == [
            (str(r[1]).strip(), r[3]) for r in b[1:]]


def test_the_official_sota_scores_the_export_like_the_input(tmp_path, capsys):
    sota = official_file("sota_result.xlsx")
    out = exported_example(tmp_path, capsys)
    direct = records(capsys, "--results", EXAMPLE_CSV, "--sota", sota, "--profile", "official")
    back = records(capsys, "--results", out, "--sota", sota, "--profile", "official")
    assert direct == back


def test_proxy_values_need_a_decision_for_the_workbook(tmp_path, capsys):
    out = tmp_path / "r.xlsx"
    code, _, err = run(capsys, "export", "--results", FIXTURES / "lm-eval", "--mapping", MAPPING,
                       "--to", "workbook", out)
    assert code == 2 and not out.exists()
    assert ("glscore: error: 3 value(s) are proxies, which the official layout cannot mark: pass "
            "--no-proxy to leave them out, or --keep-proxy") in err
    code, _, err = run(capsys, "export", "--results", FIXTURES / "lm-eval", "--mapping", MAPPING,
                       "--to", "workbook", out, "--keep-proxy")
    assert code == 0 and "--keep-proxy: 3 proxy value(s) written as plain values" in err
    kept = records(capsys, "--results", FIXTURES / "lm-eval", "--mapping", MAPPING)
    back = records(capsys, "--results", out)
    proxies = {"acme/model-a": ["IC-080", "NLP-041"], "acme/model-b": ["NLP-041"]}
    for a, b in zip(kept, back, strict=True):
        assert a.pop("proxy_tasks") == proxies[a["model"]] and b.pop("proxy_tasks") == []
        assert a == b  # the same values, no longer marked


# --------------------------------------------------------------------------- tidy

@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_tidy_round_trip_keeps_values_se_and_provenance(tmp_path, capsys, suffix):
    out = tmp_path / f"all{suffix}"
    code, _, err = run(capsys, "export", "--results", FIXTURES, "--mapping", MAPPING, "--to",
                       "tidy", out)
    assert code == 0, err
    direct = quiet_source(FIXTURES, mapping=MAPPING)
    back = load_source(out)
    assert back.models == direct.models
    np.testing.assert_array_equal(back.values, direct.values)
    np.testing.assert_array_equal(back.se, direct.se)
    np.testing.assert_array_equal(back.proxy_cells(), direct.proxy_cells())
    assert records(capsys, "--results", out) == records(
        capsys, "--results", FIXTURES, "--mapping", MAPPING)


def test_tidy_export_names_the_source_of_every_value(tmp_path, capsys):
    out = tmp_path / "lm.csv"
    run(capsys, "export", "--results", FIXTURES / "lm-eval", "--mapping", MAPPING, "--to", "tidy",
        out)
    frame = pd.read_csv(out, keep_default_na=False)
    assert list(frame.columns) == list(export.TIDY_COLUMNS)
    row = frame.loc[(frame["model"] == "acme/model-a") & (frame["task_id"] == "NLP-070")].iloc[0]
    assert row["source"].endswith("results_2025-03-01T10-00-00.000001.json: "
                                  "results['gb_nlp_sentiment']['f1,none']")
    assert (row["value"], row["se"], row["provenance"]) == (0.8125 * 100, 0.0123 * 100,
                                                            "general-bench")


def test_exports_are_byte_for_byte_deterministic(tmp_path, capsys):
    for name in ("a", "b"):
        run(capsys, "export", "--results", EXAMPLE_CSV, "--to", "workbook", tmp_path / f"{name}.xlsx")
        run(capsys, "export", "--results", FIXTURES, "--mapping", MAPPING, "--to", "tidy",
            tmp_path / f"{name}.csv")
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


def test_tidy_se_and_provenance_columns_are_read(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("model,task_id,value,se,provenance\n"
                    "m,IC-001,0.5,0.01,proxy\nm,IC-002,0.6,N/A,\nm,IC-003,0.7,,General-Bench\n")
    bench = load_source(path, scale="fraction")
    np.testing.assert_array_equal(bench.values[0, :3], [0.5 * 100, 0.6 * 100, 0.7 * 100])
    np.testing.assert_array_equal(bench.se[0, :3], [0.01 * 100, np.nan, np.nan])
    assert bench.proxy[0, :3].tolist() == [True, False, False]


@pytest.mark.parametrize(("line", "expected"), [
    ("m,IC-001,50,-1,", "line 2, column 'se': standard error -1.0 is negative"),
    ("m,IC-001,50,abc,", "line 2, column 'se': 'abc' is not a number"),
    ("m,IC-001,50,1,upstream", "line 2, column 'provenance': unknown provenance 'upstream'"),
])
def test_tidy_se_and_provenance_errors(tmp_path, capsys, line, expected):
    path = tmp_path / "r.csv"
    path.write_text("model,task_id,value,se,provenance\n" + line + "\n")
    code, _, err = run(capsys, "score", "--results", path)
    assert code == 2 and err.startswith(f"glscore: error: '{path}', {expected}")


# --------------------------------------------------------------------------- refusals

@pytest.mark.parametrize(("argv", "expected"), [
    (["--to", "workbook", "OUT.csv"], "a workbook export is written as .xlsx, not '.csv'"),
    (["--to", "sheet", "OUT.xlsx"], "--to sheet: choose one of ['workbook', 'tidy']"),
    (["--to", "tidy", "OUT.xlsx"], "a tidy export is written as .csv or .parquet"),
])
def test_export_targets_are_checked(tmp_path, capsys, argv, expected):
    argv = [a.replace("OUT", str(tmp_path / "out")) for a in argv]
    code, _, err = run(capsys, "export", "--results", EXAMPLE_CSV, *argv)
    assert code == 2 and expected in err and not list(tmp_path.iterdir())


def test_export_never_writes_over_an_input(tmp_path, capsys):
    mapping = tmp_path / "mapping.csv"
    shutil.copy(MAPPING, mapping)
    before = mapping.read_bytes()
    code, _, err = run(capsys, "export", "--results", FIXTURES / "lm-eval", "--mapping", mapping,
                       "--to", "tidy", mapping)
    assert code == 2 and "is an input" in err and mapping.read_bytes() == before
    tidy = tmp_path / "r.csv"
    shutil.copy(EXAMPLE_CSV, tidy)
    code, _, err = run(capsys, "export", "--results", tidy, "--to", "tidy", tidy)
    assert code == 2 and tidy.read_bytes() == EXAMPLE_CSV.read_bytes()


def test_export_needs_results(capsys, tmp_path):
    code, _, err = run(capsys, "export", "--to", "tidy", tmp_path / "x.csv")
    assert code == 2 and "glscore export needs --results" in err


def test_paper_models_are_not_touched_by_a_tidy_export(tmp_path, capsys):
    """A published model exported and read back scores as the paper data does."""
    out = tmp_path / "emu2.csv"
    run(capsys, "export", "--results", EXAMPLE_CSV, "--to", "tidy", out)
    bench = load_paper()
    paper = score(bench).record(bench.models.index("emu2-37b"))
    mine = score(load_source(out)).record(0)
    assert {k: mine[k] for k in ("level", "scores", "modalities", "nlp")} == {
        k: paper[k] for k in ("level", "scores", "modalities", "nlp")}


def test_a_name_that_looks_like_a_formula_stays_text_in_the_workbook(tmp_path, capsys):
    """openpyxl writes a string starting with '=' as a formula: a model named
    =HYPERLINK(...) would be a live link in the exported workbook. It is text,
    and reads back as the same name."""
    import openpyxl

    name = '=HYPERLINK("http://example.invalid","x")'
    results = tmp_path / "r.csv"
    pd.DataFrame({"model": [name, "plain"], "task_id": ["IC-001", "IC-001"],
                  "value": [50.0, 40.0]}).to_csv(results, index=False)
    out = tmp_path / "out.xlsx"
    assert main(["export", "--results", str(results), "--to", "workbook", str(out)]) == 0
    header = openpyxl.load_workbook(out)["Image-Comprehension"][1]
    cell = next(c for c in header if c.value == name)
    assert cell.data_type == "s"
    assert load_workbooks(None, [out]).models[0] == name
