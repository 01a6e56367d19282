"""Every ``figures/*.tex`` compiles into a paper, in one column and in two.

Each file is ``\\input`` into two test documents with the page of a
two-column conference paper (ICML: text width 6.75 in, text height 9 in):
a one-column document and a two-column one (columns of 3.25 in, 0.25 in
apart). pdflatex must finish without an error, an overfull box (a table
wider than its column or text width, a float taller than the page) or a
float too large for the page. Skipped where pdflatex is not installed
(``.ci/run`` installs Debian's texlive-latex-base and
texlive-latex-recommended).

The CLI's LaTeX (``glscore leaderboard --format latex`` of the widest
board, ``glscore score --format latex``) is compiled the same way.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from glscore import paths

PDFLATEX = shutil.which("pdflatex")
TEX_FILES = sorted(paths.FIGURES_DIR.glob("*.tex"))

pytestmark = pytest.mark.skipif(PDFLATEX is None, reason="pdflatex is not installed "
                                "(apt-get install texlive-latex-base texlive-latex-recommended)")

PREAMBLE = r"""\documentclass[10pt%s]{article}
\usepackage[paperwidth=8.5in,paperheight=11in,textwidth=6.75in,textheight=9in,
            columnsep=0.25in]{geometry}
\usepackage{booktabs}
\begin{document}
Some text before the tables.
\input{%s}
\clearpage
\end{document}
"""
LAYOUTS = {"one-column": "", "two-column": ",twocolumn"}
PROBLEMS = re.compile(r"^(Overfull \\[hv]box.*|LaTeX Warning: Float too large.*|! .*)$",
                      re.MULTILINE)


def compile_tex(tex: Path, layout: str, workdir: Path) -> tuple[str, Path]:
    """Compile ``tex`` in the ``layout`` document; the problems of its log and the PDF."""
    workdir.mkdir(parents=True, exist_ok=True)
    shutil.copy(tex, workdir / "table.tex")
    doc = workdir / "doc.tex"
    doc.write_text(PREAMBLE % (LAYOUTS[layout], "table"))
    run = subprocess.run([str(PDFLATEX), "-interaction=nonstopmode", "-halt-on-error",
                          doc.name], cwd=workdir, capture_output=True, text=True, timeout=120)
    log = (workdir / "doc.log").read_text(errors="replace")
    problems = "\n".join(PROBLEMS.findall(log))
    if run.returncode != 0 and not problems:
        problems = run.stdout[-2000:]
    return problems, workdir / "doc.pdf"


def test_there_are_tex_files() -> None:
    assert len(TEX_FILES) >= 4


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("tex", TEX_FILES, ids=[p.name for p in TEX_FILES])
def test_figures_tex_compiles_without_overfull_boxes(tex: Path, layout: str,
                                                     tmp_path: Path) -> None:
    problems, pdf = compile_tex(tex, layout, tmp_path)
    assert not problems, f"{tex.name} in the {layout} document:\n{problems}"
    assert pdf.exists()


def test_the_check_catches_a_table_too_wide(tmp_path: Path) -> None:
    # a float meant for one column that is wider than it: overfull in two columns
    tex = tmp_path / "wide.tex"
    tex.write_text("\\begin{table}[t]\n\\begin{tabular}{l}\n" + "x" * 120
                   + " \\\\\n\\end{tabular}\n\\end{table}\n")
    problems, _ = compile_tex(tex, "two-column", tmp_path / "build")
    assert "Overfull \\hbox" in problems


def _cli(*args: str) -> str:
    out = subprocess.run([sys.executable, "-m", "glscore", *args], capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return out.stdout


@pytest.mark.parametrize("args", [
    ("leaderboard", "--scope", "A", "--format", "latex"),
    ("score", "--format", "latex"),
], ids=["leaderboard-A", "score"])
def test_cli_latex_compiles(args: tuple[str, ...], tmp_path: Path) -> None:
    tex = tmp_path / "cli.tex"
    tex.write_text(_cli(*args))
    for layout in LAYOUTS:
        problems, _ = compile_tex(tex, layout, tmp_path / layout)
        assert not problems, f"{' '.join(args)} in the {layout} document:\n{problems}"
