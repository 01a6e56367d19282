"""The report with hostile names: safe, unique, portable page names, names as
text in every medium, and a build that leaves all of a report or none."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from glscore import Benchmark
from glscore.errors import InputError
from glscore.io import markdown
from glscore.report import build
from glscore.report.build import Options
from glscore.report.names import page_name as model_file
from tests.test_bad_input import assert_one_line_error, run_cli
from tests.test_report import tags

NAMES = (
    "![pixel](http://evil.example/track.png)",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "red\x1b[31mtext\x1b[0m",
    "\u202egnp.exe",
    "_em_ **bold** `code` | pipe",
    "CON",
    ".hidden",
    "x" * 300,
    "../../etc/passwd",
    "a/b\\c:d*e?f\"g<h>i|j",
)


def hostile_bench() -> Benchmark:
    rows = [("IC-001", "Acc", "higher", 50.0), ("IG-001", "Acc", "higher", 50.0),
            ("NLP-001", "Acc", "higher", 50.0)]
    values = [[60.0 + k, 55.0, 70.0] for k in range(len(NAMES))]
    return Benchmark.from_rows(rows, values, models=NAMES, skill_group_id=["I-C-1", "I-G-1",
                                                                             "L-1"],
                               skill_short_name=["a", "b", "c"])


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    nb_dir = root / "no-notebooks"
    nb_dir.mkdir()
    out = root / "out"
    build(out, bench=hostile_bench(), notebooks_dir=nb_dir)
    return out


def test_page_names_are_safe_unique_portable_and_bounded(report):
    pages = sorted(p.name for p in (report / "models").iterdir())
    assert len(pages) == len(NAMES) == len({p.lower() for p in pages})   # one page each
    for page in pages:
        stem = page.removesuffix(".html")
        assert re.fullmatch(r"[a-z0-9][a-z0-9._-]*", stem), page       # portable characters
        assert len(page.encode()) <= 70                                 # far below 255
        assert stem.split(".")[0] not in {"con", "prn", "aux", "nul"}
    assert model_file("CON").startswith("models/con-")
    assert model_file(".hidden").startswith("models/hidden-")
    long = model_file("x" * 300)
    assert long.startswith(f"models/{'x' * 48}-") and len(long) == len("models/") + 48 + 16


def test_names_are_text_on_every_page(report):
    for page in sorted(report.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        found = tags(page)
        assert not [t for t, _ in found if t in ("img", "iframe", "object", "embed")], page
        links = [a.get("href", "") + a.get("src", "") for _, a in found]
        assert not [u for u in links if "://" in u or u.startswith(("javascript", "//"))], page
        assert not any(k.startswith("on") for _, a in found for k in a), page
        assert "\x1b" not in html and "\u202e" not in html, page   # shown as escapes
        assert not [t for t, _ in found if t in ("strong", "em")], page  # markdown stays text
    index = (report / "index.html").read_text(encoding="utf-8")
    assert "red\\x1b[31mtext\\x1b[0m" in index
    assert "\\u202egnp.exe" in index
    assert "&lt;img src=x onerror=alert(1)&gt;" in index


def test_markdown_escape_keeps_markup_out():
    text = markdown.escape("_em_ **b** ![i](http://x) <a> \x1b[1m\nx")
    assert text == r"\_em\_ \*\*b\*\* !\[i\](http://x) &lt;a> \x1b\[1m&#10;x"
    assert markdown.escape("InternVL2_5-8B") == "InternVL2_5-8B"   # intra-word: kept


def test_a_failed_build_leaves_nothing(tmp_path, monkeypatch):
    nb_dir = tmp_path / "nb"
    nb_dir.mkdir()
    out = tmp_path / "out"
    calls = {"n": 0}
    original = Path.write_bytes

    def failing(self, data):
        calls["n"] += 1
        if calls["n"] == 5:
            raise OSError(28, "No space left on device", str(self))
        return original(self, data)

    monkeypatch.setattr(Path, "write_bytes", failing)
    with pytest.raises(InputError, match=r"cannot write the output .*nothing was changed"):
        build(out, bench=hostile_bench(), notebooks_dir=nb_dir)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nb"]     # no out, no staging


def test_an_interrupted_build_keeps_the_previous_report(tmp_path, monkeypatch):
    nb_dir = tmp_path / "nb"
    nb_dir.mkdir()
    out = tmp_path / "out"
    build(out, bench=hostile_bench(), notebooks_dir=nb_dir)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    # the interrupted build is another report: the same models without the uncertainty
    # (no interval columns, other pages), as built here to the end
    other = tmp_path / "other"
    build(other, bench=hostile_bench(), notebooks_dir=nb_dir, options=Options(settings=None))
    assert {p.relative_to(other): p.read_bytes() for p in other.rglob("*")
            if p.is_file()} != before
    calls = {"n": 0}
    original = Path.write_bytes

    def interrupted(self, data):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return original(self, data)

    monkeypatch.setattr(Path, "write_bytes", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build(out, bench=hostile_bench(), notebooks_dir=nb_dir, options=Options(settings=None))
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nb", "other", "out"]


@pytest.mark.parametrize("out", ["", "  "])
def test_empty_out_is_a_usage_error(capsys, out):
    with pytest.raises(SystemExit) as stop:
        run_cli(capsys, "report", "--out", out)
    err = capsys.readouterr().err
    assert stop.value.code == 2 and "empty path" in err and len(err.strip().splitlines()) == 1


def test_out_naming_a_file_or_a_foreign_folder(tmp_path, capsys):
    afile = tmp_path / "notes.txt"
    afile.write_text("mine")
    code, _, err = run_cli(capsys, "report", "--out", afile)
    assert_one_line_error(code, err, "notes.txt", "exists and is a file, not a folder")
    assert afile.read_text() == "mine"
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / "thesis.tex").write_text("x")
    code, _, err = run_cli(capsys, "report", "--out", folder)
    assert_one_line_error(code, err, "not empty and holds no glscore report")
    assert sorted(p.name for p in folder.iterdir()) == ["thesis.tex"]
