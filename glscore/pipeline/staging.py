"""A run with ``--output-dir`` leaves all of its outputs or none.

The notebooks of ``glscore run --output-dir DIR`` write their executed copies,
figures and tables into a staging folder beside ``DIR``
(``.<name>.partial-*``); only when every notebook has run are they moved into
``DIR`` (each file replaced atomically, Ctrl-C held back while they move), and
the executed notebooks say ``DIR``, not the staging folder, as the folder
they were given. A failing notebook or an interrupt removes the staging
folder: ``DIR`` is as it was.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from glscore.io.files import deferred_interrupt, move_into

Run = tuple[Path, dict[str, Any], Path | None]


@contextlib.contextmanager
def staged(runs: Sequence[Run], target: Path | None, parameter: str,
           finish: Callable[[Path, Path], None] | None = None) -> Iterator[list[Run]]:
    """``runs`` (from :func:`glscore.pipeline.runner.plan`) pointed at a staging
    folder beside ``target`` (``parameter`` is the notebooks' output folder
    parameter); on leaving the block without an error ``finish(staging,
    target)`` runs (the runner names the target in the executed notebooks)
    and the outputs move into ``target``. ``target=None`` (a run in place)
    yields ``runs`` unchanged."""
    if target is None:
        yield list(runs)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.partial-", dir=target.parent))
    try:
        yield [(notebook, {**params, parameter: str(staging)},
                staging / output.name if output is not None else None)
               for notebook, params, output in runs]
        if finish is not None:
            finish(staging, target)
        names = sorted(str(p.relative_to(staging)) for p in staging.rglob("*") if p.is_file())
        with deferred_interrupt():
            target.mkdir(parents=True, exist_ok=True)
            move_into(staging, target, names)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
