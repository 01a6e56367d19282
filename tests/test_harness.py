"""Issue 22: evaluation-harness outputs read through a mapping into the tidy table.

The fixtures in ``tests/fixtures/harness/`` were written for these tests in
the structure each harness writes (see the reader modules' docstrings for the
commit each structure was checked against); no file of those projects is
copied. Expected numbers are the fixture's own numbers with the arithmetic
written out here.
"""

from __future__ import annotations

import dataclasses
import json
import math
import shutil
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from glscore import load_paper, load_source, score
from glscore.cli import main
from glscore.errors import InputError
from glscore.io.harness import detect, harness_table, load_harness
from glscore.io.harness import documents as docs
from glscore.io.loaders import InputWarning
from glscore.io.mapping import HARNESSES

FIXTURES = Path(__file__).parent / "fixtures" / "harness"
MAPPING = FIXTURES / "mapping.csv"
LM_A = FIXTURES / "lm-eval/acme__model-a/results_2025-03-01T10-00-00.000001.json"
LM_B = FIXTURES / "lm-eval/acme__model-b/results_2025-03-02T11-30-00.000002.json"
LMMS = FIXTURES / "lmms-eval/acme__vision-c/20250304_091500_results.json"
STATUS = FIXTURES / "vlmevalkit/VisionD/T20250305-120000/status.json"
ACC_CSV = FIXTURES / "vlmevalkit-csv/VisionE/VisionE_MMBench_DEV_EN_acc.csv"
SUMMARY = FIXTURES / "opencompass/20250306_080000/summary/summary_20250306_080000.csv"
HELM_MMLU = FIXTURES / "helm/runs/v1/mmlu_anatomy_gpt2/stats.json"
HELM_FID = FIXTURES / "helm/runs/v1/mscoco_painter/stats.json"
HEADER = "harness,task,metric,task_id,scale,provenance,se_metric,note\n"


def table(results=(FIXTURES,), mapping=MAPPING, **kwargs) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InputWarning)
        return harness_table([Path(r) for r in results], mapping, **kwargs).frame


