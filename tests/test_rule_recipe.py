"""The README's "Your own definition of synergy" section, run as written.

The fork recipe runs verbatim in a scratch folder (holding a copy of
``examples/``): its shell lines through the console script and
``glscore run`` (notebook 04 with the rule and its
parameters), its Python block through the API. The only substitution is the
output folder (``/tmp/out`` becomes the test's temporary folder). The
checkout is left untouched. The ten-line package of the same section is
installed with pip into a temporary folder put on the path, and its rule is
found through the entry point.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from glscore import load_paper, paths, score
from glscore.cli.params import load_rule
from glscore.core import synergy
from glscore.errors import InputError
from glscore.pipeline import rules_path

README = paths.REPO_ROOT / "README.md"
BIN = Path(sys.executable).parent


def section(title: str) -> str:
    """The README text from the heading starting with ``title`` to the next
    heading of the same or a higher level (code blocks are not headings)."""
    lines = README.read_text(encoding="utf-8").splitlines(keepends=True)
    fenced, start, level, out = False, None, 0, []
    for line in lines:
        if line.startswith("```"):
            fenced = not fenced
        heading = re.match(r"(#+) ", line) if not fenced else None
        if start is not None:
            if heading and len(heading.group(1)) <= level:
                break
            out.append(line)
        elif heading and line[heading.end():].startswith(title):
            start, level = line, len(heading.group(1))
    assert start is not None, f"README has no heading '{title}'"
    return "".join(out)


def blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", text, flags=re.M | re.S)


def shell_lines(block: str) -> list[str]:
    """The commands of a bash block (continuations joined, comments dropped)."""
    joined = block.replace("\\\n", " ")
    lines = [line.split("  #")[0].strip() for line in joined.splitlines()]
    return [line for line in lines if line and not line.startswith("#")]


def env_for(extra_path: Path | None = None) -> dict[str, str]:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("PYTHONPATH", None)
    env.pop(rules_path.RULES_PATH_ENV, None)
    if extra_path is not None:
        env["PYTHONPATH"] = str(extra_path)
    return env


def run(command: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    done = subprocess.run(["bash", "-c", command], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, f"{command!r} failed:\n{done.stderr[-2000:]}"
    return done


def digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def git_status() -> str:
    """The checkout's ``git status`` (untracked files listed), or "" outside git."""
    if shutil.which("git") is None or not (paths.REPO_ROOT / ".git").exists():
        return ""
    return subprocess.run(["git", "-C", str(paths.REPO_ROOT), "status", "--porcelain",
                           "--untracked-files=all"], check=True, capture_output=True,
                          text=True).stdout


FORK = section("Fork: from the template")
PACKAGE = section("Install a rule, no fork")


def test_readme_rule_is_the_templates():
    """The function the README shows is the template's (comments aside)."""
    shown = blocks(FORK, "python")[0]
    template = (paths.REPO_ROOT / "examples" / "rule_template.py").read_text()
    code = [line for line in shown.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]
    for line in code:
        assert line in template.splitlines(), line


