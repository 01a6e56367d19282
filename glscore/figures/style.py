"""The house style and a deterministic ``save_figure``.

Every figure in ``figures/`` is written by :func:`save_figure`, so that
re-executing the notebooks regenerates ``figures/`` byte for byte:

* PNG is rendered with Agg at a fixed dpi (:data:`DPI`) and the figure's own
  size (no ``bbox_inches="tight"``: the pixel size is ``figsize * dpi``), with
  the ``Software`` text chunk removed, so no version or date is embedded;
* PDF (vector, for print; written beside every PNG by default) has no
  ``Creator``, ``Producer`` or ``CreationDate``, and embeds its fonts as
  TrueType subsets (``pdf.fonttype`` 42: no Type 3 fonts, which some
  publishers reject);
* SVG (on request) has no ``Date``/``Creator`` metadata and a fixed
  ``svg.hashsalt`` (clip-path and glyph ids are otherwise random), glyphs as
  paths so no system font is needed;
* files are written atomically and only when their bytes change.

Figures are designed for print: one column (:data:`COLUMN_WIDTH`, 3.25 in)
or the full text width (:data:`FULL_WIDTH`, 6.75 in) of a two-column paper,
at their saved size, with no text below :data:`MIN_FONT_PT` and none cut off
by the figure's edge (both recorded in the PNG by :func:`save_figure` and
tested over ``figures/``).

Colours are fixed per meaning (:data:`LEVEL_COLORS`, :data:`MODALITY_COLORS`,
:data:`PROFILE_COLORS`, :data:`STATUS_COLORS`) and colour-blind safe, so a
level, a modality or a data state has the same colour in every figure; the
level palette keeps neighbouring levels apart under simulated deuteranopia,
protanopia and tritanopia (:mod:`glscore.figures.colour`). Importing this
module changes nothing: figure functions take the house style per figure
(:func:`house_style`, a decorator), and :func:`apply_style` sets it as a
context manager (``with apply_style(): ...``) or, for an interactive session,
globally.
"""

from __future__ import annotations

import contextlib
import functools
import io
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, Final, ParamSpec, TypeVar, cast

from glscore.core.profiles import PROFILES as _PROFILES
from glscore.core.vocabulary import TASK_MODALITIES
from glscore.io.files import write_if_changed
from glscore.paths import FIGURES_DIR

__all__ = [
    "CLIPPED_KEY",
    "COLUMN_WIDTH",
    "DEFAULT_FORMATS",
    "DPI",
    "FIGSIZE",
    "FULL_WIDTH",
    "LEVELS",
    "LEVEL_COLORS",
    "MIN_FONT_KEY",
    "MIN_FONT_PT",
    "MODALITIES",
    "MODALITY_COLORS",
    "OKABE_ITO",
    "PRINT_WIDTHS",
    "PROFILES",
    "PROFILE_COLORS",
    "STATUS_COLORS",
    "STATUS_HATCHES",
    "SUPPORTED_FORMATS",
    "SVG_HASHSALT",
    "apply_style",
    "clipped_texts",
    "drawn_texts",
    "house_rc",
    "house_style",
    "level_color",
    "min_font_size",
    "print_scale",
    "save_figure",
    "text_color_on",
]

#: Resolution of every saved PNG (pixels per inch).
DPI: Final[int] = 150
#: Default figure size in inches (width, height).
FIGSIZE: Final[tuple[float, float]] = (7.0, 4.0)
#: Print widths (inches): one column and the full text width of a two-column paper.
COLUMN_WIDTH: Final[float] = 3.25
FULL_WIDTH: Final[float] = 6.75
#: The widths a figure is designed for (every saved figure has one of them).
PRINT_WIDTHS: Final[tuple[float, ...]] = (COLUMN_WIDTH, FULL_WIDTH)
#: Fixed salt for SVG ids, so SVG output is reproducible.
SVG_HASHSALT: Final[str] = "glscore"
#: Formats :func:`save_figure` can write reproducibly.
SUPPORTED_FORMATS: Final[tuple[str, ...]] = ("png", "pdf", "svg")
#: What :func:`save_figure` writes by default: the PNG for screens, the PDF for print.
DEFAULT_FORMATS: Final[tuple[str, ...]] = ("png", "pdf")

