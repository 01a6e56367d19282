"""glscore diff A B, and the report's "what changed" page.

Expectations are derived in the tests: from hand-written board JSONs, from the
two score JSONs read directly (levels compared, ranks by a plain sort), or
from a one-value change in a small benchmark whose effect is worked out by hand.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from glscore.analysis.diff import diff
from glscore.cli import main
from glscore.core.benchmark import Benchmark
from glscore.errors import InputError
from glscore.io.snapshot import read_snapshot
from glscore.report import build
from glscore.report.build import Options
from tests.report_html import tables, text


def run_cli(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def board_json(path: Path, rows: list[tuple], scope: str = "A", board: str = "full") -> Path:
    """A board JSON as `glscore leaderboard --format json` writes it:
    rows (model, rank, level, score, wins, supported)."""
    path.write_text(json.dumps({
        "scope": scope, "board": board, "cap": 5, "tasks": 10,
        "rows": [{"rank": rank, "model": model, "name": model.upper(), "level": level,
                  "score": score, "level2": score, "level3": 0.0, "level4": 0.0, "level5": 0.0,
                  "supported": supported, "tasks": 10, "wins": wins}
                 for model, rank, level, score, wins, supported in rows]}))
    return path


def test_boards_level_rank_and_listing_changes(tmp_path, capsys):
    a = board_json(tmp_path / "a.json", [("m1", 1, 3, 5.0, 4, 8), ("m2", 2, 2, 9.0, 0, 9),
                                         ("m4", 3, 2, 1.0, 0, 2)])
    b = board_json(tmp_path / "b.json", [("m2", 1, 3, 2.0, 1, 9), ("m1", 2, 3, 1.0, 2, 8),
                                         ("m3", 3, 2, 4.0, 0, 5)])
    code, out, _ = run_cli(capsys, "diff", a, b, "--format", "json")
    assert code == 0
    result = json.loads(out)
    changes = {c["model"]: c for c in result["changes"]}
    # m2: Level-2 -> Level-3 (and #2 -> #1); m1: #1 -> #2 at Level-3; m3 new; m4 gone
    assert {m: c["change"] for m, c in changes.items()} == {
        "m2": "level", "m1": "rank", "m3": "added", "m4": "removed"}
    assert (changes["m1"]["rank_a"], changes["m1"]["rank_b"]) == (1, 2)
    assert (changes["m2"]["level_a"], changes["m2"]["level_b"]) == (2, 3)
    # traced to the rows' own counts: m1 wins 4 -> 2, m2 wins 0 -> 1 (supported unchanged)
    assert result["traced"] == "counts"
    assert [(c["what"], c["before"], c["after"]) for c in changes["m1"]["causes"]] == [
        ("wins", 4.0, 2.0)]
    assert [(c["what"], c["before"], c["after"]) for c in changes["m2"]["causes"]] == [
        ("wins", 0.0, 1.0)]
    assert ("1 model changes level (1 board row), 1 changes rank only (1 row), and 2 rows are "
            "listed on one side only") in result["summary"]
    code, out, _ = run_cli(capsys, "diff", a, b)
    assert "Scope-A 'full': M1: rank #1 -> #2, Level-3 -> Level-3 (score 5.00 -> 1.00); " \
           "causes: wins 4 -> 2" in out


def test_same_file_no_change(tmp_path, capsys):
    a = board_json(tmp_path / "a.json", [("m1", 1, 3, 5.0, 4, 8)])
    code, out, _ = run_cli(capsys, "diff", a, a)
    assert code == 0 and out.startswith("No change between")


def test_score_json_levels_and_ranks_against_a_plain_sort(tmp_path, capsys):
    """The paper data under `paper` and `official`: the level changes are the
    models whose `level` differs between the two files; the ranks are those of
    a plain sort by (level, score at it, score below, name)."""
    paper, official = tmp_path / "paper.json", tmp_path / "official.json"
    for path, profile in ((paper, "paper"), (official, "official")):
        code, out, _ = run_cli(capsys, "score", "--json", "--profile", profile)
        path.write_text(out)
    records = {p: json.loads(p.read_text()) for p in (paper, official)}

    def ranks(recs: list[dict]) -> dict[str, int]:
        def key(r):
            lv = r["level"]
            at = r["scores"][f"level{lv}"] if lv >= 2 else 0.0
            below = r["scores"][f"level{lv - 1}"] if lv >= 3 else 0.0
            return (-lv, -at, -below, r["name"])
        listed = [r for r in recs if sum(m["supported"] for m in r["modalities"].values())
                  + r["nlp"]["supported"] > 0]
        return {r["model"]: k + 1 for k, r in enumerate(sorted(listed, key=key))}

    level_a = {r["model"]: r["level"] for r in records[paper]}
    level_b = {r["model"]: r["level"] for r in records[official]}
    rank_a, rank_b = ranks(records[paper]), ranks(records[official])
    expected_level = {m for m in level_a if level_a[m] != level_b[m] and m in rank_a}
    expected_rank = {m for m in rank_a if rank_a[m] != rank_b[m]} - expected_level
    code, out, _ = run_cli(capsys, "diff", paper, official, "--format", "json")
    assert code == 0
    result = json.loads(out)
    found = {c["model"]: c for c in result["changes"]}
    assert {m for m, c in found.items() if c["change"] == "level"} == expected_level
    assert {m for m, c in found.items() if c["change"] == "rank"} == expected_rank
    for m, c in found.items():
        assert (c["rank_a"], c["rank_b"]) == (rank_a[m], rank_b[m])
    assert expected_level  # the official profile moves levels (Vitron-V1 reaches Level-5)
    assert result["traced"] == "modalities"
    vitron = found["vitron-v1"]
    nlp = {(c["modality"], c["what"]) for c in vitron["causes"]}
    assert ("NLP", "s_l") in nlp  # Level-5 needs NLP credit: S_L moved from 0


def small_bench(value: float) -> Benchmark:
    """Two models on an image comprehension, an image generation and an NLP task
    (SoTA 50 each); model a's image-generation value is ``value``."""
    rows = [("IC-001", "Acc", "higher", 50.0), ("IG-001", "Acc", "higher", 50.0),
            ("NLP-001", "Acc", "higher", 50.0)]
    return Benchmark.from_rows(rows, [[60.0, value, 40.0], [55.0, 52.0, 45.0]],
                               models=("a", "b"), skill_group_id=["I-C-1", "I-G-1", "L-1"],
                               skill_short_name=["x", "y", "z"])


