"""``glscore leaderboard``: ranked boards of Scope-A, B, C or D.

``--uncertainty`` adds, per row, the 95% rank interval, the conservative
rank, P(first), P(level >= k) and the interval of the score, and per board
the tie group with #1 and the distinguishable adjacent pairs
(:mod:`glscore.analysis.uncertainty`; ``--draws``, ``--seed``, ``--unit``,
``--sources``, ``--pairwise N``). Without it a Markdown board ends with a
one-line note of the models tied with #1 under a quick composition
bootstrap (200 draws), when few boards are shown.

Every row carries ``no_task_data`` (board modalities the paper scores without
per-task data: counted as unsupported) and ``flagged_wins`` (wins on tasks whose
SoTA the audit flags). ``--hybrid`` fills modalities without per-task data from
the published Tables 12/14/16 (Scopes A and B; rows say ``filled_from_paper``,
and models the paper prints without any per-task row, Mini-Gemini, appear);
``--complete-case`` leaves out the models with such a modality on the board.

A board ranks by level reached, then the score at that level, and only the
rows covering at least ``--min-coverage`` of its tasks (default 6%); the
others are listed below the ranked rows with an empty rank (column
``ranked``). ``--min-coverage 0`` ranks every row, as the framework does.
"""

from __future__ import annotations

import argparse
import re
from dataclasses import replace

import numpy as np
import pandas as pd

from glscore.analysis.leaderboard import (
    DEFAULT_MIN_COVERAGE,
    LOW_COVERAGE,
    VIEW_LABELS,
    BoardTable,
    check_min_coverage,
    scope_tables,
    summary_frame,
)
from glscore.analysis.scopes import SCOPES, boards, check_scope, find_board
from glscore.cli.commands.common import (
    PROXY_NOTE,
    add_scoring_options,
    add_source_options,
    add_uncertainty_options,
    dumps,
    frame_records,
    load_benchmark,
    model_origins,
    progress_bar,
    rule_option,
    sota_label,
    uncertainty_inputs,
    uncertainty_settings,
    warn,
)
from glscore.core.profiles import get_profile
from glscore.core.scoring import score_detailed
from glscore.errors import InputError
from glscore.io import markdown
from glscore.io.latex import latex_table

FORMATS = ("md", "csv", "json", "latex")
#: Low-coverage warnings printed per board before a summary line.
MAX_WARNINGS_PER_BOARD = 3
#: The quick tie note without --uncertainty: draws, and the most boards it is computed for.
NOTE_DRAWS = 200
NOTE_MAX_BOARDS = 8
#: Uncertainty columns added to a board (CSV keeps them all; Markdown and LaTeX
#: show intervals as text).
UNCERTAINTY_COLUMNS: tuple[str, ...] = (
    "rank_lo", "rank_hi", "rank_conservative", "p_first", "p_above_next", "p_level2",
    "p_level3", "p_level4", "p_level5", "score_lo", "score_hi", "bound_lo_level",
    "bound_lo_score", "bound_hi_level", "bound_hi_score",
)