#: Okabe & Ito (2008) colour-blind-safe qualitative palette.
OKABE_ITO: Final[dict[str, str]] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
}

LEVELS: Final[tuple[str, ...]] = ("Level-1", "Level-2", "Level-3", "Level-4", "Level-5")
#: Levels are ordered, so their colours are too: Level-1 (no generalist score)
#: is a neutral grey, Levels 2-5 go from dark to light (deep indigo, purple,
#: vermillion, gold: CIELAB L* 11, 42, 54, 79), so they keep their order in
#: greyscale. Neighbouring levels stay at least 18 CIEDE2000 units apart for
#: normal vision and under simulated deuteranopia and protanopia (21 under
#: tritanopia), and every colour at least 22 from the white background
#: (``tests/test_palettes.py``). The plasma steps used before (coral
#: Level-4, orange Level-5) came within 13.7 of each other under
#: deuteranopia and 9.7 under tritanopia.
LEVEL_COLORS: Final[dict[str, str]] = {
    "Level-1": "#A0A0A0",
    "Level-2": "#140D5C",
    "Level-3": "#9A3AA8",
    "Level-4": "#DC5418",
    "Level-5": "#EDBD22",
}

#: The modalities of the tasks table (defined once, in ``core.vocabulary``).
MODALITIES: Final[tuple[str, ...]] = TASK_MODALITIES
#: Modalities are categories: Okabe-Ito hues.
MODALITY_COLORS: Final[dict[str, str]] = {
    "Image": OKABE_ITO["blue"],
    "Video": OKABE_ITO["orange"],
    "Audio": OKABE_ITO["bluish green"],
    "3D": OKABE_ITO["reddish purple"],
    "NLP": OKABE_ITO["vermillion"],
}

#: Data states and reproduction statuses, one colour each in every figure
#: (cells, bars, markers): a value the paper prints as 0 is black, a cell
#: without per-task data mid grey, a modality or task no model supports light
#: grey, a result nobody explains (or a group attempted but never won)
#: vermillion; the reproduction's accounting classes take the other
#: Okabe-Ito hues.
STATUS_COLORS: Final[dict[str, str]] = {
    "plain formula": OKABE_ITO["bluish green"],
    "transcription copy": OKABE_ITO["blue"],
    "formula switched per model": OKABE_ITO["orange"],
    "fitted constant": OKABE_ITO["reddish purple"],
    "no per-task data": "#707070",
    "printed as 0": OKABE_ITO["black"],
    "unexplained": OKABE_ITO["vermillion"],
    "not supported": "#BBBBBB",
    "never won": OKABE_ITO["vermillion"],
}
#: Hatching of the states drawn as areas (edge colour from :data:`STATUS_COLORS`).
STATUS_HATCHES: Final[dict[str, str]] = {
    "not supported": "////",
    "no per-task data": "xxx",
    "printed as 0": "\\\\",
}

