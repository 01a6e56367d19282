"""The ``official`` profile against an independent oracle of the reference scorer.

The oracle below is written from the documented behaviour of the reference
scorer (``ranker.py`` of path2generalist/General-Level), deliberately as plain
loops over task rows so that it shares no code or structure with
:mod:`glscore`:

* workbook cells: numbers as they are; text through ``float`` after the
  markers ``∞``/``inf``; empty cells, ``∞``/``inf`` and other text are missing;
* a metric is mapped only when ``metric.upper()`` is exactly a special
  metric's name; for such a metric a missing, infinite or zero value becomes
  0.0, a negative value stops the reference (an assertion), and WER is
  ``1 - x`` on the value as given;
* per modality: half-means over comprehension and generation tasks (missing
  counts as 0, divided by the number of tasks), Level-2/3 their average,
  Level-4 ``2CG / (C + G + 1e-6)`` (0 when either half is 0);
* overall Level-2..4: mean over the modalities with a sheet in the workbook;
* Level-5: overall Level-4 times the mean NLP credit / 100 on raw NLP values,
  except that the model's value ``x`` of the first NLP task whose metric
  upper-cases to ``RMSE`` becomes ``(2 / (1 + exp(-5 / x)) - 1) * 100``
  (missing gives 0.0, zero stops the reference) while its SoTA stays raw.
"""

from __future__ import annotations

import math
import random
from pathlib import Path

import numpy as np
import openpyxl
import pytest

import glscore
from glscore import paths
from glscore.core.metrics import domain_of

TOL = 1e-6
EPS = 1e-6
MODEL = "Test-Model"
KEY = ["No", "Task Name", "Task Short Name", "Metrics"]
MODALITY_NAMES = ("Image", "Video", "Audio", "3D")


# --------------------------------------------------------------------------- oracle

def _sig(t: float):
    return lambda x: 2.0 / (1.0 + math.exp(-t / x)) - 1.0


#: name -> y(x) on 0-1 (the oracle multiplies by 100).
ORACLE_SPECIAL = {
    "MAE": _sig(50), "RMS": _sig(50), "MSE": _sig(5), "RMSE": _sig(5),
    "ABSREL": _sig(0.1), "EPE": _sig(1), "FID": _sig(25), "FVD": _sig(100),
    "FAD": _sig(10), "SAD": _sig(10), "RTE": _sig(0.5), "CD": _sig(1), "MCD": _sig(5),
    "PSNR": lambda x: math.tanh(x / 20.0),
    "WER": lambda x: 1.0 - x,
    "MS-SSIM": lambda x: (x + 1.0) / 2.0,
    "MOS": lambda x: (x - 1.0) / 4.0,
}


class OracleStopError(Exception):
    """Where the reference scorer itself stops (assertion, division by zero)."""


def cell_value(cell):
    """A cell as a float, or None when the reference treats it as missing."""
    if cell is None:
        return None
    if isinstance(cell, str):
        text = cell.strip()
        if text == "∞" or text.lower() == "inf":
            return None
        try:
            cell = float(text)
        except ValueError:
            return None
    value = float(cell)
    if math.isnan(value) or value == math.inf:
        return None
    return value


def mapped_value(metric: str, cell):
    """The value after the reference's special-metric step (None = missing)."""
    value = cell_value(cell)
    key = metric.upper()
    if key not in ORACLE_SPECIAL:
        return value
    if value is None or value == 0:
        return 0.0
    if value < 0:
        raise OracleStopError(f"negative {metric} value {value}")
    return ORACLE_SPECIAL[key](value) * 100.0


def half_means(rows):
    """(mean score, mean credit) over one sheet's (metric, sota, model) rows."""
    if not rows:
        return 0.0, 0.0
    total_score = 0.0
    total_credit = 0.0
    for metric, sota_cell, model_cell in rows:
        sota = mapped_value(metric, sota_cell)
        model = mapped_value(metric, model_cell)
        if model is not None:
            total_score += model
            if sota is not None and model >= sota:
                total_credit += model
    return total_score / len(rows), total_credit / len(rows)


