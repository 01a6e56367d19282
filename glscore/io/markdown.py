"""Markdown text and pipe tables, with every cell escaped.

Model names are user input: a name such as ``a|b`` would split a table cell,
``x\\ny`` would end the row, ``<script>`` would reach a page that renders the
Markdown as HTML, and a backtick would open a code span. Every Markdown table
the package writes goes through :func:`table`, and every piece of user text
put into Markdown through :func:`escape` (or :func:`code` for an id shown as
code), so such a name is shown as written and never changes the structure.

:func:`escape` rewrites, in this order:

* ``\\`` -> ``\\\\`` (a backslash would escape what follows it);
* ``&``, ``<`` -> ``&amp;``, ``&lt;`` (HTML-significant: no tag or entity
  can start; a lone ``>`` is plain text in HTML and stays readable, as in
  ``score >= SoTA``);
* `````, ``|``, ``*``, ``[``, ``]`` -> backslash-escaped (code spans, cell
  borders, emphasis, links);
* a line break (``\\r\\n``, ``\\r``, ``\\n``) -> ``&#10;`` (a Markdown row or
  heading is one line; the entity keeps the break visible and reversible).

``_`` is escaped where it could open or close emphasis (``_em_``), and left
as it is between two letters or digits: names such as ``InternVL2_5-8B`` are
common, and an underscore inside a word never starts emphasis. Last,
control and formatting characters (an escape sequence, a direction
override) are shown as escapes (:func:`glscore.errors.visible`), in
:func:`code` too.

>>> print(table(["model", "level"], [["a|b", "3"], ["<i>x</i>", "2"]]))
| model | level |
|---|---|
| a\\|b | 3 |
| &lt;i>x&lt;/i> | 2 |
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from glscore.errors import visible

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
#: An underscore that could open or close emphasis: not between two letters or digits.
_EMPHASIS_UNDERSCORE = re.compile(r"(?<![^\W_])_|_(?![^\W_])")
_HTML = {"&": "&amp;", "<": "&lt;"}
_BACKSLASHED = "`|*[]"


def escape(text: object) -> str:
    """``text`` as literal Markdown inline text (see the module docstring).

    >>> escape("a|b"), escape("x\\ny"), escape("`rm -rf`"), escape("C:\\\\dir")
    ('a\\\\|b', 'x&#10;y', '\\\\`rm -rf\\\\`', 'C:\\\\\\\\dir')
    >>> escape("_em_ InternVL2_5-8B")
    '\\\\_em\\\\_ InternVL2_5-8B'
    """
    out = str(text).replace("\\", "\\\\")
    out = "".join(_HTML.get(c, f"\\{c}" if c in _BACKSLASHED else c) for c in out)
    out = _EMPHASIS_UNDERSCORE.sub(r"\\_", _LINE_BREAK.sub("&#10;", out))
    return visible(out)


def code(text: object) -> str:
    """``text`` as an inline code span, for ids: ```vitron-v1```.

    A code span shows its content literally (no escapes, no HTML), so the
    fence is one backtick longer than the longest run of backticks inside
    (padded with a space where the text starts or ends with one), and line
    breaks become spaces (a span never crosses a line). Not for table cells:
    use :func:`escape` there.

    >>> code("vitron-v1"), code("a`b"), code("x\\ny")
    ('`vitron-v1`', '``a`b``', '`x y`')
    """
    out = visible(_LINE_BREAK.sub(" ", str(text)))
    runs = [len(r) for r in re.findall(r"`+", out)]
    fence = "`" * (max(runs, default=0) + 1)
    pad = " " if out.startswith("`") or out.endswith("`") else ""
    return f"{fence}{pad}{out}{pad}{fence}"


def table(headers: Sequence[object], rows: Iterable[Sequence[object]]) -> str:
    """A pipe table: a header row, a ``|---|`` rule, one line per row.

    Every header and cell is passed through :func:`escape`; a row must have
    as many cells as there are headers. No trailing newline.
    """
    width = len(headers)
    lines = [_row(headers), "|" + "---|" * width]
    for k, row in enumerate(rows):
        if len(row) != width:
            raise ValueError(f"Markdown table row {k + 1} has {len(row)} cells, "
                             f"expected {width}")
        lines.append(_row(row))
    return "\n".join(lines)


def _row(cells: Sequence[object]) -> str:
    return "| " + " | ".join(escape(c) for c in cells) + " |"
