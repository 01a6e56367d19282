"""Helpers that keep notebooks short and their outputs stable.

``setup()`` fixes pandas' display options (the figure functions take the
house plotting style per figure, so nothing global is set for them);
``show(fig, name)`` saves a figure to ``figures/`` as PNG and vector PDF with
:func:`glscore.figures.style.save_figure` and returns the saved PNG for
display (so the committed notebook shows exactly the file in ``figures/``).
``write_table(frame, name)`` writes a CSV next to the figures, deterministically
(and, with ``latex=True``, the same table as a booktabs ``.tex``).
``rule_spec(text)`` reads a rule parameter written ``NAME[,KEY=VALUE...]``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from glscore import paths
from glscore.figures import style as plots
from glscore.io.files import write_text_if_changed
from glscore.io.latex import latex_table

DISPLAY_PRECISION = 3


def format_float(value: float) -> str:
    """A float for display: 3 decimals, or 3 significant digits below 0.01.

    Small Level-5 scores stay readable instead of printing as ``0.000``.

    >>> [format_float(v) for v in (12.3456, 0.00765, 0.0, -0.0042, 6540.0)]
    ['12.346', '0.00765', '0.000', '-0.0042', '6540.000']
    """
    if value != 0 and abs(value) < 0.01:
        return f"{value:.3g}"
    return f"{value:.{DISPLAY_PRECISION}f}"


def rule_spec(spec: str | None) -> tuple[str, dict[str, float]] | None:
    """A notebook parameter ``NAME[,KEY=VALUE...]`` as ``(name, params)`` (``None``
    stays ``None``), the rule loaded from the pipeline's rule folders (the
    runner's folder and ``$GLSCORE_RULES_PATH``: :mod:`glscore.pipeline.rules_path`),
    so that analyses taking it by name find a ``module:function`` rule.

    >>> rule_spec("soft,k=5"), rule_spec(None)
    (('soft', {'k': 5.0}), None)
    """
    if spec is None:
        return None
    from glscore.cli.params import load_spec

    rule = load_spec(spec, where="extra_rule")
    return rule.name, dict(rule.params)


def setup(out_dir: Path | str = "figures") -> Path:
    """Stable display (pandas precision, width, full cell text). The plotting
    style is not touched: every figure function applies the house style to its
    own figure (:func:`glscore.figures.style.house_style`).

    Returns the output folder for :func:`show` and :func:`write_table`:
    ``out_dir`` (the notebook's ``out_dir`` parameter) resolved from the
    repository root, so ``"figures"`` is the committed ``figures/`` and an
    absolute path (``--output-dir``) stays as given. Nothing is created yet.

    >>> setup("figures") == paths.FIGURES_DIR
    True
    """
    pd.set_option("display.precision", DISPLAY_PRECISION)
    pd.set_option("display.width", 120)
    pd.set_option("display.max_columns", 30)
    pd.set_option("display.max_rows", 200)
    pd.set_option("display.max_colwidth", None)  # evidence and details in full
    pd.set_option("display.float_format", format_float)
    return paths.REPO_ROOT / out_dir


def show(fig, name: str, directory: Path | str = paths.FIGURES_DIR):
    """Save ``fig`` (a :class:`matplotlib.figure.Figure`, not held by pyplot) as
    ``figures/<name>.png`` and ``figures/<name>.pdf`` (vector, for print) and
    return the saved PNG for display."""
    from IPython.display import Image

    saved = plots.save_figure(fig, name, directory)
    return Image(filename=str(saved[0]))


def write_table(frame: pd.DataFrame, name: str, directory: Path | str = paths.FIGURES_DIR,
                float_format: str | None = None, latex: bool = False,
                caption: str | None = None) -> Path:
    """Write ``frame`` as ``figures/<name>.csv`` (``\\n`` line ends; floats at full
    precision, the shortest text that reads back to the same float, unless
    ``float_format`` is given). ``latex=True`` also writes ``figures/<name>.tex``,
    the same table in booktabs (:func:`glscore.io.latex.latex_table`, with
    ``caption`` and the label ``tab:<name>``). Returns the CSV's path."""
    path = Path(directory) / f"{name}.csv"
    write_text_if_changed(path, frame.to_csv(index=False, float_format=float_format,
                                             lineterminator="\n"))
    if latex:
        write_text_if_changed(path.with_suffix(".tex"),
                              latex_table(frame, caption=caption, label=f"tab:{name}"))
    return path


def write_latex(text: str, name: str, directory: Path | str = paths.FIGURES_DIR) -> Path:
    """Write ready-made LaTeX (e.g. :func:`glscore.io.latex.reproduction_latex`)
    as ``figures/<name>.tex``. Returns its path."""
    path = Path(directory) / f"{name}.tex"
    write_text_if_changed(path, text)
    return path
