"""Small official-format workbooks for tests, written with openpyxl."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import openpyxl

Task = tuple[str, str, float | str | None]  # (task name, metric, SoTA)
KEY = ["No", "Task Name", "Task Short Name", "Metrics"]


def write_sota(path: Path, sheets: Mapping[str, Sequence[Task]]) -> Path:
    """A SoTA workbook: one sheet per entry, columns KEY + 'SoTA Performance'."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, tasks in sheets.items():
        sheet = book.create_sheet(name)
        sheet.append([*KEY, "SoTA Performance"])
        for i, (task, metric, sota) in enumerate(tasks, start=1):
            sheet.append([i, task, task[:10], metric, sota])
    book.save(path)
    return path


def write_result(path: Path, sheets: Mapping[str, Sequence[Task]],
                 columns: Mapping[str, Mapping[str, Sequence[object]]]) -> Path:
    """A result workbook: KEY columns then one column per model.

    ``columns[model][sheet]`` lists that model's cells in task order.
    """
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, tasks in sheets.items():
        sheet = book.create_sheet(name)
        sheet.append([*KEY, *columns])
        for i, (task, metric, _sota) in enumerate(tasks, start=1):
            cells = [columns[m][name][i - 1] if name in columns[m] else None for m in columns]
            sheet.append([i, task, task[:10], metric, *cells])
    book.save(path)
    return path


#: A tiny benchmark: Image (2 comprehension, 1 generation) and NLP (2 tasks).
TINY: dict[str, list[Task]] = {
    "Image-Comprehension": [("cls", "Acc", 50.0), ("vqa", "Acc", 60.0)],
    "Image-Generation": [("t2i", "Acc", 40.0)],
    "NLP": [("qa", "Acc", 70.0), ("sum", "Acc", 80.0)],
}
TINY_MODEL: dict[str, list[object]] = {
    "Image-Comprehension": [60.0, 30.0],
    "Image-Generation": [50.0],
    "NLP": [75.0, None],
}
