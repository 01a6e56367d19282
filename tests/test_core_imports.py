"""The scoring core imports nothing above it (issue 23).

In a fresh interpreter, importing the core loads no module of the layers
above (analysis, io, figures, cli, pipeline, report); and no core source file
imports one (nor ``glscore.paths``: the core reads no file).
"""

import ast
import json
import subprocess
import sys

import pytest

from glscore import paths

ABOVE = ("glscore.analysis", "glscore.io", "glscore.figures", "glscore.cli",
         "glscore.pipeline", "glscore.report", "glscore.paths")


def loaded_after(statement: str) -> list[str]:
    code = f"{statement}; import sys, json; print(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=True)
    return json.loads(done.stdout)


@pytest.mark.parametrize("module", ["glscore.core", "glscore.core.levels",
                                    "glscore.core.scoring", "glscore.core.synergy"])
def test_importing_the_core_loads_nothing_above_it(module):
    loaded = loaded_after(f"import {module}")
    assert module in loaded
    above = [m for m in loaded if m.startswith(ABOVE)]
    assert above == []


def test_the_issues_check_prints_an_empty_list():
    code = ("import glscore.core.levels, sys; "
            "print([m for m in sys.modules if m.startswith('glscore.analysis')])")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=True)
    assert done.stdout == "[]\n"


def test_import_glscore_is_lazy():
    """``import glscore`` loads only the package itself; a public name is
    imported on first use."""
    loaded = [m for m in loaded_after("import glscore") if m.startswith("glscore")]
    assert loaded == ["glscore"]
    after = loaded_after("import glscore; glscore.score")
    assert "glscore.core.scoring" in after and not any(m.startswith(ABOVE) for m in after)
    import glscore

    assert set(glscore.__all__) <= set(dir(glscore))
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        glscore.nope  # noqa: B018


def test_no_core_source_imports_a_layer_above():
    core = paths.REPO_ROOT / "glscore" / "core"
    bad = []
    for path in sorted(core.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if isinstance(node, ast.ImportFrom) and node.module == "glscore":
                names = [f"glscore.{a.name}" for a in node.names]
            bad += [f"{path.name}: {n}" for n in names if n.startswith(ABOVE)]
    assert bad == []
