"""Figures are built on :class:`matplotlib.figure.Figure`, never on pyplot's
global state: no module of the package imports ``matplotlib.pyplot``."""

from __future__ import annotations

import ast

from glscore import paths


def _imports(path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
    return names


def test_no_module_imports_pyplot():
    modules = sorted((paths.REPO_ROOT / "glscore").rglob("*.py"))
    assert len(modules) > 20
    offenders = [str(p.relative_to(paths.REPO_ROOT)) for p in modules
                 if "matplotlib.pyplot" in _imports(p)]
    assert offenders == []
