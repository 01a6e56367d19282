"""Figures of the natural experiments and the noise study: they draw, and no text is below 7 pt."""

from __future__ import annotations

import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from glscore.analysis import natural, noise
from glscore.figures import natural as figures
from glscore.figures.style import apply_style


@pytest.fixture(scope="module")
def results():
    nat = natural.prepare()
    table = natural.pairs_table(nat, n_boot=50)
    band = natural.noise_band(natural.noise_floor(nat))
    mc = noise.simulate(natural.published(nat), noise.NoiseModel(0.16, 1), n_draws=4, chunk=2)
    return nat, table, band, mc


def _smallest_font(fig: Figure) -> float:
    fig.canvas.draw()
    sizes = [t.get_fontsize() for t in fig.findobj(Text) if t.get_text().strip()]
    return min(sizes)


def test_every_figure_draws_with_no_text_below_7pt(results):
    nat, table, band, mc = results
    with apply_style():
        made = [
            figures.plot_forest(table, band, natural.pooled(table)),
            figures.plot_skill_groups(natural.by_skill_group(nat, table), band),
            figures.plot_sensitivity(natural.mode_shift(natural.sensitivity(nat, 0)), band),
            figures.plot_rank_intervals(noise.rank_summary(mc)),
        ]
        for fig in made:
            assert isinstance(fig, Figure)
            assert _smallest_font(fig) >= figures.MIN_FONT


def test_forest_title_states_the_counts(results):
    _, table, band, _ = results
    fig = figures.plot_forest(table, band)
    # the title sits where the style in force puts it (the house style: left)
    ax = fig.axes[0]
    title = "".join(ax.get_title(loc) for loc in ("left", "center", "right"))
    usable = table[table["n"] > 0]
    # below the band: the whole bootstrap interval under -band (written out here,
    # not through natural.beyond_band, the code under test)
    down = int(((usable["ci_high"] < -band) & (usable["mean_diff"] < 0)).sum())
    assert title.startswith(f"{down} of {len(usable)} generalists score below")
