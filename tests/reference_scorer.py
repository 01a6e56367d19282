"""General-Level under the ``paper`` profile, written as plain loops from the
paper's definitions: an independent implementation the vectorised scorer is
checked against (it shares no code with ``glscore.core``).

Definitions (Fei et al., Section 3 and Appendix A.1):

* a metric that is not a higher-is-better percentage is mapped onto 0-100 as
  ``y * 100``: lower-is-better ``y = 2 / (1 + exp(-T / x)) - 1`` with the
  temperatures ``T`` below, PSNR ``tanh(x / 20)``, WER ``1 - x / 100`` (printed
  in percent), MS-SSIM ``(x + 1) / 2``, MOS ``(x - 1) / 4``; the metric is the
  printed name before any parenthesis, upper-cased;
* per modality: ``C`` = mean over its comprehension tasks, ``G`` over its
  generation tasks, an unsupported task counting 0; Level-2 ``(C + G) / 2``
  of the scores, Level-3 the same of the credit (the score where the model
  beats the SoTA, else 0), Level-4 ``2 C3 G3 / (C3 + G3)`` (0 if either is 0);
* "beats the SoTA" is decided on the raw values, in the metric's direction
  (a lower-is-better metric: ``x <= SoTA``; every other: ``x >= SoTA``), so a
  worse value that the saturating map sends to the SoTA's 100 is no win;
* overall Level-k: the mean over the four modalities; Level-5 = overall
  Level-4 ``* S_L / 100``, ``S_L`` the NLP credit mean;
* the level reached: the highest k whose score is non-zero, 1 if none.
"""

from __future__ import annotations

import math

MODALITIES = ("Image", "Video", "Audio", "3D")
TEMPERATURES = {"MAE": 50.0, "RMS": 50.0, "MSE": 5.0, "RMSE": 5.0, "ABSREL": 0.1,
                "EPE": 1.0, "FID": 25.0, "FVD": 100.0, "FAD": 10.0, "SAD": 10.0,
                "RTE": 0.5, "CD": 1.0, "MCD": 5.0}


def metric_key(printed: str) -> str:
    return " ".join(printed.split("(")[0].split()).upper()


def to_scale(metric: str, x: float) -> float:
    """One raw value on the 0-100 scale (NaN stays NaN)."""
    if math.isnan(x):
        return x
    key = metric_key(metric)
    if key in TEMPERATURES:
        return (2.0 / (1.0 + math.exp(-TEMPERATURES[key] / x)) - 1.0) * 100.0
    if key == "PSNR":
        return math.tanh(x / 20.0) * 100.0
    if key == "WER":
        return (1.0 - x / 100.0) * 100.0
    if key in ("MS-SSIM", "MSSSIM", "MS_SSIM"):
        return (x + 1.0) / 2.0 * 100.0
    if key == "MOS":
        return (x - 1.0) / 4.0 * 100.0
    return x


def beats(metric: str, x: float, sota: float) -> bool:
    """The raw value at least as good as the raw SoTA, in the metric's direction."""
    if math.isnan(x) or math.isnan(sota):
        return False
    key = metric_key(metric)
    return x <= sota if key in TEMPERATURES or key == "WER" else x >= sota


def reference_levels(tasks: list[dict], models: list[str],
                     values: list[list[float]]) -> list[dict]:
    """Per model: ``level2``..``level5``, ``level`` and per modality ``l2/l3/l4``.

    ``tasks``: dicts with ``modality``, ``paradigm``, ``metric``, ``sota``;
    ``values[i][j]``: model ``i`` on task ``j`` (NaN = not supported).
    """
    out = []
    for i, _ in enumerate(models):
        per = {}
        for modality in MODALITIES:
            halves = {}
            for paradigm in ("comprehension", "generation"):
                n = total2 = total3 = 0
                for j, task in enumerate(tasks):
                    if task["modality"] != modality or task["paradigm"] != paradigm:
                        continue
                    n += 1
                    s = to_scale(task["metric"], values[i][j])
                    if not math.isnan(s):
                        total2 += s
                        if beats(task["metric"], values[i][j], task["sota"]):
                            total3 += s
                halves[paradigm] = (total2 / n if n else 0.0, total3 / n if n else 0.0)
            (c2, c3), (g2, g3) = halves["comprehension"], halves["generation"]
            l4 = 0.0 if c3 == 0 or g3 == 0 else 2 * c3 * g3 / (c3 + g3)
            per[modality] = {"l2": (c2 + g2) / 2, "l3": (c3 + g3) / 2, "l4": l4}
        n_nlp = credit = 0
        for j, task in enumerate(tasks):
            if task["paradigm"] == "nlp":
                n_nlp += 1
                if beats(task["metric"], values[i][j], task["sota"]):
                    credit += to_scale(task["metric"], values[i][j])
        s_l = credit / n_nlp if n_nlp else 0.0
        row = {f"level{k}": sum(per[m][f"l{k}"] for m in MODALITIES) / 4 for k in (2, 3, 4)}
        row["level5"] = row["level4"] * s_l / 100
        row["level"] = max([k for k in (2, 3, 4, 5) if row[f"level{k}"] != 0], default=1)
        row["modalities"] = per
        out.append(row)
    return out


def reference_of(bench) -> list[dict]:
    """:func:`reference_levels` of a :class:`glscore.Benchmark` (read as plain lists)."""
    tasks = bench.tasks[["modality", "paradigm", "metric", "sota"]].to_dict("records")
    return reference_levels(tasks, list(bench.models), bench.values.tolist())
