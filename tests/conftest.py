"""Shared fixtures: the paper data, loaded once, the small-benchmark builder,
and the paper data's report, built once.

Small benchmarks are built with :meth:`glscore.Benchmark.from_rows`, one
``(task_id, metric, direction, sota)`` row per task, so that a test shows
its tasks and its arithmetic and nothing else.

Tests that share the report carry ``pytest.mark.xdist_group("paper_report")``:
under ``pytest -n N --dist loadgroup`` (``make test``) they run in one worker,
which builds the report once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from glscore import Benchmark, load_paper


@pytest.fixture(scope="session")
def paper_bench() -> Benchmark:
    """The committed paper data (102 models x 699 tasks)."""
    return load_paper()


@pytest.fixture
def make_bench():
    """:meth:`Benchmark.from_rows`, as a fixture."""
    return Benchmark.from_rows


@dataclass(frozen=True)
class PaperReport:
    """A report build: its folder ``out`` and ``passes``, the task count of
    the benchmark of every scoring pass (``glscore.core.scoring._run``) it ran."""

    out: Path
    passes: tuple[int, ...]


@pytest.fixture(scope="session")
def paper_report(tmp_path_factory: pytest.TempPathFactory) -> PaperReport:
    """The report of the committed data and notebooks as ``glscore report``
    builds it by default (:func:`glscore.report.build`), built once for every
    test that only reads it; every scoring pass of the build is recorded."""
    from glscore.core import scoring
    from glscore.report import build

    out = tmp_path_factory.mktemp("paper-report") / "report"
    passes: list[int] = []
    real = scoring._run

    def counted(bench, *args, **kwargs):
        passes.append(len(bench.tasks))
        return real(bench, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(scoring, "_run", counted)
        build(out)
    return PaperReport(out, tuple(passes))
