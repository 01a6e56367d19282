"""lm-evaluation-harness (EleutherAI): ``<output_path>/<model_sanitized>/results_<datetime>.json``.

Checked against EleutherAI/lm-evaluation-harness at commit 4e7e0d47
(2026-08-21; ``lm_eval/loggers/evaluation_tracker.py`` writes
``results_{date_id}.json`` into a folder named after the sanitised model;
``lm_eval/evaluator_utils.py`` fills the entries), and the same files at
da211969 and 0064c3a0. The top-level object holds:

* ``results``: harness task -> ``{"alias": ..., "<metric>,<filter>": value,
  "<metric>_stderr,<filter>": standard error or "N/A", ...}`` (groups such
  as ``mmlu`` are entries too);
* ``higher_is_better``, ``n-samples``, ``configs``, ``versions``, ``n-shot``;
* ``config`` (``model``, ``model_args`` such as ``pretrained=org/name,...``)
  and ``model_name`` (the model, from the tracker).

Read: every key of a task entry with a comma (``<metric>,<filter>``) is a
metric; ``alias``, ``samples`` and the like are not. Values are mostly 0-1
(a mapping row says so with scale ``fraction``). The model is
``model_name``, else the ``pretrained=`` (or ``model=``, ``path=``,
``engine=``) argument of ``config.model_args``, else the folder's name.
A metric's standard error is the key with ``_stderr`` before the comma.
"""

from __future__ import annotations

import re

from glscore.errors import InputError
from glscore.io.harness.documents import Document, Observation, json_key

NAME = "lm-eval"
#: File names this harness writes (searched for in a directory tree).
PATTERNS: tuple[str, ...] = ("results_*.json",)
_MODEL_ARG = re.compile(r"(?:^|,)\s*(?:peft|delta|pretrained|model|path|engine)=([^,]+)")


def matches(doc: Document) -> bool:
    """A JSON object whose ``results`` maps tasks to objects with ``<metric>,<filter>`` keys."""
    results = doc.content.get("results") if isinstance(doc.content, dict) else None
    return isinstance(results, dict) and bool(results) and all(
        isinstance(entry, dict) for entry in results.values()) and any(
        "," in key for entry in results.values() for key in entry)


def observations(doc: Document, harness: str = NAME) -> list[Observation]:
    """``(model, task, metric, value, where)`` for every ``<metric>,<filter>`` key."""
    if not matches(doc):
        raise InputError(f"'{doc.path}': not an {harness} results file: expected a JSON "
                         "object whose 'results' maps each task to its '<metric>,<filter>' "
                         "values")
    model = model_name(doc)
    out: list[Observation] = []
    for task, entry in doc.content["results"].items():  # type: ignore[index]
        for key, value in entry.items():
            if "," in key:
                out.append((model, str(task), key, value, json_key("results", task, key)))
    return out


def model_name(doc: Document) -> str:
    """``model_name``, else the model argument of ``config.model_args``, else the folder."""
    content = doc.content if isinstance(doc.content, dict) else {}
    name = content.get("model_name")
    if isinstance(name, str) and name.strip():
        return name.strip()
    config = content.get("config")
    args = config.get("model_args") if isinstance(config, dict) else None
    if isinstance(args, str):
        hit = _MODEL_ARG.search(args)
        if hit and hit.group(1).strip():
            return hit.group(1).strip()
    return doc.path.parent.name


def se_key(metric: str) -> str | None:
    """``acc,none`` -> ``acc_stderr,none`` (the harness's standard error of a metric)."""
    name, _, rest = metric.partition(",")
    return f"{name}_stderr,{rest}" if rest else f"{name}_stderr"


def base(metric: str) -> str:
    """The metric without its filter: ``acc,none`` -> ``acc``."""
    return metric.partition(",")[0]