def write_mapping(tmp_path: Path, *rows: str, name: str = "map.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def error_of(call, *args, **kwargs) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InputWarning)
        with pytest.raises(InputError) as info:
            call(*args, **kwargs)
    message = str(info.value)
    assert "\n" not in message
    return message


# --------------------------------------------------------------------------- the five formats

def test_five_formats_read_into_one_tidy_table():
    """Every mapped value of the fixtures, scaled, with its standard error and provenance."""
    frame = table().set_index(["model", "task_id"])
    se_helm = 0.44978275283063826 / math.sqrt(135 - 1)  # HELM: stddev / sqrt(count - 1)
    expected = {
        # lm-eval, fraction x100; se = "<metric>_stderr,<filter>" x100
        ("acme/model-a", "NLP-070"): (0.8125 * 100, 0.0123 * 100, "general-bench"),
        ("acme/model-a", "NLP-041"): (0.4102 * 100, 0.0135 * 100, "proxy"),
        ("acme/model-a", "IC-080"): (0.3667 * 100, 0.0880 * 100, "proxy"),  # base name 'acc'
        ("acme/model-b", "NLP-070"): (0.7531 * 100, 0.0144 * 100, "general-bench"),
        ("acme/model-b", "NLP-041"): (0.2274 * 100, 0.0115 * 100, "proxy"),
        # lmms-eval: se_metric names the CLT standard error; ok_vqa is a percent already
        ("acme/vision-c", "IC-070"): (0.4821 * 100, 0.0247 * 100, "general-bench"),
        ("acme/vision-c", "IC-068"): (52.64, 0.6950, "proxy"),
        # VLMEvalKit: status.json and, in another folder, a score CSV; no standard errors
        ("VisionD", "IC-071"): (0.7812 * 100, np.nan, "proxy"),
        ("VisionE", "IC-071"): (0.6931 * 100, np.nan, "proxy"),
        # OpenCompass: two models in one summary, '-' = not supported
        ("model-x", "NLP-041"): (41.20, np.nan, "proxy"),
        ("model-x", "NLP-034"): (52.30, np.nan, "proxy"),
        ("model-y", "NLP-041"): (np.nan, np.nan, "proxy"),
        ("model-y", "NLP-034"): (48.75, np.nan, "proxy"),
        # HELM: mean of the unperturbed test stat; an FID taken raw (count 1: no se)
        ("openai/gpt2", "NLP-023"): (0.2814814814814815 * 100, se_helm * 100, "proxy"),
        ("acme/painter", "IG-001"): (32.5, np.nan, "proxy"),
    }
    assert set(frame.index) == set(expected)
    for key, (value, se, provenance) in expected.items():
        row = frame.loc[key]
        np.testing.assert_equal([row["value"], row["se"]], [value, se], err_msg=str(key))
        assert row["provenance"] == provenance, key
    assert list(table().columns) == ["model", "task_id", "value", "se", "provenance", "source"]


@pytest.mark.parametrize(("path", "name"), [
    (LM_A, "lm-eval"), (LMMS, "lmms-eval"), (STATUS, "vlmevalkit"), (ACC_CSV, "vlmevalkit"),
    (SUMMARY, "opencompass"), (HELM_MMLU, "helm")])
def test_each_format_is_told_from_its_structure(path, name, tmp_path):
    reader, found = detect.detect(path)
    assert name == reader.NAME and found
    # the structure decides, not the file name (an lmms-eval file renamed as lm-eval's)
    if name == "lmms-eval":
        renamed = tmp_path / "results_2025-01-01T00-00-00.json"
        shutil.copy(path, renamed)
        assert detect.detect(renamed)[0].NAME == "lmms-eval"


def test_every_harness_has_a_reader():
    assert set(detect.BY_NAME) == set(HARNESSES)
    assert detect.FORMATS == ("auto",) + HARNESSES


def test_input_format_forces_a_reader():
    reader, found = detect.detect(LMMS, "lm-eval")  # same shape: read as lm-eval
    assert reader.NAME == "lm-eval"
    assert {row[1] for row in found} == {"gb_ic_reasoning", "mme", "ok_vqa_val2014"}
    message = error_of(detect.detect, LM_A, "opencompass")
    assert message.startswith(f"'{LM_A}': not an OpenCompass summary")
    message = error_of(detect.detect, SUMMARY, "helm")
    assert "not a HELM stats.json" in message


def test_an_unknown_structure_is_one_line(tmp_path):
    other = tmp_path / "results_x.json"
    other.write_text('{"scores": {"a": 1}}')
    message = error_of(detect.detect, other)
    assert message.startswith(f"'{other}': not an output of a harness glscore reads")
    assert "--input-format" in message


def test_several_models_in_one_tree_are_several_models():
    frame = table([FIXTURES / "lm-eval"])
    # acme/model-b's file has no model_name: the model comes from config.model_args
    assert list(pd.unique(frame["model"])) == ["acme/model-a", "acme/model-b"]


def test_model_name_falls_back_to_the_folder(tmp_path):
    content = json.loads(LM_B.read_text())
    del content["config"]
    folder = tmp_path / "my-model"
    folder.mkdir()
    (folder / "results_2025.json").write_text(json.dumps(content))
    assert set(table([folder])["model"]) == {"my-model"}


def test_unmapped_harness_tasks_are_one_warning():
    with pytest.warns(InputWarning) as caught:
        harness_table([FIXTURES], MAPPING)
    messages = [str(w.message) for w in caught]
    unmapped = [m for m in messages if "no mapping row" in m]
    assert unmapped == ["4 harness task(s) in the results have no mapping row and are not "
                        "scored: lm-eval:arc_easy, lmms-eval:mme, opencompass:mmlu, "
                        "vlmevalkit:OCRBench"]


def test_unmapped_warning_names_the_first_five(tmp_path):
    rows = {f"t{k}": {"acc,none": 0.5} for k in range(8)}
    rows["gb"] = {"acc,none": 0.5}
    (tmp_path / "results_1.json").write_text(json.dumps({"results": rows, "model_name": "m"}))
    mapping = write_mapping(tmp_path, "lm-eval,gb,acc,IC-001,fraction,general-bench,,")
    with pytest.warns(InputWarning, match=r"^8 harness task\(s\) .*: lm-eval:t0, lm-eval:t1, "
                      r"lm-eval:t2, lm-eval:t3, lm-eval:t4 and 3 more$"):
        harness_table([tmp_path / "results_1.json"], mapping)


def test_a_mapped_task_absent_from_the_results_is_not_supported():
    bench = _bench([LM_A])
    j = list(bench.tasks["task_id"]).index("NLP-001")  # gb_nlp_commonsense: mapped, not run
    assert np.isnan(bench.values[0, j])


@pytest.mark.filterwarnings("ignore:.*no mapping row")
def test_a_model_without_a_mapped_task_is_left_out_with_a_warning(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "results_1.json").write_text(json.dumps(
        {"results": {"gb": {"acc,none": 0.5}}, "model_name": "mapped"}))
    (tmp_path / "b" / "results_1.json").write_text(json.dumps(
        {"results": {"other": {"acc,none": 0.5}}, "model_name": "unmapped"}))
    mapping = write_mapping(tmp_path, "lm-eval,gb,acc,IC-001,fraction,general-bench,,")
    with pytest.warns(InputWarning, match="model 'unmapped' .* has no task the mapping maps"):
        frame = harness_table([tmp_path], mapping).frame
    assert list(frame["model"]) == ["mapped"]


# --------------------------------------------------------------------------- metrics and errors

def test_a_base_name_that_fits_two_keys_is_ambiguous(tmp_path):
    mapping = write_mapping(tmp_path, "lm-eval,gsm8k,exact_match,NLP-041,fraction,proxy,,")
    message = error_of(harness_table, [LM_A], mapping)
    assert message == (f"'{LM_A}': metric 'exact_match' of lm-eval task 'gsm8k' is ambiguous: "
                       "'exact_match,strict-match', 'exact_match,flexible-extract'; write one "
                       f"of them in the mapping ('{mapping}', line 2)")


def test_a_missing_metric_is_an_error_naming_file_task_and_line(tmp_path):
    mapping = write_mapping(tmp_path, "lm-eval,gb_nlp_sentiment,\"f2,none\",NLP-070,fraction,"
                                      "general-bench,,")
    message = error_of(harness_table, [LM_A], mapping)
    assert message == (f"'{LM_A}': lm-eval task 'gb_nlp_sentiment' of model 'acme/model-a' has "
                       f"no metric 'f2,none' ('{mapping}', line 2) (did you mean 'f1,none'?)")


@pytest.mark.parametrize(("row", "value", "what"), [
    ("lmms-eval,ok_vqa_val2014,exact_match,IC-068,fraction,proxy,,", "52.64",
     "outside the fraction scale [0.0, 1.0] (a percentage? use scale percent)"),
    ("lmms-eval,mme,mme_perception_score,IC-068,percent,proxy,,", "1452.87",
     "outside the percent scale [0.0, 100.0]"),
    ("lmms-eval,mme,mme_perception_score,IC-068,raw,proxy,,", "1452.87",
     "outside the raw scale [0.0, 100.0] (the task's metric is a percentage)"),
])
def test_a_value_outside_its_scale_is_one_line(tmp_path, row, value, what):
    mapping = write_mapping(tmp_path, row)
    message = error_of(harness_table, [LMMS], mapping)
    task, metric = row.split(",")[1:3]
    assert message.startswith(f"'{LMMS}', results['{task}']['{metric},none']: {value} is {what}")
    assert message.endswith(f"(lmms-eval task '{task}', metric '{metric},none', model "
                            f"'acme/vision-c'; '{mapping}', line 2)")


def test_a_raw_value_of_a_special_metric_is_taken_as_given():
    bench = _bench([HELM_FID])
    j = list(bench.tasks["task_id"]).index("IG-001")
    assert bench.values[0, j] == 32.5  # FID in its own unit, normalised by the scorer


def test_a_non_numeric_value_names_its_place(tmp_path):
    content = json.loads(LM_A.read_text())
    content["results"]["gb_nlp_sentiment"]["f1,none"] = "81%"
    path = tmp_path / "results_1.json"
    path.write_text(json.dumps(content))
    message = error_of(harness_table, [path], MAPPING)
    assert message == (f"'{path}', results['gb_nlp_sentiment']['f1,none']: '81%' is not a "
                       "number (write 81 without '%') (lm-eval task 'gb_nlp_sentiment', metric "
                       f"'f1,none', model 'acme/model-a'; '{MAPPING}', line 3)")


def test_standard_errors_default_named_and_unknown(tmp_path):
    frame = table([LM_A]).set_index("task_id")
    assert frame.loc["NLP-070", "se"] == 0.0123 * 100  # f1_stderr,none
    # "N/A" is unknown
    mapping = write_mapping(tmp_path, "lm-eval,arc_easy,\"acc_norm,none\",IC-001,fraction,"
                                      "general-bench,,")
    assert np.isnan(table([LM_A], mapping)["se"].iloc[0])
    # se_metric picks another key; one that is not there is an error
    mapping = write_mapping(tmp_path, "lm-eval,arc_easy,\"acc,none\",IC-001,fraction,"
                                      "general-bench,\"acc_norm_stderr,none\",", name="m2.csv")
    assert np.isnan(table([LM_A], mapping)["se"].iloc[0])
    mapping = write_mapping(tmp_path, "lm-eval,arc_easy,\"acc,none\",IC-001,fraction,"
                                      "general-bench,\"acc_sem,none\",", name="m3.csv")
    assert error_of(harness_table, [LM_A], mapping) == (
        f"'{LM_A}': lm-eval task 'arc_easy' of model 'acme/model-a' has no standard error "
        f"'acc_sem,none' (se_metric, '{mapping}', line 2)")


def test_a_negative_standard_error_is_an_error(tmp_path):
    content = json.loads(LM_A.read_text())
    content["results"]["gb_nlp_sentiment"]["f1_stderr,none"] = -0.01
    path = tmp_path / "results_1.json"
    path.write_text(json.dumps(content))
    message = error_of(harness_table, [path], MAPPING)
    assert message.startswith(f"'{path}', standard error: standard error -0.01 is negative "
                              "(lm-eval task 'gb_nlp_sentiment', metric 'f1_stderr,none'")


def test_two_runs_with_different_values_are_an_error(tmp_path):
    for k, value in enumerate((0.8125, 0.8200)):
        content = json.loads(LM_A.read_text())
        content["results"]["gb_nlp_sentiment"]["f1,none"] = value
        (tmp_path / f"results_{k}.json").write_text(json.dumps(content))
    message = error_of(harness_table, [tmp_path], MAPPING)
    assert message == (f"'{tmp_path / 'results_1.json'}': lm-eval task 'gb_nlp_sentiment' metric "
                       "'f1,none' of model 'acme/model-a' is 0.82 here and 0.8125 in "
                       f"'{tmp_path / 'results_0.json'}' (two runs?); pass the one you mean "
                       f"('{MAPPING}', line 3)")


def test_the_same_values_twice_are_read_once(tmp_path):
    shutil.copy(LM_A, tmp_path / "results_0.json")
    shutil.copy(LM_A, tmp_path / "results_1.json")
    assert len(table([tmp_path])) == len(table([LM_A]))


def test_a_status_and_its_score_csv_are_read_once():
    frame = table([FIXTURES / "vlmevalkit"])
    assert len(frame) == 1 and frame["source"].iloc[0].startswith(str(STATUS))


def test_one_task_from_two_harnesses_is_an_error(tmp_path):
    (tmp_path / "summary_1.csv").write_text("dataset,version,metric,mode,acme/model-a\n"
                                            "gsm8k,x,accuracy,gen,41.00\n")
    message = error_of(harness_table, [LM_A, tmp_path / "summary_1.csv"], MAPPING)
    assert message.startswith("model 'acme/model-a' has two values for task NLP-041: ")
    assert message.endswith("(the mapping maps two harness tasks to it)")


def test_one_model_in_two_cases_is_an_error(tmp_path):
    content = json.loads(LM_B.read_text())
    content["model_name"] = "ACME/Model-A"
    (tmp_path / "results_1.json").write_text(json.dumps(content))
    message = error_of(harness_table, [LM_A, tmp_path / "results_1.json"], MAPPING)
    assert "model 'ACME/Model-A' differs only by case from 'acme/model-a'" in message


# --------------------------------------------------------------------------- malformed files

@pytest.mark.parametrize(("name", "text", "expected"), [
    ("results_1.json", "", "file is empty"),
    ("results_1.json", '{"results": {"a": {"acc,none": 0.5}', "line 1, column 36: not valid "
     "JSON (Expecting ',' delimiter)"),
    ("results_1.json", '[1, 2]', "not an output of a harness glscore reads"),
    ("summary_1.csv", "dataset,version,metric,mode,m1\ngsm8k,x,acc,gen,1,2\n",
     "line 2: 6 fields, the header has 5"),
    ("summary_1.csv", "dataset,version,metric,mode\ngsm8k,x,acc,gen\n",
     "line 1: an OpenCompass summary names its models after 'mode'; found []"),
])
def test_malformed_files_are_one_line(tmp_path, name, text, expected):
    path = tmp_path / name
    path.write_text(text)
    assert expected in error_of(harness_table, [path], MAPPING)


def test_a_helm_stats_without_a_model_is_an_error(tmp_path):
    run = tmp_path / "mmlu:subject=anatomy"
    run.mkdir()
    shutil.copy(HELM_MMLU, run / "stats.json")
    message = error_of(harness_table, [run / "stats.json"], MAPPING)
    assert message == (f"'{run / 'stats.json'}': no model: expected a run_spec.json beside it "
                       "(adapter_spec.model) or 'model=' in the run's name")


def test_a_helm_run_name_gives_model_and_task(tmp_path):
    run = tmp_path / "mmlu:subject=anatomy,method=multiple_choice_joint,model=openai_gpt2"
    run.mkdir()
    shutil.copy(HELM_MMLU, run / "stats.json")
    frame = table([tmp_path])
    assert list(frame["model"]) == ["openai_gpt2"] and list(frame["task_id"]) == ["NLP-023"]


def test_a_score_csv_named_for_another_model_is_an_error(tmp_path):
    folder = tmp_path / "VisionF"
    folder.mkdir()
    shutil.copy(ACC_CSV, folder / "VisionE_MMBench_DEV_EN_acc.csv")
    message = error_of(harness_table, [folder], MAPPING)
    assert message.startswith(f"'{folder / 'VisionE_MMBench_DEV_EN_acc.csv'}': cannot tell the "
                              "dataset from the file name")


def test_a_folder_without_results_is_an_error(tmp_path):
    (tmp_path / "notes.txt").write_text("nothing here")
    message = error_of(harness_table, [tmp_path], MAPPING)
    assert message.startswith(f"'{tmp_path}': no harness results found (looked for "
                              "*_results.json, results_*.json,")


def test_a_huge_file_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(docs, "MAX_FILE_BYTES", 100)
    message = error_of(harness_table, [LM_A], MAPPING)
    assert "more than a harness summary (limit 0 MB)" in message


def test_no_row_for_the_results_harness(tmp_path):
    mapping = write_mapping(tmp_path, "helm,mmlu,\"exact_match,test\",NLP-023,fraction,proxy,,")
    message = error_of(harness_table, [LM_A], mapping)
    assert message == (f"'{mapping}': no row for the harness of the results (lm-eval); the "
                       "mapping has rows for ['helm']")


# --------------------------------------------------------------------------- the Benchmark

def _bench(results, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InputWarning)
        return load_harness([Path(r) for r in results], MAPPING, **kwargs)


def test_the_benchmark_carries_se_and_the_proxy_mask():
    bench = _bench([LM_A])
    ids = list(bench.tasks["task_id"])
    j = {t: ids.index(t) for t in ("NLP-070", "NLP-041", "IC-080")}
    assert bench.values[0, j["NLP-070"]] == 0.8125 * 100
    assert bench.se[0, j["NLP-070"]] == 0.0123 * 100
    assert (bench.proxy[0, j["NLP-041"]], bench.proxy[0, j["NLP-070"]]) == (True, False)
    assert np.isnan(bench.se).sum() == bench.se.size - 3


def test_scores_do_not_depend_on_se_or_proxy(paper_bench):
    """The extras ride along: bit-identical records with or without them."""
    rng = np.random.default_rng(0)
    extra = dataclasses.replace(paper_bench, se=rng.uniform(0, 2, paper_bench.values.shape),
                                proxy=rng.uniform(size=paper_bench.values.shape) < 0.3)
    assert score(extra).records() == score(paper_bench).records()
    assert score(extra, "official").records() == score(paper_bench, "official").records()
    bench = _bench([FIXTURES])
    bare = dataclasses.replace(bench, se=None, proxy=None)
    assert score(bench).records() == score(bare).records()


@pytest.mark.filterwarnings("ignore:.*no mapping row")
def test_no_proxy_leaves_proxy_values_out():
    with pytest.warns(InputWarning, match=r"--no-proxy: 2 proxy value\(s\) left out, on "
                      r"task\(s\) IC-080, NLP-041"):
        bench = load_source(LM_A, mapping=MAPPING, no_proxy=True)
    assert np.isfinite(bench.values).sum() == 1 and not bench.proxy.any()


def test_harness_models_join_the_paper_models(paper_bench):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InputWarning)
        bench = load_source(LM_A, mapping=MAPPING, with_paper=True)
    assert bench.models[0] == "acme/model-a" and len(bench) == len(paper_bench) + 1
    assert bench.proxy[0].sum() == 2 and not bench.proxy[1:].any()
    assert np.isnan(bench.se[1:]).all()
    assert score(bench).record(1) == score(paper_bench).record(0)