def oracle(sheets):
    """Reference scores of ``sheets`` = {sheet name: [(metric, sota, model), ...]}."""
    per_modality = {}
    for modality in MODALITY_NAMES:
        comp_name, gen_name = f"{modality}-Comprehension", f"{modality}-Generation"
        if comp_name not in sheets and gen_name not in sheets:
            continue
        c2, c3 = half_means(sheets.get(comp_name, []))
        g2, g3 = half_means(sheets.get(gen_name, []))
        if c3 == 0 or g3 == 0:
            level4 = 0.0
        else:
            level4 = 2 * c3 * g3 / (c3 + g3 + EPS)
        per_modality[modality] = {
            "level2": (c2 + g2) / 2, "level3": (c3 + g3) / 2, "level4": level4,
        }
    overall = {}
    for level in ("level2", "level3", "level4"):
        values = [m[level] for m in per_modality.values()]
        overall[level] = sum(values) / len(values)

    nlp_rows = sheets["NLP"]
    rmse_done = False
    credit = 0.0
    for metric, sota_cell, model_cell in nlp_rows:
        sota = cell_value(sota_cell)
        model = cell_value(model_cell)
        if metric.upper() == "RMSE" and not rmse_done:
            rmse_done = True
            if model is None:
                model = 0.0
            elif model == 0:
                raise OracleStopError("NLP RMSE value 0")
            else:
                model = (2.0 / (1.0 + math.exp(-5.0 / model)) - 1.0) * 100.0
        if sota is not None and model is not None and model >= sota:
            credit += model
    s_l = credit / len(nlp_rows) if nlp_rows else 0.0
    overall["level5"] = overall["level4"] * s_l / 100.0
    return per_modality, overall


# --------------------------------------------------------------------------- workbooks

def write_pair(folder: Path, sheets, column: str = MODEL, extra_column: bool = False):
    """SoTA and result workbooks for ``sheets`` = {name: [(metric, sota, model), ...]}."""
    sota_book, result_book = openpyxl.Workbook(), openpyxl.Workbook()
    sota_book.remove(sota_book.active)
    result_book.remove(result_book.active)
    for name, rows in sheets.items():
        sota_sheet = sota_book.create_sheet(name)
        sota_sheet.append([*KEY, "SoTA Performance"])
        result_sheet = result_book.create_sheet(name)
        result_sheet.append([*KEY, column] + (["Other"] if extra_column else []))
        for i, (metric, sota, model) in enumerate(rows, start=1):
            key = [i, f"{name} task {i}", f"t{i}", metric]
            sota_sheet.append([*key, sota])
            result_sheet.append([*key, model] + ([99.0] if extra_column else []))
    sota_path, result_path = folder / "sota.xlsx", folder / "result.xlsx"
    sota_book.save(sota_path)
    result_book.save(result_path)
    return sota_path, result_path


def glscore_record(folder: Path, sheets, model: str = MODEL, **kwargs):
    sota_path, result_path = write_pair(folder, sheets, **kwargs)
    bench = glscore.load_workbooks(sota_path, [result_path], model=model, scale="percent")
    return glscore.score(bench, profile="official").record(0)


def assert_matches_oracle(record, sheets):
    per_modality, overall = oracle(sheets)
    assert sorted(record["modalities"]) == sorted(per_modality)
    for modality, expected in per_modality.items():
        for level, value in expected.items():
            got = record["modalities"][modality][level]
            assert got == pytest.approx(value, abs=TOL), (modality, level)
    for level, value in overall.items():
        assert record["scores"][level] == pytest.approx(value, abs=TOL), level


# --------------------------------------------------------------------------- random cases

PLAIN_METRICS = {"Acc": (10, 99), "BLEU-1": (5, 60), "F1": (20, 95)}
SPECIAL_METRICS = {  # printed name -> (range, lower is better)
    "FID": ((5, 60), True), "MAE": ((0.5, 30), True), "PSNR": ((15, 40), False),
    "WER": ((0.02, 0.5), True), "MOS": ((1.5, 4.8), False), "MS-SSIM": ((0.3, 0.99), False),
    "RMSE": ((0.1, 10), True), "CD (Chamfer Distance)": ((0.05, 2), True),
    "absRel": ((0.05, 0.5), True), "RTE ( Relative Translation Error)": ((0.1, 2), True),
    "fid": ((5, 60), True),
}


