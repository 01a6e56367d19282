"""Values in the wrong unit are refused, not scored: each metric's domain, the
tasks table's direction, and wins that never exceed supported tasks."""

import numpy as np
import pytest

from glscore import load_paper, score
from glscore.core import metrics
from glscore.errors import InputError
from tests.test_bad_input import assert_one_line_error, run_cli
from tests.workbooks import TINY, TINY_MODEL, write_result, write_sota

# The domains as the metrics' definitions give them, written out here on their own.
LOWER_IS_BETTER = {"MAE", "RMS", "MSE", "RMSE", "ABSREL", "EPE", "FID", "FVD", "FAD", "SAD",
                   "RTE", "CD", "MCD"}


def test_every_sota_and_value_of_the_paper_data_lies_in_its_domain():
    bench = load_paper()
    names = [" ".join(str(m).split("(")[0].split()).upper() for m in bench.tasks["metric"]]
    x = np.vstack([bench.values, bench.sota[None, :]])
    for j, name in enumerate(names):
        column = x[:, j][np.isfinite(x[:, j])]
        if name in LOWER_IS_BETTER or name == "PSNR":
            assert (column >= 0).all(), name          # an error, a distance, decibels
        elif name == "MS-SSIM":
            assert ((column >= -1) & (column <= 1)).all()
        elif name == "MOS":
            assert ((column >= 1) & (column <= 5)).all()
        else:                                         # WER in percent and every plain score
            assert ((column >= 0) & (column <= 100)).all(), name
    # the registry agrees: no cell of data/ is outside its metric's domain
    assert metrics.first_outside(x, bench.tasks["metric"].tolist()) is None


def test_the_paper_tasks_table_gives_the_metric_direction():
    tasks = load_paper().tasks
    # NLP-061 is RMSE printed among higher-is-better metrics: scored lower, print kept
    row = tasks.set_index("task_id").loc["NLP-061"]
    assert (row["metric"], row["direction"], row["direction_printed"]) == (
        "RMSE", "lower", "higher")
    assert (tasks["direction"] != tasks["direction_printed"]).sum() == 1


def tidy(tmp_path, rows):
    path = tmp_path / "r.csv"
    path.write_text("model,task_id,value\n" + "\n".join(rows) + "\n")
    return path


def test_ms_ssim_in_percent(tmp_path, capsys):
    tasks = load_paper().tasks
    task = tasks.loc[tasks["metric"] == "MS-SSIM", "task_id"].iloc[0]
    code, _, err = run_cli(capsys, "score", "--results", tidy(tmp_path, [f"m,{task},95"]))
    assert_one_line_error(code, err, "r.csv", "line 2", "column 'value'", f"task {task}",
                          "MS-SSIM value 95.0 is outside its domain -1 to 1",
                          "did you write percent? (write 0.95 for 95%)")


def test_mos_on_0_100(tmp_path, capsys):
    sheets = {**TINY, "Image-Generation": [("t2i", "MOS", 3.5)]}
    sota = write_sota(tmp_path / "sota.xlsx", sheets)
    result = write_result(tmp_path / "r.xlsx", sheets,
                          {"ModelA": {**TINY_MODEL, "Image-Generation": [75.0]}})
    code, _, err = run_cli(capsys, "score", "--results", result, "--sota", sota)
    assert_one_line_error(code, err, "r.xlsx", "sheet 'Image-Generation'", "row 2",
                          "column 'ModelA' (E)", "MOS value 75.0 is outside its domain 1 to 5",
                          "did you write a 0-100 or 0-10 rating?")


@pytest.mark.parametrize("value", ["250", "-30", "1e5", "100.01"])
def test_accuracy_outside_0_100(tmp_path, capsys, value):
    code, _, err = run_cli(capsys, "score", "--results", tidy(tmp_path, [f"m,IC-001,{value}"]))
    assert_one_line_error(code, err, "line 2", "task IC-001", "outside its domain 0 to 100")


def test_accuracy_at_its_bounds_is_scored(tmp_path, capsys):
    code, _, err = run_cli(capsys, "score", "--json", "--scale", "percent",
                           "--results", tidy(tmp_path, ["m,IC-001,100", "m,IC-002,0"]))
    assert code == 0, err


