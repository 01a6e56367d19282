"""Properties of the scores on random benchmarks (hypothesis)."""

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from glscore import Benchmark, score
from glscore.core.benchmark import SHEETS

SHEET_SPECS = [s for s in SHEETS]


@st.composite
def benchmarks(draw):
    """Plain-metric benchmarks over all nine sheets, values in [0, 100] or missing."""
    rows = []
    for sheet, modality, paradigm, prefix in SHEET_SPECS:
        for r in range(1, draw(st.integers(0, 4)) + 1):
            rows.append({
                "task_id": f"{prefix}-{r:03d}", "modality": modality, "paradigm": paradigm,
                "sheet": sheet, "sheet_row": r, "task_name": f"{prefix}{r}",
                "task_short_name": f"{prefix}{r}", "metric": "Acc", "direction": "higher",
                "sota": draw(st.floats(1, 99)),
            })
    tasks = pd.DataFrame(rows, columns=["task_id", "modality", "paradigm", "sheet", "sheet_row",
                                        "task_name", "task_short_name", "metric", "direction",
                                        "sota"])
    n_models = draw(st.integers(1, 4))
    cell = st.one_of(st.just(np.nan), st.floats(0, 100))
    values = np.array([[draw(cell) for _ in range(len(tasks))] for _ in range(n_models)],
                      dtype=float).reshape(n_models, len(tasks))
    models = tuple(f"m{i}" for i in range(n_models))
    return Benchmark(tasks, models, values, tuple(s[0] for s in SHEETS), "random")


def as_frame(s):
    return s.to_frame()[["level", "level2", "level3", "level4", "level5"]]


@settings(max_examples=60, deadline=None)
@given(benchmarks())
def test_bounds_and_order_of_levels(bench):
    s = score(bench, "paper")
    for values in (s.level2, s.level3, s.level4, s.level5, s.level2_m, s.level3_m):
        assert np.all((values >= 0) & (values <= 100 + 1e-9))
    assert np.all(s.level3 <= s.level2 + 1e-9)
    assert np.all(s.level5 <= s.level4 + 1e-9)
    assert np.all(s.level4_m <= np.maximum(s.comp3, s.gen3) + 1e-9)
    assert np.all(s.supported_m <= s.tasks_m)
    assert np.all(s.wins_m <= s.supported_m)


@settings(max_examples=60, deadline=None)
@given(benchmarks(), st.data())
def test_raising_a_score_never_lowers_level2_or_level3(bench, data):
    if bench.values.size == 0:
        return
    i = data.draw(st.integers(0, bench.values.shape[0] - 1))
    j = data.draw(st.integers(0, bench.values.shape[1] - 1))
    before = score(bench, "paper")
    raised = bench.values.copy()
    raised[i, j] = min(100.0, np.nan_to_num(raised[i, j]) + data.draw(st.floats(0, 50)))
    after = score(Benchmark(bench.tasks, bench.models, raised, bench.sheets, "raised"), "paper")
    assert after.level2[i] >= before.level2[i] - 1e-9
    assert after.level3[i] >= before.level3[i] - 1e-9


@settings(max_examples=40, deadline=None)
@given(benchmarks(), st.randoms(use_true_random=False))
def test_permuting_models_and_tasks_changes_only_order(bench, rnd):
    base = as_frame(score(bench, "paper"))
    model_order = list(range(len(bench.models)))
    task_order = list(range(len(bench.tasks)))
    rnd.shuffle(model_order)
    rnd.shuffle(task_order)
    shuffled = Benchmark(bench.tasks.iloc[task_order].reset_index(drop=True),
                         tuple(bench.models[k] for k in model_order),
                         bench.values[np.ix_(model_order, task_order)], bench.sheets, "perm")
    other = as_frame(score(shuffled, "paper")).loc[base.index]
    pd.testing.assert_frame_equal(base, other, check_exact=False, rtol=1e-12, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(benchmarks())
def test_vectorised_equals_a_plain_loop(bench):
    s = score(bench, "paper")
    tasks = bench.tasks
    for i in range(len(bench.models)):
        l3_by_modality = []
        for modality in ("Image", "Video", "Audio", "3D"):
            halves2, halves3 = [], []
            for paradigm in ("comprehension", "generation"):
                idx = [j for j in range(len(tasks)) if tasks.modality[j] == modality
                       and tasks.paradigm[j] == paradigm]
                total2 = total3 = 0.0
                for j in idx:
                    v = bench.values[i, j]
                    if not np.isnan(v):
                        total2 += v
                        if v >= tasks.sota[j]:
                            total3 += v
                halves2.append(total2 / len(idx) if idx else 0.0)
                halves3.append(total3 / len(idx) if idx else 0.0)
            l3_by_modality.append((halves3[0] + halves3[1]) / 2)
            k = s.modalities.index(modality)
            assert abs(s.level2_m[i, k] - (halves2[0] + halves2[1]) / 2) < 1e-9
        assert abs(s.level3[i] - sum(l3_by_modality) / 4) < 1e-9


@settings(max_examples=30, deadline=None)
@given(benchmarks())
def test_a_model_scores_the_same_alone_and_in_a_batch(bench):
    together = score(bench, "paper")
    for i, model in enumerate(bench.models):
        alone = score(bench.select_models([model]), "paper")
        assert alone.record(0) == together.record(i)  # bit for bit, not approximately