def test_two_runs_trace_the_change_to_its_task(tmp_path, capsys):
    """a's image generation 40 -> 70 against a SoTA of 50: the win turns on, so a
    reaches Level-4 (credit on both Image paradigms) and ranks above b on
    Scope-A; the cause named is IG-001 'won'."""
    nb = tmp_path / "nb"
    nb.mkdir()
    runs = []
    for value in (40.0, 70.0):
        out = tmp_path / f"run{int(value)}"
        build(out, bench=small_bench(value), notebooks_dir=nb, options=Options(settings=None))
        runs.append(out)
    code, out, _ = run_cli(capsys, "diff", runs[0], runs[1], "--format", "json")
    assert code == 0
    result = json.loads(out)
    assert result["traced"] == "tasks"
    full = {c["model"]: c for c in result["changes"] if c["board"] == "full"}
    assert (full["a"]["level_a"], full["a"]["level_b"]) == (3, 4)
    assert [(c["task_id"], c["what"]) for c in full["a"]["causes"]] == [("IG-001", "won")]
    # on the Image-comprehension board nothing of a's changed
    assert not any(c["board"] == "Image-comprehension" for c in result["changes"])


def test_report_diff_page(tmp_path):
    a = board_json(tmp_path / "a.json", [("m1", 1, 3, 5.0, 4, 8), ("m2", 2, 2, 9.0, 0, 9)])
    b = board_json(tmp_path / "b.json", [("m2", 1, 3, 2.0, 1, 9), ("m1", 2, 3, 1.0, 2, 8)])
    nb = tmp_path / "nb"
    nb.mkdir()
    out = tmp_path / "report"
    build(out, bench=small_bench(40.0), notebooks_dir=nb,
          options=Options(settings=None, changes=diff(read_snapshot(a), read_snapshot(b))))
    page = out / "changes.html"
    words = text(page).data
    assert "1 model changes level" in words
    found = tables(page)
    assert [r["cells"][1]["text"] for r in found["changes-level"]["rows"]] == ["M2"]
    assert [r["cells"][1]["text"] for r in found["changes-rank"]["rows"]] == ["M1"]
    assert "wins 0 -> 1" in found["changes-level"]["rows"][0]["cells"][3]["text"]
    assert 'href="changes.html"' in (out / "index.html").read_text()


@pytest.mark.parametrize(("content", "message"), [
    ("not json", "not valid JSON"),
    ("[1, 2]", "expected a JSON object or a list of objects"),
    ('{"x": 1}', "neither score records"),
    ('{"board": "full", "rows": [{"model": "m"}]}', "a row needs 'model' and 'level'"),
    ('{"board": "full", "rows": [{"model": "m", "level": "high"}]}', "'high' is not a number"),
])
def test_bad_inputs_are_one_line_errors(tmp_path, capsys, content, message):
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    with pytest.raises(InputError, match=message):
        read_snapshot(bad)
    code, out, err = run_cli(capsys, "diff", bad, bad)
    assert code == 2 and out == ""
    assert err.startswith("glscore: error: ") and err.count("\n") == 1 and message in err


def test_missing_and_empty_folders(tmp_path, capsys):
    code, _, err = run_cli(capsys, "diff", tmp_path / "nowhere.json", tmp_path / "nowhere.json")
    assert code == 2 and "no such file or folder" in err
    code, _, err = run_cli(capsys, "diff", tmp_path, tmp_path)
    assert code == 2 and "no board JSON" in err

