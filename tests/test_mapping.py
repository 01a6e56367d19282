"""Issue 22: the mapping file, ``glscore mapping --template`` and ``--check``."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest

from glscore import paths
from glscore.cli import main
from glscore.errors import InputError
from glscore.io.mapping import (
    INFO_COLUMNS,
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    VERSION_LINE,
    read_mapping,
    template,
)

FIXTURE = Path(__file__).parent / "fixtures" / "harness" / "mapping.csv"
HEADER = "harness,task,metric,task_id,scale,provenance,se_metric,note\n"


def write(tmp_path: Path, text: str, name: str = "map.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def message(path: Path) -> str:
    with pytest.raises(InputError) as info:
        read_mapping(path)
    assert "\n" not in str(info.value)
    return str(info.value)


# --------------------------------------------------------------------------- template

def test_the_template_has_every_task_and_empty_harness_columns():
    text = template()
    first, rest = text.split("\n", 1)
    assert first == VERSION_LINE == "# glscore-mapping 1"
    rows = list(csv.DictReader(io.StringIO(rest)))
    tasks = pd.read_csv(paths.TASKS_CSV, keep_default_na=False)
    assert len(rows) == len(tasks) == 699
    assert list(rows[0]) == list(REQUIRED_COLUMNS + OPTIONAL_COLUMNS + INFO_COLUMNS)
    assert [r["task_id"] for r in rows] == tasks["task_id"].tolist()
    assert [r["task_metric"] for r in rows] == tasks["metric"].tolist()
    assert [r["direction"] for r in rows] == tasks["direction"].tolist()
    assert [r["sheet"] for r in rows] == tasks["sheet"].tolist()
    assert all(r[c] == "" for r in rows for c in ("harness", "task", "metric", "scale",
                                                  "provenance", "se_metric", "note"))


def test_an_unfilled_template_is_refused_and_one_filled_row_is_read(tmp_path):
    path = write(tmp_path, template())
    assert message(path) == (f"'{path}': no row is filled in (each needs harness, task, metric, "
                             "scale and provenance)")
    lines = template().splitlines()
    k = next(i for i, line in enumerate(lines) if ",IC-070," in line)
    lines[k] = "lm-eval,my_task,\"acc,none\"" + lines[k][2:].replace(",,,", ",fraction,proxy,",
                                                                         1)
    path = write(tmp_path, "\n".join(lines) + "\n", "filled.csv")
    mapping = read_mapping(path)
    assert mapping.rows[["harness", "task", "metric", "task_id", "scale", "provenance",
                         "line"]].values.tolist() == [
        ["lm-eval", "my_task", "acc,none", "IC-070", "fraction", "proxy", k + 1]]


def test_template_cli_writes_where_asked(tmp_path, capsys):
    assert main(["mapping", "--template"]) == 0
    assert capsys.readouterr().out == template()
    out = tmp_path / "sub" / "my_mapping.csv"
    assert main(["mapping", "--template", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == template()
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["my_mapping.csv", "sub"]


# --------------------------------------------------------------------------- check

def test_check_counts_what_the_mapping_maps(capsys):
    rows = list(csv.DictReader(io.StringIO(FIXTURE.read_text().split("\n", 1)[1])))
    harnesses = pd.Series([r["harness"] for r in rows]).value_counts().sort_index()
    proxies = sum(r["provenance"] == "proxy" for r in rows)
    targets = {r["task_id"] for r in rows}
    assert main(["mapping", "--check", str(FIXTURE)]) == 0
    out = capsys.readouterr().out.strip()
    assert out == (f"'{FIXTURE}': mapping format 1, valid: {len(rows)} row(s) ("
                   + ", ".join(f"{h} {n}" for h, n in harnesses.items())
                   + f"; {len(rows) - proxies} general-bench, {proxies} proxy) for "
                   f"{len(targets)} General-Bench task(s) (Image-Comprehension 4, "
                   f"Image-Generation 1, NLP 6); {699 - len(targets)} task(s) unmapped.")
    assert main(["mapping", "--check", str(FIXTURE), "--json"]) == 0
    import json
    summary = json.loads(capsys.readouterr().out)
    assert summary["rows"] == len(rows) == 11 and summary["tasks"] == len(targets) == 10


@pytest.mark.parametrize(("text", "expected"), [
    ("harness,task,metric,task_id,scale\nlm-eval,a,acc,IC-001,fraction\n",
     "missing column(s) ['provenance'] of a mapping"),
    (HEADER.replace("se_metric", "se_metrc") + "lm-eval,a,acc,IC-001,fraction,proxy,,\n",
     "unknown column 'se_metrc' in a mapping; expected ['harness', 'task', 'metric', 'task_id', "
     "'scale', 'provenance', 'se_metric', 'note'] (and the template's ['sheet', 'task_name', "
     "'task_metric', 'direction']) (did you mean 'se_metric'?)"),
    (HEADER + "lm-eval,a,,IC-001,fraction,proxy,,\n",
     "line 2, column 'metric': empty; a mapping row needs"),
    (HEADER + "lm-evl,a,acc,IC-001,fraction,proxy,,\n",
     "line 2, column 'harness': unknown harness 'lm-evl'; expected one of ['lm-eval', "
     "'lmms-eval', 'vlmevalkit', 'opencompass', 'helm'] (did you mean 'lm-eval'?)"),
    (HEADER + "lm-eval,a,acc,IC-999,fraction,proxy,,\n",
     "line 2, column 'task_id': unknown General-Bench task 'IC-999'"),
    (HEADER + "lm-eval,a,acc,IC-001,fractions,proxy,,\n",
     "line 2, column 'scale': unknown scale 'fractions'; expected one of ['fraction', 'percent', "
     "'raw'] (did you mean 'fraction'?)"),
    (HEADER + "lm-eval,a,acc,IC-001,fraction,upstream,,\n",
     "line 2, column 'provenance': unknown provenance 'upstream'; expected one of "
     "['general-bench', 'proxy']"),
    (HEADER + "lm-eval,a,acc,IC-001,fraction,proxy,,\nlm-eval,a,acc,IC-002,fraction,proxy,,\n",
     "line 3: harness task 'a' metric 'acc' is mapped twice (lines 2 and 3)"),
    (HEADER + "lm-eval,a,acc,IC-001,fraction,proxy,,\nlm-eval,b,acc,IC-001,fraction,proxy,,\n",
     "line 3: duplicate target: lm-eval maps two rows to task IC-001 (lines 2 and 3)"),
    (HEADER + "helm,mscoco,fid,IG-001,fraction,proxy,,\n",
     "line 2, column 'scale': scale 'fraction' conflicts with task IG-001's metric 'FID', which "
     "is not a percentage: use scale raw (the metric's own unit)"),
    (HEADER + "lm-eval,a,acc,IC-001,fraction,proxy,acc,\n",
     "line 2, column 'se_metric': se_metric is the metric itself ('acc')"),
    ("# glscore-mapping 2\n" + HEADER + "lm-eval,a,acc,IC-001,fraction,proxy,,\n",
     "line 1: mapping format version 2; this glscore reads version 1"),
    ("# glscore-mapping one\n" + HEADER, "line 1: mapping version 'one' is not a whole number"),
])
def test_each_mapping_error_is_one_line_naming_the_place(tmp_path, text, expected):
    path = write(tmp_path, text)
    assert expected in message(path)
    assert message(path).startswith(f"'{path}'")


def test_line_numbers_count_the_version_line(tmp_path):
    path = write(tmp_path, VERSION_LINE + "\n" + HEADER + "lm-eval,a,acc,IC-001,fraction,proxy,,"
                 "\n\nlm-eval,b,acc,IC-404,fraction,proxy,,\n")
    assert message(path).startswith(f"'{path}', line 5, column 'task_id': unknown")


def test_wer_takes_a_percentage_scale_and_names_are_case_blind(tmp_path):
    tasks = pd.read_csv(paths.TASKS_CSV, keep_default_na=False)
    wer = tasks.loc[tasks["metric"] == "WER", "task_id"].iloc[0]
    path = write(tmp_path, HEADER + f"LM-Eval,asr,wer,{wer},Fraction,PROXY,,\n")
    rows = read_mapping(path).rows
    assert rows[["harness", "scale", "provenance", "percentage"]].values.tolist() == [
        ["lm-eval", "fraction", "proxy", True]]


def test_check_cli_errors_exit_2(tmp_path, capsys):
    path = write(tmp_path, HEADER + "lm-eval,a,acc,IC-999,fraction,proxy,,\n")
    assert main(["mapping", "--check", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("glscore: error: ") and "IC-999" in err and "\n" not in err
    assert main(["mapping", "--check", str(tmp_path / "absent.csv")]) == 2
    assert "file not found" in capsys.readouterr().err
    assert main(["mapping", "--check", str(FIXTURE), "--out", str(tmp_path / "x.csv")]) == 2
    assert "--out goes with --template" in capsys.readouterr().err