def random_row(rng: random.Random, nlp: bool):
    if nlp or rng.random() < 0.45:
        metric = rng.choice(list(PLAIN_METRICS))
        (low, high), lower_better = PLAIN_METRICS[metric], False
    else:
        metric = rng.choice(list(SPECIAL_METRICS))
        (low, high), lower_better = SPECIAL_METRICS[metric]
    sota = round(rng.uniform(low, high), 3)
    if rng.random() < 0.04:
        sota = rng.choice([None, 0])
    u = rng.random()
    if u < 0.45:
        # within the metric's value domain: glscore refuses what lies outside (the reference
        # scores it); the cases outside are below (a negative FID, an RMSE of -1.5)
        model = min(round(rng.uniform(low * 0.5, high * 1.2), 3), domain_of(metric).high)
    elif u < 0.6 and sota:
        factor = rng.uniform(1.0, 1.3)
        model = round(sota / factor if lower_better else sota * factor, 4)
    elif u < 0.75:
        model = None
    elif u < 0.8:
        model = 0
    else:
        # text cells only outside NLP (the reference's printout chokes on them there)
        model = None if nlp else rng.choice(["∞", "inf", "n/a", "NaN", str(round(high / 2, 2))])
    return metric, sota, model


def random_sheets(seed: int):
    rng = random.Random(seed)
    sheets = {}
    for modality in MODALITY_NAMES:
        if rng.random() < 0.45:
            continue
        u = rng.random()
        parts = ("Comprehension", "Generation") if u < 0.7 else (
            ("Comprehension",) if u < 0.85 else ("Generation",))
        for part in parts:
            n = 0 if rng.random() < 0.08 else rng.randint(1, 15)
            sheets[f"{modality}-{part}"] = [random_row(rng, False) for _ in range(n)]
    if not sheets:
        sheets["Image-Comprehension"] = [random_row(rng, False)]
    nlp = [random_row(rng, True) for _ in range(rng.randint(0, 12))]
    if rng.random() < 0.6:
        rmse = rng.choice([None, round(rng.uniform(0.05, 12), 3), -1.5])
        nlp.insert(rng.randint(0, len(nlp)), ("RMSE", round(rng.uniform(0.1, 10), 3), rmse))
    sheets["NLP"] = nlp
    if rng.random() < 0.05:
        # a negative value of a mapped metric outside NLP: the reference stops
        name = rng.choice([s for s in sheets if s != "NLP"])
        sheets[name] = [*sheets[name], ("FID", 20.0, -3.0)]
    return sheets


@pytest.mark.parametrize("seed", range(60))
def test_random_workbooks_match_oracle(tmp_path, seed):
    sheets = random_sheets(seed)
    if any(isinstance(cell_value(model), float) and domain_of(metric).outside(
            np.array([cell_value(model)]))[0]
           for rows in sheets.values() for metric, _, model in rows):
        # outside the metric's domain (an RMSE of -1.5): stricter than the reference
        with pytest.raises(glscore.InputError, match="outside its domain"):
            glscore_record(tmp_path, sheets)
        return
    try:
        oracle(sheets)
    except OracleStopError:
        with pytest.raises(glscore.InputError):
            glscore_record(tmp_path, sheets)
        return
    if all(cell_value(model) is None for rows in sheets.values() for _, _, model in rows):
        # the reference prints zeros for an empty column; glscore says so instead
        with pytest.raises(glscore.InputError, match="has no scores"):
            glscore_record(tmp_path, sheets)
        return
    column = random.Random(seed).choice([MODEL, MODEL.lower(), MODEL.upper()])
    record = glscore_record(tmp_path, sheets, column=column, extra_column=seed % 3 == 0)
    assert_matches_oracle(record, sheets)