def uncertainty_columns(cap: int) -> tuple[str, ...]:
    """:data:`UNCERTAINTY_COLUMNS` of a board whose levels stop at ``cap``
    (``p_levelK`` only for ``K <= cap``).

    >>> [c for c in uncertainty_columns(4) if c.startswith("p_level")]
    ['p_level2', 'p_level3', 'p_level4']
    """
    return tuple(c for c in UNCERTAINTY_COLUMNS
                 if not (c.startswith("p_level") and int(c.removeprefix("p_level")) > cap))


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("leaderboard", description=__doc__)
    parser.add_argument("--scope", required=True, type=str.upper, metavar="A|B|C|D",
                        help=f"leaderboard scope, one of {'/'.join(SCOPES)}")
    parser.add_argument("--board", metavar="NAME",
                        help="one board (e.g. Image, Image-comprehension, I-C-6); "
                             "default: every board of the scope (a summary for D)")
    parser.add_argument("--top", type=int, metavar="N", help="show the first N models only")
    parser.add_argument("--min-coverage", type=_share, default=DEFAULT_MIN_COVERAGE,
                        metavar="SHARE",
                        help="rank only the rows covering at least this share of the board's "
                             "tasks, listing the others below unranked (0 to 1, or a "
                             f"percentage such as 6%%; default {DEFAULT_MIN_COVERAGE * 100:.0f}%%; 0 "
                             "ranks every row)")
    parser.add_argument("--format", choices=FORMATS, default="md", help="output format")
    parser.add_argument("--uncertainty", action="store_true",
                        help="add rank intervals, the conservative rank, P(first), "
                             "P(level >= k) and score intervals (see --draws, --seed, --unit, "
                             "--sources)")
    parser.add_argument("--pairwise", type=int, metavar="N",
                        help="with --uncertainty: P(A ranks above B) for the top N of each board")
    add_uncertainty_options(parser)
    views = parser.add_mutually_exclusive_group()
    views.add_argument("--hybrid", dest="view", action="store_const", const="hybrid",
                       default="recomputed",
                       help="fill modalities without per-task data from the published "
                            "Tables 12/14/16 (Scopes A and B; labelled filled_from_paper)")
    views.add_argument("--complete-case", dest="view", action="store_const",
                       const="complete-case",
                       help="leave out models with a board modality the paper scores without "
                            "per-task data")
    add_source_options(parser)
    add_scoring_options(parser)
    parser.set_defaults(run=run)


def _share(text: str) -> float:
    """``--min-coverage``: ``0.06``, ``6%`` -> 0.06 (a one-line usage error otherwise)."""
    value = text.strip()
    try:
        if value.endswith("%"):
            return check_min_coverage(float(value[:-1]) / 100, "--min-coverage")
        return check_min_coverage(value, "--min-coverage")
    except (InputError, ValueError) as exc:
        raise argparse.ArgumentTypeError(str(exc).removeprefix("--min-coverage ")) from None


def run(args: argparse.Namespace) -> int:
    scope = check_scope(args.scope)
    if args.top is not None and args.top < 1:
        raise InputError(f"--top {args.top}: expected a positive number")
    if args.pairwise is not None and (args.pairwise < 2 or not args.uncertainty):
        raise InputError(f"--pairwise {args.pairwise}: give --uncertainty and N >= 2")
    if args.uncertainty and args.view == "hybrid":
        raise InputError("--uncertainty resamples per-task data; the --hybrid view fills "
                         "modalities from published per-modality cells, which cannot be "
                         "resampled (use it without --hybrid)")
    settings = uncertainty_settings(args) if args.uncertainty else None
    bench = load_benchmark(args)
    if settings is not None:  # the standard errors are checked before the work starts
        se, sota_se = uncertainty_inputs(bench, sota_label(args))
    if args.board is not None:
        find_board(boards(bench.tasks, scope), args.board)  # fail early, before scoring
    options = {k: v for k, v in (("aggregation", args.aggregation),
                                 ("level4_mean", args.level4_mean)) if v is not None}
    profile = get_profile(args.profile).with_options(**options)
    ctx = score_detailed(bench, profile, rule_option(args))
    tables = scope_tables(ctx, scope, view=args.view, min_coverage=args.min_coverage)
    if args.board is not None:
        wanted = find_board([t.board for t in tables], args.board)
        tables = [t for t in tables if t.board.name == wanted.name]
    origin = dict(zip(bench.models, model_origins(args, bench), strict=True))
    tables = [with_origin(t, origin) for t in tables]
    warn_low_coverage(tables, args.top)
    result = None
    if settings is not None:
        from glscore.analysis.uncertainty import check_size, uncertainty_of

        check_size(tables, settings.draws)
        bar = progress_bar(settings.draws)
        try:
            result = uncertainty_of(ctx, tables, settings, se, sota_se, progress=bar.update)
        finally:
            bar.close()
    if scope == "D" and args.board is None:
        summary = summary_frame(tables)
        if result is not None:
            facts = result.facts_frame()[["n_tied_with_first", "leader_p_first",
                                          "adjacent_pairs", "distinguishable_adjacent",
                                          "distinguishable_adjacent_p95"]]
            summary = pd.concat([summary, facts], axis=1)
        print(render_frame(summary, args.format, title=None))
        if result is not None and args.format == "md":
            print()
            print(markdown.escape(method_line(result.facts[0])))
        return 0
    notes = None
    if (result is None and args.format == "md" and len(tables) <= NOTE_MAX_BOARDS
            and args.view != "hybrid"):
        notes = tie_notes(ctx, tables)
    print(render_tables(tables, args.format, args.top, sota=sota_label(args), result=result,
                        pairwise=args.pairwise, notes=notes))
    return 0


