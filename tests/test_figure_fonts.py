"""Every saved figure is ready for print: its size, its fonts at print size,
nothing cut off, and a vector PDF beside the PNG.

:func:`glscore.figures.style.save_figure` records in each PNG the smallest
font size of the texts it draws (:func:`~glscore.figures.style.min_font_size`)
and the texts the figure's edge cuts (:func:`~glscore.figures.style.clipped_texts`).
A figure is printed at the narrowest print width it fits (one column,
3.25 in, or the full text width, 6.75 in) or shrunk to the full width, so
its fonts are measured at that size (:func:`~glscore.figures.style.print_scale`);
every figure in ``figures/`` is designed at one of the two widths, so the
scale is 1.
"""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
from matplotlib.figure import Figure
from PIL import Image

from glscore import paths
from glscore.figures import style

SAVED = sorted(paths.FIGURES_DIR.glob("*.png"))
PDFS = sorted(paths.FIGURES_DIR.glob("*.pdf"))
#: The tallest a figure may be: a page of text (9 in) less room for its caption.
MAX_HEIGHT_IN = 8.75


def recorded(path: Path) -> dict[str, str]:
    with Image.open(path) as image:
        text = dict(image.text)  # type: ignore[attr-defined]
    assert style.MIN_FONT_KEY in text, f"{path.name} was not written by save_figure"
    return text


def size_in(path: Path) -> tuple[float, float]:
    with Image.open(path) as image:
        width, height = image.size
    return width / style.DPI, height / style.DPI


def pdf_page(path: Path) -> tuple[float, float]:
    """The MediaBox of a one-page PDF written by matplotlib, in points."""
    match = re.search(rb"/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", path.read_bytes())
    assert match, f"{path.name}: no MediaBox"
    return float(match.group(1)), float(match.group(2))


def test_there_are_saved_figures() -> None:
    assert len(SAVED) >= 10


@pytest.mark.parametrize("path", SAVED, ids=[p.name for p in SAVED])
def test_designed_for_a_column_or_the_full_width(path: Path) -> None:
    with Image.open(path) as image:
        width_px, height_px = image.size
    widths_px = {int(w * style.DPI) for w in style.PRINT_WIDTHS}   # 487 and 1012 at 150 dpi
    assert width_px in widths_px, f"{path.name}: {width_px / style.DPI:.2f} in wide"
    assert height_px / style.DPI <= MAX_HEIGHT_IN


@pytest.mark.parametrize("path", SAVED, ids=[p.name for p in SAVED])
def test_no_text_below_the_minimum_at_print_size(path: Path) -> None:
    width, _ = size_in(path)
    at_print = float(recorded(path)[style.MIN_FONT_KEY]) * style.print_scale(width)
    assert at_print >= style.MIN_FONT_PT, f"{path.name}: {at_print:.2f} pt in print"


@pytest.mark.parametrize("path", SAVED, ids=[p.name for p in SAVED])
def test_no_text_cut_off_by_the_edge(path: Path) -> None:
    assert recorded(path).get(style.CLIPPED_KEY, "") == ""


@pytest.mark.parametrize("path", SAVED, ids=[p.name for p in SAVED])
def test_vector_pdf_beside_every_png(path: Path) -> None:
    pdf = path.with_suffix(".pdf")
    assert pdf.exists(), f"{pdf.name} is missing"
    width, height = size_in(path)
    page = pdf_page(pdf)
    # the PNG is figsize x dpi truncated to whole pixels; the PDF page is figsize x 72
    assert page[0] == pytest.approx(width * 72, abs=72 / style.DPI + 1e-6)
    assert page[1] == pytest.approx(height * 72, abs=72 / style.DPI + 1e-6)
    data = pdf.read_bytes()
    assert b"/CreationDate" not in data and b"/Producer" not in data
    assert b"/Type3" not in data                   # TrueType fonts, no Type 3


def test_every_pdf_has_its_png() -> None:
    assert {p.stem for p in PDFS} == {p.stem for p in SAVED}


def test_print_scale_shrinks_a_wide_figure() -> None:
    # a 7.5 in figure is set at the full width, 6.75 in: its 7 pt text prints at 6.3 pt
    assert style.print_scale(7.5) * 7.0 == pytest.approx(6.3)
    assert style.print_scale(style.COLUMN_WIDTH) == style.print_scale(style.FULL_WIDTH) == 1.0
    assert style.print_scale(4.0) == 1.0            # fits the full width, printed as is


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
    png, pdf = style.save_figure(fig, "small", tmp_path)
    plt.close(fig)
    assert float(recorded(png)[style.MIN_FONT_KEY]) == 5.5
    assert pdf.suffix == ".pdf" and pdf_page(pdf) == (216.0, 144.0)   # 3 x 2 in


def test_a_cut_title_is_recorded(tmp_path: Path) -> None:
    fig = Figure(figsize=(2, 1), layout="constrained")
    fig.subplots().set_title("a title far too long for a figure two inches wide", loc="left")
    fig.text(0.5, 0.5, "fits")
    (png,) = style.save_figure(fig, "cut", tmp_path, formats="png")
    assert recorded(png)[style.CLIPPED_KEY].startswith("'a title far too long")


def test_pdf_bytes_are_reproducible(tmp_path: Path) -> None:
    def draw() -> Figure:
        fig = Figure(figsize=(style.COLUMN_WIDTH, 2))
        fig.subplots().plot([0, 1], [1, -1], label="a line")
        return fig

    first = style.save_figure(draw(), "a", tmp_path / "1", formats="pdf")[0].read_bytes()
    second = style.save_figure(draw(), "a", tmp_path / "2", formats="pdf")[0].read_bytes()
    assert first == second


def test_figure_functions_leave_the_style_alone() -> None:
    import pandas as pd

    from glscore.figures.overview import levels_by_profile_figure

    before = dict(matplotlib.rcParams)
    counts = pd.DataFrame({f"Level-{k}": [k] for k in range(1, 6)}, index=["paper"])
    levels_by_profile_figure(counts)
    after = dict(matplotlib.rcParams)
    assert {k for k in before if before[k] != after[k]} <= {"backend"}