# --------------------------------------------------------------------------- command line

def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_records_list_their_proxy_tasks(capsys):
    code, out, err = run(capsys, "score", "--results", FIXTURES / "lm-eval", "--mapping",
                         MAPPING, "--json")
    assert code == 0
    records = {r["model"]: r for r in json.loads(out)}
    assert records["acme/model-a"]["proxy_tasks"] == ["IC-080", "NLP-041"]
    assert records["acme/model-b"]["proxy_tasks"] == ["NLP-041"]
    assert {r["origin"] for r in records.values()} == {"input"}
    assert err.count("glscore: warning:") >= 1 and "lm-eval:arc_easy" in err


def test_the_text_table_marks_proxy_values(capsys):
    code, out, _ = run(capsys, "score", "--results", LM_A, "--mapping", MAPPING)
    assert code == 0
    columns, row = out.splitlines()[1], out.splitlines()[3]
    assert columns.split()[0] == "proxy" and row.split()[1] == "2"
    assert out.rstrip().endswith("--no-proxy leaves them out)")
    code, out, _ = run(capsys, "score", "--results", LM_A, "--mapping", MAPPING, "--no-proxy")
    assert "proxy" not in out


def test_board_rows_carry_a_proxy_count(capsys):
    code, out, _ = run(capsys, "leaderboard", "--scope", "A", "--results", FIXTURES / "lm-eval",
                       "--mapping", MAPPING, "--format", "json")
    rows = {r["model"]: r for r in json.loads(out)["rows"]}
    assert (rows["acme/model-a"]["proxy"], rows["acme/model-b"]["proxy"]) == (2, 1)
    code, out, _ = run(capsys, "leaderboard", "--scope", "C", "--board", "Image-comprehension",
                       "--results", FIXTURES / "lm-eval", "--mapping", MAPPING)
    assert "| origin |" in out and "| proxy |" in out and out.rstrip().endswith("--no-proxy leaves them out)")
    code, out, _ = run(capsys, "leaderboard", "--scope", "A", "--format", "csv")
    assert code == 0 and "proxy" not in out.splitlines()[0]  # the paper data: no column


