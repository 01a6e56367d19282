"""A static HTML report: the leaderboards for people who do not run Python.

``glscore report --out report`` (``make report``) writes, from ``data/`` and
the committed notebooks only::

    report/index.html            every board of Scopes A-D, sortable and filterable
    report/models/<model>.html   one page per model: `glscore explain`, and its boards
    report/notebooks/<nb>.html   every executed notebook, figures embedded
    report/static/report.css     the style sheet and the sorting/filtering script
    report/static/report.js      (package data, copied as they are)

Everything is computed by glscore in ONE scoring pass handed to every board
and page (:mod:`glscore.report.build`); :mod:`glscore.report.context` turns the
results into plain dicts and :mod:`glscore.report.render` fills the Jinja2
templates (``templates/``: ``layout`` the page frame, ``index``, ``model`` and
``notebook`` one per page kind, ``_board`` and ``_cells`` the shared pieces)
with autoescaping on. The level reached is shown in the house colours of
:data:`glscore.figures.style.LEVEL_COLORS`, coverage as ``supported / tasks``
of the board, and every page names the profile and the synergy rule. The
pages work offline (no request to any host: the style sheet and the script
are files of the report) and are deterministic: the same inputs give the
same bytes. Files are written only inside the output folder; stale pages in
its ``models/`` and ``notebooks/`` subfolders are removed.
"""

from __future__ import annotations

from glscore.report.build import build

__all__ = ["build"]
