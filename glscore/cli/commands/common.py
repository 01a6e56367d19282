"""Options, loading and output shared by the commands.

Output rules every command follows: JSON is strict (``allow_nan=False``:
never ``NaN``/``Infinity``; a missing number is ``null``), warnings about the
input go to standard error as ``glscore: warning: ...`` lines, and a result
that is not a finite number is an :class:`~glscore.errors.InputError`.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from glscore.cli.options import seed_value
from glscore.cli.params import load_rule, parse_params
from glscore.core.benchmark import Benchmark
from glscore.core.profiles import DEFAULT_PROFILE, PROFILES, get_profile
from glscore.core.synergy import Rule
from glscore.core.vocabulary import AGGREGATIONS, HARNESS_FORMATS, LEVEL4_MEANS
from glscore.errors import InputError, visible
from glscore.io.loaders import COMMITTED_SOTA_LABEL, SCALES, InputWarning, load_source, origins

T = TypeVar("T")


def add_source_options(parser: argparse.ArgumentParser, with_paper: bool = True,
                       with_model: bool = True) -> None:
    """``--results``, ``--model`` (unless ``with_model`` is false: a command
    that takes the model as its argument), ``--sota``, ``--scale``, the harness
    options (``--mapping``, ``--input-format``, ``--no-proxy``) and
    ``--with-paper``."""
    parser.add_argument(
        "--results", nargs="+", type=Path, metavar="PATH",
        help="result workbooks (.xlsx, official layout), one tidy .csv/.parquet "
             "(model, task_id, value[, se, provenance]), or evaluation-harness outputs "
             "(files or folders, with --mapping); default: the paper data in data/")
    parser.add_argument(
        "--mapping", type=Path, metavar="MAP.csv",
        help="harness task and metric -> General-Bench task (glscore mapping --template); "
             "reads --results as lm-eval, lmms-eval, VLMEvalKit, OpenCompass or HELM outputs")
    parser.add_argument(
        "--input-format", choices=HARNESS_FORMATS, default="auto",
        help="which harness wrote --results (default: told from each file's structure)")
    parser.add_argument(
        "--no-proxy", action="store_true",
        help="leave out proxy values (provenance=proxy: an upstream dataset standing in for a "
             "General-Bench task); by default they are scored and flagged")
    if with_model:
        parser.add_argument("--model", help="model column / model name (case-insensitive)")
    parser.add_argument(
        "--sota", type=Path, metavar="FILE",
        help="SoTA table: an official sota_result.xlsx, or a tasks .csv/.parquet "
             f"(default: the committed task table {COMMITTED_SOTA_LABEL})")
    parser.add_argument(
        "--scale", choices=SCALES, default="auto",
        help="scale of result values: auto (error on 0-1 values against a 0-100 SoTA), "
             "percent (as given) or fraction (x100 for plain metrics)")
    if with_paper:
        parser.add_argument(
            "--with-paper", action="store_true",
            help="score the --results models together with the committed paper models "
                 "(same profile, rule and SoTA table); rows say their origin")


def check_count(option: str, value: int | None, minimum: int = 1) -> None:
    """A draw or resample count from the command line: at least ``minimum``, at most
    :data:`glscore.limits.DRAWS` (one line naming the limit and how to raise it),
    checked before any work starts."""
    from glscore import limits

    if value is None:
        return
    if value < minimum:
        raise InputError(f"{option} {value}: expected a whole number >= {minimum}")
    limits.DRAWS.check(value, option)


def output_format(args: argparse.Namespace, default: str) -> str:
    """The output format of ``--json`` and ``--format``: the two may not disagree
    (``--json --format latex`` would drop one in silence)."""
    given = getattr(args, "format", None)
    if args.json and given not in (None, "json"):
        raise InputError(f"--json and --format {given} ask for two formats: give one")
    return "json" if args.json else (given or default)


def add_profile_option(parser: argparse.ArgumentParser) -> None:
    """``--profile NAME`` (one of :data:`glscore.core.profiles.PROFILES`)."""
    parser.add_argument("--profile", default=DEFAULT_PROFILE, metavar="NAME",
                        help=f"scoring profile: {' | '.join(sorted(PROFILES))} "
                             f"(default {DEFAULT_PROFILE})")


def add_scoring_options(parser: argparse.ArgumentParser) -> None:
    """``--profile``, ``--rule``, ``--param``, ``--aggregation``, ``--level4-mean``."""
    add_profile_option(parser)
    parser.add_argument("--rule", metavar="NAME",
                        help="synergy rule: a registered name or module:function "
                             "(default: the profile's, strict)")
    parser.add_argument("--param", action="append", default=[], metavar="KEY=VALUE",
                        help="a numeric parameter of the synergy rule (repeatable)")
    parser.add_argument("--aggregation", choices=AGGREGATIONS,
                        help="per-modality means (published) or pooled means")
    parser.add_argument("--level4-mean", choices=LEVEL4_MEANS,
                        help="the mean of Level-4 (published: harmonic)")


def add_uncertainty_options(parser: argparse.ArgumentParser, composition: bool = True) -> None:
    """``--draws``, ``--seed`` (and with ``composition`` ``--unit``,
    ``--sources``) of the rank uncertainty (:mod:`glscore.analysis.uncertainty`)."""
    from glscore.analysis.uncertainty import MAX_DRAWS, SOURCES, UNITS

    parser.add_argument("--draws", type=int, default=1000, metavar="N",
                        help=f"draws of the uncertainty simulation (1 to {MAX_DRAWS:,}; "
                             "default: %(default)s)")
    parser.add_argument("--seed", type=seed_value, default=0,
                        help="seed, a whole number >= 0 (default: %(default)s)")
    if not composition:
        parser.set_defaults(unit="skill", sources="measurement")
        return
    parser.add_argument("--unit", choices=UNITS, default="skill",
                        help="what the composition bootstrap resamples within modality x "
                             "paradigm: skill groups (default) or tasks")
    parser.add_argument("--sources", choices=("both",) + SOURCES, default="both",
                        help="sources of uncertainty: composition (which tasks), measurement "
                             "(noise of every score and SoTA), or both (default)")


def uncertainty_settings(args: argparse.Namespace):
    """The :class:`~glscore.analysis.uncertainty.Settings` of the parsed options;
    ``--draws`` outside 1..MAX_DRAWS is a one-line error naming the limit."""
    from glscore.analysis.uncertainty import MAX_DRAWS, SOURCES, Settings

    check_count("--draws", args.draws)
    if args.draws > MAX_DRAWS:
        raise InputError(f"--draws {args.draws}: the rank simulation takes at most "
                         f"{MAX_DRAWS:,} draws")
    sources = SOURCES if args.sources == "both" else (args.sources,)
    return Settings(args.draws, args.seed, args.unit, sources)


def uncertainty_inputs(bench: Benchmark, sota: str) -> tuple[np.ndarray | None,
                                                             np.ndarray | None]:
    """The measured standard errors an input carries: ``se`` (models x tasks,
    raw units, NaN = not measured) from the benchmark where its loader read
    them, and ``sota_se`` (per task) from a ``sota_se`` column of the tasks
    table (``sota`` names that table in messages). The one place the command
    line builds the inputs of :func:`glscore.analysis.uncertainty.noise_for`."""
    se = getattr(bench, "se", None)
    sota_se = None
    if "sota_se" in bench.task_table:
        import pandas as pd

        column = bench.tasks["sota_se"]
        numbers = pd.to_numeric(column, errors="coerce")
        bad = numbers.isna() & column.notna() & (column.astype(str).str.strip() != "")
        if bad.any():
            k = int(np.flatnonzero(bad.to_numpy())[0])
            raise InputError(f"{sota}: column 'sota_se', task '{bench.tasks['task_id'].iloc[k]}'"
                             f": '{column.iloc[k]}' is not a number (leave it empty when not "
                             "measured)")
        sota_se = numbers.to_numpy(dtype=float)
        with np.errstate(invalid="ignore"):
            bad = ~np.isnan(sota_se) & ((sota_se < 0) | np.isinf(sota_se))
        if bad.any():
            k = int(np.flatnonzero(bad)[0])
            raise InputError(f"{sota}: column 'sota_se', task '{bench.tasks['task_id'].iloc[k]}'"
                             f": {column.iloc[k]} is not a standard error (a finite number "
                             ">= 0; empty when not measured)")
    return (None if se is None else np.asarray(se, dtype=float)), sota_se


def progress_bar(total: int, what: str = "draws"):
    """A tqdm bar on standard error that appears only when the run takes over
    a second; ``update(n)`` after each chunk, ``close()`` at the end."""
    from tqdm import tqdm

    return tqdm(total=total, unit=" " + what, delay=1.0, file=sys.stderr, leave=False,
                dynamic_ncols=True)


def rule_option(args: argparse.Namespace) -> Rule:
    """The rule of ``--rule`` (default: the profile's) with its ``--param`` values,
    resolved with the command line's rule folders (:func:`glscore.cli.params.load_rule`)."""
    name = args.rule or get_profile(args.profile).rule
    return load_rule(name, parse_params(args.param, name))


def scoring_kwargs(args: argparse.Namespace) -> dict[str, Any]:
    """Keyword arguments of :func:`glscore.score` from the parsed options (the
    rule resolved, its parameters in it)."""
    return {
        "profile": args.profile,
        "rule": rule_option(args),
        "aggregation": args.aggregation,
        "level4_mean": args.level4_mean,
    }


def load_benchmark(args: argparse.Namespace) -> Benchmark:
    """The benchmark the source options name (the paper data by default).

    Input warnings (a scale that cannot be told, a renamed model, unmapped
    harness tasks) are printed on standard error, one line each.
    """
    return with_input_warnings(
        load_source, args.results or "paper", sota=args.sota, model=args.model,
        scale=args.scale, with_paper=getattr(args, "with_paper", False), mapping=args.mapping,
        input_format=args.input_format, no_proxy=args.no_proxy, progress=True)


def with_input_warnings(call: Callable[..., T], *args: object, **kwargs: object) -> T:
    """``call(*args, **kwargs)``, its :class:`InputWarning` s printed by :func:`warn`."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", InputWarning)
        result = call(*args, **kwargs)
    for w in caught:
        if not issubclass(w.category, InputWarning):
            warnings.showwarning(w.message, w.category, w.filename, w.lineno)
    warn_all([str(w.message) for w in caught if issubclass(w.category, InputWarning)])
    return result


#: Warnings of one kind printed in full before the rest are counted.
WARNINGS_SHOWN = 3


def warn_all(messages: Sequence[str]) -> None:
    """Warnings on standard error, summarised: of each kind (the message with its
    quoted names and numbers left out) the first :data:`WARNINGS_SHOWN` in full, then
    one line counting the rest (10,000 small models do not print 10,000 lines)."""
    kinds: dict[str, list[str]] = {}
    for message in messages:
        kind = re.sub(r"\d[\d,.]*%?", "#", re.sub(r"'[^']*'", "'...'", message))
        kinds.setdefault(kind, []).append(message)
    for group in kinds.values():
        for message in group[:WARNINGS_SHOWN]:
            warn(message)
        if len(group) > WARNINGS_SHOWN:
            warn(f"... and {len(group) - WARNINGS_SHOWN:,} more warning(s) like the above "
                 f"({len(group):,} in all)")


def warn(message: str) -> None:
    """One ``glscore: warning: ...`` line on standard error (control characters of
    names shown as escapes)."""
    print(f"glscore: warning: {visible(' '.join(message.split()))}", file=sys.stderr)


def sota_label(args: argparse.Namespace) -> str:
    """Which SoTA table the scores used: the ``--sota`` file or the committed table."""
    return str(args.sota) if args.sota is not None else COMMITTED_SOTA_LABEL


def proxy_task_ids(bench: Benchmark) -> list[list[str]]:
    """Per model, the tasks whose value is a proxy (``[]`` for all without a mask)."""
    cells = bench.proxy_cells()
    ids = np.array(bench.task_table.text("task_id"), dtype=object)
    return [ids[row].tolist() for row in cells]


#: The note under a table with proxy values (the mark is the ``proxy`` column).
PROXY_NOTE = ("proxy = values from upstream datasets standing in for General-Bench tasks "
              "(provenance=proxy in the mapping), scored but not General-Bench data; "
              "--no-proxy leaves them out")


def model_origins(args: argparse.Namespace, bench: Benchmark) -> list[str]:
    """``paper`` / ``input`` per model of ``bench`` (see :func:`glscore.io.loaders.origins`)."""
    return origins(bench.models, from_files=bool(args.results))


def frame_rows(frame) -> list[dict[str, Any]]:
    """``frame.to_dict("records")``, built column by column: a numpy number or
    boolean column is one ``tolist()`` (Python numbers); an object or
    extension column (strings, ``Int64``) its values as objects, numpy
    scalars as Python ones and ``NA`` as ``None`` (as pandas boxes them); any
    other column as pandas converts it. Rows of the boards are read many
    times per report; pandas goes through a row iterator of Series."""
    import pandas as pd

    keys = frame.columns.tolist()
    columns = []
    for k in range(frame.shape[1]):
        column = frame.iloc[:, k]
        dtype = column.dtype
        if isinstance(dtype, np.dtype) and dtype.kind in "fiub":
            columns.append(column.to_numpy().tolist())
        elif not isinstance(dtype, np.dtype) or dtype.kind == "O":
            columns.append([None if v is pd.NA else v.item() if isinstance(v, np.generic) else v
                            for v in column.to_numpy(dtype=object).tolist()])
        else:  # dates and the like: pandas' own boxing
            columns.append([r[0] for r in column.to_frame().to_dict("split")["data"]])
    return _records(keys, columns, len(frame))


def frame_records(frame) -> list[dict]:
    """A DataFrame as JSON-ready records at full precision (``NaN``/``NA`` -> ``None``,
    numpy scalars -> Python numbers); unlike ``DataFrame.to_json`` it does not round.
    Converted column by column: a numpy float, integer or boolean column is one
    ``tolist()`` (Python numbers, ``NaN`` -> ``None``), any other column value by
    value (:func:`_json_value`)."""
    keys = [str(key) for key in frame.columns]
    columns = []
    for k in range(frame.shape[1]):
        column = frame.iloc[:, k]
        if isinstance(column.dtype, np.dtype) and column.dtype.kind in "fiub":
            values = column.to_numpy().tolist()
            if column.dtype.kind == "f":
                values = [None if v != v else v for v in values]  # NaN is not itself
        else:
            values = [v if type(v) is str else _json_value(v)  # text needs no conversion
                      for v in column.astype(object).tolist()]
        columns.append(values)
    return _records(keys, columns, len(frame))


def _records(keys: list[Any], columns: list[list[Any]], n: int) -> list[dict[str, Any]]:
    """``n`` rows as dicts ``{key: value}`` from the values of each column."""
    return [dict(zip(keys, row, strict=True)) for row in zip(*columns, strict=True)] \
        if columns else [{} for _ in range(n)]


def _json_value(value: object) -> object:
    """One value of an object or extension column as JSON wants it: ``None`` for
    missing (``None``, ``NA``, ``NaN``), numpy scalars as Python numbers."""
    import pandas as pd

    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, np.generic):
        item = value.item()
        return None if isinstance(item, float) and math.isnan(item) else item
    return value


def dumps(obj: object) -> str:
    """Strict JSON (indent 2): a non-finite float is an error, never ``NaN``.
    The text is ``json.dumps(obj, indent=2, allow_nan=False, ensure_ascii=False)``
    (numpy scalars as Python numbers), written by :func:`_indented`."""
    try:
        text = _indented(obj, 0)
    except (ValueError, TypeError):  # where, if it is a non-finite number (looked for only now)
        bad = _first_non_finite(obj)
        if bad is None:
            raise
        raise InputError(f"result {bad} is not a finite number: an input value overflows "
                         "a mapping or a mean") from None
    # JSON escapes the ASCII controls itself; C1 controls, direction overrides and the
    # like may stand raw in a string: escape them too (the same string, read back)
    return _INVISIBLE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


#: Per depth, json's C encoder writing a container of scalars as ``indent=2`` at that
#: depth would (items one per line); ``json`` writes ``indent`` in Python, value by value.
_FLAT: list[json.JSONEncoder] = []


def _flat(depth: int) -> json.JSONEncoder:
    while len(_FLAT) <= depth:
        _FLAT.append(json.JSONEncoder(ensure_ascii=False, allow_nan=False, default=_json_scalar,
                                      separators=(",\n" + "  " * (len(_FLAT) + 1), ": ")))
    return _FLAT[depth]


def _indented(obj: object, depth: int) -> str:
    """``obj`` at nesting ``depth`` exactly as ``json.dumps(..., indent=2,
    allow_nan=False, ensure_ascii=False, default=_json_scalar)`` writes it:
    a container holding no container is one call of the C encoder with the
    item separator carrying the line break and indent; others are joined here.
    A dict with a key that is not a string is written by ``json.dumps`` itself."""
    if isinstance(obj, dict):
        if not obj:
            return "{}"
        inner = "\n" + "  " * (depth + 1)
        if not any(isinstance(v, dict | list | tuple) for v in obj.values()):
            return "{" + inner + _flat(depth).encode(obj)[1:-1] + "\n" + "  " * depth + "}"
        if not all(isinstance(k, str) for k in obj):
            return json.dumps(obj, indent=2, allow_nan=False, ensure_ascii=False,
                              default=_json_scalar).replace("\n", "\n" + "  " * depth)
        items = [json.encoder.encode_basestring(k) + ": " + _indented(v, depth + 1)
                 for k, v in obj.items()]
        return "{" + inner + ("," + inner).join(items) + "\n" + "  " * depth + "}"
    if isinstance(obj, list | tuple):
        if not obj:
            return "[]"
        inner = "\n" + "  " * (depth + 1)
        if not any(isinstance(v, dict | list | tuple) for v in obj):
            return "[" + inner + _flat(depth).encode(list(obj))[1:-1] + "\n" + "  " * depth + "]"
        items = [_indented(v, depth + 1) for v in obj]
        return "[" + inner + ("," + inner).join(items) + "\n" + "  " * depth + "]"
    return _flat(depth).encode(obj)


#: Characters a JSON encoder may leave raw that a terminal acts on or hides.
_INVISIBLE = re.compile("[\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e"
                        "\u2060-\u206f\ufeff\ufff9-\ufffb]")


def _json_scalar(value: object) -> object:
    """numpy scalars as Python numbers (``json`` knows only the built-in types)."""
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _first_non_finite(obj: object, path: str = "") -> str | None:
    if isinstance(obj, float):
        return None if math.isfinite(obj) else (path or "value")
    if isinstance(obj, dict):
        for k, v in obj.items():
            hit = _first_non_finite(v, f"{path}.{k}" if path else str(k))
            if hit:
                return hit
    elif isinstance(obj, list | tuple):
        for k, v in enumerate(obj):
            hit = _first_non_finite(v, f"{path}[{k}]")
            if hit:
                return hit
    return None
