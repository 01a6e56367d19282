"""VLMEvalKit (open-compass): a run's ``status.json`` and the per-dataset score CSVs.

Checked against open-compass/VLMEvalKit at commit e8e78f05 (2026-08-18):
``vlmeval/smp/status_report.py`` writes ``<work_dir>/<model>/<eval_id>/status.json``
(``eval_id`` like ``T20250102-030405``)::

    {"schema_version": "1.0", "eval_id": ..., "model_name": ...,
     "datasets": {"<dataset>": {"status": "done", "prediction_file": ...,
                                "metrics": {"split=none|Overall": 0.81, ...},
                                "primary_metric": "split=none|Overall"}}}

``metrics`` flattens the dataset's score table: the text columns of a row
(``split=none``) joined by ``|`` before the numeric column's name. The
score tables themselves are ``<model>_<dataset>_acc.csv`` (columns
``split, Overall, <category>...``, from ``report_acc`` in
``vlmeval/dataset/utils/multiple_choice.py``) or ``_score.csv``; they are
read the same way when no ``status.json`` is beside them (the model is the
folder's name, or its parent's for a run folder; the dataset is what the
file name leaves between ``<model>_`` and ``_acc.csv``). Values mix 0-1 and
0-100 by dataset; VLMEvalKit writes no standard errors.

A metric key's base name is its last part: ``split=none|Overall`` ->
``Overall``.
"""

from __future__ import annotations

import math
import re

from glscore.errors import InputError
from glscore.io.harness.documents import Document, Observation, json_key

NAME = "vlmevalkit"
PATTERNS: tuple[str, ...] = ("status.json", "*_acc.csv", "*_score.csv")
_RUN_FOLDER = re.compile(r"^T\d{8}(-\d{6}|_G[0-9a-fA-F]+)$")
_SCORE_SUFFIX = re.compile(r"_(acc|score)\.csv$", re.I)


def matches(doc: Document) -> bool:
    """A ``status.json`` object, or a score CSV (a ``split`` or ``Overall`` column,
    or a file name ending in ``_acc.csv``/``_score.csv``)."""
    if doc.kind == "json":
        return (isinstance(doc.content, dict) and isinstance(doc.content.get("datasets"), dict)
                and ("schema_version" in doc.content or "eval_id" in doc.content))
    header = [h.strip() for h in doc.rows[0]]
    return "Overall" in header or header[:1] == ["split"] or bool(
        _SCORE_SUFFIX.search(doc.path.name))


def observations(doc: Document) -> list[Observation]:
    """``(model, dataset, metric key, value, where)`` from ``status.json`` or a score CSV."""
    if not matches(doc):
        raise InputError(f"'{doc.path}': not a VLMEvalKit status.json or score CSV: expected "
                         "a JSON object with 'schema_version' and 'datasets', or a CSV with "
                         "columns 'split, Overall, ...'")
    if doc.kind == "json":
        return _status(doc)
    return _score_table(doc)


def _status(doc: Document) -> list[Observation]:
    content: dict = doc.content  # type: ignore[assignment]
    name = content.get("model_name")
    model = name.strip() if isinstance(name, str) and name.strip() else model_folder(doc)
    out: list[Observation] = []
    for dataset, entry in content["datasets"].items():
        found = entry.get("metrics") if isinstance(entry, dict) else None
        if not isinstance(found, dict):
            continue  # pending, skipped or failed: no metrics, "not supported"
        for key, value in found.items():
            out.append((model, str(dataset), str(key), value,
                        json_key("datasets", dataset, "metrics", key)))
    return out


def _score_table(doc: Document) -> list[Observation]:
    """Flatten a score table as ``status.json`` does: text columns are dimensions."""
    model = model_folder(doc)
    stem = _SCORE_SUFFIX.sub("", doc.path.name)
    if not stem.startswith(f"{model}_") or stem == f"{model}_":
        raise InputError(f"'{doc.path}': cannot tell the dataset from the file name: VLMEvalKit "
                         f"names it '<model>_<dataset>_acc.csv' in the folder of the model "
                         f"('{model}' here); pass the run's status.json instead")
    dataset = stem[len(model) + 1:]
    header, body = [h.strip() for h in doc.rows[0]], doc.rows[1:]
    columns = [j for j, h in enumerate(header) if h and not h.startswith("Unnamed:")]
    numeric = [j for j in columns if any(_is_number(row[j]) for row in body if j < len(row))]
    dims = [j for j in columns if j not in numeric]
    out: list[Observation] = []
    for i, row in enumerate(body):
        cells = row + [""] * (len(header) - len(row))
        prefix = "|".join(f"{header[j]}={cells[j].strip()}" for j in dims if cells[j].strip())
        for j in numeric:
            key = f"{prefix}|{header[j]}" if prefix else header[j]
            out.append((model, dataset, key, cells[j], f"line {i + 2}, column '{header[j]}'"))
    return out


def model_folder(doc: Document) -> str:
    """The folder named after the model: the file's, or its parent's for a run folder."""
    folder = doc.path.parent
    if _RUN_FOLDER.match(folder.name):
        folder = folder.parent
    return folder.name


def _is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def se_key(metric: str) -> str | None:
    """VLMEvalKit writes no standard errors (name one with ``se_metric``)."""
    return None


def base(metric: str) -> str:
    """The numeric column's name: ``split=none|Overall`` -> ``Overall``."""
    return metric.rsplit("|", 1)[-1]
