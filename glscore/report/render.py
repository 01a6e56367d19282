"""Pages from templates, and the static files every page uses.

The templates (``templates/*.html.j2``: ``layout`` the page frame, one template per
page kind, ``_cells``/``_board`` the shared pieces) and the static files
(``static/report.css``, ``static/report.js``) are package data: a wheel
carries them. Jinja2 renders with autoescaping on, so every value of a
context dict is HTML-escaped unless a template says ``| safe`` (only the
explanation rendered from Markdown does); an undefined name is an error.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from importlib import resources
from typing import Any

import jinja2
import markupsafe

from glscore.errors import visible

TEMPLATES = "templates"
STATIC = "static"
#: The static files, copied to ``static/`` of the output folder.
STATIC_FILES: tuple[str, ...] = ("report.css", "report.js")


class _Environment(jinja2.Environment):
    """Jinja2's environment, reading a plain dict's keys before its attributes.

    The pages are drawn from plain dicts (:mod:`glscore.report.cells`), so
    ``c.kind`` in a template is ``c["kind"]``; Jinja2 itself tries
    ``getattr(c, "kind")`` first and pays for an ``AttributeError`` on every
    such lookup (over a million of them per report). Anything else is looked
    up as Jinja2 does.
    """

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


def environment() -> jinja2.Environment:
    """The Jinja2 environment of the report's templates (autoescaping on; every
    text value shown with its control characters as escapes, :func:`shown`;
    the table rows drawn by :func:`rows_html`)."""
    env = _Environment(
        loader=jinja2.PackageLoader("glscore.report", TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=shown,
    )
    env.globals["rows_html"] = rows_html
    return env


def shown(value: Any) -> Any:
    """What a ``{{ value }}`` prints before autoescaping: text with control and
    formatting characters as visible escapes (:func:`glscore.errors.visible`: an
    escape sequence or a direction override in a model name is text on the
    page too); markup the build made itself (``Markup``) as it is.

    >>> shown("a\\x1bb") == "a\\\\x1bb", shown(3)
    (True, 3)
    """
    if type(value) is str and value.isprintable():  # the common case: nothing to escape
        return value
    if isinstance(value, str) and not isinstance(value, markupsafe.Markup):
        return visible(value, keep="\n\t")  # whitespace in HTML text
    return value


def _text(value: Any) -> str:
    """A value as a ``{{ value }}`` prints it: :func:`shown`, then HTML-escaped
    (a plain string by the replacements ``markupsafe.escape`` makes, without
    making a ``Markup`` of it)."""
    if type(value) is str:
        if not value.isprintable():
            value = shown(value)
        return (value.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
                .replace("'", "&#39;").replace('"', "&#34;"))
    return markupsafe.escape(shown(value))


def _marks(c: Mapping[str, Any]) -> str:
    return "".join(f' <span class="mk mk-{_text(m["code"])}" title="{_text(m["title"])}">'
                   f'{_text(m["label"])}</span>' for m in c["marks"])


def _model(c: Mapping[str, Any]) -> str:
    name = (f'<a href="{_text(c["href"])}">{_text(c["text"])}</a>' if c["href"]
            else _text(c["text"]))
    return f'<td class="t">{name}{_marks(c)}</td>'


def _tie(c: Mapping[str, Any]) -> str:
    sep = '<span class="vh">separated from the row above</span>' if c["sep"] else ""
    return (f'<td class="t {_text(c["cls"])}" data-v="{_text(c["sort"])}">'
            f'{_text(c["text"])}{sep}</td>')


#: How each kind of cell (:mod:`glscore.report.cells`) is drawn, every value
#: escaped as a template would (:func:`_text`).
_CELLS: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "number": lambda c: f'<td data-v="{_text(c["sort"])}">{_text(c["text"])}</td>',
    "text": lambda c: ('<td class="t">' if c["sort"] is None
                       else f'<td class="t" data-v="{_text(c["sort"])}">')
    + f'{_text(c["text"])}</td>',
    "level": lambda c: (f'<td class="lv" data-v="{_text(c["level"])}" style="background:'
                        f'{_text(c["background"])};color:{_text(c["colour"])}">'
                        f'{_text(c["name"])}</td>'),
    "coverage": lambda c: (f'<td data-v="{_text(c["sort"])}">{_text(c["text"])}<span class="cov" '
                           f'style="width:{_text(c["width"])}rem"></span></td>'),
    "link": lambda c: f'<td class="t"><a href="{_text(c["href"])}">{_text(c["text"])}</a></td>',
    "code": lambda c: f'<td class="t"><code>{_text(c["text"])}</code></td>',
    "model": _model,
    "interval": lambda c: (
        f'<td class="t ri" data-v="{_text(c["sort"])}" title="{_text(c["title"])}">'
        f'<span class="rbar" aria-hidden="true"><span class="rin" style="left:'
        f'{_text(c["left"])}%;width:{_text(c["width"])}%"></span><span class="rdot" style="left:{_text(c["dot"])}%;'
        f'background:{_text(c["colour"])}"></span></span>{_text(c["text"])}</td>'),
    "tie": _tie,
    "heat": lambda c: (f'<td data-v="{_text(c["sort"])}" style="background:'
                       f'{_text(c["background"])};color:{_text(c["colour"])}">'
                       f'{_text(c["text"])}</td>'),
}


def _attrs(row: Mapping[str, Any]) -> str:
    """The row's class and ``data-*`` attributes (sorted by name, case ignored,
    as Jinja2's ``dictsort``)."""
    cls = f' class="{_text(row["cls"])}"' if row["cls"] else ""
    items = sorted(row["attrs"].items(),
                   key=lambda kv: kv[0].lower() if isinstance(kv[0], str) else kv[0])
    return cls + "".join(f' {_text(k)}="{_text(v)}"' for k, v in items)


def rows_html(rows: Sequence[Mapping[str, Any]]) -> markupsafe.Markup:
    """The ``<tr>`` lines of a table of :mod:`glscore.report.cells` (one per
    row; a lone newline for none), every value escaped as the templates
    escape it: drawn here, not by a macro per cell, which would dominate
    the build's time. A cell of an unknown kind draws nothing."""
    if not rows:
        return markupsafe.Markup("\n")
    lines = []
    for r in rows:
        cells = "".join(_CELLS[c["kind"]](c) if c["kind"] in _CELLS else "" for c in r["cells"])
        lines.append(f"<tr{_attrs(r)}>{cells}</tr>\n")
    return markupsafe.Markup("".join(lines))


def render(env: jinja2.Environment, template: str, context: Mapping[str, Any]) -> str:
    """``templates/<template>`` filled with ``context``."""
    return str(env.get_template(template).render(**context))


def static_files() -> dict[str, bytes]:
    """``static/<name>`` -> bytes of each of :data:`STATIC_FILES`."""
    folder = resources.files("glscore.report") / STATIC
    return {f"{STATIC}/{name}": (folder / name).read_bytes() for name in STATIC_FILES}


def templates_dir() -> Any:
    """The templates folder (a ``Traversable``; a real folder for an installed package)."""
    return resources.files("glscore.report") / TEMPLATES
