"""Tidy results (CSV and Parquet) against the paper tasks or a tasks file."""

import numpy as np
import pandas as pd
import pytest

from glscore import load_paper, load_source, score
from glscore.errors import InputError


def paper_rows(model_id: str) -> pd.DataFrame:
    """One paper model's supported cells as a tidy frame (model, task_id, value)."""
    bench = load_paper()
    i = bench.models.index(model_id)
    keep = np.isfinite(bench.values[i])
    return pd.DataFrame({"model": model_id, "task_id": bench.tasks["task_id"][keep],
                         "value": bench.values[i, keep]})


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_tidy_file_scores_like_the_paper_data(tmp_path, suffix):
    frame = paper_rows("vitron-v1")
    path = tmp_path / f"runs{suffix}"
    if suffix == ".csv":
        frame.to_csv(path, index=False)
    else:
        frame.to_parquet(path, index=False)
    tidy = score(load_source(path))
    paper = score(load_paper().select_models(["vitron-v1"]))
    mine, theirs = tidy.record(0), paper.record(0)
    assert (mine.pop("name"), theirs.pop("name")) == ("vitron-v1", "Vitron-V1")
    assert mine == theirs  # same cells, same numbers, bit for bit


def test_tidy_with_a_tasks_file(tmp_path):
    tasks = pd.DataFrame({
        "task_id": ["c1", "g1", "n1"], "modality": ["Image", "Image", "NLP"],
        "paradigm": ["comprehension", "generation", "nlp"], "metric": ["Acc", "FID", "Acc"],
        "sota": [50.0, 20.0, 70.0],
    })
    tasks.to_csv(tmp_path / "tasks.csv", index=False)
    pd.DataFrame({"model": ["m", "m", "m"], "task_id": ["c1", "g1", "n1"],
                  "value": [60.0, 10.0, 80.0]}).to_csv(tmp_path / "r.csv", index=False)
    s = score(load_source(tmp_path / "r.csv", sota=tmp_path / "tasks.csv"))
    # FID 10 beats FID 20 (lower is better): mapped 2/(1+e^-2.5)-1 vs 2/(1+e^-1.25)-1
    fid = (2 / (1 + np.exp(-25 / 10)) - 1) * 100
    k = s.modalities.index("Image")
    assert s.level2_m[0, k] == pytest.approx((60 + fid) / 2)
    assert s.level4_m[0, k] == pytest.approx(2 * 60 * fid / (60 + fid))
    assert s.s_l[0] == pytest.approx(80.0)


def test_tidy_duplicate_pair_is_an_error(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("model,task_id,value\nA,IC-001,50\nA,IC-001,60\n")
    with pytest.raises(InputError, match=r"line 3.*'A'.*'IC-001' appear twice"):
        load_source(path)
