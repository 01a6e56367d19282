"""Bounds of an input file, checked before any reader parses it.

Spreadsheet readers lay a sheet out as a dense grid from A1 to the last cell
they find, and decompress whatever the archive holds: a 35 KB ``.xlsx`` with
one cell at XFD1048576 makes calamine allocate 512 GiB and abort the process
(no exception to catch), a small archive of repetitive XML inflates to
gigabytes. :func:`check_workbook` reads the archive itself, streaming and
counting, and raises one :class:`~glscore.errors.InputError` when

* the XML parts decompress to more than :data:`glscore.limits.INFLATED_BYTES`
  (a zip bomb; the declared sizes are checked first, then the bytes actually
  inflated; a part whose data disagree with its declared size fails its CRC
  and is refused as damaged);
* a sheet spans more than :data:`glscore.limits.SHEET_CELLS` cells: rows x
  columns up to its last cell (``.xlsx``/``.xlsm``: the largest row and
  column any ``<row r>``/``<c r>`` names; ``.ods``: the rows and columns a
  value is repeated over).

A legacy ``.xls`` is not an archive; its format caps a sheet at 65,536 x 256
cells, so only its file size is checked. :func:`check_table` bounds a
tidy file (its size, and a Parquet file's rows and decompressed size from
its footer) before pandas reads it.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

from glscore import limits
from glscore.errors import InputError

#: Bytes decompressed per step of the scan.
CHUNK = 1 << 20
#: Bytes of one chunk carried into the next (a tag cut in two is seen whole).
OVERLAP = 256
#: A cell reference of ``<c r="AB12"``, with or without a namespace prefix.
_CELL_REF = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?c\b[^>]*?\sr="([A-Z]{1,3})([0-9]{1,9})"')
#: A cell of error type and its cached value: ``<c r="B2" t="e"><f>1/0</f><v>#DIV/0!</v></c>``.
_ERROR_CELL = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?c\b[^>]*?\st="e"[^>]*(?<!/)>'
                         rb'(?:(?!</(?:[A-Za-z_][\w.-]*:)?c>).){0,2000}?'
                         rb'<(?:[A-Za-z_][\w.-]*:)?v>([^<]{0,40})</', re.DOTALL)
_ROW_REF = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?row\b[^>]*?\sr="([0-9]{1,9})"')
#: An OpenDocument row or cell with its repetition count.
_ODS_REPEAT = re.compile(rb'number-(?:rows|columns)-repeated="([0-9]{1,12})"')
_SHEET_ENTRY = re.compile(rb'<(?:\w+:)?sheet\b[^>]*>')
_ATTRIBUTE = re.compile(rb'([\w:]+)="([^"]*)"')


#: Excel error cells found while scanning: sheet -> {(data row, column): error text},
#: rows counted from 0 after the header row, columns from 0.
ErrorCells = dict[str, dict[tuple[int, int], str]]


def require_file(path: Path) -> None:
    """``path`` is a regular file (a device such as ``/dev/zero`` or a pipe would
    never end, a folder is no table); else one line saying what it is."""
    if path.is_file():
        return
    if not path.exists():
        raise InputError(f"'{path}': file not found")
    what = "a folder" if path.is_dir() else "not a regular file (a device, a pipe or a socket)"
    raise InputError(f"'{path}': is {what}; give a file")


def check_workbook(path: Path) -> ErrorCells:
    """Raise an :class:`InputError` when ``path`` (a workbook) exceeds a bound
    (see the module docstring); return quietly otherwise, and for a file that
    is not an archive at all (the reader then says it is not a workbook).

    Returns the error cells of an ``.xlsx`` (``#DIV/0!``, ``#N/A``, ...), which
    the reader sees as empty: the scan finds them on the way, so the loader can
    refuse them instead of reading "not supported"."""
    limits.FILE_BYTES.check(path.stat().st_size, f"'{path}'")
    suffix = path.suffix.lower()
    errors: ErrorCells = {}
    if suffix not in (".xlsx", ".xlsm", ".ods"):
        return errors
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return errors
    with archive:
        parts = [i for i in archive.infolist() if i.filename.lower().endswith((".xml", ".rels"))]
        declared = sum(i.file_size for i in parts)
        limits.INFLATED_BYTES.check(declared, f"'{path}': its XML parts declare")
        inflated = _Budget(path)
        names = _sheet_names(archive) if suffix != ".ods" else {}
        for info in parts:
            if suffix == ".ods" and info.filename == "content.xml":
                _check_ods_content(path, _stream(archive, info, inflated))
            elif suffix != ".ods" and info.filename.startswith("xl/worksheets/"):
                sheet = names.get(info.filename, info.filename)
                found = _check_xlsx_sheet(path, sheet, _stream(archive, info, inflated))
                if found:
                    errors[sheet] = found
            else:
                for _ in _stream(archive, info, inflated):
                    pass
    return errors


class _Budget:
    """The bytes inflated so far, against :data:`glscore.limits.INFLATED_BYTES`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.used = 0
        self.limit = limits.INFLATED_BYTES.value()

    def spend(self, amount: int) -> None:
        self.used += amount
        if self.used > self.limit:
            limits.INFLATED_BYTES.check(self.used, f"'{self.path}': it inflates to more than")


def _stream(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: _Budget
            ) -> Iterator[tuple[bytes, int]]:
    """The part's bytes in chunks, each with the last :data:`OVERLAP` bytes of the
    previous chunk in front (and their length: a match ending there was seen
    already), every byte counted against ``budget``."""
    tail = b""
    try:
        with archive.open(info) as handle:
            while chunk := handle.read(CHUNK):
                budget.spend(len(chunk))
                yield tail + chunk, len(tail)
                tail = chunk[-OVERLAP:]
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
        # damaged, encrypted, or a part whose data disagree with its declared size (the
        # CRC of a truncated part fails): nothing a reader should be trusted with
        raise InputError(f"'{budget.path}': not a readable Excel workbook (part "
                         f"'{info.filename}': {exc})") from None


def _column_number(letters: bytes) -> int:
    """``b"A"`` -> 1, ``b"XFD"`` -> 16384."""
    number = 0
    for byte in letters:
        number = number * 26 + (byte - 64)
    return number


def _column_letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _check_xlsx_sheet(path: Path, sheet: str, chunks: Iterator[tuple[bytes, int]]
                      ) -> dict[tuple[int, int], str]:
    rows = cols = 0
    errors: dict[tuple[int, int], str] = {}
    for chunk, _ in chunks:
        for letters, digits in _CELL_REF.findall(chunk):
            cols = max(cols, _column_number(letters))
            rows = max(rows, int(digits))
        for digits in _ROW_REF.findall(chunk):
            rows = max(rows, int(digits))
        if b't="e"' in chunk:
            for match in _ERROR_CELL.finditer(chunk):
                ref = _CELL_REF.match(match.group(0))
                if ref is not None:
                    key = (int(ref.group(2)) - 2, _column_number(ref.group(1)) - 1)
                    errors[key] = match.group(1).decode("utf-8", "replace")
    limits.SHEET_CELLS.check(
        rows * cols, f"'{path}': sheet '{sheet}' spans A1:{_column_letters(cols)}{rows}")
    return errors


def _check_ods_content(path: Path, chunks: Iterator[tuple[bytes, int]]) -> None:
    """Rows x columns an OpenDocument spreadsheet lays out: a row counts (as many
    times as it is repeated) up to the last one holding a value, and as wide as
    its cells (repeated ones included) up to its last value; padding rows and
    cells without a value, which spreadsheet programs write by the million, do
    not count."""
    rows = used_rows = width = current = last = 0
    repeat_row = 1
    for chunk, offset in chunks:
        for match in _ODS_TAG.finditer(chunk):
            if match.end() <= offset:
                continue
            tag = match.group(0)
            found = _ODS_REPEAT.search(tag)
            count = int(found.group(1)) if found else 1
            if tag.startswith(b"<table:table-row"):
                repeat_row, current, last = count, 0, 0
            elif tag.startswith(b"</table:table-row"):
                rows += repeat_row
                if last:
                    used_rows, width = rows, max(width, last)
            else:
                current += count
                if b"value-type=" in tag:
                    last = current
        limits.SHEET_CELLS.check(used_rows * width, f"'{path}': a sheet spans")


_ODS_TAG = re.compile(rb"<table:table-row\b[^>]*>|<table:(?:covered-)?table-cell\b[^>]*>"
                      rb"|</table:table-row>")


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """``xl/worksheets/sheet1.xml`` -> the sheet's name, from the workbook part and
    its relationships (empty where they cannot be read)."""
    try:
        book = archive.read("xl/workbook.xml")[:limits.INFLATED_BYTES.value()]
        rels = archive.read("xl/_rels/workbook.xml.rels")[:limits.INFLATED_BYTES.value()]
    except (KeyError, zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError):
        return {}
    targets = {}
    for tag in re.findall(rb"<(?:\w+:)?Relationship\b[^>]*>", rels):
        attrs = dict(_ATTRIBUTE.findall(tag))
        target = attrs.get(b"Target", b"").decode("utf-8", "replace").lstrip("/")
        targets[attrs.get(b"Id", b"")] = target if target.startswith("xl/") else f"xl/{target}"
    out = {}
    for tag in _SHEET_ENTRY.findall(book):
        attrs = dict(_ATTRIBUTE.findall(tag))
        rid = next((v for k, v in attrs.items() if k.endswith(b":id")), b"")
        if rid in targets:
            out[targets[rid]] = attrs.get(b"name", b"?").decode("utf-8", "replace")
    return out


def check_table(path: Path) -> None:
    """Bound a tidy file before pandas reads it: its size; for Parquet, its rows
    and decompressed size from the footer (no data read)."""
    limits.FILE_BYTES.check(path.stat().st_size, f"'{path}'")
    if path.suffix.lower() not in (".parquet", ".pq"):
        return
    try:
        import pyarrow.parquet as pq  # type: ignore[import-untyped]

        meta = pq.ParquetFile(path).metadata
    except Exception:  # not Parquet: pandas reports it as unreadable
        return
    limits.TABLE_ROWS.check(int(meta.num_rows), f"'{path}'")
    inflated = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
    limits.INFLATED_BYTES.check(int(inflated), f"'{path}': its data inflate to")
