"""Run the numbered notebooks headlessly, reproducibly, and store them clean.

The notebooks in ``notebooks/`` are named ``NN_topic.ipynb`` and are executed
in numerical order with papermill. Every run:

* checks the passed parameter names against the cell tagged ``parameters``
  (papermill itself only logs a warning for an unknown name) and raises
  :class:`ValueError` naming the notebook, the unknown name and the known ones;
* executes with the kernel ``python3`` (by default), the working directory set
  to the repository root (notebooks resolve paths from there, never from the
  caller's directory), no progress bar, an execution timeout per cell, and the
  kernel environment ``MPLBACKEND=Agg`` and ``PYTHONHASHSEED=0``;
* strips volatile metadata (papermill's timestamps, durations and status, the
  ``execution`` timings nbclient records, widget state, papermill's empty
  ``tags`` lists), sets the kernelspec to :data:`KERNELSPEC` (``glscore``, the
  kernel ``make lab`` registers) and writes the
  notebook with nbformat's canonical JSON (indent 1, sorted keys, trailing
  newline), atomically, so that two runs give the same bytes.

Parameters and the ``injected-parameters`` cell: when parameters are passed,
papermill inserts a cell tagged ``injected-parameters`` right after the
``parameters`` cell, and that cell is kept in the written notebook (it records
what was run). The committed notebooks are regenerated with **no** parameters
(:func:`run_all`, ``make notebooks``), so they carry no injected cell; a
leftover one from an earlier parameterised run is replaced by papermill and,
with no parameters, dropped by :func:`run_notebook`. Running a committed
notebook in place *with* parameters is therefore discouraged: write to another
``output`` instead (the command line insists on ``--output-dir`` for that).

If a notebook fails, nothing is written: the source notebook is left as it
was and a :class:`NotebookExecutionError` says which notebook and which cell.

Outputs go only where they are asked for: every notebook declares the
parameter :data:`OUTPUT_PARAMETER` (``out_dir = "figures"``) and writes its
figures and tables there. Without ``--output-dir`` the notebooks are rewritten
in place and write to the committed ``figures/``; with it, the executed
notebooks, figures and tables all go to that folder. The whole invocation is
checked (:func:`plan`) before the first notebook starts.

The command line is ``glscore run`` (:mod:`glscore.cli.commands.run`;
``python -m glscore.pipeline`` is the same)::

    glscore run [--only PATTERN] [--timeout S] [--debug]
                [--output-dir DIR [-p NAME=VALUE ...]]
"""

from __future__ import annotations

import contextlib
import fnmatch
import json
import logging
import os
import platform
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import nbformat

from glscore.io.files import write_text_if_changed
from glscore.paths import NOTEBOOKS_DIR, REPO_ROOT
from glscore.pipeline import DEFAULT_TIMEOUT
from glscore.pipeline.rules_path import kernel_environment

__all__ = [
    "KERNEL_ENV",
    "NOTEBOOK_PATTERN",
    "OUTPUT_PARAMETER",
    "NotebookExecutionError",
    "PipelineError",
    "clean_notebook",
    "list_notebooks",
    "notebook_parameters",
    "plan",
    "run_all",
    "run_notebook",
    "write_notebook",
]

#: A notebook file name: two or more digits, an underscore, a topic.
NOTEBOOK_PATTERN = re.compile(r"^(?P<number>\d{2,})_.+\.ipynb$")

#: Environment given to the kernel for every run (stable figures and hashing).
#: On x86-64, OpenBLAS picks its kernels by CPU (Haswell, SkylakeX, ...), and a
#: matrix product can differ in its last bit between them; one kernel for every
#: machine keeps the tables the notebooks write byte-identical across machines.
KERNEL_ENV: Mapping[str, str] = {
    "MPLBACKEND": "Agg",
    "PYTHONHASHSEED": "0",
    **({"OPENBLAS_CORETYPE": "Haswell"} if platform.machine().lower() in {"x86_64", "amd64"}
       else {}),
}

#: Kernelspec stored in every notebook the runner writes: the kernel that
#: ``make lab`` registers (``ipykernel install --name glscore``), so a notebook
#: opened in Lab runs in the project's ``.venv``. Headless runs do not depend
#: on it: the runner and nbval start ``python3`` of the running Python.
KERNELSPEC: Mapping[str, str] = {
    "display_name": "glscore (.venv)",
    "language": "python",
    "name": "glscore",
}


