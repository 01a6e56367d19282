"""Build the static report (see :mod:`glscore.report`).

One scoring pass (:func:`glscore.core.scoring.score_detailed`) feeds every
board, its uncertainty (one simulation of every board,
:func:`glscore.analysis.uncertainty.uncertainty_of`), every model page and
every download; :mod:`glscore.report.context` turns the results into dicts,
:mod:`glscore.report.render` fills the templates with them, and the pages,
the downloads, the static files and the rendered notebooks are written
through the one atomic writer. Its dependencies (jinja2, mistune, nbconvert,
nbformat: the ``report`` extra) are imported with it, so a missing one is
found before any work starts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import mistune

from glscore import __version__, paths
from glscore.analysis import datastates
from glscore.analysis.audit import flagged_sota
from glscore.analysis.cells import cell_table, model_table, task_table
from glscore.analysis.diff import Diff
from glscore.analysis.explain import explain_markdown, explain_models
from glscore.analysis.leaderboard import BoardTable, scope_tables
from glscore.analysis.scopes import SCOPES
from glscore.analysis.uncertainty import Settings, Uncertainty, uncertainty_of
from glscore.analysis.uncertainty.findings import method_phrase
from glscore.cli.commands.common import frame_rows
from glscore.cli.commands.leaderboard import with_origin
from glscore.core.benchmark import Benchmark
from glscore.core.profiles import Profile
from glscore.core.scoring import Scoring, score_detailed
from glscore.core.synergy import Rule
from glscore.errors import InputError
from glscore.io.files import check_folder_target, publish_folder
from glscore.io.loaders import load_paper
from glscore.report import context, downloads, marks, names
from glscore.report import notebooks as nbhtml
from glscore.report.boards import PAIRWISE_TOP, BoardView
from glscore.report.render import environment, render, static_files

#: The subfolders the build owns: stale files in them are removed.
OWN_FOLDERS: tuple[str, ...] = ("models", "notebooks", "boards", "downloads",
                                "downloads/boards")
#: Files at the top the build owns (written or, when not asked for, removed).
OWN_FILES: tuple[str, ...] = (names.CHANGES_PAGE,)
#: Default draws and seed of the report's rank uncertainty.
DEFAULT_DRAWS = 1000
DEFAULT_SEED = 0

#: The stages a build reports to ``Options.step``, in order.
STAGES: tuple[str, ...] = ("boards", "rank uncertainty", "explanations", "pages", "notebooks")
Step = Callable[[str], object]


@dataclass(frozen=True)
class Options:
    """What a build shows besides the pass: each model's ``origins`` (``paper``
    / ``input``; default all ``paper``), the uncertainty ``settings`` (``None``:
    no simulation), the SoTA table's label ``sota``, the "what changed" page
    (``changes``: a :class:`~glscore.analysis.diff.Diff`), a
    ``progress`` callback for the draws and a ``step`` callback per stage."""

    origins: Sequence[str] | None = None
    settings: Settings | None = field(default_factory=lambda: Settings(DEFAULT_DRAWS,
                                                                        DEFAULT_SEED))
    sota: str | None = None
    changes: Diff | None = None
    progress: Callable[[int], object] | None = None
    step: Step | None = None


def build(out_dir: Path | str, profile: str | Profile = "paper", rule: str | Rule | None = None,
          notebooks_dir: Path | str = paths.NOTEBOOKS_DIR, bench: Benchmark | None = None,
          rule_params: Mapping[str, float] | None = None,
          options: Options | None = None) -> list[Path]:
    """Write the report into ``out_dir``; return the files written or kept."""
    out = Path(out_dir)
    check_out(out)
    options = Options() if options is None else options
    bench = load_paper() if bench is None else bench
    run = score_detailed(bench, profile, rule, rule_params)  # the one pass every page reads
    files = pages(run, sorted(Path(notebooks_dir).glob("[0-9][0-9]_*.ipynb")), options)
    # all or nothing: a failure or Ctrl-C leaves the folder as it was; stale files of
    # our own subfolders (and our own top-level files not asked for) are dropped
    return publish_folder(out, files, OWN_FOLDERS, OWN_FILES)


def check_out(out: Path) -> None:
    """``out`` can take the report: a new or empty folder, or one that holds a report
    (``index.html`` and ``static/report.js``), whose stale pages the build may drop;
    never a file, never a folder of other things."""
    check_folder_target(out)
    if out.is_dir() and any(out.iterdir()) and not (
            (out / "index.html").is_file() and (out / "static" / "report.js").is_file()):
        raise InputError(f"--out '{out}': the folder is not empty and holds no glscore "
                         "report; choose a new or empty folder (the build replaces what a "
                         "report holds there)")


def _step(options: Options, what: str) -> None:
    if options.step is not None:
        options.step(what)


def boards_of(run: Scoring, origins: Sequence[str]) -> dict[str, list[BoardTable]]:
    """Every board of every scope from the pass, with each row's ``origin``."""
    origin = dict(zip(run.bench.models, origins, strict=True))
    return {s: [with_origin(t, origin) for t in scope_tables(run, s)] for s in SCOPES}


def views_of(tables: Mapping[str, Sequence[BoardTable]], result: Uncertainty | None
             ) -> dict[str, list[BoardView]]:
    """The boards with their uncertainty frames, facts and pairwise matrices
    (``result`` simulates the boards in scope order)."""
    views: dict[str, list[BoardView]] = {}
    k = 0
    for s in SCOPES:
        views[s] = []
        for t in tables[s]:
            if result is None:
                views[s].append(BoardView(t))
            else:
                pair = result.pairwise(t.board.name, PAIRWISE_TOP) if len(t.table) > 1 else None
                views[s].append(BoardView(t, result.frames[k], result.facts[k], pair))
            k += 1
    return views


