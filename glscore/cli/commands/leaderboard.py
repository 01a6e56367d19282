"""``glscore leaderboard``: ranked boards of Scope-A, B, C or D."""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd

from glscore.analysis.leaderboard import LOW_COVERAGE, BoardTable, scope_tables, summary_frame
from glscore.analysis.scopes import SCOPES, boards, check_scope, find_board
from glscore.cli.commands.common import (
    add_scoring_options,
    add_source_options,
    dumps,
    frame_records,
    load_benchmark,
    model_origins,
    rule_option,
    sota_label,
    warn,
)
from glscore.core.profiles import get_profile
from glscore.errors import InputError
from glscore.io.latex import latex_table

FORMATS = ("md", "csv", "json", "latex")
#: Low-coverage warnings printed per board before a summary line.
MAX_WARNINGS_PER_BOARD = 3


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("leaderboard", help="ranked leaderboards of a scope (A, B, C, D)",
                            description=__doc__)
    parser.add_argument("--scope", required=True, type=str.upper, metavar="A|B|C|D",
                        help=f"leaderboard scope, one of {'/'.join(SCOPES)}")
    parser.add_argument("--board", metavar="NAME",
                        help="one board (e.g. Image, Image-comprehension, I-C-6); "
                             "default: every board of the scope (a summary for D)")
    parser.add_argument("--top", type=int, metavar="N", help="show the first N models only")
    parser.add_argument("--format", choices=FORMATS, default="md", help="output format")
    add_source_options(parser)
    add_scoring_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    scope = check_scope(args.scope)
    if args.top is not None and args.top < 1:
        raise InputError(f"--top {args.top}: expected a positive number")
    bench = load_benchmark(args)
    if args.board is not None:
        find_board(boards(bench.tasks, scope), args.board)  # fail early, before scoring
    options = {k: v for k, v in (("aggregation", args.aggregation),
                                 ("level4_mean", args.level4_mean)) if v is not None}
    profile = get_profile(args.profile).with_options(**options)
    tables = scope_tables(bench, scope, profile, rule_option(args))
    if args.board is not None:
        wanted = find_board([t.board for t in tables], args.board)
        tables = [t for t in tables if t.board.name == wanted.name]
    origin = dict(zip(bench.models, model_origins(args, bench), strict=True))
    tables = [with_origin(t, origin) for t in tables]
    warn_low_coverage(tables, args.top)
    if scope == "D" and args.board is None:
        print(render_frame(summary_frame(tables), args.format, title=None))
        return 0
    print(render_tables(tables, args.format, args.top, sota=sota_label(args)))
    return 0


def with_origin(table: BoardTable, origin: dict[str, str]) -> BoardTable:
    """The board with an ``origin`` column (``paper`` or ``input``) after ``name``."""
    frame = table.table.copy()
    frame.insert(frame.columns.get_loc("name") + 1, "origin",
                 [origin[m] for m in frame["model"]])
    return BoardTable(table.board, frame, table.left_off)


def warn_low_coverage(tables: list[BoardTable], top: int | None) -> None:
    """A warning per shown row flagged ``low_coverage`` that outranks a row that is not."""
    for t in tables:
        frame = t.table if top is None else t.table.head(top)
        low = frame["low_coverage"].to_numpy(dtype=bool)
        if not low.any() or low.all():
            continue
        last_ok = int(np.flatnonzero(~frame["low_coverage"].to_numpy(dtype=bool))[-1])
        flagged = np.flatnonzero(low[:last_ok])
        for k in flagged[:MAX_WARNINGS_PER_BOARD]:
            row = frame.iloc[int(k)]
            warn(f"Scope-{t.board.scope} '{t.board.name}': rank {int(row['rank'])} "
                 f"'{row['name']}' rests on {int(row['supported'])} of {int(row['tasks'])} "
                 f"tasks (coverage {row['coverage']:.1%}, below {LOW_COVERAGE:.0%}; flagged "
                 "low_coverage)")
        if len(flagged) > MAX_WARNINGS_PER_BOARD:
            warn(f"Scope-{t.board.scope} '{t.board.name}': {len(flagged) - MAX_WARNINGS_PER_BOARD} "
                 "more ranked rows rest on low coverage (column low_coverage)")


def _head(table: BoardTable, top: int | None) -> pd.DataFrame:
    frame = table.table if top is None else table.table.head(top)
    return frame.dropna(axis=1, how="all") if len(frame) else frame


def render_tables(tables: list[BoardTable], fmt: str, top: int | None = None,
                  sota: str | None = None) -> str:
    """Boards as markdown sections, one CSV with a ``board`` column, JSON
    (each board object names its SoTA table under ``sota`` when given), or LaTeX."""
    if fmt == "json":
        objs = [{"scope": t.board.scope, "board": t.board.name, "cap": t.board.cap,
                 "tasks": t.board.n_tasks, "left_off": t.left_off,
                 **({"sota": sota} if sota is not None else {}),
                 "rows": frame_records(_head(t, top))} for t in tables]
        return dumps(objs[0] if len(objs) == 1 else objs)
    if fmt == "csv":
        frame = pd.concat([_head(t, top).assign(board=t.board.name) for t in tables],
                          ignore_index=True)
        frame = frame[["board"] + [c for c in frame.columns if c != "board"]]
        return frame.to_csv(index=False, lineterminator="\n").rstrip("\n")
    parts = []
    for t in tables:
        title = (f"Scope-{t.board.scope} board '{t.board.name}' (cap Level-{t.board.cap}, "
                 f"{t.board.n_tasks} tasks; {len(t.table)} models ranked, {t.left_off} left off)")
        parts.append(render_frame(_head(t, top), "latex" if fmt == "latex" else "md", title))
    return "\n\n".join(parts)


def render_frame(frame: pd.DataFrame, fmt: str, title: str | None) -> str:
    """A frame as markdown (pipes), CSV (full float precision), JSON records or LaTeX."""
    if fmt == "json":
        return dumps(frame_records(frame))
    if fmt == "csv":
        return frame.to_csv(index=False, lineterminator="\n").rstrip("\n")
    if fmt == "latex":  # the display name only, as the paper's tables
        return latex_table(frame.drop(columns=["model"], errors="ignore"),
                           caption=title).rstrip("\n")
    cells = frame.astype(object).map(_cell)
    lines = [] if title is None else [f"### {title}", ""]
    lines.append("| " + " | ".join(map(str, frame.columns)) + " |")
    lines.append("|" + "|".join("---" for _ in frame.columns) + "|")
    lines += ["| " + " | ".join(row) + " |" for row in cells.to_numpy().tolist()]
    return "\n".join(lines)


def _cell(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)
