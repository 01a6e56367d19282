"""Pages from templates, and the static files every page uses.

The templates (``templates/*.html.j2``: ``layout`` the page frame, one template per
page kind, ``_cells``/``_board`` the shared pieces) and the static files
(``static/report.css``, ``static/report.js``) are package data: a wheel
carries them. Jinja2 renders with autoescaping on, so every value of a
context dict is HTML-escaped unless a template says ``| safe`` (only the
explanation rendered from Markdown does); an undefined name is an error.
"""

from __future__ import annotations

from collections.abc import Mapping
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
    text value shown with its control characters as escapes, :func:`shown`)."""
    return _Environment(
        loader=jinja2.PackageLoader("glscore.report", TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=shown,
    )


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