@pytest.mark.notebooks
def test_fork_recipe_verbatim(tmp_path):
    scratch = tmp_path / "scratch"
    shutil.copytree(paths.REPO_ROOT / "examples", scratch / "examples")
    out = tmp_path / "out"
    watched = [paths.FIGURES_DIR, paths.NOTEBOOKS_DIR]
    before = {str(f): digest(f) for f in watched}

    status_before = git_status()
    commands = shell_lines(blocks(FORK, "bash")[0])
    assert commands[0] == "cp examples/rule_template.py myrules.py"
    assert any(c.startswith("glscore run") for c in commands)
    ran = [run(c.replace("/tmp/out", str(out)), scratch, env_for()) for c in commands]
    printed = [r.stdout for r in ran]

    # console script: the rule and its parameter reached the scorer
    score_out = printed[1]
    assert score_out.startswith("profile=paper rule=myrules:within(d=1) models=1 ")
    assert "Vitron-V1" in score_out
    assert "myrules:within(d=1)" in printed[2]

    # the API block, in the scratch folder (the module is found there)
    api = blocks(FORK, "python")[1]
    done = subprocess.run([sys.executable, "-c", api], cwd=scratch, env=env_for(),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr

    # the pipeline ran quietly and wrote only into the output folder (the
    # checks tests/test_readme_examples.py makes of the README's other runs) ...
    pipeline = ran[next(i for i, c in enumerate(commands) if c.startswith("glscore run"))]
    assert "Traceback" not in pipeline.stderr and "Warning" not in pipeline.stderr, \
        pipeline.stderr
    assert {str(f): digest(f) for f in watched} == before
    assert git_status() == status_before
    assert not (paths.REPO_ROOT / "myrules.py").exists()
    written = sorted(p.name for p in out.iterdir())
    assert any(n.startswith("04_") and n.endswith(".csv") for n in written), written
    # ... with the rule's variant ...
    figure = out / "04_levels_per_variant.png"
    assert figure.is_file()
    assert figure.read_bytes() != (paths.FIGURES_DIR / figure.name).read_bytes()
    summary = pd.read_csv(out / "04_variants.csv").set_index("variant")
    assert "myrules:within(d=1)" in summary.index

    # ... and its levels are those of the same rule with d = 1 through the API
    # (d = 1 matters: the default d = 2 gives other levels)
    levels = pd.read_csv(out / "04_variant_levels.csv")
    mine = levels[levels["variant"] == "myrules:within(d=1)"].set_index("model")
    sys.path.insert(0, str(scratch))
    try:
        import myrules  # the copied template
    finally:
        sys.path.remove(str(scratch))
    bench = load_paper()
    d1 = score(bench, rule=myrules.within, rule_params={"d": 1})
    d2 = score(bench, rule=myrules.within)
    np.testing.assert_array_equal(mine.loc[list(bench.models), "level"], d1.level)
    # the CSV holds full precision
    np.testing.assert_allclose(mine.loc[list(bench.models), "level3"], d1.level3, atol=5e-7)
    assert not np.allclose(d1.level3, d2.level3)


def test_rule_module_from_explicit_folders_leaves_sys_path_alone(tmp_path, monkeypatch):
    """The core finds ``module:function`` in the folders its caller names (the
    command line names the current folder), never changing ``sys.path``; once
    loaded, the module is found by name alone (``sys.modules``)."""
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "cwdrules_explicit.py").write_text(
        "import numpy as np\n\n"
        "def half(scores, sota, tasks, f=0.5):\n"
        "    return np.nan_to_num(scores, nan=0.0) * f\n")
    monkeypatch.delitem(sys.modules, "cwdrules_explicit", raising=False)
    path_before = list(sys.path)
    with pytest.raises(InputError, match="cannot load synergy rule 'cwdrules_explicit:half'"):
        synergy.resolve("cwdrules_explicit:half")  # not on the import path
    rule = synergy.resolve("cwdrules_explicit:half", {"f": 0.25}, search_path=[str(folder)])
    assert sys.path == path_before
    # credit = score x 0.25, NaN -> 0
    context = synergy.Context(pd.DataFrame(index=range(2)), np.array([[40.0, np.nan]]),
                              np.array([1.0, 1.0]))
    assert rule.credit(context).tolist() == [[10.0, 0.0]]
    assert synergy.resolve("cwdrules_explicit:half").function is rule.function
    # the command line's folders: $GLSCORE_RULES_PATH, then the current folder
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(rules_path.RULES_PATH_ENV, str(folder))
    assert rules_path.search_folders() == [str(folder), str(tmp_path)]
    assert load_rule("cwdrules_explicit:half", {"f": 0.5}).label == "cwdrules_explicit:half(f=0.5)"


def test_a_failing_rule_module_is_one_line(tmp_path):
    (tmp_path / "brokenrules_x.py").write_text("raise RuntimeError('no')\n")
    with pytest.raises(InputError, match=r"cannot load synergy rule 'brokenrules_x:f': "
                                         r"RuntimeError: no"):
        synergy.resolve("brokenrules_x:f", search_path=[str(tmp_path)])
    assert "brokenrules_x" not in sys.modules