#: The parameter every notebook declares for its output folder (figures, CSVs).
#: Its default, ``"figures"``, is resolved from the repository root; the runner
#: sets it to ``--output-dir`` (absolute) when one is given.
OUTPUT_PARAMETER = "out_dir"

# Cell-metadata keys that only describe one particular run.
_VOLATILE_CELL_KEYS = ("papermill", "execution", "ExecuteTime", "collapsed_timing")
# Notebook-metadata keys that only describe one particular run.
_VOLATILE_NOTEBOOK_KEYS = ("papermill", "widgets")


class NotebookExecutionError(RuntimeError):
    """A notebook failed while executing.

    Attributes: ``notebook`` (path), ``cell_index`` (0-based index among the
    executed notebook's cells, an injected-parameters cell included, or
    ``None`` if unknown), ``execution_count``, ``ename``
    and ``evalue`` (the exception raised in the kernel), ``source`` (the
    failing cell's source, if known) and ``traceback`` (kernel traceback
    lines, ANSI colours included).
    """

    def __init__(
        self,
        notebook: Path,
        cell_index: int | None,
        ename: str,
        evalue: str,
        *,
        execution_count: int | None = None,
        source: str = "",
        traceback: list[str] | None = None,
    ) -> None:
        self.notebook = Path(notebook)
        self.cell_index = cell_index
        self.execution_count = execution_count
        self.ename = ename
        self.evalue = evalue
        self.source = source
        self.traceback = list(traceback or [])
        super().__init__(self.summary())

    def __reduce__(self) -> tuple[Any, ...]:
        """Picklable (a parallel run sends it from a worker process)."""
        return (_rebuild_error, (self.notebook, self.cell_index, self.ename, self.evalue,
                                 self.execution_count, self.source, self.traceback))

    def summary(self) -> str:
        """One line: notebook, cell and error."""
        where = display_path(self.notebook)
        if self.cell_index is None:
            cell = "unknown cell"
        else:
            cell = f"cell {self.cell_index}"
            if self.execution_count is not None:
                cell += f" (In [{self.execution_count}])"
        first = self.source.strip().splitlines()[0] if self.source.strip() else ""
        hint = f" [cell starts: {first[:60]!r}]" if first else ""
        return f"{where}: {cell} failed: {self.ename}: {self.evalue}{hint}"


def _rebuild_error(notebook: Path, cell_index: int | None, ename: str, evalue: str,
                   execution_count: int | None, source: str,
                   traceback: list[str]) -> NotebookExecutionError:
    return NotebookExecutionError(notebook, cell_index, ename, evalue,
                                  execution_count=execution_count, source=source,
                                  traceback=traceback)


def display_path(path: Path) -> str:
    path = Path(path)
    with contextlib.suppress(ValueError):
        return str(path.resolve().relative_to(REPO_ROOT))
    return str(path)


# --------------------------------------------------------------------------
# discovery and inspection
# --------------------------------------------------------------------------


def list_notebooks(directory: Path | str = NOTEBOOKS_DIR) -> list[Path]:
    """The ``NN_*.ipynb`` notebooks in ``directory``, sorted by number.

    Files not following the naming scheme (checkpoints, scratch notebooks) are
    ignored; a missing directory gives an empty list. Ties in the number are
    broken by name, so the order is total.

    >>> list_notebooks("/nonexistent")
    []
    """
    directory = Path(directory)
    if not directory.is_dir():
        return []
    found: list[tuple[int, str, Path]] = []
    for path in directory.iterdir():
        match = NOTEBOOK_PATTERN.match(path.name)
        if match and path.is_file():
            found.append((int(match["number"]), path.name, path))
    return [path for _, _, path in sorted(found)]


def notebook_parameters(path: Path | str) -> dict[str, dict[str, Any]]:
    """Parameters declared in the notebook's cell tagged ``parameters``.

    Returns papermill's inspection: name -> ``{"name", "inferred_type_name",
    "default", "help"}`` (``default`` is the source text of the value). An
    empty dict when the notebook has no ``parameters`` cell.
    """
    import papermill

    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"notebook not found: {path}")
    nb = _read_notebook(path)
    return dict(papermill.inspect_notebook(nb))


def _check_parameters(path: Path, parameters: Mapping[str, Any]) -> None:
    known = notebook_parameters(path)
    unknown = [name for name in parameters if name not in known]
    if unknown:
        known_text = ", ".join(sorted(known)) if known else "none (no 'parameters' cell)"
        names = ", ".join(repr(name) for name in unknown)
        plural = "s" if len(unknown) > 1 else ""
        raise PipelineError(
            f"{display_path(path)}: unknown parameter{plural} {names}; "
            f"known parameters: {known_text}"
        )


