"""The fast writers agree with the libraries they stand in for, on random input.

The report and the command line write JSON (``cli.commands.common.dumps``), table
rows (``frame_rows``) and escaped HTML text (``report.render``) on paths that a
build runs hundreds of thousands of times, so they are written for speed; the
references here are the libraries' own functions: ``json.dumps``,
``DataFrame.to_dict("records")`` and ``markupsafe.escape``.
"""

from __future__ import annotations

import json
import random

import markupsafe
import numpy as np
import pandas as pd
import pytest

from glscore.cli.commands.common import _json_scalar, dumps, frame_rows
from glscore.report import render

ALPHABET = "ab <>&\"'\x00\x1b\u202e\u00e9\u4e2d\n\t\\/"


def random_text(rng: random.Random) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 12)))


def random_value(rng: random.Random, depth: int = 0) -> object:
    kind = rng.randrange(9 if depth < 4 else 6)
    if kind == 0:
        return rng.uniform(-1e6, 1e6)
    if kind == 1:
        return rng.randint(-10**12, 10**12)
    if kind == 2:
        return random_text(rng)
    if kind == 3:
        return rng.choice([True, False, None])
    if kind == 4:
        return rng.choice([np.float64(rng.random()), np.int32(rng.randint(-9, 9)), np.bool_(True)])
    if kind == 5:
        return rng.choice([0.1, 1e-300, 2.5e300, -0.0])
    if kind == 6:
        return [random_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    if kind == 7:
        return tuple(random_value(rng, depth + 1) for _ in range(rng.randint(0, 3)))
    return {random_text(rng): random_value(rng, depth + 1) for _ in range(rng.randint(0, 4))}


def test_dumps_writes_what_json_dumps_writes():
    rng = random.Random(20261206)
    for _ in range(3000):
        value = random_value(rng)
        expected = json.dumps(value, indent=2, allow_nan=False, ensure_ascii=False,
                              default=_json_scalar)
        # dumps then escapes the characters a terminal acts on (of ALPHABET, the
        # right-to-left override); json reads them back as they were
        assert json.loads(dumps(value)) == json.loads(expected)
        assert dumps(value) == expected.replace("\u202e", "\\u202e")


def test_dumps_with_keys_that_are_not_text():
    value = {"a": {1: [1.5, "x"], 2.5: {"b": None}}, "c": [{"d": []}, {}]}
    assert dumps(value) == json.dumps(value, indent=2, allow_nan=False, ensure_ascii=False)


@pytest.mark.parametrize("bad", [float("nan"), [1.0, {"x": float("inf")}]])
def test_dumps_refuses_what_is_not_json(bad):
    with pytest.raises(ValueError):
        dumps(bad)


def test_frame_rows_are_pandas_records():
    rng = np.random.default_rng(7)
    n = 40
    frame = pd.DataFrame({
        "float": np.where(rng.random(n) < 0.2, np.nan, rng.normal(size=n)),
        "int": rng.integers(-5, 5, n),
        "bool": rng.random(n) < 0.5,
        "text": [None if i % 7 == 0 else f"m<{i}>" for i in range(n)],
        "nullable": pd.array([None if i % 5 == 0 else i for i in range(n)], dtype="Int64"),
        "mixed": [np.float32(i) if i % 2 else "x" for i in range(n)],
        "when": pd.date_range("2025-01-01", periods=n, freq="D"),
    })
    expected = frame.to_dict("records")
    got = frame_rows(frame)
    assert len(got) == len(expected)
    for mine, theirs in zip(got, expected, strict=True):
        assert list(mine) == list(theirs)
        for key in theirs:
            a, b = mine[key], theirs[key]
            assert type(a) is type(b) or (a is None and b is pd.NA) or (
                isinstance(b, np.generic) and type(a) is type(b.item())), (key, a, b)
            assert a == b or (a != a and b != b) or (a is None and b is pd.NA), (key, a, b)
    assert frame_rows(frame.iloc[:, :0]) == frame.iloc[:, :0].to_dict("records")


def test_text_is_escaped_as_the_templates_escape_it():
    rng = random.Random(5)
    values: list[object] = [random_text(rng) for _ in range(5000)]
    values += [1.5, 3, None, markupsafe.Markup("<b>kept</b>")]
    for value in values:
        assert render._text(value) == str(markupsafe.escape(render.shown(value))), repr(value)
