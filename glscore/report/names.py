"""Where each page and file of the report lives, relative to its top.

Every link the report makes goes through these thin functions, so a change
of naming (slugs, hashes) is a change here only.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from glscore.analysis.scopes import Board


def slug(text: str) -> str:
    """``text`` with every run of characters outside ``[A-Za-z0-9]`` as one ``-``.

    >>> slug("I-C-1 Behavior Recog"), slug("Image+Video")
    ('I-C-1-Behavior-Recog', 'Image-Video')
    """
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")


#: A model id that is its own page name: lower-case ASCII, portable, not a device name.
_SAFE_ID = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
#: File names Windows reserves whatever the extension (``CON.html`` cannot be created).
_RESERVED = re.compile(r"(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?")
#: Characters of a page name's readable part, and its length.
SLUG_LENGTH = 48


def page_name(model: str) -> str:
    """The page of a model, relative to the report's top: ``models/<name>.html``.

    A lower-case ASCII id (``vitron-v1``, ``internvl2.5-8b``) is its own name;
    any other id gets a readable slug (ASCII letters and digits of its NFKD
    form, at most :data:`SLUG_LENGTH` characters, ``model`` when nothing is left)
    and ``-`` the first 10 hex digits of the SHA-256 of the id, so every name is
    portable (no case to fold, no device name such as ``CON``, no leading dot,
    no separator), bounded in length, and two ids never share a page: ids are
    distinct once case-folded (:mod:`glscore.core.names`), lower-case ids differ
    as they are, and the others differ by hash.

    >>> page_name("vitron-v1"), page_name("CON"), page_name("../x <b>")
    ('models/vitron-v1.html', 'models/con-a3dbc4b644.html', 'models/x-b-01565a5abc.html')
    """
    if _SAFE_ID.fullmatch(model) and not _RESERVED.fullmatch(model) and not model.endswith("."):
        return f"models/{model}.html"
    ascii_text = unicodedata.normalize("NFKD", model).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:SLUG_LENGTH].strip("-")
    digest = hashlib.sha256(model.encode("utf-8")).hexdigest()[:10]
    return f"models/{slug or 'model'}-{digest}.html"


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
