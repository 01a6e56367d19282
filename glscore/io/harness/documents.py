"""One output file of a harness, read once: JSON or CSV, bounded, with precise errors.

A :class:`Document` holds the parsed content (a JSON value, or the rows of
a CSV as lists of text) and its path; the readers of
:mod:`glscore.io.harness` look only at documents, never at the file again
(HELM's ``run_spec.json`` beside ``stats.json`` is read the same way).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

from glscore.errors import InputError
from glscore.io.guard import require_file

#: Largest results file read (bytes): harness summaries are kilobytes to a few
#: megabytes; anything larger is not one (per-sample logs are not read).
MAX_FILE_BYTES = 256 * 2**20
#: Most result files read from one directory tree.
MAX_FILES = 10_000
#: What a reader yields per metric: ``(model, task, metric key, value as in the file, where)``.
Observation = tuple[str, str, str, object, str]


@dataclass(frozen=True)
class Document:
    """A parsed file: ``kind`` is ``"json"`` (``content`` any JSON value) or
    ``"csv"`` (``content`` a list of rows, each a list of cell texts)."""

    path: Path
    kind: str
    content: object

    @property
    def rows(self) -> list[list[str]]:
        """The rows of a CSV document (the header first)."""
        assert self.kind == "csv"
        return self.content  # type: ignore[return-value]


def read_document(path: Path) -> Document:
    """``path`` parsed as JSON (``.json``) or CSV (anything else); errors are one line."""
    require_file(path)
    size = path.stat().st_size
    if size == 0:
        raise InputError(f"'{path}': file is empty")
    if size > MAX_FILE_BYTES:
        raise InputError(f"'{path}': {size / 2**20:.0f} MB is more than a harness summary "
                         f"(limit {MAX_FILE_BYTES // 2**20} MB): pass the results file, not "
                         "per-sample logs")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"'{path}': not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    if path.suffix.lower() == ".json":
        try:
            return Document(path, "json", json.loads(text))
        except json.JSONDecodeError as exc:
            raise InputError(f"'{path}', line {exc.lineno}, column {exc.colno}: not valid JSON "
                             f"({exc.msg})") from None
        except RecursionError:
            raise InputError(f"'{path}': JSON nested too deeply") from None
    try:
        rows = [row for row in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error as exc:
        raise InputError(f"'{path}': not a readable CSV ({exc})") from None
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    if not rows:
        raise InputError(f"'{path}': no rows")
    return Document(path, "csv", rows)


def json_key(*parts: object) -> str:
    """A readable path into a JSON document: ``results['arc_easy']['acc,none']``."""
    head, *rest = parts
    return str(head) + "".join(f"[{p!r}]" for p in rest)