# --------------------------------------------------------------------------
# cleaning and writing
# --------------------------------------------------------------------------


def clean_notebook(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Strip run-specific metadata from ``nb`` (in place) and return it.

    Removes notebook-level ``papermill`` and ``widgets`` metadata, cell-level
    ``papermill`` / ``execution`` / ``ExecuteTime`` metadata, the empty
    ``tags`` lists papermill adds to every cell, the Python patch version in
    ``language_info``; sets the kernelspec to :data:`KERNELSPEC`; merges consecutive
    stream outputs (:func:`coalesce_streams`).
    """
    meta = nb.setdefault("metadata", nbformat.NotebookNode())
    for key in _VOLATILE_NOTEBOOK_KEYS:
        meta.pop(key, None)
    meta["kernelspec"] = nbformat.from_dict(dict(KERNELSPEC))
    language_info = meta.get("language_info")
    if isinstance(language_info, dict):
        language_info.pop("version", None)
    for cell in nb.get("cells", []):
        cell_meta = cell.setdefault("metadata", nbformat.NotebookNode())
        for key in _VOLATILE_CELL_KEYS:
            cell_meta.pop(key, None)
        if "tags" in cell_meta and not cell_meta["tags"]:
            del cell_meta["tags"]
        if "injected-parameters" in cell_meta.get("tags", []):
            cell["id"] = "injected-parameters"  # papermill gives it a random id
        # Widget views reference model ids that change on every run.
        for output in cell.get("outputs", []):
            data = output.get("data")
            if isinstance(data, dict):
                data.pop("application/vnd.jupyter.widget-view+json", None)
        if "outputs" in cell:
            cell["outputs"] = coalesce_streams(cell["outputs"])
    return nb


def coalesce_streams(outputs: list) -> list:
    """Merge consecutive ``stream`` outputs of the same name (stdout/stderr).

    How a cell's printed text is split into stream outputs depends on when
    the kernel flushed, not on what was printed; merging makes it stable.
    """
    merged: list = []
    for output in outputs:
        previous = merged[-1] if merged else None
        if (output.get("output_type") == "stream" and previous is not None
                and previous.get("output_type") == "stream"
                and previous.get("name") == output.get("name")):
            previous["text"] = _text(previous["text"]) + _text(output["text"])
        else:
            merged.append(output)
    return merged


def _text(value: str | list[str]) -> str:
    return value if isinstance(value, str) else "".join(value)


def _ensure_cell_ids(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Give cells without an id a deterministic one and mark the format 4.5.

    nbformat would otherwise assign random ids on upgrade, making every run
    produce different bytes for an old-format notebook.
    """
    used = {cell.get("id") for cell in nb.cells if cell.get("id")}
    for index, cell in enumerate(nb.cells):
        if not cell.get("id"):
            candidate = f"cell-{index:03d}"
            while candidate in used:
                candidate += "x"
            cell["id"] = candidate
            used.add(candidate)
    if nb.get("nbformat", 4) == 4 and nb.get("nbformat_minor", 0) < 5:
        nb["nbformat_minor"] = 5
    return nb


def _read_notebook(path: Path) -> nbformat.NotebookNode:
    with open(path, encoding="utf-8") as handle:
        raw = json.load(handle)
    nb = nbformat.from_dict(raw)
    if nb.get("nbformat") != 4:
        nb = nbformat.reads(json.dumps(raw), as_version=4)
    # papermill needs a kernel name and language to parse and inject parameters.
    kernelspec = nb.setdefault("metadata", nbformat.NotebookNode()).get("kernelspec") or {}
    if not kernelspec.get("name") or not kernelspec.get("language"):
        nb.metadata["kernelspec"] = nbformat.from_dict(dict(KERNELSPEC))
    return _ensure_cell_ids(nb)


def write_notebook(nb: nbformat.NotebookNode, path: Path | str) -> Path:
    """Write ``nb`` canonically (nbformat JSON + trailing newline), atomically."""
    text = nbformat.writes(nb, version=4)
    if not text.endswith("\n"):
        text += "\n"
    path = Path(path)
    write_text_if_changed(path, text)
    return path


# --------------------------------------------------------------------------
# execution
# --------------------------------------------------------------------------


@contextlib.contextmanager
def _environment(values: Mapping[str, str]) -> Iterator[None]:
    """Set environment variables for the duration of the block, then restore."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, old in saved.items():
            if old is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = old


def _kernel_manager_class(runtime: Path) -> type:
    """A kernel manager on IPC transport, its sockets and connection file in
    the private folder ``runtime``, that does not interrupt an idle kernel.

    Over TCP, ipykernel warns on every start that it runs without encryption;
    IPC is local by construction. jupyter_client names IPC sockets
    ``<ip>-<port>`` with ``ip`` relative to the working directory (the
    checkout) and picks the first free port number there, so two runs at
    once could pick the same socket ("Invalid Signature", a kernel that does
    not answer): here every socket and the connection file live in
    ``runtime``, a folder of this run alone (:func:`private_runtime`). The
    kernel process's own standard error is discarded (a cell's output reaches
    the notebook through the kernel's messages; a kernel torn down by Ctrl-C
    would print tracebacks).
    jupyter_client interrupts the kernel before asking it to shut down, which
    makes an idle kernel log a ``KeyboardInterrupt``; once a shutdown has
    started the interrupt is skipped (a busy kernel is still killed after
    the grace period).
    """
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    class QuietKernelManager(AsyncKernelManager):
        @default("transport")
        def _default_transport(self) -> str:
            return "ipc"

        @default("connection_file")
        def _default_connection_file(self) -> str:
            return str(runtime / "kernel.json")

        @default("ip")
        def _default_ip(self) -> str:
            return str(runtime / "kernel-ipc")

        async def _async_interrupt_kernel(self) -> None:
            if self.shutting_down:
                return
            await super()._async_interrupt_kernel()

        async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
            # The kernel's own stderr (not the cells': those come as outputs) would
            # otherwise share the terminal: torn down by Ctrl-C, it prints tracebacks.
            kw.setdefault("stderr", subprocess.DEVNULL)
            await super()._async_launch_kernel(kernel_cmd, **kw)

    return QuietKernelManager


@contextlib.contextmanager
def private_runtime() -> Iterator[Path]:
    """A new private folder for one kernel's sockets and connection file
    (under the system's temporary folder, never in the checkout), removed
    afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="glscore-kernel-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _drop_injected_cells(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    nb.cells = [
        cell
        for cell in nb.cells
        if "injected-parameters" not in cell.get("metadata", {}).get("tags", [])
    ]
    return nb


