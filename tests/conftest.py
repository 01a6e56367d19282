"""Shared fixtures: the paper data, loaded once, and the small-benchmark builder.

Small benchmarks are built with :meth:`glscore.Benchmark.from_rows`, one
``(task_id, metric, direction, sota)`` row per task, so that a test shows
its tasks and its arithmetic and nothing else.
"""

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