def method_line(facts: dict) -> str:
    """How the uncertainty was computed, one line (the sources, draws, seed, noise)."""
    from glscore.analysis.uncertainty.findings import method_phrase

    return (f"Uncertainty: {method_phrase(facts)}; 95% intervals; rank_ub = 1 + models whose "
            "lower bound of (level, score) beats this model's upper bound.")


def tie_notes(ctx, tables: list[BoardTable]) -> list[str]:
    """Per board, the quick note of the models tied with #1 (a composition
    bootstrap of :data:`NOTE_DRAWS` draws, seed 0: cheap, no noise model)."""
    from glscore.analysis.uncertainty import Settings, uncertainty_of

    settings = Settings(NOTE_DRAWS, 0, "skill", ("composition",))
    if "skill_group_id" not in ctx.bench.tasks.columns:
        settings = Settings(NOTE_DRAWS, 0, "task", ("composition",))
    result = uncertainty_of(ctx, tables, settings)
    notes = []
    for facts in result.facts:
        tied = facts["tied_with_first"]
        notes.append(f"Tied with #1 (95% rank interval includes 1; {NOTE_DRAWS} draws of the "
                     f"{facts['unit']} bootstrap, no noise): {', '.join(tied) or 'none'}. "
                     "Intervals and noise: --uncertainty.")
    return notes


def with_origin(table: BoardTable, origin: dict[str, str]) -> BoardTable:
    """The board with an ``origin`` column (``paper`` or ``input``) after ``name``."""
    frame = table.table.copy()
    frame.insert(frame.columns.get_loc("name") + 1, "origin",
                 [origin.get(m, "paper") for m in frame["model"]])
    return replace(table, table=frame)


def warn_low_coverage(tables: list[BoardTable], top: int | None) -> None:
    """A warning per shown ranked row flagged ``low_coverage`` that outranks a row
    that is not (only when ``--min-coverage`` lets such rows be ranked)."""
    for t in tables:
        ranked = t.ranked_table
        frame = ranked if top is None else ranked.head(top)
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
                 "low_coverage; ranked because of --min-coverage)")
        if len(flagged) > MAX_WARNINGS_PER_BOARD:
            warn(f"Scope-{t.board.scope} '{t.board.name}': {len(flagged) - MAX_WARNINGS_PER_BOARD} "
                 "more ranked rows rest on low coverage (column low_coverage)")


def _head(table: BoardTable, top: int | None) -> pd.DataFrame:
    """The rows shown (the first ``top``), without the columns that are empty in all of them."""
    frame = table.table if top is None else table.table.head(top)
    if not len(frame):
        return frame
    empty = frame.isna().all().to_numpy()
    return frame.loc[:, ~empty] if empty.any() else frame


