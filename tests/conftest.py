"""Shared fixtures: the paper data, loaded once, the small-benchmark builder,
and the paper data's report, built once.

Small benchmarks are built with :meth:`glscore.Benchmark.from_rows`, one
``(task_id, metric, direction, sota)`` row per task, so that a test shows
its tasks and its arithmetic and nothing else.

Under ``pytest -n N --dist loadscope`` (``make test``) a worker runs a whole
test module; the modules of one entry of :data:`SHARED_SESSION` run in one
worker too, so the session fixture they share is made once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from glscore import Benchmark, load_paper

#: Test modules that read one costly session fixture -> a name: ``--dist
#: loadscope`` sends them to one xdist worker (:func:`pytest_xdist_make_scheduler`).
SHARED_SESSION: dict[str, str] = {
    "tests/test_report.py": "paper_report",
    "tests/browser/test_report_browser.py": "paper_report",
    "tests/test_wheel.py": "paper_report",
    "tests/test_data.py": "curated",
    "tests/test_curate_copies.py": "curated",
}


#: The scopes that take longest (``--durations=0`` of ``make test``), handed out
#: first, longest first, so that no worker is left with a long one at the end
#: (xdist orders the others by their number of tests).
LONGEST_FIRST: tuple[str, ...] = (
    "paper_report", "tests/browser/test_lab.py", "tests/test_pipeline.py",
    "tests/test_hostile_cli.py", "tests/test_rule_recipe.py", "tests/test_readme_examples.py",
)


def pytest_xdist_make_scheduler(config, log):
    """``--dist loadscope`` with the modules of :data:`SHARED_SESSION` as one
    scope each (xdist's own ``xdist_group``/``loadgroup`` needs a node id that
    pytest 9 no longer lets a plugin change) and :data:`LONGEST_FIRST` first."""
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class SharedScopes(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            return SHARED_SESSION.get(module) or super()._split_scope(nodeid)

        def _assign_work_unit(self, node) -> None:
            for scope in reversed(LONGEST_FIRST):
                if scope in self.workqueue:
                    self.workqueue.move_to_end(scope, last=False)
            super()._assign_work_unit(node)

    return SharedScopes(config, log)


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


@dataclass(frozen=True)
class Curated:
    """One run of ``python -m glscore.io.curate --source S --out OUT``: its exit
    ``code``, the folder ``out`` it wrote and the ``frames`` its build returned."""

    code: int
    out: Path
    frames: dict


@pytest.fixture(scope="session")
def curated(tmp_path_factory: pytest.TempPathFactory) -> Curated:
    """The curation run once on the paper source (``../shared/data``; skipped
    without it) for every test that reads what it builds."""
    from glscore import paths
    from glscore.io.curate import build

    source = paths.paper_source_dir()
    if not (source / "tasks.csv").is_file():
        pytest.skip(f"../shared/data/general-bench-paper not found: {source}")
    out = tmp_path_factory.mktemp("curated")
    built: list[dict] = []
    real = build.build_all

    def kept(*args, **kwargs):
        built.append(real(*args, **kwargs))
        return built[-1]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(build, "build_all", kept)
        code = build.main(["--source", str(source), "--out", str(out)])
    assert len(built) == 1
    return Curated(code, out, built[0])
