"""Build the static report (see :mod:`glscore.report`).

One scoring pass (:func:`glscore.core.scoring.score_detailed`) feeds every
board and every model page; :mod:`glscore.report.context` turns the results
into dicts, :mod:`glscore.report.render` fills the templates with them, and
the pages, the static files and the rendered notebooks are written through
the one atomic writer. Its dependencies (jinja2, mistune, nbconvert,
nbformat: the ``report`` extra) are imported with it, so a missing one is
found before any work starts.
"""

from __future__ import annotations

from pathlib import Path

import mistune

from glscore import __version__, paths
from glscore.analysis.explain import explain_markdown, explain_models
from glscore.analysis.leaderboard import scope_tables
from glscore.analysis.scopes import SCOPES
from glscore.core.benchmark import Benchmark
from glscore.core.profiles import Profile
from glscore.core.scoring import Scoring, score_detailed
from glscore.errors import InputError
from glscore.io.files import check_folder_target, publish_folder
from glscore.io.loaders import load_paper
from glscore.report import context
from glscore.report import notebooks as nbhtml
from glscore.report.render import environment, render, static_files

#: The subfolders the build owns: stale pages in them are removed.
OWN_FOLDERS: tuple[str, ...] = ("models", "notebooks")


def build(out_dir: Path | str, profile: str | Profile = "paper", rule: str | None = None,
          notebooks_dir: Path | str = paths.NOTEBOOKS_DIR,
          bench: Benchmark | None = None) -> list[Path]:
    """Write the report into ``out_dir``; return the files written or kept."""
    out = Path(out_dir)
    check_out(out)
    bench = load_paper() if bench is None else bench
    run = score_detailed(bench, profile, rule)  # the one pass every page reads
    files = dict(pages(run, sorted(Path(notebooks_dir).glob("[0-9][0-9]_*.ipynb"))))
    # all or nothing: a failure or Ctrl-C leaves the folder as it was; stale pages of
    # our own subfolders are dropped
    return publish_folder(out, files, OWN_FOLDERS)


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


def pages(run: Scoring, notebooks: list[Path]) -> dict[str, str | bytes]:
    """Every file of the report, by path relative to its top: the index, one
    page per model, one per notebook, and the static files."""
    tables = {s: scope_tables(run, s) for s in SCOPES}
    records = explain_models(run)  # one per model, in bench order
    env = environment()
    summary = {"n_models": len(run.bench.models), "n_tasks": len(run.bench.tasks),
               "source": run.bench.source, "version": __version__}
    titles = [(nb.stem, context.notebook_title(nb)) for nb in notebooks]
    files: dict[str, str | bytes] = dict(static_files())
    files["index.html"] = render(env, "index.html.j2",
                                 context.index(summary, records, tables, titles))
    placed = context.placements(tables)
    # explain_markdown escapes user text (glscore.io.markdown); mistune renders
    # the Markdown as CommonMark does, entities included.
    markdown = mistune.create_markdown(escape=False, plugins=["table"])
    for record in records:
        explanation = str(markdown(explain_markdown(record, heading=2)))
        page = context.model_file(record["model"])
        if page in files:  # distinct ids never share a page (context.model_file); say so if
            raise InputError(f"models '{record['model']}' and another share the page {page}")
        files[page] = render(
            env, "model.html.j2",
            context.model(record, placed.get(record["model"], []), explanation))
    if notebooks:
        exporter = nbhtml.exporter()
        for nb in notebooks:
            files[f"notebooks/{nb.stem}.html"] = nbhtml.render(nb, exporter)
    return files
