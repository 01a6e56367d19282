"""The files of ``examples/``, generated from the committed paper data.

``python -m glscore.io.examples`` (re)writes, for the published model
:data:`EXAMPLE_MODEL` (Emu2-37B, Appendix B of the paper):

* ``examples/emu2-37b.csv`` -- a tidy file ``model, task_id, value`` with
  every cell the paper prints for it, as printed, with ``∞`` where the paper
  marks "not supported" (it prints ``∞`` or ``0.00`` for that);
* ``examples/emu2-37b_result.xlsx`` -- the same cells in the official
  scorer's layout: one sheet per task sheet, columns ``No, Task Name,
  Task Short Name, Metrics`` and one column named after the model.

Scored against the committed task table both give exactly the paper data's
record for ``emu2-37b`` (a test checks it, and that the committed files equal
what this module writes, byte for byte). The workbook is written by
:func:`glscore.io.export.workbook_bytes` (openpyxl, re-zipped with fixed
timestamps so that the bytes are deterministic).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from glscore import paths
from glscore.core.vocabulary import SHEET_NAMES
from glscore.io.export import workbook_bytes
from glscore.io.files import write_if_changed

EXAMPLE_MODEL = "emu2-37b"
EXAMPLES_DIR: Path = paths.REPO_ROOT / "examples"


def example_rows(model_id: str = EXAMPLE_MODEL) -> pd.DataFrame:
    """The model's printed cells (``model`` = display name, ``task_id``, ``value``)."""
    scores = pd.read_csv(paths.SCORES_CSV, dtype=str, keep_default_na=False)
    models = pd.read_csv(paths.MODELS_CSV, dtype=str, keep_default_na=False)
    name = models.set_index("model_id").loc[model_id, "display_name"]
    rows = scores.loc[scores["model_id"] == model_id]
    tasks = pd.read_csv(paths.TASKS_CSV, dtype=str, keep_default_na=False)
    order = pd.Index(tasks["task_id"]).get_indexer(rows["task_id"])
    rows = rows.iloc[order.argsort(kind="stable")]
    # the paper prints "not supported" as ∞ or 0.00 (data/README.md); write ∞ for both
    value = rows["value_printed"].where(rows["supported"] == "true", "∞")
    return pd.DataFrame({"model": name, "task_id": rows["task_id"].to_numpy(),
                         "value": value.to_numpy()})


def tidy_csv(model_id: str = EXAMPLE_MODEL) -> bytes:
    """The tidy example file's bytes."""
    return example_rows(model_id).to_csv(index=False, lineterminator="\n").encode("utf-8")


def result_workbook(model_id: str = EXAMPLE_MODEL) -> bytes:
    """The official-layout example workbook's bytes (deterministic; sheets in the
    committed table's order, "not supported" written as ``∞``)."""
    rows = example_rows(model_id)
    name = str(rows["model"].iloc[0])
    printed = dict(zip(rows["task_id"], rows["value"], strict=True))
    tasks = pd.read_csv(paths.TASKS_CSV, dtype=str, keep_default_na=False)
    cells = [None if (c := printed.get(t)) is None else (c if c == "∞" else float(c))
             for t in tasks["task_id"]]
    return workbook_bytes(tasks, {name: cells}, SHEET_NAMES, creator="glscore.io.examples")


def files(model_id: str = EXAMPLE_MODEL) -> dict[str, bytes]:
    """File name -> bytes of every example."""
    return {f"{model_id}.csv": tidy_csv(model_id),
            f"{model_id}_result.xlsx": result_workbook(model_id)}


def write(folder: Path = EXAMPLES_DIR) -> list[Path]:
    """Write the examples into ``folder`` (atomically); returns the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name, data in files().items():
        write_if_changed(folder / name, data)
        out.append(folder / name)
    return out


if __name__ == "__main__":
    for path in write(Path(sys.argv[1]) if len(sys.argv) > 1 else EXAMPLES_DIR):
        print(path.relative_to(paths.REPO_ROOT) if path.is_relative_to(paths.REPO_ROOT)
              else path)
