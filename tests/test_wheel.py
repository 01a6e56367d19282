"""The package as a user installs it: a wheel built from a clean copy, used from elsewhere.

The slow test copies the files git knows (tracked, plus new files that are not
ignored) to a temporary folder, builds a wheel there with pip, installs it
with ``pip install --target`` into another temporary folder (no dependencies:
the test environment already has them), puts that folder first on
``PYTHONPATH`` and runs the console script from a third temporary folder, so
neither the checkout nor its editable install can be what answers. The quick
tests check the metadata files that ship beside the code.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

import glscore
from glscore import paths

ROOT = paths.REPO_ROOT
PIP = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input"]


def _clean_copy(target: Path) -> Path:
    """The files a commit of the working tree would hold, copied to ``target``."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: cannot make a clean copy")
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, check=True, capture_output=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():  # a tracked file deleted in the working tree is skipped
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> dict:
    """Build the wheel from a clean copy and install it into a target folder."""
    work = tmp_path_factory.mktemp("wheel")
    source = _clean_copy(work / "src")
    dist = work / "dist"
    subprocess.run(PIP + ["wheel", "--no-deps", "-q", "-w", str(dist), str(source)],
                   check=True, cwd=work, capture_output=True)
    wheels = sorted(dist.glob("glscore-*.whl"))
    assert len(wheels) == 1, wheels
    target = work / "site"
    subprocess.run(PIP + ["install", "--no-deps", "-q", "--root-user-action=ignore",
                          "--target", str(target), str(wheels[0])],
                   check=True, cwd=work, capture_output=True)
    elsewhere = work / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(target)
    return {"wheel": wheels[0], "target": target, "cwd": elsewhere, "env": env}


def _run(installed: dict, *args: str) -> subprocess.CompletedProcess:
    script = installed["target"] / "bin" / "glscore"
    return subprocess.run([str(script), *args], cwd=installed["cwd"], env=installed["env"],
                          capture_output=True, text=True, timeout=120)


@pytest.mark.slow
def test_wheel_holds_every_subpackage_and_the_data(installed):
    names = set(zipfile.ZipFile(installed["wheel"]).namelist())
    packages = sorted(p.parent.relative_to(ROOT).as_posix()
                      for p in (ROOT / "glscore").rglob("__init__.py"))
    assert "glscore/cli/commands" in packages  # the subpackage the old wheel lost
    for package in packages:
        assert f"{package}/__init__.py" in names, package
    data_files = sorted(p for p in (ROOT / "data").rglob("*") if p.is_file())
    assert any(p.parent.name == "curation" for p in data_files)  # the curation's rule files
    for data_file in data_files:
        packed = f"glscore/data/{data_file.relative_to(ROOT / 'data').as_posix()}"
        assert packed in names, packed
        assert zipfile.ZipFile(installed["wheel"]).read(packed) == data_file.read_bytes()
    assert not any(n.startswith(("tests/", "notebooks/", "data/")) for n in names)


@pytest.mark.slow
def test_installed_package_is_the_wheel_and_reads_its_own_data(installed):
    code = ("import glscore, glscore.paths as p, json; "
            "print(json.dumps([glscore.__file__, str(p.DATA_DIR), glscore.__version__]))")
    out = subprocess.run([sys.executable, "-c", code], cwd=installed["cwd"], env=installed["env"],
                         capture_output=True, text=True, check=True).stdout
    module, data_dir, version = json.loads(out)
    target = installed["target"].resolve()
    assert Path(module).resolve().is_relative_to(target)
    assert Path(data_dir) == target / "glscore" / "data"
    assert version == glscore.__version__