#: The other views of a board the report shows on its page (board key -> views):
#: Scope-A hybrid and complete-case (:data:`glscore.analysis.leaderboard.VIEWS`).
OTHER_VIEWS: dict[str, tuple[str, ...]] = {"A": ("hybrid", "complete-case")}


def other_views(run: Scoring, origins: Sequence[str]) -> dict[str, list[BoardView]]:
    """The :data:`OTHER_VIEWS` of the pass's boards, by board key (no
    uncertainty: a hybrid row rests on published per-modality cells); none
    when no model of the pass has a modality without per-task data (the views
    would only add the paper's models to someone else's benchmark)."""
    origin = dict(zip(run.bench.models, origins, strict=True))
    out: dict[str, list[BoardView]] = {}
    if datastates.no_task_data(run.bench).empty:
        return out
    for scope, kinds in OTHER_VIEWS.items():
        for kind in kinds:
            try:
                found = scope_tables(run, scope, view=kind)
            except InputError:  # a profile without per-modality levels has no hybrid view
                continue
            for t in found:
                out.setdefault(names.board_key(t.board), []).append(
                    BoardView(with_origin(t, origin)))
    return out


def unique_files(files: Mapping[str, str], what: str) -> None:
    """Two ``what`` whose pages would be the same file are an
    :class:`InputError` naming both (one page would silently replace the other)."""
    seen: dict[str, str] = {}
    for name, path in files.items():
        if path in seen:
            raise InputError(f"{what} '{seen[path]}' and '{name}' would both be written to "
                             f"'{path}': rename one")
        seen[path] = name


def uncertainty_summary(result: Uncertainty | None) -> dict[str, object] | None:
    """Draws, seed, level and the method phrase every page states."""
    if result is None or not result.facts:
        return None
    s = result.settings
    return {"draws": s.draws, "seed": s.seed, "level": s.level, "percent": f"{s.level:.0%}",
            "method": method_phrase(result.facts[0])}


def pages(run: Scoring, notebooks: list[Path], options: Options | None = None
          ) -> dict[str, str | bytes]:
    """Every file of the report, by path relative to its top: the index, a
    page per board and per model, the downloads, one page per notebook, the
    "what changed" page when asked, and the static files."""
    options = Options() if options is None else options
    bench = run.bench
    origins = list(options.origins) if options.origins is not None else ["paper"] * len(bench)
    _step(options, "boards")
    tables = boards_of(run, origins)
    every = [t for s in SCOPES for t in tables[s]]
    result = None
    if options.settings is not None:
        _step(options, "rank uncertainty")
        result = uncertainty_of(run, every, options.settings, se=bench.se,
                                progress=options.progress)
    views = views_of(tables, result)
    others = other_views(run, origins)
    unique_files({m: names.page_name(m) for m in bench.models}, "models")
    unique_files({f"Scope-{t.board.scope} '{t.board.name}'": names.board_page(t.board)
                  for t in every}, "boards")
    _step(options, "explanations")
    settings = options.settings or Settings(DEFAULT_DRAWS, DEFAULT_SEED)
    records = explain_models(run, draws=settings.draws, seed=settings.seed, se=bench.se)
    flags = flagged_sota(run)
    frames = {"scores": cell_table(run, flags, origins), "tasks": task_table(run, flags),
              "models": model_table(run, origins)}
    facets = marks.facets(frames["models"])
    unc = uncertainty_summary(result)

    _step(options, "pages")
    env = environment()
    files: dict[str, str | bytes] = dict(static_files())
    files.update(downloads.data_files(frames))
    files.update(downloads.board_files([v for s in SCOPES for v in views[s]], result,
                                       options.sota))
    files.update(downloads.board_files([v for vs in others.values() for v in vs], None,
                                       options.sota))
    summary = {"n_models": len(bench.models), "n_tasks": len(bench.tasks),
               "source": bench.source, "version": __version__,
               "n_input": sum(o == "input" for o in origins)}
    titles = [(nb.stem, context.notebook_title(nb)) for nb in notebooks]
    files["index.html"] = render(env, "index.html.j2", context.index(
        summary, records, views, frames["models"], facets, titles, unc,
        changes=options.changes is not None))
    for s in SCOPES:
        for v in views[s]:
            files[names.board_page(v.ranked.board)] = render(
                env, "board.html.j2", context.board_page(
                    v, records, facets, unc, others.get(names.board_key(v.ranked.board), [])))
    placed = context.placements(views)
    info = {str(r["model"]): r for r in frame_rows(frames["models"])}
    per_model: dict[str, list[dict[str, Any]]] = {}
    for r in frame_rows(frames["scores"]):
        per_model.setdefault(str(r["model"]), []).append(r)
    # explain_markdown escapes user text (glscore.io.markdown); mistune renders
    # the Markdown as CommonMark does, entities included.
    markdown = mistune.create_markdown(escape=False, plugins=["table"])
    for record in records:
        model = record["model"]
        explanation = str(markdown(explain_markdown(record, heading=2, levels_table=False)))
        files[names.page_name(model)] = render(env, "model.html.j2", context.model(
            record, placed.get(model, []), explanation, per_model.get(model, []),
            info[model]))
    if options.changes is not None:
        keys = {names.board_key(v.ranked.board) for s in SCOPES for v in views[s]}
        files[names.CHANGES_PAGE] = render(env, "changes.html.j2", context.changes(
            options.changes, keys, set(bench.models)))
    if notebooks:
        _step(options, "notebooks")
        exporter = nbhtml.exporter()
        for nb in notebooks:
            files[f"notebooks/{nb.stem}.html"] = nbhtml.render(nb, exporter)
    return files

