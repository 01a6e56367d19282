"""``glscore score``: General-Level scores of one or more models."""

from __future__ import annotations

import argparse

import numpy as np

from glscore.cli.commands.common import (
    PROXY_NOTE,
    _first_non_finite,
    add_scoring_options,
    add_source_options,
    check_count,
    dumps,
    load_benchmark,
    model_origins,
    output_format,
    progress_bar,
    proxy_task_ids,
    scoring_kwargs,
    seed_value,
    sota_label,
    warn_all,
)
from glscore.core.benchmark import Benchmark
from glscore.core.profiles import get_profile
from glscore.core.scoring import LEVEL_COLUMNS, Scores, score, score_detailed
from glscore.core.vocabulary import LOW_COVERAGE
from glscore.errors import InputError, visible
from glscore.io.loaders import load_source

#: Percentile interval of ``--bootstrap`` (2.5% and 97.5%).
BOOTSTRAP_ALPHA = 0.05


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("score", description=__doc__)
    add_source_options(parser)
    add_scoring_options(parser)
    parser.add_argument("--json", action="store_true",
                        help="print JSON (one object per model; a list for several)")
    parser.add_argument("--bootstrap", type=int, metavar="N",
                        help="N resamples of the tasks within their groups: 95%% percentile "
                             "intervals of Level-2..5 and the probability of each level "
                             "(JSON key 'uncertainty'; the table and LaTeX add the intervals "
                             "as columns)")
    parser.add_argument("--seed", type=seed_value, default=0, metavar="S",
                        help="random seed of --bootstrap (default 0)")
    parser.add_argument("--format", choices=("table", "json", "latex"), default=None,
                        help="output format (default table; --json is --format json)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    check_count("--bootstrap", args.bootstrap)
    if args.bootstrap is None and args.seed != 0:
        raise InputError("--seed goes with --bootstrap (the scores themselves draw nothing)")
    fmt = output_format(args, "table")
    bench = load_benchmark(args)
    kwargs = scoring_kwargs(args)
    if args.model and not args.results and kwargs["rule"].takes_context:
        # A context rule compares a model with others (its base model, say): score
        # every model of the paper data, then keep the one asked for.
        scores = score(load_source("paper"), **kwargs).select(bench.models)
    else:
        scores = score(bench, **kwargs)
    records = scores.records()
    for record, origin, proxy in zip(records, model_origins(args, bench), proxy_task_ids(bench),
                                     strict=True):
        record["origin"] = origin
        record["sota"] = sota_label(args)
        record["proxy_tasks"] = proxy
    if args.bootstrap is not None:
        for record, extra in zip(records, uncertainty(bench, kwargs, args.bootstrap, args.seed),
                                 strict=True):
            record["uncertainty"] = extra
    check_finite(records)
    warn_low_coverage(scores, records)
    if fmt == "json":
        print(dumps(records[0] if len(records) == 1 else records))
    else:
        print(render_table(scores, records, fmt))
    return 0


def check_finite(records: list[dict]) -> None:
    """A result that is not a finite number is an error naming the model."""
    for record in records:
        bad = _first_non_finite(record)
        if bad is not None:
            raise InputError(f"model '{record['model']}': result {bad} is not a finite number "
                             "(an input value overflows a mapping or a mean)")


def warn_low_coverage(scores: Scores, records: list[dict]) -> None:
    """A warning for each input model above Level-1 whose level rests on few tasks
    (published models are not warned about: their coverage is in every record)."""
    messages = []
    for i, record in enumerate(records):
        if (record["origin"] == "input" and record["level"] > 1
                and record["coverage"] < LOW_COVERAGE):
            supported = int(scores.supported_m[i].sum() + scores.nlp_supported[i])
            total = int(scores.tasks_m.sum() + scores.nlp_tasks)
            messages.append(f"model '{record['name']}' reaches Level-{record['level']} on "
                            f"{supported} of {total} tasks (coverage {record['coverage']:.1%}, "
                            f"below {LOW_COVERAGE:.0%}): the level rests on little coverage")
    warn_all(messages)


def uncertainty(bench: Benchmark, kwargs: dict, n_boot: int, seed: int) -> list[dict]:
    """Per model: bootstrap percentile intervals of Level-2..5 and P(level = k).

    Resamples the tasks within their groups (modality x paradigm, NLP) with
    :func:`glscore.analysis.ablation.bootstrap` (``unit="task"``; the ablation
    resamples whole skill groups by default), under the same profile, rule and
    options as the point scores.
    """
    from glscore.analysis import ablation

    prof = get_profile(kwargs["profile"])
    rule = kwargs["rule"]
    variant = ablation.Variant.of(rule.name, dict(rule.params),
                                  kwargs["aggregation"] or prof.aggregation,
                                  kwargs["level4_mean"] or prof.level4_mean)
    bar = progress_bar(n_boot, "resamples")
    try:
        boot = ablation.bootstrap(score_detailed(bench, prof), variant, n_boot=n_boot, seed=seed,
                                  unit="task", progress=bar.update)
    finally:
        bar.close()
    q = [BOOTSTRAP_ALPHA / 2, 1 - BOOTSTRAP_ALPHA / 2]
    bounds = {name: np.quantile(getattr(boot, name), q, axis=1) for name in LEVEL_COLUMNS}
    probs = boot.level_probabilities()
    out = []
    for i in range(len(bench.models)):
        out.append({
            "n_boot": int(n_boot), "seed": int(seed), "interval": [q[0], q[1]],
            "scores": {name: [float(bounds[name][0, i]), float(bounds[name][1, i])]
                       for name in LEVEL_COLUMNS},
            "p_level": {str(k): float(probs.iloc[i][f"p_level{k}"]) for k in range(1, 6)},
        })
    return out


def render_table(scores: Scores, records: list[dict] | None = None, fmt: str = "table") -> str:
    """A readable table (or booktabs LaTeX): level, Level-2..5, coverage, then
    Level-2/3/4 per modality; with ``--bootstrap`` (records carrying
    ``uncertainty``) the 95% interval of each level score (``level2_95`` ..,
    ``lo-hi``) and the probability of the level reached (``p_level``) after
    the scores."""
    import pandas as pd

    from glscore.io.latex import latex_table

    table = scores.to_frame().set_index("name")
    if fmt != "latex":  # the terminal: control characters of names as escapes
        table.index = pd.Index([visible(n) for n in table.index], name=table.index.name)
    if records is not None and all("uncertainty" in r for r in records):
        for k in range(2, 6):
            table[f"level{k}_95"] = [
                "{:.2f}-{:.2f}".format(*r["uncertainty"]["scores"][f"level{k}"]) for r in records]
        table["p_level"] = [r["uncertainty"]["p_level"][str(r["level"])] for r in records]
    table["coverage"] = scores.coverage()
    if records is not None and any(r.get("origin") == "input" for r in records) and any(
            r.get("origin") == "paper" for r in records):
        table.insert(0, "origin", [r["origin"] for r in records])
    per = scores.per_modality()
    for modality in scores.modalities:
        part = per[per["modality"] == modality]
        for level in ("level2", "level3", "level4"):
            table[f"{modality}:{level[-1]}"] = part[level].to_numpy()
    proxies = [len(r.get("proxy_tasks", [])) for r in records or []]
    if any(proxies):
        table.insert(0, "proxy", proxies)
    table = table.sort_values(["level", "level5", "level4", "level3", "level2"],
                              ascending=False, kind="stable")
    if fmt == "latex":
        caption = f"General-Level scores (profile {scores.profile}, rule {scores.rule})"
        return latex_table(table.reset_index(), caption=caption, label="tab:scores").rstrip("\n")
    header = f"profile={scores.profile} rule={scores.rule} models={len(table)}"
    if records:
        header += f" sota={records[0]['sota']}"
    with pd.option_context("display.width", 250, "display.max_columns", 50,
                           "display.max_rows", 500):
        text = header + "\n" + table.to_string(float_format=lambda v: f"{v:.2f}")
    filled = int(scores.filled_m.sum() + scores.nlp_filled.sum())
    if filled:
        text += (f"\n(profile {scores.profile}: {filled:,} missing or zero values of mapped "
                 "metrics are scored 0.0, as the reference scorer does; they are neither "
                 "supported nor wins (JSON: zero_filled))")
    return text + (f"\n({PROXY_NOTE})" if any(proxies) else "")