def test_explain_says_which_values_are_proxies(capsys):
    code, out, _ = run(capsys, "explain", "acme/model-a", "--results", LM_A, "--mapping",
                       MAPPING, "--json")
    assert json.loads(out)["proxy_tasks"] == ["IC-080", "NLP-041"]
    code, out, _ = run(capsys, "explain", "acme/model-a", "--results", LM_A, "--mapping", MAPPING)
    assert ("**Proxy values:** 2 task(s) are scored from upstream datasets standing in for "
            "General-Bench's (`IC-080`, `NLP-041`)") in out
    code, out, _ = run(capsys, "explain", "Vitron-V1", "--json")
    assert code == 0 and json.loads(out)["proxy_tasks"] == []


@pytest.mark.parametrize(("argv", "message"), [
    (["score", "--results", LM_A], f"'{LM_A}': evaluation-harness output: pass --mapping "
     "MAP.csv (glscore mapping --template writes one)"),
    (["score", "--results", FIXTURES], f"'{FIXTURES}': evaluation-harness output"),
    (["score", "--results", LM_A, "--mapping", MAPPING, "--scale", "fraction"],
     "--scale fraction does not apply to harness outputs: each mapping row states its value's "
     "scale"),
    (["score", "--results", "examples/emu2-37b.csv", "--input-format", "helm"],
     "--input-format helm reads evaluation-harness outputs: pass --mapping MAP.csv"),
    (["score", "--mapping", MAPPING], "--mapping reads evaluation-harness outputs: pass them "
     "with --results"),
])
def test_harness_options_misused_are_one_line_exit_2(capsys, argv, message):
    code, _, err = run(capsys, *argv)
    assert code == 2
    line = err.strip().splitlines()[-1]
    assert line.startswith("glscore: error: ") and message in line