def run_notebook(
    path: Path | str,
    parameters: dict[str, Any] | None = None,
    output: Path | str | None = None,
    timeout: int = DEFAULT_TIMEOUT,
    kernel: str = "python3",
) -> Path:
    """Execute one notebook with papermill and write it, cleaned.

    Parameters
    ----------
    path:
        The notebook to run.
    parameters:
        Values for names declared in the notebook's ``parameters`` cell.
        Every name is checked first: an unknown one raises ``ValueError``.
        With parameters, papermill's ``injected-parameters`` cell is stored.
    output:
        Where to write the executed notebook; ``None`` (default) overwrites
        ``path`` in place.
    timeout:
        Per-cell execution timeout in seconds.
    kernel:
        Jupyter kernel name (``python3``: the Python running this function,
        when ipykernel is installed there).

    Returns the path written. On a failing cell, raises
    :class:`NotebookExecutionError` and writes nothing.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    path = Path(path).resolve()
    if not path.is_file():
        raise FileNotFoundError(f"notebook not found: {path}")
    parameters = dict(parameters or {})
    _check_parameters(path, parameters)
    target = Path(output).resolve() if output is not None else path

    nb = _read_notebook(path)
    if not parameters:
        nb = _drop_injected_cells(nb)

    # papermill logs every cell at INFO and warns about things we check ourselves.
    logging.getLogger("papermill").setLevel(logging.WARNING)
    try:
        # the kernel runs in the repository root: it looks for rule modules where we are too
        with _environment({**KERNEL_ENV, **kernel_environment()}), private_runtime() as runtime:
            executed = papermill.execute_notebook(
                nb,
                None,  # no intermediate writes: we write once, cleaned, at the end
                parameters=parameters or None,
                kernel_name=kernel,
                cwd=str(REPO_ROOT),
                progress_bar=False,
                request_save_on_cell_execute=False,
                execution_timeout=timeout,
                kernel_manager_class=_kernel_manager_class(runtime),
            )
    except PapermillExecutionError as exc:
        raise NotebookExecutionError(
            path,
            exc.cell_index,
            exc.ename,
            exc.evalue,
            execution_count=exc.exec_count,
            source=exc.source,
            traceback=exc.traceback,
        ) from exc
    except Exception as exc:  # timeouts, dead kernels, missing kernels
        message = str(exc).strip().splitlines()
        raise NotebookExecutionError(
            path,
            None,
            type(exc).__name__,
            message[0] if message else "",
            source=_timeout_preview(str(exc)),
        ) from exc

    clean_notebook(executed)
    return write_notebook(executed, target)


def _timeout_preview(message: str) -> str:
    """The cell preview nbclient puts in a timeout message, if any."""
    marker = "Here is a preview of the cell contents:"
    if marker not in message:
        return ""
    preview = message.split(marker, 1)[1]
    lines = [line for line in preview.splitlines() if line.strip() and set(line.strip()) != {"-"}]
    return "\n".join(lines)


class PipelineError(ValueError):
    """A bad invocation of the runner, found before anything runs (one line)."""


def plan(
    directory: Path | str = NOTEBOOKS_DIR,
    *,
    only: str | None = None,
    parameters: Mapping[str, Any] | None = None,
    output_dir: Path | str | None = None,
    force: bool = False,
) -> list[tuple[Path, dict[str, Any], Path | None]]:
    """Check a run completely, before anything is executed or written.

    Returns ``(notebook, parameters, output)`` for each selected notebook, in
    order; ``output`` is ``None`` for "in place". Raises :class:`PipelineError`
    when the folder is missing, no notebook matches ``only``, parameters are
    passed without ``output_dir``, ``output_dir`` is not a folder (or is the
    notebook folder), ``out_dir`` is passed by hand, or any selected notebook
    does not declare every parameter (``out_dir`` included, with
    ``output_dir``). With ``output_dir`` every notebook gets
    ``out_dir=<output_dir, absolute>``, so its figures and tables go there too.
    An ``output_dir`` inside the checkout (the repository, ``figures/``
    included) or the notebook folder is refused unless ``force``: a run with
    other parameters must not overwrite the committed outputs.
    """
    directory = Path(directory)
    parameters = dict(parameters or {})
    if not directory.is_dir():
        raise PipelineError(f"notebook folder not found: {display_path(directory)}")
    notebooks = select_notebooks(list_notebooks(directory), only)
    if not notebooks:
        which = f" matches --only {only!r}" if only else " (NN_topic.ipynb)"
        raise PipelineError(f"no notebook in {display_path(directory)}{which}")
    if OUTPUT_PARAMETER in parameters:
        raise PipelineError(
            f"the output folder is set with --output-dir, not -p {OUTPUT_PARAMETER}=..."
        )
    target: Path | None = None
    if output_dir is not None:
        target = Path(output_dir).expanduser().resolve()
        _check_output_dir(target, directory.resolve(), force)
        parameters[OUTPUT_PARAMETER] = str(target)
    elif parameters:
        raise PipelineError(
            "parameters need --output-dir (the committed notebooks and figures/ "
            "are regenerated without parameters)"
        )
    runs = []
    for notebook in notebooks:
        if target is not None and OUTPUT_PARAMETER not in notebook_parameters(notebook):
            raise PipelineError(
                f"{display_path(notebook)} has no {OUTPUT_PARAMETER!r} parameter, so "
                "--output-dir cannot send its figures and tables elsewhere"
            )
        _check_parameters(notebook, parameters)
        output = target / notebook.name if target is not None else None
        runs.append((notebook, dict(parameters), output))
    return runs


def _check_output_dir(target: Path, notebooks: Path, force: bool = False) -> None:
    """``target`` must be a folder or creatable as one, not the notebooks', and
    (unless ``force``) outside the checkout and the notebook folder."""
    if target == notebooks:
        raise PipelineError(
            f"--output-dir {target} is the notebook folder: the notebooks would be overwritten"
        )
    inside = [root for root in (REPO_ROOT.resolve(), notebooks)
              if target == root or root in target.parents]
    if inside and not force:
        raise PipelineError(
            f"--output-dir {target} is inside {inside[0]}: a run with --output-dir writes into "
            "the checkout only with --force (the committed notebooks and figures/ are "
            "regenerated by glscore run without --output-dir)"
        )
    if target.exists() and not target.is_dir():
        raise PipelineError(f"--output-dir {target} exists and is not a folder")
    ancestor = target
    while not ancestor.exists():
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise PipelineError(f"--output-dir {target}: {ancestor} is not a folder")
    if not os.access(ancestor, os.W_OK):
        raise PipelineError(f"--output-dir {target}: {ancestor} is not writable")


def run_all(
    directory: Path | str = NOTEBOOKS_DIR,
    timeout: int = DEFAULT_TIMEOUT,
    *,
    output_dir: Path | str | None = None,
    only: str | None = None,
    kernel: str = "python3",
    parameters: Mapping[str, Any] | None = None,
    jobs: int = 1,
    started: Callable[[Path], None] | None = None,
    force: bool = False,
) -> list[Path]:
    """Run every ``NN_*.ipynb`` notebook of ``directory`` in order.

    The whole run is checked first (:func:`plan`). By default each notebook is
    rewritten in place and writes its figures and tables to the committed
    ``figures/``; with ``output_dir`` the executed copies (same file names),
    figures and tables all go there and the checkout is left untouched.
    ``only`` keeps the notebooks whose file name matches the glob pattern (a
    pattern without wildcards matches as a substring). Stops at the first
    failure (:class:`NotebookExecutionError`). Returns the written paths.
    With ``output_dir`` the run leaves all of its outputs or none
    (:mod:`glscore.pipeline.staging`); ``force`` allows an ``output_dir``
    inside the checkout (see :func:`plan`).

    ``jobs > 1`` runs that many notebooks at once, each in its own process
    with its own kernel (the notebooks are independent: each reads ``data/``
    and writes its own ``NN_*`` files); every kernel's sockets are in a
    private folder, so parallel runs, and runs of two pipelines at once, do
    not meet. The first failure (in notebook order) is raised once every
    started notebook has finished; in place, the notebooks that succeeded are
    written. ``started(notebook)`` is called as each one starts (with ``jobs > 1``, in
    the worker process that runs it).
    """
    from glscore.pipeline.staging import staged

    if jobs < 1:
        raise PipelineError(f"--jobs {jobs}: expected a positive number of notebooks at once")
    runs = plan(directory, only=only, parameters=parameters, output_dir=output_dir,
                force=force)
    target = None if output_dir is None else Path(output_dir).expanduser().resolve()
    # all outputs or none: the notebooks write beside the target, moved in at the end
    with staged(runs, target, OUTPUT_PARAMETER, _name_the_target) as staged_runs:
        if jobs == 1 or len(staged_runs) == 1:
            written = []
            for notebook, params, output in staged_runs:
                if started is not None:
                    started(notebook)
                written.append(run_notebook(notebook, params, output=output,
                                            timeout=timeout, kernel=kernel))
        else:
            written = _run_parallel(staged_runs, timeout, kernel, jobs, started)
    if target is None:
        return written
    return [target / path.name for path in written]


def _name_the_target(staging: Path, target: Path) -> None:
    """In the executed notebooks, the staging folder's path becomes ``target``'s
    (the injected ``out_dir`` records where the outputs were asked for)."""
    import nbformat

    old, new = str(staging), str(target)
    for path in sorted(staging.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            cell["source"] = cell.get("source", "").replace(old, new)
            for output in cell.get("outputs", []):
                if "text" in output:
                    output["text"] = output["text"].replace(old, new)
        write_notebook(nb, path)


def _run_in_worker(notebook: Path, params: dict[str, Any], output: Path | None, timeout: int,
                   kernel: str, started: Callable[[Path], None] | None) -> Path:
    """:func:`run_notebook` in a worker process, ``started`` called as it starts."""
    if started is not None:
        started(notebook)
    return run_notebook(notebook, params, output, timeout, kernel)


def _run_parallel(runs: list[tuple[Path, dict[str, Any], Path | None]], timeout: int,
                  kernel: str, jobs: int, started: Callable[[Path], None] | None) -> list[Path]:
    """:func:`run_all`'s notebooks, ``jobs`` at a time in worker processes."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("spawn")  # a fresh interpreter per worker
    with ProcessPoolExecutor(max_workers=min(jobs, len(runs)), mp_context=context) as pool:
        futures = [pool.submit(_run_in_worker, notebook, params, output, timeout, kernel, started)
                   for notebook, params, output in runs]
        results: list[Path | BaseException] = []
        for future in futures:
            try:
                results.append(future.result())
            except BaseException as exc:  # re-raised below, in notebook order
                results.append(exc)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return [r for r in results if isinstance(r, Path)]


def select_notebooks(notebooks: list[Path], only: str | None) -> list[Path]:
    """Filter ``notebooks`` by a glob on the file name (substring if no wildcard)."""
    if not only:
        return list(notebooks)
    pattern = only if any(ch in only for ch in "*?[") else f"*{only}*"
    return [path for path in notebooks if fnmatch.fnmatch(path.name, pattern)]