def test_rules_path_env_for_a_kernel(tmp_path, monkeypatch):
    """A notebook kernel runs in the repository root; the runner hands it the
    caller's folder first, then the caller's own $GLSCORE_RULES_PATH."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(rules_path.RULES_PATH_ENV, "/somewhere/else")
    env = rules_path.kernel_environment()
    assert env == {rules_path.RULES_PATH_ENV: os.pathsep.join([str(tmp_path), "/somewhere/else"])}


def test_installed_rule_package_through_the_entry_point(tmp_path):
    """The README's ten-line package, installed into a folder on the path."""
    toml, module = blocks(PACKAGE, "toml")[0], blocks(PACKAGE, "python")[0]
    assert toml.startswith("# mysynergy/pyproject.toml\n")
    assert module.startswith("# mysynergy/mysynergy.py\n")
    lines = [line for block in (toml, module) for line in block.splitlines()
             if line.strip() and not line.startswith("# mysynergy/")]
    assert len(lines) <= 10, lines
    package = tmp_path / "mysynergy"
    package.mkdir()
    (package / "pyproject.toml").write_text(toml)
    (package / "mysynergy.py").write_text(module)
    site = tmp_path / "site"
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--disable-pip-version-check", "--no-input",
         "--no-deps", "--target", str(site), str(package)],
        capture_output=True, text=True, timeout=300, env=env_for())
    if done.returncode != 0 and "No matching distribution" in done.stdout + done.stderr:
        pytest.skip("pip cannot reach a package index for the build backend (setuptools)")
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert (site / "mysynergy-0.1.dist-info" / "entry_points.txt").is_file()

    commands = shell_lines(blocks(PACKAGE, "bash")[0])
    assert commands[0] == "pip install ./mysynergy"
    env = env_for(site)
    listed = run("glscore rules --json", tmp_path, env).stdout
    rules = {r["name"]: r for r in json.loads(listed)}
    within = rules["within"]
    assert within["source"] == "entry point mysynergy"
    assert within["target"] == "mysynergy:within" and within["form"] == "cell"
    assert within["params"] == {"d": 2.0}
    assert within["formula"].startswith("Within d points of the specialist")
    # the README's two other lines, as written
    text = run(commands[1], tmp_path, env).stdout
    assert "within(d=2)  [entry point mysynergy, cell rule, mysynergy:within]" in text
    run(commands[2], tmp_path, env)

    # by name, the installed rule scores like the same function passed directly
    out = json.loads(run("glscore score --rule within --param d=1 --model Vitron-V1 --json",
                         tmp_path, env).stdout)
    namespace: dict = {}
    exec(module, namespace)
    direct = score(load_paper().select_models(["vitron-v1"]), rule=namespace["within"],
                   rule_params={"d": 1}).record(0)
    assert out["rule"] == "within(d=1)"
    assert out["scores"] == pytest.approx(direct["scores"], abs=1e-12)
    assert out["level"] == direct["level"]
    # a bad parameter for it is one line listing its parameters
    bad = subprocess.run(["bash", "-c", "glscore score --rule within --param e=1"],
                         cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2
    assert bad.stderr == ("glscore: error: synergy rule 'within' has no parameter 'e'; "
                          "its parameters: d=2\n")


def test_console_script_and_python_m_find_the_same_module(tmp_path):
    """``glscore`` (whose sys.path lacks the current folder) and ``python -m
    glscore`` (whose sys.path has it) both find ``myrules`` there."""
    shutil.copy(paths.REPO_ROOT / "examples" / "rule_template.py", tmp_path / "myrules.py")
    args = "score --rule myrules:within --param d=1 --model Vitron-V1 --json"
    script = json.loads(run(f"glscore {args}", tmp_path, env_for()).stdout)
    module = json.loads(run(f"python -m glscore {args}", tmp_path, env_for()).stdout)
    assert script == module
    assert script["rule"] == "myrules:within(d=1)"
    # the template's context rule, by the same route
    ctx = json.loads(run("glscore score --rule myrules:beats_median --param q=90 --json "
                         "--model Vitron-V1", tmp_path, env_for()).stdout)
    assert ctx["rule"] == "myrules:beats_median(q=90)"
