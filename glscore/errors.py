"""The one exception type the package raises for bad input.

Every message is a single line that names the file, sheet, row or column at
fault, so that the command line can print it as it is and exit with 2.
"""

from __future__ import annotations


class InputError(ValueError):
    """Bad input: a one-line message naming where the problem is."""

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(str(message).split()))


def where(file: object = None, sheet: str | None = None, row: int | None = None,
          column: str | None = None) -> str:
    """Format a location prefix such as ``'r.xlsx', sheet 'NLP', row 5: ``."""
    parts = []
    if file is not None:
        parts.append(f"'{file}'")
    if sheet is not None:
        parts.append(f"sheet '{sheet}'")
    if row is not None:
        parts.append(f"row {row}")
    if column is not None:
        parts.append(f"column '{column}'")
    return ", ".join(parts) + ": " if parts else ""
