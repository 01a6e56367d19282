"""The README's quick start, run as written.

Every command of the quick-start block runs in a scratch folder holding what
the README tells a reader to have: a copy of ``examples/`` and, when the
shared data has it, the official ``sota_result.xlsx`` (which the README says
to download; it is never committed). Commands naming a file that is not
there are skipped with the reason; every other one must succeed, print
something, and keep JSON strict.
"""

from __future__ import annotations

import json
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
#: The files the quick start names that are not in the repository, and where a copy is.
DOWNLOADS = {"sota_result.xlsx": paths.official_dir() / "sota_result.xlsx"}


def quickstart_commands() -> list[str]:
    text = README.read_text(encoding="utf-8")
    start = text.index("## Quick start")
    section = text[start:text.index("\n## ", start + 3)]
    (block,) = re.findall(r"```bash\n(.*?)```", section, re.S)
    return [line.split("  #")[0].strip() for line in block.splitlines()
            if line.strip() and not line.strip().startswith("#")]


COMMANDS = quickstart_commands()


def test_the_quick_start_names_only_files_it_explains():
    text = README.read_text(encoding="utf-8")
    named = {w for c in COMMANDS for w in shlex.split(c) if re.search(r"\.(xlsx|csv)$", w)}
    for name in named:
        assert (paths.REPO_ROOT / name).exists() or name in DOWNLOADS, name
    for name in DOWNLOADS:
        assert "github.com/path2generalist/General-Level" in text and name in text
    assert not {"my_result.xlsx", "runs.csv"} & named


@pytest.mark.parametrize("command", COMMANDS)
def test_quick_start_command_runs_as_written(command: str, tmp_path: Path) -> None:
    words = shlex.split(command)
    assert words[:3] == ["python", "-m", "glscore"], command
    for name, copy in DOWNLOADS.items():
        if name in words:
            if not copy.exists():
                pytest.skip(f"{name} is not in the shared data ({copy})")
            shutil.copy(copy, tmp_path / name)
    shutil.copytree(paths.REPO_ROOT / "examples", tmp_path / "examples")
    env = {**os.environ, "PYTHONPATH": str(paths.REPO_ROOT)}
    proc = subprocess.run([sys.executable, *words[1:]], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, (command, proc.stderr[-2000:])
    assert proc.stdout.strip() and "Traceback" not in proc.stderr
    if "--json" in words:
        json.loads(proc.stdout, parse_constant=lambda c: pytest.fail(f"non-strict JSON {c}"))