# --------------------------------------------------------------------------- hand examples

def test_chamfer_distance_with_parenthesis_is_left_raw(tmp_path):
    sheets = {
        "3D-Comprehension": [("Acc", 50.0, 60.0)],
        "3D-Generation": [("CD (Chamfer Distance)", 0.2, 0.5)],
        "NLP": [("ACC", 50.0, 60.0)],
    }
    record = glscore_record(tmp_path, sheets)
    d3 = record["modalities"]["3D"]
    # CD left raw and compared as higher-is-better: 0.5 >= 0.2 wins with credit 0.5
    # C = 60, G = 0.5 -> Level-2 = Level-3 = (60 + 0.5) / 2 = 30.25
    assert d3["level2"] == pytest.approx(30.25, abs=TOL)
    assert d3["level3"] == pytest.approx(30.25, abs=TOL)
    # Level-4 = 2 * 60 * 0.5 / (60.5 + 1e-6) = 60 / 60.500001 = 0.99173552...
    level4 = 60.0 / 60.500001
    assert d3["level4"] == pytest.approx(level4, abs=1e-9)
    assert d3["wins"] == 2
    # Level-5 = Level-4 * 60 / 100 (NLP credit mean 60)
    assert record["scores"]["level5"] == pytest.approx(level4 * 0.6, abs=1e-9)


def test_bare_cd_is_mapped_lower_is_better(tmp_path):
    sheets = {
        "3D-Comprehension": [("Acc", 50.0, 60.0)],
        "3D-Generation": [("CD", 0.2, 0.5)],
        "NLP": [("ACC", 50.0, 60.0)],
    }
    d3 = glscore_record(tmp_path, sheets)["modalities"]["3D"]
    # SoTA 0.2 -> (2/(1+e^-5) - 1) * 100 = 98.661; model 0.5 -> (2/(1+e^-2) - 1) * 100 = 76.159
    # the model loses: G2 = 76.159, G3 = 0 -> Level-4 = 0
    g2 = (2 / (1 + math.exp(-2)) - 1) * 100
    assert g2 == pytest.approx(76.1594156, abs=1e-6)
    assert d3["level2"] == pytest.approx((60 + g2) / 2, abs=TOL)
    assert d3["level3"] == pytest.approx(30.0, abs=TOL)
    assert d3["level4"] == 0.0
    assert d3["wins"] == 1


def test_missing_fid_becomes_zero_and_counts(tmp_path):
    sheets = {
        "Image-Comprehension": [("Acc", 40.0, 50.0)],
        "Image-Generation": [("FID", 25.0, None), ("FID", 50.0, 25.0), ("FID", None, None)],
        "NLP": [("ACC", 50.0, 100.0)],
    }
    image = glscore_record(tmp_path, sheets)["modalities"]["Image"]
    fid25 = (2 / (1 + math.exp(-1)) - 1) * 100  # FID 25 -> 46.2117157
    fid50 = (2 / (1 + math.exp(-0.5)) - 1) * 100  # FID 50 -> 24.4918662
    assert fid25 == pytest.approx(46.2117157, abs=1e-6)
    assert fid50 == pytest.approx(24.4918662, abs=1e-6)
    # row 1: model missing -> 0.0 < 46.21, no credit; row 2: 46.21 >= 24.49, credit 46.21;
    # row 3: both missing -> 0.0 >= 0.0, a win with credit 0. Divided by 3 rows:
    g = fid25 / 3  # 15.4039052
    # C = 50 -> Level-2 = Level-3 = (50 + 15.4039) / 2 = 32.7019526
    assert image["level2"] == pytest.approx((50 + g) / 2, abs=TOL)
    assert image["level3"] == pytest.approx((50 + g) / 2, abs=TOL)
    assert image["level4"] == pytest.approx(2 * 50 * g / (50 + g + 1e-6), abs=TOL)
    # wins: Acc and FID row 2; the 0.0 >= 0.0 row (both missing) is credited 0 as the
    # reference does, but it is no supported cell, so no win: wins <= supported (2 of 4)
    assert (image["wins"], image["supported"], image["tasks"]) == (2, 2, 4)
    # rows 1 and 3: the model's missing FID scored 0.0 by the profile
    assert image["zero_filled"] == 2


