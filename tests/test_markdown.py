"""The one Markdown table helper (glscore.io.markdown) with hostile model names.

Every table the package writes in Markdown goes through it: the leaderboard
command, ``glscore explain`` and the bench table. The checks read the written
Markdown back with an independent parser (mistune, GFM tables, entities
decoded as CommonMark says) and compare every cell with the name as given.
"""

from __future__ import annotations

from html.parser import HTMLParser

import mistune
import pandas as pd
import pytest

from glscore import paths
from glscore.analysis.explain import explain, explain_markdown
from glscore.cli import main
from glscore.core.benchmark import Benchmark
from glscore.io import markdown

HOSTILE = ["a|b", "x\ny", "r\r\nz", "<script>alert(1)</script>", "`rm -rf`", "a``b",
           "C:\\dir\\", "\\|", "[x](javascript:alert(1))", "a&amp;b", "**bold**", "|", "&lt;"]


class Cells(HTMLParser):
    """The text of every ``<td>``/``<th>``, and every start tag seen."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.cells: list[str] = []
        self.tags: list[str] = []
        self._open = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag in ("td", "th"):
            self._open = True
            self.cells.append("")

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self._open = False

    def handle_data(self, data):
        if self._open:
            self.cells[-1] += data


def rendered(text: str) -> Cells:
    """``text`` rendered as CommonMark + GFM tables by mistune, parsed back."""
    parser = Cells()
    parser.feed(mistune.create_markdown(escape=False, plugins=["table"])(text))
    return parser


def test_every_hostile_cell_reads_back_as_written():
    text = markdown.table(["model", "level"], [[name, 3] for name in HOSTILE])
    lines = text.split("\n")
    assert len(lines) == 2 + len(HOSTILE)  # one line per row: no break leaked
    parsed = rendered(text)
    expected = ["model", "level"] + [c for name in HOSTILE for c in (name, "3")]
    # a line break inside a cell is kept as a break (CRLF and CR as LF, as HTML reads them)
    assert parsed.cells == [c.replace("\r\n", "\n") for c in expected]
    assert set(parsed.tags) <= {"table", "thead", "tbody", "tr", "th", "td"}  # no <script>, <a>, <em>


def test_escape_by_hand():
    # each rule of the module docstring, written out
    assert markdown.escape("a|b") == "a\\|b"
    assert markdown.escape("x\ny") == "x&#10;y"
    assert markdown.escape("<script>") == "&lt;script>"
    assert markdown.escape("`x`") == "\\`x\\`"
    assert markdown.escape("C:\\d") == "C:\\\\d"
    assert markdown.escape("a&b") == "a&amp;b"
    assert markdown.escape("InternVL2_5-8B") == "InternVL2_5-8B"  # intraword _ kept


def inline_code(text: str) -> str:
    """The text of the first ``<code>`` of ``text`` rendered by mistune."""
    html = mistune.create_markdown(escape=False)(text)
    parser = Cells()
    parser.feed(html.replace("<code>", "<td>").replace("</code>", "</td>"))
    return parser.cells[0]


@pytest.mark.parametrize("name", ["vitron-v1", "a`b", "``x", "x`", "x\ny", "<i>&amp;"])
def test_code_span_shows_the_text(name):
    # a code span never crosses a line: a break becomes a space
    assert inline_code(f"id {markdown.code(name)} here") == name.replace("\n", " ")


def test_table_rejects_ragged_rows():
    with pytest.raises(ValueError, match="row 2 has 1 cells, expected 2"):
        markdown.table(["a", "b"], [["1", "2"], ["3"]])


NAMES = ("a|b <script>x</script>", "x\ny `z` [l](javascript:0)")


def hostile_bench() -> Benchmark:
    """Two models with hostile display names on three tasks (image C/G, NLP)."""
    rows = [("IC-001", "Acc", "higher", 50.0), ("IG-001", "Acc", "higher", 50.0),
            ("NLP-001", "Acc", "higher", 50.0)]
    return Benchmark.from_rows(rows, [[60.0, 40.0, 70.0], [30.0, 60.0, 10.0]],
                               models=("m1", "m2"), names=NAMES)


@pytest.mark.parametrize("k", [0, 1])
def test_explain_markdown_with_hostile_names(k):
    bench = hostile_bench()
    text = explain_markdown(explain(bench, bench.models[k]), heading=2)
    title = text.split("\n", 1)[0]  # the heading must hold the whole name: one line
    html = mistune.create_markdown(escape=False, plugins=["table"])(text)
    parser = Cells()
    parser.feed(html.replace("<h2>", "<th>").replace("</h2>", "</th>"))
    assert parser.cells[0] == f"{NAMES[k]} (m{k + 1}): Level-{title[-1]}"
    assert not {"script", "a", "em", "strong"} & set(parser.tags)


def test_leaderboard_markdown_with_hostile_names(tmp_path, capsys):
    results = tmp_path / "runs.csv"
    image = pd.read_csv(paths.TASKS_CSV).query("modality == 'Image'")["task_id"].head(4)
    names = ["a|b", "<b>x</b>"]
    pd.DataFrame([(n, t, 90.0) for n in names for t in image],
                 columns=["model", "task_id", "value"]).to_csv(results, index=False)
    assert main(["leaderboard", "--scope", "B", "--board", "Image",
                 "--results", str(results)]) == 0
    out = capsys.readouterr().out
    table = out.split("\n\n", 1)[1]
    parsed = rendered(table)
    assert set(names) <= set(parsed.cells)
    assert "b" not in parsed.tags