@pytest.mark.slow
def test_cli_from_elsewhere(installed):
    version = _run(installed, "--version")
    assert version.returncode == 0, version.stderr
    assert glscore.__version__ in version.stdout

    record = _run(installed, "score", "--model", "vitron-v1", "--json")
    assert record.returncode == 0, record.stderr
    parsed = json.loads(record.stdout, parse_constant=lambda c: pytest.fail(f"non-JSON {c}"))
    # The same command run by the checkout's own package gives the same record.
    here = subprocess.run([sys.executable, "-m", "glscore", "score", "--model", "vitron-v1",
                           "--json"], cwd=ROOT, capture_output=True, text=True, check=True)
    assert parsed == json.loads(here.stdout)
    assert parsed["model"] and parsed["level"] >= 1

    board = _run(installed, "leaderboard", "--scope", "B", "--top", "3")
    assert board.returncode == 0, board.stderr
    sections = [line for line in board.stdout.splitlines() if line.startswith("### Scope-B")]
    assert len(sections) >= 4  # Image, Video, Audio, 3D (and the combined boards)
    for block in board.stdout.split("### ")[1:]:
        rows = [line for line in block.splitlines()[3:] if line.startswith("| ")]
        assert 1 <= len(rows) <= 3, block


@pytest.mark.slow
def test_wheel_holds_the_report_templates_and_static_files(installed):
    names = set(zipfile.ZipFile(installed["wheel"]).namelist())
    report = ROOT / "glscore" / "report"
    files = [p for folder in ("templates", "static") for p in sorted((report / folder).iterdir())]
    assert len(files) >= 8
    for path in files:
        assert path.relative_to(ROOT).as_posix() in names, path


@pytest.mark.slow
def test_report_from_the_installed_wheel_is_the_checkouts_byte_for_byte(installed, paper_report):
    """``glscore report`` of the installed wheel, with its own templates and static
    files, over the checkout's notebooks: every file has the bytes of the report
    the checkout's package builds in the test process (tests/conftest.py
    ``paper_report``): another process, another install, the same report."""
    out = installed["cwd"] / "report"
    done = _run(installed, "report", "--out", str(out), "--notebooks", str(paths.NOTEBOOKS_DIR))
    assert done.returncode == 0, done.stderr
    for name in ("report.css", "report.js"):
        packed = installed["target"] / "glscore" / "report" / "static" / name
        assert (out / "static" / name).read_bytes() == packed.read_bytes()
    index = (out / "index.html").read_text(encoding="utf-8")
    # Scopes A-C in full and the models table on the index; a page per board (139)
    assert index.count('class="sortable board"') == 16 + 1
    assert len(list((out / "boards").glob("*.html"))) == 139
    assert (out / "models" / "vitron-v1.html").is_file()
    assert len(list((out / "notebooks").glob("*.html"))) == len(
        list(paths.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb")))

    def files(folder: Path) -> dict[Path, bytes]:
        return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*"))
                if p.is_file()}

    wheel, checkout = files(out), files(paper_report.out)
    assert wheel.keys() == checkout.keys()
    assert [str(k) for k in wheel if wheel[k] != checkout[k]] == []


# ------------------------------------------------------------------ metadata
def test_version_is_single_sourced():
    text = (ROOT / "pyproject.toml").read_text()
    assert re.search(r'^dynamic = \["version"\]', text, re.M)
    assert not re.search(r"^version\s*=", text, re.M)
    assert 'path = "glscore/__init__.py"' in text
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert citation["version"] == glscore.__version__


def test_citation_names_the_paper():
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    paper = citation["preferred-citation"]
    assert paper["title"] == "On Path to Multimodal Generalist: General-Level and General-Bench"
    assert paper["year"] == 2025
    assert paper["authors"][0]["family-names"] == "Fei"
    assert any("2505.04620" in i["value"] for i in paper["identifiers"])
    assert citation["license"] == "MIT"


def test_license_is_mit():
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")


def test_pre_commit_runs_the_lint_of_make_test():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    hooks = [h for repo in config["repos"] for h in repo["hooks"]]
    makefile = (ROOT / "Makefile").read_text()
    test_recipe = makefile.split("\ntest:", 1)[1].split("\n\n", 1)[0]
    lint = re.search(r"\$\(BIN\)/ruff (.+)", test_recipe).group(1).strip()
    assert [h["entry"] for h in hooks] == [f".venv/bin/ruff {lint}"]
    assert hooks[0]["pass_filenames"] is False
