"""The figure check of ``make test`` (tests/test_figures_reproducible.py run as a
script): the scratch copy nbval executes, and the comparison of its figures."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from tests.test_figures_reproducible import (
    checkout_files,
    compare,
    hash_tree,
    scratch_checkout,
    write_snapshot,
)


def make_tree(root, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


FILES = {"pyproject.toml": "x", "glscore/a.py": "a", "glscore/__pycache__/a.pyc": "junk",
         "data/t.csv": "1", "notebooks/01_x.ipynb": "{}", "figures/01_x.png": "png",
         "figures/.gitkeep": "", "other/notes.txt": "n"}


def test_without_git_the_copy_holds_the_package_data_and_notebooks(tmp_path, monkeypatch):
    root = tmp_path / "checkout"
    make_tree(root, FILES)
    monkeypatch.setenv("GIT_DIR", str(tmp_path / "no-such-repository"))  # git fails here
    # the package, data/, notebooks/ (no caches) and the files at the top; not figures/
    assert checkout_files(root) == ["data/t.csv", "glscore/a.py", "notebooks/01_x.ipynb",
                                    "pyproject.toml"]
    copy = tmp_path / "copy"
    scratch_checkout(copy, root)
    assert (copy / "notebooks" / "01_x.ipynb").read_text() == "{}"
    assert not (copy / "glscore" / "__pycache__").exists()
    # figures/ is there, empty (a figure no longer written is then missed)
    assert list((copy / "figures").iterdir()) == []


def test_with_git_the_copy_holds_what_git_tracks_or_would_add(tmp_path):
    if shutil.which("git") is None:
        pytest.skip("needs git")
    root = tmp_path / "checkout"
    make_tree(root, {**FILES, ".gitignore": "__pycache__/\n/report/\n", "report/index.html": "r",
                     "glscore/new.py": "not yet added"})
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "add", "pyproject.toml", "glscore/a.py"], check=True)
    listed = checkout_files(root)
    assert "glscore/new.py" in listed and "glscore/a.py" in listed
    assert "report/index.html" not in listed and "glscore/__pycache__/a.pyc" not in listed
    copy = tmp_path / "copy"
    scratch_checkout(copy, root)
    # the figures are gone from the copy's figures/, the names git and editors keep stay
    assert sorted(p.name for p in (copy / "figures").iterdir()) == [".gitkeep"]
    assert (copy / "glscore" / "new.py").read_text() == "not yet added"


def test_the_comparison_names_each_difference_and_hands_the_figures_over(tmp_path, capsys):
    committed = tmp_path / "figures"
    make_tree(committed, {"a.png": "A", "b.png": "B", "gone.png": "G"})
    snapshot = tmp_path / "snapshot.json"
    write_snapshot(snapshot, committed)
    assert json.loads(snapshot.read_text()) == hash_tree(committed)
    same = tmp_path / "same"
    shutil.copytree(committed, same)
    assert compare(snapshot, directory=same, into=committed) == 0
    regenerated = tmp_path / "regenerated"
    make_tree(regenerated, {"a.png": "A", "b.png": "B2", "new.png": "N"})
    assert compare(snapshot, directory=regenerated, into=committed) == 1
    err = capsys.readouterr().err
    assert "- figures/gone.png" in err and "+ figures/new.png" in err
    assert "~ figures/b.png" in err and "a.png" not in err
    assert hash_tree(committed) == hash_tree(regenerated)  # for git diff
