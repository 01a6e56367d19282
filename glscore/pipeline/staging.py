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
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from glscore.io.files import deferred_interrupt, move_into

Run = tuple[Path, dict[str, Any], Path | None]


@contextlib.contextmanager
def staged(runs: Sequence[Run], target: Path | None, parameter: str) -> Iterator[list[Run]]:
    """``runs`` (from :func:`glscore.pipeline.runner.plan`) pointed at a staging
    folder beside ``target`` (``parameter`` is the notebooks' output folder
    parameter); on leaving the block without an error the outputs move into
    ``target``. ``target=None`` (a run in place) yields ``runs`` unchanged."""
    if target is None:
        yield list(runs)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.partial-", dir=target.parent))
    try:
        yield [(notebook, {**params, parameter: str(staging)},
                staging / output.name if output is not None else None)
               for notebook, params, output in runs]
        _name_the_target(staging, target)
        names = sorted(str(p.relative_to(staging)) for p in staging.rglob("*") if p.is_file())
        with deferred_interrupt():
            target.mkdir(parents=True, exist_ok=True)
            move_into(staging, target, names)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _name_the_target(staging: Path, target: Path) -> None:
    """In the executed notebooks, the staging folder's path becomes ``target``'s
    (the injected ``out_dir`` records where the outputs were asked for)."""
    import nbformat

    from glscore.pipeline.runner import write_notebook

    old, new = str(staging), str(target)
    for path in sorted(staging.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            cell["source"] = cell.get("source", "").replace(old, new)
            for output in cell.get("outputs", []):
                if "text" in output:
                    output["text"] = output["text"].replace(old, new)
        write_notebook(nb, path)
