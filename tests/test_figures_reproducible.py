"""Re-executing the notebooks regenerates ``figures/`` byte for byte.

The test hashes every file in ``figures/``, empties it (keeping a backup),
re-runs every notebook with :func:`glscore.pipeline.runner.run_notebook` (no
parameters) writing the executed notebooks to a temporary folder (the committed notebooks are not
modified; the notebooks themselves write their figures into ``figures/``),
hashes ``figures/`` again and asserts the same set of files with the same
bytes. Emptying first is what reveals a figure the notebooks no longer
produce. If a notebook fails, ``figures/`` is restored from the backup; if the
figures differ, the regenerated ones are left in place for ``git diff``.

The "before" state is ``figures/`` just before the re-run, or, when the
environment variable ``GLSCORE_FIGURES_BASELINE`` names a snapshot file, that
snapshot. Take a snapshot with::

    python tests/test_figures_reproducible.py --snapshot FILE

``make test`` does not execute the notebooks twice, and does not touch the
checkout's ``figures/``: it takes the snapshot first (the committed figures),
copies the checkout with an empty ``figures/`` (``--scratch DIR``: the files
git tracks or would add, so a figure the notebooks no longer write is
missed), lets nbval execute the copy's notebooks (which write the copy's
``figures/``; the unit tests run beside them), then compares (``--compare
FILE --dir DIR/figures``: the same files with the same bytes, or a list of
the differences, the regenerated figures then copied into ``figures/`` for
``git diff``). ``--set-aside DIR`` / ``--restore DIR`` do the same in place
(``make nbval-figures``: ``figures/`` moved to DIR while nbval runs in the
checkout). ``make figures-check`` is the re-running test on its own.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from glscore.paths import FIGURES_DIR, NOTEBOOKS_DIR, REPO_ROOT

BASELINE_ENV = "GLSCORE_FIGURES_BASELINE"
# Not figures: editor and OS leftovers.
IGNORED_NAMES = {".DS_Store", ".gitkeep", ".gitignore"}


def hash_tree(directory: Path) -> dict[str, str]:
    """sha256 of every file under ``directory``, keyed by POSIX relative path."""
    if not directory.is_dir():
        return {}
    hashes = {}
    for path in sorted(directory.rglob("*")):
        if path.is_file() and path.name not in IGNORED_NAMES and not path.name.startswith(".~"):
            relative = path.relative_to(directory).as_posix()
            hashes[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    return hashes


def write_snapshot(target: Path, directory: Path = FIGURES_DIR) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(hash_tree(directory), indent=1, sort_keys=True) + "\n")


def _empty(directory: Path) -> None:
    """Remove the figure files under ``directory`` (not the ignored names)."""
    directory.mkdir(parents=True, exist_ok=True)
    for path in directory.iterdir():
        if path.name in IGNORED_NAMES:
            continue
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()


def describe_differences(before: dict[str, str], after: dict[str, str]) -> str:
    lines = []
    missing = sorted(set(before) - set(after))
    new = sorted(set(after) - set(before))
    changed = sorted(name for name in set(before) & set(after) if before[name] != after[name])
    if missing:
        lines.append("no longer produced by the notebooks (delete them or restore the code):")
        lines += [f"  - figures/{name}" for name in missing]
    if new:
        lines.append("produced by the notebooks but not in figures/ (commit them):")
        lines += [f"  + figures/{name}" for name in new]
    if changed:
        lines.append("regenerated with different bytes (non-deterministic, or not re-run):")
        lines += [f"  ~ figures/{name}" for name in changed]
    return "\n".join(lines)


@pytest.mark.slow
@pytest.mark.notebooks
def test_notebooks_regenerate_figures_byte_for_byte(tmp_path: Path) -> None:
    from glscore.pipeline import runner as pipeline

    if not pipeline.list_notebooks(NOTEBOOKS_DIR):
        pytest.skip("notebooks/ has no NN_*.ipynb notebooks")

    baseline = os.environ.get(BASELINE_ENV)
    if baseline:
        before = json.loads(Path(baseline).read_text())
        origin = f"the snapshot {baseline}"
    else:
        before = hash_tree(FIGURES_DIR)
        origin = "figures/ before the re-run"

    backup = tmp_path / "figures-before"
    if FIGURES_DIR.is_dir():
        shutil.copytree(FIGURES_DIR, backup)
    _empty(FIGURES_DIR)
    try:
        # Without parameters each notebook writes its figures to figures/ (its
        # default out_dir); the executed copies go to tmp, not over the sources.
        for notebook in pipeline.list_notebooks(NOTEBOOKS_DIR):
            pipeline.run_notebook(notebook, output=tmp_path / "executed" / notebook.name)
    except BaseException:
        _empty(FIGURES_DIR)
        if backup.is_dir():
            shutil.copytree(backup, FIGURES_DIR, dirs_exist_ok=True)
        raise

    after = hash_tree(FIGURES_DIR)
    report = describe_differences(before, after)
    assert not report, (
        f"re-running the notebooks changed figures/ (compared with {origin}):\n{report}"
    )


def set_aside(backup: Path, directory: Path = FIGURES_DIR) -> None:
    """Move the figure files of ``directory`` to ``backup`` (emptied first)."""
    shutil.rmtree(backup, ignore_errors=True)
    backup.parent.mkdir(parents=True, exist_ok=True)
    if directory.is_dir():
        shutil.copytree(directory, backup)
    else:
        backup.mkdir()
    _empty(directory)


def restore(backup: Path, directory: Path = FIGURES_DIR) -> None:
    """Put the figures set aside in ``backup`` back into ``directory``."""
    _empty(directory)
    if backup.is_dir():
        shutil.copytree(backup, directory, dirs_exist_ok=True)
        shutil.rmtree(backup, ignore_errors=True)


def compare(snapshot: Path, backup: Path | None = None, directory: Path = FIGURES_DIR,
            into: Path = FIGURES_DIR) -> int:
    """0 if ``directory`` holds exactly the files of ``snapshot`` with the same
    bytes (the backup is then dropped), else 1 with the differences on stderr;
    the regenerated figures of a ``directory`` other than ``into`` (a scratch
    copy's) are then copied into ``into`` (``figures/``) for ``git diff``."""
    before = json.loads(snapshot.read_text())
    report = describe_differences(before, hash_tree(directory))
    if report:
        print(f"executing the notebooks changed figures/ (compared with {snapshot}):\n"
              f"{report}", file=sys.stderr)
        if directory.resolve() != into.resolve():
            _empty(into)
            shutil.copytree(directory, into, dirs_exist_ok=True)
            print(f"the regenerated figures are now in {into} (git diff; git checkout "
                  "puts the committed ones back)", file=sys.stderr)
        return 1
    if backup is not None:
        shutil.rmtree(backup, ignore_errors=True)
    print(f"figures/: {len(before)} files regenerated byte for byte by the notebooks")
    return 0


#: Top-level folders a scratch copy holds when git cannot list the files.
SCRATCH_FOLDERS = ("glscore", "data", "notebooks", "examples")


def checkout_files(root: Path = REPO_ROOT) -> list[str]:
    """The checkout's files, relative to ``root``: those git tracks or would add
    (not ignored), as they are on disk; without git, every file of
    :data:`SCRATCH_FOLDERS` (no caches) and the files at the top."""
    try:
        listed = subprocess.run(["git", "-C", str(root), "ls-files", "-z", "--cached",
                                 "--others", "--exclude-standard"], check=True,
                                capture_output=True).stdout.decode().split("\0")
        return sorted({name for name in listed if name and (root / name).is_file()})
    except (OSError, subprocess.CalledProcessError):
        files = [p for p in root.iterdir() if p.is_file()]
        files += [p for folder in SCRATCH_FOLDERS for p in (root / folder).rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts
                  and ".ipynb_checkpoints" not in p.parts]
        return sorted(p.relative_to(root).as_posix() for p in files)


def scratch_checkout(target: Path, root: Path = REPO_ROOT) -> None:
    """A copy of the checkout (:func:`checkout_files`) in ``target`` (replaced),
    ``figures/`` without its figures (the ignored names stay): nbval executes
    the copy's notebooks, with the copy's package on ``PYTHONPATH``, and their
    figures land in the copy's ``figures/``."""
    shutil.rmtree(target, ignore_errors=True)
    for name in checkout_files(root):
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / name, target / name)
    _empty(target / FIGURES_DIR.relative_to(REPO_ROOT))


USAGE = ("usage: python tests/test_figures_reproducible.py --snapshot FILE | --scratch DIR "
         "| --set-aside DIR | --restore DIR | --compare FILE [--backup DIR | --dir DIR]")


if __name__ == "__main__":
    args = sys.argv[1:]
    if len(args) == 2 and args[0] == "--snapshot":
        write_snapshot(Path(args[1]))
    elif len(args) == 2 and args[0] == "--scratch":
        scratch_checkout(Path(args[1]))
    elif len(args) == 2 and args[0] == "--set-aside":
        set_aside(Path(args[1]))
    elif len(args) == 2 and args[0] == "--restore":
        restore(Path(args[1]))
    elif len(args) in (2, 4) and args[0] == "--compare" and (len(args) == 2
                                                            or args[2] in ("--backup", "--dir")):
        option = args[2] if len(args) == 4 else None
        sys.exit(compare(Path(args[1]), Path(args[3]) if option == "--backup" else None,
                         Path(args[3]) if option == "--dir" else FIGURES_DIR))
    else:
        print(USAGE, file=sys.stderr)
        sys.exit(2)
