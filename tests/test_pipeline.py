"""Tests for the notebook runner (glscore.pipeline) and save_figure (glscore.figures.style).

The notebooks here are tiny ones built with nbformat in ``tmp_path``, so the
tests do not depend on the project's real notebooks. Tests that start a
kernel are marked ``notebooks``; together they take a few seconds.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from glscore.cli import main
from glscore.figures import style as plots
from glscore.pipeline import runner as pipeline


def make_notebook(path: Path, *, body: str = "print(alpha * 2, label)", ids: bool = True) -> Path:
    """A notebook with a ``parameters`` cell (alpha, label) and one code cell."""
    nb = new_notebook(
        cells=[
            new_markdown_cell("# A tiny notebook"),
            new_code_cell("alpha = 1\nlabel = 'x'", metadata={"tags": ["parameters"]}),
            new_code_cell(body),
        ]
    )
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Py", "language": "python"}
    if not ids:  # an nbformat 4.4 notebook: cells without ids
        nb.nbformat_minor = 4
        for cell in nb.cells:
            del cell["id"]
    path.write_text(json.dumps(nb, indent=1), encoding="utf-8")
    return path


# ---------------------------------------------------------------- discovery


def test_list_notebooks_sorted_by_number_and_filtered(tmp_path: Path) -> None:
    for name in ["10_ten.ipynb", "02_two.ipynb", "01_one.ipynb", "scratch.ipynb", "1_x.ipynb"]:
        (tmp_path / name).write_text("{}", encoding="utf-8")
    (tmp_path / "03_dir.ipynb").mkdir()  # a folder is not a notebook
    (tmp_path / "04_notes.md").write_text("", encoding="utf-8")
    names = [path.name for path in pipeline.list_notebooks(tmp_path)]
    # numeric order, not string order of the whole name; 10 after 02
    assert names == ["01_one.ipynb", "02_two.ipynb", "10_ten.ipynb"]


def test_list_notebooks_missing_directory_is_empty(tmp_path: Path) -> None:
    assert pipeline.list_notebooks(tmp_path / "absent") == []


def test_select_notebooks_substring_and_glob() -> None:
    paths = [Path("01_data.ipynb"), Path("02_levels.ipynb"), Path("03_data_quality.ipynb")]
    assert pipeline.select_notebooks(paths, "data") == [paths[0], paths[2]]
    assert pipeline.select_notebooks(paths, "0[12]_*") == paths[:2]
    assert pipeline.select_notebooks(paths, None) == paths


def test_notebook_parameters(tmp_path: Path) -> None:
    params = pipeline.notebook_parameters(make_notebook(tmp_path / "01_p.ipynb"))
    assert sorted(params) == ["alpha", "label"]
    assert params["alpha"]["default"] == "1"


# -------------------------------------------------------- parameter checks


def test_unknown_parameter_is_rejected_before_running(tmp_path: Path) -> None:
    source = make_notebook(tmp_path / "01_p.ipynb")
    before = source.read_bytes()
    with pytest.raises(ValueError) as info:
        pipeline.run_notebook(source, {"alpah": 2}, output=tmp_path / "out.ipynb")
    message = str(info.value)
    assert "01_p.ipynb" in message
    assert "'alpah'" in message
    assert "alpha, label" in message  # the known names
    assert not (tmp_path / "out.ipynb").exists()
    assert source.read_bytes() == before


def test_parameters_on_notebook_without_parameters_cell(tmp_path: Path) -> None:
    nb = new_notebook(cells=[new_code_cell("x = 1")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Py", "language": "python"}
    path = tmp_path / "01_none.ipynb"
    nbformat.write(nb, path)
    with pytest.raises(ValueError, match=r"'x'.*none \(no 'parameters' cell\)"):
        pipeline.run_notebook(path, {"x": 2})


def make_out_notebook(path: Path, body: str = "") -> Path:
    """A notebook with ``out_dir`` and ``alpha`` parameters that writes ``out_dir/<stem>.txt``."""
    nb = new_notebook(
        cells=[
            new_markdown_cell("# writes one file"),
            new_code_cell("alpha = 1\nout_dir = 'figures'", metadata={"tags": ["parameters"]}),
            new_code_cell(
                "import pathlib\n"
                f"{body}\n"
                "out = pathlib.Path(out_dir)\n"
                "out.mkdir(parents=True, exist_ok=True)\n"
                f"(out / '{path.stem}.txt').write_text(str(alpha))"
            ),
        ]
    )
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Py", "language": "python"}
    nbformat.write(nb, path)
    return path


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


BAD_INVOCATIONS = {
    "parameters without --output-dir": (["-p", "alpha=2"], "need --output-dir"),
    "unknown parameter in one notebook": (["-p", "beta=2", "--output-dir", "{out}"], "'beta'"),
    "parameter only one notebook declares": (
        ["-p", "gamma=2", "--output-dir", "{out}"],
        "01_a.ipynb: unknown parameter 'gamma'",  # before 01 runs
    ),
    "out_dir by hand": (["-p", "out_dir=x", "--output-dir", "{out}"], "--output-dir, not -p"),
    "output dir is a file": (["--output-dir", "{file}"], "exists and is not a folder"),
    "output dir below a file": (["--output-dir", "{file}/sub"], "is not a folder"),
    "no notebook matches": (["--only", "zzz"], "no notebook in"),
    "missing folder": (["--directory", "{missing}"], "notebook folder not found"),
    "unknown option": (["--directroy", "x"], "unrecognized arguments"),
    "malformed parameter": (["-p", "alpha"], "expected NAME=VALUE"),
}


@pytest.mark.parametrize("case", list(BAD_INVOCATIONS))
def test_bad_invocation_is_one_line_exit_2_nothing_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    make_out_notebook(nbs / "01_a.ipynb")
    second = make_out_notebook(nbs / "02_b.ipynb")
    nb = nbformat.read(second, as_version=4)  # 02 also declares gamma; 01 does not
    nb.cells[1].source += "\ngamma = 0"
    nbformat.write(nb, second)
    (tmp_path / "a_file").write_text("keep", encoding="utf-8")
    before = _snapshot(tmp_path)
    argv, expected = BAD_INVOCATIONS[case]
    fields = {"out": tmp_path / "out", "file": tmp_path / "a_file", "missing": tmp_path / "none"}
    argv = [arg.format(**fields) for arg in argv]
    if "--directory" not in argv:
        argv = ["--directory", str(nbs), *argv]
    try:
        status = main(["run", *argv])
    except SystemExit as exit_:  # argparse's own errors
        status = exit_.code
    err = capsys.readouterr().err
    assert status == 2
    assert len(err.strip().splitlines()) == 1, err
    assert expected in err
    assert "Traceback" not in err
    assert _snapshot(tmp_path) == before, "a bad invocation wrote something"


@pytest.mark.notebooks
def test_output_dir_receives_every_output(tmp_path: Path) -> None:
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    make_out_notebook(nbs / "01_a.ipynb")
    make_out_notebook(nbs / "02_b.ipynb")
    before = _snapshot(nbs)
    out = tmp_path / "deep" / "out"
    written = pipeline.run_all(nbs, 60, output_dir=out, parameters={"alpha": 7})
    assert [p.name for p in written] == ["01_a.ipynb", "02_b.ipynb"]
    assert sorted(_snapshot(out)) == ["01_a.ipynb", "01_a.txt", "02_b.ipynb", "02_b.txt"]
    assert (out / "02_b.txt").read_text() == "7"
    assert _snapshot(nbs) == before  # sources untouched, nothing written beside them


@pytest.mark.notebooks
def test_ctrl_c_ends_quietly_and_writes_nothing(tmp_path: Path) -> None:
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    make_out_notebook(nbs / "01_slow.ipynb", body="import time\ntime.sleep(60)")
    before = _snapshot(nbs)
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "glscore.pipeline", "--directory", str(nbs),  # = glscore run
         "--output-dir", str(out), "--timeout", "120"],
        stderr=subprocess.PIPE, text=True, start_new_session=True,
    )
    try:
        assert proc.stderr is not None
        assert proc.stderr.readline().startswith("running")
        time.sleep(3)  # the kernel is up and sleeping
        os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C reaches the whole process group
        err = proc.stderr.read()
        status = proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert status == 130
    assert "Traceback" not in err
    assert err.strip().splitlines() == [
        "glscore: interrupted while running "
        f"{nbs / '01_slow.ipynb'} (not written)"
    ]
    assert _snapshot(nbs) == before
    assert _snapshot(out) == {}


# ---------------------------------------------------------------- concurrency


@pytest.mark.notebooks
def test_two_pipelines_at_once_in_one_checkout(tmp_path: Path) -> None:
    """Two ``glscore run`` processes started together from the same working
    directory (as two terminals in one checkout) both succeed, and no kernel
    socket or connection file lands in that directory: each kernel has a
    private runtime folder (jupyter_client names IPC sockets relative to the
    working directory and picks the first free number, so two runs there once
    shared sockets and failed with "Invalid Signature")."""
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    work = tmp_path / "checkout"
    work.mkdir()
    # while both kernels run: no socket in the folder the runs started from, nor
    # in the kernel's own working directory (the repository root)
    make_out_notebook(nbs / "01_a.ipynb", body=(
        "import glob, os, time\ntime.sleep(2)\n"
        f"assert not glob.glob({str(work)!r} + '/kernel-ipc*')\n"
        "assert not glob.glob(os.path.join(os.getcwd(), 'kernel-ipc*'))"))
    procs = [subprocess.Popen(
        [sys.executable, "-m", "glscore", "run", "--directory", str(nbs), "--output-dir",
         str(tmp_path / f"out{k}"), "-p", f"alpha={k}", "--timeout", "120"],
        cwd=work, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for k in (1, 2)]
    results = [(p.wait(timeout=300), p.stderr.read() if p.stderr else "") for p in procs]
    for status, err in results:
        assert status == 0, err
    for k in (1, 2):
        assert (tmp_path / f"out{k}" / "01_a.txt").read_text() == str(k)
    assert list(work.iterdir()) == []  # no kernel-ipc-* sockets, no connection files


@pytest.mark.notebooks
def test_jobs_run_notebooks_side_by_side(tmp_path: Path) -> None:
    """``jobs=2``: each notebook runs with its parameters and writes its own
    outputs; a failing one is reported by name, and with an output folder the
    run leaves all of its outputs or none (the others are not written)."""
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    make_out_notebook(nbs / "01_a.ipynb")
    make_out_notebook(nbs / "02_b.ipynb", body="raise ValueError('boom')")
    make_out_notebook(nbs / "03_c.ipynb")
    with pytest.raises(pipeline.NotebookExecutionError, match=r"02_b\.ipynb.*boom"):
        pipeline.run_all(nbs, 60, output_dir=tmp_path / "out", parameters={"alpha": 3},
                         jobs=2)
    assert not (tmp_path / "out").exists() or not _snapshot(tmp_path / "out")
    assert not [p.name for p in tmp_path.iterdir() if ".partial-" in p.name]
    (nbs / "02_b.ipynb").unlink()
    pipeline.run_all(nbs, 60, output_dir=tmp_path / "out", parameters={"alpha": 3}, jobs=2)
    written = _snapshot(tmp_path / "out")
    assert sorted(written) == ["01_a.ipynb", "01_a.txt", "03_c.ipynb", "03_c.txt"]
    assert written["01_a.txt"] == written["03_c.txt"] == b"3"
    with pytest.raises(pipeline.PipelineError, match="--jobs 0"):
        pipeline.run_all(nbs, 60, output_dir=tmp_path / "four", jobs=0)


# ---------------------------------------------------------------- execution


def _volatile_keys(nb: dict) -> list[str]:
    found = [f"notebook:{key}" for key in ("papermill", "widgets") if key in nb["metadata"]]
    for index, cell in enumerate(nb["cells"]):
        for key in ("papermill", "execution", "ExecuteTime"):
            if key in cell["metadata"]:
                found.append(f"cell {index}:{key}")
    return found


@pytest.mark.notebooks
def test_run_writes_outputs_clean_and_deterministic(tmp_path: Path) -> None:
    source = make_notebook(
        tmp_path / "01_run.ipynb",
        body="import os\nprint(alpha * 2, label, os.environ['PYTHONHASHSEED'], os.environ['MPLBACKEND'])",
        ids=False,
    )
    source_bytes = source.read_bytes()
    first = pipeline.run_notebook(source, output=tmp_path / "a" / "01_run.ipynb", timeout=60)
    second = pipeline.run_notebook(source, output=tmp_path / "b" / "01_run.ipynb", timeout=60)

    assert source.read_bytes() == source_bytes  # output= leaves the source alone
    data = first.read_bytes()
    assert data == second.read_bytes(), "two runs must give identical bytes"
    assert data.endswith(b"}\n")

    nb = json.loads(data)
    assert nb["cells"][2]["outputs"][0]["text"] == ["2 x 0 Agg\n"]
    assert _volatile_keys(nb) == []
    assert "start_time" not in data.decode() and "duration" not in data.decode()
    assert nb["metadata"]["kernelspec"]["name"] == "glscore"  # the kernel `make lab` registers
    assert nb["nbformat_minor"] == 5
    assert [cell["id"] for cell in nb["cells"]] == ["cell-000", "cell-001", "cell-002"]
    assert not any("injected-parameters" in c["metadata"].get("tags", []) for c in nb["cells"])
    # canonical nbformat JSON: what nbformat would write itself
    assert data.decode() == nbformat.writes(nbformat.reads(data.decode(), as_version=4)) + "\n"


@pytest.mark.notebooks
def test_run_with_parameters_and_in_place(tmp_path: Path) -> None:
    source = make_notebook(tmp_path / "01_run.ipynb")
    out = pipeline.run_notebook(source, {"alpha": 21}, output=tmp_path / "out.ipynb", timeout=60)
    nb = json.loads(out.read_text(encoding="utf-8"))
    injected = [c for c in nb["cells"] if "injected-parameters" in c["metadata"].get("tags", [])]
    assert len(injected) == 1 and injected[0]["id"] == "injected-parameters"
    assert nb["cells"][-1]["outputs"][0]["text"] == ["42 x\n"]

    # in place, no parameters: the source itself gets the outputs, no injected cell
    assert pipeline.run_notebook(source, timeout=60) == source.resolve()
    nb = json.loads(source.read_text(encoding="utf-8"))
    assert nb["cells"][-1]["outputs"][0]["text"] == ["2 x\n"]
    assert len(nb["cells"]) == 3


@pytest.mark.notebooks
def test_failing_cell_is_reported_and_nothing_written(tmp_path: Path) -> None:
    source = make_notebook(tmp_path / "01_fail.ipynb", body="x = 1\nraise KeyError('boom')")
    before = source.read_bytes()
    with pytest.raises(pipeline.NotebookExecutionError) as info:
        pipeline.run_notebook(source, timeout=60)
    error = info.value
    assert error.cell_index == 2
    assert error.ename == "KeyError"
    assert "01_fail.ipynb: cell 2" in str(error) and "boom" in str(error)
    assert source.read_bytes() == before  # the source is not overwritten


@pytest.mark.notebooks
def test_cli_reports_failure_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_notebook(tmp_path / "01_ok.ipynb")
    make_notebook(tmp_path / "02_bad.ipynb", body="1 / 0")
    status = main(["run", "--directory", str(tmp_path), "--timeout", "60"])
    err = capsys.readouterr().err
    assert status == 2
    error_lines = [line for line in err.splitlines() if "error:" in line]
    assert len(error_lines) == 1
    assert "02_bad.ipynb: cell 2" in error_lines[0] and "ZeroDivisionError" in error_lines[0]
    assert "Traceback" not in err


# -------------------------------------------------------------- save_figure


def _figure() -> plt.Figure:
    with plots.apply_style():
        fig, ax = plt.subplots(figsize=(4, 3))
        ax.bar(list(plots.LEVEL_COLORS), [1, 3, 2, 5, 4], color=list(plots.LEVEL_COLORS.values()))
        ax.set_title("Models per level")
        ax.set_ylabel("models (count)")
    return fig


@pytest.mark.parametrize("fmt", ["png", "pdf", "svg"])
def test_save_figure_is_byte_identical(tmp_path: Path, fmt: str) -> None:
    fig = _figure()
    try:
        (first,) = plots.save_figure(fig, "levels", tmp_path / "a", formats=(fmt,))
        (again,) = plots.save_figure(fig, "levels", tmp_path / "b", formats=(fmt,))
    finally:
        plt.close(fig)
    fresh = _figure()  # a new figure built the same way
    try:
        (third,) = plots.save_figure(fresh, "levels", tmp_path / "c", formats=(fmt,))
    finally:
        plt.close(fresh)
    assert first.name == f"levels.{fmt}"
    data = first.read_bytes()
    assert data == again.read_bytes() == third.read_bytes()
    text = data.decode("latin-1")
    assert matplotlib.__version__ not in text
    assert "Matplotlib" not in text and "matplotlib.org" not in text
    assert "Date" not in text and "CreationDate" not in text


def test_save_figure_png_size_is_figsize_times_dpi(tmp_path: Path) -> None:
    fig = _figure()
    try:
        (path,) = plots.save_figure(fig, "size", tmp_path, formats="png")
    finally:
        plt.close(fig)
    # PNG IHDR: width and height are big-endian uint32 at bytes 16..24
    header = path.read_bytes()[16:24]
    width, height = int.from_bytes(header[:4], "big"), int.from_bytes(header[4:], "big")
    assert (width, height) == (4 * plots.DPI, 3 * plots.DPI)


def test_save_figure_rejects_bad_names_and_formats(tmp_path: Path) -> None:
    fig = _figure()
    try:
        with pytest.raises(ValueError, match="bare file stem"):
            plots.save_figure(fig, "sub/levels", tmp_path)
        with pytest.raises(ValueError, match="extension"):
            plots.save_figure(fig, "levels.png", tmp_path)
        with pytest.raises(ValueError, match="unsupported figure format 'eps'"):
            plots.save_figure(fig, "levels", tmp_path, formats=("eps",))
    finally:
        plt.close(fig)
    assert list(tmp_path.iterdir()) == []


def test_apply_style_restores_rcparams() -> None:
    before = dict(matplotlib.rcParams)
    with plots.apply_style():
        assert matplotlib.rcParams["axes.spines.top"] is False
        assert matplotlib.rcParams["savefig.dpi"] == plots.DPI
    assert dict(matplotlib.rcParams) == before


def test_palettes_cover_every_key() -> None:
    assert tuple(plots.LEVEL_COLORS) == plots.LEVELS
    assert tuple(plots.MODALITY_COLORS) == plots.MODALITIES
    assert tuple(plots.PROFILE_COLORS) == plots.PROFILES
    for palette in (plots.LEVEL_COLORS, plots.MODALITY_COLORS, plots.PROFILE_COLORS):
        assert len(set(palette.values())) == len(palette)


def test_consecutive_streams_are_merged_whatever_the_flushes():
    """Two runs that flush differently must store the same bytes."""
    import nbformat as nbf

    from glscore.pipeline.runner import clean_notebook

    def notebook(chunks):
        cell = nbf.v4.new_code_cell("print('a'); print('b')")
        cell["outputs"] = [nbf.v4.new_output("stream", name="stdout", text=t) for t in chunks]
        cell["outputs"].append(nbf.v4.new_output("stream", name="stderr", text="w\n"))
        return clean_notebook(nbf.v4.new_notebook(cells=[cell]))

    one, two = notebook(["a\nb\n"]), notebook(["a\n", "b\n"])
    assert one.cells[0]["outputs"] == two.cells[0]["outputs"]
    assert [o["name"] for o in one.cells[0]["outputs"]] == ["stdout", "stderr"]
    assert one.cells[0]["outputs"][0]["text"] == "a\nb\n"


def test_make_lab_registers_the_kernel_the_notebooks_name() -> None:
    import re

    from glscore import paths

    makefile = (paths.REPO_ROOT / "Makefile").read_text(encoding="utf-8")
    install = re.search(r"ipykernel install .*--name (\S+) --display-name \"([^\"]+)\"", makefile)
    assert install, "make lab does not register a kernel"
    assert install.groups() == (pipeline.KERNELSPEC["name"], pipeline.KERNELSPEC["display_name"])
    for path in pipeline.list_notebooks(paths.NOTEBOOKS_DIR):
        spec = json.loads(path.read_text(encoding="utf-8"))["metadata"]["kernelspec"]
        assert spec["name"] == pipeline.KERNELSPEC["name"], path.name
