"""Where each page and file of the report lives, relative to its top.

Every link the report makes goes through these thin functions, so a change
of naming (slugs, hashes) is a change here only.
"""

from __future__ import annotations

import re

from glscore.analysis.scopes import Board


def slug(text: str) -> str:
    """``text`` with every run of characters outside ``[A-Za-z0-9]`` as one ``-``.

    >>> slug("I-C-1 Behavior Recog"), slug("Image+Video")
    ('I-C-1-Behavior-Recog', 'Image-Video')
    """
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")


def page_name(model: str) -> str:
    """The page of a model: ``models/<id>.html`` (characters outside
    ``[A-Za-z0-9._-]`` as ``_``)."""
    return f"models/{re.sub(r'[^A-Za-z0-9._-]', '_', model)}.html"


def board_key(board: Board) -> str:
    """A board's key in file names: ``<scope>-<slug of its name>`` (``B-Image-Video``)."""
    return key_of(board.scope, board.name)


def key_of(scope: str, name: str) -> str:
    """The key of the board called ``name`` in ``scope`` (:func:`board_key`)."""
    return f"{scope}-{slug(name)}"


def board_id(board: Board, view: str = "recomputed") -> str:
    """The HTML id of a board's table: ``board-<key>`` (``-<view>`` for a view
    other than the recomputed one)."""
    return f"board-{board_key(board)}" + ("" if view == "recomputed" else f"-{slug(view)}")


def board_page(board: Board) -> str:
    """The page of a board: ``boards/<key>.html``."""
    return page_of(board_key(board))


def page_of(key: str) -> str:
    """The page of the board with key ``key``."""
    return f"boards/{key}.html"


def board_download(board: Board, ext: str, view: str = "recomputed") -> str:
    """A board's download: ``downloads/boards/<key>.<ext>`` (``csv`` or ``json``;
    ``<key>-<view>`` for a view other than the recomputed one)."""
    suffix = "" if view == "recomputed" else f"-{slug(view)}"
    return f"downloads/boards/{board_key(board)}{suffix}.{ext}"


#: The whole data as downloads: name -> what it holds.
DATA_FILES: dict[str, str] = {
    "scores": "one row per model and task with a value: raw value, standard error, "
              "normalised score, SoTA (raw and normalised), win, credit, proxy, audit flag",
    "tasks": "one row per task: the tasks table with the normalised SoTA, how many models "
             "support and beat it, and the audit flag",
    "models": "one row per model: level reached, Level-2..5, S_L, coverage, per-modality "
              "levels, and the metadata of data/models.csv",
}


def data_download(name: str, ext: str) -> str:
    """A whole-data download: ``downloads/<name>.<ext>``."""
    return f"downloads/{name}.{ext}"


#: The "what changed" page (``glscore report --diff A B``).
CHANGES_PAGE = "changes.html"