def test_wer_is_one_minus_value_as_given(tmp_path):
    sheets = {
        "Audio-Comprehension": [("ACC", 50.0, 60.0)],
        # fraction: SoTA 0.05 -> 95, model 0.04 -> 96 (wins);
        # percent: SoTA 5 -> 1 - 5 = -4 -> -400, model 4 -> -300 (>= -400: "wins")
        "Audio-Generation": [("WER", 0.05, 0.04), ("WER", 5.0, 4.0)],
        "NLP": [("ACC", 50.0, 50.0)],
    }
    record = glscore_record(tmp_path, sheets)
    audio = record["modalities"]["Audio"]
    # G2 = G3 = (96 - 300) / 2 = -102; C = 60
    assert audio["level2"] == pytest.approx((60 - 102) / 2, abs=TOL)  # -21
    assert audio["level3"] == pytest.approx(-21.0, abs=TOL)
    # Level-4 = 2 * 60 * (-102) / (60 - 102 + 1e-6) = -12240 / -41.999999 = 291.428578...
    assert audio["level4"] == pytest.approx(-12240 / -41.999999, abs=TOL)
    # Level-5 = Level-4 * 50 / 100
    assert record["scores"]["level5"] == pytest.approx(-12240 / -41.999999 / 2, abs=TOL)


def test_level4_epsilon(tmp_path):
    sheets = {
        "Image-Comprehension": [("Acc", 0.000001, 0.000002)],
        "Image-Generation": [("Acc", 0.000001, 0.000002)],
        "NLP": [("ACC", 1.0, 100.0)],
    }
    record = glscore_record(tmp_path, sheets)
    image = record["modalities"]["Image"]
    # C = G = 2e-6: Level-4 = 2 * 2e-6 * 2e-6 / (2e-6 + 2e-6 + 1e-6) = 8e-12 / 5e-6 = 1.6e-6
    # (without epsilon it would be 2e-6)
    assert image["level4"] == pytest.approx(1.6e-6, rel=1e-9)
    assert image["level3"] == pytest.approx(2e-6, rel=1e-9)
    # Level-5 = 1.6e-6 * 100 / 100
    assert record["scores"]["level5"] == pytest.approx(1.6e-6, rel=1e-9)


def test_overall_is_over_present_modalities_only(tmp_path):
    sheets = {
        "Image-Comprehension": [("Acc", 50.0, 80.0)],
        "Image-Generation": [("Acc", 50.0, 40.0)],
        "Video-Comprehension": [],  # present, no task rows: Video scores 0 everywhere
        "NLP": [("ACC", 50.0, 60.0)],
    }
    record = glscore_record(tmp_path, sheets)
    assert sorted(record["modalities"]) == ["Image", "Video"]
    # Image: C2 = 80, G2 = 40 -> Level-2 = 60; C3 = 80, G3 = 0 -> Level-3 = 40, Level-4 = 0
    assert record["modalities"]["Image"]["level2"] == pytest.approx(60.0, abs=TOL)
    assert record["modalities"]["Image"]["level3"] == pytest.approx(40.0, abs=TOL)
    # overall over Image and Video (not the four modalities): (60 + 0) / 2, (40 + 0) / 2
    assert record["scores"]["level2"] == pytest.approx(30.0, abs=TOL)
    assert record["scores"]["level3"] == pytest.approx(20.0, abs=TOL)
    assert record["scores"]["level4"] == 0.0


def test_single_modality_overall_equals_it(tmp_path):
    sheets = {
        "Image-Comprehension": [("Acc", 50.0, 80.0)],
        "Image-Generation": [("Acc", 50.0, 60.0)],
        "NLP": [("ACC", 50.0, 60.0)],
    }
    scores = glscore_record(tmp_path, sheets)["scores"]
    # Level-2 = Level-3 = 70, Level-4 = 2 * 80 * 60 / (140 + 1e-6) = 68.5714281...
    assert scores["level2"] == pytest.approx(70.0, abs=TOL)
    assert scores["level4"] == pytest.approx(9600 / 140.000001, abs=TOL)


