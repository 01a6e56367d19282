"""The curation's rules as data files (data/curation/*.csv, glscore.io.curate.rules).

Every rule names its evidence; a malformed rule file is one line naming file,
line and column; the rules read from the files are the ones the build uses
(a rule removed from a copy of the folder changes the build).
"""

from __future__ import annotations

import csv
import math
import shutil
from pathlib import Path

import pandas as pd
import pytest

from glscore import paths
from glscore.io import curate
from glscore.io.curate import rules


def rows(name: str) -> list[dict[str, str]]:
    with open(rules.RULES_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_rule_file_has_its_columns_and_evidence():
    assert sorted(p.name for p in rules.RULES_DIR.iterdir()) == sorted(rules.RULE_FILES)
    for name, columns in rules.RULE_FILES.items():
        found = rows(name)
        assert found, name
        assert list(found[0]) == list(columns), name
        assert all(r["evidence"].strip() for r in found), name


def test_files_read_as_the_rules_they_state():
    # spot checks against the rows as written in the files (read with csv here)
    by_id = {r["model_id"]: r for r in rows("model_rules.csv")}
    gpt4v = next(r for r in rules.model_rules() if r.model_id == "gpt-4v")
    assert gpt4v.printed == tuple(by_id["gpt-4v"]["printed"].split(";")) == (
        "GPT4V", "GPT-4v", "GPT4-V")
    typo = rules.backbones()["Qwev-7B"]
    assert (typo.lineage, typo.version, typo.size_b) == ("Qwen", "1", 7.0)
    assert math.isnan(rules.backbones()["Llama"].size_b)
    yi = rules.table4_doubts()["Yi-vision-v2"]
    assert yi.backbone is not None and yi.backbone.lineage == "Yi" and not yi.demote
    assert rules.table4_doubts()["Yi-lightning"].backbone is None
    assert rules.table4_doubts()["miniMonkey"].demote
    assert rules.support_words()["paradigm"]["comrehension"] == "comprehension"


def copy_rules(tmp_path: Path) -> Path:
    folder = tmp_path / "curation"
    shutil.copytree(rules.RULES_DIR, folder)
    return folder


def edit(path: Path, line: int, column: str, value: str) -> None:
    """Set ``column`` of the data row on file line ``line`` (header = line 1)."""
    with open(path, encoding="utf-8", newline="") as handle:
        table = list(csv.DictReader(handle))
    table[line - 2][column] = value
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(table[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(table)


@pytest.mark.parametrize("name, line, column, value, message", [
    ("model_rules.csv", 3, "evidence", " ", "model_rules.csv, line 3, column 'evidence': empty"),
    ("table4_doubts.csv", 2, "demote", "yes",
     "table4_doubts.csv, line 2, column 'demote': 'yes' is not true or false"),
    ("table4_doubts.csv", 3, "cap", "strong",
     "table4_doubts.csv, line 3, column 'cap': 'strong' is not one of"),
    ("backbones.csv", 4, "size_b", "-7",
     "backbones.csv, line 4, column 'size_b': not a positive size: '-7'"),
    ("backbones.csv", 5, "printed", "Llama",
     "backbones.csv, line 5, column 'printed': 'Llama' listed twice"),
    ("table4_support.csv", 2, "kind", "sense",
     "table4_support.csv, line 2, column 'kind': 'sense' is not modality or paradigm"),
])
def test_a_malformed_rule_is_one_line_naming_the_place(tmp_path, name, line, column, value,
                                                        message):
    folder = copy_rules(tmp_path)
    edit(folder / name, line, column, value)
    loader = {"model_rules.csv": rules.model_rules, "backbones.csv": rules.backbones,
              "table4_doubts.csv": rules.table4_doubts,
              "table4_support.csv": rules.support_words}[name]
    with pytest.raises(curate.CurationError) as info:
        loader(folder)
    assert str(info.value).startswith(message)
    assert "\n" not in str(info.value)


def test_the_build_uses_the_files(tmp_path):
    """Drop the GPT-4V alias rule from a copy: its three printed names (GPT4V, GPT-4v,
    GPT4-V) no longer merge, and the build makes three models of their slugs."""
    source = paths.paper_source_dir()
    if not (source / "tasks.csv").is_file():
        pytest.skip(f"../shared/data/general-bench-paper not found: {source}")
    folder = copy_rules(tmp_path)
    path = folder / "model_rules.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(x for x in lines if not x.startswith("gpt-4v,")), encoding="utf-8")
    committed = set(pd.read_csv(paths.MODELS_CSV)["model_id"])
    rebuilt = set(curate.build_all(source, folder)["models"]["model_id"])
    assert "gpt-4v" in committed and not {"gpt4v", "gpt4-v"} & committed
    assert rebuilt - committed == {"gpt4v", "gpt4-v"} and committed - rebuilt == set()