def test_sota_table_with_a_0_1_metric_in_percent(tmp_path, capsys):
    sheets = {**TINY, "Image-Generation": [("t2i", "MS-SSIM", 54.0)]}
    sota = write_sota(tmp_path / "sota.xlsx", sheets)
    result = write_result(tmp_path / "r.xlsx", sheets,
                          {"ModelA": {**TINY_MODEL, "Image-Generation": [0.6]}})
    code, _, err = run_cli(capsys, "score", "--results", result, "--sota", sota)
    assert_one_line_error(code, err, "sota.xlsx", "sheet 'Image-Generation'", "row 2",
                          "column 'SoTA Performance'", "SoTA", "MS-SSIM value 54.0")


def tasks_csv(tmp_path, direction):
    path = tmp_path / "tasks.csv"
    path.write_text("task_id,modality,paradigm,metric,direction,sota\n"
                    "IC-001,Image,comprehension,Acc,higher,50\n"
                    f"IG-001,Image,generation,FID,{direction},25\n"
                    "NLP-001,NLP,nlp,Acc,higher,70\n")
    return path


def test_tasks_table_saying_higher_for_fid(tmp_path, capsys):
    results = tidy(tmp_path, ["m,IC-001,60", "m,IG-001,20", "m,NLP-001,80"])
    code, _, err = run_cli(capsys, "score", "--results", results,
                           "--sota", tasks_csv(tmp_path, "higher"))
    assert_one_line_error(code, err, "tasks.csv", "line 3", "column 'direction'",
                          "'higher' disagrees with the metric 'FID'", "lower-is-better")
    # the same table with the metric's direction, or none, scores
    for direction in ("lower", ""):
        code, _, err = run_cli(capsys, "score", "--results", results, "--json",
                               "--sota", tasks_csv(tmp_path, direction))
        assert code == 0, err


def test_direction_is_checked_for_benchmarks_built_in_python(make_bench):
    bench = make_bench([("IG-001", "FID", "higher", 25.0), ("IC-001", "Acc", "higher", 5.0)],
                       [[20.0, 10.0]])
    with pytest.raises(InputError, match="direction 'higher' disagrees with the metric: FID "
                                         "is lower-is-better"):
        score(bench)


def test_values_are_checked_for_benchmarks_built_in_python(make_bench):
    bench = make_bench([("IG-001", "MS-SSIM", "higher", 0.5)], [[95.0]])
    with pytest.raises(InputError, match=r"model 'm0': MS-SSIM value 95\.0 is outside"):
        score(bench)


def test_wer_in_fractions_needs_a_scale(tmp_path, capsys):
    tasks = load_paper().tasks
    wer = tasks.loc[tasks["metric"] == "WER", "task_id"].tolist()[:3]
    rows = [f"m,{t},0.2" for t in wer]
    code, _, err = run_cli(capsys, "score", "--results", tidy(tmp_path, rows))
    assert_one_line_error(code, err, "within 0-1", "--scale fraction")
    code, _, err = run_cli(capsys, "score", "--json", "--scale", "fraction",
                           "--results", tidy(tmp_path, rows))
    assert code == 0, err


def test_official_wins_never_exceed_supported_and_the_zero_filled_cells_are_counted():
    bench = load_paper()
    s = score(bench, "official")
    assert (s.wins_m <= s.supported_m).all() and (s.nlp_wins <= s.nlp_supported).all()
    # what official fills: a missing value of a metric its exact matching maps, outside NLP
    # (the registry's names, upper-cased), and the model's value of its first NLP RMSE task
    exact = {"MAE", "RMS", "MSE", "RMSE", "ABSREL", "EPE", "FID", "FVD", "FAD", "SAD", "RTE",
             "CD", "MCD", "PSNR", "WER", "MS-SSIM", "MOS"}
    upper = bench.tasks["metric"].str.upper()
    nlp = (bench.tasks["paradigm"] == "nlp").to_numpy()
    mapped = upper.isin(exact).to_numpy() & ~nlp
    rmse = np.flatnonzero(nlp & (upper == "RMSE").to_numpy())[0]
    missing = np.isnan(bench.values)
    zero = bench.values == 0
    assert s.filled_m.sum() == (missing | zero)[:, mapped].sum()
    assert s.nlp_filled.sum() == missing[:, rmse].sum()
    assert s.filled_m.sum() + s.nlp_filled.sum() == 8055     # notebook 03's count
    # under paper nothing is filled
    assert score(bench, "paper").filled_m.sum() == 0


def test_the_score_table_says_what_official_does_with_missing_cells(capsys):
    code, out, _ = run_cli(capsys, "score", "--profile", "official")
    assert code == 0
    assert "8,055 missing or zero values of mapped metrics are scored 0.0" in out
    assert "neither supported nor wins" in out
