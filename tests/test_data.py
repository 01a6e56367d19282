"""Tests of the curated ``data/`` folder and of ``glscore.io.curate``."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import pandas as pd
import pytest

from glscore import paths
from glscore.io import curate

EXPECTED_COUNTS = {
    "Image-Comprehension": 271,
    "Image-Generation": 45,
    "Video-Comprehension": 126,
    "Video-Generation": 46,
    "Audio-Comprehension": 24,
    "Audio-Generation": 20,
    "3D-Comprehension": 30,
    "3D-Generation": 22,
    "NLP": 115,
}


def read(name: str) -> pd.DataFrame:
    """A committed data file, every cell as text (empty cells stay empty)."""
    return pd.read_csv(paths.DATA_DIR / name, dtype=str, keep_default_na=False)


def source_dir_or_skip() -> Path:
    """The paper source folder, or skip the test where it is absent."""
    source = paths.paper_source_dir()
    if not (source / "tasks.csv").is_file():
        pytest.skip(f"../shared/data/general-bench-paper not found: {source}")
    return source


# (a) rebuild is byte-identical --------------------------------------------


def test_rebuild_is_byte_identical(curated) -> None:
    """``python -m glscore.io.curate`` (run once, tests/conftest.py) rebuilds the
    committed files byte for byte."""
    for name in curate.OUTPUT_FILES.values():
        rebuilt = (curated.out / name).read_bytes()
        committed = (paths.DATA_DIR / name).read_bytes()
        assert rebuilt == committed, f"data/{name} differs from a rebuild"


def test_main_writes_files(curated) -> None:
    assert curated.code == 0
    assert sorted(p.name for p in curated.out.iterdir()) == sorted(curate.OUTPUT_FILES.values())


# (b) integrity of the committed files --------------------------------------


def test_task_counts_per_sheet() -> None:
    tasks = read("tasks.csv")
    assert tasks["sheet"].value_counts().to_dict() == EXPECTED_COUNTS
    assert len(tasks) == 699
    assert list(tasks.columns) == list(curate.TASK_COLUMNS)


def test_task_ids_unique_and_ordered() -> None:
    tasks = read("tasks.csv")
    assert tasks["task_id"].is_unique
    order = [curate.SHEET_ORDER[s] for s in tasks["sheet"]]
    keys = list(zip(order, tasks["sheet_row"].astype(int), strict=True))
    assert keys == sorted(keys)
    codes = {s.name: s.code for s in curate.SHEETS}
    expected = [
        f"{codes[s]}-{int(r):03d}" for s, r in zip(tasks["sheet"], tasks["sheet_row"], strict=True)
    ]
    assert tasks["task_id"].tolist() == expected


def test_sota_all_finite() -> None:
    sota = pd.to_numeric(read("tasks.csv")["sota"], errors="coerce")
    assert sota.notna().all() and sota.map(math.isfinite).all()
    assert len(sota) == 699


def test_directions() -> None:
    assert set(read("tasks.csv")["direction"]) == {"higher", "lower"}


@pytest.mark.parametrize("name", ["scores.csv", "scores_alternates.csv"])
def test_scores_refer_to_known_keys(name: str) -> None:
    scores = read(name)
    assert set(scores["task_id"]) <= set(read("tasks.csv")["task_id"])
    assert set(scores["model_id"]) <= set(read("models.csv")["model_id"])


def test_scores_unique_per_model_and_task() -> None:
    scores = read("scores.csv")
    assert not scores.duplicated(["model_id", "task_id"]).any()
    assert list(scores.columns) == list(curate.SCORE_COLUMNS)


@pytest.mark.parametrize("name", ["scores.csv", "scores_alternates.csv"])
def test_supported_iff_value_present(name: str) -> None:
    scores = read(name)
    assert set(scores["supported"]) <= {"true", "false"}
    value = pd.to_numeric(scores["value"].replace("", None), errors="coerce")
    assert ((scores["supported"] == "true") == value.notna()).all()


def test_nothing_dropped() -> None:
    """Every (task, model) cell of the source's Appendix B is in scores.csv or,
    for a row the paper prints twice, in scores_alternates.csv."""
    source = source_dir_or_skip()
    total = len(read("scores.csv")) + len(read("scores_alternates.csv"))
    published = pd.read_csv(source / "scores_long.csv", dtype=str, keep_default_na=False)
    assert total == len(published)


def test_published_levels_models_exist() -> None:
    levels = read("published_levels.csv")
    assert set(levels["model_id"]) <= set(read("models.csv")["model_id"])
    assert levels.groupby("table").size().to_dict() == {"12": 102, "14": 102, "16": 3}
    assert not levels.duplicated(["table", "model_id"]).any()


def test_models_sorted_and_unique() -> None:
    models = read("models.csv")
    assert models["model_id"].is_unique
    assert models["model_id"].tolist() == sorted(models["model_id"])
    mini = models.set_index("model_id").loc["mini-gemini"]
    assert mini["in_appendix_b"] == "false" and mini["in_level_tables"] == "true"


# (c) alias resolution and not-supported parsing ---------------------------


def test_alias_map_merges_listed_variants() -> None:
    alias = curate.build_alias_map(["GPT4V", "GPT-4v", "GPT4-V", "Otter", "LaVIT-V2 (7B)"])
    assert alias["GPT4V"] == alias["GPT-4v"] == alias["GPT4-V"] == "gpt-4v"
    assert alias["Otter"] == "otter"
    assert alias["LaVIT-V2 (7B)"] == "lavit-v2-7b"


def test_alias_map_keeps_internvl_8b_entries_apart() -> None:
    alias = curate.build_alias_map(["InternVL2_5-8B", "InternVL-2.5-8B", "InternVL2.5-8B"])
    assert alias["InternVL2_5-8B"] == alias["InternVL2.5-8B"] == "internvl2.5-8b"
    assert alias["InternVL-2.5-8B"] == "internvl-2.5-8b"


def test_alias_map_refuses_silent_merge() -> None:
    with pytest.raises(curate.CurationError, match=r"share model_id"):
        curate.build_alias_map(["Foo Bar", "foo-bar"], rules=())


def test_alias_map_refuses_name_listed_twice() -> None:
    rules = (curate.ModelRule("a", "A", ("X",)), curate.ModelRule("b", "B", ("X",)))
    with pytest.raises(curate.CurationError, match="listed twice"):
        curate.build_alias_map([], rules=rules)


@pytest.mark.parametrize(
    ("printed", "direction", "supported"),
    [
        ("∞", "lower", False),
        ("∞", "higher", False),
        ("0.00", "higher", False),
        ("0.00", "lower", False),
        ("0.01", "higher", True),
        ("57.00", "lower", True),
        ("9.32E-05", "lower", True),
    ],
)
def test_not_supported_parsing(printed: str, direction: str, supported: bool) -> None:
    assert curate.is_supported(printed, direction) is supported
    value = curate.parse_value(printed, direction)
    assert math.isnan(value) is (not supported)
    if supported:
        assert value == float(printed)


def test_format_cell_round_trips_floats() -> None:
    for x in (0.1, 6.975, 9.32e-05, 6540.02, 13.7):
        assert float(curate.format_cell(x)) == x
    assert curate.format_cell(float("nan")) == ""
    assert curate.format_cell(True) == "true"


# (d) malformed source -----------------------------------------------------


def make_source(tmp_path: Path) -> Path:
    """A copy of the source folder that a test may damage."""
    source = source_dir_or_skip()
    copy = tmp_path / "src"
    shutil.copytree(source, copy)
    for file in copy.iterdir():
        file.chmod(0o644)
    return copy


def test_missing_column_is_reported(tmp_path: Path) -> None:
    source = make_source(tmp_path)
    tasks = pd.read_csv(source / "tasks.csv", dtype=str, keep_default_na=False)
    tasks.drop(columns=["sota_paper"]).to_csv(source / "tasks.csv", index=False)
    with pytest.raises(curate.CurationError) as info:
        curate.build_all(source)
    message = str(info.value)
    assert "tasks.csv" in message and "sota_paper" in message and "\n" not in message


def test_non_numeric_sota_is_reported(tmp_path: Path) -> None:
    source = make_source(tmp_path)
    tasks = pd.read_csv(source / "tasks.csv", dtype=str, keep_default_na=False)
    tasks.loc[4, "sota_paper"] = "n/a"
    tasks.to_csv(source / "tasks.csv", index=False)
    with pytest.raises(curate.CurationError) as info:
        curate.build_all(source)
    message = str(info.value)
    assert "tasks.csv" in message and "line 6" in message and "'sota_paper'" in message


def test_non_numeric_score_is_reported(tmp_path: Path) -> None:
    source = make_source(tmp_path)
    scores = pd.read_csv(source / "scores_long.csv", dtype=str, keep_default_na=False)
    scores.loc[9, "value"] = "12,5"
    scores.to_csv(source / "scores_long.csv", index=False)
    with pytest.raises(curate.CurationError, match=r"scores_long\.csv, line 11, column 'value'"):
        curate.build_all(source)


def test_error_without_source_folder(tmp_path: Path) -> None:
    assert issubclass(curate.CurationError, ValueError)
    with pytest.raises(curate.CurationError, match=r"skill_groups\.csv: file not found"):
        curate.build_all(tmp_path)
    assert curate.main(["--source", str(tmp_path), "--out", str(tmp_path / "out")]) == 2
