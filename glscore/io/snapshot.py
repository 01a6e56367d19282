"""Read a scored result back: what ``glscore diff`` compares.

A *snapshot* is one of

* a **score JSON** (``glscore score --json``: one record or a list of records
  with ``model``, ``name``, ``level``, ``scores``, ``modalities``, ``nlp``);
* a **board JSON** (``glscore leaderboard --format json``, with or without
  ``--uncertainty``: one board object with ``scope``, ``board`` and ``rows``,
  or a list of them; the report's ``downloads/boards/*.json`` are the same);
* a **run**: a folder written by ``glscore report`` (or its ``downloads/``
  folder): every board JSON of ``downloads/boards/``, plus the per-task
  values (``downloads/scores.json``) and the tasks table
  (``downloads/tasks.json``), so a change can be traced to its tasks.

:func:`read_snapshot` returns a :class:`Snapshot` of plain frames; anything
else is an :class:`~glscore.errors.InputError` naming the file and what is
wrong, in one line. Nothing here ranks or compares
(:mod:`glscore.analysis.diff` does).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from glscore.errors import InputError

#: Columns of :attr:`Snapshot.rows` (``rank`` is NaN where the file ranks nothing:
#: score JSON, ranked by :mod:`glscore.analysis.diff`).
ROW_COLUMNS: tuple[str, ...] = ("scope", "board", "model", "name", "rank", "level", "score",
                                "level2", "level3", "level4", "level5", "supported", "tasks",
                                "wins")
#: Columns of :attr:`Snapshot.cells` (a run's per-task values).
CELL_COLUMNS: tuple[str, ...] = ("model", "task_id", "value", "normalised", "win", "supported")
#: Columns of :attr:`Snapshot.modalities` (a score JSON's per-modality results;
#: the row ``NLP`` holds ``s_l``, the modalities Level-2..4; NaN where absent).
MODALITY_COLUMNS: tuple[str, ...] = ("model", "modality", "level2", "level3", "level4",
                                     "s_l", "supported", "wins")
#: The most bytes a snapshot file may have (a report's scores.json is about 10 MB).
MAX_BYTES = 200_000_000


@dataclass(frozen=True)
class Snapshot:
    """One side of a diff: where it came from (``label``), its ``kind``
    (``scores``, ``boards`` or ``run``), one row per (board, model)
    (:data:`ROW_COLUMNS`), and what traces a change to its causes: the
    per-task ``cells`` and the ``tasks`` table of a run, the per-modality
    results (``modalities``) of a score JSON; ``None`` where the input has none.
    ``boards`` lists every (scope, board) the input holds, empty ones included."""

    label: str
    kind: str
    rows: pd.DataFrame
    boards: tuple[tuple[str, str], ...] = ()
    cells: pd.DataFrame | None = None
    tasks: pd.DataFrame | None = None
    modalities: pd.DataFrame | None = None


def read_snapshot(path: Path | str) -> Snapshot:
    """The snapshot in ``path``: a score or board JSON file, or a report folder."""
    path = Path(path)
    if path.is_dir():
        return _run(path)
    if not path.is_file():
        raise InputError(f"'{path}': no such file or folder (give a score or board JSON, or "
                         "a folder written by glscore report)")
    data = _load(path)
    items = data if isinstance(data, list) else [data]
    if not items or not all(isinstance(x, dict) for x in items):
        raise InputError(f"'{path}': expected a JSON object or a list of objects (glscore score "
                         "--json or glscore leaderboard --format json)")
    if all("rows" in x and "board" in x for x in items):
        return Snapshot(str(path), "boards", _board_rows(items, path), _keys(items))
    if all("scores" in x and "level" in x and "model" in x for x in items):
        rows, modalities = _score_rows(items, path)
        return Snapshot(str(path), "scores", rows, (("A", "full"),), modalities=modalities)
    raise InputError(f"'{path}': neither score records (keys model, level, scores) nor boards "
                     "(keys board, rows)")


def _load(path: Path) -> Any:
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise InputError(f"'{path}': {size:,} bytes, over the limit of {MAX_BYTES:,}")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"'{path}': not valid JSON ({str(exc).splitlines()[0]})") from exc


def _number(value: object, path: Path, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | type(None)):
        raise InputError(f"'{path}': {where}: '{value}' is not a number")
    return float("nan") if value is None else float(value)


def _board_rows(boards: list[dict], path: Path) -> pd.DataFrame:
    out = []
    for k, b in enumerate(boards):
        if not isinstance(b["rows"], list):
            raise InputError(f"'{path}': board {k} ('{b.get('board')}'): 'rows' is not a list")
        for j, r in enumerate(b["rows"]):
            where = f"board '{b['board']}', row {j + 1}"
            if not isinstance(r, dict) or "model" not in r or "level" not in r:
                raise InputError(f"'{path}': {where}: a row needs 'model' and 'level'")
            row: dict[str, object] = {"scope": str(b.get("scope", "")), "board": str(b["board"]),
                   "model": str(r["model"]), "name": str(r.get("name", r["model"]))}
            for key in ROW_COLUMNS[4:]:
                row[key] = _number(r.get(key), path, f"{where}, '{key}'")
            out.append(row)
    return pd.DataFrame(out, columns=list(ROW_COLUMNS))


def _score_rows(records: list[dict], path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows, mods = [], []
    for k, r in enumerate(records):
        where = f"record {k + 1} ('{r.get('model')}')"
        scores = r["scores"]
        if not isinstance(scores, dict):
            raise InputError(f"'{path}': {where}: 'scores' is not an object")
        modalities = r.get("modalities") or {}
        nlp = r.get("nlp") or {}
        if not isinstance(modalities, dict) or not isinstance(nlp, dict):
            raise InputError(f"'{path}': {where}: 'modalities' and 'nlp' must be objects")
        bad = [name for name, m in modalities.items() if not isinstance(m, dict)]
        if bad:
            raise InputError(f"'{path}': {where}: modality '{bad[0]}' is not an object")
        supported = sum(_number(m.get("supported", 0), path, f"{where}, {name} supported")
                        for name, m in modalities.items()) + _number(
            nlp.get("supported", 0), path, f"{where}, nlp supported")
        tasks = sum(_number(m.get("tasks", 0), path, f"{where}, {name} tasks")
                    for name, m in modalities.items()) + _number(
            nlp.get("tasks", 0), path, f"{where}, nlp tasks")
        wins = sum(_number(m.get("wins", 0), path, f"{where}, {name} wins")
                   for name, m in modalities.items()) + _number(
            nlp.get("wins", 0), path, f"{where}, nlp wins")
        row = {"scope": "A", "board": "full", "model": str(r["model"]),
               "name": str(r.get("name", r["model"])), "rank": float("nan"),
               "level": _number(r["level"], path, f"{where}, 'level'"), "score": float("nan"),
               "supported": supported, "tasks": tasks, "wins": wins}
        for key in ("level2", "level3", "level4", "level5"):
            row[key] = _number(scores.get(key), path, f"{where}, scores '{key}'")
        rows.append(row)
        for name, m in list(modalities.items()) + [("NLP", nlp)]:
            mods.append({"model": str(r["model"]), "modality": str(name),
                         **{key: _number(m.get(key), path, f"{where}, {name} '{key}'")
                            for key in MODALITY_COLUMNS[2:]}})
    return (pd.DataFrame(rows, columns=list(ROW_COLUMNS)),
            pd.DataFrame(mods, columns=list(MODALITY_COLUMNS)))


def _run(folder: Path) -> Snapshot:
    top = folder / "downloads" if (folder / "downloads").is_dir() else folder
    board_files = sorted((top / "boards").glob("*.json"))
    if not board_files:
        raise InputError(f"'{folder}': no board JSON in {top / 'boards'} (give a folder written "
                         "by glscore report, or its downloads/ folder)")
    boards: list[dict] = []
    for f in board_files:
        data = _load(f)
        boards += data if isinstance(data, list) else [data]
        if not all(isinstance(b, dict) and "rows" in b and "board" in b for b in boards):
            raise InputError(f"'{f}': not a board JSON (keys board, rows)")
    cells = tasks = None
    if (top / "scores.json").is_file() and (top / "tasks.json").is_file():
        cells = _frame(top / "scores.json", CELL_COLUMNS)
        tasks = _frame(top / "tasks.json", ("task_id", "modality", "paradigm"))
    return Snapshot(str(folder), "run", _board_rows(boards, folder), _keys(boards), cells=cells,
                    tasks=tasks)


def _keys(boards: list[dict]) -> tuple[tuple[str, str], ...]:
    return tuple((str(b.get("scope", "")), str(b["board"])) for b in boards)


def _frame(path: Path, required: tuple[str, ...]) -> pd.DataFrame:
    data = _load(path)
    if not isinstance(data, list) or not all(isinstance(x, dict) for x in data):
        raise InputError(f"'{path}': expected a list of records")
    frame = pd.DataFrame(data)
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise InputError(f"'{path}': missing key(s) {missing}")
    return frame