def test_nlp_rmse_quirk(tmp_path):
    sheets = {
        "Image-Comprehension": [("Acc", 50.0, 80.0)],
        "Image-Generation": [("Acc", 50.0, 60.0)],
        # first RMSE row: model 2.0 -> (2/(1+e^-2.5) - 1) * 100 = 84.8283640 >= SoTA 1.0 (raw)
        # second RMSE row stays raw: 1.0 >= 0.5, credit 1.0; ACC: 60 >= 50, credit 60
        "NLP": [("ACC", 50.0, 60.0), ("RMSE", 1.0, 2.0), ("rmse", 0.5, 1.0)],
    }
    record = glscore_record(tmp_path, sheets)
    rmse = (2 / (1 + math.exp(-2.5)) - 1) * 100
    assert rmse == pytest.approx(84.8283640, abs=1e-6)
    s_l = (60 + rmse + 1.0) / 3  # 48.6094547
    level4 = 9600 / 140.000001
    assert record["nlp"]["s_l"] == pytest.approx(s_l, abs=TOL)
    assert record["scores"]["level5"] == pytest.approx(level4 * s_l / 100, abs=TOL)


def test_nlp_rmse_missing_becomes_zero_and_sota_stays_raw(tmp_path):
    sheets = {
        "Image-Comprehension": [("Acc", 50.0, 80.0)],
        "Image-Generation": [("Acc", 50.0, 60.0)],
        # RMSE missing -> 0.0 < SoTA 1.0: no credit (but no error either)
        "NLP": [("ACC", 50.0, 60.0), ("RMSE", 1.0, None), ("ACC", 90.0, 95.0),
                ("FID", 10.0, 5.0)],
    }
    record = glscore_record(tmp_path, sheets)
    # credits: 60, 0, 95, 5 (FID raw in NLP: 5 < 10, no credit -> 0) -> (60 + 95) / 4
    assert record["nlp"]["s_l"] == pytest.approx(155 / 4, abs=TOL)
    sheets["NLP"] = [("RMSE", 90.0, 0.5)]
    # model 0.5 -> (2/(1+e^-10) - 1) * 100 = 99.9909204 >= raw SoTA 90: credit 99.99
    # (a mapped SoTA would be (2/(1+e^-5/90) - 1) * 100 = 2.78)
    record = glscore_record(tmp_path, sheets)
    assert record["nlp"]["s_l"] == pytest.approx((2 / (1 + math.exp(-10)) - 1) * 100, abs=TOL)


def test_model_column_is_case_insensitive(tmp_path):
    sheets = {
        "Image-Comprehension": [("Acc", 50.0, 80.0)],
        "Image-Generation": [("Acc", 50.0, 60.0)],
        "NLP": [("ACC", 50.0, 60.0)],
    }
    record = glscore_record(tmp_path, sheets, model="test-MODEL", column="TEST-model",
                            extra_column=True)
    assert record["scores"]["level2"] == pytest.approx(70.0, abs=TOL)


def test_zero_nlp_rmse_raises(tmp_path):
    sheets = {
        "Image-Comprehension": [("Acc", 50.0, 80.0)],
        "NLP": [("RMSE", 1.0, 0)],  # the reference divides 5 by 0
    }
    with pytest.raises(glscore.InputError, match="RMSE"):
        glscore_record(tmp_path, sheets)


@pytest.mark.parametrize(("sheet", "row"), [
    ("Image-Generation", ("FID", 20.0, -3.0)),
    ("Image-Generation", ("FID", -20.0, 3.0)),
    ("Image-Comprehension", ("MS-SSIM", 0.5, -0.2)),
    ("Image-Comprehension", ("psnr", 30.0, -1.0)),
])
def test_negative_special_value_raises(tmp_path, sheet, row):
    sheets = {
        "Image-Comprehension": [("Acc", 50.0, 80.0)],
        "Image-Generation": [("Acc", 50.0, 60.0)],
        "NLP": [("ACC", 50.0, 60.0)],
    }
    sheets[sheet] = [*sheets[sheet], row]
    with pytest.raises(glscore.InputError):
        glscore_record(tmp_path, sheets)