def render_tables(tables: list[BoardTable], fmt: str, top: int | None = None,
                  sota: str | None = None, result=None, pairwise: int | None = None,
                  notes: list[str] | None = None) -> str:
    """Boards as markdown sections, one CSV with a ``board`` column, JSON
    (each board object names its SoTA table under ``sota`` when given), or LaTeX.

    ``result`` (an :class:`~glscore.analysis.uncertainty.Uncertainty` of the
    same boards) adds the uncertainty columns and facts; ``pairwise`` the
    pairwise matrix of the top N; ``notes`` one line after each Markdown board."""
    frames = [None] * len(tables) if result is None else list(result.frames)
    facts = [None] * len(tables) if result is None else list(result.facts)
    if fmt == "json":
        objs = []
        for k, t in enumerate(tables):
            obj = {"scope": t.board.scope, "board": t.board.name, "cap": t.board.cap,
                   "tasks": t.board.n_tasks, "counted_tasks": t.counted_tasks,
                   "view": t.view, "view_label": VIEW_LABELS[t.view],
                   "ranking": t.policy_label(), "min_coverage": t.min_coverage,
                   "ranked": len(t.ranked_table), "listed_below": t.listed_below,
                   "left_off": t.left_off, "left_off_no_task_data": t.left_off_no_task_data,
                   "excluded": t.excluded, "filled": t.filled,
                   "flagged_tasks": list(t.flagged_tasks),
                   **({"sota": sota} if sota is not None else {})}
            head = _head(t, top)
            if facts[k] is None:
                obj["rows"] = frame_records(head)
            else:
                obj["uncertainty"] = facts[k]
                obj["rows"] = json_rows(head, frames[k], t.board.cap)
                if pairwise:
                    p = result.pairwise(t.board.name, pairwise)
                    obj["pairwise"] = {"models": list(p.index), "p_above": [
                        [None if np.isnan(x) else float(x) for x in row] for row in p.to_numpy()]}
            objs.append(obj)
        return dumps(objs[0] if len(objs) == 1 else objs)
    shown = [_head(t, top) if frames[k] is None else
             _head(with_uncertainty(t, frames[k], fmt), top) for k, t in enumerate(tables)]
    if fmt == "csv":
        frame = pd.concat([f.assign(board=t.board.name) for f, t in zip(shown, tables,
                                                                        strict=True)],
                          ignore_index=True)
        frame = frame[["board"] + [c for c in frame.columns if c != "board"]]
        return frame.to_csv(index=False, lineterminator="\n").rstrip("\n")
    parts = []
    for k, t in enumerate(tables):
        view = "" if t.view == "recomputed" else f"; {VIEW_LABELS[t.view]}"
        below = (f", {t.listed_below} listed below unranked (coverage under "
                 f"{t.min_coverage:.0%})" if t.listed_below else "")
        title = (f"Scope-{t.board.scope} board '{t.board.name}' (cap Level-{t.board.cap}, "
                 f"{t.tasks_label()}; {len(t.ranked_table)} models ranked{below}"
                 + (f", {t.left_off} left off" if t.left_off else "")
                 + f"{view}; {t.policy_label()})")
        board_facts, board_frame = facts[k], frames[k]
        if board_facts is not None and fmt == "latex":
            title += "; " + method_line(board_facts)
        label = "tab:" + re.sub(r"[^A-Za-z0-9]+", "-", f"scope-{t.board.scope}-{t.board.name}"
                                ).strip("-").lower()
        part = render_frame(shown[k], "latex" if fmt == "latex" else "md", title, label)
        if board_facts is not None and board_frame is not None and fmt == "md":
            from glscore.analysis.uncertainty.findings import finding_board

            part += "\n\n" + markdown.escape(finding_board(board_frame, board_facts))
            part += "\n" + markdown.escape(method_line(board_facts))
            if pairwise:
                p = result.pairwise(t.board.name, pairwise)
                part += "\n\nP(row ranks above column):\n\n" + render_frame(
                    p.reset_index(), "md", None)
        if notes is not None:
            part += "\n\n" + markdown.escape(notes[k])
        parts.append(part)
    if fmt == "md" and any("proxy" in t.table.columns for t in tables):
        parts.append(f"({PROXY_NOTE})")
    return "\n\n".join(parts)


