"""(a) JupyterLab in Chromium: notebooks 00 and 04 restart and run all, as a reader would.

JupyterLab is started from this environment (``sys.executable -m jupyterlab``)
on a free localhost port with a random token, with its configuration, data,
runtime, settings and workspace folders in a temporary folder (no user state,
no restored tabs; the page is opened with ``?reset`` as well). The server
fetches no news and checks for no updates; the browser may talk to that
server only. The notebooks are scratch copies with their outputs stripped, so
every output on screen is made by this run; a parameter ``out_dir`` (where a
notebook writes its figures and tables) is pointed into the scratch folder.

For each notebook: open it, accept the kernel dialog if one appears, wait for
an idle kernel, press "Restart the kernel and run all cells" and confirm, wait
until the kernel is idle and every code cell has an execution count; then
assert the counts are 1..n, no output is an error or on stderr, and every
figure the committed notebook shows is rendered (a loaded ``<img>`` of
non-zero size). Cells outside the viewport are rendered lazily by default
(``windowingMode``); the scratch settings turn that off so that every cell is
in the page. The checkout's ``figures/`` must be byte-identical afterwards.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

from glscore import paths

NOTEBOOKS = ("00_quickstart.ipynb", "04_relaxation_ablation.ipynb")
SERVER_CONFIG = {
    "LabApp": {
        "news_url": None,
        "check_for_updates_class": "jupyterlab.handlers.announcements.NeverCheckForUpdate",
        "extension_manager": "readonly",
        "expose_app_in_browser": True,
    },
}
SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false"},
}
CELLS_JS = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  const out = [];
  for (const c of w.content.model.cells) {
    if (c.type !== 'code') continue;
    const kinds = [];
    for (let i = 0; i < c.outputs.length; i++) {
      const o = c.outputs.get(i).toJSON();
      kinds.push(o.output_type === 'stream' ? 'stream:' + o.name : o.output_type);
    }
    out.push({count: c.executionCount, kinds: kinds});
  }
  return {kernel: w.sessionContext.session?.kernel?.status ?? null, cells: out};
}"""
DONE_JS = """() => {
  const w = window.jupyterapp?.shell?.currentWidget;
  if (!w || !w.content || !w.content.model) return false;
  const code = [...w.content.model.cells].filter(c => c.type === 'code');
  const busy = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]
    .some(e => e.textContent.includes('*'));
  return w.sessionContext.session?.kernel?.status === 'idle' && !busy
    && code.length > 0 && code.every(c => c.executionCount !== null);
}"""
IDLE_JS = """() => {
  if (document.querySelector('.jp-Dialog')) return true;
  const w = window.jupyterapp?.shell?.currentWidget;
  return !!w?.sessionContext?.session?.kernel && w.sessionContext.session.kernel.status === 'idle';
}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tree_hashes(directory: Path) -> dict[str, str]:
    return {p.relative_to(directory).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(directory.rglob("*")) if p.is_file()}


def scratch_copy(source: Path, target: Path, out_dir: Path) -> int:
    """Copy ``source`` without outputs; return how many PNG figures it showed."""
    nb = nbformat.read(str(source), as_version=4)
    pngs = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        pngs += sum("image/png" in o.get("data", {}) for o in cell.get("outputs", []))
        cell.outputs, cell.execution_count = [], None
        if "parameters" in cell.metadata.get("tags", []):
            cell.source = re.sub(r"(?m)^out_dir\s*=.*$", f"out_dir = {str(out_dir)!r}",
                                 cell.source)
    nbformat.write(nb, str(target))
    return pngs


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    pytest.importorskip("jupyterlab", reason="jupyterlab is not installed")
    root = tmp_path_factory.mktemp("lab")
    (root / "config").mkdir()
    (root / "config" / "jupyter_server_config.json").write_text(json.dumps(SERVER_CONFIG))
    for name, values in SETTINGS.items():
        path = root / "settings" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    work = root / "notebooks"
    work.mkdir()
    out_dir = root / "out"
    out_dir.mkdir()
    figures = {name: scratch_copy(paths.NOTEBOOKS_DIR / name, work / name, out_dir)
               for name in NOTEBOOKS}
    port, token = free_port(), secrets.token_hex(16)
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(root / "config"),
               JUPYTER_DATA_DIR=str(root / "data"), JUPYTER_RUNTIME_DIR=str(root / "runtime"),
               JUPYTERLAB_SETTINGS_DIR=str(root / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(root / "workspaces"),
               MPLBACKEND="Agg", PYTHONHASHSEED="0", JUPYTER_PLATFORM_DIRS="1")
    log = (root / "lab.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root", "--ip=127.0.0.1",
         f"--port={port}", "--port-retries=0", f"--IdentityProvider.token={token}",
         f"--ServerApp.root_dir={work}"],
        env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("JupyterLab did not start:\n" + (root / "lab.log").read_text())
                time.sleep(0.2)
        yield {"base": base, "token": token, "figures": figures, "out": out_dir}
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


@pytest.fixture(scope="module")
def figures_before():
    return tree_hashes(paths.FIGURES_DIR)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_restart_and_run_all(lab, guarded, screenshots, figures_before, name):
    guard = guarded((lab["base"] + "/",))
    page = guard.new_page()
    page.goto(f"{lab['base']}/lab/tree/{name}?reset&token={lab['token']}")
    page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell", timeout=60_000)
    page.wait_for_function(IDLE_JS, timeout=60_000, polling=200)
    if page.locator(".jp-Dialog").count():  # kernel selection on first open
        page.locator(".jp-Dialog .jp-mod-accept").click()
        page.wait_for_function(IDLE_JS, timeout=60_000, polling=200)

    page.locator(".jp-NotebookPanel-toolbar [data-command='notebook:restart-run-all']").click()
    page.wait_for_selector(".jp-Dialog .jp-mod-accept", timeout=10_000)
    assert "restart" in page.locator(".jp-Dialog").inner_text().lower()
    page.locator(".jp-Dialog .jp-mod-accept").click()
    page.wait_for_function(DONE_JS, timeout=90_000, polling=250)

    state = page.evaluate(CELLS_JS)
    counts = [c["count"] for c in state["cells"]]
    assert counts == list(range(1, len(counts) + 1)), counts
    kinds = [k for c in state["cells"] for k in c["kinds"]]
    assert "error" not in kinds and "stream:stderr" not in kinds, kinds
    assert page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
                        ).count() == 0
    images = page.eval_on_selector_all(
        ".jp-OutputArea-output img",
        "imgs => imgs.map(i => i.complete && i.naturalWidth > 0 && i.naturalHeight > 0)")
    assert images == [True] * lab["figures"][name], images

    stem = Path(name).stem
    page.screenshot(path=str(screenshots / f"lab-{stem}-top.png"))
    page.locator(".jp-OutputArea-output img").last.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / f"lab-{stem}-figure.png"))
    assert guard.blocked == []
    assert tree_hashes(paths.FIGURES_DIR) == figures_before  # nothing written in the checkout
