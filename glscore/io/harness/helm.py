"""HELM (stanford-crfm): ``<output_path>/runs/<suite>/<run>/stats.json``.

Checked against stanford-crfm/helm at commit 63754d05 (2026-06-05):
``src/helm/benchmark/runner.py`` writes, per run (a folder named after the
run spec, e.g. ``mmlu:subject=anatomy,method=multiple_choice_joint,model=openai_gpt2``),
``run_spec.json`` (``name``, ``adapter_spec.model``, ...) and ``stats.json``,
a list of ``Stat`` objects (``src/helm/benchmark/metrics/statistic.py``)
without their ``None`` fields::

    [{"name": {"name": "exact_match", "split": "test"},
      "count": 100, "sum": 63.0, "sum_squared": 63.0, "min": 0, "max": 1,
      "mean": 0.63, "variance": 0.2331, "stddev": 0.4828}, ...]

``stddev`` is the population standard deviation of the per-instance values.

Read: one value per stat without a ``perturbation`` (perturbed stats are
robustness variants of the same metric), keyed ``<name>,<split>`` (and
``/<sub_split>``), value ``mean``; its standard error, under
``<name>_stderr,<split>``, is ``stddev / sqrt(count - 1)`` (the sample
standard error ``s / sqrt(n)`` with ``s = stddev * sqrt(n / (n - 1))``),
"N/A" for fewer than two instances. The model is ``adapter_spec.model`` of
the ``run_spec.json`` beside it, else the ``model=`` argument of the run's
name; the task is the run's name without its ``model=`` and
``model_deployment=`` arguments, so one task name covers every model of a
suite. Values are mostly 0-1.
"""

from __future__ import annotations

import math

from glscore.errors import InputError
from glscore.io.harness import lm_eval
from glscore.io.harness.documents import Document, Observation, read_document

NAME = "helm"
PATTERNS: tuple[str, ...] = ("stats.json",)
#: Run-spec arguments that name the model, not the task.
MODEL_ARGS: tuple[str, ...] = ("model", "model_deployment")
se_key = lm_eval.se_key
base = lm_eval.base


def matches(doc: Document) -> bool:
    """A JSON list of stats (``{"name": {"name": ...}, "count": ..., ...}``)."""
    content = doc.content
    if not isinstance(content, list):
        return False
    if not content:
        return doc.path.name == "stats.json"
    return all(isinstance(s, dict) and isinstance(s.get("name"), dict)
               and "name" in s["name"] and "count" in s for s in content)


def observations(doc: Document) -> list[Observation]:
    """``(model, task, key, mean or standard error, where)`` per unperturbed stat."""
    if not matches(doc):
        raise InputError(f"'{doc.path}': not a HELM stats.json: expected a JSON list of stats "
                         "such as {\"name\": {\"name\": \"exact_match\", \"split\": \"test\"}, "
                         "\"count\": ..., \"mean\": ...}")
    run_name, model = run_of(doc)
    task = task_of(run_name)
    stats: list[dict] = doc.content  # type: ignore[assignment]
    out: list[Observation] = []
    for k, stat in enumerate(stats):
        name = stat["name"]
        if "perturbation" in name:
            continue
        split = name.get("split")
        qualifier = "" if split is None else f",{split}"
        if name.get("sub_split") is not None:
            qualifier += f"/{name['sub_split']}"
        key = f"{name['name']}{qualifier}"
        where = f"stats[{k}] ({key})"
        out.append((model, task, key, stat.get("mean"), where))
        out.append((model, task, f"{name['name']}_stderr{qualifier}", _stderr(stat), where))
    return out


def _stderr(stat: dict) -> object:
    """``stddev / sqrt(count - 1)``; ``"N/A"`` when it cannot be computed."""
    count, sd = stat.get("count"), stat.get("stddev")
    if (isinstance(count, int | float) and not isinstance(count, bool) and count >= 2
            and isinstance(sd, int | float) and not isinstance(sd, bool) and math.isfinite(sd)):
        return sd / math.sqrt(count - 1)
    return "N/A"


def run_of(doc: Document) -> tuple[str, str]:
    """The run's name and model: from ``run_spec.json`` beside, else the folder's name."""
    run_name, model = doc.path.parent.name, None
    spec_path = doc.path.with_name("run_spec.json")
    if spec_path.is_file():
        spec = read_document(spec_path).content
        if isinstance(spec, dict):
            if isinstance(spec.get("name"), str) and spec["name"].strip():
                run_name = spec["name"].strip()
            adapter = spec.get("adapter_spec")
            if isinstance(adapter, dict) and isinstance(adapter.get("model"), str):
                model = adapter["model"].strip() or None
    if model is None:
        model = _args(run_name)[1].get("model")
    if not model:
        raise InputError(f"'{doc.path}': no model: expected a run_spec.json beside it "
                         "(adapter_spec.model) or 'model=' in the run's name")
    return run_name, model


def task_of(run_name: str) -> str:
    """The run's name without its model arguments:
    ``mmlu:subject=anatomy,model=openai_gpt2`` -> ``mmlu:subject=anatomy``."""
    scenario, args = _args(run_name)
    kept = [f"{k}={v}" for k, v in args.items() if k not in MODEL_ARGS]
    return f"{scenario}:{','.join(kept)}" if kept else scenario


def _args(run_name: str) -> tuple[str, dict[str, str]]:
    scenario, _, rest = run_name.partition(":")
    args: dict[str, str] = {}
    for part in filter(None, rest.split(",")):
        key, _, value = part.partition("=")
        args[key.strip()] = value.strip()
    return scenario, args