def with_uncertainty(table: BoardTable, frame: pd.DataFrame, fmt: str) -> BoardTable:
    """The board with its uncertainty columns after ``score``: all of them,
    numeric, for CSV; for Markdown and LaTeX the 95% intervals as text
    (``rank_95``, ``score_95``), ``rank_ub`` (the conservative rank),
    ``p_first`` and ``P(Lk+)`` = P(level >= k) up to the board's cap."""
    board = table.table
    # the rows listed below the ranked ones are not simulated: empty cells
    u = frame.set_index("model").reindex(board["model"])
    simulated = u["rank_lo"].notna().to_numpy()
    at = board.columns.get_loc("score") + 1
    cap = table.board.cap
    if fmt == "csv":
        columns = {c: u[c].to_numpy() for c in uncertainty_columns(cap)}
    else:
        columns = {
            "score_95": [f"{a:.2f}-{b:.2f}" if ok else "" for a, b, ok in
                         zip(u["score_lo"], u["score_hi"], simulated, strict=True)],
            "rank_95": [f"{int(a)}-{int(b)}" if ok else "" for a, b, ok in
                        zip(u["rank_lo"], u["rank_hi"], simulated, strict=True)],
            "rank_ub": pd.array(u["rank_conservative"].to_numpy(dtype=float), dtype="Int64"),
            "p_first": u["p_first"].to_numpy(),
            **{f"P(L{k}+)": u[f"p_level{k}"].to_numpy() for k in range(2, cap + 1)},
        }
    # one concatenation, not an insert per column (each insert rebuilds the frame's blocks)
    added = pd.DataFrame(columns, index=board.index)
    return replace(table, table=pd.concat([board.iloc[:, :at], added, board.iloc[:, at:]],
                                          axis=1))


def json_rows(head: pd.DataFrame, frame: pd.DataFrame, cap: int) -> list[dict]:
    """The board's rows (as without uncertainty) with ``rank_interval``,
    ``rank_conservative``, ``p_first``, ``p_above_next``, ``p_level``
    (``{"2": P(level >= 2), ...}`` up to the cap), ``score_interval`` and the
    bounds of the ranking key (``bound_lo``/``bound_hi``: ``[level, score]``)."""
    rows = frame_records(head)
    at = {m: k for k, m in enumerate(frame["model"].tolist())}
    columns = {c: frame[c].tolist() for c in uncertainty_columns(cap)}
    for row in rows:
        if row["model"] not in at:   # listed below the ranked rows: not simulated
            row.update({"rank_interval": None, "rank_conservative": None, "p_first": None,
                        "p_above_next": None, "p_level": None, "score_interval": None,
                        "bound_lo": None, "bound_hi": None})
            continue
        x = {c: values[at[row["model"]]] for c, values in columns.items()}
        row.update({
            "rank_interval": [int(x["rank_lo"]), int(x["rank_hi"])],
            "rank_conservative": int(x["rank_conservative"]),
            "p_first": float(x["p_first"]),
            "p_above_next": None if pd.isna(x["p_above_next"]) else float(x["p_above_next"]),
            "p_level": {str(k): float(x[f"p_level{k}"]) for k in range(2, cap + 1)},
            "score_interval": [float(x["score_lo"]), float(x["score_hi"])],
            "bound_lo": [int(x["bound_lo_level"]), float(x["bound_lo_score"])],
            "bound_hi": [int(x["bound_hi_level"]), float(x["bound_hi_score"])],
        })
    return rows


def render_frame(frame: pd.DataFrame, fmt: str, title: str | None,
                 label: str | None = None) -> str:
    """A frame as markdown (pipes), CSV (full float precision), JSON records or LaTeX
    (floats sized for a paper, with ``label``)."""
    if fmt == "json":
        return dumps(frame_records(frame))
    if fmt == "csv":
        return frame.to_csv(index=False, lineterminator="\n").rstrip("\n")
    if fmt == "latex":  # the display name only, as the paper's tables
        return latex_table(frame.drop(columns=["model"], errors="ignore"),
                           caption=title, label=label).rstrip("\n")
    cells = frame.astype(object).map(_cell)
    lines = [] if title is None else [f"### {markdown.escape(title)}", ""]
    lines.append(markdown.table(list(frame.columns), cells.to_numpy().tolist()))
    return "\n".join(lines)


def _cell(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)
