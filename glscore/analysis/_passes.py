"""What an analysis accepts as its input, and how it gets the pass it needs.

An analysis takes a scoring pass (:class:`~glscore.core.scoring.Scoring`), a
mapping profile -> pass (``audit`` needs ``official`` and ``paper``), or a
:class:`~glscore.core.benchmark.Benchmark` (scored once per profile it needs:
the thin convenience the notebooks use). These helpers are private to
:mod:`glscore.analysis`; the public pass entry is
:func:`glscore.core.scoring.score_detailed`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from glscore.core.benchmark import Benchmark
from glscore.core.profiles import Profile
from glscore.core.scoring import Scoring, score_detailed
from glscore.core.synergy import Rule
from glscore.errors import InputError

#: What an analysis accepts: a benchmark, one pass, or a mapping profile -> pass.
Source = Benchmark | Scoring | Mapping[str, Scoring]


def as_pass(source: Benchmark | Scoring, profile: str | Profile | None = None,
            rule: str | Rule | None = None,
            rule_params: Mapping[str, float] | None = None) -> Scoring:
    """``source`` itself if it is a pass, else :func:`score_detailed` of the
    benchmark (``profile`` default ``paper``); the options apply only to a
    benchmark (a pass is taken as it is)."""
    if isinstance(source, Scoring):
        return source
    return score_detailed(source, "paper" if profile is None else profile, rule, rule_params)


def pass_for(source: Source, profile: str, rule: str | Rule | None = None) -> Scoring:
    """The pass of ``profile``: from a mapping profile -> pass, a pass of that
    profile as given, else :func:`score_detailed` of the benchmark (or of
    the pass's benchmark under ``profile``)."""
    if isinstance(source, Mapping):
        if profile not in source:
            raise InputError(f"no scoring pass for profile '{profile}'; have {sorted(source)}")
        return source[profile]
    if isinstance(source, Scoring):
        if source.profile.name == profile:
            return source
        source = source.bench
    return score_detailed(source, profile, rule)


def passes(source: Source, profiles: Iterable[str],
           rule: str | Rule | None = None) -> dict[str, Scoring]:
    """One pass per profile name (:func:`pass_for`)."""
    return {p: pass_for(source, p, rule) for p in profiles}


def bench_of(source: Source) -> Benchmark:
    """The benchmark behind a source (a benchmark, a pass, or passes)."""
    if isinstance(source, Mapping):
        source = next(iter(source.values()))
    return source.bench if isinstance(source, Scoring) else source
