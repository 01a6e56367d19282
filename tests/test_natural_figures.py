"""Figures of the natural experiments and the noise study: they draw at print width, and
no text is below 7 pt."""

from __future__ import annotations

import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from glscore.analysis import floor, natural, noise
from glscore.figures import natural as figures
from glscore.figures.style import FULL_WIDTH, apply_style


@pytest.fixture(scope="module")
def results():
    nat = natural.prepare()
    screened = floor.screen(nat)
    f = floor.floor_sd(screened)
    table = natural.pairs_table(nat, n_boot=50, floor_sd=f)
    band = floor.band(screened)
    mc = noise.simulate(natural.published(nat), noise.NoiseModel(0.16, 1), n_draws=4, chunk=2)
    return nat, table, band, mc, f


def _smallest_font(fig: Figure) -> float:
    fig.canvas.draw()
    sizes = [t.get_fontsize() for t in fig.findobj(Text) if t.get_text().strip()]
    return min(sizes)


def test_every_figure_draws_at_print_width_with_no_text_below_7pt(results):
    nat, table, band, mc, f = results
    with apply_style():
        made = [
            figures.plot_forest(table, band, natural.pooling_table(nat, table)),
            figures.plot_skill_groups(natural.by_skill_group(nat, table), band),
            figures.plot_sensitivity(natural.mode_shift(natural.sensitivity(nat, 0, 0, f)),
                                     band),
            figures.plot_rank_intervals(noise.rank_summary(mc)),
        ]
        for fig in made:
            assert isinstance(fig, Figure)
            assert fig.get_figwidth() == FULL_WIDTH
            assert _smallest_font(fig) >= figures.MIN_FONT


def test_forest_title_states_the_calls(results):
    _, table, band, _, _ = results
    fig = figures.plot_forest(table, band)
    title = " ".join(fig.get_suptitle().split())
    usable = table[(table["n"] > 0) & (table[natural.DEFAULT_CALL] != "")]
    calls = usable[natural.DEFAULT_CALL]
    down, up = int((calls == "worse").sum()), int((calls == "better").sum())
    others = int((usable["tier"] != "exact").sum())
    # without a pooling table: the calls, said to compare mostly with other models
    assert title.startswith(f"of all {len(calls)} pairs ({others} against an earlier or "
                            "related model, not the own base)")
    assert f"{down} score clearly below and {up} clearly above" in title
    # with it: the own-base comparison first
    pooled = " ".join(figures.plot_forest(table, band, natural.pooling_table(
        results[0], table)).get_suptitle().split())
    assert pooled.startswith("Against their own base LLM (exact tier")
    legend = " ".join(t.get_text() for t in fig.legends[0].get_texts())
    assert "thick: 95% task bootstrap" in legend and "thin: 95% skill-group test" in legend
