"""No text below 7 pt in any saved figure, at its saved size.

:func:`glscore.figures.style.save_figure` records the smallest font size of
the texts it draws (:func:`~glscore.figures.style.min_font_size`) in a PNG
text chunk; every PNG in ``figures/`` must carry it and be at least
:data:`~glscore.figures.style.MIN_FONT_PT`.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
from PIL import Image

from glscore import paths
from glscore.figures import style

SAVED = sorted(paths.FIGURES_DIR.glob("*.png"))


def recorded_min_font(path: Path) -> float:
    with Image.open(path) as image:
        text = image.text  # type: ignore[attr-defined]
    assert style.MIN_FONT_KEY in text, f"{path.name} was not written by save_figure"
    return float(text[style.MIN_FONT_KEY])


def test_there_are_saved_figures() -> None:
    assert len(SAVED) >= 10


@pytest.mark.parametrize("path", SAVED, ids=[p.name for p in SAVED])
def test_no_text_below_7pt(path: Path) -> None:
    assert recorded_min_font(path) >= style.MIN_FONT_PT


def test_min_font_size_sees_ticks_labels_and_annotations(tmp_path: Path) -> None:
    with style.apply_style():
        fig, ax = plt.subplots(figsize=(3, 2))
    ax.plot([0, 1], [0, 1])
    ax.tick_params(labelsize=8)
    ax.set_title("title", fontsize=12)
    fig.draw_without_rendering()
    assert style.min_font_size(fig) == 8.0  # the tick labels
    ax.text(0.5, 0.5, "small", fontsize=5.5)
    ax.text(0.5, 0.5, "hidden", fontsize=3, visible=False)  # not drawn: ignored
    ax.text(0.5, 0.5, "   ", fontsize=2)  # blank: ignored
    fig.text(5, 5, "outside", fontsize=4)  # off the figure: ignored
    (path,) = style.save_figure(fig, "small", tmp_path)
    plt.close(fig)
    assert recorded_min_font(path) == 5.5
