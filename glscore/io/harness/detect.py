"""Find harness outputs in files and folders and tell which harness wrote each.

A file is recognised from its structure (:func:`detect`: the first reader
whose ``matches`` accepts it, lmms-eval before lm-evaluation-harness, whose
shape it extends); ``input_format`` forces one reader and turns a mismatch
into an error naming what was expected. A folder is searched recursively
(symbolic links to folders are not followed; files in sorted order) for
the file names the harnesses write (each reader's ``PATTERNS``); a VLMEvalKit
score CSV beside a ``status.json`` is skipped (the status holds the same
numbers). The result of :func:`read_observations` is one long table.
"""

from __future__ import annotations

import fnmatch
import math
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import ModuleType

import pandas as pd

from glscore.core import names as naming
from glscore.core.vocabulary import HARNESS_FORMATS
from glscore.errors import InputError, did_you_mean
from glscore.io.harness import helm, lm_eval, lmms_eval, opencompass, vlmevalkit
from glscore.io.harness.documents import MAX_FILES, read_document
from glscore.io.loaders import CellError, parse_cell
from glscore.io.mapping import HARNESSES

#: Readers in the order :func:`detect` tries them.
READERS: tuple[ModuleType, ...] = (lmms_eval, lm_eval, opencompass, helm, vlmevalkit)
BY_NAME: dict[str, ModuleType] = {r.NAME: r for r in READERS}
#: ``--input-format`` choices (the vocabulary's).
FORMATS: tuple[str, ...] = HARNESS_FORMATS
#: Columns of :func:`read_observations`.
COLUMNS: tuple[str, ...] = ("harness", "model", "task", "metric", "value", "source", "where")


def reader(name: str) -> ModuleType:
    """The reader module of a harness name (one of :data:`glscore.io.mapping.HARNESSES`)."""
    try:
        return BY_NAME[name]
    except KeyError:
        raise InputError(f"unknown input format '{name}'; choose one of {list(FORMATS)}"
                         f"{did_you_mean(name, FORMATS, 1)}") from None


def find_files(paths: Sequence[Path | str], input_format: str = "auto") -> list[Path]:
    """The result files under ``paths`` (files as given; folders searched)."""
    readers = READERS if input_format == "auto" else (reader(input_format),)
    patterns = [p for r in readers for p in r.PATTERNS]
    found: list[Path] = []
    for given in map(Path, paths):
        if given.is_file():
            found.append(given)
        elif given.is_dir():
            hits = list(_walk(given, patterns))
            if not hits:
                raise InputError(f"'{given}': no harness results found (looked for "
                                 f"{', '.join(dict.fromkeys(patterns))})")
            found += hits
        else:
            raise InputError(f"'{given}': file or folder not found")
        if len(found) > MAX_FILES:
            raise InputError(f"'{given}': more than {MAX_FILES} result files; pass a narrower "
                             "folder")
    return list(dict.fromkeys(found))


def _walk(folder: Path, patterns: list[str]) -> Iterable[Path]:
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        names = sorted(files)
        has_status = "status.json" in names
        for name in names:
            if not any(fnmatch.fnmatchcase(name, p) for p in patterns):
                continue
            if has_status and name != "status.json" and vlmevalkit._SCORE_SUFFIX.search(name):
                continue
            yield Path(root) / name


def detect(path: Path, input_format: str = "auto") -> tuple[ModuleType, list[tuple]]:
    """The reader of the file at ``path`` and its observations."""
    doc = read_document(path)
    if input_format != "auto":
        chosen = reader(input_format)
        return chosen, chosen.observations(doc)
    for candidate in READERS:
        if candidate.matches(doc):
            return candidate, candidate.observations(doc)
    raise InputError(f"'{path}': not an output of a harness glscore reads "
                     f"({', '.join(HARNESSES)}): no 'results' object (lm-eval, lmms-eval), "
                     "'datasets' (VLMEvalKit status.json), 'dataset,version,metric,mode' header "
                     "(OpenCompass) or list of stats (HELM); pass --input-format to force one")


def read_observations(paths: Sequence[Path | str], input_format: str = "auto",
                      progress: bool = False) -> pd.DataFrame:
    """Every metric of every task of every model in the files under ``paths``.

    One row per ``(harness, model, task, metric)`` with the ``value`` as the
    file holds it (a number, text such as ``"N/A"``), the file (``source``)
    and the place in it (``where``). The same observation in two files (a
    symbolic link, a status and its CSV) is kept once; different values for
    it stay, and :func:`glscore.io.harness.harness_table` rejects them if the
    mapping uses them. A model spelt in two cases is an error.
    """
    from tqdm import tqdm

    files = find_files(paths, input_format)
    rows: list[tuple] = []
    for path in tqdm(files, desc="reading results", unit="file", file=sys.stderr,
                     disable=None if progress and len(files) > 1 else True, leave=False):
        chosen, found = detect(path, input_format)
        rows += [(chosen.NAME, *row[:4], str(path), row[4]) for row in found]
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    if frame.empty:
        raise InputError(f"'{files[0]}': no metric values in the results")
    _check_model_case(frame)
    frame["key"] = frame["value"].map(_same_value_key)
    frame = frame.drop_duplicates(["harness", "model", "task", "metric", "key"])
    return frame.drop(columns="key").reset_index(drop=True)


def _same_value_key(value: object) -> str:
    """Values that score the same compare equal (``0.5`` in JSON and ``"0.5"`` in a CSV)."""
    try:
        number = parse_cell(value)
    except CellError:
        return f"text:{value}"
    return "nan" if math.isnan(number) else repr(number)


def _check_model_case(frame: pd.DataFrame) -> None:
    models = frame.drop_duplicates("model")[["model", "source"]]
    keys = models["model"].astype(str).map(naming.key)
    clash = keys.duplicated().to_numpy()
    if clash.any():
        b = models.iloc[int(clash.argmax())]
        a = models.loc[keys == naming.key(str(b["model"]))].iloc[0]
        raise InputError(f"'{b['source']}': {naming.clash(b['model'], a['model'])}, read from "
                         f"'{a['source']}'")