#: The profile names (defined once, in ``core.profiles``), sorted.
PROFILES: Final[tuple[str, ...]] = tuple(sorted(_PROFILES))
#: Scoring profiles: black for the official scorer, grey for the paper's.
PROFILE_COLORS: Final[dict[str, str]] = {
    "official": OKABE_ITO["black"],
    "paper": "#999999",
}

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def house_rc() -> dict[str, Any]:
    """The house style as a fresh ``rcParams`` dict (safe to modify).

    Fixed font (DejaVu Sans, shipped with matplotlib) and sizes, no top/right
    spines, a light grid below the data, Okabe-Ito colour cycle, constrained
    layout, fixed figure size and dpi, white background, and savefig settings
    that keep the pixel size equal to ``figsize * DPI``.
    """
    from cycler import cycler

    return {
        "font.family": "sans-serif",
        "font.sans-serif": ["DejaVu Sans"],
        "font.size": 10.0,
        "axes.titlesize": 11.0,
        "axes.titleweight": "bold",
        "axes.titlelocation": "left",
        "axes.labelsize": 10.0,
        "xtick.labelsize": 9.0,
        "ytick.labelsize": 9.0,
        "legend.fontsize": 9.0,
        "legend.title_fontsize": 9.0,
        "legend.frameon": False,
        "figure.titlesize": 12.0,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "axes.axisbelow": True,
        "grid.color": "#DDDDDD",
        "grid.linewidth": 0.6,
        "grid.linestyle": "-",
        "axes.prop_cycle": cycler(
            color=[
                OKABE_ITO[name]
                for name in (
                    "blue",
                    "orange",
                    "bluish green",
                    "vermillion",
                    "reddish purple",
                    "sky blue",
                    "yellow",
                    "black",
                )
            ]
        ),
        "figure.figsize": list(FIGSIZE),
        "figure.dpi": 100.0,
        "figure.facecolor": "white",
        "axes.facecolor": "white",
        "figure.constrained_layout.use": True,
        "savefig.dpi": DPI,
        "savefig.bbox": "standard",
        "savefig.facecolor": "white",
        "savefig.transparent": False,
        "svg.fonttype": "path",
        "svg.hashsalt": SVG_HASHSALT,
        "image.cmap": "viridis",
    }


class _Style(contextlib.AbstractContextManager):
    """Applies the house style on creation; restores the old one on ``__exit__``."""
    def __init__(self, overrides: Mapping[str, Any] | None = None) -> None:
        import matplotlib as mpl

        self._saved = mpl.rcParams.copy()
        rc = house_rc()
        rc.update(overrides or {})
        mpl.rcParams.update(cast(Any, rc))

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        import matplotlib as mpl

        # Restore as rc_context does: raw values, the backend left alone.
        saved = dict(self._saved)
        saved.pop("backend", None)
        update_raw = getattr(mpl.rcParams, "_update_raw", None)
        if update_raw is not None:
            update_raw(saved)
        else:  # older matplotlib
            dict.update(mpl.rcParams, saved)


def apply_style(overrides: Mapping[str, Any] | None = None) -> _Style:
    """Apply the house style (:func:`house_rc`, plus ``overrides``).

    Call it once at the top of a notebook to set the style for the session,
    or use it as a context manager to scope it::

        with apply_style():
            fig = Figure()
            ax = fig.subplots()
            ...

    Leaving the ``with`` block restores the previous ``rcParams``.
    """
    return _Style(overrides)


_P = ParamSpec("_P")
_R = TypeVar("_R")


