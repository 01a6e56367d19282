"""lmms-eval (EvolvingLMMs-Lab): ``<output_path>/<model_sanitized>/<datetime>_results.json``.

Checked against EvolvingLMMs-Lab/lmms-eval at commit 75571cfe (2026-08-06;
``lmms_eval/loggers/evaluation_tracker.py`` writes ``{date_id}_results.json``,
``lmms_eval/evaluator.py`` adds ``lmms_eval_version``) and
``lmms_eval/loggers/evaluation_tracker.py`` at 4eadb30e. The shape is
lm-evaluation-harness's (:mod:`glscore.io.harness.lm_eval`: ``results``,
``higher_is_better``, ``n-samples``, ``config``, ``model_name``), with two
more standard errors per metric, ``<metric>_stderr_clt,<filter>`` and
``<metric>_stderr_clustered,<filter>`` ("N/A" when not computed). Scales
differ by task: some 0-1, some 0-100, some sums (an MME score near 1500), so
each mapping row states its own. The default standard error is
``<metric>_stderr,<filter>``; name another in ``se_metric``.

Told from an lm-evaluation-harness file by ``lmms_eval_version`` at the top
level, a ``_stderr_clt`` or ``_stderr_clustered`` key, or the file name
``YYYYMMDD_HHMMSS_results.json``.
"""

from __future__ import annotations

import re

from glscore.io.harness import lm_eval
from glscore.io.harness.documents import Document, Observation

NAME = "lmms-eval"
PATTERNS: tuple[str, ...] = ("*_results.json",)
_FILE = re.compile(r"^\d{8}_\d{6}.*_results\.json$")
se_key = lm_eval.se_key
base = lm_eval.base


def matches(doc: Document) -> bool:
    """The lm-evaluation-harness shape with an lmms-eval mark (see the module docstring)."""
    if not lm_eval.matches(doc):
        return False
    content: dict = doc.content  # type: ignore[assignment]
    if "lmms_eval_version" in content or _FILE.match(doc.path.name):
        return True
    return any("_stderr_clt," in key or "_stderr_clustered," in key
               for entry in content["results"].values() for key in entry)


def observations(doc: Document) -> list[Observation]:
    """As :func:`glscore.io.harness.lm_eval.observations`."""
    return lm_eval.observations(doc, NAME)