def test_bad_input_format_choice_exits_2(capsys):
    with pytest.raises(SystemExit) as info:
        main(["score", "--results", str(LM_A), "--mapping", str(MAPPING), "--input-format", "x"])
    assert info.value.code == 2


def test_the_inputs_are_not_modified(tmp_path):
    copy = tmp_path / "tree"
    shutil.copytree(FIXTURES, copy)
    before = {p: p.read_bytes() for p in copy.rglob("*") if p.is_file()}
    assert main(["score", "--results", str(copy), "--mapping", str(copy / "mapping.csv"),
                 "--json"]) == 0
    assert {p: p.read_bytes() for p in copy.rglob("*") if p.is_file()} == before


def test_paper_records_are_unchanged_by_the_harness_options(paper_bench, capsys):
    code, out, _ = run(capsys, "score", "--json", "--model", "Emu2-37B")
    assert code == 0
    record = json.loads(out)
    expected = score(paper_bench).record(paper_bench.models.index("emu2-37b"))
    assert {k: record[k] for k in expected} == expected and record["proxy_tasks"] == []
    assert load_paper().proxy is None and load_paper().se is None


def test_the_benchmark_validates_se_and_proxy(make_bench):
    bench = make_bench([("IC-001", "Acc", "higher", 50.0), ("IC-002", "Acc", "higher", 40.0)],
                       [[60.0, 30.0], [10.0, np.nan]], models=["a", "b"])
    ok = dataclasses.replace(bench, se=[[1.0, np.nan], [0.0, np.nan]],
                             proxy=np.array([[True, False], [False, True]]))
    assert not ok.se.flags.writeable and not ok.proxy.flags.writeable
    assert ok.proxy_cells().tolist() == [[True, False], [False, False]]  # NaN value: no proxy
    picked = ok.select_models(["b"]).select_tasks(np.array([True, False]))
    assert (picked.se.tolist(), picked.proxy.tolist()) == ([[0.0]], [[False]])
    for se, expected in (([[1.0, -1.0], [0, 0]], "standard error -1.0 (model 1, task 2) is not"),
                         ([[np.inf, 0], [0, 0]], "standard error inf (model 1, task 1) is not"),
                         ([[1.0, 2.0]], "standard errors have shape (1, 2), expected (2, 2)")):
        with pytest.raises(InputError, match=expected.replace("(", r"\(").replace(")", r"\)")):
            dataclasses.replace(bench, se=se)
    with pytest.raises(InputError, match="the proxy mask must be a boolean matrix"):
        dataclasses.replace(bench, proxy=[[1, 0], [0, 1]])