def house_style(func: Callable[_P, _R]) -> Callable[_P, _R]:
    """Decorate a figure function: it runs under the house style, which is
    restored to what it was when it returns (no style leaks into the caller,
    a test or a notebook). :func:`save_figure` renders under the same style.

    >>> import matplotlib as mpl
    >>> before = mpl.rcParams["font.size"]
    >>> @house_style
    ... def size():
    ...     return mpl.rcParams["axes.titlesize"]
    >>> size(), mpl.rcParams["font.size"] == before
    (11.0, True)
    """
    @functools.wraps(func)
    def styled(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with apply_style():
            return func(*args, **kwargs)

    return styled


def level_color(level: int | str) -> str:
    """The colour of a level (``3``, ``"3"`` or ``"Level-3"``) in :data:`LEVEL_COLORS`.

    >>> level_color(3) == LEVEL_COLORS["Level-3"]
    True
    """
    name = str(level)
    return LEVEL_COLORS[name if name.startswith("Level-") else f"Level-{int(name)}"]


def text_color_on(background: str) -> str:
    """``"black"`` or ``"white"``, whichever contrasts more with ``background``
    (a ``#RRGGBB`` colour): the WCAG relative luminance ``Y`` of the
    background against the threshold ``sqrt(1.05 * 0.05) - 0.05`` = 0.179,
    where the contrast ratios ``(1.05)/(Y+0.05)`` and ``(Y+0.05)/0.05`` are equal.

    >>> text_color_on(LEVEL_COLORS["Level-2"]), text_color_on(LEVEL_COLORS["Level-5"])
    ('white', 'black')
    """
    from glscore.figures.colour import hex_to_srgb, simulate

    linear = simulate(hex_to_srgb([background]), "normal")[0]
    luminance = float(linear @ [0.2126, 0.7152, 0.0722])
    return "black" if luminance > (1.05 * 0.05) ** 0.5 - 0.05 else "white"


def _normalise_formats(formats: Iterable[str] | str) -> list[str]:
    if isinstance(formats, str):
        formats = (formats,)
    result: list[str] = []
    for fmt in formats:
        fmt = fmt.lower().lstrip(".")
        if fmt not in SUPPORTED_FORMATS:
            raise ValueError(
                f"unsupported figure format {fmt!r}; "
                f"reproducible formats: {', '.join(SUPPORTED_FORMATS)}"
            )
        if fmt not in result:
            result.append(fmt)
    if not result:
        raise ValueError("formats is empty: give at least one of " + ", ".join(SUPPORTED_FORMATS))
    return result


#: No text in a saved figure is smaller than this (points at the saved size).
MIN_FONT_PT: Final[float] = 7.0
#: PNG text chunk in which :func:`save_figure` records the smallest font size.
MIN_FONT_KEY: Final[str] = "glscore min font pt"
#: PNG text chunk in which :func:`save_figure` records the texts the figure's edge cuts.
CLIPPED_KEY: Final[str] = "glscore clipped texts"


def drawn_texts(fig: Any) -> list[Any]:
    """The text artists a reader sees: visible, non-empty, inside the figure.

    Call after a draw (tick labels exist only then). Texts of hidden axes and
    tick labels outside the view are left out.
    """
    from matplotlib.text import Text

    get_renderer = getattr(fig.canvas, "get_renderer", None)
    renderer = get_renderer() if get_renderer is not None else fig._get_renderer()
    frame = fig.bbox
    # tick labels are drawn only for the ticks inside the view interval
    tick_labels, drawn_ticks = set(), set()
    for axes in fig.get_axes():
        for axis in (axes.xaxis, axes.yaxis):
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                tick_labels |= {id(tick.label1), id(tick.label2)}
            if axes.axison and axis.get_visible():   # set_axis_off hides the tick labels
                for tick in axis._update_ticks():
                    drawn_ticks |= {id(tick.label1), id(tick.label2)}
    found = []
    for text in fig.findobj(lambda artist: isinstance(artist, Text)):
        if not text.get_text().strip() or not text.get_visible():
            continue
        if text.axes is not None and not text.axes.get_visible():
            continue
        if id(text) in tick_labels and id(text) not in drawn_ticks:
            continue
        box = text.get_window_extent(renderer)
        if box.width <= 0 or not box.overlaps(frame):
            continue
        found.append(text)
    return found


def clipped_texts(fig: Any, texts: Sequence[Any] | None = None) -> list[Any]:
    """The :func:`drawn_texts` (or ``texts``, when given) that the figure's edge
    cuts (partly outside it)."""
    get_renderer = getattr(fig.canvas, "get_renderer", None)
    renderer = get_renderer() if get_renderer is not None else fig._get_renderer()
    frame = fig.bbox
    tolerance = 0.5  # pixels: antialiasing at the edge is not a cut
    cut = []
    for text in drawn_texts(fig) if texts is None else texts:
        box = text.get_window_extent(renderer)
        if (box.x0 < frame.x0 - tolerance or box.y0 < frame.y0 - tolerance
                or box.x1 > frame.x1 + tolerance or box.y1 > frame.y1 + tolerance):
            cut.append(text)
    return cut


def print_scale(width: float) -> float:
    """How much a figure ``width`` inches wide is shrunk in print: it is set at
    the narrowest of :data:`PRINT_WIDTHS` it fits, or the full width when it is
    wider (so a 7.5 in figure prints at 6.75/7.5 = 0.9 of its size).

    >>> print_scale(3.25), print_scale(6.75), print_scale(7.5)
    (1.0, 1.0, 0.9)
    """
    fits = [w for w in PRINT_WIDTHS if width <= w + 1e-9]
    return 1.0 if fits else max(PRINT_WIDTHS) / width


def min_font_size(fig: Any, texts: Sequence[Any] | None = None) -> float:
    """The smallest font size (pt) among :func:`drawn_texts` (or ``texts``, when
    given); ``inf`` if none.

    Sizes in points hold at the saved size: :func:`save_figure` keeps the
    figure's size in inches (pixels = inches x dpi, points = inches x 72).
    """
    sizes = [float(text.get_fontsize())
             for text in (drawn_texts(fig) if texts is None else texts)]
    return min(sizes) if sizes else float("inf")


def _render(fig: Any, fmt: str, dpi: int) -> bytes:
    import matplotlib as mpl

    buffer = io.BytesIO()
    fixed = {
        "svg.hashsalt": SVG_HASHSALT,
        "svg.fonttype": "path",
        "pdf.fonttype": 42,
        "pdf.compression": 6,
        "savefig.bbox": "standard",
        "savefig.transparent": False,
    }
    with apply_style(), mpl.rc_context(cast(Any, fixed)):
        # A layout pass first: constrained layout settles over successive
        # draws, so without it the bytes would depend on earlier renders.
        fig.draw_without_rendering()
        if fmt == "png":
            texts = drawn_texts(fig)
            clipped = "; ".join(repr(t.get_text()[:40]) for t in clipped_texts(fig, texts))
            fig.savefig(
                buffer,
                format="png",
                dpi=dpi,
                backend="agg",
                bbox_inches=None,
                metadata={"Software": None, MIN_FONT_KEY: f"{min_font_size(fig, texts):g}",
                          CLIPPED_KEY: clipped},
            )
        elif fmt == "pdf":
            fig.savefig(
                buffer,
                format="pdf",
                dpi=dpi,
                bbox_inches=None,
                metadata={"Creator": None, "Producer": None, "CreationDate": None},
            )
        else:
            fig.savefig(
                buffer,
                format="svg",
                dpi=dpi,
                bbox_inches=None,
                metadata={"Date": None, "Creator": None},
            )
    return buffer.getvalue()


def save_figure(
    fig: Any,
    name: str,
    directory: Path | str = FIGURES_DIR,
    formats: Iterable[str] | str = DEFAULT_FORMATS,
    *,
    dpi: int = DPI,
) -> list[Path]:
    """Save ``fig`` reproducibly as ``directory/name.<fmt>`` for each format
    (default: PNG and PDF, :data:`DEFAULT_FORMATS`).

    ``name`` is a bare file stem (letters, digits, ``.``, ``_``, ``-``; no
    folder, no extension of a supported format). PNG: Agg, ``dpi`` (default
    :data:`DPI`), pixel size ``figsize * dpi``, no ``Software`` chunk; the
    smallest font size and the texts the edge cuts recorded in text chunks
    (:data:`MIN_FONT_KEY`, :data:`CLIPPED_KEY`). PDF: vector, page size
    ``figsize``, TrueType fonts, no creator, producer or date. SVG: no date
    or creator, fixed hash salt. Every format is rendered under the house
    style. Each file is written atomically, and not rewritten when its bytes
    are unchanged. Returns the paths, in the order of ``formats``.

    >>> import matplotlib.figure, tempfile
    >>> fig = matplotlib.figure.Figure(figsize=(2, 1))
    >>> [p.name for p in save_figure(fig, "demo", tempfile.mkdtemp())]
    ['demo.png', 'demo.pdf']
    """
    if not isinstance(name, str) or not _NAME.match(name):
        raise ValueError(
            f"figure name {name!r} must be a bare file stem "
            "(letters, digits, '.', '_', '-'; no folder)"
        )
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix in SUPPORTED_FORMATS:
        raise ValueError(
            f"figure name {name!r} has an extension; pass the stem and use formats=..."
        )
    fmts = _normalise_formats(formats)
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for fmt in fmts:
        path = directory / f"{name}.{fmt}"
        write_if_changed(path, _render(fig, fmt, dpi))
        paths.append(path)
    return paths
