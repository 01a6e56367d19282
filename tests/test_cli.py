"""One command line: every command under ``glscore``, one parser base, one error handler.

``glscore run`` (the notebooks) and ``glscore report`` are subcommands like
the others; ``python -m glscore.pipeline`` and ``python -m glscore.report``
delegate to them. A missing optional dependency is one line naming the extra
(simulated by putting ``None`` in ``sys.modules``, which makes an import
raise ``ModuleNotFoundError``). Only the running command's module is
imported: ``glscore --help`` loads neither pandas nor scipy nor matplotlib.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import glscore
from glscore.cli import COMMANDS, main


def python(code: str, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          timeout=300, cwd=cwd)


def test_help_is_lazy():
    """``glscore --help`` imports no command module and none of the heavy libraries."""
    code = ("import sys\nfrom glscore.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "heavy = ('numpy', 'pandas', 'scipy', 'matplotlib', 'nbformat', 'jinja2')\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy"
            " or m.startswith('glscore.cli.commands.')))")
    done = python(code)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert lines[-1] == "[]"
    listed = "\n".join(lines[:-1])
    for command in COMMANDS:  # every command is listed, with its summary
        assert command.name in listed and command.summary.split()[0] in listed


def test_a_command_imports_only_its_own_module():
    code = ("import sys\nfrom glscore.cli import build_parser\nbuild_parser('rules')\n"
            "print(sorted(m for m in sys.modules if m.startswith('glscore.cli.commands.')))")
    done = python(code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['glscore.cli.commands.rules']"


def test_public_names_resolve():
    for name in glscore.__all__:
        assert getattr(glscore, name) is not None, name
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        glscore.nope  # noqa: B018


@pytest.mark.parametrize("command, module, extra", [
    ("run", "nbformat", "notebooks"),
    ("report", "jinja2", "report"),
    ("report", "nbconvert", "report"),
])
def test_missing_optional_dependency_names_the_extra(tmp_path, command, module, extra):
    out = tmp_path / "out"
    argv = {"run": ["run", "--directory", str(tmp_path), "--output-dir", str(out)],
            "report": ["report", "--out", str(out)]}[command]
    code = (f"import sys\nsys.modules[{module!r}] = None\n"
            "from glscore.cli import main\nsys.exit(main(sys.argv[1:]))")
    done = python(code, *argv)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"glscore: error: glscore {command} needs the {extra} extra ({module} is not "
        f"installed): pip install 'glscore[{extra}]'"]
    assert not out.exists()


def test_the_old_module_entries_delegate(tmp_path):
    for module, command in (("glscore.pipeline", "run"), ("glscore.report", "report")):
        done = subprocess.run([sys.executable, "-m", module, "--help"], capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith(f"usage: glscore {command} ")
    bad = subprocess.run([sys.executable, "-m", "glscore.pipeline", "--only", "99_*",
                          "--directory", str(tmp_path)], capture_output=True, text=True,
                         timeout=300)
    assert bad.returncode == 2
    assert bad.stderr.splitlines() == [f"glscore: error: no notebook in {tmp_path} matches "
                                       "--only '99_*'"]


def test_usage_errors_are_one_line(capsys):
    for argv, fragment in ((["nosuch"], "invalid choice: 'nosuch'"),
                           ([], "the following arguments are required: COMMAND"),
                           (["report"], "the following arguments are required: --out")):
        with pytest.raises(SystemExit) as info:
            main(argv)
        assert info.value.code == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and fragment in err[0], err


def test_debug_shows_the_traceback_either_side_of_the_command(capsys, tmp_path):
    missing = tmp_path / "none.csv"
    assert main(["score", "--results", str(missing)]) == 2
    assert capsys.readouterr().err.startswith("glscore: error: ")
    for argv in (["--debug", "score", "--results", str(missing)],
                 ["score", "--debug", "--results", str(missing)]):
        with pytest.raises(glscore.InputError, match="file not found"):
            main(argv)


def test_ctrl_c_is_one_line_exit_130(monkeypatch, capsys):
    from glscore.cli.commands import rules

    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setattr(rules, "run", interrupted)
    assert main(["rules"]) == 130
    assert capsys.readouterr().err == "glscore: interrupted\n"
