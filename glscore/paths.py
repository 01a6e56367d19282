"""Every path the project knows, in one place.

The repository root is found from this file, never from the caller's working
directory, so that notebooks, tests and the command line agree wherever they
are started from. The shared, read-only source material lives beside the
repository (``../shared/data``); ``GLSCORE_SHARED_DATA`` overrides it.

The paper data: the committed top-level ``data/`` is the source of truth. A
wheel ships a copy of it as the package resource ``glscore/data`` (see
``[tool.hatch.build.targets.wheel.force-include]`` in ``pyproject.toml``),
found with :mod:`importlib.resources`; a checkout (or an editable install,
``make venv``) has no such resource and reads ``data/`` in place.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

REPO_ROOT: Path = Path(__file__).resolve().parent.parent


def _data_dir() -> Path:
    """``glscore/data`` of an installed wheel, else the checkout's ``data/``."""
    packaged = resources.files("glscore") / "data"
    if isinstance(packaged, Path) and packaged.is_dir():
        return packaged.resolve()
    return REPO_ROOT / "data"


DATA_DIR: Path = _data_dir()
FIGURES_DIR: Path = REPO_ROOT / "figures"
NOTEBOOKS_DIR: Path = REPO_ROOT / "notebooks"

TASKS_CSV: Path = DATA_DIR / "tasks.csv"
SCORES_CSV: Path = DATA_DIR / "scores.csv"
MODELS_CSV: Path = DATA_DIR / "models.csv"


def shared_data_dir() -> Path:
    """The read-only source folder (``../shared/data`` unless overridden)."""
    override = os.environ.get("GLSCORE_SHARED_DATA")
    if override:
        return Path(override).resolve()
    return (REPO_ROOT.parent / "shared" / "data").resolve()


def paper_source_dir() -> Path:
    """Transcribed paper tables (source of ``data/``)."""
    return shared_data_dir() / "general-bench-paper"


def official_dir() -> Path:
    """The official scorer's workbooks (never committed; tests only)."""
    return shared_data_dir() / "general-level-official"
