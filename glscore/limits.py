"""Every resource limit glscore enforces before work starts, in one place.

An input can ask for more than a machine has: a 35 KB workbook can claim a
cell at XFD1048576 (17 billion cells once a reader lays the sheet out), a
1 MB archive can inflate to gigabytes, ``--draws 10000000`` can ask for hours
and tens of gigabytes. Each such quantity is checked against a :class:`Limit`
before any reader or simulation starts, and exceeding it is one line that
says the amount, the limit and how to raise it: an environment variable
(``GLSCORE_MAX_...``), read when the check runs.

>>> SHEET_CELLS.value() >= 1_000_000
True
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from glscore.errors import InputError


@dataclass(frozen=True)
class Limit:
    """A bound on one quantity: ``variable`` overrides ``default``; ``what``
    names the unit in messages."""

    variable: str
    default: int
    what: str

    def value(self) -> int:
        """The limit in force: ``$variable`` if set (a whole number >= 1), else the default."""
        text = os.environ.get(self.variable, "").strip()
        if not text:
            return self.default
        try:
            number = int(text.replace("_", ""))
        except ValueError:
            number = 0
        if number < 1:
            raise InputError(f"environment variable {self.variable}={text!r}: expected a whole "
                             "number >= 1")
        return number

    def check(self, amount: int, subject: str) -> None:
        """An :class:`InputError` when ``amount`` exceeds the limit; ``subject``
        starts the message (``"'r.xlsx', sheet 'NLP'"``, ``"--draws"``)."""
        limit = self.value()
        if amount > limit:
            raise InputError(f"{subject}: {amount:,} {self.what}, above the limit of {limit:,}; "
                             f"set the environment variable {self.variable} to a larger number "
                             "to raise it")


#: Cells a workbook sheet may span (rows x columns of the area a reader lays out).
SHEET_CELLS = Limit("GLSCORE_MAX_SHEET_CELLS", 4_000_000, "cells (rows x columns)")
#: Bytes the XML of a workbook (or a Parquet file's data) may take once decompressed.
INFLATED_BYTES = Limit("GLSCORE_MAX_INFLATED_BYTES", 512 * 1024 * 1024,
                       "bytes once decompressed")
#: Rows a tidy table (CSV or Parquet) may hold.
TABLE_ROWS = Limit("GLSCORE_MAX_TABLE_ROWS", 20_000_000, "rows")
#: Size of one input file read whole (a CSV, a JSON document).
FILE_BYTES = Limit("GLSCORE_MAX_FILE_BYTES", 2 * 1024 * 1024 * 1024, "bytes")
#: Draws or resamples of one Monte-Carlo or bootstrap run.
DRAWS = Limit("GLSCORE_MAX_DRAWS", 100_000, "draws")
#: Values a simulation holds at once (``--chunk`` draws x models x tasks; 8 bytes each).
HELD_VALUES = Limit("GLSCORE_MAX_HELD_VALUES", 2**27, "values held at once")
