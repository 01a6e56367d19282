"""The README's pipeline examples, run as a user would, in a scratch clone.

The tracked files of this checkout (as they are on disk) are copied into a
fresh git repository; every ``glscore run`` command of the
README's code blocks is run there with ``/tmp/out`` replaced by a temporary
folder, and the clone must be left exactly as it was (``git status`` clean,
``figures/`` byte for byte), with the outputs in the output folder.

The fork recipe's ``glscore run`` line is the exception: it needs the rule
module the recipe copies first, and tests/test_rule_recipe.py runs the
whole recipe verbatim, that line included, with the same checks (notebook 04
runs once for both).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from glscore import paths

README = paths.REPO_ROOT / "README.md"


def _code_blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", text, flags=re.S)


def readme_pipeline_commands(*, fork: bool = False) -> list[str]:
    """Every ``glscore run`` command in the README's bash blocks, the fork
    recipe's only if ``fork`` (:func:`fork_recipe_runs` says which they are)."""
    commands = []
    for block in _code_blocks(README.read_text(encoding="utf-8"), "bash"):
        if not fork and fork_recipe_runs(block):
            continue
        joined = block.replace("\\\n", " ")
        commands += [
            line.split("#")[0].strip()
            for line in joined.splitlines()
            if line.strip().startswith("glscore run")
        ]
    return commands


def fork_recipe_runs(block: str) -> bool:
    """``block`` is the fork recipe's bash block, which
    tests/test_rule_recipe.py::test_fork_recipe_verbatim runs as written."""
    return block.startswith("cp examples/rule_template.py myrules.py")


def readme_module(name: str) -> str:
    """The README's python block that starts with ``# <name>``."""
    for block in _code_blocks(README.read_text(encoding="utf-8"), "python"):
        if block.startswith(f"# {name}\n"):
            return block
    raise AssertionError(f"no python block '# {name}' in the README")


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True
    ).stdout


@pytest.fixture(scope="module")
def scratch_clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("git") is None or not (paths.REPO_ROOT / ".git").exists():
        pytest.skip("needs git and a git checkout")
    clone = tmp_path_factory.mktemp("clone") / "glscore"
    tracked = _git(paths.REPO_ROOT, "ls-files", "-z").split("\0")
    for name in filter(None, tracked):
        source = paths.REPO_ROOT / name
        if source.is_file():
            (clone / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, clone / name)
    _git(clone, "init", "-q")
    _git(clone, "add", "-A")
    _git(clone, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "scratch")
    return clone


def test_readme_has_pipeline_examples() -> None:
    commands = readme_pipeline_commands(fork=True)
    assert len(commands) >= 2
    assert all("--output-dir /tmp/out" in command for command in commands)
    # one is the fork recipe's, run by the recipe's own test; the others run here
    assert len(readme_pipeline_commands()) == len(commands) - 1 >= 1


@pytest.mark.notebooks
@pytest.mark.parametrize("index", range(len(readme_pipeline_commands())))
def test_readme_example_writes_only_to_its_output_dir(
    scratch_clone: Path, tmp_path: Path, index: int
) -> None:
    command = readme_pipeline_commands()[index]
    out = tmp_path / "out"
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "myrules.py").write_text(readme_module("myrules.py"), encoding="utf-8")
    argv = [arg.replace("/tmp/out", str(out)) for arg in shlex.split(command)]
    assert argv[:2] == ["glscore", "run"]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(scratch_clone), str(rules)]))
    figures_before = {p.name: p.read_bytes() for p in (scratch_clone / "figures").iterdir()}

    done = subprocess.run(
        [sys.executable, "-m", "glscore", *argv[1:]], cwd=scratch_clone, env=env,
        capture_output=True, text=True, timeout=900,
    )

    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "Warning" not in done.stderr, done.stderr
    status = _git(scratch_clone, "status", "--porcelain", "--untracked-files=all")
    assert status == "", f"the example changed the checkout:\n{status}"
    figures_after = {p.name: p.read_bytes() for p in (scratch_clone / "figures").iterdir()}
    assert figures_after == figures_before
    pattern = argv[argv.index("--only") + 1]
    written = sorted(p.name for p in out.iterdir())
    assert any(re.fullmatch(pattern.replace("*", ".*"), name) for name in written)
    assert any(name.endswith(".png") for name in written)
    assert any(name.endswith(".csv") for name in written)
