"""The house style and a deterministic ``save_figure``.

Every figure in ``figures/`` is written by :func:`save_figure`, so that
re-executing the notebooks regenerates ``figures/`` byte for byte:

* PNG is rendered with Agg at a fixed dpi (:data:`DPI`) and the figure's own
  size (no ``bbox_inches="tight"``: the pixel size is ``figsize * dpi``), with
  the ``Software`` text chunk removed, so no version or date is embedded;
* SVG (on request) has no ``Date``/``Creator`` metadata and a fixed
  ``svg.hashsalt`` (clip-path and glyph ids are otherwise random), glyphs as
  paths so no system font is needed;
* files are written atomically and only when their bytes change.

Colours are fixed per meaning (:data:`LEVEL_COLORS`, :data:`MODALITY_COLORS`,
:data:`PROFILE_COLORS`) and colour-blind safe, so a level or a modality has
the same colour in every figure. Importing this module changes nothing:
call :func:`apply_style` (globally, or as ``with apply_style(): ...``).
"""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any, Final, cast

from glscore.core.profiles import PROFILES as _PROFILES
from glscore.core.vocabulary import TASK_MODALITIES
from glscore.io.files import write_if_changed
from glscore.paths import FIGURES_DIR

__all__ = [
    "COLUMN_WIDTH",
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
    "PROFILES",
    "PROFILE_COLORS",
    "SUPPORTED_FORMATS",
    "SVG_HASHSALT",
    "apply_style",
    "drawn_texts",
    "house_rc",
    "min_font_size",
    "save_figure",
]

#: Resolution of every saved PNG (pixels per inch).
DPI: Final[int] = 150
#: Default figure size in inches (width, height).
FIGSIZE: Final[tuple[float, float]] = (7.0, 4.0)
#: Print widths (inches): one column and the full text width of a two-column paper.
COLUMN_WIDTH: Final[float] = 3.25
FULL_WIDTH: Final[float] = 6.75
#: Fixed salt for SVG ids, so SVG output is reproducible.
SVG_HASHSALT: Final[str] = "glscore"
#: Formats :func:`save_figure` can write reproducibly.
SUPPORTED_FORMATS: Final[tuple[str, ...]] = ("png", "svg")

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
#: Levels are ordered, so their colours are too: Level-1 (specialists only,
#: no generalist score) is a neutral grey, Levels 2-5 four steps of plasma
#: (deep blue, purple, coral, orange), which stay distinct and ordered under
#: colour-vision deficiency and in greyscale, and all show on white (plasma's
#: and viridis's last, yellow step does not, so it is not used).
LEVEL_COLORS: Final[dict[str, str]] = {
    "Level-1": "#AAAAAA",
    "Level-2": "#0D0887",
    "Level-3": "#9C179E",
    "Level-4": "#E16462",
    "Level-5": "#F89540",
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


def drawn_texts(fig: Any) -> list[Any]:
    """The text artists a reader sees: visible, non-empty, inside the figure.

    Call after a draw (tick labels exist only then). Texts of hidden axes and
    tick labels outside the view are left out.
    """
    from matplotlib.text import Text

    get_renderer = getattr(fig.canvas, "get_renderer", None)
    renderer = get_renderer() if get_renderer is not None else fig._get_renderer()
    frame = fig.bbox
    found = []
    for text in fig.findobj(lambda artist: isinstance(artist, Text)):
        if not text.get_text().strip() or not text.get_visible():
            continue
        if text.axes is not None and not text.axes.get_visible():
            continue
        box = text.get_window_extent(renderer)
        if box.width <= 0 or not box.overlaps(frame):
            continue
        found.append(text)
    return found


def min_font_size(fig: Any) -> float:
    """The smallest font size (pt) among :func:`drawn_texts`; ``inf`` if none.

    Sizes in points hold at the saved size: :func:`save_figure` keeps the
    figure's size in inches (pixels = inches x dpi, points = inches x 72).
    """
    sizes = [float(text.get_fontsize()) for text in drawn_texts(fig)]
    return min(sizes) if sizes else float("inf")


def _render(fig: Any, fmt: str, dpi: int) -> bytes:
    import matplotlib as mpl

    buffer = io.BytesIO()
    fixed = {
        "svg.hashsalt": SVG_HASHSALT,
        "svg.fonttype": "path",
        "savefig.bbox": "standard",
        "savefig.transparent": False,
    }
    with mpl.rc_context(cast(Any, fixed)):
        # A layout pass first: constrained layout settles over successive
        # draws, so without it the bytes would depend on earlier renders.
        fig.draw_without_rendering()
        if fmt == "png":
            fig.savefig(
                buffer,
                format="png",
                dpi=dpi,
                backend="agg",
                bbox_inches=None,
                metadata={"Software": None, MIN_FONT_KEY: f"{min_font_size(fig):g}"},
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
    formats: Iterable[str] | str = ("png",),
    *,
    dpi: int = DPI,
) -> list[Path]:
    """Save ``fig`` reproducibly as ``directory/name.<fmt>`` for each format.

    ``name`` is a bare file stem (letters, digits, ``.``, ``_``, ``-``; no
    folder, no extension of a supported format). PNG: Agg, ``dpi`` (default
    :data:`DPI`), pixel size ``figsize * dpi``, no ``Software`` chunk. SVG: no
    date or creator, fixed hash salt. Each file is written atomically, and not
    rewritten when its bytes are unchanged. Returns the paths, in the order of
    ``formats``.

    >>> import matplotlib.figure, tempfile
    >>> fig = matplotlib.figure.Figure(figsize=(2, 1))
    >>> [p.name for p in save_figure(fig, "demo", tempfile.mkdtemp())]
    ['demo.png']
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