def test_negative_special_value_in_nlp_is_refused(tmp_path):
    # the reference leaves NLP raw and would credit -1 (-1 >= -5); a negative MAE is no
    # error size at all, so glscore refuses it, SoTA first, under every profile
    sheets = {
        "Image-Comprehension": [("Acc", 50.0, 80.0)],
        "Image-Generation": [("Acc", 50.0, 60.0)],
        "NLP": [("MAE", -5.0, -1.0)],
    }
    with pytest.raises(glscore.InputError,
                       match=r"sheet 'NLP', row 2, column 'SoTA Performance' \(E\): SoTA: task "
                             r"NLP-001: MAE value -5.0 is outside its domain >= 0"):
        glscore_record(tmp_path, sheets)


# --------------------------------------------------------------------------- real workbook

QWEN = "Qwen2.5-7B-Instruct"


def official_or_skip() -> tuple[Path, Path]:
    folder = paths.official_dir()
    sota, result = folder / "sota_result.xlsx", folder / f"{QWEN}_result.xlsx"
    if not (sota.is_file() and result.is_file()):
        pytest.skip(f"official workbooks not found in {folder} (../shared/data absent)")
    return sota, result


def read_real_sheets(sota_path: Path, result_path: Path, factor: float = 1.0):
    """The real workbooks as oracle input; plain-metric model values times ``factor``."""
    sota_book = openpyxl.load_workbook(sota_path, read_only=True)
    result_book = openpyxl.load_workbook(result_path, read_only=True)
    sheets = {}
    for name in sota_book.sheetnames:
        sota_rows = list(sota_book[name].iter_rows(values_only=True))
        result_rows = list(result_book[name].iter_rows(values_only=True))
        metric_at = sota_rows[0].index("Metrics")
        sota_at = sota_rows[0].index("SoTA Performance")
        model_at = [str(h).lower() for h in result_rows[0]].index(QWEN.lower())
        rows = []
        for s_row, r_row in zip(sota_rows[1:], result_rows[1:], strict=True):
            metric = str(s_row[metric_at])
            model = r_row[model_at]
            if (isinstance(model, int | float) and metric.split(" (")[0].upper()
                    not in ORACLE_SPECIAL):
                model = model * factor
            rows.append((metric, s_row[sota_at], model))
        sheets[name] = rows
    return sheets


def test_real_qwen_workbook(tmp_path):
    sota, result = official_or_skip()
    # The NLP cells are on a 0-1 scale while the SoTA is on 0-100: 'auto' refuses.
    with pytest.raises(glscore.InputError, match="0-1"):
        glscore.load_workbooks(sota, [result], model=QWEN)

    # 'percent' takes them as given, as the reference does: every level is 0
    bench = glscore.load_workbooks(sota, [result], model=QWEN, scale="percent")
    record = glscore.score(bench, profile="official").record(0)
    sheets = read_real_sheets(sota, result)
    assert_matches_oracle(record, sheets)
    assert record["scores"] == {"level2": 0.0, "level3": 0.0, "level4": 0.0, "level5": 0.0}
    assert (record["nlp"]["supported"], record["nlp"]["tasks"]) == (5, 115)

    # 'fraction' multiplies them by 100: one NLP win (ACC 74.5) -> S_L = 74.5 / 115;
    # Level-5 stays 0 because Level-4 is 0 (no modality cell filled)
    bench = glscore.load_workbooks(sota, [result], model=QWEN, scale="fraction")
    record = glscore.score(bench, profile="official").record(0)
    assert_matches_oracle(record, read_real_sheets(sota, result, factor=100.0))
    assert record["nlp"]["s_l"] == pytest.approx(74.5 / 115, abs=TOL)
    assert record["scores"]["level5"] == 0.0
