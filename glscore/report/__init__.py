"""A static HTML report: the leaderboards for people who do not run Python.

``glscore report --out report`` (``make report``) writes, from ``data/`` (and
the user's ``--results``) and the committed notebooks::

    report/index.html              Scopes A-C in full, Scope-D one line per board,
                                   the models, the downloads, the notebooks
    report/boards/<key>.html       one page per board: marks, rank intervals, tie
                                   brackets, P(level >= k), the pairwise heatmap
    report/models/<model>.html     one page per model: `glscore explain`, every
                                   value per task, the boards it is on
    report/downloads/...           every board as CSV and JSON; scores, tasks and
                                   models as CSV and JSON
    report/changes.html            what changed (``--diff A B``)
    report/notebooks/<nb>.html     every executed notebook, figures embedded
    report/static/report.css       the style sheet and the sorting/filtering script
    report/static/report.js        (package data, copied as they are)

Everything is computed by glscore in ONE scoring pass handed to every board
and page, and one uncertainty simulation of every board
(:mod:`glscore.report.build`); :mod:`glscore.report.context`,
:mod:`~glscore.report.boards`, :mod:`~glscore.report.marks` and
:mod:`~glscore.report.cells` turn the results into plain dicts and
:mod:`glscore.report.render` fills the Jinja2 templates with them
(autoescaping on); :mod:`glscore.report.names` places every file. The pages
work offline (no request to any host: the style sheet and the script are
files of the report) and are deterministic: the same inputs give the same
bytes. Files are written only inside the output folder; stale files in its
own subfolders are removed.
"""

from __future__ import annotations

from glscore.report.build import build

__all__ = ["build"]
