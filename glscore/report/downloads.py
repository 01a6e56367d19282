"""The report's downloads: every board as CSV and JSON, and the whole data.

A board's files are exactly what ``glscore leaderboard --scope S --board B
--uncertainty --format csv|json`` prints for it (the same renderer,
:func:`glscore.cli.commands.leaderboard.render_tables`, the same strict JSON
writer; the JSON also carries the pairwise matrix of the top models), so a
downloaded board and a command-line board have one schema, and ``glscore
diff`` reads both. The whole data are the tables of
:mod:`glscore.analysis.cells` (``scores``, ``tasks``, ``models``) as CSV
(full float precision, ``\\n`` line ends) and as JSON records.
Deterministic: the same pass gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from glscore.analysis.uncertainty import Uncertainty
from glscore.cli.commands.common import dumps, frame_records
from glscore.cli.commands.leaderboard import render_tables
from glscore.report import names
from glscore.report.boards import PAIRWISE_TOP, BoardView


def csv_text(frame: pd.DataFrame) -> str:
    """A frame as CSV: no index, ``\\n`` line ends, full float precision."""
    return frame.to_csv(index=False, lineterminator="\n")


def json_text(frame: pd.DataFrame) -> str:
    """A frame as strict JSON records (``null`` for missing, never ``NaN``)."""
    return dumps(frame_records(frame)) + "\n"


def one_board(result: Uncertainty | None, k: int) -> Uncertainty | None:
    """The uncertainty of board ``k`` of ``result`` alone (the renderer takes
    one frame and one facts dict per board it prints)."""
    if result is None:
        return None
    return Uncertainty(result.simulation, (result.frames[k],), (result.facts[k],))


def board_files(views: Sequence[BoardView], result: Uncertainty | None,
                sota: str | None) -> dict[str, str]:
    """``downloads/boards/<key>.csv`` and ``.json`` of every board; ``views``
    are in the order of ``result``'s boards."""
    out = {}
    for k, view in enumerate(views):
        sub = one_board(result, k)
        b, kind = view.ranked.board, view.ranked.view
        out[names.board_download(b, "csv", kind)] = render_tables([view.ranked], "csv",
                                                                  result=sub) + "\n"
        out[names.board_download(b, "json", kind)] = render_tables(
            [view.ranked], "json", sota=sota, result=sub,
            pairwise=PAIRWISE_TOP if sub is not None and len(view.ranked.table) > 1
            else None) + "\n"
    return out


def data_files(frames: Mapping[str, pd.DataFrame]) -> dict[str, str]:
    """``downloads/<name>.csv`` and ``.json`` of each whole-data table
    (:data:`glscore.report.names.DATA_FILES`)."""
    out = {}
    for name in names.DATA_FILES:
        out[names.data_download(name, "csv")] = csv_text(frames[name])
        out[names.data_download(name, "json")] = json_text(frames[name])
    return out
