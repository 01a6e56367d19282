"""The speed work of issue 24, checked for what it computes (never for time).

The floors of ``glscore bench`` are independent implementations of the same
work, so they double as checks of the kernel and of the noise study; the
resampled sums are compared bit for bit with a plain loop in task order;
the README's Speed section is compared with the committed benchmark output.
No test asserts a timing.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from glscore import load_paper, score
from glscore.analysis import noise
from glscore.analysis.resample import unit_counts, weighted_sums
from glscore.cli import main
from glscore.speed import kernel, montecarlo, report


def test_the_kernel_floor_agrees_with_glscore_on_every_output():
    """The floor (plain numpy, its own masks, maps, quirks and means) and
    glscore agree on every model under both profiles: Level-2..5 to 1e-9, the
    level reached and every count (supported, wins, zero-filled per modality
    and NLP) exactly; on the paper's rows and tiled past one block."""
    bench = load_paper()
    for profile in ("paper", "official"):
        ours = score(bench, profile)
        floor = kernel.floor_levels(np.asarray(bench.values), kernel.floor_spec(bench, profile))
        np.testing.assert_allclose(floor.level2, ours.level2, rtol=0, atol=1e-9)
        np.testing.assert_array_equal(floor.wins_m, ours.wins_m)
        np.testing.assert_array_equal(floor.nlp_supported, ours.nlp_supported)
        assert kernel.agreement(bench, profile) == 1.0
        assert kernel.agreement(kernel.tiled(bench, 2_000), profile) == 1.0


def test_weighted_sums_are_exact_whatever_the_order():
    """The resampled sums are the exact sums rounded once (checked against
    rational arithmetic), so their bits cannot depend on the order in which a
    CPU's BLAS kernel adds (checked by permuting the tasks); weights that are
    not whole numbers are added task after task, bit for bit a plain loop."""
    from fractions import Fraction

    rng = np.random.default_rng(3)
    values = rng.uniform(-5, 100, (4, 37))
    values[0, 3] = 1e-7
    weights = unit_counts(np.zeros(37, dtype=np.int64), 5, rng)
    out = weighted_sums(values, weights)
    exact = [[float(sum(Fraction(int(weights[b, t])) * Fraction(values[m, t])
                        for t in range(37))) for m in range(4)] for b in range(5)]
    assert out.tolist() == exact
    perm = rng.permutation(37)
    assert weighted_sums(values[:, perm], weights[:, perm]).tobytes() == out.tobytes()
    halves = weights / 2.0
    loop = np.zeros((5, 4))
    for b in range(5):
        for m in range(4):
            acc = 0.0
            for t in range(37):
                acc += halves[b, t] * values[m, t]
            loop[b, m] = acc
    assert weighted_sums(values, halves).tobytes() == loop.tobytes()


def test_noise_is_drawn_for_the_valued_cells_only():
    values = np.array([[np.nan, 40.0, 100.0], [20.0, np.nan, np.nan]])
    cells = noise.Cells.of(values, np.zeros(3, dtype=bool))
    assert cells.flat.tolist() == [1, 2, 3] and cells.x.tolist() == [40.0, 100.0, 20.0]
    # the spread sqrt(x (100 - x)) once: sqrt(40 * 60), 0 at 100, sqrt(20 * 80)
    np.testing.assert_allclose(cells.spread, [np.sqrt(2400), 0.0, 40.0], rtol=1e-6)
    z = np.array([[1.0, 5.0, -0.5]], dtype=np.float32)
    out = cells.dense(cells.perturb(noise.NoiseModel(0.1, 1), z))
    assert np.array_equal(np.isnan(out), np.isnan(values))
    # 40 + 0.1 * sqrt(2400) * 1, 100 (no spread), 20 - 0.1 * 40 * 0.5
    np.testing.assert_allclose(out[~np.isnan(out)], [40 + 0.1 * np.sqrt(2400), 100.0, 18.0],
                               rtol=1e-6)
    still = cells.dense(cells.perturb(noise.NoiseModel(0.0, 1), z))
    assert np.array_equal(still, values, equal_nan=True)


@pytest.fixture(scope="module")
def study():
    from glscore.analysis import floor as noise_floor
    from glscore.analysis import natural

    nat = natural.prepare()
    fit = noise.noise_fit(noise_floor.cells(nat), natural.mapped_tasks(nat))
    return natural.published(nat), fit.model("robust")


def test_the_noise_floor_counts_what_the_study_counts(study):
    """Without noise and with noise (the same seeded draws) the floor and the
    study count the same level for every model on every board (the floor is
    an independent implementation, saturated-tie rule included)."""
    bench, model = study
    spec = montecarlo.study_spec(bench)
    still = montecarlo.floor_study(spec, 0.0, 3)
    mc = noise.simulate(bench, noise.NoiseModel(0.0, 1), n_draws=3)
    for name, counts in still.items():
        rows_equal = (counts == mc.level_counts[name]).all(axis=1)
        assert rows_equal.all(), name
    noisy = montecarlo.floor_study(spec, model.c, 40, seed=2, chunk=20)
    ours = noise.simulate(bench, model, n_draws=40, seed=2, chunk=20)
    rows = [(noisy[name] == ours.level_counts[name]).all(axis=1).mean() for name in noisy]
    assert np.mean(rows) == 1.0


def test_bench_kernel_part_prints_json_with_its_targets(capsys, tmp_path):
    out = tmp_path / "bench.json"
    assert main(["bench", "--only", "kernel", "--sizes", "20", "100", "--out", str(out)]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert json.loads(out.read_text()) == printed
    rows = printed["kernel"]
    assert [r["models"] for r in rows] == [20, 100]
    assert rows[1]["target"] == 2.0 and rows[0]["target"] is None
    assert set(printed["machine"]) >= {"cpu", "cores", "python", "numpy", "load_average"}


@pytest.mark.parametrize("argv, message", [
    (["--draws", "0"], "--draws 0: expected a positive number"),
    (["--sizes", "0"], "--sizes [0]: expected model counts"),
])
def test_bench_bad_numbers_are_one_line(capsys, argv, message):
    assert main(["bench", *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


def test_bench_unknown_part_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["bench", "--only", "nope"])
    assert stop.value.code == 2 and "invalid choice" in capsys.readouterr().err


def test_the_reference_is_skipped_with_a_reason_when_absent(monkeypatch):
    from glscore.speed import startup

    monkeypatch.delenv(startup.REFERENCE_ENV, raising=False)
    folder, why = startup.reference_folder(None)
    assert folder is None and "GLSCORE_REFERENCE" in why


def test_the_readme_speed_section_is_the_committed_benchmark():
    """The Speed section is generated from benchmarks/latest.json (no
    hand-typed number): regenerating it changes nothing."""
    if not report.RESULTS.is_file():
        pytest.skip("benchmarks/latest.json not committed")
    assert report.update_readme(check=True), "run python -m glscore.speed.report"
    results = json.loads(report.RESULTS.read_text())
    section = report.speed_section(results)
    assert results["machine"]["cpu"] in section and "| met |" in section
